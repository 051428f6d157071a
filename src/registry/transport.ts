/**
 * The registry HTTP stack above `send()` (http.ts), layered as go-containerregistry's transport:
 * ping → authorize → send → redirect → retry → check. Scheme choice (https; plain http only for
 * loopback and named insecure hosts), the `/v2/` ping that learns each registry's auth challenge
 * (retried like any request, its answer kept for the run), `Authorization` from the Authenticator
 * only on the registry's own origin, a single re-challenge on 401, redirects followed by hand
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
 */
import type { Readable } from 'node:stream'
import {
  AuthError,
  isLoopbackHost,
  type Authenticator,
  type Scope,
  type TokenSend
} from '../auth/authenticator.js'
import { apiHost } from '../reference/index.js'
import { LIMITS, bytesText } from '../limits.js'
import { silentLogger, type Logger } from '../logger.js'
import {
  ACTION_TLS_NAMES,
  RETRYABLE_STATUS,
  RegistryError,
  errorCode,
  hasFinalCode,
  insecureWarning,
  isTlsVerifyError,
  noAnswerText,
  noAnswerWhat,
  proxyProblem,
  redactUrl,
  tlsAdvice,
  type TlsOptionNames
} from './errors.js'
import { certificateHost } from './client-certificate.js'
import {
  createDispatcher,
  readBounded,
  readText,
  send,
  TlsClientCertificateError,
  type Dispatcher,
  type HttpOptions,
  type HttpRequest,
  type HttpResponse,
  type ResponseBody,
  type ResponseHeaders
} from './http.js'
import { RateLimiter, requestKind, type RateLimitOptions } from './ratelimit.js'
import { downgradeProblem, mayAuthorize, nextRedirect } from './redirect.js'
import { requestLogLine, statusText, type RequestLogEntry } from './request-log.js'
import {
  backoffMs,
  blocksHost,
  isTimeout,
  nextRetry,
  retryAfterMs,
  retryOptions,
  triesText,
  type RetryDecision,
  type RetryOptions,
  type RetryPolicy,
  type TryFailure
} from './retry.js'

export { DEFAULT_RETRY, retryAfterMs, type RetryOptions } from './retry.js'

/** Counters for tests and reports. */
export interface TransportStats {
  /** registry requests put on the wire (pings included; token requests are counted by the Authenticator) */
  requests: number
  /** retries made, token requests included */
  retries: number
  /** ms spent sleeping before retries */
  waitedMs: number
  /** requests answered 429 */
  tooManyRequests: number
}

/** Fresh counters (the factory shares one set between the Transport and the token sender). */
export function newTransportStats(): TransportStats {
  return { requests: 0, retries: 0, waitedMs: 0, tooManyRequests: 0 }
}

export interface TransportOptions {
  authenticator: Authenticator
  /** connection pool (keep-alive); default: createDispatcher() */
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
  /** counters to use (default: new ones) */
  stats?: TransportStats
  /** called once per request try put on the wire, after its answer or error (the `-v` request log) */
  onRequest?: (entry: RequestLogEntry) => void
  /** the clock of retries and of the request log, ms (default Date.now; tests) */
  now?: () => number
  /** how messages name the CA and insecure-registries options (default: the action's inputs) */
  optionNames?: TlsOptionNames
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
}

export interface RegistryResponse {
  status: number
  headers: ResponseHeaders
  /** the URL that answered (after redirects) */
  url: URL
  body: ResponseBody
}

function headerValue(h: string | string[] | undefined): string | undefined {
  return Array.isArray(h) ? h.join(', ') : h
}

const defaultSleep = (ms: number): Promise<void> => new Promise(r => setTimeout(r, ms))

/**
 * The waits of one Transport (retry backoff, `Retry-After`, rate-limit pacing, download resumes),
 * each a timer that `cancel()` clears: once the client is closed no timer of it keeps the process
 * alive, and a wait still pending rejects (its request was abandoned by the caller).
 */
