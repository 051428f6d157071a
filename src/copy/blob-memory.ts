/**
 * Where blobs were seen, kept between runs (as skopeo's blob-info cache): which repository on which
 * registry held, or was given, each blob digest. A later run that must put a blob into a repository
 * lacking it mounts it from a remembered repository on the SAME registry (distribution-spec
 * "Mounting a blob from another repository": a mount never crosses registries) instead of streaming
 * it from the source (plan.ts `seen`). A mount the registry does not answer 201 falls back to the
 * upload as any mount does (transfer.ts), and the entry is forgotten.
 *
 * The record is one small file, `$XDG_CACHE_HOME/promote-image/blobs/locations.json` (else
 * `~/.cache/promote-image/blobs/locations.json`), read and written as state-files.ts says (directory
 * 0700, file 0600 through an exclusive temporary file, never through a symbolic link, not when
 * group/world-writable or another user's, at most BLOB_MEMORY_MAX_BYTES): a file that may not be
 * trusted or does not parse is not used (a `-v` line) and is replaced on the next write. It holds at
 * most BLOB_MEMORY_MAX_ENTRIES sightings; past it the oldest are dropped. Entries name only a
 * registry, a repository and a digest: at worst a planted one makes a run ask that registry for a
 * mount from another of its repositories, which the registry checks by digest.
 *
 * Two runs writing at once each re-read the file and add their own sightings: one may lose the
 * other's, which costs only a later upload. Written after a promotion that succeeded (never in a dry run).
 *
 * Read and written with synchronous calls (state-files.ts `…Sync`): a handful of system calls on
 * one small file, where each call through node:fs/promises went to the thread pool and back (the
 * save is the last step of every promotion: about eight such round trips after the tag PUT of a
 * warm copy) and loaded node:fs/promises itself. The read waits for the next turn of the event
 * loop, so it never holds back the requests the promotion sends first.
 */
import { dirname, join } from 'node:path'
import type { Repository } from '../registry/api.js'
import { registryKey } from '../reference/hosts.js'
import { sightingKey } from './plan.js'
import type { Logger } from '../logger.js'
import {
  cacheHome,
  readKeptBytesSync,
  trustedDirectorySync,
  writeKeptBytesSync,
  type KeptBytes
} from './state-files.js'

/** Most sightings (registry, repository, digest) kept; past it the oldest are dropped. */
const BLOB_MEMORY_MAX_ENTRIES = 10_000
/** Largest record file read, bytes (BLOB_MEMORY_MAX_ENTRIES entries take about 1.5 MiB). */
const BLOB_MEMORY_MAX_BYTES = 4 * 1024 * 1024

const DIGEST = /^sha256:[0-9a-f]{64}$|^sha512:[0-9a-f]{128}$/
const REPOSITORY = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/
const REGISTRY = /^[A-Za-z0-9.-]+(?::[0-9]{1,5})?$|^\[[0-9A-Fa-f:.]+\](?::[0-9]{1,5})?$/

/**
 * `$XDG_CACHE_HOME/promote-image/blobs/locations.json`, else `~/.cache/promote-image/blobs/locations.json`.
 * @param env the process environment
 */
export function defaultBlobMemoryFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheHome(env) ?? '', 'blobs', 'locations.json')
}

/** One sighting in the file: `[registry (registryKey form), repository, digest]`, oldest first. */
type Entry = [string, string, string]

const keyOf = (e: Entry): string => e.join(' ')

/**
 * Parses the record's text (pure): `{"v":1,"seen":[[registry, repository, digest], …]}`, oldest
 * first; entries that are not three well-formed names are left out.
 * @returns the entries, or why the text cannot be used (`it is not JSON`, `it is not a version 1 record`)
 */
export function parseBlobMemory(text: string): { entries: Entry[] } | { problem: string } {
  let raw: { v?: unknown; seen?: unknown }
  try {
    raw = JSON.parse(text) as typeof raw
  } catch {
    return { problem: 'it is not JSON' }
  }
  if (typeof raw !== 'object' || raw === null || raw.v !== 1 || !Array.isArray(raw.seen))
    return { problem: 'it is not a version 1 record' }
  const entries = (raw.seen as unknown[]).filter(
    (e): e is Entry =>
      Array.isArray(e) &&
      e.length === 3 &&
      typeof e[0] === 'string' &&
      REGISTRY.test(e[0]) &&
      typeof e[1] === 'string' &&
      e[1].length <= 255 &&
      REPOSITORY.test(e[1]) &&
      typeof e[2] === 'string' &&
      DIGEST.test(e[2])
  )
  return { entries }
}

/** The kept record of where blobs were seen (see the module comment); one per run, shared by a file's images. */
export class BlobMemory {
  /** key → entry; Map order is age (oldest first) */
  private entries = new Map<string, Entry>()
  private readonly added = new Map<string, Entry>()
  private readonly dropped = new Set<string>()
  /** the keys as the file held them when read (oldest first); [] once this BlobMemory wrote it */
  private readKeys: string[] = []
  private loading?: Promise<void>
  /**
   * sightings() as last built, kept up to date by saw() and forget() (a promotion file's images each
   * plan with it and add to it: rebuilt from every entry per image, it cost O(images²));
   * undefined once entries come from the file
   */
  private byBlob?: Map<string, string[]>

  /**
   * The directory and the file are used only when they are this user's (state-files.ts currentUid).
   * @param file the record file (its directory is created 0700 on the first write)
   * @param maxEntries most sightings kept (default BLOB_MEMORY_MAX_ENTRIES)
   */
  constructor(
    readonly file: string,
    private readonly maxEntries = BLOB_MEMORY_MAX_ENTRIES
  ) {}

