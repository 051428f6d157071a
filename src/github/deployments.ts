/**
 * GitHub deployments for a promotion: one deployment per run and environment, whose payload is the
 * promotion (digest, and per target the tags and references), and a deployment status carrying the
 * outcome. The only importer of @octokit/rest (STYLE.md: github/).
 *
 * Endpoints followed (docs.github.com, REST API, api-version 2022-11-28):
 * - "Deployments" → Create a deployment: `POST /repos/{owner}/{repo}/deployments`
 *   (201 the deployment; 202 `{message}` when auto_merge merged the default branch and created none;
 *   409 merge conflict; 422 validation failed, e.g. an unknown ref)
 * - "Deployment statuses" → Create a deployment status:
 *   `POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses` (201; 422)
 *
 * Nothing here throws for an API failure: a promotion that succeeded stays a success when GitHub
 * refuses to record it. Results are `{ ok: false, error }` for the caller to log as a warning.
 * The token goes through `onSecret` before any request; it is removed from every message returned or
 * logged. There are no retries: a repeated POST would create a second deployment.
 */
import { Octokit } from '@octokit/rest'
import type { Logger } from '../logger.js'
import { silentLogger } from '../logger.js'

/** Where GitHub's REST API is when GITHUB_API_URL is not set. */
export const DEFAULT_API_URL = 'https://api.github.com'

/** Milliseconds one request may take before it is abandoned. */
export const DEFAULT_TIMEOUT_MS = 30_000

/** The states a promotion reports (a subset of the API's deployment status states). */
export type DeploymentState = 'success' | 'failure' | 'in_progress'

/** One promoted target, as in the action's `promoted` output (extra fields are sent along). */
export interface PromotedTarget {
  /** `registry/repository` */
  target: string
  tags: string[]
  /** `registry/repository@digest` and `registry/repository:tag` for each tag */
  references: string[]
}

/** The deployment's `payload`: the promotion, as JSON. */
export interface PromotionPayload {
  /** the promoted manifest or index digest (`sha256:…`) */
  digest: string
  targets: PromotedTarget[]
  /** the staging reference by digest, when there is one */
  staging?: string
}

/** How to reach the API; shared by every call here. */
export interface GitHubApiOptions {
  /** a GITHUB_TOKEN or PAT with `deployments: write` (sent as `authorization: token …`) */
  token: string
  /** the REST API root, GITHUB_API_URL (default https://api.github.com; GHES: https://HOST/api/v3) */
  apiUrl?: string
  /** the fetch to use (default the global fetch) */
  fetch?: typeof fetch
  /** per request, milliseconds (default 30 000) */
  timeoutMs?: number
  /** debug lines per request; nothing is logged as a warning here (the caller decides) */
  logger?: Logger
  /** called with the token before any request (the action passes core.setSecret) */
  onSecret?: (secret: string) => void
}

/** A deployment status to set. */
export interface StatusOptions {
  state: DeploymentState
  /** short summary (GitHub keeps 140 characters; longer is cut with …) */
  description?: string
  /** the run's log, e.g. https://github.com/OWNER/REPO/actions/runs/ID/attempts/N */
  logUrl?: string
  /** where the deployed thing is, e.g. the first target's registry page */
  environmentUrl?: string
}

/** A deployment to create with its first status. */
export interface DeploymentOptions extends GitHubApiOptions, StatusOptions {
  /** `owner/repo` (GITHUB_REPOSITORY) */
  repository: string
  /** the commit deployed: GITHUB_SHA (or a branch or tag name) */
  ref: string
  /** environment name, e.g. `production` */
  environment: string
  /** the promotion, stored as the deployment's payload */
  payload: PromotionPayload
  /** default `deploy:image` */
  task?: string
  /** `production_environment` (default: environment is `production` or `prod`) */
  production?: boolean
  /** `transient_environment` (default false: registries outlive the run) */
  transient?: boolean
}

/** A deployment GitHub created. */
export interface DeploymentRef {
  id: number
  /** the deployment's API URL */
  url: string
}

