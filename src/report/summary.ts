/**
 * The job summary (GITHUB_STEP_SUMMARY) and outputs. One of the three places that import
 * @actions/core (with main and inputs). The summary is Markdown written for every outcome:
 * a headline (promoted / failed / plan only), the source by digest, the release ref and commit,
 * platforms and attestations apart, per target its state (verified, failed and why, holds the image
 * by digest), the pull-by-digest reference, each tag with create / move / keep and the digest a move
 * leaves, the referrers fallback tags, each referrer and cosign tag with its artifact type, the
 * transfer statistics folded, and the deployment. Strings
 * from registries and the environment are escaped (markdown.ts).
 */
import { appendFile } from 'node:fs/promises'
import * as core from '@actions/core'
import {
  PromoteError,
  TagPolicyError,
  type PromotePlan,
  type PromoteResult,
  type TargetPlan
} from '../copy/promote.js'
import { Outputs } from '../constants.js'
import { formatBytes, resultRows } from './format.js'
import { code, escapeText, link, table } from './markdown.js'
import { proofLines } from './proof.js'

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

/** What the job summary reports; main.ts fills it in as the run goes. */
export interface RunReport {
  dryRun: boolean
  /** the image: as given or staged (`display`), and its digest once resolved */
  source?: { display: string; digest?: string }
  /** GITHUB_REF and GITHUB_SHA, and a link to the commit when the repository is known */
  release: { ref?: string; sha?: string; commitUrl?: string }
  /** the plan, once made (onPlan, or a TagPolicyError's) */
  plan?: PromotePlan
  /** the outcome of a promotion that succeeded */
  result?: PromoteResult
  /** why the run failed */
  error?: Error
  /** the GitHub deployment recorded for the run */
  deployment?: { id: number; environment: string; url?: string; state: string }
}

/**
 * The release of a run from the runner's environment: GITHUB_REF, GITHUB_SHA, and the commit's page
 * (GITHUB_SERVER_URL, default https://github.com, and GITHUB_REPOSITORY) when both are known.
 */
export function releaseOf(env: NodeJS.ProcessEnv): RunReport['release'] {
  const ref = env.GITHUB_REF || undefined
  const sha = env.GITHUB_SHA || undefined
  const server = env.GITHUB_SERVER_URL || 'https://github.com'
  const commitUrl =
    sha && env.GITHUB_REPOSITORY ? `${server}/${env.GITHUB_REPOSITORY}/commit/${sha}` : undefined
  return { ref, sha, commitUrl }
}

/**
 * The page of a deployment environment's deployments (GITHUB_SERVER_URL, default
 * https://github.com, and GITHUB_REPOSITORY); undefined without a repository.
 */
export function deploymentsUrl(env: NodeJS.ProcessEnv, environment: string): string | undefined {
  if (!env.GITHUB_REPOSITORY) return undefined
  const server = env.GITHUB_SERVER_URL || 'https://github.com'
  return `${server}/${env.GITHUB_REPOSITORY}/deployments/${encodeURIComponent(environment)}`
}

/** The summary's headline: what happened. */
export type Outcome = 'promoted' | 'failed' | 'plan'

/** promoted: a result and no error; plan: a dry run that got as far as a plan; failed otherwise. */
export function outcomeOf(r: RunReport): Outcome {
  if (r.result && !r.error) return r.result.plan.dryRun ? 'plan' : 'promoted'
  if (r.dryRun && r.plan && (!r.error || r.error instanceof TagPolicyError)) return 'plan'
  return 'failed'
}

/**
 * Did a PromoteError stop the run before the tag step? The engine says so in its message (its
 * guarantee: no tag was written on any target), and targets it does not list hold the whole image.
 */
function failedBeforeTags(e: PromoteError): boolean {
  return e.message.includes('is incomplete; no tag was written on any target')
}

