/**
 * referrers/discovery.ts: how referrers are found at the source (the referrers API, else the
 * fallback tag's index; cosign's tags), over the in-memory RegistryApi (the wire is tested against
 * real registries in __tests__/copy/referrers*.test.ts).
 */
import { createHash } from 'node:crypto'
import { describe, expect, it } from '@jest/globals'
import {
  artifactTypeOf,
  cosignTags,
  fallbackIndex,
  isAttestationManifest,
  listAtSource,
  referrersTag
} from '../../src/referrers/discovery.js'
import { LIMITS, LimitError } from '../../src/limits.js'
import { parseManifest, runtimeSelectable } from '../../src/oci/manifest.js'
import { OCI_INDEX, OCI_MANIFEST } from '../../src/oci/mediatypes.js'
import { MemoryRegistry } from '../helpers/memory-registry.js'

const HEX = 'ab'.repeat(32)
const D = `sha256:${HEX}`
const SBOM = 'application/spdx+json'
const SIG = 'application/vnd.dev.cosign.artifact.sig.v1+json'
const EMPTY = 'application/vnd.oci.empty.v1+json'
const repo = (registry: string) => ({ registry, repository: 'team/app' })
const sha256 = (b: string) => `sha256:${createHash('sha256').update(b).digest('hex')}`

/** A subject image and `types.length` referrers of it (each with `artifactType`) in `mem`. */
function seed(mem: MemoryRegistry, registry: string, types: string[]) {
  const r = repo(registry)
  const image = mem.seedImage(r, [10])
  const config = mem.seedBlob(r, Buffer.from('{}'), EMPTY)
  const subject = { mediaType: OCI_MANIFEST, digest: image.digest, size: image.manifest.bytes.length }
  const referrers = types.map((artifactType, i) => {
    const layer = mem.seedBlob(r, Buffer.from(`referrer ${i}`), 'application/octet-stream')
    const json = { schemaVersion: 2, mediaType: OCI_MANIFEST, artifactType, config, layers: [layer], subject }
    const m = mem.seedManifest(r, json, OCI_MANIFEST)
    return { mediaType: OCI_MANIFEST, digest: m.digest, size: m.bytes.length, artifactType }
  })
  return { r, image, referrers }
}

describe('tags of the fallback tag schema and of cosign', () => {
  it.each([
    [D, `sha256-${HEX}`],
    [`sha512:${'c'.repeat(128)}`, `sha512-${'c'.repeat(64)}`],
    [`a+b.c_d:${'e'.repeat(64)}`, `a-b.c_d-${'e'.repeat(64)}`]
  ])('referrersTag(%s) = %s', (digest, tag) => {
    expect(referrersTag(digest)).toBe(tag)
  })

  it("cosign's tags: .sig, .att, .sbom next to the digest", () => {
    expect(cosignTags(D)).toEqual([`sha256-${HEX}.sig`, `sha256-${HEX}.att`, `sha256-${HEX}.sbom`])
  })
})

describe('what a manifest or an index entry is', () => {
  it.each([
    [
      'artifactType first',
      { artifactType: SBOM, config: { mediaType: EMPTY, digest: sha256('{}'), size: 2 } },
      SBOM
    ],
    ["else the config's media type", { config: { mediaType: SIG, digest: sha256('{}'), size: 2 } }, SIG],
    ['else none', {}, undefined]
  ])('artifactTypeOf: %s', (_, fields, expected) => {
    const json = { schemaVersion: 2, mediaType: OCI_MANIFEST, layers: [], ...fields }
    expect(artifactTypeOf(parseManifest(Buffer.from(JSON.stringify(json)), OCI_MANIFEST))).toBe(expected)
  })

  it.each([
    [
      'annotated attestation-manifest',
      { annotations: { 'vnd.docker.reference.type': 'attestation-manifest' } },
      true
    ],
    ['platform unknown/unknown', { platform: { os: 'unknown', architecture: 'unknown' } }, true],
    ['linux/amd64', { platform: { os: 'linux', architecture: 'amd64' } }, false],
    ['unknown os alone', { platform: { os: 'unknown', architecture: 'arm64' } }, false],
    ['nothing said', {}, false]
  ])('isAttestationManifest: %s → %s', (_, entry, expected) => {
    expect(isAttestationManifest(entry)).toBe(expected)
  })

  // which entries a runtime can pull is the platform's alone: an annotation names an attestation
  // manifest to list, never an entry the signature rule may leave out (review finding 1)
  it.each([
    [
      'annotated, linux/amd64',
      {
        platform: { os: 'linux', architecture: 'amd64' },
        annotations: { 'vnd.docker.reference.type': 'attestation-manifest' }
      },
      true
    ],
    [
      'annotated, no platform',
      { annotations: { 'vnd.docker.reference.type': 'attestation-manifest' } },
      true
    ],
    ['platform unknown/unknown', { platform: { os: 'unknown', architecture: 'unknown' } }, false],
    ['unknown os alone', { platform: { os: 'unknown', architecture: 'arm64' } }, true],
    ['nothing said', {}, true]
  ])('runtimeSelectable: %s → %s', (_, entry, expected) => {
    expect(runtimeSelectable(entry as Parameters<typeof runtimeSelectable>[0])).toBe(expected)
  })
})

