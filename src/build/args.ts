/**
 * BuildKit command lines (pure; no I/O): argv for `docker buildx build` and for the classic
 * `docker build` (BuildKit through `DOCKER_BUILDKIT=1`) followed by `docker push` per tag.
 * Shaped like docker/build-push-action's `getArgs(inputs)`: one flag per value, fixed flag order,
 * the context last.
 */
import { inputFault } from '../input-fault.js'

/**
 * A build secret handed to BuildKit (`--secret`), never a build arg: `src` is a file path read by the
 * CLI, `env` the name of an environment variable the CLI reads, `value` the secret itself (the
 * `secrets` input), which the driver writes to a mode-0600 temporary file and passes as `src`
 * ({@link BuildSecret} values never enter argv; the argv builders refuse one that is still a value).
 */
export type BuildSecret =
  { id: string; src: string } | { id: string; env: string } | { id: string; value: string }

/**
 * Whether docker reads this build context from elsewhere rather than from a local directory: a URL
 * (any `scheme://`: a git repository, an https tarball) or an SSH git address (`git@…`, as docker
 * spells it, lower case). `-` (stdin) is neither. Pure; throws nothing.
 * @param context the `context` of {@link BuildInputs}, as given
 */
export function isRemoteContext(context: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(context) || context.startsWith('git@')
}

/** What to build and where to push it. */
export interface BuildInputs {
  /** Build context: a directory path (relative to the working directory) or a remote one ({@link isRemoteContext}). */
  context: string
  /** Dockerfile path; default: `Dockerfile` inside the context. */
  file?: string
  /** Build args as `KEY=VALUE`. */
  buildArgs: string[]
  /** Image labels, as a map or as `KEY=VALUE` strings; order is kept. */
  labels: Record<string, string> | string[]
  /** Full references to push (`registry/repository:tag`; with `push: false`, to tag); at least one. */
  tags: string[]
  /**
   * false: build only, as docker/build-push-action's `push: false`: buildx gets no `--push`, the
   * classic build no `docker push` (its image stays in the daemon's store, tagged); default true.
   */
  push?: boolean
  /** Target platforms (`os/arch[/variant]`); empty means the builder's own platform. */
  platforms: string[]
  /** Dockerfile stage to build. */
  target?: string
  /** Build without cache. */
  noCache?: boolean
  /** Always pull newer versions of base images. */
  pull?: boolean
  /** Secrets exposed to `RUN --mount=type=secret`. */
  secrets?: BuildSecret[]
  /** buildx only: `--provenance` (`true`, `false` or a spec such as `mode=max`). */
  provenance?: boolean | string
  /** buildx only: `--sbom` (`true`, `false` or a spec such as `generator=…`). */
  sbom?: boolean | string
  /** Path of the JSON file buildx writes the build result to (`containerimage.digest`). */
  metadataFile: string
  /** `ssh` input: SSH agent sockets or keys for `RUN --mount=type=ssh` (`default`, `ID=PATH[,PATH]`). */
  ssh?: string[]
  /** `add-hosts` input: `HOST:IP` entries for /etc/hosts of RUN steps. */
  addHosts?: string[]
  /** `network` input: networking mode of RUN steps (`default`, `none`, `host`). */
  network?: string
  /**
   * `cache-from` input: cache sources. buildx: any `--cache-from` spec (`type=gha` gets the runner's
   * cache URL, see {@link ghaCacheEnv}); classic: image references only (a plain reference or
   * `type=registry,ref=REF`).
   */
  cacheFrom?: string[]
  /** buildx only, `cache-to` input: cache exports (`type=gha`, `type=local,dest=DIR`, `type=registry,…`). */
  cacheTo?: string[]
  /** buildx only, `build-contexts` input: `NAME=VALUE` named contexts (`--build-context`). */
  buildContexts?: string[]
  /** buildx only, `annotations` input: manifest/index annotations (`KEY=VALUE`, `TYPE[PLATFORM]:KEY=VALUE`). */
  annotations?: string[]
  /** buildx only, `shm-size` input: size of /dev/shm for RUN steps (e.g. `128m`). */
  shmSize?: string
  /** buildx only, `ulimit` input: `NAME=SOFT[:HARD]` entries for RUN steps. */
  ulimits?: string[]
  /** buildx only, `builder` input: the buildx builder instance to build on. */
  builder?: string
  /**
   * Seconds since the epoch handed to the build as the `SOURCE_DATE_EPOCH` build arg (BuildKit ≥ 0.11
   * clamps timestamps to it; the classic docker 20.10 build only exposes it to `ARG SOURCE_DATE_EPOCH`).
   */
  sourceDateEpoch?: number
  /**
   * The runner's cache service for `type=gha` cache specs (ACTIONS_CACHE_URL / ACTIONS_RESULTS_URL);
   * the URLs are added to the spec, the token is not: buildx reads ACTIONS_RUNTIME_TOKEN from its
   * environment, so it never enters argv or the echoed command line. See {@link ghaCacheEnv}.
   */
  gha?: GhaCache
}

