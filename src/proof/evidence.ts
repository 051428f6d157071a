/**
 * What a repository holds that signs or attests a digest, fetched through RegistryApi (no
 * cryptography here): cosign's `sha256-<hex>.sig` payloads and signatures and `.att` DSSE envelopes
 * (cosign SIGNATURE_SPEC.md / ATTESTATION_SPEC.md), Sigstore bundles and cosign signatures among the
 * digest's referrers (the referrers API, else the fallback tag; cosign BUNDLE_SPEC.md, cosign's OCI 1.1
 * referrers mode), and BuildKit's in-toto
 * statements in the attestation manifests of an index (`vnd.docker.reference.type:
 * attestation-manifest`, buildkit docs/attestations/attestation-storage.md).
 */
import type { RegistryApi, Repository } from '../registry/api.js'
import { ATTESTATION_SUBJECT, childDescriptors, isIndex, type Manifest } from '../oci/manifest.js'
import { readSmallBlob } from '../registry/small-blob.js'
import { cosignTags, isAttestationManifest, listAtSource } from '../referrers/discovery.js'
import { DSSE_ENVELOPE, SIGNATURE_ANNOTATION, SIMPLE_SIGNING } from './cosign.js'

/** The artifact type (and layer media type) of a Sigstore bundle, any version (v0.1 … v0.3). */
export const SIGSTORE_BUNDLE_PREFIX = 'application/vnd.dev.sigstore.bundle'
/** cosign's layer annotation holding the PEM signing certificate of a keyless signature. */
export const CERTIFICATE_ANNOTATION = 'dev.sigstore.cosign/certificate'
/** cosign's layer annotation holding the Rekor entry (SET and body) of a signature. */
export const REKOR_BUNDLE_ANNOTATION = 'dev.sigstore.cosign/bundle'
/** The v0.3 bundle media type, the one written by promote-image, cosign 3 and actions/attest. */
export const SIGSTORE_BUNDLE_V03 = 'application/vnd.dev.sigstore.bundle.v0.3+json'
/** The media type of an in-toto statement layer in BuildKit's attestation manifests. */
export const IN_TOTO_LAYER = 'application/vnd.in-toto+json'

/**
 * Most signatures, envelopes and bundles read for one digest: a repository listing more (a hostile
 * or broken registry) is refused rather than read without end.
 */
export const MAX_EVIDENCE = 64

/** @throws Error when `n` things were listed for `digest`, more than {@link MAX_EVIDENCE} */
function checkCount(n: number, what: string, digest: string): void {
  if (n > MAX_EVIDENCE)
    throw new Error(`${what} of ${digest} lists ${n} entries, more than the ${MAX_EVIDENCE} the gate reads`)
}

/** One thing found that may sign or attest the digest; `via` says where, for messages. */
export type Found =
  | {
      kind: 'simple-signing'
      via: string
      payload: Buffer
      signature: string
      /** cosign's keyless annotations: the PEM certificate and the Rekor bundle JSON */
      certificate?: string
      rekorBundle?: string
    }
  | { kind: 'dsse'; via: string; envelope: Buffer }
  | { kind: 'bundle'; via: string; bundle: Buffer; referrer: string; annotations: Record<string, string> }
  /** `manifest`: the digest of the attestation manifest that holds it */
  | { kind: 'in-index'; via: string; statement: Buffer; manifest: string }

/** The artifact type cosign gives a signature stored as a referrer (`--registry-referrers-mode=oci-1-1`). */
export const COSIGN_SIGNATURE_ARTIFACT = 'application/vnd.dev.cosign.artifact.sig.v1+json'

/** The simple-signing layers of a cosign signature manifest (a `.sig` tag or a signature referrer). */
async function signatureLayers(
  api: RegistryApi,
  repo: Repository,
  m: Manifest['json'] | undefined,
  via: string
): Promise<Found[]> {
  const out: Found[] = []
  for (const [i, l] of (m?.layers ?? []).entries()) {
    const signature = l.annotations?.[SIGNATURE_ANNOTATION]
    if (l.mediaType !== SIMPLE_SIGNING || !signature) continue
    const payload = await readSmallBlob(api, repo, l)
    const certificate = l.annotations?.[CERTIFICATE_ANNOTATION]
    const rekorBundle = l.annotations?.[REKOR_BUNDLE_ANNOTATION]
    out.push({
      kind: 'simple-signing',
      via: `${via} layer ${i}`,
      payload,
      signature,
      ...(certificate ? { certificate } : {}),
      ...(rekorBundle ? { rekorBundle } : {})
    })
  }
  return out
}

