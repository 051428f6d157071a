/**
 * The bottom of the HTTP stack: `send()` puts one request on the wire and is the only code in src/
 * that talks to undici (go-containerregistry's base `http.RoundTripper`). It sets the user agent
 * and the per-try timeouts (response headers, pauses inside a body), keeps HEAD connections alive,
 * and counts requests. No auth, no retries, no redirects: those are layers above (transport.ts,
 * retry.ts, redirect.ts). `createDispatcher()` builds the connection pool shared by registry and
 * token traffic (keep-alive, TLS roots, connect timeout, the HTTP(S)_PROXY / NO_PROXY forward proxy,
 * client certificates per registry host); its direct plain-http connections read into reused
 * buffers, each handed back once every consumer of its bytes is done (read-buffers.ts).
 */
import { existsSync, readFileSync } from 'node:fs'
import { finished, type Readable } from 'node:stream'
import type { Socket } from 'node:net'
import type * as Tls from 'node:tls'
import type { Dispatcher } from 'undici'
// undici's parts this stack uses, loaded without its index (which initialises fetch, cookies,
// websocket, caches and mocks: ~60 ms of every CLI start-up); the API methods are put on the
// Dispatcher prototype exactly as undici's own index.js does
import UndiciAgent from 'undici/lib/dispatcher/agent.js'
import UndiciDispatcher from 'undici/lib/dispatcher/dispatcher.js'
import UndiciEnvHttpProxyAgent from 'undici/lib/dispatcher/env-http-proxy-agent.js'
import UndiciPool from 'undici/lib/dispatcher/pool.js'
import buildConnector from 'undici/lib/core/connect.js'
import undiciApi from 'undici/lib/api/index.js'
import undiciErrors from 'undici/lib/core/errors.js'
import { isLoopbackHost } from '../reference/hosts.js'
import { certificateHost, type ClientCertificate } from './client-certificate.js'
import {
  BodyBrokenError,
  BodyDeadlineError,
  ProxyConnectError,
  TlsClientCertificateError,
  redactUrl
} from './errors.js'
import { LIMITS, LimitError, bytesText } from '../limits.js'
import { boundInterrupt } from './uninterrupted.js'
import { deliverChunk, pooledReads, releaseOnWrite } from './read-buffers.js'

Object.assign(UndiciDispatcher.prototype, undiciApi)

export type { Dispatcher } from 'undici'
export type { ClientCertificate } from './client-certificate.js'

/** A response body stream (undici's): read it, or `dump()` it to free the connection. */
export type ResponseBody = Dispatcher.ResponseData['body']

/** Response headers as undici gives them: lower-case names. */
export type ResponseHeaders = Record<string, string | string[] | undefined>

/**
 * Destroys `dispatcher` at once: every connection, idle keep-alive or in flight; a request still in
 * flight fails with undici's ClientDestroyedError ("The client is destroyed"), as with
 * `dispatcher.destroy()`. That error is made without stack frames: node's stream destroy reads the
 * `stack` of the error each socket is destroyed with, and formatting frames computes the line ends
 * of the scripts they are in (the CLI's program is one 1.1 MB script: ~13 M instructions, 2–3 ms at
 * the end of every CLI run that sent a request, measured with callgrind).
 */
export async function destroyDispatcher(dispatcher: Dispatcher): Promise<void> {
  const limit = Error.stackTraceLimit
  Error.stackTraceLimit = 0
  let reason: Error
  try {
    reason = new undiciErrors.ClientDestroyedError()
  } finally {
    Error.stackTraceLimit = limit
  }
  await dispatcher.destroy(reason)
}

/** What every request of one stack shares. */
export interface HttpOptions {
  /** the connection pool (createDispatcher) */
  dispatcher: Dispatcher
  /** time to wait for response headers, and the longest pause inside a body, per try, ms */
  timeoutMs: number
  /** `User-Agent` (default `promote-image`) */
  userAgent?: string
  /** called once for every request put on the wire (counters) */
  onSend?: () => void
  /**
   * the run's interruption (SIGINT / SIGTERM): aborting it ends every request in flight at that
   * moment (its body too), which then throws the signal's reason; a request sent after it, or
   * inside uninterrupted.ts `uninterrupted`, is not bound to it
   */
  interrupt?: AbortSignal
}

