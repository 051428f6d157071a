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

/**
 * The holdings of one target (see the module comment): the root by digest first (a refused
 * credential fails there, before anything else is asked), then every other HEAD at once, at most
 * `limit` in flight.
 */
export async function probeTarget(
  api: RegistryApi,
  graph: ImageGraph,
  target: Target,
  limit = 16
): Promise<Holdings> {
  const { repo, tags } = target
  const digest = graph.root.digest
  const root = (await api.headManifest(repo, digest))?.digest === digest
  const blobs = graph.blobs.filter(b => !root || isNonDistributable(b.mediaType)).map(b => b.digest)
  const children = root ? [] : graph.manifests.filter(m => m.digest !== digest).map(m => m.digest)
  const referrerTags = graph.referrerTags.map(rt => rt.tag)
  const references = [...children, ...tags, ...referrerTags]
  const heads = [...blobs.map(ref => ({ blob: true, ref })), ...references.map(ref => ({ blob: false, ref }))]
  const answers = await mapLimit(heads, limit, async h =>
    h.blob ? await api.headBlob(repo, h.ref) : (await api.headManifest(repo, h.ref))?.digest
  )
  const answer = new Map(heads.map((h, i) => [`${h.blob}:${h.ref}`, answers[i]]))
  const manifestAnswers = (refs: string[]): Map<string, string | undefined> =>
    new Map(refs.map(r => [r, answer.get(`false:${r}`) as string | undefined]))
  return {
    root,
    blobs: new Map(blobs.map(b => [b, answer.get(`true:${b}`) as number | undefined])),
    manifests: manifestAnswers(children),
    tags: manifestAnswers(tags),
    referrerTags: manifestAnswers(referrerTags)
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
