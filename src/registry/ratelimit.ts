/**
 * One request budget per registry host, shared by every transfer of a run:
 * - reads a host's `ratelimit-limit` / `ratelimit-remaining` headers (Docker Hub's `100;w=21600`:
 *   100 requests per 21600-second window; docker docs "Docker Hub usage and limits", pulls.md) and
 *   spends at most this process's share of them: ⌊remaining / N⌋ when N processes share the count
 *   (the shards of a matrix, `sharedBy`), then, a window after its last counted request,
 *   ⌊limit / N⌋ again, so N shards together never start more than the limit in any window, fixed
 *   or sliding. Only the kind of request the headers came on is counted, and never a HEAD (Hub
 *   sends them on manifest HEADs too, but counts only GETs). A share spent whose window frees up
 *   later than `maxWaitMs` (Hub's 6 hours) fails at once, naming the host and the remedy
 *   (RateLimitSpentError), instead of sending requests the registry would answer 429;
 * - when any request to a host is answered 429 (or 503) with `Retry-After`, holds every new request
 *   to that host until then, those already waiting included (distribution-spec "Error Codes"
 *   TOOMANYREQUESTS; RFC 9110 §10.2.3);
 * - keeps every request to a registry within the request budget given for it (N per second,
 *   started evenly spaced, and at most a total over the run),
 *   so that the shards of a promotion matrix, each given its share (budgetShare), stay together
 *   within the registry's limit. Requests past the total are refused (BudgetSpentError).
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import { registryKey } from '../reference/hosts.js'
import { silentLogger, type Logger } from '../logger.js'

export interface RateLimitOptions {
  /** warn when remaining ≤ max(lowWater, lowWaterFraction × limit) (default 5 and 0.1) */
  lowWater: number
  lowWaterFraction: number
  /**
   * longest wait for a host's rate-limit window to free up once this process's share is spent, ms
   * (default 120000, the longest `Retry-After` a request waits out); past it the request fails
   */
  maxWaitMs: number
  /** request budgets per registry (registryKey: Docker Hub's aliases folded); default none */
  budgets?: RequestBudgets
  /**
   * processes sharing what a registry's `ratelimit-*` headers report (the shards of a matrix:
   * `--shard K/N` gives N): each spends at most 1/N of the count (default 1)
   */
  sharedBy?: number
}

export const DEFAULT_RATE_LIMIT: RateLimitOptions = { lowWater: 5, lowWaterFraction: 0.1, maxWaitMs: 120_000 }

/** A registry's request budget: requests started per second, and in all (either may be absent). */
export interface RequestBudget {
  /** requests started in any window of one second (a fraction: one per 1/perSecond s) */
  perSecond?: number
  /** requests over the whole run */
  total?: number
}

/** Budgets keyed by registry (registryKey: `docker.io` for Docker Hub's hosts, host[:port] else). */
export type RequestBudgets = Record<string, RequestBudget>

/**
 * ms added to each second when spacing requests (5 %), so that network and event-loop jitter does
 * not put one request more into one of the registry's seconds
 */
export const WINDOW_GUARD_MS = 50

/**
 * ms added to a `ratelimit-*` window before a spent share is renewed: 5 % of the window, at least
 * 250 ms (a request's way from acquire() to the registry can take that long on a busy machine), so
 * that requests of two shares never arrive in one of the registry's windows
 */
export function windowGuardMs(windowMs: number): number {
  return Math.max(250, windowMs / 20)
}

/**
 * A request refused because its registry's total budget is spent: the facts (registry, total); the
 * message names no option, the interface does (report/tls-words.ts withTlsAdvice).
 */
export class BudgetSpentError extends Error {
  constructor(
    readonly registry: string,
    readonly total: number
  ) {
    super(
      `${registry}: the request budget of ${total} requests is spent; raise it or promote fewer images per run`
    )
    this.name = 'BudgetSpentError'
  }
}

/**
 * A budget entry that breaks the syntax: the entry and the rule; the message names no option, the
 * interface does (options.ts turns it into an OptionError naming its flag or input).
 */
export class BudgetSyntaxError extends Error {
  constructor(
    readonly entry: string,
    readonly rule: string
  ) {
    super(`request budget "${entry}": ${rule}`)
    this.name = 'BudgetSyntaxError'
  }
}

