/**
 * The registry HTTP stack above `send()` (http.ts), layered as go-containerregistry's transport:
 * ping → authorize → send → redirect → retry → check. Scheme choice (https; plain http only for
 * loopback and named insecure hosts, tried first for loopback ones): a registry's requests go to the
 * presumed scheme, and the `/v2/` ping (retried like any request, its answer kept for the run) is
 * sent only when one of them fails before the registry has answered any, or before a streamed body
 * (ping.ts); the auth challenge is learned from the first 401 (as containerd's resolver does, no
 * ping for it); `Authorization` from the Authenticator only on the registry's own origin, a single
 * re-challenge on 401, redirects followed by hand
 * (redirect.ts), retries on 408/429/500/502/503/504 and temporary network errors with `Retry-After`
 * honoured and a total time budget (retry.ts; a `Retry-After` also holds every request to that
 * host through the RateLimiter), and the error for an answer the caller did not expect.
 * Token requests use the same `send()` and retry policy, without the auth layer (tokenSender).
 * Deadlines: per try, response headers within the request timeout and no pause in a body longer
 * than it; a body read whole (manifest, index, token answer, error body) must arrive whole within
 * the request timeout after its headers (http.ts readBounded / readText), and is cut at its size
 * limit (limits.ts); an upload try (`deadlineMs`) and a blob download end by twice the request
 * timeout + 1 s per `blobBytesPerSecond` of the body; all tries of a request end within the
 * retry budget.
 * distribution-spec "Pulling blobs", "Error Codes"; RFC 9110 §15.4, §10.2.3. Other 4xx are never retried.
 * One concern per file, as go-containerregistry's `transport/`: ping.ts (scheme and challenge),
 * retry.ts (pure decisions) and retry-run.ts (one request's tries), basic-turns.ts (first use of
 * Basic credentials), token-sender.ts (the token requests' sender); this file composes them.
 */
import { setMaxListeners } from 'node:events'
import type { Readable } from 'node:stream'
import { AuthError, type Authenticator, type Scope } from '../auth/authenticator.js'
import { LIMITS, bytesText } from '../limits.js'
import { silentLogger, type Logger } from '../logger.js'
import { BasicTurns, type FirstUse } from './basic-turns.js'
import {
  RETRYABLE_STATUS,
  RegistryError,
  RequestFailedError,
  errorCode,
  hasFinalCode,
  hasOwnReason,
  isConnectionFailure,
  noAnswerText,
  parseErrorBody,
  redactUrl,
  type InsecureHostEvent
} from './errors.js'
import {
  createDispatcher,
  destroyDispatcher,
  isInterruption,
  readText,
  send,
  type BoundedRead,
  type Dispatcher,
  type HttpOptions,
  type HttpRequest,
  type HttpResponse,
  type ResponseBody,
  type ResponseHeaders
} from './http.js'
import { Pings, plainHttpHeadStartMs, type PresumedTry } from './ping.js'
import { RateLimiter, requestKind, type RateLimitOptions } from './ratelimit.js'
import { downgradeProblem, mayAuthorize, nextRedirect } from './redirect.js'
import type { RequestLogEntry } from './request-log.js'
import {
  defaultRetryPolicy,
  isTimeout,
  retryOptions,
  type RetryOptions,
  type RetryPolicy,
  type RetryRules
} from './retry.js'
import {
  headerValue,
  newTransportStats,
  readWhole,
  retryEnv,
  RetryRun,
  Waits,
  type RetryEnv,
  type TransportStats
} from './retry-run.js'

export { DEFAULT_RETRY, retryAfterMs, type RetryOptions, type RetryPolicy } from './retry.js'
export { newTransportStats, type RetryEnv, type TransportStats } from './retry-run.js'
export { plainHttpHeadStartMs } from './ping.js'
export { tokenSender, type TokenSenderOptions } from './token-sender.js'

