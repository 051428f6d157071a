/**
 * The job summary's part for issue 20: the verification gate's checks (what was checked, its
 * result, what was found, what was wanted) and the promotion record written per target, from the
 * plan (PromotePlan.gate, TargetPlan.record). Registry text escaped (markdown.ts). Pure.
 */
import type { PromotePlan } from '../copy/promote.js'
import { breakable, code, escapeText, table } from './markdown.js'

/**
 * A record's cell: `written`, `present`, `❌ not written` (its write failed), and a planned `write`
 * the run never reached: `to write` in a dry run, else `➖ not written (the run failed before it)`.
 */
function recordCell(action: 'write' | 'written' | 'present' | 'failed', dryRun: boolean): string {
  if (action === 'failed') return '❌ not written'
  if (action === 'write') return dryRun ? 'to write' : '➖ not written (the run failed before it)'
  return action
}

/**
 * Whether a record is (or, in a dry run, would be) at the target, so that its `listed by` is true:
 * not one whose write failed or that the run never reached.
 */
const written = (action: 'write' | 'written' | 'present' | 'failed', dryRun: boolean): boolean =>
  action === 'written' || action === 'present' || (action === 'write' && dryRun)

/** `### Verification` with a row per check, and `### Promotion records` with a row per target; [] when neither applies. */
export function proofLines(plan: PromotePlan | undefined): string[] {
  if (!plan) return []
  const lines: string[] = []
  const gate = plan.gate
  if (gate) {
    // digests may wrap (breakable): a digest in code beside a reason naming it was 2.2-4 kpx wide
    const rows = gate.checks.map(c => [
      escapeText(c.check),
      breakable(code(c.digest)) + (c.platform ? ` (${escapeText(c.platform)})` : ''),
      c.passed ? '✅ passed' : '❌ failed',
      breakable(escapeText(c.found)),
      breakable(escapeText(c.wanted))
    ])
    lines.push('### Verification', '')
    if (gate.trustedRoot) lines.push(`Bundles verified against ${escapeText(gate.trustedRoot)}.`, '')
    lines.push(...table(['check', 'digest', 'result', 'found', 'wanted'], rows), '')
  }
  const records = plan.targets.filter(t => t.record)
  if (records.length) {
    const rows = records.map(t => [
      code(t.target),
      recordCell(t.record!.action, plan.dryRun),
      t.record?.digest ? breakable(code(t.record.digest)) : '',
      breakable(escapeText(written(t.record!.action, plan.dryRun) ? (t.record?.listedBy ?? '') : ''))
    ])
    lines.push('### Promotion records', '', ...table(['target', 'record', 'digest', 'listed by'], rows), '')
  }
  return lines
}