/**
 * Parses budgets given as `REGISTRY=RATE`, RATE one of `20/s` (per second), `5000` (total) or
 * `20/s,5000` (both); several entries per text may be separated by spaces (a matrix share).
 * Registries are folded with registryKey (`docker.io`, `index.docker.io`, `registry-1.docker.io`
 * are one).
 * @throws BudgetSyntaxError naming the entry and the rule, for a malformed entry, a rate or total
 *   that is not a positive number, or a registry given twice
 */
export function parseRequestBudgets(texts: string[]): RequestBudgets {
  const out: RequestBudgets = {}
  const rule = 'must be REGISTRY=N/s, REGISTRY=TOTAL or REGISTRY=N/s,TOTAL (N > 0, TOTAL a whole number > 0)'
  for (const entry of texts.flatMap(t => t.split(/\s+/)).filter(Boolean)) {
    const m = /^([^=\s]+)=(?:(\d+(?:\.\d+)?)\/s(?:,(\d+))?|(\d+))$/.exec(entry)
    const perSecond = m?.[2] !== undefined ? Number(m[2]) : undefined
    const totalText = m?.[3] ?? m?.[4]
    const total = totalText !== undefined ? Number(totalText) : undefined
    if (!m || perSecond === 0 || total === 0) throw new BudgetSyntaxError(entry, rule)
    const registry = registryKey(m[1])
    if (out[registry]) throw new BudgetSyntaxError(entry, `${registry} is given a budget twice`)
    out[registry] = {
      ...(perSecond !== undefined ? { perSecond } : {}),
      ...(total !== undefined ? { total } : {})
    }
  }
  return out
}

/** `REGISTRY=N/s,TOTAL …` (parseRequestBudgets' form), registries sorted; '' for none. */
export function formatRequestBudgets(budgets: RequestBudgets): string {
  return Object.keys(budgets)
    .sort()
    .map(r => {
      const { perSecond, total } = budgets[r]
      const rate = perSecond !== undefined ? `${Number(perSecond.toFixed(3))}/s` : ''
      return `${r}=${[rate, total !== undefined ? String(total) : ''].filter(Boolean).join(',')}`
    })
    .join(' ')
}

/**
 * One share of `budgets` for each of `shares` processes running at once, so that together they
 * stay within each budget: the rate divided (a fraction kept: 2/s over 3 is one request per 1.5 s),
 * the total divided and rounded down (at least 1).
 * @throws RangeError when `shares` is not a whole number ≥ 1
 */
export function budgetShare(budgets: RequestBudgets, shares: number): RequestBudgets {
  if (!Number.isInteger(shares) || shares < 1)
    throw new RangeError(`shares must be a whole number ≥ 1, not ${shares}`)
  const out: RequestBudgets = {}
  for (const [r, { perSecond, total }] of Object.entries(budgets))
    out[r] = {
      ...(perSecond !== undefined ? { perSecond: Math.floor((perSecond / shares) * 1000) / 1000 } : {}),
      ...(total !== undefined ? { total: Math.max(1, Math.floor(total / shares)) } : {})
    }
  return out
}

/**
 * The spacing of one rate budget: request starts at least `intervalMs` apart, so any window of one
 * second (plus the guard) holds at most the rate. Evenly spaced, never in bursts: a burst let go
 * at once reaches the registry spread over tens of ms on a busy machine, and then shares one of
 * the registry's seconds with the next burst.
 */
interface Spacing {
  intervalMs: number
  /** the earliest time (ms since epoch) the next request may start */
  next: number
}

/** The spacing of `perSecond`: (1000 + WINDOW_GUARD_MS) / perSecond ms. */
function spacingOf(perSecond: number): Spacing {
  return { intervalMs: (1000 + WINDOW_GUARD_MS) / perSecond, next: 0 }
}

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

/**
 * A request to a registry whose `ratelimit-*` headers leave this process nothing to spend: its
 * share is used up and the window frees up later than a run waits (or the host never says when),
 * or the limit is smaller than the shards sharing it. The message gives the facts and the remedies
 * that work: a larger limit (logging in), a later run, or fewer shards when each got none.
 */
export class RateLimitSpentError extends Error {
  constructor(
    readonly host: string,
    readonly limit: number,
    readonly windowSeconds: number | undefined,
    readonly sharedBy: number,
    readonly maxWaitMs: number
  ) {
    super(rateLimitSpentText(host, limit, windowSeconds, sharedBy, maxWaitMs))
    this.name = 'RateLimitSpentError'
  }
}

