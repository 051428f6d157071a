/**
 * Credentials the way docker finds them: the docker `config.json` (`auths`, `credHelpers`,
 * `credsStore`; docker/cli `cli/config/configfile`, docker-credential-helpers protocol), the same
 * shape in a containers auth file (containers-auth.json(5): `--authfile`, `REGISTRY_AUTH_FILE`, as
 * podman, buildah and skopeo write it), and the default chain used by the action and the CLI:
 * explicit inputs → auth file → docker config → anonymous.
 */
import type * as ChildProcess from 'node:child_process'
import { readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { silentLogger, type Logger } from '../logger.js'
import { DEFAULT_TIMEOUT_MS } from '../limits.js'
import {
  credentialKeys,
  DOCKER_HUB_CONFIG_KEY,
  isDockerHub,
  registryKey,
  sameRegistry
} from '../reference/hosts.js'
import { chainCredentials, staticCredentials, type Credential, type CredentialSource } from './credentials.js'
import { jsonFault } from './json-position.js'
import { LIMITS, bytesText } from '../limits.js'
import { inline } from '../neutralise.js'

/** What a credential helper run gave back. */
export interface HelperResult {
  /** exit code; -1 when the program could not be started (`error` says why) */
  code: number
  stdout: string
  stderr: string
  /** e.g. `ENOENT` when the helper is not on PATH */
  error?: string
  /**
   * set when the helper was stopped: it ran past its time, wrote more than it may, or the run was
   * interrupted (HelperBounds.signal aborted)
   */
  stopped?: 'timeout' | 'output' | 'interrupted'
}

/** How long a credential helper may run, ms, when not given: the default request timeout. */
export const HELPER_TIMEOUT_MS = DEFAULT_TIMEOUT_MS

/** Bounds on one credential helper run. */
export interface HelperBounds {
  /** longest run, ms (default {@link HELPER_TIMEOUT_MS}; the CLI and the action pass the request timeout) */
  timeoutMs?: number
  /** most bytes of stdout, and of stderr (default limits.ts credentialHelperBytes, 1 MiB) */
  maxBytes?: number
  /** the run's interruption (SIGINT / SIGTERM): aborting it stops the helper (its process group) at once */
  signal?: AbortSignal
}

/**
 * Runs `program args…` with `input` on stdin (docker-credential-helpers protocol: `get` reads the
 * server URL, prints `{"ServerURL","Username","Secret"}`).
 */
export type HelperRunner = (program: string, args: string[], input: string) => Promise<HelperResult>

export interface DockerConfigOptions {
  /** the directory holding `config.json` (default: `$DOCKER_CONFIG`, else `~/.docker`) */
  configDir?: string
  /**
   * a containers auth file (containers-auth.json(5), the docker config's shape) read before the
   * docker config (skopeo's `--authfile`); default: `$REGISTRY_AUTH_FILE` when set. A missing file
   * holds no credentials, as containers/image reads it.
   */
  authFile?: string
  /** environment to read DOCKER_CONFIG, REGISTRY_AUTH_FILE and HOME from (default: process.env) */
  env?: Record<string, string | undefined>
  /** runs credential helpers (default: spawn with the given environment's PATH, within `helperTimeoutMs`) */
  runHelper?: HelperRunner
  /**
   * longest time a credential helper may run, ms (default {@link HELPER_TIMEOUT_MS}): give the
   * request timeout, so a helper that hangs cannot outlast it
   */
  helperTimeoutMs?: number
  /**
   * the run's interruption (SIGINT / SIGTERM): aborting it stops a credential helper being asked,
   * and the lookup throws an error caused by the signal's reason
   */
  signal?: AbortSignal
  logger?: Logger
}

/** The parts of docker's `config.json` this reads. */
interface DockerConfigFile {
  auths?: Record<
    string,
    { auth?: string; username?: string; password?: string; identitytoken?: string } | null
  >
  credHelpers?: Record<string, string>
  credsStore?: string
}

/** The server URL docker gives a credential helper for a registry (Docker Hub: the v1 URL). */
export function helperServerUrl(registry: string): string {
  return isDockerHub(registry) ? DOCKER_HUB_CONFIG_KEY : registry.toLowerCase()
}

/**
 * Default helper runner: spawns the program with the environment given (PATH lookup), within
 * `bounds`: a helper still running after `timeoutMs` (ms), writing more than `maxBytes` bytes
 * to stdout, or running when `signal` aborts, is killed (SIGKILL, its process group) and reported
 * `stopped` (`timeout`, `output`, `interrupted`); stderr past 4 KiB is not kept.
 */
export function spawnHelper(
  env: Record<string, string | undefined> = process.env,
  bounds: HelperBounds = {}
): HelperRunner {
  const timeoutMs = bounds.timeoutMs ?? HELPER_TIMEOUT_MS
  const maxBytes = bounds.maxBytes ?? LIMITS.credentialHelperBytes
  return (program, args, input) =>
    new Promise(resolve => {
      // loaded on the first helper run: a copy without credential helpers does not load child_process
      const { spawn } = process.getBuiltinModule('node:child_process') as typeof ChildProcess
      // its own process group, so a stop ends what it started too (a shell's `sleep`, `cat`)
      const child = spawn(program, args, {
        env: env as NodeJS.ProcessEnv,
        stdio: ['pipe', 'pipe', 'pipe'],
        detached: true
      })
      const out: Buffer[] = []
      let outBytes = 0
      let stderr = ''
      let stopped: HelperResult['stopped']
      const stop = (why: NonNullable<HelperResult['stopped']>): void => {
        stopped ??= why
        try {
          process.kill(-(child.pid as number), 'SIGKILL')
        } catch {
          child.kill('SIGKILL')
        }
        child.stdout.destroy()
        child.stderr.destroy()
      }
      const timer = setTimeout(() => stop('timeout'), timeoutMs)
      const interrupt = (): void => stop('interrupted')
      if (bounds.signal?.aborted) interrupt()
      else bounds.signal?.addEventListener('abort', interrupt, { once: true })
      const done = (): void => {
        clearTimeout(timer)
        bounds.signal?.removeEventListener('abort', interrupt)
      }
      child.stdout.on('data', (d: Buffer) => {
        if (stopped) return
        outBytes += d.length
        if (outBytes > maxBytes) return stop('output')
        out.push(d)
      })
      child.stderr.on('data', (d: Buffer) => {
        if (stderr.length < 4096) stderr += d.toString('utf8')
      })
      const stdout = (): string => (stopped ? '' : Buffer.concat(out).toString('utf8'))
      child.on('error', (e: NodeJS.ErrnoException) => {
        done()
        resolve({ code: -1, stdout: stdout(), stderr, error: e.code ?? e.message })
      })
      child.on('close', code => {
        done()
        resolve({ code: code ?? -1, stdout: stdout(), stderr, ...(stopped ? { stopped } : {}) })
      })
      child.stdin.on('error', () => {})
      child.stdin.end(input)
    })
}

/**
 * base64 (RFC 4648 §4) as docker writes `auth`; the padding may be left out (as Buffer decodes it,
 * which earlier versions accepted).
 */
function isBase64(text: string): boolean {
  return /^[A-Za-z0-9+/]*={0,2}$/.test(text) && text.replace(/=+$/, '').length % 4 !== 1
}

/**
 * Decodes an `auths` entry: `auth` (base64 `user:password`), `username`/`password`, `identitytoken`.
 * An `auth` that is not base64, or decodes to no `user:` before a colon, is skipped; when the
 * entry gives no credential otherwise, `problem` is told (words that quote none of it).
 */
function fromAuthEntry(
  entry: NonNullable<NonNullable<DockerConfigFile['auths']>[string]>,
  problem: (words: string) => void = () => {}
): Credential | undefined {
  let username = entry.username || undefined
  let password = entry.password || undefined
  let fault: string | undefined
  if (typeof entry.auth === 'string' && entry.auth) {
    const decoded = isBase64(entry.auth) ? Buffer.from(entry.auth, 'base64').toString('utf8') : undefined
    const colon = decoded?.indexOf(':') ?? -1
    if (colon > 0) {
      username = decoded!.slice(0, colon)
      password = decoded!.slice(colon + 1) || undefined
    } else
      fault = decoded === undefined ? 'auth is not base64' : 'auth is not base64 of user:password (no colon)'
  }
  const c = credentialOf(entry, username, password)
  if (!c && fault) problem(fault)
  return c
}

/** The credential of an `auths` entry once its `auth` is decoded (identity token first). */
function credentialOf(
  entry: NonNullable<NonNullable<DockerConfigFile['auths']>[string]>,
  username: string | undefined,
  password: string | undefined
): Credential | undefined {
  if (entry.identitytoken) {
    return {
      username: username && username !== '<token>' ? username : undefined,
      identityToken: entry.identitytoken
    }
  }
  if (username && password !== undefined) return { username, password }
  return undefined
}

/**
 * A CredentialSource backed by docker's `config.json`, following docker's lookup per host:
 * `credHelpers[host]`, else `credsStore`, run as `docker-credential-<name> get` with the server URL
 * on stdin (`{"Username","Secret"}`; Username `<token>` means Secret is an identity token); when the
 * helper has nothing for the host ("credentials not found") or is not installed, the `auths` entry
 * is used. `auths` keys may be `ghcr.io`, `https://ghcr.io`, `127.0.0.1:5000` or
 * `https://index.docker.io/v1/` (Docker Hub, also matched by `docker.io`).
 * The file is read once, on first use; a missing file means no credentials. A helper that cannot
 * be run and an `auth` that is not base64 of `user:password` are warned about through
 * `options.logger`, and when the lookup then finds nothing, `explain(host)` names them for the
 * error that follows (`docker config FILE: credsStore "desktop": docker-credential-desktop not
 * found on PATH`).
 * @throws Error (when asked for a host) if config.json cannot be read or is not valid JSON (the
 *   position is named, never the text), or a helper fails for another reason than "not found"
 *   (its exit code and stderr, else its stdout's first line, are in the message; never an answer's
 *   `Secret`), naming the config entry and the ways out
 */
export function dockerConfigCredentials(options: DockerConfigOptions = {}): CredentialSource {
  const env = options.env ?? process.env
  const dir = options.configDir ?? env.DOCKER_CONFIG ?? join(env.HOME || homedir(), '.docker')
  return configFileCredentials(join(dir, 'config.json'), 'docker config', options)
}

/**
 * A CredentialSource backed by a containers auth file (containers-auth.json(5): `auths` keyed by
 * registry, `credHelpers`, `credsStore`: the docker config's shape, read by the same rules as
 * {@link dockerConfigCredentials}); messages name it `auth file FILE`. A missing file holds no
 * credentials. Keys naming a repository (`quay.io/org`) answer for their whole registry: a
 * credential here is per registry host.
 * @throws Error (when asked for a host) as dockerConfigCredentials does
 */
export function authFileCredentials(file: string, options: DockerConfigOptions = {}): CredentialSource {
  return configFileCredentials(file, 'auth file', options)
}

/** The docker config / auth file `file`, read once, on this source's first lookup; `label` names it in messages. */
function configFileCredentials(file: string, label: string, options: DockerConfigOptions): CredentialSource {
  const env = options.env ?? process.env
  const timeoutMs = options.helperTimeoutMs ?? HELPER_TIMEOUT_MS
  const run = options.runHelper ?? spawnHelper(env, { timeoutMs, signal: options.signal })
  const log = options.logger ?? silentLogger
  const reasons = new Map<string, string>()
  const origins = new Map<string, string>()
  let loaded: Promise<DockerConfigFile> | undefined
  const source: CredentialSource = async registry => {
    const config = await (loaded ??= loadConfig(file, label))
    const why: string[] = []
    const problem = (words: string): void => void why.push(`${label} ${file}: ${words}`)
    const named = Object.entries(config.credHelpers ?? {}).find(([k]) => sameRegistry(k, registry))
    const helper = named?.[1] ?? config.credsStore
    const kind = named ? `credHelpers "${named[0]}"` : 'credsStore'
    const viaStore = helper
      ? await viaHelper(
          run,
          log,
          helper,
          registry,
          timeoutMs,
          options.signal,
          words => problem(`${kind} "${helper}": ${words}`),
          `${kind} in ${label} ${file}`
        )
      : undefined
    const c =
      viaStore ??
      fromAuths(config.auths ?? {}, registry, (key, words) => {
        log.warning(`${label} ${file}: auths "${key}": ${words}; that entry is not used`)
        problem(`auths "${key}": ${words}`)
      })
    if (!c && why.length) reasons.set(registryKey(registry), why.join('; '))
    else reasons.delete(registryKey(registry))
    if (c)
      origins.set(
        registryKey(registry),
        viaStore ? `${kind} "${helper}" in ${label} ${file}` : `${label} ${file}`
      )
    else origins.delete(registryKey(registry))
    return c
  }
  source.explain = registry => reasons.get(registryKey(registry))
  source.origin = registry => origins.get(registryKey(registry))
  return source
}

/**
 * Reads and parses the auth file `file` now, so that a broken one named on the command line is
 * refused before any request (a missing file holds nothing, as containers/image reads it).
 * @throws Error `auth file FILE is not valid JSON (unexpected end at line 2, column 1)` (no snippet
 *   of the text), or `cannot read auth file FILE: EACCES`
 */
export async function checkAuthFile(file: string): Promise<void> {
  await loadConfig(file, 'auth file')
}

/**
 * Reads and parses config.json (or an auth file) now; a missing file is an empty config. Each
 * CredentialSource reads its file once, on its first lookup ({@link configFileCredentials}); an
 * auth file given to the CLI is read once more before that, by {@link checkAuthFile}. Read with
 * readFileSync (one small file): node:fs/promises stays unloaded (state-files.ts).
 * @throws Error `LABEL FILE is not valid JSON (…)` (the position, never the text), `cannot read LABEL FILE: EACCES`
 */
async function loadConfig(file: string, label: string): Promise<DockerConfigFile> {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {}
    throw new Error(
      `cannot read ${label} ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`
    )
  }
  try {
    return JSON.parse(text) as DockerConfigFile
  } catch {
    // V8's message quotes the text around the fault: a piece of a password, maybe
    throw new Error(`${label} ${file} is not valid JSON (${jsonFault(text)})`)
  }
}

