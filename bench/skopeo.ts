/**
 * skopeo's blob-info cache: containers/image remembers, in a BoltDB file, where it has seen each
 * blob (registry, repository) and which compressed form it had, and later copies mount from those
 * places instead of streaming. A second "cold" copy into a new repository on the same registry is
 * then not cold. The bench deletes the file before every timed skopeo run (outside the timing), so
 * every skopeo run starts as its first one did.
 */
import { rmSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'

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