/** Cache service URLs of the runner, for `type=gha` (see {@link ghaCacheEnv}). */
export interface GhaCache {
  /** ACTIONS_CACHE_URL (cache service v1 / GHES). */
  url?: string
  /** ACTIONS_RESULTS_URL (cache service v2). */
  urlV2?: string
}

/** Thrown for inputs that cannot be turned into a command line; names the input and the rule. */
export class BuildInputError extends Error {
  constructor(
    readonly input: string,
    readonly rule: string
  ) {
    super(inputFault(input, rule))
    this.name = 'BuildInputError'
  }
}

/**
 * argv (without the CLI itself) for `docker buildx build --push` (`--push` left out with `push: false`), e.g.
 * `['buildx', 'build', '--push', '--metadata-file', F, '--tag', T, …, CONTEXT]`.
 * Flag order: builder, push, metadata-file, then the shared flags (tag, label, build-arg, platform
 * (comma-joined), file, target, no-cache, pull, secret, ssh, add-host, network, cache-from), then
 * build-context, annotation, shm-size, ulimit, cache-to, provenance, sbom, context. `type=gha` cache
 * specs get `url=`/`url_v2=` from `inputs.gha` when they name none (never a token).
 * @throws BuildInputError when there is no tag, or an entry is malformed (names the input and rule).
 */
export function buildxArgs(inputs: BuildInputs): string[] {
  const args = ['buildx', 'build']
  if (inputs.builder) args.push('--builder', inputs.builder)
  if (inputs.push !== false) args.push('--push')
  args.push('--metadata-file', inputs.metadataFile)
  args.push(...commonArgs(inputs, spec => buildxCacheSpec('cache-from', spec, inputs.gha)))
  for (const c of inputs.buildContexts ?? []) args.push('--build-context', keyValue('build-contexts', c))
  for (const a of inputs.annotations ?? []) args.push('--annotation', keyValue('annotations', a))
  if (inputs.shmSize) args.push('--shm-size', checked('shm-size', inputs.shmSize, SIZE, 'NUMBER[k|m|g]'))
  for (const u of inputs.ulimits ?? [])
    args.push('--ulimit', checked('ulimit', u, ULIMIT, 'NAME=SOFT[:HARD]'))
  for (const c of inputs.cacheTo ?? []) args.push('--cache-to', buildxCacheSpec('cache-to', c, inputs.gha))
  for (const [flag, value] of [
    ['--provenance', inputs.provenance],
    ['--sbom', inputs.sbom]
  ] as const) {
    if (value !== undefined && value !== '') args.push(flag, String(value))
  }
  args.push(inputs.context)
  return args
}

