/**
 * A loopback registry is pinged over plain http first (issue 23: docker treats loopback registries
 * as insecure, and most speak plain http), so no TLS is loaded or shaken hands for them; a TLS one
 * answers that ping 400 and is then pinged over https.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createRegistryClient } from '../../src/registry/factory.js'
import type { RequestLogEntry } from '../../src/registry/request-log.js'
import { makeTestPki, type TestPki } from '../helpers/tls.js'
import { startRegistry, type TestRegistry } from '../helpers/registry.js'

describe('the ping of a loopback registry: plain http first', () => {
  let pki: TestPki
  let plain: TestRegistry
  let secure: TestRegistry
  beforeAll(async () => {
    pki = await makeTestPki()
    ;[plain, secure] = await Promise.all([
      startRegistry(),
      startRegistry({ tls: { certificate: pki.serverCert, key: pki.serverKey } })
    ])
  })
  afterAll(async () => {
    await Promise.all([plain?.stop(), secure?.stop()])
    await pki?.remove()
  })

  const tries = async (host: string): Promise<string[]> => {
    const log: RequestLogEntry[] = []
    const client = createRegistryClient({ caFile: pki.caFile, onRequest: e => void log.push(e) })
    try {
      expect(await client.headManifest({ registry: host, repository: 'none/here' }, 'v1')).toBeUndefined()
    } finally {
      await client.close()
    }
    return log.map(e => `${e.method} ${e.url.href} ${e.status ?? e.error}`)
  }

  it('a plain-http registry: no ping, the request over http (no https try)', async () => {
    expect(await tries(plain.host)).toEqual([`HEAD http://${plain.host}/v2/none/here/manifests/v1 404`])
  })

  it('a TLS registry: the request over http answered 400, so the ping tries https alone', async () => {
    expect(await tries(secure.host)).toEqual([
      `HEAD http://${secure.host}/v2/none/here/manifests/v1 400`,
      `GET https://${secure.host}/v2/ 200`,
      `HEAD https://${secure.host}/v2/none/here/manifests/v1 404`
    ])
  })
})
