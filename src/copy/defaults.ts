/**
 * The copy engine's defaults, each written once: promote() and the planner use them when an option
 * is not given, and the options schema (options.ts) shows them as the action's and the CLI's
 * defaults. Pure constants, no imports (the CLI loads this at start-up).
 */

/** Tags that may move under the immutable tag policy when none are given. */
export const DEFAULT_MOVING_TAGS: readonly string[] = ['latest', 'edge']

/** Transfer slots per registry host when none are given (copy/limiter.ts HostLimiter). */
export const DEFAULT_CONCURRENCY = 8

/** The tag policy when none is given: a tag never moves to another digest (but DEFAULT_MOVING_TAGS). */
export const DEFAULT_TAG_POLICY = 'immutable' as const

/** How blobs are uploaded when no mode is given: one streaming PUT each (copy/fanout.ts). */
export const DEFAULT_UPLOAD_MODE = 'monolithic' as const
