/**
 * Upload shapes: chunked PATCH uploads (OCI-Chunk-Min-Length honoured, Range checked), the chunked
 * fallback when a registry refuses a monolithic PUT with 413, 0-byte blobs, and non-distributable
 * layers left in place unless asked for.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { request } from 'undici'
import { createRegistryClient } from '../../src/registry/factory.js'
import { promote, PromoteError } from '../../src/copy/promote.js'
import type { TestRegistry } from '../helpers/registry.js'
import { startProxy, type Proxy } from '../helpers/proxy.js'
import {
  blobOf,
  CONFIG,
  OCI_MANIFEST,
  oddJson,
  pushBlob,
  pushImage,
  pushManifest,
  randomBlob,
  rawManifest,
  type SeededImage
} from '../helpers/images.js'
import { sequence, type Names } from './tally.js'
import { startRegistries } from './setup.js'
import { startUrlRegistry } from './url-registry.js'

/** Size of a blob at a registry by HEAD, or undefined on 404. */
async function headBlob(url: string, repo: string, digest: string): Promise<number | undefined> {
  const res = await request(`${url}/v2/${repo}/blobs/${digest}`, { method: 'HEAD' })
  await res.body.dump()
  return res.statusCode === 404 ? undefined : Number(res.headers['content-length'])
}

