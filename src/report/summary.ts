/**
 * The job summary (GITHUB_STEP_SUMMARY) and outputs. One of the three places that import
 * @actions/core (with main and inputs). The summary is a release record in Markdown, written for
 * every outcome (promoted / failed / plan only) in one shape: a headline naming the image, the
 * version and how many registries; what was refused or failed, why, the remedy that works and
 * whether anything was written; the image's digest in full (once), platforms and attestations by
 * what they attest; the gate and records (proof.ts); a row per target (result, each tag, short
 * digests); the `target@digest` references in a code block; the referrers and cosign tags in one
 * table, counted; the transfer statistics folded; the deployment. Registry and environment text is
 * clipped (names.ts) and escaped (markdown.ts); summary and outputs stay under GitHub's 1 MiB
 * (limit.ts).
 */
import { appendFile } from 'node:fs/promises'
import * as core from '@actions/core'
import {
  failedBeforeTags,
  namingTags,
  PromoteError,
  standingAfter,
  TagPolicyError,
  type PromotePlan,
  type PromoteResult,
  type TargetPlan
} from '../copy/promote.js'
import { Outputs } from '../constants.js'
import { InterruptedError } from '../copy/interrupt.js'
import { DEFAULT_MOVING_TAGS } from '../copy/defaults.js'
import { parseReference } from '../reference/index.js'
import { promotedDigest, selectionText, sourceDigestIfOther } from './selection.js'
import { formatBytes } from './format.js'
import { capJson, capMarkdown, SUMMARY_LIMIT } from './limit.js'
import { code, escapeText, link, table } from './markdown.js'
import {
  artifactName,
  attestationText,
  clip,
  cosignTagName,
  mediaTypeName,
  reachText,
  releaseTitle,
  shortDigest,
  shortTag,
  tagCell
} from './names.js'
import { inline } from './neutralise.js'
import { proofLines } from './proof.js'
import { refusalLines, refusalsOf, refusedCount } from './refusals.js'

/**
 * The `promoted` output: one entry per target reference (`registry/repository:tag` and `@digest`);
 * a held rolling tag (plan.ts namingTags) names a newer release there, so it is not listed.
 */
export function promotedOutput(
  result: PromoteResult
): Array<{ target: string; digest: string; tags: string[]; references: string[] }> {
  return result.plan.targets.map(t => {
    const tags = namingTags(t)
    return {
      target: t.target,
      digest: promotedDigest(result.plan),
      tags,
      references: [`${t.target}@${promotedDigest(result.plan)}`, ...tags.map(tag => `${t.target}:${tag}`)]
    }
  })
}

/**
 * Sets output `name` to `value` as JSON, at most limit.ts OUTPUT_LIMIT bytes; what had to be cut
 * is said in a warning naming the output.
 */
export function setJsonOutput(name: string, value: unknown): void {
  const { text, cut } = capJson(value)
  if (cut) core.warning(`output "${name}" cut: ${cut}`)
  core.setOutput(name, text)
}

/**
 * Sets the outputs `digest`, `staging-ref`, `promoted`, `plan`, `tags` (the last two empty in a dry
 * run); `tags` lists a tag only when it names the image at every target that plans it: one held
 * (plan.ts namingTags: a rolling tag naming a newer release there) at any target is left out, and
 * `promoted` has each target's.
 */
export function setOutputs(result: PromoteResult, stagingRef: string, tags: string[]): void {
  core.setOutput(Outputs.digest, promotedDigest(result.plan))
  core.setOutput(Outputs.stagingRef, stagingRef)
  // a dry run promoted nothing and applied no tag: those outputs stay empty, the plan says what would happen
  setJsonOutput(Outputs.promoted, result.plan.dryRun ? [] : promotedOutput(result))
  setJsonOutput(Outputs.plan, result.plan)
  const planning = (tag: string) => result.plan.targets.filter(t => t.tags.some(x => x.tag === tag))
  const applied = tags.filter(tag => {
    const at = planning(tag)
    return !at.length || at.every(t => namingTags(t).includes(tag))
  })
  core.setOutput(Outputs.tags, result.plan.dryRun ? '' : applied.join('\n'))
}

