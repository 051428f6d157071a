/** The build cache kept across runs: the store interface, its two implementations, and keys. */
export type { CacheStore } from './store.js'
export { actionsCache, CacheUnavailableError } from './actions.js'
export { directoryCache, exists } from './directory.js'
export { cacheKeys, hashDirectory, type CacheKeys } from './keys.js'