/**
 * The `auths` entry for `registry`: an exact key first (`credentialKeys` order), then any key
 * naming the same registry. An entry that names it but cannot be used is told to `problem`.
 */
function fromAuths(
  auths: NonNullable<DockerConfigFile['auths']>,
  registry: string,
  problem: (key: string, words: string) => void
): Credential | undefined {
  const entries = Object.entries(auths)
  const seen = new Set<string>()
  const decode = ([k, entry]: [string, (typeof entries)[number][1]]): Credential | undefined => {
    if (!entry || seen.has(k)) return undefined
    seen.add(k)
    return fromAuthEntry(entry, words => problem(k, words))
  }
  for (const key of credentialKeys(registry)) {
    const found = entries.find(([k]) => k.toLowerCase() === key)
    const c = found ? decode(found) : undefined
    if (c) return c
  }
  for (const found of entries) {
    const c = sameRegistry(found[0], registry) ? decode(found) : undefined
    if (c) return c
  }
  return undefined
}

/**
 * `: REASON` of a helper that failed: its stderr, else the first line of its stdout (where
 * docker-credential-helpers write their errors: `error getting credentials - err: …`), on one line,
 * at most 300 characters; never a stdout that names a `Secret` (an answer, not an error).
 */
function helperReason(r: { stdout: string; stderr: string }): string {
  const stderr = r.stderr.trim()
  if (stderr) return `: ${inline(stderr.slice(0, 300))}`
  const first = r.stdout.trim().split(/\r?\n/)[0] ?? ''
  if (!first || /"Secret"\s*:/i.test(r.stdout)) return ''
  return `: ${inline(first.slice(0, 300))}`
}