/** The outcome of setting a deployment status. */
export type StatusResult =
  { ok: true; status: { id: number; state: DeploymentState } } | { ok: false; error: string }

/**
 * The outcome of recording a deployment. `deployment` is present on failure when the deployment was
 * created but its status was refused (so the caller can retry the status alone).
 */
export type DeploymentResult =
  | { ok: true; deployment: DeploymentRef; status: { id: number; state: DeploymentState } }
  | { ok: false; error: string; deployment?: DeploymentRef }

const DESCRIPTION_MAX = 140

/**
 * Creates a deployment of `ref` to `environment` (auto_merge false, required_contexts [] — the
 * image is already built; commit checks are not re-verified) with the promotion as its payload, then
 * its status `state`.
 *
 * Requests: `POST {apiUrl}/repos/{owner}/{repo}/deployments`, then
 * `POST {apiUrl}/repos/{owner}/{repo}/deployments/{id}/statuses`.
 * @returns `{ ok: true, deployment, status }`, or `{ ok: false, error }` for a bad `repository`, an
 *   empty token, an HTTP error (403 usually means the token lacks `deployments: write`), a 202 (no
 *   deployment created), a timeout or a network error. Never throws.
 */
export async function recordDeployment(options: DeploymentOptions): Promise<DeploymentResult> {
  return guarded(() => record(options), options)
}

async function record(options: DeploymentOptions): Promise<DeploymentResult> {
  const setup = prepare(options)
  if (!setup.ok) return setup
  const { octokit, owner, repo, log, redact } = setup
  const environment = options.environment
  let deployment: DeploymentRef
  try {
    const response = await octokit.rest.repos.createDeployment({
      owner,
      repo,
      ref: options.ref,
      task: options.task ?? 'deploy:image',
      auto_merge: false,
      required_contexts: [],
      environment,
      description: truncate(options.description ?? `${options.payload.digest}`),
      payload: { ...options.payload },
      transient_environment: options.transient ?? false,
      production_environment: options.production ?? /^prod(uction)?$/i.test(environment)
    })
    const data = response.data as { id?: unknown; url?: unknown; message?: unknown }
    if (response.status !== 201 || typeof data.id !== 'number') {
      const message = typeof data.message === 'string' ? data.message : JSON.stringify(data)
      return {
        ok: false,
        error: redact(
          `GitHub created no deployment of ${options.ref} to ${environment} (HTTP ${response.status}: ${message})`
        )
      }
    }
    deployment = { id: data.id, url: String(data.url ?? '') }
  } catch (e) {
    return {
      ok: false,
      error: redact(
        `creating a GitHub deployment of ${options.ref} to ${environment} in ${owner}/${repo} failed: ${describe(e, options)}`
      )
    }
  }
  log.debug(`GitHub deployment ${deployment.id}: ${options.ref} to ${environment}`)
  const status = await postStatus(octokit, owner, repo, deployment.id, environment, options, redact)
  if (!status.ok) return { ok: false, error: status.error, deployment }
  log.debug(`GitHub deployment ${deployment.id} (${environment}): ${status.status.state}`)
  return { ok: true, deployment, status: status.status }
}

/**
 * Sets the status of an existing deployment: after `recordDeployment(… state: 'in_progress')`, the
 * final `success` or `failure` (`markDeploymentFailed` is this with `state: 'failure'`).
 *
 * Request: `POST {apiUrl}/repos/{owner}/{repo}/deployments/{deploymentId}/statuses`.
 * @returns `{ ok: true, status }` or `{ ok: false, error }` (as recordDeployment). Never throws.
 */
export async function updateDeploymentStatus(
  options: GitHubApiOptions &
    StatusOptions & { repository: string; deploymentId: number; environment?: string }
): Promise<StatusResult> {
  return guarded(async () => {
    const setup = prepare(options)
    if (!setup.ok) return setup
    const { octokit, owner, repo, log, redact } = setup
    const status = await postStatus(
      octokit,
      owner,
      repo,
      options.deploymentId,
      options.environment,
      options,
      redact
    )
    if (status.ok) log.debug(`GitHub deployment ${options.deploymentId}: ${status.status.state}`)
    return status
  }, options)
}

