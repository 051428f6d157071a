/**
 * The command line, parsed: argv → a typed {@link Command} or a usage error (exit status 2). Pure but
 * for the `--ca-file` existence check, which goes through the `fileExists` given, and the reading of
 * `--client-cert` / `--client-key` files to check them (`readFile`). Every option is
 * checked by options.ts (the same rules as the action's inputs), every reference by the reference
 * grammar and its registry's naming rules, before any request is sent.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util'
import {
  manifestReference,
  parseReference,
  ReferenceError,
  validateForRegistry,
  type Reference
} from '../reference/index.js'
import {
  checkVerificationRequired,
  CLI_COMMANDS,
  ENGINE_OPTIONS,
  OPTION_FLAGS,
  OptionError,
  OPTIONS,
  parseOptions,
  verificationGiven,
  type CliCommandName,
  type EngineOptions,
  type RawOptions
} from '../options.js'
import type { PromoteTarget } from '../copy/promote.js'
import { targetKey } from '../copy/targets.js'
import { parsePlatforms } from '../copy/platforms.js'
import { isDigest } from '../oci/digest.js'
import type { Platform } from '../oci/manifest.js'
import { COMMANDS, commandSpec, knownFlags } from './commands.js'
import { parseCredsFlag, PASSWORD_VARIABLES, type CredentialFlags, type CredsFlagName } from './creds.js'
import { didYouMean, didYouMeanCommand } from './suggest.js'
import { namesRegistryOnly, registryReference, TransportError } from '../reference/transport.js'

import { UsageError } from './usage-error.js'
import type { VerifyOptions } from '../proof/load.js'
import { parseShard, SHARD_RULE, type ShardChoice } from '../batch/shards.js'

export { UsageError }

/** What every command that talks to a registry takes. */
interface Common {
  /** `--json`: machine-readable output */
  json: boolean
  /** `-v`: debug logging on stderr */
  verbose: boolean
}

/** `copy SRC DST…` / `promote SRC DST…` */
export interface CopyCommand extends Common {
  command: 'copy' | 'promote'
  source: Reference
  /** what to resolve at the source: its digest, else its tag, else `latest` */
  reference: string
  /** one per repository, in the order first named; tags in the order given, each once */
  targets: PromoteTarget[]
  dryRun: boolean
  options: EngineOptions
  /** `--src-creds`, `--dest-creds`, `--password-stdin`, `--authfile` (absent: none given) */
  credentials?: CredentialFlags
}

/** `promote -f FILE [--dry-run] [--json] [--shard K/N]`: every image of a promotion file (src/batch/) */
export interface PromoteFileCommand extends Common {
  command: 'promote-file'
  file: string
  dryRun: boolean
  /** only the images of shard K of the N planned (`--shard K/N`, or the matrix's `K/N@PLAN`) */
  shard?: ShardChoice
  options: EngineOptions
  /** `--authfile` (absent: not given) */
  credentials?: CredentialFlags
}

/** `plan -f FILE --shards N`: the shard matrix of a promotion file, one JSON line */
export interface PlanCommand extends Common {
  command: 'plan'
  file: string
  shards: number
  options: EngineOptions
  /** `--authfile` (absent: none given): the sources are sized with the credentials promote -f uses */
  credentials?: CredentialFlags
}

/** `inspect REF` */
export interface InspectCommand extends Common {
  command: 'inspect'
  reference: Reference
  options: EngineOptions
  /** `--creds`, `--password-stdin`, `--authfile` (absent: none given) */
  credentials?: CredentialFlags
}

/**
 * `digest REF`, `manifest REF`, `config REF`, `ls REPOSITORY` (a reference without tag or digest:
 * `reference.tag` and `reference.digest` undefined).
 */
export interface ReadCommand extends Common {
  command: 'digest' | 'manifest' | 'config' | 'ls'
  reference: Reference
  options: EngineOptions
  /** `--creds`, `--password-stdin`, `--authfile` (absent: none given) */
  credentials?: CredentialFlags
}

/** `verify REF` as parsed. */
export interface VerifyCommand {
  command: 'verify'
  reference: Reference
  options: EngineOptions
  verify: VerifyOptions
  /** `--records`: print the promotion records only, requiring no check (absent: false) */
  records?: boolean
  /** `--authfile` (absent: none given) */
  credentials?: CredentialFlags
  json: boolean
  verbose: boolean
}

/**
 * `merge --to STAGING-REF [--require-platform PLATFORM]... SOURCE...` (issue 21): the sources merged into one
 * index at STAGING-REF (src/merge/). Every argument is checked here, before any request.
 */
export interface MergeCommand extends Common {
  command: 'merge'
  /** where the index is written; without a tag, the handler names it after $GITHUB_SHA */
  to: Reference
  /** the sources as given, each checked: `staged`, a digest (at `to`'s repository), a reference */
  sources: string[]
  /** `--require-platform`: platforms the index must hold */
  platforms: Platform[]
  dryRun: boolean
  options: EngineOptions
  /** `--authfile` (absent: not given) */
  credentials?: CredentialFlags
}

/** `help [COMMAND]`, `--help`, `COMMAND --help` */
export interface HelpCommand {
  command: 'help'
  /** the command whose help to print (a name of cli/commands.ts COMMANDS); none: the global usage */
  topic?: string
}

