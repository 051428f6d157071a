/**
 * Small files kept between runs in a directory of the user's (the upload state, resume.ts), read and
 * written as a hostile disk is assumed: the directory is created 0700 and refused when it is a
 * symbolic link, not a directory, not owned by the user or writable by group or others; a file is
 * read only when it is a regular file (never through a symbolic link), owned by the user, not
 * writable by group or others, and within a size limit; a file is written 0600 through a temporary
 * file created exclusively (O_CREAT|O_EXCL: a planted file or symbolic link at its name fails the
 * write instead of being followed) and renamed over the old one; a lock is a file created
 * exclusively that names the process holding it. Node's fs only; no knowledge of what the files hold.
 * node:fs/promises is reached through `fs.promises` (a getter that loads it on first use), never
 * imported: the CLI's code cache and the blob record use the synchronous functions, so a copy that
 * resumes no upload never loads it (node:fs/promises loads readline's modules too; ~5.6 M
 * instructions, its functions then compiled on their first call).
 */
import { randomBytes } from 'node:crypto'
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  promises as fsp,
  writeSync,
  type Stats
} from 'node:fs'
import { homedir } from 'node:os'
import { basename, dirname, join, resolve } from 'node:path'

/**
 * The directory promote-image keeps its files in between runs (the upload state, the blob record,
 * the CLI's code cache each in a folder of it): `$XDG_CACHE_HOME/promote-image`, else
 * `HOME/.cache/promote-image`; undefined when neither is known.
 * @param home the user's home directory ('' when unknown)
 */
export function cacheHome(
  env: Record<string, string | undefined>,
  home: string = homedir()
): string | undefined {
  const base = env.XDG_CACHE_HOME || (home && join(home, '.cache'))
  return base ? join(base, 'promote-image') : undefined
}

/** Who may own the files: the user's id (`process.getuid()`), or undefined where there is none (Windows). */
export function currentUid(): number | undefined {
  return typeof process.getuid === 'function' ? process.getuid() : undefined
}

/** Why a directory or file entry may not be trusted, in words; undefined when it may. */
function untrusted(stat: { uid: number; mode: number }, uid: number | undefined): string | undefined {
  if (uid !== undefined && stat.uid !== uid)
    return `it is owned by uid ${stat.uid}, not by this user (uid ${uid})`
  if ((stat.mode & 0o022) !== 0)
    return `it is writable by ${stat.mode & 0o020 ? 'its group' : 'others'} (mode ${(stat.mode & 0o777).toString(8).padStart(4, '0')})`
  return undefined
}

/**
 * `dir` and its ancestors up to the first that exists, nearest last (the ones to create, in order);
 * [] when `dir` exists.
 */
function missingDirs(dir: string, exists: (path: string) => boolean): string[] {
  const out: string[] = []
  for (let d = resolve(dir); !exists(d); d = dirname(d)) {
    out.unshift(d)
    if (dirname(d) === d) break
  }
  return out
}

const existsSync = (path: string): boolean => {
  try {
    lstatSync(path)
    return true
  } catch {
    return false
  }
}

/**
 * Creates `dir` and each missing parent, one mkdir per directory, the one nearest the root first (a
 * directory another process made meanwhile is fine); nothing when `dir` exists. The one way this
 * program makes directories: not `mkdir(…, { recursive: true })`, sync or async, which on Node 20
 * loops for ever, spinning a core, where mkdir answers ENOENT under a parent that exists (/proc, /sys).
 * @param mode of each directory made, before the umask (default 0o777, as mkdir's)
 * @throws the first mkdir error other than EEXIST, as fs raises it (under /proc:
 *   `ENOENT: no such file or directory, mkdir '/proc/nope'`; EACCES, ENOTDIR)
 */
export function createDirectorySync(dir: string, mode = 0o777): void {
  for (const d of missingDirs(dir, existsSync)) {
    try {
      mkdirSync(d, { mode })
    } catch (e) {
      ignoreExisting(e)
    }
  }
}

/**
 * Creates `dir` (and its parents) with mode 0700 when missing ({@link createDirectorySync}),
 * then checks it (lstat: a symbolic link is not followed). Synchronous: the CLI's code cache is
 * read before anything else runs, and the few calls of a run (one per kept store) cost less than
 * the thread-pool trips of fs/promises.
 * @param uid the owner required (default: this user)
 * @returns undefined when the directory may be used, else why not (`it is a symbolic link`,
 *   `it is writable by others (mode 0777)`, `cannot create or read it (EACCES)`; under /proc:
 *   `cannot create or read it (ENOENT)`)
 */
