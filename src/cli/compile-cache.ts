/**
 * Node's module compile cache for the CLI (Node ≥ 22.1, `module.enableCompileCache`): later runs
 * skip compiling the bundle's code. Turned on before the command's modules are loaded (they are
 * imported lazily, see src/cli.ts).
 */
/** What `module.enableCompileCache` reports, as this module reads it. */
interface CompileCacheResult {
  status: number
  message?: string
  directory?: string
}

type EnableFn = (directory?: string) => CompileCacheResult

/** The outcome, in words: `enabled`, `already-enabled`, `failed`, `disabled`, `off` (asked), `unsupported` (Node < 22.1). */
export type CompileCacheOutcome =
  'enabled' | 'already-enabled' | 'failed' | 'disabled' | 'off' | 'unsupported'

const STATUS: Record<number, CompileCacheOutcome> = {
  0: 'failed',
  1: 'enabled',
  2: 'already-enabled',
  3: 'disabled'
}

/**
 * `module.enableCompileCache` where Node has it (≥ 22.1, with `process.getBuiltinModule`), else
 * undefined without loading node:module: on Node 20 that load (node:module, the ES-module loader's
 * modules and source maps, all unused by a run of the CLI) is paid at every start for a function it
 * lacks.
 * @param version Node's version (`process.versions.node`)
 */
function nodeEnableCompileCache(version = process.versions.node): EnableFn | undefined {
  const [major = 0, minor = 0] = version.split('.').map(Number)
  if (major < 22 || (major === 22 && minor < 1) || !process.getBuiltinModule) return undefined
  return (process.getBuiltinModule('node:module') as { enableCompileCache?: EnableFn }).enableCompileCache
}

/**
 * Enables the compile cache in `PROMOTE_IMAGE_COMPILE_CACHE` when set (`0`, `off` or `false`: not
 * at all), else in Node's default (`NODE_COMPILE_CACHE`, else `<tmpdir>/node-compile-cache`).
 * Never throws: an unwritable directory or an old Node only means no cache (`failed`, `unsupported`).
 * @param enable the Node function (tests inject one); undefined where Node lacks it
 */
export function enableCompileCache(
  env: Record<string, string | undefined>,
  enable: EnableFn | undefined = nodeEnableCompileCache()
): CompileCacheOutcome {
  const asked = env.PROMOTE_IMAGE_COMPILE_CACHE?.trim()
  if (asked && /^(0|off|false)$/i.test(asked)) return 'off'
  if (!enable) return 'unsupported'
  try {
    const result = asked ? enable(asked) : enable()
    return STATUS[result?.status] ?? 'failed'
  } catch {
    return 'failed'
  }
}