/** `completion bash|zsh` */
export interface CompletionCommand {
  command: 'completion'
  shell: 'bash' | 'zsh'
}

/** `tags [--image REPO]… [--tags RULE]… [--flavor LINE]… [--lowercase]` */
export interface TagsCommand extends Common {
  command: 'tags'
  images: string[]
  /** the `--tags` entries, plain tag lists split at commas, empty ones dropped; none = no tags (by digest only), as in the action */
  rules: string[]
  flavor: string[]
  lowercase: boolean
}

export type Command =
  | HelpCommand
  | { command: 'version' }
  | ReadCommand
  | CompletionCommand
  | CopyCommand
  | PromoteFileCommand
  | PlanCommand
  | InspectCommand
  | TagsCommand
  | MergeCommand
  | VerifyCommand
  /** a usage error: the message to print (exit status 2) */
  | { command: 'usage-error'; message: string }

/** What {@link parseCommandLine} may look at besides argv. */
export interface ArgsEnvironment {
  /** true when a file exists at `path` (`--ca-file`, `--client-cert`, `--client-key`) */
  fileExists: (path: string) => boolean
  /** reads a `--client-cert` / `--client-key` file to check it (default: `fs.readFileSync`) */
  readFile?: (path: string) => string
}

/** parseArgs's option table, derived from the schema: every flag of every command. */
const FLAGS = Object.fromEntries(
  OPTIONS.filter(o => o.flag).map(o => [
    o.flag!,
    {
      type: o.value ? 'string' : 'boolean',
      ...(o.repeatable ? { multiple: true } : {}),
      ...(o.short ? { short: o.short } : {})
    }
  ])
) as NonNullable<ParseArgsConfig['options']>

/** The flags' values as parseArgs gives them: a string, a list (repeatable) or true (a switch). */
type Flags = Record<string, string | boolean | Array<string | boolean> | undefined>

/** A string flag's value. */
const text = (values: Flags, flag: string): string | undefined => values[flag] as string | undefined
/** A repeatable flag's values. */
const list = (values: Flags, flag: string): string[] | undefined => values[flag] as string[] | undefined
/** A switch. */
const on = (values: Flags, flag: string): boolean => values[flag] === true

/** The engine options under the names the CLI gives them (also how registry messages name them). */
export { OPTION_FLAGS }

/**
 * Parses `argv` (without node and script). Never throws for bad input: a usage error comes back as
 * `{ command: 'usage-error', message }`.
 */
export function parseCommandLine(argv: string[], env: ArgsEnvironment): Command {
  try {
    const { values, positionals } = parseFlags(checkFlagValues(argv))
    if (values.version) return { command: 'version' }
    if (values.help) return helpCommand(positionals.slice(0, 1))
    return toCommand(values as Flags, positionals, env)
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'))
      return { command: 'usage-error', message: (e as Error).message }
    throw e
  }
}

const TLS_VERIFY =
  " (skopeo's; here --insecure HOST[:PORT] for each registry that may use plain http or unverified TLS)"
const EVERY_PLATFORM = " (skopeo's; here every platform is copied unless --platform picks some)"
const AUTH_FILE = " (skopeo's; here --authfile FILE for every registry)"
const QUIET =
  " (skopeo's and docker's; there is none here: logs and progress go to stderr, the result alone to stdout)"
const SIGNATURE_POLICY =
  " (skopeo's, to skip its signature policy; here no signature is checked unless --verify-key, --certificate-identity or --policy asks for it)"
/** skopeo's `--src-no-creds` / `--dest-no-creds` (anonymous): not the opposite flag `--src-creds`. */
const NO_CREDS =
  " (skopeo's, to read anonymously; there is none here: leave the flag out, and a registry is asked without credentials unless a creds flag, the auth file or the docker config.json holds some for it)"

const JOBS = " (crane's; here --concurrency N: transfers at once per registry host)"
const NO_CLOBBER =
  " (crane's; here the default --tag-policy immutable refuses to move a tag to another digest, before any write; --moving-tag TAG names the tags that may move)"

/** Other tools' flags that have another spelling here, or none: the README's crane and skopeo habits, in the message. */
const FOREIGN_FLAGS: Record<string, string> = {
  '--sign-by':
    " (skopeo's, to sign the copied image; there is none here: sign the image with cosign; --sign-key FILE signs a promotion record, --verify-key FILE checks a signature)",
  '--allow-nondistributable-artifacts':
    " (crane's, to push the bytes of foreign layers; there is none here: foreign layers travel by reference, as their urls say)",
  '-j': JOBS,
  '--jobs': JOBS,
  '--digestfile':
    " (skopeo's; here the digest is the only thing on stdout: promote-image copy SRC DST > FILE)",
  '--retry-times':
    " (skopeo's; here a request that meets a temporary failure (408, 429, 500, 502, 503, 504, a dropped connection) is sent up to 4 more times with backoff (Retry-After honoured), an upload cut mid-way started afresh up to 2 more, and --timeout SECONDS bounds each try)",
  '-n': NO_CLOBBER,
  '--no-clobber': NO_CLOBBER,
  '--dest-tls-verify': TLS_VERIFY,
  '--src-tls-verify': TLS_VERIFY,
  '--tls-verify': TLS_VERIFY,
  '--multi-arch': EVERY_PLATFORM,
  '--src-authfile': AUTH_FILE,
  '--dest-authfile': AUTH_FILE,
  '-q': QUIET,
  '--quiet': QUIET,
  '--insecure-policy': SIGNATURE_POLICY,
  '--src-no-creds': NO_CREDS,
  '--dest-no-creds': NO_CREDS,
  '--remove-signatures':
    " (skopeo's; here --referrers none: signatures, SBOMs and cosign's tags stay behind; --referrers TYPE,… keeps only those artifact types)"
}

