/**
 * The one HTTP layer every registry request goes through (undici): scheme choice (https, plain
 * http only for loopback and named insecure hosts), the `/v2/` ping that learns each registry's
 * auth challenge, `Authorization` from the Authenticator, a single re-challenge on 401, retries
 * with exponential backoff and jitter on 408/429/500/502/503/504, connection errors and timeouts
 * (`Retry-After` in seconds or as an HTTP date honoured in full, and shared by every request to that
 * host through the RateLimiter; a total time budget per request), and redirects (301/302/303/307/308,
 * on GET/HEAD and on uploads) followed by hand so `Authorization` never goes to another origin
 * (distribution-spec "Pulling blobs"; RFC 9110 §15.4, §10.2.3). Other 4xx are never retried.
 */
import type { Readable } from 'node:stream'
import { Agent, request, type Dispatcher } from 'undici'
import { AuthError, isLoopbackHost, type Authenticator, type Scope } from '../auth/authenticator.js'
import { apiHost } from '../reference/index.js'
import { silentLogger, type Logger } from '../logger.js'
import { RETRYABLE_STATUS, RegistryError, redactUrl } from './errors.js'
import { RateLimiter, requestKind, type RateLimitOptions } from './ratelimit.js'

export interface RetryOptions {
  /** tries after the first (default 4) */
  retries: number
  /** first backoff, ms (default 250) */
  baseDelayMs: number
  /** largest single backoff, ms (default 10000) */
  maxDelayMs: number
  /**
   * total time one request may take over all its tries, ms (default 120000): a retry whose wait
   * would end past it is not made, and the last answer or error is reported
   */
  budgetMs: number
  /** time to wait for response headers, and the longest pause inside a body, per try, ms (default 120000) */
  timeoutMs: number
}

export const DEFAULT_RETRY: RetryOptions = {
  retries: 4,
  baseDelayMs: 250,
  maxDelayMs: 10000,
  budgetMs: 120000,
  timeoutMs: 120000
}

export interface TransportOptions {
  authenticator: Authenticator
  /** connection pool (keep-alive); default: an Agent with `connections` per origin */
  dispatcher?: Dispatcher
  /** hosts (host[:port]) allowed to use plain http besides loopback */
  insecureRegistries?: string[]
  retry?: Partial<RetryOptions>
  /** pacing when a host reports a low `ratelimit-remaining` */
  rateLimit?: Partial<RateLimitOptions>
  logger?: Logger
  userAgent?: string
  /** sleep function (tests) */
  sleep?: (ms: number) => Promise<void>
}

/** A request body: bytes (replayable), a factory of streams (replayable) or one stream (not). */
export type RequestBody = Buffer | string | (() => Readable) | Readable

export interface RegistryRequest {
  /** registry host as in references (`ghcr.io`, `127.0.0.1:5000`, `docker.io`) */
  registry: string
  method: 'GET' | 'HEAD' | 'PUT' | 'POST' | 'PATCH' | 'DELETE'
  /** a path starting with `/v2/`, or an absolute URL (an upload `Location`) */
  url: string | URL
  headers?: Record<string, string>
  body?: RequestBody
  /** repository access the request needs (drives Bearer token scopes) */
  scopes: Scope[]
  /** statuses that count as success; any other throws RegistryError (404 is often listed) */
  expect: number[]
  /**
   * follow 301/302/303/307/308 `Location` (default true). GET and HEAD stay GET and HEAD; an upload
   * keeps its method and body (a registry redirecting an upload means "send it there"); a streamed
   * (non-replayable) body cannot follow and fails with a RegistryError.
   */
  followRedirects?: boolean
  /**
   * retry on connection errors, timeouts and retryable statuses (default true). Finalising upload
   * PUTs pass false: the caller HEADs the blob before any retry.
   */
  retry?: boolean
}

export interface RegistryResponse {
  status: number
  headers: Record<string, string | string[] | undefined>
  /** the URL that answered (after redirects) */
  url: URL
  body: Dispatcher.ResponseData['body']
}