class Waits {
  private readonly pending = new Set<{ timer: NodeJS.Timeout; reject: (e: Error) => void }>()

  readonly sleep = (ms: number): Promise<void> =>
    new Promise((resolve, reject) => {
      const entry = {
        timer: setTimeout(() => {
          this.pending.delete(entry)
          resolve()
        }, ms),
        reject
      }
      this.pending.add(entry)
    })

  cancel(): void {
    for (const { timer, reject } of this.pending) {
      clearTimeout(timer)
      reject(new Error('the registry client was closed during a wait'))
    }
    this.pending.clear()
  }
}

/** What a retry loop needs besides its policy: a clock, randomness, a sleep, a log, counters. */
export interface RetryEnv {
  now: () => number
  random: () => number
  sleep: (ms: number) => Promise<void>
  log: Logger
  stats: Pick<TransportStats, 'retries' | 'waitedMs' | 'tooManyRequests'>
  /** the per-host budgets a `Retry-After` holds (registry traffic only) */
  limiter?: RateLimiter
  /** the request log: one entry per try (without it, retries go to the debug log) */
  onRequest?: (entry: RequestLogEntry) => void
}

/**
 * One request's tries: after a failed try asks retry.ts whether to go on, and waits. When retries
 * are off for the request (`enabled` false) it still counts 429s and records `Retry-After` for the
 * host, but never waits and gives no "gave up" words.
 */
class RetryRun {
  attempt = 0
  /** true when retries stopped because `Retry-After` asked for a wait beyond the budget */
  waitTooLong = false
  /** why retries stopped on a retryable status ('' when they did not, or were off) */
  gaveUp = ''
  private readonly started: number
  /** when the current try was sent (env clock) */
  private sentAt: number
  constructor(
    private readonly env: RetryEnv,
    private readonly policy: RetryPolicy,
    private readonly enabled = true
  ) {
    this.started = env.now()
    this.sentAt = this.started
  }

  /** ms since the first try started (env clock) */
  get elapsedMs(): number {
    return this.env.now() - this.started
  }

  /** Marks a try as put on the wire now (for the request log). */
  sent(): void {
    this.sentAt = this.env.now()
  }

  /** Reports one try to the request log; without one, only a retry goes to the debug log. */
  report(
    req: HttpRequest,
    outcome: { status?: number; error?: string },
    retry?: RequestLogEntry['retry']
  ): void {
    const entry: RequestLogEntry = {
      method: req.method,
      url: req.url,
      ...outcome,
      ms: this.env.now() - this.sentAt,
      retry
    }
    if (this.env.onRequest) this.env.onRequest(entry)
    else if (retry) this.env.log.debug(requestLogLine(entry))
  }

  /** The retry part of a log entry for a decision to retry. */
  private retryEntry(delayMs: number, why: string): RequestLogEntry['retry'] {
    return { number: this.attempt + 1, of: this.policy.retries, delayMs, why }
  }

  private decide(failure: TryFailure): RetryDecision {
    if (!this.enabled) return { retry: false, reason: '' }
    const now = this.env.now()
    return nextRetry(
      failure,
      { attempt: this.attempt, elapsedMs: now - this.started, now },
      this.policy,
      this.env.random
    )
  }

  /** After a network error: true once the wait before another try is over; false when final. */
  async afterError(req: HttpRequest, e: unknown): Promise<boolean> {
    const decision = this.decide({ error: e })
    const error = errorCode(e) || (e as Error)?.message
    if (!decision.retry) {
      this.report(req, { error })
      return false
    }
    const why = noAnswerWhat(e, this.policy.timeoutMs)
    this.report(req, { error }, this.retryEntry(decision.delayMs, why))
    await this.wait(decision.delayMs)
    return true
  }

