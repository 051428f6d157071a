/**
 * `promote-image promote -f FILE [--dry-run] [--json] [--shard K/N]`: every image of a promotion
 * file in one engine run on one client (src/batch/). The file is checked whole before any request
 * (a bad file: exit 2). Results: a table per image and target and a total on stderr; stdout gets
 * one `name digest` line per promoted image, or with --json (or --dry-run) one JSON array of an object per image.
 * Exit 1 when any image failed, naming each and why; the others are complete.
 */
import { PromotionFileError, type PromotionFile } from '../batch/file.js'
import { loadPromotionFile, shardImages } from '../batch/load.js'
import { batchJson, batchText, failureLines, withFileRemedies } from '../batch/report.js'
import { batchInterruption, runBatch } from '../batch/run.js'
import { SIGNAL_EXIT } from '../copy/interrupt.js'
import { requireVerified, UsageError, type PlanCommand, type PromoteFileCommand } from './args.js'
import { commandClient } from './registry-read.js'
import { promoteSettings } from '../engine-options.js'
import { cliFileProof, cliProof } from './proof.js'
import type { Io } from './io.js'
import { OPTION_FLAGS } from '../options.js'
import { batchNames, withTlsAdvice } from '../report/tls-words.js'

/**
 * The command's promotion file, read and checked before any request.
 * @throws UsageError with the file's message (exit status 2)
 */
export function promotionFileOf(cmd: PromoteFileCommand | PlanCommand): PromotionFile {
  try {
    return loadPromotionFile(cmd.file, cmd.options.registryKinds)
  } catch (e) {
    if (e instanceof PromotionFileError) throw new UsageError(e.message)
    throw e
  }
}

/**
 * Runs `promote -f`; exit status 0 when every image was promoted (or planned), 1 when any failed,
 * 130 / 143 when `signal` was aborted by SIGINT / SIGTERM (one line per interrupted image).
 * @param signal aborting it interrupts the running images and starts no further one
 * @throws UsageError for a bad promotion file, or --require-verification with an image that nothing
 *   verifies (exit status 2, nothing sent)
 */
export async function runPromoteFile(cmd: PromoteFileCommand, io: Io, signal?: AbortSignal): Promise<number> {
  const file = promotionFileOf(cmd)
  requireVerified(cmd.options, file)
  const proof = await cliProof(cmd.options, io)
  const imageProof = await cliFileProof(file, cmd.options, io)
  const client = await commandClient(cmd, {}, io, signal)
  try {
    const images = cmd.shard ? await shardImages(client, file.images, cmd.shard, io.log) : file.images
    if (cmd.shard)
      io.log.info(
        `shard ${cmd.shard.k}/${cmd.shard.n}: ${images.map(i => i.name).join(', ') || '(no images)'}`
      )
    const outcomes = await runBatch(client, images, {
      ...promoteSettings(cmd.options, {
        dryRun: cmd.dryRun,
        logger: io.log,
        env: process.env,
        signal,
        requestBudget: client.transport.rateLimits,
        proof
      }),
      imageProof
    })
    for (const o of outcomes) withTlsAdvice(o.error, batchNames(OPTION_FLAGS))
    withFileRemedies(outcomes, cmd.file)
    io.log.info(batchText(outcomes, cmd.dryRun))
    if (cmd.json || cmd.dryRun) io.out(JSON.stringify(batchJson(outcomes), null, 2) + '\n')
    else for (const o of outcomes) if (o.result) io.out(`${o.image.name} ${o.result.digest}\n`)
    const interrupted = batchInterruption(outcomes)
    if (interrupted) {
      const { signal: name, lines } = interrupted
      io.log.info(
        `promote-image: ${lines.length} of ${outcomes.length} images interrupted:\n  ${lines.join('\n  ')}`
      )
      return SIGNAL_EXIT[name] ?? 130
    }
    const failed = failureLines(outcomes)
    if (failed.length === 0) return 0
    io.log.info(
      `promote-image: ${failed.length} of ${outcomes.length} images failed:\n  ${failed.join('\n  ')}`
    )
    return 1
  } finally {
    await client.close()
  }
}
