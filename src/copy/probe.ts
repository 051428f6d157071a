/**
 * What every target already holds, from HEAD requests only (distribution-spec "Checking if content
 * exists in the registry"): the root manifest by digest, then — only when the root is missing —
 * each child manifest and each blob, plus every tag and referrers fallback tag the plan may write.
 * Targets are probed in parallel, each with at most `limit` HEADs in flight. No decision is made
 * here: plan.ts reads these answers.
 */
import type { RegistryApi } from '../registry/api.js'
import { isNonDistributable } from '../oci/mediatypes.js'
import type { ImageGraph } from './graph.js'
import { mapLimit } from './limiter.js'
import type { Target } from './targets.js'

/** The HEAD answers of one target. */
export interface Holdings {
  /** the root manifest exists by digest (then so does everything it references, see plan.ts) */
  root: boolean
  /**
   * blob digest → size in bytes, or undefined when missing. Only the blobs that were HEADed: every
   * blob when the root is missing, else only non-distributable ones (a registry accepts a manifest
   * without them).
   */
  blobs: Map<string, number | undefined>
  /** child manifest digest → digest the HEAD answered (undefined: missing); only when the root is missing */
  manifests: Map<string, string | undefined>
  /** tag → digest it points at now (undefined: no such tag) */
  tags: Map<string, string | undefined>
  /** referrers fallback tag → digest it points at now (undefined: none) */
  referrerTags: Map<string, string | undefined>
}

/** HEADs answered per reference: `[reference, digest or undefined]`. */
async function headManifests(
  api: RegistryApi,
  target: Target,
  references: string[],
  limit: number
): Promise<Map<string, string | undefined>> {
  const answers = await mapLimit(
    references,
    limit,
    async r => (await api.headManifest(target.repo, r))?.digest
  )
  return new Map(references.map((r, i) => [r, answers[i]]))
}

/** The holdings of one target (see the module comment). */
export async function probeTarget(
  api: RegistryApi,
  graph: ImageGraph,
  target: Target,
  limit = 16
): Promise<Holdings> {
  const digest = graph.root.digest
  const referrerTags = graph.referrerTags.map(rt => rt.tag)
  const first = await headManifests(api, target, [digest, ...target.tags, ...referrerTags], limit)
  const root = first.get(digest) === digest
  const blobsToHead = graph.blobs.filter(b => !root || isNonDistributable(b.mediaType))
  const children = root ? [] : graph.manifests.filter(m => m.digest !== digest).map(m => m.digest)
  const [sizes, manifests] = await Promise.all([
    mapLimit(blobsToHead, limit, b => api.headBlob(target.repo, b.digest)),
    headManifests(api, target, children, limit)
  ])
  return {
    root,
    blobs: new Map(blobsToHead.map((b, i) => [b.digest, sizes[i]])),
    manifests,
    tags: new Map(target.tags.map(t => [t, first.get(t)])),
    referrerTags: new Map(referrerTags.map(t => [t, first.get(t)]))
  }
}

/** {@link probeTarget} for every target at once; holdings in target order. */
export async function probeTargets(
  api: RegistryApi,
  graph: ImageGraph,
  targets: Target[],
  limit = 16
): Promise<Holdings[]> {
  return await Promise.all(targets.map(t => probeTarget(api, graph, t, limit)))
}
