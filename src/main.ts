/**
 * The action's phases: inputs → build (BuildKit) → stage (resolve the pushed digest once at the
 * staging registry) → promote (by digest to every target; tags last) → report (outputs, summary).
 * The only place that calls core.setFailed.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as core from '@actions/core'
import { readInputs, type ActionInputs } from './inputs.js'
import { formatRepo, targetKey } from './copy/targets.js'
import { secretsOf, type CredentialSource } from './auth/credentials.js'
import { registryKey } from './reference/hosts.js'
import {
  defaultCredentials,
  dockerConfigCredentials,
  type DockerConfigOptions
} from './auth/docker-config.js'
import { createRegistryClient } from './registry/factory.js'
import {
  promote,
  PromoteError,
  resolve,
  TagPolicyError,
  type PromotePlan,
  type PromoteResult
} from './copy/promote.js'
import { interruptedBy, InterruptedError, Interruption, isAbort, SIGNAL_EXIT } from './copy/interrupt.js'
import {
  clientOptions,
  fileProofSettings,
  promoteSettings,
  proofSettings,
  type ProofSettings
} from './engine-options.js'
import { pemSecrets, type ProofEdge } from './proof/load.js'
import { recordRunOf } from './github/run.js'
import { actionTokenTrouble } from './proof/oidc.js'
import { VERSION } from './cli/help.js'
import { OPTION_INPUTS } from './options.js'
import { registryCacheExports, type BuildInputs } from './build/args.js'
import { defaultCacheDir } from './build/cache.js'
import { platformStagingTag, stagedReuse as reuseRule } from './build/identity.js'
import { buildWithCache, type PipelineOptions } from './build/pipeline.js'
import { BuildError, BuildInterruptedError } from './build/driver.js'
import { readSecretValues } from './build/secrets.js'
import { actionsCache } from './cache/index.js'
import { loadTagEngine, needsTagEngine, readGitHubContext, sourceDateEpochOf } from './tags/index.js'
import { formatReference, manifestReference } from './reference/index.js'
import { logSafe, planText, resultRows, textTable } from './report/format.js'
import { commandText } from './report/neutralise.js'
import { batchNames, insecureWarning, withTlsAdvice } from './report/tls-words.js'
import { withImpliedTag } from './report/implied-tag.js'
import { progressLine, ProgressMeter } from './report/progress.js'
import {
  deploymentsUrl,
  promotedOutput,
  releaseOf,
  setFailedOutputs,
  setJsonOutput,
  appendSummary,
  setOutputs,
  writeSummary,
  type RunReport
} from './report/summary.js'
import { copiedArtifactLines, maskOnce, promotedLine } from './report/log.js'
import { promotedDigest } from './report/selection.js'
import { deploymentContext, recordDeployment } from './github/deployments.js'
import { Inputs, Outputs } from './constants.js'
import { silentLogger, type Logger } from './logger.js'
import type { Manifest } from './oci/manifest.js'
import type { PromotionFile } from './batch/file.js'
import { matrixOf, shardImages } from './batch/load.js'
import { mergeStage, mergeTag } from './merge/stage.js'
import { MergeInterruptedError } from './merge/merge.js'
import {
  batchMarkdown,
  batchPlans,
  batchText,
  failureLines,
  shardsMarkdown,
  withFileRemedies
} from './batch/report.js'
import { batchInterruption, runBatch } from './batch/run.js'

type Client = ReturnType<typeof createRegistryClient>

/** core.setSecret once per distinct secret (a fresh set each run, see run()) */
let mask = maskOnce(s => core.setSecret(s))

const coreLogger: Logger = {
  debug: m => core.debug(commandText(m)),
  info: m => core.info(logSafe(m)),
  warning: m => core.warning(commandText(m))
}

/** The tags one target gets: the plain tags and rules, plus full references naming it. */
function tagsOf(inputs: ActionInputs, target: ActionInputs['targets'][number]): string[] {
  return inputs['target-tags'][targetKey(target)] ?? inputs.tags
}

/** Every tag applied at any target, each once, in order. */
function allTags(inputs: ActionInputs): string[] {
  return [...new Set(inputs.targets.flatMap(t => tagsOf(inputs, t)))]
}

/** The staging tag when `staging-image` has none: unique per workflow run, else per commit, else per second. */
export function defaultStagingTag(env: NodeJS.ProcessEnv): string {
  if (env.GITHUB_RUN_ID) return `build-${env.GITHUB_RUN_ID}-${env.GITHUB_RUN_ATTEMPT ?? '1'}`
  if (env.GITHUB_SHA) return `sha-${env.GITHUB_SHA.slice(0, 12)}`
  return `build-${new Date()
    .toISOString()
    .replace(/[^0-9]/g, '')
    .slice(0, 14)}`
}

