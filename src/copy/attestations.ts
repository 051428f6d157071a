/**
 * BuildKit's attestation manifests in an index, told by what they attest: each entry of platform
 * `unknown/unknown` with the annotation `vnd.docker.reference.type: attestation-manifest` names the
 * image it attests (`vnd.docker.reference.digest`), and each of its layers the in-toto predicate it
 * holds (`in-toto.io/predicate-type`) (BuildKit docs/attestations/attestation-storage.md). Pure: read
 * from the manifests the walk fetched, no request.
 */
import { childDescriptors, formatPlatform, type Manifest } from '../oci/manifest.js'
import { isAttestationManifest } from './referrers.js'

/** One attestation manifest of an index. */
export interface AttestationEntry {
  /** the attestation manifest's digest */
  digest: string
  /** the platform of the manifest it attests (`linux/amd64`), or that manifest's digest when the index has no platform for it; absent when not annotated */
  of?: string
  /** the in-toto predicate types of its layers, in layer order, each once (`https://slsa.dev/provenance/v0.2`) */
  predicateTypes: string[]
}

const REFERENCE_DIGEST = 'vnd.docker.reference.digest'
const PREDICATE_TYPE = 'in-toto.io/predicate-type'

/**
 * The attestation manifests `root` (an index) lists, in index order; [] for an image or an index
 * without any.
 * @param manifests the manifests of the image graph (the attestation manifests among them give the
 *   predicate types; one missing gives an entry without any)
 */
export function attestationsOf(root: Manifest, manifests: Manifest[]): AttestationEntry[] {
  const children = childDescriptors(root)
  const byDigest = new Map(manifests.map(m => [m.digest, m]))
  const platforms = new Map(children.map(c => [c.digest, formatPlatform(c.platform)]))
  return children.filter(isAttestationManifest).map(c => {
    const subject = c.annotations?.[REFERENCE_DIGEST]
    const of = subject ? platforms.get(subject) || subject : undefined
    const layers = byDigest.get(c.digest)?.json.layers ?? []
    const types = layers.map(l => l.annotations?.[PREDICATE_TYPE]).filter((t): t is string => !!t)
    return { digest: c.digest, ...(of ? { of } : {}), predicateTypes: [...new Set(types)] }
  })
}
