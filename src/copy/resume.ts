/**
 * Resumable chunked uploads (distribution-spec "Pushing a blob in chunks", end-5, and the upload
 * status, end-13). While a chunked upload runs, its session URL and the offset the registry
 * acknowledged are kept in a small file per target repository and blob digest under the user's cache
 * directory (`$XDG_CACHE_HOME/promote-image/uploads`). A run that was killed or lost its connection
 * leaves the file behind; the next upload of that blob to that repository asks the registry where
 * the session stands (`GET <location>` → 204 with `Range: 0-N`) and continues from the REGISTRY's
 * offset, whatever the file says: the source is read (and hashed) from byte 0 as always, and the
 * bytes below that offset are not sent again. The same "the registry's Range wins" continues a
 * session within a run after an upload request failed without a clear answer (patchFrame,
 * closeSession).
 *
 * The kept state is treated as untrusted input: the directory and files are checked as
 * state-files.ts says (0700 / 0600, owner, no symbolic link, a size limit); a file that cannot be
 * parsed, names a location off the target registry's origin or repository, is older than an hour or
 * dated in the future is removed with a `-v` line; a lock per blob and repository keeps two
 * concurrent runs off one live session. A clean cancel (SIGINT) removes the file.
 */
import { createHash } from 'node:crypto'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import type { RegistryApi, Repository, UploadSession } from '../registry/api.js'
import { RegistryError, UploadRangeError, redactUrl } from '../registry/errors.js'
import { DEFAULT_RETRY_POLICY } from '../registry/retry.js'
import type { Descriptor } from '../oci/manifest.js'
import { silentLogger, type Logger } from '../logger.js'
import { LIMITS } from '../limits.js'
import {
  cacheHome,
  currentUid,
  readKeptFile,
  removeKeptFile,
  removeLeftovers,
  takeLock,
  trustedDirectory,
  writeKeptFile
} from './state-files.js'

/** An upload session open at one target (target identity, targets.ts targetKey). */
export interface OpenUpload {
  target: string
  session: UploadSession
  /** bytes the session already holds (a resumed chunked upload), default 0 */
  offset?: number
}

/** A kept upload older than this is not resumed (ms): registries purge idle sessions after hours. */
export const UPLOAD_STATE_MAX_AGE_MS = 3_600_000
/** How far in the future (ms) a kept upload's time may lie (clock adjustments) before it is refused. */
export const UPLOAD_STATE_CLOCK_SLACK_MS = 60_000

/** One kept upload, checked: where the session is and how many bytes the registry acknowledged. */
export interface KeptUpload {
  location: URL
  /** bytes, as acknowledged when saved */
  offset: number
  /** ms since the epoch when the offset was acknowledged */
  savedAt: number
}

/**
 * `$XDG_CACHE_HOME/promote-image/uploads`, else `~/.cache/promote-image/uploads`.
 * @param env the process environment
 */
export function defaultUploadStateDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheHome(env) ?? '', 'uploads')
}

/**
 * Parses and checks the text of a state file (pure): a JSON object with `location` (an http(s)
 * URL), `offset` (bytes, a whole number ≥ 0) and `savedAt` (ms since the epoch, at most `maxAgeMs`
 * before `now` and at most UPLOAD_STATE_CLOCK_SLACK_MS after it).
 * @returns the kept upload, or why it cannot be used (`its location is not a URL`, `it is 2 h old
 *   (older than 1 h)`, `it is dated 5 min in the future`)
 */
export function parseKeptUpload(
  text: string,
  now: number,
  maxAgeMs = UPLOAD_STATE_MAX_AGE_MS
): { kept: KeptUpload } | { problem: string } {
  let raw: { location?: unknown; offset?: unknown; savedAt?: unknown }
  try {
    raw = JSON.parse(text) as typeof raw
  } catch {
    return { problem: 'it is not JSON' }
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return { problem: 'it is not a JSON object' }
  const location =
    typeof raw.location === 'string' && URL.canParse(raw.location) ? new URL(raw.location) : undefined
  if (!location || !/^https?:$/.test(location.protocol))
    return { problem: 'its location is not an http(s) URL' }
  const { offset, savedAt } = raw
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0)
    return { problem: 'its offset is not a whole number of bytes' }
  if (typeof savedAt !== 'number' || !Number.isFinite(savedAt)) return { problem: 'it has no time' }
  if (savedAt - now > UPLOAD_STATE_CLOCK_SLACK_MS)
    return { problem: `it is dated ${Math.round((savedAt - now) / 60_000)} min in the future` }
  if (now - savedAt > maxAgeMs)
    return {
      problem: `it is ${Math.round((now - savedAt) / 60_000)} min old (the limit is ${maxAgeMs / 60_000} min)`
    }
  return { kept: { location, offset, savedAt } }
}

