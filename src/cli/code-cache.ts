/**
 * The CLI's program (dist/cli/program.cjs: src/cli/run.ts and everything it loads, one CommonJS
 * file) compiled with a V8 code cache, so a run skips parsing and compiling the code it ran last
 * time. Node 20 offers no code cache for ES modules (`module.enableCompileCache` is Node ≥ 22.1);
 * `vm.Script` takes `cachedData` on every Node.
 *
 * One cache file per Node version, architecture, program and command (the first argument that is
 * not an option: `copy`, `inspect`…; `none` for `--version`/`--help`), made after the run by
 * `createCachedData` (so it holds the functions that run compiled, not only the top level) and
 * written atomically (a temporary file renamed over it). A cache is code this process runs, so it is
 * kept as the upload state is (copy/state-files.ts): the directory is created 0700 and not used at
 * all when it is a symbolic link or writable by anyone but the user; a cache file is read only
 * when it is a regular file of the user's, not group/world-writable, at most CODE_CACHE_MAX_BYTES;
 * it is written 0600 through a temporary file created exclusively. The entry saves one only after a run that
 * succeeded (exit 0): a run that stopped at a usage error or a failure compiled a fraction of the
 * command, and a cache is kept once made. V8 checks a cache against its own version,
 * its flags and the source's length and rejects one that does not fit (`cachedDataRejected`): the
 * program then compiles as if there were none and the cache is made anew. V8 checks the cache's
 * checksum only with `--verify-snapshot-checksum` (on by default in debug builds alone): without it
 * a cache whose header is intact but whose body is damaged is deserialized as it is, and Node 20
 * crashes on it (SIGSEGV, measured); so the flag is set before any cache is made or read. The program's first line names its hash (`// promote-image program <hex>`, written by
 * scripts/bundle.mjs), so a changed program of the same length never meets an old cache. Nothing
 * here throws for a missing, unreadable or unwritable cache: it only means no cache.
 */