/** The image to promote: an existing `source`, or what the build pushed to `staging-image`. */
interface Staged {
  registry: string
  repository: string
  /** tag or digest to resolve at the staging registry */
  reference: string
  /** as shown in logs */
  display: string
  /** the digest the build reported, when built (or the merge wrote, when merged) */
  built?: string
  /** what made `built`, for messages (default `the build pushed`) */
  madeBy?: string
}

/** The BuildInputs of the action's build inputs (tags and metadata file are set per build). */
function buildInputsOf(inputs: ActionInputs, metadataFile: string): BuildInputs {
  return {
    context: inputs.context,
    file: inputs.file,
    buildArgs: inputs['build-args'],
    labels: inputs.labels,
    tags: [],
    platforms: inputs.platforms,
    target: inputs.target,
    noCache: inputs['no-cache'],
    metadataFile,
    sourceDateEpoch: process.env.GITHUB_SHA ? sourceDateEpochOf(readGitHubContext()) : undefined,
    ...inputs.build
  }
}

/**
 * The staging tag when `staging-image` has none: in Actions `sha-<commit>-<inputs>` (stagingTag), and
 * for a build of one platform `sha-<commit>-<inputs>-<os>-<arch>` (platformStagingTag: a matrix job
 * per platform, found by the merge by its tag), so a re-run of the same commit and build inputs finds
 * what its first run staged; else
 * {@link defaultStagingTag}. `reusable` says whether an image already there may be reused.
 */
function stagingTagFor(inputs: ActionInputs, build: BuildInputs): { tag: string; reusable: boolean } {
  const given = inputs['staging-image']!.tag
  if (given) return { tag: given, reusable: false }
  const sha = process.env.GITHUB_SHA
  if (sha && /^[0-9a-f]{12,64}$/.test(sha)) return { tag: platformStagingTag(sha, build), reusable: true }
  return { tag: defaultStagingTag(process.env), reusable: false }
}

/**
 * Builds and pushes `build` (in a log group), with the Actions cache when `cache: actions`; the
 * signal stops the build or push in flight (build/driver.ts BuildInterruptedError). With `push:
 * false` (`build.push`) it builds only: the outputs a build gives (`imageid`, `metadata`, and
 * `digest` when buildx reports one) are set, as docker/build-push-action sets them.
 * @returns the digest pushed (`''` when nothing was pushed and the build gave none)
 */
async function buildStaged(
  inputs: ActionInputs,
  build: BuildInputs,
  ref: string,
  signal: AbortSignal
): Promise<string> {
  const options: PipelineOptions = { dockerCli: inputs['docker-cli'], logger: coreLogger, signal }
  if (inputs.cache === 'actions')
    options.cache = { store: actionsCache(), dir: defaultCacheDir(process.env), logger: coreLogger }
  const title = inputs.push ? `Build and push ${ref}` : `Build ${ref} (push: false)`
  const result = await core
    .group(title, async () => buildWithCache(build, options))
    .catch((e: unknown) => {
      throw pushLoginAdvice(e, inputs)
    })
  coreLogger.info(
    inputs.push
      ? `built with ${result.driver} (${result.cli}); pushed ${ref} = ${result.digest}`
      : `built with ${result.driver} (${result.cli}) as ${ref}${result.imageId ? ` (image ID ${result.imageId})` : ''}; not pushed (${Inputs.push}: false): ${builtOnlyWrites(build.cacheTo ?? [])}`
  )
  core.setOutput(Outputs.imageid, result.imageId)
  core.setOutput(Outputs.metadata, JSON.stringify(result.metadata))
  if (!inputs.push && result.digest) core.setOutput(Outputs.digest, result.digest)
  return result.digest
}

/**
 * What a `push: false` build wrote to registries: nothing, or (as docker/build-push-action's) the
 * build cache its `cache-to` exports to a registry, e.g. `nothing was pushed to staging-image or
 * the targets; cache-to exported the build cache to r.example/app:buildcache`.
 */
export function builtOnlyWrites(cacheTo: readonly string[]): string {
  const exports = registryCacheExports(cacheTo)
  if (!exports.length) return 'nothing was written to any registry'
  return `nothing was pushed to ${Inputs.stagingImage} or the targets; ${Inputs.cacheTo} exported the build cache to ${exports.join(', ')}`
}

/**
 * Before the build: `registry-auth` names the staging registry and docker's own config (as docker
 * reads it: credHelpers, credsStore, auths) has no login for it, so the build's push, done by the
 * docker CLI, will go anonymously. A warning, not a refusal: a registry may take anonymous pushes.
 */
