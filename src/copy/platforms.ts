/**
 * Platforms (image-index.md "platform"): parsing `OS/ARCH[/VARIANT]`, matching as containerd's
 * `platforms` package does (variants normalised: `arm` means `arm/v7`, `arm64/v8` is `arm64`,
 * `amd64/v1` is `amd64`), choosing children of an index, and writing an index of chosen children
 * with deterministic bytes. Pure: no I/O.
 *
 * Used by `--platform` (promote only some platforms of a source index, as crane `copy --platform`)
 * and by the merge (src/merge/), which writes one index of platform images.
 */
import { digestOf } from '../oci/digest.js'
import {
  ATTESTATION_SUBJECT,
  formatPlatform,
  runtimeSelectable,
  type Descriptor,
  type Manifest,
  type Platform
} from '../oci/manifest.js'
import { DOCKER_MANIFEST, DOCKER_MANIFEST_LIST, OCI_INDEX } from '../oci/mediatypes.js'

const PART = /^[a-z0-9][a-z0-9._-]*$/

/** The rule of a platform's text, as messages give it. */
export const PLATFORM_RULE = 'not OS/ARCH[/VARIANT] (e.g. linux/amd64, linux/arm64/v8)'

/**
 * Parses `OS/ARCH[/VARIANT]` (`linux/arm64`, `linux/arm/v7`, `windows/amd64`), lower case.
 * @param input the input or flag that gave it, for the message, given by the edge (`--platform`)
 * @throws Error `--platform "linux": not OS/ARCH[/VARIANT] (e.g. linux/amd64, linux/arm64/v8)`
 */
export function parsePlatform(text: string, input: string): Platform {
  const parts = text.trim().split('/')
  if (parts.length < 2 || parts.length > 3 || !parts.every(p => PART.test(p)))
    throw new Error(`${input} "${text}": ${PLATFORM_RULE}`)
  const [os, architecture, variant] = parts as [string, string, string?]
  return { os, architecture, ...(variant ? { variant } : {}) }
}

/**
 * Parses a list of platforms, each once (comma-separated entries are split: `linux/amd64,linux/arm64`).
 * @throws Error from parsePlatform; `--platform lists linux/amd64 twice`
 */
export function parsePlatforms(texts: string[], input: string): Platform[] {
  const out: Platform[] = []
  const seen = new Set<string>()
  for (const text of texts.flatMap(t => t.split(',')).filter(t => t.trim())) {
    const p = parsePlatform(text, input)
    const key = platformKey(p)
    if (seen.has(key)) throw new Error(`${input} lists ${formatPlatform(p)} twice`)
    seen.add(key)
    out.push(p)
  }
  return out
}

/** The variant as containerd normalises it: `arm` → `v7` when absent; `arm64/v8`, `amd64/v1` → none. */
function normalVariant(p: Platform): string {
  const v = p.variant ?? ''
  if (p.architecture === 'arm') return v || 'v7'
  if (p.architecture === 'arm64' && v === 'v8') return ''
  if (p.architecture === 'amd64' && v === 'v1') return ''
  return v
}

/**
 * The identity of a platform: `os/architecture/variant/os.version` after normalising the variant
 * (two children with one key are the same platform).
 */
export function platformKey(p: Platform): string {
  return [p.os, p.architecture, normalVariant(p), p['os.version'] ?? ''].join('/')
}

/**
 * True when `have` is the platform `wanted` names: same os and architecture, and the same variant
 * after normalising; a wanted platform without a variant also matches any variant (`linux/amd64`
 * matches `linux/amd64/v3`) and without os.version any os.version.
 */
export function platformMatches(wanted: Platform, have: Platform): boolean {
  if (wanted.os !== have.os || wanted.architecture !== have.architecture) return false
  if (wanted['os.version'] && wanted['os.version'] !== have['os.version']) return false
  // without a variant, any variant (arm alone means arm/v7, as in containerd)
  if (wanted.variant === undefined && wanted.architecture !== 'arm') return true
  return normalVariant(wanted) === normalVariant(have)
}

