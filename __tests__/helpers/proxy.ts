/**
 * A recording, fault-injecting HTTP proxy (node:http on 127.0.0.1:0) in front of a real registry.
 *
 * Usage:
 *   const reg = await startRegistry()
 *   const proxy = await startProxy(reg.url, {
 *     // n counts requests from 1 (since start or the last reset()); return undefined to forward as is
 *     fault: (req, n) => (n % 5 === 0 ? { kind: 'respond', status: 429, headers: { 'retry-after': '1' } } : undefined)
 *   })
 *   const client = createRegistryClient()            // talk to proxy.host instead of reg.host
 *   …
 *   expect(proxy.count('PUT', /\/manifests\//)).toBe(0)
 *   expect(proxy.log[0]).toMatchObject({ method: 'GET', path: '/v2/', status: 200 })
 *   proxy.setFault(undefined); proxy.reset()         // between cases
 *   await proxy.stop()                               // afterAll
 *
 * Every request is forwarded with both bodies streamed. `Location` headers that point at the upstream
 * are rewritten to point at the proxy (relative ones are left alone). Each exchange is appended to
 * `log` when it starts and updated as it goes, so hung and reset requests are recorded too.
 * Several faults combine when the hook returns an array (e.g. delay + dropHeader).
 */
import {
  createServer,
  request as httpRequest,
  Agent,
  type IncomingMessage,
  type ServerResponse
} from 'node:http'
import type { Socket } from 'node:net'

/** What the hook can do to one request. */
export type FaultAction =
  /** answer this instead of forwarding (e.g. 429 with Retry-After, 503, 401 with an OCI error body) */
  | { kind: 'respond'; status: number; headers?: Record<string, string>; body?: string | Buffer }
  /**
   * reset the TCP connection: before forwarding (no afterBytes), or after afterBytes of the response
   * body (see `truncate` for `closeWhen`)
   */
  | { kind: 'reset'; afterBytes?: number; closeWhen?: Promise<unknown> }
  /** wait ms before forwarding */
  | { kind: 'delay'; ms: number }
  /** forward only once `released` resolves (an order between requests, without a clock) */
  | { kind: 'until'; released: Promise<unknown> }
  /** flip (xor 0xff) the response body byte at offset (bytes from the start of this response body) */
  | { kind: 'flip'; offset: number }
  /**
   * send only the first `bytes` bytes of the response body (headers unchanged), then close the socket.
   * The bytes are flushed to the socket before it closes, but a client may still lose the ones it
   * buffered and had not taken when the close arrives (undici destroys the body with them), so where
   * it resumes depends on how fast it read. With `closeWhen` the socket is closed only once that
   * promise resolves (the test resolves it when the client has taken every byte sent): the byte the
   * client resumes from is then exactly `bytes`.
   */
  | { kind: 'truncate'; bytes: number; closeWhen?: Promise<unknown> }
  /** remove a response header (e.g. `docker-content-digest`) */
  | { kind: 'dropHeader'; name: string }
  /**
   * change the response status, set response headers (values replace upstream ones), and/or map the
   * `Location` header (given after it was pointed at the proxy)
   */
  | {
      kind: 'rewrite'
      status?: number
      headers?: Record<string, string>
      location?: (value: string) => string
    }
  /** answer a redirect to `location` instead of forwarding (default status 307) */
  | { kind: 'redirect'; status?: 301 | 302 | 303 | 307 | 308; location: string }
  /** never answer; with forward: true the upstream still gets (and completes) the request */
  | { kind: 'hang'; forward?: boolean }
  /** set (string) or remove (null) the request's `Range` header before forwarding */
  | { kind: 'range'; value: string | null }
  /** forward to this upstream path (with query) instead of the one asked (e.g. map `/elsewhere/…` to `/v2/…`) */
  | { kind: 'forwardTo'; path: string }
  /** send the response body at most this fast (bytes per second), in pieces of at most 16 KiB */
  | { kind: 'throttle'; bytesPerSecond: number }
  /** send the first `afterBytes` bytes of the response body, then nothing more (the socket stays open) */
  | { kind: 'stall'; afterBytes: number }
  /**
   * forward the first `afterBytes` bytes of the REQUEST body and drop the rest (`held` is set), never
   * answering; the client's going away cuts the forwarded request, so the upstream holds what it got
   */
  | { kind: 'holdRequest'; afterBytes: number }
  /**
   * an upload PATCH not forwarded as it comes: its body is kept up to `afterBytes` (then `held` is
   * set), the rest dropped, and no answer given; when the client goes away the proxy sends those bytes upstream as a PATCH of their own
   * (Content-Range adjusted) and from then on puts the `_state` that answer gave into every request
   * that comes with the `_state` the cut PATCH had: a registry that keeps the part of a cut PATCH it
   * received and reports it in its Range (distribution-spec end-13), which distribution itself does
   * not (its `_state` no longer matches the bytes it holds)
   */
  | { kind: 'commitPartial'; afterBytes: number }

