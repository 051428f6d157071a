/**
 * `promote-image plan -f FILE --shards N`: one line of JSON on stdout,
 * `{"include":[{"shard":"1/N","images":["app",…]},…]}`, for a workflow's `strategy.matrix`
 * (batch/shards.ts says how shards are balanced). Reads only the sources' manifests.
 */
import { PromotionFileError } from '../batch/file.js'
import { loadPromotionFile, matrixOf } from '../batch/load.js'
import { UsageError, type PlanCommand } from './args.js'
import { cliClient } from './client.js'
import type { Io } from './io.js'

/**
 * Runs plan; exit status 0.
 * @throws UsageError for a bad promotion file (exit 2); Error naming the image whose source cannot be read (exit 1)
 */
export async function runPlan(cmd: PlanCommand, io: Io): Promise<number> {
  let file
  try {
    file = loadPromotionFile(cmd.file, cmd.options.registryKinds)
  } catch (e) {
    if (e instanceof PromotionFileError) throw new UsageError(e.message)
    throw e
  }
  const client = cliClient(cmd.options, io.log)
  try {
    io.out(JSON.stringify(await matrixOf(client, file.images, cmd.shards)) + '\n')
    return 0
  } finally {
    await client.close()
  }
}
