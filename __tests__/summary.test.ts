/**
 * The job summary through the action's entry point (issues 15, 22): `run()` with INPUT_* and GITHUB_*
 * as the runner sets them, real registries (one behind the fault proxy), and the GITHUB_STEP_SUMMARY
 * file compared whole for a success, a failure and a dry run that hits the tag policy. Date.now is
 * pinned so the seconds the summary reports are known (0.00); digests come from the seeded images.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runAction } from './helpers/action.js'
import { startRegistry, type TestRegistry } from './helpers/registry.js'
import { startProxy, type Proxy } from './helpers/proxy.js'
import { startGitHubApi } from './helpers/github-api.js'
import {
  blobOf,
  listTags,
  OCI_INDEX,
  OCI_MANIFEST,
  oddJson,
  pushBlob,
  pushImage,
  pushIndex,
  pushManifest,
  randomBlob,
  sha256,
  type SeededImage
} from './helpers/images.js'
import { formatBytes } from '../src/report/format.js'

const SHA = 'fedcba9876543210fedcba9876543210fedcba98'
const EMPTY = blobOf(Buffer.from('{}'), 'application/vnd.oci.empty.v1+json')

/** A cosign-style signature of `subject` and its referrers fallback index (tag `sha256-<hex>`). */
async function sign(
  url: string,
  repo: string,
  subject: SeededImage
): Promise<{ tag: string; blobs: number[]; digest: string }> {
  const sig = blobOf(Buffer.from('signed at staging'), 'application/vnd.dev.cosign.simplesigning.v1+json')
  await pushBlob(url, repo, EMPTY)
  await pushBlob(url, repo, sig)
  const bytes = oddJson({
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    artifactType: 'application/vnd.dev.cosign.artifact.sig.v1+json',
    config: { mediaType: EMPTY.mediaType, digest: EMPTY.digest, size: EMPTY.size },
    layers: [{ mediaType: sig.mediaType, digest: sig.digest, size: sig.size }],
    subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.bytes.length }
  })
  const digest = await pushManifest(url, repo, sha256(bytes), bytes, OCI_MANIFEST)
  const index = oddJson({
    schemaVersion: 2,
    mediaType: OCI_INDEX,
    manifests: [{ mediaType: OCI_MANIFEST, digest, size: bytes.length }]
  })
  const tag = `sha256-${subject.digest.slice('sha256:'.length)}`
  await pushManifest(url, repo, tag, index, OCI_INDEX)
  return { tag, blobs: [EMPTY.size, sig.size], digest }
}

