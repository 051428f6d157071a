/**
 * HTTPS_PROXY / HTTP_PROXY / NO_PROXY through a real local forward proxy (helpers/forward-proxy.ts)
 * in front of real registries. The network is loopback-only, and loopback hosts never go through
 * the proxy by default, so the "through the proxy" cases turn that exclusion off in code
 * (`proxy.proxyLoopback`); one case checks the default (the proxy sees nothing).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { readFile } from 'node:fs/promises'
import { createServer, type Server, type Socket } from 'node:net'
import { Agent, getGlobalDispatcher, setGlobalDispatcher } from 'undici'
import { createRegistryClient } from '../../src/registry/factory.js'
import { createDispatcher, describeProxy, proxySettings } from '../../src/registry/http.js'
import { proxyProblem } from '../../src/registry/errors.js'
import { startForwardProxy, type ForwardProxy } from '../helpers/forward-proxy.js'
import { pushImage, randomBlob, type SeededImage } from '../helpers/images.js'
import { startRegistry, type TestRegistry } from '../helpers/registry.js'
import { makeTestPki, type TestPki } from '../helpers/tls.js'

const SECRET = 'pr0xy-S3cret'
const repo = (registry: string) => ({ registry, repository: 'team/app' })

describe('forward proxy from the environment', () => {
  let pki: TestPki
  let plain: TestRegistry
  let secure: TestRegistry
  let plainImage: SeededImage
  let secureImage: SeededImage
  let proxy: ForwardProxy
  let env: Record<string, string>

  beforeAll(async () => {
    pki = await makeTestPki()
    ;[plain, secure, proxy] = await Promise.all([
      startRegistry(),
      startRegistry({ tls: { certificate: pki.serverCert, key: pki.serverKey } }),
      startForwardProxy({ credentials: `proxy-user:${SECRET}` })
    ])
    env = {
      HTTPS_PROXY: `http://proxy-user:${SECRET}@${proxy.host}`,
      HTTP_PROXY: `http://proxy-user:${SECRET}@${proxy.host}`
    }
    plainImage = await pushImage(plain.url, 'team/app', [randomBlob(20_000)], { tag: 'v1' })
    const previous = getGlobalDispatcher()
    const seeding = new Agent({ connect: { ca: await readFile(pki.caFile, 'utf8') } })
    setGlobalDispatcher(seeding)
    try {
      secureImage = await pushImage(secure.url, 'team/app', [randomBlob(20_000)], { tag: 'v1' })
    } finally {
      setGlobalDispatcher(previous)
      await seeding.close()
    }
  })
  afterAll(async () => {
    await Promise.all([plain?.stop(), secure?.stop(), proxy?.stop()])
    await pki?.remove()
  })

  it('https: one CONNECT tunnel, the custom CA verified inside it, proxy credentials sent and never logged', async () => {
    proxy.reset()
    const lines: string[] = []
    const logger = {
      debug: (m: string) => lines.push(m),
      info: (m: string) => lines.push(m),
      warning: (m: string) => lines.push(m)
    }
    const client = createRegistryClient({ caFile: pki.caFile, proxy: { env, proxyLoopback: true }, logger })
    expect((await client.headManifest(repo(secure.host), 'v1'))?.digest).toBe(secureImage.digest)
    expect((await client.getManifest(repo(secure.host), 'v1'))?.digest).toBe(secureImage.digest)
    await client.close()
    // one tunnel: the GET, sent in the turn the HEAD's answer ended, waits for the check phase and
    // goes on the connection that answer hands back (http.ts Settling; undici opened a second one)
    const tunnel = { method: 'CONNECT', target: secure.host, status: 200, auth: `proxy-user:${SECRET}` }
    expect(proxy.log).toEqual([tunnel])
    // no ping: the HEAD over https (the first scheme of a proxied loopback host) answered as a registry
    expect(client.transport.stats.requests).toBe(2)
    expect(lines).toContain(`proxy: https → http://${proxy.host}/, http → http://${proxy.host}/`)
    expect(lines.join('\n')).not.toContain(SECRET)
  })

  it('http: absolute-URI requests through the proxy (after the https try, tunnelled, fails)', async () => {
    proxy.reset()
    const client = createRegistryClient({ proxy: { env, proxyLoopback: true } })
    expect((await client.headManifest(repo(plain.host), 'v1'))?.digest).toBe(plainImage.digest)
    await client.close()
    const auth = `proxy-user:${SECRET}`
    expect(proxy.log).toEqual([
      { method: 'CONNECT', target: plain.host, status: 200, auth },
      { method: 'GET', target: `http://${plain.host}/v2/`, status: 200, auth },
      { method: 'HEAD', target: `http://${plain.host}/v2/team/app/manifests/v1`, status: 200, auth }
    ])
  })

  it('by default loopback hosts connect directly: the proxy sees nothing', async () => {
    proxy.reset()
    const client = createRegistryClient({ caFile: pki.caFile, proxy: { env } })
    expect((await client.headManifest(repo(secure.host), 'v1'))?.digest).toBe(secureImage.digest)
    expect((await client.headManifest(repo(plain.host), 'v1'))?.digest).toBe(plainImage.digest)
    await client.close()
    expect(proxy.count()).toBe(0)
  })

  it('NO_PROXY names a host (with its port): it connects directly, the other goes through the proxy', async () => {
    proxy.reset()
    const client = createRegistryClient({
      caFile: pki.caFile,
      proxy: { env: { ...env, no_proxy: `example.internal, ${plain.host}` }, proxyLoopback: true }
    })
    expect((await client.headManifest(repo(plain.host), 'v1'))?.digest).toBe(plainImage.digest)
    expect((await client.headManifest(repo(secure.host), 'v1'))?.digest).toBe(secureImage.digest)
    await client.close()
    // the HEAD of the https registry only (no ping: one tunnel). Unless that HEAD outlasts the
    // plain-http head start (1 s, ping.ts plainHttpHeadStartMs; seen at load ~16): the ping then
    // starts beside it (transport.ts watchHeadStart), through the proxy too, as a second tunnel and
    // perhaps its plain-http GET /v2/. Never anything for the NO_PROXY host.
    const seen = proxy.log.map(e => `${e.method} ${e.target}`)
    const pingBeside = [`CONNECT ${secure.host}`, `GET http://${secure.host}/v2/`]
    expect(seen[0]).toBe(`CONNECT ${secure.host}`)
    expect(seen.slice(1).filter(l => !pingBeside.includes(l))).toEqual([])
    // the plain registry: its HEAD over https (loopback hosts take https first when proxied) fails,
    // the ping goes on to plain http (GET /v2/) and the HEAD again there; the https one: its HEAD
    // (and the ping's requests, when it started beside it)
    if (seen.length === 1) expect(client.transport.stats.requests).toBe(4)
    else expect(client.transport.stats.requests).toBeGreaterThan(4)
  })

  it('wrong proxy credentials: refused by the proxy; the password is in no message', async () => {
    proxy.reset()
    const wrong = `http://proxy-user:not-${SECRET}@${proxy.host}`
    const client = createRegistryClient({
      caFile: pki.caFile,
      proxy: { env: { HTTPS_PROXY: wrong }, proxyLoopback: true },
      retry: { budgetMs: 0 }
    })
    const error = await client.headManifest(repo(secure.host), 'v1').catch((e: Error) => e)
    await client.close()
    expect(error).toBeInstanceOf(Error)
    expect(proxy.log[0]).toEqual({
      method: 'CONNECT',
      target: secure.host,
      status: 407,
      auth: `proxy-user:not-${SECRET}`
    })
    expect(JSON.stringify({ m: (error as Error).message, c: String((error as Error).cause) })).not.toContain(
      SECRET
    )
    // issue 24 finding 10: was `cannot connect (UND_ERR_ABORTED)`
    expect((error as Error).message).toBe(
      `registry ${secure.host}: the proxy asks for credentials (407 to CONNECT; give them in the proxy URL, http://USER:PASSWORD@HOST:PORT) (UND_ERR_ABORTED)`
    )
  })

  it('a 407 through the http proxy is named as the proxy asking for credentials, with no plain-http fallback', async () => {
    const client = createRegistryClient({
      proxy: { env: { HTTP_PROXY: `http://${proxy.host}` }, proxyLoopback: true },
      retry: { budgetMs: 0 }
    })
    const error = await client.headManifest(repo(plain.host), 'v1').catch((e: Error) => e)
    await client.close()
    expect((error as Error).message).toBe(
      `registry ${plain.host}: the proxy asks for credentials (407 to CONNECT; give them in the proxy URL, http://USER:PASSWORD@HOST:PORT) (UND_ERR_ABORTED)`
    )
    // undici's own error for a 407 to an absolute-URI (plain http) request, in the same words
    const plain407 = new Error('fetch failed', {
      cause: Object.assign(new Error('Proxy Authentication Required (407)'), { code: 'UND_ERR_INVALID_ARG' })
    })
    expect(proxyProblem(plain407)).toBe(
      'the proxy asks for credentials (407; give them in the proxy URL, http://USER:PASSWORD@HOST:PORT)'
    )
  })

  it('a proxy that refuses the connection is named as the proxy, not the registry', async () => {
    const closed = createServer()
    await new Promise<void>(r => closed.listen(0, '127.0.0.1', r))
    const addr = closed.address()
    const gone = `127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`
    await new Promise(r => closed.close(r))
    const client = createRegistryClient({
      caFile: pki.caFile,
      proxy: { env: { HTTPS_PROXY: `http://${gone}` }, proxyLoopback: true },
      retry: { budgetMs: 0 }
    })
    const error = await client.headManifest(repo(secure.host), 'v1').catch((e: Error) => e)
    await client.close()
    // was `registry …: cannot connect (ECONNREFUSED)`, as if the registry had refused
    expect((error as Error).message).toBe(
      `registry ${secure.host}: cannot connect to the proxy ${gone} (ECONNREFUSED)`
    )
  })

  describe('timeouts through the tunnel', () => {
    let silent: Server
    let silentHost: string
    const held: Socket[] = []
    beforeAll(async () => {
      // accepts TCP connections and never says a word (no TLS handshake)
      silent = createServer(s => void held.push(s))
      await new Promise<void>(r => silent.listen(0, '127.0.0.1', r))
      const addr = silent.address()
      silentHost = `127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`
    })
    afterAll(async () => {
      for (const s of held) s.destroy()
      await new Promise(r => silent.close(r))
    })

    it('the connect timeout bounds the TLS handshake inside the CONNECT tunnel', async () => {
      proxy.reset()
      const dispatcher = createDispatcher({ timeoutMs: 300, proxy: { env, proxyLoopback: true } })
      const error = await dispatcher
        .request({ origin: `https://${silentHost}`, path: '/v2/', method: 'GET' })
        .catch((e: Error & { code?: string }) => e)
      await dispatcher.destroy()
      expect((error as { code?: string }).code).toBe('UND_ERR_CONNECT_TIMEOUT')
      expect(proxy.log).toEqual([
        { method: 'CONNECT', target: silentHost, status: 200, auth: `proxy-user:${SECRET}` }
      ])
    })

    it('a proxy that never answers CONNECT: bounded by the request timeout', async () => {
      const hung = await startForwardProxy({ hangConnect: true })
      const dispatcher = createDispatcher({
        timeoutMs: 300,
        proxy: { env: { HTTPS_PROXY: `http://${hung.host}` }, proxyLoopback: true }
      })
      const error = await dispatcher
        .request({ origin: `https://${secure.host}`, path: '/v2/', method: 'GET' })
        .catch((e: Error & { code?: string }) => e)
      await dispatcher.destroy()
      await hung.stop()
      expect((error as { code?: string }).code).toBe('UND_ERR_HEADERS_TIMEOUT')
      expect(hung.count('CONNECT')).toBe(1)
    })
  })
})

describe('proxySettings / describeProxy', () => {
  it('reads lower-case before upper-case, adds http:// to a bare host:port, and never shows credentials', () => {
    const s = proxySettings({
      https_proxy: 'http://u:p4ss@proxy.internal:3128',
      HTTPS_PROXY: 'http://other:1',
      HTTP_PROXY: 'plain.internal:8080',
      NO_PROXY: ' .internal,10.0.0.1 '
    })
    expect([s.httpsProxy?.href, s.httpProxy?.href, s.noProxy]).toEqual([
      'http://u:p4ss@proxy.internal:3128/',
      'http://plain.internal:8080/',
      '.internal,10.0.0.1'
    ])
    expect(describeProxy(s)).toBe(
      'https → http://proxy.internal:3128/, http → http://plain.internal:8080/, not for .internal,10.0.0.1'
    )
    expect(describeProxy(proxySettings({}))).toBe('none')
    // the first non-empty of no_proxy / NO_PROXY, as Go reads it: an empty no_proxy hides nothing
    expect(proxySettings({ no_proxy: '', NO_PROXY: 'registry.internal' }).noProxy).toBe('registry.internal')
    expect(proxySettings({ no_proxy: ' ', NO_PROXY: 'b' }).noProxy).toBe('b')
    expect(proxySettings({ no_proxy: 'a', NO_PROXY: 'b' }).noProxy).toBe('a')
    // https falls back to the http proxy, as undici's EnvHttpProxyAgent does
    expect(proxySettings({ http_proxy: 'http://p:1' }).httpsProxy?.href).toBe('http://p:1/')
  })

  it('refuses a variable that is not a proxy URL, naming it and not its value', () => {
    expect(() => proxySettings({ HTTPS_PROXY: 'ftp://u:s3cret@proxy:21' })).toThrow(
      'HTTPS_PROXY: not a proxy URL (http://[user:password@]host:port, https:// or socks5://)'
    )
    expect(() => proxySettings({ http_proxy: 'http://' })).toThrow('http_proxy: not a proxy URL')
  })
})