/** Anything unexpected (an onSecret that throws) becomes `{ ok: false }` too. */
async function guarded<T>(
  f: () => Promise<T>,
  options: { token?: string }
): Promise<T | { ok: false; error: string }> {
  try {
    return await f()
  } catch (e) {
    const token = options.token?.trim()
    const message = e instanceof Error ? e.message : String(e)
    return { ok: false, error: `GitHub deployment: ${token ? message.split(token).join('***') : message}` }
  }
}

/** What the Actions runner's environment says about where to record a deployment. */
export interface DeploymentContext {
  /** GITHUB_API_URL, else https://api.github.com */
  apiUrl: string
  /** GITHUB_REPOSITORY */
  repository?: string
  /** the pull request's head commit for pull_request events (GITHUB_SHA is a merge commit there), else GITHUB_SHA */
  ref?: string
  /** GITHUB_SERVER_URL/GITHUB_REPOSITORY/actions/runs/GITHUB_RUN_ID/attempts/GITHUB_RUN_ATTEMPT */
  logUrl?: string
}

/**
 * Reads GITHUB_API_URL, GITHUB_REPOSITORY, GITHUB_SHA, GITHUB_EVENT_NAME, GITHUB_SERVER_URL,
 * GITHUB_RUN_ID and GITHUB_RUN_ATTEMPT (pure: the caller passes the env and the parsed event JSON
 * from GITHUB_EVENT_PATH, if it has it).
 */
export function deploymentContext(env: NodeJS.ProcessEnv, event?: unknown): DeploymentContext {
  const apiUrl = env.GITHUB_API_URL || DEFAULT_API_URL
  const repository = env.GITHUB_REPOSITORY || undefined
  let ref = env.GITHUB_SHA || undefined
  if (env.GITHUB_EVENT_NAME?.startsWith('pull_request')) {
    const head = (event as { pull_request?: { head?: { sha?: unknown } } } | undefined)?.pull_request?.head
      ?.sha
    if (typeof head === 'string' && head) ref = head
  }
  const server = env.GITHUB_SERVER_URL || 'https://github.com'
  const logUrl =
    repository && env.GITHUB_RUN_ID
      ? `${server}/${repository}/actions/runs/${env.GITHUB_RUN_ID}/attempts/${env.GITHUB_RUN_ATTEMPT || '1'}`
      : undefined
  return { apiUrl, repository, ref, logUrl }
}

type Prepared =
  | {
      ok: true
      octokit: Octokit
      owner: string
      repo: string
      log: Logger
      redact: (s: string) => string
    }
  | { ok: false; error: string }

function prepare(options: GitHubApiOptions & { repository: string }): Prepared {
  const token = options.token?.trim() ?? ''
  if (token) options.onSecret?.(token)
  const redact = (s: string): string => (token ? s.split(token).join('***') : s)
  if (!token) return { ok: false, error: 'no GitHub token: no deployment recorded' }
  const match = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(options.repository ?? '')
  if (!match)
    return {
      ok: false,
      error: `repository must be owner/repo, got ${JSON.stringify(options.repository ?? '')}`
    }
  // a logger that throws must not turn a deployment GitHub created into a failure
  const given = options.logger ?? silentLogger
  const quiet =
    (f: (m: string) => void) =>
    (m: string): void => {
      try {
        f.call(given, m)
      } catch {
        // ignored
      }
    }
  const log: Logger = { debug: quiet(given.debug), info: quiet(given.info), warning: quiet(given.warning) }
  const baseUrl = (options.apiUrl || DEFAULT_API_URL).replace(/\/+$/, '')
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  // Octokit's own log: its request lines go to debug (redacted, no option objects); nothing else
  const debug = (message: unknown): void => {
    if (typeof message === 'string') log.debug(redact(message))
  }
  const octokit = new Octokit({
    auth: token,
    baseUrl,
    userAgent: 'promote-image',
    log: { debug: () => {}, info: debug, warn: debug, error: debug },
    request: options.fetch ? { fetch: options.fetch } : {}
  })
  // a fresh timeout signal per request (one signal for the Octokit would be shared by both POSTs)
  octokit.hook.before('request', endpoint => {
    endpoint.request = { ...endpoint.request, signal: AbortSignal.timeout(timeoutMs) }
  })
  return { ok: true, octokit, owner: match[1], repo: match[2], log, redact }
}

