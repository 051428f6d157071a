/**
 * Which images of a batch run at once: each image takes one of `perRegistry` slots at every target
 * registry it promotes to, so images bound for a registry that holds requests back (a 429 storm
 * with Retry-After, a tight request budget) wait only for that registry's slots and never stall
 * images bound for another. Slots are taken in a fixed (sorted) registry order, so two images
 * never wait on each other; within a registry, images start in the order given.
 */
import { registryKey } from '../reference/hosts.js'
import { Limiter } from '../copy/limiter.js'

/**
 * Runs `fn` over `items`, at most `perRegistry` at once per registry of `registries(item)`
 * (registryKey folds Docker Hub's aliases; an item with none runs under a slot of its own key '').
 * @returns the results, in the order of `items`
 */
export async function mapPerRegistry<T, R>(
  items: T[],
  perRegistry: number,
  registries: (item: T) => string[],
  fn: (item: T, index: number) => Promise<R>
): Promise<R[]> {
  const limiters = new Map<string, Limiter>()
  const limiter = (key: string): Limiter => {
    let l = limiters.get(key)
    if (!l) limiters.set(key, (l = new Limiter(perRegistry)))
    return l
  }
  return await Promise.all(
    items.map(async (item, i) => {
      const keys = [...new Set(registries(item).map(registryKey))].sort()
      const releases: Array<() => void> = []
      try {
        for (const key of keys.length ? keys : ['']) releases.push(await limiter(key).acquire())
        return await fn(item, i)
      } finally {
        releases.forEach(r => r())
      }
    })
  )
}
