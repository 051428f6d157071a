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
import { targetKey } from '../copy/targets.js'
import { findStaged, readSources, type MergeSource } from './sources.js'
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
 * Copies the entries the staging repository lacks from their repositories, by digest (a mount on
 * the same registry; a stream otherwise); nothing for an entry already there.
 * @returns the digests copied in and the manifest PUTs made
 */
async function copyIn(
  api: RegistryApi,
  plan: MergePlan,
  options: MergeOptions
): Promise<{ copiedIn: string[]; pushed: number }> {
  const to = { registry: options.to.registry, repository: options.to.repository }
  const copiedIn: string[] = []
  let pushed = 0
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
    pushed += t?.manifestsPushed ?? 0
    if (t && t.manifestsPushed > 0) copiedIn.push(e.descriptor.digest)
  }
  return { copiedIn, pushed }
}

/**
 * Merges the sources into one index at `options.to`.
 * @returns the index, its digest, what was written
 * @throws MergeError listing every problem found before any write: a source not found, a child an
 *   index lists that the registry lacks, an image whose config names no platform, two images of
 *   one platform, a required platform no image has, `staged` without a commit or with no tag of
 *   it; PromoteError from copying a child in; RegistryError from the staging registry
 */
export async function mergeImages(api: RegistryApi, options: MergeOptions): Promise<MergeResult> {
  const log = options.logger ?? silentLogger
  const sources = await expand(api, options)
  const found = await readSources(api, sources)
  if (found.problems.length) throw new MergeError(found.problems)
  const plan = planMerge(found.children, options.require, options.requireInput)
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
  const { copiedIn, pushed } = await copyIn(api, plan, options)
  result.copiedIn = copiedIn
  result.manifestsPushed = pushed
  const to = { registry: options.to.registry, repository: options.to.repository }
  const there = await api.headManifest(to, options.to.tag)
  if (there?.digest === index.digest) {
    log.info(`merge: ${reference} already serves ${index.digest}: nothing written`)
    return result
  }
  await api.putManifest(to, options.to.tag, index)
  result.indexWritten = true
  result.manifestsPushed++
  log.info(`merge: wrote ${reference} = ${index.digest} (${plan.platforms.join(', ')})`)
  return result
}
