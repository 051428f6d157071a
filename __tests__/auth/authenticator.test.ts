import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { Authenticator, realmPolicy, tokenLifetimeSeconds, type Scope } from '../../src/auth/authenticator.js'
import { staticCredentials, type Credential } from '../../src/auth/credentials.js'
import { createDispatcher } from '../../src/registry/http.js'
import { tokenSender } from '../../src/registry/transport.js'
import { makeTestPki, type TestPki } from '../helpers/tls.js'
import { startTokenServer, type TokenServer, type TokenServerOptions } from '../helpers/token-server.js'
import { OPTION_INPUTS } from '../../src/options.js'
import { withTlsAdvice } from '../../src/report/tls-words.js'

/** The engine gives the facts (PlainHttpRefusal); the action's words come from the edge (report/tls-words.ts). */
const inAction = <T>(p: Promise<T>): Promise<T> =>
  p.catch(e => Promise.reject(withTlsAdvice(e, OPTION_INPUTS)))
/** A realm policy's answer in the action's words. */
const worded = (r: unknown): unknown => (r instanceof Error ? withTlsAdvice(r, OPTION_INPUTS).message : r)

const SERVICE = 'unit.test'
const REG = '127.0.0.1:5999'
const pull = (repository: string): Scope => ({ repository, actions: ['pull'] })
const push = (repository: string): Scope => ({ repository, actions: ['pull', 'push'] })

let pki: TestPki
const servers: TokenServer[] = []
const dispatcher = createDispatcher()
const send = tokenSender({ dispatcher })
beforeAll(async () => {
  pki = await makeTestPki()
})
afterAll(async () => {
  await Promise.all(servers.map(s => s.stop()))
  await dispatcher.close()
  await pki?.remove()
})

async function server(extra: Partial<TokenServerOptions> = {}): Promise<TokenServer> {
  const ts = await startTokenServer({
    pki,
    service: SERVICE,
    users: { u: 'p' },
    refreshTokens: { 'refresh-1': 'u' },
    acl: { u: { 'a/b': ['*'], 'c/d': ['pull'] }, '': { 'a/b': ['pull'] } },
    ...extra
  })
  servers.push(ts)
  return ts
}

function authenticator(
  ts: TokenServer,
  cred: Credential | undefined,
  clock: { t: number },
  secrets: string[] = []
) {
  const a = new Authenticator({
    credentials: staticCredentials(cred ? { [REG]: cred } : {}),
    send,
    now: () => clock.t,
    onSecret: s => secrets.push(s),
    checkRealm: realmPolicy()
  })
  a.setChallenge(REG, `Bearer realm="${ts.realm}",service="${SERVICE}"`)
  return a
}

