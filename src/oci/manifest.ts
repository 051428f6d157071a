/**
 * Manifests and indexes kept as the exact bytes a registry served (image-spec manifest.md,
 * image-index.md; Docker manifest-v2-2.md), with a parsed view for reading. A manifest is always
 * pushed as its original bytes so its digest never changes.
 */
import { LIMITS, jsonDepth } from '../limits.js'
import { checkManifestShape } from './descriptor.js'
import { digestOf } from './digest.js'
import {
  isImageManifestMediaType,
  isIndexMediaType,
  isManifestMediaType,
  isNonDistributable,
  OCI_INDEX,
  OCI_MANIFEST
} from './mediatypes.js'

/** Platform of an index entry (image-index.md). */
export interface Platform {
  architecture: string
  os: string
  'os.version'?: string
  'os.features'?: string[]
  variant?: string
}

/** Content descriptor (descriptor.md): media type, digest, size in bytes. */
export interface Descriptor {
  mediaType: string
  digest: string
  size: number
  urls?: string[]
  annotations?: Record<string, string>
  artifactType?: string
  platform?: Platform
  data?: string
}

interface ManifestJson {
  schemaVersion?: number
  mediaType?: string
  artifactType?: string
  config?: Descriptor
  layers?: Descriptor[]
  manifests?: Descriptor[]
  subject?: Descriptor
  annotations?: Record<string, string>
}

/** A manifest or index: the served bytes, their media type and digest, and the parsed JSON. */
export interface Manifest {
  bytes: Buffer
  mediaType: string
  digest: string
  json: ManifestJson
}

/**
 * Parses manifest bytes. The media type is the `Content-Type` the registry sent (parameters
 * dropped) or, when that is missing or generic, the `mediaType` field.
 * @param digest the digest of the bytes when already known (else computed with sha256)
 * @param what the reference for messages (`127.0.0.1:5000/app@sha256:…`; default the digest)
 * @throws Error when the bytes are not JSON (or nested deeper than limits.ts `jsonDepth`), the
 *   media type is not a manifest type we copy, the `mediaType` field disagrees with `Content-Type`
 *   (distribution-spec "Pulling manifests"), or a descriptor is malformed (oci/descriptor.ts
 *   `checkManifestShape`: `index X: manifests[3] is not a descriptor (…)`).
 */
export function parseManifest(
  bytes: Buffer,
  contentType: string | undefined,
  digest?: string,
  what?: string
): Manifest {
  const text = bytes.toString('utf8')
  const name = what ?? digest ?? digestOf(bytes)
  if (jsonDepth(text, LIMITS.jsonDepth) > LIMITS.jsonDepth)
    throw new Error(`manifest ${name}: JSON nested deeper than the jsonDepth limit of ${LIMITS.jsonDepth}`)
  let json: ManifestJson
  try {
    json = JSON.parse(text) as ManifestJson
  } catch (e) {
    throw new Error(`manifest is not valid JSON: ${(e as Error).message}`)
  }
  if (!json || typeof json !== 'object' || Array.isArray(json))
    throw new Error(`manifest ${name}: is not a JSON object`)
  const header = (contentType ?? '').split(';')[0].trim()
  let mediaType = isManifestMediaType(header) ? header : (json.mediaType ?? '')
  if (!mediaType) mediaType = json.manifests ? OCI_INDEX : OCI_MANIFEST
  if (!isManifestMediaType(mediaType)) throw new Error(`unsupported manifest media type "${mediaType}"`)
  if (json.mediaType && json.mediaType !== mediaType) {
    throw new Error(`manifest mediaType "${json.mediaType}" does not match Content-Type "${mediaType}"`)
  }
  const index = isIndexMediaType(mediaType)
  checkManifestShape(json, index, `${index ? 'index' : 'manifest'} ${name}`)
  return { bytes, mediaType, digest: digest ?? digestOf(bytes), json }
}

/**
 * True when the manifest is an index / manifest list: {@link isIndexMediaType} of its media type,
 * the rule's one owner (mediatypes.ts). Ask this of a Manifest, that of a bare media type.
 */
export function isIndex(m: Manifest): boolean {
  return isIndexMediaType(m.mediaType)
}

/** Child manifest descriptors of an index (every entry, attestations included); [] for an image. */
export function childDescriptors(m: Manifest): Descriptor[] {
  return isIndex(m) ? (m.json.manifests ?? []) : []
}