const TO = " (docker buildx imagetools create's; here --to STAGING-REF)"

/** skopeo copy's `--format` / `-f` (a manifest type to convert to): nothing is converted here. */
const FORMAT =
  "skopeo copy's --format (-f) converts manifests; there is none here: manifests travel as their bytes, so digests never change"

/** Other tools' flags with another spelling here for one command (checked before FOREIGN_FLAGS). */
const COMMAND_FOREIGN_FLAGS: Record<string, Record<string, string>> = {
  merge: { '-t': TO, '--tag': TO },
  copy: { '--format': ` (${FORMAT})` },
  promote: { '--format': ` (${FORMAT})` },
  ls: {
    '--full-ref':
      " (crane ls's, to print REPOSITORY:TAG; here ls prints the tags alone: promote-image ls REPOSITORY | sed 's|^|REPOSITORY:|')"
  },
  digest: {
    '--full-ref':
      ' (crane digest\'s, to print REPOSITORY@DIGEST; here digest prints the digest alone: echo "REPOSITORY@$(promote-image digest REF)")'
  },
  inspect: {
    '--raw': " (skopeo inspect's, for the manifest's bytes; here promote-image manifest REF)",
    '--config': " (skopeo inspect's, for the image's config; here promote-image config REF)",
    '--format': " (skopeo's and crane's Go template; here --json prints the fields as JSON, for jq)"
  }
}

/** A child image picked by digest: what `--platform` of crane's manifest and config is here. */
const CHILD_BY_DIGEST =
  "; crane's --platform picks an index's child: here promote-image config REF names each child by digest and platform, and REF@DIGEST reads that child"

/** Flags of other commands with a habit behind them on this one, after `--FLAG is not an option of COMMAND`. */
const OTHER_COMMAND_HINTS: Record<string, Record<string, string>> = {
  manifest: {
    platform: CHILD_BY_DIGEST,
    json: '; its output already is JSON: the manifest as the registry serves it, byte for byte'
  },
  config: {
    platform: CHILD_BY_DIGEST,
    json: "; its output already is JSON: the image's config blob as the registry serves it, byte for byte"
  }
}

/**
 * parseArgs over the schema's flags; an unknown flag is named with the flags of the command it
 * was given to (else of any command) that are nearest to it, instead of parseArgs's advice.
 * @throws UsageError for an unknown flag
 */
function parseFlags(argv: string[]): ReturnType<typeof parseArgs> {
  try {
    return parseArgs({ args: argv, allowPositionals: true, options: FLAGS })
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE')
      throw flagValueError(e as Error)
    if ((e as { code?: string }).code !== 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw e
    const flag = /^Unknown option '([^']*)'/.exec((e as Error).message)?.[1] ?? ''
    // an unknown command first: `sync --src yaml FILE` is skopeo's sync, not a misspelt --src-creds
    if (argv[0] !== undefined && !argv[0].startsWith('-') && !commandSpec(argv[0]))
      throw unknownCommand(argv[0])
    const end = argv.indexOf('--')
    const command = commandSpec(
      (end < 0 ? argv : argv.slice(0, end)).find(a => !a.startsWith('-') && commandSpec(a))
    )
    const suggestion =
      (command && COMMAND_FOREIGN_FLAGS[command.name]?.[flag]) ??
      FOREIGN_FLAGS[flag] ??
      (didYouMean(flag, knownFlags(command)) || (command ? didYouMean(flag, knownFlags()) : ''))
    throw new UsageError(
      `unknown option ${flag}${command ? ` for ${command.name}` : ''}${suggestion}` +
        (command ? `; promote-image ${command.name} --help lists its options` : '')
    )
  }
}

/** `help [COMMAND]`: the topic checked against the commands. @throws UsageError for an unknown one */
function helpCommand(args: string[]): HelpCommand {
  if (args.length > 1) throw new UsageError(`help takes one COMMAND, not "${args[1]}"`)
  const [topic] = args
  if (topic !== undefined && !commandSpec(topic)) throw unknownCommand(topic)
  return { command: 'help', topic }
}

/** skopeo login, crane auth login, docker login: the credentials are read, never stored. */
const LOGIN =
  " (skopeo's, crane auth's, docker's; there is none here: docker login's config.json is read, or give --authfile FILE, or --creds (--src-creds, --dest-creds) USER[:PASS])"

