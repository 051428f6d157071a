/**
 * `promote-image plan -f FILE --shards N`: one line of JSON on stdout,
 * `{"include":[{"shard":"1/N","images":["app",…]},…]}`, for a workflow's `strategy.matrix`
 * (batch/shards.ts says how shards are balanced). Reads only the sources' manifests.
 */
import { matrixOf } from '../batch/load.js'
import type { PlanCommand } from './args.js'
import { promotionFileOf } from './promote-file.js'
import type { Io } from './io.js'
import { commandClient } from './registry-read.js'

/**
 * Runs plan; exit status 0. The sources are read with the credentials `promote -f --shard K/N`
 * reads them with (`--authfile`, then the docker config), so both compute the same shards.
 * @throws UsageError for a bad promotion file (exit 2); an image whose source cannot be read is warned
 *   of and weighs nothing (batch/run.ts sizeImages)
 * @param signal the run's interruption (SIGINT / SIGTERM): ends the requests in flight and stops a
 *   docker credential helper being asked; run.ts main() then exits 130 / 143
 */
export async function runPlan(cmd: PlanCommand, io: Io, signal?: AbortSignal): Promise<number> {
  const file = promotionFileOf(cmd)
  const client = await commandClient(cmd, {}, io, signal)
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
