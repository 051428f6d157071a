/**
 * destroyDispatcher (http.ts), what the transport's close() ends the run's HTTP with: a request
 * still in flight fails with undici's ClientDestroyedError, as with `dispatcher.destroy()`, and that
 * error carries no stack frames (formatting them, which node's stream destroy asks for, computed
 * the line ends of the CLI's whole 1.1 MB program at the end of every run). Real docker-registry
 * behind the fault proxy, which holds the manifest GET unanswered.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createDispatcher, destroyDispatcher, send } from '../../src/registry/http.js'
import { startRegistry, type TestRegistry } from '../helpers/registry.js'
import { startProxy, type Proxy } from '../helpers/proxy.js'

describe('destroyDispatcher', () => {
  let reg: TestRegistry
  let proxy: Proxy

  beforeAll(async () => {
    reg = await startRegistry()
    proxy = await startProxy(reg.url, {
      fault: req => (/manifests/.test(req.url ?? '') ? { kind: 'hang' } : undefined)
    })
  })
  afterAll(async () => {
    await proxy?.stop()
    await reg?.stop()
  })

  it('fails a request in flight with ClientDestroyedError, made without stack frames', async () => {
    const dispatcher = createDispatcher()
    const options = { dispatcher, timeoutMs: 30_000 }
    const ping = await send(options, { method: 'GET', url: new URL(`${proxy.url}/v2/`), headers: {} })
    await ping.body.dump()
    const hung = send(options, {
      method: 'GET',
      url: new URL(`${proxy.url}/v2/team/app/manifests/v1`),
      headers: {}
    }).catch((e: unknown) => e as Error & { code?: string })
    // the GET has reached the registry's proxy (which never answers it) before the pool is destroyed
    while (!proxy.log.some(x => x.method === 'GET' && /manifests/.test(x.path)))
      await new Promise(r => setImmediate(r))
    await destroyDispatcher(dispatcher)
    const e = (await hung) as Error & { code?: string }
    expect({ name: e.name, code: e.code, message: e.message, stack: e.stack }).toEqual({
      name: 'ClientDestroyedError',
      code: 'UND_ERR_DESTROYED',
      message: 'The client is destroyed',
      stack: 'ClientDestroyedError: The client is destroyed'
    })
    expect(proxy.log.map(x => `${x.method} ${x.path} ${x.status}`)).toEqual([
      'GET /v2/ 200',
      'GET /v2/team/app/manifests/v1 0'
    ])
  })
})
