/**
 * The progress names the target that holds a fan-out back (newuser4 #19's last item): a copy to
 * two real registries (distribution 2.8), one of them behind our proxy that forwards each upload
 * request only once the other target has answered its own (an order, not a speed). The progress
 * clock is injected: it moves 10 s while the slow target alone is waited on, so each event's period
 * is all of it waited on that one, and the event names it; the other is never named.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { promote } from '../../src/copy/promote.js'
import type { ProgressEvent } from '../../src/copy/progress.js'
import type { UploadMode } from '../../src/copy/fanout.js'
import { createRegistryClient } from '../../src/registry/factory.js'
import { pushImage, randomBlob, type SeededImage } from '../helpers/images.js'
import { startProxy, type Exchange, type Proxy } from '../helpers/proxy.js'
import type { TestRegistry } from '../helpers/registry.js'
import { startRegistries } from './setup.js'

const isUpload = (method: string, url: string): boolean =>
  (method === 'PATCH' || method === 'PUT') && url.includes('/blobs/uploads/')

const sleep = (ms: number): Promise<void> => new Promise(r => setTimeout(r, ms))

describe('the progress names the target the others wait on', () => {
  let src: TestRegistry
  let dsts: TestRegistry[]
  let proxies: Proxy[]
  let image: SeededImage

  beforeAll(async () => {
    const regs = await startRegistries(3)
    ;[src, ...dsts] = regs
    proxies = await Promise.all(dsts.map(r => startProxy(r.url)))
    image = await pushImage(src.url, 'team/app', [randomBlob(250_000)], { tag: 'v1' })
  })
  afterAll(async () => {
    await Promise.all((proxies ?? []).map(p => p.stop()))
    await Promise.all([src, ...(dsts ?? [])].map(r => r?.stop()))
  })

  /**
   * Copies the image to both proxies (repository `repo`), the `slow` one's k-th upload request
   * forwarded once the other's k-th has been answered and our client has had 10 ms to take the
   * answer; the clock then moves 10 s.
   */
  async function copy(repo: string, mode: UploadMode, slow: Proxy, fast: Proxy): Promise<ProgressEvent[]> {
    let t = 0
    let k = 0
    slow.reset()
    fast.reset()
    const answered = (n: number): boolean =>
      fast.log.filter((e: Exchange) => isUpload(e.method, e.path) && e.end !== undefined).length >= n
    slow.setFault(req => {
      if (!isUpload(req.method!, req.url!)) return undefined
      const n = ++k
      const released = (async () => {
        while (!answered(n)) await sleep(2)
        await sleep(10)
        t += 10_000
      })()
      return { kind: 'until', released }
    })
    const events: ProgressEvent[] = []
    const client = createRegistryClient()
    try {
      await promote(client, {
        source: { registry: src.host, repository: 'team/app', reference: 'v1' },
        targets: proxies.map(p => ({ repo: { registry: p.host, repository: repo }, tags: ['v1'] })),
        uploadMode: mode,
        chunkSize: 100_000,
        concurrency: 1,
        smallBlobsPerSlot: 1,
        onProgress: e => events.push(e),
        progressIntervalMs: 5000,
        progressNow: () => t
      })
    } finally {
      slow.setFault(undefined)
      await client.close()
    }
    return events
  }

  it.each<[UploadMode, number]>([
    ['chunked', 1],
    ['monolithic', 0]
  ])('%s: the events before the last name the slow target, whichever it is', async (mode, slowOne) => {
    const slow = proxies[slowOne]!
    const fast = proxies[1 - slowOne]!
    const events = await copy(`prod/${mode}`, mode, slow, fast)
    const last = events.at(-1)!
    // bytes as before: what landed; the last event names no one
    expect([last.bytes, last.totalBytes, last.done, last.waitingOn]).toEqual([
      image.blobs[0].size + image.blobs[1].size,
      image.blobs[0].size + image.blobs[1].size,
      true,
      undefined
    ])
    const before = events.slice(0, -1)
    expect(before.length).toBeGreaterThan(0)
    expect(before.map(e => e.waitingOn)).toEqual(before.map(() => [`${slow.host}/prod/${mode}`]))
  })
})