describe('fallbackIndex: the index pushed at the fallback tag', () => {
  it('keeps media type, digest, size, artifactType and annotations of each entry, in order; digest of its bytes', () => {
    const entries = [
      {
        mediaType: OCI_MANIFEST,
        digest: D,
        size: 7,
        artifactType: SBOM,
        annotations: { a: 'b' },
        urls: ['x']
      },
      { mediaType: OCI_MANIFEST, digest: `sha256:${'0'.repeat(64)}`, size: 9 }
    ]
    const text =
      `{"schemaVersion":2,"mediaType":"${OCI_INDEX}","manifests":[` +
      `{"mediaType":"${OCI_MANIFEST}","digest":"${D}","size":7,"artifactType":"${SBOM}","annotations":{"a":"b"}},` +
      `{"mediaType":"${OCI_MANIFEST}","digest":"sha256:${'0'.repeat(64)}","size":9}]}`
    const index = fallbackIndex(entries)
    expect(index.bytes.toString()).toBe(text)
    expect(index.digest).toBe(sha256(text))
    expect(index.mediaType).toBe(OCI_INDEX)
  })
})

describe('listAtSource: the referrers API first, else the fallback tag', () => {
  it("the API's list, one request, nothing else asked", async () => {
    const mem = new MemoryRegistry(['src.test'])
    const { r, image, referrers } = seed(mem, 'src.test', [SBOM, SIG])
    const found = await listAtSource(mem, r, image.digest, { api: true, cosign: true })
    expect(found).toEqual({ via: 'api', entries: referrers })
    expect(mem.log).toEqual([`GET src.test/team/app referrers/${image.digest}`])
  })

  it('one type selected: the API is asked with that artifactType', async () => {
    const mem = new MemoryRegistry(['src.test'])
    const { r, image, referrers } = seed(mem, 'src.test', [SBOM, SIG])
    const found = await listAtSource(mem, r, image.digest, {
      api: true,
      cosign: false,
      types: new Set([SIG])
    })
    expect(found).toEqual({ via: 'api', entries: [referrers[1]] })
    expect(mem.log).toEqual([`GET src.test/team/app referrers/${image.digest}?artifactType=${SIG}`])
  })

  it('an API with an empty list: none (the fallback tag is not read)', async () => {
    const mem = new MemoryRegistry(['src.test'])
    const { r, image } = seed(mem, 'src.test', [])
    expect(await listAtSource(mem, r, image.digest, { api: true, cosign: true })).toBeUndefined()
    expect(mem.log).toEqual([`GET src.test/team/app referrers/${image.digest}`])
  })

  it("no API: the fallback tag's index, each digest once (the first entry kept), the index itself returned", async () => {
    const mem = new MemoryRegistry()
    const { r, image, referrers } = seed(mem, 'src.test', [SBOM, SIG])
    const tag = referrersTag(image.digest)
    const listed = [referrers[0], referrers[1], { ...referrers[0], annotations: { again: 'yes' } }]
    const index = mem.seedManifest(
      r,
      { schemaVersion: 2, mediaType: OCI_INDEX, manifests: listed },
      OCI_INDEX,
      tag
    )
    const found = await listAtSource(mem, r, image.digest, { api: true, cosign: true })
    expect(found).toEqual({ via: 'fallback-tag', entries: referrers, index })
    expect(mem.log).toEqual([
      `GET src.test/team/app referrers/${image.digest}`,
      `GET src.test/team/app manifests/${tag}`
    ])
  })

  it('{ api: false }: the fallback tag only', async () => {
    const mem = new MemoryRegistry(['src.test'])
    const { r, image } = seed(mem, 'src.test', [SBOM])
    expect(await listAtSource(mem, r, image.digest, { api: false, cosign: false })).toBeUndefined()
    expect(mem.log).toEqual([`GET src.test/team/app manifests/${referrersTag(image.digest)}`])
  })

  it('a fallback tag that names a manifest, not an index (GitLab: the subject itself): none', async () => {
    const mem = new MemoryRegistry()
    const { r, image } = seed(mem, 'src.test', [])
    mem.seedTag(r, referrersTag(image.digest), image.digest)
    expect(await listAtSource(mem, r, image.digest, { api: true, cosign: true })).toBeUndefined()
  })

  it('no type can travel (cosign alone): nothing asked', async () => {
    const mem = new MemoryRegistry(['src.test'])
    const { r, image } = seed(mem, 'src.test', [SBOM])
    expect(
      await listAtSource(mem, r, image.digest, { api: true, cosign: true, types: new Set() })
    ).toBeUndefined()
    expect(mem.log).toEqual([])
  })

  it('a fallback index of more than the referrersPerSubject limit distinct entries is refused, naming the limit', async () => {
    const mem = new MemoryRegistry()
    const { r, image } = seed(mem, 'src.test', [])
    const tag = referrersTag(image.digest)
    const manifests = Array.from({ length: LIMITS.referrersPerSubject + 1 }, (_, i) => ({
      mediaType: OCI_MANIFEST,
      digest: `sha256:${i.toString(16).padStart(64, '0')}`,
      size: 100
    }))
    // the in-memory store checks children only on PUT: seeded, the index may name digests it lacks
    mem.seedManifest(r, { schemaVersion: 2, mediaType: OCI_INDEX, manifests }, OCI_INDEX, tag)
    const error = await listAtSource(mem, r, image.digest, { api: false, cosign: false }).catch(e => e)
    expect(error).toBeInstanceOf(LimitError)
    expect(error).toMatchObject({
      limit: 'referrersPerSubject',
      value: 1000,
      message: `src.test/team/app:${tag} lists more than 1000 referrers (the referrersPerSubject limit)`
    })
  })
})
