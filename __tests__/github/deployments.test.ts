/**
 * GitHub deployments against a local stand-in for the REST API (helpers/github-api.ts): exact calls
 * (paths, headers, bodies), the failure paths (403, 422, 500, 202, a refused status, a timeout, a
 * refused connection) returning `{ ok: false }` without throwing, and the token never in a log line.
 */
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import {
  deploymentContext,
  recordDeployment,
  updateDeploymentStatus,
  type DeploymentOptions,
  type PromotionPayload
} from '../../src/github/deployments.js'
import type { Logger } from '../../src/logger.js'
import { startGitHubApi, type ApiCall, type GitHubApi } from '../helpers/github-api.js'

const TOKEN = 'ghs_TestToken0123456789abcdefABCDEF'
const SHA = '0123456789abcdef0123456789abcdef01234567'
const DIGEST = 'sha256:' + 'ab'.repeat(32)
const PAYLOAD: PromotionPayload = {
  digest: DIGEST,
  staging: `staging.test/team/app@${DIGEST}`,
  targets: [
    {
      target: 'ghcr.io/octo/app',
      tags: ['1.2.3', 'latest'],
      references: [`ghcr.io/octo/app@${DIGEST}`, 'ghcr.io/octo/app:1.2.3', 'ghcr.io/octo/app:latest']
    },
    { target: 'quay.io/octo/app', tags: [], references: [`quay.io/octo/app@${DIGEST}`] }
  ]
}
const LOG_URL = 'https://github.com/octo/app/actions/runs/42/attempts/1'

let api: GitHubApi
beforeAll(async () => {
  api = await startGitHubApi()
})
afterAll(async () => {
  await api.stop()
})
beforeEach(() => api.reset())

/** A logger that keeps every line at every level. */
function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = []
  return {
    lines,
    debug: m => lines.push(`debug: ${m}`),
    info: m => lines.push(`info: ${m}`),
    warning: m => lines.push(`warning: ${m}`)
  }
}

function options(overrides: Partial<DeploymentOptions> = {}): DeploymentOptions {
  return {
    token: TOKEN,
    apiUrl: api.url,
    repository: 'octo/app',
    ref: SHA,
    environment: 'production',
    description: `promote-image ${DIGEST}`,
    payload: PAYLOAD,
    state: 'success',
    logUrl: LOG_URL,
    environmentUrl: 'https://ghcr.io/octo/app',
    ...overrides
  }
}

const route = (c: ApiCall): string => `${c.method} ${c.path}`

