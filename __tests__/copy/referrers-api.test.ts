/**
 * What travels with an image (issue 12), on real registries: distribution 2.8 (no referrers API:
 * the fallback tag schema) and the test server of ours that implements the referrers API in front
 * of a real docker-registry (helpers/referrers-api.ts). Artifacts are small OCI manifests with
 * `subject` and `artifactType`; cosign's `.sig` / `.att` / `.sbom` tags are plain manifests.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createRegistryClient } from '../../src/registry/factory.js'
import { nextLink } from '../../src/registry/client.js'
import { promote, TagPolicyError, type PromoteOptions, type PromoteResult } from '../../src/copy/promote.js'
import { cosignTags, referrersTag } from '../../src/referrers/discovery.js'
import type { TestRegistry } from '../helpers/registry.js'
import { startProxy, type Proxy } from '../helpers/proxy.js'
import { startReferrersApi, type ReferrersApi } from '../helpers/referrers-api.js'
import {
  blobOf,
  CONFIG,
  listTags,
  OCI_INDEX,
  OCI_MANIFEST,
  oddJson,
  pushBlob,
  pushImage,
  pushIndex,
  pushManifest,
  randomBlob,
  rawManifest,
  sha256,
  type Blob,
  type SeededImage
} from '../helpers/images.js'
import { tally, WRITES, type Names } from './tally.js'
import { startRegistries } from './setup.js'

const EMPTY = blobOf(Buffer.from('{}'), 'application/vnd.oci.empty.v1+json')
const SIG = 'application/vnd.dev.cosign.artifact.sig.v1+json'
const SBOM = 'application/spdx+json'

interface Artifact {
  digest: string
  size: number
  artifactType: string
  blobs: Blob[]
}

const descriptor = (a: { digest: string; size?: number; bytes?: Buffer }, mediaType = OCI_MANIFEST) => ({
  mediaType,
  digest: a.digest,
  size: a.size ?? a.bytes?.length ?? 0
})

/** An OCI artifact manifest (empty config, one layer) with `subject` and `artifactType`. */
async function pushArtifact(
  url: string,
  repo: string,
  subject: { digest: string; size: number },
  artifactType: string,
  payload: string
): Promise<Artifact> {
  const layer = blobOf(Buffer.from(payload), artifactType === SBOM ? SBOM : 'application/octet-stream')
  await pushBlob(url, repo, EMPTY)
  await pushBlob(url, repo, layer)
  const bytes = oddJson({
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    artifactType,
    config: descriptor(EMPTY, EMPTY.mediaType),
    layers: [descriptor(layer, layer.mediaType)],
    subject: descriptor(subject)
  })
  const digest = await pushManifest(url, repo, sha256(bytes), bytes, OCI_MANIFEST)
  return { digest, size: bytes.length, artifactType, blobs: [EMPTY, layer] }
}

/** A referrers fallback index listing `entries` (with artifactType), under the subject's tag. */
async function pushFallback(
  url: string,
  repo: string,
  subject: string,
  entries: Artifact[]
): Promise<Buffer> {
  const bytes = oddJson({
    schemaVersion: 2,
    mediaType: OCI_INDEX,
    manifests: entries.map(e => ({ ...descriptor(e), artifactType: e.artifactType }))
  })
  await pushManifest(url, repo, referrersTag(subject), bytes, OCI_INDEX)
  return bytes
}

/** A cosign-style tag: a manifest without subject (config + one layer) under `tag`. */
async function pushCosignTag(url: string, repo: string, tag: string, payload: string): Promise<string> {
  const config = blobOf(Buffer.from(`{"cosign":"${payload}"}`), CONFIG)
  const layer = blobOf(Buffer.from(payload), 'application/vnd.dev.cosign.simplesigning.v1+json')
  await pushBlob(url, repo, config)
  await pushBlob(url, repo, layer)
  const bytes = oddJson({
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: descriptor(config, CONFIG),
    layers: [descriptor(layer, layer.mediaType)]
  })
  return await pushManifest(url, repo, tag, bytes, OCI_MANIFEST)
}

