/**
 * `promote-image config REF`: the config blob of the image REF names (crane config, regctl image
 * config), as the bytes the registry stored, checked against the digest its manifest names.
 */
import { attestationsOf } from '../copy/attestations.js'
import { resolveManifest } from '../copy/promote.js'
import { LIMITS } from '../limits.js'
import { childDescriptors, formatPlatform } from '../oci/manifest.js'
import { manifestReference } from '../reference/index.js'
import { DigestMismatchError } from '../registry/errors.js'
import { readSmallBlob } from '../registry/small-blob.js'
import type { Io } from './io.js'
import { readClient, repositoryName, type ReadCommand } from './registry-read.js'

/**
 * Runs config; exit status 0. Writes the config blob's bytes to stdout unchanged.
 * @throws Error (exit status 1) naming REF when it does not exist; when it is an index (the message
 *   names each child image by digest with its platform, to pick one); when its config is bigger
 *   than limits.ts `manifestBytes` (4 MiB, readSmallBlob's bound; an image config is a few KiB) or does not match its digest. UsageError for credential flags.
 * @param signal the run's interruption (SIGINT / SIGTERM): ends the requests in flight and stops a
 *   docker credential helper being asked; run.ts main() then exits 130 / 143
 */
export async function runConfig(cmd: ReadCommand, io: Io, signal?: AbortSignal): Promise<number> {
  const r = cmd.reference
  const repo = { registry: r.registry, repository: r.repository }
  const shown = `${repositoryName(r)}${r.digest ? '@' : ':'}${manifestReference(r)}`
  const client = await readClient(cmd, io, signal)
  try {
    const m = await resolveManifest(client, repo, manifestReference(r))
    const children = childDescriptors(m)
    // BuildKit's attestation manifests by what they attest, never as their platform unknown/unknown
    const attests = new Map(attestationsOf(m, []).map(a => [a.digest, a.attests]))
    const named = (c: (typeof children)[number]): string =>
      attests.get(c.digest) ?? (c.platform ? formatPlatform(c.platform) : '')
    if (children.length || !m.json.config)
      throw new Error(
        children.length
          ? `${shown} is an index, which has no config; name one of its images: ${children
              .map(c => `${repositoryName(r)}@${c.digest}${named(c) ? ` (${named(c)})` : ''}`)
              .join(', ')}`
          : `${shown} (${m.mediaType}) names no config blob`
      )
    const { digest, size } = m.json.config
    if (size > LIMITS.manifestBytes)
      throw new Error(
        `${shown}: its config blob is ${size} bytes, more than the ${LIMITS.manifestBytes} printed`
      )
    const bytes = await readSmallBlob(client, repo, { digest, size }).catch((e: Error) => {
      throw e instanceof DigestMismatchError ? new Error(`${shown}: its config ${e.message}`) : e
    })
    if (io.bytes) io.bytes(bytes)
    else io.out(bytes.toString('utf8'))
    return 0
  } finally {
    await client.close()
  }
}
