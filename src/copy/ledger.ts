/**
 * The outcomes of a promotion per target IDENTITY (targets.ts targetKey): blobs mounted / copied,
 * bytes written, manifests pushed, verification, seconds, and the first failure of each target.
 * A target listed twice was merged before planning, so each identity has one entry.
 */
import type { TagPlanEntry, TargetWork } from './plan.js'
import type { BlobOutcome } from './transfer.js'

/** What one target holds when the promotion was interrupted (blobs and bytes that landed there). */
export interface InterruptedTarget {
  target: string
  /** blobs of the plan that landed: copied or mounted in this run */
  blobsLanded: number
  /** blobs this run had to copy or mount to the target */
  blobsPlanned: number
  /** bytes of the copied blobs the target acknowledged */
  bytesLanded: number
  /** upload sessions the registry kept although they were cancelled (its DELETE refused) */
  sessionsLeft: number
}

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

/**
 * Where a target stands after a failed promotion (the `--json` failure output, the failure table),
 * derived from what this run did and what the probe found, without further requests.
 */
export interface TargetStatus {
  /** the target as the plan names it (`registry/repository`) */
  reference: string
  /** the target holds the whole image by digest (root manifest and everything it references) */
  holdsImage: boolean
  /** tags that point at the image there now, in plan order */
  tagged: string[]
  blobsCopied: number
  blobsMounted: number
  /** blob bytes the target acknowledged */
  bytesCopied: number
  /** the first failure of this target */
  error?: string
}

/** Outcomes per target; `now` gives milliseconds (each target's clock starts at construction). */
export class Ledger {
  private readonly results = new Map<string, TargetResult>()
  private readonly errors = new Map<string, Error>()
  private readonly started: number
  private readonly work = new Map<string, TargetWork>()
  /** per target: upload sessions the registry kept although they were cancelled */
  private readonly sessionsLeft = new Map<string, number>()
  /** per target: tags that point at the root now (kept by the plan, or written in this run) */
  private readonly taggedNow = new Map<string, Set<string>>()
  /** per target: blobs the plan had to copy or mount that another run put there (heldByRun) */
  private readonly late = new Map<string, number>()

  constructor(
    targets: TargetWork[],
    private readonly now: () => number = Date.now
  ) {
    this.started = now()
    for (const t of targets) {
      this.work.set(t.key, t)
      this.taggedNow.set(t.key, new Set(t.report.tags.filter(x => x.action === 'keep').map(x => x.tag)))
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

  /** A blob the plan delivers after a check (plan.ts BlobDelivery.check) was found at the target: skipped. */
  found(key: string): void {
    this.get(key).blobsSkipped++
  }

  /**
   * A blob the plan had to copy or mount to the target got there through another run on the client
   * (a promotion file's image): counted as skipped, and as landed for an interruption.
   */
  heldByRun(key: string): void {
    this.get(key).blobsSkipped++
    this.late.set(key, (this.late.get(key) ?? 0) + 1)
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

  /** The registry kept an upload session of the target although it was cancelled. */
  sessionLeft(key: string): void {
    this.sessionsLeft.set(key, (this.sessionsLeft.get(key) ?? 0) + 1)
  }

  /** The target's tag `tag` was written (it points at the root now). */
  tagged(key: string, tag: string): void {
    this.taggedNow.get(key)?.add(tag)
  }

  /**
   * Where each target stands (TargetStatus), in target order: it holds the image once every
   * manifest it lacked was pushed (the root is pushed last), or when it lacked none.
   */
  status(): TargetStatus[] {
    return [...this.results.entries()].map(([key, r]) => {
      const t = this.work.get(key) as TargetWork
      const tagged = this.taggedNow.get(key) ?? new Set()
      return {
        reference: r.target,
        holdsImage: r.manifestsPushed === t.push.length,
        tagged: t.tags.filter(x => tagged.has(x)),
        blobsCopied: r.blobsCopied,
        blobsMounted: r.blobsMounted,
        bytesCopied: r.bytesCopied,
        ...(this.errors.has(key) ? { error: this.errors.get(key)?.message } : {})
      }
    })
  }

  /** What landed at each target, for an interruption: blobs copied or mounted, of those planned. */
  landings(): InterruptedTarget[] {
    return [...this.results.entries()].map(([key, r]) => {
      const blobs = (this.work.get(key) as TargetWork).report.blobs
      return {
        target: r.target,
        blobsLanded: r.blobsCopied + r.blobsMounted + (this.late.get(key) ?? 0),
        blobsPlanned: blobs.copy.length + blobs.mount.length,
        bytesLanded: r.bytesCopied,
        sessionsLeft: this.sessionsLeft.get(key) ?? 0
      }
    })
  }
}
