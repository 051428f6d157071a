import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net'
import { request } from 'undici'
import { Authenticator, type TokenSend } from '../../src/auth/authenticator.js'
import { staticCredentials } from '../../src/auth/credentials.js'
import type { RegistryClient } from '../../src/registry/client.js'
import { OPTION_INPUTS } from '../../src/options.js'
import { createRegistryClient } from '../../src/registry/factory.js'
import { tokenSendFailure } from '../../src/registry/token-sender.js'
import { withTlsAdvice } from '../../src/report/tls-words.js'
import { pushImage, randomBlob, type SeededImage } from '../helpers/images.js'
import { startProxy, type FaultAction, type FaultHook, type Proxy } from '../helpers/proxy.js'
import { startRegistry, type TestRegistry } from '../helpers/registry.js'
import { makeTestPki, type TestPki } from '../helpers/tls.js'
import { startTokenServer, type TokenServer } from '../helpers/token-server.js'

const SERVICE = 'registry.test'
const ISSUER = 'promote-image-test-issuer'

/** A TCP server on loopback that accepts connections, reads requests and never answers. */
async function startSilentServer(): Promise<{ port: number; requests: () => number; stop(): Promise<void> }> {
  const sockets: Socket[] = []
  let received = ''
  const server: Server = createServer(socket => {
    sockets.push(socket)
    socket.on('data', chunk => (received += chunk.toString('latin1')))
  })
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r))
  return {
    port: (server.address() as AddressInfo).port,
    requests: () => (received.match(/^(GET|POST) \/token/gm) ?? []).length,
    stop: async () => {
      sockets.forEach(s => s.destroy())
      await new Promise(r => server.close(r))
    }
  }
}

/**
 * Bug 1 of issue 9: token requests were sent with undici directly, without the request timeout
 * (undici waits 300 s for headers) and without retries. They now go through the same send() and
 * retry policy as registry requests.
 */
