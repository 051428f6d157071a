/**
 * The distribution-spec verbs (spec.md "Endpoints" end-2 … end-11) over the Transport: manifest
 * HEAD/GET/PUT kept as raw bytes, blob HEAD/GET, upload sessions (POST, mount, monolithic PUT,
 * chunked PATCH), tag listing. Knows nothing of images beyond manifests; nothing of GitHub.
 */
import type { Readable } from 'node:stream'
import type { Scope } from '../auth/authenticator.js'
import { digestOf, isDigest } from '../oci/digest.js'
import { parseManifest, type Descriptor, type Manifest } from '../oci/manifest.js'
import { MANIFEST_ACCEPT } from '../oci/mediatypes.js'
import { DigestMismatchError, RegistryError } from './errors.js'
import type { RegistryResponse, Transport } from './transport.js'

/** A repository on a registry: `{ registry: 'ghcr.io', repository: 'org/app' }`. */
export interface Repository {
  registry: string
  repository: string
}

/** Counters of what the client did (tests, reports). */
export interface ClientStats {
  manifestHeads: number
  manifestGets: number
  manifestPuts: number
  blobHeads: number
  blobGets: number
  uploadsStarted: number
  mounts: number
  /** blob bytes sent in upload bodies */
  bytesUploaded: number
}

function one(h: string | string[] | undefined): string | undefined {
  return Array.isArray(h) ? h[0] : h
}

const pull = (r: Repository): Scope[] => [{ repository: r.repository, actions: ['pull'] }]
const push = (r: Repository): Scope[] => [{ repository: r.repository, actions: ['pull', 'push'] }]

/** An upload session: where to send the next request (Location, kept verbatim with its query). */
export interface UploadSession {
  repo: Repository
  location: URL
  /** `OCI-Chunk-Min-Length`, bytes, when the registry sent it */
  chunkMinLength?: number
}

/** The registry client: one instance per run, shared by every copy. */
export class RegistryClient {
  readonly stats: ClientStats = {
    manifestHeads: 0,
    manifestGets: 0,
    manifestPuts: 0,
    blobHeads: 0,
    blobGets: 0,
    uploadsStarted: 0,
    mounts: 0,
    bytesUploaded: 0
  }

  constructor(readonly transport: Transport) {}

  /** Releases pooled connections. */
  async close(): Promise<void> {
    await this.transport.close()
  }

  private path(repo: Repository, kind: string, ref: string): string {
    return `/v2/${repo.repository}/${kind}/${ref}`
  }

  /**
   * HEAD a manifest by tag or digest (end-3). Returns its descriptor (digest from
   * `Docker-Content-Digest`, size from `Content-Length`) or undefined on 404. When HEAD is refused
   * (403/405) or the digest header is missing, falls back to GET and hashes the bytes.
   */
  async headManifest(repo: Repository, reference: string): Promise<Descriptor | undefined> {
    this.stats.manifestHeads++
    let res: RegistryResponse
    try {
      res = await this.transport.request({
        registry: repo.registry,
        method: 'HEAD',
        url: this.path(repo, 'manifests', reference),
        headers: { accept: MANIFEST_ACCEPT },
        scopes: pull(repo),
        expect: [200, 404]
      })
    } catch (e) {
      if (e instanceof RegistryError && (e.status === 403 || e.status === 405)) {
        const m = await this.getManifest(repo, reference, { allowMissing: true })
        return m && { mediaType: m.mediaType, digest: m.digest, size: m.bytes.length }
      }
      throw e
    }
    await res.body.dump()
    if (res.status === 404) return undefined
    const digest = one(res.headers['docker-content-digest'])
    const mediaType = (one(res.headers['content-type']) ?? '').split(';')[0].trim()
    if (!digest || !isDigest(digest) || (isDigest(reference) && digest !== reference)) {
      const m = await this.getManifest(repo, reference, { allowMissing: true })
      return m && { mediaType: m.mediaType, digest: m.digest, size: m.bytes.length }
    }
    return { mediaType, digest, size: Number(one(res.headers['content-length']) ?? -1) }
  }

