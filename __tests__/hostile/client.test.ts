/**
 * The registry client against hostile servers of our own on loopback (issue 10): what a
 * compromised or broken registry serves is bounded (bodies, JSON depth, index depth and width),
 * checked before use (descriptor shapes, digests before any URL), and cannot steer requests
 * (Retry-After beyond the budget, https→http redirects, plain-http token realms).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { PassThrough } from 'node:stream'
import { Authenticator, realmPolicy } from '../../src/auth/authenticator.js'
import { staticCredentials } from '../../src/auth/credentials.js'
import { fanOut } from '../../src/copy/fanout.js'
import { walkGraph } from '../../src/copy/graph.js'
import { LIMITS, jsonDepth } from '../../src/limits.js'
import { createRegistryClient } from '../../src/registry/factory.js'
import { createDispatcher } from '../../src/registry/http.js'
import { tokenSender } from '../../src/registry/transport.js'
import { capturingLogger } from '../registry/fixtures.js'
import { startProxy } from '../helpers/proxy.js'
import { startRegistry } from '../helpers/registry.js'
import { makeTestPki, type TestPki } from '../helpers/tls.js'
import {
  OCI_INDEX,
  OCI_MANIFEST,
  endless,
  registryHandler,
  served,
  sha256,
  startHostileServer,
  trickle,
  type HostileHandler,
  type HostileServer
} from '../helpers/hostile.js'
import { OPTION_FLAGS } from '../../src/cli/args.js'
import { OPTION_INPUTS } from '../../src/options.js'
import { withTlsAdvice } from '../../src/report/tls-words.js'

/** The engine gives the facts (PlainHttpRefusal); the action's words come from the edge (report/tls-words.ts). */
const inAction = <T>(p: Promise<T>): Promise<T> =>
  p.catch(e => Promise.reject(withTlsAdvice(e, OPTION_INPUTS)))
/** A realm policy's answer in the action's words. */
const worded = (r: unknown): unknown => (r instanceof Error ? withTlsAdvice(r, OPTION_INPUTS).message : r)

const LAYER = 'application/vnd.oci.image.layer.v1.tar+gzip'
const CONFIG = 'application/vnd.oci.image.config.v1+json'
const config = Buffer.from('{"architecture":"amd64","os":"linux"}')
const configDescriptor = { mediaType: CONFIG, digest: sha256(config), size: config.length }
const SHA384 = `sha384:${'ab'.repeat(48)}`
const PATH_LIKE = '../../../../v2/secret/manifests/latest'

const servers: HostileServer[] = []
async function hostile(handler: HostileHandler, tls?: { cert: string; key: string }): Promise<HostileServer> {
  const s = await startHostileServer(handler, tls)
  servers.push(s)
  return s
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map(s => s.stop()))
})

/** An image manifest listing `layers` (raw values, hostile ones included). */
const image = (layers: unknown[]): ReturnType<typeof served> =>
  served({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: configDescriptor, layers }, OCI_MANIFEST)

/** A hostile registry serving `doc` as app:v1; returns the client error of GET app:v1. */
async function getV1(doc: ReturnType<typeof served>): Promise<{ message: string; host: string }> {
  const s = await hostile(registryHandler('app', { v1: doc }))
  const client = createRegistryClient()
  try {
    await client.getManifest({ registry: s.host, repository: 'app' }, 'v1')
    return { message: 'no error', host: s.host }
  } catch (e) {
    return { message: (e as Error).message, host: s.host }
  } finally {
    await client.close()
  }
}