  /**
   * After an answer with a retryable status (408, 429, 500, 502, 503, 504): true once its body is
   * dumped and the wait before another try is over; false (and `gaveUp` set) when final.
   */
  async afterStatus(req: HttpRequest, res: HttpResponse): Promise<boolean> {
    const { status } = res
    if (status === 429) this.env.stats.tooManyRequests++
    const retryAfter = headerValue(res.headers['retry-after'])
    const asked = retryAfterMs(retryAfter, this.env.now())
    const decision = this.decide({ status, retryAfter })
    // Retry-After binds every request to the host, not only this one; a wait beyond the retry
    // budget fails this request at once (decide) and holds no other either, or they would wait it out
    const withinBudget = this.env.now() - this.started + (asked ?? 0) <= this.policy.budgetMs
    if (asked !== undefined && blocksHost(status) && withinBudget)
      this.env.limiter?.block(req.url.host, asked)
    if (!decision.retry) {
      this.gaveUp = decision.reason
      this.waitTooLong = asked !== undefined && !withinBudget
      this.report(req, { status })
      return false
    }
    await res.body.dump()
    const why = `${statusText(status)}${decision.retryAfter ? ', Retry-After' : ''}`
    this.report(req, { status }, this.retryEntry(decision.delayMs, why))
    await this.wait(decision.delayMs)
    return true
  }

  private async wait(ms: number): Promise<void> {
    this.attempt++
    this.env.stats.retries++
    this.env.stats.waitedMs += ms
    if (ms > 0) await this.env.sleep(ms)
  }

  /** `3 tries` */
  get text(): string {
    return triesText(this.attempt)
  }
}

/**
 * Sends a body-less or byte-bodied request until the answer is not worth a retry (no auth, no
 * redirects): the ping and token requests.
 * @returns the last answer, and `gaveUp` (words) when it is a retryable status the retries did not cure
 * @throws the last network error, as send() raised it
 */
async function sendRetrying(
  http: HttpOptions,
  env: RetryEnv,
  req: HttpRequest,
  policy: RetryPolicy
): Promise<{ res: HttpResponse; gaveUp: string }> {
  const run = new RetryRun(env, policy)
  const kind = requestKind(req.method, req.url)
  for (;;) {
    await env.limiter?.acquire(req.url.host, kind)
    let res: HttpResponse
    run.sent()
    try {
      res = await send(http, req)
    } catch (e) {
      if (await run.afterError(req, e)) continue
      throw e
    }
    env.limiter?.observe(req.url.host, kind, res.headers)
    if (!RETRYABLE_STATUS.has(res.status)) {
      run.report(req, { status: res.status })
      return { res, gaveUp: '' }
    }
    if (!(await run.afterStatus(req, res))) return { res, gaveUp: run.gaveUp }
  }
}

/**
 * The token-request sender for the Authenticator: http.ts `send()` with the run's dispatcher,
 * timeout and user agent, and the retry policy of every request (retryable statuses, temporary
 * network errors, `Retry-After`, the budget), but no auth layer, no redirects and no rate limiter.
 * A token server that accepts the connection and never answers fails after `timeoutMs`, without
 * a retry. Calls `count()` once per request sent.
 * @throws Error `connected, but got no answer within N s (CODE)` / `cannot connect (CODE)` with the
 *   network error as its cause
 */
export function tokenSender(options: TokenSenderOptions): TokenSend {
  const retry = retryOptions(options.retry)
  const policy: RetryPolicy = { ...retry, errors: 'not-timeouts' }
  const env = retryEnv({ ...options.env, limiter: undefined })
  return async (req, count) => {
    const http = {
      dispatcher: options.dispatcher,
      timeoutMs: retry.timeoutMs,
      userAgent: options.userAgent,
      onSend: count
    }
    let res: HttpResponse
    try {
      res = (await sendRetrying(http, env, req, policy)).res
    } catch (e) {
      throw new Error(noAnswerText(e, retry.timeoutMs), { cause: e })
    }
    const read = { what: 'the answer', limit: 'tokenBytes' as const, deadlineMs: retry.timeoutMs }
    return { status: res.status, text: (await readBounded(res.body, res.headers, read)).toString('utf8') }
  }
}