  /**
   * Reads the file once per BlobMemory (later calls wait for that reading), in the next turn of the
   * event loop (after what the caller starts now); never throws.
   */
  load(log: Logger): Promise<void> {
    this.loading ??= new Promise(resolve => setImmediate(resolve)).then(() => {
      const entries = this.read(log)
      this.byBlob = undefined
      for (const e of entries) this.entries.set(keyOf(e), e)
      this.readKeys = [...this.entries.keys()]
    })
    return this.loading
  }

  /** The file's entries when it may be used, else none (a `-v` line says why); never throws. */
  private read(log: Logger): Entry[] {
    let kept: KeptBytes
    try {
      kept = readKeptBytesSync(this.file, BLOB_MEMORY_MAX_BYTES)
    } catch (e) {
      kept = { problem: `cannot read it (${(e as Error).message})` }
    }
    if ('missing' in kept) return []
    const parsed = 'bytes' in kept ? parseBlobMemory(kept.bytes.toString('utf8')) : kept
    if ('problem' in parsed) {
      log.debug(`blob locations ${this.file} not used: ${parsed.problem}`)
      return []
    }
    return parsed.entries
  }

  /**
   * Repositories on each registry remembered holding each digest, for the planner (plan.ts
   * PlanInput.seen): keyed by {@link sightingKey}, newest first.
   */
  sightings(): Map<string, string[]> {
    if (this.byBlob) return this.byBlob
    const out = new Map<string, string[]>()
    for (const [registry, repository, digest] of [...this.entries.values()].reverse()) {
      const key = sightingKey(registry, digest)
      const repositories = out.get(key)
      if (repositories) repositories.push(repository)
      else out.set(key, [repository])
    }
    return (this.byBlob = out)
  }

  /** Records `repo` as holding each of `digests` (newest: kept longest). */
  saw(repo: Repository, digests: Iterable<string>): void {
    const registry = registryKey(repo.registry)
    for (const digest of digests) {
      const e: Entry = [registry, repo.repository, digest]
      const key = keyOf(e)
      this.entries.delete(key)
      this.entries.set(key, e)
      this.added.delete(key)
      this.added.set(key, e)
      this.dropped.delete(key)
      this.resight(registry, repo.repository, digest, true)
    }
  }

  /** True when the entries are the file's as read, in the same order (saw() only re-saw its newest). */
  private asRead(): boolean {
    const keys = [...this.entries.keys()]
    const read = this.readKeys
    return (
      this.dropped.size === 0 &&
      keys.length === read.length &&
      keys.length <= this.maxEntries &&
      keys.every((k, i) => k === read[i])
    )
  }

  /** Forgets that `repo` holds `digest` (a mount from it was not answered 201). */
  forget(repo: Repository, digest: string): void {
    const registry = registryKey(repo.registry)
    const key = keyOf([registry, repo.repository, digest])
    this.entries.delete(key)
    this.added.delete(key)
    this.dropped.add(key)
    this.resight(registry, repo.repository, digest, false)
  }

  /**
   * Moves `repository` to the front of the built sightings of (`registry`, `digest`) when `held`,
   * else takes it out (a new list: one handed out earlier is not changed).
   */
  private resight(registry: string, repository: string, digest: string, held: boolean): void {
    if (!this.byBlob) return
    const key = sightingKey(registry, digest)
    const others = (this.byBlob.get(key) ?? []).filter(r => r !== repository)
    if (held) this.byBlob.set(key, [repository, ...others])
    else if (others.length) this.byBlob.set(key, others)
    else this.byBlob.delete(key)
  }

  /**
   * Writes the record: the file as it is now (another run may have written it since it was read),
   * without what this run forgot, plus what it saw, the oldest dropped past the limit; nothing when
   * what it saw is what the file ended with, in that order, when read (a warm re-run). Never throws:
   * a directory or file that cannot be used is a `-v` line.
   */
  async save(log: Logger): Promise<void> {
    if (this.added.size === 0 && this.dropped.size === 0) return
    if (this.asRead()) {
      // a warm re-run: what it saw is what the file ends with, in that order; writing it again
      // would change nothing (another run's additions since are in the file already)
      this.added.clear()
      return
    }
    const why = trustedDirectorySync(dirname(this.file))
    if (why) return void log.debug(`blob locations ${this.file} not written: its directory ${why}`)
    const onDisk = this.read(log)
    // what this save writes; what other runs of the file add meanwhile waits for their own save
    const added = [...this.added]
    const dropped = [...this.dropped]
    const merged = new Map<string, Entry>()
    for (const e of onDisk) if (!this.dropped.has(keyOf(e))) merged.set(keyOf(e), e)
    for (const [key, e] of added) {
      merged.delete(key)
      merged.set(key, e)
    }
    const seen = [...merged.values()].slice(-this.maxEntries)
    try {
      writeKeptBytesSync(this.file, Buffer.from(JSON.stringify({ v: 1, seen })))
      for (const [key] of added) this.added.delete(key)
      for (const key of dropped) this.dropped.delete(key)
      for (const [key, e] of merged) if (!this.dropped.has(key)) this.entries.set(key, e)
      this.readKeys = []
      this.byBlob = undefined
    } catch (e) {
      log.debug(`blob locations ${this.file} not written: ${(e as Error).message}`)
    }
  }
}