/**
 * The outputs of a run that failed after its plan (a PromoteError: some targets may be complete):
 * `digest` and `staging-ref` (known before any write), and `promoted` for the targets that hold
 * the image with every tag of their plan (none failed there), in the success shape, so
 * a step under `if: always()` learns what was promoted where.
 */
export function setFailedOutputs(plan: PromotePlan, stagingRef: string, e: PromoteError): void {
  const digest = promotedDigest(plan)
  core.setOutput(Outputs.digest, digest)
  core.setOutput(Outputs.stagingRef, stagingRef)
  const failed = new Set(e.failures.map(f => f.target))
  const wanted = (target: string): string[] => {
    const t = plan.targets.find(x => x.target === target)
    return t ? namingTags(t) : []
  }
  const complete = e.targets.filter(
    t =>
      t.holdsImage &&
      !t.error &&
      !failed.has(t.reference) &&
      wanted(t.reference).every(tag => t.tagged.includes(tag))
  )
  setJsonOutput(
    Outputs.promoted,
    complete.map(t => ({
      target: t.reference,
      digest,
      tags: t.tagged,
      references: [`${t.reference}@${digest}`, ...t.tagged.map(x => `${t.reference}:${x}`)]
    }))
  )
}

/** What the job summary reports; main.ts fills it in as the run goes. */
export interface RunReport {
  dryRun: boolean
  /** what this run's build pushed to the staging registry (a reused or given image: none) */
  built?: { reference: string; digest: string }
  /**
   * `push: false`: what this run built and did not push (`digest`: buildx's, or `''`), and how many
   * targets the inputs named (none was written to)
   */
  builtOnly?: {
    reference: string
    digest: string
    targets: number
    /** what it wrote to registries, in words: nothing, or the build cache cache-to exported */
    writes: string
  }
  /** the image: as given or staged (`display`), and its digest once resolved */
  source?: { display: string; digest?: string }
  /** GITHUB_REF and GITHUB_SHA, and a link to the commit when the repository is known */
  release: { ref?: string; sha?: string; commitUrl?: string }
  /**
   * what the inputs asked, known before any request: the first target (`registry/repository`; none
   * without targets) and the tags (every target's, and the computed ones): the title's name and
   * version until a plan exists
   */
  intended?: { target?: string; tags: string[] }
  /** the plan, once made (onPlan, or a TagPolicyError's) */
  plan?: PromotePlan
  /** the outcome of a promotion that succeeded */
  result?: PromoteResult
  /** why the run failed */
  error?: Error
  /** the run's `moving-tags` (a refusal's remedy adds to them; default latest, edge) */
  movingTags?: string[]
  /** the GitHub deployment recorded for the run, or why it was not (`error`: the promotion stands) */
  deployment?:
    { id: number; environment: string; url?: string; state: string } | { environment: string; error: string }
  /**
   * a dry run of `merge` whose index is not at staging yet: what it would write (its promotion
   * cannot be planned before the index exists)
   */
  mergePlan?: { reference: string; digest: string; platforms: string[] }
  /**
   * the index the `merge` phase made at staging and the run then promoted: where, its digest, its
   * platform images' platforms (attestation manifests not counted), and whether this run wrote it
   * (false: the tag already served that digest, or a dry run)
   */
  merge?: { reference: string; digest: string; platforms: string[]; written: boolean }
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

/**
 * promoted: a result (an error after it, e.g. writing the outputs, does not undo it); plan: a dry
 * run that got as far as a plan; failed otherwise.
 */
export function outcomeOf(r: RunReport): Outcome {
  // a promotion that completed stays promoted whatever failed after it (the outputs, the summary file)
  if (r.result) return r.result.plan.dryRun ? 'plan' : 'promoted'
  if (r.dryRun && r.plan && (!r.error || r.error instanceof TagPolicyError)) return 'plan'
  return 'failed'
}

/** The verification gate refused the source (proof/gate.ts GateError: nothing was written). */
const isGateError = (e: Error | undefined): boolean => e?.name === 'GateError'

/**
 * The build or its push to staging failed (build/driver.ts BuildError): the promotion never began.
 * By name, as the other phases' errors are: report/ does not import the build's driver.
 */
const isBuildError = (e: Error | undefined): boolean => e?.name === 'BuildError'

/** The merge refused its sources (merge/plan.ts MergeError: thrown before any write). */
const isMergeError = (e: Error | undefined): boolean => e?.name === 'MergeError'

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`

/**
 * `app v1.4.2`: the first target's image name (else the source's) and the version its tags say
 * (else the release's): from the plan, or before one exists from what the inputs asked, so an
 * early failure is titled as the promotion would have been.
 */
function titleOf(r: RunReport, plan: PromotePlan | undefined): string {
  const tags = plan
    ? [...new Set(plan.targets.flatMap(t => t.tags.map(x => x.tag)))]
    : (r.intended?.tags ?? [])
  const target = plan ? plan.targets[0]?.target : r.intended?.target
  return releaseTitle(target ?? r.source?.display, tags, r.release.ref)
}

function headline(r: RunReport, outcome: Outcome, plan: PromotePlan | undefined): string[] {
  const name = titleOf(r, plan)
  const targets = plan?.targets.map(t => t.target) ?? []
  const reach = reachText(targets)
  const refused = plan ? refusedCount(plan) : 0
  const e = r.error
  if (outcome === 'promoted') {
    // a merge run: the index was merged (the line under it says of how many images, and whether
    // this run wrote it), then promoted
    if (!targets.length)
      return [
        // a given source (or an image an earlier run staged) was not staged by this run
        `## ✅ ${name}${r.merge ? ' merged at staging' : r.built ? ' staged' : ': no targets, nothing promoted'}`,
        '',
        'No targets: nothing was promoted.'
      ]
    const done = `${name} ${r.merge ? 'merged and promoted' : 'promoted'} to ${reach}`
    return [e ? `## ⚠️ ${done}; then the step failed` : `## ✅ ${done}`]
  }
  if (outcome === 'plan')
    return refused
      ? [`## 📋 ${name} would not be promoted: the tag policy would refuse ${plural(refused, 'tag')}`]
      : [`## 📋 ${name} would be promoted to ${reach}`]
  if (e instanceof TagPolicyError)
    return [`## ❌ ${name} not promoted: the tag policy refused ${plural(refused, 'tag')}`]
  if (isGateError(e)) return [`## ❌ ${name} not promoted: the verification gate refused it`]
  if (isMergeError(e)) return ['## ❌ Merge refused']
  if (isBuildError(e)) return ['## ❌ Build failed']
  if (e instanceof PromoteError) {
    const failed = `${e.failures.length} of ${plural(targets.length, 'target')} failed`
    return [failedBeforeTags(e) ? `## ❌ ${name} not promoted: ${failed}` : `## ❌ ${name}: ${failed}`]
  }
  return [r.source ? `## ❌ ${name} not promoted` : '## ❌ Promotion failed']
}

