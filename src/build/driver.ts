/**
 * Runs BuildKit builds through a docker CLI and reports the digest of the pushed manifest.
 * The only module that imports `@actions/exec`; every command goes through an injectable
 * {@link ExecFn}, so tests can run the real CLI or a scripted one.
 */
import { getExecOutput } from '@actions/exec'
import { spawn } from 'node:child_process'
import { constants } from 'node:fs'
import { access, readFile, rm } from 'node:fs/promises'
import { constants as osConstants } from 'node:os'
import { delimiter, isAbsolute, join } from 'node:path'
import {
  buildxArgs,
  checkClassicSupport,
  dockerBuildArgs,
  dockerPushArgs,
  ghaCacheEnv,
  type BuildInputs
} from './args.js'
import { failedStep, formatFailedStep } from './failure.js'
import { redact, writeSecretFiles } from './secrets.js'

/** Options for one command: the whole environment (not merged), output echo and line callbacks. */
export interface ExecOptions {
  env: Record<string, string>
  /** When true, output is captured but not echoed to the process's stdout. */
  silent?: boolean
  listeners?: { stdline?: (line: string) => void; errline?: (line: string) => void }
  /**
   * Stops the command when aborted (a cancelled job): SIGINT to the child, then SIGKILL after
   * {@link KILL_AFTER_MS}; the result is then the child's exit code, or 128 + the signal's number.
   */
  signal?: AbortSignal
}

/** Result of one command; a non-zero exit code is returned, not thrown. */
export interface ExecResult {
  exitCode: number
  stdout: string
  stderr: string
}

/**
 * Runs `cmd args…`. Resolves with the exit code and the captured output whatever the exit code;
 * rejects only when the command cannot be started (e.g. the file does not exist).
 */
export type ExecFn = (cmd: string, args: string[], opts: ExecOptions) => Promise<ExecResult>

/** How long a command the signal stopped has to exit after SIGINT before it gets SIGKILL (ms). */
export const KILL_AFTER_MS = 5000

/**
 * The default {@link ExecFn}: `@actions/exec`'s `getExecOutput` with `ignoreReturnCode`; with
 * `opts.signal`, {@link stoppableExec} (`@actions/exec` cannot stop its child).
 * @throws Error `no executable file at PATH` for a path that is not an executable file (checked here
 * so the message is short), or `@actions/exec`'s error when a bare name is not on PATH.
 */
export const actionsExec: ExecFn = async (cmd, args, opts) => {
  if (cmd.includes('/')) {
    try {
      await access(cmd, constants.X_OK)
    } catch {
      throw new Error(`no executable file at ${cmd}`)
    }
  }
  if (opts.signal) return await stoppableExec(cmd, args, { ...opts, signal: opts.signal })
  return await getExecOutput(cmd, args, {
    env: opts.env,
    silent: opts.silent ?? false,
    listeners: opts.listeners,
    ignoreReturnCode: true
  })
}

/**
 * `cmd args…` spawned here, echoed as `@actions/exec` does (`[command]CMD ARGS` and both outputs on
 * stdout unless silent, lines to the listeners), stopped when `opts.signal` aborts: SIGINT
 * (the docker CLI cancels its build or push on it), SIGKILL {@link KILL_AFTER_MS} later.
 * @returns the exit code (128 + the signal's number when a signal ended it) and the whole output
 * @throws Error when the command cannot be started
 */
async function stoppableExec(
  cmd: string,
  args: string[],
  opts: ExecOptions & { signal: AbortSignal }
): Promise<ExecResult> {
  if (!opts.silent) process.stdout.write(`[command]${cmd} ${args.join(' ')}\n`)
  const child = spawn(cmd, args, { env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] })
  const out = { stdout: '', stderr: '' }
  const collect = (name: 'stdout' | 'stderr', onLine?: (line: string) => void) => {
    let partial = ''
    child[name].setEncoding('utf8')
    child[name].on('data', (text: string) => {
      out[name] += text
      // as @actions/exec does: both streams to stdout, in the order they came (one log)
      if (!opts.silent) process.stdout.write(text)
      const lines = (partial + text).split('\n')
      partial = lines.pop() ?? ''
      for (const line of lines) onLine?.(line.replace(/\r$/, ''))
    })
    child[name].on('end', () => partial && onLine?.(partial))
  }
  collect('stdout', opts.listeners?.stdline)
  collect('stderr', opts.listeners?.errline)
  let killer: NodeJS.Timeout | undefined
  const stop = (): void => {
    child.kill('SIGINT')
    killer = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS)
  }
  if (opts.signal.aborted) stop()
  else opts.signal.addEventListener('abort', stop, { once: true })
  try {
    const exitCode = await new Promise<number>((done, fail) => {
      child.once('error', fail)
      child.once('close', (code, signal) =>
        done(code ?? 128 + (signal ? (osConstants.signals[signal] ?? 0) : 0))
      )
    })
    return { exitCode, ...out }
  } finally {
    clearTimeout(killer)
    opts.signal.removeEventListener('abort', stop)
  }
}

