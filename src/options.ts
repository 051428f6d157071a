/**
 * The options schema: the one owner of every option of the action, the CLI and promotion files.
 * Each row of {@link OPTIONS} says, for one option, its name in code, its CLI flag (and value name,
 * whether it repeats, which commands take it, its help), its action input (and how the input's text
 * is split), its default as a user writes it, its unit, whether a promotion file owns it, and, for
 * the engine's options, its parser. Everything at the edge is derived from the rows: the action's
 * input reading (inputs.ts), the CLI's flags and per-command checks (cli/args.ts), the help
 * (cli/help.ts), the promotion file's owned keys ({@link FILE_OWNED_OPTIONS}); action.yml and the
 * README's tables are tested against them (__tests__/options-schema.test.ts). engine-options.ts turns
 * the parsed options into the registry client's and promote()'s options, for every interface.
 *
 * Each rule is written here once, with one wording; the caller passes the names the user wrote
 * (`--moving-tag` on the command line, `moving-tags` in a workflow), so the message names the
 * option as given in that interface. Pure but for the `ca-file` file and the client certificate and
 * key files, which are read to check them (both injectable).
 *
 * Adding an option: one row here (plus its field in {@link RawOptions} / {@link EngineOptions} when
 * the engine takes it, and its line in engine-options.ts), its input in action.yml and its row in the
 * README's table (the schema test names what is missing), and a test.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import {
  ANCHORED_DOMAIN_REGEXP,
  isValidTag,
  REGISTRY_KINDS,
  RULES,
  type RegistryKind
} from './reference/index.js'
import type { PromoteOptions } from './copy/promote.js'
import { DEFAULT_REFERRERS, type ReferrerSelection } from './referrers/selection.js'
import { certificateHost, type ClientCertificate } from './registry/client-certificate.js'
import { parsePlatform, platformKey, PLATFORM_RULE } from './copy/platforms.js'
import type { Platform } from './oci/manifest.js'
import { BudgetSyntaxError, parseRequestBudgets, type RequestBudgets } from './registry/ratelimit.js'
import {
  DEFAULT_CONCURRENCY,
  DEFAULT_MOVING_TAGS,
  DEFAULT_TAG_POLICY,
  DEFAULT_UPLOAD_MODE
} from './copy/defaults.js'
import { DEFAULT_TIMEOUT_MS } from './registry/retry.js'
import type { ProofOptions, VerifyOptions } from './proof/load.js'
import { PUBLIC_GOOD } from './proof/defaults.js'
import { notAFile } from './proof/key-value.js'

export type TagPolicy = NonNullable<PromoteOptions['tagPolicy']>
export type UploadMode = NonNullable<PromoteOptions['uploadMode']>

/** Tags that may move under the immutable policy when none are given (the engine's, copy/defaults.ts). */
export { DEFAULT_MOVING_TAGS }

/** Thrown for a bad option value: names the option (as the caller named it), the value and the rule. */
export class OptionError extends Error {
  /**
   * @param option the option as the user wrote it in this interface (`--tag-policy`, `tag-policy`)
   * @param value the offending value (one entry of a list)
   * @param rule the rule broken, in words (`must be immutable or overwrite`)
   */
  constructor(
    readonly option: string,
    readonly value: string,
    readonly rule: string
  ) {
    super(`${option} "${value}": ${rule}`)
    this.name = 'OptionError'
  }
}

/** The engine's options as written (strings; lists already split); `undefined` means not given. */
export interface RawOptions extends VerifyOptions {
  /** `REGISTRY=N/s`, `REGISTRY=TOTAL`, `REGISTRY=N/s,TOTAL` entries (registry/ratelimit.ts) */
  requestBudgets?: string[]
  tagPolicy?: string
  movingTags?: string[]
  uploadMode?: string
  concurrency?: string
  /** seconds to wait for an answer to one request try */
  timeout?: string
  caFile?: string
  insecureRegistries?: string[]
  /** `HOST=KIND` entries */
  registryKinds?: string[]
  /** `HOST=CERT_FILE` entries (PEM TLS client certificates) */
  clientCerts?: string[]
  /** `HOST=KEY_FILE` entries (their PEM private keys) */
  clientKeys?: string[]
  /** what travels with the image: `all`, `none`, or artifact types separated by commas */
  referrers?: string
  /** `OS/ARCH[/VARIANT]` entries: promote only these platforms */
  promotePlatforms?: string[]
  /** a switch: true (the CLI) or the input's `true` / `false`: a promotion must be verified */
  requireVerification?: string | boolean
  // issue 20: the gate's options are proof/load.ts VerifyOptions (extended above; an input's
  // verify-key lines are joined back by keyEntries); the promotion record's:
  /** a PEM private key: file, `env://NAME` or the PEM itself */
  signKey?: string
  /** a switch: true (the CLI) or the input's `true` / `false` */
  signKeyless?: string | boolean
  fulcioUrl?: string
  rekorUrl?: string
  timestampServerUrl?: string
}

/** How each option is named in the calling interface (used in messages); `referrers` defaults to its input name. */
export const PROOF_KEYS = [
  'verifyKey',
  'certificateIdentity',
  'certificateIdentityRegexp',
  'certificateOidcIssuer',
  'trustedRoot',
  'policy',
  'signKey',
  'signKeyless',
  'fulcioUrl',
  'rekorUrl',
  'timestampServerUrl'
] as const

/** The issue-20 options (their names default to the action's inputs: the same words). */
export type ProofKey = (typeof PROOF_KEYS)[number]

export type OptionNames = Record<
  Exclude<keyof RawOptions, 'referrers' | 'promotePlatforms' | 'requireVerification' | ProofKey>,
  string
> &
  Partial<Record<ProofKey, string>> & {
    referrers?: string
    /** default `promote-platforms` */
    promotePlatforms?: string
    /** default `require-verification` */
    requireVerification?: string
  }

/** The checked options. */
export interface EngineOptions {
  tagPolicy: TagPolicy
  /** default {@link DEFAULT_MOVING_TAGS} */
  movingTags: string[]
  uploadMode: UploadMode
  /** transfers at once per registry host, 1..64 (default: the engine's) */
  concurrency?: number
  /** milliseconds to wait for an answer to one request try (default: the transport's) */
  timeoutMs?: number
  caFile?: string
  /** `host[:port]` entries allowed plain http */
  insecureRegistries: string[]
  /** lower-case host → registry kind */
  registryKinds: Record<string, RegistryKind>
  /** TLS client certificates per registry host (undefined when none) */
  clientCertificates?: ClientCertificate[]
  /** what travels with the image (referrers/selection.ts); undefined when not given: promote()'s default, DEFAULT_REFERRERS */
  referrers?: ReferrerSelection
  /** promote only these platforms (copy/platforms.ts); undefined: every platform */
  platforms?: Platform[]
  /** request budgets per registry (registry/ratelimit.ts); undefined when none given */
  requestBudgets?: RequestBudgets
  /**
   * a promotion must be verified: {@link checkVerificationRequired} refuses one whose gate asks
   * nothing (no key, identity or policy), before any request. Undefined when not asked.
   */
  requireVerification?: true
  /**
   * the gate's and the record's options as given (issue 20), checked for what needs no file read;
   * engine-options.ts proofSettings reads the keys and files. Undefined when none is given.
   */
  proof?: ProofWords
}

