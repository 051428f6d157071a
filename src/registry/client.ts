/**
 * The distribution-spec verbs (spec.md "Endpoints" end-2 … end-11) over the Transport: manifest
 * HEAD/GET/PUT kept as raw bytes, blob HEAD/GET, upload sessions (POST, mount, monolithic PUT,
 * chunked PATCH). Knows nothing of images beyond manifests; nothing of GitHub.
 */
import { Readable } from 'node:stream'
import type { Scope } from '../auth/authenticator.js'
import { digestOf, digestProblem, isDigest } from '../oci/digest.js'
import { ANCHORED_TAG_REGEXP } from '../reference/index.js'
import { parseManifest, type Descriptor, type Manifest } from '../oci/manifest.js'
import { MANIFEST_ACCEPT, OCI_INDEX, isManifestMediaType } from '../oci/mediatypes.js'
import {
  DigestMismatchError,
  DownloadBrokenError,
  PutDigestMismatchError,
  RegistryError,
  UploadRangeError,
  isTemporary,
  parseErrorBody,
  redactUrl
} from './errors.js'
import { bodyChunks, readText } from './http.js'
import { releaseChunk } from './read-buffers.js'
import type {
  PutManifestAnswer,
  ReferrersList,
  RegistryApi,
  Repository,
  UploadSession,
  UploadStart
} from './api.js'
import { registryKey } from '../reference/hosts.js'
import { LIMITS, LimitError, bytesText } from '../limits.js'
import type { RegistryResponse, Transport } from './transport.js'
import type { RetryPolicy } from './retry.js'

export type { Repository, UploadSession } from './api.js'

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
  /** blob downloads resumed with `Range` after a broken body */
  blobResumes: number
  /** blob downloads restarted from byte 0 (the registry ignored `Range`) */
  blobRestarts: number
  /** finalising PUTs that failed without an answer but whose blob was found by HEAD */
  uploadsConfirmedByHead: number
  /** GETs of the referrers API (each page counts) */
  referrersGets?: number
  /** GETs of the tag list (each page counts) */
  tagListGets?: number
}

/** Pages of one referrers listing followed at most (distribution-spec: follow `Link`, bounded). */
export const MAX_REFERRERS_PAGES = 20

/**
 * @throws LimitError `SUBJECT lists more than N referrers (the referrersPerSubject limit)` past
 *   limits.ts `referrersPerSubject` distinct referrers of one subject
 */
function checkReferrersCount(count: number, repo: Repository, digest: string): void {
  const max = LIMITS.referrersPerSubject
  if (count > max)
    throw new LimitError(
      `${repo.registry}/${repo.repository}@${digest} lists more than ${max} referrers (the referrersPerSubject limit)`,
      'referrersPerSubject',
      max
    )
}

/** Pages of one tag listing followed at most, of {@link TAGS_PAGE_SIZE} tags each (100 000 tags). */
export const MAX_TAG_PAGES = 100

/** Tags asked for per page of a tag listing (`?n=`, end-8b). */
export const TAGS_PAGE_SIZE = 1000

/** The `rel="next"` target of a `Link` header (RFC 8288), or undefined. */
export function nextLink(value: string | undefined): string | undefined {
  for (const part of (value ?? '').split(/,(?=\s*<)/)) {
    const m = /^\s*<([^>]*)>(.*)$/.exec(part)
    if (m && /;\s*rel="?next"?(\s|;|$)/i.test(m[2])) return m[1]
  }
  return undefined
}

function one(h: string | string[] | undefined): string | undefined {
  return Array.isArray(h) ? h[0] : h
}

/**
 * The tags of one tag-list page (`{"name": …, "tags": [...] | null}`), those that are not tags left out.
 * @throws Error `WHAT is not {"tags": [...]}` for another body
 */
function tagsOfPage(bytes: Buffer, what: string): string[] {
  let json: { tags?: unknown }
  try {
    json = JSON.parse(bytes.toString('utf8')) as typeof json
  } catch {
    json = {}
  }
  if (json.tags === null) return []
  if (!Array.isArray(json.tags)) throw new Error(`${what} is not {"tags": [...]}`)
  return json.tags.filter((t): t is string => typeof t === 'string' && ANCHORED_TAG_REGEXP.test(t))
}

const pull = (r: Repository): Scope[] => [{ repository: r.repository, actions: ['pull'] }]
const push = (r: Repository): Scope[] => [{ repository: r.repository, actions: ['pull', 'push'] }]

/**
 * Parses an upload `Range` header into the last byte offset received (inclusive), or -1 for an empty
 * session. Lenient (spec §3.4 quirks): `0-99`, `bytes=0-99`, `0--1` / `bytes=0--1` (Quay, empty).
 * distribution answers `0-0` for both an empty session and one byte: callers keep their own offset.
 * @returns undefined for a missing or unparseable value
 */
