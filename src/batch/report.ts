/**
 * The results of a batch as text (a table per image and target, as the single-image table shows,
 * and a total), as JSON (one object per image) and as job-summary Markdown. Pure. Registry text in
 * Markdown is escaped by report/markdown.ts.
 */
import { formatReference, registryKey } from '../reference/index.js'
import { formatRepo } from '../copy/targets.js'
import { failureRows, formatBytes, resultRows, targetPlanLine, textTable } from '../report/format.js'
import { breakable, code, escapeText, table } from '../report/markdown.js'
import { clip, tagCell } from '../report/names.js'
import {
  failedBeforeTags,
  PromoteError,
  standingAfter,
  TagPolicyError,
  type PromotePlan,
  type TargetPlan,
  type TargetResult
} from '../copy/promote.js'
import { fileRemedyText } from '../report/refusals.js'
import type { TargetStatus } from '../copy/ledger.js'
import { InterruptedError } from '../copy/interrupt.js'
import type { GateReport } from '../proof/gate.js'
import type { RecordResult } from '../proof/record.js'
import { proofLines } from '../report/proof.js'
import type { ImageOutcome } from './run.js'
import type { MatrixEntry } from './shards.js'

/** One image in the `--json` output. */
export interface ImageJson {
  name: string
  source: string
  /** the promoted digest (a failed image's too, once planned; absent when it failed before its plan) */
  digest?: string
  /**
   * per target, as the single-image `--json` gives them (empty in a dry run): a promoted image's
   * results; a failed or interrupted one's standing (holds the image, tags, what this run moved
   * there; empty when it failed before any write)
   */
  targets: TargetResult[] | TargetStatus[]
  /** the plan, in a dry run */
  plan?: PromotePlan
  /** why the image failed */
  error?: string
  /** the verification gate's checks (a refused image's too), when a policy was given */
  gate?: GateReport
  /** the promotion record per target, when one was asked */
  records?: RecordResult[]
}

/** The plan of an image: its result's, or a refusal's (the gate's, the tag policy's: nothing written). */
const planOf = ({ result, error }: ImageOutcome): PromotePlan | undefined =>
  result?.plan ?? (error as { plan?: PromotePlan } | undefined)?.plan

/** Totals over every image. */
export interface BatchTotals {
  images: number
  /** images that failed (an interruption not counted) */
  failed: number
  /** images a signal interrupted (InterruptedError) */
  interrupted: number
  blobsCopied: number
  blobsMounted: number
  /** blob bytes written to the targets (a failed or interrupted image's too: what landed) */
  bytesCopied: number
  /** blobs the plans copy, mount, and the bytes they copy (what a dry run would do) */
  planned: { blobsCopy: number; blobsMount: number; bytesCopy: number }
}

/** One object per image, in file order. */
export function batchJson(outcomes: ImageOutcome[]): ImageJson[] {
  return outcomes.map(({ image, result, error, digest }) => ({
    name: image.name,
    source: formatReference(image.source),
    ...(digest ? { digest } : {}),
    targets: result?.targets ?? standing(error),
    ...(result?.plan.dryRun ? { plan: result.plan } : {}),
    ...(error ? { error: error.message } : {}),
    ...(planOf({ image, result, error })?.gate ? { gate: planOf({ image, result, error })?.gate } : {}),
    ...(result?.records ? { records: result.records } : {})
  }))
}

/** Where the targets of a failed or interrupted image stand (PromoteError, InterruptedError), or []. */
const standing = (error: Error | undefined): TargetStatus[] => standingAfter(error) ?? []

/** Where the targets of an image stand: its result's, or a failure's (what landed before it). */
const targetsOf = ({
  result,
  error
}: ImageOutcome): Array<Pick<TargetResult, 'blobsCopied' | 'blobsMounted' | 'bytesCopied'>> =>
  result?.targets ?? standing(error)

/**
 * Sums over every image's targets: what landed (a failed or interrupted image's targets included,
 * so the total equals the sum of the lines above it) and what the plans would move.
 */