/** RateLimitSpentError's message (see there). */
function rateLimitSpentText(
  host: string,
  limit: number,
  windowSeconds: number | undefined,
  sharedBy: number,
  maxWaitMs: number
): string {
  const per = windowSeconds !== undefined ? ` per ${windowSeconds} s` : ''
  const larger = 'log in to the registry (or use an account with a larger limit)'
  const what = `${host}: the registry's rate limit of ${limit} requests${per}`
  if (limit < sharedBy)
    return `${what} leaves nothing to each of ${sharedBy} shards; run at most ${Math.max(1, limit)} shards, or ${larger}`
  const share = sharedBy > 1 ? `, shared by ${sharedBy} shards: this one's share is used up` : ''
  const when =
    windowSeconds === undefined
      ? 'the registry does not say when it frees up'
      : `it frees up later than the ${Math.round(maxWaitMs / 1000)} s a run waits`
  return `${what} is used up${share}; ${when}: ${larger}, or run again once the window has passed`
}

/** Requests set aside for one promotion (RateLimiter.reserve). */
export interface BudgetReservation {
  /** runs `fn` so that its requests draw on the reservation */
  run<T>(fn: () => Promise<T>): Promise<T>
  /** gives back what was not used (idempotent) */
  release(): void
}

/** What a host last reported, and this process's share of it. */
export interface HostBudget {
  /** the limit per window the host last reported; -1 before any report */
  limit: number
  /** the remaining count the host last reported (for every client it counts together) */
  remaining: number
  windowSeconds?: number
  /** the kinds of request the limit counts (`GET manifests`; never a HEAD, see observe) */
  kinds: Set<string>
  /** time (ms since epoch) before which no request may start (after a 429 / Retry-After) */
  blockedUntil: number
  /**
   * counted requests this process may still start in the current window: ⌊remaining / sharedBy⌋
   * at the first report, ⌊limit / sharedBy⌋ once a window has passed since the last one; a later
   * report only lowers it
   */
  share: number
  /** when the last counted request started (ms since epoch); 0 before any */
  lastAt: number
  /** the renewal time a wait was last logged for (one line per wait, not per request) */
  loggedWait?: number
  /** a Retry-After held the host since the last report (block) */
  retryAfter?: boolean
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

/**
 * The kind a response's `ratelimit-*` headers count: Docker Hub sends them on manifest GETs and
 * HEADs alike, but counts only the GETs (a HEAD is a "version check", docker docs pulls.md), so
 * the headers on `HEAD manifests` speak of `GET manifests`. A HEAD is never counted.
 */
export function countedKind(kind: string): string {
  return kind.startsWith('HEAD ') ? `GET ${kind.slice(5)}` : kind
}

/** Per-host budgets; see the module comment. One instance per Transport (per run). */
export class RateLimiter {
  readonly hosts = new Map<string, HostBudget>()
  /** total ms requests were held back (pacing, budgets and Retry-After), for reports and tests */
  waitedMs = 0
  /** requests started per registry (registryKey), counted for the budgets */
  readonly spent = new Map<string, number>()
  /** per registry (registryKey): requests reserved by admitted promotions and not yet started */
  private readonly reserved = new Map<string, number>()
  /** the reservation whose requests run in this async context (made on the first reserve) */
  private tickets?: AsyncLocalStorage<Map<string, number>>
  private readonly spacings = new Map<string, Spacing>()
  private readonly opts: RateLimitOptions
  private readonly log: Logger
  private readonly now: () => number
  private readonly sleep: (ms: number) => Promise<void>
  constructor(
    options: Partial<RateLimitOptions> = {},
    deps: {
      logger?: Logger
      now?: () => number
      sleep?: (ms: number) => Promise<void>
    } = {}
  ) {
    this.opts = { ...DEFAULT_RATE_LIMIT, ...options }
    this.log = deps.logger ?? silentLogger
    this.now = deps.now ?? Date.now
    this.sleep = deps.sleep ?? (ms => new Promise(r => setTimeout(r, ms)))
  }

  /** `registry`'s budget as given (rate and total), undefined when it has none. */
  givenBudget(registry: string): RequestBudget | undefined {
    return this.opts.budgets?.[registryKey(registry)]
  }

  /**
   * Requests `registry` may still take under its total budget (what this run has not started);
   * undefined when it has no total.
   */
  remaining(registry: string): number | undefined {
    const key = registryKey(registry)
    const total = this.opts.budgets?.[key]?.total
    const taken = (this.spent.get(key) ?? 0) + (this.reserved.get(key) ?? 0)
    return total === undefined ? undefined : Math.max(0, total - taken)
  }