describe('Authenticator token flow (token.md, oauth.md) against a local token server', () => {
  it('caches per scope set and renews 10% before expires_in', async () => {
    const ts = await server({ expiresIn: 300 })
    const clock = { t: Date.now() }
    const a = authenticator(ts, { username: 'u', password: 'p' }, clock)
    const first = await a.authorization(REG, [pull('a/b')])
    expect(first).toMatch(/^Bearer ey/)
    expect(await a.authorization(REG, [pull('a/b')])).toBe(first)
    // same set in another order / split differently: same cache entry
    const both = await a.authorization(REG, [pull('c/d'), push('a/b')])
    expect(
      await a.authorization(REG, [{ repository: 'a/b', actions: ['push'] }, pull('a/b'), pull('c/d')])
    ).toBe(both)
    expect(ts.requests.map(r => r.scopes)).toEqual([
      ['repository:a/b:pull'],
      ['repository:a/b:pull,push', 'repository:c/d:pull']
    ])
    clock.t += 268_000 // 300 s - 30 s margin - 2 s: still cached
    expect(await a.authorization(REG, [pull('a/b')])).toBe(first)
    expect(ts.requests).toHaveLength(2)
    clock.t += 2_000 // past the renewal point
    await a.authorization(REG, [pull('a/b')])
    expect(ts.requests).toHaveLength(3)
    expect(a.stats.tokenRequests).toBe(3)
  })

  it('counts 60 s when expires_in is absent, and reads access_token', async () => {
    const ts = await server({ expiresIn: null, field: 'access_token' })
    const clock = { t: Date.now() }
    const a = authenticator(ts, undefined, clock)
    expect(await a.authorization(REG, [pull('a/b')])).toBe(`Bearer ${ts.issued[0]}`)
    expect(ts.requests[0].user).toBeUndefined() // anonymous: no Authorization sent
    clock.t += 52_000 // 60 s - 6 s margin - 2 s
    await a.authorization(REG, [pull('a/b')])
    expect(ts.requests).toHaveLength(1)
    clock.t += 2_000
    await a.authorization(REG, [pull('a/b')])
    expect(ts.requests).toHaveLength(2)
  })

  it('uses OAuth2 POST with the identity token and registers every secret', async () => {
    const ts = await server()
    const secrets: string[] = []
    const a = authenticator(
      ts,
      { username: '00000000-0000-0000-0000-000000000000', identityToken: 'refresh-1' },
      { t: Date.now() },
      secrets
    )
    expect(await a.authorization(REG, [push('a/b'), pull('c/d')])).toBe(`Bearer ${ts.issued[0]}`)
    expect(ts.requests.map(r => [r.method, r.grant, r.user, r.service, r.scopes])).toEqual([
      ['POST', 'refresh_token', 'u', SERVICE, ['repository:a/b:pull,push', 'repository:c/d:pull']]
    ])
    expect(secrets).toEqual([
      'refresh-1',
      b64('00000000-0000-0000-0000-000000000000:refresh-1'),
      ts.issued[0]
    ])
  })

  it('falls back to GET (Basic user:identity token) when POST answers 404', async () => {
    const ts = await server({
      noPost: true,
      refreshTokens: { 'refresh-1': 'acr-user' },
      acl: { 'acr-user': { 'a/b': ['pull'] } }
    })
    const a = authenticator(ts, { username: 'acr-user', identityToken: 'refresh-1' }, { t: Date.now() })
    expect(await a.authorization(REG, [pull('a/b')])).toBe(`Bearer ${ts.issued[0]}`)
    expect(ts.requests.map(r => [r.method, r.user, r.scopes])).toEqual([
      ['GET', 'acr-user', ['repository:a/b:pull']]
    ])
    expect(a.stats.tokenRequests).toBe(2) // the POST (404) and the GET
  })

  it('says the token server refused the identity token', async () => {
    const ts = await server()
    const a = authenticator(ts, { identityToken: 'revoked' }, { t: Date.now() })
    await expect(a.authorization(REG, [pull('a/b')])).rejects.toThrow(
      `registry ${REG}: the token server ${ts.realm} refused the credentials (the identity token) with 401`
    )
  })

  it('re-challenges with the scopes the new challenge names, merged with the request', async () => {
    const ts = await server()
    const a = authenticator(ts, { username: 'u', password: 'p' }, { t: Date.now() })
    await a.authorization(REG, [push('a/b')])
    const next = a.onUnauthorized(
      REG,
      `Bearer realm="${ts.realm}",service="${SERVICE}",scope="repository:a/b:pull,push repository:c/d:pull",error="insufficient_scope"`,
      [push('a/b')]
    )
    expect(next).toEqual([push('a/b'), pull('c/d')])
    expect(
      a.refusal(
        REG,
        `Bearer realm="${ts.realm}",scope="repository:c/d:pull,push",error="insufficient_scope"`,
        []
      )
    ).toBe(
      `registry ${REG} refused the request: the token server did not grant repository:c/d:pull,push to user "u" (insufficient_scope); check that account's permissions on the repository`
    )
    // Basic refused: no second try
    const b = new Authenticator({
      credentials: staticCredentials({ [REG]: { username: 'x', password: 'y' } }),
      send
    })
    b.setChallenge(REG, 'Basic realm="r"')
    expect(await b.authorization(REG, [])).toBe(`Basic ${b64('x:y')}`)
    expect(b.onUnauthorized(REG, 'Basic realm="r"', [])).toBeUndefined()
    expect(b.refusal(REG, 'Basic realm="r"', [])).toBe(
      `registry ${REG} refused the credentials (user "x"); check the user name and password or token`
    )
  })

  it('refuses to send credentials to a plain-http realm that is not loopback, before any request', async () => {
    const a = new Authenticator({
      credentials: staticCredentials({ [REG]: { username: 'u', password: 'p' } }),
      send,
      checkRealm: realmPolicy()
    })
    a.setChallenge(REG, `Bearer realm="http://auth.example.com/token",service="${SERVICE}"`)
    await expect(inAction(a.authorization(REG, [pull('a/b')]))).rejects.toThrow(
      `registry ${REG}: refusing to send credentials to the token realm http://auth.example.com/token over plain http; list auth.example.com in insecure-registries to allow it`
    )
    expect(a.stats.tokenRequests).toBe(0)
  })
})

const b64 = (s: string): string => Buffer.from(s).toString('base64')

describe('realmPolicy and tokenLifetimeSeconds', () => {
  const policy = realmPolicy(['registry.lan:5000'])
  it.each([
    ['https://auth.docker.io/token', true, undefined],
    ['http://127.0.0.1:8080/token', true, undefined],
    ['http://localhost/token', true, undefined],
    ['http://[::1]:9000/token', true, undefined],
    ['http://registry.lan:5000/token', true, undefined],
    ['http://auth.example.com/token', false, undefined],
    [
      'http://auth.example.com/token',
      true,
      'refusing to send credentials to the token realm http://auth.example.com/token over plain http; list auth.example.com in insecure-registries to allow it'
    ],
    [
      'ftp://auth.example.com/token',
      false,
      'token realm ftp://auth.example.com/token: unsupported scheme ftp:'
    ]
  ])('%s (credentials: %s)', (realm, creds, expected) => {
    expect(worded(policy(new URL(realm), creds))).toBe(expected)
  })

  it.each([
    [undefined, 60],
    [null, 60],
    [0, 60],
    [-5, 60],
    [30, 60],
    [60, 60],
    [300, 300],
    ['900', 900],
    ['soon', 60],
    [3600.7, 3600]
  ])('expires_in %p → %p s', (input, seconds) => {
    expect(tokenLifetimeSeconds(input)).toBe(seconds)
  })
})
