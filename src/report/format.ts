/**
 * Plain-text renderings of promotion results and plans for logs, the CLI and the job summary.
 * Pure.
 */
import type { PromotePlan, PromoteResult, TargetStatus } from '../copy/promote.js'
import { inline } from './neutralise.js'
import { attestationText } from './names.js'

/** `1536` → `1.5 KiB`; bytes in, binary units out. */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB']
  let v = n
  let i = 0
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024
    i++
  }
  return i === 0 ? `${n} B` : `${v.toFixed(1)} ${units[i]}`
}

/** `1536.4` → `1.5 KiB/s`; bytes per second in (rounded to whole bytes), binary units out. */
export function formatRate(bytesPerSecond: number): string {
  return `${formatBytes(Math.round(bytesPerSecond))}/s`
}

/** A duration for people (seconds in): owned by duration.ts, the one wording the engine's messages use too. */
export { formatDuration } from '../duration.js'

/** Text that goes to the Actions log as it is (core.info): see {@link logText} (neutralise.ts). */
export { logText as logSafe } from './neutralise.js'

/** Rows of the final table: target, skipped, mounted, copied, bytes, manifests, tags, seconds. */
export function resultRows(result: PromoteResult): string[][] {
  const header = [
    'target',
    'blobs skipped',
    'mounted',
    'copied',
    'bytes copied',
    'manifests pushed',
    'tags',
    'seconds'
  ]
  const rows = result.targets.map(t => [
    t.target,
    String(t.blobsSkipped),
    String(t.blobsMounted),
    String(t.blobsCopied),
    formatBytes(t.bytesCopied),
    String(t.manifestsPushed),
    t.tags.map(x => `${x.tag} (${x.action})`).join(', ') || '(by digest)',
    t.seconds.toFixed(2)
  ])
  return [header, ...rows]
}

/**
 * Rows of the referrers table: per target, each referrer and cosign tag that travels, with its
 * artifact type, its subject, how the target lists it and what was done; undefined when none travels.
 */
export function referrerRows(plan: PromotePlan): string[][] | undefined {
  const rows = plan.targets.flatMap(t => [
    ...(t.referrers ?? []).map(r => [
      t.target,
      r.digest,
      r.artifactType ?? '',
      r.subject,
      r.listedBy,
      r.action
    ]),
    ...(t.signatureTags ?? []).map(s => [
      t.target,
      s.tag,
      s.artifactType,
      s.digest,
      'tag',
      s.appends ? 'move (signatures added)' : s.action
    ])
  ])
  if (!rows.length) return undefined
  return [
    ['target', 'referrer or signature tag', 'artifact type', 'of / digest', 'listed by', 'action'],
    ...rows
  ]
}

/**
 * Rows of the table of a failed promotion: per target, whether it holds the image by digest, the
 * tags that point at it there, and what this run copied (blobs, mounts, bytes acknowledged).
 */
export function failureRows(targets: TargetStatus[]): string[][] {
  const header = [
    'target',
    'holds image by digest',
    'tags pointing at it',
    'copied',
    'mounted',
    'bytes copied'
  ]
  const rows = targets.map(t => [
    t.reference,
    t.holdsImage ? 'yes' : 'no',
    t.tagged.join(', ') || '(none)',
    String(t.blobsCopied),
    String(t.blobsMounted),
    formatBytes(t.bytesCopied)
  ])
  return [header, ...rows]
}

/**
 * Aligns rows into a fixed-width text table, for the log and the terminal: each cell is one line
 * (registry text in it neutralised with `inline`, neutralise.ts).
 */
export function textTable(cells: string[][]): string {
  const rows = cells.map(r => r.map(inline))
  const widths = rows[0].map((_, c) => Math.max(...rows.map(r => (r[c] ?? '').length)))
  return rows
    .map(r =>
      r
        .map((cell, c) => cell.padEnd(widths[c]))
        .join('  ')
        .trimEnd()
    )
    .join('\n')
}

/**
 * One target's plan in a line: `REGISTRY/REPO: blobs skip 0, mount 0, copy 2 (20.0 MiB); manifests
 * push 1, present 0` (bytes to copy as formatBytes gives them).
 */
export function targetPlanLine(t: PromotePlan['targets'][number]): string {
  return `${t.target}: blobs skip ${t.blobs.skip.length}, mount ${t.blobs.mount.length}, copy ${t.blobs.copy.length} (${formatBytes(t.bytesToCopy)}); manifests push ${t.manifests.push.length}, present ${t.manifests.present.length}`
}

/**
 * A short text summary of a plan (dry run), one line per fact: the registry's strings in it
 * (media type, platforms, tags) neutralised with `inline` (neutralise.ts), so none can add a line.
 */
export function planText(plan: PromotePlan): string {
  const lines = [`source ${plan.source.reference} = ${plan.source.digest} (${plan.source.mediaType})`]
  // BuildKit's attestation manifests (unknown/unknown) are not platforms: named by what they attest
  const runnable = plan.source.platforms.filter(p => p !== 'unknown/unknown')
  if (runnable.length) lines.push(`platforms: ${runnable.join(', ')}`)
  const attestations = attestationText(plan.source, false)
  if (attestations) lines.push(`attestations: ${attestations}`)
  for (const t of plan.targets) {
    lines.push(targetPlanLine(t))
    for (const tag of t.tags)
      lines.push(
        `  tag ${tag.tag}: ${tag.action}${tag.from && tag.action === 'move' ? ` from ${tag.from}` : ''}${tag.action === 'hold' ? ` at ${tag.heldBy} (${tag.from}, newer)` : ''}`
      )
    for (const r of t.referrers ?? [])
      lines.push(
        `  referrer ${r.digest} (${r.artifactType ?? 'no artifact type'}) of ${r.subject}: ${r.action}, listed by ${r.listedBy}`
      )
    for (const rt of t.referrerTags) lines.push(`  referrers tag ${rt.tag}: ${rt.action}`)
    for (const s of t.signatureTags ?? [])
      lines.push(
        `  signature tag ${s.tag} (${s.artifactType}): ${s.action}${s.from && s.action === 'move' ? ` from ${s.from}` : ''}${s.appends ? ' (signatures added, none dropped)' : ''}`
      )
    for (const v of t.violations) lines.push(`  VIOLATION ${v}`)
  }
  return lines.map(inline).join('\n')
}