/**
 * What a dry run wrote: nothing, or (with a build) nothing to the targets, while the build pushed
 * its image to staging (a dry run still builds, to have something to plan the promotion of).
 */
function dryRunLine(r: RunReport): string {
  if (!r.built) return '**Dry run**: nothing was written; this is what the promotion would do.'
  return `**Dry run**: nothing was written to the targets; the build pushed ${code(clip(r.built.reference, 400))} to the staging registry; this is what the promotion would do.`
}

/** Right under the headline: what was refused or failed, why, the remedy, and whether anything was written. */
function outcomeLines(r: RunReport, outcome: Outcome, plan: PromotePlan | undefined): string[] {
  const e = r.error
  const moving = r.movingTags ?? [...DEFAULT_MOVING_TAGS]
  if (outcome === 'promoted') return e ? [`**Then failed**: ${escapeText(clip(e.message, 4000))}`] : []
  if (outcome === 'plan') return [...(plan ? refusalLines(plan, moving, true) : []), dryRunLine(r)]
  if (e instanceof TagPolicyError)
    return [...refusalLines(plan ?? e.plan, moving, false), 'Nothing was written to any target.']
  if (isGateError(e))
    return [
      'The source did not pass the verification checks below.',
      '',
      'Nothing was written to any target.'
    ]
  if (isMergeError(e))
    return [escapeText(clip(e!.message, 4000)), '', 'Nothing was written at staging or at any target.']
  // the push to staging may have sent some blobs before it failed; no target was written to
  if (isBuildError(e)) return [escapeText(clip(e!.message, 4000)), '', 'Nothing was promoted to any target.']
  if (e instanceof PromoteError) {
    const lines = e.failures.flatMap(f => [
      `**Failed at ${code(f.target)}**: ${escapeText(clip(f.error.message, 2000))}`,
      ''
    ])
    if (failedBeforeTags(e))
      lines.push(
        'No tag was created or moved on any target: a re-run copies what is missing, then writes the tags.'
      )
    return lines
  }
  return [escapeText(clip(e?.message ?? 'unknown error', 4000))]
}

