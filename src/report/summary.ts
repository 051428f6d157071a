/**
 * The job summary (GITHUB_STEP_SUMMARY) and outputs. One of the three places that import
 * @actions/core (with main and inputs).
 */
import * as core from '@actions/core'
import type { PromoteResult } from '../copy/promote.js'
import { Outputs } from '../constants.js'
import { formatBytes, resultRows } from './format.js'

/** The `promoted` output: one entry per target reference (`registry/repository:tag` and `@digest`). */
export function promotedOutput(
  result: PromoteResult
): Array<{ target: string; digest: string; tags: string[]; references: string[] }> {
  return result.plan.targets.map(t => ({
    target: t.target,
    digest: result.digest,
    tags: t.tags.map(x => x.tag),
    references: [`${t.target}@${result.digest}`, ...t.tags.map(x => `${t.target}:${x.tag}`)]
  }))
}

/** Sets the outputs `digest`, `staging-ref`, `promoted`, `plan`, `tags` (the last two empty in a dry run). */
export function setOutputs(result: PromoteResult, stagingRef: string, tags: string[]): void {
  core.setOutput(Outputs.digest, result.digest)
  core.setOutput(Outputs.stagingRef, stagingRef)
  // a dry run promoted nothing and applied no tag: those outputs stay empty, the plan says what would happen
  core.setOutput(Outputs.promoted, JSON.stringify(result.plan.dryRun ? [] : promotedOutput(result)))
  core.setOutput(Outputs.plan, JSON.stringify(result.plan))
  core.setOutput(Outputs.tags, result.plan.dryRun ? '' : tags.join('\n'))
}

/** Writes the job summary when the runner provides GITHUB_STEP_SUMMARY; a no-op elsewhere. */
export async function writeSummary(result: PromoteResult, stagingRef: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return
  const s = core.summary.addHeading(result.plan.dryRun ? 'promote-image: plan (dry run)' : 'promote-image', 2)
  s.addRaw(`Source <code>${stagingRef}</code> = <code>${result.digest}</code> (${result.mediaType})`, true)
  if (result.plan.source.platforms.length)
    s.addRaw(`<p>Platforms: ${result.plan.source.platforms.join(', ')}</p>`, true)
  if (result.plan.dryRun) {
    s.addTable([
      [
        { data: 'target', header: true },
        { data: 'blobs skip / mount / copy', header: true },
        { data: 'bytes to copy', header: true },
        { data: 'tags', header: true }
      ],
      ...result.plan.targets.map(t => [
        t.target,
        `${t.blobs.skip.length} / ${t.blobs.mount.length} / ${t.blobs.copy.length}`,
        formatBytes(t.bytesToCopy),
        t.tags.map(x => `${x.tag} (${x.action})`).join(', ')
      ])
    ])
  } else {
    const [header, ...rows] = resultRows(result)
    s.addTable([header.map(h => ({ data: h, header: true })), ...rows])
  }
  await s.write()
}
