/**
 * Registry errors carrying the OCI error body (distribution-spec "Error Codes"): every message
 * names the method, the URL (without credentials) and the status, then each `code: message (detail)`.
 */

/** One entry of an OCI error body `{"errors":[{code,message,detail}]}`. */
export interface OciErrorEntry {
  code: string
  message?: string
  detail?: unknown
}

/** Statuses that are worth a retry (distribution api.md: 502/503/504 transient; 408 and 429 too). */
export const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504])

/**
 * A URL as every message and log line shows it: scheme, host, path, and of the query only its keys
 * (`…/blobs/uploads/UUID?_state=…&digest=…`); user info dropped. The one owner of that form (the
 * `-v` request log's request-log.ts logUrl is it): an upload session's Location is a capability on
 * registries that sign it (distribution's `_state` is an HMAC'd session state), a redirected blob
 * URL carries its signature, a token request its account.
 */
export function redactUrl(url: string | URL): string {
  try {
    const u = new URL(url.toString())
    const keys = [...new Set(u.searchParams.keys())]
    const query = keys.length ? `?${keys.map(k => `${encodeURIComponent(k)}=…`).join('&')}` : ''
    return `${u.protocol}//${u.host}${u.pathname}${query}`
  } catch {
    return '(unparseable URL)'
  }
}

/** Parses an OCI error body; returns [] for anything else. */
export function parseErrorBody(body: string): OciErrorEntry[] {
  try {
    const json = JSON.parse(body) as { errors?: OciErrorEntry[] }
    return Array.isArray(json.errors) ? json.errors.filter(e => e && typeof e.code === 'string') : []
  } catch {
    return []
  }
}

/** Words of a refusal about who asks (access, credentials, scope), as opposed to a reason of its own. */
const ACCESS_WORDS =
  /access|denied|permission|forbidden|unauthori[sz]ed|authenticat|credential|log ?in|scope|not allowed|token/i

/**
 * True when an error body gives a reason of its own for a refusal (a quota, maintenance, a policy):
 * some entry has a message, and no message speaks of access, credentials or scopes. A 403 with such
 * a reason is not worded as a matter of who asked.
 */
export function hasOwnReason(errors: OciErrorEntry[]): boolean {
  const messages = errors.map(e => (typeof e.message === 'string' ? e.message.trim() : '')).filter(Boolean)
  return messages.length > 0 && !messages.some(m => ACCESS_WORDS.test(m))
}

/** An HTTP answer from a registry that the client could not accept. */
export class RegistryError extends Error {
  readonly errors: OciErrorEntry[]
  /**
   * true when no retry can cure it within this run, whatever the status (the registry asked,
   * with `Retry-After`, for a wait beyond the retry budget): {@link isTemporary} is then false
   */
  final = false
  /** tries the request made, this answer the last (transport.ts; {@link requestTries}) */
  tries = 1
  constructor(
    readonly method: string,
    readonly url: string,
    readonly status: number,
    body: string,
    hint?: string
  ) {
    const errors = parseErrorBody(body)
    const detail = errors.length
      ? errors
          .map(
            e =>
              `${e.code}${e.message ? ': ' + e.message : ''}${e.detail ? ' (' + JSON.stringify(e.detail) + ')' : ''}`
          )
          .join('; ')
      : body.trim().slice(0, 300)
    super(
      `${method} ${redactUrl(url)} answered ${status}${detail ? ': ' + detail : ''}${hint ? ' — ' + hint : ''}`
    )
    this.name = 'RegistryError'
    this.errors = errors
  }

  /** True when the status says a retry may succeed. */
  get temporary(): boolean {
    return RETRYABLE_STATUS.has(this.status)
  }

  /** True when any error entry has `code`. */
  hasCode(code: string): boolean {
    return this.errors.some(e => e.code === code)
  }
}

/**
 * A request whose last try got no answer (a reset, a connection refused; transport.ts), after
 * `tries` tries in all: the message names the method, the URL and the code, and the tries when
 * more than one (`GET URL: connection closed by the registry (5 tries, 3.7 s in all; ECONNRESET)`,
 * `GET URL failed: CODE (gave up after 5 tries)` for a code without words); `cause` is the network
 * error, so its code still classifies it ({@link isTemporary}).
 */
