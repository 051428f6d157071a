/**
 * Loads a promotion file from disk and, for a shard, narrows it to that shard's images: the one
 * place the CLI and the action share for `-f FILE [--shard K/N]` and `plan --shards N`.
 */
import { readFileSync } from 'node:fs'
import type { RegistryApi } from '../registry/api.js'
import type { RegistryKind } from '../reference/index.js'
import { parsePromotionFile, PromotionFileError, type FileImage, type PromotionFile } from './file.js'
import { sizeImages } from './run.js'
import { planFingerprint, planShards, shardMatrix, type ShardChoice, type ShardImage } from './shards.js'
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
 * The images of shard K of N (the same deterministic plan `plan --shards N` prints, from the
 * sources' manifests); none when that shard is empty. With the matrix's `K/N@PLAN`, the plan
 * recomputed here must be that plan (shards.ts planFingerprint), else no image is promoted.
 * @throws Error `shard K/N@PLAN: that plan was made for M shards, not N: give the shard as the
 *   matrix printed it (K/M@PLAN); …` when another N gives PLAN, else `shard K/N@PLAN: this job's
 *   plan is @OTHER, not the matrix's: …; nothing was promoted: …` naming the sources this job
 *   could not read
 */
export async function shardImages(
  api: RegistryApi,
  images: FileImage[],
  shard: ShardChoice,
  log?: Logger
): Promise<FileImage[]> {
  const sized = await sizeImages(api, images, log)
  const planned = planShards(sized, shard.n)
  const here = planFingerprint(sized, shard.n, planned)
  if (shard.plan !== undefined && here !== shard.plan) {
    const madeFor = shardCountOf(sized, shard.plan, shard.n)
    if (madeFor !== undefined)
      throw new Error(
        `shard ${shard.k}/${shard.n}@${shard.plan}: that plan was made for ${madeFor} shards, not ${shard.n}: give the shard as the matrix printed it (${shard.k}/${madeFor}@${shard.plan}); nothing was promoted`
      )
    const unread = sized.filter(s => s.unread !== undefined).map(s => `${s.name} (${s.unread})`)
    throw new Error(
      `shard ${shard.k}/${shard.n}@${shard.plan}: this job's plan is @${here}, not the matrix's: ` +
        (unread.length
          ? `it could not read ${unread.join(', ')}`
          : 'it read every source, so some moved since the plan job or the plan job could not read them') +
        `; nothing was promoted, as every image belongs to exactly one shard of one plan: run the plan job and its shards again`
    )
  }
  return (planned.find(s => s.shard === shard.k)?.images ?? []).map(i => images[i])
}

/**
 * The N (1 to 256, other than `asked`) whose plan of these sources has fingerprint `plan`: a
 * `--shard K/N@PLAN` written with another N than the matrix's (`1/1@…` where one of 2 asked shards
 * was planned). Pure, and only on a refused shard: up to 255 plans of the sized images.
 * @returns that N; undefined when no N gives `plan` (the sources read otherwise)
 */
function shardCountOf(sized: ShardImage[], plan: string, asked: number): number | undefined {
  for (let n = 1; n <= 256; n++)
    if (n !== asked && planFingerprint(sized, n, planShards(sized, n)) === plan) return n
  return undefined
}

/**
 * The matrix of `n` shards: `{"include":[{"shard":"1/N","images":[…],"budget":"…"},…]}`
 * (shards.ts; `budget`: each shard's share of `budgets`, when given). Fewer shards than asked is
 * said as a warning on `log` ({@link fewerShardsText}).
 */
export async function matrixOf(
  api: RegistryApi,
  images: FileImage[],
  n: number,
  log?: Logger,
  budgets?: RequestBudgets
): Promise<ReturnType<typeof shardMatrix>> {
  const matrix = shardMatrix(await sizeImages(api, images, log), n, budgets)
  const fewer = fewerShardsText(
    n,
    matrix.include.map(e => e.images.length),
    images.length
  )
  if (fewer) log?.warning(fewer)
  return matrix
}

/**
 * Why a plan has fewer shards than asked, or undefined when it has them all or every image has a
 * shard of its own: `8 shards asked, 2
 * planned (160 and 40 images): …`. The shards are balanced by the bytes each moves, so images that
 * share their layers stay together (the shared bytes cross once) while a shard stays within 1.25 ×
 * the fair load (shards.ts); the number of images does not count.
 * @param sizes the number of images of each planned shard
 */
export function fewerShardsText(n: number, sizes: number[], images: number): string | undefined {
  // every image its own shard (fewer images than shards): nothing to explain
  if (sizes.length >= n || images <= sizes.length) return undefined
  const head = `${n} shards asked, ${sizes.length} planned (${sizes.join(' and ').replace(/ and (?=.* and )/g, ', ')} images)`
  return (
    `${head}: shards are balanced by the bytes each moves, not by their number of images, and these images ` +
    'share their layers, so more shards would move the shared bytes again (docs/promotion-files.md, "Shards for a matrix")'
  )
}
