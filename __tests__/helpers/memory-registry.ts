/**
 * An in-memory RegistryApi over several registries, for pure planner tables only (the wire is
 * tested against real registries). Registries are told apart by `registryKey` (Docker Hub aliases
 * are one registry); each repository holds blobs, manifests by digest, and tags. Upload sessions
 * (monolithic and chunked), mounts only between repositories of one registry, and a request log
 * (`HEAD prod.test/prod/app manifests/v1`, …) so a table can assert what the probe asked.
 *
 * Usage:
 *   const mem = new MemoryRegistry()
 *   const image = mem.seedImage({ registry: 'staging.test', repository: 'team/app' }, [1000, 200], 'v1')
 *   … walkGraph(mem, …), probeTargets(mem, …) …
 *   expect(mem.log).toEqual(['HEAD prod.test/prod/app manifests/v1', …])
 */
import { createHash } from 'node:crypto'
import { Readable } from 'node:stream'
import type {
  PutManifestAnswer,
  ReferrersList,
  RegistryApi,
  Repository,
  UploadSession,
  UploadStart
} from '../../src/registry/api.js'
import { registryKey } from '../../src/reference/hosts.js'
import { parseManifest, type Descriptor, type Manifest } from '../../src/oci/manifest.js'
import { OCI_INDEX, OCI_MANIFEST } from '../../src/oci/mediatypes.js'

const LAYER = 'application/vnd.oci.image.layer.v1.tar+gzip'
const CONFIG = 'application/vnd.oci.image.config.v1+json'

const sha256 = (b: Buffer): string => `sha256:${createHash('sha256').update(b).digest('hex')}`

interface Store {
  blobs: Map<string, Buffer>
  manifests: Map<string, Manifest>
  tags: Map<string, string>
}

/** An image seeded into a repository: its manifest and blobs (config first, then the layers). */
export interface MemoryImage {
  digest: string
  manifest: Manifest
  blobs: Descriptor[]
}

/** See the module comment. */
export class MemoryRegistry implements RegistryApi {
  /** every call, in order: `METHOD registry/repository what` */
  readonly log: string[] = []
  private readonly stores = new Map<string, Store>()
  private readonly sessions = new Map<string, { chunks: Buffer[] }>()
  private nextSession = 1
  private seedCount = 0

  /**
   * @param referrersApi registries (as named in references) that serve the referrers API and
   *   answer `OCI-Subject` to a PUT of a manifest with `subject`; the others answer neither
   */
  constructor(private readonly referrersApi: string[] = []) {}

  private hasApi(repo: Repository): boolean {
    return this.referrersApi.some(r => registryKey(r) === registryKey(repo.registry))
  }

  private store(repo: Repository): Store {
    const key = `${registryKey(repo.registry)}/${repo.repository}`
    let s = this.stores.get(key)
    if (!s) {
      s = { blobs: new Map(), manifests: new Map(), tags: new Map() }
      this.stores.set(key, s)
    }
    return s
  }

  private record(method: string, repo: Repository, what: string): void {
    this.log.push(`${method} ${repo.registry}/${repo.repository} ${what}`)
  }

  private find(repo: Repository, reference: string): Manifest | undefined {
    const s = this.store(repo)
    return s.manifests.get(s.tags.get(reference) ?? reference)
  }

  /** Stores bytes as a blob (not logged). */
  seedBlob(repo: Repository, bytes: Buffer, mediaType = LAYER): Descriptor {
    const digest = sha256(bytes)
    this.store(repo).blobs.set(digest, bytes)
    return { mediaType, digest, size: bytes.length }
  }

  /** Stores a manifest (and tags it when `tag` is given), not logged; its blobs must be there. */
  seedManifest(repo: Repository, json: unknown, mediaType: string, tag?: string): Manifest {
    const m = parseManifest(Buffer.from(JSON.stringify(json)), mediaType)
    this.store(repo).manifests.set(m.digest, m)
    if (tag) this.store(repo).tags.set(tag, m.digest)
    return m
  }

  /**
   * Seeds an image: a config, then one layer per entry (a size: fresh distinct bytes; a
   * Descriptor: a blob seeded before, copied into this repository). Not logged.
   */
  seedImage(repo: Repository, layers: Array<number | Descriptor>, tag?: string): MemoryImage {
    const config = this.seedBlob(repo, Buffer.from(`{"seed":${++this.seedCount}}`), CONFIG)
    const blobs = layers.map(l =>
      typeof l === 'number' ? this.seedBlob(repo, this.bytes(l)) : this.copyBlob(l, repo)
    )
    const json = { schemaVersion: 2, mediaType: OCI_MANIFEST, config, layers: blobs }
    const manifest = this.seedManifest(repo, json, OCI_MANIFEST, tag)
    return { digest: manifest.digest, manifest, blobs: [config, ...blobs] }
  }