describe('recordDeployment', () => {
  test('creates the deployment, then its status: exact paths and bodies', async () => {
    const result = await recordDeployment(options())
    expect(result).toEqual({
      ok: true,
      deployment: { id: 1, url: `${api.url}/repos/octo/app/deployments/1` },
      status: { id: 1, state: 'success' }
    })
    expect(api.calls.map(route)).toEqual([
      'POST /repos/octo/app/deployments',
      'POST /repos/octo/app/deployments/1/statuses'
    ])
    expect(api.calls[0].body).toEqual({
      ref: SHA,
      task: 'deploy:image',
      auto_merge: false,
      required_contexts: [],
      environment: 'production',
      description: `promote-image ${DIGEST}`,
      payload: PAYLOAD,
      transient_environment: false,
      production_environment: true
    })
    expect(api.calls[1].body).toEqual({
      state: 'success',
      description: `promote-image ${DIGEST}`,
      log_url: LOG_URL,
      environment_url: 'https://ghcr.io/octo/app',
      environment: 'production'
    })
  })

  test('headers: token authorization, GitHub media type, JSON body, user agent', async () => {
    await recordDeployment(options())
    for (const call of api.calls) {
      expect(call.headers.authorization).toBe(`token ${TOKEN}`)
      expect(call.headers.accept).toBe('application/vnd.github.v3+json')
      expect(call.headers['content-type']).toBe('application/json; charset=utf-8')
      expect(call.headers['user-agent']).toMatch(/^promote-image octokit-rest\.js\//)
    }
  })

  test('the token goes to onSecret before any request', async () => {
    const seen: Array<{ secret: string; callsSoFar: number }> = []
    await recordDeployment(
      options({ onSecret: secret => seen.push({ secret, callsSoFar: api.calls.length }) })
    )
    expect(seen).toEqual([{ secret: TOKEN, callsSoFar: 0 }])
  })

  test('state failure: the deployment is created and its status is failure', async () => {
    const result = await recordDeployment(
      options({ state: 'failure', description: 'promotion failed: quay.io/octo/app refused the tag' })
    )
    expect(result.ok).toBe(true)
    expect(api.calls.map(c => (c.body as { state?: string }).state)).toEqual([undefined, 'failure'])
    expect(api.calls[1].body).toMatchObject({
      description: 'promotion failed: quay.io/octo/app refused the tag'
    })
  })

  test('in_progress, then updateDeploymentStatus to success (and to failure)', async () => {
    const started = await recordDeployment(options({ state: 'in_progress', environmentUrl: undefined }))
    if (!started.ok) throw new Error(started.error)
    expect(api.calls[1].body).toEqual({
      state: 'in_progress',
      description: `promote-image ${DIGEST}`,
      log_url: LOG_URL,
      environment: 'production'
    })
    const done = await updateDeploymentStatus({
      token: TOKEN,
      apiUrl: api.url,
      repository: 'octo/app',
      deploymentId: started.deployment.id,
      environment: 'production',
      state: 'success',
      description: 'promoted to 2 targets',
      logUrl: LOG_URL
    })
    expect(done).toEqual({ ok: true, status: { id: 2, state: 'success' } })
    const failed = await updateDeploymentStatus({
      token: TOKEN,
      apiUrl: api.url,
      repository: 'octo/app',
      deploymentId: started.deployment.id,
      state: 'failure'
    })
    expect(failed).toEqual({ ok: true, status: { id: 3, state: 'failure' } })
    expect(api.calls.map(route)).toEqual([
      'POST /repos/octo/app/deployments',
      'POST /repos/octo/app/deployments/1/statuses',
      'POST /repos/octo/app/deployments/1/statuses',
      'POST /repos/octo/app/deployments/1/statuses'
    ])
    expect(api.calls[2].body).toEqual({
      state: 'success',
      description: 'promoted to 2 targets',
      log_url: LOG_URL,
      environment: 'production'
    })
    expect(api.calls[3].body).toEqual({ state: 'failure' })
  })

  test.each([
    ['production', undefined, true],
    ['prod', undefined, true],
    ['Production', undefined, true],
    ['staging', undefined, false],
    ['production-eu', undefined, false],
    ['staging', true, true],
    ['production', false, false]
  ])(
    'environment %s, production %s → production_environment %s',
    async (environment, production, expected) => {
      await recordDeployment(options({ environment, production }))
      expect(api.calls[0].body).toMatchObject({ environment, production_environment: expected })
    }
  )

  test('transient and task are passed through', async () => {
    await recordDeployment(options({ environment: 'pr-7', transient: true, task: 'deploy:preview' }))
    expect(api.calls[0].body).toMatchObject({
      environment: 'pr-7',
      task: 'deploy:preview',
      transient_environment: true,
      production_environment: false
    })
  })

  test('descriptions longer than 140 characters are cut with …; the digest is the default', async () => {
    await recordDeployment(options({ description: 'x'.repeat(200) }))
    const sent = api.calls.map(c => (c.body as { description: string }).description)
    expect(sent).toEqual(['x'.repeat(139) + '…', 'x'.repeat(139) + '…'])
    api.reset()
    await recordDeployment(options({ description: undefined }))
    expect(api.calls.map(c => (c.body as { description?: string }).description)).toEqual([DIGEST, undefined])
  })

  test('a GHES API root with a trailing slash: paths under /api/v3', async () => {
    const result = await recordDeployment(options({ apiUrl: `${api.url}/api/v3/` }))
    expect(result.ok).toBe(true)
    expect(api.calls.map(route)).toEqual([
      'POST /api/v3/repos/octo/app/deployments',
      'POST /api/v3/repos/octo/app/deployments/1/statuses'
    ])
  })

  test('an injected fetch is the one used', async () => {
    const urls: string[] = []
    const recordingFetch: typeof fetch = (input, init) => {
      urls.push(String(input))
      return fetch(input, init)
    }
    const result = await recordDeployment(options({ fetch: recordingFetch }))
    expect(result.ok).toBe(true)
    expect(urls).toEqual([
      `${api.url}/repos/octo/app/deployments`,
      `${api.url}/repos/octo/app/deployments/1/statuses`
    ])
  })
})

describe('recordDeployment: failures return { ok: false } and do not throw', () => {
  test('403 on create (token without deployments: write): no status attempted', async () => {
    api.respond(() => api.answers.forbidden())
    const result = await recordDeployment(options())
    expect(result).toEqual({
      ok: false,
      error:
        `creating a GitHub deployment of ${SHA} to production in octo/app failed: ` +
        'HTTP 403 Resource not accessible by integration — the token needs the deployments: write permission ' +
        '(`permissions: deployments: write`)'
    })
    expect(api.calls.map(route)).toEqual(['POST /repos/octo/app/deployments'])
  })

  test('422 on create: an unknown ref', async () => {
    api.respond(() => api.answers.unknownRef('nope'))
    const result = await recordDeployment(options({ ref: 'nope' }))
    expect(result).toEqual({
      ok: false,
      error:
        'creating a GitHub deployment of nope to production in octo/app failed: HTTP 422 No ref found for: nope'
    })
  })

  test('500 on create: one request, no retry', async () => {
    api.respond(() => api.answers.serverError())
    const result = await recordDeployment(options())
    expect(result).toEqual({
      ok: false,
      error: `creating a GitHub deployment of ${SHA} to production in octo/app failed: HTTP 500 Server Error`
    })
    expect(api.calls).toHaveLength(1)
  })

  test('404 on create: repository not found or not visible', async () => {
    api.respond(() => api.answers.notFound())
    const result = await recordDeployment(options())
    expect(result.ok).toBe(false)
    expect(!result.ok && result.error).toMatch(
      /HTTP 404 Not Found — the repository does not exist or the token cannot see it$/
    )
  })

  test('202 auto-merge answer: no deployment was created, no status attempted', async () => {
    api.respond(() => api.answers.autoMerged())
    const result = await recordDeployment(options())
    expect(result).toEqual({
      ok: false,
      error: `GitHub created no deployment of ${SHA} to production (HTTP 202: Auto-merged main into topic-branch on deployment.)`
    })
    expect(api.calls).toHaveLength(1)
  })

  test('422 on the status: the created deployment is returned with the error', async () => {
    api.respond(c => (c.path.endsWith('/statuses') ? api.answers.validation('state') : undefined))
    const result = await recordDeployment(options())
    expect(result).toEqual({
      ok: false,
      deployment: { id: 1, url: `${api.url}/repos/octo/app/deployments/1` },
      error:
        'setting GitHub deployment 1 to success in octo/app failed: HTTP 422 Validation Failed (state invalid)'
    })
    expect(api.calls.map(route)).toEqual([
      'POST /repos/octo/app/deployments',
      'POST /repos/octo/app/deployments/1/statuses'
    ])
  })

  test('updateDeploymentStatus on a deployment GitHub does not know: 404', async () => {
    api.respond(() => api.answers.notFound())
    const result = await updateDeploymentStatus({
      token: TOKEN,
      apiUrl: api.url,
      repository: 'octo/app',
      deploymentId: 99,
      state: 'failure'
    })
    expect(result).toEqual({
      ok: false,
      error:
        'setting GitHub deployment 99 to failure in octo/app failed: HTTP 404 Not Found — ' +
        'the repository does not exist or the token cannot see it'
    })
  })

  test('no answer within timeoutMs: abandoned, reported in milliseconds', async () => {
    api.respond(() => ({ status: 201, body: { id: 1, url: 'x' }, delayMs: 3000 }))
    const started = Date.now()
    const result = await recordDeployment(options({ timeoutMs: 200 }))
    expect(Date.now() - started).toBeLessThan(2000)
    expect(result).toEqual({
      ok: false,
      error: `creating a GitHub deployment of ${SHA} to production in octo/app failed: no answer within 200 ms`
    })
  })

  test('the timeout is per request, not shared between the two POSTs', async () => {
    // each answer takes 600 ms: one budget shared by both POSTs (1200 ms) would run out, 1000 ms per request does not
    // (400 ms of slack for a loaded machine)
    api.respond(() => ({ delayMs: 600 }))
    const result = await recordDeployment(options({ timeoutMs: 1000 }))
    expect(result.ok).toBe(true)
    expect(api.calls).toHaveLength(2)
  })

  test('connection refused (nothing listening on the loopback port)', async () => {
    const port = await closedPort()
    const result = await recordDeployment(options({ apiUrl: `http://127.0.0.1:${port}` }))
    expect(result).toEqual({
      ok: false,
      error: `creating a GitHub deployment of ${SHA} to production in octo/app failed: connect ECONNREFUSED 127.0.0.1:${port}`
    })
  })

  test('a logger that throws does not change the outcome', async () => {
    const throwing: Logger = {
      debug: () => {
        throw new Error('logger broke')
      },
      info: () => {},
      warning: () => {}
    }
    const result = await recordDeployment(options({ logger: throwing }))
    expect(result.ok).toBe(true)
    expect(api.calls).toHaveLength(2)
  })

  test('an onSecret that throws: { ok: false } (token redacted), no request, never a rejection', async () => {
    const result = await recordDeployment(
      options({
        onSecret: s => {
          throw new Error(`cannot mask ${s}`)
        }
      })
    )
    expect(result).toEqual({ ok: false, error: 'GitHub deployment: cannot mask ***' })
    expect(api.calls).toEqual([])
  })

  test.each([
    ['', 'octo/app', 'no GitHub token: no deployment recorded'],
    ['   ', 'octo/app', 'no GitHub token: no deployment recorded'],
    [TOKEN, 'octo', 'repository must be owner/repo, got "octo"'],
    [TOKEN, 'octo/app/extra', 'repository must be owner/repo, got "octo/app/extra"'],
    [TOKEN, '', 'repository must be owner/repo, got ""']
  ])('token %j, repository %j: no request, %s', async (token, repository, error) => {
    await expect(recordDeployment(options({ token, repository }))).resolves.toEqual({ ok: false, error })
    expect(api.calls).toEqual([])
  })
})

describe('the token is never logged or returned', () => {
  test('not in any log line or error, even when the server echoes the authorization header', async () => {
    const logger = recordingLogger()
    // a hostile or broken server that puts the credential it received into its error message
    api.respond(c =>
      c.path.endsWith('/statuses')
        ? { status: 500, body: { message: `bad credential ${String(c.headers.authorization)}` } }
        : undefined
    )
    const result = await recordDeployment(options({ logger }))
    expect(result).toEqual({
      ok: false,
      deployment: { id: 1, url: `${api.url}/repos/octo/app/deployments/1` },
      error: 'setting GitHub deployment 1 to success in octo/app failed: HTTP 500 bad credential token ***'
    })
    expect(logger.lines.length).toBeGreaterThan(0)
    for (const line of logger.lines) expect(line).not.toContain(TOKEN)
    // the request it sent did carry it
    expect(api.calls[1].headers.authorization).toBe(`token ${TOKEN}`)
  })

  test('a successful run logs debug lines only, none with the token', async () => {
    const logger = recordingLogger()
    await recordDeployment(options({ logger }))
    expect(logger.lines).toEqual([
      expect.stringMatching(/^debug: POST \/repos\/octo\/app\/deployments - 201 with id TEST:1 in \d+ms$/),
      `debug: GitHub deployment 1: ${SHA} to production`,
      expect.stringMatching(
        /^debug: POST \/repos\/octo\/app\/deployments\/1\/statuses - 201 with id TEST:2 in \d+ms$/
      ),
      'debug: GitHub deployment 1 (production): success'
    ])
  })
})

describe('deploymentContext', () => {
  const base = {
    GITHUB_REPOSITORY: 'octo/app',
    GITHUB_SHA: SHA,
    GITHUB_RUN_ID: '42',
    GITHUB_RUN_ATTEMPT: '2',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_EVENT_NAME: 'push'
  }
  const HEAD = 'fedcba9876543210fedcba9876543210fedcba98'
  test.each([
    [
      'push on github.com',
      base,
      undefined,
      {
        apiUrl: 'https://api.github.com',
        repository: 'octo/app',
        ref: SHA,
        logUrl: 'https://github.com/octo/app/actions/runs/42/attempts/2'
      }
    ],
    [
      'GHES',
      { ...base, GITHUB_API_URL: 'https://ghe.test/api/v3', GITHUB_SERVER_URL: 'https://ghe.test' },
      undefined,
      {
        apiUrl: 'https://ghe.test/api/v3',
        repository: 'octo/app',
        ref: SHA,
        logUrl: 'https://ghe.test/octo/app/actions/runs/42/attempts/2'
      }
    ],
    [
      'pull_request: the head commit, not the merge commit',
      { ...base, GITHUB_EVENT_NAME: 'pull_request' },
      { pull_request: { head: { sha: HEAD } } },
      {
        apiUrl: 'https://api.github.com',
        repository: 'octo/app',
        ref: HEAD,
        logUrl: 'https://github.com/octo/app/actions/runs/42/attempts/2'
      }
    ],
    [
      'pull_request without an event payload: GITHUB_SHA',
      { ...base, GITHUB_EVENT_NAME: 'pull_request_target' },
      undefined,
      {
        apiUrl: 'https://api.github.com',
        repository: 'octo/app',
        ref: SHA,
        logUrl: 'https://github.com/octo/app/actions/runs/42/attempts/2'
      }
    ],
    [
      'no run attempt: 1',
      { GITHUB_REPOSITORY: 'octo/app', GITHUB_SHA: SHA, GITHUB_RUN_ID: '42' },
      undefined,
      {
        apiUrl: 'https://api.github.com',
        repository: 'octo/app',
        ref: SHA,
        logUrl: 'https://github.com/octo/app/actions/runs/42/attempts/1'
      }
    ],
    [
      'outside Actions',
      {},
      undefined,
      { apiUrl: 'https://api.github.com', repository: undefined, ref: undefined, logUrl: undefined }
    ]
  ])('%s', (_name, env, event, expected) => {
    expect(deploymentContext(env as NodeJS.ProcessEnv, event)).toEqual(expected)
  })
})

/** A loopback port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', () => resolve()))
  const { port } = server.address() as AddressInfo
  await new Promise<void>(resolve => server.close(() => resolve()))
  return port
}