  /**
   * GET a manifest (end-3) with the full Accept list, keeping the served bytes. By digest, the
   * bytes must hash to that digest. Without `Docker-Content-Digest`, the digest is computed.
   * @returns the manifest, or undefined on 404 when `allowMissing`
   * @throws RegistryError (404 without allowMissing, other statuses), DigestMismatchError
   */
  async getManifest(
    repo: Repository,
    reference: string,
    opts: { allowMissing?: boolean } = {}
  ): Promise<Manifest | undefined> {
    this.stats.manifestGets++
    const res = await this.transport.request({
      registry: repo.registry,
      method: 'GET',
      url: this.path(repo, 'manifests', reference),
      headers: { accept: MANIFEST_ACCEPT },
      scopes: pull(repo),
      expect: opts.allowMissing ? [200, 404] : [200]
    })
    if (res.status === 404) {
      await res.body.dump()
      return undefined
    }
    const bytes = Buffer.from(await res.body.arrayBuffer())
    const header = one(res.headers['docker-content-digest'])
    let digest: string
    if (isDigest(reference)) {
      digest = digestOf(bytes, reference.startsWith('sha512:') ? 'sha512' : 'sha256')
      if (digest !== reference) {
        throw new DigestMismatchError(
          `manifest ${repo.registry}/${repo.repository}@${reference}`,
          reference,
          digest,
          bytes.length
        )
      }
    } else if (header && isDigest(header)) {
      digest = digestOf(bytes, header.startsWith('sha512:') ? 'sha512' : 'sha256')
      if (digest !== header) {
        throw new DigestMismatchError(
          `manifest ${repo.registry}/${repo.repository}:${reference}`,
          header,
          digest,
          bytes.length
        )
      }
    } else {
      digest = digestOf(bytes)
    }
    return parseManifest(bytes, one(res.headers['content-type']), digest)
  }

  /**
   * PUT a manifest's exact bytes to a tag or digest (end-7a), `Content-Type` = its media type.
   * @returns the digest the registry reports (or the manifest's own)
   * @throws RegistryError; Error when the registry reports another digest
   */
  async putManifest(repo: Repository, reference: string, manifest: Manifest): Promise<string> {
    this.stats.manifestPuts++
    const res = await this.transport.request({
      registry: repo.registry,
      method: 'PUT',
      url: this.path(repo, 'manifests', reference),
      headers: { 'content-type': manifest.mediaType },
      body: manifest.bytes,
      scopes: push(repo),
      expect: [200, 201, 202]
    })
    await res.body.dump()
    const reported = one(res.headers['docker-content-digest'])
    if (reported && isDigest(reported) && reported !== manifest.digest) {
      throw new Error(
        `PUT manifest ${repo.registry}/${repo.repository}:${reference}: registry reports digest ${reported}, expected ${manifest.digest}`
      )
    }
    return manifest.digest
  }

  /** HEAD a blob (end-2): its size in bytes, or undefined when this repository lacks it. */
  async headBlob(repo: Repository, digest: string): Promise<number | undefined> {
    this.stats.blobHeads++
    const res = await this.transport.request({
      registry: repo.registry,
      method: 'HEAD',
      url: this.path(repo, 'blobs', digest),
      scopes: pull(repo),
      expect: [200, 404]
    })
    await res.body.dump()
    if (res.status === 404) return undefined
    return Number(one(res.headers['content-length']) ?? -1)
  }

  /**
   * GET a blob (end-2), following redirects (without `Authorization` across origins).
   * @param range first byte to read (resume); sends `Range: bytes=N-`
   * @returns the body stream (unverified: the caller hashes it) and the status (206 for a range)
   */
  async getBlob(
    repo: Repository,
    digest: string,
    range?: number
  ): Promise<{ body: Readable; status: number; length?: number }> {
    this.stats.blobGets++
    const res = await this.transport.request({
      registry: repo.registry,
      method: 'GET',
      url: this.path(repo, 'blobs', digest),
      headers: range ? { range: `bytes=${range}-` } : {},
      scopes: pull(repo),
      expect: range ? [200, 206] : [200]
    })
    const len = one(res.headers['content-length'])
    return {
      body: res.body as unknown as Readable,
      status: res.status,
      length: len !== undefined ? Number(len) : undefined
    }
  }

  /**
   * Opens an upload session (end-4a), or mounts a blob from another repository of the same
   * registry (end-11). Only 201 means mounted; 202 opens a session to use instead.
   * @returns `{ mounted: true }` or `{ mounted: false, session }`
   */
  async startUpload(
    repo: Repository,
    mount?: { digest: string; from: string }
  ): Promise<{ mounted: true } | { mounted: false; session: UploadSession }> {
    this.stats.uploadsStarted++
    const scopes: Scope[] = push(repo)
    let url = `/v2/${repo.repository}/blobs/uploads/`
    if (mount) {
      this.stats.mounts++
      scopes.push({ repository: mount.from, actions: ['pull'] })
      url += `?mount=${encodeURIComponent(mount.digest)}&from=${encodeURIComponent(mount.from)}`
    }
    const res = await this.transport.request({
      registry: repo.registry,
      method: 'POST',
      url,
      headers: { 'content-length': '0' },
      scopes,
      expect: [201, 202]
    })
    await res.body.dump()
    if (res.status === 201 && mount) return { mounted: true }
    const location = one(res.headers.location)
    if (!location)
      throw new RegistryError(
        'POST',
        res.url.toString(),
        res.status,
        '',
        'upload session without a Location header'
      )
    const min = one(res.headers['oci-chunk-min-length'])
    return {
      mounted: false,
      session: { repo, location: new URL(location, res.url), chunkMinLength: min ? Number(min) : undefined }
    }
  }