export class RequestFailedError extends Error {
  constructor(
    message: string,
    /** tries the request made (1 when it was not retried) */
    readonly tries: number,
    options: { cause: unknown }
  ) {
    super(message, options)
    this.name = 'RequestFailedError'
  }
}

/**
 * The tries the request that `e` tells of made (the largest along the cause chain: a
 * RegistryError's or a RequestFailedError's `tries`), or 0 when no request of the transport is
 * named. More than 1: the request level retried it and gave up, so attempting the whole delivery
 * again would only repeat that (retry.ts defaultRetryPolicy, scope `delivery`).
 */
export function requestTries(e: unknown): number {
  let tries = 0
  for (const c of causes(e))
    if (c instanceof RegistryError || c instanceof RequestFailedError) tries = Math.max(tries, c.tries)
  return tries
}

/**
 * A blob download that broke again after every resume its reader had (registry/client.ts
 * readBlob): final for isTemporary, since another try would only repeat those resumes.
 */
export class DownloadBrokenError extends Error {
  constructor(message: string, options: { cause: unknown }) {
    super(message, options)
    this.name = 'DownloadBrokenError'
  }
}

/** What {@link BodyBrokenError} says of the tries behind it, once the transport gave up. */
export interface BodyBrokenTries {
  /** tries made (said when more than one) */
  tries: number
  /** ms from the first try's start to the last one's end */
  elapsedMs: number
}

/** `the connection was closed after 245 of 491 bytes of the body` (a pause: `the body paused …`). */
function bodyBrokeText(
  code: string,
  received: number,
  declared: number | undefined,
  timeoutMs: number
): string {
  const of = declared !== undefined && Number.isSafeInteger(declared) ? ` of ${declared}` : ''
  const how = /TIMEOUT/.test(code)
    ? `the body paused for longer than the request timeout (${Math.round(timeoutMs / 1000)} s)`
    : 'the connection was closed'
  return `${how} after ${received}${of} bytes of the body`
}

/**
 * A body read whole (a manifest, a tag-list or referrers page, a token answer: http.ts
 * readBounded) that broke after its headers: the connection closed or reset, or a pause past the
 * request timeout. Temporary (isTemporary: the network code along `cause`) while the transport
 * may try the request again; `final` once it gave up (`tries` given), so no outer level repeats
 * those tries. Message: `WHAT: the connection was closed after 245 of 491 bytes of the body
 * (UND_ERR_SOCKET)`; given up: `… (5 tries, 1.2 s in all; UND_ERR_SOCKET)`; without a
 * `Content-Length`: `after 245 bytes of the body`.
 */
export class BodyBrokenError extends Error {
  constructor(
    /** what was read: `manifest 127.0.0.1:5000/app:v1`, `the tag list of R/N`, `the answer` */
    readonly what: string,
    /** bytes of the body that came before it broke */
    readonly received: number,
    /** the body's `Content-Length`, bytes, when the answer declared one */
    readonly declared: number | undefined,
    cause: unknown,
    /** the request timeout, ms (a pause past it is what broke the body) */
    readonly timeoutMs: number,
    /** set when the transport gave up: the request is not tried again anywhere */
    readonly tries?: BodyBrokenTries
  ) {
    const code = errorCode(cause) || (cause as Error)?.message || 'closed before its end'
    const totals = tries && tries.tries > 1 ? `${triesTotalText(tries.tries, tries.elapsedMs)}; ` : ''
    super(`${what}: ${bodyBrokeText(code, received, declared, timeoutMs)} (${totals}${code})`, { cause })
    this.name = 'BodyBrokenError'
  }

  /** the words without what or code: `the connection was closed after 245 of 491 bytes of the body` */
  get broke(): string {
    return bodyBrokeText(errorCode(this.cause), this.received, this.declared, this.timeoutMs)
  }

  /** true once the transport gave up on the request (see `tries`) */
  get final(): boolean {
    return this.tries !== undefined
  }
}

/**
 * A body read whole (http.ts readBounded) that did not arrive whole within its deadline (the
 * request timeout after its headers): `WHAT did not arrive whole within N s (M bytes came; …)`.
 * Not retried (the request timeout bounds a whole manifest or token body).
 */
export class BodyDeadlineError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'BodyDeadlineError'
  }
}

