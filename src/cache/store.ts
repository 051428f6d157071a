/**
 * The cache the build keeps across runs, behind one small interface (as actions/cache keeps its
 * state behind one): {@link actionsCache} on GitHub's cache service (the only user of
 * `@actions/cache`), {@link directoryCache} in a local directory (tests: only the action builds).
 * Semantics of `@actions/cache`: entries are keyed by `key` and by the exact list of `paths`; a
 * restore tries `key` exactly, then each restore key as a prefix (newest entry first).
 */

/** A store of directory/file snapshots by key. */
export interface CacheStore {
  /**
   * Restores `paths` (absolute) from the entry saved under `key` with the same `paths`, else from the
   * newest entry whose key starts with the first matching of `restoreKeys`.
   * @returns the key of the entry restored, or undefined on a miss.
   * @throws Error when the store cannot be read (the caller warns and builds without the cache).
   */
  restore(paths: string[], key: string, restoreKeys: string[]): Promise<string | undefined>
  /**
   * Saves `paths` (absolute; all must exist) under `key`.
   * @throws Error when the entry exists already, a path is missing, or the store cannot be written.
   */
  save(paths: string[], key: string): Promise<void>
}
