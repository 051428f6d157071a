/**
 * Referrers at each target (distribution-spec "Listing Referrers", "Referrers Tag Schema",
 * "Pushing Manifests with Subject"; naming-and-protocol §3.7), pure: with the target's referrers
 * API the referrers alone; without, the fallback index `sha256-<hex>` created, kept or merged
 * (never dropping an entry the target lists); cosign's tags created, kept or moved (a move is a
 * violation unless it keeps every signature held there, as cosign's append does, or the tag policy
 * is `overwrite`). Discovery at the source is referrers/discovery.ts.
 */
import { isIndex, mergeIndexes, type Manifest } from '../oci/manifest.js'
import type { ImageGraph } from './graph.js'
import type { Holdings } from './probe.js'
import { notAReferrersList, referrersTag } from '../referrers/discovery.js'
import { COSIGN } from '../referrers/selection.js'

/** One referrer as a target's plan reports it. */
export interface ReferrerPlanEntry {
  /** the manifest it refers to */
  subject: string
  digest: string
  artifactType?: string
  /** how the target lists it: its referrers API, or the fallback tag `sha256-<hex>` */
  listedBy: string
  /** push: the target lacks it; present: already there */
  action: 'push' | 'present'
}

/** A cosign tag as a target's plan reports it. */
export interface SignatureTagPlanEntry {
  tag: string
  action: 'create' | 'move' | 'keep'
  /** the digest the tag points at now (move, keep) */
  from?: string
  /** the digest it will point at */
  digest: string
  /**
   * a move whose manifest holds every layer (descriptor and annotations: the signature itself)
   * the tag's manifest holds now, as cosign's own append writes it: signatures added, none
   * dropped, so no tag policy refuses it (absent: not such a move)
   */
  appends?: true
  artifactType: typeof COSIGN
}

/** What one target gets of the referrers: report entries, writes and violations (plan.ts). */
export interface TargetReferrers {
  referrerTags: Array<{ tag: string; action: 'create' | 'move' | 'keep'; from?: string }>
  referrerWrites: Array<{ tag: string; index: Manifest; merge: boolean }>
  referrers: ReferrerPlanEntry[]
  signatureTags: SignatureTagPlanEntry[]
  signatureWrites: Array<{ tag: string; manifest: Manifest }>
  violations: string[]
  /** the target keeps the lists itself (its referrers API answered): no fallback index is written */
  apiTarget: boolean
}

/** The fallback tag of one subject at a target without an API: create, keep (lists them all) or move (merge). */
function fallbackEntry(
  target: string,
  rt: { tag: string; index: Manifest },
  h: Holdings
): { action: 'create' | 'move' | 'keep'; from?: string } {
  if (!h.fallbackIndexes) {
    const current = h.referrerTags.get(rt.tag)
    if (current === undefined) return { action: 'create' }
    return { action: current === rt.index.digest ? 'keep' : 'move', from: current }
  }
  const existing = h.fallbackIndexes.get(rt.tag)
  if (!existing) return { action: 'create' }
  if (!isIndex(existing)) throw new Error(notAReferrersList(`${target}:${rt.tag}`, existing.mediaType))
  return { action: mergeIndexes(existing, rt.index) ? 'move' : 'keep', from: existing.digest }
}

/** A descriptor as compared: its fields with object keys sorted (annotations in any order). */
function descriptorKey(d: unknown): string {
  const sorted = (v: unknown): unknown =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map(k => [k, sorted((v as Record<string, unknown>)[k])])
        )
      : Array.isArray(v)
        ? v.map(sorted)
        : v
  return JSON.stringify(sorted(d))
}

/**
 * True when `next` keeps every layer `held` has, each descriptor whole (digest, size, media type,
 * annotations: a cosign signature is a layer's annotation), as cosign's append writes a `.sig` or
 * `.att` manifest when a signature is added: the move drops nothing. False when `held` is not an
 * image manifest with layers or one of its layers is missing from `next`. Pure.
 */
export function keepsEveryLayer(held: Manifest | undefined, next: Manifest | undefined): boolean {
  const before = held?.json.layers
  const after = next?.json.layers
  if (!before?.length || !after) return false
  const have = new Set(after.map(descriptorKey))
  return before.every(l => have.has(descriptorKey(l)))
}

/**
 * The target-side rules for one target (§3.7): with the target's referrers API, nothing but the
 * referrers themselves (pushed by digest after their subject); without, each fallback index created,
 * kept when it lists every referrer already, or moved to the merge of the target's entries and ours
 * (never dropping one); each cosign tag created, kept (same digest) or moved. A move that keeps
 * every layer held there ({@link keepsEveryLayer}: signatures added at the source, as `cosign
 * sign` appends them) is allowed under any tag policy; any other move replaces the signatures the
 * target holds there, so it is a violation unless the tag policy is `overwrite`.
 * @param present true when the target holds a manifest by digest
 * @throws Error when a fallback tag at the target holds something other than an index
 *   (referrers/discovery.ts notAReferrersList)
 */
export function planTargetReferrers(
  graph: ImageGraph,
  target: string,
  h: Holdings,
  overwrite: boolean,
  present: (digest: string) => boolean
): TargetReferrers {
  const apiTarget = h.referrersListed !== undefined
  const referrerTags: TargetReferrers['referrerTags'] = []
  const referrerWrites: TargetReferrers['referrerWrites'] = []
  if (!apiTarget)
    for (const rt of graph.referrerTags) {
      const e = fallbackEntry(target, rt, h)
      referrerTags.push({ tag: rt.tag, ...e })
      if (e.action !== 'keep')
        referrerWrites.push({ tag: rt.tag, index: rt.index, merge: e.action === 'move' })
    }
  const referrers = (graph.subjects ?? []).flatMap(s =>
    s.referrers.map(r => ({
      subject: s.subject,
      digest: r.digest,
      ...(r.artifactType ? { artifactType: r.artifactType } : {}),
      listedBy: apiTarget ? 'referrers API' : referrersTag(s.subject),
      action: present(r.digest) ? ('present' as const) : ('push' as const)
    }))
  )
  const byDigest = new Map(graph.manifests.map(m => [m.digest, m]))
  const signatureTags: SignatureTagPlanEntry[] = (graph.signatureTags ?? []).map(s => {
    const current = h.signatureTags?.get(s.tag)
    const action = current === undefined ? 'create' : current === s.digest ? 'keep' : 'move'
    const appends =
      action === 'move' && keepsEveryLayer(h.signatureManifests?.get(s.tag), byDigest.get(s.digest))
    return {
      tag: s.tag,
      action,
      ...(current ? { from: current } : {}),
      digest: s.digest,
      ...(appends ? { appends: true as const } : {}),
      artifactType: COSIGN
    }
  })
  const violations = signatureTags
    .filter(s => s.action === 'move' && !s.appends && !overwrite)
    .map(
      s =>
        `${target}:${s.tag} holds other signatures (${s.from}); promoting would replace them with ${s.digest}`
    )
  const signatureWrites = signatureTags
    .filter(s => s.action !== 'keep')
    .map(s => ({ tag: s.tag, manifest: byDigest.get(s.digest) as Manifest }))
  return { referrerTags, referrerWrites, referrers, signatureTags, signatureWrites, violations, apiTarget }
}