/**
 * What the merge phase made, under the headline: `**Merged**: 2 platform images into index
 * <code>sha256:0123456789ab</code>, written at <code>REF</code>.` (or `already at <code>REF</code>
 * (not written again).`); the count is that of the platforms the Platforms line lists.
 */
function mergeLines(r: RunReport): string[] {
  const m = r.merge
  if (!m) return []
  const at = m.written
    ? `written at ${code(clip(m.reference, 400))}`
    : `already at ${code(clip(m.reference, 400))} (not written again)`
  return [
    `**Merged**: ${plural(m.platforms.length, 'platform image')} into index ${code(shortDigest(m.digest))}, ${at}.`,
    ''
  ]
}

/** `registry/repository` of a reference as displayed (its tag or digest dropped); the text when it does not parse. */
function repositoryOf(display: string): string {
  try {
    const ref = parseReference(display)
    return `${ref.registry}/${ref.repository}`
  } catch {
    return display
  }
}

/**
 * The digest the summary gives as the image's (Digest, Pull by digest): the one promoted, once
 * planned (selection.ts promotedDigest); before a plan, the source's as resolved.
 */
function digestOf(r: RunReport, plan: PromotePlan | undefined): string | undefined {
  return plan ? promotedDigest(plan) : r.source?.digest
}

/**
 * What the run was made from, named for what it is (newuser6 #25: a branch run said `Release`): a
 * tag ref `**Release**: <code>refs/tags/v1.0.0</code> at commit …`, a branch `**Branch**:
 * <code>main</code> at commit …`, another ref (a pull request's) `**Ref**: <code>refs/pull/3/merge</code>
 * at commit …`, a commit alone `**Commit**: …`; '' with neither.
 */
function releaseLine({ ref, sha, commitUrl }: RunReport['release']): string {
  const commit = sha ? (commitUrl ? link(code(sha.slice(0, 7)), commitUrl) : code(clip(sha))) : ''
  if (!ref) return commit ? `**Commit**: ${commit}` : ''
  const at = commit ? ` at commit ${commit}` : ''
  if (ref.startsWith('refs/tags/')) return `**Release**: ${code(clip(ref))}${at}`
  if (ref.startsWith('refs/heads/')) return `**Branch**: ${code(clip(ref.slice('refs/heads/'.length)))}${at}`
  return `**Ref**: ${code(clip(ref))}${at}`
}

/** The image: its digest in full (the one place), what it is, its platforms and attestations, where from, the release. */
function imageLines(r: RunReport, plan: PromotePlan | undefined): string[] {
  const lines: string[] = []
  const digest = digestOf(r, plan)
  if (digest) {
    const what = plan ? `, ${mediaTypeName(plan.source.mediaType)}` : ''
    lines.push(`**Digest**: ${code(digest)}${what}`)
  }
  // a platform selection promoted another digest: the source's is said here, where it exists
  const from = plan && sourceDigestIfOther(plan)
  const index = from && !r.source?.display.endsWith(`@${from}`) ? `, index ${code(from)}` : ''
  if (r.source) lines.push(`**From**: ${code(clip(r.source.display, 400))}${index}`)
  const release = releaseLine(r.release)
  if (release) lines.push(release)
  const runnable = (plan?.source.platforms ?? []).filter(p => p !== 'unknown/unknown')
  if (runnable.length) lines.push(`**Platforms**: ${runnable.map(p => code(clip(p))).join(', ')}`)
  const selected =
    plan && r.source && selectionText(plan, repositoryOf(r.source.display), { code, text: escapeText })
  if (selected) lines.push(`**Platforms chosen**: ${selected}`)
  const attested = plan && attestationText(plan.source)
  if (attested) lines.push(`**Attestations**: ${attested}`)
  return lines.flatMap(l => [l, ''])
}

