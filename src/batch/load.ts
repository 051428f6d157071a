/**
 * Loads a promotion file from disk and, for a shard, narrows it to that shard's images: the one
 * place the CLI and the action share for `-f FILE [--shard K/N]` and `plan --shards N`.
 */
import { readFileSync } from 'node:fs'
import type { RegistryApi } from '../registry/api.js'
import type { RegistryKind } from '../reference/index.js'
import { parsePromotionFile, PromotionFileError, type FileImage, type PromotionFile } from './file.js'
import { sizeImages } from './run.js'
import { planShards, shardMatrix } from './shards.js'
import type { Logger } from '../logger.js'
import type { RequestBudgets } from '../registry/ratelimit.js'

/**
 * Reads and checks `path` (parsePromotionFile), before any request.
 * @throws PromotionFileError naming the file (unreadable, YAML syntax, a bad field)
 */
export function loadPromotionFile(
  path: string,
  kinds: Record<string, RegistryKind> = {},
  read: (path: string) => string = p => readFileSync(p, 'utf8')
): PromotionFile {
  let text: string
  try {
    text = read(path)
  } catch (e) {
    throw new PromotionFileError(`${path}: cannot be read: ${(e as Error).message}`)
  }
  return parsePromotionFile(text, path, kinds)
}

/**
 * The images of shard `k` of `n` (the same deterministic plan `plan --shards n` prints, from the
 * sources' manifests); none when that shard is empty.
 */
export async function shardImages(
  api: RegistryApi,
  images: FileImage[],
  k: number,
  n: number,
  log?: Logger
): Promise<FileImage[]> {
  const shard = planShards(await sizeImages(api, images, log), n).find(s => s.shard === k)
  return (shard?.images ?? []).map(i => images[i])
}

/**
 * The matrix of `n` shards: `{"include":[{"shard":"1/N","images":[…],"budget":"…"},…]}`
 * (shards.ts; `budget`: each shard's share of `budgets`, when given).
 */
export async function matrixOf(
  api: RegistryApi,
  images: FileImage[],
  n: number,
  log?: Logger,
  budgets?: RequestBudgets
): Promise<ReturnType<typeof shardMatrix>> {
  return shardMatrix(await sizeImages(api, images, log), n, budgets)
}
