/**
 * The merge (issue 21): platform images built on separate runners become one index at staging,
 * which is then promoted like any source. Phases: read the sources (sources.ts, reads only) → plan
 * (plan.ts, pure; every refusal named here, before any write) → copy in the children held by
 * another repository (copy/promote.ts by digest, no tag: mounted on the same registry, streamed
 * otherwise) → PUT the index under the staging tag, unless the tag already serves its digest
 * (a re-run writes no manifest: the bytes are deterministic).
 */
import type { RegistryApi, Repository } from '../registry/api.js'
import { silentLogger, type Logger } from '../logger.js'
import type { Manifest, Platform } from '../oci/manifest.js'
import { formatReference } from '../reference/index.js'
import { promote } from '../copy/promote.js'
import { InterruptedError, isAbort, landingLine, signalName } from '../copy/interrupt.js'
import { uninterrupted } from '../registry/uninterrupted.js'
import { targetKey } from '../copy/targets.js'
import { findStaged, readSources, STAGED, type MergeSource } from './sources.js'
import { MergeError, planMerge, type MergePlan } from './plan.js'

export { MergeError } from './plan.js'
export type { MergeSource } from './sources.js'

export interface MergeOptions {
  /** the staging repository and the tag the index is written under */
  to: Repository & { tag: string }
  /** the sources, as parseMergeSource gives them */
  sources: MergeSource[]
  /** the commit whose staged platform images a `staged` source means (GITHUB_SHA) */
  commit?: string
  /** platforms that must be merged (each matched by some child) */
  require?: Platform[]
  /** the input or flag of `require`, for messages (default `merge-platforms`) */
  requireInput?: string
  /** the input or argument of the sources, for messages (default `merge`) */
  input?: string
  /** plan only: nothing written */
  dryRun?: boolean
  logger?: Logger
  signal?: AbortSignal
}

export interface MergeResult {
  /** the index's digest (what the staging tag serves) */
  digest: string
  mediaType: string
  index: Manifest
  plan: MergePlan
  /** `registry/repository:tag` the index was written under */
  reference: string
  /** the index was PUT (false: the tag already served it, or a dry run) */
  indexWritten: boolean
  /** manifest PUTs at staging: the children copied in and the index */
  manifestsPushed: number
  /** entries (images and attestations) copied in from another repository, by digest */
  copiedIn: string[]
}

/** The sources with `staged` replaced by this commit's platform images. */
async function expand(api: RegistryApi, options: MergeOptions): Promise<MergeSource[]> {
  const input = options.input ?? 'merge'
  const out: MergeSource[] = []
  for (const s of options.sources) {
    if (s.kind === 'image') out.push(s)
    else if (!options.commit)
      throw new MergeError([
        `${input} staged: no commit is known (GITHUB_SHA is not set): name the sources instead`
      ])
    else out.push(...(await findStaged(api, options.to, options.commit, input)))
  }
  return out
}

/**
 * With `staged`, two images of one platform are this commit's images from runs with other build
 * inputs (a re-run with changed inputs, a build-arg that varies): the tag names no run, so the way
 * out is to name the images, or delete the stale tag.
 */
function duplicateAdvice(options: MergeOptions): string | undefined {
  if (!options.sources.some(s => s.kind === 'staged')) return undefined
  const input = options.input ?? 'merge'
  const at = `${options.to.registry}/${options.to.repository}`
  return `${STAGED} takes every platform image of this commit, and runs with other build inputs staged these: name the images to merge in ${input} instead of ${STAGED} (a reference or digest per platform), or delete the stale tag at ${at}`
}

/** What the merge wrote so far (the entries copied in), for the message of an interruption. */
interface Written {
  copiedIn: string[]
  pushed: number
}

/**
 * Copies the entries the staging repository lacks from their repositories, by digest (a mount on
 * the same registry; a stream otherwise); nothing for an entry already there. Each entry copied in
 * is noted in `written` as soon as it landed.
 */
async function copyIn(
  api: RegistryApi,
  plan: MergePlan,
  options: MergeOptions,
  written: Written
): Promise<void> {
  const to = { registry: options.to.registry, repository: options.to.repository }
  for (const e of plan.entries) {
    if (targetKey(e.repo) === targetKey(to)) continue
    const result = await promote(api, {
      source: { ...e.repo, reference: e.descriptor.digest },
      targets: [{ repo: to, tags: [] }],
      referrers: false,
      logger: options.logger,
      signal: options.signal
    })
    const t = result.targets[0]
    written.pushed += t?.manifestsPushed ?? 0
    if (t && t.manifestsPushed > 0) written.copiedIn.push(e.descriptor.digest)
  }
}

/**
 * The merge interrupted by `signal` before its index was written (no tag changed): what was copied
 * in (by digest, untagged) is named, and what landed of the entry being copied in (`e`, when the
 * copy-in's promote() was interrupted).
 */
