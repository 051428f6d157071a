/**
 * Media types of the OCI image spec (media-types.md) and Docker's distribution manifests
 * (manifest-v2-2.md) that the copy engine reads.
 */
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json'
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json'
export const DOCKER_MANIFEST_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json'
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json'
export const OCI_EMPTY = 'application/vnd.oci.empty.v1+json'

/** Every manifest type we handle, sent as `Accept` on every manifest GET and HEAD (content-negotiation). */
export const MANIFEST_ACCEPT = [OCI_INDEX, OCI_MANIFEST, DOCKER_MANIFEST_LIST, DOCKER_MANIFEST].join(', ')

/** True for an OCI index or a Docker manifest list. */
export function isIndexMediaType(mediaType: string): boolean {
  return mediaType === OCI_INDEX || mediaType === DOCKER_MANIFEST_LIST
}

/** True for an OCI image manifest or a Docker schema-2 manifest. */
export function isImageManifestMediaType(mediaType: string): boolean {
  return mediaType === OCI_MANIFEST || mediaType === DOCKER_MANIFEST
}

/** True for a manifest media type of either kind. */
export function isManifestMediaType(mediaType: string): boolean {
  return isIndexMediaType(mediaType) || isImageManifestMediaType(mediaType)
}

/**
 * True for non-distributable (foreign) layers, which registries do not serve and clients
 * should not push (image-spec layer.md; Docker's `foreign.diff` type).
 */
export function isNonDistributable(mediaType: string): boolean {
  return mediaType.includes('.nondistributable.') || mediaType.includes('.foreign.')
}