/**
 * A cosign `.sig` manifest as cosign writes it: one simple-signing payload layer per signature, the
 * signature in the layer's `dev.cosignproject.cosign/signature` annotation (two signatures over one
 * payload share a blob and differ in the annotation); `cosign sign` appends a layer and re-tags.
 */
async function pushSignatures(url: string, repo: string, tag: string, signatures: string[]): Promise<string> {
  const payload = blobOf(
    Buffer.from('{"critical":{"type":"cosign container image signature"}}'),
    SIMPLE_SIGNING
  )
  const config = blobOf(Buffer.from(`{"signatures":${JSON.stringify(signatures)}}`), CONFIG)
  await pushBlob(url, repo, config)
  await pushBlob(url, repo, payload)
  const bytes = oddJson({
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: descriptor(config, CONFIG),
    layers: signatures.map(sig => ({
      ...descriptor(payload, SIMPLE_SIGNING),
      annotations: { 'dev.cosignproject.cosign/signature': sig }
    }))
  })
  return await pushManifest(url, repo, tag, bytes, OCI_MANIFEST)
}
const SIMPLE_SIGNING = 'application/vnd.dev.cosign.simplesigning.v1+json'

/** The signature annotations of the manifest at `reference`. */
async function signaturesAt(url: string, repo: string, reference: string): Promise<string[]> {
  const m = await rawManifest(url, repo, reference)
  const json = JSON.parse(m?.bytes.toString() ?? '{}') as {
    layers?: Array<{ annotations?: Record<string, string> }>
  }
  return (json.layers ?? []).map(l => l.annotations?.['dev.cosignproject.cosign/signature'] ?? '')
}

/** The digests a fallback index at `reference` lists (undefined: no such tag). */
async function entriesOf(url: string, repo: string, reference: string): Promise<unknown[] | undefined> {
  const m = await rawManifest(url, repo, reference)
  return m && (JSON.parse(m.bytes.toString()) as { manifests: unknown[] }).manifests
}

