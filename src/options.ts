/**
 * The engine's options, parsed and checked once for both interfaces: the action reads them from its
 * inputs (src/inputs.ts), the CLI from its flags (src/cli/args.ts). Each rule is written here once,
 * with one wording; the caller passes the names the user wrote (`--moving-tag` on the command line,
 * `moving-tags` in a workflow), so the message names the option as given in that interface.
 * Pure but for the `ca-file` file and the client certificate and key files, which are read to check
 * them (both injectable).
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
import type { PromoteOptions, ReferrerSelection } from './copy/promote.js'
import { certificateHost, type ClientCertificate } from './registry/client-certificate.js'

export type TagPolicy = NonNullable<PromoteOptions['tagPolicy']>
export type UploadMode = NonNullable<PromoteOptions['uploadMode']>

/** Tags that may move under the immutable policy when none are given. */
export const DEFAULT_MOVING_TAGS = ['latest', 'edge']

/**
 * The options a promotion file sets itself (batch/file.ts), with the file's key for each (named as
 * the action's inputs): with a file, neither a flag nor an input may give them (refused, never
 * ignored), since how tags may move and what travels are reviewed with the file.
 */
export const FILE_OWNED_OPTIONS = {
  tagPolicy: 'tag-policy',
  movingTags: 'moving-tags',
  referrers: 'referrers'
} as const

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

/** The options as written (strings; lists already split); `undefined` means not given. */
export interface RawOptions {
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
}

/** How each option is named in the calling interface (used in messages); `referrers` defaults to its input name. */
export type OptionNames = Record<Exclude<keyof RawOptions, 'referrers'>, string> & { referrers?: string }

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
  /** what travels with the image (copy/referrers.ts); undefined when not given: the interfaces use `all` */
  referrers?: ReferrerSelection
}

function oneOf<T extends string>(allowed: readonly T[], fallback: T) {
  const rule = `must be ${allowed.slice(0, -1).join(', ')} or ${allowed[allowed.length - 1]}`
  return (value: string | undefined, option: string): T => {
    if (value === undefined) return fallback
    if (!allowed.includes(value as T)) throw new OptionError(option, value, rule)
    return value as T
  }
}

const tagPolicy = oneOf<TagPolicy>(['immutable', 'overwrite'], 'immutable')
const uploadMode = oneOf<UploadMode>(['monolithic', 'chunked'], 'monolithic')

function concurrency(value: string | undefined, option: string): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1 || n > 64)
    throw new OptionError(option, value, 'must be a whole number from 1 to 64')
  return n
}

function timeoutMs(value: string | undefined, option: string): number | undefined {
  if (value === undefined) return undefined
  const seconds = Number(value)
  if (!(seconds > 0 && seconds <= 3600))
    throw new OptionError(option, value, 'must be a number of seconds above 0 and at most 3600')
  return seconds * 1000
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

function movingTags(values: string[] | undefined, option: string): string[] {
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
 * Checks every option and returns them parsed (`timeout` seconds → `timeoutMs`). Lists are checked
 * entry by entry; the first bad entry is reported.
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
  return {
    registryKinds: registryKinds(raw.registryKinds, names.registryKinds),
    tagPolicy: tagPolicy(raw.tagPolicy, names.tagPolicy),
    movingTags: movingTags(raw.movingTags, names.movingTags),
    uploadMode: uploadMode(raw.uploadMode, names.uploadMode),
    concurrency: concurrency(raw.concurrency, names.concurrency),
    timeoutMs: timeoutMs(raw.timeout, names.timeout),
    caFile: caFile(raw.caFile, names.caFile, fileExists, readFile),
    insecureRegistries: insecureRegistries(raw.insecureRegistries, names.insecureRegistries),
    clientCertificates: clientCertificates(raw, names, fileExists, readFile),
    ...(raw.referrers !== undefined
      ? { referrers: referrers(raw.referrers, names.referrers ?? 'referrers') }
      : {})
  }
}
