/**
 * Resumable chunked uploads (distribution-spec end-13 "upload status"): while a chunked upload
 * runs, its session URL and the offset the registry acknowledged are kept in a small JSON file per
 * target repository and blob digest under the user's cache directory. A run that was killed or lost
 * its connection leaves the file behind; the next upload of that blob to that repository asks the
 * registry (`GET <location>` → 204 with `Range: 0-N`) where the session stands and continues from
 * there. A file older than `maxAgeMs` (default 1 hour), unreadable, or not confirmed by the registry
 * is removed and the upload starts from byte 0. A clean cancel (SIGINT) removes the file.
 */
import { createHash } from 'node:crypto'
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join } from 'node:path'
import type { RegistryApi, Repository, UploadSession } from '../registry/api.js'
import type { Descriptor } from '../oci/manifest.js'
import type { Logger } from '../logger.js'
import type { OpenUpload } from './fanout.js'

/** One kept upload: where the session is and how many bytes the registry acknowledged. */
interface SavedUpload {
  location: string
  offset: number
  /** ms since the epoch when the offset was acknowledged */
  savedAt: number
}

/**
 * `$XDG_CACHE_HOME/promote-image/uploads`, else `~/.cache/promote-image/uploads`.
 * @param env the process environment
 */
export function defaultUploadStateDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME || join(homedir(), '.cache')
  return join(base, 'promote-image', 'uploads')
}

/** The kept chunked uploads in one directory; every method swallows file-system errors. */
export class UploadStateStore {
  /**
   * @param dir the directory of the state files (created on the first save)
   * @param maxAgeMs a saved upload older than this is ignored (default 1 hour)
   * @param now the clock, ms
   */
  constructor(
    readonly dir: string,
    private readonly maxAgeMs = 3_600_000,
    private readonly now: () => number = Date.now
  ) {}

  private file(repo: Repository, digest: string): string {
    const key = createHash('sha256').update(`${repo.registry}/${repo.repository}@${digest}`).digest('hex')
    return join(this.dir, `${key.slice(0, 32)}.json`)
  }

  /** Records that `session` holds `offset` bytes of `digest` (written atomically). */
  async save(session: UploadSession, digest: string, offset: number): Promise<void> {
    const saved: SavedUpload = { location: session.location.toString(), offset, savedAt: this.now() }
    const file = this.file(session.repo, digest)
    try {
      await mkdir(this.dir, { recursive: true })
      await writeFile(`${file}.tmp`, JSON.stringify(saved))
      await rename(`${file}.tmp`, file)
    } catch {
      // resuming is a nicety: a read-only cache only costs a full upload next time
    }
  }

  /**
   * The kept upload of `digest` at `repo`, when there is a fresh one: `{ session, offset }`
   * (offset in bytes, as acknowledged). A stale or unreadable file is removed.
   */
  async load(
    repo: Repository,
    digest: string
  ): Promise<{ session: UploadSession; offset: number } | undefined> {
    let saved: SavedUpload
    try {
      saved = JSON.parse(await readFile(this.file(repo, digest), 'utf8')) as SavedUpload
    } catch {
      return undefined
    }
    const fresh = this.now() - saved.savedAt <= this.maxAgeMs && saved.offset > 0
    if (!fresh || typeof saved.location !== 'string') {
      await this.remove(repo, digest)
      return undefined
    }
    return { session: { repo, location: new URL(saved.location) }, offset: saved.offset }
  }

  /** Forgets the kept upload of `digest` at `repo` (completed, cancelled or not confirmed). */
  async remove(repo: Repository, digest: string): Promise<void> {
    await rm(this.file(repo, digest), { force: true }).catch(() => undefined)
  }
}

/**
 * Swaps each fresh upload for the kept session of the same blob at the same repository when the
 * registry confirms it (end-13): the fresh session is then cancelled (end-14) and the upload goes
 * on from the offset the registry reported. Unconfirmed state is removed.
 * @returns the uploads to use, in order, `offset` set where resumed
 */
export async function resumeUploads(
  api: RegistryApi,
  store: UploadStateStore,
  blob: Descriptor,
  uploads: OpenUpload[],
  log?: Logger
): Promise<OpenUpload[]> {
  return await Promise.all(
    uploads.map(async upload => {
      const kept = await store.load(upload.session.repo, blob.digest)
      if (!kept) return upload
      const status = await api.uploadStatus(kept.session)
      if (!status || status.offset >= blob.size) {
        await store.remove(upload.session.repo, blob.digest)
        return upload
      }
      await api.cancelUpload(upload.session)
      log?.debug(`blob ${blob.digest}: resuming the upload to ${upload.target} at byte ${status.offset}`)
      return {
        ...upload,
        session: { ...upload.session, location: kept.session.location },
        offset: status.offset
      }
    })
  )
}
