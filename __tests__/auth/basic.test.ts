import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { request } from 'undici'
import { staticCredentials } from '../../src/auth/credentials.js'
import { promote } from '../../src/copy/promote.js'
import type { Logger } from '../../src/logger.js'
import { createRegistryClient } from '../../src/registry/factory.js'
import { writeHtpasswd } from '../helpers/htpasswd.js'
import { pushImage, randomBlob, type SeededImage } from '../helpers/images.js'
import { startProxy, type Proxy } from '../helpers/proxy.js'
import { startRegistry, type TestRegistry } from '../helpers/registry.js'

const SRC = { user: 'builder', password: 'src-Pass-5e0d8b' }
const DST = { user: 'releaser', password: 'dst-Pass-a17c42' }
const WRONG = 'wrong-Pass-000000'
const basic = (u: { user: string; password: string }): string =>
  `Basic ${Buffer.from(`${u.user}:${u.password}`).toString('base64')}`
const ALL_SECRETS = [
  SRC.password,
  DST.password,
  WRONG,
  basic(SRC).slice(6),
  basic(DST).slice(6),
  Buffer.from(`${DST.user}:${WRONG}`).toString('base64')
]

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = []
  return { lines, debug: m => lines.push(m), info: m => lines.push(m), warning: m => lines.push(m) }
}