/** The proof options as given (proof/load.ts ProofOptions), with the Sigstore instance's URLs. */
export interface ProofWords extends ProofOptions {
  /** Fulcio, Rekor and the timestamp authority for keyless signing (default: public-good, no TSA) */
  urls?: { fulcioURL?: string; rekorURL?: string; tsaURL?: string }
}

/**
 * `--request-budget` entries (registry/ratelimit.ts parseRequestBudgets); undefined when none.
 * @throws OptionError naming the option (`option`, as this interface names it), the entry and the rule
 */
function requestBudgets(values: string[] | undefined, option: string): RequestBudgets | undefined {
  if (!values?.length) return undefined
  try {
    const budgets = parseRequestBudgets(values)
    return Object.keys(budgets).length ? budgets : undefined
  } catch (e) {
    if (e instanceof BudgetSyntaxError) throw new OptionError(option, e.entry, e.rule)
    throw e
  }
}

function oneOf<T extends string>(allowed: readonly T[], fallback: T) {
  const rule = `must be ${allowed.slice(0, -1).join(', ')} or ${allowed[allowed.length - 1]}`
  return (value: string | undefined, option: string): T => {
    if (value === undefined) return fallback
    if (!allowed.includes(value as T)) throw new OptionError(option, value, rule)
    return value as T
  }
}

const TAG_POLICIES: readonly TagPolicy[] = ['immutable', 'overwrite']
const UPLOAD_MODES: readonly UploadMode[] = ['monolithic', 'chunked']
const tagPolicy = oneOf<TagPolicy>(TAG_POLICIES, DEFAULT_TAG_POLICY)
const uploadMode = oneOf<UploadMode>(UPLOAD_MODES, DEFAULT_UPLOAD_MODE)

/** The choices for help, the engine's default marked: `immutable (default) or overwrite`. */
function choicesHelp(allowed: readonly string[], fallback: string, last = ' or '): string {
  const shown = allowed.map(v => (v === fallback ? `${v} (default)` : v))
  return `${shown.slice(0, -1).join(', ')}${last}${shown[shown.length - 1]}`
}

function concurrency(value: string | undefined, option: string): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1 || n > 64)
    throw new OptionError(option, value, 'must be a whole number from 1 to 64')
  return n
}

function timeoutMs(value: string | undefined, option: string): number | undefined {
  if (value === undefined) return undefined
  // whole seconds: the transport's timers do not keep sub-second deadlines (0.001 waited about 1 s),
  // and every message that names the timeout says `within N s`
  const seconds = Number(value)
  if (!(Number.isInteger(seconds) && seconds >= 1 && seconds <= 3600))
    throw new OptionError(option, value, 'must be a whole number of seconds from 1 to 3600')
  return seconds * 1000
}

/**
 * `OS/ARCH[/VARIANT]` entries (commas inside an entry split it), each once after normalising the
 * variant (copy/platforms.ts platformKey: `linux/arm64` and `linux/arm64/v8` are one platform).
 */
