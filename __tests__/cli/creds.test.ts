/**
 * Credentials on the command line (issue 19): `--src-creds` / `--dest-creds` / `--creds USER[:PASS]`
 * (the password from `:PASS`, its variable, or `--password-stdin`), `--authfile FILE` and
 * `REGISTRY_AUTH_FILE` (containers-auth.json, the docker config's shape), against htpasswd
 * registries; every password masked.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { authFileCredentials } from '../../src/auth/docker-config.js'
import { UsageError } from '../../src/cli/args.js'
import { cliClient } from '../../src/cli/client.js'
import {
  cliCredentials,
  maskedCreds,
  parseCredsFlag,
  type CredentialFlags,
  type CredsFlag
} from '../../src/cli/creds.js'
import { runDigest } from '../../src/cli/digest.js'
import { Masker, type Io } from '../../src/cli/io.js'
import { promote } from '../../src/copy/promote.js'
import { silentLogger } from '../../src/logger.js'
import { writeHtpasswd } from '../helpers/htpasswd.js'
import { pushImage, randomBlob, type SeededImage } from '../helpers/images.js'
import { startRegistry, type TestRegistry } from '../helpers/registry.js'
import { readCommand } from '../helpers/read-command.js'

const b64 = (s: string): string => Buffer.from(s).toString('base64')

describe('parseCredsFlag (USER[:PASS], as skopeo --src-creds)', () => {
  it.each([
    ['alice', { username: 'alice' }],
    ['alice:s3cret', { username: 'alice', password: 's3cret' }],
    ['alice:pa:ss', { username: 'alice', password: 'pa:ss' }],
    ['org+robot:TOKEN', { username: 'org+robot', password: 'TOKEN' }]
  ])('%s', (value, parsed) =>
    expect(parseCredsFlag('--src-creds', value)).toEqual({ flag: '--src-creds', ...parsed })
  )

  it.each([
    [':s3cret', '--dest-creds ":***": no user name before the colon (USER[:PASS])'],
    ['', '--dest-creds "": no user name before the colon (USER[:PASS])'],
    [
      'alice:',
      '--dest-creds "alice:***": the password after the colon is empty; leave out the colon to read it from PROMOTE_IMAGE_DEST_PASSWORD or --password-stdin'
    ]
  ])('%s is refused, the password never quoted', (value, message) => {
    expect(() => parseCredsFlag('--dest-creds', value)).toThrow(new UsageError(message))
  })

  it('maskedCreds', () => {
    expect([maskedCreds('alice'), maskedCreds('alice:pa:ss')]).toEqual(['alice', 'alice:***'])
  })
})

describe('cliCredentials: where a missing password comes from, refused before anything is sent', () => {
  const flags = (creds: CredsFlag[], passwordStdin = false): CredentialFlags => ({ creds, passwordStdin })
  const src = (v: string): CredsFlag => parseCredsFlag('--src-creds', v)
  const dest = (v: string): CredsFlag => parseCredsFlag('--dest-creds', v)
  const input = (env: Record<string, string> = {}, stdin = '') => ({
    env,
    readStdin: async () => stdin,
    logger: silentLogger
  })
  const regs = { source: 'src.example', destinations: ['dst.example', 'docker.io'] }

  it.each([
    [
      flags([src('alice')]),
      {},
      'no password: set PROMOTE_IMAGE_SRC_PASSWORD, or pipe it in with --password-stdin'
    ],
    [flags([], true), {}, '--password-stdin: no --src-creds, --dest-creds or --creds USER to read it for'],
    [flags([src('a:b')], true), {}, '--password-stdin: no creds flag lacks a password to read it for'],
    [
      flags([src('a'), dest('b')], true),
      {},
      '--password-stdin gives one password, and --src-creds and --dest-creds both lack one; set PROMOTE_IMAGE_SRC_PASSWORD / PROMOTE_IMAGE_DEST_PASSWORD instead'
    ]
  ])('%j', async (f, env, message) => {
    await expect(cliCredentials(f, regs, input(env))).rejects.toThrow(
      new UsageError(message.startsWith('no password') ? `--src-creds "alice": ${message}` : message)
    )
  })

  it('an empty stdin is refused; one trailing line break is dropped', async () => {
    await expect(cliCredentials(flags([src('a')], true), regs, input({}, '\n'))).rejects.toThrow(
      new UsageError('--password-stdin: stdin held no password')
    )
    const { credentials, secrets } = await cliCredentials(flags([src('a')], true), regs, input({}, 'p w\r\n'))
    expect(await credentials('src.example')).toMatchObject({ username: 'a', password: 'p w' })
    expect(secrets).toEqual(['p w', b64('a:p w')])
  })

  it('--dest-creds answers for every destination registry, --src-creds for the source only', async () => {
    const { credentials, secrets } = await cliCredentials(
      flags([src('s'), dest('d')]),
      regs,
      input({ PROMOTE_IMAGE_SRC_PASSWORD: 'sp', PROMOTE_IMAGE_DEST_PASSWORD: 'dp', HOME: '/nonexistent' })
    )
    expect(await credentials('src.example')).toMatchObject({ username: 's', password: 'sp' })
    expect(await credentials('dst.example')).toMatchObject({ username: 'd', password: 'dp' })
    expect(await credentials('index.docker.io')).toMatchObject({ username: 'd', password: 'dp' })
    expect(await credentials('other.example')).toBeUndefined()
    expect(secrets).toEqual(['sp', b64('s:sp'), 'dp', b64('d:dp')])
  })

  it('--src-creds and --dest-creds that differ for one registry are refused; the same ones are not', async () => {
    const same = { source: 'r.example', destinations: ['r.example'] }
    await expect(cliCredentials(flags([src('a:1'), dest('b:2')]), same, input())).rejects.toThrow(
      new UsageError(
        '--src-creds and --dest-creds give different credentials for the same registry r.example; one registry takes one credential in a run'
      )
    )
    const ok = await cliCredentials(flags([src('a:1'), dest('a:1')]), same, input({ HOME: '/nonexistent' }))
    expect(await ok.credentials('r.example')).toMatchObject({ username: 'a', password: '1' })
  })
})

describe('authFileCredentials', () => {
  it('reads the docker config shape; its messages name the auth file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pi-authfile-'))
    try {
      const file = join(dir, 'auth.json')
      await writeFile(file, JSON.stringify({ auths: { 'quay.io': { auth: b64('org+bot:tok') } } }))
      expect(await authFileCredentials(file)('quay.io')).toEqual({ username: 'org+bot', password: 'tok' })
      // one source reads its file once, on its first lookup: a file changed after it is not read again
      const once = authFileCredentials(file)
      expect(await once('quay.io')).toEqual({ username: 'org+bot', password: 'tok' })
      await writeFile(file, '{"auths": ')
      expect(await once('quay.io')).toEqual({ username: 'org+bot', password: 'tok' })
      await expect(authFileCredentials(file)('quay.io')).rejects.toThrow(
        `auth file ${file} is not valid JSON (unexpected end at line 1, column 11)`
      )
      await expect(authFileCredentials(dir)('quay.io')).rejects.toThrow(
        `cannot read auth file ${dir}: EISDIR`
      )
      expect(await authFileCredentials(join(dir, 'missing.json'))('quay.io')).toBeUndefined()
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})

describe('Masker', () => {
  it('writes each secret as *** (the longest first) and announces it once with ::add-mask::', () => {
    const lines: string[] = []
    const m = new Masker(l => void lines.push(l))
    m.add(['pwd1', b64('u:pwd1'), 'pwd1', '', 'a%b\nc'])
    expect(m.mask(`Basic ${b64('u:pwd1')} and pwd1, a%b\nc`)).toBe('Basic *** and ***, ***')
    expect(lines).toEqual(['::add-mask::pwd1\n', `::add-mask::${b64('u:pwd1')}\n`, '::add-mask::a%25b%0Ac\n'])
  })
})

describe('credential flags against htpasswd registries', () => {
  const SRC = { user: 'src-user', password: 'srcPass-7f3a' }
  const DST = { user: 'dst-user', password: 'dstPass-1c9e' }
  let root: string
  let src: TestRegistry
  let dst: TestRegistry
  let image: SeededImage

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'pi-creds-'))
    const [a, b] = await Promise.all([mkdtemp(join(root, 'a-')), mkdtemp(join(root, 'b-'))])
    ;[src, dst] = await Promise.all([
      startRegistry({ htpasswdFile: await writeHtpasswd(a, { [SRC.user]: SRC.password }) }),
      startRegistry({ htpasswdFile: await writeHtpasswd(b, { [DST.user]: DST.password }) })
    ])
    image = await pushImage(src.url, 'team/app', [randomBlob(20_000)], {
      tag: 'v1',
      headers: { authorization: `Basic ${b64(`${SRC.user}:${SRC.password}`)}` }
    })
  })
  afterAll(async () => {
    await Promise.all([src?.stop(), dst?.stop()])
    await rm(root, { recursive: true, force: true })
  })

  /** `digest REF` with these flags and environment: its stdout, stderr and registered secrets. */
  async function digest(credentials: CredentialFlags, env: Record<string, string>, stdin = '') {
    const out: string[] = []
    const secrets: string[] = []
    const io: Io = {
      out: s => void out.push(s),
      log: silentLogger,
      env: { HOME: root, ...env },
      readStdin: async () => stdin,
      secrets: s => void secrets.push(...s)
    }
    const cmd = { ...readCommand('digest', `${src.host}/team/app:v1`), credentials }
    return { code: await runDigest(cmd, io), out: out.join(''), secrets }
  }
  const creds = (value: string, passwordStdin = false, authFile?: string): CredentialFlags => ({
    creds: [parseCredsFlag('--creds', value)],
    passwordStdin,
    authFile
  })

  it('--creds USER:PASS, USER with PROMOTE_IMAGE_PASSWORD, USER with --password-stdin: the digest; secrets registered', async () => {
    const expected = {
      code: 0,
      out: `${image.digest}\n`,
      secrets: [SRC.password, b64(`${SRC.user}:${SRC.password}`)]
    }
    expect(await digest(creds(`${SRC.user}:${SRC.password}`), {})).toEqual(expected)
    expect(await digest(creds(SRC.user), { PROMOTE_IMAGE_PASSWORD: SRC.password })).toEqual(expected)
    expect(await digest(creds(SRC.user, true), {}, `${SRC.password}\n`)).toEqual(expected)
  })

  it('no credentials: the 401 names the registry', async () => {
    await expect(digest({ creds: [], passwordStdin: false }, {})).rejects.toThrow(
      `HEAD ${src.url}/v2/team/app/manifests/v1 answered 401: registry ${src.host} requires credentials and none are configured for it (give --creds USER[:PASS], --authfile FILE, or log in with docker login ${src.host})`
    )
  })

  it('--authfile FILE and REGISTRY_AUTH_FILE (containers-auth.json), read before the docker config', async () => {
    const file = join(root, 'auth.json')
    await writeFile(
      file,
      JSON.stringify({ auths: { [src.host]: { auth: b64(`${SRC.user}:${SRC.password}`) } } })
    )
    const dockerDir = join(root, 'docker')
    await rm(dockerDir, { recursive: true, force: true })
    await import('node:fs/promises').then(fs => fs.mkdir(dockerDir))
    // a docker config with a wrong password for the same registry: the auth file wins
    await writeFile(
      join(dockerDir, 'config.json'),
      JSON.stringify({ auths: { [src.host]: { auth: b64(`${SRC.user}:wrong`) } } })
    )
    const none: CredentialFlags = { creds: [], passwordStdin: false }
    const expected = { code: 0, out: `${image.digest}\n`, secrets: [] }
    expect(await digest({ ...none, authFile: file }, { DOCKER_CONFIG: dockerDir })).toEqual(expected)
    expect(await digest(none, { REGISTRY_AUTH_FILE: file, DOCKER_CONFIG: dockerDir })).toEqual(expected)
    await expect(digest(none, { DOCKER_CONFIG: dockerDir })).rejects.toThrow('answered 401')
    // a REGISTRY_AUTH_FILE that does not exist holds nothing (as containers/image reads it)
    await expect(
      digest(none, { REGISTRY_AUTH_FILE: join(root, 'absent.json'), DOCKER_CONFIG: join(root, 'absent') })
    ).rejects.toThrow('answered 401') // a broken auth file is a usage error before any request (before: read only when a registry
    // asked for credentials, so a copy between anonymous registries ignored it; here exit 1 after GET /v2/)
    const broken = join(root, 'broken.json')
    await writeFile(broken, '{"auths":\n')
    const refused = digest({ ...none, authFile: broken }, {})
    await expect(refused).rejects.toThrow(UsageError)
    await expect(refused).rejects.toThrow(
      `--authfile: auth file ${broken} is not valid JSON (unexpected end at line 2, column 1)`
    )
    await expect(digest(none, { REGISTRY_AUTH_FILE: broken })).rejects.toThrow(
      new UsageError(
        `REGISTRY_AUTH_FILE: auth file ${broken} is not valid JSON (unexpected end at line 2, column 1)`
      )
    )
  })

  it('--src-creds and --dest-creds: a promotion between two htpasswd registries', async () => {
    const { credentials } = await cliCredentials(
      {
        creds: [parseCredsFlag('--src-creds', SRC.user), parseCredsFlag('--dest-creds', DST.user)],
        passwordStdin: false
      },
      { source: src.host, destinations: [dst.host] },
      {
        env: {
          PROMOTE_IMAGE_SRC_PASSWORD: SRC.password,
          PROMOTE_IMAGE_DEST_PASSWORD: DST.password,
          HOME: root
        },
        readStdin: async () => '',
        logger: silentLogger
      }
    )
    const options = readCommand('digest', `${src.host}/team/app:v1`).options
    const client = cliClient(options, silentLogger, credentials)
    try {
      const r = await promote(client, {
        source: { registry: src.host, repository: 'team/app', reference: 'v1' },
        targets: [{ repo: { registry: dst.host, repository: 'prod/app' }, tags: ['v1'] }]
      })
      expect(r.digest).toBe(image.digest)
    } finally {
      await client.close()
    }
    const auth = { authorization: `Basic ${b64(`${DST.user}:${DST.password}`)}` }
    const { request } = await import('undici')
    const res = await request(`${dst.url}/v2/prod/app/tags/list`, { headers: auth })
    expect(await res.body.json()).toEqual({ name: 'prod/app', tags: ['v1'] })
  })

  it('two private destination registries, two accounts: the 401 advises --authfile with an entry per registry (not one --dest-creds); followed, promoted (newuser5 N6)', async () => {
    const BOB = { user: 'bob', password: 'B0b-pass-123' }
    const other = await startRegistry({
      htpasswdFile: await writeHtpasswd(await mkdtemp(join(root, 'c-')), { [BOB.user]: BOB.password })
    })
    const run = async (authFile?: string) => {
      const { credentials } = await cliCredentials(
        {
          creds: [parseCredsFlag('--src-creds', `${SRC.user}:${SRC.password}`)],
          passwordStdin: false,
          authFile
        },
        {
          source: src.host,
          destinations: [dst.host, other.host],
          flags: { source: '--src-creds', destinations: '--dest-creds' }
        },
        {
          env: { HOME: root, DOCKER_CONFIG: join(root, 'absent') },
          readStdin: async () => '',
          logger: silentLogger
        }
      )
      const client = cliClient(
        readCommand('digest', `${src.host}/team/app:v1`).options,
        silentLogger,
        credentials
      )
      try {
        return await promote(client, {
          source: { registry: src.host, repository: 'team/app', reference: 'v1' },
          targets: [
            { repo: { registry: dst.host, repository: 'two/app' }, tags: ['v1'] },
            { repo: { registry: other.host, repository: 'two/app' }, tags: ['v1'] }
          ]
        })
      } finally {
        await client.close()
      }
    }
    try {
      const error = await run().then(
        () => undefined,
        (e: unknown) => (e as Error).message
      )
      // both refuse; the first answer ends the probe, and it may be the HEAD by digest or by tag
      // (both leave in the first wave)
      const refusal = (host: string, ref: string): string =>
        `HEAD http://${host}/v2/two/app/manifests/${ref} answered 401: registry ${host} requires credentials and none are configured for it (give --authfile FILE with an entry per registry, or log in with docker login ${host}; --dest-creds USER[:PASS] goes to every destination registry (${dst.host}, ${other.host}), so it serves only one account for them all)`
      expect(
        [dst.host, other.host].flatMap(host => [refusal(host, image.digest), refusal(host, 'v1')])
      ).toContain(error)
      const file = join(root, 'two.json')
      await writeFile(
        file,
        JSON.stringify({
          auths: {
            [dst.host]: { auth: b64(`${DST.user}:${DST.password}`) },
            [other.host]: { auth: b64(`${BOB.user}:${BOB.password}`) }
          }
        })
      )
      expect((await run(file)).digest).toBe(image.digest)
    } finally {
      await other.stop()
    }
  })
})