function headline(r: RunReport, outcome: Outcome): string[] {
  const plan = r.plan ?? r.result?.plan
  const n = plan?.targets.length ?? 0
  const digest = r.source?.digest ? ` ${code(r.source.digest)}` : ''
  if (outcome === 'promoted')
    return n
      ? [`## ✅ Promoted${digest} to ${n} target${n === 1 ? '' : 's'}`]
      : [`## ✅ Staged${digest}`, '', 'No targets: nothing was promoted.']
  if (outcome === 'failed') {
    const e = r.error
    const why =
      e instanceof PromoteError
        ? `${e.failures.length} of ${n} target${n === 1 ? '' : 's'} failed.`
        : escapeText(e?.message ?? 'unknown error')
    return ['## ❌ Promotion failed', '', why]
  }
  const violations = plan?.targets.flatMap(t => t.violations).length ?? 0
  const refused = violations
    ? ` The tag policy refuses ${violations} tag move${violations === 1 ? '' : 's'}: the promotion would fail before any write.`
    : ''
  return ['## 📋 Plan only (dry run)', '', `Nothing was written.${refused}`]
}

function sourceLines(r: RunReport, plan: PromotePlan | undefined): string[] {
  const lines: string[] = []
  if (r.source) {
    const media = plan ? ` (${code(plan.source.mediaType)})` : ''
    const digest = r.source.digest ? ` = ${code(r.source.digest)}${media}` : ''
    lines.push(`**Source**: ${code(r.source.display)}${digest}`)
  }
  const { ref, sha, commitUrl } = r.release
  if (ref || sha) {
    const commit = sha ? `commit ${link(code(sha), commitUrl)}` : ''
    lines.push(`**Release**: ${[ref ? code(ref) : '', commit].filter(Boolean).join(' at ')}`)
  }
  const platforms = plan?.source.platforms ?? []
  const runnable = platforms.filter(p => p !== 'unknown/unknown')
  if (runnable.length) lines.push(`**Platforms**: ${runnable.map(code).join(', ')}`)
  if (runnable.length < platforms.length)
    lines.push(
      `**Attestations**: ${code('unknown/unknown')} manifests (build provenance, SBOM), not platforms`
    )
  return lines.flatMap(l => [l, ''])
}

/** Where a target stands: its mark and line, whether it holds the image, whether its tags were written. */
interface TargetStatus {
  mark: string
  line: string
  holds: boolean
  applied?: boolean
}

/** The {@link TargetStatus} of `t` in a run whose outcome is `outcome`. */
function targetStatus(r: RunReport, outcome: Outcome, t: TargetPlan): TargetStatus {
  const digest = r.source?.digest ?? ''
  if (outcome === 'plan') {
    const line = t.violations.length ? t.violations.map(v => `⛔ ${escapeText(v)}`).join('<br>') : 'Planned.'
    return { mark: t.violations.length ? '⛔' : '📋', line, holds: false }
  }
  if (outcome === 'promoted') {
    const ok = r.result?.targets.find(x => x.target === t.target)?.verified
    return ok
      ? {
          mark: '✅',
          line: `Verified: serves ${code(digest)} by digest and under every tag.`,
          holds: true,
          applied: true
        }
      : { mark: '⚠️', line: 'Not verified.', holds: true, applied: true }
  }
  const e = r.error
  if (e instanceof TagPolicyError)
    return {
      mark: '⛔',
      line: t.violations.map(v => `⛔ ${escapeText(v)}`).join('<br>') || 'Nothing written.',
      holds: false
    }
  if (!(e instanceof PromoteError)) return { mark: '❔', line: 'State unknown: see the log.', holds: false }
  const failure = e.failures.find(f => f.target === t.target)
  if (failure) return { mark: '❌', line: `Failed: ${escapeText(failure.error.message)}`, holds: false }
  return failedBeforeTags(e)
    ? { mark: '☑️', line: 'Holds the whole image by digest; no tag written.', holds: true }
    : { mark: '✅', line: 'Complete: tags written and verified.', holds: true, applied: true }
}

function tagLines(t: TargetPlan, applied: boolean): string[] {
  const rows = t.tags.map(x => [code(x.tag), x.action, x.action === 'move' && x.from ? code(x.from) : ''])
  const tags = rows.length
    ? table(['tag', applied ? 'action' : 'planned action', 'moved from'], rows)
    : ['No tags: by digest only.']
  const referrers = t.referrerTags.length
    ? t.referrerTags.map(x => `${code(x.tag)} (${x.action})`).join(', ')
    : 'none'
  return [
    ...tags,
    '',
    `Referrers and signatures${applied ? ' copied' : ''}: ${referrers}`,
    '',
    ...referrerTable(t)
  ]
}