/** `buildx`: `docker buildx build --push`; `classic`: `DOCKER_BUILDKIT=1 docker build` then `docker push`. */
export type BuildDriverKind = 'buildx' | 'classic'

/** A docker CLI that can run a BuildKit build, and how. */
export interface BuildDriver {
  driver: BuildDriverKind
  /** Absolute path of the docker CLI (or the explicit value when it was given as a path). */
  cli: string
  /** `docker version --format {{.Client.Version}}`, e.g. `20.10.24+dfsg1`; empty for buildx. */
  clientVersion: string
}

export interface DriverOptions {
  /** docker CLI to use (path, or a name looked up on PATH); when given, no other CLI is tried. */
  dockerCli?: string
  /** Runs commands; default {@link actionsExec}. */
  exec?: ExecFn
  /** Environment for every command; default `process.env`. Its PATH is where `docker` is looked up. */
  env?: NodeJS.ProcessEnv
  /** Capture build output without echoing it (tests); default false, so the action log shows it. */
  silent?: boolean
  /**
   * Gets the driver decision (info) and each command line (debug). Structurally the project's `Logger`
   * (src/logger.ts), narrowed to what this module uses.
   */
  logger?: { info(message: string): void; debug(message: string): void }
  /** Directory for the secret files of `{id, value}` secrets; default RUNNER_TEMP, else the OS temp dir. */
  tempDir?: string
  /**
   * Stops the build or push in flight when aborted (a cancelled job): the command is stopped
   * ({@link ExecOptions.signal}), no further command runs, and {@link BuildInterruptedError} says
   * what was pushed.
   */
  signal?: AbortSignal
}

/** What a build pushed. */
export interface BuildResult {
  driver: BuildDriverKind
  cli: string
  /**
   * Digest (`sha256:<64 hex>`) of the manifest or index the registry stored, i.e. what
   * `HEAD /v2/<name>/manifests/<tag>` answers in `Docker-Content-Digest`; never the image ID
   * (config digest). With `push: false`: buildx's `containerimage.digest` when it wrote one, else `''`
   * (the classic build pushes nothing, so no registry digest exists).
   */
  digest: string
  /** The references pushed, as given in `inputs.tags` (none with `push: false`). */
  pushedRefs: string[]
  /**
   * The image ID (build-push-action's `imageid` output): the config digest `sha256:<64 hex>`.
   * buildx: `containerimage.config.digest` of the metadata file (`''` when buildx wrote none, e.g.
   * for a multi-platform index); classic: `docker image inspect --format {{.Id}}` of the first tag.
   */
  imageId: string
  /**
   * The build result (build-push-action's `metadata` output): buildx's metadata file as parsed;
   * classic: the same keys buildx writes for one image, `containerimage.config.digest`,
   * `containerimage.digest` and `image.name` (the tags, comma-joined).
   */
  metadata: Record<string, unknown>
}

/** Thrown when no candidate CLI can build with BuildKit, or a build or push fails; `detail` holds the output tail. */
export class BuildError extends Error {
  constructor(
    message: string,
    readonly detail = ''
  ) {
    super(detail ? `${message}\n${detail}` : message)
    this.name = 'BuildError'
  }
}

/**
 * The signal of {@link DriverOptions.signal} stopped the build: `reason` is the signal's abort
 * reason; the message starts with the reason's and says what is at the staging registry:
 * `interrupted by SIGINT during the build; nothing was pushed to the staging registry`, or
 * `… while pushing REF; it may or may not be at the staging registry`.
 */
export class BuildInterruptedError extends Error {
  constructor(
    message: string,
    readonly reason: unknown
  ) {
    super(message)
    this.name = 'BuildInterruptedError'
  }
}