/** One request on the wire. A body stream is consumed: send it once. */
export interface HttpRequest {
  method: 'GET' | 'HEAD' | 'PUT' | 'POST' | 'PATCH' | 'DELETE'
  url: URL
  headers: Record<string, string>
  body?: Buffer | string | Readable
  /** ends the request (sending its body included) when aborted: an upload's overall deadline */
  signal?: AbortSignal
  /**
   * the caller writes every chunk of the response body once to a socket of this stack (an upload's
   * body) and keeps none after that write, or copies it and hands it back (`releaseChunk`): the
   * chunks may then be views of read buffers that are reused once written or copied
   * (read-buffers.ts; a chunk written to more uploads takes `holdChunk`)
   */
  reuse?: boolean
}

export interface HttpResponse {
  status: number
  headers: ResponseHeaders
  body: ResponseBody
}

/**
 * Sends one request (no retry, no redirect, no auth) and resolves when the response headers have
 * arrived; the caller must consume or dump the body.
 * @throws the network error as undici raises it (its `code`, or its `cause`'s, says what failed:
 *   `ECONNREFUSED`, `UND_ERR_HEADERS_TIMEOUT` after `timeoutMs`, TLS verification codes, …); the
 *   reason of `options.interrupt` when it aborted while the request was in flight
 */
export async function send(options: HttpOptions, req: HttpRequest): Promise<HttpResponse> {
  options.onSend?.()
  const interrupt = boundInterrupt(options.interrupt)
  const signal =
    interrupt && req.signal ? AbortSignal.any([interrupt, req.signal]) : (interrupt ?? req.signal)
  const res = await options.dispatcher
    .request({
      origin: req.url.origin,
      path: `${req.url.pathname}${req.url.search}`,
      method: req.method,
      headers: { 'user-agent': options.userAgent ?? 'promote-image', ...req.headers },
      body: req.body,
      // undici closes the connection after a HEAD unless told not to; keep it for the next request
      reset: req.method === 'HEAD' ? false : undefined,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      signal,
      ...(req.reuse ? { [REUSE]: true } : {})
    })
    .catch((e: unknown) => {
      throw interrupt?.aborted ? interrupt.reason : e
    })
  return { status: res.statusCode, headers: res.headers, body: res.body }
}

/** The key of a request's `reuse` among undici's request options (read by {@link Delivery}). */
const REUSE = Symbol('reuse')

/** A legacy undici handler (what undici's request API hands to `dispatch`). */
type Handler = Parameters<Dispatcher['dispatch']>[1]

/**
 * Wraps the handler of one request so every body chunk undici hands it is accounted for before the
 * response sees it (read-buffers.ts deliverChunk), and its origin is told when the response has
 * ended (`ended`, see {@link Settling}); every other call goes through as is.
 */
class Delivery implements Handler {
  constructor(
    private readonly inner: Handler,
    private readonly reuse: boolean,
    private readonly ended?: () => void
  ) {}
  onConnect(...a: Parameters<NonNullable<Handler['onConnect']>>) {
    return this.inner.onConnect?.(...a)
  }
  onResponseStarted() {
    return this.inner.onResponseStarted?.()
  }
  onHeaders(...a: Parameters<NonNullable<Handler['onHeaders']>>) {
    return this.inner.onHeaders?.(...a) as boolean
  }
  onUpgrade(...a: Parameters<NonNullable<Handler['onUpgrade']>>) {
    return this.inner.onUpgrade?.(...a)
  }
  onData(chunk: Buffer) {
    deliverChunk(chunk, this.reuse)
    return this.inner.onData?.(chunk) as boolean
  }
  onComplete(...a: Parameters<NonNullable<Handler['onComplete']>>) {
    this.ended?.()
    return this.inner.onComplete?.(...a)
  }
  onError(e: Error) {
    return this.inner.onError?.(e)
  }
  onBodySent(...a: Parameters<NonNullable<Handler['onBodySent']>>) {
    return this.inner.onBodySent?.(...a)
  }
  onRequestSent() {
    return (this.inner as { onRequestSent?: () => void }).onRequestSent?.()
  }
}