export function parseUploadRange(value: string | undefined): number | undefined {
  if (!value) return undefined
  const m = /^\s*(?:bytes=)?(\d+)-(-1|\d+)\s*$/i.exec(value)
  return m ? Number(m[2]) : undefined
}

/**
 * Appends `digest=` to an upload Location without rebuilding its query (spec §3.1: critical query
 * parameters such as distribution's `_state` must be sent back verbatim).
 */
export function withDigest(location: URL, digest: string): URL {
  const url = new URL(location)
  const q = url.search.length > 1 ? `${url.search}&` : '?'
  url.search = `${q}digest=${encodeURIComponent(digest)}`
  return url
}

/**
 * The overall deadline of one blob download (resumes included) or one upload try (PUT, PATCH),
 * ms: twice the request timeout (`timeoutMs`: the headers, and a pause) plus one second per
 * limits.ts `blobBytesPerSecond` of the body's `size` (bytes), so a body trickled below that rate
 * (each pause shorter than the timeout) still ends, and a per-try timeout always comes first.
 */
export function blobDeadlineMs(timeoutMs: number, size: number): number {
  return 2 * timeoutMs + Math.ceil(size / LIMITS.blobBytesPerSecond) * 1000
}

/** Where a blob download stands with its deadline: `expired` once passed; `body` the current one. */
interface BlobDeadline {
  expired: boolean
  body?: Readable
}

/** `WHAT did not arrive whole within N s (…)`: a blob download past its deadline of `ms`. */
function deadlineError(ms: number, what: string): Error {
  const why = `twice the request timeout + 1 s per ${bytesText(LIMITS.blobBytesPerSecond)} of its size`
  return new Error(`${what} did not arrive whole within ${Math.round(ms / 1000)} s (${why})`)
}

/**
 * Fails `out` with `WHAT did not arrive whole within N s (…)` once `ms` have passed, destroying the
 * response body being read; cleared when `out` closes.
 */
function enforceDeadline(out: Readable, ms: number, what: string, deadline: BlobDeadline): Readable {
  const timer = setTimeout(() => {
    deadline.expired = true
    deadline.body?.destroy()
    out.destroy(deadlineError(ms, what))
  }, ms)
  timer.unref()
  out.once('close', () => clearTimeout(timer))
  return out
}

/**
 * `read`, or the deadline's error (`WHAT did not arrive whole within N s (…)`, as
 * {@link enforceDeadline}'s) once `ms` have passed; the response body being read is destroyed then,
 * so the read ends too.
 */
async function withDeadline<T>(
  read: Promise<T>,
  ms: number,
  what: string,
  deadline: BlobDeadline
): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      deadline.expired = true
      deadline.body?.destroy()
      reject(deadlineError(ms, what))
    }, ms)
    timer.unref()
  })
  read.catch(() => undefined)
  try {
    return await Promise.race([read, expired])
  } finally {
    clearTimeout(timer)
  }
}

/**
 * Copies a blob body's bytes into `out` from byte `offset`, after skipping its first `skip` bytes
 * (a resumed download's overlap), handing each read buffer back once copied (read-buffers.ts
 * releaseChunk); stops reading (destroying the body) once `out` is full.
 * @returns the offset reached, and the body's error when it broke (or closed before its end)
 */
function fill(
  body: Readable,
  out: Buffer,
  offset: number,
  skip: number
): Promise<{ offset: number; failure?: unknown }> {
  return new Promise(resolve => {
    let settled = false
    const settle = (failure?: unknown): void => {
      if (settled) return
      settled = true
      body.off('data', onData)
      resolve({ offset, failure })
    }
    const onData = (chunk: Buffer): void => {
      let c = chunk
      if (skip > 0) {
        const dropped = Math.min(skip, c.length)
        skip -= dropped
        c = c.subarray(dropped)
      }
      offset += c.copy(out, offset)
      releaseChunk(chunk)
      if (offset === out.length) {
        settle()
        body.destroy()
      }
    }
    body.on('data', onData)
    body.once('end', () => settle())
    body.once('error', e => settle(e))
    body.once('close', () =>
      settle(body.readableEnded ? undefined : new Error('the body closed before its end'))
    )
  })
}

/**
 * Ends a blob body not to be read (its download was stopped): destroyed, with the error undici
 * gives a body destroyed before its end (RequestAbortedError) kept from going unhandled.
 */
function unread(body: Readable): void {
  body.on('error', () => undefined)
  body.destroy()
}

/** The registry client: one instance per run, shared by every copy. */
export class RegistryClient implements RegistryApi {
  readonly stats: ClientStats = {
    manifestHeads: 0,
    manifestGets: 0,
    manifestPuts: 0,
    blobHeads: 0,
    blobGets: 0,
    uploadsStarted: 0,
    mounts: 0,
    bytesUploaded: 0,
    blobResumes: 0,
    blobRestarts: 0,
    uploadsConfirmedByHead: 0
  }

