/**
 * `promote-image inspect REF`: digest, media type, platforms (an index's children) or platform (a
 * single image, from its config blob), and sizes labelled: the manifest bytes and the bytes of all
 * blobs (an image's config + layers; for an index, the total over its child manifests).
 */
import { resolve } from '../copy/promote.js'
import { DigestVerifier } from '../oci/digest.js'
import { childDescriptors, formatPlatform, type Manifest, type Platform } from '../oci/manifest.js'
import { manifestReference } from '../reference/index.js'
import { isAttestationManifest } from '../referrers/discovery.js'
import { attestationsOf } from '../copy/attestations.js'
import { attestationNames } from '../report/names.js'
import type { RegistryApi, Repository } from '../registry/api.js'
import type { InspectCommand } from './args.js'
import { readClient } from './registry-read.js'
import type { Io } from './io.js'
import { inline, jsonText } from '../report/neutralise.js'

/** What inspect prints (as JSON with --json). */
export interface ImageInfo {
  /** `registry/repository:tag` or `registry/repository@digest` */
  reference: string
  digest: string
  mediaType: string
  /** the child manifests' platforms, BuildKit's attestation manifests (unknown/unknown) left out */
  platforms: string[]
  /** how many attestation manifests the index holds */
  attestations: number
  /** bytes: an index and its child manifests, or a manifest, its config and layers */
  size: number
  /** a single image: its platform from its config blob (`linux/arm64/v8`), when the config names one */
  platform?: string
  /** a single image: the bytes of its manifest */
  manifestBytes?: number
  /** a single image: the bytes of its config and layers */
  blobBytes?: number
}

/** Sizes for the text output: manifest bytes and blob bytes (an index: summed over its children). */
interface Sizes {
  manifestBytes: number
  blobBytes: number
  children: number
  /** what the attestation manifests attest, plain text (report/names.ts): '' for none */
  attests: string
}

/** Largest config blob read for its platform (bytes); a larger one is not an image config. */
const MAX_CONFIG_BYTES = 4 * 1024 * 1024

/**
 * Runs inspect; exit status 0.
 * @throws Error when REF does not exist or cannot be read (exit status 1); with `--json`,
 *   `{"error": MESSAGE}` is printed on stdout first
 */
export async function runInspect(cmd: InspectCommand, io: Io): Promise<number> {
  const r = cmd.reference
  const client = await readClient(cmd, io)
  try {
    const repo = { registry: r.registry, repository: r.repository }
    const d = await resolve(client, repo, manifestReference(r))
    const m = await client.getManifest(repo, d.digest)
    const shown = `${r.registry}/${r.repository}${r.digest ? '@' : ':'}${manifestReference(r)}`
    if (!m) throw new Error(`${shown} disappeared while reading it`)
    const children = childDescriptors(m)
    const info = imageInfo(shown, d.digest, m)
    if (!children.length) {
      info.platform = formatPlatform(await configPlatform(client, repo, m)) || undefined
      info.manifestBytes = m.bytes.length
      info.blobBytes = imageBlobBytes(m)
    }
    const sizes = children.length ? await indexSizes(client, repo, m) : undefined
    io.out(cmd.json ? jsonText(info, 2) + '\n' : infoText(info, sizes))
    return 0
  } catch (e) {
    // with --json a failure still gives one object on stdout, as copy's does (the message on stderr)
    if (cmd.json) io.out(jsonText({ error: (e as Error).message }, 2) + '\n')
    throw e
  } finally {
    await client.close()
  }
}

/** The facts inspect prints about manifest `m` (pure). */
export function imageInfo(reference: string, digest: string, m: Manifest): ImageInfo {
  const children = childDescriptors(m)
  const size =
    m.bytes.length + (children.length ? children.reduce((n, c) => n + c.size, 0) : imageBlobBytes(m))
  // BuildKit's attestation manifests (unknown/unknown, attestation-manifest annotation) are not platforms
  const attestations = children.filter(c => isAttestationManifest(c))
  const platforms = children.filter(c => !isAttestationManifest(c)).map(c => formatPlatform(c.platform))
  return {
    reference,
    digest,
    mediaType: m.mediaType,
    platforms: platforms.filter(Boolean),
    attestations: attestations.length,
    size
  }
}

/** Bytes of an image manifest's config and layers (0 for an index). */
function imageBlobBytes(m: Manifest): number {
  return (m.json.config?.size ?? 0) + (m.json.layers ?? []).reduce((n, l) => n + l.size, 0)
}

/**
 * The platform an image's config blob names (`os`, `architecture`, `variant`), read and checked
 * against its digest; undefined when the config is not a JSON image config (an artifact) or too big.
 * @throws Error when the config blob cannot be read or does not match its digest
 */
export async function configPlatform(
  api: RegistryApi,
  repo: Repository,
  m: Manifest
): Promise<Platform | undefined> {
  const config = m.json.config
  if (!config || config.size > MAX_CONFIG_BYTES) return undefined
  const verifier = new DigestVerifier(config.digest)
  const chunks: Buffer[] = []
  for await (const c of api.readBlob(repo, config.digest, config.size)) {
    verifier.update(c as Buffer)
    chunks.push(c as Buffer)
  }
  if (verifier.digest() !== config.digest)
    throw new Error(
      `config blob ${config.digest} of ${repo.registry}/${repo.repository} does not match its digest`
    )
  try {
    const json = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Partial<Platform>
    if (typeof json.os !== 'string' || typeof json.architecture !== 'string') return undefined
    return { os: json.os, architecture: json.architecture, variant: json.variant }
  } catch {
    return undefined
  }
}

/** An index's sizes: its bytes and its children's, and the blobs of every child image. */
async function indexSizes(api: RegistryApi, repo: Repository, index: Manifest): Promise<Sizes> {
  const children = childDescriptors(index)
  const manifests = await Promise.all(children.map(c => api.getManifest(repo, c.digest)))
  return {
    manifestBytes: index.bytes.length + children.reduce((n, c) => n + c.size, 0),
    blobBytes: manifests.reduce((n, m) => n + (m ? imageBlobBytes(m) : 0), 0),
    attests: attestationNames(
      attestationsOf(
        index,
        manifests.filter((m): m is Manifest => !!m)
      ),
      false
    ),
    children: children.length
  }
}

/** The lines inspect prints on a terminal: the registry's strings (media type, platforms) through `inline`. */
function infoText(info: ImageInfo, index: Sizes | undefined): string {
  // BuildKit's attestation manifests by what they attest (their manifests were read for the sizes)
  const attestations = !info.attestations
    ? ''
    : index?.attests
      ? ` (+ ${index.attests})`
      : ` (+${info.attestations} attestation manifest${info.attestations === 1 ? '' : 's'})`
  const s = (n: number): string => (n === 1 ? '' : 's')
  const lines = [`digest:     ${info.digest}`, `media type: ${inline(info.mediaType)}`]
  if (index)
    lines.push(
      `platforms:  ${inline(info.platforms.join(', ')) || '(none)'}${attestations}`,
      `manifests:  ${index.manifestBytes} bytes (index + ${index.children} child manifest${s(index.children)})`,
      `blobs:      ${index.blobBytes} bytes (config + layers of ${index.children} child manifest${s(index.children)})`
    )
  else
    lines.push(
      `platform:   ${info.platform === undefined ? '(not named in its config)' : inline(info.platform)}`,
      `manifest:   ${info.manifestBytes} bytes`,
      `blobs:      ${info.blobBytes} bytes (config + layers)`
    )
  return lines.join('\n') + '\n'
}