export function trustedDirectorySync(dir: string, uid = currentUid()): string | undefined {
  try {
    createDirectorySync(dir, 0o700)
    return directoryProblem(lstatSync(dir), uid)
  } catch (e) {
    return cannot('create or read', e)
  }
}

/** {@link trustedDirectorySync}'s answer as a promise (for callers that keep it, as resume.ts does). */
export async function trustedDirectory(dir: string, uid = currentUid()): Promise<string | undefined> {
  return trustedDirectorySync(dir, uid)
}

/** Rethrows `e` unless it is EEXIST (another process made the directory meanwhile). */
function ignoreExisting(e: unknown): void {
  if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
}

function directoryProblem(stat: Stats, uid: number | undefined): string | undefined {
  if (stat.isSymbolicLink()) return 'it is a symbolic link'
  if (!stat.isDirectory()) return 'it is not a directory'
  return untrusted(stat, uid)
}

/** Why an entry which fs refused cannot be used: `cannot read it (EACCES)`. */
function cannot(what: string, e: unknown): string {
  return `cannot ${what} it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`
}

/** Why an open kept file may not be read (not regular, untrusted, larger than `maxBytes`); undefined when it may. */
function fileProblem(stat: Stats, maxBytes: number, uid: number | undefined): string | undefined {
  if (!stat.isFile()) return 'it is not a regular file'
  const why = untrusted(stat, uid)
  if (why) return why
  if (stat.size > maxBytes) return `it holds ${stat.size} bytes, more than the limit of ${maxBytes}`
  return undefined
}

/** What opening a kept file failed with, as a KeptFile. */
function openFailed(e: unknown): { missing: true } | { problem: string } {
  const code = (e as NodeJS.ErrnoException).code
  if (code === 'ENOENT') return { missing: true }
  return { problem: code === 'ELOOP' ? 'it is a symbolic link' : cannot('read', e) }
}

/** What reading a kept file gave: its text, nothing (no such file), or why it may not be used. */
export type KeptFile = { text: string } | { missing: true } | { problem: string }

/**
 * Reads `file` when it may be trusted: opened with O_NOFOLLOW (a symbolic link fails), then checked
 * on the open descriptor (regular file, owner `uid`, not group/world-writable, at most `maxBytes`).
 * @param maxBytes largest size read, bytes; a larger file is refused unread
 */
export async function readKeptFile(file: string, maxBytes: number, uid = currentUid()): Promise<KeptFile> {
  let handle
  try {
    handle = await fsp.open(file, constants.O_RDONLY | constants.O_NOFOLLOW)
  } catch (e) {
    return openFailed(e)
  }
  try {
    const stat = await handle.stat()
    const problem = fileProblem(stat, maxBytes, uid)
    if (problem) return { problem }
    // one byte more than the size seen (not maxBytes + 1: that was 4 MiB zeroed for a record of a
    // few KB), so a file that grew while read is refused, never cut short
    const buffer = Buffer.allocUnsafe(stat.size + 1)
    let length = 0
    for (
      let n;
      length < buffer.length &&
      (n = (await handle.read(buffer, length, buffer.length - length, length)).bytesRead) > 0;
    )
      length += n
    if (length > stat.size) return { problem: 'it grew while it was read' }
    return { text: buffer.toString('utf8', 0, length) }
  } finally {
    await handle.close()
  }
}

/**
 * Replaces `file` with `text` (mode 0600): written to `FILE.<random>.tmp`, created exclusively
 * (O_CREAT|O_EXCL, so nothing planted at that name is followed or reused), then renamed over `file`
 * (a rename replaces a symbolic link at `file` itself, never its target).
 * @throws the file system's error (the temporary file is removed)
 */
