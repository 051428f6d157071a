/**
 * The one place where the parsed options (options.ts EngineOptions) become the engine's options:
 * the registry client's (registry/factory.ts ClientOptions) and promote()'s (copy/promote.ts
 * PromoteOptions), and the verification gate and promotion record (proofSettings). The action (main.ts), the CLI (cli/client.ts, cli/copy.ts, cli/promote-file.ts)
 * and promotion files (batch/run.ts) all build them here, so an option reaches every interface or
 * none, and an engine option is built in no other place.
 */
import type { CredentialSource } from './auth/credentials.js'
import type { Logger } from './logger.js'
import { fileProofGiven, OPTION_FLAGS, OPTION_INPUTS, proofKeysGiven, type EngineOptions } from './options.js'
import type { PromoteOptions, RequestBudgetView } from './copy/promote.js'
import { defaultUploadStateDir, UploadStateStore } from './copy/resume.js'
import { BlobMemory, defaultBlobMemoryFile } from './copy/blob-memory.js'
import type { InsecureHostEvent } from './registry/errors.js'
import type { ClientOptions } from './registry/factory.js'
import type { RequestLogEntry } from './registry/request-log.js'
import type { ProofEdge } from './proof/load.js'
import { dirname, isAbsolute, join } from 'node:path'
import { notAFile } from './proof/key-value.js'

/** What the interface gives the registry client besides the options. */
export interface ClientEdge {
  /** where credentials come from (the action's `registry-auth` chain, the CLI's docker config chain) */
  credentials: CredentialSource
  logger: Logger
  /** a registry of insecure-registries is used: the interface's warning (report/tls-words.ts) */
  onInsecureHost?: (event: InsecureHostEvent) => void
  /** every secret the client learns (tokens), for the action's `core.setSecret` */
  onSecret?: (secret: string) => void
  /**
   * processes sharing each registry's limit: the N of `shard K/N`, so each shard paces a low
   * `ratelimit-remaining` as if it had 1/N of it (registry/ratelimit.ts `sharedBy`); default 1
   */
  sharedBy?: number
  /** one call per request try (the CLI's `-v` request log) */
  onRequest?: (entry: RequestLogEntry) => void
  /** the run's interruption (SIGINT / SIGTERM): ends the requests in flight (factory.ts ClientOptions.signal) */
  signal?: AbortSignal
}

/**
 * The registry client's options: TLS (`insecureRegistries`, `caFile`, `clientCertificates`), the
 * request timeout (ms per try; the transport's default when not given) and the request budgets
 * (registry/ratelimit.ts) from the options; a shard's share of every registry's `ratelimit-*`
 * headers from the edge (`sharedBy`).
 */
export function clientOptions(options: EngineOptions, edge: ClientEdge): ClientOptions {
  return {
    credentials: edge.credentials,
    insecureRegistries: options.insecureRegistries,
    caFile: options.caFile,
    clientCertificates: options.clientCertificates,
    retry: options.timeoutMs === undefined ? undefined : { timeoutMs: options.timeoutMs },
    ...(options.requestBudgets || (edge.sharedBy ?? 1) > 1
      ? {
          rateLimit: {
            ...(options.requestBudgets ? { budgets: options.requestBudgets } : {}),
            ...((edge.sharedBy ?? 1) > 1 ? { sharedBy: edge.sharedBy } : {})
          }
        }
      : {}),
    logger: edge.logger,
    ...(edge.onInsecureHost ? { onInsecureHost: edge.onInsecureHost } : {}),
    ...(edge.onSecret ? { onSecret: edge.onSecret } : {}),
    ...(edge.onRequest ? { onRequest: edge.onRequest } : {}),
    ...(edge.signal ? { signal: edge.signal } : {})
  }
}

/** promote()'s options that do not name the image: one run's settings, shared by every image of a file. */
export type PromoteSettings = Omit<PromoteOptions, 'source' | 'targets'>

/** What the interface gives promote() besides the options. */
export interface PromoteEdge {
  dryRun: boolean
  logger: Logger
  /**
   * the environment that says where chunked uploads keep their state and where blobs were seen
   * (XDG_CACHE_HOME: copy/resume.ts defaultUploadStateDir, copy/blob-memory.ts defaultBlobMemoryFile)
   */
  env: NodeJS.ProcessEnv
  /** interrupts the run (SIGINT / SIGTERM) */
  signal?: AbortSignal
  /** the client's request budgets (`client.transport.rateLimits`), used when the options give budgets */
  requestBudget?: RequestBudgetView
  /** the gate and the record, from {@link proofSettings} (absent: neither asked) */
  proof?: ProofSettings
}

/**
 * promote()'s settings from the options: tag policy, moving tags, what travels (not given: promote()'s
 * own default, DEFAULT_REFERRERS), transfers per host, upload mode, the kept upload state (chunked
 * uploads resume from it, copy/resume.ts), where earlier runs saw blobs (mounted from there,
 * copy/blob-memory.ts; one record shared by a promotion file's images), and the client's request budgets when the options give
 * any (the plan accounts for them, copy/budget.ts). A promotion file's image overrides the options it owns
 * (options.ts FILE_OWNED_OPTIONS) by spreading its own over these.
 */