describe('hostile registry: descriptor and manifest shapes (image-spec descriptor.md)', () => {
  it.each([
    [
      'manifests: 5',
      served({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: 5 }, OCI_INDEX),
      'index H/app:v1: manifests is not a list'
    ],
    [
      'manifests: [null]',
      served({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [null] }, OCI_INDEX),
      'index H/app:v1: manifests[0] is not a descriptor (it is null)'
    ],
    [
      'a size given as a string',
      image([
        { mediaType: LAYER, digest: sha256('x'), size: 1 },
        { mediaType: LAYER, digest: sha256('y'), size: '12' }
      ]),
      'manifest H/app:v1: layers[1] is not a descriptor (size is not a non-negative integer)'
    ],
    [
      'a negative size',
      image([{ mediaType: LAYER, digest: sha256('x'), size: -1 }]),
      'manifest H/app:v1: layers[0] is not a descriptor (size is not a non-negative integer)'
    ],
    [
      'a sha384 digest',
      image([{ mediaType: LAYER, digest: SHA384, size: 3 }]),
      `manifest H/app:v1: layers[0] is not a descriptor (digest "${SHA384}" uses the unsupported algorithm sha384 (supported: sha256, sha512))`
    ],
    [
      'a path-like digest',
      image([{ mediaType: LAYER, digest: PATH_LIKE, size: 3 }]),
      `manifest H/app:v1: layers[0] is not a descriptor (digest "${PATH_LIKE}" is not a digest (algorithm:encoded))`
    ],
    [
      'a media type that is not a string',
      image([{ mediaType: 7, digest: sha256('x'), size: 1 }]),
      'manifest H/app:v1: layers[0] is not a descriptor (mediaType is not a string)'
    ],
    [
      'a platform os that is not a string',
      served(
        {
          schemaVersion: 2,
          mediaType: OCI_INDEX,
          manifests: [
            {
              mediaType: OCI_MANIFEST,
              digest: sha256('m'),
              size: 2,
              platform: { os: {}, architecture: 'amd64' }
            }
          ]
        },
        OCI_INDEX
      ),
      'index H/app:v1: manifests[0] is not a descriptor (platform.os is not a string)'
    ],
    ['a JSON list', served([1, 2], OCI_MANIFEST), 'manifest H/app:v1: is not a JSON object']
  ])('%s fails with a shape error', async (_name, doc, expected) => {
    const { message, host } = await getV1(doc)
    expect(message).toBe(expected.replace('H/', `${host}/`))
  })

  it(`an index of more than ${LIMITS.indexChildren} entries fails naming the indexChildren limit`, async () => {
    const entry = { mediaType: OCI_MANIFEST, digest: sha256('m'), size: 2 }
    const doc = served(
      { schemaVersion: 2, mediaType: OCI_INDEX, manifests: Array(10_001).fill(entry) },
      OCI_INDEX
    )
    const { message, host } = await getV1(doc)
    expect(message).toBe(`index ${host}/app:v1: lists 10001 manifests, over the indexChildren limit of 10000`)
  })

  it('JSON nested past the jsonDepth limit fails before it is parsed', async () => {
    const deep = Buffer.from(`{"schemaVersion":2,"annotations":${'['.repeat(5000)}${']'.repeat(5000)}}`)
    const { message, host } = await getV1({ bytes: deep, digest: sha256(deep), mediaType: OCI_MANIFEST })
    expect(message).toBe(`manifest ${host}/app:v1: JSON nested deeper than the jsonDepth limit of 32`)
    expect([jsonDepth('{"a":"[[[[","b":[{}]}', 32), jsonDepth('[[[]]]', 2)]).toEqual([3, 3])
  })

  it('a path-like or sha384 digest never reaches a URL: refused before any request', async () => {
    const s = await hostile(registryHandler('app', {}))
    const client = createRegistryClient()
    const repo = { registry: s.host, repository: 'app' }
    await expect(client.headBlob(repo, PATH_LIKE)).rejects.toThrow(
      `refusing to request blob "${PATH_LIKE}" of ${s.host}/app: "${PATH_LIKE}" is not a digest (algorithm:encoded)`
    )
    await expect(client.getManifest(repo, SHA384)).rejects.toThrow(
      `refusing to request manifest "${SHA384}" of ${s.host}/app: not a tag, and "${SHA384}" uses the unsupported algorithm sha384 (supported: sha256, sha512)`
    )
    await client.close()
    expect(s.requests).toEqual([])
  })
})

