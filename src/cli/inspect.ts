/**
 * `promote-image inspect REF`: digest, media type, platforms (an index's children) or platform (a
 * single image, from its config blob), and sizes labelled: the manifest bytes and the bytes of all
 * blobs (an image's config + layers; for an index, the distinct blobs of its child manifests, each
 * digest once).
 */
import { resolveManifest } from '../copy/promote.js'
import { configPlatform } from '../copy/select.js'
import { childDescriptors, formatPlatform, runtimeSelectable, type Manifest } from '../oci/manifest.js'
import { manifestReference } from '../reference/index.js'
import { attestationsOf } from '../copy/attestations.js'
import { attestationNames } from '../report/names.js'
import type { RegistryApi, Repository } from '../registry/api.js'
import type { InspectCommand } from './args.js'
import { readClient } from './registry-read.js'
import type { Io } from './io.js'
import { inline, jsonText } from '../report/neutralise.js'

/**
 * What inspect prints with --json, sizes in bytes: for an index its platforms and attestation
 * count, for an image its platform; never both (an image has no `platforms`, an index no `platform`).
 */
export type ImageInfo = IndexInfo | SingleImageInfo

/** What inspect says of any manifest. */
interface InfoBase {
  /** `registry/repository:tag` or `registry/repository@digest` */
  reference: string
  digest: string
  mediaType: string
  /** bytes of the manifests: an image's manifest; an index and its child manifests */
  manifestBytes: number
  /**
   * bytes of the blobs: an image's config and layers; for an index, the distinct blobs of its child
   * manifests, each digest once (a layer platforms share counts once)
   */
  blobBytes: number
}

/** An index (or Docker manifest list): `{reference, digest, mediaType, platforms, attestations, manifestBytes, blobBytes[, missing]}`. */
export interface IndexInfo extends InfoBase {
  /** the child manifests' platforms, BuildKit's attestation manifests (unknown/unknown) left out */
  platforms: string[]
  /** how many attestation manifests the index holds */
  attestations: number
  /**
   * the child manifests the registry does not have (a GC or an expiry rule deleted them; their
   * GET answered 404), each `PLATFORM DIGEST` (`manifest DIGEST` without a platform), in index
   * order; absent when none is missing. Their blobs are not in `blobBytes` (newuser6 #20)
   */
  missing?: string[]
}

/** A single image: `{reference, digest, mediaType, platform, manifestBytes, blobBytes}`. */
export interface SingleImageInfo extends InfoBase {
  /** its platform from its config blob (`linux/arm64/v8`); left out when its config names none */
  platform?: string
}

/** What the text output adds for an index: its child manifests counted, its attestations named. */
interface IndexText {
  children: number
  /** what the attestation manifests attest, plain text (report/names.ts): '' for none */
  attests: string
}

/**
 * Runs inspect; exit status 0. Text: labelled lines; with `--json` one {@link ImageInfo} object.
 * @throws Error when REF does not exist or cannot be read (exit status 1), or a single image's
 *   config is over 4 MiB or does not match its digest (copy/select.ts configPlatform); with `--json`, the
 *   CLI's main() prints `{"error": MESSAGE}` on stdout (run.ts, for every command)
 * @param signal the run's interruption (SIGINT / SIGTERM): ends the requests in flight and stops a
 *   docker credential helper being asked; run.ts main() then exits 130 / 143
 */
export async function runInspect(cmd: InspectCommand, io: Io, signal?: AbortSignal): Promise<number> {
  const r = cmd.reference
  const client = await readClient(cmd, io, signal)
  try {
    const repo = { registry: r.registry, repository: r.repository }
    // one GET by the reference: the bytes and their digest at once, checked against the answer's
    // Docker-Content-Digest (by tag) or the digest asked for, never a second ask by a digest a
    // HEAD reported (newuser6 #12: a misreported one read as a 404 for a digest nobody asked for)
    const m = await resolveManifest(client, repo, manifestReference(r))
    const shown = `${r.registry}/${r.repository}${r.digest ? '@' : ':'}${manifestReference(r)}`
    const base = { reference: shown, digest: m.digest, mediaType: m.mediaType }
    if (childDescriptors(m).length) {
      const { info, text } = await indexInfo(client, repo, m, base)
      io.out(cmd.json ? jsonText(info, 2) + '\n' : indexText(info, text))
    } else {
      const platform = formatPlatform(await configPlatform(client, repo, m)) || undefined
      const info: SingleImageInfo = {
        ...base,
        ...(platform === undefined ? {} : { platform }),
        manifestBytes: m.bytes.length,
        blobBytes: imageBlobBytes(m)
      }
      io.out(cmd.json ? jsonText(info, 2) + '\n' : imageText(info))
    }
    return 0
  } finally {
    await client.close()
  }
}