/** Each referrer and cosign tag that travels to `t`, with its artifact type (nothing when none). */
function referrerTable(t: TargetPlan): string[] {
  const rows = [
    ...(t.referrers ?? []).map(r => [
      code(r.digest),
      r.artifactType ? code(r.artifactType) : '',
      code(r.subject),
      r.listedBy === 'referrers API' ? 'referrers API' : code(r.listedBy),
      r.action
    ]),
    ...(t.signatureTags ?? []).map(s => [code(s.tag), code(s.artifactType), code(s.digest), 'tag', s.action])
  ]
  if (!rows.length) return []
  return table(['referrer or signature tag', 'artifact type', 'of / digest', 'listed by', 'action'], rows)
}

function targetSection(r: RunReport, outcome: Outcome, t: TargetPlan): string[] {
  const { mark, line, holds, applied } = targetStatus(r, outcome, t)
  const digest = r.source?.digest
  const pull = digest
    ? [`${holds ? 'Pull by digest' : 'By digest, once promoted'}: ${code(`${t.target}@${digest}`)}`, '']
    : []
  return [`### ${mark} ${code(t.target)}`, '', line, '', ...pull, ...tagLines(t, applied === true), '']
}

function statistics(r: RunReport, plan: PromotePlan): string[] {
  const right: Array<'left' | 'right'> = ['left', 'right', 'right', 'right', 'right', 'right', 'right']
  if (r.result && !plan.dryRun) {
    // the log's result table without its tags column (the target sections list the tags)
    const all = resultRows(r.result)
    const tags = all[0].indexOf('tags')
    const [header, ...rows] = all.map(row => row.filter((_, i) => i !== tags))
    for (const row of rows) row[0] = code(row[0])
    const total = `Read ${formatBytes(r.result.bytesRead)} from the source; ${r.result.seconds.toFixed(2)} s in all.`
    return [...table(header, rows, right), '', total]
  }
  const rows = plan.targets.map(t => [
    code(t.target),
    String(t.blobs.skip.length),
    String(t.blobs.mount.length),
    String(t.blobs.copy.length),
    formatBytes(t.bytesToCopy),
    String(t.manifests.push.length),
    String(t.manifests.present.length)
  ])
  const header = ['target', 'blobs to skip', 'mount', 'copy', 'bytes to copy', 'manifests to push', 'present']
  return table(header, rows, right)
}

function footer(r: RunReport, plan: PromotePlan | undefined): string[] {
  const lines: string[] = []
  const e = r.error
  if (e instanceof PromoteError && failedBeforeTags(e))
    lines.push(
      'No tag was created or moved on any target: a re-run copies what is missing, then writes the tags.',
      ''
    )
  if (e instanceof TagPolicyError && !r.dryRun) lines.push('Nothing was written to any target.', '')
  if (plan?.targets.length)
    lines.push(
      '<details><summary>Transfer statistics</summary>',
      '',
      ...statistics(r, plan),
      '',
      '</details>',
      ''
    )
  const d = r.deployment
  if (d)
    lines.push(`**Deployment**: ${link(code(d.environment), d.url)} (id ${d.id}, ${escapeText(d.state)})`, '')
  return lines
}

/** The job summary of a run, as Markdown (every outcome: promoted, failed, plan only). Pure. */
export function summaryMarkdown(r: RunReport): string {
  const outcome = outcomeOf(r)
  const plan = r.plan ?? r.result?.plan
  const lines = [
    ...headline(r, outcome),
    '',
    ...sourceLines(r, plan),
    ...proofLines(plan),
    ...(plan?.targets ?? []).flatMap(t => targetSection(r, outcome, t)),
    ...footer(r, plan)
  ]
  return (
    lines
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trimEnd() + '\n'
  )
}

/**
 * Appends the run's summary to the file GITHUB_STEP_SUMMARY names (a no-op without it). A failure
 * to write it is a warning through `warn`, never a failed run.
 */
export async function writeSummary(r: RunReport, warn: (m: string) => void): Promise<void> {
  const file = process.env.GITHUB_STEP_SUMMARY
  if (!file) return
  try {
    await appendFile(file, summaryMarkdown(r), 'utf8')
  } catch (e) {
    warn(`job summary not written: ${(e as Error).message}`)
  }
}