/**
 * Whether a kept session `location` may be resumed for an upload whose fresh session the registry
 * just opened at `fresh` (pure): the same origin (scheme, host and port: no other host and no
 * downgrade to http) and the same upload path (`…/blobs/uploads/`, the session id excepted), so a
 * planted file can never send a byte elsewhere.
 * @returns undefined when it may, else why not, naming the kept origin only (never its query)
 */
export function resumableAt(location: URL, fresh: UploadSession): string | undefined {
  const dir = (u: URL): string => u.pathname.slice(0, u.pathname.lastIndexOf('/') + 1)
  const expected = `/v2/${fresh.repo.repository}/blobs/uploads/`
  if (location.origin !== fresh.location.origin)
    return `its session is at ${location.origin}, not at ${fresh.location.origin} where the registry opens sessions`
  if (dir(location) !== dir(fresh.location) && dir(location) !== expected)
    return `its session is not an upload of ${fresh.repo.registry}/${fresh.repo.repository}`
  return undefined
}

/** The kept upload of one blob at one repository, held by this run (its lock taken). */
export interface UploadClaim {
  /** the kept upload found, checked, if any */
  readonly kept?: KeptUpload
  /** records that `session` holds `offset` bytes (written atomically; file-system errors ignored) */
  save(session: UploadSession, offset: number): Promise<void>
  /** removes the kept upload (completed, cancelled, or not confirmed by the registry) */
  forget(): Promise<void>
  /** gives the lock up (the kept upload stays for a later run unless forgotten) */
  release(): Promise<void>
}

/** The kept chunked uploads in one directory (see the module comment). */
export class UploadStateStore {
  private checked?: Promise<string | undefined>

  /**
   * @param dir the directory of the state files (created 0700 on first use)
   * @param maxAgeMs a kept upload older than this is removed, ms (default 1 hour)
   * @param now the clock, ms
   * @param uid the owner the directory and files must have (default: this user)
   */
  constructor(
    readonly dir: string,
    private readonly maxAgeMs = UPLOAD_STATE_MAX_AGE_MS,
    private readonly now: () => number = Date.now,
    private readonly uid: number | undefined = currentUid()
  ) {}

  /** `<dir>/<32 hex>` for the blob at the repository: the state file adds `.json`, its lock `.lock`. */
  private stem(repo: Repository, digest: string): string {
    const key = createHash('sha256').update(`${repo.registry}/${repo.repository}@${digest}`).digest('hex')
    return join(this.dir, key.slice(0, 32))
  }

  /** The directory check, once per store; a refusal is warned about once. */
  private async usable(log: Logger): Promise<boolean> {
    const first = !this.checked
    this.checked ??= trustedDirectory(this.dir, this.uid)
    const why = await this.checked
    if (why && first)
      log.warning(
        `upload state directory ${this.dir} is not used: ${why}; chunked uploads will not be resumable`
      )
    return !why
  }

  /**
   * Claims the kept upload of `digest` at `repo` for this run: takes its lock, then reads and checks
   * its file (a file that cannot be used is removed, with a `-v` line on `log` saying why, naming
   * the upload as `what`).
   * @returns the claim; undefined when the directory is refused (warned once) or another running
   *   process holds the lock (its upload then goes on unkept, and its session is left alone)
   */
  async claim(
    repo: Repository,
    digest: string,
    log: Logger = silentLogger,
    what = `blob ${digest} to ${repo.registry}/${repo.repository}`
  ): Promise<UploadClaim | undefined> {
    if (!(await this.usable(log))) return undefined
    const stem = this.stem(repo, digest)
    let lock
    try {
      lock = await takeLock(`${stem}.lock`, this.maxAgeMs, this.now(), this.uid)
    } catch (e) {
      log.debug(
        `${what}: upload state not kept (lock: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`
      )
      return undefined
    }
    if ('heldBy' in lock) {
      log.debug(`${what}: another upload (process ${lock.heldBy}) holds its state; this one is not kept`)
      return undefined
    }
    await removeLeftovers(`${stem}.json`)
    const kept = await this.read(`${stem}.json`, what, log)
    return this.claimOf(`${stem}.json`, kept, lock.release)
  }

