/**
 * The plan's requests, per registry, against the request budgets (registry/ratelimit.ts): how many
 * requests the write phases of a plan send when nothing fails, so a promotion whose registry has
 * fewer requests left than it needs is refused before any write (not cut off half-way by
 * BudgetSpentError). Pure.
 */
import type { Repository } from '../registry/api.js'
import { registryKey } from '../reference/hosts.js'
import type { BudgetPlanEntry, Plan } from './plan.js'
import { DEFAULT_CHUNK_SIZE } from './defaults.js'
import { formatRequestBudgets, type BudgetReservation, type RequestBudget } from '../registry/ratelimit.js'

/** What promote() asks of the budgets: the requests a registry may still take (undefined: no total). */
export interface RequestBudgetView {
  remaining(registry: string): number | undefined
  /** the registry's budget as given (its total, to say how much a refused promotion needs in all) */
  givenBudget?(registry: string): RequestBudget | undefined
  /**
   * sets an admitted promotion's write requests aside (registry/ratelimit.ts RateLimiter.reserve),
   * so images admitted together cannot run each other out mid-copy
   */
  reserve?(requests: Map<string, number>): BudgetReservation
}

/**
 * Requests the move, push, tag and verify phases of `plan` send when nothing fails and no
 * retry is needed, per registry (registryKey), in order of first use: per blob move one source
 * GET when any delivery streams; per delivery one POST (a mount, or the session) and, when it
 * streams, one PUT (monolithic uploads; chunked ones add a PATCH per chunk of `chunkSize`); per
 * target one PUT per manifest to push, tag, referrers fallback tag (and a GET when merged) and
 * cosign tag. No verifying HEAD is counted: a PUT answered with the root's `Docker-Content-Digest`
 * (distribution, and the major registries) needs none; a registry that leaves it out takes up to
 * one more request per tag and one for the root (promote.ts verifyTarget).
 */
export function planRequests(
  plan: Plan,
  source: Repository,
  upload: { mode?: 'monolithic' | 'chunked'; chunkSize?: number } = {}
): Map<string, number> {
  const out = new Map<string, number>()
  const add = (registry: string, n: number): void => {
    if (n > 0) out.set(registryKey(registry), (out.get(registryKey(registry)) ?? 0) + n)
  }
  const chunk = upload.chunkSize ?? DEFAULT_CHUNK_SIZE
  const puts = (size: number): number => (upload.mode === 'chunked' ? Math.ceil(size / chunk) + 1 : 1)
  for (const move of plan.moves) {
    if (move.deliveries.some(d => !d.mountFrom)) add(source.registry, 1)
    for (const d of move.deliveries) add(d.repo.registry, d.mountFrom ? 1 : 1 + puts(move.blob.size))
  }
  for (const t of plan.targets) {
    const writes =
      t.push.length +
      t.tagWrites.length +
      t.referrerWrites.reduce((n, w) => n + (w.merge ? 2 : 1), 0) +
      (t.signatureWrites?.length ?? 0)
    add(t.repo.registry, writes)
  }
  return out
}

/**
 * The plan's requests beside each registry's remaining total.
 * @returns one entry per registry the writes use; the problems: one line per registry whose
 *   remaining total is smaller than what the writes need (with its total when the view gives it:
 *   what was taken before the writes, and the total the run needs); and for each such registry
 *   the budget entry that covers this promotion (`REGISTRY=TOTAL`, its rate kept: `=20/s,TOTAL`)
 */
export function checkBudget(
  requests: Map<string, number>,
  budget: RequestBudgetView
): { entries: BudgetPlanEntry[]; problems: string[]; covering: string[] } {
  const entries: BudgetPlanEntry[] = []
  const problems: string[] = []
  const covering: string[] = []
  for (const [registry, n] of requests) {
    const remaining = budget.remaining(registry)
    entries.push({ registry, requests: n, ...(remaining !== undefined ? { remaining } : {}) })
    if (remaining === undefined || remaining >= n) continue
    const given = budget.givenBudget?.(registry)
    if (given?.total === undefined) {
      problems.push(`${registry}: the writes need ${n} requests, the request budget has ${remaining} left`)
      continue
    }
    // taken: the reads before the writes (probes, the source), and what images before this one took
    const taken = given.total - remaining
    problems.push(
      `${registry}: the writes need ${n} requests, the request budget of ${given.total} has ${remaining} left (${taken} taken before the writes): ${taken + n} in all`
    )
    covering.push(formatRequestBudgets({ [registry]: { ...given, total: taken + n } }))
  }
  return { entries, problems, covering }
}

/**
 * A promotion refused before any write: a registry's request budget cannot cover its writes. The
 * message names no option (`raise the request budget to 127.0.0.1:5000=19 or more …`); the
 * interface does (report/tls-words.ts).
 */
export class RequestBudgetError extends Error {
  /**
   * @param problems one line per registry ({@link checkBudget})
   * @param covering the budget entries that cover this promotion (`REGISTRY=TOTAL`), when known
   */
  constructor(
    readonly problems: string[],
    readonly covering: string[] = []
  ) {
    const raise = covering.length
      ? `raise the request budget to ${covering.join(' ')} or more`
      : 'raise the request budget'
    super(
      `request budget too small, nothing written:\n  ${problems.join('\n  ')}\n  ${raise} or promote fewer images per run`
    )
    this.name = 'RequestBudgetError'
  }
}