/**
 * Content whose bytes do not hash to the digest they were asked for (`WHAT: expected digest D but
 * the bytes hash to X (N bytes)`), or, `said` `header`, to the digest the registry's own
 * `Docker-Content-Digest` gave for them (a manifest GET by tag): `WHAT: the registry's
 * Docker-Content-Digest says D, but the N bytes it served hash to X: the registry, or a proxy in
 * front of it, reports a digest its bytes do not have` (D is the registry's claim, nothing the
 * user expected).
 */
export class DigestMismatchError extends Error {
  constructor(
    readonly what: string,
    readonly expected: string,
    readonly actual: string,
    readonly bytes?: number,
    /** where `expected` came from: the digest asked for (default), or the answer's header */
    readonly said: 'asked' | 'header' = 'asked'
  ) {
    super(
      said === 'header'
        ? `${what}: the registry's Docker-Content-Digest says ${expected}, but the ${bytes} bytes it served hash to ${actual}: the registry, or a proxy in front of it, reports a digest its bytes do not have`
        : `${what}: expected digest ${expected} but the bytes hash to ${actual}${bytes !== undefined ? ` (${bytes} bytes)` : ''}`
    )
    this.name = 'DigestMismatchError'
  }
}

/**
 * A manifest PUT the registry accepted (2xx) whose `Docker-Content-Digest` answer names another
 * digest than the bytes sent hash to (distribution-spec "Pushing Manifests": the header is the
 * digest the registry stored them under). The reference was written, to whatever the registry
 * stored: `PUT manifest R/N:v1 was accepted (201), but the registry's answer reports digest X, not
 * Y (the bytes sent)`; a digest reference reads `R/N@sha256:…`. Raised by client.ts putManifest;
 * the copy engine asks what the reference serves before it says anything of the target
 * (copy/promote.ts putConfirmed).
 */
export class PutDigestMismatchError extends Error {
  constructor(
    /** `registry/repository:tag` or `registry/repository@digest` */
    readonly reference: string,
    /** the digest of the bytes sent */
    readonly sent: string,
    /** the digest the answer's Docker-Content-Digest named */
    readonly reported: string,
    /** the answer's status (2xx) */
    readonly status: number
  ) {
    super(
      `PUT manifest ${reference} was accepted (${status}), but the registry's answer reports digest ${reported}, not ${sent} (the bytes sent)`
    )
    this.name = 'PutDigestMismatchError'
  }
}

/**
 * A chunked upload whose `Range` answer did not reach the end of the chunk sent (distribution-spec
 * "Pushing a blob in chunks"): the session lost bytes; a fresh session may succeed, so it is
 * temporary ({@link isTemporary}).
 */
export class UploadRangeError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UploadRangeError'
  }
}