export interface TokenSenderOptions {
  /** the run's connection pool (TLS settings shared with registry traffic) */
  dispatcher: Dispatcher
  retry?: Partial<RetryOptions>
  userAgent?: string
  /** clock, randomness, sleep, log, counters (defaults: real ones, no log, own counters) */
  env?: Partial<RetryEnv>
}

/** A RetryEnv with defaults for what `env` leaves out. */
function retryEnv(env: Partial<RetryEnv>): RetryEnv {
  return {
    now: env.now ?? Date.now,
    random: env.random ?? Math.random,
    sleep: env.sleep ?? defaultSleep,
    log: env.log ?? silentLogger,
    stats: env.stats ?? newTransportStats(),
    limiter: env.limiter,
    onRequest: env.onRequest
  }
}

/** How the first request carrying a registry's Basic credentials ended, for those waiting on it. */
type FirstUse = 'accepted' | 'inconclusive' | AuthError

/**
 * Basic credentials that no answer has accepted yet go out on one request at a time, per registry:
 * the first request carries them alone; the others wait for its answer and then go at once
 * (accepted), take the next turn (no answer), or fail with the same refusal without being sent
 * (refused). A wrong password thus costs one refused request, not one per request of a parallel
 * wave (registries that lock accounts count each). Tokens need no such turn: one token request
 * per scope set already stands for every request of the set (auth/authenticator.ts).
 */
class BasicTurns {
  private readonly accepted = new Set<string>()
  private readonly pending = new Map<string, Promise<FirstUse>>()

  /**
   * Waits for this request's turn on `registry`.
   * @returns a function that reports how the turn ended, or undefined when the credentials were
   *   already accepted (no turn needed)
   * @throws the AuthError of the first request when the registry refused them
   */
  async take(registry: string): Promise<((outcome: FirstUse) => void) | undefined> {
    for (;;) {
      if (this.accepted.has(registry)) return undefined
      const waiting = this.pending.get(registry)
      if (!waiting) break
      const outcome = await waiting
      if (outcome instanceof AuthError) throw outcome
    }
    let settle!: (outcome: FirstUse) => void
    this.pending.set(registry, new Promise<FirstUse>(r => (settle = r)))
    return outcome => {
      if (outcome === 'accepted') this.accepted.add(registry)
      this.pending.delete(registry)
      settle(outcome)
    }
  }
}

/** One registry request in flight: where it goes, what it may still do, how it went so far. */
interface RequestRun {
  req: RegistryRequest
  /** the registry's origin: the only one that gets `Authorization` */
  origin: string
  url: URL
  scopes: Scope[]
  replayable: boolean
  bodyUsed: boolean
  reauthorized: boolean
  redirects: number
  tries: RetryRun
  /** the error body of the last answer, when retryStatus() read it already */
  errorText?: string
  /** set while this request holds its registry's first turn with Basic credentials (BasicTurns) */
  turn?: (outcome: FirstUse) => void
}

/** `PUT URL did not complete within N s (…)`: a try that ran past its `deadlineMs`. */
function pastDeadline(method: string, url: URL, deadlineMs: number, cause: unknown): Error {
  return new Error(
    `${method} ${redactUrl(url)} did not complete within ${Math.round(deadlineMs / 1000)} s (twice the request timeout + 1 s per ${bytesText(LIMITS.blobBytesPerSecond)} of its body)`,
    { cause }
  )
}

/** A ping try's outcome (Transport.ping): the base URL found, or the error the try ended with. */
type PingTry = { base: URL } | { error: unknown }

/**
 * How long (ms) an https ping to a host that may use plain http runs alone before the http try
 * starts beside it, for a request timeout of `timeoutMs`: a quarter of the timeout, at most 1 s —
 * long enough for a TLS handshake on a busy near registry, short against the timeout.
 */
