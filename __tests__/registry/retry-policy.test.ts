import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createRegistryClient } from '../../src/registry/factory.js'
import type { RetryAttempt, RetryPolicy } from '../../src/registry/retry.js'

const DIGEST = `sha256:${'a'.repeat(64)}`
const BLOB_SIZE = 1000

/**
 * A registry stand-in on loopback: `/v2/` answers 200, every manifest HEAD 503, every blob GET
 * sends its headers and half the body, then drops the connection. Counts requests by method.
 */
function startStandIn(): Promise<{ server: Server; host: string; seen: string[] }> {
  const seen: string[] = []
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    seen.push(`${req.method} ${req.url}`)
    if (req.url === '/v2/') return void res.writeHead(200, { 'content-length': '0' }).end()
    if (req.method === 'HEAD') return void res.writeHead(503, { 'content-length': '0' }).end()
    res.writeHead(200, { 'content-length': String(BLOB_SIZE), 'docker-content-digest': DIGEST })
    res.write(Buffer.alloc(BLOB_SIZE / 2))
    setTimeout(() => res.socket?.destroy(), 20)
  })
  return new Promise(resolve =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, host: `127.0.0.1:${(server.address() as AddressInfo).port}`, seen })
    )
  )
}

/** A policy that allows `retries` more tries at every scope, at once, and records what it was asked. */
function countingPolicy(
  retries: number
): RetryPolicy & { asked: Array<Pick<RetryAttempt, 'scope' | 'attempt'>> } {
  const asked: Array<Pick<RetryAttempt, 'scope' | 'attempt'>> = []
  return {
    asked,
    decide: a => {
      asked.push({ scope: a.scope, attempt: a.attempt })
      return a.attempt < retries
        ? { retry: true, delayMs: 0, retryAfter: false }
        : { retry: false, reason: `policy: stop after ${a.attempt} retries` }
    }
  }
}

describe('one injected RetryPolicy owns how many times a request is tried and a download resumed', () => {
  let standIn: Awaited<ReturnType<typeof startStandIn>>
  beforeAll(async () => {
    standIn = await startStandIn()
  })
  afterAll(() => new Promise<void>(resolve => standIn.server.close(() => resolve())))

  it('a request answered 503: exactly 1 + the retries the policy allows (2 → 3 HEADs, 0 → 1)', async () => {
    for (const [retries, heads] of [
      [2, 3],
      [0, 1]
    ]) {
      standIn.seen.length = 0
      const policy = countingPolicy(retries)
      const client = createRegistryClient({ retryPolicy: policy })
      const error = await client
        .headManifest({ registry: standIn.host, repository: 'a/b' }, 'v1')
        .catch((e: Error) => e)
      await client.close()
      expect((error as Error).message).toBe(
        `HEAD http://${standIn.host}/v2/a/b/manifests/v1 answered 503 — policy: stop after ${retries} retries`
      )
      // no ping: a 503 says the registry is there (busy), so it settles the scheme
      expect(standIn.seen).toEqual(Array(heads).fill('HEAD /v2/a/b/manifests/v1'))
      expect(policy.asked).toEqual(
        Array.from({ length: heads }, (_, attempt) => ({ scope: 'request', attempt }))
      )
      expect(client.transport.stats.retries).toBe(retries)
    }
  })

  it('a download that breaks mid-body: resumed exactly as often as the policy allows (1 → 2 GETs)', async () => {
    standIn.seen.length = 0
    const policy = countingPolicy(1)
    const client = createRegistryClient({ retryPolicy: policy })
    const read = client.readBlob({ registry: standIn.host, repository: 'a/b' }, DIGEST, BLOB_SIZE)
    const error = await (async () => {
      for await (const _ of read) void _
    })().catch((e: Error) => e)
    await client.close()
    expect((error as Error).name).toBe('DownloadBrokenError')
    expect((error as Error).message).toMatch(
      new RegExp(
        `^blob ${standIn.host}/a/b@${DIGEST}: the download broke after 500 of 1000 bytes, 1 resume used \\(`
      )
    )
    // no ping: the first GET's 200 confirms the scheme
    expect(standIn.seen).toEqual([`GET /v2/a/b/blobs/${DIGEST}`, `GET /v2/a/b/blobs/${DIGEST}`])
    expect(policy.asked).toEqual([
      { scope: 'download', attempt: 0 },
      { scope: 'download', attempt: 1 }
    ])
  })
})
