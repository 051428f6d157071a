/**
 * newuser6 #22: a source blob answered with a `Content-Length` larger than the blob (the body itself
 * right and whole, the connection left open). The reader waited for the bytes announced until the
 * request timed out, then resumed past the blob's end and failed `416: invalid range`; now it reads
 * the descriptor's size, stops, lets the digest decide, and a warning names the registry, the blob
 * and both sizes. A proxy of ours in front of a real source registry adds 1000 to each blob GET's
 * `Content-Length`; the config is read whole (readBlobBytes), the 1.2 MB layer streamed (readBlob).
 * The request timeout is 2 s, so the run before the fix failed (416) rather than waited 2 minutes.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createRegistryClient } from '../../src/registry/factory.js'
import { promote } from '../../src/copy/promote.js'
import type { TestRegistry } from '../helpers/registry.js'
import { startProxy, type Proxy } from '../helpers/proxy.js'
import { pushImage, randomBlob, rawManifest, listTags, type SeededImage } from '../helpers/images.js'
import { capturingLogger } from './fixtures.js'
import { tally, type Names } from '../copy/tally.js'
import { startRegistries } from '../copy/setup.js'

describe('a source blob GET announcing more bytes than the blob has', () => {
  let src: TestRegistry
  let dst: TestRegistry
  let ps: Proxy
  let image: SeededImage
  let names: Names

  beforeAll(async () => {
    ;[src, dst] = await startRegistries(2)
    image = await pushImage(src.url, 'team/app', [randomBlob(1_200_000)], { tag: 'v1' })
    names = { [image.blobs[0].digest]: 'config', [image.blobs[1].digest]: 'layer' }
    const sizes = new Map(image.blobs.map(b => [b.digest, b.bytes.length]))
    ps = await startProxy(src.url, {
      fault: req => {
        const digest = /\/blobs\/(sha256:[0-9a-f]{64})$/.exec(decodeURIComponent(req.url ?? ''))?.[1]
        const size = digest && sizes.get(digest)
        return req.method === 'GET' && size
          ? { kind: 'rewrite', headers: { 'content-length': String(size + 1000) } }
          : undefined
      }
    })
  })
  afterAll(async () => {
    await ps?.stop()
    await Promise.all([src?.stop(), dst?.stop()])
  })

  it('each blob is read once, to its size; the copy lands and each blob is named in a warning', async () => {
    const log = capturingLogger()
    const c = createRegistryClient({ logger: log, retry: { timeoutMs: 2000 } })
    const repo = 'prod/app'
    const result = await promote(c, {
      source: { registry: ps.host, repository: 'team/app', reference: 'v1' },
      targets: [{ repo: { registry: dst.host, repository: repo }, tags: ['v1'] }],
      logger: log
    })
    await c.close()

    expect(result.digest).toBe(image.digest)
    // before: the body waited on until the timeout, then `Range: bytes=SIZE-` answered 416
    expect(tally(ps.entries('GET', /\/blobs\//), names)).toEqual({
      'GET team/app blobs/config 200': 1,
      'GET team/app blobs/layer 200': 1
    })
    expect(log.lines.filter(l => l.startsWith('warning ')).sort()).toEqual(
      image.blobs
        .map(
          b =>
            `warning ${ps.host} announces ${b.bytes.length + 1000} bytes (Content-Length) for blob ${b.digest} of team/app, which is ${b.bytes.length} bytes (the image's descriptor): reading ${b.bytes.length} bytes, the digest decides`
        )
        .sort()
    )
    expect((await rawManifest(dst.url, repo, image.digest))?.digest).toBe(image.digest)
    expect(await listTags(dst.url, repo)).toEqual(['v1'])
  })

  it('the same 1000 bytes more sent, not announced (chunked): the same outcome, each blob read once to its size (review6 #4)', async () => {
    // before: the layer (streamed) and the config (read whole) refused '(more bytes than its size)'
    const bodies = new Map(
      image.blobs.map(b => [b.digest, Buffer.concat([b.bytes, Buffer.alloc(1000, 0x20)])])
    )
    const chunked = await startProxy(src.url, {
      fault: req => {
        const digest = /\/blobs\/(sha256:[0-9a-f]{64})$/.exec(decodeURIComponent(req.url ?? ''))?.[1]
        const body = digest && bodies.get(digest)
        return req.method === 'GET' && body
          ? { kind: 'respond', status: 200, headers: { 'transfer-encoding': 'chunked' }, body }
          : undefined
      }
    })
    const log = capturingLogger()
    const c = createRegistryClient({ logger: log, retry: { timeoutMs: 2000 } })
    const repo = 'prod/chunked'
    try {
      const result = await promote(c, {
        source: { registry: chunked.host, repository: 'team/app', reference: 'v1' },
        targets: [{ repo: { registry: dst.host, repository: repo }, tags: ['v1'] }],
        logger: log
      })
      expect(result.digest).toBe(image.digest)
      expect(tally(chunked.entries('GET', /\/blobs\//), names)).toEqual({
        'GET team/app blobs/config 200': 1,
        'GET team/app blobs/layer 200': 1
      })
      expect(log.lines.filter(l => l.startsWith('warning ')).sort()).toEqual(
        image.blobs
          .map(
            b =>
              `warning ${chunked.host} sent more than ${b.bytes.length} bytes for blob ${b.digest} of team/app, which is ${b.bytes.length} bytes (the image's descriptor): reading ${b.bytes.length} bytes, the digest decides`
          )
          .sort()
      )
      expect(await listTags(dst.url, repo)).toEqual(['v1'])
    } finally {
      await c.close()
      await chunked.stop()
    }
  })
})
