/**
 * Seeds real registries with synthetic images over plain HTTP (undici, no project code), so the
 * client under test is not also the tool that prepared its input. Manifests are pushed with
 * non-canonical JSON whitespace on purpose: a copy that re-serialises them changes the digest.
 */
import { createHash, randomBytes } from 'node:crypto'
import { request } from 'undici'
import { MANIFEST_ACCEPT } from '../../src/oci/mediatypes.js'

export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json'
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json'
export const LAYER = 'application/vnd.oci.image.layer.v1.tar+gzip'
export const CONFIG = 'application/vnd.oci.image.config.v1+json'

export const sha256 = (b: Buffer): string => `sha256:${createHash('sha256').update(b).digest('hex')}`

export interface Blob {
  digest: string
  size: number
  bytes: Buffer
  mediaType: string
  /** annotations of its descriptor in the manifest that lists it (pushImage) */
  annotations?: Record<string, string>
}

export const blobOf = (bytes: Buffer, mediaType = LAYER): Blob => ({
  digest: sha256(bytes),
  size: bytes.length,
  bytes,
  mediaType
})

/** Random (incompressible) bytes as a layer blob. */
export const randomBlob = (size: number): Blob => blobOf(randomBytes(size))

/** Uploads a blob with POST + monolithic PUT (no auth). */
export async function pushBlob(
  baseUrl: string,
  repo: string,
  blob: Blob,
  headers: Record<string, string> = {}
): Promise<void> {
  const post = await request(`${baseUrl}/v2/${repo}/blobs/uploads/`, { method: 'POST', headers })
  await post.body.dump()
  if (post.statusCode !== 202) throw new Error(`POST upload answered ${post.statusCode}`)
  const loc = new URL(String(post.headers.location), baseUrl)
  loc.searchParams.set('digest', blob.digest)
  const put = await request(loc, {
    method: 'PUT',
    headers: { ...headers, 'content-type': 'application/octet-stream', 'content-length': String(blob.size) },
    body: blob.bytes
  })
  await put.body.dump()
  if (put.statusCode !== 201) throw new Error(`PUT blob answered ${put.statusCode}`)
}

/** Serialises with odd whitespace (3-space indent, spaces before colons) — not canonical JSON. */
export function oddJson(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value, null, 3).replace(/": /g, '" :  ') + '\n\n')
}

/** PUTs manifest bytes to a tag or digest; returns the digest of the bytes. */
export async function pushManifest(
  baseUrl: string,
  repo: string,
  reference: string,
  bytes: Buffer,
  mediaType: string,
  headers: Record<string, string> = {}
): Promise<string> {
  const res = await request(`${baseUrl}/v2/${repo}/manifests/${reference}`, {
    method: 'PUT',
    headers: { ...headers, 'content-type': mediaType },
    body: bytes
  })
  const text = await res.body.text()
  if (res.statusCode !== 201) throw new Error(`PUT manifest answered ${res.statusCode}: ${text}`)
  return sha256(bytes)
}

export interface SeededImage {
  digest: string
  bytes: Buffer
  mediaType: string
  blobs: Blob[]
}

/** Pushes one image (config + layers) and returns its manifest. Tag optional. */
export async function pushImage(
  baseUrl: string,
  repo: string,
  layers: Blob[],
  opts: {
    tag?: string
    platform?: { os: string; architecture: string; variant?: string }
    headers?: Record<string, string>
  } = {}
): Promise<SeededImage> {
  const platform = opts.platform ?? { os: 'linux', architecture: 'amd64' }
  const config = blobOf(
    Buffer.from(
      JSON.stringify({
        ...platform,
        rootfs: { type: 'layers', diff_ids: layers.map(l => l.digest) },
        config: {}
      })
    ),
    CONFIG
  )
  for (const b of [config, ...layers]) await pushBlob(baseUrl, repo, b, opts.headers)
  const bytes = oddJson({
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: { mediaType: CONFIG, digest: config.digest, size: config.size },
    layers: layers.map(l => ({
      mediaType: l.mediaType,
      digest: l.digest,
      size: l.size,
      ...(l.annotations ? { annotations: l.annotations } : {})
    }))
  })
  const digest = await pushManifest(
    baseUrl,
    repo,
    opts.tag ?? sha256(bytes),
    bytes,
    OCI_MANIFEST,
    opts.headers
  )
  return { digest, bytes, mediaType: OCI_MANIFEST, blobs: [config, ...layers] }
}

