/**
 * A Bearer token server's refusal, as the CLI says it (newuser4 finding 7): a 401 to an anonymous
 * token request says that the registry requires credentials and how to give them; a refused login
 * quotes the token server's own reason and says where the account was given. Real registries: a
 * token-auth distribution behind a token server of ours (the helper), and a plain source.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { runCliFromSource } from '../helpers/cli-source.js'
import { pushImage, randomBlob, type SeededImage } from '../helpers/images.js'
import { startRegistry, type TestRegistry } from '../helpers/registry.js'
import { makeTestPki, type TestPki } from '../helpers/tls.js'
import { startTokenServer, type TokenServer } from '../helpers/token-server.js'

describe('copy to a registry whose token server refuses', () => {
  let pki: TestPki
  let ts: TokenServer
  let src: TestRegistry
  let dst: TestRegistry
  let image: SeededImage

  beforeAll(async () => {
    pki = await makeTestPki()
    ts = await startTokenServer({
      pki,
      service: 'registry.test',
      users: { alice: 'Sup3r-secret' },
      acl: { alice: { 'a/one': ['*'] } },
      refuseAnonymous: true
    })
    ;[src, dst] = await Promise.all([startRegistry(), startRegistry({ token: ts.registryConfig })])
    image = await pushImage(src.url, 'src/one', [randomBlob(3_000)], { tag: 'rc1' })
  })
  afterAll(async () => {
    await Promise.all([src?.stop(), dst?.stop()])
    await ts?.stop()
    await pki?.remove()
  })

  it('no credentials: the registry requires them, the token server said so, and how to give them', async () => {
    const run = await runCliFromSource(['copy', `${src.host}/src/one:rc1`, `${dst.host}/a/one:v1`])
    expect(run.status).toBe(1)
    expect(run.stdout).toBe('')
    expect(run.stderr.trimEnd().split('\n').at(-1)).toBe(
      `promote-image: registry ${dst.host} requires credentials and none are configured for it (its token server ${ts.realm} answered 401 to an anonymous request: authentication required): give --dest-creds USER[:PASS], --authfile FILE, or log in with docker login ${dst.host}`
    )
    expect(ts.requests.map(r => [r.user, r.status])).toEqual([[undefined, 401]])
  })

  it('a wrong password: the token server refused it, in its words, and which flag gave the account', async () => {
    ts.reset()
    const run = await runCliFromSource([
      'copy',
      '--dest-creds',
      'alice:wrong-Passw0rd',
      `${src.host}/src/one:rc1`,
      `${dst.host}/a/one:v1`
    ])
    expect(run.status).toBe(1)
    expect(run.stderr.trimEnd().split('\n').at(-1)).toBe(
      `promote-image: registry ${dst.host}: the token server ${ts.realm} refused the credentials (user "alice" from --dest-creds) with 401: invalid credentials`
    )
    expect(run.stderr).not.toContain('wrong-Passw0rd')
  })

  it('the right password promotes', async () => {
    const run = await runCliFromSource([
      'copy',
      '--dest-creds',
      'alice:Sup3r-secret',
      `${src.host}/src/one:rc1`,
      `${dst.host}/a/one:v1`
    ])
    expect([run.status, run.stdout]).toEqual([0, `${image.digest}\n`])
  })
})

describe('a plain-http token realm on another host than the registry (newuser4 finding 12)', () => {
  let pki: TestPki
  let ts: TokenServer
  let src: TestRegistry
  let dst: TestRegistry
  let image: SeededImage
  let realmHost: string

  beforeAll(async () => {
    pki = await makeTestPki()
    ts = await startTokenServer({
      pki,
      service: 'registry.test',
      users: { alice: 'Sup3r-secret' },
      acl: { alice: { 'a/lh': ['*'] } }
    })
    // the registry (127.0.0.1:PORT) names its auth service by another host name: localhost:PORT
    const realm = ts.realm.replace('//127.0.0.1:', '//localhost:')
    realmHost = new URL(realm).host
    ;[src, dst] = await Promise.all([
      startRegistry(),
      startRegistry({ token: { ...ts.registryConfig, realm } })
    ])
    image = await pushImage(src.url, 'src/lh', [randomBlob(3_000)], { tag: 'rc1' })
  })
  afterAll(async () => {
    await Promise.all([src?.stop(), dst?.stop()])
    await ts?.stop()
    await pki?.remove()
  })

  it('is refused with advice that names the entry, and following it promotes', async () => {
    const args = ['--dest-creds', 'alice:Sup3r-secret', `${src.host}/src/lh:rc1`, `${dst.host}/a/lh:v1`]
    const refused = await runCliFromSource(['copy', ...args])
    expect(refused.status).toBe(1)
    expect(refused.stderr.trimEnd().split('\n').at(-1)).toBe(
      `promote-image: registry ${dst.host}: refusing to send credentials to the token realm http://${realmHost}/token over plain http: it is not on the registry's host ${dst.host}; allow it with --insecure ${realmHost}`
    )
    expect(ts.requests).toEqual([])

    // before: --insecure REALMHOST:PORT changed nothing, whatever was listed
    const allowed = await runCliFromSource(['copy', '--insecure', realmHost, ...args])
    expect([allowed.status, allowed.stdout]).toEqual([0, `${image.digest}\n`])
    // pull, then pull and push: each token asked as alice, over plain http to the listed realm
    expect(ts.requests.map(r => [r.user, r.status])).toEqual([
      ['alice', 200],
      ['alice', 200]
    ])
  })
})