export function batchTotals(outcomes: ImageOutcome[]): BatchTotals {
  const targets = outcomes.flatMap(targetsOf)
  const sum = (f: (t: (typeof targets)[number]) => number): number => targets.reduce((n, t) => n + f(t), 0)
  const plans = outcomes.flatMap(o => planOf(o)?.targets ?? [])
  return {
    images: outcomes.length,
    failed: outcomes.filter(o => o.error && !(o.error instanceof InterruptedError)).length,
    interrupted: outcomes.filter(o => o.error instanceof InterruptedError).length,
    blobsCopied: sum(t => t.blobsCopied),
    blobsMounted: sum(t => t.blobsMounted),
    bytesCopied: sum(t => t.bytesCopied),
    planned: plannedTotals(plans)
  }
}

/**
 * What the plans of a file's images would move: a blob that several plans copy to one registry
 * crosses the network once (batch/run.ts: the first image to need it there copies it, the later
 * ones mount it), so it counts as one copy and its other uses as mounts, whatever the order. One
 * registry however written: keyed by registryKey, as the run's BlobHolders are (`ghcr.io:443` =
 * `GHCR.io` = `ghcr.io`, Docker Hub's aliases one).
 */
function plannedTotals(plans: TargetPlan[]): BatchTotals['planned'] {
  const copied = new Set<string>()
  const totals = { blobsCopy: 0, blobsMount: 0, bytesCopy: 0 }
  for (const t of plans) {
    const registry = registryKey(t.target.slice(0, t.target.indexOf('/')))
    totals.blobsMount += t.blobs.mount.length
    for (const b of t.blobs.copy) {
      const key = `${registry} ${b.digest}`
      if (copied.has(key)) totals.blobsMount++
      else {
        copied.add(key)
        totals.blobsCopy++
        totals.bytesCopy += b.size
      }
    }
  }
  return totals
}

/**
 * `9 of 10 images promoted; 1 failed; blobs copied 21, mounted 27; 4.1 MB copied` (`; 2 interrupted`
 * after a signal); a dry run says
 * what it would do: `2 of 2 images planned; would copy 6 blobs (29.6 MiB), mount 0`
 */
export function totalLine(t: BatchTotals, dryRun = false): string {
  const done = `${t.images - t.failed - t.interrupted} of ${t.images} images ${dryRun ? 'planned' : 'promoted'}`
  const failed = `${t.failed ? `; ${t.failed} failed` : ''}${t.interrupted ? `; ${t.interrupted} interrupted` : ''}`
  if (dryRun) {
    const { blobsCopy, blobsMount, bytesCopy } = t.planned
    return `${done}${failed}; would copy ${blobsCopy} blob${blobsCopy === 1 ? '' : 's'} (${formatBytes(bytesCopy)}), mount ${blobsMount}`
  }
  return `${done}${failed}; blobs copied ${t.blobsCopied}, mounted ${t.blobsMounted}; ${formatBytes(t.bytesCopied)} copied`
}

/**
 * The heading of a promotion file's summary: `## ✅ Promotion file: 3 images promoted`, or `## ❌
 * Promotion file: 2 of 3 images failed` (`; 1 of 3 interrupted` after a signal); `title` is
 * `Promotion file` or, in a matrix job, `Promotion file, shard 1/4`.
 */
function outcomeHeading(t: BatchTotals, title: string): string {
  const images = `${t.images} image${t.images === 1 ? '' : 's'}`
  if (!t.failed && !t.interrupted) return `## ✅ ${title}: ${images} promoted`
  const parts = [
    ...(t.failed ? [`${t.failed} of ${images} failed`] : []),
    ...(t.interrupted ? [`${t.interrupted} of ${images} interrupted`] : [])
  ]
  return `## ❌ ${title}: ${parts.join('; ')}`
}

/**
 * Adds to each image's tag-policy refusal the remedies in the promotion file's own keys
 * ({@link fileRemedyText}), as `copy` adds its flags'. Other errors are left as they are.
 * @param path the promotion file as given
 */