  /** Seeds an index of `children` (already seeded in `repo`), with platforms. Not logged. */
  seedIndex(
    repo: Repository,
    children: Array<{ image: MemoryImage; platform: string }>,
    tag?: string
  ): Manifest {
    const manifests = children.map(({ image, platform }) => {
      const [os, architecture] = platform.split('/')
      const { digest, bytes } = image.manifest
      return { mediaType: OCI_MANIFEST, digest, size: bytes.length, platform: { os, architecture } }
    })
    return this.seedManifest(repo, { schemaVersion: 2, mediaType: OCI_INDEX, manifests }, OCI_INDEX, tag)
  }

  /** Copies an image (its blobs and manifest) into `repo`, tagged when `tag` is given. Not logged. */
  seedCopy(image: MemoryImage, repo: Repository, tag?: string): void {
    for (const b of image.blobs) this.copyBlob(b, repo)
    this.store(repo).manifests.set(image.digest, image.manifest)
    if (tag) this.seedTag(repo, tag, image.digest)
  }

  /** Points `tag` at a manifest already in `repo`. Not logged. */
  seedTag(repo: Repository, tag: string, digest: string): void {
    this.store(repo).tags.set(tag, digest)
  }

  /** Copies a blob (found in any repository) into `repo`. Not logged. */
  copyBlob(blob: Descriptor, repo: Repository): Descriptor {
    for (const s of this.stores.values()) {
      const bytes = s.blobs.get(blob.digest)
      if (bytes) return this.seedBlob(repo, bytes, blob.mediaType)
    }
    throw new Error(`no repository holds ${blob.digest}`)
  }

  private bytes(size: number): Buffer {
    const seed = ++this.seedCount
    return Buffer.alloc(size, seed % 251)
  }

  async headManifest(repo: Repository, reference: string): Promise<Descriptor | undefined> {
    this.record('HEAD', repo, `manifests/${reference}`)
    const m = this.find(repo, reference)
    return m && { mediaType: m.mediaType, digest: m.digest, size: m.bytes.length }
  }

  async getManifest(
    repo: Repository,
    reference: string,
    opts?: { allowMissing?: boolean }
  ): Promise<Manifest | undefined> {
    this.record('GET', repo, `manifests/${reference}`)
    const m = this.find(repo, reference)
    if (!m && !opts?.allowMissing)
      throw new Error(`${repo.registry}/${repo.repository}: no manifest ${reference}`)
    return m
  }

  async putManifest(
    repo: Repository,
    reference: string,
    manifest: Manifest,
    answer?: PutManifestAnswer
  ): Promise<string> {
    this.record('PUT', repo, `manifests/${reference}`)
    const subject = manifest.json.subject?.digest
    if (answer && subject && this.hasApi(repo)) answer.ociSubject = subject
    const s = this.store(repo)
    const children = [
      manifest.json.config,
      ...(manifest.json.layers ?? []),
      ...(manifest.json.manifests ?? [])
    ]
    for (const d of children)
      if (d && !s.blobs.has(d.digest) && !s.manifests.has(d.digest))
        throw new Error(
          `${repo.registry}/${repo.repository}: manifest ${manifest.digest} references unknown ${d.digest}`
        )
    s.manifests.set(manifest.digest, manifest)
    if (reference !== manifest.digest) s.tags.set(reference, manifest.digest)
    if (answer) answer.digest = manifest.digest
    return manifest.digest
  }

  async listReferrers(
    repo: Repository,
    digest: string,
    artifactType?: string
  ): Promise<ReferrersList | undefined> {
    this.record('GET', repo, `referrers/${digest}${artifactType ? `?artifactType=${artifactType}` : ''}`)
    if (!this.hasApi(repo)) return undefined
    const manifests = [...this.store(repo).manifests.values()]
      .filter(m => m.json.subject?.digest === digest)
      .map(m => ({
        mediaType: m.mediaType,
        digest: m.digest,
        size: m.bytes.length,
        artifactType: m.json.artifactType ?? m.json.config?.mediaType,
        ...(m.json.annotations ? { annotations: m.json.annotations } : {})
      }))
      .filter(d => !artifactType || d.artifactType === artifactType)
    return { manifests, filtersApplied: artifactType !== undefined }
  }

