/**
 * One engine run for every image of a promotion file: the existing single-image promote() per
 * image, all on ONE client (connection pools, tokens, the rate budget per registry host) and one
 * shared state (copy/holders.ts: one transfer limit per registry host over all images, and which
 * repository on a target registry holds or is uploading each blob, so a blob several images need
 * there crosses the network once and the others mount it). Images run concurrently, a few at a
 * time (per target registry, slots.ts); one image's failure does not stop the others, and each keeps promote()'s all-or-nothing
 * tag rule across its own targets. Also sizes images for the shard planner (shards.ts).
 */
import type { RegistryApi, Repository } from '../registry/api.js'
import { registryKey, sameRegistry } from '../reference/hosts.js'
import { silentLogger, type Logger } from '../logger.js'
import { walkGraph, type ImageGraph } from '../copy/graph.js'
import { mapLimit } from '../copy/limiter.js'
import { sharedPromotion } from '../copy/holders.js'
import { SourceTags } from '../referrers/source-tags.js'
import { mapPerRegistry } from './slots.js'
import { promote, resolve, type PromoteResult } from '../copy/promote.js'
import type { PromoteSettings } from '../engine-options.js'
import { interruptedBy, InterruptedError, signalName } from '../copy/interrupt.js'
import type { FileImage } from './file.js'
import type { ShardImage } from './shards.js'

/**
 * images promoted at once per target registry (slots.ts; their blob transfers are bounded per host
 * by the shared limiter)
 */
export const IMAGES_AT_ONCE = 8

/**
 * How a promotion file's images are promoted: the run's promote() settings, built from the options
 * by engine-options.ts promoteSettings like every interface's (each image's tag policy, moving tags
 * and referrers come from the file instead), and how many images run at once.
 */
export interface BatchOptions extends Partial<PromoteSettings> {
  /** images at once per target registry (default {@link IMAGES_AT_ONCE}) */
  imagesAtOnce?: number
  /**
   * the gate and the record of the images whose promotion-file entry gives its own, by image index
   * (engine-options.ts fileProofSettings); the others take the settings' `verify` / `record`
   */
  imageProof?: ReadonlyMap<number, Pick<PromoteSettings, 'verify' | 'record'>>
}

/** What happened to one image: its result, or the error that stopped it. */
export interface ImageOutcome {
  image: FileImage
  result?: PromoteResult
  error?: Error
  /** the digest promoted, once the plan was accepted: a failed image's too (absent before its plan) */
  digest?: string
}

const sourceRepo = (img: FileImage): Repository => ({
  registry: img.source.registry,
  repository: img.source.repository
})

/** `[name] message` on every line of the logger. */
function prefixed(log: Logger, name: string): Logger {
  return {
    debug: m => log.debug(`[${name}] ${m}`),
    info: m => log.info(`[${name}] ${m}`),
    warning: m => log.warning(`[${name}] ${m}`)
  }
}

/**
 * Promotes every image (see the module comment), then writes the blob record (`blobMemory`) once
 * with what every image that succeeded saw. Never throws for an image's failure: it is that
 * image's `error` (a missing source, a refused target, a TagPolicyError, a PromoteError).
 * @returns one outcome per image, in the order given
 */