export interface SeededIndex extends SeededImage {
  children: SeededImage[]
}

/**
 * Pushes a multi-platform index: one image per platform, each with `shared` layers common to all
 * and one unique layer of `uniqueSize` bytes, plus an attestation manifest (platform unknown/unknown).
 */
export async function pushIndex(
  baseUrl: string,
  repo: string,
  tag: string,
  opts: {
    platforms: Array<{ os: string; architecture: string; variant?: string }>
    shared: Blob[]
    uniqueSize: number
    attestation?: boolean
  }
): Promise<SeededIndex> {
  const children: SeededImage[] = []
  for (const p of opts.platforms) {
    children.push(
      await pushImage(baseUrl, repo, [...opts.shared, randomBlob(opts.uniqueSize)], { platform: p })
    )
  }
  const entries: unknown[] = children.map((c, i) => ({
    mediaType: OCI_MANIFEST,
    digest: c.digest,
    size: c.bytes.length,
    platform: opts.platforms[i]
  }))
  if (opts.attestation) {
    const statement = blobOf(
      Buffer.from(
        JSON.stringify({
          _type: 'https://in-toto.io/Statement/v0.1',
          predicateType: 'https://slsa.dev/provenance/v0.2'
        })
      ),
      'application/vnd.in-toto+json'
    )
    // as BuildKit writes it: the predicate type on the layer's descriptor
    statement.annotations = { 'in-toto.io/predicate-type': 'https://slsa.dev/provenance/v0.2' }
    const att = await pushImage(baseUrl, repo, [statement], {
      platform: { os: 'unknown', architecture: 'unknown' }
    })
    children.push(att)
    entries.push({
      mediaType: OCI_MANIFEST,
      digest: att.digest,
      size: att.bytes.length,
      platform: { os: 'unknown', architecture: 'unknown' },
      annotations: {
        'vnd.docker.reference.type': 'attestation-manifest',
        'vnd.docker.reference.digest': children[0].digest
      }
    })
  }
  const bytes = oddJson({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: entries })
  const digest = await pushManifest(baseUrl, repo, tag, bytes, OCI_INDEX)
  const blobs = new Map<string, Blob>()
  for (const c of children) for (const b of c.blobs) blobs.set(b.digest, b)
  return { digest, bytes, mediaType: OCI_INDEX, blobs: [...blobs.values()], children }
}

/** GETs a manifest's raw bytes and Docker-Content-Digest (undefined on 404). */
export async function rawManifest(
  baseUrl: string,
  repo: string,
  reference: string
): Promise<{ bytes: Buffer; digest: string } | undefined> {
  const res = await request(`${baseUrl}/v2/${repo}/manifests/${reference}`, {
    headers: { accept: MANIFEST_ACCEPT }
  })
  if (res.statusCode === 404) {
    await res.body.dump()
    return undefined
  }
  const bytes = Buffer.from(await res.body.arrayBuffer())
  return { bytes, digest: String(res.headers['docker-content-digest']) }
}

/** Lists tags (sorted) of a repository, [] when it does not exist. */
export async function listTags(baseUrl: string, repo: string): Promise<string[]> {
  const res = await request(`${baseUrl}/v2/${repo}/tags/list`)
  if (res.statusCode === 404) {
    await res.body.dump()
    return []
  }
  const json = (await res.body.json()) as { tags: string[] | null }
  return (json.tags ?? []).sort()
}
