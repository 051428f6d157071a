/**
 * When to send a request again, and after how long: pure functions of the try number, the status
 * or the error, `Retry-After`, the time spent and the options (go-containerregistry
 * `transport/retry.go`, `retry.Backoff`). Statuses 408, 429, 500, 502, 503, 504 and temporary
 * network errors are retried (errors.ts `isTemporary`, the one classifier); `Retry-After` (seconds
 * or an HTTP date, RFC 9110 §10.2.3) is honoured in full; otherwise exponential backoff with
 * jitter; no retry past the count or the total time budget. The clock and randomness are the
 * caller's (tests pass fixed ones).
 */
import { RETRYABLE_STATUS, errorCode, isTemporary, requestTries } from './errors.js'

import { DEFAULT_TIMEOUT_MS } from '../limits.js'
import { formatDuration } from '../duration.js'

export { DEFAULT_TIMEOUT_MS } from '../limits.js'

export interface RetryOptions {
  /** tries after the first (default 4) */
  retries: number
  /** first backoff, ms (default 250) */
  baseDelayMs: number
  /** largest single backoff, ms (default 10000) */
  maxDelayMs: number
  /**
   * total time one request may take over all its tries, ms (default {@link retryBudgetMs} of the
   * timeout: 260000 at the default 120 s): a retry whose wait would end past it is not made, and
   * the last answer or error is reported
   */
  budgetMs: number
  /** time to wait for response headers, and the longest pause inside a body, per try, ms (default {@link DEFAULT_TIMEOUT_MS}) */
  timeoutMs: number
}

/**
 * The retry budget (ms) that goes with a request timeout of `timeoutMs` and a largest backoff of
 * `maxDelayMs`: room for two tries that each stall the whole timeout and the waits before them
 * (`2 × timeoutMs + 2 × maxDelayMs`), and never less than 120 s (what a `Retry-After` may ask to be
 * waited out). Derived, so a stalled request is retried at every timeout: a budget equal to the
 * timeout left no room for any retry after a stall.
 */
export function retryBudgetMs(timeoutMs: number, maxDelayMs: number): number {
  return Math.max(120000, 2 * timeoutMs + 2 * maxDelayMs)
}

/**
 * The retry options in force: `options` over the defaults, and `budgetMs`, when not given,
 * derived from the timeout and largest backoff in force ({@link retryBudgetMs}).
 */
export function retryOptions(options: Partial<RetryOptions> = {}): RetryOptions {
  const given = Object.fromEntries(
    Object.entries(options).filter(([, v]) => v !== undefined)
  ) as Partial<RetryOptions>
  const merged = { retries: 4, baseDelayMs: 250, maxDelayMs: 10000, timeoutMs: DEFAULT_TIMEOUT_MS, ...given }
  return { ...merged, budgetMs: given.budgetMs ?? retryBudgetMs(merged.timeoutMs, merged.maxDelayMs) }
}

export const DEFAULT_RETRY: RetryOptions = retryOptions()

/** Network error codes that mean "connected (or connecting), but no answer within the timeout". */
const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT'])

/** True when `e` (or a cause) is a timeout: the host said nothing within the per-try timeout. */
export function isTimeout(e: unknown): boolean {
  const code = errorCode(e)
  return TIMEOUT_CODES.has(code) || code === 'ETIMEDOUT'
}

/**
 * Parses `Retry-After` (RFC 9110 §10.2.3: delay-seconds or an HTTP date) into ms from `now` (ms
 * since the epoch); a date in the past gives 0.
 * @returns undefined when absent or unparseable
 */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined
  const v = value.trim()
  if (/^\d+$/.test(v)) return Number(v) * 1000
  // an HTTP date names its day and month: anything else (`-1`, `1.5`) is not one
  const at = /[a-z]/i.test(v) ? Date.parse(v) : NaN
  return Number.isNaN(at) ? undefined : Math.max(0, at - now)
}

/**
 * The backoff before retry number `attempt + 1` (attempt 0 = after the first try), ms:
 * `min(maxDelayMs, baseDelayMs × 2^attempt)`, jittered into its upper half by `random()` ∈ [0, 1).
 */