export function withFileRemedies(outcomes: ImageOutcome[], path: string): void {
  for (const { error, image } of outcomes)
    if (error instanceof TagPolicyError)
      error.message += `\n${fileRemedyText(error.plan, image.movingTags, image.name, path)}`
}

/** `name: reason` for every failed image, in file order. */
export function failureLines(outcomes: ImageOutcome[]): string[] {
  return outcomes.filter(o => o.error).map(o => `${o.image.name}: ${(o.error as Error).message}`)
}

/**
 * Per image a heading and its target table (or its error: a failed image's with where each target
 * stands, what it moved there included, so the rows add up to the total), then the total.
 */
export function batchText(outcomes: ImageOutcome[], dryRun = false): string {
  const parts = outcomes.map(({ image, result, error, digest }) => {
    const head = `${image.name}: ${formatReference(image.source)}${digest ? ` = ${digest}` : ''}`
    if (error instanceof InterruptedError) return `${head}\n  INTERRUPTED: ${error.message}`
    if (error) {
      const targets = standing(error)
      const table = targets.length ? `\n${textTable(failureRows(targets))}` : ''
      return `${head}\n  FAILED: ${error.message}${table}`
    }
    if (dryRun && result) return [head, ...result.plan.targets.map(t => `  ${targetPlanLine(t)}`)].join('\n')
    if (!result || dryRun) return head
    return `${head}\n${textTable(resultRows(result))}`
  })
  return [...parts, totalLine(batchTotals(outcomes), dryRun)].join('\n\n')
}

/**
 * A failed or interrupted image's row per target: what it holds there, and what this run moved
 * there; the reason whole (its lines as `<br>`, the failing target and the registry's answer kept).
 * One that ended before any write (a missing source, the gate, the tag policy: no target standing)
 * still has a row per target, `failed: nothing written (REASON)`, `no tag`, 0 blobs, `0 B`, so
 * every image has as many rows as targets.
 */
function failedRows(outcome: ImageOutcome): string[][] {
  const { image } = outcome
  const error = outcome.error!
  const how = error instanceof InterruptedError ? 'interrupted' : 'failed'
  const name = escapeText(image.name)
  const targets = standing(error)
  if (targets.length === 0)
    return targetNames(outcome).map(target => [
      name,
      code(target),
      `${how}: nothing written (${breakable(escapeText(clip(error.message, 2000)))})`,
      'no tag',
      '0',
      formatBytes(0)
    ])
  return targets.map(t => [
    name,
    code(t.reference),
    t.error || how === 'interrupted' ? ownFailure(how, t) : siblingOutcome(error, targets),
    t.tagged.map(x => code(x)).join(' ') || 'no tag',
    String(t.blobsCopied),
    formatBytes(t.bytesCopied)
  ])
}

/** An image's targets as its plan names them, or (failed before its plan) as the file gives them. */
const targetNames = (outcome: ImageOutcome): string[] =>
  planOf(outcome)?.targets.map(t => t.target) ?? outcome.image.targets.map(t => formatRepo(t.repo))

/** A target's own failure (or an interruption): what it holds, and the reason whole. */
function ownFailure(how: string, t: TargetStatus): string {
  const holds = t.holdsImage ? 'holds the image' : 'does not hold the image'
  return `${how}: ${holds}${t.error ? ` (${breakable(escapeText(clip(t.error, 2000)))})` : ''}`
}

/**
 * A target that did not fail itself, in an image that failed at another: before the tag step it
 * holds the image untagged, since no tag is written until every target holds it; after it, its
 * tags were written and checked (`complete`).
 */
function siblingOutcome(error: Error, targets: TargetStatus[]): string {
  if (!(error instanceof PromoteError && failedBeforeTags(error))) return 'complete'
  const failed = targets.filter(x => x.error).map(x => code(x.reference))
  return `not tagged: ${failed.join(', ')} failed, and no tag is written until every target holds the image`
}

/** Each image's plan (its result's, or a refusal's), for the action's `plan` output: `[{name, plan}]`. */
export function batchPlans(outcomes: ImageOutcome[]): Array<{ name: string; plan?: PromotePlan }> {
  return outcomes.map(o => {
    const plan = planOf(o)
    return { name: o.image.name, ...(plan ? { plan } : {}) }
  })
}