/** Other tools' commands with another name here, or none (crane, skopeo, regctl, docker buildx imagetools). */
const FOREIGN_COMMANDS: Record<string, string> = {
  tag: " (crane's, to tag an image in its registry; here promote-image copy REPO:TAG REPO:NEWTAG adds the tag and moves no blob; tags computes tag names from git)",
  cp: " (crane's; here copy)",
  image: " (regctl's image copy; here copy)",
  index: " (regctl's index create, docker buildx imagetools create; here merge)",
  'list-tags': " (skopeo's; here promote-image ls REPO)",
  sync: " (skopeo's; here promote-image promote -f FILE copies the images a promotion file lists)",
  catalog:
    " (crane's, to list a registry's repositories; there is none here: promote-image ls REPO lists one repository's tags)",
  login: LOGIN,
  auth: LOGIN
}

/** An unknown command, with the nearest known ones (or what another tool's command is called here). */
function unknownCommand(name: string): UsageError {
  return new UsageError(
    `unknown command "${name}"${
      (Object.hasOwn(FOREIGN_COMMANDS, name) ? FOREIGN_COMMANDS[name] : undefined) ??
      didYouMeanCommand(
        name,
        COMMANDS.map(c => c.name)
      )
    }`
  )
}

/** What each flag that takes a value wants, in the words of --help (the schema's value names). */
const VALUE_NAMES: Record<string, string> = Object.fromEntries(
  OPTIONS.filter(o => o.flag && o.value).map(o => [o.flag!, o.value!])
)

/** The long name of each one-letter flag that takes a value (`-f` → `file`). */
const SHORT_VALUE_FLAGS: Record<string, string> = Object.fromEntries(
  OPTIONS.filter(o => o.flag && o.short && o.value).map(o => [`-${o.short}`, o.flag!])
)

/** The switches (flags that take no value), by long name. */
const SWITCHES: ReadonlySet<string> = new Set(OPTIONS.filter(o => o.flag && !o.value).map(o => o.flag!))

/** A value that is an image reference (has a repository path), not a bare host: `localhost:5000/app:1`. */
const REFERENCE_LIKE = /^[^/:@]+(:\d+)?\/[^/]/

/**
 * A `--referrers` value that is an image reference, not artifact types (regctl's `--referrers` is a
 * switch, so its habit reads SRC as the value): a tag or digest (`:`/`@`, which no media type has)
 * or a path of 3 or more components, and no comma list.
 */
const REFERENCE_NOT_TYPES = /^[^,]*(?:[:@]|\/[^,]*\/)[^,]*$/

/**
 * A credentials value (`--src-creds`, `--dest-creds`, `--creds`: USER[:PASS]) that is an image
 * reference: its USER (up to the first `:`) holds a `/`, which no registry's user name has
 * (`ghcr.io/o/a:v1`, `library/alpine`), or it is `HOST:PORT/…` with a host of dots or `localhost`
 * (`127.0.0.1:5301/src/one:rc1`). A password with `/` still passes (`alice:pa/ss`,
 * `robot:5000/x`); only a user shaped like a host whose password starts with digits and `/`
 * (`john.doe:123/x`) is refused wrongly, and it can be given as USER with its password from the
 * variable or --password-stdin.
 */
const REFERENCE_NOT_CREDS = /^(?:[^:]*\/|(?:[^/:@]*\.[^/:@]*|localhost):\d+\/[^/])/

/** The flags that take credentials, USER[:PASS] (cli/creds.ts parses them). */
const CREDS_FLAGS = ['src-creds', 'dest-creds', 'creds'] as const

/** A PEM given inline (`--sign-key "$(cat key.pem)"`): a value, though it starts with `-`. */
const INLINE_PEM = /^\s*-----BEGIN /

/**
 * Refuses a flag written as `--flag VALUE` (or `-f VALUE`) whose VALUE is missing, is another
 * option (starts with `-`; `--flag=-x` still gives one), or, for `--insecure`, is an image reference
 * where a host is wanted (`--insecure localhost:5000/app:1` would otherwise read SRC as the host),
 * for `--referrers`, where artifact types are (regctl's switch), or for a credentials flag, where
 * USER[:PASS] is, also as `--flag=VALUE`
 * ({@link refuseReference}), and a switch given a value (`--dry-run=false`). Stops at `--`.
 * A VALUE that is a PEM (the key options take the PEM itself) is a value, never an option, and is
 * never quoted: it is joined to its flag as `--flag=PEM` so parseArgs takes it.
 * @returns argv, with each `--flag PEM` pair as one `--flag=PEM`
 * @throws UsageError naming the flag
 */
function checkFlagValues(argv: string[]): string[] {
  const out: string[] = []
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--') return [...out, ...argv.slice(i)]
    const [, inline, inlineValue] = /^--([a-z-]+)=(.*)$/s.exec(argv[i]) ?? []
    if (inline) {
      refuseSwitchValue(inline, inlineValue)
      refuseReference(inline, inlineValue)
    }
    const name = /^--([a-z-]+)$/.exec(argv[i])?.[1] ?? SHORT_VALUE_FLAGS[argv[i]]
    const wanted = name && VALUE_NAMES[name]
    if (!wanted) {
      out.push(argv[i])
      continue
    }
    const value = argv[i + 1]
    if (value === undefined) throw new UsageError(`${argv[i]} takes a value (${wanted}) and none was given`)
    if (INLINE_PEM.test(value)) {
      out.push(`--${name}=${value}`)
      i++
      continue
    }
    if (value.startsWith('-'))
      throw new UsageError(
        `${argv[i]} takes a value (${wanted}), not the option "${value}"; write --${name}=${value} if that is the value`
      )
    refuseReference(name, value)
    out.push(argv[i], value)
    i++
  }
  return out
}

