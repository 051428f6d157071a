/**
 * The distribution-spec verbs the copy engine needs, and nothing else (spec.md "Endpoints": end-2
 * blob HEAD/GET, end-3 manifest HEAD/GET, end-4a/end-11 upload session and mount, end-5 PATCH,
 * end-6 closing PUT, end-7 manifest PUT, end-8 tag list, end-12 referrers, end-13 upload status, end-14 upload DELETE), as regclient's `scheme.API`.
 * `copy/` depends on this interface only: RegistryClient implements it over HTTP, and the tests'
 * in-memory registry implements it for planner tables. Beside the verbs, the one RetryPolicy the
 * verbs are retried by, so the copy engine's own tries (deliveries, session continuations) are
 * counted by the same owner.
 */
import type { Readable } from 'node:stream'
import type { Descriptor, Manifest } from '../oci/manifest.js'
import type { RetryPolicy } from './retry.js'

/** A repository on a registry: `{ registry: 'ghcr.io', repository: 'org/app' }`. */
export interface Repository {
  registry: string
  repository: string
}

/** An upload session: where to send the next request (Location, kept verbatim with its query). */
export interface UploadSession {
  repo: Repository
  location: URL
  /** `OCI-Chunk-Min-Length`, bytes, when the registry sent it */
  chunkMinLength?: number
}

/** What opening an upload (with an optional mount) gave: the blob mounted, or a session to fill. */
export type UploadStart = { mounted: true } | { mounted: false; session: UploadSession }

/**
 * What a registry's referrers API listed for one subject (end-12a/b, distribution-spec "Listing
 * Referrers"): every descriptor of every page, and whether the registry applied the `artifactType`
 * filter itself (`OCI-Filters-Applied: artifactType`); when it did not, the caller filters.
 */
export interface ReferrersList {
  manifests: Descriptor[]
  filtersApplied: boolean
}

/** Filled in by putManifest from the registry's answer (distribution-spec "Pushing Manifests with Subject"). */
export interface PutManifestAnswer {
  /** the `OCI-Subject` header: the registry keeps the referrers list of that digest itself */
  ociSubject?: string
  /**
   * the `Docker-Content-Digest` header when it named a digest (it then equals the manifest's own:
   * putManifest throws otherwise): the registry says it stores the manifest under that digest,
   * whatever the reference of the PUT (distribution-spec "Pushing Manifests")
   */
  digest?: string
}

/** The registry verbs of the distribution spec; see the module comment. */
export interface RegistryApi {
  /**
   * HEAD a manifest by tag or digest (end-3): its descriptor (digest, media type, size in bytes),
   * or undefined when the repository has no such manifest.
   */
  headManifest(repo: Repository, reference: string): Promise<Descriptor | undefined>
  /**
   * GET a manifest by tag or digest (end-3), keeping the served bytes; by digest the bytes hash to
   * that digest. Undefined on 404 only with `allowMissing`.
   */
  getManifest(
    repo: Repository,
    reference: string,
    opts?: { allowMissing?: boolean }
  ): Promise<Manifest | undefined>
  /**
   * PUT a manifest's exact bytes under a tag or digest (end-7); returns its digest. With `answer`,
   * its `ociSubject` is set when the registry's answer carried `OCI-Subject`, its `digest` when the
   * answer carried the manifest's digest in `Docker-Content-Digest`.
   */
  putManifest(
    repo: Repository,
    reference: string,
    manifest: Manifest,
    answer?: PutManifestAnswer
  ): Promise<string>
  /**
   * GET the referrers of `digest` (end-12a, or end-12b with `artifactType`), every `Link: rel="next"`
   * page followed (bounded). Undefined when the registry has no referrers API (404, a redirect, a
   * body that is not an index); what was learned is remembered per registry for the client's life.
   */
  listReferrers(repo: Repository, digest: string, artifactType?: string): Promise<ReferrersList | undefined>
  /**
   * GET the tags of a repository (end-8a/end-8b, distribution-spec "Listing Tags"), every
   * `Link: rel="next"` page followed (bounded), in the registry's order; [] when the registry does
   * not know the repository (404), or a RegistryError (404) with `repositoryMustExist`. With
   * `maxPages`: undefined when the listing has more pages than that (a partial list would call a
   * tag missing that is there).
   */
  listTags(repo: Repository, opts?: { repositoryMustExist?: boolean }): Promise<string[]>
  listTags(
    repo: Repository,
    opts: { maxPages: number; repositoryMustExist?: boolean }
  ): Promise<string[] | undefined>
  /** HEAD a blob (end-2): its size in bytes, or undefined when this repository lacks it. */
  headBlob(repo: Repository, digest: string): Promise<number | undefined>
  /**
   * GET a whole blob of `size` bytes as one stream (end-2); unverified: the caller hashes it.
   * `reuse`: the caller writes every chunk once to an upload of this client (its `putBlob` body) and
   * keeps none after that write, so the chunks may be views of read buffers reused once written
   * (registry/read-buffers.ts; a chunk written to N uploads takes `holdChunk(chunk, N - 1)` first)
   */
  readBlob(repo: Repository, digest: string, size: number, opts?: { reuse?: boolean }): Readable
  /**
   * GET a whole blob of `size` bytes into one Buffer (end-2), for a blob small enough to hold in
   * memory (copy/fanout.ts readsWhole): unverified (the caller hashes it), at most `size` + 1 bytes
   * (a longer body is cut there). Resumes and deadline as readBlob's. `opts.signal` stops it, as
   * destroying readBlob's stream does: the body is destroyed, no further GET is sent, and the
   * promise rejects with the signal's reason.
   */
  readBlobBytes(
    repo: Repository,
    digest: string,
    size: number,
    opts?: { signal?: AbortSignal }
  ): Promise<Buffer>
  /** POST an upload session (end-4a), or mount `digest` from repository `from` (end-11). */
  startUpload(repo: Repository, mount?: { digest: string; from: string }): Promise<UploadStart>
  /** Closes a session with the whole blob in one PUT (end-6, monolithic). */
  putBlob(session: UploadSession, digest: string, size: number, body: Readable | Buffer): Promise<void>
  /** Sends bytes `start…start+chunk.length-1` of a chunked upload (end-5). */
  patchChunk(session: UploadSession, start: number, chunk: Buffer): Promise<void>
  /** Closes a chunked upload with an empty PUT (end-6); `size` (bytes) checks a lost answer. */
  finishChunked(session: UploadSession, digest: string, size?: number): Promise<void>
  /**
   * DELETEs an upload session (end-14); never throws. Resolves true when the session is gone (or
   * the registry never knew it), false when the registry kept it (refused, unreachable).
   */
  cancelUpload(session: UploadSession): Promise<boolean>
  /**
   * GETs an upload session's status (end-13): the bytes it holds (the `Range` end + 1), moving the
   * session to the returned Location; undefined when the registry does not know the session (or
   * does not answer 204 with a Range). Never throws.
   */
  uploadStatus(session: UploadSession): Promise<{ offset: number } | undefined>
  /**
   * Who decides how many times anything is tried (retry.ts RetryPolicy): the one the client's
   * transport asks for every request and download. The copy engine asks it for a blob's deliveries
   * (scope `delivery`, copy/transfer.ts) and an upload session's continuations (`session`,
   * copy/resume.ts). Absent (the tests' in-memory registry): retry.ts DEFAULT_RETRY_POLICY.
   */
  readonly retryPolicy?: RetryPolicy
}
