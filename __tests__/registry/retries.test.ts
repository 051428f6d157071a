import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createRegistryClient } from '../../src/registry/factory.js'
import type { RegistryClient } from '../../src/registry/client.js'
import { promote, type PromoteOptions, type ProgressEvent } from '../../src/copy/promote.js'
import { startRegistry, type TestRegistry } from '../helpers/registry.js'
import { startProxy, type FaultHook, type Proxy } from '../helpers/proxy.js'
import { listTags, rawManifest, type SeededImage } from '../helpers/images.js'
import { capturingLogger, seedImage, type CapturingLogger } from './fixtures.js'

describe('retries, timeouts and resumed downloads through a fault proxy', () => {
  let src: TestRegistry
  let dst: TestRegistry
  let proxy: Proxy
  let image: SeededImage
  let log: CapturingLogger
  const clients: RegistryClient[] = []
  let targetNo = 0

  beforeAll(async () => {
    ;[src, dst] = await Promise.all([startRegistry(), startRegistry()])
    proxy = await startProxy(src.url)
    image = await seedImage(src.url, 'team/app', 'v1', [300_000, 20_000])
  })
  afterAll(async () => {
    await Promise.all(clients.map(c => c.close()))
    await proxy?.stop()
    await Promise.all([src?.stop(), dst?.stop()])
  })

  const client = (
    retry: Record<string, number> = {},
    sleep?: (ms: number) => Promise<void>
  ): RegistryClient => {
    log = capturingLogger()
    const c = createRegistryClient({
      retry: { baseDelayMs: 10, maxDelayMs: 50, timeoutMs: 1000, ...retry },
      logger: log,
      sleep
    })
    clients.push(c)
    return c
  }
  const repo = { registry: '', repository: 'team/app' }
  const fault = (f: FaultHook): void => {
    proxy.reset()
    proxy.setFault(f)
  }
  const layer = (): string => image.blobs[1].digest // the 300 000-byte layer
  /**
   * Progress options for `copy` that resolve `taken` once the copy has taken `bytes` of the layer
   * from its source: a stand-in cut that waits for it (closeWhen) finds nothing left unread in the
   * client, so the client resumes from exactly the byte where the stand-in cut.
   */
  const layerTaken = (bytes: number): { taken: Promise<void>; extra: Partial<PromoteOptions> } => {
    let resolve = (): void => undefined
    const taken = new Promise<void>(r => (resolve = r))
    const onProgress = (p: ProgressEvent): void => {
      if (p.active.some(a => a.digest === layer() && a.bytes >= bytes)) resolve()
    }
    return { taken, extra: { onProgress, progressIntervalMs: 0 } }
  }
  const copy = async (c: RegistryClient, extra: Partial<PromoteOptions> = {}): Promise<string> => {
    const target = `prod/app${++targetNo}`
    const r = await promote(c, {
      source: { registry: proxy.host, repository: 'team/app', reference: 'v1' },
      targets: [{ repo: { registry: dst.host, repository: target }, tags: ['v1'] }],
      ...extra
    })
    expect(r.digest).toBe(image.digest)
    const got = await rawManifest(dst.url, target, 'v1')
    expect(got?.digest).toBe(image.digest)
    expect(got!.bytes.equals(image.bytes)).toBe(true)
    return target
  }

  it.each([408, 429, 500, 502, 503, 504])('retries a manifest GET answered %i once', async status => {
    repo.registry = proxy.host
    fault((req, n) =>
      req.method === 'GET' && n === 1 && /manifests/.test(req.url!) ? { kind: 'respond', status } : undefined
    )
    const c = client()
    const m = await c.getManifest(repo, 'v1')
    expect(m?.digest).toBe(image.digest)
    expect(proxy.count('GET', /\/manifests\/v1$/)).toBe(2)
    expect(proxy.entries('GET', /\/manifests\/v1$/).map(e => e.status)).toEqual([status, 200])
    expect(c.transport.stats.retries).toBe(1)
  })

  it('never retries a 400, and says what the registry said', async () => {
    repo.registry = proxy.host
    const body = JSON.stringify({
      errors: [{ code: 'MANIFEST_INVALID', message: 'manifest invalid', detail: { reason: 'x' } }]
    })
    fault(req =>
      /manifests/.test(req.url!)
        ? { kind: 'respond', status: 400, headers: { 'content-type': 'application/json' }, body }
        : undefined
    )
    await expect(client().getManifest(repo, 'v1')).rejects.toThrow(
      `GET ${proxy.url}/v2/team/app/manifests/v1 answered 400: MANIFEST_INVALID: manifest invalid ({"reason":"x"})`
    )
    expect(proxy.count('*', /manifests/)).toBe(1)
  })

  it('never retries a 5xx whose OCI code is a verdict (MANIFEST_UNKNOWN), but does one with UNKNOWN', async () => {
    repo.registry = proxy.host
    const answer = (code: string): string =>
      JSON.stringify({
        errors: [
          { code: 'UNKNOWN', message: 'unknown error' },
          { code, message: 'm' }
        ]
      })
    fault(req =>
      /manifests/.test(req.url!)
        ? { kind: 'respond', status: 500, body: answer('MANIFEST_UNKNOWN') }
        : undefined
    )
    await expect(client().getManifest(repo, 'v1')).rejects.toThrow(
      `GET ${proxy.url}/v2/team/app/manifests/v1 answered 500: UNKNOWN: unknown error; MANIFEST_UNKNOWN: m`
    )
    expect(proxy.count('*', /manifests/)).toBe(1)

    fault((req, n) =>
      /manifests/.test(req.url!) && n === 1
        ? { kind: 'respond', status: 500, body: JSON.stringify({ errors: [{ code: 'UNKNOWN' }] }) }
        : undefined
    )
    expect((await client().getManifest(repo, 'v1'))?.digest).toBe(image.digest)
    expect(proxy.entries('GET', /manifests/).map(e => e.status)).toEqual([500, 200])
  })

  it('derives the retry budget from the timeout (a stall at 130 s is retried)', () => {
    const c = createRegistryClient({ retry: { timeoutMs: 130_000 } })
    clients.push(c)
    expect(c.transport.retryOptions).toMatchObject({ timeoutMs: 130_000, budgetMs: 280_000 })
  })

  it('gives up after the configured tries on a 503 that does not go away, naming them', async () => {
    repo.registry = proxy.host
    const body = JSON.stringify({ errors: [{ code: 'UNAVAILABLE', message: 'down for maintenance' }] })
    fault(req => (/manifests/.test(req.url!) ? { kind: 'respond', status: 503, body } : undefined))
    await expect(client({ retries: 2 }).getManifest(repo, 'v1')).rejects.toThrow(
      `GET ${proxy.url}/v2/team/app/manifests/v1 answered 503: UNAVAILABLE: down for maintenance — gave up after 3 tries`
    )
    expect(proxy.count('GET', /manifests/)).toBe(3)
  })

  it('retries connection resets and names the error when they persist', async () => {
    repo.registry = proxy.host
    fault((req, n) => (/manifests/.test(req.url!) && n <= 3 ? { kind: 'reset' } : undefined))
    expect((await client().getManifest(repo, 'v1'))?.digest).toBe(image.digest)
    expect(proxy.count('GET', /manifests/)).toBe(3)

    fault(req => (/manifests/.test(req.url!) ? { kind: 'reset' } : undefined))
    const e = await client({ retries: 1 })
      .getManifest(repo, 'v1')
      .catch((x: Error) => x)
    expect((e as Error).message).toMatch(
      new RegExp(
        `^GET ${proxy.url}/v2/team/app/manifests/v1: connection closed by the registry \\(2 tries, \\d+\\.\\d s in all; (ECONNRESET|UND_ERR_SOCKET)\\)$`
      )
    )
  })

  it('retries a request that gets no answer within timeoutMs', async () => {
    repo.registry = proxy.host
    fault((req, n) => (/manifests/.test(req.url!) && n === 1 ? { kind: 'hang' } : undefined))
    const t0 = Date.now()
    expect((await client({ timeoutMs: 400 }).getManifest(repo, 'v1'))?.digest).toBe(image.digest)
    expect(Date.now() - t0).toBeGreaterThanOrEqual(400)
    expect(proxy.entries('GET', /manifests/).map(e => e.status)).toEqual([0, 200])
  })

  it('honours Retry-After in seconds and as an HTTP date', async () => {
    repo.registry = proxy.host
    const waits: number[] = []
    const sleep = async (ms: number): Promise<void> => void waits.push(ms)
    fault((req, n) =>
      /manifests/.test(req.url!) && n === 1
        ? { kind: 'respond', status: 429, headers: { 'retry-after': '7' } }
        : undefined
    )
    expect((await client({}, sleep).getManifest(repo, 'v1'))?.digest).toBe(image.digest)
    // the request itself waits 7 s; the host block it set has passed by then (the sleep is fake here)
    expect(waits[0]).toBe(7000)

    waits.length = 0
    const at = new Date(Date.now() + 30_000).toUTCString()
    fault((req, n) =>
      /manifests/.test(req.url!) && n === 1
        ? { kind: 'respond', status: 503, headers: { 'retry-after': at } }
        : undefined
    )
    expect((await client({}, sleep).getManifest(repo, 'v1'))?.digest).toBe(image.digest)
    expect(waits[0]).toBeGreaterThan(28_000)
    expect(waits[0]).toBeLessThanOrEqual(30_000)
  })

  it('does not wait past the retry budget: fails at once when Retry-After asks for more', async () => {
    repo.registry = proxy.host
    const body = JSON.stringify({ errors: [{ code: 'TOOMANYREQUESTS', message: 'slow down' }] })
    fault(req =>
      /manifests/.test(req.url!)
        ? { kind: 'respond', status: 429, headers: { 'retry-after': '100' }, body }
        : undefined
    )
    const t0 = Date.now()
    await expect(client({ budgetMs: 5000 }).getManifest(repo, 'v1')).rejects.toThrow(
      `GET ${proxy.url}/v2/team/app/manifests/v1 answered 429: TOOMANYREQUESTS: slow down — Retry-After asks for 1 min 40 s, beyond the retry budget of 5 s: run again once that wait is over`
    )
    expect(Date.now() - t0).toBeLessThan(1000)
    expect(proxy.count('GET', /manifests/)).toBe(1)
  })

  it('resumes a blob download broken mid-body with Range from the next byte', async () => {
    let first = true
    const { taken, extra } = layerTaken(100_000)
    fault(req => {
      if (req.method === 'GET' && req.url!.endsWith(layer()) && first) {
        first = false
        // reset once the client has taken the 100 000 bytes (a reset when they were still in its
        // kernel buffer or undici's would drop them, and the resume would start earlier)
        return { kind: 'reset', afterBytes: 100_000, closeWhen: taken }
      }
      return undefined
    })
    const c = client()
    await copy(c, extra)
    const gets = proxy.entries('GET', new RegExp(`/blobs/${layer()}$`))
    expect(gets.map(e => [e.status, e.requestHeaders.range, e.responseBytes])).toEqual([
      [200, undefined, 100_000],
      [206, 'bytes=100000-', 200_000]
    ])
    expect(c.stats.blobResumes).toBe(1)
    expect(proxy.bytesIn(new RegExp(`/blobs/${layer()}$`))).toBe(300_000)
  })

  it('a download that keeps breaking fails naming the source blob, the bytes that came and the resumes used', async () => {
    fault(req =>
      req.method === 'GET' && req.url!.endsWith(layer()) ? { kind: 'truncate', bytes: 1000 } : undefined
    )
    const c = client({ retries: 2 })
    const stream = c.readBlob({ registry: proxy.host, repository: 'team/app' }, layer(), 300_000)
    const e = await (async () => {
      for await (const _ of stream) void _
    })().catch((x: Error) => x)
    // each try ends early at 1000 bytes of its answer: the first, then two resumes by Range
    expect((e as Error).message).toMatch(
      new RegExp(
        `^blob ${proxy.host}/team/app@${layer()}: the download broke after 3000 of 300000 bytes, 2 resumes used \\(`
      )
    )
    expect(proxy.entries('GET', new RegExp(`/blobs/${layer()}$`)).map(x => x.requestHeaders.range)).toEqual([
      undefined,
      'bytes=1000-',
      'bytes=2000-'
    ])
  })

  it('a promotion whose source blob keeps breaking fails after one transfer: its resumes are not repeated', async () => {
    fault(req =>
      req.method === 'GET' && req.url!.endsWith(layer()) ? { kind: 'truncate', bytes: 1000 } : undefined
    )
    const c = client({ retries: 2 })
    const e = await promote(c, {
      source: { registry: proxy.host, repository: 'team/app', reference: 'v1' },
      targets: [{ repo: { registry: dst.host, repository: `prod/broken${++targetNo}` }, tags: ['v1'] }]
    }).catch((x: Error) => x)
    expect((e as Error).message).toContain(
      `blob ${proxy.host}/team/app@${layer()}: the download broke after 3000 of 300000 bytes, 2 resumes used`
    )
    // one transfer: the first GET and its two resumes, not three transfers of three GETs each
    expect(proxy.count('GET', new RegExp(`/blobs/${layer()}$`))).toBe(3)
  })

  it('resumes after a truncated body too', async () => {
    let first = true
    const { taken, extra } = layerTaken(250_000)
    fault(req => {
      if (req.method === 'GET' && req.url!.endsWith(layer()) && first) {
        first = false
        // closed once the client has taken the 250 000 bytes: before that, a slow (loaded) client
        // still held up to ~120 KB of them in undici's body buffer, which the close destroyed, and it
        // resumed from there (221809, 231424) instead
        return { kind: 'truncate', bytes: 250_000, closeWhen: taken }
      }
      return undefined
    })
    const c = client()
    await copy(c, extra)
    expect(
      proxy
        .entries('GET', new RegExp(`/blobs/${layer()}$`))
        .map(e => [e.status, e.requestHeaders.range, e.responseBytes])
    ).toEqual([
      [200, undefined, 250_000],
      [206, 'bytes=250000-', 50_000]
    ])
    expect(c.stats.blobResumes).toBe(1)
  })

  it('restarts the blob from byte 0 when the source ignores Range, and still copies it whole', async () => {
    let n = 0
    fault(req => {
      if (req.method !== 'GET' || !req.url!.endsWith(layer())) return undefined
      return ++n === 1 ? { kind: 'reset', afterBytes: 100_000 } : { kind: 'range', value: null }
    })
    const c = client()
    await copy(c)
    expect(
      proxy.entries('GET', new RegExp(`/blobs/${layer()}$`)).map(e => [e.status, e.responseBytes])
    ).toEqual([
      [200, 100_000],
      [200, 300_000]
    ])
    expect([c.stats.blobResumes, c.stats.blobRestarts]).toEqual([0, 1])
  })

  it('fails with a clear message, and no tag at the target, when the source stays down', async () => {
    fault(req =>
      req.method === 'GET' && req.url!.endsWith(layer()) ? { kind: 'respond', status: 502 } : undefined
    )
    const target = `prod/app${++targetNo}`
    await expect(
      promote(client({ retries: 1 }), {
        source: { registry: proxy.host, repository: 'team/app', reference: 'v1' },
        targets: [{ repo: { registry: dst.host, repository: target }, tags: ['v1'] }]
      })
    ).rejects.toThrow(`GET ${proxy.url}/v2/team/app/blobs/${layer()} answered 502 — gave up after 2 tries`)
    expect(await listTags(dst.url, target)).toEqual([])
  })

  it('logs no credential and no secret query value', () => {
    expect(log.lines.join('\n')).not.toMatch(/authorization|basic [a-z0-9+/=]{8}|bearer /i)
  })
})
