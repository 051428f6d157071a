/**
 * The git context tags are computed from (pure). Built from the `GITHUB_*` environment and the event
 * payload JSON ({@link contextFromGitHub}), or from a local repository (`git.ts`), or by hand in tests.
 * Adjustments follow docker/metadata-action context.ts (naming-and-protocol.md §2.6).
 */

/** What the labels need to know about the repository. */
export interface RepositoryInfo {
  /** Repository name (`org.opencontainers.image.title`). */
  name?: string
  /** `org.opencontainers.image.description`. */
  description?: string
  /** Web URL (`org.opencontainers.image.url` and `.source`). */
  htmlUrl?: string
  /** SPDX licence id (`org.opencontainers.image.licenses`). */
  license?: string
}

/** Git context of one run. */
export interface TagContext {
  /** GitHub event name (`push`, `pull_request`, `schedule`, …); `push` for local git. */
  eventName: string
  /** Full ref: `refs/heads/<branch>`, `refs/tags/<tag>`, `refs/pull/<n>/merge`, or `''`. */
  ref: string
  /** Commit SHA (full), or `''`. */
  sha: string
  /** Commit date; when absent, the injected `now` is used. */
  commitDate?: Date
  /**
   * SOURCE_DATE_EPOCH when set (reproducible builds): the `org.opencontainers.image.created` label
   * and the build's SOURCE_DATE_EPOCH, before the commit date.
   */
  sourceDateEpoch?: Date
  /** The repository's default branch (for `edge` and `is_default_branch`). */
  defaultBranch?: string
  /** Payload `base_ref` (tag pushes), e.g. `refs/heads/main`. */
  baseRef?: string
  /** Payload `pull_request.base.ref` (pull requests), e.g. `main`. */
  pullRequestBaseRef?: string
  /** Length of `{{sha}}` and `type=sha` short form (DOCKER_METADATA_SHORT_SHA_LENGTH); default 7. */
  shortShaLength?: number
  /** Repository facts for the OCI labels. */
  repository?: RepositoryInfo
}

/** Environment variables read by {@link contextFromGitHub}. */
export type Env = Record<string, string | undefined>

type Json = Record<string, unknown>

function obj(v: unknown): Json | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined
}

function date(v: unknown): Date | undefined {
  const s = str(v)
  if (s === undefined) return undefined
  const d = new Date(s)
  return Number.isNaN(d.getTime()) ? undefined : d
}

/**
 * Parses DOCKER_METADATA_SHORT_SHA_LENGTH: a non-negative integer, or undefined when unset/empty.
 * Throws Error naming the variable and the value when it is not a number.
 */
export function parseShortShaLength(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0)
    throw new Error(
      `DOCKER_METADATA_SHORT_SHA_LENGTH is not a valid number: "${value}" (expected an integer ≥ 0)`
    )
  return n
}

/**
 * Parses SOURCE_DATE_EPOCH (reproducible-builds.org: whole seconds since 1970-01-01 UTC): a Date, or
 * undefined when unset/empty. Throws Error naming the variable and the value when it is not such a number.
 */
export function parseSourceDateEpoch(value: string | undefined): Date | undefined {
  if (value === undefined || value.trim() === '') return undefined
  if (!/^\d{1,12}$/.test(value.trim()))
    throw new Error(
      `SOURCE_DATE_EPOCH is not a valid number: "${value}" (expected whole seconds since 1970-01-01 UTC)`
    )
  return new Date(Number(value.trim()) * 1000)
}

/**
 * When the image was made, for `org.opencontainers.image.created`: SOURCE_DATE_EPOCH, else the
 * commit date, else `now`, so a re-run of the same commit labels its image the same.
 */
export function createdDate(ctx: TagContext, now: Date): Date {
  return ctx.sourceDateEpoch ?? ctx.commitDate ?? now
}

