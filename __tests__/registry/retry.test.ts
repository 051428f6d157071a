import { describe, expect, it } from '@jest/globals'
import { AuthError } from '../../src/auth/authenticator.js'
import { DigestMismatchError, RegistryError } from '../../src/registry/errors.js'
import {
  DEFAULT_RETRY,
  DEFAULT_RETRY_POLICY,
  DELIVERY_RETRIES,
  backoffMs,
  blocksHost,
  isTimeout,
  nextRetry,
  retryAfterMs,
  retryBudgetMs,
  retryOptions,
  triesText,
  type RetryDecision,
  type RetryRules,
  type TryFailure
} from '../../src/registry/retry.js'

const coded = (code: string, wrapped = false): Error => {
  const e = Object.assign(new Error(code), { code })
  return wrapped ? new Error('fetch failed', { cause: e }) : e
}
const NOW = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT')
const POLICY: RetryRules = {
  ...DEFAULT_RETRY,
  retries: 3,
  baseDelayMs: 100,
  maxDelayMs: 1000,
  budgetMs: 5000
}
const at = (attempt: number, elapsedMs = 0) => ({ attempt, elapsedMs, now: NOW })
const retry = (delayMs: number, retryAfter = false): RetryDecision => ({ retry: true, delayMs, retryAfter })
const stop = (reason: string): RetryDecision => ({ retry: false, reason })

describe('backoffMs: min(max, base × 2^attempt), jittered into its upper half', () => {
  it.each([
    // attempt, random, expected ms (base 100, max 1000)
    [0, 0, 50],
    [0, 0.5, 75],
    [0, 0.999, 100],
    [1, 0, 100],
    [1, 0.5, 150],
    [2, 0, 200],
    [3, 0.5, 600],
    [4, 0, 500], // 1600 capped at 1000
    [4, 0.5, 750],
    [10, 0.999, 1000]
  ])('attempt %i, random %p → %i ms', (attempt, random, expected) => {
    expect(backoffMs(attempt, POLICY, () => random)).toBe(expected)
  })
})

describe('retryAfterMs: delay-seconds or an HTTP date (RFC 9110 §10.2.3)', () => {
  it.each([
    [undefined, undefined],
    ['', undefined],
    ['0', 0],
    [' 7 ', 7000],
    ['120', 120000],
    ['Wed, 21 Oct 2015 07:28:30 GMT', 30000],
    ['Wed, 21 Oct 2015 07:27:00 GMT', 0], // in the past
    ['-1', undefined],
    ['soon', undefined]
  ])('%p → %p', (value, expected) => {
    expect(retryAfterMs(value, NOW)).toBe(expected)
  })
})

