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

/** Drops user info and query values that look like credentials from a URL for display. */
export function redactUrl(url: string | URL): string {
  try {
    const u = new URL(url.toString())
    u.username = ''
    u.password = ''
    for (const key of [...u.searchParams.keys()]) {
      if (/token|signature|sig|credential|password|secret|x-amz-|key/i.test(key))
        u.searchParams.set(key, 'REDACTED')
    }
    return u.toString()
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

/** An HTTP answer from a registry that the client could not accept. */
export class RegistryError extends Error {
  readonly errors: OciErrorEntry[]
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

/** Content whose bytes do not hash to the digest they were asked for. */
export class DigestMismatchError extends Error {
  constructor(
    readonly what: string,
    readonly expected: string,
    readonly actual: string,
    readonly bytes?: number
  ) {
    super(
      `${what}: expected digest ${expected} but the bytes hash to ${actual}${bytes !== undefined ? ` (${bytes} bytes)` : ''}`
    )
    this.name = 'DigestMismatchError'
  }
}