export interface TransportOptions {
  authenticator: Authenticator
  /** connection pool (keep-alive); default: createDispatcher() */
  dispatcher?: Dispatcher
  /** hosts (host[:port]) allowed to use plain http besides loopback */
  insecureRegistries?: string[]
  /** loopback hosts go through a forward proxy: https first for them too (ping.ts PingContext) */
  loopbackProxied?: boolean
  retry?: Partial<RetryOptions>
  /** who decides on retries and resumes (default: retry.ts defaultRetryPolicy of `retry`) */
  retryPolicy?: RetryPolicy
  /** pacing when a host reports a low `ratelimit-remaining` */
  rateLimit?: Partial<RateLimitOptions>
  logger?: Logger
  userAgent?: string
  /** sleep function (tests) */
  sleep?: (ms: number) => Promise<void>
  /** counters to use (default: new ones) */
  stats?: TransportStats
  /** called once per request try put on the wire, after its answer or error (the `-v` request log) */
  onRequest?: (entry: RequestLogEntry) => void
  /** the clock of retries and of the request log, ms (default Date.now; tests) */
  now?: () => number
  /** a listed insecure registry is used, once per run and registry (ping.ts PingContext) */
  onInsecureHost?: (event: InsecureHostEvent) => void
  /**
   * the run's interruption (SIGINT / SIGTERM): ends the requests in flight and the retry waits
   * when it aborts, which then throw its reason without a retry (http.ts HttpOptions.interrupt)
   */
  signal?: AbortSignal
}

/** A request body: bytes (replayable), a factory of streams (replayable) or one stream (not). */
export type RequestBody = Buffer | string | (() => Readable) | Readable

export interface RegistryRequest {
  /** registry host as in references (`ghcr.io`, `127.0.0.1:5000`, `docker.io`) */
  registry: string
  method: HttpRequest['method']
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
   * retry on connection errors, timeouts and retryable statuses (default true); `statuses`: only
   * on retryable statuses (the answer says the registry did not take the request; `Retry-After`
   * waited out), never after a network error: upload PATCHes and PUTs, whose session then holds
   * an unknown number of bytes (the copy layer asks its status, copy/resume.ts)
   */
  retry?: boolean | 'statuses'
  /**
   * longest time one try may take, its body sent included, ms (uploads: the client derives it from
   * the body size, client.ts `blobDeadlineMs`); past it the try fails with `METHOD URL did not
   * complete within N s` and is not retried. Without it a try is bounded by the per-try timeouts only.
   */
  deadlineMs?: number
  /**
   * the caller writes every chunk of the answer's body once to an upload of this stack and keeps
   * none after that write, or copies it and hands it back (http.ts HttpRequest `reuse`)
   */
  reuse?: boolean
}

export interface RegistryResponse {
  status: number
  headers: ResponseHeaders
  /** the URL that answered (after redirects) */
  url: URL
  body: ResponseBody
}

/** One registry request in flight: where it goes, what it may still do, how it went so far. */
interface RequestRun {
  req: RegistryRequest
  /** the registry's origin: the only one that gets `Authorization` */
  origin: string
  /** the presumed base (Pings.presumed) until an answer confirms it or the ping settles it */
  base?: URL
  url: URL
  scopes: Scope[]
  replayable: boolean
  bodyUsed: boolean
  /** the last try carried `Authorization` */
  authorized: boolean
  /** a 401 to a try without `Authorization` taught the authenticator the challenge (learn) */
  learned: boolean
  reauthorized: boolean
  redirects: number
  tries: RetryRun
  /** the error body of the last answer, when retryStatus() read it already */
  errorText?: string
  /** set while this request holds its registry's first turn with Basic credentials (BasicTurns) */
  turn?: (outcome: FirstUse) => void
}

/** True for a body that can be sent again: none, bytes, or a factory of streams. */
function replayable(b: RequestBody | undefined): boolean {
  return b === undefined || typeof b === 'function' || Buffer.isBuffer(b) || typeof b === 'string'
}