  /**
   * Finishes an upload with one streaming PUT of the whole blob (monolithic, end-6):
   * `PUT <location>&digest=D` with `Content-Length: size`. The body is never buffered.
   * @throws RegistryError (e.g. DIGEST_INVALID when the bytes do not match)
   */
  async putBlob(
    session: UploadSession,
    digest: string,
    size: number,
    body: Readable | Buffer
  ): Promise<void> {
    const url = new URL(session.location)
    url.searchParams.set('digest', digest)
    const res = await this.transport.request({
      registry: session.repo.registry,
      method: 'PUT',
      url,
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(size) },
      body,
      scopes: push(session.repo),
      expect: [201, 204]
    })
    await res.body.dump()
    this.stats.bytesUploaded += size
  }

  /**
   * Sends one chunk of a chunked upload (end-5): `PATCH` with `Content-Range: start-end`.
   * Accepts 202 or 201, checks that `Range` (if sent) advanced to `start + length - 1` (lenient:
   * optional `bytes=` prefix), and moves the session to the returned Location.
   * @throws RegistryError; Error when the registry's Range did not advance
   */
  async patchChunk(session: UploadSession, start: number, chunk: Buffer): Promise<void> {
    const end = start + chunk.length - 1
    const res = await this.transport.request({
      registry: session.repo.registry,
      method: 'PATCH',
      url: session.location,
      headers: {
        'content-type': 'application/octet-stream',
        'content-range': `${start}-${end}`,
        'content-length': String(chunk.length)
      },
      body: chunk,
      scopes: push(session.repo),
      expect: [201, 202, 204]
    })
    await res.body.dump()
    this.stats.bytesUploaded += chunk.length
    const range = one(res.headers.range)
    if (range) {
      const m = /^(?:bytes=)?(\d+)-(-?\d+)$/.exec(range.trim())
      if (m && Number(m[2]) !== end) {
        throw new Error(
          `PATCH upload to ${session.repo.registry}/${session.repo.repository}: Range is "${range}", expected the upload to reach byte ${end}`
        )
      }
    }
    const location = one(res.headers.location)
    if (location) session.location = new URL(location, res.url)
  }

  /** Closes a chunked upload: `PUT <location>&digest=D` with an empty body (end-6). */
  async finishChunked(session: UploadSession, digest: string): Promise<void> {
    const url = new URL(session.location)
    url.searchParams.set('digest', digest)
    const res = await this.transport.request({
      registry: session.repo.registry,
      method: 'PUT',
      url,
      headers: { 'content-type': 'application/octet-stream', 'content-length': '0' },
      body: Buffer.alloc(0),
      scopes: push(session.repo),
      expect: [201, 204]
    })
    await res.body.dump()
  }

  /** Cancels an upload session (end-14); failures are ignored. */
  async cancelUpload(session: UploadSession): Promise<void> {
    try {
      const res = await this.transport.request({
        registry: session.repo.registry,
        method: 'DELETE',
        url: session.location,
        scopes: push(session.repo),
        expect: [200, 202, 204, 404, 405]
      })
      await res.body.dump()
    } catch {
      // servers expire stale sessions on their own
    }
  }

  /** Lists tags (end-8a/8b), following `Link: rel="next"` (at most 100 pages). */
  async listTags(repo: Repository): Promise<string[]> {
    const tags: string[] = []
    let url: string | URL = `/v2/${repo.repository}/tags/list?n=1000`
    for (let page = 0; page < 100 && url; page++) {
      const res: RegistryResponse = await this.transport.request({
        registry: repo.registry,
        method: 'GET',
        url,
        scopes: pull(repo),
        expect: [200, 404]
      })
      if (res.status === 404) {
        await res.body.dump()
        return tags
      }
      const json = (await res.body.json()) as { tags?: string[] | null }
      tags.push(...(json.tags ?? []))
      const link = one(res.headers.link)
      const next = link ? /<([^>]+)>\s*;\s*rel="?next"?/.exec(link) : null
      url = next ? new URL(next[1], res.url) : ''
    }
    return tags
  }
}