describe('token requests go through the registry HTTP stack (timeout, retries)', () => {
  let pki: TestPki
  let silent: Awaited<ReturnType<typeof startSilentServer>>
  let silentRegistry: TestRegistry
  let ts: TokenServer
  let tsProxy: Proxy
  let reg: TestRegistry
  let image: SeededImage
  const clients: RegistryClient[] = []
  let waits: number[] = []

  beforeAll(async () => {
    pki = await makeTestPki()
    silent = await startSilentServer()
    ts = await startTokenServer({
      pki,
      service: SERVICE,
      users: { seeder: 'seed-Secret-2b7f' },
      acl: { seeder: { 'team/app': ['*'] }, '': { 'team/app': ['pull'] } }
    })
    tsProxy = await startProxy(new URL(ts.realm).origin)
    const rootCertBundle = pki.signingCert
    ;[silentRegistry, reg] = await Promise.all([
      startRegistry({
        token: {
          realm: `http://127.0.0.1:${silent.port}/token`,
          service: SERVICE,
          issuer: ISSUER,
          rootCertBundle
        }
      }),
      startRegistry({ token: { ...ts.registryConfig, realm: `${tsProxy.url}/token` } })
    ])
    const url = new URL(ts.realm)
    url.searchParams.set('service', SERVICE)
    url.searchParams.set('scope', 'repository:team/app:pull,push')
    const res = await request(url, {
      headers: { authorization: `Basic ${Buffer.from('seeder:seed-Secret-2b7f').toString('base64')}` }
    })
    const { token } = (await res.body.json()) as { token: string }
    image = await pushImage(reg.url, 'team/app', [randomBlob(10_000)], {
      tag: 'v1',
      headers: { authorization: `Bearer ${token}` }
    })
  })
  afterAll(async () => {
    await Promise.all(clients.map(c => c.close()))
    await Promise.all([silentRegistry?.stop(), reg?.stop()])
    await Promise.all([silent?.stop(), tsProxy?.stop(), ts?.stop()])
    await pki?.remove()
  })

  const client = (retry: Record<string, number> = {}): RegistryClient => {
    waits = []
    const c = createRegistryClient({
      retry: { baseDelayMs: 10, maxDelayMs: 50, ...retry },
      sleep: async ms => void waits.push(ms)
    })
    clients.push(c)
    return c
  }
  const viaProxy = (fault: FaultHook | undefined): void => {
    tsProxy.reset()
    ts.reset()
    tsProxy.setFault(fault)
  }

  it(
    'fails after the request timeout when the token server accepts the connection and never answers, naming it',
    async () => {
      const c = client({ timeoutMs: 1000 })
      await expect(
        c.headManifest({ registry: silentRegistry.host, repository: 'team/app' }, 'v1')
      ).rejects.toThrow(
        `registry ${silentRegistry.host}: token server http://127.0.0.1:${silent.port}/token: connected, but got no answer within 1 s (UND_ERR_HEADERS_TIMEOUT)`
      )
      // one token request, cut at the 1 s timeout, and not retried: bounded by one timeout
      expect(silent.requests()).toBe(1)
      expect(c.transport.authenticator.stats.tokenRequests).toBe(1)
      expect(c.transport.stats.retries).toBe(0)
      // the ping over plain http (a loopback host); no registry request after the failed token request
      expect(c.transport.stats.requests).toBe(1)
    },
    // the old code waited for undici's 300 s default; this bound only keeps a regression from hanging the run
    20_000
  )

  it('retries a token request answered 503 with Retry-After, waiting as asked', async () => {
    viaProxy((req, n) =>
      n === 1 && req.url!.startsWith('/token')
        ? { kind: 'respond', status: 503, headers: { 'retry-after': '2' } }
        : undefined
    )
    const c = client()
    const d = await c.headManifest({ registry: reg.host, repository: 'team/app' }, 'v1')
    expect(d?.digest).toBe(image.digest)
    expect(tsProxy.log.map(e => [e.method, e.path.split('?')[0], e.status])).toEqual([
      ['GET', '/token', 503],
      ['GET', '/token', 200]
    ])
    expect(waits).toEqual([2000])
    expect(c.transport.authenticator.stats.tokenRequests).toBe(2)
    expect(c.transport.stats).toMatchObject({ retries: 1, waitedMs: 2000 })
  })

  it('a token server answering 500 to every try: the message says how many tries and what it said (newuser4 #19)', async () => {
    viaProxy(req =>
      req.url!.startsWith('/token') ? { kind: 'respond', status: 500, body: 'internal\n' } : undefined
    )
    const c = client()
    const e = await c
      .headManifest({ registry: reg.host, repository: 'team/app' }, 'v1')
      .catch((x: Error) => x)
    // before: 'registry …: token request to …/token answered 500', the 5 tries and the body nowhere
    expect((e as Error).message).toBe(
      `registry ${reg.host}: token request to ${tsProxy.url}/token answered 500 after 5 tries: internal`
    )
    expect(tsProxy.log.map(x => x.status)).toEqual([500, 500, 500, 500, 500])
    expect(c.transport.authenticator.stats.tokenRequests).toBe(5)
  })

  it('retries token requests whose connection is reset, within the retry count', async () => {
    viaProxy((req, n) => (n <= 2 && req.url!.startsWith('/token') ? { kind: 'reset' } : undefined))
    const c = client()
    expect((await c.headManifest({ registry: reg.host, repository: 'team/app' }, 'v1'))?.digest).toBe(
      image.digest
    )
    expect(tsProxy.log.map(e => e.status)).toEqual([0, 0, 200])
    expect(ts.requests.map(r => [r.method, r.user, r.scopes])).toEqual([
      ['GET', undefined, ['repository:team/app:pull']]
    ])
    expect(c.transport.authenticator.stats.tokenRequests).toBe(3)
    expect(c.transport.stats.retries).toBe(2)

    viaProxy(req => (req.url!.startsWith('/token') ? { kind: 'reset' } : undefined))
    const e = await client({ retries: 1 })
      .headManifest({ registry: reg.host, repository: 'team/app' }, 'v1')
      .catch((x: Error) => x)
    expect((e as Error).message).toMatch(
      new RegExp(
        `^registry ${reg.host.replace(/\./g, '\\.')}: token server ${tsProxy.url.replace(/\./g, '\\.')}/token: the connection was closed before an answer \\((ECONNRESET|UND_ERR_SOCKET)\\)$`
      )
    )
    expect(tsProxy.log).toHaveLength(2)
  })

  it('a token answer whose body is cut is sent again within the retry count, and named when every try is (newuser6 #1)', async () => {
    // the token server's answer has no Content-Length (a close would end it whole): one is declared
    const cut: FaultAction[] = [
      { kind: 'rewrite', headers: { 'content-length': '2000' } },
      { kind: 'truncate', bytes: 10 }
    ]
    viaProxy((req, n) => (n === 1 && req.url!.startsWith('/token') ? cut : undefined))
    const c = client()
    expect((await c.headManifest({ registry: reg.host, repository: 'team/app' }, 'v1'))?.digest).toBe(
      image.digest
    )
    expect(tsProxy.log.map(e => [e.status, e.responseBytes === 10])).toEqual([
      [200, true],
      [200, false]
    ])
    expect(c.transport.authenticator.stats.tokenRequests).toBe(2)
    expect(c.transport.stats.retries).toBe(1)

    viaProxy(req => (req.url!.startsWith('/token') ? cut : undefined))
    const e = await client({ retries: 1 })
      .headManifest({ registry: reg.host, repository: 'team/app' }, 'v1')
      .catch((x: Error) => x)
    expect((e as Error).message).toMatch(
      new RegExp(
        `^registry ${reg.host.replace(/\./g, '\\.')}: token server ${tsProxy.url.replace(/\./g, '\\.')}/token: the answer: the connection was closed after \\d+ of 2000 bytes of the body \\(2 tries, \\d+\\.\\d s in all; UND_ERR_SOCKET\\)$`
      )
    )
    expect(tsProxy.log).toHaveLength(2)
  })
})

