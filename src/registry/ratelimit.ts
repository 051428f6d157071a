/**
 * One request budget per registry host, shared by every transfer of a run:
 * - reads Docker Hub's `ratelimit-limit` / `ratelimit-remaining` headers (`100;w=21600`: 100
 *   requests per 21600-second window; docker docs "Docker Hub usage and limits", pulls.md), logs
 *   them, and once the remaining count falls to the low-water mark paces the requests of the kind
 *   that carried the headers (Hub counts manifest GETs; HEADs are free), so a run slows down
 *   before it hits zero instead of running into 429s;
 * - when any request to a host is answered 429 (or 503) with `Retry-After`, holds every new request
 *   to that host until then (distribution-spec "Error Codes" TOOMANYREQUESTS; RFC 9110 §10.2.3).
 */
import { silentLogger, type Logger } from '../logger.js'

export interface RateLimitOptions {
  /** pace when remaining ≤ max(lowWater, lowWaterFraction × limit) (default 5 and 0.1) */
  lowWater: number
  lowWaterFraction: number
  /** longest gap between paced requests, ms (default 5000) */
  maxPaceMs: number
}

export const DEFAULT_RATE_LIMIT: RateLimitOptions = { lowWater: 5, lowWaterFraction: 0.1, maxPaceMs: 5000 }

/** A parsed `ratelimit-*` header value: count and optional window (seconds). */
export interface RateLimitValue {
  count: number
  windowSeconds?: number
}

/**
 * Parses `100;w=21600` (also `100`, `100, 100;w=21600` as several policies: the first wins).
 * @returns undefined for a missing or unparseable value
 */
export function parseRateLimit(value: string | string[] | undefined): RateLimitValue | undefined {
  const v = Array.isArray(value) ? value[0] : value
  if (!v) return undefined
  const m = /^\s*(\d+)\s*(?:;\s*w\s*=\s*(\d+))?/i.exec(v.split(',')[0])
  if (!m) return undefined
  return { count: Number(m[1]), windowSeconds: m[2] !== undefined ? Number(m[2]) : undefined }
}

/** What a host last reported, and what we have spent since. */
export interface HostBudget {
  limit: number
  remaining: number
  windowSeconds?: number
  /** requests of the counted kind (`GET manifests`) */
  kinds: Set<string>
  /** time (ms since epoch) before which no request may start (after a 429 / Retry-After) */
  blockedUntil: number
  /** time (ms since epoch) the next paced request may start */
  nextAt: number
}

/** The kind of a request, for deciding which requests count against a host's limit. */
export function requestKind(method: string, url: URL): string {
  const p = url.pathname
  const kind = /\/manifests\//.test(p)
    ? 'manifests'
    : /\/blobs\/uploads\//.test(p)
      ? 'uploads'
      : /\/blobs\//.test(p)
        ? 'blobs'
        : 'other'
  return `${method} ${kind}`
}

/** Per-host budgets; see the module comment. One instance per Transport (per run). */
export class RateLimiter {
  readonly hosts = new Map<string, HostBudget>()
  /** total ms requests were held back (pacing and Retry-After), for reports and tests */
  waitedMs = 0
  private readonly opts: RateLimitOptions
  private readonly log: Logger
  private readonly now: () => number
  private readonly sleep: (ms: number) => Promise<void>

  constructor(
    options: Partial<RateLimitOptions> = {},
    deps: { logger?: Logger; now?: () => number; sleep?: (ms: number) => Promise<void> } = {}
  ) {
    this.opts = { ...DEFAULT_RATE_LIMIT, ...options }
    this.log = deps.logger ?? silentLogger
    this.now = deps.now ?? Date.now
    this.sleep = deps.sleep ?? (ms => new Promise(r => setTimeout(r, ms)))
  }

  private budget(host: string): HostBudget {
    let b = this.hosts.get(host)
    if (!b) {
      b = { limit: -1, remaining: -1, kinds: new Set(), blockedUntil: 0, nextAt: 0 }
      this.hosts.set(host, b)
    }
    return b
  }

  /**
   * Waits until a request of `kind` (see requestKind) may start on `host`: after any Retry-After
   * block, and paced when the host's remaining budget is low. Spends one unit of the local estimate.
   * @returns ms waited
   */
  async acquire(host: string, kind: string): Promise<number> {
    const b = this.hosts.get(host)
    if (!b) return 0
    const now = this.now()
    let start = Math.max(now, b.blockedUntil)
    if (b.kinds.has(kind) && b.limit > 0) {
      const low = Math.max(this.opts.lowWater, Math.floor(this.opts.lowWaterFraction * b.limit))
      if (b.remaining <= low) {
        const windowMs = (b.windowSeconds ?? 3600) * 1000
        const pace = Math.min(this.opts.maxPaceMs, Math.ceil(windowMs / b.limit))
        start = Math.max(start, b.nextAt)
        b.nextAt = start + pace
      }
      b.remaining = Math.max(0, b.remaining - 1)
    }
    const wait = start - now
    if (wait > 0) {
      this.waitedMs += wait
      await this.sleep(wait)
    }
    return Math.max(0, wait)
  }

  /**
   * Reads the `ratelimit-*` headers of a response to a request of `kind` on `host` and logs them.
   * Logs a warning once the remaining count reaches the low-water mark.
   */
  observe(host: string, kind: string, headers: Record<string, string | string[] | undefined>): void {
    const limit = parseRateLimit(headers['ratelimit-limit'])
    const remaining = parseRateLimit(headers['ratelimit-remaining'])
    if (!limit || !remaining) return
    const b = this.budget(host)
    b.kinds.add(kind)
    const wasLow = b.limit > 0 && b.remaining <= this.low(b.limit)
    b.limit = limit.count
    b.remaining = remaining.count
    b.windowSeconds = limit.windowSeconds ?? remaining.windowSeconds
    const window = b.windowSeconds !== undefined ? ` per ${b.windowSeconds} s` : ''
    const source = headers['docker-ratelimit-source']
    const msg = `${host}: rate limit ${b.remaining} of ${b.limit}${window} left${source ? ` (source ${String(source)})` : ''}`
    if (b.remaining <= this.low(b.limit) && !wasLow) {
      this.log.warning(`${msg}; slowing down (authenticate to get a larger limit)`)
    } else this.log.debug(msg)
  }

  private low(limit: number): number {
    return Math.max(this.opts.lowWater, Math.floor(this.opts.lowWaterFraction * limit))
  }

  /** Holds every new request to `host` for `ms` (a 429 / 503 with Retry-After). */
  block(host: string, ms: number): void {
    const b = this.budget(host)
    b.blockedUntil = Math.max(b.blockedUntil, this.now() + ms)
  }
}