describe('nextRetry: whether and when to try again', () => {
  const half = () => 0.5
  it.each<[string, TryFailure, ReturnType<typeof at>, RetryDecision]>([
    ['503, first try: backoff', { status: 503 }, at(0), retry(75)],
    ['429, third try: backoff', { status: 429 }, at(2), retry(300)],
    ['408 is retried', { status: 408 }, at(0), retry(75)],
    ['500 is retried', { status: 500 }, at(1), retry(150)],
    ['502 is retried', { status: 502 }, at(0), retry(75)],
    ['504 is retried', { status: 504 }, at(0), retry(75)],
    [
      '429 Retry-After seconds replace the backoff',
      { status: 429, retryAfter: '2' },
      at(0),
      retry(2000, true)
    ],
    [
      '503 Retry-After as a date',
      { status: 503, retryAfter: 'Wed, 21 Oct 2015 07:28:03 GMT' },
      at(0),
      retry(3000, true)
    ],
    ['Retry-After 0', { status: 429, retryAfter: '0' }, at(0), retry(0, true)],
    ['unparseable Retry-After: backoff', { status: 429, retryAfter: 'later' }, at(0), retry(75)],
    ['400 is final', { status: 400 }, at(0), stop('')],
    ['401 is final', { status: 401 }, at(0), stop('')],
    ['404 is final', { status: 404 }, at(0), stop('')],
    ['501 is final', { status: 501 }, at(0), stop('')],
    ['retries used up', { status: 503 }, at(3), stop('gave up after 4 tries')],
    ['backoff past the budget', { status: 503 }, at(1, 4900), stop('gave up after 2 tries')],
    ['backoff just inside the budget', { status: 503 }, at(1, 4850), retry(150)],
    [
      'Retry-After past the budget',
      { status: 429, retryAfter: '100' },
      at(0),
      stop(
        'Retry-After asks for 1 min 40 s, beyond the retry budget of 5 s: run again once that wait is over'
      )
    ],
    ['ECONNRESET', { error: coded('ECONNRESET') }, at(0), retry(75)],
    ['UND_ERR_SOCKET in a cause', { error: coded('UND_ERR_SOCKET', true) }, at(0), retry(75)],
    ['headers timeout', { error: coded('UND_ERR_HEADERS_TIMEOUT') }, at(1), retry(150)],
    [
      'network error, retries used up',
      { error: coded('ECONNREFUSED') },
      at(3),
      stop('gave up after 4 tries')
    ],
    ['TLS verification is final', { error: coded('UNABLE_TO_VERIFY_LEAF_SIGNATURE', true) }, at(0), stop('')],
    ['wrong TLS version is final', { error: coded('ERR_SSL_WRONG_VERSION_NUMBER') }, at(0), stop('')],
    ['an error without a code is final', { error: new Error('boom') }, at(0), stop('')],
    ['refused credentials are final', { error: new AuthError('refused') }, at(0), stop('')],
    [
      'a digest mismatch is final',
      { error: new DigestMismatchError('blob', 'sha256:a', 'sha256:b') },
      at(0),
      stop('')
    ],
    [
      'a RegistryError with TOOMANYREQUESTS is retried',
      {
        error: new RegistryError(
          'GET',
          'http://r/v2/',
          400,
          JSON.stringify({ errors: [{ code: 'TOOMANYREQUESTS' }] })
        )
      },
      at(0),
      retry(75)
    ]
  ])('%s', (_name, failure, state, expected) => {
    expect(nextRetry(failure, state, POLICY, half)).toEqual(expected)
  })

  it.each<[RetryRules['errors'], string, boolean]>([
    [undefined, 'UND_ERR_HEADERS_TIMEOUT', true],
    ['temporary', 'UND_ERR_CONNECT_TIMEOUT', true],
    ['not-timeouts', 'UND_ERR_HEADERS_TIMEOUT', false],
    ['not-timeouts', 'UND_ERR_BODY_TIMEOUT', false],
    ['not-timeouts', 'UND_ERR_CONNECT_TIMEOUT', false],
    ['not-timeouts', 'ETIMEDOUT', false],
    ['not-timeouts', 'ECONNRESET', true],
    ['not-timeouts', 'ECONNREFUSED', true],
    ['none', 'ECONNRESET', false]
  ])('errors: %p, %s → retried %p', (errors, code, retried) => {
    const d = nextRetry({ error: coded(code) }, at(0), { ...POLICY, errors }, half)
    expect(d).toEqual(retried ? retry(75) : stop(''))
  })

  it('statuses are retried whatever the errors setting', () => {
    expect(nextRetry({ status: 503 }, at(0), { ...POLICY, errors: 'none' }, half)).toEqual(retry(75))
  })
})

