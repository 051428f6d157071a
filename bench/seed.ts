/**
 * Streaming seeder for the benchmark: pushes blobs of random (incompressible) bytes over raw HTTP
 * (undici, no project code) without ever holding a whole blob in memory, so a 1 GB layer costs a few
 * MB. Each blob is generated once and streamed to every destination at once: POST an upload session,
 * one streaming PATCH (hashing as the bytes go), then `PUT ?digest=`. Manifests are pushed with the
 * non-canonical whitespace of the test helpers, so a tool that re-serialises them changes the digest.
 */
import { createHash, randomFillSync } from 'node:crypto'
import { PassThrough } from 'node:stream'
import { request } from 'undici'
import {
  CONFIG,
  LAYER,
  OCI_INDEX,
  OCI_MANIFEST,
  oddJson,
  pushManifest,
  sha256
} from '../__tests__/helpers/images.js'

export interface Dest {
  /** `http://127.0.0.1:PORT` of a registry (direct, not through a proxy) */
  url: string
  repo: string
}

export interface BlobRef {
  digest: string
  size: number
  mediaType: string
}

export interface SeededManifest {
  digest: string
  mediaType: string
  bytes: Buffer
}

export interface SeededImage {
  /** the root (manifest or index) */
  root: SeededManifest
  /** child manifests first, root last: the order to push them */
  manifests: SeededManifest[]
  /** every distinct blob (configs and layers) */
  blobs: BlobRef[]
}

const CHUNK = 1 << 20

async function openSession(d: Dest): Promise<URL> {
  const res = await request(`${d.url}/v2/${d.repo}/blobs/uploads/`, { method: 'POST' })
  await res.body.dump()
  if (res.statusCode !== 202) throw new Error(`POST upload to ${d.url}/${d.repo} answered ${res.statusCode}`)
  return new URL(String(res.headers.location), d.url)
}

async function finish(loc: URL, digest: string): Promise<void> {
  loc.searchParams.set('digest', digest)
  const res = await request(loc, { method: 'PUT', headers: { 'content-length': '0' } })
  const text = await res.body.text()
  if (res.statusCode !== 201) throw new Error(`PUT ?digest= answered ${res.statusCode}: ${text}`)
}

/** Streams `size` random bytes to every destination; returns the blob's descriptor. */
export async function pushRandomBlob(dests: Dest[], size: number, mediaType = LAYER): Promise<BlobRef> {
  const sessions = await Promise.all(dests.map(openSession))
  const pipes = dests.map(() => new PassThrough({ highWaterMark: 4 * CHUNK }))
  const patches = sessions.map(async (loc, i) => {
    const res = await request(loc, {
      method: 'PATCH',
      headers: { 'content-type': 'application/octet-stream' },
      body: pipes[i]
    })
    const text = await res.body.text()
    if (res.statusCode !== 202) throw new Error(`PATCH answered ${res.statusCode}: ${text}`)
    return new URL(String(res.headers.location), loc)
  })
  const hash = createHash('sha256')
  for (let sent = 0; sent < size;) {
    const n = Math.min(CHUNK, size - sent)
    const chunk = randomFillSync(Buffer.allocUnsafe(n))
    hash.update(chunk)
    sent += n
    const waits = pipes.filter(p => !p.write(chunk)).map(p => new Promise(r => p.once('drain', r)))
    if (waits.length) await Promise.all(waits)
  }
  for (const p of pipes) p.end()
  const digest = `sha256:${hash.digest('hex')}`
  const locations = await Promise.all(patches)
  await Promise.all(locations.map(loc => finish(loc, digest)))
  return { digest, size, mediaType }
}

/** Pushes small bytes (configs) to every destination with POST + monolithic PUT. */
export async function pushBytes(dests: Dest[], bytes: Buffer, mediaType: string): Promise<BlobRef> {
  const digest = sha256(bytes)
  await Promise.all(
    dests.map(async d => {
      const loc = await openSession(d)
      loc.searchParams.set('digest', digest)
      const res = await request(loc, {
        method: 'PUT',
        headers: { 'content-type': 'application/octet-stream', 'content-length': String(bytes.length) },
        body: bytes
      })
      await res.body.dump()
      if (res.statusCode !== 201) throw new Error(`PUT blob answered ${res.statusCode}`)
    })
  )
  return { digest, size: bytes.length, mediaType }
}

async function pushManifestAll(
  dests: Dest[],
  reference: string,
  bytes: Buffer,
  mediaType: string
): Promise<SeededManifest> {
  for (const d of dests) await pushManifest(d.url, d.repo, reference, bytes, mediaType)
  return { digest: sha256(bytes), mediaType, bytes }
}

type Platform = { os: string; architecture: string; variant?: string }

async function imageManifest(
  dests: Dest[],
  layers: BlobRef[],
  platform: Platform,
  tag?: string
): Promise<{ manifest: SeededManifest; config: BlobRef }> {
  const config = await pushBytes(
    dests,
    Buffer.from(
      JSON.stringify({
        ...platform,
        rootfs: { type: 'layers', diff_ids: layers.map(l => l.digest) },
        config: {}
      })
    ),
    CONFIG
  )
  const bytes = oddJson({
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: { mediaType: CONFIG, digest: config.digest, size: config.size },
    layers: layers.map(l => ({ mediaType: l.mediaType, digest: l.digest, size: l.size }))
  })
  const manifest = await pushManifestAll(dests, tag ?? sha256(bytes), bytes, OCI_MANIFEST)
  return { manifest, config }
}

/** Pushes a single-platform image of `layerCount` random layers of `layerSize` bytes (2 at a time). */
export async function seedImage(
  dests: Dest[],
  layerCount: number,
  layerSize: number,
  tag = 'seed'
): Promise<SeededImage> {
  const layers: BlobRef[] = []
  for (let i = 0; i < layerCount; i += 2) {
    const batch = Math.min(2, layerCount - i)
    layers.push(...(await Promise.all(Array.from({ length: batch }, () => pushRandomBlob(dests, layerSize)))))
  }
  const { manifest, config } = await imageManifest(dests, layers, { os: 'linux', architecture: 'amd64' }, tag)
  return { root: manifest, manifests: [manifest], blobs: [config, ...layers] }
}

/**
 * Pushes a multi-platform OCI index: each platform's image has the `sharedCount` shared layers plus one
 * unique layer, all `layerSize` bytes.
 */
export async function seedIndex(
  dests: Dest[],
  platforms: Platform[],
  sharedCount: number,
  layerSize: number,
  tag = 'seed'
): Promise<SeededImage> {
  const shared: BlobRef[] = []
  for (let i = 0; i < sharedCount; i++) shared.push(await pushRandomBlob(dests, layerSize))
  const blobs: BlobRef[] = [...shared]
  const children: SeededManifest[] = []
  for (const p of platforms) {
    const unique = await pushRandomBlob(dests, layerSize)
    const { manifest, config } = await imageManifest(dests, [...shared, unique], p)
    blobs.push(unique, config)
    children.push(manifest)
  }
  const bytes = oddJson({
    schemaVersion: 2,
    mediaType: OCI_INDEX,
    manifests: children.map((c, i) => ({
      mediaType: c.mediaType,
      digest: c.digest,
      size: c.bytes.length,
      platform: platforms[i]
    }))
  })
  const root = await pushManifestAll(dests, tag, bytes, OCI_INDEX)
  return { root, manifests: [...children, root], blobs }
}