/**
 * An index's platforms and attestation count, from its own bytes (pure): the entries a runtime can
 * select are its images (oci/manifest.ts runtimeSelectable; an entry of a real platform whatever it
 * is annotated), the others (platform `unknown/unknown`: BuildKit's attestation manifests) counted.
 */
export function indexPlatforms(m: Manifest): Pick<IndexInfo, 'platforms' | 'attestations'> {
  const children = childDescriptors(m)
  return {
    platforms: children
      .filter(runtimeSelectable)
      .map(c => formatPlatform(c.platform))
      .filter(Boolean),
    attestations: children.filter(c => !runtimeSelectable(c)).length
  }
}

/**
 * Bytes of the distinct blobs (config and layers) of `manifests`, each digest once: a layer that
 * several platforms share counts once, as copy moves it once (was summed per child manifest).
 */
export function distinctBlobBytes(manifests: readonly Manifest[]): number {
  const sizes = new Map<string, number>()
  for (const m of manifests)
    for (const d of [...(m.json.config ? [m.json.config] : []), ...(m.json.layers ?? [])])
      sizes.set(d.digest, d.size)
  return [...sizes.values()].reduce((n, size) => n + size, 0)
}

/** Bytes of an image manifest's config and layers (0 for an index). */
function imageBlobBytes(m: Manifest): number {
  return (m.json.config?.size ?? 0) + (m.json.layers ?? []).reduce((n, l) => n + l.size, 0)
}

/**
 * An index's facts: its platforms, its bytes and its child manifests' (from their descriptors), and
 * the distinct blobs of its children (each child manifest read, each blob digest counted once); for the text, its children and what its
 * attestation manifests attest.
 */
async function indexInfo(
  api: RegistryApi,
  repo: Repository,
  index: Manifest,
  base: Pick<IndexInfo, 'reference' | 'digest' | 'mediaType'>
): Promise<{ info: IndexInfo; text: IndexText }> {
  const children = childDescriptors(index)
  const manifests = await Promise.all(
    children.map(c => api.getManifest(repo, c.digest, { allowMissing: true }))
  )
  const missing = children
    .filter((_, i) => !manifests[i])
    .map(c => (c.platform ? `${formatPlatform(c.platform)} ${c.digest}` : `manifest ${c.digest}`))
  const info: IndexInfo = {
    ...base,
    ...indexPlatforms(index),
    manifestBytes: index.bytes.length + children.reduce((n, c) => n + c.size, 0),
    blobBytes: distinctBlobBytes(manifests.filter((m): m is Manifest => !!m)),
    ...(missing.length ? { missing } : {})
  }
  const attests = attestationNames(
    attestationsOf(
      index,
      manifests.filter((m): m is Manifest => !!m)
    ),
    false
  )
  return { info, text: { children: children.length, attests } }
}

/** The lines inspect prints for an index: the registry's strings (media type, platforms) through `inline`. */
function indexText(info: IndexInfo, index: IndexText): string {
  // BuildKit's attestation manifests by what they attest (their manifests were read for the sizes)
  const attestations = !info.attestations
    ? ''
    : index.attests
      ? ` (+ ${index.attests})`
      : ` (+${info.attestations} attestation manifest${info.attestations === 1 ? '' : 's'})`
  const s = index.children === 1 ? '' : 's'
  return [
    `digest:     ${info.digest}`,
    `media type: ${inline(info.mediaType)}`,
    `platforms:  ${inline(info.platforms.join(', ')) || '(none)'}${attestations}`,
    `manifests:  ${info.manifestBytes} bytes (index + ${index.children} child manifest${s})`,
    `blobs:      ${info.blobBytes} bytes (config + layers of ${index.children} child manifest${s}, each distinct blob once)`,
    ...(info.missing ?? []).map(
      m =>
        `missing:    ${inline(m)}: the registry does not have it (404); the image is incomplete, its blobs not counted`
    ),
    ''
  ].join('\n')
}

/** The lines inspect prints for a single image: the registry's strings through `inline`. */
function imageText(info: SingleImageInfo): string {
  return [
    `digest:     ${info.digest}`,
    `media type: ${inline(info.mediaType)}`,
    `platform:   ${info.platform === undefined ? '(not named in its config)' : inline(info.platform)}`,
    `manifest:   ${info.manifestBytes} bytes`,
    `blobs:      ${info.blobBytes} bytes (config + layers)`,
    ''
  ].join('\n')
}
