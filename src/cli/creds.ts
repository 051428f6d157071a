/**
 * Credentials given on the command line, as skopeo takes them: `--src-creds USER[:PASS]` for the
 * source's registry, `--dest-creds USER[:PASS]` for every destination's, `--creds USER[:PASS]` for
 * the one registry a reading command (digest, ls, manifest, config, inspect, verify) talks to or
 * merge writes its index to (`--to`'s), and
 * `--authfile FILE` (else `$REGISTRY_AUTH_FILE`): a containers-auth.json / docker config.json read
 * before the docker config. A password is best kept off argv (other processes can read it): a
 * USER without `:PASS` takes it from the flag's environment variable, else from stdin with
 * `--password-stdin` (as `docker login --password-stdin`). Every password and its Basic form are
 * secrets: masked in all messages (io.ts `Masker`; a password under 4 characters is not, and a
 * warning says so).
 */
import { secretsOf, type CredentialSource } from '../auth/credentials.js'
import type { Logger } from '../logger.js'
import { registryKey } from '../reference/hosts.js'
import { MIN_MASKED_LENGTH } from './io.js'
import { UsageError } from './usage-error.js'

/** The credential flags, by their names on the command line. */
export type CredsFlagName = '--src-creds' | '--dest-creds' | '--creds'

/** Where a creds flag without `:PASS` takes its password from, when set (and not empty). */
export const PASSWORD_VARIABLES: Readonly<Record<CredsFlagName, string>> = {
  '--src-creds': 'PROMOTE_IMAGE_SRC_PASSWORD',
  '--dest-creds': 'PROMOTE_IMAGE_DEST_PASSWORD',
  '--creds': 'PROMOTE_IMAGE_PASSWORD'
}

/** One `--src-creds` / `--dest-creds` / `--creds` value, parsed: the password may come later. */
export interface CredsFlag {
  flag: CredsFlagName
  username: string
  /** what followed the first colon; undefined: from the flag's variable or --password-stdin */
  password?: string
}

/** The credential flags of one command line. */
export interface CredentialFlags {
  creds: CredsFlag[]
  /** `--password-stdin`: the one creds flag without `:PASS` (and no variable set) reads stdin */
  passwordStdin: boolean
  /** `--authfile FILE` (checked to exist when parsed) */
  authFile?: string
}

/** The value as messages may quote it: `alice:***` (the password never shown). */
export function maskedCreds(value: string): string {
  const colon = value.indexOf(':')
  return colon < 0 ? value : `${value.slice(0, colon)}:***`
}

/**
 * Parses `USER[:PASS]` (skopeo's `--src-creds` grammar: the user ends at the first colon, so a
 * password may hold colons). Pure.
 * @throws UsageError naming the flag, its value masked, and the rule (no user; an empty password)
 */
export function parseCredsFlag(flag: CredsFlagName, value: string): CredsFlag {
  const colon = value.indexOf(':')
  const username = colon < 0 ? value : value.slice(0, colon)
  const shown = `${flag} "${maskedCreds(value)}"`
  if (!username.trim()) throw new UsageError(`${shown}: no user name before the colon (USER[:PASS])`)
  if (colon < 0) return { flag, username }
  const password = value.slice(colon + 1)
  if (!password)
    throw new UsageError(
      `${shown}: the password after the colon is empty; leave out the colon to read it from ${PASSWORD_VARIABLES[flag]} or --password-stdin`
    )
  return { flag, username, password }
}

/** What {@link cliCredentials} reads besides the flags. */
export interface CredentialInput {
  /** the environment holding the password variables, REGISTRY_AUTH_FILE, DOCKER_CONFIG, HOME */
  env: Record<string, string | undefined>
  /** reads all of stdin (only called with --password-stdin) */
  readStdin: () => Promise<string>
  logger: Logger
  /** ms a docker credential helper may run (the request timeout, `--timeout`); default the docker config's */
  helperTimeoutMs?: number
  /** the run's interruption (SIGINT / SIGTERM): aborting it stops a credential helper being asked */
  signal?: AbortSignal
}

/** The registries each creds flag answers for. */
export interface CredsRegistries {
  /** `--src-creds`: SRC's registry; `--creds`: REF's */
  source?: string
  /** `--dest-creds`: every DST's registry */
  destinations?: string[]
  /**
   * The flags of this command that give credentials for `source` and `destinations`
   * (`--src-creds` / `--dest-creds`, or `--creds`), named in the advice of a 401 without
   * credentials; absent for commands that take none (promote -f, plan: --authfile only)
   */
  flags?: { source: string; destinations?: string }
}

/**
 * The command line's credential chain: the creds flags (each for its registries) → the auth file
 * (`--authfile`, else `$REGISTRY_AUTH_FILE`) → docker config.json → anonymous, and the secrets it
 * holds (to mask). Passwords missing after `USER` are read from the flag's variable
 * ({@link PASSWORD_VARIABLES}), else stdin with `--password-stdin` (one trailing line break dropped,
 * as docker login does).
 * @throws UsageError, before anything is sent: an auth file that is not valid JSON; a USER without password, variable or
 *   --password-stdin; --password-stdin with no flag to read it for, or with two; --src-creds and
 *   --dest-creds that differ for the same registry
 */