/**
 * argv (without the CLI itself) for the classic `docker build` with BuildKit (run it with
 * `DOCKER_BUILDKIT=1`), e.g. `['build', '--tag', T, …, CONTEXT]`; push with {@link dockerPushArgs}.
 * Flag order: the shared flags of {@link buildxArgs} (cache-from as image references), context.
 * @throws BuildInputError, before anything runs, for what the classic builder cannot honour
 * ({@link checkClassicSupport}), when there is no tag, or an entry is malformed.
 */
export function dockerBuildArgs(inputs: BuildInputs): string[] {
  checkClassicSupport(inputs)
  return ['build', ...commonArgs(inputs, classicCacheSource), inputs.context]
}

/** Inputs only buildx honours: field, input name, and what the classic docker build does instead. */
const BUILDX_ONLY: [keyof BuildInputs, string, string][] = [
  ['builder', 'builder', "the classic docker build always runs on the daemon's own BuildKit"],
  [
    'cacheTo',
    'cache-to',
    "the docker CLI's BuildKit cannot export a cache (cache: actions keeps the built image as an inline cache instead)"
  ],
  [
    'buildContexts',
    'build-contexts',
    'the classic docker build has no named build contexts (--build-context)'
  ],
  ['annotations', 'annotations', 'the classic docker build cannot annotate manifests or indexes'],
  ['shmSize', 'shm-size', 'the classic docker build ignores --shm-size under BuildKit (docker 20.10)'],
  ['ulimits', 'ulimit', 'the classic docker build ignores --ulimit under BuildKit (docker 20.10)']
]

/** The action inputs {@link checkClassicSupport} refuses without buildx (action.yml says so of each). */
export const BUILDX_ONLY_INPUTS: readonly string[] = BUILDX_ONLY.map(([, input]) => input)

/**
 * Refuses what the classic `docker build` (docker 18.09–22.x with `DOCKER_BUILDKIT=1`) cannot honour,
 * instead of dropping it: several platforms, provenance or sbom, and every input of
 * {@link BUILDX_ONLY} (message `input "INPUT": needs buildx (docker/setup-buildx-action); …`).
 * @throws BuildInputError naming the first such input and the builder that would honour it.
 */
export function checkClassicSupport(inputs: BuildInputs): void {
  if (inputs.platforms.length > 1) {
    throw new BuildInputError(
      'platforms',
      `the classic docker build makes one image for one platform, got ${inputs.platforms.length} (${inputs.platforms.join(',')}); use a docker CLI with buildx for multi-platform builds`
    )
  }
  for (const [name, value] of [
    ['provenance', inputs.provenance],
    ['sbom', inputs.sbom]
  ] as const) {
    if (value !== undefined && value !== false && value !== 'false' && value !== '') {
      throw new BuildInputError(name, `attestations need buildx; the classic docker build cannot make them`)
    }
  }
  for (const [field, input, why] of BUILDX_ONLY) {
    const value = inputs[field]
    if (Array.isArray(value) ? value.length > 0 : value !== undefined && value !== '') {
      throw new BuildInputError(input, `needs buildx (docker/setup-buildx-action); ${why}`)
    }
  }
}

/** argv (without the CLI itself) for pushing each tag after a classic build: `[['push', T1], ['push', T2], …]`. */
export function dockerPushArgs(inputs: Pick<BuildInputs, 'tags'>): string[][] {
  return inputs.tags.map(tag => ['push', tag])
}

/**
 * The runner's cache service for `type=gha` specs, from the environment the build runs with:
 * `{url: ACTIONS_CACHE_URL, urlV2: ACTIONS_RESULTS_URL}` (unset ones left out).
 * @throws BuildInputError naming `cache-from`/`cache-to` when a spec uses `type=gha` and the
 * environment lacks ACTIONS_RUNTIME_TOKEN or both URLs (the runner sets them for actions only).
 */