/**
 * The origins where a response ended in the current turn of the event loop. undici hands a
 * keep-alive connection back to its pool one turn after the response on it ended (it waits for the
 * check phase, client-h1.js onMessageComplete: a server closing the connection anyway is seen
 * first), so a request dispatched in the same turn finds every connection of that origin busy and
 * opens another. A copy sends its next wave right when the last answer of the wave before has
 * ended: a cold copy of one image (2 blobs) opened 6 to 10 connections for requests that never had
 * more than 3 in flight per registry. A request to such an origin is dispatched at the check phase
 * instead (after undici's own hand-back, which was scheduled first), on a connection handed back.
 * A new connection waited for its own connect event anyway, at least one turn; each costs both ends
 * a socket, and on a WAN a TCP (and TLS) handshake of 1 to 3 round trips.
 */
class Settling {
  private readonly origins = new Set<string>()

  /** Notes that a response from `origin` ended now; forgotten at this turn's check phase. */
  ended(origin: string): void {
    if (this.origins.has(origin)) return
    this.origins.add(origin)
    setImmediate(() => this.origins.delete(origin))
  }

  /**
   * Dispatches at once, or at the check phase when a response from `opts.origin` ended in this
   * turn. `dispatch` reports its own errors to the handler (undici's DispatcherBase), so a
   * deferred one fails the request, not the process.
   * @returns what `dispatch` returned, or true when deferred (nothing for the caller to wait for)
   */
  dispatch(
    dispatch: (opts: Dispatcher.DispatchOptions, handler: Handler) => boolean,
    opts: Dispatcher.DispatchOptions,
    handler: (origin: string) => Handler
  ): boolean {
    const origin = String(opts.origin)
    const wrapped = handler(origin)
    if (!this.origins.has(origin)) return dispatch(opts, wrapped)
    setImmediate(() => dispatch(opts, wrapped))
    return true
  }
}

/** True when `e` is the reason of the run's interruption (`options.interrupt`): never retried. */
export function isInterruption(options: HttpOptions, e: unknown): boolean {
  return options.interrupt?.aborted === true && e === options.interrupt.reason
}

/**
 * Reads at most `limit` bytes of a body (an error body: limits.ts `errorBytes` by default) as UTF-8
 * text, then stops reading and discards the rest (the connection is closed, so an endless or
 * trickled body costs nothing more); at most `deadlineMs` (ms) is spent on it.
 */
export async function readText(
  body: ResponseBody,
  limit: number = LIMITS.errorBytes,
  deadlineMs?: number
): Promise<string> {
  const { bytes, failure } = await collect(body, limit, deadlineMs)
  if (failure !== undefined) throw failure
  return bytes.subarray(0, limit).toString('utf8')
}

/** What {@link collect} read: up to `limit + 1` bytes; `over` when the body had more than `limit`. */
interface Collected {
  bytes: Buffer
  over: boolean
  timedOut: boolean
  /** the body's error, when it broke before its end (`bytes` holds what came before) */
  failure?: unknown
}

/**
 * Reads a body until its end, until more than `limit` bytes came (`over`), until `deadlineMs`
 * passed (`timedOut`), or until it broke (`failure`); in the first two cases the body is destroyed.
 */
async function collect(body: ResponseBody, limit: number, deadlineMs?: number): Promise<Collected> {
  const chunks: Buffer[] = []
  let size = 0
  let timedOut = false
  const timer =
    deadlineMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true
          body.destroy()
        }, deadlineMs)
  try {
    for await (const chunk of body) {
      const c = Buffer.from(chunk as Buffer)
      chunks.push(c)
      size += c.length
      if (size > limit) {
        body.destroy()
        return { bytes: Buffer.concat(chunks, size), over: true, timedOut }
      }
    }
  } catch (e) {
    if (!timedOut) return { bytes: Buffer.concat(chunks, size), over: false, timedOut, failure: e }
  } finally {
    clearTimeout(timer)
  }
  return { bytes: Buffer.concat(chunks, size), over: false, timedOut }
}