function platforms(values: string[] | undefined, option: string): Partial<EngineOptions> {
  const texts = (values ?? [])
    .flatMap(v => v.split(','))
    .map(v => v.trim())
    .filter(Boolean)
  if (!texts.length) return {}
  const out: Platform[] = []
  for (const text of texts) {
    let p: Platform
    if (text === 'all')
      // crane's `--platform all`: here that is the default
      throw new OptionError(
        option,
        text,
        `${PLATFORM_RULE}; every platform is promoted when ${option} is left out`
      )
    try {
      p = parsePlatform(text, option)
    } catch {
      throw new OptionError(option, text, PLATFORM_RULE)
    }
    if (out.some(o => platformKey(o) === platformKey(p)))
      throw new OptionError(option, text, 'names a platform already given')
    out.push(p)
  }
  return { platforms: out }
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g

/**
 * A CA bundle file: it exists, can be read, and holds at least one PEM certificate, each of which
 * parses (Node would otherwise fail every TLS connection, or silently trust nothing new).
 */
function caFile(
  value: string | undefined,
  option: string,
  fileExists: (path: string) => boolean,
  readFile: ReadFile
): string | undefined {
  if (value === undefined) return undefined
  if (!fileExists(value)) throw new OptionError(option, value, 'no such file')
  let text: string
  try {
    text = readFile(value)
  } catch (e) {
    throw new OptionError(
      option,
      value,
      `cannot be read (${(e as { code?: string }).code ?? (e as Error).message})`
    )
  }
  const blocks = text.match(PEM_CERTIFICATE) ?? []
  if (!blocks.length)
    throw new OptionError(option, value, 'holds no PEM certificate (-----BEGIN CERTIFICATE-----)')
  blocks.forEach((block, i) => {
    try {
      new X509Certificate(block)
    } catch {
      throw new OptionError(
        option,
        value,
        `certificate ${i + 1} of ${blocks.length} is not a valid PEM certificate`
      )
    }
  })
  return value
}

/**
 * The word for "no tag moves but the rules' rolling tags": the default cannot be emptied otherwise
 * (an empty input is the default, as the runner gives an omitted one, and an empty flag no tag).
 */
export const NO_MOVING_TAGS = 'none'

function movingTags(values: string[] | undefined, option: string): string[] {
  if (values?.includes(NO_MOVING_TAGS)) {
    if (values.length > 1)
      throw new OptionError(
        option,
        values.join(','),
        `${NO_MOVING_TAGS} (no tag may move) stands alone; give it without other tags`
      )
    return []
  }
  for (const tag of values ?? [])
    if (!isValidTag(tag)) throw new OptionError(option, tag, `not a valid tag (${RULES.tag})`)
  return values?.length ? values : [...DEFAULT_MOVING_TAGS]
}

function insecureRegistries(values: string[] | undefined, option: string): string[] {
  for (const host of values ?? [])
    if (!ANCHORED_DOMAIN_REGEXP.test(host)) throw new OptionError(option, host, HOST_RULE)
  return values ?? []
}

function registryKinds(values: string[] | undefined, option: string): Record<string, RegistryKind> {
  const out: Record<string, RegistryKind> = {}
  for (const entry of values ?? []) {
    const eq = entry.indexOf('=')
    const host = entry.slice(0, eq).trim().toLowerCase()
    const kind = entry
      .slice(eq + 1)
      .trim()
      .toLowerCase() as RegistryKind
    if (eq <= 0 || !REGISTRY_KINDS.includes(kind))
      throw new OptionError(option, entry, `must be HOST=KIND with KIND one of ${REGISTRY_KINDS.join(', ')}`)
    out[host] = kind
  }
  return out
}

/** An artifact type as media types are written (RFC 6838 `type/subtype`), or `cosign`. */
const ARTIFACT_TYPE = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$/

/**
 * `all`, `none`, or a comma list of artifact types (media types such as `application/spdx+json`;
 * `cosign` for cosign's `.sig` / `.att` / `.sbom` tags), each once.
 */
function referrers(value: string | undefined, option: string): ReferrerSelection | undefined {
  if (value === undefined) return undefined
  const v = value.trim()
  if (v === 'all' || v === 'none') return v
  const types = [...new Set(v.split(',').map(t => t.trim()))]
  const word = types.find(t => t === 'all' || t === 'none')
  if (word)
    throw new OptionError(
      option,
      value,
      `"${word}" stands alone: give ${word}, or a comma list of artifact types`
    )
  for (const t of types)
    if (t !== 'cosign' && !ARTIFACT_TYPE.test(t))
      throw new OptionError(
        option,
        t || value,
        'must be all, none, or a comma list of artifact types (media types such as application/spdx+json, or cosign)'
      )
  return types
}

const HOST_RULE = 'must be a host or host:port, without scheme or path (e.g. registry.internal:5000)'

/** `HOST=PATH` entries → certificate host → [entry as written, path]. */
function hostFiles(
  values: string[] | undefined,
  option: string,
  what: string
): Map<string, [string, string]> {
  const out = new Map<string, [string, string]>()
  for (const entry of values ?? []) {
    const eq = entry.indexOf('=')
    const host = entry.slice(0, eq).trim()
    const path = entry.slice(eq + 1).trim()
    if (eq <= 0 || !path) throw new OptionError(option, entry, `must be HOST=${what}`)
    if (!ANCHORED_DOMAIN_REGEXP.test(host)) throw new OptionError(option, entry, `HOST ${HOST_RULE}`)
    const key = certificateHost(host)
    if (out.has(key))
      throw new OptionError(option, entry, `names the same registry as "${out.get(key)?.[0]}"`)
    out.set(key, [entry, path])
  }
  return out
}

/** Reads a PEM file (UTF-8) for a check. */
type ReadFile = (path: string) => string

/**
 * `HOST=CERT_FILE` and `HOST=KEY_FILE` entries: each host has both, the files exist, the certificate
 * parses, the key is an unencrypted private key that matches it. Messages name the entry (host and
 * path), never the key's content.
 */
function clientCertificates(
  raw: RawOptions,
  names: OptionNames,
  fileExists: (path: string) => boolean,
  readFile: ReadFile
): ClientCertificate[] | undefined {
  const certs = hostFiles(raw.clientCerts, names.clientCerts, 'CERT_FILE')
  const keys = hostFiles(raw.clientKeys, names.clientKeys, 'KEY_FILE')
  for (const [host, [entry]] of keys)
    if (!certs.has(host))
      throw new OptionError(names.clientKeys, entry, `needs a ${names.clientCerts} for ${host}`)
  const out: ClientCertificate[] = []
  for (const [host, [entry, certFile]] of certs) {
    const key = keys.get(host)
    if (!key) throw new OptionError(names.clientCerts, entry, `needs a ${names.clientKeys} for ${host}`)
    const [keyEntry, keyFile] = key
    if (!fileExists(certFile)) throw new OptionError(names.clientCerts, entry, 'no such file')
    if (!fileExists(keyFile)) throw new OptionError(names.clientKeys, keyEntry, 'no such file')
    let certificate: X509Certificate
    try {
      certificate = new X509Certificate(readFile(certFile))
    } catch {
      throw new OptionError(names.clientCerts, entry, 'not a PEM certificate')
    }
    let privateKey: ReturnType<typeof createPrivateKey>
    try {
      privateKey = createPrivateKey(readFile(keyFile))
    } catch {
      const encrypted = /-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: 4,ENCRYPTED/.test(readFile(keyFile))
      throw new OptionError(
        names.clientKeys,
        keyEntry,
        encrypted
          ? 'an encrypted private key: give it unencrypted (no passphrase is asked for)'
          : 'not a PEM private key'
      )
    }
    if (!certificate.checkPrivateKey(privateKey))
      throw new OptionError(
        names.clientKeys,
        keyEntry,
        `does not match the certificate of ${names.clientCerts} for ${host}`
      )
    out.push({ host, certFile, keyFile })
  }
  return out.length ? out : undefined
}

/**
 * `verify-key` entries as given: an action input is split at newlines, so the lines of a PEM key
 * given inline (a secret) are joined back into one entry (BEGIN … END).
 */
function keyEntries(values: string[] | undefined): string[] {
  const out: string[] = []
  let open: string[] | undefined
  for (const v of values ?? []) {
    if (open) {
      open.push(v)
      if (/^-----END /.test(v.trim())) {
        out.push(open.join('\n') + '\n')
        open = undefined
      }
    } else if (/^-----BEGIN /.test(v.trim()) && !/-----END /.test(v)) open = [v.trim()]
    else out.push(v)
  }
  if (open) out.push(open.join('\n'))
  return out
}

/** An `http(s)` URL. @throws OptionError */
function urlOf(value: string | undefined, option: string): string | undefined {
  if (value === undefined) return undefined
  let url: URL | undefined
  try {
    url = new URL(value)
  } catch {
    url = undefined
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:'))
    throw new OptionError(option, value, 'must be an http(s) URL (e.g. https://fulcio.sigstore.dev)')
  return value.replace(/\/+$/, '')
}

/** A switch given by the CLI (true) or an action input (`true` / `false` / empty). @throws OptionError */
function switchOf(value: string | boolean | undefined, option: string): boolean {
  if (value === undefined || value === false) return false
  if (value === true) return true
  const v = value.trim().toLowerCase()
  if (v === '' || v === 'false') return false
  if (v === 'true') return true
  throw new OptionError(option, value, 'must be true or false')
}

/**
 * The gate's and the record's options (issue 20) as given, checked for what needs no key read:
 * files exist, an identity comes with its issuer (as cosign requires) and in one form, a pattern
 * compiles, one signing method, Sigstore URLs only with keyless signing. Keys are named by path
 * or variable, never quoted (a PEM given inline is "(PEM given inline)").
 * @throws OptionError naming the option as the interface names it
 */
function proofWords(raw: RawOptions, given: OptionNames, files: FileAccess): Partial<EngineOptions> {
  const names = Object.fromEntries(
    PROOF_KEYS.map(k => [k, given[k] ?? OPTIONS.find(o => o.name === k)?.input ?? k])
  ) as Record<ProofKey, string>
  const verifyKey = keyEntries(raw.verifyKey)
  checkProofFiles(raw, verifyKey, names, files)
  const words: ProofWords = {
    ...(verifyKey.length ? { verifyKey } : {}),
    ...identityWords(raw, names),
    ...(raw.trustedRoot !== undefined ? { trustedRoot: raw.trustedRoot } : {}),
    ...(raw.policy !== undefined ? { policy: raw.policy } : {}),
    ...signingWords(raw, names)
  }
  return Object.keys(words).length ? { proof: words } : {}
}

/**
 * The proof options that name files (verify keys, trusted root, policy, sign key) must exist; a
 * key given inline or as `env://NAME` is no file. Keys are named, never quoted.
 * @throws OptionError `no such file`, naming the option
 */
function checkProofFiles(
  raw: RawOptions,
  verifyKey: string[],
  names: Record<ProofKey, string>,
  files: FileAccess
): void {
  const shown = (v: string): string => (notAFile(v) && !v.startsWith('env://') ? '(PEM given inline)' : v)
  const file = (value: string | undefined, option: string): void => {
    if (value !== undefined && !notAFile(value) && !files.fileExists(value))
      throw new OptionError(option, shown(value), 'no such file')
  }
  for (const k of verifyKey) file(k, names.verifyKey)
  file(raw.trustedRoot, names.trustedRoot)
  file(raw.policy, names.policy)
  file(raw.signKey, names.signKey)
}

/**
 * The keyless identity (cosign's rules): an identity or a pattern, not both; a pattern that
 * compiles; an issuer with either, and neither without an issuer.
 * @throws OptionError naming the option and the rule
 */
function identityWords(raw: RawOptions, names: Record<ProofKey, string>): Partial<ProofWords> {
  const [identity, pattern, issuer] = [
    raw.certificateIdentity,
    raw.certificateIdentityRegexp,
    raw.certificateOidcIssuer
  ]
  if (identity !== undefined && pattern !== undefined)
    throw new OptionError(
      names.certificateIdentityRegexp,
      pattern,
      `give ${names.certificateIdentity} or ${names.certificateIdentityRegexp}, not both`
    )
  if (pattern !== undefined)
    try {
      new RegExp(pattern)
    } catch (e) {
      throw new OptionError(
        names.certificateIdentityRegexp,
        pattern,
        `not a valid regular expression (${(e as Error).message})`
      )
    }
  if ((identity ?? pattern) !== undefined && issuer === undefined)
    throw new OptionError(
      identity !== undefined ? names.certificateIdentity : names.certificateIdentityRegexp,
      (identity ?? pattern)!,
      `needs ${names.certificateOidcIssuer} (as cosign requires)`
    )
  if (issuer !== undefined && identity === undefined && pattern === undefined)
    throw new OptionError(
      names.certificateOidcIssuer,
      issuer,
      `needs ${names.certificateIdentity} or ${names.certificateIdentityRegexp}`
    )
  return {
    ...(identity !== undefined ? { certificateIdentity: identity } : {}),
    ...(pattern !== undefined ? { certificateIdentityRegexp: pattern } : {}),
    ...(issuer !== undefined ? { certificateOidcIssuer: issuer } : {})
  }
}

/**
 * How the record is signed: a key or keyless, not both; Sigstore URLs only with keyless.
 * @throws OptionError naming the option and the rule
 */
function signingWords(raw: RawOptions, names: Record<ProofKey, string>): Partial<ProofWords> {
  const keyless = switchOf(raw.signKeyless, names.signKeyless)
  if (keyless && raw.signKey !== undefined)
    throw new OptionError(
      names.signKeyless,
      'true',
      `give ${names.signKey} or ${names.signKeyless}, not both`
    )
  const urls = {
    fulcioURL: urlOf(raw.fulcioUrl, names.fulcioUrl),
    rekorURL: urlOf(raw.rekorUrl, names.rekorUrl),
    tsaURL: urlOf(raw.timestampServerUrl, names.timestampServerUrl)
  }
  const urlGiven = (['fulcioUrl', 'rekorUrl', 'timestampServerUrl'] as const).find(k => raw[k] !== undefined)
  if (urlGiven && !keyless)
    throw new OptionError(
      names[urlGiven],
      raw[urlGiven]!,
      `is used by keyless signing only: give ${names.signKeyless} too`
    )
  return {
    ...(raw.signKey !== undefined ? { signKey: raw.signKey } : {}),
    ...(keyless ? { signKeyless: true } : {}),
    ...(urlGiven ? { urls: Object.fromEntries(Object.entries(urls).filter(([, v]) => v)) } : {})
  }
}

/** The CLI's commands as the schema names them (`promote-file` is `promote -f FILE`). */
export const CLI_COMMANDS = [
  'copy',
  'promote',
  'promote-file',
  'plan',
  'inspect',
  'tags',
  'verify',
  'digest',
  'ls',
  'manifest',
  'config',
  'merge',
  'help',
  'completion'
] as const
export type CliCommandName = (typeof CLI_COMMANDS)[number]

/** The files an option's check may read (injectable for tests). */
export interface FileAccess {
  /** true when a file exists at `path` */
  fileExists: (path: string) => boolean
  /** reads a PEM file (UTF-8) to check it */
  readFile: ReadFile
}

/** One option: every fact about it that an interface needs. */
export interface OptionSpec {
  /** its name in code: the {@link RawOptions} key of an engine option, else the command's field */
  name: string
  /** the CLI's long flag, without `--` (absent: the action only) */
  flag?: string
  /** the CLI's one-letter flag, without `-` */
  short?: string
  /** the CLI value's name in help and messages (absent: a switch that takes no value) */
  value?: string
  /** the CLI flag may be repeated, each giving one entry */
  repeatable?: boolean
  /** the words the value may be, for shell completion (its parser is what checks them) */
  choices?: readonly string[]
  /** the action's input (absent: the CLI only) */
  input?: string
  /** how the input's text becomes entries: at newlines and commas, or at newlines only (absent: one value) */
  split?: 'commas' | 'lines'
  /**
   * the default as a user writes it (action.yml `default:`, the docs' tables), taken from the engine's
   * own constant where the engine has one (copy/defaults.ts, registry/retry.ts); absent: none
   */
  default?: string
  /** the unit of a number given */
  unit?: 'seconds'
  /** the promotion file's key when the file owns the option: with a file, neither flag nor input is taken */
  fileKey?: string
  /** the CLI commands that take the flag */
  commands: readonly CliCommandName[]
  /**
   * the CLI help after the flag: the entries are one text, wrapped to 100 columns in help
   * (cli/commands.ts); the first entry alone is the zsh completion's description
   */
  help: readonly string[]
  /** checks the raw value and gives the engine options it sets (engine options only) */
  parse?: (raw: RawOptions, names: OptionNames, files: FileAccess) => Partial<EngineOptions>
}

/** commands that talk to registries (TLS, timeouts, naming rules) */
const REGISTRY_COMMANDS = [
  'copy',
  'promote',
  'promote-file',
  'plan',
  'inspect',
  'verify',
  'digest',
  'ls',
  'manifest',
  'config',
  'merge'
] as const
/** commands that read one registry: their credentials come from --creds */
const READ_COMMANDS = ['inspect', 'digest', 'ls', 'manifest', 'config'] as const
/**
 * commands with one registry for --creds: REF's (the read commands, verify) or --to's (merge);
 * promote -f and plan take none (a promotion file names several registries: --authfile)
 */
const CREDS_COMMANDS = [...READ_COMMANDS, 'verify', 'merge'] as const
/** commands that move blobs */
const TRANSFER_COMMANDS = ['copy', 'promote', 'promote-file'] as const
/** commands whose tag policy and referrers come from flags (with -f FILE, from the file) */
const SINGLE_IMAGE = ['copy', 'promote'] as const

/**
 * Every option of the CLI and every engine option of the action, in the order of the CLI's help.
 * The engine's options are parsed in this order (the first bad one is reported).
 */
export const OPTIONS: readonly OptionSpec[] = [
  {
    name: 'dryRun',
    flag: 'dry-run',
    input: 'dry-run',
    default: 'false',
    commands: [...TRANSFER_COMMANDS, 'merge'],
    help: ['plan only (JSON on stdout), write nothing']
  },
  {
    name: 'tagPolicy',
    flag: 'tag-policy',
    value: 'POLICY',
    input: 'tag-policy',
    default: DEFAULT_TAG_POLICY,
    fileKey: 'tag-policy',
    commands: SINGLE_IMAGE,
    choices: TAG_POLICIES,
    help: [choicesHelp(TAG_POLICIES, DEFAULT_TAG_POLICY)],
    parse: (raw, names) => ({ tagPolicy: tagPolicy(raw.tagPolicy, names.tagPolicy) })
  },
  {
    name: 'movingTags',
    flag: 'moving-tag',
    value: 'TAG',
    repeatable: true,
    input: 'moving-tags',
    split: 'commas',
    default: DEFAULT_MOVING_TAGS.join(','),
    fileKey: 'moving-tags',
    commands: SINGLE_IMAGE,
    help: [
      `tags that may move under immutable (one per flag, repeatable; replaces the default ${DEFAULT_MOVING_TAGS.join(', ')};`,
      `${NO_MOVING_TAGS}: no tag moves but the rolling tags of tag rules)`
    ],
    parse: (raw, names) => ({ movingTags: movingTags(raw.movingTags, names.movingTags) })
  },
  {
    name: 'insecureRegistries',
    flag: 'insecure',
    value: 'HOST[:PORT]',
    repeatable: true,
    input: 'insecure-registries',
    split: 'commas',
    commands: REGISTRY_COMMANDS,
    help: [
      'HOST[:PORT] may use plain http or TLS without certificate verification,',
      "as docker's insecure-registries: a HOST without :PORT covers no other",
      'port (warned each run; repeatable)'
    ],
    parse: (raw, names) => ({
      insecureRegistries: insecureRegistries(raw.insecureRegistries, names.insecureRegistries)
    })
  },
  {
    name: 'caFile',
    flag: 'ca-file',
    value: 'FILE',
    input: 'ca-file',
    commands: REGISTRY_COMMANDS,
    help: ['PEM CA bundle to trust (NODE_EXTRA_CA_CERTS works too)'],
    parse: (raw, names, files) => ({
      caFile: caFile(raw.caFile, names.caFile, files.fileExists, files.readFile)
    })
  },
  {
    name: 'clientCerts',
    flag: 'client-cert',
    value: 'HOST=FILE',
    repeatable: true,
    input: 'client-cert',
    split: 'lines', // one HOST=PATH per line (a path may hold a comma)
    commands: REGISTRY_COMMANDS,
    help: ['PEM TLS client certificate for registry HOST[:PORT] only (mTLS; repeatable)'],
    parse: (raw, names, files) => ({
      clientCertificates: clientCertificates(raw, names, files.fileExists, files.readFile)
    })
  },
  {
    name: 'clientKeys',
    flag: 'client-key',
    value: 'HOST=FILE',
    repeatable: true,
    input: 'client-key',
    split: 'lines',
    commands: REGISTRY_COMMANDS,
    help: ['its PEM private key, unencrypted (one per --client-cert)'],
    parse: () => ({}) // checked with client-cert, as its pair
  },
  {
    name: 'concurrency',
    flag: 'concurrency',
    value: 'N',
    input: 'concurrency',
    default: String(DEFAULT_CONCURRENCY),
    commands: TRANSFER_COMMANDS,
    help: [`transfers at once per registry host, 1 to 64 (default ${DEFAULT_CONCURRENCY})`],
    parse: (raw, names) => ({ concurrency: concurrency(raw.concurrency, names.concurrency) })
  },
  {
    name: 'timeout',
    flag: 'timeout',
    value: 'SECONDS',
    input: 'request-timeout',
    default: String(DEFAULT_TIMEOUT_MS / 1000),
    unit: 'seconds',
    commands: REGISTRY_COMMANDS,
    help: [
      'give up on a request with no answer after this long, per try, whole seconds',
      `1 to 3600 (default ${DEFAULT_TIMEOUT_MS / 1000})`
    ],
    parse: (raw, names) => ({ timeoutMs: timeoutMs(raw.timeout, names.timeout) })
  },
  {
    name: 'uploadMode',
    flag: 'upload-mode',
    value: 'MODE',
    input: 'upload-mode',
    default: DEFAULT_UPLOAD_MODE,
    commands: TRANSFER_COMMANDS,
    choices: UPLOAD_MODES,
    help: [choicesHelp(UPLOAD_MODES, DEFAULT_UPLOAD_MODE)],
    parse: (raw, names) => ({ uploadMode: uploadMode(raw.uploadMode, names.uploadMode) })
  },
  {
    name: 'requestBudgets',
    flag: 'request-budget',
    value: 'R=RATE',
    repeatable: true,
    input: 'request-budget',
    split: 'lines', // 'ghcr.io=20/s,5000' holds a comma
    commands: [...TRANSFER_COMMANDS, 'plan'],
    help: [
      'keep requests to registry R within a budget: N/s (evenly spaced), a TOTAL',
      'for the run, or N/s,TOTAL (ghcr.io=20/s,5000; repeatable). A plan that needs',
      'more than the total left is refused before any write; plan --shards gives each',
      "shard its share (the matrix's budget, for that shard's --request-budget)"
    ],
    parse: (raw, names) => ({ requestBudgets: requestBudgets(raw.requestBudgets, names.requestBudgets) })
  },
  {
    name: 'registryKinds',
    flag: 'registry-kind',
    value: 'HOST=KIND',
    repeatable: true,
    input: 'registry-kinds',
    split: 'commas',
    commands: REGISTRY_COMMANDS,
    help: ['naming rules for HOST (harbor, quay, … as in the registry-kinds input; repeatable)'],
    parse: (raw, names) => ({ registryKinds: registryKinds(raw.registryKinds, names.registryKinds) })
  },
  {
    name: 'referrers',
    flag: 'referrers',
    value: 'WHAT',
    input: 'referrers',
    default: DEFAULT_REFERRERS,
    fileKey: 'referrers',
    commands: SINGLE_IMAGE,
    // artifact types besides: completion offers the words
    choices: ['all', 'none', 'cosign'],
    help: [
      `what travels with the image: ${choicesHelp(['all', 'none', 'artifact types separated'], DEFAULT_REFERRERS, ', or ')}`,
      'by commas (application/spdx+json,application/vnd.dev.cosign.artifact.sig.v1+json;',
      "cosign = cosign's sha256-<hex>.sig/.att/.sbom tags). Found through the source's",
      'referrers API, else its sha256-<hex> fallback tag; referrers of referrers too.',
      'At a target that lists referrers itself (OCI-Subject) no fallback tag is',
      'written; elsewhere its fallback index is merged, never dropping its entries.',
      'A cosign tag holding other signatures moves only with --tag-policy overwrite.'
    ],
    parse: (raw, names) =>
      raw.referrers !== undefined
        ? { referrers: referrers(raw.referrers, names.referrers ?? 'referrers') }
        : {}
  },
  {
    name: 'promotePlatforms',
    flag: 'platform',
    value: 'OS/ARCH[/VARIANT]',
    repeatable: true,
    input: 'promote-platforms',
    split: 'commas',
    commands: SINGLE_IMAGE,
    help: [
      "promote only these platforms of the source (one per flag, repeatable; as crane's copy --platform):",
      "one gives that child's own manifest (its digest), several a new index of those",
      'children and their attestations (a new digest; the plan and log say so)'
    ],
    parse: (raw, names) => platforms(raw.promotePlatforms, names.promotePlatforms ?? 'promote-platforms')
  },
  // the build's push (docker/build-push-action's `push`, newuser6 #2): the action only (the CLI builds nothing)
  {
    name: 'push',
    input: 'push',
    default: 'true',
    commands: [],
    help: [
      'push the build to staging-image and promote it to the targets (true); false builds only and',
      "writes nothing to any registry (but a cache-to export to one), as docker/build-push-action's",
      'push: false (e.g. on pull requests)'
    ]
  },
  // issue 21, the merge (merge/stage.ts, cli/merge.ts): its sources, where it writes, what it must hold
  {
    name: 'mergeSources',
    input: 'merge',
    split: 'lines',
    commands: [],
    help: [
      'merge these platform images into one index at staging-image instead of building, then',
      "promote it like any source (same step). One per line: a reference, a digest at staging-image's",
      "repository, or staged (the platform images this commit's jobs staged)"
    ]
  },
  {
    name: 'to',
    flag: 'to',
    value: 'STAGING-REF',
    commands: ['merge'],
    help: [
      '(merge) where the index is written: REGISTRY/REPOSITORY[:TAG]; without a tag,',
      'sha-<first 12 hex of $GITHUB_SHA>'
    ]
  },
  {
    name: 'mergePlatforms',
    flag: 'require-platform',
    value: 'PLATFORM',
    repeatable: true,
    input: 'merge-platforms',
    split: 'commas',
    commands: ['merge'],
    help: [
      '(merge) platforms the index must hold (OS/ARCH[/VARIANT]; repeatable). When no SOURCE',
      'is one of them, the merge is refused before any write'
    ]
  },
  // issue 20: the verification gate (before any write) and the signed promotion record; names as
  // cosign's. One parser (proofWords) checks them together; engine-options.ts proofSettings reads them.
  {
    name: 'verifyKey',
    flag: 'verify-key',
    value: 'FILE',
    repeatable: true,
    input: 'verify-key',
    split: 'lines',
    commands: [...TRANSFER_COMMANDS, 'verify'],
    help: [
      'verify before any write: the source must be signed by this cosign public key (PEM;',
      'a file, env://NAME or the PEM; repeatable: any one of them)'
    ],
    parse: proofWords
  },
  {
    name: 'certificateIdentity',
    flag: 'certificate-identity',
    value: 'ID',
    input: 'certificate-identity',
    commands: [...TRANSFER_COMMANDS, 'verify'],
    help: ['verify: keyless signatures by this certificate identity (a workflow URI, an email)'],
    parse: () => ({}) // checked with verify-key (proofWords)
  },
  {
    name: 'certificateIdentityRegexp',
    flag: 'certificate-identity-regexp',
    value: 'RE',
    input: 'certificate-identity-regexp',
    commands: [...TRANSFER_COMMANDS, 'verify'],
    help: ['verify: keyless signatures by an identity matching this regular expression'],
    parse: () => ({})
  },
  {
    name: 'certificateOidcIssuer',
    flag: 'certificate-oidc-issuer',
    value: 'URL',
    input: 'certificate-oidc-issuer',
    commands: [...TRANSFER_COMMANDS, 'verify'],
    help: ["the identity's OIDC issuer (https://token.actions.githubusercontent.com)"],
    parse: () => ({})
  },
  {
    name: 'trustedRoot',
    flag: 'trusted-root',
    value: 'FILE',
    input: 'trusted-root',
    commands: [...TRANSFER_COMMANDS, 'verify'],
    help: ["Sigstore trusted root JSON for keyless bundles (default: the public-good instance's)"],
    parse: () => ({})
  },
  {
    name: 'policy',
    flag: 'policy',
    value: 'FILE',
    input: 'policy',
    commands: [...TRANSFER_COMMANDS, 'verify'],
    help: [
      'the verification policy, rich form (YAML: keys, identities, required attestations and',
      'their fields, every child of an index; docs/verification.md)'
    ],
    parse: () => ({})
  },
  {
    name: 'requireVerification',
    flag: 'require-verification',
    input: 'require-verification',
    default: 'false',
    commands: TRANSFER_COMMANDS,
    help: [
      'refuse to promote, before any request, unless something is given to verify (a verify key,',
      'an identity with its issuer, or a policy; with -f, the flags or each image of the file): a',
      'verify key from a secret or variable that is not set is empty and would verify nothing'
    ],
    parse: (raw, names) =>
      switchOf(raw.requireVerification, names.requireVerification ?? 'require-verification')
        ? { requireVerification: true }
        : {}
  },
  {
    name: 'signKey',
    flag: 'sign-key',
    value: 'FILE',
    input: 'sign-key',
    commands: TRANSFER_COMMANDS,
    help: [
      'sign a promotion record with this PEM private key (file, env://NAME or the PEM) and',
      'store it at every target as a Sigstore bundle referrer'
    ],
    parse: () => ({})
  },
  {
    name: 'signKeyless',
    flag: 'sign-keyless',
    input: 'sign-keyless',
    default: 'false',
    commands: TRANSFER_COMMANDS,
    help: ["sign the record keyless: Fulcio + Rekor with the CI's OIDC token (id-token: write)"],
    parse: () => ({})
  },
  {
    name: 'fulcioUrl',
    flag: 'fulcio-url',
    value: 'URL',
    input: 'fulcio-url',
    commands: TRANSFER_COMMANDS,
    help: [`the Fulcio of a private instance (with --sign-keyless; default ${PUBLIC_GOOD.fulcioURL})`],
    parse: () => ({})
  },
  {
    name: 'rekorUrl',
    flag: 'rekor-url',
    value: 'URL',
    input: 'rekor-url',
    commands: TRANSFER_COMMANDS,
    help: [`the Rekor of a private instance (with --sign-keyless; default ${PUBLIC_GOOD.rekorURL})`],
    parse: () => ({})
  },
  {
    name: 'timestampServerUrl',
    flag: 'timestamp-server-url',
    value: 'URL',
    input: 'timestamp-server-url',
    commands: TRANSFER_COMMANDS,
    help: ['an RFC 3161 timestamp authority as well (with --sign-keyless; default none)'],
    parse: () => ({})
  },
  {
    name: 'all',
    flag: 'all',
    short: 'a',
    commands: SINGLE_IMAGE,
    help: [
      '(copy, promote) accepted, as crane and skopeo take it: every platform is copied unless --platform picks some'
    ]
  },
  {
    name: 'preserveDigests',
    flag: 'preserve-digests',
    commands: SINGLE_IMAGE,
    help: [
      '(copy, promote) accepted, as skopeo takes it: manifests always travel as their bytes,',
      'so digests never change'
    ]
  },
  {
    name: 'srcCreds',
    flag: 'src-creds',
    value: 'USER[:PASS]',
    commands: SINGLE_IMAGE,
    help: [
      "(copy, promote) credentials for SRC's registry; without :PASS the password comes from",
      'PROMOTE_IMAGE_SRC_PASSWORD or --password-stdin (keep it off argv)'
    ]
  },
  {
    name: 'destCreds',
    flag: 'dest-creds',
    value: 'USER[:PASS]',
    commands: SINGLE_IMAGE,
    help: [
      "(copy, promote) credentials for every DST's registry; without :PASS the password comes",
      'from PROMOTE_IMAGE_DEST_PASSWORD or --password-stdin'
    ]
  },
  {
    name: 'creds',
    flag: 'creds',
    value: 'USER[:PASS]',
    commands: CREDS_COMMANDS,
    help: [
      "(inspect, digest, ls, manifest, config, verify, merge) credentials for REF's registry",
      "(merge: --to's); without :PASS the password comes from PROMOTE_IMAGE_PASSWORD or --password-stdin"
    ]
  },
  {
    name: 'passwordStdin',
    flag: 'password-stdin',
    commands: [...SINGLE_IMAGE, ...CREDS_COMMANDS],
    help: ['read the password of the one creds flag given without :PASS from stdin (as docker login)']
  },
  {
    name: 'authFile',
    flag: 'authfile',
    value: 'FILE',
    commands: ['copy', 'promote', 'promote-file', 'plan', 'merge', 'verify', ...READ_COMMANDS],
    help: [
      'containers-auth.json or docker config.json to read credentials from first (podman login',
      'writes one); default $REGISTRY_AUTH_FILE; then the docker config.json'
    ]
  },
  {
    name: 'json',
    flag: 'json',
    commands: [
      'copy',
      'promote',
      'promote-file',
      'plan',
      'inspect',
      'tags',
      'verify',
      'digest',
      'ls',
      'merge'
    ],
    help: ['print the result as JSON']
  },
  {
    name: 'records',
    flag: 'records',
    commands: ['verify'],
    help: [
      '(verify) print the promotion records only, requiring no signature (exit 0 with none); with',
      '--verify-key or an identity, check the records alone against it (exit 1 with none)'
    ]
  },
  {
    name: 'file',
    flag: 'file',
    short: 'f',
    value: 'FILE',
    commands: ['promote-file', 'plan'],
    help: ['(promote, plan) the promotion file']
  },
  {
    name: 'shard',
    flag: 'shard',
    value: 'K/N',
    commands: ['promote-file'],
    help: ['(promote -f) promote only shard K of N']
  },
  {
    name: 'shards',
    flag: 'shards',
    value: 'N',
    commands: ['plan'],
    help: ['(plan) how many shards to plan, 1 to 256']
  },
  {
    name: 'image',
    flag: 'image',
    value: 'REPO',
    repeatable: true,
    commands: ['tags'],
    help: ['(tags) repository to prefix; repeatable']
  },
  {
    name: 'tags',
    flag: 'tags',
    value: 'RULE',
    repeatable: true,
    commands: ['tags'],
    help: ['(tags) a tag rule in docker/metadata-action syntax; repeatable']
  },
  {
    name: 'flavor',
    flag: 'flavor',
    value: 'LINE',
    repeatable: true,
    commands: ['tags'],
    help: ['(tags) a flavor line (latest=auto|true|false, prefix=, suffix=)']
  },
  {
    name: 'lowercase',
    flag: 'lowercase',
    commands: ['tags'],
    help: ['(tags) lower-case repository names instead of failing']
  },
  {
    name: 'verbose',
    flag: 'verbose',
    short: 'v',
    commands: CLI_COMMANDS,
    help: [
      'debug logging on stderr, with one line per request (method, URL without',
      'query values, status, ms, retries)'
    ]
  },
  {
    name: 'help',
    flag: 'help',
    short: 'h',
    commands: CLI_COMMANDS,
    help: ['this help']
  },
  {
    name: 'version',
    flag: 'version',
    commands: CLI_COMMANDS,
    help: ['print the version']
  }
]

/** The rows of the engine's options (those with a parser), in parse order. */
export const ENGINE_OPTIONS: readonly OptionSpec[] = OPTIONS.filter(o => o.parse)

/** The row named `name`. @throws Error for a name no row has (a programming error) */
export function optionSpec(name: string): OptionSpec {
  const spec = OPTIONS.find(o => o.name === name)
  if (!spec) throw new Error(`no option named ${name} in the schema`)
  return spec
}

/** The engine options under the names the action's inputs give them. */
export const OPTION_INPUTS = Object.fromEntries(ENGINE_OPTIONS.map(o => [o.name, o.input!])) as OptionNames

/** The engine options under the names the CLI gives them (also how registry messages name them). */
export const OPTION_FLAGS = Object.fromEntries(
  ENGINE_OPTIONS.map(o => [o.name, `--${o.flag!}`])
) as OptionNames

/**
 * The options a promotion file sets itself (batch/file.ts), with the file's key for each (named as
 * the action's inputs): with a file, neither a flag nor an input may give them (refused, never
 * ignored), since how tags may move and what travels are reviewed with the file.
 */
export const FILE_OWNED_OPTIONS = Object.fromEntries(
  OPTIONS.filter(o => o.fileKey).map(o => [o.name, o.fileKey!])
) as Readonly<Record<string, string>>

/**
 * Checks every engine option (the rows of {@link ENGINE_OPTIONS}, in order) and returns them parsed
 * (`timeout` seconds → `timeoutMs`). Lists are checked entry by entry; the first bad entry is reported.
 * @param names how the calling interface names each option, for messages
 * @param fileExists checks `caFile` and the client certificate and key files (default: `fs.existsSync`)
 * @param readFile reads the `caFile` (it must hold a PEM certificate) or a client certificate or key
 *   file (UTF-8) to check it (default: `fs.readFileSync`)
 * @throws OptionError naming the option (from `names`), the value and the rule
 */
export function parseOptions(
  raw: RawOptions,
  names: OptionNames,
  fileExists: (path: string) => boolean = existsSync,
  readFile: ReadFile = path => readFileSync(path, 'utf8')
): EngineOptions {
  const files = { fileExists, readFile }
  return Object.assign({}, ...ENGINE_OPTIONS.map(o => o.parse!(raw, names, files))) as EngineOptions
}

/** True when the gate's words ask it something: a verify key, a keyless identity, or a policy file. */
export function verificationGiven(words: ProofWords | undefined): boolean {
  return !!(
    words?.verifyKey?.length ||
    words?.certificateIdentity !== undefined ||
    words?.certificateIdentityRegexp !== undefined ||
    words?.policy !== undefined
  )
}

/**
 * The proof options `words` gives, in {@link PROOF_KEYS} order (the Sigstore URLs among them). Pure.
 * @returns `[]` for none
 */
export function proofKeysGiven(words: ProofWords | undefined): ProofKey[] {
  if (!words) return []
  const urls = { fulcioUrl: 'fulcioURL', rekorUrl: 'rekorURL', timestampServerUrl: 'tsaURL' } as const
  return PROOF_KEYS.filter(k => {
    if (k in urls) return words.urls?.[urls[k as keyof typeof urls]] !== undefined
    const v = words[k as Exclude<ProofKey, keyof typeof urls>]
    return Array.isArray(v) ? v.length > 0 : v !== undefined && v !== false
  })
}

/**
 * The images of a promotion file that are given proof keys (their own or under `defaults`), each
 * with those keys as the file names them, the first 3 then how many more:
 * `images[0] (name "two") has verify-key; images[2] (name "x") has sign-key`. Pure.
 * @returns `''` when no image is given any
 */
export function fileProofGiven(
  images: ReadonlyArray<{ index: number; name: string; proof?: ProofWords }>
): string {
  const given = images
    .filter(i => proofKeysGiven(i.proof).length)
    .map(i => {
      const keys = proofKeysGiven(i.proof).map(k => optionSpec(k).input!)
      return `images[${i.index}] (name "${i.name}") has ${keys.join(', ')}`
    })
  return given.length > 3 ? `${given.slice(0, 3).join('; ')} and ${given.length - 3} more` : given.join('; ')
}

/**
 * `require-verification`: a promotion whose gate would ask nothing is refused before any request
 * (a `verify-key` input filled from a secret that is not set arrives empty, and the gate would
 * silently be off). With a promotion file, the options' gate or else each image's own must ask
 * something; the images that give none are named, and when the file gives some images keys of
 * their own (so the options' would be refused) the advice names the file's keys only.
 * @param names how the calling interface names the options (`--verify-key`, `verify-key`)
 * @param file the promotion file (its path and images, batch/file.ts), when one is promoted
 * @throws OptionError naming `require-verification`, `true` and the rule, saying what to give
 */
export function checkVerificationRequired(
  options: EngineOptions,
  names: OptionNames,
  file?: { path: string; images: ReadonlyArray<{ index: number; name: string; proof?: ProofWords }> }
): void {
  if (!options.requireVerification || verificationGiven(options.proof)) return
  const n = (k: ProofKey): string => names[k] ?? optionSpec(k).input!
  const name = names.requireVerification ?? 'require-verification'
  const give = `give ${n('verifyKey')}, ${n('certificateIdentity')} or ${n('certificateIdentityRegexp')} with ${n('certificateOidcIssuer')}, or ${n('policy')}`
  const unset = '(a value from a secret or variable that is not set is empty, and gives none)'
  if (!file)
    throw new OptionError(name, 'true', `needs something to verify, and none was given: ${give} ${unset}`)
  const bare = file.images.filter(i => !verificationGiven(i.proof))
  if (!bare.length) return
  const listed = bare.map(i => `images[${i.index}] (name "${i.name}")`).join(', ')
  const own = fileProofGiven(file.images)
  if (!own)
    throw new OptionError(
      name,
      'true',
      `needs something to verify for ${listed} of ${file.path}, and none was given: ${give}, or verify-key, certificate-identity or policy in the file for each image ${unset}`
    )
  // the file gives proof keys of its own, so the options' would be refused (engine-options.ts
  // fileProofSettings): only the file's keys are advice that works (newuser4 #8)
  const keys =
    'verify-key, certificate-identity or certificate-identity-regexp with certificate-oidc-issuer, or policy'
  throw new OptionError(
    name,
    'true',
    `needs something to verify for ${listed} of ${file.path}, and none was given: add ${keys} to ${bare.length > 1 ? 'each of them' : 'it'} in ${file.path}, or under defaults for every image (an image's own keys win; paths are relative to the file). ${n('verifyKey').startsWith('--') ? n('verifyKey') : `The input ${n('verifyKey')}`} and the like cannot be added: ${own} in the file (its own or under defaults), and the file's keys and the options' are not mixed ${unset}`
  )
}
