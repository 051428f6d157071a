/**
 * `promote-image verify [--verify-key FILE …] [--certificate-identity … --certificate-oidc-issuer …]
 * [--trusted-root FILE] [--policy FILE] REF`: checks an image at any registry against the same
 * policy the promotion gate uses, and prints its promotion records (who promoted it, from where,
 * to where, when, and what each record was verified against). Exit status 0 when every check
 * passed and every record verified; 1 otherwise (the report is printed first). Nothing to check
 * (no key, identity or policy) is a usage error (cli/args.ts VERIFY_NOTHING), as for `cosign
 * verify`; `verify --records REF` prints the records alone, requiring nothing, and with
 * `--verify-key FILE` (or an identity) checks the records alone against it: no gate runs then, and
 * no record at all fails (exit 1), as `cosign verify-attestation --key` fails with none to check.
 * `--records` with a `--policy` file that requires more than signers (attestations, scope all) is
 * a usage error: those are the gate's requirements, which `verify` without `--records` checks.
 */
import { readFile } from 'node:fs/promises'
import { manifestReference } from '../reference/index.js'
import type { RecordView, VerifyReport } from '../proof/inspect.js'
import { checkSubject, wantedSigners, type VerifyPolicy } from '../proof/policy.js'
import { UsageError } from './usage-error.js'
export type { VerifyCommand }
import type { VerifyCommand } from './args.js'
import type { Io } from './io.js'
import { commandClient } from './registry-read.js'
import { inline, jsonText } from '../report/neutralise.js'

/** One record in words: who, from where, to where, when, verified against what. */
function recordText(r: RecordView): string[] {
  const p = r.predicate
  const who = p?.run
    ? `${p.run.actor ?? '?'} in ${p.run.repository ?? '?'} run ${p.run.runId ?? '?'} attempt ${p.run.runAttempt ?? '?'} (workflow ${p.run.workflow ?? '?'}, commit ${p.run.commit ?? '?'})`
    : 'outside CI'
  const lines = [`  record ${r.digest} (${r.listedBy}): ${r.verification}`]
  if (!p) return lines
  lines.push(`    promoted ${p.promotedAt} by ${who}`)
  lines.push(`    from ${p.source.reference} (${p.source.digest})`)
  for (const t of p.targets)
    lines.push(`    to ${t.repository}: ${t.tags.map(x => `${x.tag} ${x.action}`).join(', ') || 'by digest'}`)
  if (p.verification)
    lines.push(
      `    gate: ${p.verification.passed ? 'passed' : 'failed'} (${p.verification.checks.map(c => `${c.check} ${c.passed ? 'ok' : 'failed'}`).join(', ')})`
    )
  return lines
}

/** The report as text (registry text made inline-safe). */
export function verifyText(report: VerifyReport): string {
  const lines = [`${report.reference} is ${report.digest}`]
  for (const c of report.gate?.checks ?? [])
    lines.push(
      `${c.passed ? 'verified' : 'NOT verified'}: ${checkSubject(c)}: found ${c.found}${c.passed ? '' : `; wanted ${c.wanted}`}`
    )
  if (report.gate?.trustedRoot) lines.push(`bundles verified against ${report.gate.trustedRoot}`)
  lines.push(
    report.records.length ? `promotion records: ${report.records.length}` : 'promotion records: none'
  )
  if (report.noRecord) lines.push(`NOT verified: ${report.noRecord}`)
  for (const r of report.records) lines.push(...recordText(r))
  return lines.map(inline).join('\n') + '\n'
}

/** A policy that requires nothing and names the trusted root (to verify records against it). */
async function trustOnly(file: string | undefined): Promise<VerifyPolicy | undefined> {
  if (file === undefined) return undefined
  const json = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new UsageError(`--trusted-root ${file}: cannot be read (${e.code ?? e.message})`)
  })
  return { keys: [], identities: [], attestations: [], scope: 'root', trustedRoot: { name: file, json } }
}

/**
 * True when every check passed and every record verified (or was not checked: no key given), and
 * no record was wanted and missing ({@link VerifyReport.noRecord}).
 */
export function verifyPassed(report: VerifyReport): boolean {
  return (
    (report.gate?.passed ?? true) && !report.noRecord && report.records.every(r => r.verified || r.unchecked)
  )
}

/**
 * `--records` with `--policy FILE`: the policy's requirements beyond signers (attestations, scope
 * all) are the gate's, which --records does not run; refused rather than dropped without a word.
 * @throws UsageError naming both when `policy` requires any of them
 */
function refuseGateOnly(policy: VerifyPolicy | undefined, file: string | undefined): void {
  if (!policy || file === undefined) return
  const gateOnly = [
    ...(policy.attestations.length
      ? [`attestations (${policy.attestations.map(a => a.predicateType).join(', ')})`]
      : []),
    ...(policy.scope === 'all' ? ['scope all'] : [])
  ]
  if (gateOnly.length)
    throw new UsageError(
      `verify: --records checks the promotion records alone, and --policy ${file} requires ${gateOnly.join(' and ')} of the image, which only the gate checks: drop --records to run the policy's gate (verify prints the records too)`
    )
}

/**
 * Runs verify.
 * @returns 0 when {@link verifyPassed}, else 1 (the report printed either way)
 * @throws Error for a bad option (a key that is not PEM, …), a reference that does not exist, or
 *   a registry failure (exit status 1); with `--json`, run.ts main() prints `{"error": MESSAGE}`,
 *   as for every command
 * @param signal the run's interruption (SIGINT / SIGTERM): ends the requests in flight and stops a
 *   docker credential helper being asked; run.ts main() then exits 130 / 143
 */
export async function runVerify(cmd: VerifyCommand, io: Io, signal?: AbortSignal): Promise<number> {
  const r = cmd.reference
  const client = await commandClient(cmd, { source: r.registry, flags: { source: '--creds' } }, io, signal)
  try {
    const { loadVerifyPolicy } = await import('../proof/load.js')
    const { verifyImage } = await import('../proof/inspect.js')
    const policy = await loadVerifyPolicy(cmd.verify).catch((e: Error) => {
      throw new UsageError(e.message)
    })
    const repo = { registry: r.registry, repository: r.repository }
    const shown = `${r.registry}/${r.repository}${r.digest ? '@' : ':'}${manifestReference(r)}`
    // --records checks the records alone: a --verify-key (or identity, trusted root) given with it
    // is what they are verified against, and no gate runs (the image need not be signed)
    if (cmd.records) refuseGateOnly(policy, cmd.verify.policy)
    const recordTrust = policy ?? (await trustOnly(cmd.verify.trustedRoot))
    const gate = cmd.records ? undefined : policy
    const found = await verifyImage(client, repo, manifestReference(r), shown, gate, recordTrust)
    // a signer given with --records asks "is there a record by it": none at all is a failure
    const signers = cmd.records && policy ? wantedSigners(policy) : ''
    const report =
      signers && found.records.length === 0
        ? { ...found, noRecord: `no promotion record of ${found.digest} to check against ${signers}` }
        : found
    io.out(cmd.json ? jsonText(report, 2) + '\n' : verifyText(report))
    return verifyPassed(report) ? 0 : 1
  } finally {
    await client.close()
  }
}