const DIGEST = /^sha256:[a-f0-9]{64}$/
/** Classic builder with BuildKit: 18.09 ≤ client < 23 (from 23 on, `docker build` is buildx). */
const CLASSIC_MIN: [number, number] = [18, 9]
const CLASSIC_BELOW_MAJOR = 23

/**
 * Finds a docker CLI that can run a BuildKit build. Candidates, in order: `options.dockerCli` alone
 * when given; otherwise `docker` on PATH, then `/usr/bin/docker`. For each: `buildx version` exits 0
 * → buildx; else `version --format {{.Client.Version}}` exits 0 with 18.09 ≤ version < 23 → classic
 * (BuildKit through `DOCKER_BUILDKIT=1`; a client ≥ 23 without buildx refuses BuildKit).
 * `docker version` also asks the daemon, so a daemon that does not answer rules a classic CLI out.
 * @throws BuildError naming every candidate and why it was rejected.
 */
export async function detectDriver(options: DriverOptions = {}): Promise<BuildDriver> {
  const exec = options.exec ?? actionsExec
  const env = cleanEnv(options.env ?? process.env)
  const candidates = options.dockerCli
    ? [await resolveCli(options.dockerCli, env)]
    : unique([(await lookPath('docker', env)) ?? 'docker', '/usr/bin/docker'])
  const reasons: string[] = []
  for (const cli of candidates) {
    const why = await probe(cli, exec, env)
    if (typeof why !== 'string') {
      options.logger?.info(
        `BuildKit driver: ${why.driver} via ${cli}${why.clientVersion ? ` (${why.clientVersion})` : ''}`
      )
      return why
    }
    reasons.push(why)
  }
  throw new BuildError(
    `${noDriverHeadline(reasons, options.dockerCli, env)}; tried:`,
    reasons.map((why, i) => `  ${candidates[i]}: ${why}`).join('\n')
  )
}

/** What docker prints when its daemon does not answer. */
const DAEMON_UNREACHABLE =
  /Cannot connect to the Docker daemon|Is the docker daemon running|error during connect/i

/** The start of {@link probe}'s reason for a CLI it could not start at all (not found, not executable). */
const CANNOT_RUN = 'cannot run it'

/**
 * Why no candidate builds, and what to do: the daemon first when every candidate failed to reach it
 * (no plugin or CLI would help then); when `docker-cli` named one CLI, that it cannot be run (give
 * the path of one) or else to add buildx with docker/setup-buildx-action, either way or to leave
 * `docker-cli` empty so the others are tried; else install docker when no candidate could be run at
 * all (setup-buildx-action installs no docker CLI), or add buildx with docker/setup-buildx-action.
 * @param reasons {@link probe}'s reason for each candidate, in order
 */
function noDriverHeadline(
  reasons: string[],
  dockerCli: string | undefined,
  env: Record<string, string>
): string {
  if (reasons.length && reasons.every(r => DAEMON_UNREACHABLE.test(r))) {
    const at = env.DOCKER_HOST ? `at DOCKER_HOST=${env.DOCKER_HOST}` : 'at its default socket'
    return `cannot build: the docker daemon ${at} is not reachable; start it, or set DOCKER_HOST to a daemon that answers`
  }
  const need = 'a working buildx plugin or a classic docker build with BuildKit (client 18.09–22.x)'
  if (dockerCli && reasons.every(r => r.startsWith(CANNOT_RUN)))
    return `cannot build with BuildKit: the docker CLI given (docker-cli: ${dockerCli}) cannot be run; give docker-cli the path of a docker CLI, or leave it empty to try docker on PATH and /usr/bin/docker`
  if (dockerCli)
    return `cannot build with BuildKit: the docker CLI given (docker-cli: ${dockerCli}) has neither ${need.replace(' or ', ' nor ')}; add docker/setup-buildx-action before this step, or leave docker-cli empty to try docker on PATH and /usr/bin/docker`
  const tried = 'no docker CLI tried (docker on PATH, /usr/bin/docker)'
  if (reasons.every(r => r.startsWith(CANNOT_RUN)))
    return `cannot build with BuildKit: ${tried} can be run; install docker on the runner, or give docker-cli the path of one (the build runs through a docker CLI, which docker/setup-buildx-action does not install)`
  return `cannot build with BuildKit: ${tried} has ${need}; add docker/setup-buildx-action before this step`
}