describe('fan-out of a blob whose descriptor has an unusable digest', () => {
  it('fails before any upload body is opened and cancels every session (real target registry)', async () => {
    const dst = await startRegistry()
    const proxy = await startProxy(dst.url)
    const s = await hostile(registryHandler('app', {}))
    const client = createRegistryClient()
    const targets = ['one', 'two'].map(repository => ({ registry: proxy.host, repository }))
    const uploads = await Promise.all(
      targets.map(async repo => {
        const r = await client.startUpload(repo)
        if (r.mounted) throw new Error('unexpected mount')
        return { target: repo.repository, session: r.session }
      })
    )
    const blob = { mediaType: LAYER, digest: SHA384, size: 3 }
    await expect(
      fanOut(client, { registry: s.host, repository: 'app' }, blob, uploads, { mode: 'monolithic' })
    ).rejects.toThrow(
      `blob ${s.host}/app: digest "${SHA384}" uses the unsupported algorithm sha384 (supported: sha256, sha512)`
    )
    await client.close()
    expect([proxy.count('PUT'), proxy.count('PATCH'), proxy.count('DELETE')]).toEqual([0, 0, 2])
    expect(s.requests).toEqual([])
    await Promise.all([proxy.stop(), dst.stop()])
  })
})

describe('hostile registry: limits on reads (src/limits.ts)', () => {
  it('refuses a manifest whose Content-Length is 2 GiB before reading it', async () => {
    const s = await hostile((req, res) => {
      if (req.url === '/v2/') return void res.writeHead(200).end('{}')
      res.writeHead(200, { 'content-type': OCI_MANIFEST, 'content-length': String(2 * 1024 ** 3) })
      endless(res, Buffer.alloc(64 * 1024, 0x20))
    })
    const client = createRegistryClient()
    await expect(client.getManifest({ registry: s.host, repository: 'app' }, 'v1')).rejects.toThrow(
      `manifest ${s.host}/app:v1 is larger than the manifestBytes limit of 4 MiB (Content-Length: 2147483648 bytes)`
    )
    await client.close()
  })

  it('cuts an endless chunked manifest at the limit', async () => {
    const s = await hostile((req, res) => {
      if (req.url === '/v2/') return void res.writeHead(200).end('{}')
      res.writeHead(200, { 'content-type': OCI_MANIFEST })
      endless(res, Buffer.alloc(64 * 1024, 0x20))
    })
    const client = createRegistryClient()
    await expect(client.getManifest({ registry: s.host, repository: 'app' }, 'v1')).rejects.toThrow(
      `manifest ${s.host}/app:v1 is larger than the manifestBytes limit of 4 MiB (more than 4194304 bytes sent)`
    )
    await client.close()
  })

  it('stops reading an endless error body after a few KiB', async () => {
    const s = await hostile((req, res) => {
      if (req.url === '/v2/') return void res.writeHead(200).end('{}')
      res.writeHead(400, { 'content-type': 'text/plain' })
      endless(res, Buffer.alloc(64 * 1024, 0x61))
    })
    const client = createRegistryClient()
    await expect(client.getManifest({ registry: s.host, repository: 'app' }, 'v1')).rejects.toThrow(
      `GET ${s.url}/v2/app/manifests/v1 answered 400: ${'a'.repeat(300)}`
    )
    await client.close()
  })

  it('cuts an endless token answer at the tokenBytes limit', async () => {
    const s = await hostile((req, res) => {
      if (!req.url?.startsWith('/token')) {
        res.writeHead(401, {
          'www-authenticate': `Bearer realm="http://${req.headers.host}/token",service="x"`
        })
        return void res.end()
      }
      res.writeHead(200, { 'content-type': 'application/json' })
      res.write('{"token":"')
      endless(res, Buffer.alloc(64 * 1024, 0x61))
    })
    const client = createRegistryClient()
    await expect(client.getManifest({ registry: s.host, repository: 'app' }, 'v1')).rejects.toThrow(
      `registry ${s.host}: token server ${s.url}/token: the answer is larger than the tokenBytes limit of 1 MiB (more than 1048576 bytes sent)`
    )
    await client.close()
  })

  it('ends a trickled manifest at the overall deadline (the request timeout after its headers)', async () => {
    const doc = image([])
    const s = await hostile((req, res) => {
      if (req.url === '/v2/') return void res.writeHead(200).end('{}')
      res.writeHead(200, { 'content-type': OCI_MANIFEST, 'content-length': String(doc.bytes.length) })
      trickle(res, doc.bytes, 200)
    })
    const client = createRegistryClient({ retry: { timeoutMs: 1000 } })
    const e = await client.getManifest({ registry: s.host, repository: 'app' }, 'v1').catch((x: Error) => x)
    await client.close()
    expect((e as Error).message).toMatch(
      new RegExp(
        `^manifest ${s.host}/app:v1 did not arrive whole within 1 s \\(\\d bytes came; the request timeout bounds a whole manifest or token body\\)$`
      )
    )
  })

  it('ends a trickled blob at its overall deadline (twice the request timeout + 1 s per 16 KiB)', async () => {
    const blob = Buffer.from('twenty bytes of blob')
    const s = await hostile((req, res) => {
      if (req.url === '/v2/') return void res.writeHead(200).end('{}')
      res.writeHead(200, { 'content-length': String(blob.length) })
      trickle(res, blob, 400)
    })
    const client = createRegistryClient({ retry: { timeoutMs: 1000 } })
    const digest = sha256(blob)
    const read = async (): Promise<void> => {
      for await (const chunk of client.readBlob({ registry: s.host, repository: 'app' }, digest, blob.length))
        void chunk
    }
    await expect(read()).rejects.toThrow(
      `blob ${s.host}/app@${digest} did not arrive whole within 3 s (twice the request timeout + 1 s per 16 KiB of its size)`
    )
    await client.close()
    // no ping before the GET; its headers come with the first byte, 400 ms later: once the head
    // start (a quarter of the timeout) has passed, the ping goes beside it (transport.ts watchHeadStart)
    expect(s.requests).toEqual([`GET /v2/app/blobs/${digest}`, 'GET /v2/'])
  })

  it('ends a trickled blob read whole (readBlobBytes) at the same deadline', async () => {
    const blob = Buffer.from('twenty bytes of blob')
    const s = await hostile((req, res) => {
      if (req.url === '/v2/') return void res.writeHead(200).end('{}')
      res.writeHead(200, { 'content-length': String(blob.length) })
      trickle(res, blob, 400)
    })
    const client = createRegistryClient({ retry: { timeoutMs: 1000 } })
    const digest = sha256(blob)
    await expect(
      client.readBlobBytes({ registry: s.host, repository: 'app' }, digest, blob.length)
    ).rejects.toThrow(
      `blob ${s.host}/app@${digest} did not arrive whole within 3 s (twice the request timeout + 1 s per 16 KiB of its size)`
    )
    await client.close()
    expect(s.requests).toEqual([`GET /v2/app/blobs/${digest}`, 'GET /v2/'])
  })

  it('ends an upload whose body stalls at its overall deadline, without a retry', async () => {
    const s = await hostile((req, res) => {
      if (req.url === '/v2/') return void res.writeHead(200).end('{}')
      if (req.method === 'POST')
        return void res.writeHead(202, { location: '/v2/app/blobs/uploads/u1' }).end()
      req.resume() // a PUT: takes what comes, never answers
    })
    const client = createRegistryClient({ retry: { timeoutMs: 1000 } })
    const start = await client.startUpload({ registry: s.host, repository: 'app' })
    if (start.mounted) throw new Error('unexpected mount')
    const digest = sha256('ten bytes!')
    const stalled = new PassThrough()
    stalled.write('ten')
    await expect(client.putBlob(start.session, digest, 10, stalled)).rejects.toThrow(
      `PUT ${s.url}/v2/app/blobs/uploads/u1?digest=… did not complete within 3 s (twice the request timeout + 1 s per 16 KiB of its body)`
    )
    await client.close()
    // no ping: the POST's answer settles the scheme before the streamed PUT
    expect(s.requests).toEqual([
      'POST /v2/app/blobs/uploads/',
      `PUT /v2/app/blobs/uploads/u1?digest=${encodeURIComponent(digest)}`
    ])
  })

  it(`fails a 50-level nested index at the indexDepth limit (${LIMITS.indexDepth}) after ${LIMITS.indexDepth + 1} manifests`, async () => {
    const leaf = image([])
    const docs = [leaf]
    for (let i = 0; i < 50; i++) {
      const child = docs[docs.length - 1]
      docs.push(
        served(
          {
            schemaVersion: 2,
            mediaType: OCI_INDEX,
            manifests: [{ mediaType: child.mediaType, digest: child.digest, size: child.bytes.length }]
          },
          OCI_INDEX
        )
      )
    }
    const s = await hostile(registryHandler('app', Object.fromEntries(docs.map(d => [d.digest, d]))))
    const client = createRegistryClient()
    const root = docs[docs.length - 1]
    const ninth = docs[docs.length - 9]
    await expect(walkGraph(client, { registry: s.host, repository: 'app' }, root.digest)).rejects.toThrow(
      `index ${s.host}/app@${ninth.digest}: indexes nested deeper than the indexDepth limit of 8`
    )
    await client.close()
    expect(s.requests.filter(r => r.startsWith('GET /v2/app/manifests/sha256:')).length).toBe(9)
  })
})