export type FaultHook = (req: IncomingMessage, n: number) => FaultAction | FaultAction[] | undefined

/** One recorded exchange. Byte counts are body bytes (no headers). */
export interface Exchange {
  /** 1-based request number */
  n: number
  method: string
  /** path with query, as the client sent it */
  path: string
  /** status sent to the client; 0 when none was sent (reset, hang) */
  status: number
  /** request body bytes received from the client */
  requestBytes: number
  /** response body bytes sent to the client */
  responseBytes: number
  requestHeaders: Record<string, string | string[] | undefined>
  /** response headers as sent to the client (after faults) */
  responseHeaders?: Record<string, string | string[] | number | undefined>
  /** kinds of the faults applied */
  faults: string[]
  /** when the request arrived, ms since the epoch */
  at: number
  /** when the response ended (or the connection was cut), ms since the epoch */
  end?: number
  /** ms from request start to end of response */
  ms?: number
  /** a holdRequest or commitPartial fault stopped reading the request body */
  held?: boolean
  /** a forwarded response's client closed the connection before the response ended (stopped reading) */
  clientGone?: boolean
  /** commitPartial: the status of the proxy's own PATCH of the bytes received, once answered */
  committed?: number
}

export interface Proxy {
  /** `http://127.0.0.1:PORT` */
  url: string
  /** `127.0.0.1:PORT` (use as the registry in references) */
  host: string
  log: Exchange[]
  /** client connections (TCP) the proxy accepted since it started or the last reset() */
  connections(): number
  /** clears the log, the request counter and the connection counter */
  reset(): void
  setFault(fn: FaultHook | undefined): void
  /** exchanges whose method matches (or any when '*') and whose path matches */
  entries(method: string, path?: RegExp): Exchange[]
  /** number of such exchanges */
  count(method: string, path?: RegExp): number
  /** response body bytes sent to the client for paths matching (downloads) */
  bytesIn(path?: RegExp): number
  /** request body bytes received from the client for paths matching (uploads) */
  bytesOut(path?: RegExp): number
  stop(): Promise<void>
}

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer'
])

/**
 * Starts the proxy in front of `upstreamUrl` (`http://127.0.0.1:PORT`).
 * @returns the proxy; stop() closes every connection, including hung ones
 */
