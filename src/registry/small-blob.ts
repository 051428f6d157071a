/**
 * A small blob read whole and checked (distribution-spec end-2, image-spec descriptor.md): the one
 * way a blob wanted in memory is read — a signature's payload, an attestation, a bundle, an image
 * config, and a small layer copied whole (copy/fanout.ts). One GET into one Buffer (RegistryApi
 * readBlobBytes, which reads at most `size` + 1 bytes, so an overlong or endless body is cut
 * there), then its size and digest checked.
 */
import { bytesText, LIMITS } from '../limits.js'
import { digestAlgorithm, digestOf } from '../oci/digest.js'
import type { Descriptor } from '../oci/manifest.js'
import type { RegistryApi, Repository } from './api.js'
import { DigestMismatchError } from './errors.js'

/**
 * Checks a blob's bytes, read whole from `repo`, against its descriptor `d` (size in bytes and
 * digest).
 * @throws DigestMismatchError `blob R/N@D: expected digest D but the bytes hash to X (N bytes)`, or
 *   with `(the body ended after N of M bytes)` for X (the client's readers never deliver more than
 *   the size: registry/client.ts cuts a longer body there, the one rule)
 */
export function checkBlobBytes(
  repo: Repository,
  d: Pick<Descriptor, 'digest' | 'size'>,
  bytes: Buffer
): void {
  const what = `blob ${repo.registry}/${repo.repository}@${d.digest}`
  if (bytes.length < d.size) {
    const actual = `(the body ended after ${bytes.length} of ${d.size} bytes)`
    throw new DigestMismatchError(what, d.digest, actual, bytes.length)
  }
  const actual = digestOf(bytes, digestAlgorithm(d.digest))
  if (actual !== d.digest) throw new DigestMismatchError(what, d.digest, actual, bytes.length)
}

/**
 * Reads the blob `d` of `repo` whole and checks it ({@link checkBlobBytes}); a blob declaring more
 * than limits.ts `manifestBytes` (4 MiB) is refused before any GET.
 * @returns its bytes: `d.size` of them, hashing to `d.digest`
 * @throws Error `blob R/N@D declares N bytes, larger than the manifestBytes limit of 4 MiB`;
 *   DigestMismatchError; the read's RegistryError, DownloadBrokenError or deadline Error
 */
export async function readSmallBlob(
  api: RegistryApi,
  repo: Repository,
  d: Pick<Descriptor, 'digest' | 'size'>
): Promise<Buffer> {
  if (d.size > LIMITS.manifestBytes)
    throw new Error(
      `blob ${repo.registry}/${repo.repository}@${d.digest} declares ${d.size} bytes, larger than the manifestBytes limit of ${bytesText(LIMITS.manifestBytes)}`
    )
  const bytes = await api.readBlobBytes(repo, d.digest, d.size)
  checkBlobBytes(repo, d, bytes)
  return bytes
}
