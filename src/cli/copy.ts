/** `promote-image copy|promote SRC DST…`: promote by digest, then tag; `--dry-run` prints the plan. */
import {
  promote,
  PromoteError,
  standingAfter,
  TagPolicyError,
  type ProgressEvent,
  type PromotePlan,
  type PromoteResult,
  type TargetStatus
} from '../copy/promote.js'
import { promoteSettings } from '../engine-options.js'
import type { Logger } from '../logger.js'
import { failureRows, planText, referrerRows, resultRows, textTable } from '../report/format.js'
import { progressLine, ProgressMeter } from '../report/progress.js'
import { LiveProgress, type Terminal } from '../report/terminal.js'
import type { CopyCommand } from './args.js'
import { commandClient } from './registry-read.js'
import { cliProof } from './proof.js'
import type { Io } from './io.js'
import { jsonText } from '../report/neutralise.js'
import { promotedDigest, selectionText } from '../report/selection.js'
import { remedyText } from '../report/refusals.js'
import { withTlsAdvice } from '../report/tls-words.js'
import { withImpliedTag } from '../report/implied-tag.js'
import { OPTION_FLAGS } from '../options.js'

/** ms between live redraws on a terminal (plain lines elsewhere: the engine's default, 5 s) */
const LIVE_INTERVAL_MS = 250

/** How progress is shown: live lines on a terminal, else one plain line every few seconds. */
function progressDisplay(
  io: Io,
  stderr: Terminal & { isTTY?: boolean }
): { log: Logger; onProgress: (p: ProgressEvent) => void; intervalMs?: number } {
  if (stderr.isTTY && process.env.TERM !== 'dumb') {
    const live = new LiveProgress(stderr)
    return { log: live.around(io.log), onProgress: p => live.update(p), intervalMs: LIVE_INTERVAL_MS }
  }
  const meter = new ProgressMeter()
  return { log: io.log, onProgress: p => io.log.info(progressLine(p, meter.update(p))) }
}

/**
 * Runs copy/promote; exit status 0. The digest (or, with --json, `{digest, targets}`; with
 * --dry-run the JSON plan) goes to stdout, the result table to stderr; progress goes to `stderr`
 * (default process.stderr): redrawn in place when it is a TTY, plain lines otherwise. Chunked
 * uploads keep their session under the user's cache directory for a resume (copy/resume.ts).
 * On failure the table says where each target stands, and with --json stdout gets
 * `{"error": message, "targets": TargetStatus[]}` (`targets` empty when it failed while planning,
 * before any write: nothing is known of the targets then).
 * @param signal aborting it interrupts the copy (the CLI aborts it on SIGINT / SIGTERM)
 * @throws Error from the engine (exit status 1), InterruptedError when `signal` was aborted; a
 *   TagPolicyError in a dry run prints its plan first
 */
export async function runCopy(
  cmd: CopyCommand,
  io: Io,
  stderr: Terminal & { isTTY?: boolean } = process.stderr,
  signal?: AbortSignal
): Promise<number> {
  const proof = await cliProof(cmd.options, io)
  const progress = progressDisplay(io, stderr)
  const registries = {
    source: cmd.source.registry,
    destinations: cmd.targets.map(t => t.repo.registry),
    flags: { source: '--src-creds', destinations: '--dest-creds' }
  }
  const client = await commandClient(cmd, registries, { ...io, log: progress.log }, signal)
  try {
    const result = await promote(client, {
      ...promoteSettings(cmd.options, {
        dryRun: cmd.dryRun,
        logger: progress.log,
        env: process.env,
        signal,
        requestBudget: client.transport.rateLimits,
        proof
      }),
      source: { registry: cmd.source.registry, repository: cmd.source.repository, reference: cmd.reference },
      targets: cmd.targets,
      onProgress: progress.onProgress,
      progressIntervalMs: progress.intervalMs
    })
    report(cmd, result, io)
    return 0
  } catch (e) {
    withImpliedTag(e, cmd.source, 'SRC')
    // a refused plan (tag policy, the verification gate) is still the plan: printed in a dry run
    // the engine says what it refused; the remedy names this interface's flags
    if (e instanceof TagPolicyError)
      e.message += `\n${remedyText(e.plan, cmd.options.movingTags, OPTION_FLAGS)}`
    const refusedPlan = e instanceof TagPolicyError ? e.plan : (e as { plan?: PromotePlan }).plan
    if (cmd.dryRun && refusedPlan && (e instanceof TagPolicyError || (e as Error).name === 'GateError'))
      io.out(jsonText(refusedPlan, 2) + '\n')
    else reportFailure(cmd, withTlsAdvice(e as Error, OPTION_FLAGS), io)
    throw e
  } finally {
    await client.close()
  }
}

function report(cmd: CopyCommand, result: PromoteResult, io: Io): void {
  // what --platform did to the digest, on stderr (stdout keeps the digest or the JSON alone)
  const selected = selectionText(result.plan, `${cmd.source.registry}/${cmd.source.repository}`)
  if (selected) io.log.info(selected)
  if (cmd.dryRun) {
    io.out(jsonText(result.plan, 2) + '\n')
    io.log.info(planText(result.plan))
  } else if (cmd.json) {
    io.out(jsonText({ digest: promotedDigest(result.plan), targets: result.targets }, 2) + '\n')
  } else {
    io.log.info(textTable(resultRows(result)))
    const referrers = referrerRows(result.plan)
    if (referrers) io.log.info(textTable(referrers))
    io.out(`${promotedDigest(result.plan)}\n`)
  }
}

/** Where each target stands after `e`: from the engine, or (tag policy) from the plan. */
function failureTargets(e: Error): TargetStatus[] {
  if (e instanceof TagPolicyError) return planStatus(e.plan)
  return standingAfter(e) ?? []
}

/** Nothing was written: each target holds the image when it lacked no manifest. */
function planStatus(plan: PromotePlan): TargetStatus[] {
  return plan.targets.map(t => ({
    reference: t.target,
    holdsImage: t.manifests.push.length === 0,
    tagged: t.tags.filter(x => x.action === 'keep').map(x => x.tag),
    blobsCopied: 0,
    blobsMounted: 0,
    bytesCopied: 0
  }))
}

/**
 * A failure's report: with --json the JSON object on stdout, else (a promotion that failed at its
 * targets) the table of where each target stands, on stderr. The message itself is the caller's.
 */
function reportFailure(cmd: CopyCommand, e: Error, io: Io): void {
  const targets = failureTargets(e)
  if (cmd.json) io.out(jsonText({ error: e.message, targets }, 2) + '\n')
  else if (e instanceof PromoteError && targets.length) io.log.info(textTable(failureRows(targets)))
}
