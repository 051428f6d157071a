/**
 * Cache keys from what a build depends on: a digest of the context's files (read here), and keys
 * shaped `PREFIX-<scope 16 hex>-<context 16 hex>` with the restore keys `PREFIX-<scope>-` and
 * `PREFIX-`, so a changed context restores the newest cache of the same Dockerfile and inputs and,
 * failing that, the newest of any.
 */
import { createHash } from 'node:crypto'
import { lstat, readdir, readFile, readlink } from 'node:fs/promises'
import { join, relative } from 'node:path'

/** A cache key and its restore keys, most specific first. */
export interface CacheKeys {
  key: string
  restoreKeys: string[]
}

/** Directories never part of a build context's identity. */
const SKIPPED = new Set(['.git'])

/**
 * sha256 (64 hex) of every file under `dir`: per entry, in code-point order of the relative path,
 * its path, its kind and executable bit, and the sha256 of its content (a symlink: its target).
 * `.git` is skipped; `.dockerignore` is not applied (an ignored file that changes only costs a
 * cache miss, and the restore keys still find the previous cache).
 * @throws Error from the file system when `dir` cannot be read.
 */
export async function hashDirectory(dir: string): Promise<string> {
  const files: string[] = []
  await walk(dir, files)
  const hash = createHash('sha256')
  for (const file of files.map(f => relative(dir, f)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    const full = join(dir, file)
    const info = await lstat(full)
    let kind: string
    let content: string
    if (info.isSymbolicLink()) {
      kind = 'l'
      content = await readlink(full)
    } else {
      kind = info.mode & 0o111 ? 'x' : 'f'
      content = createHash('sha256')
        .update(await readFile(full))
        .digest('hex')
    }
    hash.update(`${JSON.stringify(file)} ${kind} ${content}\n`)
  }
  return hash.digest('hex')
}

async function walk(dir: string, into: string[]): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name)
    if (entry.isDirectory()) {
      if (!SKIPPED.has(entry.name)) await walk(full, into)
    } else into.push(full)
  }
}

/**
 * Keys for one cache: `prefix` (e.g. `promote-image-classic`), a `scope` object (what the cache is
 * for: Dockerfile digest, build inputs; hashed as JSON) and the context digest.
 * @returns `{key: PREFIX-S-C, restoreKeys: [PREFIX-S-, PREFIX-]}` with S and C 16 hex each.
 */
export function cacheKeys(prefix: string, scope: unknown, contextDigest: string): CacheKeys {
  const s = createHash('sha256').update(JSON.stringify(scope)).digest('hex').slice(0, 16)
  return {
    key: `${prefix}-${s}-${contextDigest.slice(0, 16)}`,
    restoreKeys: [`${prefix}-${s}-`, `${prefix}-`]
  }
}
