/** `promote-image copy|promote SRC DST…`: promote by digest, then tag; `--dry-run` prints the plan. */
import { promote, TagPolicyError, type PromoteResult } from '../copy/promote.js'
import { formatBytes, planText, resultRows, textTable } from '../report/format.js'
import type { CopyCommand } from './args.js'
import { cliClient } from './client.js'
import type { Io } from './io.js'

/**
 * Runs copy/promote; exit status 0. The digest (or, with --json, `{digest, targets}`; with
 * --dry-run the JSON plan) goes to stdout, the result table to stderr.
 * @throws Error from the engine (exit status 1); a TagPolicyError in a dry run prints its plan first
 */
export async function runCopy(cmd: CopyCommand, io: Io): Promise<number> {
  const client = cliClient(cmd.options, io.log)
  try {
    const result = await promote(client, {
      source: { registry: cmd.source.registry, repository: cmd.source.repository, reference: cmd.reference },
      targets: cmd.targets,
      tagPolicy: cmd.options.tagPolicy,
      movingTags: cmd.options.movingTags,
      dryRun: cmd.dryRun,
      concurrency: cmd.options.concurrency,
      uploadMode: cmd.options.uploadMode,
      logger: io.log,
      onProgress: p =>
        io.log.info(
          `copied ${formatBytes(p.bytes)} of ${formatBytes(p.totalBytes)} (${formatBytes(p.rateBytesPerSecond)}/s)`
        )
    })
    report(cmd, result, io)
    return 0
  } catch (e) {
    if (e instanceof TagPolicyError && cmd.dryRun) io.out(JSON.stringify(e.plan, null, 2) + '\n')
    throw e
  } finally {
    await client.close()
  }
}

function report(cmd: CopyCommand, result: PromoteResult, io: Io): void {
  if (cmd.dryRun) {
    io.out(JSON.stringify(result.plan, null, 2) + '\n')
    io.log.info(planText(result.plan))
  } else if (cmd.json) {
    io.out(JSON.stringify({ digest: result.digest, targets: result.targets }, null, 2) + '\n')
  } else {
    io.log.info(textTable(resultRows(result)))
    io.out(`${result.digest}\n`)
  }
}