/**
 * A body's chunks one by one, each the very chunk undici handed over (a `reuse` response's chunks
 * stay views of their read buffers, read-buffers.ts). `for await` over a stream reads whatever is
 * buffered at once, and joins two or more buffered chunks into a new buffer: the copy costs a
 * 64 KiB+ allocation, and the chunks it joined are never written (their buffers are not reused).
 * Ending early (break, throw) destroys the body, as `for await` does.
 * @throws the body's error, or ERR_STREAM_PREMATURE_CLOSE when it was destroyed before its end
 */
export async function* bodyChunks(body: Readable): AsyncGenerator<Buffer> {
  const queue: Buffer[] = []
  let ended = false
  let failure: Error | undefined
  let wake: (() => void) | undefined
  const onData = (chunk: Buffer): void => {
    queue.push(chunk)
    body.pause()
    wake?.()
  }
  body.on('data', onData)
  finished(body, e => {
    ended = true
    failure = e ?? undefined
    wake?.()
  })
  try {
    for (;;) {
      const chunk = queue.shift()
      if (chunk) {
        if (!queue.length && !ended) body.resume()
        yield chunk
        continue
      }
      if (failure) throw failure
      if (ended) return
      await new Promise<void>(resolve => (wake = resolve))
      wake = undefined
    }
  } finally {
    body.off('data', onData)
    if (!ended) body.destroy()
  }
}

/** How much of a body {@link readBounded} may read, and how to name it in errors. */
export interface BoundedRead {
  /** what is read, for messages: `manifest 127.0.0.1:5000/app:v1`, `the answer` (of a token server) */
  what: string
  /** the bound that applies (limits.ts), by its key */
  limit: 'manifestBytes' | 'tokenBytes'
  /** longest time for the whole body after its headers, ms (the request timeout; see transport.ts) */
  deadlineMs: number
  /** the run's interruption (HttpOptions.interrupt): a body it ended throws its reason as is */
  interrupt?: AbortSignal
}

/**
 * Reads a whole body into memory within a bound: the declared `Content-Length` is checked before
 * reading, the stream is cut as soon as it passes the limit, and the body must be whole within
 * `deadlineMs`.
 * @returns the bytes (at most `LIMITS[limit]`)
 * @throws LimitError `WHAT is larger than the LIMIT limit of 4 MiB (…)` naming the limit key;
 *   BodyDeadlineError `WHAT did not arrive whole within N s (…)` at the deadline; BodyBrokenError `WHAT: the
 *   connection was closed after N of M bytes of the body (CODE)` when the body broke (its network
 *   error the cause: temporary, so transport.ts tries the request again), or the run's
 *   interruption's reason as is
 */
export async function readBounded(
  body: ResponseBody,
  headers: ResponseHeaders,
  read: BoundedRead
): Promise<Buffer> {
  const max = LIMITS[read.limit]
  const over = (how: string): LimitError =>
    new LimitError(
      `${read.what} is larger than the ${read.limit} limit of ${bytesText(max)} (${how})`,
      read.limit,
      max
    )
  const declared = Number(headers['content-length'] ?? NaN)
  if (declared > max) {
    body.destroy()
    throw over(`Content-Length: ${declared} bytes`)
  }
  const got = await collect(body, max, read.deadlineMs)
  if (got.failure !== undefined) {
    if (got.failure === read.interrupt?.reason) throw got.failure
    const size = Number.isSafeInteger(declared) ? declared : undefined
    throw new BodyBrokenError(read.what, got.bytes.length, size, got.failure, read.deadlineMs)
  }
  if (got.over) throw over(`more than ${max} bytes sent`)
  if (got.timedOut)
    throw new BodyDeadlineError(
      `${read.what} did not arrive whole within ${Math.round(read.deadlineMs / 1000)} s (${got.bytes.length} bytes came; the request timeout bounds a whole manifest or token body)`
    )
  return got.bytes
}