describe('chunked uploads', () => {
  let src: TestRegistry
  let dst: TestRegistry
  let pd: Proxy
  let image: SeededImage
  let names: Names

  beforeAll(async () => {
    ;[src, dst] = await startRegistries(2)
    pd = await startProxy(dst.url)
    image = await pushImage(src.url, 'team/app', [randomBlob(250_000)], { tag: 'v1' })
    names = { [image.blobs[0].digest]: 'config', [image.blobs[1].digest]: 'layer' }
  })
  afterAll(async () => {
    await pd?.stop()
    await Promise.all([src?.stop(), dst?.stop()])
  })

  const patches = (repo: string): Array<[string, number, number]> =>
    pd
      .entries('PATCH', new RegExp(`^/v2/${repo}/`))
      .map(e => [String(e.requestHeaders['content-range']), e.requestBytes, e.status])

  it('raises the chunk size to OCI-Chunk-Min-Length and sends exact chunks, the last one after the digest check', async () => {
    pd.reset()
    // the registry (through the proxy) asks for chunks of at least 100 000 bytes
    pd.setFault(req =>
      req.method === 'POST' ? { kind: 'rewrite', headers: { 'oci-chunk-min-length': '100000' } } : undefined
    )
    const client = createRegistryClient()
    const result = await promote(client, {
      source: { registry: src.host, repository: 'team/app', reference: 'v1' },
      targets: [{ repo: { registry: pd.host, repository: 'prod/chunked' }, tags: ['v1'] }],
      uploadMode: 'chunked',
      chunkSize: 64 * 1024,
      concurrency: 1,
      smallBlobsPerSlot: 1
    })
    pd.setFault(undefined)
    await client.close()
    const config = image.blobs[0]
    // largest first (concurrency 1): the layer, then the config
    expect(patches('prod/chunked')).toEqual([
      ['0-99999', 100_000, 202],
      ['100000-199999', 100_000, 202],
      ['200000-249999', 50_000, 202],
      [`0-${config.size - 1}`, config.size, 202]
    ])
    expect(sequence(pd, names, /upload/)).toEqual([
      'POST prod/chunked uploads 202',
      'PATCH prod/chunked upload 202',
      'PATCH prod/chunked upload 202',
      'PATCH prod/chunked upload 202',
      'PUT prod/chunked upload?digest=layer 201',
      'POST prod/chunked uploads 202',
      'PATCH prod/chunked upload 202',
      'PUT prod/chunked upload?digest=config 201'
    ])
    // the closing PUTs carry no bytes
    expect(pd.entries('PUT', /\/blobs\/uploads\//).map(e => e.requestBytes)).toEqual([0, 0])
    expect(pd.bytesOut(/\/blobs\/uploads\//)).toBe(250_000 + config.size)
    expect(client.stats.bytesUploaded).toBe(250_000 + config.size)
    expect(result.targets[0]).toMatchObject({
      blobsCopied: 2,
      bytesCopied: 250_000 + config.size,
      verified: true
    })
  })

  it('a Range that does not advance fails the target (after two retries), and no manifest or tag is written', async () => {
    pd.reset()
    pd.setFault(req => (req.method === 'PATCH' ? { kind: 'rewrite', headers: { range: '0-5' } } : undefined))
    const client = createRegistryClient()
    const error = await promote(client, {
      source: { registry: src.host, repository: 'team/app', reference: 'v1' },
      targets: [{ repo: { registry: pd.host, repository: 'prod/range' }, tags: ['v1'] }],
      uploadMode: 'chunked',
      chunkSize: 100_000,
      concurrency: 1,
      smallBlobsPerSlot: 1
    }).catch((e: unknown) => e)
    pd.setFault(undefined)
    await client.close()
    expect(error).toBeInstanceOf(PromoteError)
    expect((error as PromoteError).failures[0].error.message).toMatch(
      /^PATCH http:\/\/127\.0\.0\.1:\d+\/v2\/prod\/range\/blobs\/uploads\/\S+ answered 202 with Range "0-5": the upload did not advance to byte 99999 \(100000 bytes sent\) \(this target's delivery gave up after 3 attempts, each started afresh\)$/
    )
    // three tries of the first chunk of the largest blob; the target is then given up
    expect(patches('prod/range')).toEqual([
      ['0-99999', 100_000, 202],
      ['0-99999', 100_000, 202],
      ['0-99999', 100_000, 202]
    ])
    expect(pd.count('PUT', /./)).toBe(0)
    expect(await rawManifest(dst.url, 'prod/range', image.digest)).toBeUndefined()
  })

  it('a 429 with Retry-After on the closing PUT is waited out in the same session: no byte is sent again (issue 24, finding 2)', async () => {
    pd.reset()
    const layer = image.blobs[1]
    const config = image.blobs[0]
    let puts = 0
    // the layer's closing PUT is answered 429 once (before distribution sees it), then forwarded
    pd.setFault(req =>
      req.method === 'PUT' &&
      decodeURIComponent(req.url ?? '').includes(`digest=${layer.digest}`) &&
      ++puts === 1
        ? { kind: 'respond', status: 429, headers: { 'retry-after': '1' } }
        : undefined
    )
    const client = createRegistryClient()
    const result = await promote(client, {
      source: { registry: src.host, repository: 'team/app', reference: 'v1' },
      targets: [{ repo: { registry: pd.host, repository: 'prod/put429' }, tags: ['v1'] }],
      uploadMode: 'chunked',
      chunkSize: 100_000,
      concurrency: 1,
      smallBlobsPerSlot: 1
    })
    pd.setFault(undefined)
    await client.close()
    expect(sequence(pd, names, /upload/)).toEqual([
      'POST prod/put429 uploads 202',
      'PATCH prod/put429 upload 202',
      'PATCH prod/put429 upload 202',
      'PATCH prod/put429 upload 202',
      'PUT prod/put429 upload?digest=layer 429',
      'PUT prod/put429 upload?digest=layer 201',
      'POST prod/put429 uploads 202',
      'PATCH prod/put429 upload 202',
      'PUT prod/put429 upload?digest=config 201'
    ])
    // the second PUT closes the same session (its upload id), and every byte crossed once
    const [refused, closed] = pd.entries('PUT', new RegExp(`digest=${layer.digest.replace(':', '(:|%3A)')}`))
    expect(closed.path.replace(/\?.*/, '')).toBe(refused.path.replace(/\?.*/, ''))
    expect(pd.bytesOut(/\/blobs\/uploads\//)).toBe(layer.size + config.size)
    expect(result.targets[0]).toMatchObject({ blobsCopied: 2, bytesCopied: layer.size + config.size })
    expect((await headBlob(dst.url, 'prod/put429', layer.digest)) ?? 0).toBe(layer.size)
  })

  it('every 4th request answered 429 + Retry-After: 1: the chunked copy completes, one session per blob, each byte landed once (issue 24, finding 2)', async () => {
    pd.reset()
    const layer = image.blobs[1]
    const config = image.blobs[0]
    pd.setFault((_req, n) =>
      n % 4 === 0 ? { kind: 'respond', status: 429, headers: { 'retry-after': '1' } } : undefined
    )
    const client = createRegistryClient()
    const result = await promote(client, {
      source: { registry: src.host, repository: 'team/app', reference: 'v1' },
      targets: [{ repo: { registry: pd.host, repository: 'prod/every4th' }, tags: ['v1'] }],
      uploadMode: 'chunked',
      chunkSize: 100_000,
      concurrency: 1,
      smallBlobsPerSlot: 1
    })
    pd.setFault(undefined)
    await client.close()
    const uploads = pd.entries('*', /^\/v2\/prod\/every4th\/blobs\/uploads\//)
    expect(uploads.filter(e => e.status === 429).length).toBeGreaterThan(0)
    // one session per blob; what the registry took is each blob once (a 429'd PATCH never reached it)
    expect(uploads.filter(e => e.method === 'POST' && e.status === 202)).toHaveLength(2)
    expect(uploads.filter(e => e.status !== 429).reduce((n, e) => n + e.requestBytes, 0)).toBe(
      layer.size + config.size
    )
    expect(result.targets[0]).toMatchObject({ blobsCopied: 2, bytesCopied: layer.size + config.size })
    expect((await headBlob(dst.url, 'prod/every4th', layer.digest)) ?? 0).toBe(layer.size)
  })

  it('a monolithic PUT refused with 413 is sent again in chunks', async () => {
    pd.reset()
    const layer = image.blobs[1]
    pd.setFault(req =>
      req.method === 'PUT' &&
      req.url?.includes('/blobs/uploads/') &&
      Number(req.headers['content-length']) > 100_000
        ? { kind: 'respond', status: 413, body: 'request entity too large' }
        : undefined
    )
    const client = createRegistryClient()
    const result = await promote(client, {
      source: { registry: src.host, repository: 'team/app', reference: 'v1' },
      targets: [{ repo: { registry: pd.host, repository: 'prod/413' }, tags: ['v1'] }],
      chunkSize: 100_000,
      concurrency: 1,
      smallBlobsPerSlot: 1
    })
    pd.setFault(undefined)
    await client.close()
    expect(sequence(pd, names, /upload/)).toEqual([
      'POST prod/413 uploads 202',
      'PUT prod/413 upload?digest=layer 413',
      'POST prod/413 uploads 202',
      'PATCH prod/413 upload 202',
      'PATCH prod/413 upload 202',
      'PATCH prod/413 upload 202',
      'PUT prod/413 upload?digest=layer 201',
      'POST prod/413 uploads 202',
      'PUT prod/413 upload?digest=config 201'
    ])
    expect(patches('prod/413').map(p => p[0])).toEqual(['0-99999', '100000-199999', '200000-249999'])
    expect(result.targets[0]).toMatchObject({ blobsCopied: 2, verified: true })
    expect(await headBlob(dst.url, 'prod/413', layer.digest)).toBe(250_000)
  })
})

describe('0-byte blobs', () => {
  let src: TestRegistry
  let dst: TestRegistry
  let pd: Proxy
  let image: SeededImage
  const empty = blobOf(Buffer.alloc(0))

  beforeAll(async () => {
    ;[src, dst] = await startRegistries(2)
    pd = await startProxy(dst.url)
    image = await pushImage(src.url, 'team/app', [empty, randomBlob(1000)], { tag: 'v1' })
  })
  afterAll(async () => {
    await pd?.stop()
    await Promise.all([src?.stop(), dst?.stop()])
  })

  it.each([['monolithic' as const], ['chunked' as const]])(
    '%s: the empty blob is uploaded with 0 bytes',
    async mode => {
      pd.reset()
      const client = createRegistryClient()
      const result = await promote(client, {
        source: { registry: src.host, repository: 'team/app', reference: 'v1' },
        targets: [{ repo: { registry: pd.host, repository: `prod/${mode}` }, tags: ['v1'] }],
        uploadMode: mode
      })
      await client.close()
      expect(empty.digest).toBe('sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')
      const put = pd.entries('PUT', new RegExp(`digest=${encodeURIComponent(empty.digest)}`))
      expect(put.map(e => [e.status, e.requestBytes, e.requestHeaders['content-length']])).toEqual([
        [201, 0, '0']
      ])
      // no PATCH for it: an empty chunked upload is closed by the PUT alone
      expect(pd.count('PATCH', /./)).toBe(mode === 'chunked' ? 2 : 0)
      expect(await headBlob(dst.url, `prod/${mode}`, empty.digest)).toBe(0)
      expect((await rawManifest(dst.url, `prod/${mode}`, 'v1'))?.digest).toBe(image.digest)
      expect(result.targets[0]).toMatchObject({ blobsCopied: 3, verified: true })
    }
  )
})

describe('non-distributable layers', () => {
  let src: TestRegistry
  let dst: TestRegistry
  let pd: Proxy
  const foreign = blobOf(
    Buffer.from('a foreign layer, served from elsewhere'.repeat(100)),
    'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip'
  )
  const layer = randomBlob(5000)
  const config = blobOf(
    Buffer.from('{"os":"windows","architecture":"amd64","rootfs":{"type":"layers"}}'),
    CONFIG
  )
  let digest: string

  beforeAll(async () => {
    // registries that accept layer URLs (distribution's default refuses them)
    ;[src, dst] = await startRegistries(2, startUrlRegistry)
    pd = await startProxy(dst.url)
    for (const b of [config, foreign, layer]) await pushBlob(src.url, 'team/win', b)
    const bytes = oddJson({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: CONFIG, digest: config.digest, size: config.size },
      layers: [
        {
          mediaType: foreign.mediaType,
          digest: foreign.digest,
          size: foreign.size,
          urls: ['https://foreign.example.com/base.tar.gz']
        },
        { mediaType: layer.mediaType, digest: layer.digest, size: layer.size }
      ]
    })
    digest = await pushManifest(src.url, 'team/win', 'v1', bytes, OCI_MANIFEST)
  })
  afterAll(async () => {
    await pd?.stop()
    await Promise.all([src?.stop(), dst?.stop()])
  })

  it('left in place by default: not HEADed, not read, not uploaded; the manifest still lands', async () => {
    pd.reset()
    const client = createRegistryClient()
    const result = await promote(client, {
      source: { registry: src.host, repository: 'team/win', reference: 'v1' },
      targets: [{ repo: { registry: pd.host, repository: 'prod/win' }, tags: ['v1'] }]
    })
    await client.close()
    expect(pd.count('*', new RegExp(foreign.digest))).toBe(0)
    expect(client.stats.blobGets).toBe(2)
    expect(result.plan.targets[0].blobs.copy.map(b => b.digest)).toEqual([config.digest, layer.digest])
    expect(await headBlob(dst.url, 'prod/win', foreign.digest)).toBeUndefined()
    expect((await rawManifest(dst.url, 'prod/win', 'v1'))?.digest).toBe(digest)
  })

  it('includeNonDistributable copies it — also on a re-run where the image is already there', async () => {
    pd.reset()
    const client = createRegistryClient()
    const result = await promote(client, {
      source: { registry: src.host, repository: 'team/win', reference: 'v1' },
      targets: [{ repo: { registry: pd.host, repository: 'prod/win' }, tags: ['v1'] }],
      includeNonDistributable: true
    })
    await client.close()
    expect(result.plan.targets[0].blobs).toEqual({
      skip: [
        { digest: config.digest, size: config.size },
        { digest: layer.digest, size: layer.size }
      ],
      mount: [],
      copy: [{ digest: foreign.digest, size: foreign.size }]
    })
    expect(pd.bytesOut(/\/blobs\/uploads\//)).toBe(foreign.size)
    expect(await headBlob(dst.url, 'prod/win', foreign.digest)).toBe(foreign.size)
    expect(result.targets[0]).toMatchObject({ blobsSkipped: 2, blobsCopied: 1, bytesCopied: foreign.size })
  })
})