describe('what travels with an image: the referrers API and the fallback tag schema', () => {
  let src: TestRegistry
  let dst: TestRegistry
  let srcApiReg: TestRegistry
  let dstApiReg: TestRegistry
  let srcApi: ReferrersApi
  let dstApi: ReferrersApi
  let ps: Proxy
  let pd: Proxy
  let psa: Proxy
  let pda: Proxy
  // fb/app on src: an image, its signature, the fallback index listing it
  let image: SeededImage
  let sig: Artifact
  let srcIndex: Buffer
  // api/app behind the source's referrers API: an image, a signature and an SBOM, no fallback tag
  let apiImage: SeededImage
  let apiSig: Artifact
  let apiSbom: Artifact

  beforeAll(async () => {
    ;[src, dst, srcApiReg, dstApiReg] = await startRegistries(4)
    ;[srcApi, dstApi] = await Promise.all([
      startReferrersApi(srcApiReg.url, { pageSize: 1 }),
      startReferrersApi(dstApiReg.url)
    ])
    ;[ps, pd, psa, pda] = await Promise.all([
      startProxy(src.url),
      startProxy(dst.url),
      startProxy(srcApi.url),
      startProxy(dstApi.url)
    ])
    image = await pushImage(src.url, 'fb/app', [randomBlob(3000)], { tag: 'v1' })
    sig = await pushArtifact(src.url, 'fb/app', descriptor(image), SIG, 'signed at staging')
    srcIndex = await pushFallback(src.url, 'fb/app', image.digest, [sig])

    apiImage = await pushImage(srcApi.url, 'api/app', [randomBlob(2000)], { tag: 'v1' })
    apiSig = await pushArtifact(srcApi.url, 'api/app', descriptor(apiImage), SIG, 'api signature')
    apiSbom = await pushArtifact(
      srcApi.url,
      'api/app',
      descriptor(apiImage),
      SBOM,
      '{"spdxVersion":"SPDX-2.3"}'
    )
  })
  afterAll(async () => {
    await Promise.all([ps, pd, psa, pda].map(p => p?.stop()))
    await Promise.all([srcApi?.stop(), dstApi?.stop()])
    await Promise.all([src, dst, srcApiReg, dstApiReg].map(r => r?.stop()))
  })

  const run = async (options: PromoteOptions): Promise<PromoteResult> => {
    const client = createRegistryClient()
    try {
      return await promote(client, options)
    } finally {
      await client.close()
    }
  }
  const fromFb = (repo: string, registry: string, extra: Partial<PromoteOptions> = {}): PromoteOptions => ({
    source: { registry: ps.host, repository: 'fb/app', reference: 'v1' },
    targets: [{ repo: { registry, repository: repo }, tags: ['v1'] }],
    referrers: 'all',
    ...extra
  })
  const fromApi = (repo: string, extra: Partial<PromoteOptions> = {}): PromoteOptions => ({
    source: { registry: psa.host, repository: 'api/app', reference: 'v1' },
    targets: [{ repo: { registry: pd.host, repository: repo }, tags: ['v1'] }],
    referrers: 'all',
    ...extra
  })

  it('fallback-tag source to fallback-tag target: the signature and the index byte for byte, the API asked once', async () => {
    ps.reset()
    const result = await run(fromFb('c1/app', pd.host))
    const tag = referrersTag(image.digest)
    expect(result.plan.targets[0].referrerTags).toEqual([{ tag, action: 'create' }])
    expect(result.plan.targets[0].referrers).toEqual([
      { subject: image.digest, digest: sig.digest, artifactType: SIG, listedBy: tag, action: 'push' }
    ])
    expect(await listTags(dst.url, 'c1/app')).toEqual([tag, 'v1'])
    expect((await rawManifest(dst.url, 'c1/app', tag))?.bytes.equals(srcIndex)).toBe(true)
    expect((await rawManifest(dst.url, 'c1/app', sig.digest))?.digest).toBe(sig.digest)
    // distribution has no API: one 404 for the image, remembered for the signature's own referrers
    expect(ps.entries('GET', /\/referrers\//).map(e => [e.path, e.status])).toEqual([
      [`/v2/fb/app/referrers/${image.digest}`, 404]
    ])
    // one tag listing of the source repository: the image's fallback tag is there (read), the
    // signature's own (referrers of referrers) and the image's cosign tags are not (not asked for)
    expect(ps.count('GET', /\/tags\/list\?/)).toBe(1)
    expect(ps.count('GET', new RegExp(`/manifests/${tag}$`))).toBe(1)
    expect(ps.count('GET', new RegExp(`/manifests/${referrersTag(sig.digest)}$`))).toBe(0)
    expect(ps.count('HEAD', /\/manifests\/sha256-[0-9a-f]{64}\.(sig|att|sbom)$/)).toBe(0)
  })

  it('warm re-run to a fallback-tag target: no manifest PUT, no tag PUT, the exact requests', async () => {
    pd.reset()
    const result = await run(fromFb('c1/app', pd.host))
    const names: Names = {
      [image.digest]: 'image',
      [sig.digest]: 'sig',
      [EMPTY.digest]: 'empty',
      [sig.blobs[1].digest]: 'sig-layer',
      [referrersTag(image.digest)]: 'referrers-tag',
      [sha256(srcIndex)]: 'source-index'
    }
    expect(result.plan.targets[0].referrerTags).toEqual([
      { tag: referrersTag(image.digest), action: 'keep', from: sha256(srcIndex) }
    ])
    expect(result.plan.targets[0].referrers?.map(r => r.action)).toEqual(['present'])
    expect(tally(pd, names)).toEqual({
      [`GET /v2/c1/app/referrers/${image.digest} 404`]: 1,
      'GET c1/app manifests/referrers-tag 200': 1,
      'HEAD c1/app blobs/empty 200': 1,
      'HEAD c1/app blobs/sig-layer 200': 1,
      'HEAD c1/app manifests/image 200': 1,
      // the source's fallback index, pushed by digest too (the tag could point at a merge)
      'HEAD c1/app manifests/source-index 200': 1,
      'HEAD c1/app manifests/sig 200': 1,
      'HEAD c1/app manifests/v1 200': 1,
      // beside the root's HEAD (a new repository would need no blob HEAD)
      'GET c1/app tags/list 200': 1
    })
    expect(pd.log.filter(e => WRITES.test(`${e.method} `))).toEqual([])
  })

  it('fallback-tag source to API target: listed by the target API, no fallback tag written there', async () => {
    const result = await run(fromFb('c2/app', pda.host))
    const t = result.plan.targets[0]
    expect(t.referrerTags).toEqual([])
    expect(t.referrers).toEqual([
      {
        subject: image.digest,
        digest: sig.digest,
        artifactType: SIG,
        listedBy: 'referrers API',
        action: 'push'
      }
    ])
    // the source's fallback index is not copied either: the image and the signature only
    expect(t.manifests.push).toEqual([image.digest, sig.digest])
    expect(await listTags(dstApiReg.url, 'c2/app')).toEqual(['v1'])
    expect(dstApi.listed('c2/app', image.digest)).toEqual([
      { mediaType: OCI_MANIFEST, digest: sig.digest, size: sig.size, artifactType: SIG }
    ])

    // warm re-run: the target's API lists the signature; nothing is written
    pda.reset()
    const again = await run(fromFb('c2/app', pda.host))
    expect(again.plan.targets[0].referrers?.map(r => r.action)).toEqual(['present'])
    expect(pda.count('PUT')).toBe(0)
    expect(pda.entries('GET', /\/referrers\//).map(e => [e.path, e.status])).toEqual([
      [`/v2/c2/app/referrers/${image.digest}`, 200]
    ])
  })

  it('API-only source to fallback-tag target: both pages read, the target index lists exactly them', async () => {
    psa.reset()
    const result = await run(fromApi('c3/app'))
    expect(await listTags(srcApiReg.url, 'api/app')).toEqual(['v1'])
    const tag = referrersTag(apiImage.digest)
    expect(await listTags(dst.url, 'c3/app')).toEqual([tag, 'v1'])
    expect(await entriesOf(dst.url, 'c3/app', tag)).toEqual([
      { mediaType: OCI_MANIFEST, digest: apiSig.digest, size: apiSig.size, artifactType: SIG },
      { mediaType: OCI_MANIFEST, digest: apiSbom.digest, size: apiSbom.size, artifactType: SBOM }
    ])
    expect(result.plan.targets[0].referrers?.map(r => [r.digest, r.artifactType, r.listedBy])).toEqual([
      [apiSig.digest, SIG, tag],
      [apiSbom.digest, SBOM, tag]
    ])
    // page size 1: the image's list took two pages (Link rel="next"), each referrer's one
    expect(psa.entries('GET', /\/referrers\//).map(e => e.path)).toEqual([
      `/v2/api/app/referrers/${apiImage.digest}`,
      `/v2/api/app/referrers/${apiImage.digest}?page=1`,
      `/v2/api/app/referrers/${apiSig.digest}`,
      `/v2/api/app/referrers/${apiSbom.digest}`
    ])
  })

  it('an artifact-type filter: sent to the API, only that type travels; a type nothing has copies none', async () => {
    psa.reset()
    const only = await run(fromApi('c7/app', { referrers: [SBOM] }))
    expect(psa.entries('GET', /\/referrers\//)[0].path).toBe(
      `/v2/api/app/referrers/${apiImage.digest}?artifactType=${encodeURIComponent(SBOM)}`
    )
    expect(await entriesOf(dst.url, 'c7/app', referrersTag(apiImage.digest))).toEqual([
      { mediaType: OCI_MANIFEST, digest: apiSbom.digest, size: apiSbom.size, artifactType: SBOM }
    ])
    expect(only.plan.targets[0].referrers?.map(r => r.digest)).toEqual([apiSbom.digest])

    const none = await run(fromApi('c7b/app', { referrers: ['application/vnd.example.nothing'] }))
    expect(none.plan.targets[0].referrers).toBeUndefined()
    expect(none.plan.targets[0].referrerTags).toEqual([])
    expect(await listTags(dst.url, 'c7b/app')).toEqual(['v1'])

    // client-side on the fallback tag: the signature's type matches, an SBOM filter matches nothing
    const fb = await run(fromFb('c7c/app', pd.host, { referrers: [SIG] }))
    expect(fb.plan.targets[0].referrers?.map(r => r.digest)).toEqual([sig.digest])
    await run(fromFb('c7d/app', pd.host, { referrers: [SBOM] }))
    expect(await listTags(dst.url, 'c7d/app')).toEqual(['v1'])
  })

  it('referrers: none: no referrer is looked for or copied', async () => {
    ps.reset()
    const result = await run(fromFb('c6/app', pd.host, { referrers: 'none' }))
    expect(result.plan.targets[0].referrers).toBeUndefined()
    expect(await listTags(dst.url, 'c6/app')).toEqual(['v1'])
    expect(ps.count('GET', /\/referrers\//)).toBe(0)
    expect(ps.count('*', /\/manifests\/sha256-/)).toBe(0)
  })

  it('a target whose fallback index lists a foreign referrer keeps it, ours appended once', async () => {
    const foreign = await pushArtifact(dst.url, 'c8/app', descriptor(image), SIG, 'signed at production')
    await pushFallback(dst.url, 'c8/app', image.digest, [foreign])
    const result = await run(fromFb('c8/app', pd.host))
    const tag = referrersTag(image.digest)
    expect(result.plan.targets[0].referrerTags).toEqual([{ tag, action: 'move', from: expect.any(String) }])
    const entries = (await entriesOf(dst.url, 'c8/app', tag)) as Array<{ digest: string }>
    expect(entries.map(e => e.digest)).toEqual([foreign.digest, sig.digest])
    pd.reset()
    const again = await run(fromFb('c8/app', pd.host))
    expect(again.plan.targets[0].referrerTags[0].action).toBe('keep')
    expect(pd.count('PUT')).toBe(0)
  })

  it('a referrer of a referrer: an SBOM of the image and a signature of the SBOM, each listed under its subject', async () => {
    const img = await pushImage(src.url, 'deep/app', [randomBlob(1000)], { tag: 'v1' })
    const sbom = await pushArtifact(src.url, 'deep/app', descriptor(img), SBOM, '{"spdxVersion":"SPDX-2.3"}')
    const sbomSig = await pushArtifact(
      src.url,
      'deep/app',
      { digest: sbom.digest, size: sbom.size },
      SIG,
      'sbom signed'
    )
    await pushFallback(src.url, 'deep/app', img.digest, [sbom])
    await pushFallback(src.url, 'deep/app', sbom.digest, [sbomSig])
    const result = await run({
      source: { registry: ps.host, repository: 'deep/app', reference: 'v1' },
      targets: [{ repo: { registry: pd.host, repository: 'c4/app' }, tags: ['v1'] }],
      referrers: 'all'
    })
    expect(result.plan.targets[0].referrers?.map(r => [r.subject, r.digest, r.artifactType])).toEqual([
      [img.digest, sbom.digest, SBOM],
      [sbom.digest, sbomSig.digest, SIG]
    ])
    expect(await listTags(dst.url, 'c4/app')).toEqual(
      [referrersTag(img.digest), referrersTag(sbom.digest), 'v1'].sort()
    )
    expect(
      ((await entriesOf(dst.url, 'c4/app', referrersTag(sbom.digest))) as Array<{ digest: string }>)[0].digest
    ).toBe(sbomSig.digest)
    expect(result.plan.targets[0].manifests.push.slice(0, 3)).toEqual([
      img.digest,
      sbom.digest,
      sbomSig.digest
    ])
  })

  it("cosign's .sig, .att and .sbom tags travel and are tagged; a different .sig at the target is a violation unless overwrite", async () => {
    const img = await pushImage(src.url, 'cosign/app', [randomBlob(1000)], { tag: 'v1' })
    const [sigTag, attTag, sbomTag] = cosignTags(img.digest)
    const digests = [
      await pushCosignTag(src.url, 'cosign/app', sigTag, 'sig'),
      await pushCosignTag(src.url, 'cosign/app', attTag, 'att'),
      await pushCosignTag(src.url, 'cosign/app', sbomTag, 'sbom')
    ]
    const options = (repo: string, extra: Partial<PromoteOptions> = {}): PromoteOptions => ({
      source: { registry: ps.host, repository: 'cosign/app', reference: 'v1' },
      targets: [{ repo: { registry: pd.host, repository: repo }, tags: ['v1'] }],
      referrers: 'all',
      ...extra
    })
    const result = await run(options('c5/app'))
    expect(result.plan.targets[0].signatureTags).toEqual(
      [sigTag, attTag, sbomTag].map((tag, i) => ({
        tag,
        action: 'create',
        digest: digests[i],
        artifactType: 'cosign'
      }))
    )
    expect(await listTags(dst.url, 'c5/app')).toEqual([sigTag, attTag, sbomTag, 'v1'].sort())
    for (const [i, tag] of [sigTag, attTag, sbomTag].entries())
      expect((await rawManifest(dst.url, 'c5/app', tag))?.digest).toBe(digests[i])
    // only cosign's tags when the list says `cosign`
    const onlyCosign = await run(options('c5c/app', { referrers: ['cosign'] }))
    expect(onlyCosign.plan.targets[0].signatureTags?.length).toBe(3)

    // the target holds other signatures under .sig: never silently replaced
    const other = await pushCosignTag(dst.url, 'c5b/app', sigTag, 'signed at production')
    const error = await run(options('c5b/app')).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TagPolicyError)
    expect((error as TagPolicyError).violations).toEqual([
      `${pd.host}/c5b/app:${sigTag} holds other signatures (${other}); promoting would replace them with ${digests[0]}`
    ])
    expect((await rawManifest(dst.url, 'c5b/app', sigTag))?.digest).toBe(other)
    const moved = await run(options('c5b/app', { tagPolicy: 'overwrite' }))
    expect(moved.plan.targets[0].signatureTags?.[0]).toEqual({
      tag: sigTag,
      action: 'move',
      from: other,
      digest: digests[0],
      artifactType: 'cosign'
    })
    expect((await rawManifest(dst.url, 'c5b/app', sigTag))?.digest).toBe(digests[0])
  })

  it('re-signing at the source (cosign appends a signature to .sig) re-promotes under immutable; a .sig that would lose signatures is still refused (newuser finding 20)', async () => {
    const img = await pushImage(src.url, 'resign/app', [randomBlob(800)], { tag: 'v1' })
    const [sigTag] = cosignTags(img.digest)
    const first = await pushSignatures(src.url, 'resign/app', sigTag, ['MEUC-staging'])
    const options: PromoteOptions = {
      source: { registry: ps.host, repository: 'resign/app', reference: 'v1' },
      targets: [{ repo: { registry: pd.host, repository: 'prod/resign' }, tags: ['v1'] }],
      referrers: ['cosign']
    }
    const created = await run(options)
    expect(created.plan.targets[0].signatureTags).toEqual([
      { tag: sigTag, action: 'create', digest: first, artifactType: 'cosign' }
    ])
    // a second signature added at the source, as cosign sign does: the .sig manifest rewritten with both layers
    const both = await pushSignatures(src.url, 'resign/app', sigTag, ['MEUC-staging', 'MEYC-release'])
    // before: TagPolicyError `…:${sigTag} holds other signatures (${first}); promoting would replace them with ${both}`
    const again = await run(options)
    expect(again.plan.targets[0].signatureTags).toEqual([
      { tag: sigTag, action: 'move', from: first, digest: both, appends: true, artifactType: 'cosign' }
    ])
    expect(again.plan.targets[0].tags).toEqual([{ tag: 'v1', action: 'keep', from: img.digest }])
    expect((await rawManifest(dst.url, 'prod/resign', sigTag))?.digest).toBe(both)
    expect(await signaturesAt(dst.url, 'prod/resign', sigTag)).toEqual(['MEUC-staging', 'MEYC-release'])

    // release tags stay immutable: the refusal and its words unchanged
    const other = await pushImage(dst.url, 'prod/resign', [randomBlob(300)], { tag: 'v0' })
    const refused = await run({ ...options, targets: [{ ...options.targets[0], tags: ['v0'] }] }).catch(
      (e: unknown) => e
    )
    expect(refused).toBeInstanceOf(TagPolicyError)
    expect((refused as TagPolicyError).violations).toEqual([
      `${pd.host}/prod/resign:v0 points at ${other.digest}; promoting ${img.digest} would move it`
    ])

    // the target gains a signature the source lacks: moving .sig to the source's would drop it, refused
    const atTarget = await pushSignatures(dst.url, 'prod/resign', sigTag, [
      'MEUC-staging',
      'MEYC-release',
      'MEQC-production'
    ])
    const lose = await run(options).catch((e: unknown) => e)
    expect(lose).toBeInstanceOf(TagPolicyError)
    expect((lose as TagPolicyError).violations).toEqual([
      `${pd.host}/prod/resign:${sigTag} holds other signatures (${atTarget}); promoting would replace them with ${both}`
    ])
    expect((await rawManifest(dst.url, 'prod/resign', sigTag))?.digest).toBe(atTarget)
    // a signature annotation changed is no append either (every old descriptor, whole, must be there)
    await pushSignatures(dst.url, 'prod/resign', sigTag, ['MEYC-release', 'MEUC-staging-changed'])
    const changed = await run(options).catch((e: unknown) => e)
    expect(changed).toBeInstanceOf(TagPolicyError)
  })

  it('a multi-platform index: the API asked once for the registry, every manifest looked up once', async () => {
    const index = await pushIndex(src.url, 'multi/app', 'v1', {
      platforms: [
        { os: 'linux', architecture: 'amd64' },
        { os: 'linux', architecture: 'arm64' }
      ],
      shared: [randomBlob(500)],
      uniqueSize: 300,
      attestation: true
    })
    const armSig = await pushArtifact(
      src.url,
      'multi/app',
      descriptor(index.children[1]),
      SIG,
      'arm64 signed'
    )
    await pushFallback(src.url, 'multi/app', index.children[1].digest, [armSig])
    ps.reset()
    // the first referrers request is answered late: the children's lookups start meanwhile and wait for it
    ps.setFault(req => (/\/referrers\//.test(req.url ?? '') ? { kind: 'delay', ms: 400 } : undefined))
    const result = await run({
      source: { registry: ps.host, repository: 'multi/app', reference: 'v1' },
      targets: [{ repo: { registry: pd.host, repository: 'c10/app' }, tags: ['v1'] }],
      referrers: 'all'
    }).finally(() => ps.setFault(undefined))
    expect(ps.entries('GET', /\/referrers\//).map(e => e.status)).toEqual([404])
    // one tag listing: of the index, its 3 children and the signature, only the arm64 child has a
    // fallback tag, read once (the others' are not asked for)
    expect(ps.count('GET', /\/tags\/list\?/)).toBe(1)
    expect(ps.entries('GET', /\/manifests\/sha256-[0-9a-f]{64}$/).map(e => e.path)).toEqual([
      `/v2/multi/app/manifests/${referrersTag(index.children[1].digest)}`
    ])
    expect(result.plan.targets[0].referrers).toEqual([
      {
        subject: index.children[1].digest,
        digest: armSig.digest,
        artifactType: SIG,
        listedBy: referrersTag(index.children[1].digest),
        action: 'push'
      }
    ])
    expect(await listTags(dst.url, 'c10/app')).toEqual([referrersTag(index.children[1].digest), 'v1'])
  })

  it('a fallback tag that resolves to the subject itself (GitLab) is not a referrers list', async () => {
    const img = await pushImage(src.url, 'gitlab/app', [randomBlob(500)], { tag: 'v1' })
    await pushManifest(src.url, 'gitlab/app', referrersTag(img.digest), img.bytes, OCI_MANIFEST)
    const result = await run({
      source: { registry: ps.host, repository: 'gitlab/app', reference: 'v1' },
      targets: [{ repo: { registry: pd.host, repository: 'c9/app' }, tags: ['v1'] }],
      referrers: 'all'
    })
    expect(result.plan.targets[0].referrers).toBeUndefined()
    expect(await listTags(dst.url, 'c9/app')).toEqual(['v1'])
  })
})

describe('no referrers API: a redirect, a page that is not an index; OCI-Subject without an API', () => {
  let src: TestRegistry
  let dst: TestRegistry
  let ps: Proxy
  let subjectOnly: ReferrersApi
  let image: SeededImage
  let sig: Artifact

  beforeAll(async () => {
    ;[src, dst] = await startRegistries(2)
    ps = await startProxy(src.url)
    subjectOnly = await startReferrersApi(dst.url, { listing: false })
    image = await pushImage(src.url, 'fb/app', [randomBlob(1000)], { tag: 'v1' })
    sig = await pushArtifact(src.url, 'fb/app', descriptor(image), SIG, 'signed')
    await pushFallback(src.url, 'fb/app', image.digest, [sig])
  })
  afterAll(async () => {
    await Promise.all([ps?.stop(), subjectOnly?.stop()])
    await Promise.all([src?.stop(), dst?.stop()])
  })

  const copy = async (repo: string, registry = dst.host): Promise<PromoteResult> => {
    const client = createRegistryClient()
    try {
      return await promote(client, {
        source: { registry: ps.host, repository: 'fb/app', reference: 'v1' },
        targets: [{ repo: { registry, repository: repo }, tags: ['v1'] }],
        referrers: 'all'
      })
    } finally {
      await client.close()
    }
  }

  it.each([
    ['a redirect to a login page', { kind: 'redirect', status: 303, location: 'http://127.0.0.1:9/login' }],
    [
      'a 200 HTML page',
      { kind: 'respond', status: 200, headers: { 'content-type': 'text/html' }, body: '<html>sign in</html>' }
    ]
  ] as const)('%s: the fallback tag is read instead, and the API is not asked again', async (_, fault) => {
    ps.reset()
    ps.setFault(req => (/\/referrers\//.test(req.url ?? '') ? fault : undefined))
    try {
      const repo = `r${ps.log.length}-${fault.kind}/app`
      const result = await copy(repo)
      expect(result.plan.targets[0].referrers?.map(r => r.digest)).toEqual([sig.digest])
      expect(await listTags(dst.url, repo)).toEqual([referrersTag(image.digest), 'v1'])
      expect(ps.count('GET', /\/referrers\//)).toBe(1)
    } finally {
      ps.setFault(undefined)
    }
  })

  it('a target that answers OCI-Subject without an API gets the signature and no fallback tag', async () => {
    const result = await copy('quirk/app', subjectOnly.host)
    // the probe found no API there, so the plan had the fallback tag; the PUT answer said otherwise
    expect(result.plan.targets[0].referrerTags).toEqual([
      { tag: referrersTag(image.digest), action: 'create' }
    ])
    expect(await listTags(dst.url, 'quirk/app')).toEqual(['v1'])
    expect((await rawManifest(dst.url, 'quirk/app', sig.digest))?.digest).toBe(sig.digest)
  })
})

describe('Link rel="next" (RFC 8288)', () => {
  it.each([
    ['</v2/a/referrers/sha256:x?page=1>; rel="next"', '/v2/a/referrers/sha256:x?page=1'],
    ['<https://r.example/v2/a?n=1&last=b>; rel=next', 'https://r.example/v2/a?n=1&last=b'],
    ['</first>; rel="prev", </second>; rel="next"', '/second'],
    ['</only>; rel="prev"', undefined],
    [undefined, undefined]
  ])('%s → %s', (value, expected) => {
    expect(nextLink(value)).toBe(expected)
  })
})
