import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createRegistryClient } from '../../src/registry/factory.js'
import { promote } from '../../src/copy/promote.js'
import { startRegistry, type TestRegistry } from '../helpers/registry.js'
import { listTags, pushIndex, randomBlob, rawManifest, sha256, type SeededIndex } from '../helpers/images.js'

describe('copy of a multi-platform index between two real registries', () => {
  let src: TestRegistry
  let dst: TestRegistry
  let index: SeededIndex

  beforeAll(async () => {
    ;[src, dst] = await Promise.all([startRegistry(), startRegistry()])
    index = await pushIndex(src.url, 'team/app', 'v1', {
      platforms: [
        { os: 'linux', architecture: 'amd64' },
        { os: 'linux', architecture: 'arm64', variant: 'v8' },
        { os: 'linux', architecture: 'arm', variant: 'v7' }
      ],
      shared: [randomBlob(300_000), randomBlob(150_000)],
      uniqueSize: 100_000,
      attestation: true
    })
  })
  afterAll(async () => {
    await Promise.all([src?.stop(), dst?.stop()])
  })

  it('gives the index and every child the same digest at the target, then moves 0 bytes the second time', async () => {
    const client = createRegistryClient()
    const result = await promote(client, {
      source: { registry: src.host, repository: 'team/app', reference: 'v1' },
      targets: [{ repo: { registry: dst.host, repository: 'prod/app' }, tags: ['v1', '1'] }]
    })
    expect(result.digest).toBe(index.digest)
    expect(result.mediaType).toBe('application/vnd.oci.image.index.v1+json')
    // the index bytes at the target are exactly the (non-canonical) bytes pushed to the source
    const top = await rawManifest(dst.url, 'prod/app', index.digest)
    expect(top?.digest).toBe(index.digest)
    expect(sha256(top!.bytes)).toBe(index.digest)
    expect(top!.bytes.equals(index.bytes)).toBe(true)
    for (const child of index.children) {
      const got = await rawManifest(dst.url, 'prod/app', child.digest)
      expect(got?.digest).toBe(child.digest)
      expect(got!.bytes.equals(child.bytes)).toBe(true)
    }
    expect(await listTags(dst.url, 'prod/app')).toEqual(['1', 'v1'])
    // 3 platform images + 1 attestation: configs 4, shared 2, unique 3, statement 1 = 10 blobs
    const expectedBytes = index.blobs.reduce((n, b) => n + b.size, 0)
    expect(index.blobs).toHaveLength(10)
    const t = result.targets[0]
    expect([t.blobsCopied, t.blobsMounted, t.blobsSkipped]).toEqual([10, 0, 0])
    expect(t.bytesCopied).toBe(expectedBytes)
    expect(result.bytesRead).toBe(expectedBytes)
    expect(client.stats.bytesUploaded).toBe(expectedBytes)
    expect(client.stats.blobGets).toBe(10) // each shared blob read once
    expect(t.manifestsPushed).toBe(5)
    expect(t.verified).toBe(true)

    const again = createRegistryClient()
    const second = await promote(again, {
      source: { registry: src.host, repository: 'team/app', reference: 'v1' },
      targets: [{ repo: { registry: dst.host, repository: 'prod/app' }, tags: ['v1', '1'] }]
    })
    expect(second.digest).toBe(index.digest)
    expect(again.stats.bytesUploaded).toBe(0)
    expect(again.stats.blobGets).toBe(0)
    expect(second.targets[0].blobsSkipped).toBe(10)
    expect(second.targets[0].manifestsPushed).toBe(0)
    expect(second.plan.targets[0].tags).toEqual([
      { tag: 'v1', action: 'keep', from: index.digest },
      { tag: '1', action: 'keep', from: index.digest }
    ])
    await Promise.all([client.close(), again.close()])
  })

  it('fails on a blob whose bytes do not match its digest, and pushes no manifest', async () => {
    // a registry stores content under the digest the client names only if it matches, so the
    // mismatch is made by serving the right size with other bytes: push a valid image, then
    // overwrite the layer's data file on disk (flip one byte)
    const layer = randomBlob(64 * 1024)
    const { pushImage } = await import('../helpers/images.js')
    const img = await pushImage(src.url, 'team/bad', [layer], { tag: 'v1' })
    const { readFile, writeFile } = await import('node:fs/promises')
    const hex = layer.digest.slice(7)
    const file = `${src.dir}/data/docker/registry/v2/blobs/sha256/${hex.slice(0, 2)}/${hex}/data`
    const bytes = await readFile(file)
    bytes[100] ^= 0xff
    await writeFile(file, bytes)
    expect(sha256(bytes)).not.toBe(layer.digest)

    const client = createRegistryClient()
    await expect(
      promote(client, {
        source: { registry: src.host, repository: 'team/bad', reference: 'v1' },
        targets: [{ repo: { registry: dst.host, repository: 'prod/bad' }, tags: ['v1'] }]
      })
    ).rejects.toThrow(
      `blob ${src.host}/team/bad@${layer.digest}: expected digest ${layer.digest} but the bytes hash to ${sha256(bytes)}`
    )
    expect(client.stats.manifestPuts).toBe(0)
    expect(await rawManifest(dst.url, 'prod/bad', img.digest)).toBeUndefined()
    expect(await listTags(dst.url, 'prod/bad')).toEqual([])
    // the target does not hold the corrupted blob either
    const { request } = await import('undici')
    const head = await request(`${dst.url}/v2/prod/bad/blobs/${layer.digest}`, { method: 'HEAD' })
    await head.body.dump()
    expect(head.statusCode).toBe(404)
    await client.close()
  })
})

describe('an index that lists one child twice', () => {
  it('fetches and pushes that child once, and keeps the index bytes', async () => {
    const { startRegistry } = await import('../helpers/registry.js')
    const { pushImage, pushManifest, oddJson, OCI_INDEX, OCI_MANIFEST } = await import('../helpers/images.js')
    const [a, b] = await Promise.all([startRegistry(), startRegistry()])
    try {
      const img = await pushImage(a.url, 'dup/app', [randomBlob(1000)])
      const entry = { mediaType: OCI_MANIFEST, digest: img.digest, size: img.bytes.length }
      const bytes = oddJson({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [entry, entry] })
      const digest = await pushManifest(a.url, 'dup/app', 'v1', bytes, OCI_INDEX)
      const client = createRegistryClient()
      const result = await promote(client, {
        source: { registry: a.host, repository: 'dup/app', reference: 'v1' },
        targets: [{ repo: { registry: b.host, repository: 'dup/app' }, tags: ['v1'] }]
      })
      await client.close()
      expect(result.digest).toBe(digest)
      // the index and its child once each; the source's one tag listing says neither has a
      // referrers or cosign tag, so none is asked for; the target's (404: a new repository) says
      // no child manifest or blob needs a HEAD
      expect(client.stats.manifestGets).toBe(2)
      expect(client.stats.tagListGets).toBe(2)
      expect(result.plan.targets[0].manifests.push).toEqual([img.digest, digest])
      expect((await rawManifest(b.url, 'dup/app', 'v1'))?.bytes.equals(bytes)).toBe(true)
    } finally {
      await Promise.all([a.stop(), b.stop()])
    }
  })
})