import { closeSync, fstatSync, openSync, readdirSync, readSync, statSync, unlinkSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { setFlagsFromString } from 'node:v8'
import { Script } from 'node:vm'
import {
  cacheHome,
  readKeptBytesSync,
  trustedDirectorySync,
  writeKeptBytesSync
} from '../copy/state-files.js'

/** What became of the code cache: `used`, `rejected` (V8 refused it; compiled afresh), `none` (no cache yet), `off`. */
export type CodeCacheOutcome = 'used' | 'rejected' | 'none' | 'off'

/** The first line scripts/bundle.mjs gives the program: its hash (hex), the cache key's part. */
const HASH_LINE = /^\/\/ promote-image program ([0-9a-f]{16,64})\n/

/** A cache file older than this (ms) that another program or Node wrote is removed when a cache is written. */
export const STALE_MS = 30 * 24 * 3600 * 1000

/**
 * The directory of the code cache: `PROMOTE_IMAGE_COMPILE_CACHE` when set (`0`, `off`, `false`:
 * none, the switch compile-cache.ts reads too), else `code` in the CLI's cache directory beside the
 * upload state (copy/resume.ts): `$XDG_CACHE_HOME/promote-image`, else `HOME/.cache/promote-image`;
 * undefined when no home is known.
 * @param home the user's home directory ('' when unknown)
 */
export function codeCacheDirectory(
  env: Record<string, string | undefined>,
  home: string
): string | undefined {
  const asked = env.PROMOTE_IMAGE_COMPILE_CACHE?.trim()
  if (asked && /^(0|off|false)$/i.test(asked)) return undefined
  if (asked) return asked
  const dir = cacheHome(env, home)
  return dir && join(dir, 'code')
}

/**
 * The command a run's cache is kept for: the first argument that is not an option, when it reads
 * as a command word (lower-case letters and `-`, ≤ 20 characters), else `none`; `none` too for a
 * run that only prints help or the version (`--help`, `-h`, `--version` anywhere), so `copy --help`
 * does not leave `copy` a cache of the help's code alone. `promote` with a promotion file (`-f`,
 * `--file`) is `promote-file`: it runs with other V8 flags (v8-flags.ts tuneV8), which a code
 * cache is checked against.
 */
export function commandKey(argv: string[]): string {
  if (argv.some(a => a === '--help' || a === '-h' || a === '--version')) return 'none'
  const word = argv.find(a => !a.startsWith('-'))
  if (word === 'promote' && argv.some(a => a === '-f' || a === '--file' || a.startsWith('--file=')))
    return 'promote-file'
  return word && /^[a-z][a-z-]{0,19}$/.test(word) ? word : 'none'
}

/** The cache file's name: `program-<node version>-<arch>-<program hash>-<command>.bin`. */
export function codeCacheName(
  hash: string,
  command: string,
  node = process.version,
  arch = process.arch
): string {
  return `program-${node}-${arch}-${hash}-${command}.bin`
}

/** The program's hash from its first line; undefined when the line is missing. */
export function programHash(text: string): string | undefined {
  return HASH_LINE.exec(text)?.[1]
}

/** What the program's text is wrapped in to run as a CommonJS module (as Node's own loader wraps one). */
export const PROGRAM_HEAD = '(function (exports, require, module, __filename, __dirname) {'
export const PROGRAM_TAIL = '\n})'

/**
 * The program at `path` wrapped in {@link PROGRAM_HEAD} and {@link PROGRAM_TAIL}, decoded as UTF-8
 * into one string. V8 keeps a script's source for the life of the process (it compiles functions
 * from it when they first run): wrapping the file's text in a second string (a template) left the
 * 1.1 MB text itself dead in the large-object space, which only a full GC frees and a copy never
 * runs (peak RSS of a 300 MB copy −1.3 to −1.6 MiB, 4 alternated runs each). So the file is read into a buffer
 * with room for the head and the tail, and decoded once.
 * @returns the source (UTF-16 units: head + the file's text + tail)
 * @throws what opening or reading the file throws
 */
export function readProgramSource(path: string): string {
  const fd = openSync(path, 'r')
  try {
    const size = fstatSync(fd).size
    const bytes = Buffer.allocUnsafe(PROGRAM_HEAD.length + size + PROGRAM_TAIL.length)
    const end = PROGRAM_HEAD.length + size
    let at = bytes.write(PROGRAM_HEAD, 'latin1')
    while (at < end) {
      const n = readSync(fd, bytes, at, end - at, null)
      if (n === 0) break
      at += n
    }
    at += bytes.write(PROGRAM_TAIL, at, 'latin1')
    return bytes.toString('utf8', 0, at)
  } finally {
    closeSync(fd)
  }
}

/** A loaded program: its exports, what became of the cache, and `save()` for the end of the run. */
export interface LoadedProgram<T> {
  exports: T
  outcome: CodeCacheOutcome
  /** the cache file (absent: no cache for this program or run) */
  file?: string
  /**
   * Writes the code cache when there was none or V8 rejected it (at the end of the run, so it holds
   * what the run compiled); removes stale caches beside it. Never throws; true when written.
   */
  save(): boolean
}

/** Caches carry a checksum that V8 verifies (see the module comment); never fails a run. */
function checksums(): void {
  try {
    setFlagsFromString('--verify-snapshot-checksum')
  } catch {
    // an engine without the flag
  }
}

/** The largest code cache read, bytes (one command's cache is under 1 MiB). */
const CODE_CACHE_MAX_BYTES = 16 * 1024 * 1024

/** The cache's bytes when the file may be trusted (copy/state-files.ts rules), else undefined. */
function readCache(file: string | undefined): Buffer | undefined {
  if (!file) return undefined
  const kept = readKeptBytesSync(file, CODE_CACHE_MAX_BYTES)
  return 'bytes' in kept ? kept.bytes : undefined
}

/** Removes other cache files of `dir` not written for `STALE_MS` (other programs, other Node versions). */
function sweep(dir: string, keep: string, now: number): void {
  for (const name of readdirSync(dir)) {
    if (name === keep || !/^program-.*\.bin$/.test(name)) continue
    const path = join(dir, name)
    try {
      if (now - statSync(path).mtimeMs > STALE_MS) unlinkSync(path)
    } catch {
      // another run removed it first
    }
  }
}

/**
 * The `require` a program at `path` is given: `load` for a built-in (`node:fs`, `process`), and for
 * a relative id (`./vendor.cjs`, the only files the program requires) `load` of the file beside the
 * program. The CLI's entry (dist/cli.cjs, CommonJS) passes its own `require`, so no
 * `module.createRequire` is made: loading node:module on Node 20 loads the ES-module loader's
 * modules too, which no command uses.
 * @param path the program's file (absolute)
 * @param load a CommonJS `require` (of any module: relative ids are made absolute first)
 */
export function programRequire(path: string, load: (id: string) => unknown): (id: string) => unknown {
  const dir = dirname(path)
  return id => load(id.startsWith('./') || id.startsWith('../') ? join(dir, id) : id)
}

/**
 * Compiles and runs the CommonJS program at `path` (a file of scripts/bundle.mjs) with the code
 * cache of `argv`'s command, as Node runs a CommonJS module (`exports`, `require` relative to the
 * program, `module`, `__filename`, `__dirname`).
 * @param options.env the environment (PROMOTE_IMAGE_COMPILE_CACHE, XDG_CACHE_HOME)
 * @param options.home the user's home directory
 * @param options.argv the run's arguments (without node and script), for the command's cache
 * @param options.require the program's `require` (see {@link programRequire}); default
 *   `module.createRequire(path)`
 * @returns the program's `module.exports` and the cache's outcome
 * @throws what reading the program or running its top level throws (never for the cache)
 */
export function loadProgram<T>(
  path: string,
  options: {
    env: Record<string, string | undefined>
    home: string
    argv: string[]
    require?: (id: string) => unknown
  }
): LoadedProgram<T> {
  const source = readProgramSource(path)
  const hash = programHash(source.slice(PROGRAM_HEAD.length, PROGRAM_HEAD.length + 120))
  checksums()
  const asked = hash ? codeCacheDirectory(options.env, options.home) : undefined
  // a directory others could write to would let them choose the bytecode this process runs
  const dir = asked && !trustedDirectorySync(asked) ? asked : undefined
  const name = hash && codeCacheName(hash, commandKey(options.argv))
  const file = dir && name ? join(dir, name) : undefined
  const cachedData = readCache(file)
  const script = new Script(source, { filename: path, cachedData })
  const outcome: CodeCacheOutcome = !file
    ? 'off'
    : !cachedData
      ? 'none'
      : script.cachedDataRejected
        ? 'rejected'
        : 'used'
  const module = { exports: {} as T }
  const run = script.runInThisContext() as (...args: unknown[]) => void
  const require =
    options.require ??
    (process.getBuiltinModule('node:module') as typeof import('node:module')).createRequire(path)
  run.call(module.exports, module.exports, require, module, path, dirname(path))
  const save = (): boolean => {
    if (!file || outcome === 'used') return false
    try {
      writeKeptBytesSync(file, script.createCachedData())
    } catch {
      return false
    }
    try {
      sweep(dirname(file), name as string, Date.now())
    } catch {
      // the directory could not be listed: stale files stay
    }
    return true
  }
  return { exports: module.exports, outcome, file, save }
}
