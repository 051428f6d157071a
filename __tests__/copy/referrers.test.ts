/**
 * Referrers through the fallback tag schema (distribution 2.8 has no referrers API): a signature
 * attached to the source image travels with it, and a target's own referrers are kept.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createRegistryClient } from '../../src/registry/factory.js'
import { promote } from '../../src/copy/promote.js'
import { referrersTag } from '../../src/referrers/discovery.js'
import { startRegistries } from './setup.js'
import type { TestRegistry } from '../helpers/registry.js'
import {
  blobOf,
  sha256,
  oddJson,
  OCI_INDEX,
  OCI_MANIFEST,
  pushBlob,
  pushImage,
  pushManifest,
  randomBlob,
  rawManifest,
  type SeededImage
} from '../helpers/images.js'

const EMPTY = blobOf(Buffer.from('{}'), 'application/vnd.oci.empty.v1+json')

async function pushSignature(
  url: string,
  repo: string,
  subject: SeededImage,
  payload: string
): Promise<{ digest: string; size: number }> {
  const sig = blobOf(Buffer.from(payload), 'application/vnd.dev.cosign.simplesigning.v1+json')
  await pushBlob(url, repo, EMPTY)
  await pushBlob(url, repo, sig)
  const bytes = oddJson({
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    artifactType: 'application/vnd.dev.cosign.artifact.sig.v1+json',
    config: { mediaType: EMPTY.mediaType, digest: EMPTY.digest, size: EMPTY.size },
    layers: [{ mediaType: sig.mediaType, digest: sig.digest, size: sig.size }],
    subject: { mediaType: OCI_MANIFEST, digest: subject.digest, size: subject.bytes.length }
  })
  const digest = await pushManifest(url, repo, sha256(bytes), bytes, OCI_MANIFEST)
  return { digest, size: bytes.length }
}

function fallbackIndex(entries: Array<{ digest: string; size: number }>): Buffer {
  return oddJson({
    schemaVersion: 2,
    mediaType: OCI_INDEX,
    manifests: entries.map(e => ({
      mediaType: OCI_MANIFEST,
      digest: e.digest,
      size: e.size,
      artifactType: 'application/vnd.dev.cosign.artifact.sig.v1+json'
    }))
  })
}

describe('referrers (fallback tag schema)', () => {
  let src: TestRegistry
  let dst: TestRegistry
  let image: SeededImage
  let sig: { digest: string; size: number }
  let srcIndex: Buffer

  beforeAll(async () => {
    ;[src, dst] = await startRegistries(2)
    image = await pushImage(src.url, 'app', [randomBlob(2048)], { tag: 'v1' })
    sig = await pushSignature(src.url, 'app', image, 'signed at staging')
    srcIndex = fallbackIndex([sig])
    await pushManifest(src.url, 'app', referrersTag(image.digest), srcIndex, OCI_INDEX)
  })
  afterAll(async () => {
    await Promise.all([src?.stop(), dst?.stop()])
  })

  it('copies the signature and the fallback index byte for byte', async () => {
    const client = createRegistryClient()
    const result = await promote(client, {
      source: { registry: src.host, repository: 'app', reference: 'v1' },
      targets: [{ repo: { registry: dst.host, repository: 'fresh/app' }, tags: ['v1'] }]
    })
    await client.close()
    expect(result.plan.targets[0].referrerTags).toEqual([
      { tag: referrersTag(image.digest), action: 'create' }
    ])
    expect(
      (await rawManifest(dst.url, 'fresh/app', referrersTag(image.digest)))?.bytes.equals(srcIndex)
    ).toBe(true)
    expect((await rawManifest(dst.url, 'fresh/app', sig.digest))?.digest).toBe(sig.digest)
  })

  it("keeps the target's own referrers when it already has a fallback index", async () => {
    // the target holds a signature of its own (made there) for the same image
    const own = await pushSignature(dst.url, 'kept/app', image, 'signed at production')
    const ownIndex = fallbackIndex([own])
    await pushManifest(dst.url, 'kept/app', referrersTag(image.digest), ownIndex, OCI_INDEX)

    const client = createRegistryClient()
    const result = await promote(client, {
      source: { registry: src.host, repository: 'app', reference: 'v1' },
      targets: [{ repo: { registry: dst.host, repository: 'kept/app' }, tags: ['v1'] }]
    })
    expect(result.plan.targets[0].referrerTags[0].action).toBe('move')
    const merged = await rawManifest(dst.url, 'kept/app', referrersTag(image.digest))
    const entries = (
      JSON.parse(merged!.bytes.toString()) as { manifests: Array<{ digest: string }> }
    ).manifests.map(m => m.digest)
    expect(entries).toEqual([own.digest, sig.digest])

    // a second promotion finds both listed and writes nothing
    const puts = client.stats.manifestPuts
    const again = await promote(client, {
      source: { registry: src.host, repository: 'app', reference: 'v1' },
      targets: [{ repo: { registry: dst.host, repository: 'kept/app' }, tags: ['v1'] }]
    })
    expect(again.plan.targets[0].tags).toEqual([{ tag: 'v1', action: 'keep', from: image.digest }])
    expect((await rawManifest(dst.url, 'kept/app', referrersTag(image.digest)))?.digest).toBe(merged!.digest)
    await client.close()
    expect(client.stats.manifestPuts).toBe(puts)
  })
})
