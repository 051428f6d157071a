/**
 * A body read whole (a manifest, a tag-list page) that breaks after its headers is a failed try of
 * its request (transport.ts requestWhole), tried again within the request's count, and named when
 * every try broke (newuser6 #1: one cut manifest body failed a promotion at once with undici's bare
 * `other side closed`). A real registry behind a stand-in that cuts the bodies.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createRegistryClient } from '../../src/registry/factory.js'
import type { RegistryClient } from '../../src/registry/client.js'
import { BodyBrokenError, isTemporary } from '../../src/registry/errors.js'
import { promote } from '../../src/copy/promote.js'
import { startRegistry, type TestRegistry } from '../helpers/registry.js'
import { startProxy, type FaultHook, type Proxy } from '../helpers/proxy.js'
import { rawManifest, type SeededImage } from '../helpers/images.js'
import { runCliFromSource } from '../helpers/cli-source.js'
import { seedImage } from './fixtures.js'

describe('a body read whole that breaks after its headers', () => {
  let src: TestRegistry
  let dst: TestRegistry
  let proxy: Proxy
  let image: SeededImage
  const clients: RegistryClient[] = []

  beforeAll(async () => {
    ;[src, dst] = await Promise.all([startRegistry(), startRegistry()])
    proxy = await startProxy(src.url)
    image = await seedImage(src.url, 'team/app', 'v1', [2_000, 1_000])
  })
  afterAll(async () => {
    await Promise.all(clients.map(c => c.close()))
    await proxy?.stop()
    await Promise.all([src?.stop(), dst?.stop()])
  })

  const client = (retries = 4): RegistryClient => {
    const c = createRegistryClient({ retry: { retries, baseDelayMs: 1, maxDelayMs: 2, timeoutMs: 5000 } })
    clients.push(c)
    return c
  }
  const fault = (f: FaultHook): void => {
    proxy.reset()
    proxy.setFault(f)
  }
  const repo = (): { registry: string; repository: string } => ({
    registry: proxy.host,
    repository: 'team/app'
  })
  const tagGets = /\/manifests\/v1$/
  /** cuts the body of the first `times` manifest GETs by tag after 100 bytes */
  const cutManifest =
    (times: number): FaultHook =>
    req =>
      req.method === 'GET' && tagGets.test(req.url!) && times-- > 0
        ? { kind: 'truncate', bytes: 100 }
        : undefined

  it('a manifest GET whose body was cut once is sent again and read whole', async () => {
    fault(cutManifest(1))
    const c = client()
    const m = await c.getManifest(repo(), 'v1')
    expect(m?.digest).toBe(image.digest)
    expect(m?.bytes.equals(image.bytes)).toBe(true)
    expect(proxy.entries('GET', tagGets).map(e => [e.status, e.responseBytes])).toEqual([
      [200, 100],
      [200, image.bytes.length]
    ])
    expect(c.transport.stats.retries).toBe(1)
  })

  it('a manifest body cut on every try fails after the request tries, naming the manifest and the bytes', async () => {
    fault(cutManifest(100))
    const e = await client(2)
      .getManifest(repo(), 'v1')
      .catch((x: unknown) => x)
    expect(e).toBeInstanceOf(BodyBrokenError)
    const m = new RegExp(
      `^manifest ${proxy.host}/team/app:v1: the connection was closed after (\\d+) of ${image.bytes.length} bytes of the body \\(3 tries, \\d+\\.\\d s in all; UND_ERR_SOCKET\\)$`
    ).exec((e as Error).message)
    expect(m).not.toBeNull()
    // at most what the stand-in sent (undici may drop bytes it buffered when the close arrives)
    expect(Number(m![1])).toBeLessThanOrEqual(100)
    expect(proxy.count('GET', tagGets)).toBe(3)
    // given up: no outer level repeats those tries
    expect(isTemporary(e)).toBe(false)
  })

  it('a tag-list page cut once is sent again', async () => {
    const list = /\/tags\/list/
    let times = 1
    fault(req => (list.test(req.url!) && times-- > 0 ? { kind: 'truncate', bytes: 5 } : undefined))
    expect(await client().listTags(repo())).toEqual(['v1'])
    expect(proxy.entries('GET', list).map(e => e.status)).toEqual([200, 200])
  })

  it("a promotion whose source manifest body was cut once promotes (the user's cutman case)", async () => {
    fault(cutManifest(1))
    const c = client()
    const r = await promote(c, {
      source: { registry: proxy.host, repository: 'team/app', reference: 'v1' },
      targets: [{ repo: { registry: dst.host, repository: 'prod/cut' }, tags: ['v1'] }]
    })
    expect(r.digest).toBe(image.digest)
    expect((await rawManifest(dst.url, 'prod/cut', 'v1'))?.digest).toBe(image.digest)
    expect(proxy.entries('GET', tagGets).map(e => [e.status, e.responseBytes])).toEqual([
      [200, 100],
      [200, image.bytes.length]
    ])
  })

  it('the CLI names the manifest and the tries when every body is cut', async () => {
    fault(cutManifest(100))
    const run = await runCliFromSource(['config', `${proxy.host}/team/app:v1`])
    expect(run.status).toBe(1)
    expect(run.stderr).toMatch(
      new RegExp(
        `^promote-image: manifest ${proxy.host}/team/app:v1: the connection was closed after \\d+ of ${image.bytes.length} bytes of the body \\(5 tries, \\d+\\.\\d s in all; UND_ERR_SOCKET\\)\\n$`
      )
    )
    // the default retries (4) with their backoff
    expect(proxy.count('GET', tagGets)).toBe(5)
  })
})