  /** registryKey → whether its referrers API answered (learned once per run, see listReferrers) */
  private readonly referrersApi = new Map<string, boolean>()
  /** registryKey → the first referrers listing sent there, while its answer is awaited */
  private readonly referrersFirst = new Map<string, Promise<unknown>>()

  constructor(readonly transport: Transport) {}

  /** The transport's RetryPolicy (ClientOptions `retryPolicy`, else the default of `retry`): see RegistryApi. */
  get retryPolicy(): RetryPolicy {
    return this.transport.policy
  }

  /** Releases pooled connections. */
  async close(): Promise<void> {
    await this.transport.close()
  }

  /**
   * `/v2/<repository>/<kind>/<reference>`, built only from a supported digest (or, for manifests,
   * a tag; referrers by digest, end-12): nothing a registry served reaches a URL path unchecked.
   * @throws Error `refusing to request blob "../x" of REPO: "../x" is not a digest (algorithm:encoded)`
   */
  private path(repo: Repository, kind: 'manifests' | 'blobs' | 'referrers', ref: string): string {
    const tag = kind === 'manifests' && ANCHORED_TAG_REGEXP.test(ref)
    const problem = tag ? undefined : digestProblem(ref)
    const what = { manifests: 'manifest', blobs: 'blob', referrers: 'the referrers of' }[kind]
    if (problem)
      throw new Error(
        `refusing to request ${what} ${JSON.stringify(ref.slice(0, 160))} of ${repo.registry}/${repo.repository}: ${tag || kind !== 'manifests' ? problem : `not a tag, and ${problem}`}`
      )
    return `/v2/${repo.repository}/${kind}/${ref}`
  }

  /**
   * HEAD a manifest by tag or digest (end-3) with the full `Accept` list. Returns its descriptor
   * (digest from `Docker-Content-Digest`, size in bytes from `Content-Length`) or undefined on 404.
   * Falls back to GET (and hashes the bytes) when HEAD is refused (403/405), lacks the digest or the
   * size, reports a type outside the Accept list, or reports another digest than the one asked for.
   * @throws RegistryError, DigestMismatchError (from the GET fallback)
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
    const size = Number(one(res.headers['content-length']) ?? NaN)
    // a HEAD that cannot be trusted to say what GET would serve: no/invalid digest, another digest
    // than asked, a type we did not accept (negotiation ignored), no size
    if (
      !digest ||
      !isDigest(digest) ||
      (isDigest(reference) && digest !== reference) ||
      !isManifestMediaType(mediaType) ||
      !Number.isSafeInteger(size) ||
      size < 0
    ) {
      const m = await this.getManifest(repo, reference, { allowMissing: true })
      return m && { mediaType: m.mediaType, digest: m.digest, size: m.bytes.length }
    }
    return { mediaType, digest, size }
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
    const what = `manifest ${repo.registry}/${repo.repository}${isDigest(reference) ? '@' : ':'}${reference}`
    const deadlineMs = this.transport.retryOptions.timeoutMs
    const res = await this.transport.requestWhole(
      {
        registry: repo.registry,
        method: 'GET',
        url: this.path(repo, 'manifests', reference),
        headers: { accept: MANIFEST_ACCEPT },
        scopes: pull(repo),
        expect: opts.allowMissing ? [200, 404] : [200]
      },
      { what, limit: 'manifestBytes', deadlineMs }
    )
    if (!res.bytes) {
      await res.body.dump()
      return undefined
    }
    const bytes = res.bytes
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
          bytes.length,
          'header'
        )
      }
    } else {
      digest = digestOf(bytes)
    }
    return parseManifest(bytes, one(res.headers['content-type']), digest, what.slice('manifest '.length))
  }

  /**
   * PUT a manifest's exact bytes to a tag or digest (end-7a), `Content-Type` = its media type.
   * @returns the digest the registry reports (or the manifest's own)
   * @throws RegistryError; PutDigestMismatchError when the registry accepted it but its answer's
   *   `Docker-Content-Digest` names another digest (the reference was written: to what, a HEAD says)
   */
  async putManifest(
    repo: Repository,
    reference: string,
    manifest: Manifest,
    answer?: PutManifestAnswer
  ): Promise<string> {
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
    const subject = one(res.headers['oci-subject'])
    if (answer && subject) answer.ociSubject = subject.trim()
    const reported = one(res.headers['docker-content-digest'])
    if (reported && isDigest(reported) && reported !== manifest.digest) {
      const named = `${repo.registry}/${repo.repository}${isDigest(reference) ? '@' : ':'}${reference}`
      throw new PutDigestMismatchError(named, manifest.digest, reported, res.status)
    }
    if (answer && reported && isDigest(reported)) answer.digest = reported
    return manifest.digest
  }