export async function cliCredentials(
  flags: CredentialFlags,
  registries: CredsRegistries,
  input: CredentialInput
): Promise<{ credentials: CredentialSource; secrets: string[] }> {
  const needStdin = flags.creds.filter(
    c => c.password === undefined && !input.env[PASSWORD_VARIABLES[c.flag]]
  )
  if (flags.passwordStdin && needStdin.length !== 1)
    throw new UsageError(
      needStdin.length
        ? `--password-stdin gives one password, and ${needStdin.map(c => c.flag).join(' and ')} both lack one; set ${needStdin.map(c => PASSWORD_VARIABLES[c.flag]).join(' / ')} instead`
        : `--password-stdin: no ${flags.creds.length ? 'creds flag lacks a password' : '--src-creds, --dest-creds or --creds USER'} to read it for`
    )
  if (!flags.passwordStdin && needStdin.length)
    throw new UsageError(
      `${needStdin[0].flag} "${needStdin[0].username}": no password: set ${PASSWORD_VARIABLES[needStdin[0].flag]}, or pipe it in with --password-stdin`
    )
  const stdin = needStdin.length ? stdinPassword(await input.readStdin()) : undefined
  const logins = new Map<string, { registry: string; flag: CredsFlag; username: string; password: string }>()
  for (const c of flags.creds) {
    const password = c.password ?? input.env[PASSWORD_VARIABLES[c.flag]] ?? stdin ?? ''
    if (password && password.length < MIN_MASKED_LENGTH)
      input.logger.warning(shortPasswordWarning(c.flag, password.length))
    const hosts = c.flag === '--dest-creds' ? (registries.destinations ?? []) : [registries.source ?? '']
    for (const registry of hosts.filter(Boolean)) {
      const key = registryKey(registry)
      const had = logins.get(key)
      if (had && (had.username !== c.username || had.password !== password))
        throw new UsageError(
          `${had.flag.flag} and ${c.flag} give different credentials for the same registry ${registry}; one registry takes one credential in a run`
        )
      logins.set(key, { registry, flag: c, username: c.username, password })
    }
  }
  const list = [...logins.values()].map(({ registry, flag, username, password }) => ({
    registry,
    username,
    password,
    from: flag.flag
  }))
  // loaded here, not with argv parsing: `--version` and `--help` never read a docker config
  const { defaultCredentials, checkAuthFile } = await import('../auth/docker-config.js')
  const authFile = flags.authFile ?? (input.env.REGISTRY_AUTH_FILE || undefined)
  if (authFile)
    await checkAuthFile(authFile).catch((e: Error) => {
      throw new UsageError(`${flags.authFile ? '--authfile' : 'REGISTRY_AUTH_FILE'}: ${e.message}`)
    })
  const credentials = defaultCredentials(list, {
    authFile: flags.authFile,
    env: input.env,
    logger: input.logger,
    helperTimeoutMs: input.helperTimeoutMs,
    signal: input.signal
  })
  const explain = credentials.explain
  credentials.explain = registry => explain?.(registry) ?? howToLogIn(registry, registries)
  return { credentials, secrets: [...new Set(list.flatMap(l => secretsOf(l)))] }
}

/**
 * The warning for a password too short to mask (io.ts MIN_MASKED_LENGTH), once per flag:
 * `--dest-creds: the password is 1 character long; it is not masked in the output (…)`.
 */
function shortPasswordWarning(flag: CredsFlagName, length: number): string {
  return `${flag}: the password is ${length} character${length === 1 ? '' : 's'} long; it is not masked in the output (a secret under ${MIN_MASKED_LENGTH} characters cannot be told from the output's own words)`
}

/**
 * The advice of a 401 when no source had a credential for `registry` and none said why: the flag
 * of this command for that registry, `--authfile`, or `docker login` (config.json is read). When
 * the destinations are on more than one registry, the destinations' flag is not offered as the way
 * (one USER[:PASS] goes to them all, so two accounts cannot be given; newuser5 N6): `give
 * --authfile FILE with an entry per registry, or log in with docker login R; --dest-creds
 * USER[:PASS] goes to every destination registry (A, B), so it serves only one account for them all`.
 */
function howToLogIn(registry: string, registries: CredsRegistries): string {
  const key = registryKey(registry)
  const destinations = [...new Map((registries.destinations ?? []).map(r => [registryKey(r), r])).values()]
  const dest = registries.flags?.destinations && destinations.some(r => registryKey(r) === key)
  if (dest && destinations.length > 1)
    return `give --authfile FILE with an entry per registry, or log in with docker login ${registry}; ${registries.flags!.destinations} USER[:PASS] goes to every destination registry (${destinations.join(', ')}), so it serves only one account for them all`
  const flag = dest
    ? registries.flags!.destinations
    : registries.flags && registries.source && registryKey(registries.source) === key
      ? registries.flags.source
      : undefined
  return `give ${flag ? `${flag} USER[:PASS], ` : ''}--authfile FILE, or log in with docker login ${registry}`
}

/**
 * The password piped in: one trailing line break (LF or CRLF) dropped.
 * @throws UsageError when nothing was piped in
 */
function stdinPassword(text: string): string {
  const password = text.replace(/\r?\n$/, '')
  if (!password) throw new UsageError('--password-stdin: stdin held no password')
  return password
}

/** Reads all of the process's stdin; refused on a terminal (the password would echo). */
export async function readProcessStdin(): Promise<string> {
  if (process.stdin.isTTY)
    throw new UsageError('--password-stdin: stdin is a terminal; pipe the password in (printenv VAR | …)')
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}