// issue 24 finding 1: the budget was the timeout (120 s), so a try that stalled the whole timeout
// left no room for a retry at the default settings, nor at any timeout above 120 s
describe('the retry budget is derived from the timeout: a stall is retried at every setting', () => {
  it.each([
    // timeoutMs, maxDelayMs, budget ms
    [120000, 10000, 260000],
    [300000, 10000, 620000],
    [2000, 10000, 120000],
    [1000, 50, 120000]
  ])('retryBudgetMs(%i, %i) = %i', (timeoutMs, maxDelayMs, expected) => {
    expect(retryBudgetMs(timeoutMs, maxDelayMs)).toBe(expected)
  })

  it('defaults: 4 retries, 250 ms → 10 s backoff, 120 s timeout, 260 s budget', () => {
    expect(DEFAULT_RETRY).toEqual({
      retries: 4,
      baseDelayMs: 250,
      maxDelayMs: 10000,
      timeoutMs: 120000,
      budgetMs: 260000
    })
    expect(retryOptions({ timeoutMs: 5000, budgetMs: 7000 }).budgetMs).toBe(7000)
    expect(retryOptions({ timeoutMs: undefined }).timeoutMs).toBe(120000)
  })

  it.each([120000, 130000, 600000])(
    'a first try that stalled the whole timeout (%i ms) is retried, and so is a second',
    timeoutMs => {
      const policy = retryOptions({ timeoutMs })
      const stall = { error: coded('UND_ERR_HEADERS_TIMEOUT', true) }
      const first = nextRetry(stall, at(0, timeoutMs + 600), policy, () => 1)
      expect(first).toEqual(retry(250))
      const second = nextRetry(stall, at(1, 2 * timeoutMs + 1200), policy, () => 1)
      expect(second).toEqual(retry(500))
    }
  )
})

describe('small helpers', () => {
  it.each([
    [0, '1 try'],
    [1, '2 tries'],
    [4, '5 tries']
  ])('triesText(%i) = %p', (attempt, text) => {
    expect(triesText(attempt)).toBe(text)
  })

  it.each([
    [429, true],
    [503, true],
    [500, false],
    [408, false]
  ])('blocksHost(%i) = %p', (status, expected) => {
    expect(blocksHost(status)).toBe(expected)
  })

  it.each([
    ['UND_ERR_HEADERS_TIMEOUT', true],
    ['UND_ERR_CONNECT_TIMEOUT', true],
    ['ETIMEDOUT', true],
    ['ECONNRESET', false],
    ['', false]
  ])('isTimeout(%p) = %p', (code, expected) => {
    expect(isTimeout(coded(code, true))).toBe(expected)
  })
})

describe("defaultRetryPolicy at the copy engine's scopes: deliveries and session continuations", () => {
  const at = (scope: 'delivery' | 'session', attempt: number, error: unknown) =>
    DEFAULT_RETRY_POLICY.decide({ scope, attempt, elapsedMs: 0, now: 0, failure: { error } })
  const now = { retry: true, delayMs: 0, retryAfter: false }

  it('a delivery: attempted again at once after a temporary error, 3 attempts in all', () => {
    expect(DELIVERY_RETRIES).toBe(2)
    expect([0, 1, 2].map(n => at('delivery', n, coded('ECONNRESET')))).toEqual([
      now,
      now,
      { retry: false, reason: 'gave up after 3 attempts' }
    ])
  })

  it('a delivery that failed for good (a 400, not a 503; an error that is not temporary) is not attempted again', () => {
    expect(at('delivery', 0, new RegistryError('PUT', 'http://r/v2/a/blobs/uploads/1', 400, ''))).toEqual({
      retry: false,
      reason: ''
    })
    expect(at('delivery', 0, new RegistryError('PUT', 'http://r/v2/a/blobs/uploads/1', 503, ''))).toEqual(now)
    expect(at('delivery', 0, new Error('not temporary'))).toEqual({ retry: false, reason: '' })
  })

  it('a session: continued at once, `retries` (4) times per request', () => {
    expect(DEFAULT_RETRY.retries).toBe(4)
    expect([0, 1, 2, 3, 4].map(n => at('session', n, coded('ECONNRESET')))).toEqual([
      now,
      now,
      now,
      now,
      { retry: false, reason: 'gave up after 4 continuations' }
    ])
  })
})