/**
 * Refuses an image reference given where `--referrers` wants artifact types (regctl's `--referrers`
 * is a switch, so its habit reads SRC as the value), `--insecure` a registry host (it would read
 * SRC as the host) or a credentials flag USER[:PASS] (a forgotten value: `--src-creds SRC DST1 DST2`
 * would copy DST1 to DST2 with SRC as the credentials), written `--flag VALUE` or `--flag=VALUE`;
 * any other flag's value passes.
 * @throws UsageError naming the flag, what it takes and the reference (a credentials flag's value
 *   only up to its first colon: it may hold a password)
 */
function refuseReference(name: string, value: string): void {
  if ((CREDS_FLAGS as readonly string[]).includes(name) && REFERENCE_NOT_CREDS.test(value)) {
    // a USER:PASS such as john.doe:123/x reads as HOST:PORT/REPOSITORY too: what follows the first
    // colon may be a password, so it is never printed
    const colon = value.indexOf(':')
    const shown =
      colon < 0
        ? `"${value}"`
        : `"${value.slice(0, colon)}:…" (printed up to its first colon: a password may follow); a USER:PASS of that shape goes as --${name} USER with the password in ${PASSWORD_VARIABLES[`--${name}` as CredsFlagName]} or --password-stdin`
    throw new UsageError(`--${name} takes ${VALUE_NAMES[name]}, not the image reference ${shown}`)
  }
  if (name === 'referrers' && REFERENCE_NOT_TYPES.test(value))
    throw new UsageError(
      `--referrers takes ${VALUE_NAMES[name]} (all, none, or artifact types), not the image reference "${value}"; every referrer travels unless --referrers says otherwise`
    )
  if (name === 'insecure' && REFERENCE_LIKE.test(value)) {
    const host = value.slice(0, value.indexOf('/'))
    const hint = /[.:]|^localhost$/.test(host) ? ` (for its registry: --insecure ${host})` : ''
    throw new UsageError(
      `--insecure takes a registry ${VALUE_NAMES[name]}, not the image reference "${value}"${hint}`
    )
  }
}

/**
 * Refuses a switch given a value (`--dry-run=false`, `--json=true`: `name` and `value` as written
 * `--NAME=VALUE`): a switch is on when given, off when left out.
 * @throws UsageError naming the switch and the value
 */
function refuseSwitchValue(name: string, value: string): void {
  if (SWITCHES.has(name))
    throw new UsageError(
      `--${name} takes no value, not "${value}"; give --${name} to turn it on, or leave it out`
    )
}

/**
 * parseArgs's own words for a flag's missing value, in ours (a short flag in a group, `-vf` with
 * nothing after it): `--file takes a value (FILE) and none was given`. A switch given a value never
 * reaches parseArgs: refuseSwitchValue refuses `--json=x` first (every flag parseArgs takes as
 * boolean is in SWITCHES), and `-j=x` parses as the group `-j -=`, an unknown option.
 */
function flagValueError(e: Error): Error {
  const [, missing] = /^Option '(?:-\w, )?--([a-z-]+) <value>' argument missing/.exec(e.message) ?? []
  if (missing)
    return new UsageError(`--${missing} takes a value (${VALUE_NAMES[missing]}) and none was given`)
  return e
}

/**
 * `--require-verification` (options.ts checkVerificationRequired): refused when nothing is given to
 * verify, by the flags or (with `promote -f`) by each image of `file`.
 * @throws UsageError (exit status 2, nothing sent) naming the flag and what to give
 */
export function requireVerified(
  options: EngineOptions,
  file?: Parameters<typeof checkVerificationRequired>[2]
): void {
  try {
    checkVerificationRequired(options, OPTION_FLAGS, file)
  } catch (e) {
    if (e instanceof OptionError) throw new UsageError(e.message)
    throw e
  }
}

/** The engine options from their flags (options.ts checks them). @throws UsageError naming the flag */
function engineOptions(values: Flags, env: ArgsEnvironment): EngineOptions {
  const raw = Object.fromEntries(ENGINE_OPTIONS.map(o => [o.name, values[o.flag!]])) as RawOptions
  try {
    return parseOptions(raw, OPTION_FLAGS, env.fileExists, env.readFile)
  } catch (e) {
    if (e instanceof OptionError) throw new UsageError(e.message)
    throw e
  }
}

/** A command the schema knows. */
const isCommand = (name: string | undefined): name is CliCommandName =>
  (CLI_COMMANDS as readonly string[]).includes(name ?? '')

/**
 * Refuses an engine option or `--dry-run` on a command the schema says does not take it (refused,
 * never silently ignored). @throws UsageError naming the flag and the command
 */
function refuseOthers(command: CliCommandName, values: Flags): void {
  for (const o of OPTIONS)
    if (o.flag && values[o.flag] !== undefined && !o.commands.includes(command))
      throw new UsageError(
        `--${o.flag} is not an option of ${command === 'promote-file' ? 'promote -f FILE' : command}${OTHER_COMMAND_HINTS[command]?.[o.flag] ?? credsHint(o.flag, command)}`
      )
}

