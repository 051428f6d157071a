/**
 * The fan-out loop in chunked mode with two targets: one target's failure ends only its upload;
 * a source whose bytes do not match the digest completes no upload anywhere (the frame that
 * completes the blob is never sent) and every session is cancelled.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createRegistryClient } from '../../src/registry/factory.js'
import { promote, PromoteError } from '../../src/copy/promote.js'
import type { ProgressEvent } from '../../src/copy/progress.js'
import { progressLine } from '../../src/report/progress.js'
import { formatBytes } from '../../src/report/format.js'
import type { TestRegistry } from '../helpers/registry.js'
import { startProxy, type Proxy } from '../helpers/proxy.js'
import { pushImage, randomBlob, rawManifest, sha256, type SeededImage } from '../helpers/images.js'
import { sequence, type Names } from './tally.js'
import { startRegistries } from './setup.js'

describe('chunked fan-out to two registries', () => {
  let src: TestRegistry
  let dsts: TestRegistry[]
  let pa: Proxy
  let pb: Proxy
  let image: SeededImage
  let names: Names

  beforeAll(async () => {
    const regs = await startRegistries(3)
    ;[src, ...dsts] = regs
    ;[pa, pb] = await Promise.all(dsts.map(r => startProxy(r.url)))
    image = await pushImage(src.url, 'team/app', [randomBlob(250_000)], { tag: 'v1' })
    names = { [image.blobs[0].digest]: 'config', [image.blobs[1].digest]: 'layer' }
  })
  afterAll(async () => {
    await Promise.all([pa?.stop(), pb?.stop()])
    await Promise.all([src, ...(dsts ?? [])].map(r => r?.stop()))
  })

  const run = async (repository: string): Promise<unknown> => {
    const client = createRegistryClient()
    const outcome = await promote(client, {
      source: { registry: src.host, repository: 'team/app', reference: 'v1' },
      targets: [pa, pb].map(p => ({ repo: { registry: p.host, repository }, tags: ['v1'] })),
      uploadMode: 'chunked',
      chunkSize: 100_000,
      concurrency: 1,
      smallBlobsPerSlot: 1
    }).catch((e: unknown) => e)
    await client.close()
    return outcome
  }

  it("B refuses its second chunk: A gets every chunk and the blob; B's upload ends there", async () => {
    pa.reset()
    pb.reset()
    pb.setFault(req =>
      req.method === 'PATCH' && req.headers['content-range'] === '100000-199999'
        ? { kind: 'respond', status: 400, body: '{"errors":[{"code":"BLOB_UPLOAD_INVALID","message":"no"}]}' }
        : undefined
    )
    const error = await run('prod/one-fails')
    pb.setFault(undefined)
    expect(error).toBeInstanceOf(PromoteError)
    expect((error as PromoteError).failures.map(f => f.target)).toEqual([`${pb.host}/prod/one-fails`])
    expect(sequence(pa, names, /upload/)).toEqual([
      'POST prod/one-fails uploads 202',
      'PATCH prod/one-fails upload 202',
      'PATCH prod/one-fails upload 202',
      'PATCH prod/one-fails upload 202',
      'PUT prod/one-fails upload?digest=layer 201',
      'POST prod/one-fails uploads 202',
      'PATCH prod/one-fails upload 202',
      'PUT prod/one-fails upload?digest=config 201'
    ])
    // B: the first chunk, the refused second one, nothing more (not temporary: no retry)
    expect(sequence(pb, names, /upload/)).toEqual([
      'POST prod/one-fails uploads 202',
      'PATCH prod/one-fails upload 202',
      'PATCH prod/one-fails upload 400'
    ])
    expect((await rawManifest(dsts[0].url, 'prod/one-fails', image.digest))?.digest).toBe(image.digest)
  })

  it("B refuses the layer's closing PUT: the progress counts the config only, the layer as failed", async () => {
    pa.reset()
    pb.reset()
    const [config, layer] = image.blobs
    pb.setFault(req =>
      req.method === 'PUT' && req.url?.includes(`digest=${encodeURIComponent(layer.digest)}`)
        ? { kind: 'respond', status: 400, body: '{"errors":[{"code":"BLOB_UPLOAD_INVALID","message":"no"}]}' }
        : undefined
    )
    const events: ProgressEvent[] = []
    const client = createRegistryClient()
    const error = await promote(client, {
      source: { registry: src.host, repository: 'team/app', reference: 'v1' },
      targets: [pa, pb].map(p => ({
        repo: { registry: p.host, repository: 'prod/put-fails' },
        tags: ['v1']
      })),
      uploadMode: 'chunked',
      chunkSize: 100_000,
      concurrency: 1,
      smallBlobsPerSlot: 1,
      onProgress: e => events.push(e),
      progressIntervalMs: 0
    }).catch((e: unknown) => e)
    await client.close()
    pb.setFault(undefined)
    expect(error).toBeInstanceOf(PromoteError)
    // the layer landed at A, and B acknowledged all of its chunks, but its upload failed: not copied
    expect(sequence(pb, names, /upload/).slice(-1)).toEqual(['PUT prod/put-fails upload?digest=layer 400'])
    const last = events[events.length - 1]
    expect({ ...last, rateBytesPerSecond: 0 }).toEqual({
      bytes: config.size,
      totalBytes: config.size + layer.size,
      rateBytesPerSecond: 0,
      blobsDone: 1,
      blobsFailed: 1,
      blobsTotal: 2,
      active: [],
      done: true
    })
    const line = progressLine(last, { rateBytesPerSecond: 0 })
    expect(
      line.startsWith(`copied ${formatBytes(config.size)} of ${formatBytes(config.size + layer.size)} (0%), `)
    ).toBe(true)
    expect(line.endsWith(' on average (1 of 2 blobs done, 1 failed)')).toBe(true)
  })

  it('a corrupted source blob: full chunks at most, the last one never, both sessions cancelled', async () => {
    const corrupt = await pushImage(src.url, 'team/bad', [randomBlob(250_000)], { tag: 'v1' })
    const layer = corrupt.blobs[1]
    const hex = layer.digest.slice(7)
    const file = `${src.dir}/data/docker/registry/v2/blobs/sha256/${hex.slice(0, 2)}/${hex}/data`
    const bytes = await readFile(file)
    bytes[240_000] ^= 0xff
    await writeFile(file, bytes)
    pa.reset()
    pb.reset()
    const client = createRegistryClient()
    const error = await promote(client, {
      source: { registry: src.host, repository: 'team/bad', reference: 'v1' },
      targets: [pa, pb].map(p => ({ repo: { registry: p.host, repository: 'prod/bad' }, tags: ['v1'] })),
      uploadMode: 'chunked',
      chunkSize: 100_000,
      concurrency: 1,
      smallBlobsPerSlot: 1
    }).catch((e: unknown) => e)
    await client.close()
    expect(error).toBeInstanceOf(PromoteError)
    expect((error as PromoteError).failures.map(f => f.error.message)).toEqual(
      [pa, pb].map(
        () =>
          `blob ${src.host}/team/bad@${layer.digest}: expected digest ${layer.digest} but the bytes hash to ${sha256(bytes)} (250000 bytes)`
      )
    )
    // how many full chunks went out before the bad byte (at 240 000, in the held-back last chunk) was
    // hashed depends on how the source's bytes arrive (one read may hold the whole blob): 0 to 2
    // PATCHes of 100 000 bytes, never the last 50 000, then the session is cancelled
    for (const p of [pa, pb]) {
      const seen = sequence(p, { [layer.digest]: 'layer' }, /upload/)
      const patches = seen.length - 2
      expect(patches).toBeLessThanOrEqual(2)
      expect(seen).toEqual([
        'POST prod/bad uploads 202',
        ...Array<string>(patches).fill('PATCH prod/bad upload 202'),
        'DELETE prod/bad upload 204'
      ])
      expect(p.count('PUT', /./)).toBe(0)
    }
  })
})