export function backoffMs(
  attempt: number,
  options: Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs'>,
  random: () => number = Math.random
): number {
  const raw = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** attempt)
  return Math.round(raw / 2 + random() * (raw / 2))
}

/** What went wrong with one try: an answer with a status, or an error without an answer. */
export type TryFailure = { status: number; retryAfter?: string } | { error: unknown }

/** Where a request stands when a try failed. */
export interface RetryState {
  /** tries made so far minus one (0 after the first try) */
  attempt: number
  /** ms since the first try started */
  elapsedMs: number
  /** ms since the epoch, for a `Retry-After` date */
  now: number
}

/** Which network errors a request may be retried after. */
export type RetryErrors =
  /** every temporary one (errors.ts isTemporary): the default */
  | 'temporary'
  /**
   * temporary ones but timeouts: the ping and token requests, so a host that accepted the
   * connection and said nothing for `timeoutMs` fails at once, within about the timeout
   */
  | 'not-timeouts'
  /** none: a ping over https that has a plain-http fallback moves on to it instead */
  | 'none'

/** The retry options, and which network errors count (default `temporary`). */
export interface RetryRules extends RetryOptions {
  errors?: RetryErrors
}

/**
 * The levels tries are counted at, every one decided by the one RetryPolicy. They nest, outermost
 * first:
 * - `delivery`: a blob's delivery to a target (copy/transfer.ts transferBlob) is attempted again
 *   after a temporary failure of one try (a streamed upload cut, which no request can send again,
 *   its body read once): by default up to {@link DELIVERY_RETRIES} more times (3 attempts); not
 *   after a request the `request` level already retried and gave up on (errors.ts requestTries);
 * - `session`: within an attempt, a chunked upload's session that failed without a clear refusal
 *   is continued from the registry's offset (copy/resume.ts patchFrame, closeSession): by default
 *   up to `retries` times per request;
 * - `request`: each request is tried again after a retryable status or error (transport): by
 *   default up to `retries` more times within `budgetMs`;
 * - `download`: a blob download that breaks mid-body resumes from the next byte (client readBlob):
 *   by default up to `retries` times.
 * At the defaults a blob request that is retried goes out up to 5 times (`retries` + 1), once per
 * delivery; one that is not (a streamed PUT) up to 3 times, once per delivery (× 5 continuations
 * for a chunked upload's PATCH or closing PUT); a download read up to 5 times per attempt.
 */
export type RetryScope = 'delivery' | 'session' | 'request' | 'download'

/** Further attempts of a blob's delivery to a target after a temporary failure, by default (3 in all). */
export const DELIVERY_RETRIES = 2

/** One failed try, as a RetryPolicy sees it. */
export interface RetryAttempt extends RetryState {
  scope: RetryScope
  /**
   * what went wrong (a download: the body error, or `{ error: undefined }` for an early end; a
   * delivery or a session: the error of the attempt or of the request)
   */
  failure: TryFailure
  /** which network errors the request may be retried after (scope `request`; default temporary) */
  errors?: RetryErrors
}

/**
 * The one owner of how many times anything is tried, and how long is waited in between (oras-go
 * `retry.Policy`: given the attempt and what failed, retry after N ms or stop). The transport asks
 * it after every failed try of every request (registry, ping and token requests alike), the
 * client after every broken download, and the copy engine, through the client's
 * `retryPolicy` (api.ts RegistryApi), after every failed delivery of a blob and every failed
 * request of an upload session it may continue; ClientOptions `retryPolicy` injects another.
 */
export interface RetryPolicy {
  /** @returns `{ retry: true, delayMs }`, or `{ retry: false, reason }` (see RetryDecision) */
  decide(attempt: RetryAttempt): RetryDecision
}

/**
 * The default policy for `options`: requests by {@link nextRetry} (up to `retries` retries within
 * `budgetMs`, `Retry-After` honoured, backoff jittered by `random`); downloads resumed up to
 * `retries` times after a backoff each; upload sessions continued up to `retries` times per
 * request at once (the caller has checked that the registry may still hold the session); a
 * delivery attempted again at once after a temporary error (errors.ts isTemporary) of a request
 * tried once (errors.ts requestTries: one the request level retried is not repeated), up to
 * {@link DELIVERY_RETRIES} times.
 */
