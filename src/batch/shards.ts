/**
 * Shards for a workflow matrix: the images of a promotion file split into at most N groups,
 * balanced by the bytes each would move, keeping images that share blobs together where that does
 * not unbalance the shards badly (a shared layer is then uploaded by one job, not several). Pure.
 *
 * The rule, exactly. An image's work is the set of (target registry, blob) pairs it needs, each
 * with the blob's size; a shard's load is the size of the union of its images' pairs (a blob two
 * of its images share at one registry counts once, as the batch moves it once). The fair load is
 * the union over all images divided by N, or the largest image's work when that is more (no shard
 * can be lighter than its largest image). Images are placed one by one, largest work first (ties:
 * file order), each on the shard where it adds the fewest bytes (ties: the lighter shard),
 * provided the shard's load stays within {@link SHARD_SLACK} × the fair load; when no shard allows
 * that, on the shard whose load would end smallest. Remaining ties go to the lower shard. So
 * images sharing a large layer land together unless their shard would grow 25 % past the fair
 * load, and images sharing nothing are spread as the classic largest-first greedy spreads them. Empty shards are left out; each shard lists its
 * images in file order. Same input → same shards (`--shard K/N` recomputes them).
 *
 * The matrix names each shard `K/N@PLAN`, PLAN the fingerprint of the whole assignment (which
 * images each shard holds). A shard job recomputes the plan and promotes only when its fingerprint
 * is the matrix's: a source read differently there (a 429, a 5xx, an image pushed or moved since
 * the plan job) would give other shards, and an image in none of them.
 */

import { createHash } from 'node:crypto'
import { budgetShare, formatRequestBudgets, type RequestBudgets } from '../registry/ratelimit.js'

/** One image as the planner sees it. */
export interface ShardImage {
  name: string
  /** what it needs: `registry blob-digest` keys (any distinct strings) and their sizes in bytes */
  needs: Array<{ key: string; size: number }>
  /** why its source could not be read (it then needs nothing) */
  unread?: string
}

/** How far above the fair load a shard may grow to keep images that share blobs together (1.25 = 25 %). */
export const SHARD_SLACK = 1.25

interface Shard {
  keys: Set<string>
  load: number
  images: number[]
}

/** Bytes `image` adds to `shard` (its needs the shard does not have yet). */
function added(shard: Shard, image: ShardImage): number {
  let n = 0
  const seen = new Set<string>()
  for (const { key, size } of image.needs)
    if (!shard.keys.has(key) && !seen.has(key)) {
      seen.add(key)
      n += size
    }
  return n
}

/** The union of the needs' sizes, each key once. */
function unionBytes(images: ShardImage[]): number {
  const sizes = new Map<string, number>()
  for (const img of images) for (const { key, size } of img.needs) sizes.set(key, size)
  return [...sizes.values()].reduce((a, b) => a + b, 0)
}

/**
 * Splits `images` into at most `n` shards (see the module comment for the rule).
 * @param n shards wanted, a whole number ≥ 1
 * @returns per non-empty shard, in shard order: its number (1-based), the indexes into `images`
 *   (ascending) and its load in bytes
 * @throws RangeError when `n` is not a whole number ≥ 1
 */
export function planShards(
  images: ShardImage[],
  n: number
): Array<{ shard: number; images: number[]; bytes: number }> {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`shards must be a whole number ≥ 1, not ${n}`)
  const shards: Shard[] = Array.from({ length: n }, () => ({ keys: new Set<string>(), load: 0, images: [] }))
  const work = images.map((img, i) => ({ i, bytes: unionBytes([img]) }))
  const limit = Math.max(unionBytes(images) / n, ...work.map(w => w.bytes)) * SHARD_SLACK
  work.sort((a, b) => b.bytes - a.bytes || a.i - b.i)
  for (const { i } of work) {
    const options = shards.map((s, k) => ({ k, add: added(s, images[i]), load: s.load }))
    const within = options.filter(o => o.load + o.add <= limit)
    const pick = within.length
      ? within.reduce((a, b) => (b.add < a.add || (b.add === a.add && b.load < a.load) ? b : a))
      : options.reduce((a, b) => (b.load + b.add < a.load + a.add ? b : a))
    const shard = shards[pick.k]
    shard.load += pick.add
    for (const { key } of images[i].needs) shard.keys.add(key)
    shard.images.push(i)
  }
  return shards
    .map((s, k) => ({ shard: k + 1, images: [...s.images].sort((a, b) => a - b), bytes: s.load }))
    .filter(s => s.images.length)
}

/** A shard as `--shard` / input `shard` names it: K of N, and the matrix's plan fingerprint. */
export interface ShardChoice {
  k: number
  n: number
  /** PLAN of `K/N@PLAN` (planFingerprint, 12 hex digits); absent for a bare `K/N` */
  plan?: string
}

/** What a malformed shard is told: the rule, in the words of `--shard` and input `shard`. */
export const SHARD_RULE =
  "must be K/N (or the matrix's K/N@PLAN) with whole numbers 1 <= K <= N <= 256 (e.g. 2/4)"

/** `K/N` or `K/N@PLAN` (1 ≤ K ≤ N ≤ 256, PLAN 12 hex digits); undefined when malformed (SHARD_RULE). */
export function parseShard(text: string): ShardChoice | undefined {
  const m = /^([1-9]\d*)\/([1-9]\d*)(?:@([0-9a-f]{12}))?$/.exec(text)
  const [k, n] = m ? [Number(m[1]), Number(m[2])] : [0, 0]
  if (!m || k > n || n > 256) return undefined
  return { k, n, ...(m[3] ? { plan: m[3] } : {}) }
}

/**
 * The fingerprint of a plan: 12 hex digits of the SHA-256 of N and each planned shard's number and
 * image names (not the bytes: only which image goes where matters).
 */
export function planFingerprint(
  images: ShardImage[],
  n: number,
  planned: ReturnType<typeof planShards>
): string {
  const words = JSON.stringify([n, planned.map(s => [s.shard, s.images.map(i => images[i].name)])])
  return createHash('sha256').update(words).digest('hex').slice(0, 12)
}

/** One row of the matrix: its shard, its images, and its share of the request budgets. */
export interface MatrixEntry {
  /** `K/N@PLAN` (planFingerprint), for the shard job's `--shard` / input `shard` */
  shard: string
  images: string[]
  /**
   * this shard's share of every registry's request budget (registry/ratelimit.ts budgetShare over
   * the shards planned, in `--request-budget`'s form), for the shard's `--request-budget` /
   * `request-budget`: the shards together stay within each budget. Absent: no budget given.
   */
  budget?: string
}

/**
 * The matrix line `plan --shards N` prints and the action's `matrix` output:
 * `{"include":[{"shard":"1/N@PLAN","images":["app",…],"budget":"ghcr.io=10/s"},…]}`, shards numbered as
 * planned (1-based, of N), PLAN the plan's fingerprint (planFingerprint); `budget` is each shard's share when `budgets` is given (the
 * budgets divided between the shards that are planned: empty ones run no job).
 */
export function shardMatrix(
  images: ShardImage[],
  n: number,
  budgets: RequestBudgets = {}
): { include: MatrixEntry[] } {
  const planned = planShards(images, n)
  const share = Object.keys(budgets).length ? formatRequestBudgets(budgetShare(budgets, planned.length)) : ''
  const plan = planFingerprint(images, n, planned)
  return {
    include: planned.map(s => ({
      shard: `${s.shard}/${n}@${plan}`,
      images: s.images.map(i => images[i].name),
      ...(share ? { budget: share } : {})
    }))
  }
}