export function ghaCacheEnv(
  inputs: Pick<BuildInputs, 'cacheFrom' | 'cacheTo'>,
  env: Record<string, string | undefined>
): GhaCache {
  const gha: GhaCache = {}
  if (env.ACTIONS_CACHE_URL) gha.url = env.ACTIONS_CACHE_URL
  if (env.ACTIONS_RESULTS_URL) gha.urlV2 = env.ACTIONS_RESULTS_URL
  for (const [input, specs] of [
    ['cache-from', inputs.cacheFrom],
    ['cache-to', inputs.cacheTo]
  ] as const) {
    if (!(specs ?? []).some(s => cacheAttrs(s).get('type') === 'gha')) continue
    if (!env.ACTIONS_RUNTIME_TOKEN || (!gha.url && !gha.urlV2)) {
      throw new BuildInputError(
        input,
        'type=gha needs the runner\'s ACTIONS_RUNTIME_TOKEN and ACTIONS_CACHE_URL or ACTIONS_RESULTS_URL in the environment (the runner gives them to actions, not to "run:" steps)'
      )
    }
  }
  return gha
}

/** The flags both builders share, in their fixed order, without the context. */
function commonArgs(inputs: BuildInputs, cacheSource: (spec: string) => string): string[] {
  if (inputs.tags.length === 0) throw new BuildInputError('tags', 'at least one reference to push is needed')
  const args: string[] = []
  for (const tag of inputs.tags) {
    if (tag === '' || /\s/.test(tag)) throw new BuildInputError('tags', `"${tag}" is not a reference`)
    args.push('--tag', tag)
  }
  for (const label of labelList(inputs.labels)) args.push('--label', label)
  for (const arg of inputs.buildArgs) args.push('--build-arg', keyValue('build-args', arg))
  if (inputs.sourceDateEpoch !== undefined)
    args.push('--build-arg', `SOURCE_DATE_EPOCH=${epoch(inputs.sourceDateEpoch)}`)
  if (inputs.platforms.length > 0) args.push('--platform', inputs.platforms.join(','))
  if (inputs.file) args.push('--file', inputs.file)
  if (inputs.target) args.push('--target', inputs.target)
  if (inputs.noCache) args.push('--no-cache')
  if (inputs.pull) args.push('--pull')
  for (const secret of inputs.secrets ?? []) args.push('--secret', secretSpec(secret))
  for (const ssh of inputs.ssh ?? [])
    args.push('--ssh', checked('ssh', ssh, SSH, 'default or ID[=SOCKET|KEY[,KEY]]'))
  for (const host of inputs.addHosts ?? [])
    args.push('--add-host', checked('add-hosts', host, ADD_HOST, 'HOST:IP'))
  if (inputs.network) args.push('--network', checked('network', inputs.network, NO_SPACE, 'a network mode'))
  for (const spec of inputs.cacheFrom ?? []) args.push('--cache-from', cacheSource(spec))
  return args
}

const SIZE = /^\d+(\.\d+)?([kmgt]i?)?b?$/i
const ULIMIT = /^[a-z]+=-?\d+(:-?\d+)?$/
const SSH = /^[^\s,=]+(=[^\s,]+(,[^\s,]+)*)?$/
const ADD_HOST = /^[^\s:=]+[:=]\S+$/
const NO_SPACE = /^\S+$/

/** `value` when it matches `pattern`; else BuildInputError naming the input and the expected shape. */
function checked(input: string, value: string, pattern: RegExp, shape: string): string {
  if (!pattern.test(value)) throw new BuildInputError(input, `"${value}" is not ${shape}`)
  return value
}

function epoch(seconds: number): string {
  if (!Number.isInteger(seconds) || seconds < 0) {
    // derived from the commit's time (tags/index.ts sourceDateEpochOf), not an input
    throw new Error(`build arg SOURCE_DATE_EPOCH: ${seconds} is not a whole number of seconds ≥ 0`)
  }
  return String(seconds)
}

/**
 * The registry references `cache-to` entries export the build cache to (buildx's `type=registry`,
 * and a plain reference, which buildx takes as one), e.g. `['r.example/app:buildcache']`: what a
 * `push: false` build still writes to a registry, as docker/build-push-action's does.
 * @param cacheTo the `cache-to` entries as given
 * @returns each such entry's `ref` (the entry itself when it has none), in order
 */
