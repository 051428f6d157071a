/**
 * TLS client certificates per registry (mTLS), against real distribution 2.8 registries that
 * require one (`http.tls.clientcas`): without it the handshake fails with a message naming the
 * registry (the stack's facts; the CLI names its flags, report/tls-words.ts); with it the copy
 * succeeds; the certificate goes only to the registry it is given for.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { readFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:https'
import type { TLSSocket } from 'node:tls'
import { Agent, getGlobalDispatcher, setGlobalDispatcher } from 'undici'
import { promote } from '../../src/copy/promote.js'
import { createRegistryClient } from '../../src/registry/factory.js'
import { TlsClientCertificateError } from '../../src/registry/errors.js'
import { OPTION_FLAGS } from '../../src/options.js'
import { withTlsAdvice } from '../../src/report/tls-words.js'
import { makeClientCert, type TestClientCert } from '../helpers/client-cert.js'
import { pushImage, randomBlob, type SeededImage } from '../helpers/images.js'
import { startRegistry, type TestRegistry } from '../helpers/registry.js'
import { makeTestPki, type TestPki } from '../helpers/tls.js'

describe('registries that require a TLS client certificate', () => {
  let pki: TestPki
  let client1: TestClientCert
  let stranger: TestClientCert
  let src: TestRegistry
  let dst: TestRegistry
  let image: SeededImage
  /** an https server that only records whether a client certificate was presented */
  let witness: Server
  let witnessHost: string
  const presented: boolean[] = []

  beforeAll(async () => {
    pki = await makeTestPki()
    client1 = await makeClientCert(pki, 'client1')
    stranger = await makeClientCert(pki, 'stranger', true)
    const probeClient = {
      cert: await readFile(client1.certFile, 'utf8'),
      key: await readFile(client1.keyFile, 'utf8')
    }
    const tls = { certificate: pki.serverCert, key: pki.serverKey, clientCa: pki.caFile, probeClient }
    ;[src, dst] = await Promise.all([startRegistry({ tls }), startRegistry({ tls })])
    const previous = getGlobalDispatcher()
    const seeding = new Agent({ connect: { ca: await readFile(pki.caFile, 'utf8'), ...probeClient } })
    setGlobalDispatcher(seeding)
    try {
      image = await pushImage(src.url, 'team/app', [randomBlob(30_000)], { tag: 'v1' })
    } finally {
      setGlobalDispatcher(previous)
      await seeding.close()
    }
    witness = createServer(
      {
        cert: await readFile(pki.serverCert),
        key: await readFile(pki.serverKey),
        requestCert: true,
        rejectUnauthorized: false
      },
      (req, res) => {
        presented.push(!!(req.socket as TLSSocket).getPeerCertificate()?.raw)
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}')
      }
    )
    await new Promise<void>(r => witness.listen(0, '127.0.0.1', r))
    const addr = witness.address()
    witnessHost = `127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`
  })
  afterAll(async () => {
    await Promise.all([src?.stop(), dst?.stop()])
    await new Promise(r => witness?.close(r))
    await pki?.remove()
  })

  it('without a certificate: a message naming the registry, the CLI naming its flags, after the plain-http HEAD and one https try', async () => {
    const client = createRegistryClient({ caFile: pki.caFile })
    const error = (await client
      .headManifest({ registry: src.host, repository: 'team/app' }, 'v1')
      .catch((e: unknown) => e)) as Error
    const facts = `registry ${src.host}: the TLS server at ${src.host} asks for a client certificate (ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE)`
    expect(error.message).toBe(facts)
    expect(error.cause).toBeInstanceOf(TlsClientCertificateError)
    expect(withTlsAdvice(error, OPTION_FLAGS).message).toBe(
      `${facts}; give one with --client-cert ${src.host}=CERT_FILE and --client-key ${src.host}=KEY_FILE`
    )
    // a loopback host's first request goes over plain http (this TLS server answers 400), then the https ping
    expect(client.transport.stats.requests).toBe(2)
    await client.close()
  })

  it('with a certificate for each registry: the copy succeeds and is verified', async () => {
    const client = createRegistryClient({
      caFile: pki.caFile,
      clientCertificates: [src.host, dst.host].map(host => ({ host, ...client1 }))
    })
    const result = await promote(client, {
      source: { registry: src.host, repository: 'team/app', reference: 'v1' },
      targets: [{ repo: { registry: dst.host, repository: 'prod/app' }, tags: ['v1'] }]
    })
    expect(result.digest).toBe(image.digest)
    expect([
      result.targets[0].blobsCopied,
      result.targets[0].manifestsPushed,
      result.targets[0].verified
    ]).toEqual([2, 1, true])
    await client.close()
  })

  it('a certificate the registry does not trust: refused; the CLI names the certificate flags', async () => {
    const client = createRegistryClient({
      caFile: pki.caFile,
      clientCertificates: [{ host: src.host, ...stranger }]
    })
    const error = (await client
      .headManifest({ registry: src.host, repository: 'team/app' }, 'v1')
      .catch((e: unknown) => e)) as Error
    const facts = `registry ${src.host}: the TLS server at ${src.host} refused the client certificate given for it (ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE)`
    expect(error.message).toBe(facts)
    expect(withTlsAdvice(error, OPTION_FLAGS).message).toBe(
      `${facts}; check that --client-cert names a certificate it trusts, with its key (--client-key)`
    )
    await client.close()
  })

  it('sends the certificate only to the host it is given for', async () => {
    const client = createRegistryClient({
      caFile: pki.caFile,
      clientCertificates: [{ host: src.host, ...client1 }]
    })
    await client.headManifest({ registry: witnessHost, repository: 'any/repo' }, 'v1').catch(() => undefined)
    expect(await client.headManifest({ registry: src.host, repository: 'team/app' }, 'v1')).toMatchObject({
      digest: image.digest
    })
    await client.close()
    const witnessed = presented.splice(0)
    expect(witnessed.length).toBeGreaterThan(0)
    expect(witnessed.every(p => p === false)).toBe(true)
    // the same witness sees the certificate when it is given for its host
    const named = createRegistryClient({
      caFile: pki.caFile,
      clientCertificates: [{ host: witnessHost, ...client1 }]
    })
    await named.headManifest({ registry: witnessHost, repository: 'any/repo' }, 'v1').catch(() => undefined)
    await named.close()
    expect(presented.length).toBeGreaterThan(0)
    expect(presented.every(p => p === true)).toBe(true)
  })
})