/** Where a target stands: its result cell, whether it holds the image, whether its tags were written. */
interface TargetStatus {
  result: string
  holds: boolean
  applied: boolean
  /** of a failed target: the tags that point at the image there now (copy/ledger.ts status) */
  tagged?: string[]
}

/**
 * A failed target as the PromoteError's status says it stands (copy/ledger.ts TargetStatus): it may
 * hold the image and its tags, the failure having come after them (the promotion record, the
 * verification of the tags).
 */
function failedStatus(e: PromoteError, t: TargetPlan): TargetStatus {
  const at = e.targets.find(s => s.reference === t.target)
  if (!at?.holdsImage) return { result: '❌ failed', holds: false, applied: false }
  const all = namingTags(t).every(tag => at.tagged.includes(tag))
  const record = e.failures.find(f => f.target === t.target)?.error.message.startsWith('promotion record:')
  const result = !all
    ? '❌ failed; holds the image'
    : record
      ? '❌ tagged; the record was not written'
      : '❌ failed after the tags were written'
  return { result, holds: true, applied: false, tagged: at.tagged }
}

/**
 * Where a target stands after an interruption (copy/interrupt.ts: no tag was changed anywhere), as
 * the message above the table says it: `➖ interrupted: 1 of 2 blobs landed, no tag`, or `☑️
 * interrupted: holds the image, no tag` when everything but the tags is there.
 */
function interruptedStatus(e: InterruptedError, target: string): TargetStatus {
  const holds = e.targets.find(x => x.reference === target)?.holdsImage ?? false
  if (holds) return { result: '☑️ interrupted: holds the image, no tag', holds: true, applied: false }
  const l = e.landings.find(x => x.target === target)
  const landed = l ? `${l.blobsLanded} of ${plural(l.blobsPlanned, 'blob')} landed` : 'nothing landed'
  return { result: `➖ interrupted: ${landed}, no tag`, holds: false, applied: false }
}

/** The {@link TargetStatus} of `t` in a run whose outcome is `outcome`. */
function targetStatus(r: RunReport, outcome: Outcome, t: TargetPlan): TargetStatus {
  const notWritten = { result: '➖ not written', holds: false, applied: false }
  if (outcome === 'plan')
    return {
      result: t.violations.length ? '⛔ would be refused' : '📋 planned',
      holds: false,
      applied: false
    }
  if (outcome === 'promoted') {
    const ok = r.result?.targets.find(x => x.target === t.target)?.verified
    return { result: ok ? '✅ verified' : '⚠️ not verified', holds: true, applied: true }
  }
  const e = r.error
  if (e instanceof TagPolicyError)
    return t.violations.length ? { ...notWritten, result: '⛔ refused' } : notWritten
  if (isGateError(e)) return notWritten
  if (e instanceof InterruptedError) return interruptedStatus(e, t.target)
  if (!(e instanceof PromoteError))
    // an error that ended the run before any write (copy/promote.ts standingAfter: no target standing)
    return standingAfter(e)?.length === 0
      ? notWritten
      : { result: '❔ unknown: see the log', holds: false, applied: false }
  if (e.failures.some(f => f.target === t.target)) return failedStatus(e, t)
  return failedBeforeTags(e)
    ? { result: '☑️ holds the image, no tag', holds: true, applied: false }
    : { result: '✅ complete', holds: true, applied: true }
}

