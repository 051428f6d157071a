/**
 * Referrers: what travels with an image (signatures, SBOMs, attestations), found at the source and
 * listed at the target (distribution-spec "Listing Referrers", "Referrers Tag Schema", "Pushing
 * Manifests with Subject"; naming-and-protocol §3.7). Discovery asks the referrers API first and
 * reads the fallback tag `sha256-<hex>` where there is none (it must hold an index: GitLab resolves
 * that tag to the subject itself); cosign's own tags `sha256-<hex>.sig`, `.att`, `.sbom` travel as
 * artifact type `cosign`. At the target, the fallback index is merged, never replacing entries the
 * target already lists. BuildKit's attestation manifests are entries of the image index, not
 * referrers: {@link isAttestationManifest} tells them apart from platforms.
 */
import type { RegistryApi, Repository } from '../registry/api.js'
import { digestOf } from '../oci/digest.js'
import { isIndex, mergeIndexes, type Descriptor, type Manifest, type Platform } from '../oci/manifest.js'
import type { ImageGraph } from './graph.js'
import type { Holdings } from './probe.js'
import { OCI_INDEX } from '../oci/mediatypes.js'

/** What travels with an image: `all`, `none`, or only these artifact types (`cosign`: cosign's tags). */
export type ReferrerSelection = 'all' | 'none' | string[]

/** The artifact type cosign's tag scheme counts as in a {@link ReferrerSelection}. */
export const COSIGN = 'cosign'

/** cosign's tag suffixes: signatures, attestations, SBOMs. */
export const COSIGN_SUFFIXES = ['sig', 'att', 'sbom'] as const

/** Referrers of referrers are walked this deep (1: only the image's own referrers). */
export const MAX_REFERRER_DEPTH = 4

/** How discovery runs for one promotion. */
export interface Discovery {
  /** ask the referrers API first (false: the fallback tag only, the engine's compatibility default) */
  api: boolean
  /** look for cosign's `.sig` / `.att` / `.sbom` tags */
  cosign: boolean
  /** artifact types that travel; undefined: every type */
  types?: Set<string>
}

/**
 * The discovery a selection asks for. `true` and undefined are the engine's compatibility default
 * (the fallback tag only, as before the selection existed); `false` and `none` walk nothing.
 */
export function discoveryOf(selection: boolean | ReferrerSelection | undefined): Discovery | undefined {
  if (selection === false || selection === 'none') return undefined
  if (selection === true || selection === undefined) return { api: false, cosign: false }
  if (selection === 'all') return { api: true, cosign: true }
  const types = new Set(selection.filter(t => t !== COSIGN))
  return { api: true, cosign: selection.includes(COSIGN), types }
}

/** The referrers tag for a digest: `<alg>-<hex>` truncated as the spec's table says. */
export function referrersTag(digest: string): string {
  const [alg, hex] = digest.split(':')
  return `${alg.slice(0, 32)}-${hex.slice(0, 64)}`.replace(/[^a-zA-Z0-9._-]/g, '-')
}

/** cosign's tags next to `digest`: `sha256-<hex>.sig`, `.att`, `.sbom`. */
export function cosignTags(digest: string): string[] {
  return COSIGN_SUFFIXES.map(s => `${referrersTag(digest)}.${s}`)
}

/** A manifest's artifact type (image-spec manifest.md): `artifactType`, else its config's media type. */
export function artifactTypeOf(m: Manifest): string | undefined {
  return m.json.artifactType ?? m.json.config?.mediaType
}

/** True for BuildKit's attestation manifests inside an image index (never a platform). */
export function isAttestationManifest(d: {
  platform?: Platform
  annotations?: Record<string, string>
}): boolean {
  return (
    d.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest' ||
    (d.platform?.os === 'unknown' && d.platform?.architecture === 'unknown')
  )
}

/** The referrers of one subject found at the source. */
export interface SubjectReferrers {
  subject: string
  /** how they were found: the source's referrers API, or its fallback tag */
  via: 'api' | 'fallback-tag'
  /** the descriptors that travel, as listed (artifactType filled in from the manifest) */
  referrers: Descriptor[]
  /** the source's fallback index, when every entry of it travels (then pushed byte for byte) */
  sourceIndex?: Manifest
}