export function defaultRetryPolicy(options: RetryOptions, random: () => number = Math.random): RetryPolicy {
  const now = { retry: true as const, delayMs: 0, retryAfter: false }
  return {
    decide: a => {
      switch (a.scope) {
        case 'download':
          return a.attempt < options.retries
            ? { retry: true, delayMs: backoffMs(a.attempt, options, random), retryAfter: false }
            : { retry: false, reason: `gave up after ${a.attempt} resumes` }
        case 'session':
          return a.attempt < options.retries
            ? now
            : { retry: false, reason: `gave up after ${a.attempt} continuations` }
        case 'delivery':
          if (!('error' in a.failure) || !isTemporary(a.failure.error)) return { retry: false, reason: '' }
          // the request level spent its retries on this failure: another round would repeat them
          if (requestTries(a.failure.error) > 1) return { retry: false, reason: '' }
          return a.attempt < DELIVERY_RETRIES
            ? now
            : { retry: false, reason: `gave up after ${a.attempt + 1} attempts` }
        default:
          return nextRetry(a.failure, a, { ...options, errors: a.errors }, random)
      }
    }
  }
}

/** The policy of the default options: a RegistryApi without its own `retryPolicy` is run by it. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = defaultRetryPolicy(DEFAULT_RETRY)

/**
 * The decision after a failed try: `{ retry: true, delayMs }` (`retryAfter` true when the registry
 * set the wait), or `{ retry: false, reason }` where `reason` says why in words for the error
 * message (`gave up after 3 tries`, `Retry-After asks for 1 min 40 s, beyond the retry budget of
 * 5 s: run again once that wait is over`; durations as duration.ts words them) and is '' when the failure is not worth a retry at all (a 404, a TLS error).
 */
export type RetryDecision =
  { retry: true; delayMs: number; retryAfter: boolean } | { retry: false; reason: string }

/** `3 tries`, `1 try` for a request that made `attempt + 1` tries. */
export function triesText(attempt: number): string {
  return `${attempt + 1} ${attempt ? 'tries' : 'try'}`
}

/**
 * Whether and when to try again after `failure`; see RetryDecision. Pure: `random` jitters the
 * backoff. A status outside 408/429/500/502/503/504 and a non-temporary error are never retried;
 * a `Retry-After` on a retryable status replaces the backoff; no retry once `retries` are
 * used up or when the wait would end past `budgetMs`.
 */
export function nextRetry(
  failure: TryFailure,
  state: RetryState,
  policy: RetryRules,
  random: () => number = Math.random
): RetryDecision {
  if (!retryable(failure, policy)) return { retry: false, reason: '' }
  const gaveUp = { retry: false as const, reason: `gave up after ${triesText(state.attempt)}` }
  if (state.attempt >= policy.retries) return gaveUp
  const asked = 'status' in failure ? retryAfterMs(failure.retryAfter, state.now) : undefined
  const delayMs = asked ?? backoffMs(state.attempt, policy, random)
  if (state.elapsedMs + delayMs > policy.budgetMs) {
    if (asked === undefined) return gaveUp
    return {
      retry: false,
      reason: `Retry-After asks for ${formatDuration(asked / 1000)}, beyond the retry budget of ${formatDuration(policy.budgetMs / 1000)}: run again once that wait is over`
    }
  }
  return { retry: true, delayMs, retryAfter: asked !== undefined }
}

function retryable(failure: TryFailure, policy: RetryRules): boolean {
  if ('status' in failure) return RETRYABLE_STATUS.has(failure.status)
  if (policy.errors === 'none') return false
  if (policy.errors === 'not-timeouts' && isTimeout(failure.error)) return false
  return isTemporary(failure.error)
}

/** True when a status with `Retry-After` holds every request to the host, not only this one. */
export function blocksHost(status: number): boolean {
  return status === 429 || status === 503
}
