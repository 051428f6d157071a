import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { request } from 'undici'
import { promote } from '../../src/copy/promote.js'
import { createRegistryClient } from '../../src/registry/factory.js'
import { staticCredentials } from '../../src/auth/credentials.js'
import type { Logger } from '../../src/logger.js'
import { pushImage, randomBlob, type SeededImage } from '../helpers/images.js'
import { startRegistry, type TestRegistry } from '../helpers/registry.js'
import { makeTestPki, type TestPki } from '../helpers/tls.js'
import { startTokenServer, type TokenServer } from '../helpers/token-server.js'

const SERVICE = 'registry.test'
const SEEDER = { user: 'seeder', password: 'seed-Secret-7d1c0a' }
const ALICE = { user: 'alice', password: 'alice-Secret-4b9e22' }
const BOB = { user: 'bob', password: 'bob-Secret-91ac3f' }

/** A logger that keeps every line, to check that no secret was ever written. */
function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = []
  return {
    lines,
    debug: m => lines.push(m),
    info: m => lines.push(m),
    warning: m => lines.push(m)
  }
}

async function bearer(
  ts: TokenServer,
  who: { user: string; password: string },
  scope: string
): Promise<string> {
  const url = new URL(ts.realm)
  url.searchParams.set('service', SERVICE)
  url.searchParams.set('scope', scope)
  const res = await request(url, {
    headers: { authorization: `Basic ${Buffer.from(`${who.user}:${who.password}`).toString('base64')}` }
  })
  const body = (await res.body.json()) as { token: string }
  return `Bearer ${body.token}`
}

