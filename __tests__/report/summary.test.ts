/** summaryMarkdown for the outcomes the entry-point tests (__tests__/summary.test.ts) do not reach. */
import { describe, expect, it } from '@jest/globals'
import { PromoteError, TagPolicyError, type PromotePlan } from '../../src/copy/promote.js'
import {
  deploymentsUrl,
  outcomeOf,
  releaseOf,
  summaryMarkdown,
  type RunReport
} from '../../src/report/summary.js'

const D = `sha256:${'d'.repeat(64)}`
const OLD = `sha256:${'0'.repeat(64)}`
const M = 'application/vnd.oci.image.manifest.v1+json'

function plan(dryRun = false, violations: string[] = []): PromotePlan {
  const target = (name: string, v: string[]) => ({
    target: name,
    blobs: { skip: [], mount: [], copy: [{ digest: `sha256:${'1'.repeat(64)}`, size: 10 }] },
    bytesToCopy: 10,
    manifests: { push: [D], present: [] },
    tags: [
      {
        tag: 'v1',
        action: v.length ? ('move' as const) : ('create' as const),
        from: v.length ? OLD : undefined
      }
    ],
    referrerTags: [],
    violations: v
  })
  return {
    source: { reference: 'stage.example/app:rc', digest: D, mediaType: M, platforms: [] },
    targets: [target('a.example/app', violations), target('b.example/app', [])],
    dryRun
  }
}

const base: RunReport = { dryRun: false, release: {}, source: { display: 'stage.example/app:rc', digest: D } }

describe('summaryMarkdown', () => {
  it('a failure before anything is known: the headline and the escaped message', () => {
    const r: RunReport = {
      dryRun: false,
      release: releaseOf({ GITHUB_REF: 'refs/heads/<main>', GITHUB_SHA: 'abc123' }),
      error: new Error('input "tags": bad *tag*\nsecond line')
    }
    expect(outcomeOf(r)).toBe('failed')
    expect(summaryMarkdown(r)).toBe(
      [
        '## ❌ Promotion failed',
        '',
        'input &quot;tags&quot;: bad &#42;tag&#42;<br>second line',
        '',
        '**Release**: <code>refs/heads/&lt;main&gt;</code> at commit <code>abc123</code>',
        ''
      ].join('\n')
    )
  })

  it('a failure at the tag step: the other target is complete, no claim that no tag moved', () => {
    const p = plan()
    const e = new PromoteError('b.example/app: PUT answered 500', [
      { target: 'b.example/app', error: new Error('PUT answered 500') }
    ])
    const text = summaryMarkdown({ ...base, plan: p, error: e })
    expect(text).toContain('### ✅ <code>a.example/app</code>\n\nComplete: tags written and verified.\n')
    expect(text).toContain('### ❌ <code>b.example/app</code>\n\nFailed: PUT answered 500\n')
    expect(text).toContain('Complete: tags written and verified.\n\nPull by digest: <code>a.example/app@')
    expect(text).toContain(
      '| tag | action | moved from |\n| --- | --- | --- |\n| <code>v1</code> | create |  |'
    )
    expect(text).toContain('| tag | planned action | moved from |')
    expect(text).not.toContain('No tag was created or moved')
  })

  it('a tag-policy refusal in a real run: failed, nothing written', () => {
    const p = plan(false, [`a.example/app:v1 points at ${OLD}; promoting ${D} would move it`])
    const text = summaryMarkdown({ ...base, plan: p, error: new TagPolicyError(p.targets[0].violations, p) })
    expect(text.split('\n').slice(0, 3)).toEqual([
      '## ❌ Promotion failed',
      '',
      `tag policy &quot;immutable&quot; refuses to move tags:<br>  a.example/app:v1 points at ${OLD}; promoting ${D} would move it`
    ])
    expect(text).toContain(`### ⛔ <code>a.example/app</code>\n\n⛔ a.example/app:v1 points at ${OLD}`)
    expect(text).toContain('\nNothing was written to any target.\n')
  })

  it('a dry run without violations: plan only, nothing written', () => {
    const r: RunReport = { ...base, dryRun: true, plan: plan(true) }
    expect(outcomeOf(r)).toBe('plan')
    expect(summaryMarkdown(r).split('\n').slice(0, 3)).toEqual([
      '## 📋 Plan only (dry run)',
      '',
      'Nothing was written.'
    ])
  })

  it('a run without targets: staged, nothing promoted', () => {
    const p: PromotePlan = { ...plan(), targets: [] }
    const result = { digest: D, mediaType: M, plan: p, targets: [], bytesRead: 0, seconds: 0.5 }
    expect(summaryMarkdown({ ...base, result })).toBe(
      [
        `## ✅ Staged <code>${D}</code>`,
        '',
        'No targets: nothing was promoted.',
        '',
        `**Source**: <code>stage.example/app:rc</code> = <code>${D}</code> (<code>${M}</code>)`,
        ''
      ].join('\n')
    )
  })

  it('an error that is not the engine’s after the plan: state unknown', () => {
    const text = summaryMarkdown({ ...base, plan: plan(), error: new Error('socket hang up') })
    expect(text).toContain('### ❔ <code>a.example/app</code>\n\nState unknown: see the log.\n')
  })
})

describe('releaseOf, deploymentsUrl', () => {
  it.each([
    [{}, { ref: undefined, sha: undefined, commitUrl: undefined }],
    [
      { GITHUB_REF: 'refs/tags/v1', GITHUB_SHA: 'abc', GITHUB_REPOSITORY: 'o/r' },
      { ref: 'refs/tags/v1', sha: 'abc', commitUrl: 'https://github.com/o/r/commit/abc' }
    ],
    [
      { GITHUB_SHA: 'abc', GITHUB_REPOSITORY: 'o/r', GITHUB_SERVER_URL: 'https://ghe.example' },
      { ref: undefined, sha: 'abc', commitUrl: 'https://ghe.example/o/r/commit/abc' }
    ]
  ])('%j', (env, release) => expect(releaseOf(env)).toEqual(release))

  it('links the environment page', () => {
    expect(deploymentsUrl({ GITHUB_REPOSITORY: 'o/r' }, 'prod eu')).toBe(
      'https://github.com/o/r/deployments/prod%20eu'
    )
    expect(deploymentsUrl({}, 'prod')).toBeUndefined()
  })
})