  /**
   * GET the referrers of `digest` (end-12a/b, spec §3.7): every page (`Link: rel="next"`, at most
   * MAX_REFERRERS_PAGES), `artifactType` sent as the filter when given. "No API" — a 404 that is not
   * NAME_UNKNOWN, 405/406/501, any redirect (GAR sends a login page), a body that is not an OCI
   * index — is remembered for the registry, which is then not asked again by this client.
   * @returns the descriptors and whether the filter was applied, or undefined without an API (or
   *   for a repository the registry does not know)
   * @throws RegistryError for other statuses (401, 403, 5xx after retries)
   */
  async listReferrers(
    repo: Repository,
    digest: string,
    artifactType?: string
  ): Promise<ReferrersList | undefined> {
    const key = registryKey(repo.registry)
    // while the first answer of a registry is awaited, the others wait for what it teaches
    const first = this.referrersFirst.get(key)
    if (first && !this.referrersApi.has(key)) await first.catch(() => undefined)
    if (this.referrersApi.get(key) === false) return undefined
    const listing = this.listAllReferrers(repo, digest, artifactType)
    if (!this.referrersApi.has(key) && !this.referrersFirst.has(key)) this.referrersFirst.set(key, listing)
    return await listing
  }

  /** Every page of one referrers listing (see listReferrers); learns whether the registry has the API. */
  private async listAllReferrers(
    repo: Repository,
    digest: string,
    artifactType?: string
  ): Promise<ReferrersList | undefined> {
    const key = registryKey(repo.registry)
    const query = artifactType ? `?artifactType=${encodeURIComponent(artifactType)}` : ''
    let url: string | URL = this.path(repo, 'referrers', digest) + query
    const out: ReferrersList = { manifests: [], filtersApplied: artifactType !== undefined }
    const listed = new Set<string>()
    const visited = new Set<string>()
    for (let page = 0; page < MAX_REFERRERS_PAGES; page++) {
      const res = await this.referrersPage(repo, url, digest)
      if (res === 'unknown') return undefined
      if (!res) {
        this.referrersApi.set(key, false)
        return undefined
      }
      this.referrersApi.set(key, true)
      visited.add(res.url.toString())
      for (const m of res.manifests) {
        if (listed.has(m.digest)) continue
        listed.add(m.digest)
        out.manifests.push(m)
      }
      checkReferrersCount(out.manifests.length, repo, digest)
      if (!/\bartifactType\b/i.test(res.filters)) out.filtersApplied = false
      const next = nextLink(res.link)
      if (!next) return out
      url = new URL(next, res.url)
      // a `next` that leads back to a page already read ends the listing (a Link loop)
      if (visited.has(url.toString())) return out
    }
    return out
  }

  /** One page of a referrers listing: its entries, or undefined for "no API", or 'unknown' (NAME_UNKNOWN). */
  private async referrersPage(
    repo: Repository,
    url: string | URL,
    digest: string
  ): Promise<{ manifests: Descriptor[]; filters: string; link?: string; url: URL } | undefined | 'unknown'> {
    this.stats.referrersGets = (this.stats.referrersGets ?? 0) + 1
    const deadlineMs = this.transport.retryOptions.timeoutMs
    // a page is an index: read under the manifest bound and the request timeout, as every read
    const what = `the referrers of ${repo.registry}/${repo.repository}@${digest}`
    const res = await this.transport.requestWhole(
      {
        registry: repo.registry,
        method: 'GET',
        url,
        headers: { accept: OCI_INDEX },
        scopes: pull(repo),
        followRedirects: false,
        expect: [200, 301, 302, 303, 307, 308, 404, 405, 406, 501]
      },
      { what, limit: 'manifestBytes', deadlineMs }
    )
    if (res.status !== 200 || !res.bytes) {
      const text = await readText(res.body, undefined, deadlineMs)
      return res.status === 404 && /"NAME_UNKNOWN"/.test(text) ? 'unknown' : undefined
    }
    const text = res.bytes.toString('utf8')
    let json: { mediaType?: string; manifests?: unknown }
    try {
      json = JSON.parse(text) as typeof json
    } catch {
      return undefined
    }
    const type = (one(res.headers['content-type']) ?? '').split(';')[0].trim()
    // the referrers API answers an OCI image index only (end-12a), not a Docker manifest list
    if (!Array.isArray(json.manifests) || !(type === OCI_INDEX || json.mediaType === OCI_INDEX))
      return undefined
    return {
      manifests: json.manifests as Descriptor[],
      filters: one(res.headers['oci-filters-applied']) ?? '',
      link: one(res.headers.link),
      url: res.url
    }
  }