  /** The checked kept upload in `file`; a file that cannot be used is removed (and said so). */
  private async read(file: string, what: string, log: Logger): Promise<KeptUpload | undefined> {
    const found = await readKeptFile(file, LIMITS.uploadStateBytes, this.uid)
    if ('missing' in found) return undefined
    const parsed = 'text' in found ? parseKeptUpload(found.text, this.now(), this.maxAgeMs) : found
    if ('kept' in parsed) return parsed.kept
    await removeKeptFile(file)
    log.debug(
      `${what}: restarting from byte 0 because the kept upload state ${file}: ${parsed.problem}; removed`
    )
    return undefined
  }

  private claimOf(file: string, kept: KeptUpload | undefined, release: () => Promise<void>): UploadClaim {
    return {
      kept,
      save: async (session, offset) => {
        const saved = { location: session.location.toString(), offset, savedAt: this.now() }
        // resuming is a nicety: a read-only cache only costs a full upload next time
        await writeKeptFile(file, JSON.stringify(saved)).catch(() => undefined)
      },
      forget: () => removeKeptFile(file),
      release
    }
  }
}

/** An upload as fanOut sends it: the session (kept or fresh) and this run's claim on its state. */
export interface ClaimedUpload {
  upload: OpenUpload
  claim?: UploadClaim
}

/**
 * Claims each upload's kept state (UploadStateStore.claim) and, where a kept session of the same blob
 * at the same repository is confirmed by the registry (end-13), swaps the fresh session for it: the
 * fresh one is cancelled (end-14) and the upload goes on from the offset the REGISTRY reports (its
 * Range wins over the file's); a registry holding the whole blob gets only the closing PUT. A kept
 * state off the target's origin or repository, or one the registry does not confirm, is removed and
 * the fresh session used. Each decision is a `-v` line: `resuming … at byte N` or `restarting from
 * byte 0 because …`; but a kept session the registry no longer has is said on `log.info` (shown
 * without `-v`): `blob D to T: the registry no longer has the upload session an earlier run kept
 * (N bytes acknowledged then; …); starting again from byte 0`.
 * @returns one entry per upload, in order: `upload.offset` set where resumed; `claim` where kept
 */
export async function resumeUploads(
  api: RegistryApi,
  store: UploadStateStore,
  blob: Descriptor,
  uploads: OpenUpload[],
  log: Logger = silentLogger
): Promise<ClaimedUpload[]> {
  return await Promise.all(
    uploads.map(async upload => {
      const claim = await store.claim(
        upload.session.repo,
        blob.digest,
        log,
        `blob ${blob.digest} to ${upload.target}`
      )
      if (!claim?.kept) return { upload, claim }
      const resumed = await resumeOne(api, claim, blob, upload, log)
      return { upload: resumed ?? upload, claim }
    })
  )
}

/** One upload's kept session, checked and confirmed (see resumeUploads); undefined: start afresh. */
async function resumeOne(
  api: RegistryApi,
  claim: UploadClaim,
  blob: Descriptor,
  upload: OpenUpload,
  log: Logger
): Promise<OpenUpload | undefined> {
  const kept = claim.kept as KeptUpload
  const what = `blob ${blob.digest} to ${upload.target}`
  const restart = async (why: string): Promise<undefined> => {
    await claim.forget()
    log.debug(`${what}: restarting from byte 0 because ${why}`)
    return undefined
  }
  const off = resumableAt(kept.location, upload.session)
  if (off) return await restart(`the kept upload state is not used: ${off}; removed`)
  const session: UploadSession = { ...upload.session, location: kept.location }
  const status = await api.uploadStatus(session)
  if (!status) {
    // said without -v: the bytes an earlier run sent are sent again (newuser4 #17)
    await claim.forget()
    log.info(
      `${what}: the registry no longer has the upload session an earlier run kept (${kept.offset} bytes acknowledged then; distribution ends a session whose PATCH was cut mid-body); starting again from byte 0`
    )
    return undefined
  }
  if (status.offset > blob.size)
    return await restart(
      `the registry's kept session holds ${status.offset} bytes, more than the blob's ${blob.size}`
    )
  await api.cancelUpload(upload.session)
  const said = status.offset === kept.offset ? '' : `; the kept state said ${kept.offset}`
  log.debug(
    `${what}: resuming at byte ${status.offset} of ${blob.size} (the registry holds ${status.offset} bytes${said})`
  )
  return { ...upload, session, offset: status.offset }
}

