/**
 * The copy engine's defaults, each written once: promote() and the planner use them when an option
 * is not given, and the options schema (options.ts) shows them as the action's and the CLI's
 * defaults. Pure constants, no imports (the CLI loads this at start-up). What travels with the
 * image when not told (DEFAULT_REFERRERS) is referrers/selection.ts's, below both copy/ and proof/.
 */

/** Tags that may move under the immutable tag policy when none are given. */
export const DEFAULT_MOVING_TAGS: readonly string[] = ['latest', 'edge']

/** Transfer slots per registry host when none are given (copy/limiter.ts HostLimiter). */
export const DEFAULT_CONCURRENCY = 8

/** The tag policy when none is given: a tag never moves to another digest (but DEFAULT_MOVING_TAGS). */
export const DEFAULT_TAG_POLICY = 'immutable' as const

/** How blobs are uploaded when no mode is given: one streaming PUT each (copy/fanout.ts). */
export const DEFAULT_UPLOAD_MODE = 'monolithic' as const

/**
 * Bytes per PATCH of a chunked upload when none is given: 8 MiB (raised to a registry's
 * OCI-Chunk-Min-Length; copy/fanout.ts). An engine setting only: no interface option sets it.
 */
export const DEFAULT_CHUNK_SIZE = 8 * 1024 * 1024