/** A cosign tag that travels: `sha256-<hex>.sig` → the manifest it names at the source. */
export interface SignatureTag {
  tag: string
  subject: string
  digest: string
}

/**
 * The candidate referrers of `digest` at the source: the API's list (with the `artifactType` filter
 * when exactly one type is selected), else the fallback tag's index (anything else there is not a
 * referrers list). Types are checked later, against each manifest (see {@link travels}).
 * @returns undefined when none are listed
 * @throws RegistryError from the client
 */
export async function listAtSource(
  api: RegistryApi,
  repo: Repository,
  digest: string,
  d: Discovery
): Promise<{ via: SubjectReferrers['via']; entries: Descriptor[]; index?: Manifest } | undefined> {
  if (d.types?.size === 0) return undefined
  if (d.api) {
    const only = d.types?.size === 1 ? [...d.types][0] : undefined
    const listed = await api.listReferrers(repo, digest, only)
    if (listed) return listed.manifests.length ? { via: 'api', entries: listed.manifests } : undefined
  }
  const index = await api.getManifest(repo, referrersTag(digest), { allowMissing: true })
  if (!index || !isIndex(index) || !(index.json.manifests ?? []).length) return undefined
  return { via: 'fallback-tag', entries: index.json.manifests ?? [], index }
}

/** True when a referrer of type `type` travels under discovery `d`. */
export function travels(d: Discovery, type: string | undefined): boolean {
  return !d.types || (type !== undefined && d.types.has(type))
}

/**
 * A fallback index listing `entries` (image-spec image-index.md; each entry keeps its media type,
 * digest, size, `artifactType` and annotations, as the spec's referrers list does).
 */
export function fallbackIndex(entries: Descriptor[]): Manifest {
  const manifests = entries.map(e => ({
    mediaType: e.mediaType,
    digest: e.digest,
    size: e.size,
    ...(e.artifactType ? { artifactType: e.artifactType } : {}),
    ...(e.annotations ? { annotations: e.annotations } : {})
  }))
  const json = { schemaVersion: 2, mediaType: OCI_INDEX, manifests }
  const bytes = Buffer.from(JSON.stringify(json))
  return { bytes, mediaType: OCI_INDEX, digest: digestOf(bytes), json }
}

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
  if (!isIndex(existing))
    throw new Error(
      `${target}:${rt.tag} holds a ${existing.mediaType}, not an index: it is not a referrers list, and promote-image will not replace it`
    )
  return { action: mergeIndexes(existing, rt.index) ? 'move' : 'keep', from: existing.digest }
}

/**
 * The target-side rules for one target (§3.7): with the target's referrers API, nothing but the
 * referrers themselves (pushed by digest after their subject); without, each fallback index created,
 * kept when it lists every referrer already, or moved to the merge of the target's entries and ours
 * (never dropping one); each cosign tag created, kept (same digest) or moved — a move replaces the
 * signatures the target holds there, so it is a violation unless the tag policy is `overwrite`.
 * @param present true when the target holds a manifest by digest
 * @throws Error when a fallback tag at the target holds something other than an index
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
  const signatureTags: SignatureTagPlanEntry[] = (graph.signatureTags ?? []).map(s => {
    const current = h.signatureTags?.get(s.tag)
    const action = current === undefined ? 'create' : current === s.digest ? 'keep' : 'move'
    return {
      tag: s.tag,
      action,
      ...(current ? { from: current } : {}),
      digest: s.digest,
      artifactType: COSIGN
    }
  })
  const violations = signatureTags
    .filter(s => s.action === 'move' && !overwrite)
    .map(
      s =>
        `${target}:${s.tag} holds other signatures (${s.from}); promoting would replace them with ${s.digest}`
    )
  const byDigest = new Map(graph.manifests.map(m => [m.digest, m]))
  const signatureWrites = signatureTags
    .filter(s => s.action !== 'keep')
    .map(s => ({ tag: s.tag, manifest: byDigest.get(s.digest) as Manifest }))
  return { referrerTags, referrerWrites, referrers, signatureTags, signatureWrites, violations, apiTarget }
}