export function promoteSettings(options: EngineOptions, edge: PromoteEdge): PromoteSettings {
  return {
    tagPolicy: options.tagPolicy,
    movingTags: options.movingTags,
    referrers: options.referrers,
    dryRun: edge.dryRun,
    concurrency: options.concurrency,
    uploadMode: options.uploadMode,
    logger: edge.logger,
    signal: edge.signal,
    uploadState: new UploadStateStore(defaultUploadStateDir(edge.env)),
    blobMemory: new BlobMemory(defaultBlobMemoryFile(edge.env)),
    ...(options.platforms ? { platforms: options.platforms } : {}),
    ...(options.requestBudgets && edge.requestBudget ? { requestBudget: edge.requestBudget } : {}),
    ...(edge.proof?.verify ? { verify: edge.proof.verify } : {}),
    ...(edge.proof?.record ? { record: edge.proof.record } : {})
  }
}

/** promote()'s options of issue 20: the verification gate and the promotion record. */
export type ProofSettings = Pick<PromoteOptions, 'verify' | 'record'>

/**
 * The gate's policy and the record's signing from the options (options.ts `proof`: keys and files
 * read, the policy file parsed, proof/load.ts loadProof), for {@link promoteSettings}'s `proof`; and
 * `secrets`: what the interface must mask before anything is written (the signing key's PEM, whole
 * and line by line). Keyless signing uses the options' Fulcio / Rekor / timestamp URLs, else the
 * public-good instance, each request bounded by the request timeout (`timeoutMs`). Nothing is read when no proof option is given (`{ settings: {}, secrets: [] }`).
 * @throws Error naming the option and the rule (an unreadable file, not a PEM key, a bad policy file)
 */
export async function proofSettings(
  options: EngineOptions,
  edge: ProofEdge
): Promise<{ settings: ProofSettings; secrets: string[] }> {
  const words = options.proof
  if (!words) return { settings: {}, secrets: [] }
  const { loadProof, PUBLIC_GOOD } = await import('./proof/load.js')
  const { urls, ...given } = words
  const loaded = await loadProof(given, {
    ...edge,
    urls: { ...PUBLIC_GOOD, ...urls },
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {})
  })
  return {
    settings: {
      ...(loaded.verify ? { verify: loaded.verify } : {}),
      ...(loaded.record ? { record: loaded.record } : {})
    },
    secrets: loaded.secrets
  }
}

/** A file option's path relative to `dir` (a key given as `env://NAME` or PEM text is no path). */
function under(dir: string, value: string | undefined): string | undefined {
  if (value === undefined || notAFile(value)) return value
  return isAbsolute(value) ? value : join(dir, value)
}

/**
 * Why a promotion file's proof keys and the options' are refused together: the images that give
 * their own, each with its keys, the options given (`--verify-key`, `input verify-key`) and the two
 * ways out that work (newuser4 #8: it said "the verification or the record", naming no key).
 */
function mixedProof(
  file: { path: string; images: Array<{ index: number; name: string; proof?: EngineOptions['proof'] }> },
  proof: NonNullable<EngineOptions['proof']>,
  optionNames: 'flags' | 'inputs'
): string {
  const given = proofKeysGiven(proof).map(k =>
    optionNames === 'flags' ? OPTION_FLAGS[k]! : `input ${OPTION_INPUTS[k]!}`
  )
  const words =
    given.length > 1 ? `${given.slice(0, -1).join(', ')} and ${given.at(-1)} were` : `${given[0]} was`
  return `${file.path}: ${fileProofGiven(file.images)} (its own or under defaults), and ${words} given too; the file's keys and the ${optionNames === 'flags' ? 'options' : 'inputs'} are not mixed: give ${given.length > 1 ? 'them' : 'it'} in the file instead, under defaults for every image (an image's own keys win; paths are relative to the file), or remove the file's (from its images and defaults)`
}

/**
 * The gate and the record of each image of a promotion file that gives its own (batch/file.ts
 * FileImage.proof: the same words as the inputs), by image index, for runBatch's `imageProof`: its
 * paths taken relative to the file, then read as {@link proofSettings} reads the options'; and the
 * secrets to mask. Images giving the same words (after the paths are resolved) share one reading,
 * so a file of N images with one key reads it once. The file's words and the options' are not mixed: an image is verified as the file
 * says, or (the file saying nothing) as the options say.
 * @param optionNames `flags` (the CLI) or `inputs` (the action): how the message names the options
 * @throws Error when the options give proof keys too (refused, never one silently ignored): naming
 *   the file's images and their keys, the options given, and the two ways out; or as proofSettings does
 */
export async function fileProofSettings(
  file: { path: string; images: Array<{ index: number; name: string; proof?: EngineOptions['proof'] }> },
  options: EngineOptions,
  edge: ProofEdge,
  optionNames: 'flags' | 'inputs'
): Promise<{ byImage: Map<number, ProofSettings>; secrets: string[] }> {
  const byImage = new Map<number, ProofSettings>()
  const secrets: string[] = []
  const loadedByWords = new Map<string, Awaited<ReturnType<typeof proofSettings>>>()
  const dir = dirname(file.path)
  for (const image of file.images) {
    const words = image.proof
    if (!words) continue
    if (options.proof) throw new Error(mixedProof(file, options.proof, optionNames))
    const proof = {
      ...words,
      ...(words.verifyKey ? { verifyKey: words.verifyKey.map(k => under(dir, k)!) } : {}),
      trustedRoot: under(dir, words.trustedRoot),
      policy: under(dir, words.policy),
      signKey: under(dir, words.signKey)
    }
    // images that give the same words share one reading of their keys, root and policy
    const key = JSON.stringify(proof)
    let loaded = loadedByWords.get(key)
    if (!loaded) {
      loaded = await proofSettings({ ...options, proof }, edge)
      loadedByWords.set(key, loaded)
      secrets.push(...loaded.secrets)
    }
    byImage.set(image.index, loaded.settings)
  }
  return { byImage, secrets }
}