/**
 * Asks `docker-credential-<helper> get` for `registry`; undefined when it has nothing or cannot be
 * run (then `problem` is told why, e.g. `docker-credential-desktop not found on PATH`).
 * @throws Error when it ran past `timeoutMs` (ms) or wrote past limits.ts credentialHelperBytes
 *   (it was stopped); when `signal` aborted while it ran (`interrupted by SIGINT while asking
 *   credential helper docker-credential-desktop for ghcr.io`, its cause the signal's reason); when
 *   it failed otherwise (its stderr, else its stdout's first line, quoted, control characters
 *   escaped; `entry` named: `credHelpers "HOST" in docker config FILE`), or answered something
 *   other than JSON
 */
async function viaHelper(
  run: HelperRunner,
  log: Logger,
  helper: string,
  registry: string,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  problem: (words: string) => void = () => {},
  entry?: string
): Promise<Credential | undefined> {
  const program = `docker-credential-${helper}`
  const r = await run(program, ['get'], helperServerUrl(registry))
  if (r.stopped === 'interrupted') {
    const reason: unknown = signal?.reason
    const what = reason instanceof Error ? reason.message : 'interrupted'
    throw new Error(`${what} while asking credential helper ${program} for ${registry}`, { cause: reason })
  }
  if (r.stopped === 'timeout')
    throw new Error(
      `credential helper ${program} gave no answer for ${registry} within ${Math.round(timeoutMs / 1000)} s (the request timeout) and was stopped`
    )
  if (r.stopped === 'output')
    throw new Error(
      `credential helper ${program} wrote more than the credentialHelperBytes limit of ${bytesText(LIMITS.credentialHelperBytes)} for ${registry} and was stopped`
    )
  if (r.code === -1) {
    log.warning(
      `credential helper ${program} could not be run (${r.error ?? 'unknown error'}); trying config.json auths`
    )
    problem(
      r.error === 'ENOENT'
        ? `${program} not found on PATH`
        : `${program} could not be run (${r.error ?? 'unknown error'})`
    )
    return undefined
  }
  if (r.code !== 0) {
    if (/credentials not found/i.test(r.stdout + r.stderr)) {
      problem(`${program} has no credentials for ${registry} (docker login ${registry} stores them there)`)
      return undefined
    }
    throw new Error(
      `credential helper ${program} failed for ${registry} with exit code ${r.code}${helperReason(r)}${entry ? ` (${entry}); fix the helper, or remove that entry and log in again (docker login ${registry})` : ''}`
    )
  }
  let answer: { Username?: string; Secret?: string }
  try {
    answer = JSON.parse(r.stdout) as typeof answer
  } catch {
    // never V8's message: it quotes the answer, which holds the secret
    throw new Error(
      `credential helper ${program} answered ${registry} with something that is not JSON (${jsonFault(r.stdout)})`
    )
  }
  if (!answer?.Secret) return undefined
  if (answer.Username === '<token>' || !answer.Username) return { identityToken: answer.Secret }
  return { username: answer.Username, password: answer.Secret }
}

