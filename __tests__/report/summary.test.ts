/** summaryMarkdown for the outcomes the entry-point tests (__tests__/summary.test.ts) do not reach. */
import { describe, expect, it } from '@jest/globals'
import { PromoteError, TagPolicyError, type PromotePlan } from '../../src/copy/promote.js'
import { InterruptedError } from '../../src/copy/interrupt.js'
import { BuildError } from '../../src/build/driver.js'
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
        '**Branch**: <code>&lt;main&gt;</code> at commit <code>abc123</code>',
        ''
      ].join('\n')
    )
  })

  // newuser6 #8, before: '## ❌ Promotion failed' for a build that failed before any promotion began
  it('a failed build: the headline says the build, and that no target was written to', () => {
    const r: RunReport = {
      dryRun: false,
      release: {},
      error: new BuildError(
        '/usr/bin/docker build exited 1 at step [2/2] RUN false',
        '#6 ERROR: exit code: 1'
      )
    }
    expect(summaryMarkdown(r)).toBe(
      [
        '## ❌ Build failed',
        '',
        '/usr/bin/docker build exited 1 at step &#91;2/2&#93; RUN false<br>&#35;6 ERROR: exit code: 1',
        '',
        'Nothing was promoted to any target.',
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
    expect(text.split('\n').slice(0, 16)).toEqual([
      '## ❌ app v1: 1 of 2 targets failed',
      '',
      '**Failed at <code>b.example/app</code>**: PUT answered 500',
      '',
      `**Digest**: <code>${D}</code>, OCI image manifest`,
      '',
      '**From**: <code>stage.example/app:rc</code>',
      '',
      '| target | result | tags |',
      '| --- | --- | --- |',
      '| <code>a.example/app</code> | ✅ complete | <code>v1</code> created |',
      '| <code>b.example/app</code> | ❌ failed | <code>v1</code> to create |',
      '',
      '**Pull by digest**:',
      '',
      '```text'
    ])
    expect(text).not.toContain('No tag was created or moved')
  })

  it('a tag-policy refusal in a real run: each refused tag once, where, the remedies, then nothing written', () => {
    const v = (t: string) => `${t}:v1 points at ${OLD}; promoting ${D} would move it`
    const p = plan(false, [v('a.example/app')])
    p.targets[1] = { ...p.targets[1], tags: p.targets[0].tags, violations: [v('b.example/app')] }
    const error = new TagPolicyError([v('a.example/app'), v('b.example/app')], p)
    const text = summaryMarkdown({ ...base, plan: p, error, movingTags: ['latest'] })
    expect(text.split('\n').slice(0, 22)).toEqual([
      '## ❌ app v1 not promoted: the tag policy refused 1 tag',
      '',
      'The tag policy <code>immutable</code> refused 1 tag already pointing at another image:',
      '',
      '| tags | at | points at |',
      '| --- | --- | --- |',
      '| <code>v1</code> | <code>a.example/app</code><br><code>b.example/app</code> | <code>sha256:000000000000</code> |',
      '',
      'To promote it:',
      '',
      '- promote it under tags that no target holds yet: those are created, never refused (a new version would give this tag again);',
      '- or let this tag move on purpose: <code>moving-tags: latest,v1</code> (the others stay immutable);',
      '- or <code>tag-policy: overwrite</code>: every tag may move.',
      '',
      'Nothing was written to any target.',
      '',
      `**Digest**: <code>${D}</code>, OCI image manifest`,
      '',
      '**From**: <code>stage.example/app:rc</code>',
      '',
      '| target | result | tags |',
      '| --- | --- | --- |'
    ])
    expect(text.match(/points at/g)).toHaveLength(1)
  })

  it('refused tags share a row when refused at the same targets over the same digest, else each has its own', () => {
    const OTHER = `sha256:${'2'.repeat(64)}`
    const tags = [
      { tag: 'v1.0.0', action: 'move' as const, from: OLD },
      { tag: 'v1', action: 'move' as const, from: OLD },
      { tag: 'stable', action: 'move' as const, from: OTHER }
    ]
    const v = (t: string, tag: string, from: string) =>
      `${t}:${tag} points at ${from}; promoting ${D} would move it`
    const p = plan()
    p.targets[0] = {
      ...p.targets[0],
      tags,
      violations: tags.map(x => v('a.example/app', x.tag, x.from))
    }
    p.targets[1] = {
      ...p.targets[1],
      tags: tags.slice(0, 2),
      violations: tags.slice(0, 2).map(x => v('b.example/app', x.tag, x.from))
    }
    const error = new TagPolicyError([...p.targets[0].violations, ...p.targets[1].violations], p)
    const text = summaryMarkdown({ ...base, plan: p, error })
    expect(text.split('\n').slice(0, 8)).toEqual([
      '## ❌ app v1.0.0 not promoted: the tag policy refused 3 tags',
      '',
      'The tag policy <code>immutable</code> refused 3 tags already pointing at another image:',
      '',
      '| tags | at | points at |',
      '| --- | --- | --- |',
      '| <code>v1.0.0</code>, <code>v1</code> | <code>a.example/app</code><br><code>b.example/app</code> | <code>sha256:000000000000</code> |',
      '| <code>stable</code> | <code>a.example/app</code> | <code>sha256:222222222222</code> |'
    ])
  })

  it('a refused cosign tag: the source given every signature, or overwrite (moving-tags never applies to cosign tags)', () => {
    const sig = `sha256-${'d'.repeat(64)}.sig`
    const p = plan(false, [
      `a.example/app:${sig} holds other signatures (${OLD}); promoting would replace them with ${D}`
    ])
    p.targets[0] = {
      ...p.targets[0],
      tags: [{ tag: 'v1', action: 'create' }],
      signatureTags: [{ tag: sig, action: 'move', from: OLD, digest: D, artifactType: 'cosign' }]
    }
    const text = summaryMarkdown({ ...base, plan: p, error: new TagPolicyError(p.targets[0].violations, p) })
    expect(text).toContain(
      [
        '| <code>sha256-dddddddddddd….sig</code> (cosign signatures) | <code>a.example/app</code> | <code>sha256:000000000000</code> |',
        '',
        'To promote it:',
        '',
        "- give the source's cosign tag every signature the target holds there (<code>cosign sign</code> or <code>cosign attach signature</code> at the source), then re-run: a cosign tag that keeps every signature held there moves under any tag policy;",
        '- or <code>tag-policy: overwrite</code>: every tag may move, and cosign tags are replaced (the signatures the target holds there now are dropped).',
        '',
        'Nothing was written to any target.'
      ].join('\n')
    )
  })

  it('a dry run without violations: what would happen, nothing written', () => {
    const r: RunReport = { ...base, dryRun: true, plan: plan(true) }
    expect(outcomeOf(r)).toBe('plan')
    expect(summaryMarkdown(r).split('\n').slice(0, 3)).toEqual([
      '## 📋 app v1 would be promoted to 2 registries',
      '',
      '**Dry run**: nothing was written; this is what the promotion would do.'
    ])
  })

  it('a dry run that built: nothing written to the targets, the build pushed to staging (newuser finding 34)', () => {
    const built = { reference: 'stage.example/app:sha-0123456789ab-bf4443f7', digest: D }
    const r: RunReport = { ...base, dryRun: true, plan: plan(true), built }
    // before: "nothing was written", although the build pushed to staging
    expect(summaryMarkdown(r).split('\n').slice(0, 3)).toEqual([
      '## 📋 app v1 would be promoted to 2 registries',
      '',
      '**Dry run**: nothing was written to the targets; the build pushed <code>stage.example/app:sha-0123456789ab-bf4443f7</code> to the staging registry; this is what the promotion would do.'
    ])
  })

  it('an interrupted run: the table says what the message says, per target (newuser finding 29)', () => {
    const status = (reference: string, holdsImage: boolean) => ({
      reference,
      holdsImage,
      tagged: [],
      blobsCopied: 0,
      blobsMounted: 0,
      bytesCopied: 0
    })
    const landing = {
      target: 'a.example/app',
      blobsLanded: 1,
      blobsPlanned: 2,
      bytesLanded: 455,
      sessionsLeft: 0
    }
    const error = new InterruptedError(
      'SIGINT',
      [landing, { ...landing, target: 'b.example/app', blobsLanded: 2, blobsPlanned: 2 }],
      [status('a.example/app', false), status('b.example/app', true)],
      ['a.example/app: …', 'b.example/app: …']
    )
    const text = summaryMarkdown({ ...base, plan: plan(), error })
    // before: "❔ unknown: see the log" for both
    expect(text).toContain(
      [
        '| target | result | tags |',
        '| --- | --- | --- |',
        '| <code>a.example/app</code> | ➖ interrupted: 1 of 2 blobs landed, no tag | <code>v1</code> to create |',
        '| <code>b.example/app</code> | ☑️ interrupted: holds the image, no tag | <code>v1</code> to create |'
      ].join('\n')
    )
  })

  it('references over 110 characters: a list of inline code, each free to wrap before its @ only', () => {
    const long = 'registry.example/octo-org/mirror/payments/checkout-canary'
    const p = plan(true)
    p.targets[1] = { ...p.targets[1], target: long }
    const text = summaryMarkdown({ ...base, dryRun: true, plan: p })
    expect(text).toContain(
      [
        '**By digest, once promoted**:',
        '',
        `- <code>a.example/app<wbr>@${D}</code>`,
        `- <code>${long}<wbr>@${D}</code>`,
        ''
      ].join('\n')
    )
  })

  it('a run without targets: nothing promoted; staged only when this run built it (newuser3 finding 13)', () => {
    const p: PromotePlan = { ...plan(), targets: [] }
    const result = { digest: D, mediaType: M, plan: p, targets: [], bytesRead: 0, seconds: 0.5 }
    const built = { reference: 'stage.example/app:rc', digest: D }
    expect(summaryMarkdown({ ...base, result, built }).split('\n')[0]).toBe('## ✅ app staged')
    // before: '## ✅ app staged', though a given source was not staged by this run
    expect(summaryMarkdown({ ...base, result })).toBe(
      [
        '## ✅ app: no targets, nothing promoted',
        '',
        'No targets: nothing was promoted.',
        '',
        `**Digest**: <code>${D}</code>, OCI image manifest`,
        '',
        '**From**: <code>stage.example/app:rc</code>',
        ''
      ].join('\n')
    )
  })

  it('an error after the promotion: promoted, then the step failed (newuser finding 40)', () => {
    const result = { digest: D, mediaType: M, plan: plan(), targets: [], bytesRead: 0, seconds: 0.5 }
    const error = new Error('Missing file at path: /nope/output')
    // before: "## ❌ app v1 not promoted", the targets "❔ unknown: see the log"
    const lines = summaryMarkdown({ ...base, result, error }).split('\n')
    expect(lines.slice(0, 3)).toEqual([
      '## ⚠️ app v1 promoted to 2 registries; then the step failed',
      '',
      '**Then failed**: Missing file at path: /nope/output'
    ])
    expect(lines.filter(l => l.startsWith('| <code>'))).toEqual([
      '| <code>a.example/app</code> | ⚠️ not verified | <code>v1</code> created |',
      '| <code>b.example/app</code> | ⚠️ not verified | <code>v1</code> created |'
    ])
  })

  it('a merge run: the headline says merged and promoted, the line under it how many platform images into which index, written or already there', () => {
    const I = 'application/vnd.oci.image.index.v1+json'
    const p: PromotePlan = {
      ...plan(),
      source: {
        reference: 'stage.example/app:sha-0123',
        digest: D,
        mediaType: I,
        platforms: ['linux/amd64', 'linux/arm64']
      }
    }
    const targets = p.targets.map(t => ({
      target: t.target,
      blobsCopied: 1,
      blobsMounted: 0,
      blobsSkipped: 0,
      bytesCopied: 10,
      manifestsPushed: 1,
      tags: t.tags,
      seconds: 0.5,
      verified: true
    }))
    const result = { digest: D, mediaType: I, plan: p, targets, bytesRead: 10, seconds: 0.5 }
    const merge = {
      reference: 'stage.example/app:sha-0123',
      digest: D,
      platforms: ['linux/amd64', 'linux/arm64'],
      written: true
    }
    const r: RunReport = {
      ...base,
      source: { display: 'stage.example/app:sha-0123', digest: D },
      result,
      merge
    }
    expect(summaryMarkdown(r).split('\n').slice(0, 14)).toEqual([
      '## ✅ app v1 merged and promoted to 2 registries',
      '',
      `**Merged**: 2 platform images into index <code>${D.slice(0, 19)}</code>, written at <code>stage.example/app:sha-0123</code>.`,
      '',
      `**Digest**: <code>${D}</code>, OCI image index`,
      '',
      '**From**: <code>stage.example/app:sha-0123</code>',
      '',
      '**Platforms**: <code>linux/amd64</code>, <code>linux/arm64</code>',
      '',
      '| target | result | tags |',
      '| --- | --- | --- |',
      '| <code>a.example/app</code> | ✅ verified | <code>v1</code> created |',
      '| <code>b.example/app</code> | ✅ verified | <code>v1</code> created |'
    ])
    // a re-run: the tag already served the index
    expect(summaryMarkdown({ ...r, merge: { ...merge, written: false } }).split('\n')[2]).toBe(
      `**Merged**: 2 platform images into index <code>${D.slice(0, 19)}</code>, already at <code>stage.example/app:sha-0123</code> (not written again).`
    )
    // no targets: merged at staging, not "staged"
    const alone = { ...result, plan: { ...p, targets: [] }, targets: [] }
    expect(
      summaryMarkdown({ ...r, result: alone })
        .split('\n')
        .slice(0, 5)
    ).toEqual([
      '## ✅ app merged at staging',
      '',
      'No targets: nothing was promoted.',
      '',
      `**Merged**: 2 platform images into index <code>${D.slice(0, 19)}</code>, written at <code>stage.example/app:sha-0123</code>.`
    ])
  })

  it('a summary over 1 MiB is cut at a line, its code block closed, with a note of what was cut', () => {
    const many = Array.from({ length: 9000 }, (_, i) => ({
      subject: D,
      digest: `sha256:${i.toString(16).padStart(64, '0')}`,
      artifactType: `application/x-${'y'.repeat(200)}`,
      listedBy: 'referrers API',
      action: 'push' as const
    }))
    const p = plan()
    p.targets[0] = { ...p.targets[0], referrers: many }
    const text = summaryMarkdown({ ...base, dryRun: true, plan: { ...p, dryRun: true } })
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(1024 * 1024)
    expect(text).toMatch(
      /\n\n✂️ \*\*Cut\*\*: GitHub keeps 1048576 bytes of a job summary; this one had \d+, so its last \d+ lines are left out\. The job log and the `plan` output hold every detail\.\n$/
    )
    // the artifact type is clipped to 120 characters in each row
    expect(text).toContain(`<code>application/x-${'y'.repeat(105)}…</code>`)
  })

  it('an error that is not the engine’s after the plan: state unknown', () => {
    const text = summaryMarkdown({ ...base, plan: plan(), error: new Error('socket hang up') })
    expect(text).toContain(
      '| <code>a.example/app</code> | ❔ unknown: see the log | <code>v1</code> to create |'
    )
    expect(text.split('\n').slice(0, 3)).toEqual(['## ❌ app v1 not promoted', '', 'socket hang up'])
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
