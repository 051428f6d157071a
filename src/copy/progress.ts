/**
 * Progress of the blob phase: per-blob bytes read, totals of what LANDED, and the rate, reported at
 * most once per interval (checked when bytes arrive, so never per chunk), plus a final event. A
 * blob's bytes count when a target acknowledged them (a chunk PATCH answered, the closing PUT
 * answered 201), never when they were merely read or sent; a blob whose upload failed at a target
 * counts nothing once its transfer is over (not even what other targets hold) and is reported as
 * failed. With several targets a blob is read once for all of them (fanout.ts), so the slowest holds
 * the others back: the targets the others waited on for at least half the time since the last
 * event are named (`waitingOn`).
 */

/**
 * One progress report of the blob phase: `bytes` are bytes the targets acknowledged (each blob
 * counted once, at the target that holds most of it), `active[].bytes` source bytes read per blob.
 */
export interface ProgressEvent {
  /** bytes of the blobs to stream that landed at a target so far (a blob counts once; a failed one not at all) */
  bytes: number
  /** bytes of every blob that has to be streamed to at least one target (mounts weigh nothing) */
  totalBytes: number
  /** `bytes` over the seconds since the blob phase started */
  rateBytesPerSecond: number
  /** blobs over that landed at every target they were sent to */
  blobsDone: number
  /** blobs over that failed at one target or more (only set when there is one) */
  blobsFailed?: number
  blobsTotal: number
  /**
   * bytes kept sessions of an earlier run already held (resumed uploads, only set when there are
   * some): not sent again, so not in `bytes` or `totalBytes`
   */
  resumedBytes?: number
  /**
   * blobs in transfer now, largest first: `bytes` read of each from the source (and sent on to the
   * targets), `landed` the bytes of it a target acknowledged (counted in `bytes` above); size 0: mounted
   */
  active: Array<{ digest: string; size: number; bytes: number; landed: number }>
  /**
   * targets the other targets waited on (they had taken or landed every byte read, fanout.ts
   * FanOutOptions.onHeld) for at least half the time since the last event, longest first; only set
   * when there is one, never on the last event
   */
  waitingOn?: string[]
  /** true for the last event, once every blob is done */
  done: boolean
}

/** How long one target has held the others back since the last event (ms on Progress's clock). */
interface Holding {
  /** blobs whose other targets are waiting on this one now */
  blobs: Set<string>
  /** when `blobs` last became non-empty; undefined while it is empty */
  since?: number
  /** ms held before `since`, since the last event */
  ms: number
}

/** Progress of the blob phase (see the module comment); `now` gives milliseconds. */
export class Progress {
  /** every source byte read, retries included */
  bytesRead = 0
  private readonly started: number
  private last: number
  private readonly active = new Map<string, { digest: string; size: number; bytes: number }>()
  private readonly weights: Map<string, number>
  private doneBytes = 0
  private blobsDone = 0
  private blobsFailed = 0
  /** per blob in transfer: bytes each target acknowledged */
  private readonly acked = new Map<string, Map<string, number>>()
  private totalBytes: number
  private resumedBytes = 0
  /** blobs found at every target before their transfer (found): not in `blobsTotal` */
  private dropped = 0
  /** per blob in transfer: the targets the others wait on now (held) */
  private readonly heldBy = new Map<string, string[]>()
  /** per target: how long it held the others back since the last event */
  private readonly holding = new Map<string, Holding>()
  /** when the last event was sent (or the blob phase started), ms */
  private lastEvent: number

  /**
   * @param blobs every blob to move, with the bytes it is planned to stream as its size
   * @param intervalMs least milliseconds between two events before the final one
   */
  constructor(
    private readonly blobs: Array<{ digest: string; size: number }>,
    private readonly intervalMs: number,
    private readonly onProgress?: (p: ProgressEvent) => void,
    private readonly now: () => number = Date.now
  ) {
    this.weights = new Map(blobs.map(b => [b.digest, b.size]))
    this.totalBytes = blobs.reduce((n, b) => n + b.size, 0)
    this.started = this.last = this.lastEvent = now()
  }

  /** the blob's transfer begins */
  start(digest: string): void {
    this.active.set(digest, { digest, size: this.weights.get(digest) ?? 0, bytes: 0 })
    if (!this.acked.has(digest)) this.acked.set(digest, new Map())
  }

  /** `target` holds `bytes` of the blob now (its upload's acknowledged offset; 0 after a failure) */
  landed(digest: string, target: string, bytes: number): void {
    this.acked.get(digest)?.set(target, bytes)
  }

  /** bytes of the blob that landed: the most any target acknowledged, at most its weight */
  private landedBytes(digest: string): number {
    const weight = this.weights.get(digest) ?? 0
    return Math.min(weight, Math.max(0, ...(this.acked.get(digest)?.values() ?? [])))
  }

