/**
 * A registry that wants credentials the action was not given (newuser 2nd pass finding 36): the
 * failure says what to do in a workflow (a login step, or a `registry-auth` entry), as the CLI's
 * says `--authfile` or `docker login`; and a `registry-auth` entry for the same host on another
 * port (or none) is named as the slip. Against a real htpasswd registry, with an empty docker config.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals'
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runAction } from './helpers/action.js'
import { makeClientCert } from './helpers/client-cert.js'
import { makeTestPki } from './helpers/tls.js'
import { writeHtpasswd } from './helpers/htpasswd.js'
import { pushImage, randomBlob } from './helpers/images.js'
import { startRegistry, type TestRegistry } from './helpers/registry.js'

const USER = { user: 'releaser', password: 'Xq4mT8vLr2Wn' }
const BASIC = Buffer.from(`${USER.user}:${USER.password}`).toString('base64')

let reg: TestRegistry
let work: string
const saved = { ...process.env }

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'pi-creds-'))
  await mkdir(join(work, 'auth'))
  await mkdir(join(work, 'docker'))
  reg = await startRegistry({
    htpasswdFile: await writeHtpasswd(join(work, 'auth'), { [USER.user]: USER.password })
  })
  await pushImage(reg.url, 'team/app', [randomBlob(100)], {
    tag: 'v1',
    headers: { authorization: `Basic ${BASIC}` }
  })
})
afterAll(async () => {
  process.env = saved
  await reg.stop()
  await rm(work, { recursive: true, force: true })
})

const run = (name: string, extra: Record<string, string>) =>
  runAction(
    work,
    name,
    { source: `${reg.host}/team/app:v1`, targets: `${reg.host}/prod/app`, tags: 'v1', ...extra },
    {
      DOCKER_CONFIG: join(work, 'docker'),
      REGISTRY_AUTH_FILE: undefined,
      GITHUB_REPOSITORY: undefined,
      GITHUB_EVENT_PATH: undefined
    }
  )

const errors = (log: string): string[] => log.split('\n').filter(l => l.startsWith('::error'))
const refused = (host: string, advice: string): string =>
  `::error::HEAD ${reg.url}/v2/team/app/manifests/v1 answered 401: registry ${host} requires credentials and none are configured for it (${advice})`

it('no login: the failure says to log in with docker/login-action or add registry-auth', async () => {
  const r = await run('none', {})
  expect(r.failed).toBe(1)
  expect(errors(r.log)).toEqual([
    refused(
      reg.host,
      `log in with docker/login-action (registry: ${reg.host}) before this step, or add it to registry-auth`
    )
  ])
})

it('registry-auth for the host without its port: names the slip', async () => {
  const host = reg.host.replace(/:\d+$/, '')
  const r = await run('no-port', {
    'registry-auth': `- registry: ${host}\n  username: ${USER.user}\n  password: ${USER.password}`
  })
  expect(r.failed).toBe(1)
  expect(errors(r.log)).toEqual([
    refused(
      reg.host,
      `registry-auth has ${host}, not ${reg.host}; log in with docker/login-action (registry: ${reg.host}) before this step, or add it to registry-auth`
    )
  ])
})

it('a wrong password in registry-auth: the refusal names the account and where it was given (newuser4 finding 7)', async () => {
  const r = await run('wrong', {
    'registry-auth': `- registry: ${reg.host}\n  username: ${USER.user}\n  password: not-${USER.password}`
  })
  expect(r.failed).toBe(1)
  expect(errors(r.log)).toEqual([
    `::error::HEAD ${reg.url}/v2/team/app/manifests/v1 answered 401: registry ${reg.host} refused the credentials (user "${USER.user}" from registry-auth); check the user name and password or token`
  ])
})

it('following it (the entry with the port): promoted', async () => {
  const r = await run('with-port', {
    'registry-auth': `- registry: ${reg.host}\n  username: ${USER.user}\n  password: ${USER.password}`
  })
  expect(r.failed).toBeUndefined()
  expect(errors(r.log)).toEqual([])
})

it('a client-key file is masked, whole and line by line, before anything is logged', async () => {
  const pki = await makeTestPki()
  try {
    const client = await makeClientCert(pki, 'masked')
    // a host the run never reaches: the key is only read and checked, and masked all the same
    const r = await run('client-key', {
      'registry-auth': `- registry: ${reg.host}\n  username: ${USER.user}\n  password: ${USER.password}`,
      'client-cert': `mtls.example:5000=${client.certFile}`,
      'client-key': `mtls.example:5000=${client.keyFile}`
    })
    expect(r.failed).toBeUndefined()
    const pem = (await readFile(client.keyFile, 'utf8')).trim()
    const body = pem.split('\n').filter(l => l && !l.startsWith('-----'))
    expect(body.length).toBeGreaterThan(0)
    const masks = r.log.split('\n').filter(l => l.startsWith('::add-mask::'))
    expect(masks).toEqual(
      expect.arrayContaining([
        `::add-mask::${pem.split('\n').join('%0A')}`,
        ...body.map(l => `::add-mask::${l}`)
      ])
    )
  } finally {
    await pki.remove()
  }
})