/** skopeo's credential flags on the wrong side: the ones this command takes instead, if any. */
const CREDS_INSTEAD: Record<string, { flags: string[]; say: (command: CliCommandName) => string }> = {
  creds: {
    flags: ['src-creds', 'dest-creds'],
    say: () => '--src-creds for SRC and --dest-creds for every DST'
  },
  'src-creds': { flags: ['creds'], say: c => `--creds for ${c === 'merge' ? "--to's" : "REF's"} registry` },
  'dest-creds': { flags: ['creds'], say: c => `--creds for ${c === 'merge' ? "--to's" : "REF's"} registry` }
}

/**
 * Why `promote -f` and `plan` take no creds flag, and what works instead: the docker config.json
 * (docker login) or an auth file, a credential per registry.
 */
const FILE_CREDS =
  '; a promotion file names several registries, and one USER[:PASS] is not sent to them all: log in to each (docker login REGISTRY), or give --authfile FILE (skopeo login --authfile FILE REGISTRY writes one)'

/**
 * `; it takes --creds for REF's registry` when `flag` is a credential flag `command` takes another
 * of; {@link FILE_CREDS} for a credential flag on `promote -f` or `plan`.
 */
function credsHint(flag: string, command: CliCommandName): string {
  if (
    (command === 'promote-file' || command === 'plan') &&
    (CREDS_INSTEAD[flag] || flag === 'password-stdin')
  )
    return FILE_CREDS
  const instead = CREDS_INSTEAD[flag]
  const takes = instead?.flags.every(f => OPTIONS.find(o => o.flag === f)?.commands.includes(command))
  return takes ? `; it takes ${instead.say(command)}` : ''
}

/** verify given nothing to check (as `cosign verify` without a key or identity): exit 2. */
export const VERIFY_NOTHING =
  'verify: nothing to check; give --verify-key FILE, --certificate-identity ID or --certificate-identity-regexp RE (with --certificate-oidc-issuer URL), or --policy FILE; --records prints the promotion records alone, requiring nothing'

function toCommand(values: Flags, positionals: string[], env: ArgsEnvironment): Command {
  const options = engineOptions(values, env)
  const common = { json: on(values, 'json'), verbose: on(values, 'verbose') }
  const [command, ...args] = positionals
  if (command === 'copy' || command === 'promote' || command === 'inspect') refuseTagsOptions(command, values)
  if (command === 'plan' || (command === 'promote' && values.file !== undefined))
    return fileCommand(command, values, args, options, common, env)
  refuseFileOptions(command, values)
  if (isCommand(command)) refuseOthers(command, values)
  if (command === 'copy' || command === 'promote') {
    const copy = copyArgs(command, args, options)
    requireVerified(options)
    return {
      command,
      ...copy,
      dryRun: on(values, 'dry-run'),
      options,
      credentials: credentialFlags(values, env),
      ...common
    }
  }
  if (command === 'inspect' || command === 'digest' || command === 'manifest' || command === 'config') {
    if (args.length !== 1) throw new UsageError(`${command} needs exactly one REF`)
    const reference = checked(args[0], 'REF', options)
    return { command, reference, options, credentials: credentialFlags(values, env), ...common }
  }
  if (command === 'verify') {
    if (args.length !== 1) throw new UsageError('verify needs exactly one REF')
    const reference = checked(args[0], 'REF', options)
    const credentials = credentialFlags(values, env)
    const verify = options.proof ?? {}
    const records = on(values, 'records')
    if (!records && !verificationGiven(verify)) throw new UsageError(VERIFY_NOTHING)
    return { command, reference, options, verify, ...(records ? { records } : {}), credentials, ...common }
  }
  if (command === 'ls')
    return { command, ...lsArgs(args, options), credentials: credentialFlags(values, env), ...common }
  if (command === 'tags') return tagsCommand(values, args, common)
  if (command === 'merge')
    return {
      command,
      ...mergeArgs(values, args, options),
      dryRun: on(values, 'dry-run'),
      options,
      credentials: credentialFlags(values, env),
      ...common
    }
  if (command === 'help') return helpCommand(args)
  if (command === 'completion') return completionCommand(args)
  throw command ? unknownCommand(command) : new UsageError('no command given')
}

/**
 * `merge`'s arguments: `--to` a repository with an optional tag (no digest: the index's digest is
 * what the merge makes), at least one SOURCE (`staged`, `sha256:…` at `--to`'s repository, or a
 * reference), each `--require-platform` an OS/ARCH[/VARIANT] named once.
 * @throws UsageError naming the argument and the rule
 */
