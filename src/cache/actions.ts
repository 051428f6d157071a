/**
 * {@link CacheStore} on GitHub's cache service: the only importer of `@actions/cache`. It reaches the
 * service through the runner's ACTIONS_CACHE_URL / ACTIONS_RESULTS_URL and ACTIONS_RUNTIME_TOKEN,
 * which the runner gives to actions (not to `run:` steps).
 *
 * `@actions/cache` (with Azure storage, protobuf and a second undici: 1.5 MB of bundle) is imported on
 * the first restore or save, so a run without `cache: actions` never loads it (esbuild puts it in a
 * chunk of its own).
 */
import type { CacheStore } from './store.js'

let toolkit: Promise<typeof import('@actions/cache')> | undefined

/** `@actions/cache`, imported once, when first needed. */
function actionsToolkit(): Promise<typeof import('@actions/cache')> {
  return (toolkit ??= import('@actions/cache'))
}

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
      const { isFeatureAvailable, restoreCache } = await actionsToolkit()
      if (!isFeatureAvailable()) throw new CacheUnavailableError()
      return await restoreCache(paths, key, restoreKeys)
    },
    async save(paths, key) {
      const { isFeatureAvailable, saveCache } = await actionsToolkit()
      if (!isFeatureAvailable()) throw new CacheUnavailableError()
      const id = await saveCache(paths, key)
      if (id === -1) throw new Error(`@actions/cache did not save ${key} (its reason is in the log above)`)
    }
  }
}
