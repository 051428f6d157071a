/**
 * The outcomes of a promotion per target IDENTITY (targets.ts targetKey): blobs mounted / copied,
 * bytes written, manifests pushed, verification, seconds, and the first failure of each target.
 * A target listed twice was merged before planning, so each identity has one entry.
 */
import type { TagPlanEntry, TargetWork } from './plan.js'
import type { BlobOutcome } from './transfer.js'

export interface TargetResult {
  target: string
  blobsSkipped: number
  blobsMounted: number
  blobsCopied: number
  /** blob bytes written to this target through the client */
  bytesCopied: number
  manifestsPushed: number
  tags: TagPlanEntry[]
  seconds: number
  verified: boolean
}

/** Outcomes per target; `now` gives milliseconds (each target's clock starts at construction). */
export class Ledger {
  private readonly results = new Map<string, TargetResult>()
  private readonly errors = new Map<string, Error>()
  private readonly started: number

  constructor(
    targets: TargetWork[],
    private readonly now: () => number = Date.now
  ) {
    this.started = now()
    for (const t of targets) {
      this.results.set(t.key, {
        target: t.report.target,
        blobsSkipped: t.report.blobs.skip.length,
        blobsMounted: 0,
        blobsCopied: 0,
        bytesCopied: 0,
        manifestsPushed: 0,
        tags: t.report.tags,
        seconds: 0,
        verified: false
      })
    }
  }

  /** The result entry of a target. @throws Error for an identity that is not a target */
  get(key: string): TargetResult {
    const r = this.results.get(key)
    if (!r) throw new Error(`internal: ${key} is not a target of this promotion`)
    return r
  }

  /** True once the target has failed (its first error is kept). */
  failed(key: string): boolean {
    return this.errors.has(key)
  }

  /** Records a failure; only the first one of a target is kept. */
  fail(key: string, error: Error): void {
    this.get(key)
    if (!this.errors.has(key)) this.errors.set(key, error)
  }

  /** Counts one blob outcome. */
  record(o: BlobOutcome): void {
    const r = this.get(o.target)
    if (o.action === 'failed') this.fail(o.target, o.error)
    else if (o.action === 'mounted') r.blobsMounted++
    else {
      r.blobsCopied++
      r.bytesCopied += o.bytes
    }
  }

  /** The target's work is over: its seconds since the ledger was made. */
  finish(key: string): void {
    this.get(key).seconds = (this.now() - this.started) / 1000
  }

  /** Failures in target order, named as the plan names the target. */
  failures(): Array<{ target: string; error: Error }> {
    return [...this.results.entries()]
      .filter(([key]) => this.errors.has(key))
      .map(([key, r]) => ({ target: r.target, error: this.errors.get(key) as Error }))
  }

  /** Every target's result, in target order. */
  all(): TargetResult[] {
    return [...this.results.values()]
  }
}
