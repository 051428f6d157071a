/**
 * The engine's options, parsed and checked once for both interfaces: the action reads them from its
 * inputs (src/inputs.ts), the CLI from its flags (src/cli/args.ts). Each rule is written here once,
 * with one wording; the caller passes the names the user wrote (`--moving-tag` on the command line,
 * `moving-tags` in a workflow), so the message names the option as given in that interface.
 * Pure but for the `ca-file` existence check (injectable).
 */
import { existsSync } from 'node:fs'
import {
  ANCHORED_DOMAIN_REGEXP,
  isValidTag,
  REGISTRY_KINDS,
  RULES,
  type RegistryKind
} from './reference/index.js'
import type { PromoteOptions } from './copy/promote.js'

export type TagPolicy = NonNullable<PromoteOptions['tagPolicy']>
export type UploadMode = NonNullable<PromoteOptions['uploadMode']>

/** Tags that may move under the immutable policy when none are given. */
export const DEFAULT_MOVING_TAGS = ['latest', 'edge']

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
}

/** How each option is named in the calling interface (used in messages). */
export type OptionNames = Record<keyof RawOptions, string>

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

function caFile(value: string | undefined, option: string, fileExists: (path: string) => boolean) {
  if (value !== undefined && !fileExists(value)) throw new OptionError(option, value, 'no such file')
  return value
}

function movingTags(values: string[] | undefined, option: string): string[] {
  for (const tag of values ?? [])
    if (!isValidTag(tag)) throw new OptionError(option, tag, `not a valid tag (${RULES.tag})`)
  return values?.length ? values : [...DEFAULT_MOVING_TAGS]
}

function insecureRegistries(values: string[] | undefined, option: string): string[] {
  for (const host of values ?? [])
    if (!ANCHORED_DOMAIN_REGEXP.test(host))
      throw new OptionError(
        option,
        host,
        'must be a host or host:port, without scheme or path (e.g. registry.internal:5000)'
      )
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

/**
 * Checks every option and returns them parsed (`timeout` seconds → `timeoutMs`). Lists are checked
 * entry by entry; the first bad entry is reported.
 * @param names how the calling interface names each option, for messages
 * @param fileExists checks `caFile` (default: `fs.existsSync`)
 * @throws OptionError naming the option (from `names`), the value and the rule
 */
export function parseOptions(
  raw: RawOptions,
  names: OptionNames,
  fileExists: (path: string) => boolean = existsSync
): EngineOptions {
  return {
    registryKinds: registryKinds(raw.registryKinds, names.registryKinds),
    tagPolicy: tagPolicy(raw.tagPolicy, names.tagPolicy),
    movingTags: movingTags(raw.movingTags, names.movingTags),
    uploadMode: uploadMode(raw.uploadMode, names.uploadMode),
    concurrency: concurrency(raw.concurrency, names.concurrency),
    timeoutMs: timeoutMs(raw.timeout, names.timeout),
    caFile: caFile(raw.caFile, names.caFile, fileExists),
    insecureRegistries: insecureRegistries(raw.insecureRegistries, names.insecureRegistries)
  }
}