  /**
   * GET the tags of a repository (end-8b, distribution-spec "Listing Tags"): `?n=1000` pages,
   * `Link: rel="next"` followed (at most MAX_TAG_PAGES), each page read within the manifestBytes
   * bound. Entries that are not tags (tag grammar) are left out.
   * @param opts.maxPages pages read at most: undefined when the listing goes on past them
   * @param opts.repositoryMustExist a 404 (distribution: `NAME_UNKNOWN`, the registry does not know
   *   the repository) is thrown as the RegistryError it is, not taken for an empty list
   * @returns the tags in the registry's order (lexical for distribution); [] on 404 (no such
   *   repository) unless `repositoryMustExist`; [] for a repository the registry knows with no tag
   * @throws RegistryError (401, 403, 5xx after retries; 404 with `repositoryMustExist`); LimitError
   *   for a page over manifestBytes; Error `the tag list of REPO is not {"tags": [...]}` for another body
   */
  async listTags(repo: Repository, opts?: { repositoryMustExist?: boolean }): Promise<string[]>
  async listTags(
    repo: Repository,
    opts: { maxPages: number; repositoryMustExist?: boolean }
  ): Promise<string[] | undefined>
  async listTags(
    repo: Repository,
    opts: { maxPages?: number; repositoryMustExist?: boolean } = {}
  ): Promise<string[] | undefined> {
    const what = `the tag list of ${repo.registry}/${repo.repository}`
    let url: string | URL = `/v2/${repo.repository}/tags/list?n=${TAGS_PAGE_SIZE}`
    const tags: string[] = []
    for (let page = 0; page < MAX_TAG_PAGES; page++) {
      if (opts.maxPages !== undefined && page >= opts.maxPages) return undefined
      this.stats.tagListGets = (this.stats.tagListGets ?? 0) + 1
      const deadlineMs = this.transport.retryOptions.timeoutMs
      const res = await this.transport.requestWhole(
        {
          registry: repo.registry,
          method: 'GET',
          url,
          headers: { accept: 'application/json' },
          scopes: pull(repo),
          expect: opts.repositoryMustExist ? [200] : [200, 404]
        },
        { what, limit: 'manifestBytes', deadlineMs }
      )
      if (!res.bytes) {
        await res.body.dump()
        return tags
      }
      tags.push(...tagsOfPage(res.bytes, what))
      const next = nextLink(one(res.headers.link))
      if (!next) return tags
      url = new URL(next, res.url)
    }
    return tags
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
   * @returns the body stream (unverified: the caller hashes it), the status (206 for a range), the
   *   `Content-Length` (bytes) and the first byte of a `Content-Range` answer
   * @throws RegistryError (404 BLOB_UNKNOWN, …) after the transport's retries
   */
  async getBlob(
    repo: Repository,
    digest: string,
    range?: number,
    reuse?: boolean
  ): Promise<{ body: Readable; status: number; length?: number; rangeStart?: number }> {
    this.stats.blobGets++
    const res = await this.transport.request({
      registry: repo.registry,
      method: 'GET',
      url: this.path(repo, 'blobs', digest),
      headers: range ? { range: `bytes=${range}-` } : {},
      scopes: pull(repo),
      expect: range ? [200, 206] : [200],
      reuse
    })
    const len = one(res.headers['content-length'])
    const cr = /^\s*bytes\s+(\d+)-/i.exec(one(res.headers['content-range']) ?? '')
    return {
      body: res.body as unknown as Readable,
      status: res.status,
      length: len !== undefined ? Number(len) : undefined,
      rangeStart: cr ? Number(cr[1]) : undefined
    }
  }

  /**
   * Does a blob GET's answer announce more bytes than the blob has (its `Content-Length`, from the
   * `Content-Range` start on a 206, past the descriptor's `size`; distribution-spec end-2)? The
   * descriptor is the authority: the readers then read `size` bytes and stop, without waiting for
   * the rest (a body that ends there would otherwise be waited on for the whole request timeout,
   * then resumed past its end: `416`; newuser6 #22), and the digest decides, as crane's size-limited
   * reader does. A warning names the registry, the blob and both sizes.
   * @param size the descriptor's size in bytes
   */
  private overAnnounced(
    res: Awaited<ReturnType<RegistryClient['getBlob']>>,
    repo: Repository,
    digest: string,
    size: number
  ): boolean {
    if (res.length === undefined) return false
    const end = (res.status === 206 ? (res.rangeStart ?? 0) : 0) + res.length
    if (end <= size) return false
    this.transport.options.logger?.warning(
      `${repo.registry} announces ${end} bytes (Content-Length) for blob ${digest} of ${repo.repository}, which is ${size} bytes (the image's descriptor): reading ${size} bytes, the digest decides`
    )
    return true
  }

  /**
   * A blob body that kept coming past the descriptor's `size` without announcing it (no
   * `Content-Length`, or one within the size): the one rule is {@link overAnnounced}'s, the reader
   * keeps `size` bytes and the digest decides; this warning says so (once per read).
   * @param size the descriptor's size in bytes
   */
  private overSent(repo: Repository, digest: string, size: number): void {
    this.transport.options.logger?.warning(
      `${repo.registry} sent more than ${size} bytes for blob ${digest} of ${repo.repository}, which is ${size} bytes (the image's descriptor): reading ${size} bytes, the digest decides`
    )
  }

  /**
   * After a resumed blob GET from byte `offset`: how many bytes of the answer were delivered
   * already (a 206 from at or before `offset`: the overlap; a 200: `offset`, a restart from 0).
   * @throws Error when a 206 starts past `offset` (the body is destroyed)
   */
  private bytesToSkip(
    res: Awaited<ReturnType<RegistryClient['getBlob']>>,
    offset: number,
    what: string
  ): number {
    if (res.status === 206 && res.rangeStart !== undefined && res.rangeStart <= offset) {
      this.stats.blobResumes++
      return offset - res.rangeStart
    }
    if (res.status === 206) {
      res.body.destroy()
      throw new Error(`${what}: asked for bytes from ${offset}, the registry answered from ${res.rangeStart}`)
    }
    this.stats.blobRestarts++
    this.transport.options.logger?.debug(
      `${what}: Range not honoured, restarting from byte 0 (skipping ${offset} bytes)`
    )
    return offset
  }

  /**
   * Reads a whole blob of `size` bytes as one stream that survives broken downloads (end-2): when
   * the body fails (connection reset, timeout, early end), it asks again from the next byte with
   * `Range: bytes=N-` (RFC 9110 §14); when the registry (or its storage) answers 200 instead of 206,
   * the download restarts from byte 0 and the bytes already delivered are skipped. As many resumes,
   * after as long a wait each, as the transport's RetryPolicy allows (scope `download`; by default
   * `retries` resumes with the backoff between them).
   * The bytes are not verified here: the caller hashes them. The whole read ends by
   * {@link blobDeadlineMs} (the stream then fails with `blob X did not arrive whole within N s`).
   * Once the stream is destroyed (by the reader or that deadline) no GET is sent: a resume waiting
   * its delay ends there.
   * `opts.reuse`: the caller writes every chunk once to an upload of this client and keeps none
   * after that write (RegistryApi readBlob); the chunks may then be views of reused read buffers.
   * @throws (as a stream error) RegistryError, or the last body error once resumes are used up
   */
  readBlob(repo: Repository, digest: string, size: number, opts: { reuse?: boolean } = {}): Readable {
    const what = `blob ${repo.registry}/${repo.repository}@${digest}`
    const started = Date.now()
    const deadline: BlobDeadline = { expired: false }
    const chunks = async function* (this: RegistryClient): AsyncGenerator<Buffer> {
      let offset = 0
      for (let resumes = 0; ; resumes++) {
        // destroyed (by the reader or the deadline) while a resume waited: no GET
        if (out.destroyed) return
        const res = await this.getBlob(repo, digest, offset || undefined, opts.reuse)
        deadline.body = res.body
        if (out.destroyed) {
          unread(res.body)
          return
        }
        let skip = offset > 0 ? this.bytesToSkip(res, offset, what) : 0
        const capped = this.overAnnounced(res, repo, digest, size)
        let failure: unknown
        try {
          for await (const raw of bodyChunks(res.body as unknown as Readable)) {
            let c = raw
            if (skip > 0) {
              if (c.length <= skip) {
                skip -= c.length
                continue
              }
              c = c.subarray(skip)
              skip = 0
            }
            // past the descriptor's size: cut there, whether announced or not; the digest decides
            const over = offset + c.length > size
            if (over) {
              if (!capped) this.overSent(repo, digest, size)
              c = c.subarray(0, size - offset)
            }
            offset += c.length
            if (c.length) yield c
            if ((capped || over) && offset === size) break // the rest is not waited for
          }
        } catch (e) {
          failure = e
        }
        if (deadline.expired || (failure === undefined && (offset >= size || offset === 0))) return
        res.body.destroy()
        if (!(await this.resumeAfter({ what, size, started }, offset, resumes, failure))) return
      }
    }
    const ms = blobDeadlineMs(this.transport.retryOptions.timeoutMs, size)
    const out = Readable.from(chunks.call(this), { objectMode: false })
    return enforceDeadline(out, ms, what, deadline)
  }

  /**
   * A blob download's body broke (`failure`) or ended short after `offset` of `download.size`
   * bytes, with `resumes` resumes used: when the RetryPolicy (scope `download`) allows another,
   * waits its delay and resolves true (the caller resumes from `offset`); else resolves false for
   * a short end (the caller reports the size mismatch).
   * @throws DownloadBrokenError `blob R/N@D: the download broke after N of M bytes, K resumes used
   *   (…)` when the body broke and no resume is left
   */
  private async resumeAfter(
    download: { what: string; size: number; started: number },
    offset: number,
    resumes: number,
    failure: unknown
  ): Promise<boolean> {
    const { what, size } = download
    const now = Date.now()
    const decision = this.transport.policy.decide({
      scope: 'download',
      attempt: resumes,
      elapsedMs: now - download.started,
      now,
      failure: { error: failure }
    })
    const why = (failure as Error)?.message ?? String(failure)
    if (!decision.retry) {
      if (failure === undefined) return false
      throw new DownloadBrokenError(
        `${what}: the download broke after ${offset} of ${size} bytes, ${resumes} resume${resumes === 1 ? '' : 's'} used (${why})`,
        { cause: failure }
      )
    }
    this.transport.options.logger?.debug(
      `${what}: download broke after ${offset} of ${size} bytes (${(failure as Error)?.message ?? 'early end'}), resuming in ${decision.delayMs} ms`
    )
    await this.transport.sleep(decision.delayMs)
    return true
  }

  /**
   * GETs a whole blob of `size` bytes into one Buffer (end-2), for a blob small enough to hold
   * (RegistryApi readBlobBytes): the bytes as served, unverified (the caller hashes them), and
   * never more than `size`: a body longer than the descriptor (announced or not) is cut there with
   * a warning and the digest decides, as {@link readBlob} does (one byte past `size` is room to
   * see it kept coming; it is not read further). Broken bodies resume and the whole read is
   * bounded exactly as {@link readBlob}'s. Each body chunk is copied out of its read buffer as it comes, and the
   * buffer handed back at once (read-buffers.ts releaseChunk).
   * `opts.signal` stops the read (as destroying readBlob's stream does): the body being read is
   * destroyed, and no GET is sent once it has aborted or the deadline has passed (a resume waiting
   * its delay then sends none).
   * @throws RegistryError (404 BLOB_UNKNOWN, …), DownloadBrokenError, Error `blob R/N@D did not
   *   arrive whole within N s (twice the request timeout + 1 s per 16 KiB of its size)`, or the
   *   signal's reason once it aborted
   */
  async readBlobBytes(
    repo: Repository,
    digest: string,
    size: number,
    opts: { signal?: AbortSignal } = {}
  ): Promise<Buffer> {
    const { signal } = opts
    const what = `blob ${repo.registry}/${repo.repository}@${digest}`
    const started = Date.now()
    const deadline: BlobDeadline = { expired: false }
    const out = Buffer.allocUnsafe(size + 1)
    const read = async (): Promise<Buffer> => {
      let offset = 0
      for (let resumes = 0; ; resumes++) {
        if (signal?.aborted) throw signal.reason as Error
        if (deadline.expired) return out.subarray(0, offset) // the caller has the deadline's error
        const res = await this.getBlob(repo, digest, offset || undefined, true)
        deadline.body = res.body
        if (deadline.expired || signal?.aborted) {
          unread(res.body)
          continue // stopped at the loop's top
        }
        const skip = offset > 0 ? this.bytesToSkip(res, offset, what) : 0
        const capped = this.overAnnounced(res, repo, digest, size)
        const got = await fill(res.body, capped ? out.subarray(0, size) : out, offset, skip)
        offset = got.offset
        if (signal?.aborted) throw signal.reason as Error
        if (offset > size) {
          this.overSent(repo, digest, size)
          return out.subarray(0, size)
        }
        if (deadline.expired) return out.subarray(0, offset)
        if (got.failure === undefined && (offset === size || offset === 0)) return out.subarray(0, offset)
        res.body.destroy()
        if (!(await this.resumeAfter({ what, size, started }, offset, resumes, got.failure)))
          return out.subarray(0, offset)
      }
    }
    const stop = (): void => void deadline.body?.destroy()
    signal?.addEventListener('abort', stop, { once: true })
    try {
      return await withDeadline(
        read(),
        blobDeadlineMs(this.transport.retryOptions.timeoutMs, size),
        what,
        deadline
      )
    } finally {
      signal?.removeEventListener('abort', stop)
    }
  }

  /**
   * Opens an upload session (end-4a), or mounts a blob from another repository of the same
   * registry (end-11). Only 201 means mounted; 202 opens a session to use instead.
   * @returns `{ mounted: true }` or `{ mounted: false, session }`
   */
  async startUpload(repo: Repository, mount?: { digest: string; from: string }): Promise<UploadStart> {
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
   * `PUT <location>&digest=D` (query kept verbatim) with `Content-Length: size` (bytes). The body is
   * never buffered, so the transport does not retry it. When the PUT gets no answer (reset, timeout)
   * the blob is looked up with HEAD before anything else: found with the right size means done.
   * @throws RegistryError (e.g. DIGEST_INVALID when the bytes do not match); Error when there was no
   *   answer and the blob is not there
   */
  async putBlob(
    session: UploadSession,
    digest: string,
    size: number,
    body: Readable | Buffer
  ): Promise<void> {
    await this.finalise(session, digest, size, body, { 'content-length': String(size) }, size)
    this.stats.bytesUploaded += size
  }

  private async finalise(
    session: UploadSession,
    digest: string,
    size: number,
    body: Readable | Buffer,
    headers: Record<string, string>,
    bodyBytes = 0
  ): Promise<void> {
    const deadlineMs = blobDeadlineMs(this.transport.retryOptions.timeoutMs, bodyBytes)
    try {
      const res = await this.transport.request({
        registry: session.repo.registry,
        method: 'PUT',
        url: withDigest(session.location, digest),
        headers: { 'content-type': 'application/octet-stream', ...headers },
        body,
        scopes: push(session.repo),
        expect: [201, 204],
        retry: 'statuses',
        deadlineMs
      })
      await res.body.dump()
    } catch (e) {
      // the registry may have completed the upload before the answer was lost, or before a PUT
      // sent again after a 5xx found the session closed (404): look before reporting a failure
      if (!isTemporary(e) && !(e instanceof RegistryError && e.status === 404)) throw e
      const found = await this.headBlob(session.repo, digest).catch(() => undefined)
      if (found !== size) throw e
      this.stats.uploadsConfirmedByHead++
      this.transport.options.logger?.debug(
        `${session.repo.registry}/${session.repo.repository}: finalising PUT of ${digest} failed (${(e as Error).message}), but HEAD finds the blob`
      )
    }
  }

  /**
   * Sends one chunk of a chunked upload (end-5): `PATCH` with `Content-Range: start-end` (bytes,
   * inclusive). `start` is the offset the caller keeps itself. Sent again on a retryable status
   * (`Retry-After` waited out), never after a network error: the registry may then hold part of the
   * chunk, and the caller asks the session's status (copy/resume.ts patchFrame). Accepts 202 or 201 (ECR), checks that
   * the `Range` answer (if any; parsed by parseUploadRange) reached `start + length - 1`, and moves
   * the session to the returned Location (relative, absolute or outside `/v2/`, query kept).
   * @throws RegistryError; UploadRangeError when the registry's Range did not advance to the end of the chunk
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
      expect: [201, 202, 204],
      retry: 'statuses',
      deadlineMs: blobDeadlineMs(this.transport.retryOptions.timeoutMs, chunk.length)
    })
    await res.body.dump()
    this.stats.bytesUploaded += chunk.length
    const range = one(res.headers.range)
    const reached = parseUploadRange(range)
    if (range !== undefined && reached !== end) {
      throw new UploadRangeError(
        `PATCH ${redactUrl(res.url)} answered ${res.status} with Range "${range}": the upload did not advance to byte ${end} (${start + chunk.length} bytes sent)`
      )
    }
    const location = one(res.headers.location)
    if (location) session.location = new URL(location, res.url)
  }

  /**
   * Closes a chunked upload: `PUT <location>&digest=D` with an empty body (end-6), sent again on a
   * retryable status (`Retry-After` waited out: the same session, no byte sent again); on no answer
   * (or a 404 after such a retry), HEADs the blob before reporting a failure (see putBlob).
   * @param size the whole blob's size, bytes (for the HEAD check)
   */
  async finishChunked(session: UploadSession, digest: string, size?: number): Promise<void> {
    await this.finalise(session, digest, size ?? -1, Buffer.alloc(0), { 'content-length': '0' })
  }

  /**
   * Cancels an upload session (end-14); failures are ignored. distribution answers 404
   * BLOB_UPLOAD_INVALID, and keeps the session, when its `_state` no longer matches the bytes it
   * holds (a PUT or PATCH cut mid-body).
   * @returns true when the session is gone (2xx, or 404 for a session the registry does not know)
   */
  async cancelUpload(session: UploadSession): Promise<boolean> {
    try {
      const res = await this.transport.request({
        registry: session.repo.registry,
        method: 'DELETE',
        url: session.location,
        scopes: push(session.repo),
        expect: [200, 202, 204, 404, 405]
      })
      if (res.status !== 404) {
        await res.body.dump()
        return res.status < 300
      }
      return !parseErrorBody(await readText(res.body)).some(e => e.code === 'BLOB_UPLOAD_INVALID')
    } catch {
      // servers expire stale sessions on their own
      return false
    }
  }

  /**
   * The status of an upload session (end-13): `GET <location>` answered 204 with `Range: 0-N` gives
   * the N + 1 bytes it holds, except `0-0`, which reads as 0 bytes: distribution answers it for an
   * empty session (and for one of exactly 1 byte, whose next PATCH from byte 0 is then refused, so
   * the request fails as it would without the session); the session moves to the answer's
   * Location. Undefined on any other answer or failure.
   */
  async uploadStatus(session: UploadSession): Promise<{ offset: number } | undefined> {
    try {
      const res = await this.transport.request({
        registry: session.repo.registry,
        method: 'GET',
        url: session.location,
        scopes: push(session.repo),
        expect: [204]
      })
      await res.body.dump()
      const end = parseUploadRange(one(res.headers.range))
      if (end === undefined || end < 0) return undefined
      const location = one(res.headers.location)
      if (location) session.location = new URL(location, res.url)
      return { offset: end === 0 ? 0 : end + 1 }
    } catch {
      return undefined
    }
  }
}
