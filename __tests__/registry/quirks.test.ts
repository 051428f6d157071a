import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { request } from 'undici'
import { createRegistryClient } from '../../src/registry/factory.js'
import type { RegistryClient } from '../../src/registry/client.js'
import { promote, type PromoteOptions } from '../../src/copy/promote.js'
import { startRegistry, type TestRegistry } from '../helpers/registry.js'
import { startProxy, type FaultHook, type Proxy } from '../helpers/proxy.js'
import { listTags, rawManifest, sha256, type SeededImage } from '../helpers/images.js'
import { MANIFEST_ACCEPT_LIST, capturingLogger, seedImage, type CapturingLogger } from './fixtures.js'

describe('registry quirks through fault proxies in front of real registries', () => {
  let src: TestRegistry
  let dst: TestRegistry
  let srcProxy: Proxy
  let dstProxy: Proxy
  let image: SeededImage
  let other: SeededImage
  let mountImage: SeededImage
  const log: CapturingLogger = capturingLogger()
  const clients: RegistryClient[] = []
  let targetNo = 0

  beforeAll(async () => {
    ;[src, dst] = await Promise.all([startRegistry(), startRegistry()])
    ;[srcProxy, dstProxy] = await Promise.all([startProxy(src.url), startProxy(dst.url)])
    image = await seedImage(src.url, 'team/app', 'v1', [300_000, 20_000])
    other = await seedImage(src.url, 'team/app', 'other', [1000])
  })
  afterAll(async () => {
    await Promise.all(clients.map(c => c.close()))
    await Promise.all([srcProxy?.stop(), dstProxy?.stop()])
    await Promise.all([src?.stop(), dst?.stop()])
  })

  const client = (retry: Record<string, number> = {}): RegistryClient => {
    const c = createRegistryClient({ retry: { baseDelayMs: 10, maxDelayMs: 50, ...retry }, logger: log })
    clients.push(c)
    return c
  }
  const faults = (onSrc?: FaultHook, onDst?: FaultHook): void => {
    srcProxy.reset()
    dstProxy.reset()
    srcProxy.setFault(onSrc)
    dstProxy.setFault(onDst)
  }
  const layer = (): string => image.blobs[1].digest
  const options = (target: string, extra: Partial<PromoteOptions> = {}): PromoteOptions => ({
    source: { registry: srcProxy.host, repository: 'team/app', reference: 'v1' },
    targets: [{ repo: { registry: dstProxy.host, repository: target }, tags: ['v1'] }],
    ...extra
  })
  const copy = async (c: RegistryClient, extra: Partial<PromoteOptions> = {}): Promise<string> => {
    const target = `prod/app${++targetNo}`
    const r = await promote(c, options(target, extra))
    expect(r.digest).toBe(image.digest)
    const got = await rawManifest(dst.url, target, 'v1')
    expect(got?.digest).toBe(image.digest)
    expect(got!.bytes.equals(image.bytes)).toBe(true)
    return target
  }
  const manifestExchanges = () =>
    [...srcProxy.log, ...dstProxy.log].filter(
      e => /\/manifests\//.test(e.path) && (e.method === 'GET' || e.method === 'HEAD')
    )

  describe('must-show', () => {
    it('a byte flipped in transit fails the copy before any manifest is pushed', async () => {
      const flipped = Buffer.from(image.blobs[1].bytes)
      flipped[150_000] ^= 0xff
      faults(req =>
        req.method === 'GET' && req.url!.endsWith(layer()) ? { kind: 'flip', offset: 150_000 } : undefined
      )
      const target = `prod/app${++targetNo}`
      await expect(promote(client(), options(target))).rejects.toThrow(
        `blob ${srcProxy.host}/team/app@${layer()}: expected digest ${layer()} but the bytes hash to ${sha256(flipped)} (300000 bytes)`
      )
      expect(dstProxy.count('PUT', /\/manifests\//)).toBe(0)
      expect(await listTags(dst.url, target)).toEqual([])
      const head = await request(`${dst.url}/v2/${target}/blobs/${layer()}`, { method: 'HEAD' })
      await head.body.dump()
      expect(head.statusCode).toBe(404)
    })

    it('429 with Retry-After: 1 on every fourth request: completes and waits at least as asked', async () => {
      // every fourth (was fifth before the ping went: the copy sends fewer requests, and fewer 429s came)
      const every4th: FaultHook = (_req, n) =>
        n % 4 === 0 ? { kind: 'respond', status: 429, headers: { 'retry-after': '1' } } : undefined
      faults(every4th, every4th)
      const c = client()
      const t0 = Date.now()
      await copy(c)
      const elapsed = Date.now() - t0
      let limited = 0
      let shortestGap = Infinity
      for (const p of [srcProxy, dstProxy]) {
        for (const e of p.log.filter(x => x.status === 429)) {
          limited++
          // the retry of the same request, when the transport retried it itself (an upload POST's
          // path names no blob: the next POST there may be another blob's, sent beside this one,
          // since no blob HEAD spaces them out in a new repository)
          const uploadPost = e.method === 'POST' && e.path.endsWith('/blobs/uploads/')
          const again = p.log.find(x => x.n > e.n && x.method === e.method && x.path === e.path)
          if (again && !uploadPost) shortestGap = Math.min(shortestGap, again.at - e.end!)
          // no new request to that host started while the host was held (50 ms for requests in
          // flight); a blob PUT's headers leave with its first body byte (undici), so one that
          // started before the hold reaches the proxy when its source GET answers: not counted
          const streamedPut = (x: { method: string; path: string }): boolean =>
            x.method === 'PUT' && x.path.includes('/blobs/uploads/')
          const early = p.log.filter(x => x.at > e.end! + 50 && x.at < e.end! + 1000 && !streamedPut(x))
          expect(early.map(x => `${x.method} ${x.path} +${x.at - e.end!} ms`)).toEqual([])
        }
      }
      expect(limited).toBeGreaterThanOrEqual(4)
      expect(c.transport.stats.tooManyRequests).toBe(limited)
      expect(shortestGap).toBeGreaterThanOrEqual(1000)
      expect(elapsed).toBeGreaterThanOrEqual(1000)
      log.info(
        `429 test: ${limited} answers 429, shortest retry gap ${shortestGap} ms, copy took ${elapsed} ms`
      )
      // every manifest GET and HEAD carried the full Accept list (at least the source's GET and the
      // target's root and tag HEADs, more when a 429 made one go twice)
      expect(manifestExchanges().length).toBeGreaterThanOrEqual(3)
      for (const e of manifestExchanges()) expect(e.requestHeaders.accept).toBe(MANIFEST_ACCEPT_LIST)
    })
  })

  describe('manifests', () => {
    it('computes the digest from the bytes when Docker-Content-Digest is missing', async () => {
      const drop: FaultHook = req =>
        /\/manifests\//.test(req.url!) ? { kind: 'dropHeader', name: 'docker-content-digest' } : undefined
      faults(drop, drop)
      await copy(client())
      expect(srcProxy.entries('GET', /\/manifests\//).length).toBeGreaterThan(0)
      for (const e of manifestExchanges()) {
        expect(e.responseHeaders?.['docker-content-digest']).toBeUndefined()
        expect(e.requestHeaders.accept).toBe(MANIFEST_ACCEPT_LIST)
      }
    })

    it.each([403, 405])('falls back to GET when HEAD is answered %i', async status => {
      const refuse: FaultHook = req =>
        req.method === 'HEAD' && /\/manifests\//.test(req.url!) ? { kind: 'respond', status } : undefined
      faults(refuse, refuse)
      const c = client()
      // the client's HEAD (resolve, inspect, the targets' probes; a promotion GETs its source)
      const d = await c.headManifest({ registry: srcProxy.host, repository: 'team/app' }, 'v1')
      expect(d).toEqual({ mediaType: image.mediaType, digest: image.digest, size: image.bytes.length })
      expect(srcProxy.entries('HEAD', /\/manifests\/v1$/).map(e => e.status)).toEqual([status])
      expect(srcProxy.count('GET', /\/manifests\/v1$/)).toBe(1)
    })

    it('falls back to GET when HEAD answers other than GET would (type, digest)', async () => {
      faults(req =>
        req.method === 'HEAD' && /\/manifests\/v1$/.test(req.url!)
          ? {
              kind: 'rewrite',
              headers: {
                'content-type': 'application/vnd.docker.distribution.manifest.v1+prettyjws',
                'docker-content-digest': other.digest
              }
            }
          : undefined
      )
      const d = await client().headManifest({ registry: srcProxy.host, repository: 'team/app' }, 'v1')
      expect(d?.digest).toBe(image.digest)
      expect(srcProxy.count('GET', /\/manifests\/v1$/)).toBe(1)
    })

    it('fails when a by-digest GET answers the bytes of another digest', async () => {
      faults(req =>
        req.method === 'GET' && req.url!.endsWith(`/manifests/${image.digest}`)
          ? {
              kind: 'respond',
              status: 200,
              headers: { 'content-type': other.mediaType, 'docker-content-digest': image.digest },
              body: other.bytes
            }
          : undefined
      )
      const target = `prod/app${++targetNo}`
      const source = { registry: srcProxy.host, repository: 'team/app', reference: image.digest }
      await expect(promote(client(), options(target, { source }))).rejects.toThrow(
        `manifest ${srcProxy.host}/team/app@${image.digest}: expected digest ${image.digest} but the bytes hash to ${other.digest} (${other.bytes.length} bytes)`
      )
      expect(dstProxy.count('PUT', /\/manifests\//)).toBe(0)
      expect(await listTags(dst.url, target)).toEqual([])
    })
  })

  describe('uploads', () => {
    it('accepts 201 on PATCH and a Range written as bytes=0-N', async () => {
      faults(undefined, req => {
        if (req.method !== 'PATCH') return undefined
        const end = String(req.headers['content-range']).split('-')[1]
        return { kind: 'rewrite', status: 201, headers: { range: `bytes=0-${end}` } }
      })
      const c = client()
      await copy(c, { uploadMode: 'chunked', chunkSize: 64 * 1024 })
      const patches = dstProxy.entries('PATCH', /\/blobs\/uploads\//)
      expect(patches.length).toBeGreaterThanOrEqual(5)
      expect(patches.every(e => e.status === 201)).toBe(true)
    })

    it('fails, naming the Range, when a PATCH does not advance the upload', async () => {
      faults(undefined, req =>
        req.method === 'PATCH' ? { kind: 'rewrite', headers: { range: 'bytes=0--1' } } : undefined
      )
      const target = `prod/app${++targetNo}`
      const err = await promote(
        client(),
        options(target, { uploadMode: 'chunked', chunkSize: 64 * 1024 })
      ).catch((e: Error) => e)
      expect((err as Error).message).toMatch(
        new RegExp(
          `PATCH ${dstProxy.url}/v2/${target}/blobs/uploads/[0-9a-f-]+\\?_state=… answered 202 with Range "bytes=0--1": the upload did not advance to byte \\d+ \\(\\d+ bytes sent\\)`
        )
      )
      expect(dstProxy.count('PUT', /\/manifests\//)).toBe(0)
      expect(await listTags(dst.url, target)).toEqual([])
    })

    it('after a finalising PUT that gets no answer, HEADs the blob before any retry', async () => {
      let hung = false
      faults(undefined, req => {
        if (!hung && req.method === 'PUT' && req.url!.includes(`digest=${encodeURIComponent(layer())}`)) {
          hung = true
          return { kind: 'hang', forward: true }
        }
        return undefined
      })
      const c = client({ timeoutMs: 1500 })
      await copy(c)
      const forLayer = dstProxy.log.filter(
        e => e.path.includes(layer()) || e.path.includes(encodeURIComponent(layer()))
      )
      const put = forLayer.findIndex(e => e.method === 'PUT')
      expect(forLayer[put].status).toBe(0)
      expect(forLayer.slice(put + 1).map(e => [e.method, e.path.replace(/\?.*/, ''), e.status])).toEqual([
        ['HEAD', `/v2/prod/app${targetNo}/blobs/${layer()}`, 200]
      ])
      expect(c.stats.uploadsConfirmedByHead).toBe(1)
    })

    it.each([401, 404])('falls back to a copy when a mount is answered %i', async status => {
      // source and target on the same registry, so the client tries a mount first
      await seedImage(dst.url, 'team/app', 'v1', [50_000]).then(img => (mountImage = img))
      faults(undefined, req =>
        req.method === 'POST' && /[?&]mount=/.test(req.url!)
          ? {
              kind: 'respond',
              status,
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({
                errors: [{ code: status === 401 ? 'UNAUTHORIZED' : 'BLOB_UNKNOWN', message: 'no' }]
              })
            }
          : undefined
      )
      const target = `prod/mount${status}`
      const r = await promote(client(), {
        source: { registry: dstProxy.host, repository: 'team/app', reference: 'v1' },
        targets: [{ repo: { registry: dstProxy.host, repository: target }, tags: ['v1'] }]
      })
      expect(r.digest).toBe(mountImage.digest)
      expect((await rawManifest(dst.url, target, 'v1'))?.digest).toBe(mountImage.digest)
      const posts = dstProxy.entries('POST', /\/blobs\/uploads\//)
      expect(posts.filter(e => e.status === status)).toHaveLength(mountImage.blobs.length)
      expect(posts.filter(e => e.status === 202 && !/mount=/.test(e.path))).toHaveLength(
        mountImage.blobs.length
      )
      expect(r.targets[0].blobsCopied).toBe(mountImage.blobs.length)
    })
  })

  it('logs no credential or Authorization value', () => {
    expect(log.lines.join('\n')).not.toMatch(/authorization:|basic [a-z0-9+/=]{8}|bearer [a-z0-9]/i)
  })
})
