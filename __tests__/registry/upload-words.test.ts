/**
 * A failed upload's error names its session without the session's query values (an upload
 * Location is a capability on registries that sign it; distribution's `_state` is an HMAC'd
 * session state), as `-v` does, and says what happened to the connection in words, not undici's
 * bare code (newuser6 #13: `PUT http://…/uploads/UUID?_state=<300 characters>&digest=… failed:
 * ECONNRESET`). A real registry behind a stand-in that resets every blob upload.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createRegistryClient } from '../../src/registry/factory.js'
import type { RegistryClient } from '../../src/registry/client.js'
import { promote } from '../../src/copy/promote.js'
import { startRegistry, type TestRegistry } from '../helpers/registry.js'
import { startProxy, type Proxy } from '../helpers/proxy.js'
import { listTags, type SeededImage } from '../helpers/images.js'
import { runCliFromSource } from '../helpers/cli-source.js'
import { capturingLogger, seedImage } from './fixtures.js'

describe('an upload whose connection is reset', () => {
  let src: TestRegistry
  let dst: TestRegistry
  let proxy: Proxy
  let image: SeededImage
  const clients: RegistryClient[] = []

  beforeAll(async () => {
    ;[src, dst] = await Promise.all([startRegistry(), startRegistry()])
    // every blob upload's finalising PUT is reset before it reaches the registry
    proxy = await startProxy(dst.url, {
      fault: req =>
        req.method === 'PUT' && /\/blobs\/uploads\//.test(req.url!) ? { kind: 'reset' } : undefined
    })
    image = await seedImage(src.url, 'team/app', 'v1', [3_000])
  })
  afterAll(async () => {
    await Promise.all(clients.map(c => c.close()))
    await proxy?.stop()
    await Promise.all([src?.stop(), dst?.stop()])
  })

  /** `PUT http://PROXY/v2/REPO/blobs/uploads/UUID?_state=…&digest=…: connection closed by the registry (CODE)` */
  const putLine = (repo: string): RegExp =>
    new RegExp(
      `PUT ${proxy.url}/v2/${repo}/blobs/uploads/[0-9a-f-]+\\?_state=…&digest=…: connection closed by the registry \\((ECONNRESET|EPIPE|UND_ERR_SOCKET)\\)`
    )

  it('the promotion error and its warnings name the session without query values, in words', async () => {
    const log = capturingLogger()
    const c = createRegistryClient({ retry: { baseDelayMs: 1, maxDelayMs: 2 }, logger: log })
    clients.push(c)
    const e = await promote(c, {
      source: { registry: src.host, repository: 'team/app', reference: 'v1' },
      targets: [{ repo: { registry: proxy.host, repository: 'prod/a' }, tags: ['v1'] }],
      logger: log
    }).catch((x: Error) => x)
    const message = (e as Error).message
    expect(message).toMatch(new RegExp(`^promotion of ${image.digest} is incomplete; no tag was written`))
    expect(message.split('\n').slice(1)).toEqual([
      expect.stringMatching(new RegExp(`^  ${proxy.host}/prod/a: `))
    ])
    expect(message).toMatch(putLine('prod/a'))
    const said = [message, ...log.lines].join('\n')
    expect(said).not.toMatch(/_state=[^…]/)
    expect(said).not.toMatch(/digest=sha256/)
    expect(said).not.toMatch(/failed: (ECONNRESET|EPIPE|UND_ERR_SOCKET)/)
    expect(await listTags(dst.url, 'prod/a')).toEqual([])
  })

  it('the CLI says the same', async () => {
    const run = await runCliFromSource(['copy', `${src.host}/team/app:v1`, `${proxy.host}/prod/b:v1`])
    expect(run.status).toBe(1)
    expect(run.stderr).toMatch(putLine('prod/b'))
    expect(run.stderr).not.toMatch(/_state=[^…]/)
    expect(run.stderr).not.toMatch(/failed: (ECONNRESET|EPIPE|UND_ERR_SOCKET)/)
  })
})