/** `PUT URL did not complete within N s (…)`: a try that ran past its `deadlineMs`. */
function pastDeadline(method: string, url: URL, deadlineMs: number, cause: unknown): Error {
  return new Error(
    `${method} ${redactUrl(url)} did not complete within ${Math.round(deadlineMs / 1000)} s (twice the request timeout + 1 s per ${bytesText(LIMITS.blobBytesPerSecond)} of its body)`,
    { cause }
  )
}

/** The single HTTP layer for registry traffic; see the module comment. */
export class Transport {
  readonly dispatcher: Dispatcher
  readonly stats: TransportStats
  /** one budget per host, shared by every request of this transport */
  readonly rateLimits: RateLimiter
  private readonly retry: RetryOptions
  private readonly log: Logger
  private readonly insecure: Set<string>
  private readonly env: RetryEnv
  private readonly http: HttpOptions
  private readonly waits: Waits
  private readonly basicTurns = new BasicTurns()
  private readonly pings: Pings
  /** the one owner of how many times a request is tried and a download resumed */
  readonly policy: RetryPolicy

  constructor(readonly options: TransportOptions) {
    this.dispatcher = options.dispatcher ?? createDispatcher()
    this.waits = new Waits(options.signal)
    this.retry = retryOptions(options.retry)
    this.log = options.logger ?? silentLogger
    this.stats = options.stats ?? newTransportStats()
    this.insecure = new Set((options.insecureRegistries ?? []).map(h => h.toLowerCase()))
    const sleep = options.sleep ?? this.waits.sleep
    this.rateLimits = new RateLimiter(options.rateLimit, { logger: this.log, sleep, now: options.now })
    this.policy = options.retryPolicy ?? defaultRetryPolicy(this.retry)
    this.env = retryEnv({
      policy: this.policy,
      sleep,
      log: this.log,
      stats: this.stats,
      limiter: this.rateLimits,
      onRequest: options.onRequest,
      now: options.now
    })
    // undici listens on the run's signal once per request in flight and stops when it ends: with more
    // than 10 in flight (8 transfers beside their probes) Node would warn of a leak on stderr
    if (options.signal) setMaxListeners(0, options.signal)
    this.http = {
      dispatcher: this.dispatcher,
      timeoutMs: this.retry.timeoutMs,
      userAgent: options.userAgent,
      onSend: () => void this.stats.requests++,
      interrupt: options.signal
    }
    this.pings = new Pings({
      authenticator: options.authenticator,
      insecure: this.insecure,
      retry: this.retry,
      http: this.http,
      env: this.env,
      log: this.log,
      onInsecureHost: options.onInsecureHost,
      loopbackProxied: options.loopbackProxied
    })
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
    return this.pings.allowsPlainHttp(registry)
  }

  /** The base URL of a registry's API (ping.ts Pings.base). */
  async base(registry: string): Promise<URL> {
    return await this.pings.base(registry)
  }

  /**
   * Sends one registry request with auth, retries and redirects; see RegistryRequest.
   * The caller must consume or dump the returned body.
   * @throws RegistryError (status not in `expect`, after retries; the message names the method, the
   *   URL without credentials, the status and every OCI error `code: message (detail)`), AuthError
   *   (credentials refused), Error (connection failures or timeouts after retries).
   */
  async request(req: RegistryRequest): Promise<RegistryResponse> {
    return await this.run(req)
  }

  /**
   * {@link request}, and a 2xx answer's body read whole within `read`'s bound (http.ts
   * readBounded: a manifest, a tag-list or referrers page) as part of the same try: a body that
   * breaks after its headers (closed, reset, paused past the timeout) is a failed try, sent again
   * as a network error before the headers is, within the same count and budget. Any other answer
   * the caller expects is returned with its body unread (`bytes` absent; the caller reads or dumps it).
   * @throws as request(); LimitError and the deadline's Error from readBounded; BodyBrokenError
   *   (final) `WHAT: the connection was closed after N of M bytes of the body (5 tries, 1.2 s in
   *   all; UND_ERR_SOCKET)` when every try's body broke
   */
  async requestWhole(
    req: RegistryRequest,
    read: BoundedRead
  ): Promise<RegistryResponse & { bytes?: Buffer }> {
    return await this.run(req, read)
  }

