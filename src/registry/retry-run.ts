/**
 * One request's tries (go-containerregistry `transport/retry.go`): the loop that asks retry.ts
 * whether to send again after a failed try, waits (backoff, `Retry-After`), records `Retry-After`
 * for the host's rate limiter and reports each try to the request log; the waits of one Transport,
 * which close() cancels; the counters shared by registry and token traffic. `sendRetrying` is the
 * loop without auth or redirects: the ping and token requests.
 */
import { silentLogger, type Logger } from '../logger.js'
import { BodyBrokenError, RETRYABLE_STATUS, errorCode, noAnswerWhat } from './errors.js'
import {
  isInterruption,
  readBounded,
  send,
  type BoundedRead,
  type HttpOptions,
  type HttpRequest,
  type HttpResponse
} from './http.js'
import { boundInterrupt } from './uninterrupted.js'
import { requestKind, type RateLimiter } from './ratelimit.js'
import { requestLogLine, statusText, type RequestLogEntry } from './request-log.js'
import {
  blocksHost,
  defaultRetryPolicy,
  retryAfterMs,
  triesText,
  type RetryDecision,
  type RetryPolicy,
  type RetryRules,
  type TryFailure
} from './retry.js'

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

/** A header value as one string (repeated headers joined with `, `). */
export function headerValue(h: string | string[] | undefined): string | undefined {
  return Array.isArray(h) ? h.join(', ') : h
}

const defaultSleep = (ms: number): Promise<void> => new Promise(r => setTimeout(r, ms))

/**
 * The waits of one Transport (retry backoff, `Retry-After`, rate-limit pacing, download resumes),
 * each a timer that `cancel()` clears: once the client is closed no timer of it keeps the process
 * alive, and a wait still pending rejects (its request was abandoned by the caller). The run's
 * interruption ends the waits bound to it the same way.
 */
export class Waits {
  private readonly pending = new Set<{ timer: NodeJS.Timeout; reject: (e: Error) => void; bound: boolean }>()

  /**
   * @param interrupt the run's interruption (http.ts HttpOptions.interrupt): it rejects, with its
   *   reason, every wait started before it outside uninterrupted.ts `uninterrupted`
   */
  constructor(private readonly interrupt?: AbortSignal) {
    interrupt?.addEventListener('abort', () => this.end(interrupt.reason as Error, true), { once: true })
  }

  readonly sleep = (ms: number): Promise<void> =>
    new Promise((resolve, reject) => {
      const entry = {
        timer: setTimeout(() => {
          this.pending.delete(entry)
          resolve()
        }, ms),
        reject,
        bound: boundInterrupt(this.interrupt) !== undefined
      }
      this.pending.add(entry)
    })

  cancel(): void {
    this.end(new Error('the registry client was closed during a wait'), false)
  }

  private end(reason: Error, boundOnly: boolean): void {
    for (const entry of this.pending) {
      if (boundOnly && !entry.bound) continue
      clearTimeout(entry.timer)
      entry.reject(reason)
      this.pending.delete(entry)
    }
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
  /** who decides on retries (default: retry.ts defaultRetryPolicy of the request's rules) */
  policy?: RetryPolicy
}

/**
 * One request's tries: after a failed try asks retry.ts whether to go on, and waits. When retries
 * are off for the request (`enabled` false) it still counts 429s and records `Retry-After` for the
 * host, but never waits and gives no "gave up" words.
 */
export class RetryRun {
  attempt = 0
  /** true when retries stopped because `Retry-After` asked for a wait beyond the budget */
  waitTooLong = false
  /** why retries stopped on a retryable status ('' when they did not, or were off) */
  gaveUp = ''
  private readonly started: number
  /** who decides whether to try again (the env's, else the default for the rules) */
  private readonly policy: RetryPolicy
  /** when the current try was sent (env clock) */
  private sentAt: number
  constructor(
    private readonly env: RetryEnv,
    private readonly rules: RetryRules,
    private readonly enabled = true
  ) {
    this.started = env.now()
    this.sentAt = this.started
    this.policy = env.policy ?? defaultRetryPolicy(rules, env.random)
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
    return { number: this.attempt + 1, of: this.rules.retries, delayMs, why }
  }

