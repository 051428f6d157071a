import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { promote } from '../../src/copy/promote.js'
import type { RegistryClient } from '../../src/registry/client.js'
import { createRegistryClient } from '../../src/registry/factory.js'
import { rawManifest, type SeededImage } from '../helpers/images.js'
import { startProxy, type FaultHook, type Proxy } from '../helpers/proxy.js'
import { startRegistry, type TestRegistry } from '../helpers/registry.js'
import { seedImage } from './fixtures.js'

/**
 * Bug 2 of issue 9: the first request to a registry, `GET /v2/`, was not retried, so a 429 or a
 * 503 to it failed the whole promotion ("not an OCI distribution registry API"). The ping is now
 * sent only when a request fails before the registry has answered any (transport.ts request), or
 * when asked for (Transport.base): the proxy here resets every request until the ping comes.
 */
describe('the /v2/ ping is retried like any request, and its answer is kept for the run', () => {
  let src: TestRegistry
  let dst: TestRegistry
  let proxy: Proxy
  let image: SeededImage
  const clients: RegistryClient[] = []
  let waits: number[] = []
  let targetNo = 0

  beforeAll(async () => {
    ;[src, dst] = await Promise.all([startRegistry(), startRegistry()])
    proxy = await startProxy(src.url)
    image = await seedImage(src.url, 'team/app', 'v1', [40_000, 3_000])
  })
  afterAll(async () => {
    await Promise.all(clients.map(c => c.close()))
    await proxy?.stop()
    await Promise.all([src?.stop(), dst?.stop()])
  })

  /** A client whose sleeps are recorded and skipped; the proxy gets `fault` from a fresh log. */
  const client = (fault: FaultHook, retry: Record<string, number> = {}): RegistryClient => {
    proxy.reset()
    proxy.setFault(fault)
    waits = []
    const c = createRegistryClient({
      retry: { baseDelayMs: 10, maxDelayMs: 50, timeoutMs: 5000, ...retry },
      sleep: async ms => void waits.push(ms)
    })
    clients.push(c)
    return c
  }
  /** Resets every request until the first ping, which gets `status`; then passes all. */
  const firstPing = (status: number, headers: Record<string, string> = {}, body = ''): FaultHook => {
    let pinged = 0
    return req => {
      if (req.url === '/v2/') return pinged++ === 0 ? { kind: 'respond', status, headers, body } : undefined
      return pinged ? undefined : { kind: 'reset' }
    }
  }
  const promoteFromProxy = async (c: RegistryClient): Promise<string> => {
    const target = `prod/ping${++targetNo}`
    const r = await promote(c, {
      source: { registry: proxy.host, repository: 'team/app', reference: 'v1' },
      targets: [{ repo: { registry: dst.host, repository: target }, tags: ['v1'] }]
    })
    expect(r.digest).toBe(image.digest)
    expect((await rawManifest(dst.url, target, 'v1'))?.digest).toBe(image.digest)
    return target
  }
  const pings = (): number[] => proxy.entries('GET', /^\/v2\/$/).map(e => e.status)

  it('waits out a 429 with Retry-After: 1 on the first GET /v2/, then promotes, pinging no more', async () => {
    const body = JSON.stringify({ errors: [{ code: 'TOOMANYREQUESTS', message: 'slow down' }] })
    const c = client(firstPing(429, { 'retry-after': '1', 'content-type': 'application/json' }, body))
    expect((await c.transport.base(proxy.host)).href).toBe(`${proxy.url}/`)
    await promoteFromProxy(c)
    expect(pings()).toEqual([429, 200])
    // the ping's own wait is exactly what Retry-After asked for
    expect(waits[0]).toBe(1000)
    expect(c.transport.stats).toMatchObject({ retries: 1, waitedMs: 1000, tooManyRequests: 1 })
    // every request after the ping used its answer: the source saw no third GET /v2/
    expect(proxy.count('GET', /^\/v2\/team\/app\/blobs\//)).toBe(3)
  })

  it('retries a 503 to the first GET /v2/ after a backoff, then promotes', async () => {
    const c = client(firstPing(503))
    expect((await c.transport.base(proxy.host)).href).toBe(`${proxy.url}/`)
    await promoteFromProxy(c)
    expect(pings()).toEqual([503, 200])
    expect(c.transport.stats.retries).toBe(1)
    expect(c.transport.stats.tooManyRequests).toBe(0)
    // baseDelayMs 10, jittered into its upper half
    expect(waits).toHaveLength(1)
    expect(waits[0]).toBeGreaterThanOrEqual(5)
    expect(waits[0]).toBeLessThanOrEqual(10)
    expect(c.transport.stats.waitedMs).toBe(waits[0])
  })

  it('gives up on a ping that stays 503, says so, and does not keep the failure: the next request pings again', async () => {
    const body = JSON.stringify({ errors: [{ code: 'UNAVAILABLE', message: 'down for maintenance' }] })
    const c = client(
      req => (req.url === '/v2/' ? { kind: 'respond', status: 503, body } : { kind: 'reset' }),
      {
        retries: 2
      }
    )
    const repo = { registry: proxy.host, repository: 'team/app' }
    await expect(c.headManifest(repo, 'v1')).rejects.toThrow(
      `GET ${proxy.url}/v2/ answered 503: UNAVAILABLE: down for maintenance — gave up after 3 tries`
    )
    expect(pings()).toEqual([503, 503, 503])
    proxy.setFault(undefined)
    expect((await c.headManifest(repo, 'v1'))?.digest).toBe(image.digest)
    expect((await c.headManifest(repo, image.digest))?.digest).toBe(image.digest)
    // the next request goes to the presumed base again (http, a loopback host): its answer
    // confirms it, so no ping is needed any more
    expect(pings()).toEqual([503, 503, 503])
    expect(proxy.entries('HEAD', /\/manifests\//).map(e => e.status)).toEqual([0, 200, 200])
  })

  it('does not wait past the budget for a ping: Retry-After beyond it fails at once, naming both', async () => {
    const c = client(firstPing(429, { 'retry-after': '600' }), { budgetMs: 5000 })
    await expect(c.headManifest({ registry: proxy.host, repository: 'team/app' }, 'v1')).rejects.toThrow(
      `GET ${proxy.url}/v2/ answered 429 — Retry-After asks for 10 min, beyond the retry budget of 5 s: run again once that wait is over`
    )
    expect(pings()).toEqual([429])
    expect(waits).toEqual([])
  })

  it('still calls a 404 to /v2/ not a registry API, without retrying it', async () => {
    const c = client(firstPing(404))
    await expect(c.headManifest({ registry: proxy.host, repository: 'team/app' }, 'v1')).rejects.toThrow(
      `GET ${proxy.url}/v2/ answered 404 — not an OCI distribution registry API`
    )
    expect(pings()).toEqual([404])
    expect(c.transport.stats.retries).toBe(0)
  })
})
