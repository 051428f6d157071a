/** `promote-image copy|promote SRC DST…`: promote by digest, then tag; `--dry-run` prints the plan. */
import { promote, TagPolicyError, type ProgressEvent, type PromoteResult } from '../copy/promote.js'
import type { Logger } from '../logger.js'
import { planText, referrerRows, resultRows, textTable } from '../report/format.js'
import { progressLine, ProgressMeter } from '../report/progress.js'
import { LiveProgress, type Terminal } from '../report/terminal.js'
import type { CopyCommand } from './args.js'
import { cliClient } from './client.js'
import type { Io } from './io.js'
import { jsonText } from '../report/neutralise.js'

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
 * (default process.stderr): redrawn in place when it is a TTY, plain lines otherwise.
 * @throws Error from the engine (exit status 1); a TagPolicyError in a dry run prints its plan first
 */
export async function runCopy(
  cmd: CopyCommand,
  io: Io,
  stderr: Terminal & { isTTY?: boolean } = process.stderr
): Promise<number> {
  const progress = progressDisplay(io, stderr)
  const client = cliClient(cmd.options, progress.log)
  try {
    const result = await promote(client, {
      source: { registry: cmd.source.registry, repository: cmd.source.repository, reference: cmd.reference },
      targets: cmd.targets,
      tagPolicy: cmd.options.tagPolicy,
      movingTags: cmd.options.movingTags,
      dryRun: cmd.dryRun,
      concurrency: cmd.options.concurrency,
      uploadMode: cmd.options.uploadMode,
      referrers: cmd.options.referrers ?? 'all',
      logger: progress.log,
      onProgress: progress.onProgress,
      progressIntervalMs: progress.intervalMs
    })
    report(cmd, result, io)
    return 0
  } catch (e) {
    if (e instanceof TagPolicyError && cmd.dryRun) io.out(jsonText(e.plan, 2) + '\n')
    throw e
  } finally {
    await client.close()
  }
}

function report(cmd: CopyCommand, result: PromoteResult, io: Io): void {
  if (cmd.dryRun) {
    io.out(jsonText(result.plan, 2) + '\n')
    io.log.info(planText(result.plan))
  } else if (cmd.json) {
    io.out(jsonText({ digest: result.digest, targets: result.targets }, 2) + '\n')
  } else {
    io.log.info(textTable(resultRows(result)))
    const referrers = referrerRows(result.plan)
    if (referrers) io.log.info(textTable(referrers))
    io.out(`${result.digest}\n`)
  }
}
