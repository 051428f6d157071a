/**
 * `promote-image manifest REF`: the manifest or index REF names, as the bytes the registry served
 * (crane manifest, skopeo inspect --raw, regctl manifest get --format raw): never re-serialised,
 * so they hash to the digest `digest REF` prints.
 */
import { resolveManifest } from '../copy/promote.js'
import { manifestReference } from '../reference/index.js'
import type { Io } from './io.js'
import { readClient, type ReadCommand } from './registry-read.js'

/**
 * Runs manifest; exit status 0. Writes the manifest's bytes to stdout unchanged, nothing added
 * (by tag: checked against the `Docker-Content-Digest` the registry sent; by digest: against it).
 * @throws Error naming REF when it does not exist, is bigger than limits.ts `manifestBytes` or is
 *   not a manifest (exit status 1); UsageError for credential flags
 * @param signal the run's interruption (SIGINT / SIGTERM): ends the requests in flight and stops a
 *   docker credential helper being asked; run.ts main() then exits 130 / 143
 */
export async function runManifest(cmd: ReadCommand, io: Io, signal?: AbortSignal): Promise<number> {
  const r = cmd.reference
  const client = await readClient(cmd, io, signal)
  try {
    const m = await resolveManifest(
      client,
      { registry: r.registry, repository: r.repository },
      manifestReference(r)
    )
    if (io.bytes) io.bytes(m.bytes)
    else io.out(m.bytes.toString('utf8'))
    return 0
  } finally {
    await client.close()
  }
}
