/**
 * The merge's decisions, made once from what the sources were found to be (sources.ts), without
 * I/O: which children the index lists and in what order, its media type and bytes, and every
 * problem that stops the merge before anything is written.
 *
 * Rules (issue 21; as `docker buildx imagetools create`, with deterministic bytes):
 * - each child is listed as the registry serves it (digest, size, media type: byte for byte), with
 *   the platform its config names (image-spec config.md), never the one a source index claimed;
 * - BuildKit's attestation manifests (platform `unknown/unknown`, which no runtime selects:
 *   oci/manifest.ts runtimeSelectable; an entry of a real platform is an image whatever its
 *   `vnd.docker.reference.type` says) are kept, each after the images and pointing at its image (`vnd.docker.reference.digest`), which keeps
 *   its digest, so the pointer stays right; one whose image is not merged is dropped;
 * - order: images by platform (os, architecture, variant, os.version, then digest), then the
 *   attestations in the order of their images, so the same children give the same bytes whatever
 *   order the sources came in (writeIndex: compact JSON, fixed key order);
 * - media type: a Docker manifest list when every child is a Docker schema-2 manifest; otherwise
 *   (OCI children, mixed children, or any attestation) an OCI index (platforms.ts indexMediaTypeFor);
 * - refused: two children of one platform, a required platform no child has, no child at all.
 */
import {
  ATTESTATION_SUBJECT,
  formatPlatform,
  type Descriptor,
  type Manifest,
  type Platform
} from '../oci/manifest.js'
import { platformKey, platformMatches, writeIndex } from '../copy/platforms.js'
import type { Repository } from '../registry/api.js'

/** One image found for the merge: where it was found and what it is. */
export interface MergeChild {
  /** the source as the user named it (`127.0.0.1:5000/app:sha-…-linux-amd64`), for messages */
  source: string
  /** the repository that holds it */
  repo: Repository
  /** its descriptor as the registry serves it (media type, digest, size in bytes) */
  descriptor: Descriptor
  /** the platform its config names */
  platform: Platform
  /** attestation manifests that point at it (their index entries, as the source index listed them) */
  attestations: Descriptor[]
}

/** What the merge will write. */
export interface MergePlan {
  /** the index to write, deterministic bytes */
  index: Manifest
  /** the images, in index order (each once) */
  children: MergeChild[]
  /** every entry of the index with the repository that holds it (images and attestations) */
  entries: Array<{ descriptor: Descriptor; repo: Repository; source: string }>
  /** platforms listed, `linux/amd64` … in index order */
  platforms: string[]
}

/** The merge was refused before any write; `problems` lists each reason, one per line of the message. */
export class MergeError extends Error {
  constructor(readonly problems: string[]) {
    super(
      problems.length === 1 ? `merge refused: ${problems[0]}` : `merge refused:\n  ${problems.join('\n  ')}`
    )
    this.name = 'MergeError'
  }
}

const byPlatform = (a: MergeChild, b: MergeChild): number => {
  const ka = `${platformKey(a.platform)} ${a.descriptor.digest}`
  const kb = `${platformKey(b.platform)} ${b.descriptor.digest}`
  return ka < kb ? -1 : ka > kb ? 1 : 0
}

/** The index entry of an image: its descriptor with the platform of its config (annotations dropped). */
function imageEntry(c: MergeChild): Descriptor {
  const { mediaType, digest, size } = c.descriptor
  return { mediaType, digest, size, platform: c.platform }
}

/**
 * Plans the merge of `found` (children named twice, by digest, count once).
 * @param require platforms that must be merged (`merge-platforms`); each must match a child
 * @param requireInput the input or flag that gave `require`, for messages
 * @param duplicateAdvice what to do about two images of one platform, appended to that problem
 * @throws MergeError listing every problem: `SOURCE-A and SOURCE-B are both linux/amd64 (sha256:…,
 *   sha256:…): one image per platform`, `merge-platforms linux/s390x: no source is that platform
 *   (they are linux/amd64, linux/arm64)`, `no source to merge`
 */
export function planMerge(
  found: MergeChild[],
  require: Platform[] = [],
  requireInput = 'merge-platforms',
  duplicateAdvice?: string
): MergePlan {
  const problems: string[] = []
  const unique = new Map<string, MergeChild>()
  for (const c of found) {
    const had = unique.get(c.descriptor.digest)
    if (had)
      had.attestations.push(...c.attestations.filter(a => !had.attestations.some(x => x.digest === a.digest)))
    else unique.set(c.descriptor.digest, { ...c, attestations: [...c.attestations] })
  }
  const children = [...unique.values()].sort(byPlatform)
  if (children.length === 0) problems.push('no source to merge')
  const byKey = new Map<string, MergeChild[]>()
  for (const c of children)
    byKey.set(platformKey(c.platform), [...(byKey.get(platformKey(c.platform)) ?? []), c])
  for (const same of byKey.values())
    if (same.length > 1)
      problems.push(
        `${same.map(c => c.source).join(' and ')} are ${same.length === 2 ? 'both' : 'all'} ${formatPlatform(same[0]!.platform)} (${same.map(c => c.descriptor.digest).join(', ')}): one image per platform${duplicateAdvice ? `; ${duplicateAdvice}` : ''}`
      )
  const listed = children.map(c => formatPlatform(c.platform))
  for (const p of require)
    if (!children.some(c => platformMatches(p, c.platform)))
      problems.push(
        `${requireInput} ${formatPlatform(p)}: no source is that platform (they are ${listed.join(', ') || 'none'})`
      )
  if (problems.length) throw new MergeError(problems)
  const entries: MergePlan['entries'] = children.map(c => ({
    descriptor: imageEntry(c),
    repo: c.repo,
    source: c.source
  }))
  for (const c of children)
    for (const a of c.attestations)
      if (
        a.annotations?.[ATTESTATION_SUBJECT] === c.descriptor.digest &&
        !entries.some(e => e.descriptor.digest === a.digest)
      )
        entries.push({ descriptor: a, repo: c.repo, source: c.source })
  const index = writeIndex(entries.map(e => e.descriptor))
  return { index, children, entries, platforms: listed }
}
