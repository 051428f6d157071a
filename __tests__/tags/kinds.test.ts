/**
 * Each computed tag's kind (tags/compute.ts TagKind): `rolling` tags (the next release of their line
 * gives them again) may move under the `immutable` tag policy; `unique` and `fixed` tags may not.
 * Whole `computed` lists per context and rules; a rolling tag of semver rules carries its version
 * line (tags/line.ts), which it never leaves for an older release.
 */
import { computeTags, loadTagEngine, type ComputedTag } from '../../src/tags/index.js'
import { NOW, githubContext, type Event } from './fixtures.js'

beforeAll(() => loadTagEngine())

type Row = [
  what: string,
  event: Event,
  ref: string,
  tags: string[],
  flavor: string[],
  expected: ComputedTag[]
]

const SEMVER = 'type=semver,pattern={{version}}'
const MINOR = 'type=semver,pattern={{major}}.{{minor}}'
const MAJOR = 'type=semver,pattern={{major}}'

const rows: Row[] = [
  [
    "the README's rules on v1.2.3: 1.2 and latest roll, 1.2.3 and the sha are this release's",
    'push',
    'refs/tags/v1.2.3',
    [SEMVER, MINOR, 'type=sha'],
    [],
    [
      { tag: '1.2.3', kind: 'unique', rule: SEMVER },
      {
        tag: '1.2',
        kind: 'rolling',
        rule: MINOR,
        line: { version: '1.2.3', within: 'minor', prefix: '', suffix: '' }
      },
      { tag: 'sha-860c190', kind: 'unique', rule: 'type=sha' },
      {
        tag: 'latest',
        kind: 'rolling',
        rule: 'flavor latest',
        line: { version: '1.2.3', within: 'all', prefix: '', suffix: '' }
      }
    ]
  ],
  [
    'major and {{major}}.{{minor}}.{{patch}} (the full version by parts: unique)',
    'push',
    'refs/tags/v2.0.1',
    [MAJOR, 'type=semver,pattern={{major}}.{{minor}}.{{patch}}'],
    ['latest=false'],
    [
      {
        tag: '2',
        kind: 'rolling',
        rule: MAJOR,
        line: { version: '2.0.1', within: 'major', prefix: '', suffix: '' }
      },
      { tag: '2.0.1', kind: 'unique', rule: 'type=semver,pattern={{major}}.{{minor}}.{{patch}}' }
    ]
  ],
  [
    'a pre-release: every pattern gives the full version, unique; no latest',
    'push',
    'refs/tags/v1.3.0-rc.1',
    [SEMVER, MINOR],
    [],
    [{ tag: '1.3.0-rc.1', kind: 'unique', rule: SEMVER }]
  ],
  [
    'a suffix that names the commit makes a rolling pattern unique',
    'push',
    'refs/tags/v1.2.3',
    ['type=semver,pattern={{major}}.{{minor}},suffix=-{{sha}}'],
    ['latest=false'],
    [{ tag: '1.2-860c190', kind: 'unique', rule: 'type=semver,pattern={{major}}.{{minor}},suffix=-{{sha}}' }]
  ],
  [
    'pep440: {{major}}.{{minor}} rolls, {{version}} does not',
    'push',
    'refs/tags/v1.2.3',
    ['type=pep440,pattern={{version}}', 'type=pep440,pattern={{major}}.{{minor}}'],
    ['latest=false'],
    [
      { tag: '1.2.3', kind: 'unique', rule: 'type=pep440,pattern={{version}}' },
      { tag: '1.2', kind: 'rolling', rule: 'type=pep440,pattern={{major}}.{{minor}}' }
    ]
  ],
  [
    'match on a version: a group without the patch rolls; the git tag itself is unique',
    'push',
    'refs/tags/v1.2.3',
    ['type=match,pattern=v(\\d+\\.\\d+),group=1', 'type=ref,event=tag'],
    ['latest=false'],
    [
      { tag: '1.2', kind: 'rolling', rule: 'type=match,pattern=v(\\d+\\.\\d+),group=1' },
      { tag: 'v1.2.3', kind: 'unique', rule: 'type=ref,event=tag' }
    ]
  ],
  [
    'a branch: the branch tag, edge and {{branch}} roll; plain tags are fixed; a date is unique',
    'push',
    'refs/heads/master',
    ['type=ref,event=branch', 'type=edge', 'type=raw,value=stable', "type=raw,value={{date 'YYYYMMDD'}}"],
    [],
    [
      { tag: 'edge', kind: 'rolling', rule: 'type=edge' },
      { tag: 'master', kind: 'rolling', rule: 'type=ref,event=branch' },
      { tag: 'stable', kind: 'fixed', rule: 'type=raw,value=stable' },
      { tag: '20200110', kind: 'unique', rule: "type=raw,value={{date 'YYYYMMDD'}}" }
    ]
  ],
  [
    'two rules giving one tag: the strictest kind (a plain 1.2 stays immutable)',
    'push',
    'refs/tags/v1.2.3',
    [MINOR, '1.2'],
    ['latest=false'],
    [{ tag: '1.2', kind: 'fixed', rule: MINOR }]
  ],
  [
    'a pull request tag rolls',
    'pull_request',
    'refs/pull/15/merge',
    ['type=ref,event=pr'],
    [],
    [{ tag: 'pr-15', kind: 'rolling', rule: 'type=ref,event=pr' }]
  ],
  [
    'schedule: nightly rolls, a dated pattern is unique',
    'schedule',
    'refs/heads/master',
    ['type=schedule', "type=schedule,pattern=nightly-{{date 'YYYYMMDD'}}"],
    [],
    [
      { tag: 'nightly', kind: 'rolling', rule: 'type=schedule' },
      { tag: 'nightly-20200110', kind: 'unique', rule: "type=schedule,pattern=nightly-{{date 'YYYYMMDD'}}" }
    ]
  ]
]

describe('computeTags: each tag’s kind (what may move under the immutable policy)', () => {
  it.each(rows)('%s', (_what, event, ref, tags, flavor, expected) => {
    const r = computeTags({ tags, flavor }, githubContext(event, ref), { now: NOW })
    expect(r.computed).toEqual(expected)
    expect(r.tags).toEqual(expected.map(t => t.tag))
  })
})