export async function startProxy(upstreamUrl: string, opts: { fault?: FaultHook } = {}): Promise<Proxy> {
  const upstream = new URL(upstreamUrl)
  const agent = new Agent({ keepAlive: true })
  const sockets = new Set<Socket>()
  const log: Exchange[] = []
  let counter = 0
  let accepted = 0
  let fault = opts.fault
  let self = ''
  /** commitPartial: the `_state` a cut PATCH was sent with → the one its stored part was answered with */
  const states = new Map<string, string>()

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const asked = new URL(req.url ?? '/', 'http://x')
    const newer = states.get(asked.searchParams.get('_state') ?? '')
    if (newer) {
      asked.searchParams.set('_state', newer)
      req.url = asked.pathname + asked.search
    }
    const n = ++counter
    const started = Date.now()
    const entry: Exchange = {
      n,
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      status: 0,
      requestBytes: 0,
      responseBytes: 0,
      requestHeaders: { ...req.headers },
      faults: [],
      at: started
    }
    const done = (): void => {
      entry.end = Date.now()
      entry.ms = entry.end - started
    }
    log.push(entry)
    req.on('data', (c: Buffer) => (entry.requestBytes += c.length))
    const raw = fault?.(req, n)
    const actions = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw]
    entry.faults = actions.map(a => a.kind)
    const find = <K extends FaultAction['kind']>(k: K): Extract<FaultAction, { kind: K }> | undefined =>
      actions.find(a => a.kind === k) as Extract<FaultAction, { kind: K }> | undefined

    for (const a of actions) if (a.kind === 'delay') await new Promise(r => setTimeout(r, a.ms))
    const until = find('until')
    if (until) {
      // a request body stays unread (paused) until it is forwarded
      req.pause()
      await until.released
    }

    const reset = find('reset')
    if (reset && reset.afterBytes === undefined) {
      req.resume()
      req.socket.resetAndDestroy()
      return
    }
    const commit = find('commitPartial')
    if (commit) {
      await commitPartial(req, entry, commit.afterBytes)
      return
    }
    const hang = find('hang')
    if (hang && !hang.forward) {
      req.resume()
      return
    }
    const respond = find('respond')
    const redirect = find('redirect')
    if (respond || redirect) {
      req.resume()
      // a body that ended while `until` held the request has emitted its end already
      if (!req.readableEnded) await new Promise(r => req.once('end', r))
      const status = respond ? respond.status : (redirect?.status ?? 307)
      const headers: Record<string, string> = respond
        ? { ...respond.headers }
        : { location: (redirect as { location: string }).location }
      const body = respond?.body ?? ''
      // a chunked answer (`transfer-encoding: chunked` given) announces no length
      if (!headers['transfer-encoding']) headers['content-length'] ??= String(Buffer.byteLength(body))
      entry.status = status
      entry.responseHeaders = headers
      entry.responseBytes = req.method === 'HEAD' ? 0 : Buffer.byteLength(body)
      res.writeHead(status, headers)
      res.end(req.method === 'HEAD' ? undefined : body)
      done()
      return
    }

    const headers: Record<string, string | string[]> = {}
    for (const [k, v] of Object.entries(req.headers)) {
      if (v !== undefined && !HOP_BY_HOP.has(k)) headers[k] = v
    }
    headers.host = upstream.host
    const range = find('range')
    if (range) {
      if (range.value === null) delete headers.range
      else headers.range = range.value
    }
    const up = httpRequest(
      {
        protocol: upstream.protocol,
        hostname: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: find('forwardTo')?.path ?? req.url,
        headers,
        agent
      },
      upRes => {
        if (hang) {
          upRes.resume()
          return
        }
        const out: Record<string, string | string[] | number> = {}
        for (const [k, v] of Object.entries(upRes.headers)) {
          if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = v
        }
        if (typeof out.location === 'string' && out.location.startsWith(upstream.origin)) {
          out.location = self + out.location.slice(upstream.origin.length)
        }
        let status = upRes.statusCode ?? 502
        for (const a of actions) {
          if (a.kind === 'dropHeader') delete out[a.name.toLowerCase()]
          if (a.kind === 'rewrite') {
            if (a.status) status = a.status
            for (const [k, v] of Object.entries(a.headers ?? {})) out[k.toLowerCase()] = v
            if (a.location && typeof out.location === 'string') out.location = a.location(out.location)
          }
        }
        entry.status = status
        entry.responseHeaders = out
        res.writeHead(status, out)
        let cutHere = false
        res.once('close', () => void (res.writableFinished || cutHere || (entry.clientGone = true)))
        const flips = actions.filter(a => a.kind === 'flip').map(a => (a as { offset: number }).offset)
        const truncate = find('truncate')
        let offset = 0
        upRes.on('data', (chunk: Buffer) => {
          let c = chunk
          for (const f of flips) {
            if (f >= offset && f < offset + c.length) {
              c = Buffer.from(c)
              c[f - offset] ^= 0xff
            }
          }
          const stall = find('stall')
          if (stall && offset + c.length >= stall.afterBytes) {
            const part = c.subarray(0, Math.max(0, stall.afterBytes - offset))
            offset += part.length
            entry.responseBytes += part.length
            if (part.length) res.write(part)
            upRes.pause()
            upRes.removeAllListeners('data')
            return
          }
          const limit = reset?.afterBytes ?? truncate?.bytes
          if (limit !== undefined && offset + c.length >= limit) {
            const part = c.subarray(0, Math.max(0, limit - offset))
            offset += part.length
            entry.responseBytes += part.length
            upRes.destroy()
            const cut = (): void => {
              cutHere = true
              if (reset) res.socket?.resetAndDestroy()
              else res.socket?.destroy()
              done()
            }
            const closeWhen = reset ? reset.closeWhen : truncate?.closeWhen
            const finish = (): void => void (closeWhen ? closeWhen.then(cut, cut) : cut())
            if (part.length) res.write(part, finish)
            else finish()
            return
          }
          offset += c.length
          entry.responseBytes += c.length
          const throttle = find('throttle')
          if (throttle) {
            upRes.pause()
            const pace = async (): Promise<void> => {
              for (let at = 0; at < c.length && !res.destroyed; at += 16384) {
                res.write(c.subarray(at, at + 16384))
                const piece = Math.min(16384, c.length - at)
                await new Promise(r => setTimeout(r, (piece * 1000) / throttle.bytesPerSecond))
              }
              upRes.resume()
            }
            void pace()
            return
          }
          if (!res.write(c)) {
            upRes.pause()
            res.once('drain', () => upRes.resume())
          }
        })
        upRes.on('end', () => {
          res.end()
          done()
        })
        upRes.on('error', () => {
          cutHere = true
          res.destroy()
        })
      }
    )
    up.on('error', () => {
      if (!res.headersSent) {
        entry.status = 502
        res.writeHead(502, { 'content-type': 'text/plain' })
        res.end('proxy: upstream failed')
      } else res.destroy()
    })
    // a client that goes away mid-request (its body cut) cuts the forwarded request too
    req.on('close', () => void (req.complete || up.destroy()))
    const hold = find('holdRequest')
    if (!hold) {
      req.pipe(up)
      return
    }
    // the rest of the body is read and dropped (a paused socket would not see the client go away)
    let sent = 0
    req.on('data', (c: Buffer) => {
      const part = c.subarray(0, Math.max(0, hold.afterBytes - sent))
      sent += part.length
      if (part.length) up.write(part)
      if (sent >= hold.afterBytes) entry.held = true
    })
    req.socket.once('close', () => up.destroy())
  }

  /** The commitPartial fault (see FaultAction): reads, holds, then sends what came as its own PATCH. */
  const commitPartial = async (req: IncomingMessage, entry: Exchange, afterBytes: number): Promise<void> => {
    const parts: Buffer[] = []
    let got = 0
    req.on('data', (c: Buffer) => {
      const part = c.subarray(0, Math.max(0, afterBytes - got))
      got += part.length
      if (part.length) parts.push(part)
      if (got >= afterBytes) entry.held = true
    })
    await new Promise(r => req.socket.once('close', r))
    const start = Number(String(req.headers['content-range']).split('-')[0])
    const body = Buffer.concat(parts)
    const path = req.url ?? '/'
    const answer = await new Promise<{ status: number; location?: string }>((done, fail) => {
      const up = httpRequest(
        {
          protocol: upstream.protocol,
          hostname: upstream.hostname,
          port: upstream.port,
          method: 'PATCH',
          path,
          headers: {
            host: upstream.host,
            'content-type': 'application/octet-stream',
            'content-range': `${start}-${start + body.length - 1}`,
            'content-length': String(body.length)
          },
          agent
        },
        r => {
          r.resume()
          r.once('end', () => done({ status: r.statusCode ?? 0, location: r.headers.location }))
        }
      )
      up.once('error', fail)
      up.end(body)
    })
    const state = answer.location && new URL(answer.location, upstream.origin).searchParams.get('_state')
    const before = new URL(path, 'http://x').searchParams.get('_state')
    if (state && before) states.set(before, state)
    entry.committed = answer.status
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy())
  })
  server.keepAliveTimeout = 30000
  server.on('connection', s => {
    accepted++
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const addr = server.address()
  const port = typeof addr === 'object' && addr ? addr.port : 0
  self = `http://127.0.0.1:${port}`
  const match = (e: Exchange, method: string, path?: RegExp): boolean =>
    (method === '*' || e.method === method) && (!path || path.test(e.path))

  return {
    url: self,
    host: `127.0.0.1:${port}`,
    log,
    connections: () => accepted,
    reset() {
      log.length = 0
      counter = 0
      accepted = 0
    },
    setFault(fn) {
      fault = fn
    },
    entries: (method, path) => log.filter(e => match(e, method, path)),
    count: (method, path) => log.filter(e => match(e, method, path)).length,
    bytesIn: path => log.filter(e => match(e, '*', path)).reduce((n, e) => n + e.responseBytes, 0),
    bytesOut: path => log.filter(e => match(e, '*', path)).reduce((n, e) => n + e.requestBytes, 0),
    async stop() {
      states.clear()
      for (const s of sockets) s.destroy()
      agent.destroy()
      await new Promise<void>(resolve => server.close(() => resolve()))
    }
  }
}
