/** GitHub contexts for tag tests: env + payload in the shape of metadata-action's fixtures (§2.7). */
import { contextFromGitHub, type TagContext } from '../../src/tags/index.js'

export const NOW = new Date('2020-01-10T00:30:00Z')
export const SHA_DEV = '860c1904a1ce19322e91ac35af1ab07466440c37'
export const SHA_MASTER = '266574110acf203503badf966df2ea24b5d732d7'
export const SHA_PR = 'a9c8c58e0f1d2c3b4a59687766554433221100ff'
export const SHA_INVALIDCHARS = '983315b5a7a0e5e1d3c2b1a0f9e8d7c6b5a49382'

export type Event =
  'push' | 'pull_request' | 'pull_request_target' | 'schedule' | 'release' | 'workflow_dispatch'

/** A context like metadata-action's fixtures: repository docker/test-docker-action, default branch master. */
export function githubContext(
  event: Event,
  ref: string,
  sha?: string,
  payload: Record<string, unknown> = {},
  env: Record<string, string> = {}
): TagContext {
  const defaultSha = event.startsWith('pull_request')
    ? event === 'pull_request'
      ? SHA_PR
      : SHA_MASTER
    : ref === 'refs/heads/master' || event === 'schedule'
      ? SHA_MASTER
      : SHA_DEV
  const theSha = sha ?? defaultSha
  const base: Record<string, unknown> = {
    repository: {
      name: 'test-docker-action',
      description: 'Test docker action',
      html_url: 'https://github.com/docker/test-docker-action',
      default_branch: 'master',
      license: { spdx_id: 'MIT' }
    },
    head_commit: { id: theSha, timestamp: '2020-01-10T00:30:00Z' }
  }
  if (event.startsWith('pull_request')) {
    base.number = 15
    base.pull_request = { number: 15, base: { ref: 'master' }, head: { sha: SHA_DEV, ref: 'feature' } }
    delete base.head_commit
  }
  return contextFromGitHub(
    {
      GITHUB_EVENT_NAME: event,
      GITHUB_REF: ref,
      GITHUB_SHA: theSha,
      GITHUB_REPOSITORY: 'docker/test-docker-action',
      GITHUB_SERVER_URL: 'https://github.com',
      ...env
    },
    { ...base, ...payload }
  )
}
