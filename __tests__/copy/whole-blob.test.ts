/**
 * Small blobs read whole (copy/fanout.ts readsWhole, registry/client.ts readBlobBytes): a blob of a
 * monolithic upload under 1 MiB is read into one Buffer and checked (size, digest) before its PUT
 * is sent, so a corrupt or overlong source blob never reaches a target; its upload session is
 * cancelled. Real registries (distribution on loopback) behind fault and recording proxies of ours.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { request } from 'undici'
import { promote } from '../../src/copy/promote.js'
import { createRegistryClient } from '../../src/registry/factory.js'
import type { RetryPolicy } from '../../src/registry/retry.js'
import { startProxy, type Exchange, type FaultHook, type Proxy } from '../helpers/proxy.js'
import { startRegistry, type TestRegistry } from '../helpers/registry.js'
import { sha256, type SeededImage } from '../helpers/images.js'
import { capturingLogger, seedImage } from '../registry/fixtures.js'

describe('small blobs read whole before their upload', () => {
  let src: TestRegistry
  let dst: TestRegistry
  let srcProxy: Proxy
  let dstProxy: Proxy
  let image: SeededImage
  let small: SeededImage
  let targetNo = 0

  beforeAll(async () => {
    ;[src, dst] = await Promise.all([startRegistry(), startRegistry()])
    ;[srcProxy, dstProxy] = await Promise.all([startProxy(src.url), startProxy(dst.url)])
    // 600 000 bytes: under 1 MiB, and more than one 64 KiB read, so a streamed upload would have
    // sent its PUT with the first bytes
    image = await seedImage(src.url, 'team/app', 'v1', [600_000])
    // 10 000 bytes: a read deadline of 2 × the request timeout + 1 s
    small = await seedImage(src.url, 'team/small', 'v1', [10_000])
  })
  afterAll(async () => {
    await Promise.all([srcProxy?.stop(), dstProxy?.stop()])
    await Promise.all([src?.stop(), dst?.stop()])
  })

  const layer = (): { digest: string; bytes: Buffer } => image.blobs[1]
  /** Promotes team/app:v1 through both proxies with `onSrc` on the source's; the error it threw. */
  const failedCopy = async (onSrc: FaultHook): Promise<{ error: Error; target: string }> => {
    srcProxy.reset()
    dstProxy.reset()
    srcProxy.setFault(onSrc)
    const target = `prod/app${++targetNo}`
    const client = createRegistryClient({ retry: { baseDelayMs: 10, maxDelayMs: 50 } })
    try {
      const error = await promote(client, {
        source: { registry: srcProxy.host, repository: 'team/app', reference: 'v1' },
        targets: [{ repo: { registry: dstProxy.host, repository: target }, tags: ['v1'] }]
      }).then(
        () => new Error('copied'),
        (e: Error) => e
      )
      return { error, target }
    } finally {
      await client.close()
      srcProxy.setFault(undefined)
    }
  }
  /** The promotion's error when the layer failed at `target`, for `why`. */
  const incomplete = (target: string, why: string): string =>
    `promotion of ${image.digest} is incomplete; no tag was written on any target:\n  ${dstProxy.host}/${target}: ${why}`
  const layerGet: (action: ReturnType<FaultHook>) => FaultHook = action => req =>
    req.method === 'GET' && req.url!.endsWith(`/blobs/${layer().digest}`) ? action : undefined
  /** What the target was sent for the layer: its PUTs, the upload DELETEs, whether it holds it. */
  const atTarget = async (target: string): Promise<{ puts: number; deletes: number; status: number }> => {
    const digest = encodeURIComponent(layer().digest)
    const head = await request(`${dst.url}/v2/${target}/blobs/${layer().digest}`, { method: 'HEAD' })
    await head.body.dump()
    return {
      puts: dstProxy.entries('PUT', /\/blobs\/uploads\//).filter(e => e.path.includes(`digest=${digest}`))
        .length,
      deletes: dstProxy.count('DELETE', /\/blobs\/uploads\//),
      status: head.statusCode
    }
  }

  it('a byte flipped in transit: no PUT of the layer is sent, its session is cancelled', async () => {
    const flipped = Buffer.from(layer().bytes)
    flipped[500_000] ^= 0xff
    const { error, target } = await failedCopy(layerGet({ kind: 'flip', offset: 500_000 }))
    expect(error.message).toBe(
      incomplete(
        target,
        `blob ${srcProxy.host}/team/app@${layer().digest}: expected digest ${layer().digest} but the bytes hash to ${sha256(flipped)} (600000 bytes)`
      )
    )
    expect(await atTarget(target)).toEqual({ puts: 0, deletes: 1, status: 404 })
    expect(dstProxy.count('PUT', /\/manifests\//)).toBe(0)
  })

  // with its length announced (Content-Length past the size), the read stops at the descriptor's
  // size and the digest decides, as crane's does (registry/over-announced.test.ts, newuser6 #22)
  it.each([
    ['announced (Content-Length)', true],
    ['not announced (chunked)', false]
  ])(
    'a body 70 000 bytes longer than its size, %s: the same outcome, the size kept, a warning, the layer lands (review6 #4)',
    async (_, announced) => {
      // before, unannounced: refused '(more bytes than its size) (600001 bytes)', no PUT
      const long = Buffer.concat([layer().bytes, Buffer.alloc(70_000)])
      srcProxy.reset()
      dstProxy.reset()
      srcProxy.setFault(
        layerGet({
          kind: 'respond',
          status: 200,
          headers: announced ? { 'content-length': String(long.length) } : { 'transfer-encoding': 'chunked' },
          body: long
        })
      )
      const target = `prod/app${++targetNo}`
      const log = capturingLogger()
      const client = createRegistryClient({ logger: log, retry: { baseDelayMs: 10, maxDelayMs: 50 } })
      try {
        await promote(client, {
          source: { registry: srcProxy.host, repository: 'team/app', reference: 'v1' },
          targets: [{ repo: { registry: dstProxy.host, repository: target }, tags: ['v1'] }],
          logger: log
        })
      } finally {
        await client.close()
        srcProxy.setFault(undefined)
      }
      const said = announced
        ? `announces ${long.length} bytes (Content-Length)`
        : 'sent more than 600000 bytes'
      expect(log.lines.filter(l => l.startsWith('warning '))).toEqual([
        `warning ${srcProxy.host} ${said} for blob ${layer().digest} of team/app, which is 600000 bytes (the image's descriptor): reading 600000 bytes, the digest decides`
      ])
      expect(await atTarget(target)).toEqual({ puts: 1, deletes: 0, status: 200 })
      expect(srcProxy.count('GET', new RegExp(`/blobs/${layer().digest}$`))).toBe(1)
    }
  )

  it('a body cut short resumes from the byte it reached (Range), and the layer lands whole', async () => {
    let first = true
    srcProxy.reset()
    dstProxy.reset()
    srcProxy.setFault(req => {
      if (!first || req.method !== 'GET' || !req.url!.endsWith(`/blobs/${layer().digest}`)) return undefined
      first = false
      return { kind: 'truncate', bytes: 250_000 }
    })
    const client = createRegistryClient({ retry: { baseDelayMs: 10, maxDelayMs: 50 } })
    const target = `prod/app${++targetNo}`
    try {
      await promote(client, {
        source: { registry: srcProxy.host, repository: 'team/app', reference: 'v1' },
        targets: [{ repo: { registry: dstProxy.host, repository: target }, tags: ['v1'] }]
      })
    } finally {
      await client.close()
      srcProxy.setFault(undefined)
    }
    const gets = srcProxy.entries('GET', new RegExp(`/blobs/${layer().digest}$`))
    expect(gets.map(e => [e.requestHeaders.range, e.status, e.responseBytes])).toEqual([
      [undefined, 200, 250_000],
      ['bytes=250000-', 206, 350_000]
    ])
    expect(client.stats.blobResumes).toBe(1)
    const puts = dstProxy.entries('PUT', /\/blobs\/uploads\//)
    expect(puts.map(e => e.requestBytes).sort((a, b) => a - b)).toEqual(
      image.blobs.map(b => b.bytes.length).sort((a, b) => a - b)
    )
    const got = await request(`${dst.url}/v2/${target}/blobs/${layer().digest}`)
    expect(sha256(Buffer.from(await got.body.arrayBuffer()))).toBe(layer().digest)
  })

  /** Resumes a broken download (3 times, 10 ms apart); tries nothing else again. */
  const resumesOnly: RetryPolicy = {
    decide: a =>
      a.scope === 'download' && a.attempt < 3
        ? { retry: true, delayMs: 10, retryAfter: false }
        : { retry: false, reason: '' }
  }
  /** The transport's sleep, held: each wait is recorded and lasts until the test lets it go. */
  const heldSleeps = (): {
    sleep: (ms: number) => Promise<void>
    waits: Array<{ ms: number; go: () => void }>
    first: Promise<void>
  } => {
    const waits: Array<{ ms: number; go: () => void }> = []
    let started = (): void => undefined
    const first = new Promise<void>(resolve => (started = resolve))
    const sleep = (ms: number): Promise<void> =>
      new Promise<void>(resolve => {
        waits.push({ ms, go: resolve })
        started()
      })
    return { sleep, waits, first }
  }
  /** Lets every held wait go, then lets every step that follows at once run (microtasks). */
  const release = async (waits: Array<{ go: () => void }>): Promise<void> => {
    for (const w of waits) w.go()
    await new Promise(resolve => setImmediate(resolve))
  }

  it('every upload POST answered 500: the whole read ends with the transfer, no GET after it returned', async () => {
    srcProxy.reset()
    dstProxy.reset()
    const held = heldSleeps()
    // the layer's body is cut once, so its read waits to resume (held) when the POSTs are answered
    srcProxy.setFault(req =>
      req.method === 'GET' && req.url!.endsWith(`/blobs/${layer().digest}`) && !req.headers.range
        ? { kind: 'truncate', bytes: 100_000 }
        : undefined
    )
    dstProxy.setFault(req =>
      req.method === 'POST' && req.url!.endsWith('/blobs/uploads/')
        ? [
            { kind: 'until', released: held.first },
            { kind: 'respond', status: 500 }
          ]
        : undefined
    )
    const client = createRegistryClient({ retryPolicy: resumesOnly, sleep: held.sleep })
    const target = `prod/app${++targetNo}`
    try {
      const error = await promote(client, {
        source: { registry: srcProxy.host, repository: 'team/app', reference: 'v1' },
        targets: [{ repo: { registry: dstProxy.host, repository: target }, tags: ['v1'] }]
      }).then(
        () => new Error('copied'),
        (e: Error) => e
      )
      expect(error.message).toBe(
        incomplete(target, `POST ${dstProxy.url}/v2/${target}/blobs/uploads/ answered 500`)
      )
      // the transfer returned while the layer's read waited to resume: the config's GET, the layer's
      expect(held.waits.map(w => w.ms)).toEqual([10])
      expect(client.stats.blobGets).toBe(2)
      await release(held.waits)
      expect(client.stats.blobGets).toBe(2)
    } finally {
      await client.close()
      srcProxy.setFault(undefined)
      dstProxy.setFault(undefined)
    }
    expect(dstProxy.count('POST', /\/blobs\/uploads\/$/)).toBe(2)
    expect(dstProxy.count('PUT')).toBe(0)
    const gets = srcProxy.entries('GET', new RegExp(`/blobs/${layer().digest}$`))
    expect(gets.map(e => [e.requestHeaders.range, e.status, e.responseBytes])).toEqual([
      [undefined, 200, 100_000]
    ])
  })

  /** Resolves once `done()` holds, looked at every 10 ms (an event of the proxy's, no clock). */
  const until = async (done: () => boolean): Promise<void> => {
    while (!done()) await new Promise(resolve => setTimeout(resolve, 10))
  }

  it('every upload POST answered 500 while the body stalls: the GET is closed when the transfer returns', async () => {
    srcProxy.reset()
    dstProxy.reset()
    const held = heldSleeps()
    const layerGets = (): Exchange[] => srcProxy.entries('GET', new RegExp(`/blobs/${layer().digest}$`))
    // the layer's body stops after 100 000 bytes (the connection open); the POSTs are answered then
    srcProxy.setFault(layerGet({ kind: 'stall', afterBytes: 100_000 }))
    const stalled = until(() => layerGets()[0]?.responseBytes === 100_000)
    dstProxy.setFault(req =>
      req.method === 'POST' && req.url!.endsWith('/blobs/uploads/')
        ? [
            { kind: 'until', released: stalled },
            { kind: 'respond', status: 500 }
          ]
        : undefined
    )
    // a stalled body fails after 3 s; it would then wait to resume (held)
    const client = createRegistryClient({
      retry: { timeoutMs: 3000 },
      retryPolicy: resumesOnly,
      sleep: held.sleep
    })
    const target = `prod/app${++targetNo}`
    try {
      const error = await promote(client, {
        source: { registry: srcProxy.host, repository: 'team/app', reference: 'v1' },
        targets: [{ repo: { registry: dstProxy.host, repository: target }, tags: ['v1'] }]
      }).then(
        () => new Error('copied'),
        (e: Error) => e
      )
      expect(error.message).toBe(
        incomplete(target, `POST ${dstProxy.url}/v2/${target}/blobs/uploads/ answered 500`)
      )
      // the body closed by us, or failed at its timeout and waiting to resume
      await until(() => layerGets()[0].clientGone === true || held.waits.length > 0)
      expect(held.waits).toEqual([])
      expect(layerGets().map(e => [e.status, e.responseBytes, e.clientGone])).toEqual([[200, 100_000, true]])
      expect(client.stats.blobGets).toBe(2)
    } finally {
      await client.close()
      srcProxy.setFault(undefined)
      dstProxy.setFault(undefined)
    }
    expect(dstProxy.count('PUT')).toBe(0)
  })

  it('the deadline passes while a resume waits: no GET after it', async () => {
    srcProxy.reset()
    const held = heldSleeps()
    const blob = small.blobs[1]
    srcProxy.setFault(req =>
      req.method === 'GET' && req.url!.endsWith(`/blobs/${blob.digest}`) && !req.headers.range
        ? { kind: 'truncate', bytes: 4_000 }
        : undefined
    )
    const client = createRegistryClient({
      retry: { timeoutMs: 1000 },
      retryPolicy: resumesOnly,
      sleep: held.sleep
    })
    try {
      await expect(
        client.readBlobBytes({ registry: srcProxy.host, repository: 'team/small' }, blob.digest, 10_000)
      ).rejects.toThrow(
        `blob ${srcProxy.host}/team/small@${blob.digest} did not arrive whole within 3 s (twice the request timeout + 1 s per 16 KiB of its size)`
      )
      // the deadline came while the read waited to resume
      expect(held.waits.map(w => w.ms)).toEqual([10])
      await release(held.waits)
      expect(client.stats.blobGets).toBe(1)
    } finally {
      await client.close()
      srcProxy.setFault(undefined)
    }
    const gets = srcProxy.entries('GET', new RegExp(`/blobs/${blob.digest}$`))
    expect(gets.map(e => [e.requestHeaders.range, e.status, e.responseBytes])).toEqual([
      [undefined, 200, 4_000]
    ])
  })

  it('a streamed read (readBlob) destroyed, or past its deadline, while a resume waits: no GET after it', async () => {
    const blob = small.blobs[1]
    const repo = { registry: srcProxy.host, repository: 'team/small' }
    srcProxy.setFault(req =>
      req.method === 'GET' && req.url!.endsWith(`/blobs/${blob.digest}`) && !req.headers.range
        ? { kind: 'truncate', bytes: 4_000 }
        : undefined
    )
    try {
      for (const end of ['destroyed', 'deadline'] as const) {
        srcProxy.reset()
        const held = heldSleeps()
        const client = createRegistryClient({
          retry: { timeoutMs: 1000 },
          retryPolicy: resumesOnly,
          sleep: held.sleep
        })
        try {
          const body = client.readBlob(repo, blob.digest, 10_000)
          const failed = new Promise<Error | undefined>(resolve => {
            body.on('error', resolve)
            body.on('close', () => resolve(undefined))
          })
          body.resume()
          await held.first
          // destroyed by us, or by the deadline (at once; its error comes once the read has ended)
          if (end === 'destroyed') body.destroy()
          else await until(() => body.destroyed)
          expect(held.waits.map(w => w.ms)).toEqual([10])
          await release(held.waits)
          expect([end, client.stats.blobGets]).toEqual([end, 1])
          expect((await failed)?.message).toBe(
            end === 'destroyed'
              ? undefined
              : `blob ${srcProxy.host}/team/small@${blob.digest} did not arrive whole within 3 s (twice the request timeout + 1 s per 16 KiB of its size)`
          )
        } finally {
          await client.close()
        }
        const gets = srcProxy.entries('GET', new RegExp(`/blobs/${blob.digest}$`))
        expect(gets.map(e => [e.requestHeaders.range, e.status, e.responseBytes])).toEqual([
          [undefined, 200, 4_000]
        ])
      }
    } finally {
      srcProxy.setFault(undefined)
    }
  })

  it('stopped while its GET waits for an answer: the answer is not read, no error left unhandled', async () => {
    const blob = small.blobs[1]
    const repo = { registry: srcProxy.host, repository: 'team/small' }
    for (const read of ['readBlobBytes', 'readBlob'] as const) {
      srcProxy.reset()
      let answer = (): void => undefined
      const answered = new Promise<void>(resolve => (answer = resolve))
      srcProxy.setFault(req =>
        req.method === 'GET' && req.url!.endsWith(`/blobs/${blob.digest}`)
          ? { kind: 'until', released: answered }
          : undefined
      )
      const client = createRegistryClient({ retryPolicy: resumesOnly })
      try {
        if (read === 'readBlobBytes') {
          const stop = new AbortController()
          const bytes = client.readBlobBytes(repo, blob.digest, 10_000, { signal: stop.signal })
          await until(() => srcProxy.count('GET') === 1)
          stop.abort()
          answer()
          await expect(bytes).rejects.toThrow('This operation was aborted')
        } else {
          const body = client.readBlob(repo, blob.digest, 10_000)
          const closed = new Promise(resolve => body.once('close', resolve))
          body.resume()
          await until(() => srcProxy.count('GET') === 1)
          body.destroy()
          answer()
          await closed
        }
        expect([read, client.stats.blobGets]).toEqual([read, 1])
      } finally {
        await client.close()
        srcProxy.setFault(undefined)
      }
    }
  })
})