export interface DispatcherOptions {
  /**
   * PEM CA bundle file added to Node's trusted roots (NODE_EXTRA_CA_CERTS is kept too: an explicit
   * `ca` list replaces the default store it went into); also trusted for an https proxy
   */
  caFile?: string
  /**
   * connections per origin (default {@link DEFAULT_CONNECTIONS}); a request finding them all busy
   * waits in undici's queue
   */
  connections?: number
  /**
   * the request timeout, ms: also bounds connecting and the TLS handshake (at most 10 000 ms), since
   * a host that accepts the connection but never completes TLS waits as long as one that never answers;
   * through a proxy it bounds the TCP connection to the proxy, the proxy's answer to CONNECT and the
   * TLS handshake with the registry inside the tunnel
   */
  timeoutMs?: number
  /** the forward proxy (default: from `process.env`); `false`: never use one */
  proxy?: ProxyOptions | false
  /** TLS client certificates, each sent only to its own host[:port] */
  clientCertificates?: ClientCertificate[]
  /**
   * hosts (host[:port], matched as client certificates are: case and `:443` do not matter) whose
   * TLS certificate is not verified (docker's insecure-registries); every other host is verified
   */
  insecureHosts?: string[]
}

/** Where the forward proxy comes from. */
export interface ProxyOptions {
  /**
   * the environment to read `https_proxy`, `HTTPS_PROXY`, `http_proxy`, `HTTP_PROXY`, `no_proxy`,
   * `NO_PROXY` from (lower-case first, as undici's EnvHttpProxyAgent; default `process.env`)
   */
  env?: Record<string, string | undefined>
  /**
   * send loopback hosts (localhost, 127.0.0.0/8, [::1]) through the proxy too (default false: they
   * always connect directly, as Go's net/http does, since the proxy's loopback is not ours)
   */
  proxyLoopback?: boolean
}

/** The proxy settings read from the environment; URLs without a scheme get `http://` (as curl, Go). */
export interface ProxySettings {
  /** for http:// origins (`http_proxy`, `HTTP_PROXY`) */
  httpProxy?: URL
  /** for https:// origins (`https_proxy`, `HTTPS_PROXY`; else the http proxy, as undici does) */
  httpsProxy?: URL
  /** `no_proxy` / `NO_PROXY` as written: comma- or space-separated hosts, `.suffix`, `host:port`, `*` */
  noProxy: string
}

/**
 * Reads the proxy variables (lower-case before upper-case, as undici's EnvHttpProxyAgent).
 * @throws Error naming the variable (never its value, which may hold credentials) when it is not
 *   an http, https or socks5 URL
 */
