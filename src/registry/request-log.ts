/**
 * One line per request put on the wire, for `-v`: `GET https://host/v2/repo/manifests/tag 200 12 ms`,
 * and for a try that will be sent again `… 503 4 ms, retry 1/3 in 500 ms (503 Service Unavailable)`.
 * Never a secret: no user info, and of the query only its keys (a redirected blob URL's signature,
 * an upload session's `_state`, a token request's `account` stay out). Pure.
 */
import type * as Http from 'node:http'
import { redactUrl } from './errors.js'

/** What the transport reports about one request try (transport.ts `onRequest`). */
export interface RequestLogEntry {
  method: string
  url: URL
  /** the answer's status; undefined when no answer came (`error` says why) */
  status?: number
  /** the network error code (or message) when no answer came */
  error?: string
  /** ms from sending to the answer's headers, or to the error, by the transport's clock */
  ms: number
  /** set when this request will be sent again */
  retry?: {
    /** the retry about to be made, from 1 */
    number: number
    /** retries allowed after the first try */
    of: number
    /** the wait before it, ms */
    delayMs: number
    /** why: `503 Service Unavailable`, `429 Too Many Requests, Retry-After`, `connection closed by the registry` */
    why: string
  }
}

/**
 * A URL for the log: scheme, host, path, and of the query only the keys (`?_state=…&digest=…`);
 * user info is dropped. The form every message uses (errors.ts redactUrl, its owner).
 */
export function logUrl(url: URL): string {
  return redactUrl(url)
}

/** `503 Service Unavailable` */
export function statusText(status: number): string {
  // node:http loads only when a line is written (-v, a retry): the copy path never needs it otherwise
  const text = (process.getBuiltinModule('node:http') as typeof Http).STATUS_CODES[status]
  return text ? `${status} ${text}` : String(status)
}

/** The log line of one entry; see the module comment. */
export function requestLogLine(e: RequestLogEntry): string {
  const outcome = e.status !== undefined ? String(e.status) : (e.error ?? 'failed')
  const retry = e.retry
    ? `, retry ${e.retry.number}/${e.retry.of} in ${e.retry.delayMs} ms (${e.retry.why})`
    : ''
  return `${e.method} ${logUrl(e.url)} ${outcome} ${Math.round(e.ms)} ms${retry}`
}
