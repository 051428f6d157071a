/**
 * A stand-in for the GitHub REST API (the Deployments and Deployment statuses endpoints), served by
 * node:http on 127.0.0.1:0. GitHub's API cannot be reached from the test machines, so this is what
 * the github/ tests talk to: it is not GitHub, it answers the way GitHub documents it answers.
 *
 *   const api = await startGitHubApi()
 *   await recordDeployment({ …, apiUrl: api.url })
 *   expect(api.calls.map(c => `${c.method} ${c.path}`)).toEqual([
 *     'POST /repos/octo/app/deployments',
 *     'POST /repos/octo/app/deployments/1/statuses'
 *   ])
 *   api.respond(call => (call.path.endsWith('/deployments') ? api.answers.forbidden() : undefined))
 *   api.reset()                                      // between cases: calls, ids and the hook
 *   await api.stop()                                 // afterAll
 *
 * Default answers (docs.github.com REST "Deployments" → Create a deployment, "Deployment statuses" →
 * Create a deployment status): 201 with the created object (`id` counting from 1 per kind, `url`,
 * `node_id`, and the fields sent echoed back); any other path 404 `{message: 'Not Found'}`.
 * The `respond` hook replaces an answer (403 / 422 / 500 / 202 auto-merge; `{ delayMs }` alone delays
 * the default one); `answers` has
 * GitHub's bodies for those. Every request is recorded as it arrives: method, path, lower-cased headers
 * and the parsed JSON body (the raw text when it is not JSON).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Socket } from 'node:net'

/** One request the stand-in received. */
export interface ApiCall {
  method: string
  /** path and query, e.g. `/repos/octo/app/deployments` */
  path: string
  /** lower-cased names, as node:http gives them */
  headers: Record<string, string | string[] | undefined>
  /** the parsed JSON body; the raw text when it does not parse; undefined when empty */
  body: unknown
}

/** An answer the hook gives instead of the default one (without `status`: the default one, delayed). */
export interface ApiAnswer {
  status?: number
  body?: unknown
  headers?: Record<string, string>
  /** wait this long (milliseconds) before answering */
  delayMs?: number
}

/** GitHub's answers for the failure cases (bodies as the REST docs show them). */
export const answers = {
  /** a GITHUB_TOKEN without `deployments: write` */
  forbidden: (): ApiAnswer => ({
    status: 403,
    body: {
      message: 'Resource not accessible by integration',
      documentation_url: 'https://docs.github.com/rest/deployments/deployments#create-a-deployment',
      status: '403'
    }
  }),
  /** a ref the repository does not have */
  unknownRef: (ref: string): ApiAnswer => ({
    status: 422,
    body: {
      message: `No ref found for: ${ref}`,
      documentation_url: 'https://docs.github.com/rest/deployments/deployments#create-a-deployment',
      status: '422'
    }
  }),
  /** a validation failure with an `errors` list */
  validation: (field: string, code = 'invalid'): ApiAnswer => ({
    status: 422,
    body: {
      message: 'Validation Failed',
      errors: [{ resource: 'DeploymentStatus', field, code }],
      documentation_url: 'https://docs.github.com/rest/deployments/statuses#create-a-deployment-status',
      status: '422'
    }
  }),
  serverError: (): ApiAnswer => ({ status: 500, body: { message: 'Server Error' } }),
  /** 202: the default branch was merged into the ref and no deployment was created (auto_merge: true) */
  autoMerged: (): ApiAnswer => ({
    status: 202,
    body: { message: 'Auto-merged main into topic-branch on deployment.' }
  }),
  notFound: (): ApiAnswer => ({
    status: 404,
    body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' }
  })
}

export interface GitHubApi {
  /** `http://127.0.0.1:PORT` (the `baseUrl` / GITHUB_API_URL to use) */
  url: string
  /** every request, in arrival order */
  calls: ApiCall[]
  /** answer with the hook's result instead of the default when it returns one */
  respond(hook: ((call: ApiCall, n: number) => ApiAnswer | undefined) | undefined): void
  /** clear calls, ids and the hook */
  reset(): void
  answers: typeof answers
  stop(): Promise<void>
}