/**
 * SOURCE_DATE_EPOCH for the build, in whole seconds: from SOURCE_DATE_EPOCH, else the commit date;
 * undefined when the context has neither (the build time would not be reproducible anyway).
 */
export function sourceDateEpochOf(ctx: TagContext): number | undefined {
  const date = ctx.sourceDateEpoch ?? ctx.commitDate
  return date === undefined ? undefined : Math.floor(date.getTime() / 1000)
}

/**
 * Builds a {@link TagContext} from the Actions environment (`GITHUB_EVENT_NAME`, `GITHUB_REF`,
 * `GITHUB_SHA`, `GITHUB_REPOSITORY`, `GITHUB_SERVER_URL`, `DOCKER_METADATA_PR_HEAD_SHA`,
 * `DOCKER_METADATA_SHORT_SHA_LENGTH`, `SOURCE_DATE_EPOCH`) and the parsed event payload (§2.6):
 * - `pull_request_target`: ref becomes `refs/pull/<payload.number>/merge`;
 * - `DOCKER_METADATA_PR_HEAD_SHA=true` on `pull_request*`: sha becomes `pull_request.head.sha`;
 * - commit date: `commits[].timestamp` of the sha, else `head_commit.timestamp`, else unset (now);
 * - default branch, description, URL and licence from `payload.repository`.
 * Throws Error for a non-numeric DOCKER_METADATA_SHORT_SHA_LENGTH or SOURCE_DATE_EPOCH.
 */
export function contextFromGitHub(env: Env, payload: unknown): TagContext {
  const p = obj(payload) ?? {}
  const eventName = env.GITHUB_EVENT_NAME ?? ''
  let ref = env.GITHUB_REF ?? ''
  let sha = env.GITHUB_SHA ?? ''
  const pr = obj(p.pull_request)
  if (eventName === 'pull_request_target' && str(p.number) !== undefined)
    ref = `refs/pull/${str(p.number)}/merge`
  if (eventName.startsWith('pull_request') && env.DOCKER_METADATA_PR_HEAD_SHA === 'true') {
    const head = str(obj(pr?.head)?.sha)
    if (head) sha = head
  }
  let commitDate: Date | undefined
  if (Array.isArray(p.commits)) {
    const c = p.commits.map(obj).find(c => c !== undefined && str(c.id) === sha)
    commitDate = date(c?.timestamp)
  }
  commitDate ??= date(obj(p.head_commit)?.timestamp)
  const repo = obj(p.repository)
  const slug = env.GITHUB_REPOSITORY
  const server = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '')
  const ctx: TagContext = { eventName, ref, sha }
  if (commitDate) ctx.commitDate = commitDate
  const sourceDateEpoch = parseSourceDateEpoch(env.SOURCE_DATE_EPOCH)
  if (sourceDateEpoch) ctx.sourceDateEpoch = sourceDateEpoch
  const defaultBranch = str(repo?.default_branch)
  if (defaultBranch !== undefined) ctx.defaultBranch = defaultBranch
  const baseRef = str(p.base_ref)
  if (baseRef !== undefined) ctx.baseRef = baseRef
  const prBase = str(obj(pr?.base)?.ref)
  if (prBase !== undefined) ctx.pullRequestBaseRef = prBase
  const shortShaLength = parseShortShaLength(env.DOCKER_METADATA_SHORT_SHA_LENGTH)
  if (shortShaLength !== undefined) ctx.shortShaLength = shortShaLength
  const info: RepositoryInfo = {}
  const name = str(repo?.name) ?? slug?.split('/')[1]
  if (name) info.name = name
  const description = str(repo?.description)
  if (description !== undefined) info.description = description
  const htmlUrl = str(repo?.html_url) ?? (slug ? `${server}/${slug}` : undefined)
  if (htmlUrl) info.htmlUrl = htmlUrl
  const license = str(obj(repo?.license)?.spdx_id)
  if (license !== undefined) info.license = license
  if (Object.keys(info).length > 0) ctx.repository = info
  return ctx
}
