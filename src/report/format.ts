/**
 * Plain-text renderings of promotion results and plans for logs, the CLI and the job summary.
 * Pure.
 */
import type { PromotePlan, PromoteResult, TargetStatus } from '../copy/promote.js'

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

/**
 * A duration for people, seconds in (rounded up to whole seconds, so a remaining time never reads
 * 0 s while bytes are left): `7` → `7 s`, `65` → `1 min 5 s`, `3720` → `1 h 2 min` (seconds dropped
 * from an hour on), `0` → `0 s`.
 */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds))
  if (s < 60) return `${s} s`
  if (s < 3600) return s % 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s / 60} min`
  const m = Math.floor((s % 3600) / 60)
  return m ? `${Math.floor(s / 3600)} h ${m} min` : `${Math.floor(s / 3600)} h`
}

/**
 * Text that goes to the Actions log as it is (core.info): a line that starts with `::` (after
 * spaces), which the runner would run as a workflow command, gets a space between the colons, and
 * `##[`, the runner's older command form, gets one after the `#`s. Everything else is unchanged.
 */
export function logSafe(text: string): string {
  return text.replace(/^(\s*):(?=:)/gm, '$1: ').replace(/##\[/g, '## [')
}

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

/** Aligns rows into a fixed-width text table. */
export function textTable(rows: string[][]): string {
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

/** A short text summary of a plan (dry run). */
export function planText(plan: PromotePlan): string {
  const lines = [`source ${plan.source.reference} = ${plan.source.digest} (${plan.source.mediaType})`]
  if (plan.source.platforms.length) lines.push(`platforms: ${plan.source.platforms.join(', ')}`)
  for (const t of plan.targets) {
    lines.push(
      `${t.target}: blobs skip ${t.blobs.skip.length}, mount ${t.blobs.mount.length}, copy ${t.blobs.copy.length} (${formatBytes(t.bytesToCopy)}); manifests push ${t.manifests.push.length}, present ${t.manifests.present.length}`
    )
    for (const tag of t.tags)
      lines.push(
        `  tag ${tag.tag}: ${tag.action}${tag.from && tag.action === 'move' ? ` from ${tag.from}` : ''}`
      )
    for (const v of t.violations) lines.push(`  VIOLATION ${v}`)
  }
  return lines.join('\n')
}
