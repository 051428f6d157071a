/**
 * The build cache kept across runs in a {@link CacheStore} (the `cache: actions` input):
 * - classic docker build (it cannot export a cache, but honours `--cache-from` of a local image built
 *   with `BUILDKIT_INLINE_CACHE=1`, even after `docker save` / `docker load` and a pruned build cache):
 *   before the build, restore + `docker load` the image saved by an earlier run and pass it as
 *   `--cache-from`; after it, `docker save` the built image and save it under a key from the
 *   Dockerfile, the build inputs and the context's files.
 * - buildx: the `type=local` cache directories of `cache-from` (`src=`) and `cache-to` (`dest=`) are
 *   restored before and saved after; without any cache-from/cache-to, one directory of our own is
 *   used as both (`mode=max`).
 * A cache failure is a warning, never a failed build.
 */
import { createHash } from 'node:crypto'
import { readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { cacheKeys, exists, hashDirectory, type CacheKeys, type CacheStore } from '../cache/index.js'
import { startUnlessAborted } from '../abort.js'
import { createDirectorySync } from '../copy/state-files.js'
import { BuildInputError, isRemoteContext, type BuildInputs } from './args.js'
import {
  actionsExec,
  BuildInterruptedError,
  cleanEnv,
  errorMessage,
  type BuildDriverKind,
  type ExecFn
} from './driver.js'

/** What the cache needs: the store, a directory it owns, the docker CLI and a logger. */
export interface BuildCacheOptions {
  store: CacheStore
  /** Directory for the cache's files (absolute, the same in every run), e.g. `$RUNNER_TEMP/promote-image-cache`. */
  dir: string
  /** The docker CLI (classic: `docker load` / `tag` / `save` / `image rm`). */
  cli: string
  exec?: ExecFn
  /** Environment of the docker commands; default `process.env`. */
  env?: Record<string, string>
  logger: { info(message: string): void; warning(message: string): void }
  /**
   * A cancelled job (SIGINT / SIGTERM): the store's restore is no longer waited for (it is abandoned,
   * not stopped: `@actions/cache` takes no signal) and `docker load` is stopped; restoreBuildCache
   * then throws BuildInterruptedError
   */
  signal?: AbortSignal
}

/** What {@link restoreBuildCache} found, for {@link saveBuildCache}. */
export interface BuildCachePlan {
  driver: BuildDriverKind
  keys: CacheKeys
  /** The paths saved and restored (the store's entries are keyed by them too). */
  paths: string[]
  /** The key of the entry restored; undefined on a miss or a failed restore. */
  restoredKey?: string
  /** Classic: the local image name the cache image is saved and loaded under. */
  image?: string
}

const CLASSIC_PREFIX = 'promote-image-classic'

/** The `cache` input: `actions` keeps the build cache in the GitHub Actions cache; `none` (or empty) does not. */
export type CacheMode = 'actions' | 'none'

/**
 * Parses the `cache` input (`actions`, `none` or empty, case-insensitive).
 * @throws BuildInputError `cache` for anything else.
 */
export function parseCacheMode(value: string): CacheMode {
  const v = value.trim().toLowerCase()
  if (v === '' || v === 'none') return 'none'
  if (v === 'actions') return 'actions'
  throw new BuildInputError('cache', `"${value}" is not actions or none`)
}

/**
 * The directory the cache's files live in, the same in every run of a workflow:
 * `$RUNNER_TEMP/promote-image-cache`, else `<os temp>/promote-image-cache`.
 */
export function defaultCacheDir(env: Record<string, string | undefined>): string {
  return join(env.RUNNER_TEMP || tmpdir(), 'promote-image-cache')
}
const BUILDX_PREFIX = 'promote-image-buildx'

/**
 * Restores the cache of an earlier run and returns the inputs to build with: classic gets
 * `BUILDKIT_INLINE_CACHE=1` and, when an image was restored and loaded, `--cache-from` it; buildx
 * gets its `type=local` directories filled (and our own directory when it had no cache specs).
 * Never throws for the cache itself: a failed restore or load is a warning (`cache: …`).
 * @throws Error only when the context or Dockerfile cannot be read for the key; BuildInterruptedError
 *   when `options.signal` aborts during the restore or the load (`interrupted by SIGINT while the
 *   build cache was restored, before the build; nothing was pushed to the staging registry`)
 */
export async function restoreBuildCache(
  driver: BuildDriverKind,
  inputs: BuildInputs,
  options: BuildCacheOptions
): Promise<{ inputs: BuildInputs; plan: BuildCachePlan }> {
  const prefix = driver === 'classic' ? CLASSIC_PREFIX : BUILDX_PREFIX
  const keys = cacheKeys(prefix, await cacheScope(driver, inputs), await contextDigest(inputs.context))
  const local = driver === 'buildx' ? localDirs(inputs, join(options.dir, 'buildx')) : undefined
  const paths = local ? local.dirs : [join(options.dir, 'classic')]
  const plan: BuildCachePlan = { driver, keys, paths }
  if (paths.length === 0) {
    options.logger.info('cache: cache-from/cache-to name no type=local directory; buildx keeps its own cache')
    return { inputs, plan }
  }
  let restoredKey: string | undefined
  const { signal } = options
  try {
    for (const path of paths) createDirectorySync(path)
    restoredKey = await startUnlessAborted(
      () => options.store.restore(paths, keys.key, keys.restoreKeys),
      signal
    )
    options.logger.info(
      restoredKey ? `cache: restored ${restoredKey}` : `cache: no entry for ${keys.key} or its restore keys`
    )
  } catch (err) {
    if (signal?.aborted) throw restoreInterrupted(signal)
    options.logger.warning(`cache: restore of ${keys.key} failed, building without it: ${errorMessage(err)}`)
  }
  if (restoredKey) plan.restoredKey = restoredKey
  if (local) return { inputs: local.inputs, plan }
  plan.image = `promote-image-cache:${keys.key.split('-').at(-2)}`
  const built = { ...inputs, buildArgs: [...inputs.buildArgs, 'BUILDKIT_INLINE_CACHE=1'] }
  if (!restoredKey) return { inputs: built, plan }
  const loaded = await loadImage(join(paths[0]!, 'image.tar'), options)
  if (signal?.aborted) throw restoreInterrupted(signal)
  return { inputs: loaded ? { ...built, cacheFrom: [...(inputs.cacheFrom ?? []), loaded] } : built, plan }
}

/** The cancel that came while the cache was restored (or its image loaded): nothing built or pushed. */
function restoreInterrupted(signal: AbortSignal): BuildInterruptedError {
  return new BuildInterruptedError(
    `${errorMessage(signal.reason)} while the build cache was restored, before the build; nothing was pushed to the staging registry`,
    signal.reason
  )
}

/**
 * Saves the cache after a successful build: classic `docker tag TAG IMAGE`, `docker save`, `docker
 * image rm IMAGE` (the tag only) and the store's save; buildx the store's save of its directories.
 * Nothing is saved when the exact key was restored (the entry exists). Never throws: a failure is
 * a warning (`cache: …`).
 */
export async function saveBuildCache(
  plan: BuildCachePlan,
  builtRef: string,
  options: BuildCacheOptions
): Promise<void> {
  const { key } = plan.keys
  if (plan.paths.length === 0) return
  if (plan.restoredKey === key) {
    options.logger.info(`cache: ${key} was restored exactly; not saved again`)
    return
  }
  try {
    if (plan.driver === 'classic') await saveImage(plan, builtRef, options)
    const present: string[] = []
    for (const path of plan.paths) if (await exists(path)) present.push(path)
    if (present.length !== plan.paths.length)
      throw new Error(`the build wrote no cache to ${plan.paths.join(', ')}`)
    await options.store.save(plan.paths, key)
    options.logger.info(`cache: saved ${key}`)
  } catch (err) {
    options.logger.warning(`cache: save of ${key} failed (the build itself succeeded): ${errorMessage(err)}`)
  }
}

/** What the cache is for, hashed into its key: the Dockerfile's digest and the inputs that change layers. */
async function cacheScope(driver: BuildDriverKind, inputs: BuildInputs): Promise<unknown> {
  const file = inputs.file ?? join(inputs.context, 'Dockerfile')
  let dockerfile = ''
  try {
    dockerfile = createHash('sha256')
      .update(await readFile(file))
      .digest('hex')
  } catch {
    // a context URL, or no Dockerfile yet: the build will say so
  }
  return {
    driver,
    dockerfile,
    file: inputs.file ?? '',
    target: inputs.target ?? '',
    platforms: inputs.platforms,
    buildArgs: inputs.buildArgs
  }
}

/** {@link hashDirectory} of a local context; the sha256 of the string for a remote one ({@link isRemoteContext}). */
async function contextDigest(context: string): Promise<string> {
  if (isRemoteContext(context)) return createHash('sha256').update(context).digest('hex')
  return await hashDirectory(context)
}

/** buildx: the `type=local` directories of the inputs, or our own directory added as both. */
function localDirs(inputs: BuildInputs, own: string): { dirs: string[]; inputs: BuildInputs } {
  const from = inputs.cacheFrom ?? []
  const to = inputs.cacheTo ?? []
  if (from.length === 0 && to.length === 0) {
    return {
      dirs: [own],
      inputs: {
        ...inputs,
        cacheFrom: [`type=local,src=${own}`],
        cacheTo: [`type=local,dest=${own},mode=max`]
      }
    }
  }
  const dirs = [...from.map(s => localDir(s, 'src')), ...to.map(s => localDir(s, 'dest'))]
  return { dirs: [...new Set(dirs.filter((d): d is string => d !== undefined))].sort(), inputs }
}

function localDir(spec: string, attr: 'src' | 'dest'): string | undefined {
  const fields = spec.split(',')
  if (!fields.includes('type=local')) return undefined
  return fields.find(f => f.startsWith(`${attr}=`))?.slice(attr.length + 1)
}

/** `docker load -i TAR`; the image name it loaded, or undefined (with a warning) when it failed. */
async function loadImage(tar: string, options: BuildCacheOptions): Promise<string | undefined> {
  const exec = options.exec ?? actionsExec
  try {
    const res = await exec(options.cli, ['load', '-i', tar], {
      env: options.env ?? cleanEnv(process.env),
      silent: true,
      ...(options.signal ? { signal: options.signal } : {})
    })
    const name = /^Loaded image: (\S+)$/m.exec(res.stdout)?.[1]
    if (res.exitCode !== 0 || !name)
      throw new Error(`docker load exited ${res.exitCode}: ${(res.stderr || res.stdout).trim()}`)
    options.logger.info(`cache: loaded ${name} as --cache-from`)
    return name
  } catch (err) {
    // stopped by a cancel: restoreBuildCache says so
    if (options.signal?.aborted) return undefined
    options.logger.warning(
      `cache: the restored image cannot be loaded, building without it: ${errorMessage(err)}`
    )
    return undefined
  }
}

/** `docker tag BUILT IMAGE`, `docker save -o TAR IMAGE`, `docker image rm IMAGE`. */
async function saveImage(plan: BuildCachePlan, builtRef: string, options: BuildCacheOptions): Promise<void> {
  const exec = options.exec ?? actionsExec
  const env = options.env ?? cleanEnv(process.env)
  const tar = join(plan.paths[0]!, 'image.tar')
  await rm(tar, { force: true })
  for (const args of [
    ['tag', builtRef, plan.image!],
    ['save', '-o', tar, plan.image!],
    ['image', 'rm', plan.image!]
  ]) {
    const res = await exec(options.cli, args, { env, silent: true })
    if (res.exitCode !== 0)
      throw new Error(`docker ${args[0]} exited ${res.exitCode}: ${(res.stderr || res.stdout).trim()}`)
  }
}