/** The targets table: a row per target with its result and each tag (short digests). */
function targetTable(r: RunReport, outcome: Outcome, plan: PromotePlan): string[] {
  const rows = plan.targets.map(t => {
    const s = targetStatus(r, outcome, t)
    const refused = new Set(refusalsOf({ ...plan, targets: [t] }).refusals.map(x => x.tag))
    // a rolling tag (tags/compute.ts, in the plan's entry) moves with every release of its line
    const tags = t.tags.map(
      x => `${tagCell(x, s.applied || !!s.tagged?.includes(x.tag))}${refused.has(x.tag) ? ' ⛔' : ''}`
    )
    return [code(t.target), s.result, tags.join('<br>') || 'by digest only']
  })
  return [...table(['target', 'result', 'tags'], rows), '']
}

/**
 * Lines longer than this many characters go in a list of inline code rather than a code block:
 * GitHub's code blocks do not wrap, and 1012 px of 13.6 px monospace hold about 120 characters.
 */
const CODE_BLOCK_CHARS = 110

/**
 * `target@digest` per target (the targets that hold the image, else all of them "once promoted"),
 * digests in full since they are copied from: a code block, or a list of inline code (which wraps)
 * when a reference is longer than {@link CODE_BLOCK_CHARS}; in the list a `<wbr>` before the `@`
 * (nothing when copied) lets a long reference wrap there, as `target` then `@sha256:…`, rather
 * than at a hyphen of its repository (`…/checkout-` then `canary@sha256:…`, as seen in Chromium).
 */
function pullLines(r: RunReport, outcome: Outcome, plan: PromotePlan): string[] {
  const digest = digestOf(r, plan)
  if (!digest || !plan.targets.length) return []
  const holding = plan.targets.filter(t => targetStatus(r, outcome, t).holds)
  const refs = (holding.length ? holding : plan.targets).map(t => ({
    target: inline(t.target),
    digest: inline(digest)
  }))
  const title = holding.length ? '**Pull by digest**:' : '**By digest, once promoted**:'
  const text = (x: { target: string; digest: string }) => `${x.target}@${x.digest}`
  if (refs.some(x => text(x).length > CODE_BLOCK_CHARS || text(x).includes('`')))
    return [
      title,
      '',
      ...refs.map(x => `- <code>${escapeText(x.target)}<wbr>@${escapeText(x.digest)}</code>`),
      ''
    ]
  return [title, '', '```text', ...refs.map(text), '```', '']
}

/** A referrer, cosign tag or referrers index as the table shows it, and the targets it goes to or is at. */
interface ArtifactRow {
  artifact: string
  digest: string
  listedBy: string
  copied: number
  there: number
}

/**
 * A row per referrer, cosign tag and referrers index that travels (to any target), each once: what
 * it is, its digest (short), how targets list it, at how many targets it is written and at how
 * many it was already there. Per-target lines are in the log (log.ts copiedArtifactLines).
 */
function artifactRows(plan: PromotePlan): ArtifactRow[] {
  const rows = new Map<string, ArtifactRow>()
  const add = (key: string, row: Omit<ArtifactRow, 'copied' | 'there'>, written: boolean): void => {
    const r = rows.get(key) ?? { ...row, copied: 0, there: 0 }
    if (written) r.copied++
    else r.there++
    rows.set(key, r)
  }
  for (const t of plan.targets) {
    const listed = new Set((t.referrers ?? []).map(x => x.listedBy))
    for (const x of t.referrers ?? []) {
      const of = x.subject === plan.source.digest ? '' : ` of ${code(shortDigest(x.subject))}`
      const listedBy = x.listedBy === 'referrers API' ? 'referrers API' : `tag ${code(shortTag(x.listedBy))}`
      add(
        `referrer ${x.digest} ${x.subject}`,
        { artifact: `${artifactName(x.artifactType)}${of}`, digest: code(shortDigest(x.digest)), listedBy },
        x.action === 'push'
      )
    }
    for (const x of t.signatureTags ?? [])
      add(
        `cosign ${x.tag} ${x.digest}`,
        {
          artifact: cosignTagName(x.tag),
          digest: code(shortDigest(x.digest)),
          listedBy: `tag ${code(shortTag(x.tag))}`
        },
        x.action !== 'keep'
      )
    for (const x of t.referrerTags.filter(x => !listed.has(x.tag)))
      add(
        `index ${x.tag}`,
        { artifact: 'referrers index', digest: '', listedBy: `tag ${code(shortTag(x.tag))}` },
        x.action !== 'keep'
      )
  }
  return [...rows.values()]
}

