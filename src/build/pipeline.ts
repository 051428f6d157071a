/**
 * One build as the action runs it: detect the driver, restore the build cache (when one is given),
 * build and push, save the build cache. The cache never fails the build ({@link restoreBuildCache}).
 */
import type { CacheStore } from '../cache/index.js'
import { checkClassicSupport, type BuildInputs } from './args.js'
import { restoreBuildCache, saveBuildCache, type BuildCacheOptions } from './cache.js'
import { cleanEnv, detectDriver, runBuild, type BuildResult, type DriverOptions } from './driver.js'

/** {@link DriverOptions}, and the cache to keep across runs (the `cache: actions` input). */
export interface PipelineOptions extends DriverOptions {
  cache?: {
    store: CacheStore
    /** See {@link BuildCacheOptions.dir}, e.g. `defaultCacheDir(process.env)`. */
    dir: string
    logger: BuildCacheOptions['logger']
  }
}

/**
 * Builds and pushes `inputs` like {@link buildAndPush}, with `options.cache` restored before and
 * saved after (under the key {@link restoreBuildCache} computes; saved from the first tag).
 * @throws BuildInputError before any command for inputs the detected builder cannot honour.
 * @throws BuildError as {@link buildAndPush} does; never for the cache.
 */
export async function buildWithCache(
  inputs: BuildInputs,
  options: PipelineOptions = {}
): Promise<BuildResult> {
  const found = await detectDriver(options)
  if (!options.cache) return await runBuild(found, inputs, options)
  if (found.driver === 'classic') checkClassicSupport(inputs)
  const cacheOptions: BuildCacheOptions = {
    ...options.cache,
    cli: found.cli,
    env: cleanEnv(options.env ?? process.env)
  }
  if (options.exec) cacheOptions.exec = options.exec
  if (options.signal) cacheOptions.signal = options.signal
  const { inputs: cached, plan } = await restoreBuildCache(found.driver, inputs, cacheOptions)
  const result = await runBuild(found, cached, options)
  // a cancelled job saves no cache: the run ends as soon as it can
  if (!options.signal?.aborted) await saveBuildCache(plan, inputs.tags[0]!, cacheOptions)
  return result
}
