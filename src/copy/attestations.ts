/**
 * BuildKit's attestation manifests in an index, told by what they attest: each entry of platform
 * `unknown/unknown` with the annotation `vnd.docker.reference.type: attestation-manifest` names the
 * image it attests (`vnd.docker.reference.digest`), and each of its layers the in-toto predicate it
 * holds (`in-toto.io/predicate-type`) (BuildKit docs/attestations/attestation-storage.md). Pure: read
 * from the manifests the walk fetched, no request.
 */
import {
  ATTESTATION_SUBJECT,
  childDescriptors,
  formatPlatform,
  runtimeSelectable,
  type Manifest
} from '../oci/manifest.js'

/** One attestation manifest of an index. */
export interface AttestationEntry {
  /** the attestation manifest's digest */
  digest: string
  /** the platform of the manifest it attests (`linux/amd64`), or that manifest's digest when the index has no platform for it; absent when not annotated */
  of?: string
  /** the in-toto predicate types of its layers, in layer order, each once (`https://slsa.dev/provenance/v0.2`) */
  predicateTypes: string[]
  /**
   * what it attests, for people (plan JSON beside the raw `unknown/unknown` platform): `SLSA
   * provenance of linux/amd64`, `SLSA provenance and SPDX SBOM of linux/arm64` ({@link attestsText})
   */
  attests: string
}

/**
 * An in-toto predicate type by what it states: `SLSA provenance`, `SPDX SBOM`, `CycloneDX SBOM`,
 * `vulnerability scan`; undefined for a type not known here (callers show the type itself).
 */
export function predicateName(type: string): string | undefined {
  if (type.startsWith('https://slsa.dev/provenance/')) return 'SLSA provenance'
  if (type === 'https://spdx.dev/Document') return 'SPDX SBOM'
  if (type === 'https://cyclonedx.org/bom') return 'CycloneDX SBOM'
  if (
    type === 'https://in-toto.io/attestation/vulns' ||
    type.startsWith('https://cosign.sigstore.dev/attestation/vuln')
  )
    return 'vulnerability scan'
  return undefined
}

/**
 * What one attestation manifest attests, as plain text: its predicates by name (an unknown type as
 * itself; `attestations` when its layers name none), then `of` the platform or digest it attests
 * (`an unnamed manifest` when not annotated): `SLSA provenance and SPDX SBOM of linux/amd64`.
 */
export function attestsText(predicateTypes: string[], of: string | undefined): string {
  const what = predicateTypes.length ? predicateTypes.map(t => predicateName(t) ?? t) : ['attestations']
  return `${[...new Set(what)].join(' and ')} of ${of ?? 'an unnamed manifest'}`
}

const PREDICATE_TYPE = 'in-toto.io/predicate-type'

/**
 * The attestation manifests `root` (an index) lists, in index order: its entries no runtime can
 * select (platform `unknown/unknown`, oci/manifest.ts runtimeSelectable; an entry of a real platform
 * is an image whatever it is annotated); [] for an image or an index without any.
 * @param manifests the manifests of the image graph (the attestation manifests among them give the
 *   predicate types; one missing gives an entry without any)
 */
export function attestationsOf(root: Manifest, manifests: Manifest[]): AttestationEntry[] {
  const children = childDescriptors(root)
  const byDigest = new Map(manifests.map(m => [m.digest, m]))
  const platforms = new Map(children.map(c => [c.digest, formatPlatform(c.platform)]))
  return children
    .filter(c => !runtimeSelectable(c))
    .map(c => {
      const subject = c.annotations?.[ATTESTATION_SUBJECT]
      const of = subject ? platforms.get(subject) || subject : undefined
      const layers = byDigest.get(c.digest)?.json.layers ?? []
      const types = layers.map(l => l.annotations?.[PREDICATE_TYPE]).filter((t): t is string => !!t)
      const predicateTypes = [...new Set(types)]
      return {
        digest: c.digest,
        ...(of ? { of } : {}),
        predicateTypes,
        attests: attestsText(predicateTypes, of)
      }
    })
}
