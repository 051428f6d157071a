/**
 * The job summary through the action's entry point (issue 15): `run()` with INPUT_* and GITHUB_*
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
    const stats = (t: string) => `| <code>${t}</code> | 0 | 0 | ${blobs} | ${bytes} | 6 | 0.00 |`
    const section = (t: string, moved: string) => [
      `### ✅ <code>${t}</code>`,
      '',
      `Verified: serves <code>${d}</code> by digest and under every tag.`,
      '',
      `Pull by digest: <code>${t}@${d}</code>`,
      '',
      '| tag | action | moved from |',
      '| --- | --- | --- |',
      '| <code>v1.0.0</code> | create |  |',
      `| <code>latest</code> | ${moved} |`,
      '',
      `Referrers and signatures copied: <code>${signature.tag}</code> (create)`,
      '',
      // issue 12: each referrer that travels, with its artifact type, its subject and how it is listed
      '| referrer or signature tag | artifact type | of / digest | listed by | action |',
      '| --- | --- | --- | --- | --- |',
      `| <code>${signature.digest}</code> | <code>application/vnd.dev.cosign.artifact.sig.v1+json</code> | <code>${d}</code> | <code>${signature.tag}</code> | push |`,
      ''
    ]
    expect(r.summary).toBe(
      [
        `## ✅ Promoted <code>${d}</code> to 2 targets`,
        '',
        `**Source**: <code>${staging.host}/ci/app:rc-1</code> = <code>${d}</code> (<code>${OCI_INDEX}</code>)`,
        '',
        `**Release**: <code>refs/tags/v1.0.0</code> at commit <a href="https://github.com/octo/app/commit/${SHA}"><code>${SHA}</code></a>`,
        '',
        '**Platforms**: <code>linux/amd64</code>, <code>linux/arm/v7&lt;b&gt;&#124;&#42;</code>',
        '',
        '**Attestations**: <code>unknown/unknown</code> manifests (build provenance, SBOM), not platforms',
        '',
        ...section(`${a.host}/prod/app`, `move | <code>${old.digest}</code>`),
        ...section(`${b.host}/mirror/app`, 'create | '),
        '<details><summary>Transfer statistics</summary>',
        '',
        '| target | blobs skipped | mounted | copied | bytes copied | manifests pushed | seconds |',
        '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
        stats(`${a.host}/prod/app`),
        stats(`${b.host}/mirror/app`),
        '',
        `Read ${bytes} from the source; 0.00 s in all.`,
        '',
        '</details>',
        '',
        '**Deployment**: <a href="https://github.com/octo/app/deployments/production"><code>production</code></a> (id 1, success)',
        ''
      ].join('\n')
    )
    expect(await listTags(a.url, 'prod/app')).toEqual([signature.tag, 'latest', 'v1.0.0'].sort())
    expect(r.log).toContain(`copied ${bytes} of ${bytes} (100%), `)
    expect(r.log).toContain(` on average (${blobs} of ${blobs} blobs done)\n`)
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
    const planned = (mark: string, t: string, line: string, pull: string[]) => [
      `### ${mark} <code>${t}</code>`,
      '',
      line,
      '',
      ...pull,
      '| tag | planned action | moved from |',
      '| --- | --- | --- |',
      '| <code>v2.0.0</code> | create |  |',
      '',
      'Referrers and signatures: none',
      ''
    ]
    expect(r.summary).toBe(
      [
        '## ❌ Promotion failed',
        '',
        '1 of 2 targets failed.',
        '',
        `**Source**: <code>${staging.host}/ci/svc:rc-2</code> = <code>${d}</code> (<code>${OCI_MANIFEST}</code>)`,
        '',
        `**Release**: <code>refs/tags/v1.0.0</code> at commit <code>${SHA}</code>`,
        '',
        ...planned('☑️', `${a.host}/prod/svc`, 'Holds the whole image by digest; no tag written.', [
          `Pull by digest: <code>${a.host}/prod/svc@${d}</code>`,
          ''
        ]),
        ...planned(
          '❌',
          `${proxy.host}/prod/svc`,
          `Failed: POST http&#58;//${proxy.host}/v2/prod/svc/blobs/uploads/ answered 403: DENIED: writes are &lt;b&gt;closed&lt;/b&gt; &#124; &#42;maintenance&#42;<br>::notice::injected — registry ${proxy.host} denied anonymous access &#40;no credentials are configured for it&#41;`,
          [`By digest, once promoted: <code>${proxy.host}/prod/svc@${d}</code>`, '']
        ),
        'No tag was created or moved on any target: a re-run copies what is missing, then writes the tags.',
        '',
        '<details><summary>Transfer statistics</summary>',
        '',
        '| target | blobs to skip | mount | copy | bytes to copy | manifests to push | present |',
        '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
        `| <code>${a.host}/prod/svc</code> | 0 | 0 | 2 | ${bytes} | 1 | 0 |`,
        `| <code>${proxy.host}/prod/svc</code> | 0 | 0 | 2 | ${bytes} | 1 | 0 |`,
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
        '## 📋 Plan only (dry run)',
        '',
        'Nothing was written. The tag policy refuses 1 tag move: the promotion would fail before any write.',
        '',
        `**Source**: <code>${staging.host}/ci/web:rc-3</code> = <code>${d}</code> (<code>${OCI_MANIFEST}</code>)`,
        '',
        `**Release**: <code>refs/tags/v1.0.0</code> at commit <code>${SHA}</code>`,
        '',
        `### ⛔ <code>${t}</code>`,
        '',
        `⛔ ${t}:v3 points at ${old.digest}; promoting ${d} would move it`,
        '',
        `By digest, once promoted: <code>${t}@${d}</code>`,
        '',
        '| tag | planned action | moved from |',
        '| --- | --- | --- |',
        `| <code>v3</code> | move | <code>${old.digest}</code> |`,
        '| <code>v3.1</code> | create |  |',
        '',
        'Referrers and signatures: none',
        '',
        '<details><summary>Transfer statistics</summary>',
        '',
        '| target | blobs to skip | mount | copy | bytes to copy | manifests to push | present |',
        '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
        `| <code>${t}</code> | 0 | 0 | 2 | ${bytes} | 1 | 0 |`,
        '',
        '</details>',
        ''
      ].join('\n')
    )
    expect(await listTags(a.url, 'prod/web')).toEqual(['v3'])
  })
})
