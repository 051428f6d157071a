/**
 * Progress of the blob phase: per-blob bytes read, totals, and the rate, reported at most once per
 * interval (checked when bytes arrive, so never per chunk), plus a final event.
 */

/** One progress report of the blob phase; bytes are source bytes read, per blob and in total. */
export interface ProgressEvent {
  /** bytes of the blobs to stream read so far (finished blobs count their full size) */
  bytes: number
  /** bytes of every blob that has to be streamed to at least one target (mounts weigh nothing) */
  totalBytes: number
  /** `bytes` over the seconds since the blob phase started */
  rateBytesPerSecond: number
  blobsDone: number
  blobsTotal: number
  /** blobs in transfer now, largest first: bytes read of each (size 0: mounted) */
  active: Array<{ digest: string; size: number; bytes: number }>
  /** true for the last event, once every blob is done */
  done: boolean
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
  private readonly totalBytes: number

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
    this.started = this.last = now()
  }

  /** the blob's transfer begins */
  start(digest: string): void {
    this.active.set(digest, { digest, size: this.weights.get(digest) ?? 0, bytes: 0 })
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

  /** the blob's transfer is over (whatever each target's outcome) */
  finish(digest: string): void {
    if (!this.active.delete(digest)) return
    this.doneBytes += this.weights.get(digest) ?? 0
    this.blobsDone++
  }

  /** the blob phase is over: the final event, when there were blobs to move */
  end(): void {
    if (this.blobs.length) this.emit(true)
  }

  private emit(done: boolean): void {
    if (!this.onProgress) return
    const active = [...this.active.values()].map(a => ({ ...a })).sort((a, b) => b.size - a.size)
    const bytes = this.doneBytes + active.reduce((n, a) => n + a.bytes, 0)
    const seconds = Math.max(0.001, (this.now() - this.started) / 1000)
    this.onProgress({
      bytes,
      totalBytes: this.totalBytes,
      rateBytesPerSecond: Math.round(bytes / seconds),
      blobsDone: this.blobsDone,
      blobsTotal: this.blobs.length,
      active,
      done
    })
  }
}