  private async run(
    req: RegistryRequest,
    read?: BoundedRead
  ): Promise<RegistryResponse & { bytes?: Buffer }> {
    // a streamed body cannot go twice: its registry's scheme is settled (pinged) before it goes
    const known =
      this.pings.known(req.registry) ?? (replayable(req.body) ? undefined : this.base(req.registry))
    const base = known ? await known : this.pings.presumed(req.registry)
    const run = this.start(req, base, !known)
    try {
      for (;;) {
        const res = await this.sendOnce(run)
        if (!res) continue // a network error, retried
        if (await this.again(run, res)) continue
        const answer = await this.check(run, res)
        if (!read || answer.status < 200 || answer.status > 299) return answer
        const bytes = await this.readWhole(run, answer, read)
        if (bytes) return { ...answer, bytes }
      }
    } catch (e) {
      this.endTurn(run, e instanceof AuthError ? e : 'inconclusive')
      throw e
    }
  }

  /**
   * Reads an answer's body whole (http.ts readBounded); undefined after a body that broke and is
   * worth another try (the wait is done).
   * @throws BodyBrokenError (final, with the tries) when no try is left; readBounded's other errors
   */
  private async readWhole(
    run: RequestRun,
    answer: RegistryResponse,
    read: BoundedRead
  ): Promise<Buffer | undefined> {
    const req = { method: run.req.method, url: run.url, headers: {} }
    return await readWhole(run.tries, req, answer, { ...read, interrupt: this.http.interrupt })
  }

  private endTurn(run: RequestRun, outcome: FirstUse): void {
    run.turn?.(outcome)
    run.turn = undefined
  }

  /** redirect → re-challenge → retry → another scheme: true when the request goes out again. */
  private async again(run: RequestRun, res: HttpResponse): Promise<boolean> {
    return (
      (await this.redirect(run, res)) ||
      (await this.reauthorize(run, res)) ||
      (await this.retryStatus(run, res)) ||
      (await this.otherScheme(run, res))
    )
  }

  /**
   * An answer the caller did not expect, on a base no answer has confirmed yet: the ping settles
   * the registry's scheme (its error, as it names what is wrong with the registry, is thrown).
   * True when it found another scheme: the request never reached the API and goes again there;
   * false (the answer stands) on the same one. A loopback registry's `400` over plain http (a TLS
   * server's answer) stands for the ping's plain-http try.
   */
  private async otherScheme(run: RequestRun, res: HttpResponse): Promise<boolean> {
    if (!run.base || run.req.expect.includes(res.status)) return false
    let tlsAnswer: PresumedTry | undefined
    if (res.status === 400 && run.base.protocol === 'http:') {
      run.errorText = await readText(res.body, undefined, this.retry.timeoutMs)
      const error = new RegistryError(run.req.method, run.url.toString(), res.status, run.errorText)
      tlsAnswer = { outcome: Promise.resolve({ error }), headStartSpent: true }
    }
    if (!(await this.settle(run, tlsAnswer))) return false
    if (run.errorText === undefined) await res.body.dump()
    run.errorText = undefined
    return true
  }

  /**
   * Settles the scheme of a request's registry after a try on the presumed base failed (no
   * answer, or one not from a registry API): pings it (Pings.base; throws the ping's error) and,
   * when the ping found another base, moves the request there. True when it moved.
   * @param presumed the failed try, when it stands for the ping's try of that scheme
   */
  private async settle(run: RequestRun, presumed?: PresumedTry): Promise<boolean> {
    const from = run.base as URL
    run.base = undefined
    const found = await this.pings.base(run.req.registry, presumed)
    if (found.origin === from.origin || run.redirects) return false
    run.url = new URL(`${run.url.pathname}${run.url.search}`, found)
    run.origin = found.origin
    return true
  }