/** A working driver, or the reason the CLI cannot build with BuildKit. */
async function probe(cli: string, exec: ExecFn, env: Record<string, string>): Promise<BuildDriver | string> {
  let buildx: ExecResult
  try {
    buildx = await exec(cli, ['buildx', 'version'], { env, silent: true })
  } catch (err) {
    return `${CANNOT_RUN} (${errorMessage(err)})`
  }
  if (buildx.exitCode === 0) return { driver: 'buildx', cli, clientVersion: '' }
  let version: ExecResult
  try {
    version = await exec(cli, ['version', '--format', '{{.Client.Version}}'], { env, silent: true })
  } catch (err) {
    return `${CANNOT_RUN} (${errorMessage(err)})`
  }
  const clientVersion = version.stdout.trim().split('\n')[0] ?? ''
  if (version.exitCode !== 0) {
    return `no buildx, and "version" exited ${version.exitCode}: ${lastLine(version.stderr || version.stdout)}`
  }
  const m = /^(\d+)\.(\d+)/.exec(clientVersion)
  if (!m) return `no buildx, and client version "${clientVersion}" is not a version`
  const major = Number(m[1])
  const minor = Number(m[2])
  if (major >= CLASSIC_BELOW_MAJOR) {
    return `no buildx, and client ${clientVersion} (≥ ${CLASSIC_BELOW_MAJOR}) builds with BuildKit only through buildx`
  }
  if (major < CLASSIC_MIN[0] || (major === CLASSIC_MIN[0] && minor < CLASSIC_MIN[1])) {
    return `no buildx, and client ${clientVersion} is older than 18.09 (no BuildKit)`
  }
  return { driver: 'classic', cli, clientVersion }
}

/**
 * Builds `inputs` with BuildKit and pushes every tag: detects the driver ({@link detectDriver}),
 * runs `buildx build --push` (digest from `containerimage.digest` in `inputs.metadataFile`) or
 * `DOCKER_BUILDKIT=1 docker build` then `docker push` per tag (digest from the push output line
 * `<tag>: digest: sha256:… size: <bytes>`); with `inputs.push` false, nothing is pushed (buildx gets
 * no `--push`, the classic build no `docker push`). `{id, value}` secrets are written to mode-0600 files for
 * the build and removed after it, whatever its outcome; their values are redacted from errors.
 * @throws BuildInputError for inputs the driver cannot build (e.g. several platforms on classic).
 * @throws BuildError when no CLI works, the build or a push exits non-zero (a failed step is named
 * with its last output lines and its error, see {@link failedStep}; else the output tail), the
 * digest cannot be found, or two pushes of one build report different digests.
 * @throws BuildInterruptedError when `options.signal` stopped it (what was pushed in its message).
 */
export async function buildAndPush(inputs: BuildInputs, options: DriverOptions = {}): Promise<BuildResult> {
  const found = await detectDriver(options)
  return await runBuild(found, inputs, options)
}

/** Runs one command of a build; `what` names it in the error (`build`, `buildx build`, `push <tag>`). */
type Run = (what: string, args: string[], env: Record<string, string>) => Promise<ExecResult>

/**
 * What a stop during command `what` leaves at the staging registry, as {@link BuildInterruptedError}:
 * `started` says whether the command ran (else the stop came before it); `pushed` the tags already
 * pushed (classic pushes one tag per command; buildx pushes as its build ends).
 */
function interrupted(
  reason: unknown,
  what: string,
  started: boolean,
  tags: string[],
  pushed: string[]
): BuildInterruptedError {
  const why = errorMessage(reason)
  const before = pushed.length
    ? `; pushed before it: ${pushed.join(', ')}`
    : '; nothing was pushed to the staging registry'
  if (what.startsWith('push ')) {
    const tag = what.slice('push '.length)
    return new BuildInterruptedError(
      started
        ? `${why} while pushing ${tag}; it may or may not be at the staging registry`
        : `${why} before pushing ${tag}${before}`,
      reason
    )
  }
  const during = started ? 'during the build' : 'before the build'
  return new BuildInterruptedError(
    what === 'buildx build' && started
      ? `${why} during the build; buildx pushes as the build ends, so ${tags.join(', ')} may or may not be at the staging registry`
      : `${why} ${during}${before}`,
    reason
  )
}