/**
 * `### Referrers and signatures`: how many copies are (to be) written and how many were already
 * there, then the one table that lists each artifact once with those counts of targets, its
 * columns headed by the count line's words (no target names, and headers no wider than their
 * numbers: the table fits GitHub's 1012-pixel content width unwrapped, however long the target
 * names; "(targets)" in the headers made it 1046 px and broke the cosign tags at their hyphen).
 */
function referrerLines(outcome: Outcome, plan: PromotePlan): string[] {
  const rows = artifactRows(plan)
  if (!rows.length) return []
  const copies = rows.reduce((n, r) => n + r.copied, 0)
  const there = rows.reduce((n, r) => n + r.there, 0)
  const copied = outcome === 'promoted' ? 'copied' : 'to copy'
  const n = plan.targets.length
  return [
    '### Referrers and signatures',
    '',
    `${rows.length} artifact${rows.length === 1 ? '' : 's'} at ${plural(n, 'target')}: ${copies} ${copied}, ${there} already there.`,
    '',
    ...table(
      ['artifact', 'digest', 'listed by', copied, 'already there'],
      rows.map(r => [r.artifact, r.digest, r.listedBy, String(r.copied), String(r.there)]),
      ['left', 'left', 'left', 'right', 'right']
    ),
    ''
  ]
}

/**
 * The transfer statistics, a line per target in the same shape whether done or planned (a list, not
 * a table: a long target beside six numbers made a table of 1041–1229 px, wrapped at 1012):
 * `- <code>T</code>: 12 blobs copied (19.5 KiB), 0 mounted, 0 skipped; 6 manifests pushed, 0 already
 * there; 0.42 s`, or `… 12 blobs to copy (19.5 KiB), 0 to mount, 0 to skip; 6 manifests to push, 0
 * already there` before a write (a dry run, a refusal, a failure: the plan's counts). After a
 * promotion, the bytes read from the source and the seconds in all.
 */
function statistics(r: RunReport, plan: PromotePlan): string[] {
  const done = r.result && !plan.dryRun ? r.result : undefined
  // a run that failed or was stopped after the plan: what each target got (copy/ledger.ts status)
  const stood = !done && !plan.dryRun ? standingAfter(r.error) : undefined
  const lines = plan.targets.map(t => {
    const there = `${t.manifests.present.length} already there`
    const x = done?.targets.find(y => y.target === t.target)
    if (done && x)
      return `- ${code(t.target)}: ${plural(x.blobsCopied, 'blob')} copied (${formatBytes(x.bytesCopied)}), ${x.blobsMounted} mounted, ${x.blobsSkipped} skipped; ${plural(x.manifestsPushed, 'manifest')} pushed, ${there}; ${x.seconds.toFixed(2)} s`
    const planned = `${plural(t.blobs.copy.length, 'blob')} to copy (${formatBytes(t.bytesToCopy)}), ${t.blobs.mount.length} to mount, ${t.blobs.skip.length} to skip; ${plural(t.manifests.push.length, 'manifest')} to push, ${there}`
    const s = stood?.find(y => y.reference === t.target)
    if (s)
      return `- ${code(t.target)}: ${plural(s.blobsCopied, 'blob')} copied (${formatBytes(s.bytesCopied)}), ${s.blobsMounted} mounted${s.holdsImage ? '; holds the image' : ''} (planned: ${planned})`
    return `- ${code(t.target)}: ${planned}`
  })
  if (!done) return lines
  return [
    ...lines,
    '',
    `Read ${formatBytes(done.bytesRead)} from the source; ${done.seconds.toFixed(2)} s in all.`
  ]
}