/** Connection-level error codes (node, undici) after which the same request may succeed. */
export const TEMPORARY_NETWORK_CODES = new Set([
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

/** OCI / distribution error codes that say "try again later" (distribution api.md, Docker Hub). */
export const TEMPORARY_OCI_CODES = new Set(['TOOMANYREQUESTS', 'UNAVAILABLE'])

/**
 * OCI / distribution error codes that are a verdict on the request itself (distribution-spec
 * "Error Codes"): the same request gets the same answer, whatever the status says. A 5xx carrying
 * one (distribution 2.8 answers a manifest naming a foreign layer it refuses with 500 `UNKNOWN` +
 * `MANIFEST_BLOB_UNKNOWN`) is not retried; `UNKNOWN` alone still is.
 */
export const FINAL_OCI_CODES = new Set([
  'BLOB_UNKNOWN',
  'BLOB_UPLOAD_INVALID',
  'BLOB_UPLOAD_UNKNOWN',
  'DIGEST_INVALID',
  'MANIFEST_BLOB_UNKNOWN',
  'MANIFEST_INVALID',
  'MANIFEST_UNKNOWN',
  'MANIFEST_UNVERIFIED',
  'NAME_INVALID',
  'NAME_UNKNOWN',
  'SIZE_INVALID',
  'TAG_INVALID',
  'UNAUTHORIZED',
  'DENIED',
  'UNSUPPORTED'
])

/** True when an error body (`{"errors":[…]}` as text) carries a code of {@link FINAL_OCI_CODES}. */
export function hasFinalCode(body: string | OciErrorEntry[]): boolean {
  const errors = typeof body === 'string' ? parseErrorBody(body) : body
  return errors.some(e => FINAL_OCI_CODES.has(e.code))
}

/** The errors of a chain: `e`, its `cause`, that one's `cause` … (at most 8 deep). */
export function causes(e: unknown): unknown[] {
  const out: unknown[] = []
  for (let cur = e, i = 0; cur && i < 8; i++, cur = (cur as { cause?: unknown }).cause) out.push(cur)
  return out
}

/** The first `code` property along an error's cause chain (`ECONNRESET`, `UND_ERR_…`), or ''. */
export function errorCode(e: unknown): string {
  for (const c of causes(e)) {
    const code = (c as { code?: unknown }).code
    if (typeof code === 'string' && code) return code
  }
  return ''
}

/**
 * The one retry classifier (go-containerregistry `transport.Error.Temporary`): true when the same
 * request may succeed if sent again — a RegistryError with a retryable status (408, 429, 500, 502,
 * 503, 504) or an OCI error code TOOMANYREQUESTS / UNAVAILABLE (unless marked `final`: its
 * Retry-After asked for more than the retry budget; or carrying a code of FINAL_OCI_CODES, such
 * as a 500 `MANIFEST_BLOB_UNKNOWN`), an UploadRangeError, or a connection failure or timeout
 * (TEMPORARY_NETWORK_CODES anywhere along the cause chain). False for a digest mismatch, a body or
 * download that broke again after every try (BodyBrokenError `final`, DownloadBrokenError), refused
 * credentials (errors named AuthError), other statuses, and errors without a network code.
 */
export function isTemporary(e: unknown): boolean {
  for (const c of causes(e)) {
    if (c instanceof DigestMismatchError || c instanceof DownloadBrokenError) return false
    if (c instanceof BodyBrokenError && c.final) return false
    if (c instanceof UploadRangeError) return true
    if (c instanceof Error && c.name === 'AuthError') return false
    if (c instanceof RegistryError)
      return (
        !c.final &&
        !hasFinalCode(c.errors) &&
        (RETRYABLE_STATUS.has(c.status) || c.errors.some(x => TEMPORARY_OCI_CODES.has(x.code)))
      )
  }
  return TEMPORARY_NETWORK_CODES.has(errorCode(e))
}

/** Codes of a TLS certificate that could not be verified (node / OpenSSL). */
const TLS_VERIFY_CODES =
  /^(CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|ERR_TLS_CERT_ALTNAME_INVALID|HOSTNAME_MISMATCH)/

/** True when `e` (or a cause) says the server's TLS certificate could not be verified. */
export function isTlsVerifyError(e: unknown): boolean {
  return TLS_VERIFY_CODES.test(errorCode(e))
}

/** Codes of a connection that was opened and then closed or reset before an answer came. */
const CLOSED_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED'])

/** Codes of a connection the peer itself closed or reset (not our pool closing: UND_ERR_CLOSED). */
const CLOSED_BY_PEER_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET'])

/** Codes of a connection that could not be made (refused, no such host, no route). */
const CONNECT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'])

/**
 * True when `e` (or a cause) is a connection closed, reset or never made (ECONNRESET, EPIPE,
 * UND_ERR_SOCKET, UND_ERR_CLOSED, ECONNREFUSED, ENOTFOUND, …): {@link noAnswerWhat} has words for
 * it, which messages use instead of the bare code.
 */
export function isConnectionFailure(e: unknown): boolean {
  const code = errorCode(e)
  return CLOSED_CODES.has(code) || CONNECT_CODES.has(code)
}

/**
 * The connection to the forward proxy itself failed (refused, reset, timed out): `proxy` is its
 * host[:port]; the network error is the cause, so its code still drives retries (isTemporary).
 * Raised by http.ts for the proxy's own connections, so a refused proxy is never reported as the
 * registry refusing.
 */
export class ProxyConnectError extends Error {
  constructor(
    readonly proxy: string,
    cause: Error & { code?: string }
  ) {
    super(`cannot connect to the proxy ${proxy} (${cause.code ?? cause.message})`, { cause })
    this.name = 'ProxyConnectError'
  }
}

/** undici's error for a proxy that answered CONNECT with another status than 200. */
const CONNECT_REFUSED = /^Proxy response \((\d{3})\) !== 200 when HTTP Tunneling$/
/** undici's error for a 407 to a plain-http request sent through the proxy. */
const PROXY_407 = /^Proxy Authentication Required \(407\)$/

/**
 * The words for a request that failed at the forward proxy: `the proxy asks for credentials (407
 * to CONNECT; …)`, `the proxy refused the tunnel (403 to CONNECT)`, `cannot connect to the proxy
 * HOST:PORT`; undefined when the proxy is not where it failed.
 */
export function proxyProblem(e: unknown): string | undefined {
  for (const c of causes(e)) {
    if (c instanceof ProxyConnectError) return `cannot connect to the proxy ${c.proxy}`
    if (c instanceof Error && PROXY_407.test(c.message))
      return 'the proxy asks for credentials (407; give them in the proxy URL, http://USER:PASSWORD@HOST:PORT)'
    const status = c instanceof Error ? CONNECT_REFUSED.exec(c.message)?.[1] : undefined
    if (status === '407')
      return 'the proxy asks for credentials (407 to CONNECT; give them in the proxy URL, http://USER:PASSWORD@HOST:PORT)'
    if (status) return `the proxy refused the tunnel (${status} to CONNECT)`
  }
  return undefined
}

/** What {@link noAnswerText} may add: who the peer is, and how many tries took how long. */
export interface NoAnswerContext {
  /** `registry`: a connection the peer closed reads `connection closed by the registry` */
  peer?: 'registry'
  /** tries made (the totals are given when more than one) */
  tries?: number
  /** ms from the first try's start to the last one's end, by the caller's clock */
  elapsedMs?: number
}

/**
 * The words alone, without the code: `connected, but got no answer within 1 s`,
 * `connection closed by the registry` (peer `registry`; else `the connection was closed before an
 * answer`), `cannot connect` (ECONNREFUSED, ENOTFOUND, EHOSTUNREACH and anything else); at the
 * forward proxy, {@link proxyProblem}'s words.
 */
export function noAnswerWhat(e: unknown, timeoutMs: number, peer?: 'registry'): string {
  const proxy = proxyProblem(e)
  if (proxy) return proxy
  const code = errorCode(e)
  if (/TIMEOUT/.test(code)) return `connected, but got no answer within ${Math.round(timeoutMs / 1000)} s`
  if (peer === 'registry' && CLOSED_BY_PEER_CODES.has(code)) return 'connection closed by the registry'
  return CLOSED_CODES.has(code) ? 'the connection was closed before an answer' : 'cannot connect'
}

/** `3 tries, 7.3 s in all` (seconds to one decimal). */
export function triesTotalText(tries: number, elapsedMs: number): string {
  return `${tries} tries, ${(elapsedMs / 1000).toFixed(1)} s in all`
}

/**
 * Words for a request that got no answer, with the error code (or message) in parentheses:
 * `connected, but got no answer within 1 s (UND_ERR_HEADERS_TIMEOUT)` for a timeout after
 * `timeoutMs` (ms) — with more than one try, `… within 3 s (3 tries, 7.3 s in all;
 * UND_ERR_HEADERS_TIMEOUT)` —, `the connection was closed before an answer (ECONNRESET)` for a reset
 * (`connection closed by the registry (UND_ERR_SOCKET)` with peer `registry`), `cannot connect
 * (ECONNREFUSED)` for anything else.
 */
export function noAnswerText(e: unknown, timeoutMs: number, context: NoAnswerContext = {}): string {
  const code = errorCode(e) || (e as Error)?.message
  const { tries = 1, elapsedMs } = context
  const totals = tries > 1 && elapsedMs !== undefined ? `${triesTotalText(tries, elapsedMs)}; ` : ''
  return `${noAnswerWhat(e, timeoutMs, context.peer)} (${totals}${code})`
}

/**
 * The entries of `insecure` (host[:port], lower-cased) that name `registry`'s host with no port while
 * `registry` has one: `['127.0.0.1']` for `127.0.0.1:5106` and `{127.0.0.1}`. An entry means exactly
 * the host[:port] it names, as docker's insecure-registries, so these cover nothing here; the
 * interface says so after a TLS failure. Pure.
 */
export function bareInsecureEntries(insecure: Iterable<string>, registry: string): string[] {
  const m = /^(.+):(\d+)$/.exec(registry.toLowerCase())
  if (!m) return []
  return [...insecure].filter(h => h === m[1])
}

/**
 * A peer's TLS certificate could not be verified (node / OpenSSL code, {@link isTlsVerifyError}):
 * the facts, so that the interface phrases its own advice (which CA option, which insecure-host
 * option; report/tls-words.ts). The message says what failed, without advice:
 * `registry HOST: TLS certificate verification failed (CODE)`, or for a token server
 * `registry HOST: TLS certificate verification failed for the token server ORIGIN (CODE)`.
 */
export class TlsVerifyError extends Error {
  constructor(
    /** the registry (host[:port] as in references) whose request failed */
    readonly registry: string,
    /** the host[:port] whose certificate failed: the registry's, or its token server's */
    readonly host: string,
    /** `registry` for the registry itself, `token server` for its token realm */
    readonly peer: 'registry' | 'token server',
    /** the node / OpenSSL code (`UNABLE_TO_VERIFY_LEAF_SIGNATURE`, …) */
    readonly code: string,
    message: string,
    options: { cause: unknown },
    /**
     * entries of the insecure-registries list that name `registry`'s host without a port (`127.0.0.1`
     * for `127.0.0.1:5106`): as docker's, they cover no other port ({@link bareInsecureEntries})
     */
    readonly bareListed: readonly string[] = []
  ) {
    super(message, options)
    this.name = 'TlsVerifyError'
  }
}

/**
 * OpenSSL's code when the bytes answering our TLS ClientHello are not a TLS record: a plain-http
 * server's `HTTP/1.1 400 Bad Request` read as one.
 */
const PLAIN_ANSWER_CODES = new Set(['ERR_SSL_WRONG_VERSION_NUMBER'])

/** True when `e` (or a cause) says the server answered our TLS handshake in plain text. */
export function isPlainTextAnswer(e: unknown): boolean {
  return PLAIN_ANSWER_CODES.has(errorCode(e))
}

/**
 * A registry that plain http is not allowed for (neither loopback nor listed as insecure) answered
 * the https ping's TLS handshake in plain text, as a plain-http registry does (cause: the OpenSSL
 * error, {@link isPlainTextAnswer}). The facts only: `registry HOST answered the TLS handshake in
 * plain text, as a registry serving plain http does (ERR_SSL_WRONG_VERSION_NUMBER)`; how to allow
 * plain http for it is the interface's to say (report/tls-words.ts withTlsAdvice). Raised by
 * registry/ping.ts.
 */
export class PlainHttpAnswerError extends Error {
  constructor(
    /** the registry (host[:port] as in references) */
    readonly registry: string,
    /** the entries of the insecure list naming its host without its port ({@link bareInsecureEntries}) */
    readonly bareListed: readonly string[],
    cause: Error & { code?: string }
  ) {
    super(
      `registry ${registry} answered the TLS handshake in plain text, as a registry serving plain http does (${errorCode(cause)})`,
      { cause }
    )
    this.name = 'PlainHttpAnswerError'
  }
}

/**
 * A TLS server (registry or token server) ended the handshake with a client-certificate alert: it
 * asks for a certificate (none was given for its host) or refused the one given. `cause` is the
 * OpenSSL error. The facts only: `the TLS server at HOST asks for a client certificate (CODE)`,
 * `the TLS server at HOST refused the client certificate given for it (CODE)`; which options give
 * one is the interface's to say (report/tls-words.ts withTlsAdvice).
 */
export class TlsClientCertificateError extends Error {
  constructor(
    /** the host[:port] of the TLS server */
    readonly host: string,
    /** true when a client certificate was sent (and refused), false when none was given */
    readonly sentCertificate: boolean,
    cause: Error & { code?: string }
  ) {
    super(
      sentCertificate
        ? `the TLS server at ${host} refused the client certificate given for it (${cause.code})`
        : `the TLS server at ${host} asks for a client certificate (${cause.code})`,
      { cause }
    )
    this.name = 'TlsClientCertificateError'
  }
}

/**
 * A registry listed as insecure was used without TLS verification (`https`, its certificate not
 * verified) or over plain http (`http`): once per run and registry, for the interface to phrase.
 */
export interface InsecureHostEvent {
  registry: string
  scheme: 'http' | 'https'
}
