/**
 * Every bound on what a registry (or a token server) can make this tool read, hold or follow, in
 * one table. A hostile or broken server can otherwise exhaust memory (an endless body), hang the
 * run (a trickled body, a deep index) or crash it (deep JSON). Each failure names the limit (its
 * key below) and the reference or URL it was hit on.
 */

/** Time to wait for an answer to one request try when none is given, ms (the `--timeout` / `request-timeout` default). */
export const DEFAULT_TIMEOUT_MS = 120000

/** The bounds; see each field. */
export interface Limits {
  /**
   * largest manifest or index body, bytes (4 MiB: image-spec manifest.md recommends clients
   * refuse more, as skopeo / containers-image do); checked against the descriptor size and the
   * declared `Content-Length` before reading, and the stream is cut at it
   */
  manifestBytes: number
  /** largest token server answer, bytes (a JSON document with a token and a few fields) */
  tokenBytes: number
  /** bytes of an error body kept for the message; the rest is not read (the connection is closed) */
  errorBytes: number
  /** deepest JSON nesting of a manifest or token answer (objects and arrays; a manifest uses 4) */
  jsonDepth: number
  /** deepest chain of indexes above an image manifest (the root index is level 1) */
  indexDepth: number
  /** most entries in one index's `manifests` */
  indexChildren: number
  /**
   * slowest average rate a blob download or upload may keep, bytes per second: its overall
   * deadline is twice the request timeout plus one second per this many bytes of its size
   * (registry/client.ts `blobDeadlineMs`)
   */
  blobBytesPerSecond: number
  /**
   * largest upload state file read, bytes (copy/resume.ts: a session URL with its query, an offset
   * and a time fit in a few hundred bytes); a larger file is refused unread and removed
   */
  uploadStateBytes: number
  /**
   * most output a docker credential helper may write, bytes (its stdout, a JSON answer of a few
   * hundred bytes; its stderr, quoted in errors, is cut at 4 KiB): past it the helper is stopped
   */
  credentialHelperBytes: number
  /**
   * most distinct referrers one subject may list (referrers API pages or a fallback index): past
   * it the listing fails naming the limit, rather than fetching without end
   */
  referrersPerSubject: number
}

/** The bounds in force (see {@link Limits}). */
export const LIMITS: Readonly<Limits> = Object.freeze({
  manifestBytes: 4 * 1024 * 1024,
  tokenBytes: 1024 * 1024,
  errorBytes: 8 * 1024,
  jsonDepth: 32,
  indexDepth: 8,
  indexChildren: 10_000,
  blobBytesPerSecond: 16 * 1024,
  uploadStateBytes: 16 * 1024,
  credentialHelperBytes: 1024 * 1024,
  referrersPerSubject: 1000
})

/** A bound of {@link LIMITS} was reached; `limit` is its key, `value` its number. */
export class LimitError extends Error {
  constructor(
    message: string,
    readonly limit: keyof Limits,
    readonly value: number
  ) {
    super(message)
    this.name = 'LimitError'
  }
}

/** `4 MiB`, `1 KiB`, `900 bytes`: a byte count in words for messages. */
export function bytesText(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`
  return `${n} bytes`
}

/**
 * The deepest nesting of objects and arrays in JSON text, counted without parsing (strings and
 * their escapes skipped), stopping as soon as `max` is passed: a cheap check before
 * `JSON.parse`, so a document nested thousands deep fails with a message instead of a crash.
 * @returns the depth, or `max + 1` when deeper than `max`
 */
export function jsonDepth(text: string, max: number): number {
  let depth = 0
  let deepest = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c) i++
      else if (c === 0x22) inString = false
    } else if (c === 0x22) inString = true
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > deepest && (deepest = depth) > max) return max + 1
    } else if (c === 0x7d || c === 0x5d) depth--
  }
  return deepest
}