function mergeArgs(
  values: Flags,
  args: string[],
  options: EngineOptions
): Pick<MergeCommand, 'to' | 'sources' | 'platforms'> {
  const toText = text(values, 'to')
  if (toText === undefined) throw new UsageError('merge needs --to STAGING-REF (where the index is written)')
  const to = checked(toText, '--to', options, true)
  if (to.digest)
    throw new UsageError(
      `--to ${to.registry}/${to.repository}@${to.digest}: give a tag (or none), not a digest: the index's digest is what the merge makes`
    )
  if (!args.length)
    throw new UsageError('merge needs at least one SOURCE (a reference, a digest at --to, or staged)')
  args.forEach((a, i) => {
    if (a === 'staged') return
    if (/^sha(256|512):/.test(a)) {
      if (!isDigest(a))
        throw new UsageError(
          `SOURCE ${i + 1} "${a}": not a digest (sha256: and 64 lower-case hex characters)`
        )
    } else checked(a, `SOURCE ${i + 1}`, options)
  })
  let platforms: Platform[]
  try {
    platforms = parsePlatforms(list(values, 'require-platform') ?? [], '--require-platform')
  } catch (e) {
    throw new UsageError((e as Error).message)
  }
  return { to, sources: args, platforms }
}

/** `ls REPOSITORY`: one reference without tag or digest. @throws UsageError naming the rule */
function lsArgs(args: string[], options: EngineOptions): Pick<ReadCommand, 'reference' | 'options'> {
  if (args.length !== 1) throw new UsageError('ls needs exactly one REPOSITORY')
  const reference = checked(args[0], 'REPOSITORY', options)
  if (reference.tag !== undefined || reference.digest !== undefined)
    throw new UsageError(
      `REPOSITORY "${args[0]}": ls lists a repository's tags; name the repository without :TAG or @DIGEST (${reference.registry}/${reference.repository})`
    )
  return { reference, options }
}

/** `completion bash|zsh`. @throws UsageError for another shell */
function completionCommand(args: string[]): CompletionCommand {
  const [shell, extra] = args
  if (extra !== undefined) throw new UsageError(`completion takes one SHELL, not "${extra}"`)
  if (shell !== 'bash' && shell !== 'zsh')
    throw new UsageError(
      shell === undefined
        ? 'completion needs a SHELL: bash or zsh'
        : `completion "${shell}": the shells are bash and zsh`
    )
  return { command: 'completion', shell }
}

/**
 * The credential flags (`--src-creds`, `--dest-creds`, `--creds`: USER[:PASS]; `--password-stdin`;
 * `--authfile FILE`, which must exist); undefined when none is given. Which command takes which
 * is the schema's (refuseOthers).
 * @throws UsageError naming the flag, its password masked
 */
function credentialFlags(values: Flags, env: ArgsEnvironment): CredentialFlags | undefined {
  const creds = CREDS_FLAGS.filter(flag => text(values, flag) !== undefined).map(flag =>
    parseCredsFlag(`--${flag}` as CredsFlagName, text(values, flag)!)
  )
  const authFile = text(values, 'authfile')
  if (authFile !== undefined && !env.fileExists(authFile))
    throw new UsageError(`--authfile "${authFile}": no such file`)
  const passwordStdin = on(values, 'password-stdin')
  return creds.length || passwordStdin || authFile !== undefined
    ? { creds, passwordStdin, authFile }
    : undefined
}

/**
 * `promote -f FILE …` and `plan -f FILE --shards N` (src/batch/): no positionals; `--shard K/N` on
 * promote only, `--shards N` (1 to 256) on plan only.
 * @throws UsageError naming the argument and the rule
 */
function fileCommand(
  command: 'promote' | 'plan',
  values: Flags,
  args: string[],
  options: EngineOptions,
  common: Common,
  env: ArgsEnvironment
): PromoteFileCommand | PlanCommand {
  if (args.length) throw new UsageError(`${command} -f FILE takes no SRC or DST ("${args[0]}")`)
  if (!values.file) throw new UsageError(`${command} needs -f FILE (a promotion file)`)
  // what travels and how tags may move is the file's to say (reviewed with it): never ignored
  for (const o of OPTIONS.filter(x => x.fileKey))
    if (values[o.flag!] !== undefined)
      throw new UsageError(
        `--${o.flag} is not taken with -f FILE: set ${o.fileKey} in the promotion file (under defaults, or per image)`
      )
  const file = text(values, 'file')!
  const shards = text(values, 'shards')
  if (command === 'plan') {
    if (values.shard !== undefined)
      throw new UsageError('--shard is an option of promote -f; plan takes --shards N')
    const n = Number(shards)
    if (shards === undefined) throw new UsageError('plan needs --shards N')
    if (!Number.isInteger(n) || n < 1 || n > 256)
      throw new UsageError(`--shards "${shards}": must be a whole number from 1 to 256`)
    refuseOthers('plan', values)
    return { command, file, shards: n, options, credentials: credentialFlags(values, env), ...common }
  }
  if (shards !== undefined)
    throw new UsageError('--shards is an option of plan; promote -f takes --shard K/N')
  refuseOthers('promote-file', values)
  const shardText = text(values, 'shard')
  const shard = shardText === undefined ? undefined : shardArg(shardText)
  return {
    command: 'promote-file',
    file,
    dryRun: on(values, 'dry-run'),
    shard,
    options,
    credentials: credentialFlags(values, env),
    ...common
  }
}

/** `K/N` or `K/N@PLAN` (batch/shards.ts parseShard). @throws UsageError naming `--shard` */
function shardArg(value: string): ShardChoice {
  const shard = parseShard(value)
  if (!shard) throw new UsageError(`--shard "${value}": ${SHARD_RULE}`)
  return shard
}