  /**
   * While a try on the presumed base waits for its answer: once the head start has passed
   * (ping.ts plainHttpHeadStartMs) and the registry may speak another scheme, the ping starts
   * beside it, so a silent registry costs one timeout (and the head starts), not one per scheme.
   * Returns the timer to clear when the try ends.
   */
  private watchHeadStart(run: RequestRun): NodeJS.Timeout | undefined {
    if (!this.pings.allowsPlainHttp(run.req.registry)) return undefined
    // the ping's failure is thrown to the request that waits on it (settle), not here
    const ping = (): void => void this.pings.base(run.req.registry).catch(() => undefined)
    return setTimeout(ping, plainHttpHeadStartMs(this.retry.timeoutMs))
  }

  private start(req: RegistryRequest, base: URL, presumed: boolean): RequestRun {
    const replay = replayable(req.body)
    const mayRetry = req.retry !== false && replay
    const policy: RetryRules = req.retry === 'statuses' ? { ...this.retry, errors: 'none' } : this.retry
    const url = typeof req.url === 'string' ? new URL(req.url, base) : req.url
    // a URL the registry gave (upload Location, Link) follows the redirect rules: never from an
    // https registry to plain http unless listed insecure; Authorization only on its origin (sendOnce)
    const downgrade = downgradeProblem(base, url, this.insecure, req.registry, 'a URL the registry gave')
    if (downgrade)
      throw new Error(`${req.method} ${redactUrl(url)}: ${downgrade.message}`, { cause: downgrade })
    return {
      req,
      origin: base.origin,
      base: presumed ? base : undefined,
      url,
      scopes: req.scopes,
      replayable: replay,
      bodyUsed: false,
      authorized: false,
      learned: false,
      reauthorized: false,
      redirects: 0,
      tries: new RetryRun(this.env, policy, mayRetry)
    }
  }

  /** The body for the next try: a fresh stream from a factory, the bytes, or the one stream once. */
  private body(run: RequestRun): Buffer | string | Readable | undefined {
    const b = run.req.body
    if (typeof b === 'function') return b()
    if (b !== undefined && !run.replayable) {
      if (run.bodyUsed)
        throw new Error(`${run.req.method} ${redactUrl(run.url)}: cannot resend a streamed body`)
      run.bodyUsed = true
    }
    return b as Buffer | string | Readable | undefined
  }

  /**
   * authorize → send: one try. Returns undefined after a network error worth a retry (the wait is
   * done).
   * @throws Error `METHOD URL failed: CODE (gave up after N tries)` for other network errors
   */
  private async sendOnce(run: RequestRun): Promise<HttpResponse | undefined> {
    const { req, url } = run
    const headers: Record<string, string> = { ...req.headers }
    if (mayAuthorize(url, run.origin)) {
      const auth = await this.authenticator.authorization(req.registry, run.scopes)
      if (auth) headers.authorization = auth
      if (auth?.startsWith('Basic ') && !run.turn) run.turn = await this.basicTurns.take(req.registry)
    }
    run.authorized = headers.authorization !== undefined
    const body = this.body(run)
    const kind = requestKind(req.method, url)
    await this.rateLimits.acquire(url.host, kind)
    run.tries.sent()
    const signal = req.deadlineMs === undefined ? undefined : AbortSignal.timeout(req.deadlineMs)
    const headStart = run.base && this.watchHeadStart(run)
    try {
      const res = await send(this.http, {
        method: req.method,
        url,
        headers,
        body,
        signal,
        reuse: req.reuse
      }).finally(() => clearTimeout(headStart))
      this.rateLimits.observe(url.host, kind, res.headers)
      this.confirm(run, res)
      if (res.status !== 401) this.endTurn(run, 'accepted')
      // a status retryStatus() looks at is reported there, with its retry
      if (!RETRYABLE_STATUS.has(res.status) || req.expect.includes(res.status))
        run.tries.report({ method: req.method, url, headers }, { status: res.status })
      return res
    } catch (e) {
      this.endTurn(run, 'inconclusive')
      if (isInterruption(this.http, e)) throw e
      if (signal?.aborted) throw pastDeadline(req.method, url, req.deadlineMs as number, e)
      // no answer on a base no answer has confirmed: the ping settles the scheme first (a
      // request moved to another scheme goes again at once; on the same one it is retried as any)
      if (run.base) {
        // an https try with a plain-http fallback ends at its first network error, as the ping's does
        const final = run.base.protocol === 'https:' && this.pings.allowsPlainHttp(req.registry)
        const presumed = final ? { outcome: Promise.resolve({ error: e }), headStartSpent: true } : undefined
        if (await this.settle(run, presumed)) return undefined
      }
      if (await run.tries.afterError({ method: req.method, url, headers }, e)) return undefined
      throw this.failure(run, e)
    }
  }

