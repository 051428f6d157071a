/**
 * {@link CacheStore} in a local directory, with `@actions/cache`'s semantics (key + exact paths; restore
 * keys as prefixes, newest first; an existing key is not overwritten). For tests: only the action
 * builds, with `actionsCache` (actions.ts).
 * Layout: `ROOT/<sha256(key, paths) 16 hex>/entry.json` (`{key, paths, seq}`) and `files/<i>` copies.
 */
import { createHash } from 'node:crypto'
import { access, cp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createDirectorySync } from '../copy/state-files.js'
import type { CacheStore } from './store.js'

interface Entry {
  key: string
  paths: string[]
  /** Save order: higher is newer (no wall clock). */
  seq: number
}

const ENTRY = 'entry.json'

/** A {@link CacheStore} keeping its entries under `root` (created when needed). */
export function directoryCache(root: string): CacheStore {
  const dirOf = (key: string, paths: string[]) =>
    join(
      root,
      createHash('sha256')
        .update(JSON.stringify([key, paths]))
        .digest('hex')
        .slice(0, 16)
    )
  return {
    async restore(paths, key, restoreKeys) {
      const entries = (await readEntries(root)).filter(e => sameList(e.entry.paths, paths))
      let found = entries.find(e => e.entry.key === key)
      for (const prefix of restoreKeys) {
        if (found) break
        const matching = entries.filter(e => e.entry.key.startsWith(prefix))
        found = matching.sort((a, b) => b.entry.seq - a.entry.seq)[0]
      }
      if (!found) return undefined
      for (const [i, path] of paths.entries()) {
        await rm(path, { recursive: true, force: true })
        await cp(join(found.dir, 'files', String(i)), path, { recursive: true })
      }
      return found.entry.key
    },
    async save(paths, key) {
      const dir = dirOf(key, paths)
      if (await exists(join(dir, ENTRY))) throw new Error(`cache entry ${key} exists already`)
      for (const path of paths)
        if (!(await exists(path))) throw new Error(`cannot save ${key}: ${path} does not exist`)
      const seq = Math.max(0, ...(await readEntries(root)).map(e => e.entry.seq)) + 1
      const partial = `${dir}.partial`
      await rm(partial, { recursive: true, force: true })
      createDirectorySync(join(partial, 'files'))
      for (const [i, path] of paths.entries())
        await cp(path, join(partial, 'files', String(i)), { recursive: true })
      await writeFile(join(partial, ENTRY), JSON.stringify({ key, paths, seq } satisfies Entry))
      await rename(partial, dir)
    }
  }
}

async function readEntries(root: string): Promise<{ dir: string; entry: Entry }[]> {
  let names: string[]
  try {
    names = await readdir(root)
  } catch {
    return []
  }
  const out: { dir: string; entry: Entry }[] = []
  for (const name of names) {
    if (name.endsWith('.partial')) continue
    try {
      out.push({
        dir: join(root, name),
        entry: JSON.parse(await readFile(join(root, name, ENTRY), 'utf8')) as Entry
      })
    } catch {
      // not an entry
    }
  }
  return out
}

/** Whether `path` exists (any kind of file). */
export async function exists(path: string): Promise<boolean> {
  try {
    await access(path)
    return true
  } catch {
    return false
  }
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i])
}
