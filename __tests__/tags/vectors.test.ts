/**
 * Every §2.7 vector (docker/metadata-action meta.test.ts cases and derived D rows). Outputs are the
 * tag names for one image, in output order. The departures (sanitised/hashed tags, explicit-tag
 * errors) do not change any of these vectors.
 */
import { computeTags, imageTags, parseImages } from '../../src/tags/index.js'
import { NOW, SHA_INVALIDCHARS, githubContext, type Event } from './fixtures.js'
import { loadTagEngine } from '../../src/tags/index.js'

// the expression engine (Handlebars, moment-timezone) is loaded on demand; these tests render expressions
beforeAll(() => loadTagEngine())

type Row = [
  id: string,
  event: Event,
  ref: string,
  tags: string[],
  flavor: string[],
  expected: string[],
  sha?: string
]

const SEMVERS = [
  'type=semver,pattern={{version}}',
  'type=semver,pattern={{major}}.{{minor}}',
  'type=semver,pattern={{major}}'
]

const rows: Row[] = [
  ['push01', 'push', 'refs/heads/dev', [], [], ['dev']],
  ['push03', 'push', 'refs/heads/master', [], [], ['master']],
  ['push02', 'push', 'refs/heads/master', ['type=edge'], [], ['edge']],
  ['push07', 'push', 'refs/heads/dev', ['type=ref,event=branch', 'type=sha'], [], ['dev', 'sha-860c190']],
  ['push09', 'push', 'refs/heads/dev', ['type=edge,branch=dev', 'type=sha'], [], ['edge', 'sha-860c190']],
  ['push10', 'push', 'refs/heads/master', ['type=edge,branch=dev', 'type=sha'], [], ['sha-2665741']],
  [
    'push11',
    'push',
    'refs/heads/my/feature#1245',
    ['type=edge', 'type=sha'],
    [],
    ['sha-983315b'],
    SHA_INVALIDCHARS
  ],
  [
    'push12',
    'push',
    'refs/heads/my/feature#1245',
    ['type=semver,pattern={{version}}', 'type=pep440,pattern={{version}}', 'type=edge'],
    [],
    [],
    SHA_INVALIDCHARS
  ],
  [
    'push13',
    'push',
    'refs/heads/master',
    ['type=ref,priority=2000,event=branch', 'type=edge'],
    [],
    ['master', 'edge']
  ],
  [
    'push14',
    'push',
    'refs/heads/master',
    [
      'type=semver,pattern={{version}},value=v1.2.3',
      'type=pep440,pattern={{version}},value=v1.2.3',
      'type=edge'
    ],
    [],
    ['1.2.3', 'edge', 'latest']
  ],
  [
    'push16',
    'push',
    'refs/heads/master',
    ['type=match,enable=false,pattern=v(.*),group=1,value=v1.2.3', 'type=edge'],
    [],
    ['edge']
  ],
  [
    'push18',
    'push',
    'refs/heads/dev',
    ['type=ref,event=branch', 'type=sha,format=long'],
    [],
    ['dev', 'sha-860c1904a1ce19322e91ac35af1ab07466440c37']
  ],
  [
    'push22',
    'push',
    'refs/heads/dev',
    [
      'type=edge,branch=master',
      'type=sha,format=long',
      'type=raw,value=notdefbranch,enable={{is_not_default_branch}}'
    ],
    [],
    ['notdefbranch', 'sha-860c1904a1ce19322e91ac35af1ab07466440c37']
  ],
  ['tag01', 'push', 'refs/tags/release1', [], [], ['release1', 'latest']],
  ['tag02', 'push', 'refs/tags/20200110-RC2', [], [], ['20200110-RC2', 'latest']],
  [
    'tag04',
    'push',
    'refs/tags/20200110-RC2',
    ['type=match,pattern=(.*)-RC,group=1'],
    ['latest=false'],
    ['20200110']
  ],
  [
    'tag06',
    'push',
    'refs/tags/v1.1.1',
    ['type=match,"pattern=^v(\\d.\\d.\\d)$",group=1'],
    [],
    ['1.1.1', 'latest']
  ],
  [
    'tag09',
    'push',
    'refs/tags/v2.0.8-beta.67',
    ['type=match,"pattern=v(.*)-beta.(.*)",group=1', 'type=match,"pattern=v(.*)-beta.(.*)",group=2'],
    [],
    ['2.0.8', '67', 'latest']
  ],
  ['tag10', 'push', 'refs/tags/sometag', ['type=match,"pattern=\\d.\\d"'], [], []],
  ['tag11', 'push', 'refs/tags/v1.1.1', SEMVERS, [], ['1.1.1', '1.1', '1', 'latest']],
  [
    'tag13',
    'push',
    'refs/tags/v2.0.8-beta.67',
    ['type=semver,pattern={{major}}.{{minor}}', 'type=semver,pattern={{major}}'],
    [],
    ['2.0.8-beta.67']
  ],
  ['tag14', 'push', 'refs/tags/sometag', ['type=ref,event=tag', ...SEMVERS], ['latest=false'], ['sometag']],
  [
    'tag16',
    'push',
    'refs/tags/v1.1.1',
    ['type=raw,priority=2000,foo', 'type=ref,event=tag', 'type=edge'],
    [],
    ['foo', 'v1.1.1']
  ],
  [
    'tag20',
    'push',
    'refs/tags/v1.1.1',
    [
      'type=raw,{{tag}}-{{sha}}-foo',
      'type=raw,{{base_ref}}-foo',
      'type=raw,defbranch-foo,enable={{is_default_branch}}'
    ],
    [],
    ['v1.1.1-860c190-foo', 'master-foo']
  ],
  [
    'tag21',
    'push',
    'refs/tags/v1.1.1',
    ['type=semver,pattern={{version}}', 'type=semver,pattern={{major}}.{{minor}}.{{patch}}'],
    ['suffix=-dev,onlatest=true'],
    ['1.1.1-dev', 'latest-dev']
  ],
  [
    'tag22',
    'push',
    'refs/tags/v1.1.1',
    ['type=semver,pattern={{version}}', 'type=semver,pattern={{major}}.{{minor}}.{{patch}}'],
    ['prefix=foo-,onlatest=true', 'suffix=-dev,onlatest=true'],
    ['foo-1.1.1-dev', 'foo-latest-dev']
  ],
  [
    'tag23',
    'push',
    'refs/tags/v1.1.1',
    ['type=pep440,pattern={{raw}}', 'type=pep440,pattern={{major}}.{{minor}}'],
    [],
    ['v1.1.1', '1.1', 'latest']
  ],
  [
    'tag25',
    'push',
    'refs/tags/1.1beta2',
    ['type=pep440,pattern={{major}}.{{minor}}', 'type=pep440,pattern={{major}}'],
    [],
    ['1.1b2']
  ],
  [
    'tag26',
    'push',
    'refs/tags/1.0dev4',
    ['type=pep440,pattern={{major}}.{{minor}}', 'type=pep440,pattern={{major}}'],
    [],
    ['1.0.dev4']
  ],
  [
    'tag29',
    'push',
    'refs/tags/1.2post1',
    [
      'type=pep440,pattern={{version}}',
      'type=pep440,pattern={{major}}.{{minor}}',
      'type=pep440,pattern={{major}}'
    ],
    [],
    ['1.2.post1']
  ],
  ['tag31', 'push', 'refs/tags/v2.0.8-beta.67', ['type=semver,pattern={{raw}}'], [], ['v2.0.8-beta.67']],
  [
    'tag32',
    'push',
    'refs/tags/v1.2.3rc2',
    ['type=pep440,pattern={{raw}}', 'type=pep440,pattern={{major}}.{{minor}}'],
    [],
    ['v1.2.3rc2', '1.2.3rc2']
  ],
  [
    'tag34',
    'push',
    'refs/tags/p1/v1.0.0',
    ['type=semver,pattern={{version}},"match=v(\\d.\\d.\\d)$"'],
    [],
    ['1.0.0', 'latest']
  ],
  [
    'push35',
    'push',
    'refs/heads/master',
    [
      'type=semver,pattern={{version}},value=p1/v1.2.3,"match=v(\\d.\\d.\\d)$"',
      'type=pep440,pattern={{version}},value=p1/v1.2.3,"match=v(\\d.\\d.\\d)$"',
      'type=edge'
    ],
    [],
    ['1.2.3', 'edge', 'latest']
  ],
  [
    'latest06',
    'push',
    'refs/tags/v2.0.8-beta.67',
    ['type=match,"pattern=\\d.\\d.\\d"'],
    [],
    ['2.0.8', 'latest']
  ],
  ['latest07', 'push', 'refs/tags/v1.1.1', ['type=ref,event=tag'], ['latest=false'], ['v1.1.1']],
  ['pr01', 'pull_request', 'refs/pull/15/merge', [], [], ['pr-15']],
  [
    'pr03',
    'pull_request',
    'refs/pull/15/merge',
    ['type=ref,event=pr', 'type=sha'],
    [],
    ['pr-15', 'sha-a9c8c58']
  ],
  [
    'pr05',
    'pull_request',
    'refs/pull/15/merge',
    ['type=ref,event=pr'],
    ['prefix=glo-', 'suffix=-bal'],
    ['pr-15-bal']
  ],
  [
    'pr09',
    'pull_request_target',
    'refs/heads/master',
    ['type=ref,event=tag', 'type=ref,event=pr', 'type=ref,event=branch', 'type=sha', 'type=sha,format=long'],
    [],
    ['pr-15', 'sha-2665741', 'sha-266574110acf203503badf966df2ea24b5d732d7']
  ],
  [
    'pr12',
    'pull_request',
    'refs/pull/15/merge',
    ['type=raw,value={{commit_date YYYY-MM-DD-HHmmSS}}'],
    [],
    ['2020-01-10T00-30-00Z']
  ],
  ['schedule01', 'schedule', 'refs/heads/master', [], [], ['nightly', 'master']],
  [
    'schedule02',
    'schedule',
    'refs/heads/master',
    [
      "type=schedule,pattern={{date 'YYYYMMDD'}}",
      "type=schedule,pattern=source-date-{{commit_date 'YYYY-MM-DD'}}"
    ],
    [],
    ['20200110', 'source-date-2020-01-10']
  ],
  [
    'schedule07',
    'schedule',
    'refs/heads/master',
    ['type=schedule'],
    ['prefix=glo-', 'suffix=-bal'],
    ['glo-nightly-bal']
  ],
  [
    'release02',
    'release',
    'refs/tags/v1.1.1',
    [
      'type=ref,event=tag',
      'type=raw,value=baseref-{{base_ref}}',
      'type=raw,value=defbranch,enable={{is_default_branch}}'
    ],
    [],
    ['v1.1.1', 'baseref-', 'latest']
  ],
  [
    'raw07',
    'push',
    'refs/heads/dev',
    ['type=ref,priority=90,event=branch', 'type=raw,my', 'type=raw,custom', 'type=raw,tags'],
    ['latest=true'],
    ['my', 'custom', 'tags', 'dev', 'latest']
  ],
  [
    'raw10',
    'push',
    'refs/heads/dev',
    ['type=raw,foo', 'type=raw,bar,enable=false', 'type=raw,baz,enable=true'],
    ['latest=false'],
    ['foo', 'baz']
  ],
  ['D1', 'push', 'refs/heads/releases/v1', [], [], ['releases-v1']],
  ['D2', 'push', 'refs/heads/my/feature#1245', ['type=ref,event=branch'], [], ['my-feature-1245']],
  ['D3', 'push', 'refs/heads/Feature/ABC', ['type=ref,event=branch'], [], ['Feature-ABC']],
  ['D6', 'push', 'refs/tags/v0.1.2', ['type=semver,pattern={{major}}'], [], ['0', 'latest']],
  ['D8 semver', 'push', 'refs/tags/1.2', ['type=semver,pattern={{version}}'], [], []],
  ['D8 pep440', 'push', 'refs/tags/1.2', ['type=pep440,pattern={{version}}'], [], ['1.2', 'latest']]
]

describe('§2.7 vectors', () => {
  test.each(rows)('%s', (...[, event, ref, tags, flavor, expected, sha]: Row) => {
    const payload = ref.startsWith('refs/tags/') && event === 'push' ? { base_ref: 'refs/heads/master' } : {}
    const result = computeTags({ tags, flavor }, githubContext(event, ref, sha, payload), { now: NOW })
    expect(result.tags).toEqual(expected)
    expect(result.version).toBe(expected[0] ?? '')
    expect(result.latest).toBe(expected.length > 0 && /latest/.test(expected[expected.length - 1]))
  })

  test('latest08: images lower-cased on request, tags per image', () => {
    const result = computeTags(
      { tags: ['type=ref,event=tag'], flavor: ['latest=false'] },
      githubContext('push', 'refs/tags/v1.1.1'),
      {
        now: NOW
      }
    )
    const images = parseImages(['org/app', 'ghcr.io/MyUSER/MyApp'], { lowercase: true })
    expect(imageTags(images, result.tags)).toEqual(['org/app:v1.1.1', 'ghcr.io/myuser/myapp:v1.1.1'])
  })
})