  /**
   * A request on a presumed base answered as a registry API does (2xx, 401, a status that is
   * retried — the registry or its front is there, busy —, or with distribution's
   * `Docker-Distribution-API-Version` header, on the first hop): the base is the registry's.
   */
  private confirm(run: RequestRun, res: HttpResponse): void {
    if (!run.base || run.redirects) return
    const ok =
      res.status === 401 || (res.status >= 200 && res.status < 300) || RETRYABLE_STATUS.has(res.status)
    if (!ok && res.headers['docker-distribution-api-version'] === undefined) return
    this.pings.confirm(run.req.registry, run.base)
    run.base = undefined
  }

  /**
   * The error for a request whose last try got no answer, in errors.ts noAnswerText's words: a
   * timeout says the timeout and, after retries, the tries and the time they took in all (`GET URL:
   * connected, but got no answer within 3 s (3 tries, 7.3 s in all; UND_ERR_HEADERS_TIMEOUT)`); a
   * connection the registry closed or refused `PUT URL: connection closed by the registry
   * (ECONNRESET)`, `… cannot connect (ECONNREFUSED)` (errors.ts isConnectionFailure); anything
   * else `METHOD URL failed: CODE (gave up after N tries)`. Each a RequestFailedError carrying the
   * tries made.
   */
  private failure(run: RequestRun, e: unknown): Error {
    const { method } = run.req
    const tries = run.tries.attempt + 1
    if (isTimeout(e) || isConnectionFailure(e)) {
      const context = { tries, elapsedMs: run.tries.elapsedMs, peer: 'registry' as const }
      const text = noAnswerText(e, this.retry.timeoutMs, context)
      return new RequestFailedError(`${method} ${redactUrl(run.url)}: ${text}`, tries, { cause: e })
    }
    const retried = run.tries.attempt ? ` (gave up after ${run.tries.text})` : ''
    const code = errorCode(e) || (e as Error).message
    return new RequestFailedError(`${method} ${redactUrl(run.url)} failed: ${code}${retried}`, tries, {
      cause: e
    })
  }

  /** A redirect to follow: true (the URL moved on). @throws RegistryError for one that cannot be. */
  private async redirect(run: RequestRun, res: HttpResponse): Promise<boolean> {
    const decision = nextRedirect({
      status: res.status,
      location: headerValue(res.headers.location),
      url: run.url,
      follow: run.req.followRedirects ?? true,
      expect: run.req.expect,
      redirects: run.redirects,
      streamedBodySent: !run.replayable && run.bodyUsed,
      insecure: this.insecure,
      registry: run.req.registry
    })
    if (decision.kind === 'none') return false
    await res.body.dump()
    if (decision.kind === 'refuse') {
      const refused = new RegistryError(run.req.method, run.url.toString(), res.status, '', decision.reason)
      // the facts of a plain-http refusal, for the interface's advice (report/tls-words.ts)
      if (decision.refusal) refused.cause = decision.refusal
      throw refused
    }
    this.log.debug(
      `${run.req.method} ${redactUrl(run.url)} redirected (${res.status}) to ${redactUrl(decision.url)}`
    )
    run.url = decision.url
    run.redirects++
    return true
  }