async function warnPushLogin(inputs: ActionInputs, dockerConfig: DockerConfigOptions): Promise<void> {
  const staging = inputs['staging-image']!.registry
  if (!Object.keys(inputs['registry-auth']).some(r => registryKey(r) === registryKey(staging))) return
  const login = await dockerConfigCredentials({ ...dockerConfig, logger: silentLogger })(staging).catch(
    () => 'unknown'
  )
  if (login === undefined)
    core.warning(
      `${Inputs.registryAuth} has ${staging}, but docker has no login for it, and the build's push is done by the docker CLI with docker's own login: log in with docker/login-action (registry: ${staging}) before this step`
    )
}

/** What docker and buildx print when a registry refuses a push for want of (valid) credentials. */
const PUSH_AUTH_REFUSED =
  /no basic auth credentials|unauthorized|authentication required|insufficient_scope|401 Unauthorized/i

/**
 * A build whose push the staging registry refused for want of credentials, with the rule that
 * explains it first: the docker CLI pushes with docker's own login, never with `registry-auth`
 * (README "registry-auth"), and the step that fixes it. Any other error is returned as it is.
 */
function pushLoginAdvice(e: unknown, inputs: ActionInputs): unknown {
  if (!(e instanceof BuildError) || !PUSH_AUTH_REFUSED.test(e.message)) return e
  const staging = inputs['staging-image']!.registry
  const named = Object.keys(inputs['registry-auth']).some(r => registryKey(r) === registryKey(staging))
  const why = named
    ? `${Inputs.registryAuth} has ${staging}, but the build's push is done by the docker CLI with docker's own login, which ${Inputs.registryAuth} does not give it`
    : `the build's push is done by the docker CLI with docker's own login, and it has none for ${staging}`
  return new BuildError(
    `the staging registry ${staging} refused the build's push for want of credentials: ${why}; log in with docker/login-action (registry: ${staging}) before this step`,
    e.message
  )
}

/**
 * The `imageid` and `metadata` outputs of an image an earlier run staged, as its build gave them,
 * from its manifest as `stage` read it (no request): the config digest, and the classic build's
 * metadata keys (`containerimage.config.digest`, `containerimage.digest`, `image.name`); an index
 * has no image ID (`''`, as buildx gives for several platforms) and no config key.
 */
function reusedBuildOutputs(ref: string, manifest: Manifest): void {
  const config = (manifest.json as { config?: { digest?: unknown } }).config?.digest
  const imageId = typeof config === 'string' ? config : ''
  core.setOutput(Outputs.imageid, imageId)
  core.setOutput(
    Outputs.metadata,
    JSON.stringify({
      ...(imageId ? { 'containerimage.config.digest': imageId } : {}),
      'containerimage.digest': manifest.digest,
      'image.name': ref
    })
  )
}

/** GITHUB_RUN_ATTEMPT as a number: 1 when absent or not a positive integer. */
function runAttempt(): number {
  const n = Number(process.env.GITHUB_RUN_ATTEMPT)
  return Number.isInteger(n) && n >= 1 ? n : 1
}

/** build/identity.ts stagedReuse for the action's inputs and this run's attempt. */
function stagedReuse(rebuild: boolean, build: BuildInputs): ReturnType<typeof reuseRule> {
  return reuseRule({ rebuild, pull: build.pull, noCache: build.noCache }, runAttempt())
}

/** The inputs that ask for a fresh build, as written: `pull: true`, `no-cache: true`, or both. */
function freshInputs(build: BuildInputs): string {
  return [build.pull && 'pull: true', build.noCache && 'no-cache: true'].filter(Boolean).join(' and ')
}

/**
 * Follows build/identity.ts stagedReuse's verdict for the staging tag of `staged`: says why a fresh
 * build is asked for ('fresh'), or, for 'reuse' / 'rerun', looks the tag up (one GET by tag: the
 * digest, checked against the bytes, and the config for the outputs) and, when it is there, says so
 * and sets the build's outputs from it. Returns whether the staged image is reused (no build).
 * Throws what `Client.getManifest` throws (a 404 is no error: nothing to reuse).
 */
async function reusedStaged(
  client: Client,
  staged: Staged,
  reuse: ReturnType<typeof stagedReuse>,
  fresh: string
): Promise<boolean> {
  if (reuse === 'fresh')
    coreLogger.info(
      `${fresh} asks for a fresh build: building anew, not reusing an image an earlier run of this commit staged (a re-run of this run reuses what this run stages)`
    )
  if (reuse !== 'reuse' && reuse !== 'rerun') return false
  const repo = { registry: staged.registry, repository: staged.repository }
  const found = await client.getManifest(repo, staged.reference, { allowMissing: true })
  if (!found) return false
  const why =
    reuse === 'rerun'
      ? `reusing it on this re-run (attempt ${runAttempt()}; with ${fresh} a new run builds anew, and rebuild: true a re-run)`
      : 'reusing it (rebuild: true builds anew)'
  coreLogger.info(
    `${staged.display} = ${found.digest} was staged by an earlier run of this commit and build inputs: ${why}`
  )
  reusedBuildOutputs(staged.display, found)
  return true
}

