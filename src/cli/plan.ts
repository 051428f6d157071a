/**
 * `promote-image plan -f FILE --shards N`: one line of JSON on stdout,
 * `{"include":[{"shard":"1/N","images":["app",…]},…]}`, for a workflow's `strategy.matrix`
 * (batch/shards.ts says how shards are balanced). Reads only the sources' manifests.
 */
import { matrixOf } from '../batch/load.js'
import type { PlanCommand } from './args.js'
import { promotionFileOf } from './promote-file.js'
import { cliClient } from './client.js'
import type { Io } from './io.js'

/**
 * Runs plan; exit status 0.
 * @throws UsageError for a bad promotion file (exit 2); an image whose source cannot be read is warned
 *   of and weighs nothing (batch/run.ts sizeImages)
 */
export async function runPlan(cmd: PlanCommand, io: Io): Promise<number> {
  const file = promotionFileOf(cmd)
  const client = cliClient(cmd.options, io.log)
  try {
    io.out(
      JSON.stringify(await matrixOf(client, file.images, cmd.shards, io.log, cmd.options.requestBudgets)) +
        '\n'
    )
    return 0
  } finally {
    await client.close()
  }
}