/** Counters for tests and reports. */
export interface TransportStats {
  requests: number
  retries: number
  /** ms spent sleeping before retries */
  waitedMs: number
  /** requests answered 429 */
  tooManyRequests: number
}

const NETWORK_RETRY_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED'
])
const TLS_VERIFY_CODES =
  /^(CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|ERR_TLS_CERT_ALTNAME_INVALID|HOSTNAME_MISMATCH)/

function headerValue(h: string | string[] | undefined): string | undefined {
  return Array.isArray(h) ? h.join(', ') : h
}

/** Parses `Retry-After` (seconds or an HTTP date) into ms from `now`; undefined when absent/bad. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined
  const v = value.trim()
  if (/^\d+$/.test(v)) return Number(v) * 1000
  const at = Date.parse(v)
  return Number.isNaN(at) ? undefined : Math.max(0, at - now)
}

function errorCode(e: unknown): string {
  let cur: unknown = e
  for (let i = 0; i < 4 && cur; i++) {
    const code = (cur as { code?: string }).code
    if (code) return code
    cur = (cur as { cause?: unknown }).cause
  }
  return ''
}

/** The single HTTP layer for registry traffic; see the module comment. */
export class Transport {
  readonly dispatcher: Dispatcher
  readonly stats: TransportStats = { requests: 0, retries: 0, waitedMs: 0, tooManyRequests: 0 }
  /** one budget per host, shared by every request of this transport */
  readonly rateLimits: RateLimiter
  private readonly retry: RetryOptions
  private readonly log: Logger
  private readonly bases = new Map<string, Promise<URL>>()
  private readonly insecure: Set<string>
  private readonly sleep: (ms: number) => Promise<void>

  constructor(readonly options: TransportOptions) {
    this.dispatcher =
      options.dispatcher ?? new Agent({ connections: 16, keepAliveTimeout: 30000, pipelining: 1 })
    this.retry = { ...DEFAULT_RETRY, ...options.retry }
    this.log = options.logger ?? silentLogger
    this.insecure = new Set((options.insecureRegistries ?? []).map(h => h.toLowerCase()))
    this.sleep = options.sleep ?? (ms => new Promise(r => setTimeout(r, ms)))
    this.rateLimits = new RateLimiter(options.rateLimit, { logger: this.log, sleep: this.sleep })
  }

  /** The retry settings in force (defaults merged with the options). */
  get retryOptions(): RetryOptions {
    return this.retry
  }

  get authenticator(): Authenticator {
    return this.options.authenticator
  }

  /** True when plain http may be used for `registry`. */
  allowsPlainHttp(registry: string): boolean {
    return isLoopbackHost(registry) || this.insecure.has(registry.toLowerCase())
  }

  /**
   * The base URL of a registry's API, found once per registry by `GET /v2/` (end-1): https first;
   * plain http only for loopback / insecure hosts whose https handshake fails for a reason other
   * than certificate verification. Records the auth challenge.
   * @throws RegistryError when `/v2/` answers other than 200/401; Error for TLS/connection failures.
   */
  async base(registry: string): Promise<URL> {
    let p = this.bases.get(registry)
    if (!p) {
      p = this.ping(registry)
      this.bases.set(registry, p)
      p.catch(() => this.bases.delete(registry))
    }
    return await p
  }