/**
 * Takes `source` as it is, or builds and pushes to `staging-image`. Without a staging tag, an image
 * this commit and these build inputs already staged (a re-run) is reused as build/identity.ts
 * stagedReuse rules (not with `rebuild`; with `pull` / `no-cache` only on a re-run of a run). With
 * `push: false` it builds only, asks no registry, and returns undefined (nothing to promote).
 */
async function stage(
  client: Client,
  inputs: ActionInputs,
  report: RunReport,
  signal: AbortSignal,
  dockerConfig: DockerConfigOptions = {}
): Promise<Staged | undefined> {
  if (inputs.source) {
    const s = inputs.source
    return {
      registry: s.registry,
      repository: s.repository,
      reference: manifestReference(s),
      display: formatReference(s)
    }
  }
  const staging = inputs['staging-image']!
  const repo = { registry: staging.registry, repository: staging.repository }
  const dir = await mkdtemp(join(tmpdir(), 'promote-image-'))
  try {
    const build = buildInputsOf(inputs, join(dir, 'metadata.json'))
    const { tag, reusable } = stagingTagFor(inputs, build)
    const ref = formatReference({ ...repo, tag })
    const staged: Staged = { ...repo, reference: tag, display: ref }
    if (!inputs.push) {
      const digest = await buildStaged(inputs, { ...build, tags: [ref], push: false }, ref, signal)
      report.builtOnly = {
        reference: ref,
        digest,
        targets: inputs.targets.length,
        writes: builtOnlyWrites(inputs.build.cacheTo ?? [])
      }
      return undefined
    }
    const reuse = reusable ? stagedReuse(inputs.rebuild, build) : 'rebuilt'
    if (await reusedStaged(client, staged, reuse, freshInputs(build))) return staged
    await warnPushLogin(inputs, dockerConfig)
    const built = await buildStaged(inputs, { ...build, tags: [ref] }, ref, signal)
    report.built = { reference: ref, digest: built }
    return { ...staged, built }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/**
 * `merge`: the sources merged into one index at `staging-image` (merge/stage.ts: every input checked
 * before any request, every refusal named before any write; a re-run that finds the tag serving the
 * same digest writes nothing). The index is then promoted like any staged image.
 * @returns what to promote; undefined in a dry run whose index is not at staging yet (nothing to
 *   plan a promotion of: its digest is logged and set as the `digest` output)
 */
async function mergeStaged(
  client: Client,
  inputs: ActionInputs,
  report: RunReport,
  signal?: AbortSignal
): Promise<Staged | undefined> {
  const staging = inputs['staging-image']!
  const commit = process.env.GITHUB_SHA
  const tag = mergeTag(staging, commit)
  const result = await core.group(`Merge ${inputs.merge.join(', ')} into one index`, async () =>
    mergeStage(client, {
      staging,
      sources: inputs.merge,
      platforms: inputs['merge-platforms'],
      commit,
      dryRun: inputs['dry-run'],
      logger: coreLogger,
      signal
    })
  )
  const repo = { registry: staging.registry, repository: staging.repository }
  coreLogger.info(
    `${inputs['dry-run'] ? 'would merge' : 'merged'} ${result.plan.platforms.join(', ')} into ${result.reference} = ${result.digest} (${result.mediaType}; ${result.manifestsPushed} manifest(s) written)`
  )
  if (inputs['dry-run'] && (await client.headManifest(repo, tag))?.digest !== result.digest) {
    coreLogger.info(
      `dry run: the index is not written, so its promotion cannot be planned yet; it would be ${result.digest}`
    )
    core.setOutput(Outputs.digest, result.digest)
    report.source = { display: result.reference, digest: result.digest }
    report.mergePlan = {
      reference: result.reference,
      digest: result.digest,
      platforms: result.plan.platforms
    }
    return undefined
  }
  report.merge = {
    reference: result.reference,
    digest: result.digest,
    platforms: result.plan.platforms,
    written: result.indexWritten
  }
  return {
    ...repo,
    reference: tag,
    display: result.reference,
    built: result.digest,
    madeBy: 'the merge wrote'
  }
}

/**
 * Records the promotion as a GitHub deployment when `deployment-environment` is set. A failure to
 * record it is a warning, never a failed promotion.
 * @returns for the job summary: the deployment recorded, or why none was (undefined: none asked)
 */
async function reportDeployment(
  inputs: ActionInputs,
  stagingRef: string,
  digest: string,
  state: 'success' | 'failure',
  description: string,
  result?: PromoteResult
): Promise<RunReport['deployment']> {
  const environment = inputs['deployment-environment']
  if (!environment) return undefined
  const event = process.env.GITHUB_EVENT_PATH
    ? JSON.parse(await readFile(process.env.GITHUB_EVENT_PATH, 'utf8'))
    : undefined
  const ctx = deploymentContext(process.env, event)
  if (!ctx.repository || !ctx.ref) {
    const error = 'GITHUB_REPOSITORY or GITHUB_SHA is not set'
    core.warning(`GitHub deployment not recorded: ${error}`)
    return { environment, error }
  }
  const targets = result
    ? promotedOutput(result)
    : inputs.targets.map(t => {
        const target = `${t.registry}/${t.repository}`
        return {
          target,
          tags: tagsOf(inputs, t),
          references: [`${target}@${digest}`, ...tagsOf(inputs, t).map(x => `${target}:${x}`)]
        }
      })
  const r = await recordDeployment({
    token: inputs['github-token'],
    apiUrl: ctx.apiUrl,
    repository: ctx.repository,
    ref: ctx.ref,
    environment,
    state,
    description,
    logUrl: ctx.logUrl,
    environmentUrl: inputs['deployment-url'],
    payload: { digest, staging: stagingRef, targets },
    logger: coreLogger,
    onSecret: s => mask(s)
  })
  if (!r.ok) {
    core.warning(`GitHub deployment not recorded: ${r.error}`)
    return { environment, error: r.error }
  }
  core.setOutput(Outputs.deploymentId, String(r.deployment.id))
  return { id: r.deployment.id, environment, url: deploymentsUrl(process.env, environment), state }
}

/**
 * The action's credential chain, the same one the CLI uses (`defaultCredentials`): the
 * `registry-auth` entries → docker config.json (as docker/login-action writes it; DOCKER_CONFIG
 * respected) → anonymous.
 */
export function actionCredentials(
  inputs: Pick<ActionInputs, 'registry-auth'>,
  dockerConfig: DockerConfigOptions = {}
): CredentialSource {
  const logins = Object.entries(inputs['registry-auth']).map(([registry, c]) => ({
    registry,
    ...c,
    from: Inputs.registryAuth
  }))
  const credentials = defaultCredentials(logins, { logger: coreLogger, ...dockerConfig })
  const explain = credentials.explain
  credentials.explain = registry =>
    explain?.(registry) ?? howToLogIn(registry, Object.keys(inputs['registry-auth']))
  return credentials
}

/**
 * The advice of a 401 when no source had a credential for `registry` and none said why: a login
 * step or a `registry-auth` entry; and, when an entry names the same host on another port (or
 * without one), that slip.
 */
function howToLogIn(registry: string, given: string[]): string {
  const host = (r: string): string => registryKey(r).replace(/:\d+$/, '')
  const near = given.filter(g => registryKey(g) !== registryKey(registry) && host(g) === host(registry))
  const slip = near.length ? `${Inputs.registryAuth} has ${near.join(', ')}, not ${registry}; ` : ''
  return `${slip}log in with docker/login-action (registry: ${registry}) before this step, or add it to ${Inputs.registryAuth}`
}

/** Masks every secret the inputs hold and says what the run will (not) do. */
async function announce(inputs: ActionInputs): Promise<void> {
  for (const c of Object.values(inputs['registry-auth'])) for (const s of secretsOf(c)) mask(s)
  if (inputs['github-token']) mask(inputs['github-token'])
  // client-key files (mTLS private keys, read and checked by options.ts): never printed, masked all
  // the same, whole and line by line, as every credential is
  for (const c of inputs.options.clientCertificates ?? [])
    for (const s of pemSecrets(await readFile(c.keyFile, 'utf8'))) mask(s)
  // `secrets` values, `secret-envs` variables' values (the variable may be a step's output, which
  // the runner does not mask) and `secret-files` files' contents: the build may print them
  for (const value of await readSecretValues(inputs.build.secrets ?? [], process.env)) {
    mask(value)
    // the runner masks line by line: each line of a multi-line value is a secret of its own (and a
    // file's value usually ends in a newline the build's output does not repeat)
    const lines = value.split(/\r?\n/).filter(l => l.trim())
    if (lines.length > 1 || lines[0] !== value) for (const line of lines) mask(line)
  }
  for (const w of inputs['tag-warnings']) core.warning(w)
  if (inputs['promotion-file']) return
  if (!inputs.push)
    return void core.info(
      `${Inputs.push}: false: the image is built only; nothing is pushed to ${Inputs.stagingImage}${inputs.targets.length ? ` or promoted to ${inputs.targets.length === 1 ? 'the target' : `the ${inputs.targets.length} targets`}` : ''}`
    )
  if (inputs.targets.length && allTags(inputs).length === 0)
    core.info('no tags given: the image is promoted by digest only')
  if (inputs.targets.length === 0 && !inputs['dry-run']) {
    // a build or merge at staging without targets is a documented job (docs/matrix-builds.md: one
    // per platform, merged and promoted by a later job): an info line, not an annotation on every
    // run (newuser6 #9); a source without targets does nothing at all, which is worth one
    if (inputs.source) core.warning('no targets: nothing is promoted')
    else
      core.info(
        inputs.merge.length
          ? 'no targets: the index is merged at staging only'
          : 'no targets: the image is built and staged only'
      )
  }
}

/**
 * The verification gate and the promotion record from their inputs (engine-options.ts
 * proofSettings): every key through core.setSecret before anything else is logged (an inline PEM at
 * once, then the key as read, whole and line by line); keyless signing takes the job's OIDC token
 * (core.getIDToken, audience `sigstore`; `permissions: id-token: write`) when the record is signed,
 * masked whole and by its parts.
 * @throws Error naming the input and the rule (an unreadable key or policy file, not a PEM key)
 */
async function actionProof(inputs: ActionInputs): Promise<ProofSettings> {
  const words = inputs.options.proof
  if (!words) return {}
  for (const given of [words.signKey, ...(words.verifyKey ?? [])])
    if (given?.includes('-----BEGIN') && given.includes('PRIVATE KEY'))
      for (const s of pemSecrets(given)) mask(s)
  const { settings, secrets } = await proofSettings(inputs.options, actionEdge())
  for (const s of secrets) mask(s)
  return settings
}

/** What the action gives the gate and the record: the run, the job's OIDC token (masked), the version. */
function actionEdge(): ProofEdge {
  return {
    run: recordRunOf(process.env),
    noToken: () => actionTokenTrouble(process.env),
    token: async () => {
      const token = await core.getIDToken('sigstore')
      for (const part of [token, ...token.split('.').slice(1)]) mask(part)
      return token
    },
    version: VERSION
  }
}

/** The staging reference resolved to its digest once; a build's digest must be the one the registry holds. */
async function resolveStaged(client: Client, staged: Staged): Promise<{ digest: string; ref: string }> {
  const repo = { registry: staged.registry, repository: staged.repository }
  const resolved = await resolve(client, repo, staged.reference)
  if (staged.built && resolved.digest !== staged.built) {
    throw new Error(
      `${staged.display} is ${resolved.digest} at the staging registry, but ${staged.madeBy ?? 'the build pushed'} ${staged.built}: the tag moved during the run`
    )
  }
  coreLogger.info(`staging: ${staged.display} = ${resolved.digest}`)
  return { digest: resolved.digest, ref: `${staged.registry}/${staged.repository}@${resolved.digest}` }
}

/**
 * Promotes `digest` to every target (in a log group), progress in the log every few seconds; on
 * failure records a failed deployment. The plan and the deployment go into `report`.
 */
async function promoteStaged(
  client: Client,
  inputs: ActionInputs,
  staged: Staged,
  pinned: { digest: string; ref: string },
  report: RunReport,
  proof: ProofSettings,
  signal?: AbortSignal
): Promise<PromoteResult> {
  const meter = new ProgressMeter()
  try {
    return await core.group(`Promote ${pinned.digest}`, async () =>
      promote(client, {
        ...promoteSettings(inputs.options, {
          dryRun: inputs['dry-run'],
          logger: coreLogger,
          env: process.env,
          signal,
          requestBudget: client.transport.rateLimits,
          proof
        }),
        source: { registry: staged.registry, repository: staged.repository, reference: pinned.digest },
        targets: inputs.targets.map(t => ({
          repo: { registry: t.registry, repository: t.repository },
          tags: tagsOf(inputs, t)
        })),
        // which tags the rules made rolling (tags/compute.ts): they may move under immutable
        tagKinds: inputs['tag-kinds'],
        ...(inputs['tag-lines'] ? { tagLines: inputs['tag-lines'] } : {}),
        onPlan: plan => void (report.plan = plan),
        onProgress: p => core.info(progressLine(p, meter.update(p)))
      })
    )
  } catch (e) {
    // a refused plan (the tag policy, the verification gate: nothing written) is the plan output
    const refused = e instanceof TagPolicyError ? e.plan : (e as { plan?: PromotePlan }).plan
    if (refused && (e instanceof TagPolicyError || (e as Error).name === 'GateError')) {
      report.plan = refused
      setJsonOutput(Outputs.plan, refused)
    }
    // a failure after the plan: what was promoted where, for steps under `if: always()`
    if (e instanceof PromoteError && report.plan && !inputs['dry-run'])
      setFailedOutputs(report.plan, pinned.ref, e)
    if (!inputs['dry-run'])
      report.deployment = await reportDeployment(
        inputs,
        pinned.ref,
        pinned.digest,
        'failure',
        (e as Error).message
      )
    throw e
  }
}

/**
 * `promotion-file`: every image of the file on the one client (src/batch/), or with `plan-shards`
 * only the `matrix` output (and a job summary of the shards). The file is checked whole before any
 * request. Outputs: `promoted` (every target of every promoted image, the single-image shape),
 * `matrix`; the job summary gets a row per image and target. Fails the step naming every image
 * that failed and why.
 * @throws Error when a source cannot be sized for shards
 */
async function promoteFile(
  client: Client,
  inputs: ActionInputs,
  proof: ProofSettings,
  signal?: AbortSignal
): Promise<void> {
  const file = inputs['promotion-file'] as PromotionFile
  const path = file.path
  const shards = inputs['plan-shards']
  if (shards) {
    const matrix = await matrixOf(client, file.images, shards, coreLogger, inputs.options.requestBudgets)
    core.info(`shards of ${path}: ${JSON.stringify(matrix)}`)
    core.setOutput(Outputs.matrix, JSON.stringify(matrix))
    // the plan job's summary: which images each matrix job promotes
    return void (await appendSummary(shardsMarkdown(matrix, path, shards) + '\n', m => core.warning(m)))
  }
  const { shard } = inputs
  const images = shard ? await shardImages(client, file.images, shard, coreLogger) : file.images
  const dryRun = inputs['dry-run']
  // the gate and the record an image's entry gives itself (the file's keys, the same words as the inputs)
  const own = file.images.some(i => i.proof)
    ? await fileProofSettings(file, inputs.options, actionEdge(), 'inputs')
    : undefined
  for (const s of own?.secrets ?? []) mask(s)
  const outcomes = await core.group(`Promote ${images.length} image(s) from ${path}`, async () =>
    runBatch(client, images, {
      ...promoteSettings(inputs.options, {
        dryRun,
        logger: coreLogger,
        env: process.env,
        signal,
        requestBudget: client.transport.rateLimits,
        proof
      }),
      imageProof: own?.byImage
    })
  )
  for (const o of outcomes) withTlsAdvice(o.error, batchNames(OPTION_INPUTS))
  withFileRemedies(outcomes, path)
  core.info(logSafe(batchText(outcomes, dryRun)))
  const promoted = outcomes.flatMap(o => (o.result && !dryRun ? promotedOutput(o.result) : []))
  core.setOutput(Outputs.promoted, JSON.stringify(promoted))
  setJsonOutput(Outputs.plan, batchPlans(outcomes))
  await appendSummary(batchMarkdown(outcomes, dryRun, shard) + '\n', m => core.warning(m))
  const interrupted = batchInterruption(outcomes)
  if (interrupted) {
    const { signal: name, lines } = interrupted
    core.setFailed(
      commandText(`${lines.length} of ${outcomes.length} images interrupted:\n  ${lines.join('\n  ')}`)
    )
    return void (process.exitCode = SIGNAL_EXIT[name] ?? 130)
  }
  const failed = failureLines(outcomes)
  if (failed.length)
    core.setFailed(`${failed.length} of ${outcomes.length} images failed:\n  ${failed.join('\n  ')}`)
}

/**
 * The staged (built, merged or given) image resolved once, promoted to every target, and reported:
 * the deployment, the log's table, the outputs; what it learns goes into `report`.
 */
async function promoteAndReport(
  client: Client,
  inputs: ActionInputs,
  staged: Staged,
  report: RunReport,
  proof: ProofSettings,
  signal: AbortSignal
): Promise<void> {
  report.source = { display: staged.display }
  const pinned = await resolveStaged(client, staged).catch((e: unknown) => {
    throw inputs.source ? withImpliedTag(e, inputs.source, `input "${Inputs.source}":`) : e
  })
  report.source.digest = pinned.digest
  const result = await promoteStaged(client, inputs, staged, pinned, report, proof, signal)
  // promoted: what fails from here on (the deployment, the outputs) does not undo it
  report.result = result
  if (!result.plan.dryRun) {
    const description = `promoted to ${inputs.targets.length} target(s)`
    report.deployment = await reportDeployment(
      inputs,
      pinned.ref,
      promotedDigest(result.plan),
      'success',
      description,
      result
    )
  }
  // no targets: no table (its header alone said nothing); promotedLine says so
  if (result.plan.targets.length)
    core.info(logSafe(result.plan.dryRun ? planText(result.plan) : textTable(resultRows(result))))
  for (const line of copiedArtifactLines(result.plan)) coreLogger.info(line)
  setOutputs(result, pinned.ref, allTags(inputs))
  coreLogger.info(promotedLine(`${staged.registry}/${staged.repository}`, result, report.built?.reference))
}

/** The signal's name when `e` is the run's interruption (in the build, the merge or the promotion). */
function interruptionOf(e: Error): string | undefined {
  if (e instanceof BuildInterruptedError) return e.reason instanceof Interruption ? e.reason.signal : 'SIGINT'
  return interruptedBy(e)
}

/**
 * An interruption's message told whole: a stop in the build wrote nothing to the targets (the
 * driver says what reached staging); one after the build says that the build had pushed
 * `built` to the staging registry, where the promotion's own message says only what the targets got.
 */
function interruptionText(e: Error, built: RunReport['built']): string {
  if (e instanceof BuildInterruptedError) return `${e.message}; nothing was written to the targets`
  if (e instanceof MergeInterruptedError) return `${e.message}; nothing was written to the targets`
  // the record phase the signal ended: its message says the image is promoted and tagged
  if (e instanceof PromoteError) return e.message
  if (!built) return e.message
  const pushed = `the build had pushed ${built.reference} = ${built.digest} to the staging registry`
  if (e instanceof InterruptedError && e.landings.length) return `${e.message}\n  ${pushed}`
  const head = e.message.replace(/ before anything was written$/, '')
  return `${head} before anything was written to the targets; ${pushed}`
}

/**
 * Reads the action's inputs (loading the tag expression engine first when a tag, flavor or label
 * holds an expression) and notes in `report` what the summary needs before any plan exists: dry
 * run, the first target and the tags asked for, the moving tags.
 * @throws InputError naming the input and the rule (inputs.ts)
 */
async function readRunInputs(report: RunReport): Promise<ActionInputs> {
  // the tag expression engine (Handlebars, moment-timezone) only when a tag or label has an expression
  if (needsTagEngine(...[Inputs.tags, Inputs.flavor, Inputs.labels].map(n => core.getInput(n))))
    await loadTagEngine()
  const inputs = readInputs(name => core.getInput(name))
  report.dryRun = inputs['dry-run']
  const first = inputs.targets[0]
  report.intended = {
    ...(first ? { target: formatRepo(first) } : {}),
    tags: [...new Set([...inputs.tags, ...allTags(inputs)])]
  }
  report.movingTags = inputs.options.movingTags
  return inputs
}

/**
 * Runs the action; never throws (failures go to core.setFailed). The job summary is written for
 * every outcome: promoted, failed (whatever phase), plan only; what each phase learns goes into
 * `report` as it goes.
 * @param dockerConfig where the docker config.json is read from after the `registry-auth` input
 *   (default: DOCKER_CONFIG, else ~/.docker)
 */
export async function run(dockerConfig: DockerConfigOptions = {}): Promise<void> {
  const report: RunReport = { dryRun: false, release: releaseOf(process.env) }
  mask = maskOnce(s => core.setSecret(s))
  // SIGINT / SIGTERM (a cancelled job) interrupt the promotion: uploads cancelled, exit 130 / 143
  const controller = new AbortController()
  const onSignal = (name: string): void => void controller.abort(new Interruption(name))
  for (const name of Object.keys(SIGNAL_EXIT)) process.on(name, onSignal)
  try {
    const inputs = await readRunInputs(report)
    const proof = await actionProof(inputs)
    await announce(inputs)
    const client = createRegistryClient(
      clientOptions(inputs.options, {
        credentials: actionCredentials(inputs, { signal: controller.signal, ...dockerConfig }),
        logger: coreLogger,
        onInsecureHost: event => coreLogger.warning(insecureWarning(OPTION_INPUTS, event)),
        onSecret: s => mask(s),
        sharedBy: inputs.shard?.n,
        signal: controller.signal
      })
    )
    try {
      if (inputs['promotion-file']) return await promoteFile(client, inputs, proof, controller.signal)
      const staged = inputs.merge.length
        ? await mergeStaged(client, inputs, report, controller.signal)
        : await stage(client, inputs, report, controller.signal, dockerConfig)
      // the merge's index is new: its children's signatures vouch for it (proof/gate.ts childrenSign)
      const gate =
        inputs.merge.length && proof.verify
          ? { ...proof, verify: { ...proof.verify, childrenSign: true } }
          : proof
      if (staged) await promoteAndReport(client, inputs, staged, report, gate, controller.signal)
    } finally {
      await client.close()
    }
  } catch (caught) {
    // a request the signal ended outside promote() and the merge (resolving the staged image,
    // sizing a file's shards) is the interruption itself, not the request's failure
    const e =
      !(caught instanceof InterruptedError) && isAbort(caught, controller.signal)
        ? (controller.signal.reason as Interruption)
        : (caught as Error)
    const signalled = interruptionOf(e)
    if (signalled) e.message = interruptionText(e, report.built)
    report.error = withTlsAdvice(e, OPTION_INPUTS)
    // the message may quote a registry's error body: no control character in it
    core.setFailed(commandText(e.message))
    if (signalled) process.exitCode = SIGNAL_EXIT[signalled] ?? 130
  } finally {
    for (const name of Object.keys(SIGNAL_EXIT)) process.off(name, onSignal)
  }
  await writeSummary(report, m => core.warning(m))
}