async function postStatus(
  octokit: Octokit,
  owner: string,
  repo: string,
  deploymentId: number,
  environment: string | undefined,
  options: StatusOptions & { timeoutMs?: number },
  redact: (s: string) => string
): Promise<StatusResult> {
  try {
    const response = await octokit.rest.repos.createDeploymentStatus({
      owner,
      repo,
      deployment_id: deploymentId,
      state: options.state,
      ...(options.description !== undefined ? { description: truncate(options.description) } : {}),
      ...(options.logUrl ? { log_url: options.logUrl } : {}),
      ...(options.environmentUrl ? { environment_url: options.environmentUrl } : {}),
      ...(environment ? { environment } : {})
    })
    return { ok: true, status: { id: response.data.id, state: options.state } }
  } catch (e) {
    return {
      ok: false,
      error: redact(
        `setting GitHub deployment ${deploymentId} to ${options.state} in ${owner}/${repo} failed: ${describe(e, options)}`
      )
    }
  }
}

/** An Octokit error as one line: status, GitHub's message and validation errors, and a hint. */
function describe(e: unknown, options: { timeoutMs?: number }): string {
  const err = e as {
    name?: string
    status?: number
    message?: string
    cause?: { name?: string }
    response?: { data?: unknown }
  }
  const timedOut = (name?: string): boolean => name === 'TimeoutError' || name === 'AbortError'
  if (timedOut(err?.name) || timedOut(err?.cause?.name))
    return `no answer within ${options.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms`
  if (typeof err?.status !== 'number' || !err.response) return networkError(e)
  const data = err.response.data
  let text = `HTTP ${err.status}`
  const body =
    data && typeof data === 'object' ? (data as { message?: unknown; errors?: unknown }) : undefined
  if (typeof body?.message === 'string') text += ` ${body.message}`
  else if (typeof data === 'string' && data) text += ` ${data.slice(0, 200)}`
  if (body && Array.isArray(body.errors) && body.errors.length)
    text += ` (${body.errors
      .map(x =>
        typeof x === 'string'
          ? x
          : [x?.field, x?.code, x?.message].filter(v => typeof v === 'string' && v).join(' ')
      )
      .join('; ')})`
  if (err.status === 401) text += ' — the token is not valid'
  else if (err.status === 403)
    text += ' — the token needs the deployments: write permission (`permissions: deployments: write`)'
  else if (err.status === 404) text += ' — the repository does not exist or the token cannot see it'
  return text
}

/**
 * A failure without an HTTP answer, as the innermost cause that says something: fetch's TypeError
 * "fetch failed" carries the socket error as its cause, and Octokit wraps it with that message, or
 * with "Unknown Error" when the error comes from another realm (jest's vm modules).
 */
function networkError(e: unknown): string {
  let said = ''
  let cur = e as { message?: unknown; code?: unknown; cause?: unknown } | undefined
  for (let depth = 0; cur && typeof cur === 'object' && depth < 5; depth++) {
    const m = typeof cur.message === 'string' && cur.message ? cur.message : cur.code
    if (typeof m === 'string' && m && m !== 'Unknown Error' && m !== 'fetch failed') said = m
    cur = cur.cause as typeof cur
  }
  return said || (e instanceof Object && 'message' in e ? String(e.message) : String(e))
}

function truncate(s: string): string {
  return s.length <= DESCRIPTION_MAX ? s : `${s.slice(0, DESCRIPTION_MAX - 1)}…`
}