/**
 * The platforms asked for cannot be chosen from the source: the facts, `platforms` (as asked:
 * `linux/s390x`, `linux/amd64, windows/amd64`) and `detail`. The message names no option
 * (`platforms linux/s390x: … lists no such platform (…)`); the interface names its own
 * (report/tls-words.ts withTlsAdvice: `--platform linux/s390x: …`, `promote-platforms linux/s390x: …`).
 */
export class PlatformChoiceError extends Error {
  constructor(
    readonly platforms: string,
    readonly detail: string
  ) {
    super(`platforms ${platforms}: ${detail}`)
    this.name = 'PlatformChoiceError'
  }
}

/**
 * The child of `children` that `wanted` names, among those a runtime can select (oci/manifest.ts
 * runtimeSelectable: BuildKit's attestation manifests, platform unknown/unknown, left out; an entry
 * of a real platform annotated as one is an image): the one whose platform matches exactly (after
 * normalising), else the only one that matches.
 * @param what the index, for messages (`127.0.0.1:5000/app@sha256:…`)
 * @throws PlatformChoiceError `platforms linux/s390x: 127.0.0.1:5000/app@sha256:… lists no such platform (it lists linux/amd64, linux/arm64)`;
 *   `platforms linux/amd64: 127.0.0.1:5000/app@sha256:… lists 2 children for it (linux/amd64/v2, linux/amd64/v3): name the variant`;
 *   `… lists 2 children of exactly that platform (sha256:…, sha256:…): a runtime may pull any of them, so none is chosen`
 */
export function chooseChild(children: Descriptor[], wanted: Platform, what: string): Descriptor {
  const images = children.filter(d => d.platform && runtimeSelectable(d))
  const exact = images.filter(d => platformKey(d.platform!) === platformKey(wanted))
  if (exact.length === 1) return exact[0]!
  // two of exactly one platform (one may call itself an attestation manifest): a runtime may pull either
  if (exact.length > 1)
    throw new PlatformChoiceError(
      formatPlatform(wanted),
      `${what} lists ${exact.length} children of exactly that platform (${exact.map(d => d.digest).join(', ')}): a runtime may pull any of them, so none is chosen`
    )
  const loose = exact.length ? exact : images.filter(d => platformMatches(wanted, d.platform!))
  if (loose.length === 1) return loose[0]!
  const name = formatPlatform(wanted)
  if (loose.length === 0) {
    const listed = images.map(d => formatPlatform(d.platform)).join(', ') || 'no platform'
    throw new PlatformChoiceError(name, `${what} lists no such platform (it lists ${listed})`)
  }
  const names = loose.map(
    d => formatPlatform(d.platform) + (d.platform!['os.version'] ? ` ${d.platform!['os.version']}` : '')
  )
  throw new PlatformChoiceError(
    name,
    `${what} lists ${loose.length} children for it (${names.join(', ')}): name the variant`
  )
}

/** A descriptor with its fields in one fixed order (Go's struct order, map keys sorted), for deterministic bytes. */
function canonicalDescriptor(d: Descriptor): Descriptor {
  const sorted = (r: Record<string, string>): Record<string, string> =>
    Object.fromEntries(
      Object.keys(r)
        .sort()
        .map(k => [k, r[k]!])
    )
  const p = d.platform
  return {
    mediaType: d.mediaType,
    digest: d.digest,
    size: d.size,
    ...(d.urls?.length ? { urls: d.urls } : {}),
    ...(d.annotations && Object.keys(d.annotations).length ? { annotations: sorted(d.annotations) } : {}),
    ...(d.data !== undefined ? { data: d.data } : {}),
    ...(p
      ? {
          platform: {
            architecture: p.architecture,
            os: p.os,
            ...(p['os.version'] ? { 'os.version': p['os.version'] } : {}),
            ...(p['os.features']?.length ? { 'os.features': p['os.features'] } : {}),
            ...(p.variant ? { variant: p.variant } : {})
          }
        }
      : {}),
    ...(d.artifactType ? { artifactType: d.artifactType } : {})
  }
}