  /**
   * every target's kept session already held `bytes` of the blob (a resumed upload): they are not
   * sent again, so they leave its weight and the total, and are reported as resumed
   */
  resumed(digest: string, bytes: number): void {
    const weight = this.weights.get(digest) ?? 0
    const cut = Math.min(weight, bytes)
    this.weights.set(digest, weight - cut)
    this.totalBytes -= cut
    this.resumedBytes += cut
  }

  /**
   * Before its transfer, the blob was found at targets it was planned for (their HEADs answered
   * late, plan.ts BlobDelivery.check): it now streams `bytes` (its size, or 0 when what is left only
   * mounts), and when nothing is left to deliver (`left` false) it leaves the totals.
   */
  found(digest: string, bytes: number, left: boolean): void {
    const weight = this.weights.get(digest) ?? 0
    this.totalBytes -= weight - Math.min(weight, bytes)
    this.weights.set(digest, Math.min(weight, bytes))
    if (!left) this.dropped++
  }

  /**
   * The other targets of the blob have taken (or landed) every byte read so far and wait on
   * `targets` (their names as the event gives them); [] when none is waited on any more
   * (fanout.ts FanOutOptions.onHeld).
   */
  held(digest: string, targets: string[]): void {
    const before = this.heldBy.get(digest) ?? []
    if (!before.length && !targets.length) return
    const now = this.now()
    for (const target of before.filter(t => !targets.includes(t))) {
      const h = this.holding.get(target)
      if (!h?.blobs.delete(digest) || h.blobs.size || h.since === undefined) continue
      h.ms += now - h.since
      h.since = undefined
    }
    for (const target of targets.filter(t => !before.includes(t))) {
      const h = this.holding.get(target) ?? { blobs: new Set<string>(), ms: 0 }
      this.holding.set(target, h)
      if (!h.blobs.size) h.since = now
      h.blobs.add(digest)
    }
    if (targets.length) this.heldBy.set(digest, targets)
    else this.heldBy.delete(digest)
  }

  /**
   * The targets that held the others back for at least half the ms since the last event, longest
   * first; starts the next period.
   */
  private waitingOn(now: number): string[] {
    const period = now - this.lastEvent
    this.lastEvent = now
    const held: Array<[string, number]> = []
    for (const [target, h] of this.holding) {
      const ms = h.ms + (h.since === undefined ? 0 : now - h.since)
      if (period > 0 && ms * 2 >= period) held.push([target, ms])
      h.ms = 0
      if (h.since !== undefined) h.since = now
      else if (!h.blobs.size) this.holding.delete(target)
    }
    return held.sort((a, b) => b[1] - a[1]).map(([target]) => target)
  }

  /** the blob is read again from its first byte (retry, chunked fallback) */
  restart(digest: string): void {
    this.start(digest)
  }

  /** `n` more bytes of the blob were read from the source */
  add(digest: string, n: number): void {
    this.bytesRead += n
    const a = this.active.get(digest)
    if (a) a.bytes = Math.min(a.size, a.bytes + n)
    const now = this.now()
    if (now - this.last >= this.intervalMs) {
      this.last = now
      this.emit(false)
    }
  }

  /**
   * The blob's transfer is over: done, its bytes counted once (what landed, at most its weight,
   * however often it was read); or failed when `failed` (it failed at one target or more): none of
   * its bytes count, even those another target holds, so the line never says 100% over a failure.
   */
  finish(digest: string, failed = false): void {
    if (!this.active.delete(digest)) return
    this.held(digest, [])
    if (!failed) this.doneBytes += this.landedBytes(digest)
    this.acked.delete(digest)
    if (failed) this.blobsFailed++
    else this.blobsDone++
  }

  /** the blob phase is over: the final event, when there were blobs to move */
  end(): void {
    if (this.blobs.length > this.dropped) this.emit(true)
  }

  private emit(done: boolean): void {
    if (!this.onProgress) return
    const active = [...this.active.values()]
      .map(a => ({ ...a, landed: this.landedBytes(a.digest) }))
      .sort((a, b) => b.size - a.size)
    const bytes = this.doneBytes + active.reduce((n, a) => n + a.landed, 0)
    const now = this.now()
    const seconds = Math.max(0.001, (now - this.started) / 1000)
    const waitingOn = done ? [] : this.waitingOn(now)
    this.onProgress({
      bytes,
      totalBytes: this.totalBytes,
      rateBytesPerSecond: Math.round(bytes / seconds),
      blobsDone: this.blobsDone,
      ...(this.blobsFailed ? { blobsFailed: this.blobsFailed } : {}),
      blobsTotal: this.blobs.length - this.dropped,
      ...(this.resumedBytes ? { resumedBytes: this.resumedBytes } : {}),
      active,
      ...(waitingOn.length ? { waitingOn } : {}),
      done
    })
  }
}
