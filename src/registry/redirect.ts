/**
 * Redirects, decided by hand (distribution-spec "Pulling blobs": blob GETs are often redirected to
 * a storage origin; RFC 9110 §15.4): which answers are followed, where to, and what the next try
 * may carry. Pure. GET and HEAD stay GET and HEAD; an upload keeps its method and body (a registry
 * redirecting an upload means "send it there"), which a streamed body cannot do twice;
 * `Authorization` goes only to the registry's own origin, never to the storage behind a redirect.
 */
import { PlainHttpRefusal } from '../plain-http.js'
import { redactUrl } from './errors.js'

/** Statuses whose `Location` is followed. */
export const REDIRECT_STATUS: ReadonlySet<number> = new Set([301, 302, 303, 307, 308])

/** Redirects one request may follow before it fails. */
export const MAX_REDIRECTS = 5

/** One answer, and what the request was. */
export interface RedirectInput {
  status: number
  /** the `Location` header, if any */
  location: string | undefined
  /** the URL that answered */
  url: URL
  /** follow redirects at all (the request's `followRedirects`, default true) */
  follow: boolean
  /** statuses the caller takes as the answer (a listed 3xx is not followed) */
  expect: readonly number[]
  /** redirects followed so far */
  redirects: number
  /** true when the body is a stream that was already sent (it cannot go out again) */
  streamedBodySent: boolean
  /**
   * hosts (lower-case host[:port]) listed as insecure: an https answer may redirect to plain http
   * only when the registry (`registry`) or the redirect's own host is one of them (default none)
   */
  insecure?: ReadonlySet<string>
  /** the registry the request is for (host[:port] as in references) */
  registry?: string
}

/**
 * Why a redirect from `from` to `to` would downgrade https to plain http without leave, or
 * undefined when it does not (same scheme, to https, or a host listed in `insecure`). `what` names
 * the move in the message (`the redirect`; `a URL the registry gave` for an upload `Location` or
 * a `Link`, which follow the same rule). The refusal carries the facts; how to list the host is the
 * interface's to say (report/tls-words.ts withTlsAdvice).
 */
export function downgradeProblem(
  from: URL,
  to: URL,
  insecure: ReadonlySet<string> = new Set(),
  registry = '',
  what = 'the redirect'
): PlainHttpRefusal | undefined {
  if (from.protocol !== 'https:' || to.protocol !== 'http:') return undefined
  if (insecure.has(registry.toLowerCase()) || insecure.has(to.host.toLowerCase())) return undefined
  const shown = redactUrl(to)
  return new PlainHttpRefusal(
    'redirect',
    to.host.toLowerCase(),
    redactUrl(from),
    shown,
    `refusing ${what} from https to plain http (${shown})`
  )
}

/**
 * `none`: not a redirect to follow (the answer is final or handled elsewhere); `follow`: send the
 * same request to `url`; `refuse`: a redirect that cannot be followed, `reason` in words.
 */
export type RedirectDecision =
  | { kind: 'none' }
  | { kind: 'follow'; url: URL }
  | { kind: 'refuse'; url?: URL; reason: string; refusal?: PlainHttpRefusal }

/**
 * What to do with an answer that may be a redirect; see RedirectDecision. A relative `Location`
 * resolves against the URL that answered. An https answer never leads to plain http unless the
 * registry or the redirect's host is listed insecure ({@link downgradeProblem}).
 */
export function nextRedirect(input: RedirectInput): RedirectDecision {
  const { status, location } = input
  if (!input.follow || !location || !REDIRECT_STATUS.has(status) || input.expect.includes(status))
    return { kind: 'none' }
  let url: URL
  try {
    url = new URL(location, input.url)
  } catch {
    return { kind: 'refuse', reason: `redirected to an invalid Location "${location}"` }
  }
  if (input.redirects + 1 > MAX_REDIRECTS) return { kind: 'refuse', url, reason: 'too many redirects' }
  const downgrade = downgradeProblem(input.url, url, input.insecure, input.registry)
  if (downgrade) return { kind: 'refuse', url, reason: downgrade.message, refusal: downgrade }
  if (input.streamedBodySent)
    return {
      kind: 'refuse',
      url,
      reason: `redirected to ${redactUrl(url)}, but a streamed upload body cannot be sent twice`
    }
  return { kind: 'follow', url }
}

/**
 * True when a request to `url` may carry the registry's `Authorization`: only on the registry's own
 * origin (scheme, host and port), so a redirect to storage never receives it.
 */
export function mayAuthorize(url: URL, registryOrigin: string): boolean {
  return url.origin === registryOrigin
}