/** {@link buildAndPush} with a driver already detected (e.g. to detect once for several builds). */
export async function runBuild(
  found: Pick<BuildDriver, 'driver' | 'cli'>,
  inputs: BuildInputs,
  options: DriverOptions = {}
): Promise<BuildResult> {
  const exec = options.exec ?? actionsExec
  const env = cleanEnv(options.env ?? process.env)
  // refuse what the classic builder cannot honour before anything is written or run
  if (found.driver === 'classic') checkClassicSupport(inputs)
  const written = await writeSecretFiles(inputs, options.tempDir ?? (env.RUNNER_TEMP || undefined), env)
  const { signal } = options
  const pushed: string[] = []
  const run: Run = async (what, args, runEnv) => {
    if (signal?.aborted) throw interrupted(signal.reason, what, false, inputs.tags, pushed)
    options.logger?.debug(`${found.cli} ${args.join(' ')}`)
    const res = await exec(found.cli, args, { env: runEnv, silent: options.silent, signal })
    // a command the signal stopped: what it left says the error, not its exit status
    if (res.exitCode !== 0 && signal?.aborted)
      throw interrupted(signal.reason, what, true, inputs.tags, pushed)
    if (res.exitCode !== 0)
      throw commandError(`${found.cli} ${what} exited ${res.exitCode}`, res, written.values)
    if (what.startsWith('push ')) pushed.push(what.slice('push '.length))
    return res
  }
  try {
    if (found.driver === 'buildx') return await buildx(found.cli, written.inputs, env, run)
    return await classic(found.cli, written.inputs, env, run, exec)
  } finally {
    await written.remove()
  }
}

/** `buildx build --push`; the result from the metadata file. */
async function buildx(
  cli: string,
  inputs: BuildInputs,
  env: Record<string, string>,
  run: Run
): Promise<BuildResult> {
  const args = buildxArgs({ ...inputs, gha: inputs.gha ?? ghaCacheEnv(inputs, env) })
  // a file left by an earlier build must not pass for this build's result
  await rm(inputs.metadataFile, { force: true })
  await run('buildx build', args, env)
  const pushed = inputs.push !== false
  const { digest, metadata } = await readMetadata(inputs.metadataFile, pushed)
  const config = metadata['containerimage.config.digest']
  return {
    driver: 'buildx',
    cli,
    digest,
    pushedRefs: pushed ? [...inputs.tags] : [],
    imageId: typeof config === 'string' && DIGEST.test(config) ? config : '',
    metadata
  }
}

/** `DOCKER_BUILDKIT=1 docker build`, `docker push` per tag, then the image ID of the first tag. */
async function classic(
  cli: string,
  inputs: BuildInputs,
  env: Record<string, string>,
  run: Run,
  exec: ExecFn
): Promise<BuildResult> {
  await run('build', dockerBuildArgs(inputs), { ...env, DOCKER_BUILDKIT: '1' })
  let digest = ''
  const pushed = inputs.push !== false
  for (const pushArgs of pushed ? dockerPushArgs(inputs) : []) {
    const res = await run(`push ${pushArgs[1]}`, pushArgs, env)
    const pushed = pushDigest(res.stdout)
    if (!pushed)
      throw new BuildError(
        `${cli} push ${pushArgs[1]}: no "digest: sha256:…" line in its output`,
        tail(res.stdout)
      )
    if (digest && pushed !== digest) {
      throw new BuildError(
        `pushes of one build reported different digests: ${digest} and ${pushed} (${pushArgs[1]})`
      )
    }
    digest = pushed
  }
  const tag = inputs.tags[0]!
  const inspect = await exec(cli, ['image', 'inspect', '--format', '{{.Id}}', tag], { env, silent: true })
  const imageId = inspect.stdout.trim()
  if (inspect.exitCode !== 0 || !DIGEST.test(imageId)) {
    throw new BuildError(
      `${cli} image inspect ${tag} gave no image ID (exit ${inspect.exitCode})`,
      tail(inspect.stderr, inspect.stdout)
    )
  }
  const metadata = {
    'containerimage.config.digest': imageId,
    ...(digest ? { 'containerimage.digest': digest } : {}),
    'image.name': inputs.tags.join(',')
  }
  return { driver: 'classic', cli, digest, pushedRefs: pushed ? [...inputs.tags] : [], imageId, metadata }
}

/**
 * The error of a command that exited non-zero: a failed BuildKit step is named in the message, and its
 * last lines and error are the detail; otherwise the detail is the output tail. Secret values are
 * replaced by `***`.
 */
