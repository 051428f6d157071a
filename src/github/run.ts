/**
 * The GitHub Actions run a promotion record names, from the runner's environment (GitHub docs
 * "Variables": GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_WORKFLOW, GITHUB_RUN_ID,
 * GITHUB_RUN_ATTEMPT, GITHUB_JOB, GITHUB_SHA, GITHUB_ACTOR). Pure.
 *
 * "The same job" (the record's identity, proof/record.ts): the server, repository, run id and job
 * id, WITHOUT the attempt: re-running a job (attempt 2, 3, …) finds the record its first attempt
 * wrote and adds none; a new run (a new run id) adds its own.
 */
import type { RecordRun } from '../proof/record.js'

/** The run from `env`; undefined outside GitHub Actions (no GITHUB_RUN_ID or GITHUB_REPOSITORY). */
export function recordRunOf(env: NodeJS.ProcessEnv): RecordRun | undefined {
  const runId = env.GITHUB_RUN_ID
  const repository = env.GITHUB_REPOSITORY
  if (!runId || !repository) return undefined
  const serverUrl = env.GITHUB_SERVER_URL || 'https://github.com'
  const job = env.GITHUB_JOB || ''
  const pick = (k: keyof RecordRun, v: string | undefined): Partial<RecordRun> => (v ? { [k]: v } : {})
  return {
    identity: `${serverUrl}/${repository}/actions/runs/${runId}/job/${job}`,
    repository,
    ...pick('workflow', env.GITHUB_WORKFLOW),
    runId,
    ...pick('runAttempt', env.GITHUB_RUN_ATTEMPT),
    ...pick('job', job),
    ...pick('commit', env.GITHUB_SHA),
    ...pick('actor', env.GITHUB_ACTOR),
    serverUrl
  }
}
