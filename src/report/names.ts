/**
 * Names for people in the job summary: short digests and tags for tables, artifacts named by what
 * they are (cosign signature, SPDX SBOM…) instead of their media types, attestation manifests by
 * what they attest (never `unknown/unknown`), the release's image name and version, how many
 * registries a promotion reaches. Registry text is clipped ({@link clip}) and escaped (markdown.ts)
 * here, so one long string cannot make a long summary. Pure.
 */
import { predicateName, type AttestationEntry } from '../copy/attestations.js'
import type { PromotePlan } from '../copy/promote.js'
import { code, escapeText } from './markdown.js'

/** Registry text longer than this many characters is clipped in the summary (`…` at the end). */
export const CLIP_CHARS = 120

/** `text` cut to `max` characters (UTF-16 units) with `…` at the end when longer; as it is otherwise. */
export function clip(text: string, max = CLIP_CHARS): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}

/** `sha256:<64 hex>` → `sha256:0123456789ab` (the algorithm and the first 12 hex digits, as docker shows them). */
export function shortDigest(digest: string): string {
  const colon = digest.indexOf(':')
  return colon < 0 ? clip(digest, 19) : digest.slice(0, colon + 13)
}

/**
 * A digest-named tag shortened: `sha256-<64 hex>.sig` → `sha256-0123456789ab….sig` (referrers
 * fallback tags and cosign tags); other tags clipped ({@link clip}).
 */
export function shortTag(tag: string): string {
  const m = /^(sha256-[0-9a-f]{12})[0-9a-f]{52}(\.[a-z]+)?$/.exec(tag)
  return m ? `${m[1]}…${m[2] ?? ''}` : clip(tag)
}

/** Artifact types by what they hold (OCI artifacts, cosign, Sigstore, SBOM formats). */
const ARTIFACTS: Record<string, string> = {
  'application/vnd.dev.cosign.artifact.sig.v1+json': 'cosign signature',
  'application/vnd.dev.cosign.simplesigning.v1+json': 'cosign signature',
  'application/vnd.dev.sigstore.bundle.v0.3+json': 'Sigstore bundle',
  'application/vnd.dev.sigstore.bundle+json;version=0.3': 'Sigstore bundle',
  'application/vnd.in-toto+json': 'in-toto attestation',
  'application/vnd.dsse.envelope.v1+json': 'DSSE attestation',
  'application/spdx+json': 'SPDX SBOM',
  'text/spdx': 'SPDX SBOM',
  'application/vnd.cyclonedx+json': 'CycloneDX SBOM',
  'application/vnd.cyclonedx+xml': 'CycloneDX SBOM',
  'application/vnd.cncf.notary.signature': 'Notation signature',
  'application/sarif+json': 'SARIF report'
}

/** cosign's tag suffixes by what they hold. */
const COSIGN_TAGS: Record<string, string> = {
  sig: 'cosign signature',
  att: 'cosign attestation',
  sbom: 'cosign SBOM'
}

/**
 * A referrer named by its artifact type, as Markdown: `cosign signature`, `SPDX SBOM`; an unknown
 * type as itself in code (clipped, escaped); `artifact` when it has none.
 */
export function artifactName(artifactType: string | undefined): string {
  if (!artifactType) return 'artifact'
  return ARTIFACTS[artifactType] ?? code(clip(artifactType))
}

/** A cosign tag named by its suffix: `.sig` → `cosign signature`, `.att`, `.sbom`; else `cosign tag`. */
export function cosignTagName(tag: string): string {
  return COSIGN_TAGS[tag.slice(tag.lastIndexOf('.') + 1)] ?? 'cosign tag'
}

/**
 * What the attestation manifests attest: `SLSA provenance and SPDX SBOM of <code>linux/amd64</code>,
 * <code>linux/arm64</code>` (entries grouped by what they hold; with `markup` false the same in
 * plain text, for the log and the terminal: `… of linux/amd64, linux/arm64`); a plan made before
 * attestations were reported (only `unknown/unknown` among the platforms) gives `attestation
 * manifests`. Undefined when the index holds none.
 */
export function attestationText(source: PromotePlan['source'], markup = true): string | undefined {
  const entries: AttestationEntry[] = source.attestations ?? []
  if (!entries.length)
    return source.platforms.includes('unknown/unknown') ? 'attestation manifests' : undefined
  return attestationNames(entries, markup)
}

/**
 * Attestation entries (copy/attestations.ts) named and grouped by what they hold, as
 * {@link attestationText} says them (`markup`: Markdown, else plain text); '' for none.
 */