/** The layers of cosign's `.sig` and `.att` manifests for `digest`. */
async function cosignFound(api: RegistryApi, repo: Repository, digest: string): Promise<Found[]> {
  const [sigTag, attTag] = cosignTags(digest)
  const [sig, att] = await Promise.all(
    [sigTag, attTag].map(t => api.getManifest(repo, t, { allowMissing: true }))
  )
  checkCount(sig?.json.layers?.length ?? 0, `tag ${sigTag}`, digest)
  checkCount(att?.json.layers?.length ?? 0, `tag ${attTag}`, digest)
  const out = await signatureLayers(api, repo, sig?.json, `tag ${sigTag}`)
  for (const [i, l] of (att?.json.layers ?? []).entries()) {
    if (l.mediaType !== DSSE_ENVELOPE) continue
    out.push({ kind: 'dsse', via: `tag ${attTag} layer ${i}`, envelope: await readSmallBlob(api, repo, l) })
  }
  return out
}

/** Whether a referrer may sign `digest`: a Sigstore bundle or a cosign signature (untyped entries are looked at). */
function maySign(artifactType: string | undefined): boolean {
  return (
    artifactType === undefined ||
    artifactType.startsWith(SIGSTORE_BUNDLE_PREFIX) ||
    artifactType === COSIGN_SIGNATURE_ARTIFACT
  )
}

/**
 * The Sigstore bundles and cosign signatures among `digest`'s referrers (the API, else the
 * fallback tag): a bundle manifest's first layer, a signature manifest's simple-signing layers
 * (cosign SPEC, OCI 1.1 referrers mode).
 */
async function referrersFound(api: RegistryApi, repo: Repository, digest: string): Promise<Found[]> {
  const listed = await listAtSource(api, repo, digest, { api: true, cosign: false })
  const signing = (listed?.entries ?? []).filter(e => maySign(e.artifactType))
  checkCount(signing.length, 'the referrers list', digest)
  const out: Found[] = []
  for (const e of signing) {
    const m = await api.getManifest(repo, e.digest)
    const type = m?.json.artifactType ?? m?.json.config?.mediaType ?? ''
    if (type === COSIGN_SIGNATURE_ARTIFACT) {
      checkCount(m?.json.layers?.length ?? 0, `referrer ${e.digest}`, digest)
      out.push(...(await signatureLayers(api, repo, m?.json, `referrer ${e.digest}`)))
      continue
    }
    const layer = m?.json.layers?.[0]
    if (!m || !type.startsWith(SIGSTORE_BUNDLE_PREFIX) || !layer) continue
    const bundle = await readSmallBlob(api, repo, layer)
    const annotations = { ...(e.annotations ?? {}), ...(m.json.annotations ?? {}) }
    out.push({ kind: 'bundle', via: `referrer ${e.digest}`, bundle, referrer: e.digest, annotations })
  }
  return out
}

/**
 * BuildKit's in-toto statements in the attestation manifests of index `root` about `digest`.
 * @throws RegistryError from the client; Error for a blob over the size limit or of wrong digest
 */
export async function inIndexFound(
  api: RegistryApi,
  repo: Repository,
  root: Manifest,
  digest: string
): Promise<Found[]> {
  const atts = childDescriptors(root).filter(
    c => isAttestationManifest(c) && c.annotations?.[ATTESTATION_SUBJECT] === digest
  )
  const out: Found[] = []
  for (const a of atts) {
    const m = await api.getManifest(repo, a.digest)
    for (const l of m?.json.layers ?? [])
      if (l.mediaType === IN_TOTO_LAYER)
        out.push({
          kind: 'in-index',
          via: `index attestation manifest ${a.digest}`,
          statement: await readSmallBlob(api, repo, l),
          manifest: a.digest
        })
  }
  return out
}

/**
 * Everything at `repo` that may sign or attest `digest`: cosign tags, bundle referrers and, when
 * `index` is the index listing `digest`, BuildKit's attestation manifests about it.
 * @throws RegistryError from the client; Error for a blob over the size limit or of wrong digest
 */
export async function findEvidence(
  api: RegistryApi,
  repo: Repository,
  digest: string,
  index?: Manifest
): Promise<Found[]> {
  const parts = await Promise.all([
    cosignFound(api, repo, digest),
    referrersFound(api, repo, digest),
    index && isIndex(index) ? inIndexFound(api, repo, index, digest) : Promise.resolve([])
  ])
  return parts.flat()
}