describe('htpasswd (Basic) auth between two real registries with different credentials', () => {
  let dir: string
  let src: TestRegistry
  let dst: TestRegistry
  let dstProxy: Proxy
  let image: SeededImage

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pi-basic-'))
    const [srcDir, dstDir] = await Promise.all([mkdtemp(join(dir, 'src-')), mkdtemp(join(dir, 'dst-'))])
    const [srcFile, dstFile] = await Promise.all([
      writeHtpasswd(srcDir, { [SRC.user]: SRC.password }),
      writeHtpasswd(dstDir, { [DST.user]: DST.password })
    ])
    ;[src, dst] = await Promise.all([
      startRegistry({ htpasswdFile: srcFile }),
      startRegistry({ htpasswdFile: dstFile })
    ])
    dstProxy = await startProxy(dst.url)
    image = await pushImage(src.url, 'team/app', [randomBlob(120_000), randomBlob(30_000)], {
      tag: 'v1',
      headers: { authorization: basic(SRC) }
    })
  })
  afterAll(async () => {
    await dstProxy?.stop()
    await Promise.all([src?.stop(), dst?.stop()])
    await rm(dir, { recursive: true, force: true })
  })

  it('promotes with each registry getting only its own credentials', async () => {
    const logger = recordingLogger()
    const seen: string[] = []
    dstProxy.reset()
    const client = createRegistryClient({
      credentials: staticCredentials({
        [src.host]: { username: SRC.user, password: SRC.password },
        [dstProxy.host]: { username: DST.user, password: DST.password }
      }),
      logger,
      onSecret: s => seen.push(s)
    })
    const result = await promote(client, {
      source: { registry: src.host, repository: 'team/app', reference: 'v1' },
      targets: [{ repo: { registry: dstProxy.host, repository: 'prod/app' }, tags: ['v1', 'stable'] }],
      logger
    })
    expect(result.digest).toBe(image.digest)
    const t = result.targets[0]
    expect([t.blobsCopied, t.blobsMounted, t.blobsSkipped, t.manifestsPushed, t.verified]).toEqual([
      3,
      0,
      0,
      1,
      true
    ])
    // no ping: the target's first wave (its three manifest HEADs and its tag listing) goes without
    // credentials and learns the Basic challenge from the 401s; every request after it carried the
    // target's credentials, never the source's
    const firstWave = [
      ...[image.digest, 'v1', 'stable'].map(r => `HEAD /v2/prod/app/manifests/${r}`),
      'GET /v2/prod/app/tags/list?n=1000'
    ].sort()
    const anonymous = dstProxy.log.filter(e => e.requestHeaders.authorization === undefined)
    expect(anonymous.map(e => `${e.method} ${e.path} ${e.status}`).sort()).toEqual(
      firstWave.map(r => `${r} 401`)
    )
    expect(dstProxy.log.slice(0, 4).every(e => e.requestHeaders.authorization === undefined)).toBe(true)
    expect(new Set(dstProxy.log.slice(4).map(e => e.requestHeaders.authorization))).toEqual(
      new Set([basic(DST)])
    )
    expect(dstProxy.log.filter(e => e.status === 401)).toHaveLength(4)
    // the secrets went through onSecret; none reached the log
    expect(seen).toEqual(
      expect.arrayContaining([SRC.password, DST.password, basic(SRC).slice(6), basic(DST).slice(6)])
    )
    const text = logger.lines.join('\n')
    expect(ALL_SECRETS.filter(s => text.includes(s))).toEqual([])
    const tags = await request(`${dst.url}/v2/prod/app/tags/list`, { headers: { authorization: basic(DST) } })
    const list = (await tags.body.json()) as { name: string; tags: string[] }
    expect(list.tags.sort()).toEqual(['stable', 'v1'])
    await client.close()
  })

  it('fails at once on a refused source password, naming the registry, after exactly 2 requests', async () => {
    const logger = recordingLogger()
    const client = createRegistryClient({
      credentials: staticCredentials({ [src.host]: { username: SRC.user, password: WRONG } }),
      logger
    })
    let error: Error | undefined
    await promote(client, {
      source: { registry: src.host, repository: 'team/app', reference: 'v1' },
      targets: [{ repo: { registry: dstProxy.host, repository: 'prod/other' }, tags: ['v1'] }],
      logger
    }).catch((e: Error) => (error = e))
    expect(error?.name).toBe('AuthError')
    // no ping: the GET by tag and the tag listing beside it over http (plain http first for a
    // loopback host) without credentials learn the challenge from their 401s, then one GET carries
    // the password: no retry, no re-challenge. Which of the two carries it is whichever 401 came
    // back first, and the error names that request
    const refused = `answered 401: registry ${src.host} refused the credentials (user "builder"); check the user name and password or token`
    expect([
      `GET ${src.url}/v2/team/app/manifests/v1 ${refused}`,
      `GET ${src.url}/v2/team/app/tags/list?n=… ${refused}`
    ]).toContain(error?.message)
    expect(client.transport.stats).toMatchObject({ requests: 3, retries: 0 })
    expect(client.transport.authenticator.stats.tokenRequests).toBe(0)
    const text = [...logger.lines, error?.message ?? ''].join('\n')
    expect(ALL_SECRETS.filter(s => text.includes(s))).toEqual([])
    await client.close()
  })

  it('fails at once on a refused target password: the target sees its first wave and one of its requests again with the password', async () => {
    dstProxy.reset()
    const client = createRegistryClient({
      credentials: staticCredentials({
        [src.host]: { username: SRC.user, password: SRC.password },
        [dstProxy.host]: { username: DST.user, password: WRONG }
      })
    })
    const error = await promote(client, {
      source: { registry: src.host, repository: 'team/app', reference: 'v1' },
      targets: [{ repo: { registry: dstProxy.host, repository: 'prod/other' }, tags: ['v1'] }]
    }).catch((e: Error) => e)
    // the first wave (HEAD by digest and by tag, the tag listing) without credentials learns the
    // challenge; the password then goes out once, on the request whose 401 came first (any), and
    // the others are not sent again: they fail with the same refusal (BasicTurns); the error names
    // the request that carried the password, its URL as every message shows one (of the query only
    // its keys, 66e7a41). Which 401 comes back first is the registry's timing: the listing's too
    // (then the message says `tags/list?n=…`)
    const refusal = (request: string): string =>
      `${request} answered 401: registry ${dstProxy.host} refused the credentials (user "releaser"); check the user name and password or token`
    const wave = [
      ...[image.digest, 'v1'].map(r => `HEAD /v2/prod/other/manifests/${r}`),
      'GET /v2/prod/other/tags/list?n=1000'
    ]
    const named = (r: string): string =>
      refusal(r.replace(' /v2/', ` ${dstProxy.url}/v2/`).replace('?n=1000', '?n=…'))
    expect(wave.map(named)).toContain((error as Error).message)
    const carried = wave.find(r => (error as Error).message === named(r))
    const lines = dstProxy.log.map(
      e => `${e.method} ${e.path} ${e.status} ${e.requestHeaders.authorization ? 'password' : 'anonymous'}`
    )
    expect(lines.slice(0, 3).sort()).toEqual(wave.map(r => `${r} 401 anonymous`).sort())
    expect(lines.slice(3)).toEqual([`${carried} 401 password`])
    expect(client.transport.stats.retries).toBe(0)
    await client.close()
  })

  it('says no credentials are configured when the registry asks for them and none were given', async () => {
    const client = createRegistryClient()
    await expect(client.headManifest({ registry: src.host, repository: 'team/app' }, 'v1')).rejects.toThrow(
      `HEAD ${src.url}/v2/team/app/manifests/v1 answered 401: registry ${src.host} requires credentials and none are configured for it`
    )
    // the HEAD alone (no ping), over plain http (a loopback host): its 401 names Basic, and with
    // no credentials to send it is not sent again
    expect(client.transport.stats.requests).toBe(1)
    await client.close()
  })
})