describe('hostile registry: Retry-After, redirects, token realms', () => {
  let pki: TestPki
  beforeAll(async () => {
    pki = await makeTestPki()
  })
  afterAll(async () => {
    await pki.remove()
  })

  it('fails at once on a 3600 s Retry-After, and holds no other request to the host', async () => {
    const s = await hostile((req, res) => {
      if (req.url === '/v2/') return void res.writeHead(200).end('{}')
      if (req.method === 'HEAD') return void res.writeHead(404).end()
      res.writeHead(429, { 'retry-after': '3600' })
      res.end()
    })
    const waits: number[] = []
    const client = createRegistryClient({ sleep: async ms => void waits.push(ms) })
    const repo = { registry: s.host, repository: 'app' }
    const digest = sha256('layer')
    await expect(client.getBlob(repo, digest)).rejects.toThrow(
      `GET ${s.url}/v2/app/blobs/${digest} answered 429 — Retry-After asks for 1 h, beyond the retry budget of 4 min 20 s: run again once that wait is over`
    )
    expect(await client.headBlob(repo, digest)).toBeUndefined()
    await client.close()
    expect(waits).toEqual([])
    // no ping: the 429 says the registry is there
    expect(s.requests).toEqual([`GET /v2/app/blobs/${digest}`, `HEAD /v2/app/blobs/${digest}`])
  })

  it('refuses an https → http redirect unless the host is listed insecure', async () => {
    const doc = image([])
    const plain = await hostile(registryHandler('app', { v1: doc }))
    const tls = { cert: readFileSync(pki.serverCert, 'utf8'), key: readFileSync(pki.serverKey, 'utf8') }
    const secure = await hostile((req, res) => {
      if (req.url === '/v2/') return void res.writeHead(200).end('{}')
      res.writeHead(307, { location: `${plain.url}${req.url}` })
      res.end()
    }, tls)
    const repo = { registry: secure.host, repository: 'app' }
    const client = createRegistryClient({ caFile: pki.caFile })
    await expect(inAction(client.getManifest(repo, 'v1'))).rejects.toThrow(
      `GET ${secure.url}/v2/app/manifests/v1 answered 307 — refusing the redirect from https to plain http (${plain.url}/v2/app/manifests/v1); list the host in insecure-registries to allow it`
    )
    // the CLI names its flag and the host to give it
    await expect(
      client.getManifest(repo, 'v1').catch(e => Promise.reject(withTlsAdvice(e, OPTION_FLAGS)))
    ).rejects.toThrow(
      `GET ${secure.url}/v2/app/manifests/v1 answered 307 — refusing the redirect from https to plain http (${plain.url}/v2/app/manifests/v1); allow it with --insecure ${plain.host}`
    )
    await client.close()
    expect(plain.requests).toEqual([])
    const insecure = createRegistryClient({ caFile: pki.caFile, insecureRegistries: [secure.host] })
    expect((await insecure.getManifest(repo, 'v1'))?.digest).toBe(doc.digest)
    await insecure.close()
    expect(plain.requests).toEqual(['GET /v2/app/manifests/v1'])
  })

  it.each([
    [
      'http://127.0.0.1:9000/token',
      'registry.example.com',
      `refusing to send credentials to the token realm http://127.0.0.1:9000/token over plain http: it is not on the registry's host registry.example.com; list 127.0.0.1:9000 in insecure-registries to allow it`
    ],
    ['http://127.0.0.1:9000/token', '127.0.0.1:5000', undefined],
    [
      'http://localhost:9000/token',
      '127.0.0.1:5000',
      `refusing to send credentials to the token realm http://localhost:9000/token over plain http: it is not on the registry's host 127.0.0.1:5000; list localhost:9000 in insecure-registries to allow it`
    ],
    ['http://registry.lan:5001/token', 'registry.lan:5000', undefined],
    // a realm listed itself (an auth service on its own host, newuser4 finding 12): allowed
    ['http://auth.lan:5001/token', 'registry.lan:5000', undefined],
    ['http://localhost:9001/token', '127.0.0.1:5000', undefined],
    [
      'http://auth.lan/token',
      'registry.lan:5000',
      'refusing to send credentials to the token realm http://auth.lan/token over plain http; list auth.lan in insecure-registries to allow it'
    ],
    ['https://auth.example.com/token', 'registry.example.com', undefined]
  ])('Basic credentials to realm %s of registry %s', (realm, registry, expected) => {
    expect(
      worded(
        realmPolicy(['registry.lan:5000', 'auth.lan:5001', 'localhost:9001'])(new URL(realm), true, registry)
      )
    ).toBe(expected)
  })

  it.each([
    [
      'http://127.0.0.1:9000/token',
      'registry.example.com',
      `refusing to send credentials to the token realm http://127.0.0.1:9000/token over plain http: it is not on the registry's host registry.example.com; allow it with --insecure 127.0.0.1:9000`
    ],
    [
      'http://auth.lan/token',
      'registry.lan:5000',
      'refusing to send credentials to the token realm http://auth.lan/token over plain http; allow it with --insecure auth.lan'
    ]
  ])('CLI words: Basic credentials to realm %s of registry %s', (realm, registry, expected) => {
    const refused = realmPolicy(['registry.lan:5000'])(new URL(realm), true, registry)
    expect(refused instanceof Error && withTlsAdvice(refused, OPTION_FLAGS).message).toBe(expected)
  })

  it('sends no credentials to a plain-http loopback realm of another host, and logs a realm on another host', async () => {
    const tokens = await hostile((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end('{"token":"anonymous-token"}')
    })
    const dispatcher = createDispatcher()
    const log = capturingLogger()
    const make = (withCredentials: boolean) => {
      const a = new Authenticator({
        credentials: staticCredentials(
          withCredentials ? { 'localhost:5000': { username: 'u', password: 'p' } } : {}
        ),
        send: tokenSender({ dispatcher }),
        logger: log,
        checkRealm: realmPolicy()
      })
      a.setChallenge('localhost:5000', `Bearer realm="${tokens.url}/token",service="x"`)
      return a
    }
    const scopes = [{ repository: 'app', actions: ['pull' as const] }]
    await expect(inAction(make(true).authorization('localhost:5000', scopes))).rejects.toThrow(
      `registry localhost:5000: refusing to send credentials to the token realm ${tokens.url}/token over plain http: it is not on the registry's host localhost:5000; list ${new URL(tokens.url).host} in insecure-registries to allow it`
    )
    expect(tokens.requests).toEqual([])
    expect(await make(false).authorization('localhost:5000', scopes)).toBe('Bearer anonymous-token')
    await dispatcher.close()
    expect(log.lines).toContain(
      `debug registry localhost:5000: token realm ${tokens.url}/token is on another host`
    )
  })
})