  /**
   * Sets `requests` (per registry) aside from the totals for one promotion admitted to write: no
   * one else's request may take them (remaining() no longer counts them); the requests started
   * inside `run` draw on them first, then on what is left to all. Registries without a total are
   * left out. Call after remaining() said they fit, with no await between.
   * @returns run(fn): fn in the reservation's context; release(): gives back what it did not use
   */
  reserve(requests: Map<string, number>): BudgetReservation {
    const left = new Map<string, number>()
    for (const [registry, n] of requests) {
      const key = registryKey(registry)
      if (this.opts.budgets?.[key]?.total === undefined || n <= 0) continue
      left.set(key, (left.get(key) ?? 0) + n)
      this.reserved.set(key, (this.reserved.get(key) ?? 0) + n)
    }
    // nothing set aside (no registry here has a total): no AsyncLocalStorage, whose first run()
    // keeps node's async hooks on for every promise of the process before Node 24
    if (left.size === 0) return { run: fn => fn(), release: () => {} }
    const tickets = (this.tickets ??= new AsyncLocalStorage())
    return {
      run: fn => tickets.run(left, fn),
      release: () => {
        for (const [key, n] of left) this.reserved.set(key, (this.reserved.get(key) ?? 0) - n)
        left.clear()
      }
    }
  }

  /**
   * Counts a request against `registry`'s total budget.
   * @returns the registry's spacing when it has a rate budget
   * @throws BudgetSpentError when the total is spent
   */
  private spend(host: string): Spacing | undefined {
    const key = registryKey(host)
    const budget = this.opts.budgets?.[key]
    if (!budget) return undefined
    const spent = this.spent.get(key) ?? 0
    const ticket = this.tickets?.getStore()
    const mine = ticket?.get(key) ?? 0
    if (mine > 0) {
      ticket?.set(key, mine - 1)
      this.reserved.set(key, (this.reserved.get(key) ?? 0) - 1)
    } else if (budget.total !== undefined && spent + (this.reserved.get(key) ?? 0) >= budget.total)
      throw new BudgetSpentError(key, budget.total)
    this.spent.set(key, spent + 1)
    if (budget.perSecond === undefined) return undefined
    let w = this.spacings.get(key)
    if (!w) this.spacings.set(key, (w = spacingOf(budget.perSecond)))
    return w
  }

  /** Gives back a request spend() counted that was never sent. */
  private refund(host: string): void {
    const key = registryKey(host)
    const spent = this.spent.get(key)
    if (spent) this.spent.set(key, spent - 1)
  }

  private budget(host: string): HostBudget {
    let b = this.hosts.get(host)
    if (!b) {
      b = { limit: -1, remaining: -1, kinds: new Set(), blockedUntil: 0, share: 0, lastAt: 0 }
      this.hosts.set(host, b)
    }
    return b
  }

  private get sharedBy(): number {
    return this.opts.sharedBy ?? 1
  }

  /**
   * The time a request of `kind` to `host` may start, judged at `now`: after any Retry-After block,
   * and for a kind the host's `ratelimit-*` headers count, once this process's share allows one
   * more (a spent share is renewed, ⌊limit / sharedBy⌋, a window plus a guard after the last
   * counted request: then no window of the host's holds requests of two shares).
   * @throws RateLimitSpentError when the share is spent and the window frees up later than
   *   maxWaitMs from now (or the host gives no window), or the limit leaves a shard no share at all
   */
  private heldUntil(host: string, kind: string, now: number): number {
    const b = this.hosts.get(host)
    if (!b) return now
    if (b.blockedUntil > now) return b.blockedUntil
    if (b.retryAfter) {
      // a Retry-After waited out: the registry said when to come back (see block)
      b.retryAfter = false
      if (b.share <= 0) b.limit = -1
    }
    if (!b.kinds.has(kind) || b.limit < 0 || b.share > 0) return now
    const each = Math.floor(b.limit / this.sharedBy)
    const windowMs = b.windowSeconds === undefined ? undefined : b.windowSeconds * 1000
    const reopens = windowMs === undefined ? Infinity : b.lastAt + windowMs + windowGuardMs(windowMs)
    if (each < 1 || reopens - now > this.opts.maxWaitMs)
      throw new RateLimitSpentError(host, b.limit, b.windowSeconds, this.sharedBy, this.opts.maxWaitMs)
    if (reopens > now) {
      if (b.loggedWait !== reopens) {
        b.loggedWait = reopens
        const shards = this.sharedBy > 1 ? ` (${this.sharedBy} shards share it)` : ''
        this.log.info(
          `${host}: this run's share of the rate limit of ${b.limit} per ${b.windowSeconds} s is spent${shards}; waiting ${((reopens - now) / 1000).toFixed(1)} s for its window`
        )
      }
      return reopens
    }
    b.share = each
    return now
  }

