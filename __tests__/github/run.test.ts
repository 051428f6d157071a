/** github/run.ts: the run a record names, and the identity of "the same job" (no attempt). */
import { expect, it } from '@jest/globals'
import { recordRunOf } from '../../src/github/run.js'

const ENV = {
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_REPOSITORY: 'acme/app',
  GITHUB_WORKFLOW: 'release',
  GITHUB_RUN_ID: '42',
  GITHUB_RUN_ATTEMPT: '3',
  GITHUB_JOB: 'promote',
  GITHUB_SHA: 'c0ffee',
  GITHUB_ACTOR: 'octocat'
}

it('reads the run; the identity leaves the attempt out', () => {
  expect(recordRunOf(ENV)).toEqual({
    identity: 'https://github.com/acme/app/actions/runs/42/job/promote',
    repository: 'acme/app',
    workflow: 'release',
    runId: '42',
    runAttempt: '3',
    job: 'promote',
    commit: 'c0ffee',
    actor: 'octocat',
    serverUrl: 'https://github.com'
  })
  expect(recordRunOf({ ...ENV, GITHUB_RUN_ATTEMPT: '1' })?.identity).toBe(recordRunOf(ENV)?.identity)
  expect(recordRunOf({ ...ENV, GITHUB_RUN_ID: '43' })?.identity).toBe(
    'https://github.com/acme/app/actions/runs/43/job/promote'
  )
})

it('outside GitHub Actions: none', () => {
  expect(recordRunOf({})).toBeUndefined()
})