function commandError(message: string, res: ExecResult, secrets: string[]): BuildError {
  const failed = failedStep(`${res.stderr}\n${res.stdout}`)
  if (failed) {
    const step = failed.step.replace(/^#\d+ /, '')
    return new BuildError(
      redact(`${message} at step ${step}`, secrets),
      redact(formatFailedStep(failed), secrets)
    )
  }
  // no vertex failed (the Dockerfile or the target stage could not be read): the cause is the
  // builder's error line, printed last under the progress lines; it leads, the rest is the detail
  const output = tail(res.stderr, res.stdout).split('\n')
  const at = output.findLastIndex(line => CAUSE_LINE.test(line))
  if (at < 0) return new BuildError(redact(message, secrets), redact(output.join('\n'), secrets))
  const rest = output.filter((_, i) => i !== at).join('\n')
  return new BuildError(redact(`${message}: ${output[at]!.trim()}`, secrets), redact(rest, secrets))
}

/** The builder's own error line: `ERROR: …` (buildx), `error: …`, `failed to solve …` (docker 20.10). */
const CAUSE_LINE = /^\s*(ERROR:|error:|failed to solve)/

/**
 * The manifest digest in `docker push` output: the last line shaped `<tag>: digest: sha256:<hex> size: <bytes>`.
 * @returns the digest, or undefined when no such line exists.
 */
export function pushDigest(output: string): string | undefined {
  const matches = [...output.matchAll(/: digest: (sha256:[a-f0-9]{64}) size: \d+\s*$/gm)]
  return matches.at(-1)?.[1]
}

/**
 * `containerimage.digest` from a buildx metadata file (JSON object).
 * @throws BuildError when the file is missing, not JSON, or has no `sha256:<64 hex>` digest there.
 */
export async function metadataDigest(file: string): Promise<string> {
  return (await readMetadata(file)).digest
}

/**
 * A buildx metadata file: the parsed JSON object and its `containerimage.digest`.
 * @param requireDigest false for a build that pushed nothing (`push: false`: an image kept in the
 *   build cache has no digest), whose missing digest is `''`
 * @throws BuildError when the file is missing, not a JSON object, or (unless `requireDigest` is
 *   false) has no `sha256:<64 hex>` digest.
 */
export async function readMetadata(
  file: string,
  requireDigest = true
): Promise<{ digest: string; metadata: Record<string, unknown> }> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    throw new BuildError(`buildx metadata file ${file} cannot be read: ${errorMessage(err)}`)
  }
  let metadata: unknown
  try {
    metadata = JSON.parse(text)
  } catch (err) {
    throw new BuildError(`buildx metadata file ${file} is not JSON: ${errorMessage(err)}`)
  }
  const digest = (metadata as Record<string, unknown> | null)?.['containerimage.digest']
  const object = typeof metadata === 'object' && metadata !== null && !Array.isArray(metadata)
  if (!requireDigest && object && (typeof digest !== 'string' || !DIGEST.test(digest)))
    return { digest: '', metadata: metadata as Record<string, unknown> }
  if (typeof digest !== 'string' || !DIGEST.test(digest)) {
    throw new BuildError(
      `buildx metadata file ${file} has no containerimage.digest (sha256:<64 hex>)`,
      text.slice(0, 2000)
    )
  }
  return { digest, metadata: metadata as Record<string, unknown> }
}

/** A bare name is looked up on PATH; a path is used as given. */
async function resolveCli(cli: string, env: Record<string, string>): Promise<string> {
  if (cli.includes('/')) return cli
  return (await lookPath(cli, env)) ?? cli
}

/** The first executable `name` in `env.PATH`, or undefined. */
async function lookPath(name: string, env: Record<string, string>): Promise<string | undefined> {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir || !isAbsolute(dir)) continue
    const file = join(dir, name)
    try {
      await access(file, constants.X_OK)
      return file
    } catch {
      // not here
    }
  }
  return undefined
}

/** `env` without its unset entries: the whole environment a command runs with. */
export function cleanEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [key, value] of Object.entries(env)) if (value !== undefined) out[key] = value
  return out
}

function unique(items: string[]): string[] {
  return [...new Set(items)]
}

/** The message of anything thrown; duck-typed, since Node's errors can come from another realm (Jest's vm). */
export function errorMessage(err: unknown): string {
  if (typeof err === 'object' && err !== null && 'message' in err) return String(err.message)
  return String(err)
}

function lastLine(text: string): string {
  return text.trim().split('\n').at(-1) ?? ''
}

/** The last 20 lines of the first non-empty output. */
function tail(...outputs: string[]): string {
  const text = outputs.find(o => o.trim() !== '') ?? ''
  return text.trimEnd().split('\n').slice(-20).join('\n')
}