export function proxySettings(env: Record<string, string | undefined> = process.env): ProxySettings {
  const read = (name: string): URL | undefined => {
    const [key, value] = [name.toLowerCase(), name]
      .map(k => [k, env[k]?.trim()] as const)
      .find(([, v]) => v) ?? [name, undefined]
    if (!value) return undefined
    let url: URL | undefined
    try {
      url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`)
    } catch {
      // reported below
    }
    if (!url || !/^(https?|socks5?):$/.test(url.protocol) || !url.hostname)
      throw new Error(`${key}: not a proxy URL (http://[user:password@]host:port, https:// or socks5://)`)
    return url
  }
  const https = read('HTTPS_PROXY')
  const http = read('HTTP_PROXY')
  return {
    httpProxy: http,
    httpsProxy: https ?? http,
    // the first non-empty of no_proxy, NO_PROXY, as Go's httpproxy reads it: an empty `no_proxy=`
    // does not hide NO_PROXY
    noProxy: [env.no_proxy, env.NO_PROXY].map(v => v?.trim()).find(v => v) ?? ''
  }
}

/** The proxy settings in words for the log, without credentials: `https → http://proxy:3128/`. */
export function describeProxy(settings: ProxySettings): string {
  const parts = [
    settings.httpsProxy && `https → ${redactUrl(settings.httpsProxy)}`,
    settings.httpProxy && `http → ${redactUrl(settings.httpProxy)}`,
    settings.noProxy && `not for ${settings.noProxy}`
  ].filter(Boolean)
  return parts.length ? parts.join(', ') : 'none'
}

/** OpenSSL alerts a TLS server sends when it wants a (different) client certificate. */
const CLIENT_CERT_ALERTS =
  /^ERR_SSL_(SSLV3|TLSV1|TLSV13)_ALERT_(BAD_CERTIFICATE|CERTIFICATE_REQUIRED|UNKNOWN_CA|CERTIFICATE_EXPIRED|CERTIFICATE_UNKNOWN|CERTIFICATE_REVOKED|UNSUPPORTED_CERTIFICATE|ACCESS_DENIED)$/

type Connector = ReturnType<typeof buildConnector>

/**
 * Wraps a connector so a client-certificate alert, during the handshake (TLS 1.2) or right after it
 * (TLS 1.3, where undici would only report "other side closed"), fails the request with a
 * {@link TlsClientCertificateError}.
 */
function watchClientCertificate(connect: Connector, host: string, sentCertificate: boolean): Connector {
  const refusal = (e: Error & { code?: string }) =>
    CLIENT_CERT_ALERTS.test(e.code ?? '')
      ? new TlsClientCertificateError(host, sentCertificate, e)
      : undefined
  return (opts, callback) =>
    connect(opts, (err, socket) => {
      if (err) return callback(refusal(err) ?? err, null)
      releaseOnWrite(socket as Socket)
      if (opts.protocol === 'https:')
        socket.prependListener('error', (e: Error) => {
          const r = refusal(e)
          if (r) socket.destroy(r)
        })
      callback(null, socket)
    })
}

/** The TLS options of the run: the CA list (when `caFile`) and the connect timeout. */
function tlsOptions(options: DispatcherOptions): { ca?: string[]; timeout?: number } {
  const tls: { ca?: string[]; timeout?: number } = {}
  if (options.caFile) {
    const extra = process.env.NODE_EXTRA_CA_CERTS
    // node:tls is loaded here, not at start-up: a plain-http (loopback) copy never needs it
    const { rootCertificates } = process.getBuiltinModule('node:tls') as typeof Tls
    tls.ca = [
      ...rootCertificates,
      ...(extra && existsSync(extra) ? [readFileSync(extra, 'utf8')] : []),
      readFileSync(options.caFile, 'utf8')
    ]
  }
  if (options.timeoutMs !== undefined) tls.timeout = Math.min(options.timeoutMs, 10000)
  return tls
}

type TlsOptions = ReturnType<typeof tlsOptions> & {
  cert?: string
  key?: string
  rejectUnauthorized?: boolean
}

/**
 * The factory of the innermost pools (to a registry directly, to the proxy, or through a CONNECT
 * tunnel): each connection watched for client-certificate alerts.
 */
function watchedPool(certs: Map<string, unknown>) {
  return (origin: string | URL, opts: { connect?: unknown }): Dispatcher => {
    const { host, protocol } = new URL(origin)
    // a direct plain-http connection reads into reused buffers (read-buffers.ts)
    const reads = protocol === 'http:' ? { onread: pooledReads } : {}
    const connect =
      typeof opts.connect === 'function'
        ? (opts.connect as Connector)
        : buildConnector({ ...(opts.connect as object), ...reads } as Parameters<typeof buildConnector>[0])
    return new UndiciPool(origin, {
      ...opts,
      connect: watchClientCertificate(connect, host, certs.has(host))
    })
  }
}

/** A connector to the proxy `proxy` (host[:port]) whose connection errors are ProxyConnectErrors. */
function proxyConnector(connect: unknown, proxy: string): Connector {
  const inner =
    typeof connect === 'function' ? (connect as Connector) : buildConnector({ ...(connect as object) })
  return (opts, callback) =>
    inner(opts, (err, socket) =>
      err ? callback(new ProxyConnectError(proxy, err), null) : callback(null, socket)
    )
}

/**
 * The dispatcher of one origin through the proxy: undici's EnvHttpProxyAgent with its NO_PROXY rule,
 * CONNECT tunnels for https (`hostTls` inside them), absolute-URI requests for http.
 */
function proxiedOrigin(
  proxy: ProxySettings,
  hostTls: TlsOptions,
  proxyTls: TlsOptions,
  pool: ReturnType<typeof watchedPool>,
  options: DispatcherOptions
): Dispatcher {
  const headersTimeout = options.timeoutMs
  return new UndiciEnvHttpProxyAgent({
    connections: options.connections ?? DEFAULT_CONNECTIONS,
    keepAliveTimeout: 30000,
    connect: hostTls,
    requestTls: hostTls,
    proxyTls,
    // given explicitly ('' = none), so undici reads no variable of its own
    httpProxy: proxy.httpProxy?.href ?? '',
    httpsProxy: proxy.httpsProxy?.href ?? '',
    noProxy: proxy.noProxy,
    proxyTunnel: false,
    factory: pool,
    // the proxy's answer to CONNECT is bounded by the request timeout too; a failed connection to
    // the proxy is named as the proxy's (ProxyConnectError)
    clientFactory: (origin: URL, opts: { connect?: unknown }) =>
      new UndiciPool(origin, {
        ...opts,
        connect: proxyConnector(opts.connect, new URL(origin).host),
        ...(headersTimeout === undefined ? {} : { headersTimeout })
      })
  } as ConstructorParameters<typeof UndiciEnvHttpProxyAgent>[0])
}

/**
 * Connections per origin by default (128). The copy engine has up to 72 small blob transfers in
 * flight per registry host (copy/limiter.ts: 8 slots × 8, and one slot for small ones only) and 64
 * blob HEADs (copy/promote.ts), and a transfer holds a connection at the source (its GET's body
 * waits, under back-pressure, for the upload) and one at the target. With 16, the requests of 100
 * small blobs queued behind each other in the pool (bench count mode, 100 × 50 KB, one run each:
 * 48 sequential round trips with per-blob pipelining, 23 with 128). Connections are opened only
 * while that many requests are in flight, and kept alive 30 s.
 */
const DEFAULT_CONNECTIONS = 128

/**
 * The keep-alive connection pool for one run: an undici Agent whose per-origin factory picks, once
 * per origin, the TLS options (the client certificate of that host[:port] only) and the route:
 * directly, or through the HTTP(S)_PROXY of the environment by undici's EnvHttpProxyAgent (NO_PROXY
 * honoured; loopback hosts always direct unless `proxy.proxyLoopback`). Through a proxy, https
 * origins use a CONNECT tunnel with the same CA, client certificate and connect timeout inside it;
 * http origins are sent to the proxy as absolute-URI requests. Proxy credentials in the URL become
 * a `Proxy-Authorization: Basic` header and are never logged. A client-certificate alert from a
 * server fails the request with a {@link TlsClientCertificateError}. The certificates of
 * `insecureHosts` are not verified (directly or inside a tunnel); the proxy's always is. A request
 * to an origin one of whose responses ended in the current turn is dispatched at the check phase,
 * on the connection that response hands back ({@link Settling}), not on a new one.
 * @throws Error when `caFile` or a client certificate file cannot be read, or a proxy variable is
 *   not a URL (naming the variable)
 */
export function createDispatcher(options: DispatcherOptions = {}): Dispatcher {
  const tls = tlsOptions(options)
  const certs = new Map(
    (options.clientCertificates ?? []).map(c => [
      certificateHost(c.host),
      { cert: readFileSync(c.certFile, 'utf8'), key: readFileSync(c.keyFile, 'utf8') }
    ])
  )
  const proxy = options.proxy === false ? undefined : proxySettings(options.proxy?.env)
  const proxyLoopback = options.proxy !== false && options.proxy?.proxyLoopback === true
  const pool = watchedPool(certs)
  const insecure = new Set((options.insecureHosts ?? []).map(certificateHost))
  const factory = (origin: string | URL, opts: object): Dispatcher => {
    const host = new URL(origin).host
    // the one place verification is turned off: for a listed host's own origins only
    const hostTls = {
      ...tls,
      ...certs.get(host),
      ...(insecure.has(host) ? { rejectUnauthorized: false } : {})
    }
    if (proxy?.httpsProxy && (proxyLoopback || !isLoopbackHost(host)))
      return proxiedOrigin(proxy, hostTls, tls, pool, options)
    return pool(origin, { ...opts, connect: hostTls })
  }
  const agent = new UndiciAgent({
    connections: options.connections ?? DEFAULT_CONNECTIONS,
    keepAliveTimeout: 30000,
    factory
  })
  const dispatch = agent.dispatch.bind(agent)
  const settling = new Settling()
  agent.dispatch = (opts, handler) =>
    settling.dispatch(
      dispatch,
      opts,
      origin =>
        new Delivery(handler, (opts as { [REUSE]?: boolean })[REUSE] === true, () => settling.ended(origin))
    )
  return agent
}
