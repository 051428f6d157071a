/**
 * What a platform selection (`--platform`, `promote-platforms`) did to the digest, in one sentence
 * for the CLI's output and the job summary: the plan's `source.selection` (copy/plan.ts) beside the
 * digest promoted. Pure.
 */
import type { PromotePlan } from '../copy/promote.js'

/**
 * The digest promoted (or, in a dry run, that would be): the plan's root, `plan.source.digest` —
 * with a platform selection the chosen child's own or the new index's, which the targets serve; the
 * source's digest (`plan.source.selection.from`) is not at the targets. The one reading of "the
 * digest that was promoted" for the outputs (`digest`, `promoted`), the job summary (Digest, Pull by
 * digest) and the log's last line.
 * @returns `sha256:<hex>`
 */
export function promotedDigest(plan: Pick<PromotePlan, 'source'>): string {
  return plan.source.digest
}

/**
 * The source's own digest when a platform selection promoted another one (`selection.from`), else
 * undefined: the digest the job summary's From line and the log add, where it exists.
 */
export function sourceDigestIfOther(plan: Pick<PromotePlan, 'source'>): string | undefined {
  const from = plan.source.selection?.from
  return from !== undefined && from !== promotedDigest(plan) ? from : undefined
}

/**
 * The sentence, or undefined when no platforms were chosen:
 * - one platform, a child of an index: `promoted linux/amd64 of REPO@sha256:… as its own manifest sha256:…`
 * - several: `promoted a new index of 2 of 3 platforms (linux/amd64, linux/arm64) of REPO@sha256:…:
 *   sha256:…, digest differs from the source's`
 * - every platform (or a single image's own): `promoted linux/amd64, linux/arm64 of REPO@sha256:…
 *   as it is (the source's digest)`
 * @param repository the source as `registry/repository` (no tag or digest)
 * @param dryRun the plan of a dry run: `would promote` instead of `promoted`
 * @param show how a reference or digest (`code`) and the platforms (`text`, the registry's strings)
 *   are shown: as they are (the CLI), or in code spans and escaped (the job summary)
 */
export function selectionText(
  plan: Pick<PromotePlan, 'source' | 'dryRun'>,
  repository: string,
  show: { code: (text: string) => string; text: (text: string) => string } = { code: t => t, text: t => t }
): string | undefined {
  const selection = plan.source.selection
  if (!selection) return undefined
  const { from, of } = selection
  const platforms = selection.platforms.map(show.text)
  const code = show.code
  const verb = plan.dryRun ? 'would promote' : 'promoted'
  const source = code(`${repository}@${from}`)
  const digest = code(promotedDigest(plan))
  if (promotedDigest(plan) === from)
    return `${verb} ${platforms.join(', ')} of ${source} as it is (the source's digest)`
  if (platforms.length === 1) return `${verb} ${platforms[0]} of ${source} as its own manifest ${digest}`
  return `${verb} a new index of ${platforms.length} of ${of} platforms (${platforms.join(', ')}) of ${source}: ${digest}, digest differs from the source's`
}