  /**
   * A 401: true when the request may go again with (new) credentials. To a try without
   * `Authorization` (the registry's challenge was not known yet, or gave none for these scopes)
   * the authenticator learns the challenge, and the request goes again when it now has an
   * `Authorization` to send; else a first 401 drops the token for a new one.
   * @throws AuthError when neither can help
   */
  private async reauthorize(run: RequestRun, res: HttpResponse): Promise<boolean> {
    if (res.status !== 401 || !mayAuthorize(run.url, run.origin)) return false
    const { req } = run
    const challenge = res.headers['www-authenticate']
    if (!run.authorized && !run.learned && run.replayable) {
      run.learned = true
      const next = this.authenticator.learn(req.registry, challenge, run.scopes)
      if (next && (await this.authenticator.authorization(req.registry, next)) !== undefined) {
        await res.body.dump()
        run.scopes = next
        return true
      }
    }
    if (run.reauthorized) return false
    run.reauthorized = true
    const next = this.authenticator.onUnauthorized(req.registry, challenge, run.scopes)
    await res.body.dump()
    if (next && run.replayable) {
      run.scopes = next
      return true
    }
    throw new AuthError(
      `${req.method} ${redactUrl(run.url)} answered 401: ${this.authenticator.refusal(req.registry, challenge, run.scopes)}`
    )
  }

  /**
   * A retryable status the caller did not expect: true after waiting for the next try. A 5xx
   * body is read first (bounded): an OCI code that is a verdict (errors.ts FINAL_OCI_CODES, e.g.
   * `MANIFEST_BLOB_UNKNOWN`) ends the request without a retry.
   */
  private async retryStatus(run: RequestRun, res: HttpResponse): Promise<boolean> {
    if (!RETRYABLE_STATUS.has(res.status) || run.req.expect.includes(res.status)) return false
    const req = { method: run.req.method, url: run.url, headers: {} }
    if (res.status >= 500 && run.req.method !== 'HEAD') {
      run.errorText = await readText(res.body, undefined, this.retry.timeoutMs)
      if (hasFinalCode(run.errorText)) {
        run.tries.report(req, { status: res.status })
        return false
      }
    }
    const again = await run.tries.afterStatus(req, res)
    if (again) run.errorText = undefined
    return again
  }

  /** The answer if expected. @throws RegistryError naming what the registry said, and why. */
  private async check(run: RequestRun, res: HttpResponse): Promise<RegistryResponse> {
    const { req } = run
    const { status } = res
    if (req.expect.includes(status)) return { status, headers: res.headers, url: run.url, body: res.body }
    let text = ''
    if (req.method === 'HEAD') await res.body.dump()
    else text = run.errorText ?? (await readText(res.body, undefined, this.retry.timeoutMs))
    let hint: string | undefined
    const challenge = res.headers['www-authenticate']
    if (status === 401) hint = this.authenticator.refusal(req.registry, challenge, run.scopes)
    else if (status === 403)
      hint = this.authenticator.forbidden(req.registry, hasOwnReason(parseErrorBody(text)))
    else if (status === 407)
      hint = 'the proxy asks for credentials (give them in the proxy URL, http://USER:PASSWORD@HOST:PORT)'
    else if (run.tries.gaveUp) hint = run.tries.gaveUp
    const error = new RegistryError(req.method, run.url.toString(), status, text, hint)
    error.final = run.tries.waitTooLong
    error.tries = run.tries.attempt + 1
    throw error
  }

  /** Waits `ms` with the transport's sleep (ended by close()). */
  async sleep(ms: number): Promise<void> {
    await this.env.sleep(ms)
  }

  /**
   * Ends the run's HTTP: clears every pending wait and destroys the pool at once, idle keep-alive
   * connections and any request still in flight (one the caller abandoned, e.g. the other HEADs of
   * a wave that failed), instead of waiting for them; no timer or socket of the client is left.
   */
  async close(): Promise<void> {
    this.waits.cancel()
    await destroyDispatcher(this.dispatcher)
  }
}
