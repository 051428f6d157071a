/**
 * What a platform selection (`--platform`, `promote-platforms`) did to the digest, in one sentence
 * for the CLI's output and the job summary: the plan's `source.selection` (copy/plan.ts) beside the
 * digest promoted. Pure.
 */
import type { PromotePlan } from '../copy/promote.js'

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
  const digest = code(plan.source.digest)
  if (plan.source.digest === from)
    return `${verb} ${platforms.join(', ')} of ${source} as it is (the source's digest)`
  if (platforms.length === 1) return `${verb} ${platforms[0]} of ${source} as its own manifest ${digest}`
  return `${verb} a new index of ${platforms.length} of ${of} platforms (${platforms.join(', ')}) of ${source}: ${digest}, digest differs from the source's`
}
