/** `promote-image inspect REF`: digest, media type, platforms and size of what REF names. */
import { resolve } from '../copy/promote.js'
import { childDescriptors, formatPlatform, type Manifest } from '../oci/manifest.js'
import { manifestReference } from '../reference/index.js'
import { isAttestationManifest } from '../copy/referrers.js'
import type { InspectCommand } from './args.js'
import { cliClient } from './client.js'
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
}

/**
 * Runs inspect; exit status 0.
 * @throws Error when REF does not exist or cannot be read (exit status 1)
 */
export async function runInspect(cmd: InspectCommand, io: Io): Promise<number> {
  const r = cmd.reference
  const client = cliClient(cmd.options, io.log)
  try {
    const repo = { registry: r.registry, repository: r.repository }
    const d = await resolve(client, repo, manifestReference(r))
    const m = await client.getManifest(repo, d.digest)
    const shown = `${r.registry}/${r.repository}${r.digest ? '@' : ':'}${manifestReference(r)}`
    if (!m) throw new Error(`${shown} disappeared while reading it`)
    const info = imageInfo(shown, d.digest, m)
    io.out(cmd.json ? jsonText(info, 2) + '\n' : infoText(info, childDescriptors(m).length > 0))
    return 0
  } finally {
    await client.close()
  }
}

/** The facts inspect prints about manifest `m` (pure). */
export function imageInfo(reference: string, digest: string, m: Manifest): ImageInfo {
  const children = childDescriptors(m)
  const size =
    m.bytes.length +
    (children.length
      ? children.reduce((n, c) => n + c.size, 0)
      : (m.json.config?.size ?? 0) + (m.json.layers ?? []).reduce((n, l) => n + l.size, 0))
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

/** The lines inspect prints on a terminal: the registry's strings (media type, platforms) through `inline`. */
function infoText(info: ImageInfo, isIndex: boolean): string {
  const attestations = info.attestations
    ? ` (+${info.attestations} attestation manifest${info.attestations === 1 ? '' : 's'})`
    : ''
  return (
    [
      `digest:     ${info.digest}`,
      `media type: ${inline(info.mediaType)}`,
      `platforms:  ${inline(info.platforms.join(', ')) || '(single image)'}${attestations}`,
      `size:       ${info.size} bytes${isIndex ? ' (index + child manifests)' : ' (manifest + config + layers)'}`
    ].join('\n') + '\n'
  )
}
