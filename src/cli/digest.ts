/**
 * `promote-image digest REF`: the digest of the manifest REF names (crane digest, regctl image
 * digest), from a HEAD of the manifest (distribution-spec end-3, `Docker-Content-Digest`).
 */
import { resolve } from '../copy/promote.js'
import { manifestReference } from '../reference/index.js'
import { jsonText } from '../report/neutralise.js'
import type { Io } from './io.js'
import { readClient, type ReadCommand } from './registry-read.js'

/**
 * Runs digest; exit status 0. Prints `sha256:<hex>` and a line break (with `--json`,
 * `{"reference", "digest", "mediaType", "size"}`, size in bytes). REF by digest: that digest,
 * once the registry confirms it holds it.
 * @throws Error naming REF when it does not exist (exit status 1); UsageError for credential flags
 * @param signal the run's interruption (SIGINT / SIGTERM): ends the requests in flight and stops a
 *   docker credential helper being asked; run.ts main() then exits 130 / 143
 */
export async function runDigest(cmd: ReadCommand, io: Io, signal?: AbortSignal): Promise<number> {
  const r = cmd.reference
  const client = await readClient(cmd, io, signal)
  try {
    const d = await resolve(client, { registry: r.registry, repository: r.repository }, manifestReference(r))
    const reference = `${r.registry}/${r.repository}${r.digest ? '@' : ':'}${manifestReference(r)}`
    io.out(
      cmd.json
        ? jsonText({ reference, digest: d.digest, mediaType: d.mediaType, size: d.size }, 2) + '\n'
        : `${d.digest}\n`
    )
    return 0
  } finally {
    await client.close()
  }
}