/** A planned image's row per target: what a dry run would do there. */
function plannedRows(name: string, plan: PromotePlan): string[][] {
  return plan.targets.map(t => [
    escapeText(name),
    code(t.target),
    t.violations.length ? '⛔ would be refused' : '📋 planned',
    t.tags.map(x => tagCell(x, false)).join('<br>') || 'by digest',
    String(t.blobs.copy.length),
    formatBytes(t.bytesToCopy)
  ])
}

/**
 * The job summary section: one row per image and target (a failed image's targets too, with what
 * it moved there, so the rows add up to the total; failed and interrupted images first, each in file
 * order), the total, then each image's gate checks and
 * records. A dry run (`dryRun`) says so, and its rows say what each image would do at each target
 * (tags to create or move, blobs and bytes to copy), the total what the plans would move. A shard
 * of a matrix (`shard`, K of N) says which in its heading (`## ✅ Promotion file, shard 1/4: …`),
 * since every matrix job writes one.
 */
export function batchMarkdown(
  outcomes: ImageOutcome[],
  dryRun = false,
  shard?: { k: number; n: number }
): string {
  // failed and interrupted images first, so a person sees them without scrolling past the rest
  const ordered = [...outcomes.filter(o => o.error), ...outcomes.filter(o => !o.error)]
  const rows = ordered.flatMap(o =>
    o.error
      ? failedRows(o)
      : dryRun && o.result
        ? plannedRows(o.image.name, o.result.plan)
        : (o.result?.targets ?? []).map(t => [
            escapeText(o.image.name),
            code(t.target),
            'promoted',
            // as the single-image summary: a moved tag says from where (newuser6 #25)
            t.tags.map(x => tagCell(x, true)).join('<br>') || 'by digest',
            String(t.blobsCopied),
            formatBytes(t.bytesCopied)
          ])
  )
  const header = dryRun
    ? ['image', 'target', 'outcome', 'tags', 'blobs to copy', 'bytes to copy']
    : ['image', 'target', 'outcome', 'tags', 'blobs copied', 'bytes copied']
  // each image's gate checks and records (report/proof.ts), under its name
  const proof = outcomes.flatMap(o => {
    const lines = proofLines(planOf(o))
    return lines.length
      ? ['', `### ${escapeText(o.image.name)}`, '', ...lines.map(l => l.replace(/^### /, '#### '))]
      : []
  })
  const totals = batchTotals(outcomes)
  const title = `Promotion file${shard ? `, shard ${shard.k}/${shard.n}` : ''}`
  const heading = dryRun
    ? [
        `## 📋 ${title}: dry run`,
        '',
        '**Dry run**: nothing was written; this is what the promotion of each image would do.'
      ]
    : [outcomeHeading(totals, title)]
  return [...heading, '', ...table(header, rows), '', escapeText(totalLine(totals, dryRun)), ...proof].join(
    '\n'
  )
}

/**
 * The job summary of `plan-shards` (the plan job of a matrix): each shard planned (`K/N@PLAN`, the
 * matrix job's `shard` input) with its images, and its request budget when one is given:
 * `## 📋 Promotion file FILE: 2 shards planned (4 asked)`, then a table. Pure.
 * @param asked the shards asked for (`plan-shards`)
 */
export function shardsMarkdown(matrix: { include: MatrixEntry[] }, path: string, asked: number): string {
  const n = matrix.include.length
  const budgets = matrix.include.some(e => e.budget !== undefined)
  const rows = matrix.include.map(e => [
    code(e.shard),
    String(e.images.length),
    e.images.map(escapeText).join(', '),
    ...(budgets ? [e.budget ? code(e.budget) : ''] : [])
  ])
  return [
    `## 📋 Promotion file ${code(path)}: ${n} shard${n === 1 ? '' : 's'} planned${n === asked ? '' : ` (${asked} asked)`}`,
    '',
    ...table(['shard', 'images', 'names', ...(budgets ? ['request budget'] : [])], rows, ['left', 'right'])
  ].join('\n')
}
