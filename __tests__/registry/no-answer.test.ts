/**
 * What a request that got no answer says: a timeout after retries names the tries and the time
 * they took in all (by the transport's clock: injected here, the real one through the CLI); a
 * registry that accepts the connection and closes it is "connection closed by the registry",
 * told apart from "cannot connect". Real docker-registry behind the fault proxy; raw TCP servers
 * for connections that close.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createServer, type Server, type Socket } from 'node:net'
import { createRegistryClient } from '../../src/registry/factory.js'
import { runCliFromSource } from '../helpers/cli-source.js'
import { freePort, startRegistry, type TestRegistry } from '../helpers/registry.js'
import { startProxy, type Proxy } from '../helpers/proxy.js'
import { seedImage } from './fixtures.js'

describe('timeouts say the tries and the total they waited', () => {
  let reg: TestRegistry
  let dst: TestRegistry
  let proxy: Proxy

  beforeAll(async () => {
    ;[reg, dst] = await Promise.all([startRegistry(), startRegistry()])
    proxy = await startProxy(reg.url)
    await seedImage(reg.url, 'team/app', 'v1', [20_000])
  })
  afterAll(async () => {
    await proxy?.stop()
    await Promise.all([reg?.stop(), dst?.stop()])
  })

  it('engine, injected clock: each hung try costs the timeout, each backoff its wait; the message adds them up', async () => {
    let now = 50_000
    const waits: number[] = []
    proxy.reset()
    proxy.setFault(req => {
      if (!/manifests/.test(req.url!)) return undefined
      now += 1000 // the try waits the timeout on the clock the transport reads
      return { kind: 'hang' }
    })
    const client = createRegistryClient({
      retry: { timeoutMs: 1000, retries: 2, baseDelayMs: 200, maxDelayMs: 1000 },
      now: () => now,
      sleep: async ms => {
        waits.push(ms)
        now += ms
      }
    })
    try {
      const e = await client
        .getManifest({ registry: proxy.host, repository: 'team/app' }, 'v1')
        .catch((x: Error) => x)
      expect(waits).toHaveLength(2)
      const total = ((3000 + waits[0] + waits[1]) / 1000).toFixed(1)
      expect((e as Error).message).toBe(
        `GET ${proxy.url}/v2/team/app/manifests/v1: connected, but got no answer within 1 s (3 tries, ${total} s in all; UND_ERR_HEADERS_TIMEOUT)`
      )
      expect(proxy.entries('GET', /manifests/).map(x => x.status)).toEqual([0, 0, 0])
    } finally {
      proxy.setFault(undefined)
      await client.close()
    }
  })

  it('CLI, real clock: --timeout 1 on a registry that never answers for the manifest; the total is what it waited', async () => {
    proxy.reset()
    proxy.setFault(req => (/manifests/.test(req.url!) ? { kind: 'hang' } : undefined))
    const started = Date.now()
    const r = await runCliFromSource([
      'copy',
      '--timeout',
      '1',
      `${proxy.host}/team/app:v1`,
      `${dst.host}/t/app:v1`
    ])
    const measured = (Date.now() - started) / 1000
    proxy.setFault(undefined)
    expect(r.status).toBe(1)
    const last = r.stderr.trim().split('\n').at(-1) ?? ''
    const m = new RegExp(
      `^promote-image: (HEAD|GET) ${proxy.url}/v2/team/app/manifests/v1: connected, but got no answer within 1 s \\(5 tries, (\\d+\\.\\d) s in all; UND_ERR_HEADERS_TIMEOUT\\)$`
    ).exec(last)
    expect(m).not.toBeNull()
    // five tries of one request: it waited at least five timeouts, and no more than the process ran
    const total = Number(m![2])
    expect(total).toBeGreaterThanOrEqual(5)
    expect(total).toBeLessThanOrEqual(measured)
    expect(proxy.entries('*', /manifests\/v1/).map(x => x.status)).toEqual([0, 0, 0, 0, 0])
  }, 60_000)
})

describe('a silent registry costs one timeout, not one per scheme', () => {
  it('the plain-http try starts while the https try still waits, and the message says the one timeout', async () => {
    // a TCP server on 127.0.0.1 that accepts each connection and never writes a byte
    const opened: Socket[] = []
    const at: number[] = []
    const server = createServer(socket => {
      at.push(performance.now())
      opened.push(socket)
      socket.on('error', () => {})
    })
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r))
    const host = `127.0.0.1:${(server.address() as { port: number }).port}`
    const client = createRegistryClient({ retry: { timeoutMs: 2000, retries: 0 } })
    try {
      const e = await client.headManifest({ registry: host, repository: 'a' }, '1').catch((x: Error) => x)
      expect((e as Error).message).toBe(
        `registry ${host}: connected, but got no answer within 2 s (UND_ERR_HEADERS_TIMEOUT)`
      )
      // three connections, all during the HEAD's wait: the HEAD over plain http (a loopback
      // host's first scheme), then the ping once the head start (a quarter of the timeout: 500 ms)
      // has passed (its http try), and its https try one head start later; not one 2 s timeout
      // after another as when the schemes were tried in turn
      expect(opened).toHaveLength(3)
      expect(at[2] - at[0]).toBeLessThan(1500)
    } finally {
      await client.close()
      opened.forEach(o => o.destroy())
      await new Promise(r => server.close(r))
    }
  }, 30_000)
})

describe('a registry that closes the connection is told apart from one that cannot be reached', () => {
  const servers: Server[] = []
  const sockets: Socket[] = []
  /** A TCP server on 127.0.0.1 that accepts each connection and then ends or resets it. */
  const closing = async (how: 'end' | 'reset'): Promise<string> => {
    const server = createServer(socket => {
      sockets.push(socket)
      socket.on('error', () => {})
      if (how === 'reset') socket.resetAndDestroy()
      else socket.end()
    })
    servers.push(server)
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r))
    return `127.0.0.1:${(server.address() as { port: number }).port}`
  }
  afterAll(async () => {
    sockets.forEach(s => s.destroy())
    await Promise.all(servers.map(s => new Promise(r => s.close(r))))
  })

  const pingError = async (host: string): Promise<string> => {
    const client = createRegistryClient({ retry: { retries: 1, baseDelayMs: 1, maxDelayMs: 1 } })
    try {
      const e = await client
        .headManifest({ registry: host, repository: 'team/app' }, 'v1')
        .catch((x: Error) => x)
      return (e as Error).message
    } finally {
      await client.close()
    }
  }

  it.each<['end' | 'reset', string]>([
    ['end', 'UND_ERR_SOCKET'],
    ['reset', 'ECONNRESET']
  ])('accepts, then %s → connection closed by the registry (%s)', async (how, code) => {
    const host = await closing(how)
    expect(await pingError(host)).toBe(`registry ${host}: connection closed by the registry (${code})`)
  })

  it('nothing listening → cannot connect (ECONNREFUSED)', async () => {
    const host = `127.0.0.1:${await freePort()}`
    expect(await pingError(host)).toBe(`registry ${host}: cannot connect (ECONNREFUSED)`)
  })
})