  private async ping(registry: string): Promise<URL> {
    const host = apiHost(registry)
    const candidates = [new URL(`https://${host}/`)]
    if (this.allowsPlainHttp(registry)) candidates.push(new URL(`http://${host}/`))
    let lastError: unknown
    for (const base of candidates) {
      try {
        const url = new URL('/v2/', base)
        const res = await this.send('GET', url, {}, undefined)
        await res.body.dump()
        if (res.statusCode === 200) {
          this.authenticator.setChallenge(registry, undefined)
        } else if (res.statusCode === 401) {
          this.authenticator.setChallenge(registry, res.headers['www-authenticate'])
        } else {
          throw new RegistryError(
            'GET',
            url.toString(),
            res.statusCode,
            '',
            'not an OCI distribution registry API'
          )
        }
        return base
      } catch (e) {
        lastError = e
        const code = errorCode(e)
        if (TLS_VERIFY_CODES.test(code)) {
          throw new Error(
            `registry ${registry}: TLS certificate verification failed (${code}); give the CA with the ca-file input or NODE_EXTRA_CA_CERTS, or list the host in insecure-registries`,
            { cause: e }
          )
        }
        if (e instanceof RegistryError) throw e
      }
    }
    const code = errorCode(lastError)
    const what = /TIMEOUT/.test(code)
      ? `connected, but got no answer within ${Math.round(this.retry.timeoutMs / 1000)} s`
      : 'cannot connect'
    throw new Error(`registry ${registry}: ${what} (${code || (lastError as Error)?.message})`, {
      cause: lastError
    })
  }

  private async send(
    method: string,
    url: URL,
    headers: Record<string, string>,
    body: Buffer | string | Readable | undefined
  ): Promise<Dispatcher.ResponseData> {
    this.stats.requests++
    return await request(url, {
      method: method as Dispatcher.HttpMethod,
      headers: { 'user-agent': this.options.userAgent ?? 'promote-image', ...headers },
      body,
      dispatcher: this.dispatcher,
      // undici closes the connection after a HEAD unless told not to; keep it for the next request
      reset: method === 'HEAD' ? false : undefined,
      headersTimeout: this.retry.timeoutMs,
      bodyTimeout: this.retry.timeoutMs
    })
  }

