/**
 * Counting semaphores keyed by registry host, so each host sees a bounded number of transfers,
 * weighted by bytes: a transfer of at least {@link SLOT_BYTES} takes a whole slot, a smaller one
 * its share of a slot (never less than 1/{@link SMALL_PER_SLOT}), so small blobs are not held
 * behind the big-transfer limit (as regclient keeps slots for small requests): with 8 slots, 8
 * large blobs move at once, or 64 blobs of 50 KB; and one more slot is kept for transfers under
 * SLOT_BYTES, so a small blob (an image's config) never waits for a large one: 8 large and 8 small
 * at once, or 72 small.
 */

/** Bytes of a transfer that takes a whole slot (1 MiB). */
export const SLOT_BYTES = 1 << 20

/** The most transfers that share one slot (each then weighs 1/8). */
export const SMALL_PER_SLOT = 8

/**
 * The weight of a transfer of `bytes` (bytes), in units of 1/`perSlot` slot: from 1 (at most
 * SLOT_BYTES / perSlot bytes: 128 KiB by default) to `perSlot` (SLOT_BYTES or more).
 * `perSlot` 1: every transfer takes a whole slot.
 */
export function transferUnits(bytes: number, perSlot = SMALL_PER_SLOT): number {
  const units = Math.ceil((Math.max(0, bytes) * perSlot) / SLOT_BYTES)
  return Math.min(perSlot, Math.max(1, units))
}

/**
 * A semaphore of `limit` units, and `reserve` units more that only waiters of fewer than `whole`
 * units may take. A waiter is let in as soon as its units fit (the first in line that fits, so a
 * small one is not held behind a large one that does not); one that asks more than the limit is
 * let in alone.
 */
export class Limiter {
  private active = 0
  private readonly waiting: Array<{ units: number; go: () => void }> = []
  constructor(
    readonly limit: number,
    readonly reserve = 0,
    readonly whole = Infinity
  ) {}

  private fits(units: number): boolean {
    const room = units < this.whole ? this.limit + this.reserve : this.limit
    return this.active === 0 || this.active + units <= room
  }

  /** Waits for `units` (default 1); returns the release (idempotent). */
  async acquire(units = 1): Promise<() => void> {
    if (!this.fits(units) || this.waiting.length)
      await new Promise<void>(go => {
        this.waiting.push({ units, go })
        this.admit()
      })
    else this.active += units
    let released = false
    return () => {
      if (released) return
      released = true
      this.active -= units
      this.admit()
    }
  }

  /** Lets in every waiter that fits now, in order of arrival. */
  private admit(): void {
    for (let i = 0; i < this.waiting.length;) {
      const w = this.waiting[i]
      if (!this.fits(w.units)) {
        i++
        continue
      }
      this.waiting.splice(i, 1)
      this.active += w.units
      w.go()
    }
  }
}

/**
 * One Limiter per registry host of `perHost` slots, each shared by at most `perSlot` small
 * transfers (default SMALL_PER_SLOT; 1: one transfer per slot), and one slot more for transfers
 * under SLOT_BYTES only (with `perSlot` 1, none); `acquireAll` takes units in a fixed (sorted)
 * host order to avoid deadlock.
 */
export class HostLimiter {
  private readonly limiters = new Map<string, Limiter>()
  constructor(
    readonly perHost: number,
    readonly perSlot = SMALL_PER_SLOT
  ) {}

  private get(host: string): Limiter {
    let l = this.limiters.get(host)
    if (!l) {
      l = new Limiter(this.perHost * this.perSlot, this.perSlot > 1 ? this.perSlot : 0, this.perSlot)
      this.limiters.set(host, l)
    }
    return l
  }

  /**
   * Takes the units of a transfer of `bytes` (default: a whole slot) on each distinct host;
   * returns a function that releases them all.
   */
  async acquireAll(hosts: string[], bytes = SLOT_BYTES): Promise<() => void> {
    const units = transferUnits(bytes, this.perSlot)
    const releases: Array<() => void> = []
    for (const h of [...new Set(hosts)].sort()) releases.push(await this.get(h).acquire(units))
    return () => releases.forEach(r => r())
  }
}

/** Runs `fn` over `items` with at most `limit` at once; results in input order. */
export async function mapLimit<T, R>(
  items: T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>
): Promise<R[]> {
  const out = new Array<R>(items.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++
      out[i] = await fn(items[i], i)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return out
}

/**
 * Runs functions one at a time per key, in the order they asked (a read-modify-write of one tag by
 * several promote() runs of a batch: the referrers fallback index).
 */
export class KeyedSerial {
  private readonly tails = new Map<string, Promise<unknown>>()

  /**
   * Runs `fn` once every function given earlier under `key` has settled.
   * @returns what `fn` returns; throws what it throws
   */
  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const before = this.tails.get(key) ?? Promise.resolve()
    const mine = before.then(fn, fn)
    const tail = mine.catch(() => undefined)
    this.tails.set(key, tail)
    try {
      return await mine
    } finally {
      if (this.tails.get(key) === tail) this.tails.delete(key)
    }
  }
}
