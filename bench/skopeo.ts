/**
 * skopeo's blob-info cache: containers/image remembers, in a BoltDB file, where it has seen each
 * blob (registry, repository) and which compressed form it had, and later copies mount from those
 * places instead of streaming. A second "cold" copy into a new repository on the same registry is
 * then not cold. The bench deletes the file before every timed skopeo run (outside the timing), so
 * every skopeo run starts as its first one did. promote-image keeps the same kind of record
 * (src/copy/blob-memory.ts, where each blob was seen): it is deleted before every timed run of ours
 * the same way (forgetOurBlobRecord).
 */
import { rmSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { defaultBlobMemoryFile } from '../src/copy/blob-memory.js'

const FILE = 'blob-info-cache-v1.boltdb'

/**
 * Where containers/image keeps the cache: `/var/lib/containers/cache/` for root, else
 * `$XDG_DATA_HOME/containers/cache/` (default `~/.local/share/containers/cache/`). Both are listed,
 * whoever runs the bench.
 */
export function skopeoCacheFiles(env: NodeJS.ProcessEnv = process.env): string[] {
  const data = env.XDG_DATA_HOME || join(homedir(), '.local', 'share')
  return [join('/var/lib/containers/cache', FILE), join(data, 'containers', 'cache', FILE)]
}

/** Deletes skopeo's blob-info cache (every place it may be); a missing file is fine. */
export function forgetSkopeoCache(): void {
  for (const f of skopeoCacheFiles()) rmSync(f, { force: true })
}

/** Deletes promote-image's record of where it saw each blob (a missing file is fine). */
export function forgetOurBlobRecord(env: NodeJS.ProcessEnv = process.env): void {
  rmSync(defaultBlobMemoryFile(env), { force: true })
}
