/**
 * {@link CacheStore} on GitHub's cache service: the only importer of `@actions/cache`. It reaches the
 * service through the runner's ACTIONS_CACHE_URL / ACTIONS_RESULTS_URL and ACTIONS_RUNTIME_TOKEN,
 * which the runner gives to actions (not to `run:` steps).
 */
import { isFeatureAvailable, restoreCache, saveCache } from '@actions/cache'
import type { CacheStore } from './store.js'

/** Thrown when the runner's cache service is not reachable from this process. */
export class CacheUnavailableError extends Error {
  constructor() {
    super(
      'the GitHub Actions cache service is not available here (no ACTIONS_CACHE_URL or ACTIONS_RESULTS_URL)'
    )
    this.name = 'CacheUnavailableError'
  }
}

/**
 * The GitHub Actions cache: `restoreCache(paths, key, restoreKeys)` and `saveCache(paths, key)`.
 * `@actions/cache` logs its own reasons (with `@actions/core`) when it does not save, e.g. when the
 * key was saved by another job; {@link CacheStore.save} then throws naming the key.
 * @throws CacheUnavailableError from restore/save when the service variables are missing.
 */
export function actionsCache(): CacheStore {
  return {
    async restore(paths, key, restoreKeys) {
      if (!isFeatureAvailable()) throw new CacheUnavailableError()
      return await restoreCache(paths, key, restoreKeys)
    },
    async save(paths, key) {
      if (!isFeatureAvailable()) throw new CacheUnavailableError()
      const id = await saveCache(paths, key)
      if (id === -1) throw new Error(`@actions/cache did not save ${key} (its reason is in the log above)`)
    }
  }
}
