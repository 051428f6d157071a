/**
 * Referrers at the source: how what travels with an image (signatures, SBOMs, attestations) is
 * found (distribution-spec "Listing Referrers", "Referrers Tag Schema"; naming-and-protocol §3.7).
 * Discovery asks the referrers API first and reads the fallback tag `sha256-<hex>` where there is
 * none (it must hold an index: GitLab resolves that tag to the subject itself); cosign's own tags
 * `sha256-<hex>.sig`, `.att`, `.sbom` travel as artifact type `cosign`. Below both the copy engine
 * (copy/graph.ts walks with it, copy/referrer-plan.ts plans each target) and the proofs (proof/
 * reads the source's evidence with it); what travels is selection.ts. BuildKit's attestation
 * manifests are entries of the image index, not referrers: {@link isAttestationManifest} tells them
 * apart from platforms.
 */
import type { RegistryApi, Repository } from '../registry/api.js'
import { digestOf } from '../oci/digest.js'
import { isIndex, type Descriptor, type Manifest, type Platform } from '../oci/manifest.js'
import { OCI_INDEX } from '../oci/mediatypes.js'
import { LIMITS, LimitError } from '../limits.js'
import type { Discovery } from './selection.js'
import type { SourceTags } from './source-tags.js'

/** cosign's tag suffixes: signatures, attestations, SBOMs. */
export const COSIGN_SUFFIXES = ['sig', 'att', 'sbom'] as const

/** Referrers of referrers are walked this deep (1: only the image's own referrers). */
export const MAX_REFERRER_DEPTH = 4

/** The referrers tag for a digest: `<alg>-<hex>` truncated as the spec's table says. */
export function referrersTag(digest: string): string {
  const [alg, hex] = digest.split(':')
  return `${alg.slice(0, 32)}-${hex.slice(0, 64)}`.replace(/[^a-zA-Z0-9._-]/g, '-')
}

/**
 * The refusal of a referrers fallback tag (distribution-spec "Referrers Tag Schema") that holds
 * something other than an index: it lists no referrers, and a write there would replace it.
 * @param where the tag as `REGISTRY/REPOSITORY:TAG`
 * @param mediaType the media type of what the tag holds
 * @returns the message, `WHERE holds a MEDIATYPE, not an index: it is not a referrers list, and promote-image will not replace it`
 */
export function notAReferrersList(where: string, mediaType: string): string {
  return `${where} holds a ${mediaType}, not an index: it is not a referrers list, and promote-image will not replace it`
}

/** cosign's tags next to `digest`: `sha256-<hex>.sig`, `.att`, `.sbom`. */
export function cosignTags(digest: string): string[] {
  return COSIGN_SUFFIXES.map(s => `${referrersTag(digest)}.${s}`)
}

/** A manifest's artifact type (image-spec manifest.md): `artifactType`, else its config's media type. */
export function artifactTypeOf(m: Manifest): string | undefined {
  return m.json.artifactType ?? m.json.config?.mediaType
}

/**
 * True for BuildKit's attestation manifests inside an image index (by annotation or platform
 * unknown/unknown): what to list or read as one. Not which entries a runtime can pull: an entry of
 * a real platform is an image whatever it is annotated (oci/manifest.ts runtimeSelectable).
 */
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
 * referrers list), asked for only when the repository's tag listing (`tags`) holds that tag or
 * cannot tell. Types are checked later, against each manifest (selection.ts `travels`).
 * @returns undefined when none are listed
 * @throws RegistryError from the client
 */
export async function listAtSource(
  api: RegistryApi,
  repo: Repository,
  digest: string,
  d: Discovery,
  tags?: SourceTags
): Promise<{ via: SubjectReferrers['via']; entries: Descriptor[]; index?: Manifest } | undefined> {
  if (d.types?.size === 0) return undefined
  if (d.api) {
    const only = d.types?.size === 1 ? [...d.types][0] : undefined
    const listed = await api.listReferrers(repo, digest, only)
    if (listed) return listed.manifests.length ? { via: 'api', entries: listed.manifests } : undefined
  }
  if ((await tags?.has(repo, referrersTag(digest))) === false) return undefined
  const index = await api.getManifest(repo, referrersTag(digest), { allowMissing: true })
  if (!index || !isIndex(index) || !(index.json.manifests ?? []).length) return undefined
  const entries = distinct(index.json.manifests ?? [])
  if (entries.length > LIMITS.referrersPerSubject)
    throw new LimitError(
      `${repo.registry}/${repo.repository}:${referrersTag(digest)} lists more than ${LIMITS.referrersPerSubject} referrers (the referrersPerSubject limit)`,
      'referrersPerSubject',
      LIMITS.referrersPerSubject
    )
  return { via: 'fallback-tag', entries, index }
}

/** The descriptors of `list` with each digest once (the first entry kept). */
function distinct(list: Descriptor[]): Descriptor[] {
  const seen = new Set<string>()
  return list.filter(d => !seen.has(d.digest) && seen.add(d.digest))
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