// an optional /api/v3 prefix, as GitHub Enterprise Server's API root has
const DEPLOYMENTS = /^(?:\/api\/v3)?\/repos\/([^/]+)\/([^/]+)\/deployments$/
const STATUSES = /^(?:\/api\/v3)?\/repos\/([^/]+)\/([^/]+)\/deployments\/(\d+)\/statuses$/

/** Starts the stand-in on 127.0.0.1 and an ephemeral port. */
export async function startGitHubApi(): Promise<GitHubApi> {
  const calls: ApiCall[] = []
  let hook: ((call: ApiCall, n: number) => ApiAnswer | undefined) | undefined
  let deploymentId = 0
  let statusId = 0
  const sockets = new Set<Socket>()
  const timers = new Set<ReturnType<typeof setTimeout>>()

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8')
      let body: unknown = undefined
      if (text) {
        try {
          body = JSON.parse(text)
        } catch {
          body = text
        }
      }
      const call: ApiCall = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: { ...req.headers },
        body
      }
      calls.push(call)
      const given = hook?.(call, calls.length)
      const answer =
        given?.status === undefined
          ? { ...defaultAnswer(call, `http://${req.headers.host}`), delayMs: given?.delayMs }
          : given
      const send = (): void => {
        const payload = answer.body === undefined ? '' : JSON.stringify(answer.body)
        res.writeHead(answer.status ?? 500, {
          'content-type': 'application/json; charset=utf-8',
          'x-github-request-id': `TEST:${calls.length}`,
          ...answer.headers
        })
        res.end(payload)
      }
      if (answer.delayMs) {
        const timer = setTimeout(() => {
          timers.delete(timer)
          if (!res.destroyed) send()
        }, answer.delayMs)
        timers.add(timer)
      } else send()
    })
  })

  function defaultAnswer(call: ApiCall, base: string): ApiAnswer {
    const sent = (call.body ?? {}) as Record<string, unknown>
    const d = DEPLOYMENTS.exec(call.path)
    if (d && call.method === 'POST') {
      const id = ++deploymentId
      const url = `${base}/repos/${d[1]}/${d[2]}/deployments/${id}`
      return {
        status: 201,
        body: {
          url,
          id,
          node_id: `DE_test${id}`,
          sha: sent.ref,
          ref: sent.ref,
          task: sent.task ?? 'deploy',
          payload: sent.payload ?? {},
          original_environment: sent.environment,
          environment: sent.environment ?? 'production',
          description: sent.description ?? null,
          created_at: new Date().toISOString(),
          updated_at: new Date().toISOString(),
          statuses_url: `${url}/statuses`,
          repository_url: `${base}/repos/${d[1]}/${d[2]}`,
          transient_environment: sent.transient_environment ?? false,
          production_environment: sent.production_environment ?? false
        }
      }
    }
    const s = STATUSES.exec(call.path)
    if (s && call.method === 'POST') {
      const id = ++statusId
      return {
        status: 201,
        body: {
          url: `${base}/repos/${s[1]}/${s[2]}/deployments/${s[3]}/statuses/${id}`,
          id,
          node_id: `DES_test${id}`,
          state: sent.state,
          description: sent.description ?? '',
          environment: sent.environment ?? 'production',
          log_url: sent.log_url ?? '',
          environment_url: sent.environment_url ?? '',
          deployment_url: `${base}/repos/${s[1]}/${s[2]}/deployments/${s[3]}`,
          created_at: new Date().toISOString()
        }
      }
    }
    return answers.notFound()
  }

  server.on('connection', socket => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo

  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    respond(h) {
      hook = h
    },
    reset() {
      calls.length = 0
      deploymentId = 0
      statusId = 0
      hook = undefined
    },
    answers,
    async stop() {
      for (const t of timers) clearTimeout(t)
      for (const s of sockets) s.destroy()
      await new Promise<void>(resolve => server.close(() => resolve()))
    }
  }
}
