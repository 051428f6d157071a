/**
 * A {@link TagContext} from a local git repository, for the CLI (runs `git` through child_process;
 * the only process spawning in tags/).
 */
import { execFileSync } from 'node:child_process'
import type { RepositoryInfo, TagContext } from './context.js'

/** Runs git with `args`; returns stdout without the trailing newline; throws when git fails. */
export type GitRunner = (args: string[]) => string

/** A {@link GitRunner} running `git` in `cwd` (no shell, stderr discarded). */
export function gitRunner(cwd: string): GitRunner {
  return args =>
    execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).replace(
      /\r?\n$/,
      ''
    )
}

function tryRun(run: GitRunner, args: string[]): string | undefined {
  try {
    const out = run(args)
    return out === '' ? undefined : out
  } catch {
    return undefined
  }
}

/**
 * Web URL for a remote URL: `git@host:o/r.git`, `ssh://git@host/o/r.git`, `https://user@host/o/r.git`
 * → `https://host/o/r`; undefined for anything else (e.g. a local path).
 */
export function remoteWebUrl(remote: string): string | undefined {
  const scp = /^[\w.-]+@([\w.-]+):(?!\/)(.+?)(?:\.git)?\/?$/.exec(remote)
  if (scp) return `https://${scp[1]}/${scp[2]}`
  const url = /^(?:https?|ssh|git):\/\/(?:[^@/]+@)?([^/:]+)(?::\d+)?\/(.+?)(?:\.git)?\/?$/.exec(remote)
  if (url) return `https://${url[1]}/${url[2]}`
  return undefined
}

/** Options of {@link contextFromGit}. */
export interface GitContextOptions {
  /** Repository directory (default `process.cwd()`); ignored when `run` is given. */
  cwd?: string
  /** Git runner (tests may inject one). */
  run?: GitRunner
  /** Event name to report (default `push`; use `schedule` to enable schedule rules). */
  eventName?: string
  /** Remote whose URL and HEAD give the web URL and default branch (default `origin`). */
  remote?: string
}

/**
 * Builds the context from the repository's HEAD:
 * - sha: `git rev-parse HEAD` (`''` in a repository without commits);
 * - ref: the checked-out branch (`refs/heads/…`), else the first tag pointing at HEAD
 *   (`refs/tags/…`, version-sorted, highest first), else `''` (detached, untagged);
 * - commit date: committer date of HEAD;
 * - default branch: `refs/remotes/<remote>/HEAD`, else `init.defaultBranch`, else unset;
 * - repository: name and web URL from the remote URL (name falls back to the directory name).
 * Throws Error when `cwd` is not inside a git work tree.
 */
export function contextFromGit(options: GitContextOptions = {}): TagContext {
  const cwd = options.cwd ?? process.cwd()
  const run = options.run ?? gitRunner(cwd)
  const remote = options.remote ?? 'origin'
  const top = tryRun(run, ['rev-parse', '--show-toplevel'])
  if (top === undefined) throw new Error(`not a git work tree: ${cwd}`)
  const sha = tryRun(run, ['rev-parse', '--verify', '-q', 'HEAD']) ?? ''
  let ref = tryRun(run, ['symbolic-ref', '-q', 'HEAD']) ?? ''
  if (!ref && sha) {
    const tag = tryRun(run, ['tag', '--points-at', 'HEAD', '--sort=-version:refname'])?.split('\n')[0]
    if (tag) ref = `refs/tags/${tag}`
  }
  const ctx: TagContext = { eventName: options.eventName ?? 'push', ref, sha }
  const date = sha ? tryRun(run, ['log', '-1', '--format=%cI', 'HEAD']) : undefined
  if (date && !Number.isNaN(new Date(date).getTime())) ctx.commitDate = new Date(date)
  const remoteHead = tryRun(run, ['symbolic-ref', '-q', `refs/remotes/${remote}/HEAD`])
  const defaultBranch =
    remoteHead?.replace(`refs/remotes/${remote}/`, '') ?? tryRun(run, ['config', 'init.defaultBranch'])
  if (defaultBranch) ctx.defaultBranch = defaultBranch
  const repository: RepositoryInfo = {}
  const remoteUrl = tryRun(run, ['remote', 'get-url', remote])
  const web = remoteUrl ? remoteWebUrl(remoteUrl) : undefined
  if (web) repository.htmlUrl = web
  const name = (web ?? top).split('/').filter(Boolean).pop()
  if (name) repository.name = name
  ctx.repository = repository
  return ctx
}
