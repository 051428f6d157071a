/** Counting semaphores keyed by registry host, so each host sees a bounded number of transfers. */

export class Limiter {
  private active = 0
  private readonly waiting: Array<() => void> = []
  constructor(readonly limit: number) {}

  async acquire(): Promise<() => void> {
    if (this.active >= this.limit) await new Promise<void>(r => this.waiting.push(r))
    this.active++
    let released = false
    return () => {
      if (released) return
      released = true
      this.active--
      this.waiting.shift()?.()
    }
  }
}

/** One Limiter per registry host; `acquireAll` takes slots in a fixed (sorted) order to avoid deadlock. */
export class HostLimiter {
  private readonly limiters = new Map<string, Limiter>()
  constructor(readonly perHost: number) {}

  private get(host: string): Limiter {
    let l = this.limiters.get(host)
    if (!l) {
      l = new Limiter(this.perHost)
      this.limiters.set(host, l)
    }
    return l
  }

  /** Takes one slot on each distinct host; returns a function that releases them all. */
  async acquireAll(hosts: string[]): Promise<() => void> {
    const releases: Array<() => void> = []
    for (const h of [...new Set(hosts)].sort()) releases.push(await this.get(h).acquire())
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