describe('the Authenticator words what its token sender could not do', () => {
  const coded = (code: string): Error => Object.assign(new Error(code), { code })
  const failing =
    (message: string, code: string): TokenSend =>
    async req => {
      // what the registry stack's token sender makes of the network error (1 s timeout)
      throw tokenSendFailure(req, new Error(message, { cause: coded(code) }), 1000)
    }
  it.each([
    [
      'connected, but got no answer within 1 s (UND_ERR_HEADERS_TIMEOUT)',
      'UND_ERR_HEADERS_TIMEOUT',
      'registry r.test: token server https://auth.r.test/token: connected, but got no answer within 1 s (UND_ERR_HEADERS_TIMEOUT)'
    ],
    [
      'cannot connect (ECONNREFUSED)',
      'ECONNREFUSED',
      'registry r.test: token server https://auth.r.test/token: cannot connect (ECONNREFUSED)'
    ],
    [
      'cannot connect (UNABLE_TO_VERIFY_LEAF_SIGNATURE)',
      'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      'registry r.test: TLS certificate verification failed for the token server https://auth.r.test (UNABLE_TO_VERIFY_LEAF_SIGNATURE); give the CA with the ca-file input or NODE_EXTRA_CA_CERTS'
    ]
  ])('%s', async (message, code, expected) => {
    const a = new Authenticator({ credentials: staticCredentials({}), send: failing(message, code) })
    a.setChallenge('r.test', 'Bearer realm="https://auth.r.test/token?x=1",service="r.test"')
    const e = await a
      .authorization('r.test', [{ repository: 'a/b', actions: ['pull'] }])
      .catch((x: Error) => x)
    // the action's words for a TLS failure come from the edge (report/tls-words.ts)
    expect([(e as Error).name, withTlsAdvice(e as Error, OPTION_INPUTS).message]).toEqual([
      'AuthError',
      expected
    ])
  })
})