/** -f, --shard and --shards belong to `promote -f` and `plan`: refused elsewhere, never ignored. */
function refuseFileOptions(command: string | undefined, values: Flags): void {
  for (const name of ['file', 'shard', 'shards'] as const)
    if (values[name] !== undefined)
      throw new UsageError(
        `--${name} is an option of promote -f FILE and plan -f FILE only, not of ${command ?? 'no command'}` +
          (name === 'file' && command === 'copy' ? `; ${FORMAT}` : '')
      )
}

/** The options that only the `tags` command reads: refused elsewhere, never silently ignored. */
const TAGS_ONLY = ['tags', 'flavor', 'image', 'lowercase'] as const

/**
 * Refuses `--tags` (and the other tags-only options) on copy, promote and inspect: their tags are
 * the ones on DST (`DST:tag`). @throws UsageError naming the option
 */
function refuseTagsOptions(command: string, values: Flags): void {
  for (const name of TAGS_ONLY)
    if (values[name] !== undefined)
      throw new UsageError(
        `--${name} is an option of the tags command only; ${command === 'inspect' ? 'inspect applies no tags' : `${command} tags each DST with the tag it names (DST:TAG)`}`
      )
}

/**
 * `tags`: the `--tags` entries mean what the action's `tags` input lines mean: a tag rule, or plain
 * tags (`v1,stable` is two); none (or only empty ones) = no tags, the image promoted by digest only,
 * as in the action (docker/metadata-action's default rules are not applied).
 * @throws UsageError for a positional or `--flavor` without rules
 */
function tagsCommand(values: Flags, args: string[], common: Common): TagsCommand {
  if (args.length) throw new UsageError(`tags takes options only, not "${args[0]}"`)
  const [image, tags, flavor] = [
    list(values, 'image') ?? [],
    list(values, 'tags') ?? [],
    list(values, 'flavor') ?? []
  ]
  const lowercase = on(values, 'lowercase')
  // as the action reads its `tags` lines: a bare line is plain tags, commas separating several
  const rules = tags
    .flatMap(t => (/[=/]/.test(t) ? [t.trim()] : t.split(',').map(x => x.trim())))
    .filter(Boolean)
  if (!rules.length && flavor.some(f => f.trim() !== ''))
    throw new UsageError('--flavor needs tag rules in --tags')
  return { command: 'tags', images: image, rules, flavor, lowercase, ...common }
}

/** SRC and DST… of copy/promote: a destination without tag takes the source's (none for a digest). */
function copyArgs(
  command: string,
  args: string[],
  options: EngineOptions
): Pick<CopyCommand, 'source' | 'reference' | 'targets'> {
  if (args.length < 2) {
    // `--referrers SRC DST` with a SRC shaped like a media type (`library/alpine`): say where it went
    const taken = args.length === 1 && Array.isArray(options.referrers) ? options.referrers : []
    throw new UsageError(
      `${command} needs SRC and at least one DST` +
        (taken.length
          ? `; --referrers took "${taken.join(',')}" as its value (artifact types), not as SRC`
          : '')
    )
  }
  const source = checked(args[0], 'SRC', options)
  const destinations = args.slice(1).map((a, i) => checked(a, `DST ${i + 1}`, options, true))
  const byRepo = new Map<string, PromoteTarget>()
  for (const [i, d] of destinations.entries()) {
    // as written (a REPO:TAG@DIGEST keeps its tag), and what to write when it has a tag
    if (d.digest)
      throw new UsageError(
        `DST ${args[i + 1]}: a destination takes a tag, not a digest` +
          (d.tag ? `; write ${d.registry}/${d.repository}:${d.tag}` : '')
      )
    const key = targetKey(d)
    const t = byRepo.get(key) ?? { repo: { registry: d.registry, repository: d.repository }, tags: [] }
    const tag = d.tag ?? (source.digest ? undefined : manifestReference(source))
    if (tag && !t.tags.includes(tag)) t.tags.push(tag)
    byRepo.set(key, t)
  }
  return { source, reference: manifestReference(source), targets: [...byRepo.values()] }
}

/** Parses and checks a reference against the grammar and its registry's naming rules. */
function checked(input: string, what: string, options: EngineOptions, destination = false): Reference {
  try {
    const written = registryReference(input, what)
    let parsed: Reference
    try {
      parsed = parseReference(written)
    } catch (e) {
      // upper case: the registry's rule, worded with the lower-cased reference to use
      if (e instanceof ReferenceError && e.code === 'NAME_CONTAINS_UPPERCASE')
        validateForRegistry(written, { destination, kinds: options.registryKinds })
      throw e
    }
    try {
      return validateForRegistry(parsed, { destination, kinds: options.registryKinds }).reference
    } catch (e) {
      // name the input as the user wrote it, not its normalised form
      if (e instanceof ReferenceError) throw new ReferenceError(input, e.part, e.rule)
      throw e
    }
  } catch (e) {
    if (e instanceof ReferenceError && namesRegistryOnly(input.replace(/^docker:\/\//, '')))
      throw new UsageError(`${what} "${input}" names a registry only; add /REPOSITORY[:TAG]`)
    if (e instanceof ReferenceError) throw new UsageError(`${what}: ${e.message}`)
    if (e instanceof TransportError) throw new UsageError(e.message)
    throw e
  }
}