  /**
   * Waits until a request of `kind` (see requestKind) may start on `host`, and records its start:
   * after any Retry-After block (asked again after every wait, so a block that comes while this
   * request waits holds it too), within this process's share of what the host's `ratelimit-*`
   * headers allow (heldUntil), and within the registry's request budget (options.budgets), its
   * requests started evenly spaced from the time each is actually let go (not a time planned
   * ahead, which a busy event loop would overrun), so an overslept wait is never made up for with
   * a burst.
   * @returns ms waited
   * @throws BudgetSpentError when the registry's total budget is spent (before any wait);
   *   RateLimitSpentError (heldUntil)
   */
  async acquire(host: string, kind: string): Promise<number> {
    const spacing = this.spend(host)
    let waited = 0
    for (;;) {
      const now = this.now()
      let held: number
      try {
        held = this.heldUntil(host, kind, now)
      } catch (e) {
        this.refund(host)
        throw e
      }
      const until = Math.max(held, spacing?.next ?? 0)
      if (until <= now) {
        if (spacing) spacing.next = now + spacing.intervalMs
        const b = this.hosts.get(host)
        if (b?.kinds.has(kind) && b.limit >= 0) {
          b.share--
          b.lastAt = now
          b.remaining = Math.max(0, b.remaining - 1)
        }
        this.waitedMs += waited
        return waited
      }
      const wait = Math.ceil(until - now)
      waited += wait
      await this.sleep(wait)
    }
  }

  /**
   * Reads the `ratelimit-*` headers of a response to a request of `kind` on `host` and logs them.
   * The first report sets this process's share (⌊remaining / sharedBy⌋); later ones only lower it,
   * never raise it (another shard may still hold its part of a count this one sees as left). A
   * report on a counted request marks a counted start (lastAt), so a share spent is renewed only a
   * window after it.
   * Logs a warning once the remaining count reaches the low-water mark.
   */
  observe(host: string, kind: string, headers: Record<string, string | string[] | undefined>): void {
    const limit = parseRateLimit(headers['ratelimit-limit'])
    const remaining = parseRateLimit(headers['ratelimit-remaining'])
    if (!limit || !remaining) return
    const b = this.budget(host)
    b.kinds.add(countedKind(kind))
    // the request that carried them counted (started before now: now is the safe side), even when
    // it left before the headers were known and so before acquire() counted its kind
    if (countedKind(kind) === kind) b.lastAt = Math.max(b.lastAt, this.now())
    const wasLow = b.limit > 0 && b.remaining <= this.low(b.limit)
    const share = Math.floor(remaining.count / this.sharedBy)
    b.share = b.limit < 0 ? share : Math.min(b.share, share)
    b.limit = limit.count
    b.remaining = remaining.count
    b.windowSeconds = limit.windowSeconds ?? remaining.windowSeconds
    const window = b.windowSeconds !== undefined ? ` per ${b.windowSeconds} s` : ''
    const source = headers['docker-ratelimit-source']
    const msg = `${host}: rate limit ${b.remaining} of ${b.limit}${window} left${source ? ` (source ${String(source)})` : ''}`
    if (b.remaining <= this.low(b.limit) && !wasLow) {
      this.log.warning(`${msg}; log in to the registry for a larger limit`)
    } else this.log.debug(msg)
  }

  private low(limit: number): number {
    return Math.max(this.opts.lowWater, Math.floor(this.opts.lowWaterFraction * limit))
  }

  /**
   * Holds every new request to `host` for `ms` (a 429 / 503 with Retry-After). The registry's own
   * word is newer than what its `ratelimit-*` headers let this process work out: once the block
   * ends, a spent share no longer holds requests; the next report sets the share afresh.
   */
  block(host: string, ms: number): void {
    const b = this.budget(host)
    b.blockedUntil = Math.max(b.blockedUntil, this.now() + ms)
    b.retryAfter = true
  }
}