export function attestationNames(entries: AttestationEntry[], markup = true): string {
  const mark = (text: string): string => (markup ? code(clip(text)) : text)
  const groups = new Map<string, string[]>()
  for (const e of entries) {
    const what = e.predicateTypes.length
      ? e.predicateTypes.map(t => predicateName(t) ?? mark(t))
      : ['attestations']
    const kind = [...new Set(what)].join(' and ')
    const of = e.of
      ? mark(e.of.startsWith('sha256:') && markup ? shortDigest(e.of) : e.of)
      : 'an unnamed manifest'
    groups.set(kind, [...(groups.get(kind) ?? []), of])
  }
  return [...groups].map(([kind, of]) => `${kind} of ${[...new Set(of)].join(', ')}`).join('; ')
}

/** Manifest media types by name. */
const MEDIA_TYPES: Record<string, string> = {
  'application/vnd.oci.image.index.v1+json': 'OCI image index',
  'application/vnd.oci.image.manifest.v1+json': 'OCI image manifest',
  'application/vnd.docker.distribution.manifest.list.v2+json': 'Docker manifest list',
  'application/vnd.docker.distribution.manifest.v2+json': 'Docker image manifest'
}

/** A manifest media type by name (`OCI image index`), or in code when unknown. */
export function mediaTypeName(mediaType: string): string {
  return MEDIA_TYPES[mediaType] ?? code(clip(mediaType))
}

/** The repository's last path component of a reference or target (`ghcr.io/o/app:1@sha256:…` → `app`). */
export function imageName(reference: string): string {
  const bare = reference.split('@')[0]
  const path = bare.slice(bare.indexOf('/') + 1)
  const name = path.slice(path.lastIndexOf('/') + 1)
  return name.includes(':') ? name.slice(0, name.indexOf(':')) : name
}

const VERSION = /^v?\d+(\.\d+)*([-+][0-9A-Za-z.+-]+)?$/

/**
 * The version a release names: the most specific version-like tag (`v1.4.2` over `v1.4`, `v1`,
 * `latest`), else the tag of a `refs/tags/…` ref; undefined when neither names one.
 */
export function versionOf(tags: string[], ref: string | undefined): string | undefined {
  const versions = tags.filter(t => VERSION.test(t))
  const parts = (v: string): number => v.split(/[-+]/)[0].split('.').length
  const best = versions.reduce<string | undefined>(
    (a, v) => (a === undefined || parts(v) > parts(a) ? v : a),
    undefined
  )
  if (best) return best
  return ref?.startsWith('refs/tags/') ? ref.slice('refs/tags/'.length) : undefined
}

/** `2 registries`, `1 registry`, `3 targets on 2 registries` (targets as `registry/repository`). */
export function reachText(targets: string[]): string {
  const registries = new Set(targets.map(t => t.slice(0, t.indexOf('/')))).size
  const r = `${registries} registr${registries === 1 ? 'y' : 'ies'}`
  return registries === targets.length ? r : `${targets.length} targets on ${r}`
}

/** `app v1.4.2` (escaped) from the plan and the run's ref: the first target's image name, else the source's. */
export function releaseTitle(reference: string | undefined, tags: string[], ref: string | undefined): string {
  const name = reference ? imageName(reference) : ''
  const version = versionOf(tags, ref)
  return escapeText(clip([name || 'the image', version].filter(Boolean).join(' ')))
}

/**
 * A tag and what happens to it, for a summary's tags cell: `<code>v1</code> moved from
 * <code>sha256:0123456789ab</code>`, `… created` (`to create` … when not `applied`: a plan), a
 * rolling tag's move marked ` (rolling)`; the one wording of the single-image summary's targets
 * table and a promotion file's rows (batch/report.ts), so a moved release tag reads the same in both.
 */
export function tagCell(
  entry: {
    tag: string
    action: 'create' | 'move' | 'keep' | 'hold'
    from?: string
    heldBy?: string
    kind?: string
  },
  applied: boolean
): string {
  const rolling = entry.action === 'move' && entry.kind === 'rolling' ? ' (rolling)' : ''
  return `${code(clip(entry.tag))} ${tagAction(entry.action, entry.from, applied, entry.heldBy)}${rolling}`
}

/**
 * What happens to a tag: `created`, `moved from <code>sha256:…</code>`, `already there`, `kept at
 * <code>1.3.0</code> (newer)` (a rolling tag held, naming a newer release `heldBy`) (or `to
 * create`… when not `applied`); also a promotion file's dry-run rows (batch/report.ts).
 */
export function tagAction(
  action: 'create' | 'move' | 'keep' | 'hold',
  from: string | undefined,
  applied: boolean,
  heldBy?: string
): string {
  const fromText = from ? ` from ${code(shortDigest(from))}` : ''
  if (action === 'keep') return 'already there'
  if (action === 'hold') return `kept at ${code(clip(heldBy ?? ''))} (newer)`
  if (action === 'create') return applied ? 'created' : 'to create'
  return `${applied ? 'moved' : 'to move'}${fromText}`
}