  async listTags(repo: Repository): Promise<string[]>
  async listTags(repo: Repository, opts: { maxPages: number }): Promise<string[] | undefined>
  async listTags(repo: Repository): Promise<string[] | undefined> {
    this.record('GET', repo, 'tags/list')
    return [...this.store(repo).tags.keys()].sort()
  }

  async headBlob(repo: Repository, digest: string): Promise<number | undefined> {
    this.record('HEAD', repo, `blobs/${digest}`)
    return this.store(repo).blobs.get(digest)?.length
  }

  readBlob(repo: Repository, digest: string): Readable {
    this.record('GET', repo, `blobs/${digest}`)
    const bytes = this.store(repo).blobs.get(digest)
    if (bytes) return Readable.from([bytes])
    return new Readable({
      read() {
        this.destroy(new Error(`${repo.registry}/${repo.repository}: no blob ${digest}`))
      }
    })
  }

  async readBlobBytes(repo: Repository, digest: string): Promise<Buffer> {
    this.record('GET', repo, `blobs/${digest}`)
    const bytes = this.store(repo).blobs.get(digest)
    if (bytes) return bytes
    throw new Error(`${repo.registry}/${repo.repository}: no blob ${digest}`)
  }

  async startUpload(repo: Repository, mount?: { digest: string; from: string }): Promise<UploadStart> {
    this.record('POST', repo, mount ? `uploads?mount=${mount.digest}&from=${mount.from}` : 'uploads')
    const held =
      mount && this.store({ registry: repo.registry, repository: mount.from }).blobs.get(mount.digest)
    if (mount && held) {
      this.store(repo).blobs.set(mount.digest, held)
      return { mounted: true }
    }
    const id = String(this.nextSession++)
    this.sessions.set(id, { chunks: [] })
    return {
      mounted: false,
      session: {
        repo,
        location: new URL(`https://${repo.registry}/v2/${repo.repository}/blobs/uploads/${id}`)
      }
    }
  }

  private close(session: UploadSession, digest: string, last: Buffer[]): void {
    const id = session.location.pathname.split('/').pop() as string
    const s = this.sessions.get(id)
    if (!s) throw new Error(`upload session ${id} unknown`)
    this.sessions.delete(id)
    const bytes = Buffer.concat([...s.chunks, ...last])
    if (sha256(bytes) !== digest)
      throw new Error(`upload ${id}: bytes hash to ${sha256(bytes)}, not ${digest}`)
    this.store(session.repo).blobs.set(digest, bytes)
  }

  async putBlob(
    session: UploadSession,
    digest: string,
    _size: number,
    body: Readable | Buffer
  ): Promise<void> {
    this.record('PUT', session.repo, `upload?digest=${digest}`)
    const chunks: Buffer[] = []
    if (Buffer.isBuffer(body)) chunks.push(body)
    else for await (const c of body) chunks.push(c as Buffer)
    this.close(session, digest, chunks)
  }

  async patchChunk(session: UploadSession, start: number, chunk: Buffer): Promise<void> {
    this.record('PATCH', session.repo, `upload ${start}-${start + chunk.length - 1}`)
    const s = this.sessions.get(session.location.pathname.split('/').pop() as string)
    if (!s) throw new Error('upload session unknown')
    const have = s.chunks.reduce((n, c) => n + c.length, 0)
    if (have !== start) throw new Error(`chunk starts at ${start}, the session holds ${have} bytes`)
    s.chunks.push(chunk)
  }

  async finishChunked(session: UploadSession, digest: string): Promise<void> {
    this.record('PUT', session.repo, `upload?digest=${digest}`)
    this.close(session, digest, [])
  }

  async cancelUpload(session: UploadSession): Promise<boolean> {
    this.record('DELETE', session.repo, 'upload')
    this.sessions.delete(session.location.pathname.split('/').pop() as string)
    return true
  }

  async uploadStatus(session: UploadSession): Promise<{ offset: number } | undefined> {
    this.record('GET', session.repo, 'upload')
    const s = this.sessions.get(session.location.pathname.split('/').pop() as string)
    const have = s ? s.chunks.reduce((n, c) => n + c.length, 0) : 0
    return have > 0 ? { offset: have } : undefined
  }
}