/**
 * The media type of an index of `children`: a Docker manifest list when every image child is a
 * Docker schema-2 manifest and there is no attestation (Docker lists cannot hold OCI manifests);
 * otherwise an OCI index (image-index.md allows entries of any manifest type, so mixed children
 * and BuildKit's OCI attestation manifests go in an OCI index).
 */
export function indexMediaTypeFor(children: Descriptor[]): string {
  return children.length > 0 && children.every(d => d.mediaType === DOCKER_MANIFEST)
    ? DOCKER_MANIFEST_LIST
    : OCI_INDEX
}

/**
 * Writes an index of `children` in the given order with deterministic bytes: compact JSON, the
 * fields of each descriptor in one fixed order (so the same children always give the same digest,
 * whatever the key order of the source's JSON). Media type from {@link indexMediaTypeFor} unless
 * given. `annotations` (index-level) are kept in an OCI index only.
 * @returns the index as a Manifest (bytes, media type, sha256 digest, parsed view)
 */
export function writeIndex(
  children: Descriptor[],
  opts: { mediaType?: string; annotations?: Record<string, string> } = {}
): Manifest {
  const mediaType = opts.mediaType ?? indexMediaTypeFor(children)
  const annotations =
    mediaType === OCI_INDEX && opts.annotations && Object.keys(opts.annotations).length
      ? Object.fromEntries(
          Object.keys(opts.annotations)
            .sort()
            .map(k => [k, opts.annotations![k]!])
        )
      : undefined
  const json = {
    schemaVersion: 2,
    mediaType,
    manifests: children.map(canonicalDescriptor),
    ...(annotations ? { annotations } : {})
  }
  const bytes = Buffer.from(JSON.stringify(json))
  return { bytes, mediaType, digest: digestOf(bytes), json }
}

/** What `--platform` chose from a source. */
export type PlatformChoice =
  /** one platform: that child's own manifest, by its digest */
  | { kind: 'child'; descriptor: Descriptor; platforms: string[] }
  /** several: a new index of those children and their attestation manifests (a new digest) */
  | { kind: 'index'; index: Manifest; platforms: string[] }

/**
 * Chooses the children of `index` that `wanted` names (image-index.md). One platform: that child's
 * descriptor (promoted as itself, its own digest; its attestation manifest cannot travel without an
 * index and is left). Several: a new index of the chosen children in the source's order, each entry
 * as the source lists it, plus the attestation manifests (platform unknown/unknown) that point at a
 * chosen child (`vnd.docker.reference.digest`), in the source's media type and with its annotations; its digest
 * differs from the source's unless every entry was chosen, in which case the source index itself
 * is returned (`kind: 'index'` with the source manifest).
 * @param what the index for messages (`127.0.0.1:5000/app@sha256:…`)
 * @throws PlatformChoiceError from chooseChild (no such platform, ambiguous)
 */
export function choosePlatforms(index: Manifest, wanted: Platform[], what: string): PlatformChoice {
  const entries = index.json.manifests ?? []
  const chosen = wanted.map(w => chooseChild(entries, w, what))
  const platforms = chosen.map(d => formatPlatform(d.platform))
  if (chosen.length === 1) return { kind: 'child', descriptor: chosen[0]!, platforms }
  const digests = new Set(chosen.map(d => d.digest))
  const kept = entries.filter(
    d =>
      digests.has(d.digest) ||
      (!runtimeSelectable(d) && digests.has(d.annotations?.[ATTESTATION_SUBJECT] ?? ''))
  )
  if (kept.length === entries.length) return { kind: 'index', index, platforms }
  const built = writeIndex(kept, { mediaType: index.mediaType, annotations: index.json.annotations })
  return { kind: 'index', index: built, platforms }
}