export async function writeKeptFile(file: string, text: string): Promise<void> {
  const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`
  const handle = await fsp.open(tmp, 'wx', 0o600)
  try {
    await handle.writeFile(text)
    await handle.close()
    await fsp.rename(tmp, file)
  } catch (e) {
    await handle.close().catch(() => undefined)
    await fsp.rm(tmp, { force: true }).catch(() => undefined)
    throw e
  }
}

/** What reading a kept file synchronously gave: its bytes, nothing (no such file), or why it may not be used. */
export type KeptBytes = { bytes: Buffer } | { missing: true } | { problem: string }

/** {@link readKeptFile}'s checks, synchronously, for bytes (the CLI's code cache). */
export function readKeptBytesSync(file: string, maxBytes: number, uid = currentUid()): KeptBytes {
  let fd: number
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW)
  } catch (e) {
    return openFailed(e)
  }
  try {
    const stat = fstatSync(fd)
    const problem = fileProblem(stat, maxBytes, uid)
    if (problem) return { problem }
    // one byte more than the size seen: a file that grew while read is refused, never cut short
    const buffer = Buffer.allocUnsafe(stat.size + 1)
    let length = 0
    for (
      let n;
      length < buffer.length && (n = readSync(fd, buffer, length, buffer.length - length, length)) > 0;
    )
      length += n
    if (length > stat.size) return { problem: 'it grew while it was read' }
    return { bytes: buffer.subarray(0, length) }
  } finally {
    closeSync(fd)
  }
}

/**
 * {@link writeKeptFile}, synchronously, for bytes: 0600, through `FILE.<random>.tmp` created
 * exclusively, renamed over `file`.
 * @throws the file system's error (the temporary file is removed)
 */
export function writeKeptBytesSync(file: string, data: Uint8Array): void {
  const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`
  const fd = openSync(tmp, 'wx', 0o600)
  try {
    for (let at = 0; at < data.length;) at += writeSync(fd, data, at, data.length - at)
    closeSync(fd)
    renameSync(tmp, file)
  } catch (e) {
    try {
      closeSync(fd)
    } catch {
      // closed before the rename failed
    }
    rmSync(tmp, { force: true })
    throw e
  }
}

/**
 * Removes `file` (a symbolic link itself, never its target; an empty directory planted at its name
 * too, never a directory's contents); never throws.
 */
export async function removeKeptFile(file: string): Promise<void> {
  await fsp.rm(file, { force: true }).catch(() => fsp.rmdir(file).catch(() => undefined))
}

/**
 * Removes the temporary files `writeKeptFile` left for `file` (`FILE.<random>.tmp`: a process killed
 * between creating and renaming one); call it only while holding `file`'s lock. Never throws.
 */
export async function removeLeftovers(file: string): Promise<void> {
  const name = basename(file)
  const left = await fsp.readdir(dirname(file)).catch(() => [] as string[])
  const tmp = left.filter(n => n.startsWith(`${name}.`) && /^\.[0-9a-f]{12}\.tmp$/.test(n.slice(name.length)))
  await Promise.all(tmp.map(n => removeKeptFile(join(dirname(file), n))))
}

/** Who holds a lock file: a process id and when it took the lock (ms since the epoch). */
interface LockHolder {
  pid: number
  at: number
}

/** True when process `pid` runs on this machine (signal 0: EPERM means it runs as another user). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** The holder named in a lock file's text, or undefined when it names none. */
function holderOf(text: string): LockHolder | undefined {
  try {
    const h = JSON.parse(text) as Partial<LockHolder>
    return Number.isSafeInteger(h.pid) && Number.isFinite(h.at) ? (h as LockHolder) : undefined
  } catch {
    return undefined
  }
}

/** What trying a lock gave: the release function, or who holds it (a live process). */
export type LockResult = { release: () => Promise<void> } | { heldBy: number }

/**
 * Takes the lock `file` (created exclusively, 0600, naming this process). A lock left by a process
 * that no longer runs, one older than `maxAgeMs` (`now` ms), or one that names no process is taken
 * over; one held by a running process (this one included: another upload of this run) is not.
 * @throws the file system's error when the lock can be neither taken nor read
 */
export async function takeLock(
  file: string,
  maxAgeMs: number,
  now: number,
  uid = currentUid()
): Promise<LockResult> {
  for (let tries = 0; ; tries++) {
    try {
      const handle = await fsp.open(file, 'wx', 0o600)
      await handle.writeFile(JSON.stringify({ pid: process.pid, at: now }))
      await handle.close()
      return { release: () => removeKeptFile(file) }
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || tries > 0) throw e
    }
    const kept = await readKeptFile(file, 256, uid)
    const holder = 'text' in kept ? holderOf(kept.text) : undefined
    if (holder && now - holder.at <= maxAgeMs && running(holder.pid)) return { heldBy: holder.pid }
    await removeKeptFile(file)
  }
}