export function registryCacheExports(cacheTo: readonly string[]): string[] {
  return cacheTo.flatMap(spec => {
    const attrs = cacheAttrs(spec)
    if (attrs.size === 0) return [spec]
    return attrs.get('type') === 'registry' ? [attrs.get('ref') || spec] : []
  })
}

/** `type=…,key=value,…` as a map (first `=` splits); a plain reference gives an empty map. */
function cacheAttrs(spec: string): Map<string, string> {
  const attrs = new Map<string, string>()
  if (!spec.includes('=')) return attrs
  for (const field of spec.split(',')) {
    const eq = field.indexOf('=')
    attrs.set((eq < 0 ? field : field.slice(0, eq)).trim(), eq < 0 ? '' : field.slice(eq + 1).trim())
  }
  return attrs
}

/** A buildx cache spec; `type=gha` gets the runner's URLs and must not carry a token. */
function buildxCacheSpec(input: string, spec: string, gha: GhaCache | undefined): string {
  checked(input, spec, NO_SPACE, 'a cache spec (type=…,key=value or an image reference)')
  const attrs = cacheAttrs(spec)
  if (attrs.get('type') !== 'gha') return spec
  if (attrs.has('token')) {
    throw new BuildInputError(
      input,
      'a type=gha spec must not carry token= (it would be echoed with the command line); buildx reads ACTIONS_RUNTIME_TOKEN from the environment'
    )
  }
  const extra: string[] = []
  if (gha?.url && !attrs.has('url')) extra.push(`url=${gha.url}`)
  if (gha?.urlV2 && !attrs.has('url_v2')) extra.push(`url_v2=${gha.urlV2}`)
  return [spec, ...extra].join(',')
}

/** A classic cache source: an image reference, given plainly or as `type=registry,ref=REF`. */
function classicCacheSource(spec: string): string {
  checked('cache-from', spec, NO_SPACE, 'an image reference')
  const attrs = cacheAttrs(spec)
  if (attrs.size === 0) return spec
  const ref = attrs.get('ref')
  if (attrs.get('type') === 'registry' && ref && attrs.size === 2) return ref
  throw new BuildInputError(
    'cache-from',
    `"${spec}" needs buildx (docker/setup-buildx-action); the classic docker build takes cache sources as image references only (REF or type=registry,ref=REF)`
  )
}

function labelList(labels: BuildInputs['labels']): string[] {
  if (Array.isArray(labels)) return labels.map(label => keyValue('labels', label))
  return Object.entries(labels).map(([key, value]) => keyValue('labels', `${key}=${value}`))
}

/** Checks `KEY=VALUE` with a non-empty key; the value may be empty or contain `=`. */
function keyValue(input: string, entry: string): string {
  const eq = entry.indexOf('=')
  if (eq <= 0) throw new BuildInputError(input, `"${entry}" is not KEY=VALUE`)
  return entry
}

/**
 * `id=ID,src=PATH` or `id=ID,env=NAME`; commas or quotes would break the CLI's CSV parsing.
 * @throws Error (without the value) for a secret still holding its value: the driver writes those to files.
 */
function secretSpec(secret: BuildSecret): string {
  if ('value' in secret) {
    throw new Error(
      `secret ${JSON.stringify(secret.id)} still holds its value; write it to a file first (writeSecretFiles)`
    )
  }
  const [kind, value] = 'src' in secret ? ['src', secret.src] : ['env', secret.env]
  for (const part of [secret.id, value]) {
    if (part === '' || /[,"]/.test(part)) {
      throw new BuildInputError(
        'secrets',
        `"${part}" in secret ${JSON.stringify(secret.id)} is empty or has , or "`
      )
    }
  }
  return `id=${secret.id},${kind}=${value}`
}
