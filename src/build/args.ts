/**
 * BuildKit command lines (pure; no I/O): argv for `docker buildx build` and for the classic
 * `docker build` (BuildKit through `DOCKER_BUILDKIT=1`) followed by `docker push` per tag.
 * Shaped like docker/build-push-action's `getArgs(inputs)`: one flag per value, fixed flag order,
 * the context last.
 */

/**
 * A build secret handed to BuildKit (`--secret`), never a build arg: `src` is a file path read by the
 * CLI, `env` the name of an environment variable the CLI reads. The value itself never enters argv.
 */
export type BuildSecret = { id: string; src: string } | { id: string; env: string }

/** What to build and where to push it. */
export interface BuildInputs {
  /** Build context: a directory path (relative to the working directory) or a URL. */
  context: string
  /** Dockerfile path; default: `Dockerfile` inside the context. */
  file?: string
  /** Build args as `KEY=VALUE`. */
  buildArgs: string[]
  /** Image labels, as a map or as `KEY=VALUE` strings; order is kept. */
  labels: Record<string, string> | string[]
  /** Full references to push (`registry/repository:tag`); at least one. */
  tags: string[]
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
}

/** Thrown for inputs that cannot be turned into a command line; names the input and the rule. */
export class BuildInputError extends Error {
  constructor(
    readonly input: string,
    readonly rule: string
  ) {
    super(`invalid build input ${input}: ${rule}`)
    this.name = 'BuildInputError'
  }
}

/**
 * argv (without the CLI itself) for `docker buildx build --push`, e.g.
 * `['buildx', 'build', '--push', '--metadata-file', F, '--tag', T, …, CONTEXT]`.
 * Flag order: push, metadata-file, tag, label, build-arg, platform (comma-joined), file, target,
 * no-cache, pull, secret, provenance, sbom, context.
 * @throws BuildInputError when there is no tag, or a label, build arg or secret is malformed.
 */
export function buildxArgs(inputs: BuildInputs): string[] {
  const args = ['buildx', 'build', '--push', '--metadata-file', inputs.metadataFile]
  args.push(...commonArgs(inputs))
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
 * Flag order: tag, label, build-arg, platform, file, target, no-cache, pull, secret, context.
 * @throws BuildInputError when there is no tag, more than one platform (the classic builder loads
 * one image into the daemon's store, so it cannot build a multi-platform index; use buildx), when
 * provenance or sbom is requested (attestations need buildx), or a label, build arg or secret is
 * malformed.
 */
export function dockerBuildArgs(inputs: BuildInputs): string[] {
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
  return ['build', ...commonArgs(inputs), inputs.context]
}

/** argv (without the CLI itself) for pushing each tag after a classic build: `[['push', T1], ['push', T2], …]`. */
export function dockerPushArgs(inputs: Pick<BuildInputs, 'tags'>): string[][] {
  return inputs.tags.map(tag => ['push', tag])
}

/** The flags both builders share, in their fixed order, without the context. */
function commonArgs(inputs: BuildInputs): string[] {
  if (inputs.tags.length === 0) throw new BuildInputError('tags', 'at least one reference to push is needed')
  const args: string[] = []
  for (const tag of inputs.tags) {
    if (tag === '' || /\s/.test(tag)) throw new BuildInputError('tags', `"${tag}" is not a reference`)
    args.push('--tag', tag)
  }
  for (const label of labelList(inputs.labels)) args.push('--label', label)
  for (const arg of inputs.buildArgs) args.push('--build-arg', keyValue('build-args', arg))
  if (inputs.platforms.length > 0) args.push('--platform', inputs.platforms.join(','))
  if (inputs.file) args.push('--file', inputs.file)
  if (inputs.target) args.push('--target', inputs.target)
  if (inputs.noCache) args.push('--no-cache')
  if (inputs.pull) args.push('--pull')
  for (const secret of inputs.secrets ?? []) args.push('--secret', secretSpec(secret))
  return args
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

/** `id=ID,src=PATH` or `id=ID,env=NAME`; commas or quotes would break the CLI's CSV parsing. */
function secretSpec(secret: BuildSecret): string {
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
