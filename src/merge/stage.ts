/**
 * The action's merge phase (issue 21): the `merge` sources (references, digests, `staged`) merged
 * into one index at `staging-image`, whose digest the promote phase then promotes like any source
 * (gate, referrers, tags last) in the same step. Every input is checked before any request.
 */
import type { RegistryApi } from '../registry/api.js'
import type { Logger } from '../logger.js'
import { parsePlatforms } from '../copy/platforms.js'
import { formatReference, type Reference } from '../reference/index.js'
import { mergeImages, type MergeResult } from './merge.js'
import { parseMergeSource } from './sources.js'
import { OPTION_INPUTS } from '../options.js'

/** What the merge phase needs: the inputs as given, and the run's context. */
export interface MergeStageInput {
  /** `staging-image`: where the index is written (its tag; default `sha-<commit 12 hex>`) */
  staging: Reference
  /** `merge`: the sources, one per entry */
  sources: string[]
  /** `merge-platforms`: platforms that must be merged */
  platforms: string[]
  /** GITHUB_SHA: the commit `staged` means, and the default tag */
  commit?: string
  dryRun?: boolean
  logger?: Logger
  signal?: AbortSignal
}

/**
 * The tag the merged index is written under: the staging-image's, else `sha-<commit 12 hex>` (one
 * per commit, so a re-run of the merge job finds the same tag serving the same digest).
 * @param input the input or flag that gave `staging`, for the message (the CLI's `--to`)
 * @throws Error naming `staging-image` (or `input`) when it has no tag and no commit is known
 */
export function mergeTag(staging: Reference, commit: string | undefined, input = 'staging-image'): string {
  if (staging.tag) return staging.tag
  if (commit && /^[0-9a-f]{12,64}$/.test(commit)) return `sha-${commit.slice(0, 12)}`
  throw new Error(
    `${input} ${formatReference(staging)}: give the tag the merged index is written under (no commit is known to name it)`
  )
}

/**
 * Checks the inputs (sources, platforms, tag) before any request, then merges.
 * @returns the merge's result and the reference written (`registry/repository:tag`)
 * @throws Error naming `merge` / `merge-platforms` / `staging-image` for bad input; MergeError
 *   listing every problem found before any write; errors of the registries
 */
export async function mergeStage(api: RegistryApi, input: MergeStageInput): Promise<MergeResult> {
  const tag = mergeTag(input.staging, input.commit)
  const to = { registry: input.staging.registry, repository: input.staging.repository, tag }
  const sources = input.sources.map(s =>
    parseMergeSource(s, to, 'merge', host => `${OPTION_INPUTS.insecureRegistries}: ${host}`)
  )
  const require = parsePlatforms(input.platforms, 'merge-platforms')
  return mergeImages(api, {
    to,
    sources,
    commit: input.commit,
    require,
    requireInput: 'merge-platforms',
    input: 'merge',
    dryRun: input.dryRun,
    logger: input.logger,
    signal: input.signal
  })
}