describe('token auth against a real registry (auth: token, RS256 JWT with x5c)', () => {
  let pki: TestPki
  let ts: TokenServer
  let reg: TestRegistry
  let image: SeededImage
  const secrets: string[] = []

  beforeAll(async () => {
    pki = await makeTestPki()
    ts = await startTokenServer({
      pki,
      service: SERVICE,
      users: { [SEEDER.user]: SEEDER.password, [ALICE.user]: ALICE.password, [BOB.user]: BOB.password },
      acl: {
        seeder: { 'team/app': ['*'] },
        alice: { 'team/app': ['pull'], 'prod/app': ['pull', 'push'] },
        bob: { 'team/app': ['pull'], 'prod/bob': ['pull'] },
        '': { 'team/app': ['pull'] }
      }
    })
    reg = await startRegistry({ token: ts.registryConfig })
    const auth = await bearer(ts, SEEDER, 'repository:team/app:pull,push')
    image = await pushImage(reg.url, 'team/app', [randomBlob(200_000), randomBlob(50_000)], {
      tag: 'v1',
      headers: { authorization: auth }
    })
    secrets.push(SEEDER.password, ALICE.password, BOB.password)
  })
  beforeEach(() => ts.reset())
  afterAll(async () => {
    await reg?.stop()
    await ts?.stop()
    await pki?.remove()
  })

  it('promotes within the registry by mount, asking the token server for exactly the scopes each request needs', async () => {
    const logger = recordingLogger()
    const seen: string[] = []
    const firstIssued = ts.issued.length
    const client = createRegistryClient({
      credentials: staticCredentials({ [reg.host]: { username: ALICE.user, password: ALICE.password } }),
      logger,
      onSecret: s => seen.push(s)
    })
    const result = await promote(client, {
      source: { registry: reg.host, repository: 'team/app', reference: 'v1' },
      targets: [{ repo: { registry: reg.host, repository: 'prod/app' }, tags: ['v1'] }],
      logger
    })
    expect(result.digest).toBe(image.digest)
    const t = result.targets[0]
    expect([t.blobsMounted, t.blobsCopied, t.blobsSkipped, t.manifestsPushed]).toEqual([3, 0, 0, 1])
    expect(t.verified).toBe(true)
    // one token per scope set, each set exactly what its requests need (scope.md)
    expect(
      ts.requests
        .map(r => [r.method, r.user, r.service, r.scopes.join(' '), r.status])
        .sort((x, y) => (x[3]! < y[3]! ? -1 : 1))
    ).toEqual([
      ['GET', 'alice', SERVICE, 'repository:prod/app:pull', 200],
      ['GET', 'alice', SERVICE, 'repository:prod/app:pull,push', 200],
      ['GET', 'alice', SERVICE, 'repository:prod/app:pull,push repository:team/app:pull', 200],
      ['GET', 'alice', SERVICE, 'repository:team/app:pull', 200]
    ])
    // the mount token carries pull on the source repository (end-11 needs read access to `from`)
    expect(ts.requests.find(r => r.scopes.length === 2)?.granted).toEqual([
      { type: 'repository', name: 'prod/app', actions: ['pull', 'push'] },
      { type: 'repository', name: 'team/app', actions: ['pull'] }
    ])
    expect(client.transport.authenticator.stats.tokenRequests).toBe(4)
    const tags = await request(`${reg.url}/v2/prod/app/tags/list`, {
      headers: { authorization: await bearer(ts, ALICE, 'repository:prod/app:pull') }
    })
    expect(await tags.body.json()).toEqual({ name: 'prod/app', tags: ['v1'] })
    // every token issued went through onSecret, and neither the password nor a token was logged
    const aliceTokens = ts.issued.slice(firstIssued, firstIssued + 4)
    expect(aliceTokens.filter(t => !seen.includes(t))).toHaveLength(0)
    expect(seen).toContain(ALICE.password)
    expect(seen).toContain(Buffer.from(`${ALICE.user}:${ALICE.password}`).toString('base64'))
    const text = logger.lines.join('\n')
    expect([...secrets, ...ts.issued].filter(s => text.includes(s))).toEqual([])
    expect(logger.lines.length).toBeGreaterThan(0)
    await client.close()
  })

  it('pulls anonymously when no credentials are configured (no Authorization to the token server)', async () => {
    const client = createRegistryClient()
    const d = await client.headManifest({ registry: reg.host, repository: 'team/app' }, 'v1')
    expect(d?.digest).toBe(image.digest)
    expect(ts.requests.map(r => [r.method, r.user, r.scopes])).toEqual([
      ['GET', undefined, ['repository:team/app:pull']]
    ])
    await client.close()
  })

  it('fails clearly when the token lacks push on the target (the server grants pull only)', async () => {
    const logger = recordingLogger()
    const client = createRegistryClient({
      credentials: staticCredentials({ [reg.host]: { username: BOB.user, password: BOB.password } }),
      logger
    })
    let error: Error | undefined
    try {
      await promote(client, {
        source: { registry: reg.host, repository: 'team/app', reference: 'v1' },
        targets: [{ repo: { registry: reg.host, repository: 'prod/bob' }, tags: ['v1'] }],
        logger,
        concurrency: 1
      })
    } catch (e) {
      error = e as Error
    }
    expect(error?.name).toBe('PromoteError')
    expect(error?.message).toContain(
      `${reg.host}/prod/bob: POST ${reg.url}/v2/prod/bob/blobs/uploads/ answered 401: UNAUTHORIZED: authentication required`
    )
    expect(error?.message).toContain(
      `— registry ${reg.host} refused the request: the token server did not grant repository:prod/bob:pull,push to user "bob" (insufficient_scope); check that account's permissions on the repository`
    )
    // the server granted only pull on the target, every time it was asked for pull,push
    const pushAsks = ts.requests.filter(r => r.scopes.includes('repository:prod/bob:pull,push'))
    expect(pushAsks.length).toBeGreaterThan(0)
    for (const r of pushAsks)
      expect(r.granted).toContainEqual({ type: 'repository', name: 'prod/bob', actions: ['pull'] })
    expect(client.stats.manifestPuts).toBe(0)
    const text = [...logger.lines, error?.message ?? ''].join('\n')
    expect([...secrets, ...ts.issued].filter(s => text.includes(s))).toEqual([])
    await client.close()
  })

  it('names the registry and the user when the token server refuses the password, after one token request', async () => {
    const client = createRegistryClient({
      credentials: staticCredentials({ [reg.host]: { username: ALICE.user, password: 'wrong-Secret-0000' } })
    })
    await expect(client.headManifest({ registry: reg.host, repository: 'team/app' }, 'v1')).rejects.toThrow(
      `registry ${reg.host}: the token server ${ts.realm} refused the credentials (user "alice") with 401`
    )
    expect(ts.requests.map(r => [r.method, r.status])).toEqual([['GET', 401]])
    // the /v2/ ping (over plain http: a loopback host); no registry request
    expect(client.transport.stats.requests).toBe(1)
    await client.close()
  })
})