/**
 * Whether the registry may still hold the session after `e`, so its status is worth asking: no
 * answer (reset, timeout, deadline), a Range that did not advance (UploadRangeError), 416, or a 5xx;
 * not a 4xx refusal, nor a wait the registry asked beyond the retry budget.
 */
export function mayContinue(e: unknown): boolean {
  if (e instanceof UploadRangeError) return true
  if (!(e instanceof RegistryError)) return !(e instanceof Error && e.name === 'AuthError')
  if (e.final) return false
  return e.status === 416 || e.status >= 500
}

/** How a session is continued after a failed request (patchFrame, closeSession). */
export interface ContinueOptions {
  log?: Logger
  /** `blob D to T`, for the `-v` lines */
  what: string
}

/**
 * Whether a session is continued after its request failed with `e`, `continued` continuations
 * into it (0: the request's first failure): only when the registry may still hold the session
 * ({@link mayContinue}), and as often as the client's RetryPolicy allows (scope `session`,
 * `api.retryPolicy`, else DEFAULT_RETRY_POLICY: `retries` continuations per request, at once).
 * Waits the delay the policy asks (ms) before saying yes.
 */
async function mayGoOn(api: RegistryApi, e: unknown, continued: number, started: number): Promise<boolean> {
  if (!mayContinue(e)) return false
  const now = Date.now()
  const decision = (api.retryPolicy ?? DEFAULT_RETRY_POLICY).decide({
    scope: 'session',
    attempt: continued,
    elapsedMs: now - started,
    now,
    failure: { error: e }
  })
  if (decision.retry && decision.delayMs > 0) await sleep(decision.delayMs)
  return decision.retry
}

/**
 * Sends bytes `from` … end of `frame` (a piece of the blob starting at byte `frameStart`) as one
 * PATCH (end-5). After a PATCH that failed without a clear refusal (mayContinue), the session's
 * status (end-13) tells how many bytes the registry holds: when that lies within the frame the
 * upload continues from there (the registry's Range wins: what it holds is not sent again); at the
 * frame's end the chunk is taken as landed (its answer was lost).
 * @returns the registry's offset after the frame (bytes): `frameStart + frame.length`
 * @throws the PATCH's error when the session is gone, its offset lies outside the frame, or the
 *   retry policy allows no further continuation
 */
export async function patchFrame(
  api: RegistryApi,
  session: UploadSession,
  frame: Buffer,
  frameStart: number,
  from: number,
  opts: ContinueOptions
): Promise<number> {
  const end = frameStart + frame.length
  const started = Date.now()
  for (let at = from, continued = 0; ; continued++) {
    try {
      await api.patchChunk(session, at, frame.subarray(at - frameStart))
      return end
    } catch (e) {
      if (!(await mayGoOn(api, e, continued, started))) throw e
      const status = await api.uploadStatus(session)
      if (!status || status.offset < frameStart || status.offset > end) throw e
      opts.log?.debug(
        `${opts.what}: PATCH ${at}-${end - 1} failed (${(e as Error).message}); the registry holds ${status.offset} bytes: ${status.offset === end ? 'the chunk landed' : `continuing at byte ${status.offset}`}`
      )
      if (status.offset === end) return end
      at = status.offset
    }
  }
}

/**
 * Closes a chunked upload with its empty PUT (end-6); after a PUT that failed without a clear
 * refusal (mayContinue; the client has already looked for the blob by HEAD), the session's status
 * says whether the registry still holds every byte: then the PUT is sent again, in the same session.
 * @throws the PUT's error when the session is gone or short, or the retry policy allows no further
 *   continuation
 */
export async function closeSession(
  api: RegistryApi,
  session: UploadSession,
  blob: Descriptor,
  opts: ContinueOptions
): Promise<void> {
  const started = Date.now()
  for (let continued = 0; ; continued++) {
    try {
      return await api.finishChunked(session, blob.digest, blob.size)
    } catch (e) {
      if (!(await mayGoOn(api, e, continued, started))) throw e
      const status = await api.uploadStatus(session)
      if (status?.offset !== blob.size) throw e
      opts.log?.debug(
        `${opts.what}: closing PUT to ${redactUrl(session.location)} failed (${(e as Error).message}); the registry holds all ${blob.size} bytes: closing it again`
      )
    }
  }
}