function footer(r: RunReport, plan: PromotePlan | undefined): string[] {
  const lines: string[] = []
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
  if (d && 'error' in d)
    lines.push(
      `**Deployment**: ⚠️ ${code(d.environment)} not recorded: ${escapeText(clip(d.error, 1000))}`,
      ''
    )
  else if (d)
    lines.push(`**Deployment**: ${link(code(d.environment), d.url)} (id ${d.id}, ${escapeText(d.state)})`, '')
  return lines
}

/**
 * The job summary of a run, as Markdown (every outcome: promoted, failed, plan only), as a release
 * record: the headline names the image, the version and how many registries (and says `merged` when
 * the run merged the image); then what was refused or failed and the remedy; what the merge made;
 * the image (digest in full once); the gate and records (proof.ts); a
 * row per target; the references to pull by digest; the referrers and signatures; the statistics.
 * At most {@link SUMMARY_LIMIT} bytes (limit.ts cuts more with a note). Pure.
 */
export function summaryMarkdown(r: RunReport): string {
  if (r.mergePlan && !r.error && !r.result) return mergePlanMarkdown(r, r.mergePlan)
  if (r.builtOnly && !r.error) return builtOnlyMarkdown(r, r.builtOnly)
  const outcome = outcomeOf(r)
  const plan = r.plan ?? r.result?.plan
  const lines = [
    ...headline(r, outcome, plan),
    '',
    ...outcomeLines(r, outcome, plan),
    '',
    ...mergeLines(r),
    ...imageLines(r, plan),
    ...proofLines(plan),
    ...(plan?.targets.length ? targetTable(r, outcome, plan) : []),
    ...(plan ? pullLines(r, outcome, plan) : []),
    ...(plan ? referrerLines(outcome, plan) : []),
    ...footer(r, plan)
  ]
  const text =
    lines
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trimEnd() + '\n'
  return capMarkdown(text, SUMMARY_LIMIT)
}

/** The summary of a build with `push: false`: built, and nothing written to any registry. */
function builtOnlyMarkdown(r: RunReport, b: NonNullable<RunReport['builtOnly']>): string {
  const targets = b.targets
    ? `, nor promoted to ${b.targets === 1 ? 'the target' : `the ${b.targets} targets`}`
    : ''
  return [
    `## ✅ ${titleOf(r, undefined)} built, not pushed`,
    '',
    `**push: false**: the image was built as ${code(clip(b.reference, 400))} and not pushed to the staging registry${targets}; ${escapeText(clip(b.writes, 1000))}.`,
    '',
    ...(b.digest ? [`**Digest** (as the build reports it): ${code(b.digest)}`, ''] : [])
  ].join('\n')
}

/** The summary of a dry run of `merge` that stopped at the index it would write (nothing was written). */
function mergePlanMarkdown(r: RunReport, m: NonNullable<RunReport['mergePlan']>): string {
  return [
    `## 📋 ${titleOf(r, undefined)} would be merged`,
    '',
    `**Dry run**: nothing was written; the index of ${escapeText(m.platforms.join(', '))} would be written at ${code(m.reference)}; its promotion is planned once it is written.`,
    '',
    `**Digest**: ${code(m.digest)}`,
    ''
  ].join('\n')
}

/**
 * Appends the run's summary to the file GITHUB_STEP_SUMMARY names (a no-op without it). A failure
 * to write it is a warning through `warn`, never a failed run.
 */
export async function writeSummary(r: RunReport, warn: (m: string) => void): Promise<void> {
  if (process.env.GITHUB_STEP_SUMMARY) await appendSummary(summaryMarkdown(r), warn)
}

/**
 * Appends `markdown` to the file GITHUB_STEP_SUMMARY names, read at each call (core.summary keeps
 * the first path it saw); a no-op without it; a failure to write is a warning through `warn`.
 */
export async function appendSummary(markdown: string, warn: (m: string) => void): Promise<void> {
  const file = process.env.GITHUB_STEP_SUMMARY
  if (!file) return
  try {
    await appendFile(file, markdown, 'utf8')
  } catch (e) {
    warn(`job summary not written: ${(e as Error).message}`)
  }
}