function interrupted(signal: AbortSignal, reference: string, written: Written, e: unknown): InterruptedError {
  const landings = e instanceof InterruptedError ? e.landings : []
  if (!written.copiedIn.length && e instanceof InterruptedError) return e
  const copied = written.copiedIn.length
    ? [
        `${reference}: the index was not written; ${written.copiedIn.length} ${written.copiedIn.length === 1 ? 'entry' : 'entries'} copied in by digest, untagged: ${written.copiedIn.join(', ')}`
      ]
    : []
  const targets = e instanceof InterruptedError ? e.targets : []
  return new InterruptedError(signalName(signal), landings, targets, [
    ...copied,
    ...landings.map(landingLine)
  ])
}

/**
 * Merges the sources into one index at `options.to`. Aborting `options.signal` (SIGINT / SIGTERM)
 * ends the reads and the copying-in at once; once the index's HEAD and PUT have started they finish
 * (registry/uninterrupted.ts), so the staging tag is either written or not, and said so.
 * @returns the index, its digest, what was written
 * @throws MergeError listing every problem found before any write: a source not found, a child an
 *   index lists that the registry lacks, an image whose config names no platform, two images of
 *   one platform, a required platform no image has, `staged` without a commit or with no tag of
 *   it; PromoteError from copying a child in; RegistryError from the staging registry;
 *   InterruptedError (copy/interrupt.ts) when the signal ended it before the index was written:
 *   `interrupted by SIGINT before anything was written`, or naming the entries copied in;
 *   MergeInterruptedError when it came once the index's HEAD and PUT had started (they finish)
 */
export async function mergeImages(api: RegistryApi, options: MergeOptions): Promise<MergeResult> {
  const written: Written = { copiedIn: [], pushed: 0 }
  try {
    return await mergeRun(api, options, written)
  } catch (e) {
    const { signal } = options
    if (signal && (e instanceof InterruptedError || isAbort(e, signal)))
      throw interrupted(signal, formatReference(options.to), written, e)
    throw e
  }
}

/** mergeImages without the translation of a request the signal ended into an InterruptedError. */
async function mergeRun(api: RegistryApi, options: MergeOptions, written: Written): Promise<MergeResult> {
  const log = options.logger ?? silentLogger
  const sources = await expand(api, options)
  const found = await readSources(api, sources)
  if (found.problems.length) throw new MergeError(found.problems)
  const plan = planMerge(found.children, options.require, options.requireInput, duplicateAdvice(options))
  const { index } = plan
  const reference = formatReference(options.to)
  for (const c of plan.children)
    log.info(`merge: ${c.descriptor.digest} ${plan.platforms[plan.children.indexOf(c)]} from ${c.source}`)
  const result: MergeResult = {
    digest: index.digest,
    mediaType: index.mediaType,
    index,
    plan,
    reference,
    indexWritten: false,
    manifestsPushed: 0,
    copiedIn: []
  }
  if (options.dryRun) return result
  await copyIn(api, plan, options, written)
  result.copiedIn = written.copiedIn
  result.manifestsPushed = written.pushed
  if (options.signal?.aborted) throw options.signal.reason
  const to = { registry: options.to.registry, repository: options.to.repository }
  // from here on the merge finishes: the tag is written or not, never left unknown
  const there = await uninterrupted(() => api.headManifest(to, options.to.tag))
  if (there?.digest === index.digest) {
    log.info(`merge: ${reference} already serves ${index.digest}: nothing written`)
    if (options.signal?.aborted) throw new MergeInterruptedError(signalName(options.signal), result)
    return result
  }
  await uninterrupted(() => api.putManifest(to, options.to.tag, index))
  result.indexWritten = true
  result.manifestsPushed++
  // a tag that named another manifest is said to move (two merge jobs racing for one tag show here)
  const moved = there ? `; it named ${there.digest} before` : ''
  log.info(`merge: wrote ${reference} = ${index.digest} (${plan.platforms.join(', ')})${moved}`)
  if (options.signal?.aborted) throw new MergeInterruptedError(signalName(options.signal), result)
  return result
}

/**
 * The signal came while the index's HEAD or PUT was in flight: they finished (the tag is written
 * or not, never left unknown), and the run stops there with the signal's exit status
 * (`interruptedBy`, copy/interrupt.ts interruptedBy: 130 / 143), saying what is at the staging
 * tag: `interrupted by SIGINT while the index was being written: it was written, REF = DIGEST
 * (linux/amd64, linux/arm64); nothing more was done`, or `interrupted by SIGINT: REF already
 * served DIGEST; nothing was written`. Before, the CLI exited 0 without a word and the action said
 * "before anything was written" (newuser6 #19).
 */
export class MergeInterruptedError extends Error {
  /** the signal's name (`SIGINT`, `SIGTERM`), read by copy/interrupt.ts interruptedBy */
  readonly interruptedBy: string
  constructor(
    signal: string,
    readonly result: MergeResult
  ) {
    const { reference, digest, plan } = result
    super(
      result.indexWritten
        ? `interrupted by ${signal} while the index was being written: it was written, ${reference} = ${digest} (${plan.platforms.join(', ')}); nothing more was done`
        : `interrupted by ${signal}: ${reference} already served ${digest}; nothing was written`
    )
    this.name = 'MergeInterruptedError'
    this.interruptedBy = signal
  }
}