export function plainHttpHeadStartMs(timeoutMs: number): number {
  return Math.min(1000, Math.floor(timeoutMs / 4))
}

/** `p`'s value when it settles within `ms`, else undefined once `ms` have passed; leaves no timer. */
async function within<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined
  try {
    return await Promise.race([
      p,
      new Promise<undefined>(res => (timer = setTimeout(() => res(undefined), ms)))
    ])
  } finally {
    clearTimeout(timer)
  }
}

/**
 * True for a ping error no other scheme can mend: the registry answered (RegistryError), it
 * speaks TLS and refused us (a client certificate wanted, or its certificate failed verification),
 * or the forward proxy refused us (errors.ts proxyProblem).
 */
function endsPing(e: unknown): boolean {
  return (
    e instanceof RegistryError ||
    e instanceof TlsClientCertificateError ||
    isTlsVerifyError(e) ||
    proxyProblem(e) !== undefined
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
  private readonly bases = new Map<string, Promise<URL>>()
  private readonly insecure: Set<string>
  private readonly names: TlsOptionNames
  private readonly env: RetryEnv
  private readonly http: HttpOptions
  private readonly waits = new Waits()
  private readonly basicTurns = new BasicTurns()

  constructor(readonly options: TransportOptions) {
    this.dispatcher = options.dispatcher ?? createDispatcher()
    this.retry = retryOptions(options.retry)
    this.log = options.logger ?? silentLogger
    this.stats = options.stats ?? newTransportStats()
    this.insecure = new Set((options.insecureRegistries ?? []).map(h => h.toLowerCase()))
    const sleep = options.sleep ?? this.waits.sleep
    this.rateLimits = new RateLimiter(options.rateLimit, { logger: this.log, sleep })
    this.names = options.optionNames ?? ACTION_TLS_NAMES
    this.env = retryEnv({
      sleep,
      log: this.log,
      stats: this.stats,
      limiter: this.rateLimits,
      onRequest: options.onRequest,
      now: options.now
    })
    this.http = {
      dispatcher: this.dispatcher,
      timeoutMs: this.retry.timeoutMs,
      userAgent: options.userAgent,
      onSend: () => void this.stats.requests++
    }
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
   * The base URL of a registry's API, found once per registry by `GET /v2/` (end-1) and kept for
   * the run (a failed ping is not kept: the next request pings again): https first; plain http only
   * for loopback / insecure hosts whose https try fails for a reason other than certificate
   * verification (the http try starts once https has failed or been silent for a quarter of the
   * timeout, at most 1 s: a silent server costs one timeout and that head start, not one timeout
   * per scheme). The ping is retried like any request on 408/429/500/502/503/504 (`Retry-After`
   * honoured, within the budget) and on temporary network errors, but not after a timeout. Records
   * the auth challenge.
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
    const https = this.pingTry(registry, new URL(`https://${host}/`), this.allowsPlainHttp(registry))
    const tries = [https]
    if (this.allowsPlainHttp(registry)) {
      // plain http starts once https has failed or stayed silent for the head start, so a silent
      // server costs one timeout, not one per scheme; an https answer still wins (taken in order)
      const early = await within(https, plainHttpHeadStartMs(this.retry.timeoutMs))
      if (!early || ('error' in early && !endsPing(early.error)))
        tries.push(this.pingTry(registry, new URL(`http://${host}/`), false))
    }
    let lastError: unknown
    for (const t of tries) {
      const r = await t
      if ('base' in r) {
        this.warnInsecure(registry, r.base)
        return r.base
      }
      const e = r.error
      if (e instanceof RegistryError) throw e
      // the server speaks TLS and wants a client certificate: no plain-http fallback
      if (e instanceof TlsClientCertificateError)
        throw new Error(`registry ${registry}: ${e.message}`, { cause: e })
      lastError = e
      // the forward proxy refused us: no other scheme mends that (plain http goes the same way or,
      // without an http proxy, to another answer that would hide the proxy's)
      if (proxyProblem(e)) break
      if (isTlsVerifyError(e)) {
        throw new Error(
          `registry ${registry}: TLS certificate verification failed (${errorCode(e)}); ${tlsAdvice(this.names, registry)}`,
          { cause: e }
        )
      }
    }
    throw new Error(
      `registry ${registry}: ${noAnswerText(lastError, this.retry.timeoutMs, { peer: 'registry' })}`,
      { cause: lastError }
    )
  }

  /** One scheme's ping, settled: the base URL it found, or the error it ended with. */
  private pingTry(registry: string, base: URL, fallback: boolean): Promise<PingTry> {
    return this.pingOne(registry, base, fallback).then(
      found => ({ base: found }),
      (error: unknown) => ({ error })
    )
  }

  /**
   * Warns once per run (the ping's answer is kept) that `registry`, listed as insecure, is used
   * without TLS verification (https; http.ts createDispatcher skips it for listed hosts) or over
   * plain http.
   */
  private warnInsecure(registry: string, base: URL): void {
    const listed = [...this.insecure].some(h => certificateHost(h) === certificateHost(registry))
    if (listed) this.log.warning(insecureWarning(this.names, registry, base))
  }

  /** One scheme's ping; with a fallback scheme left, a network error moves on to it at once. */
  private async pingOne(registry: string, base: URL, fallback: boolean): Promise<URL> {
    const url = new URL('/v2/', base)
    const policy: RetryPolicy = { ...this.retry, errors: fallback ? 'none' : 'not-timeouts' }
    const { res, gaveUp } = await sendRetrying(
      this.http,
      this.env,
      { method: 'GET', url, headers: {} },
      policy
    )
    if (res.status === 200 || res.status === 401) {
      await res.body.dump()
      this.authenticator.setChallenge(
        registry,
        res.status === 401 ? res.headers['www-authenticate'] : undefined
      )
      return base
    }
    const text = await readText(res.body, undefined, this.retry.timeoutMs)
    throw new RegistryError(
      'GET',
      url.toString(),
      res.status,
      text,
      gaveUp || 'not an OCI distribution registry API'
    )
  }

  /**
   * Sends one registry request with auth, retries and redirects; see RegistryRequest.
   * The caller must consume or dump the returned body.
   * @throws RegistryError (status not in `expect`, after retries; the message names the method, the
   *   URL without credentials, the status and every OCI error `code: message (detail)`), AuthError
   *   (credentials refused), Error (connection failures or timeouts after retries).
   */
  async request(req: RegistryRequest): Promise<RegistryResponse> {
    const run = this.start(req, await this.base(req.registry))
    try {
      for (;;) {
        const res = await this.sendOnce(run)
        if (!res) continue // a network error, retried
        if (await this.again(run, res)) continue
        return await this.check(run, res)
      }
    } catch (e) {
      this.endTurn(run, e instanceof AuthError ? e : 'inconclusive')
      throw e
    }
  }

  private endTurn(run: RequestRun, outcome: FirstUse): void {
    run.turn?.(outcome)
    run.turn = undefined
  }

  /** redirect → re-challenge → retry: true when the request goes out again. */
  private async again(run: RequestRun, res: HttpResponse): Promise<boolean> {
    return (
      (await this.redirect(run, res)) ||
      (await this.reauthorize(run, res)) ||
      (await this.retryStatus(run, res))
    )
  }

  private start(req: RegistryRequest, base: URL): RequestRun {
    const b = req.body
    const replayable =
      b === undefined || typeof b === 'function' || Buffer.isBuffer(b) || typeof b === 'string'
    const mayRetry = req.retry !== false && replayable
    const policy: RetryPolicy = req.retry === 'statuses' ? { ...this.retry, errors: 'none' } : this.retry
    const url = typeof req.url === 'string' ? new URL(req.url, base) : req.url
    // a URL the registry gave (upload Location, Link) follows the redirect rules: never from an
    // https registry to plain http unless listed insecure; Authorization only on its origin (sendOnce)
    const downgrade = downgradeProblem(base, url, this.insecure, req.registry, 'a URL the registry gave')
    if (downgrade) throw new Error(`${req.method} ${redactUrl(url)}: ${downgrade}`)
    return {
      req,
      origin: base.origin,
      url,
      scopes: req.scopes,
      replayable,
      bodyUsed: false,
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
    const body = this.body(run)
    const kind = requestKind(req.method, url)
    await this.rateLimits.acquire(url.host, kind)
    run.tries.sent()
    const signal = req.deadlineMs === undefined ? undefined : AbortSignal.timeout(req.deadlineMs)
    try {
      const res = await send(this.http, { method: req.method, url, headers, body, signal })
      this.rateLimits.observe(url.host, kind, res.headers)
      if (res.status !== 401) this.endTurn(run, 'accepted')
      // a status retryStatus() looks at is reported there, with its retry
      if (!RETRYABLE_STATUS.has(res.status) || req.expect.includes(res.status))
        run.tries.report({ method: req.method, url, headers }, { status: res.status })
      return res
    } catch (e) {
      this.endTurn(run, 'inconclusive')
      if (signal?.aborted) throw pastDeadline(req.method, url, req.deadlineMs as number, e)
      if (await run.tries.afterError({ method: req.method, url, headers }, e)) return undefined
      throw this.failure(run, e)
    }
  }

  /**
   * The error for a request whose last try got no answer: a timeout says the timeout and, after
   * retries, the tries and the time they took in all (`GET URL: connected, but got no answer within
   * 3 s (3 tries, 7.3 s in all; UND_ERR_HEADERS_TIMEOUT)`); anything else `METHOD URL failed: CODE
   * (gave up after N tries)`.
   */
  private failure(run: RequestRun, e: unknown): Error {
    const { method } = run.req
    const tries = run.tries.attempt + 1
    if (isTimeout(e)) {
      const text = noAnswerText(e, this.retry.timeoutMs, { tries, elapsedMs: run.tries.elapsedMs })
      return new Error(`${method} ${redactUrl(run.url)}: ${text}`, { cause: e })
    }
    const retried = run.tries.attempt ? ` (gave up after ${run.tries.text})` : ''
    const code = errorCode(e) || (e as Error).message
    return new Error(`${method} ${redactUrl(run.url)} failed: ${code}${retried}`, { cause: e })
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
    if (decision.kind === 'refuse')
      throw new RegistryError(run.req.method, run.url.toString(), res.status, '', decision.reason)
    this.log.debug(
      `${run.req.method} ${redactUrl(run.url)} redirected (${res.status}) to ${redactUrl(decision.url)}`
    )
    run.url = decision.url
    run.redirects++
    return true
  }

  /** A first 401 from the registry: true when a new token may help. @throws AuthError otherwise. */
  private async reauthorize(run: RequestRun, res: HttpResponse): Promise<boolean> {
    if (res.status !== 401 || run.reauthorized || !mayAuthorize(run.url, run.origin)) return false
    const { req } = run
    run.reauthorized = true
    const challenge = res.headers['www-authenticate']
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
    else if (status === 403) hint = this.authenticator.forbidden(req.registry)
    else if (status === 407)
      hint = 'the proxy asks for credentials (give them in the proxy URL, http://USER:PASSWORD@HOST:PORT)'
    else if (run.tries.gaveUp) hint = run.tries.gaveUp
    const error = new RegistryError(req.method, run.url.toString(), status, text, hint)
    error.final = run.tries.waitTooLong
    throw error
  }

  /** The wait before retry number `attempt + 1`: exponential from baseDelayMs, capped, jittered (ms). */
  backoff(attempt: number): number {
    return backoffMs(attempt, this.retry, this.env.random)
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
    await this.dispatcher.destroy()
  }
}