  private decide(failure: TryFailure): RetryDecision {
    if (!this.enabled) return { retry: false, reason: '' }
    const now = this.env.now()
    const attempt = { attempt: this.attempt, elapsedMs: now - this.started, now }
    return this.policy.decide({ scope: 'request', failure, errors: this.rules.errors, ...attempt })
  }

  /** After a network error: true once the wait before another try is over; false when final. */
  async afterError(req: HttpRequest, e: unknown): Promise<boolean> {
    const decision = this.decide({ error: e })
    const error = errorCode(e) || (e as Error)?.message
    if (!decision.retry) {
      this.report(req, { error })
      return false
    }
    const why = e instanceof BodyBrokenError ? e.broke : noAnswerWhat(e, this.rules.timeoutMs)
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
    const withinBudget = this.env.now() - this.started + (asked ?? 0) <= this.rules.budgetMs
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
 * redirects): the ping and token requests. With `read`, an answer that is not a retryable status
 * has its body read whole (http.ts readBounded) as part of its try: a body that broke is a failed
 * try, sent again within the same count and budget (as transport.ts requestWhole).
 * @returns the last answer (its body in `bytes` with `read`, unless it is a retryable status the
 *   retries did not cure), and `gaveUp` (words) when it is such a status
 * @throws the last network error, as send() raised it; with `read`, readBounded's LimitError and
 *   BodyDeadlineError, and a final BodyBrokenError (with the tries) when every try's body broke
 */
export async function sendRetrying(
  http: HttpOptions,
  env: RetryEnv,
  req: HttpRequest,
  policy: RetryRules,
  read?: BoundedRead
): Promise<{ res: HttpResponse; gaveUp: string; bytes?: Buffer }> {
  const run = new RetryRun(env, policy)
  const kind = requestKind(req.method, req.url)
  for (;;) {
    await env.limiter?.acquire(req.url.host, kind)
    let res: HttpResponse
    run.sent()
    try {
      res = await send(http, req)
    } catch (e) {
      if (!isInterruption(http, e) && (await run.afterError(req, e))) continue
      throw e
    }
    env.limiter?.observe(req.url.host, kind, res.headers)
    if (!RETRYABLE_STATUS.has(res.status)) {
      run.report(req, { status: res.status })
      if (!read) return { res, gaveUp: '' }
      const bytes = await readWhole(run, req, res, { ...read, interrupt: http.interrupt })
      if (bytes) return { res, gaveUp: '', bytes }
      continue
    }
    if (!(await run.afterStatus(req, res))) return { res, gaveUp: run.gaveUp }
  }
}

/**
 * An answer's body read whole (http.ts readBounded) as part of `run`'s try (transport.ts
 * requestWhole); undefined after a body that broke and is worth another try (the wait is done).
 * @throws BodyBrokenError (final, with the tries) when no try is left; readBounded's other errors
 */
export async function readWhole(
  run: RetryRun,
  req: HttpRequest,
  res: Pick<HttpResponse, 'body' | 'headers'>,
  read: BoundedRead
): Promise<Buffer | undefined> {
  try {
    return await readBounded(res.body, res.headers, read)
  } catch (e) {
    if (!(e instanceof BodyBrokenError)) throw e
    if (await run.afterError(req, e)) return undefined
    const tries = { tries: run.attempt + 1, elapsedMs: run.elapsedMs }
    throw new BodyBrokenError(e.what, e.received, e.declared, e.cause, e.timeoutMs, tries)
  }
}

/** A RetryEnv with defaults for what `env` leaves out. */
export function retryEnv(env: Partial<RetryEnv>): RetryEnv {
  return {
    now: env.now ?? Date.now,
    random: env.random ?? Math.random,
    sleep: env.sleep ?? defaultSleep,
    log: env.log ?? silentLogger,
    stats: env.stats ?? newTransportStats(),
    limiter: env.limiter,
    onRequest: env.onRequest,
    policy: env.policy
  }
}
