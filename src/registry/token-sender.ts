/**
 * The token-request sender of the Authenticator (go-containerregistry `transport/bearer.go`'s
 * exchange leg): http.ts `send()` on the run's pool under the retry run of every request, without
 * the auth layer, redirects or rate limiter.
 */
import { AuthError, type TokenHttpRequest, type TokenSend } from '../auth/authenticator.js'
import {
  BodyBrokenError,
  BodyDeadlineError,
  TlsVerifyError,
  errorCode,
  isTlsVerifyError,
  noAnswerText
} from './errors.js'
import { LimitError } from '../limits.js'
import { readBounded, type Dispatcher, type HttpResponse } from './http.js'
import { retryOptions, type RetryOptions, type RetryRules } from './retry.js'
import { retryEnv, sendRetrying, type RetryEnv } from './retry-run.js'

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
  const policy: RetryRules = { ...retry, errors: 'not-timeouts' }
  const env = retryEnv({ ...options.env, limiter: undefined })
  return async (req, count) => {
    const http = {
      dispatcher: options.dispatcher,
      timeoutMs: retry.timeoutMs,
      userAgent: options.userAgent,
      onSend: count,
      interrupt: options.signal
    }
    const read = { what: 'the answer', limit: 'tokenBytes' as const, deadlineMs: retry.timeoutMs }
    let sent: { res: HttpResponse; bytes?: Buffer }
    try {
      // the answer's body is read within the request's tries: a cut one is sent again
      sent = await sendRetrying(http, env, req, policy, read)
    } catch (e) {
      if (e instanceof BodyBrokenError || e instanceof BodyDeadlineError || e instanceof LimitError) throw e
      throw tokenSendFailure(req, e, retry.timeoutMs)
    }
    // a retryable status the retries did not cure: its body read as any answer's
    const bytes = sent.bytes ?? (await readBounded(sent.res.body, sent.res.headers, read))
    return { status: sent.res.status, text: bytes.toString('utf8') }
  }
}

export interface TokenSenderOptions {
  /** the run's connection pool (TLS settings shared with registry traffic) */
  dispatcher: Dispatcher
  retry?: Partial<RetryOptions>
  userAgent?: string
  /** clock, randomness, sleep, log, counters (defaults: real ones, no log, own counters) */
  env?: Partial<RetryEnv>
  /** the run's interruption: ends a token request in flight (http.ts HttpOptions.interrupt) */
  signal?: AbortSignal
}

/**
 * The error for a token request that got no answer: an AuthError whose cause is a TlsVerifyError
 * when the token server's certificate failed verification (`registry R: TLS certificate
 * verification failed for the token server ORIGIN (CODE)`), else an Error in the words of
 * errors.ts noAnswerText with the network error as its cause.
 */
export function tokenSendFailure(req: TokenHttpRequest, e: unknown, timeoutMs: number): Error {
  if (isTlsVerifyError(e)) {
    const code = errorCode(e)
    const message = `registry ${req.registry}: TLS certificate verification failed for the token server ${req.url.origin} (${code})`
    const cause = new TlsVerifyError(req.registry, req.url.host, 'token server', code, message, { cause: e })
    return new AuthError(message, { cause })
  }
  return new Error(noAnswerText(e, timeoutMs), { cause: e })
}