  /**
   * Sends one registry request with auth, retries and redirects; see RegistryRequest.
   * The caller must consume or dump the returned body.
   * @throws RegistryError (status not in `expect`, after retries; the message names the method, the
   *   URL without credentials, the status and every OCI error `code: message (detail)`), AuthError
   *   (credentials refused), Error (connection failures or timeouts after retries).
   */
  async request(req: RegistryRequest): Promise<RegistryResponse> {
    const base = await this.base(req.registry)
    const origin = base.origin
    let url = typeof req.url === 'string' ? new URL(req.url, base) : req.url
    const replayable =
      req.body === undefined ||
      typeof req.body === 'function' ||
      Buffer.isBuffer(req.body) ||
      typeof req.body === 'string'
    const follow = req.followRedirects ?? true
    const mayRetry = req.retry ?? true
    let scopes = req.scopes
    let reauthorized = false
    let attempt = 0
    let redirects = 0
    let bodyUsed = false
    const started = Date.now()
    const tries = (): string => `${attempt + 1} ${attempt ? 'tries' : 'try'}`
    /** the wait before the next try, or undefined when no retry fits the count and the budget */
    const nextWait = (delay: number): number | undefined =>
      mayRetry &&
      replayable &&
      attempt < this.retry.retries &&
      Date.now() - started + delay <= this.retry.budgetMs
        ? delay
        : undefined
    for (;;) {
      const sameOrigin = url.origin === origin
      const headers: Record<string, string> = { ...req.headers }
      if (sameOrigin) {
        const auth = await this.authenticator.authorization(req.registry, scopes)
        if (auth) headers.authorization = auth
      }
      let body: Buffer | string | Readable | undefined
      if (typeof req.body === 'function') body = req.body()
      else if (req.body !== undefined && !replayable) {
        if (bodyUsed) throw new Error(`${req.method} ${redactUrl(url)}: cannot resend a streamed body`)
        body = req.body
      } else body = req.body as Buffer | string | undefined
      bodyUsed = bodyUsed || body !== undefined
      const kind = requestKind(req.method, url)
      await this.rateLimits.acquire(url.host, kind)
      let res: Dispatcher.ResponseData
      try {
        res = await this.send(req.method, url, headers, body)
      } catch (e) {
        const code = errorCode(e)
        const delay = NETWORK_RETRY_CODES.has(code) ? nextWait(this.backoff(attempt)) : undefined
        if (delay !== undefined) {
          this.log.debug(`${req.method} ${redactUrl(url)}: ${code}, retrying in ${delay} ms`)
          attempt++
          await this.pause(delay)
          continue
        }
        const retried = attempt ? ` (gave up after ${tries()})` : ''
        throw new Error(`${req.method} ${redactUrl(url)} failed: ${code || (e as Error).message}${retried}`, {
          cause: e
        })
      }
      const status = res.statusCode
      this.rateLimits.observe(url.host, kind, res.headers)
      const location = headerValue(res.headers.location)
      if (follow && location && [301, 302, 303, 307, 308].includes(status) && !req.expect.includes(status)) {
        await res.body.dump()
        const from = url
        url = new URL(location, url)
        if (++redirects > 5)
          throw new RegistryError(req.method, from.toString(), status, '', 'too many redirects')
        if (!replayable && bodyUsed) {
          throw new RegistryError(
            req.method,
            from.toString(),
            status,
            '',
            `redirected to ${redactUrl(url)}, but a streamed upload body cannot be sent twice`
          )
        }
        this.log.debug(`${req.method} ${redactUrl(from)} redirected (${status}) to ${redactUrl(url)}`)
        continue
      }
      if (status === 401 && sameOrigin && !reauthorized) {
        reauthorized = true
        const next = this.authenticator.onUnauthorized(req.registry, res.headers['www-authenticate'], scopes)
        await res.body.dump()
        if (next && replayable) {
          scopes = next
          continue
        }
        throw new AuthError(
          `${req.method} ${redactUrl(url)} answered 401: ${this.authenticator.refusal(req.registry, res.headers['www-authenticate'], scopes)}`
        )
      }
      let gaveUp = ''
      if (RETRYABLE_STATUS.has(status) && !req.expect.includes(status)) {
        if (status === 429) this.stats.tooManyRequests++
        const asked = retryAfterMs(headerValue(res.headers['retry-after']))
        // Retry-After binds every request to the host, not only this one
        if (asked !== undefined && (status === 429 || status === 503)) this.rateLimits.block(url.host, asked)
        const delay = nextWait(asked ?? this.backoff(attempt))
        if (delay !== undefined) {
          await res.body.dump()
          this.log.debug(
            `${req.method} ${redactUrl(url)} answered ${status}, retrying in ${delay} ms${asked !== undefined ? ' (Retry-After)' : ''}`
          )
          attempt++
          await this.pause(delay)
          continue
        }
        if (mayRetry && replayable) {
          gaveUp =
            asked !== undefined && Date.now() - started + asked > this.retry.budgetMs
              ? `Retry-After asks for ${asked} ms, beyond the retry budget of ${this.retry.budgetMs} ms`
              : `gave up after ${tries()}`
        }
      }
      if (!req.expect.includes(status)) {
        const text = req.method === 'HEAD' ? '' : await readLimited(res.body, 64 * 1024)
        if (req.method === 'HEAD') await res.body.dump()
        let hint: string | undefined
        if (status === 401)
          hint = this.authenticator.refusal(req.registry, res.headers['www-authenticate'], scopes)
        else if (status === 403)
          hint = `registry ${req.registry} denied access (the credentials lack the needed scope)`
        else if (gaveUp) hint = gaveUp
        throw new RegistryError(req.method, url.toString(), status, text, hint)
      }
      return { status, headers: res.headers, url, body: res.body }
    }
  }

  /** The wait before retry number `attempt + 1`: exponential from baseDelayMs, capped, jittered (ms). */
  backoff(attempt: number): number {
    const raw = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** attempt)
    return Math.round(raw / 2 + Math.random() * (raw / 2))
  }

  private async pause(ms: number): Promise<void> {
    this.stats.retries++
    this.stats.waitedMs += ms
    if (ms > 0) await this.sleep(ms)
  }

  /** Closes pooled connections. */
  async close(): Promise<void> {
    await this.dispatcher.close()
  }
}

async function readLimited(body: Dispatcher.ResponseData['body'], limit: number): Promise<string> {
  let out = ''
  for await (const chunk of body) {
    if (out.length < limit) out += Buffer.from(chunk as Buffer).toString('utf8')
  }
  return out.slice(0, limit)
}