describe('action: the job summary', () => {
  let regs: TestRegistry[]
  let proxy: Proxy
  let work: string
  const saved = { ...process.env }

  beforeAll(async () => {
    regs = await Promise.all([startRegistry(), startRegistry(), startRegistry()])
    proxy = await startProxy(regs[2].url)
    work = await mkdtemp(join(tmpdir(), 'pi-summary-'))
  })
  afterAll(async () => {
    process.env = saved
    await proxy.stop()
    await Promise.all(regs.map(r => r.stop()))
    await rm(work, { recursive: true, force: true })
  })

  /** One run of the action at a fixed clock (timings in the summary are then known). */
  const runSummary = (name: string, inputs: Record<string, string>, env: Record<string, string> = {}) =>
    runAction(
      work,
      name,
      inputs,
      {
        GITHUB_REPOSITORY: undefined,
        GITHUB_API_URL: undefined,
        GITHUB_RUN_ID: undefined,
        GITHUB_EVENT_PATH: undefined,
        GITHUB_REF: 'refs/tags/v1.0.0',
        GITHUB_SHA: SHA,
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_EVENT_NAME: 'release',
        ...env
      },
      { now: 1_800_000_000_000 }
    )

  it('success: verified targets, pull-by-digest references, a moved tag, platforms apart, referrers, statistics, deployment', async () => {
    const [staging, a, b] = regs
    const index = await pushIndex(staging.url, 'ci/app', 'rc-1', {
      platforms: [
        { os: 'linux', architecture: 'amd64' },
        { os: 'linux', architecture: 'arm', variant: 'v7<b>|*' }
      ],
      shared: [randomBlob(3000)],
      uniqueSize: 2000,
      attestation: true
    })
    const signature = await sign(staging.url, 'ci/app', index)
    const old = await pushImage(a.url, 'prod/app', [randomBlob(100)], { tag: 'latest' })
    const api = await startGitHubApi()
    let r
    try {
      r = await runSummary(
        'success',
        {
          source: `${staging.host}/ci/app:rc-1`,
          tags: 'v1.0.0\nlatest',
          targets: `${a.host}/prod/app\n${b.host}/mirror/app`,
          'deployment-environment': 'production',
          'github-token': 'ghs_summary_token'
        },
        { GITHUB_REPOSITORY: 'octo/app', GITHUB_API_URL: api.url, GITHUB_RUN_ID: '9' }
      )
    } finally {
      await api.stop()
    }
    expect(r.failed).toBeUndefined()
    const d = index.digest
    const blobs = index.blobs.length + signature.blobs.length
    const bytes = formatBytes(
      index.blobs.reduce((n, x) => n + x.size, 0) + signature.blobs.reduce((n, x) => n + x, 0)
    )
    // manifests: 3 children (2 platforms, 1 attestation), the index, the signature, its fallback index
    const stats = (t: string) =>
      `- <code>${t}</code>: ${blobs} blobs copied (${bytes}), 0 mounted, 0 skipped; 6 manifests pushed, 0 already there; 0.00 s`
    const short = (x: string) => x.slice(0, 'sha256:'.length + 12)
    const [ta, tb] = [`${a.host}/prod/app`, `${b.host}/mirror/app`]
    // issue 22: one row per target and one table of what travelled with the image, counted
    expect(r.summary).toBe(
      [
        '## ✅ app v1.0.0 promoted to 2 registries',
        '',
        `**Digest**: <code>${d}</code>, OCI image index`,
        '',
        `**From**: <code>${staging.host}/ci/app:rc-1</code>`,
        '',
        `**Release**: <code>refs/tags/v1.0.0</code> at commit <a href="https://github.com/octo/app/commit/${SHA}"><code>${SHA.slice(0, 7)}</code></a>`,
        '',
        '**Platforms**: <code>linux/amd64</code>, <code>linux/arm/v7&lt;b&gt;&#124;&#42;</code>',
        '',
        '**Attestations**: SLSA provenance of <code>linux/amd64</code>',
        '',
        '| target | result | tags |',
        '| --- | --- | --- |',
        `| <code>${ta}</code> | ✅ verified | <code>v1.0.0</code> created<br><code>latest</code> moved from <code>${short(old.digest)}</code> |`,
        `| <code>${tb}</code> | ✅ verified | <code>v1.0.0</code> created<br><code>latest</code> created |`,
        '',
        '**Pull by digest**:',
        '',
        '```text',
        `${ta}@${d}`,
        `${tb}@${d}`,
        '```',
        '',
        '### Referrers and signatures',
        '',
        '1 artifact at 2 targets: 2 copied, 0 already there.',
        '',
        '| artifact | digest | listed by | copied | already there |',
        '| --- | --- | --- | ---: | ---: |',
        `| cosign signature | <code>${short(signature.digest)}</code> | tag <code>${signature.tag.slice(0, 19)}…</code> | 2 | 0 |`,
        '',
        '<details><summary>Transfer statistics</summary>',
        '',
        stats(ta),
        stats(tb),
        '',
        `Read ${bytes} from the source; 0.00 s in all.`,
        '',
        '</details>',
        '',
        '**Deployment**: <a href="https://github.com/octo/app/deployments/production"><code>production</code></a> (id 1, success)',
        ''
      ].join('\n')
    )
    // issue 22: the log names each referrer and tag written, and ends with the one-line result
    const lines = r.log.trimEnd().split('\n')
    for (const t of [ta, tb])
      expect(lines).toEqual(
        expect.arrayContaining([
          `referrer ${signature.digest} (application/vnd.dev.cosign.artifact.sig.v1+json) of ${d} pushed to ${t}, listed by tag ${signature.tag}`,
          `referrers tag ${signature.tag} created at ${t}`
        ])
      )
    expect(lines.at(-1)).toBe(`promoted ${staging.host}/ci/app@${d} to 2 targets (tags v1.0.0, latest)`)
    expect(lines.filter(l => l.startsWith('::add-mask::'))).toEqual(['::add-mask::ghs_summary_token'])
    expect(await listTags(a.url, 'prod/app')).toEqual([signature.tag, 'latest', 'v1.0.0'].sort())
    expect(r.log).toContain(`copied ${bytes} of ${bytes} (100%), `)
    expect(r.log).toContain(` on average (${blobs} of ${blobs} blobs done)\n`)
  })

  it('a deployment the API refuses: the promotion stands (exit 0), and the summary says the deployment was not recorded and why (newuser finding 19)', async () => {
    const [staging, a] = regs
    await pushImage(staging.url, 'ci/dep', [randomBlob(300)], { tag: 'rc-1' })
    const api = await startGitHubApi()
    api.respond(() => api.answers.forbidden())
    let r
    try {
      r = await runSummary(
        'deployment-403',
        {
          source: `${staging.host}/ci/dep:rc-1`,
          tags: 'v1.0.0',
          targets: `${a.host}/prod/dep`,
          'deployment-environment': 'production',
          'github-token': 'ghs_deploy_token'
        },
        { GITHUB_REPOSITORY: 'octo/app', GITHUB_API_URL: api.url, GITHUB_RUN_ID: '9' }
      )
    } finally {
      await api.stop()
    }
    expect(r.failed).toBeUndefined()
    expect(r.outputs['deployment-id']).toBeUndefined()
    const why =
      `creating a GitHub deployment of ${SHA} to production in octo/app failed: ` +
      'HTTP 403 Resource not accessible by integration — the token needs the deployments: write permission ' +
      '(`permissions: deployments: write`)'
    expect(r.summary.split('\n').filter(l => l.startsWith('**Deployment**'))).toEqual([
      `**Deployment**: ⚠️ <code>production</code> not recorded: ${why.replace(/`/g, '&#96;').replace('(', '&#40;').replace(')', '&#41;')}`
    ])
    expect(r.summary.split('\n')[0]).toBe('## ✅ dep v1.0.0 promoted to 1 registry')
  })

  it('a failure at one target after the other was tagged: digest, staging-ref and promoted say what was promoted where (newuser finding 30)', async () => {
    const [staging, a] = regs
    const image = await pushImage(staging.url, 'ci/half', [randomBlob(3000)], { tag: 'rc-3' })
    // the proxied target takes the image, then refuses its tag
    proxy.setFault(req =>
      req.method === 'PUT' && /\/manifests\/(?!sha256:)/.test(req.url ?? '')
        ? { kind: 'respond', status: 403, body: '{"errors":[{"code":"DENIED","message":"tags are frozen"}]}' }
        : undefined
    )
    let r
    try {
      r = await runSummary('half', {
        source: `${staging.host}/ci/half:rc-3`,
        tags: 'v3\nv3.0',
        targets: `${a.host}/prod/half\n${proxy.host}/prod/half`
      })
    } finally {
      proxy.setFault(undefined)
    }
    expect(r.failed).toBe(1)
    expect(await listTags(a.url, 'prod/half')).toEqual(['v3', 'v3.0'])
    const d = image.digest
    // before: GITHUB_OUTPUT empty
    expect(r.outputs).toEqual({
      digest: d,
      'staging-ref': `${staging.host}/ci/half@${d}`,
      promoted: JSON.stringify([
        {
          target: `${a.host}/prod/half`,
          digest: d,
          tags: ['v3', 'v3.0'],
          references: [`${a.host}/prod/half@${d}`, `${a.host}/prod/half:v3`, `${a.host}/prod/half:v3.0`]
        }
      ])
    })
  })

  it('failure: the target that refuses writes and why (escaped), the other holds the image by digest, no tag anywhere', async () => {
    const [staging, a] = regs
    const image = await pushImage(staging.url, 'ci/svc', [randomBlob(5000)], { tag: 'rc-2' })
    const denied = JSON.stringify({
      errors: [{ code: 'DENIED', message: 'writes are <b>closed</b> | *maintenance*\n::notice::injected' }]
    })
    proxy.setFault(req =>
      req.method !== 'GET' && req.method !== 'HEAD'
        ? { kind: 'respond', status: 403, headers: { 'content-type': 'application/json' }, body: denied }
        : undefined
    )
    let r
    try {
      r = await runSummary('failure', {
        source: `${staging.host}/ci/svc:rc-2`,
        tags: 'v2.0.0',
        targets: `${a.host}/prod/svc\n${proxy.host}/prod/svc`
      })
    } finally {
      proxy.setFault(undefined)
    }
    expect(r.failed).toBe(1)
    const d = image.digest
    const bytes = formatBytes(image.blobs.reduce((n, x) => n + x.size, 0))
    const [ta, tp] = [`${a.host}/prod/svc`, `${proxy.host}/prod/svc`]
    expect(r.summary).toBe(
      [
        '## ❌ svc v2.0.0 not promoted: 1 of 2 targets failed',
        '',
        `**Failed at <code>${tp}</code>**: POST http&#58;//${tp.split('/')[0]}/v2/prod/svc/blobs/uploads/ answered 403: DENIED: writes are &lt;b&gt;closed&lt;/b&gt; &#124; &#42;maintenance&#42;<br>::notice::injected — the request was anonymous &#40;no credentials are configured for registry ${proxy.host}&#41; &#40;log in with docker/login-action &#40;registry: ${proxy.host}&#41; before this step, or add it to registry-auth&#41;`,
        '',
        'No tag was created or moved on any target: a re-run copies what is missing, then writes the tags.',
        '',
        `**Digest**: <code>${d}</code>, OCI image manifest`,
        '',
        `**From**: <code>${staging.host}/ci/svc:rc-2</code>`,
        '',
        `**Release**: <code>refs/tags/v1.0.0</code> at commit <code>${SHA}</code>`,
        '',
        '| target | result | tags |',
        '| --- | --- | --- |',
        `| <code>${ta}</code> | ☑️ holds the image, no tag | <code>v2.0.0</code> to create |`,
        `| <code>${tp}</code> | ❌ failed | <code>v2.0.0</code> to create |`,
        '',
        '**Pull by digest**:',
        '',
        '```text',
        `${ta}@${d}`,
        '```',
        '',
        '<details><summary>Transfer statistics</summary>',
        '',
        // newuser finding 23: what the failed run did move, in the past tense, beside the plan
        `- <code>${ta}</code>: 2 blobs copied (${bytes}), 0 mounted; holds the image (planned: 2 blobs to copy (${bytes}), 0 to mount, 0 to skip; 1 manifest to push, 0 already there)`,
        `- <code>${tp}</code>: 0 blobs copied (0 B), 0 mounted (planned: 2 blobs to copy (${bytes}), 0 to mount, 0 to skip; 1 manifest to push, 0 already there)`,
        '',
        '</details>',
        ''
      ].join('\n')
    )
    // the registry's text reached the log only inside escaped workflow commands
    expect(r.log.split('\n').filter(l => l.startsWith('::notice::'))).toEqual([])
    expect(r.log).toContain('maintenance*%0A::notice::injected')
    expect(await listTags(a.url, 'prod/svc')).toEqual([])
    expect(await listTags(regs[2].url, 'prod/svc')).toEqual([])
  })

  it('dry run with a tag-policy violation: plan only, the refused move and the digest it would leave', async () => {
    const [staging, a] = regs
    const image = await pushImage(staging.url, 'ci/web', [randomBlob(1500)], { tag: 'rc-3' })
    const old = await pushImage(a.url, 'prod/web', [randomBlob(700)], { tag: 'v3' })
    const r = await runSummary('dry-run', {
      source: `${staging.host}/ci/web:rc-3`,
      tags: 'v3\nv3.1',
      targets: `${a.host}/prod/web`,
      'dry-run': 'true'
    })
    expect(r.failed).toBe(1)
    const d = image.digest
    const t = `${a.host}/prod/web`
    const bytes = formatBytes(image.blobs.reduce((n, x) => n + x.size, 0))
    expect(r.summary).toBe(
      [
        '## 📋 web v3.1 would not be promoted: the tag policy would refuse 1 tag',
        '',
        'The tag policy <code>immutable</code> would refuse 1 tag already pointing at another image:',
        '',
        '| tags | at | points at |',
        '| --- | --- | --- |',
        `| <code>v3</code> | <code>${t}</code> | <code>${old.digest.slice(0, 19)}</code> |`,
        '',
        'To promote it:',
        '',
        '- promote it under tags that no target holds yet: those are created, never refused (a new version would give this tag again);',
        '- or let this tag move on purpose: <code>moving-tags: latest,edge,v3</code> (the others stay immutable);',
        '- or <code>tag-policy: overwrite</code>: every tag may move.',
        '',
        '**Dry run**: nothing was written; this is what the promotion would do.',
        '',
        `**Digest**: <code>${d}</code>, OCI image manifest`,
        '',
        `**From**: <code>${staging.host}/ci/web:rc-3</code>`,
        '',
        `**Release**: <code>refs/tags/v1.0.0</code> at commit <code>${SHA}</code>`,
        '',
        '| target | result | tags |',
        '| --- | --- | --- |',
        `| <code>${t}</code> | ⛔ would be refused | <code>v3</code> to move from <code>${old.digest.slice(0, 19)}</code> ⛔<br><code>v3.1</code> to create |`,
        '',
        '**By digest, once promoted**:',
        '',
        '```text',
        `${t}@${d}`,
        '```',
        '',
        '<details><summary>Transfer statistics</summary>',
        '',
        `- <code>${t}</code>: 2 blobs to copy (${bytes}), 0 to mount, 0 to skip; 1 manifest to push, 0 already there`,
        '',
        '</details>',
        ''
      ].join('\n')
    )
    // each remedy the summary gives works: the same dry run with it plans the move, refusing nothing
    const remedies: Array<Record<string, string>> = [
      { 'moving-tags': 'latest,edge,v3' },
      { 'tag-policy': 'overwrite' }
    ]
    for (const remedy of remedies) {
      const again = await runSummary('dry-run-remedy', {
        source: `${staging.host}/ci/web:rc-3`,
        tags: 'v3\nv3.1',
        targets: t,
        'dry-run': 'true',
        ...remedy
      })
      expect(again.failed).toBeUndefined()
      expect(again.summary.split('\n')[0]).toBe('## 📋 web v3.1 would be promoted to 1 registry')
      expect(again.log.trimEnd().split('\n').at(-1)).toBe(
        `would promote ${staging.host}/ci/web@${d} to 1 target (tags v3, v3.1) (dry run: nothing written)`
      )
    }
    expect(await listTags(a.url, 'prod/web')).toEqual(['v3'])
  })
})