export async function runBatch(
  api: RegistryApi,
  images: FileImage[],
  options: BatchOptions = {}
): Promise<ImageOutcome[]> {
  const { imagesAtOnce = IMAGES_AT_ONCE, imageProof, ...settings } = options
  // one transfer limit per registry host over every image (`concurrency`; the engine's default)
  const shared = sharedPromotion(api, settings.concurrency)
  const log = settings.logger ?? silentLogger
  const { signal } = settings
  // images at once per target registry: one held back by its registry does not stall the others
  const targetRegistries = (image: FileImage): string[] => image.targets.map(t => t.repo.registry)
  const outcomes = await mapPerRegistry(images, imagesAtOnce, targetRegistries, async image => {
    if (signal?.aborted) return { image, error: new InterruptedError(signalName(signal), [], [], []) }
    let planned: string | undefined
    try {
      const result = await promote(api, {
        ...settings,
        source: { ...sourceRepo(image), reference: image.reference },
        targets: image.targets,
        tagPolicy: image.tagPolicy,
        movingTags: image.movingTags,
        referrers: image.referrers,
        ...imageProof?.get(image.index),
        logger: prefixed(log, image.name),
        shared,
        onPlan: plan => {
          planned = plan.source.digest
          return settings.onPlan?.(plan)
        }
      })
      return { image, result, digest: result.digest }
    } catch (e) {
      if (!(e instanceof InterruptedError)) log.warning(`${image.name}: ${(e as Error).message}`)
      return { image, error: e as Error, ...(planned ? { digest: planned } : {}) }
    }
  })
  // the blob record, once for the whole file (each promote() only adds its sightings: a write per
  // image re-read and rewrote the whole record every time)
  await settings.blobMemory?.save(log)
  return outcomes
}

/**
 * The interruption of a batch, when a signal stopped any image (interrupt.ts interruptedBy: an
 * image whose record phase it ended, tags written, too): the signal's name (`SIGINT`, …) and one
 * line per interrupted image (`name: what landed where`, its targets on indented lines).
 */
export function batchInterruption(outcomes: ImageOutcome[]): { signal: string; lines: string[] } | undefined {
  const interrupted = outcomes.flatMap(o => {
    const signal = interruptedBy(o.error)
    return signal && o.error ? [{ ...o, error: o.error, signal }] : []
  })
  if (interrupted.length === 0) return undefined
  const lines = interrupted.map(o => `${o.image.name}: ${o.error.message.replace(/\n/g, '\n  ')}`)
  return { signal: interrupted[0].signal, lines }
}

/**
 * Sizes each image for the shard planner: resolves its source and walks its graph (HEAD/GET of
 * the source manifests only; no blob is read), then lists, per distinct target registry other than
 * the source's (there blobs are mounted, nothing moves), every blob as `registry digest` → size.
 * Each distinct source (registry, repository, reference and referrer selection) is read once:
 * entries sharing a source share its graph, so 10,000 entries of one source cost the requests of
 * one (issue 24, finding 9).
 * An image whose source cannot be resolved or walked weighs nothing (no needs) and is warned of on
 * `log`, naming it and why: it still gets a shard, where its promotion fails as that image's own
 * failure, and the plan (a workflow's matrix) goes on for the others.
 */
export async function sizeImages(
  api: RegistryApi,
  images: FileImage[],
  log: Logger = silentLogger
): Promise<ShardImage[]> {
  const graphs = new Map<string, Promise<ImageGraph>>()
  const tags = new SourceTags(api)
  const graphOf = (image: FileImage): Promise<ImageGraph> => {
    const source = sourceRepo(image)
    const key = JSON.stringify([
      registryKey(source.registry),
      source.repository,
      image.reference,
      image.referrers
    ])
    let graph = graphs.get(key)
    if (!graph) {
      graph = resolve(api, source, image.reference).then(({ digest }) =>
        walkGraph(api, source, digest, { referrers: image.referrers, tags })
      )
      graphs.set(key, graph)
    }
    return graph
  }
  return await mapLimit(images, IMAGES_AT_ONCE, async image => {
    try {
      const source = sourceRepo(image)
      const graph = await graphOf(image)
      const registries = [...new Set(image.targets.map(t => registryKey(t.repo.registry)))].filter(
        r => !sameRegistry(r, source.registry)
      )
      const needs = registries.flatMap(r => graph.blobs.map(b => ({ key: `${r} ${b.digest}`, size: b.size })))
      return { name: image.name, needs }
    } catch (e) {
      log.warning(`${image.name}: not sized for the shards (counted as 0 bytes): ${(e as Error).message}`)
      return { name: image.name, needs: [], unread: (e as Error).message }
    }
  })
}