/** Credentials given explicitly (action inputs, CLI flags), per registry host as in references. */
export interface RegistryLogin {
  /** `ghcr.io`, `docker.io`, `123456789012.dkr.ecr.eu-west-1.amazonaws.com`, `127.0.0.1:5000` */
  registry: string
  username?: string
  password?: string
  /** an OAuth2 refresh token (docker's `identitytoken`) instead of a password */
  identityToken?: string
  /** where it was given, for messages naming the account (`--dest-creds`, `registry-auth`) */
  from?: string
}

/**
 * The one credential chain the action and the CLI use: `logins` (first match per registry wins;
 * registries are compared by `registryKey`, so `docker.io`, `index.docker.io`,
 * `registry-1.docker.io` and `https://index.docker.io/v1/` are one) → the auth file
 * (`options.authFile`, else `$REGISTRY_AUTH_FILE`; see {@link authFileCredentials}) → docker
 * config.json (see {@link dockerConfigCredentials}) → anonymous (undefined). Entries of `logins`
 * without a password or identity token are ignored.
 */
export function defaultCredentials(
  logins: RegistryLogin[] = [],
  options: DockerConfigOptions = {}
): CredentialSource {
  const map: Record<string, Credential> = {}
  const origins: Record<string, string> = {}
  for (const { registry, from, ...c } of logins) {
    if (c.password === undefined && c.identityToken === undefined) continue
    if (map[registry]) continue
    map[registry] = c
    if (from) origins[registry] = from
  }
  const authFile = options.authFile ?? ((options.env ?? process.env).REGISTRY_AUTH_FILE || undefined)
  return chainCredentials(
    staticCredentials(map, origins),
    ...(authFile ? [authFileCredentials(authFile, options)] : []),
    dockerConfigCredentials(options)
  )
}
