/**
 * The bottom of the HTTP stack: `send()` puts one request on the wire and is the only code in src/
 * that talks to undici (go-containerregistry's base `http.RoundTripper`). It sets the user agent
 * and the per-try timeouts (response headers, pauses inside a body), keeps HEAD connections alive,
 * and counts requests. No auth, no retries, no redirects: those are layers above (transport.ts,
 * retry.ts, redirect.ts). `createDispatcher()` builds the connection pool shared by registry and
 * token traffic (keep-alive, TLS roots, connect timeout).
 */
import { existsSync, readFileSync } from 'node:fs'
import type { Readable } from 'node:stream'
import { rootCertificates } from 'node:tls'
import type { Dispatcher } from 'undici'
// undici's parts this stack uses, loaded without its index (which initialises fetch, cookies,
// websocket, caches and mocks: ~60 ms of every CLI start-up); the API methods are put on the
// Dispatcher prototype exactly as undici's own index.js does
import UndiciAgent from 'undici/lib/dispatcher/agent.js'
import UndiciDispatcher from 'undici/lib/dispatcher/dispatcher.js'
import undiciApi from 'undici/lib/api/index.js'

Object.assign(UndiciDispatcher.prototype, undiciApi)

export type { Dispatcher } from 'undici'

/** A response body stream (undici's): read it, or `dump()` it to free the connection. */
export type ResponseBody = Dispatcher.ResponseData['body']

/** Response headers as undici gives them: lower-case names. */
export type ResponseHeaders = Record<string, string | string[] | undefined>

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
}

/** One request on the wire. A body stream is consumed: send it once. */
export interface HttpRequest {
  method: 'GET' | 'HEAD' | 'PUT' | 'POST' | 'PATCH' | 'DELETE'
  url: URL
  headers: Record<string, string>
  body?: Buffer | string | Readable
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
 *   `ECONNREFUSED`, `UND_ERR_HEADERS_TIMEOUT` after `timeoutMs`, TLS verification codes, …)
 */
export async function send(options: HttpOptions, req: HttpRequest): Promise<HttpResponse> {
  options.onSend?.()
  const res = await options.dispatcher.request({
    origin: req.url.origin,
    path: `${req.url.pathname}${req.url.search}`,
    method: req.method,
    headers: { 'user-agent': options.userAgent ?? 'promote-image', ...req.headers },
    body: req.body,
    // undici closes the connection after a HEAD unless told not to; keep it for the next request
    reset: req.method === 'HEAD' ? false : undefined,
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs
  })
  return { status: res.statusCode, headers: res.headers, body: res.body }
}

/** Reads at most `limit` bytes of a body as UTF-8 text, then drains the rest. */
export async function readText(body: ResponseBody, limit = 64 * 1024): Promise<string> {
  let out = ''
  for await (const chunk of body) {
    if (out.length < limit) out += Buffer.from(chunk as Buffer).toString('utf8')
  }
  return out.slice(0, limit)
}

export interface DispatcherOptions {
  /**
   * PEM CA bundle file added to Node's trusted roots (NODE_EXTRA_CA_CERTS is kept too: an explicit
   * `ca` list replaces the default store it went into)
   */
  caFile?: string
  /** connections per origin (default 16) */
  connections?: number
  /**
   * the request timeout, ms: also bounds connecting and the TLS handshake (at most 10 000 ms), since
   * a host that accepts the connection but never completes TLS waits as long as one that never answers
   */
  timeoutMs?: number
}

/**
 * The keep-alive connection pool for one run.
 * @throws Error when `caFile` cannot be read
 */
export function createDispatcher(options: DispatcherOptions = {}): Dispatcher {
  const connect: Record<string, unknown> = {}
  if (options.caFile) {
    const extra = process.env.NODE_EXTRA_CA_CERTS
    connect.ca = [
      ...rootCertificates,
      ...(extra && existsSync(extra) ? [readFileSync(extra, 'utf8')] : []),
      readFileSync(options.caFile, 'utf8')
    ]
  }
  if (options.timeoutMs !== undefined) connect.timeout = Math.min(options.timeoutMs, 10000)
  return new UndiciAgent({ connections: options.connections ?? 16, keepAliveTimeout: 30000, connect })
}
