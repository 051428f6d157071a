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
import { chainCredentials, secretsOf, staticCredentials, type CredentialSource } from './auth/credentials.js'
import { createRegistryClient } from './registry/factory.js'
import { promote, resolve, TagPolicyError, type PromoteResult } from './copy/promote.js'
import { buildAndPush } from './build/driver.js'
import { formatReference } from './reference/index.js'
import { planText, resultRows, textTable } from './report/format.js'
import { promotedOutput, setOutputs, writeSummary } from './report/summary.js'
import { deploymentContext, recordDeployment } from './github/deployments.js'
import { Outputs } from './constants.js'
import { dockerConfigCredentials } from './auth/docker-config.js'
import type { Logger } from './logger.js'

const coreLogger: Logger = {
  debug: m => core.debug(m),
  info: m => core.info(m),
  warning: m => core.warning(m)
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

async function stage(
  inputs: ActionInputs
): Promise<{ registry: string; repository: string; reference: string; display: string; built?: string }> {
  if (inputs.source) {
    const s = inputs.source
    return {
      registry: s.registry,
      repository: s.repository,
      reference: s.digest ?? s.tag ?? 'latest',
      display: formatReference(s)
    }
  }
  const staging = inputs['staging-image']!
  const tag = staging.tag ?? defaultStagingTag(process.env)
  const ref = formatReference({ registry: staging.registry, repository: staging.repository, tag })
  const dir = await mkdtemp(join(tmpdir(), 'promote-image-'))
  try {
    const build = await core.group(`Build and push ${ref}`, async () =>
      buildAndPush(
        {
          context: inputs.context,
          file: inputs.file,
          buildArgs: inputs['build-args'],
          labels: inputs.labels,
          tags: [ref],
          platforms: inputs.platforms,
          target: inputs.target,
          noCache: inputs['no-cache'],
          metadataFile: join(dir, 'metadata.json')
        },
        { dockerCli: inputs['docker-cli'], logger: coreLogger }
      )
    )
    core.info(`built with ${build.driver} (${build.cli}); pushed ${ref} = ${build.digest}`)
    return {
      registry: staging.registry,
      repository: staging.repository,
      reference: tag,
      display: ref,
      built: build.digest
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/**
 * Records the promotion as a GitHub deployment when `deployment-environment` is set. A failure to
 * record it is a warning, never a failed promotion.
 */
async function reportDeployment(
  inputs: ActionInputs,
  stagingRef: string,
  digest: string,
  state: 'success' | 'failure',
  description: string,
  result?: PromoteResult
): Promise<void> {
  const environment = inputs['deployment-environment']
  if (!environment) return
  const event = process.env.GITHUB_EVENT_PATH
    ? JSON.parse(await readFile(process.env.GITHUB_EVENT_PATH, 'utf8'))
    : undefined
  const ctx = deploymentContext(process.env, event)
  if (!ctx.repository || !ctx.ref) {
    core.warning('GitHub deployment not recorded: GITHUB_REPOSITORY or GITHUB_SHA is not set')
    return
  }
  const targets = result
    ? promotedOutput(result)
    : inputs.targets.map(t => {
        const target = `${t.registry}/${t.repository}`
        return {
          target,
          tags: inputs.tags,
          references: [`${target}@${digest}`, ...inputs.tags.map(x => `${target}:${x}`)]
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
    onSecret: s => core.setSecret(s)
  })
  if (r.ok) core.setOutput(Outputs.deploymentId, String(r.deployment.id))
  else core.warning(`GitHub deployment not recorded: ${r.error}`)
}

/**
 * Runs the action; never throws (failures go to core.setFailed).
 * @param fallbackCredentials where credentials come from after the `registry-auth` input
 *   (default: the docker config.json docker/login-action writes, DOCKER_CONFIG respected)
 */
export async function run(fallbackCredentials: CredentialSource = dockerConfigCredentials()): Promise<void> {
  try {
    const inputs = readInputs(name => core.getInput(name))
    for (const c of Object.values(inputs['registry-auth'])) for (const s of secretsOf(c)) core.setSecret(s)
    if (inputs['github-token']) core.setSecret(inputs['github-token'])
    for (const w of inputs['tag-warnings']) core.warning(w)
    if (inputs.targets.length && inputs.tags.length === 0)
      core.info('no tags given: the image is promoted by digest only')
    if (inputs.targets.length === 0 && !inputs['dry-run'])
      core.warning(
        inputs.source ? 'no targets: nothing is promoted' : 'no targets: the image is built and staged only'
      )
    const staged = await stage(inputs)
    const client = createRegistryClient({
      credentials: chainCredentials(staticCredentials(inputs['registry-auth']), fallbackCredentials),
      insecureRegistries: inputs['insecure-registries'],
      caFile: inputs['ca-file'],
      retry: inputs['request-timeout'] === undefined ? undefined : { timeoutMs: inputs['request-timeout'] },
      logger: coreLogger,
      onSecret: s => core.setSecret(s)
    })
    try {
      // resolve the staging tag to a digest once; everything after works on that digest
      const repo = { registry: staged.registry, repository: staged.repository }
      const resolved = await resolve(client, repo, staged.reference)
      if (staged.built && resolved.digest !== staged.built) {
        throw new Error(
          `${staged.display} is ${resolved.digest} at the staging registry, but the build pushed ${staged.built}: the tag moved during the run`
        )
      }
      const stagingRef = `${staged.registry}/${staged.repository}@${resolved.digest}`
      core.info(`staging: ${staged.display} = ${resolved.digest}`)
      let result: PromoteResult
      try {
        result = await core.group(`Promote ${resolved.digest}`, async () =>
          promote(client, {
            source: { ...repo, reference: resolved.digest },
            targets: inputs.targets.map(t => ({
              repo: { registry: t.registry, repository: t.repository },
              tags: inputs.tags
            })),
            tagPolicy: inputs['tag-policy'],
            movingTags: inputs['moving-tags'],
            dryRun: inputs['dry-run'],
            concurrency: inputs.concurrency,
            uploadMode: inputs['upload-mode'],
            logger: coreLogger,
            onProgress: p => core.info(`copied ${p.bytes} of ${p.totalBytes} bytes`)
          })
        )
      } catch (e) {
        if (e instanceof TagPolicyError) core.setOutput('plan', JSON.stringify(e.plan))
        if (!inputs['dry-run'])
          await reportDeployment(inputs, stagingRef, resolved.digest, 'failure', (e as Error).message)
        throw e
      }
      if (!result.plan.dryRun) {
        await reportDeployment(
          inputs,
          stagingRef,
          result.digest,
          'success',
          `promoted to ${inputs.targets.length} target(s)`,
          result
        )
      }
      core.info(result.plan.dryRun ? planText(result.plan) : textTable(resultRows(result)))
      setOutputs(result, stagingRef, inputs.tags)
      await writeSummary(result, staged.display)
    } finally {
      await client.close()
    }
  } catch (e) {
    core.setFailed((e as Error).message)
  }
}