/**
 * The annotation BuildKit puts on an attestation manifest's index entry naming the manifest it is
 * about (docs/attestations/attestation-storage.md).
 */
export const ATTESTATION_SUBJECT = 'vnd.docker.reference.digest'

/**
 * True when a runtime pulling an index by platform can select entry `d` (image-index.md
 * "platform"): every entry but one of platform `unknown/unknown`, which matches no platform
 * (BuildKit's attestation manifests, attestation-storage.md). Annotations do not count: Docker and
 * containerd choose by platform alone (an entry without one by its config's), so an entry of a real
 * platform is an image whatever its `vnd.docker.reference.type` says. The one owner of which
 * entries of an index are images for a security decision: an index is signed by its platforms only
 * when each of these is (proof/gate.ts). Pure.
 */
export function runtimeSelectable(d: { platform?: Platform }): boolean {
  return !(d.platform?.os === 'unknown' && d.platform.architecture === 'unknown')
}

/**
 * Blob descriptors of an image manifest: config then layers; [] for an index.
 * @param includeNonDistributable also return foreign / non-distributable layers (default false)
 */
export function blobDescriptors(m: Manifest, includeNonDistributable = false): Descriptor[] {
  if (!isImageManifestMediaType(m.mediaType)) return []
  const out: Descriptor[] = []
  if (m.json.config) out.push(m.json.config)
  for (const l of m.json.layers ?? []) {
    if (includeNonDistributable || !isNonDistributable(l.mediaType)) out.push(l)
  }
  return out
}

/**
 * The platform an image config names (image-spec config.md: `os`, `architecture`, `variant`,
 * `os.version`, `os.features`), from the config blob's bytes. The one owner of this rule: inspect,
 * `--platform` on a single image and the merge read a config's platform through copy/select.ts
 * configPlatform, which calls this. Pure.
 * @param bytes the config blob as served (JSON, UTF-8)
 * @returns `{os, architecture, variant?, 'os.version'?, 'os.features'?}`: an optional field only
 *   when it is a non-empty string (`os.features` a non-empty array of strings); undefined when the
 *   bytes are not a JSON object naming `os` and `architecture` as strings (an artifact's config)
 */
export function configPlatformOf(bytes: Buffer): Platform | undefined {
  let json: Record<string, unknown>
  try {
    json = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>
  } catch {
    return undefined
  }
  if (!json || typeof json !== 'object') return undefined
  if (typeof json.os !== 'string' || typeof json.architecture !== 'string') return undefined
  const text = (k: string): string | undefined =>
    typeof json[k] === 'string' && json[k] ? (json[k] as string) : undefined
  const features = json['os.features']
  const variant = text('variant')
  const osVersion = text('os.version')
  return {
    architecture: json.architecture,
    os: json.os,
    ...(osVersion ? { 'os.version': osVersion } : {}),
    ...(Array.isArray(features) && features.length && features.every(f => typeof f === 'string')
      ? { 'os.features': features as string[] }
      : {}),
    ...(variant ? { variant } : {})
  }
}

/** `os/architecture[/variant]`, or `unknown/unknown` for attestation entries. */
export function formatPlatform(p: Platform | undefined): string {
  if (!p) return ''
  return [p.os, p.architecture, p.variant].filter(Boolean).join('/')
}

/**
 * Merges the entries of index `add` into index `base` (distribution-spec "Referrers tag schema":
 * the client maintains the fallback index; no duplicates, by digest). Keeps `base`'s entries and
 * order and appends the missing ones. Returns undefined when `base` already lists them all (no
 * write needed); otherwise a new OCI index (new bytes, new digest: the fallback index is the
 * client's own document, not content being copied).
 */
export function mergeIndexes(base: Manifest, add: Manifest): Manifest | undefined {
  const have = new Set((base.json.manifests ?? []).map(d => d.digest))
  const missing = (add.json.manifests ?? []).filter(d => !have.has(d.digest))
  if (missing.length === 0) return undefined
  const json = { ...base.json, mediaType: OCI_INDEX, manifests: [...(base.json.manifests ?? []), ...missing] }
  const bytes = Buffer.from(JSON.stringify(json))
  return { bytes, mediaType: OCI_INDEX, digest: digestOf(bytes), json }
}
