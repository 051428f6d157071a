import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { hostOf as configKeyHost } from '../../src/reference/hosts.js'
import {
  defaultCredentials,
  dockerConfigCredentials,
  helperServerUrl,
  type HelperResult,
  type HelperRunner
} from '../../src/auth/docker-config.js'
import { promote } from '../../src/copy/promote.js'
import type { Logger } from '../../src/logger.js'
import { createRegistryClient } from '../../src/registry/factory.js'
import { writeHtpasswd } from '../helpers/htpasswd.js'
import { pushImage, randomBlob, type SeededImage } from '../helpers/images.js'
import { startRegistry, type TestRegistry } from '../helpers/registry.js'

const b64 = (s: string): string => Buffer.from(s).toString('base64')

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = []
  return { lines, debug: m => lines.push(m), info: m => lines.push(m), warning: m => lines.push(m) }
}

let root: string
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'pi-dockercfg-'))
})
afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

let n = 0
async function configDir(config: unknown): Promise<string> {
  const dir = join(root, `cfg-${++n}`)
  await mkdir(dir)
  await writeFile(join(dir, 'config.json'), typeof config === 'string' ? config : JSON.stringify(config))
  return dir
}

/** A fake helper runner: answers from a table keyed by `program server`, records every call. */
function fakeRunner(table: Record<string, HelperResult>): HelperRunner & { calls: string[] } {
  const calls: string[] = []
  const run = (async (program: string, args: string[], input: string) => {
    calls.push(`${program} ${args.join(' ')} <${input}`)
    return (
      table[`${program} ${input}`] ?? {
        code: 1,
        stdout: 'credentials not found in native keychain\n',
        stderr: ''
      }
    )
  }) as HelperRunner & { calls: string[] }
  run.calls = calls
  return run
}

describe('configKeyHost and helperServerUrl', () => {
  it.each([
    ['ghcr.io', 'ghcr.io'],
    ['https://ghcr.io', 'ghcr.io'],
    ['https://GHCR.io/', 'ghcr.io'],
    ['https://index.docker.io/v1/', 'index.docker.io'],
    ['http://127.0.0.1:5000', '127.0.0.1:5000'],
    ['127.0.0.1:5000', '127.0.0.1:5000'],
    ['registry.example.com/v2/', 'registry.example.com']
  ])('%s → %s', (key, host) => expect(configKeyHost(key)).toBe(host))

  it.each([
    ['docker.io', 'https://index.docker.io/v1/'],
    ['registry-1.docker.io', 'https://index.docker.io/v1/'],
    ['ghcr.io', 'ghcr.io'],
    ['127.0.0.1:5000', '127.0.0.1:5000']
  ])('helper server URL for %s is %s', (registry, url) => expect(helperServerUrl(registry)).toBe(url))
})

describe('dockerConfigCredentials (config.json auths, credHelpers, credsStore)', () => {
  it('reads auths keyed the ways docker and docker/login-action write them', async () => {
    const dir = await configDir({
      auths: {
        '127.0.0.1:5000': { auth: b64('ci:pa:ss') },
        'https://quay.io': { auth: b64('org+robot:ROBOTTOKEN') },
        'https://index.docker.io/v1/': { auth: b64('hubuser:dckr_pat_x') },
        'myacr.azurecr.io': {
          auth: b64('00000000-0000-0000-0000-000000000000:'),
          identitytoken: 'acr-refresh'
        },
        'ghcr.io': { username: 'octocat', password: 'ghp_y' },
        'empty.example': {}
      }
    })
    const source = dockerConfigCredentials({ configDir: dir, runHelper: fakeRunner({}) })
    expect(await source('127.0.0.1:5000')).toEqual({ username: 'ci', password: 'pa:ss' })
    expect(await source('quay.io')).toEqual({ username: 'org+robot', password: 'ROBOTTOKEN' })
    expect(await source('docker.io')).toEqual({ username: 'hubuser', password: 'dckr_pat_x' })
    expect(await source('registry-1.docker.io')).toEqual({ username: 'hubuser', password: 'dckr_pat_x' })
    expect(await source('myacr.azurecr.io')).toEqual({
      username: '00000000-0000-0000-0000-000000000000',
      identityToken: 'acr-refresh'
    })
    expect(await source('ghcr.io')).toEqual({ username: 'octocat', password: 'ghp_y' })
    expect(await source('empty.example')).toBeUndefined()
    expect(await source('127.0.0.1:5001')).toBeUndefined()
  })

  it('respects DOCKER_CONFIG from the environment given, and HOME/.docker otherwise', async () => {
    const dir = await configDir({ auths: { 'a.example': { auth: b64('u:p') } } })
    expect(await dockerConfigCredentials({ env: { DOCKER_CONFIG: dir } })('a.example')).toEqual({
      username: 'u',
      password: 'p'
    })
    const home = join(root, `home-${++n}`)
    await mkdir(join(home, '.docker'), { recursive: true })
    await writeFile(
      join(home, '.docker', 'config.json'),
      JSON.stringify({ auths: { 'b.example': { auth: b64('v:q') } } })
    )
    expect(await dockerConfigCredentials({ env: { HOME: home } })('b.example')).toEqual({
      username: 'v',
      password: 'q'
    })
    // no file: no credentials
    expect(
      await dockerConfigCredentials({ env: { DOCKER_CONFIG: join(root, 'absent') } })('a.example')
    ).toBeUndefined()
  })

  it('asks credHelpers per host and credsStore otherwise, with the server URL on stdin', async () => {
    const dir = await configDir({
      credsStore: 'desktop',
      credHelpers: {
        '123456789012.dkr.ecr.eu-west-1.amazonaws.com': 'ecr-login',
        'europe-docker.pkg.dev': 'gcloud'
      },
      auths: { 'ghcr.io': { auth: b64('fromfile:filepass') } }
    })
    const run = fakeRunner({
      'docker-credential-ecr-login 123456789012.dkr.ecr.eu-west-1.amazonaws.com': {
        code: 0,
        stdout: JSON.stringify({ ServerURL: 'x', Username: 'AWS', Secret: 'ecr-password' }),
        stderr: ''
      },
      'docker-credential-gcloud europe-docker.pkg.dev': {
        code: 0,
        stdout: JSON.stringify({ Username: '<token>', Secret: 'gcloud-identity-token' }),
        stderr: ''
      },
      'docker-credential-desktop https://index.docker.io/v1/': {
        code: 0,
        stdout: JSON.stringify({ Username: 'hubuser', Secret: 'hub-secret' }),
        stderr: ''
      }
    })
    const source = dockerConfigCredentials({ configDir: dir, runHelper: run })
    expect(await source('123456789012.dkr.ecr.eu-west-1.amazonaws.com')).toEqual({
      username: 'AWS',
      password: 'ecr-password'
    })
    expect(await source('europe-docker.pkg.dev')).toEqual({ identityToken: 'gcloud-identity-token' })
    expect(await source('docker.io')).toEqual({ username: 'hubuser', password: 'hub-secret' })
    // the store has nothing for ghcr.io ("credentials not found"): the auths entry is used
    expect(await source('ghcr.io')).toEqual({ username: 'fromfile', password: 'filepass' })
    expect(await source('quay.io')).toBeUndefined()
    expect(run.calls).toEqual([
      'docker-credential-ecr-login get <123456789012.dkr.ecr.eu-west-1.amazonaws.com',
      'docker-credential-gcloud get <europe-docker.pkg.dev',
      'docker-credential-desktop get <https://index.docker.io/v1/',
      'docker-credential-desktop get <ghcr.io',
      'docker-credential-desktop get <quay.io'
    ])
  })

  it('warns and uses auths when the helper is not installed; throws on any other helper failure', async () => {
    const dir = await configDir({ credsStore: 'missing', auths: { 'a.example': { auth: b64('u:p') } } })
    const logger = recordingLogger()
    const missing = fakeRunner({
      'docker-credential-missing a.example': { code: -1, stdout: '', stderr: '', error: 'ENOENT' }
    })
    expect(
      await dockerConfigCredentials({ configDir: dir, runHelper: missing, logger })('a.example')
    ).toEqual({
      username: 'u',
      password: 'p'
    })
    expect(logger.lines).toEqual([
      'credential helper docker-credential-missing could not be run (ENOENT); trying config.json auths'
    ])
    const broken = fakeRunner({
      'docker-credential-missing a.example': {
        code: 3,
        stdout: 'secret-ish output',
        stderr: 'keychain locked\n'
      }
    })
    await expect(dockerConfigCredentials({ configDir: dir, runHelper: broken })('a.example')).rejects.toThrow(
      'credential helper docker-credential-missing failed for a.example with exit code 3: keychain locked'
    )
    const garbage = fakeRunner({
      'docker-credential-missing a.example': { code: 0, stdout: 'not json', stderr: '' }
    })
    await expect(
      dockerConfigCredentials({ configDir: dir, runHelper: garbage })('a.example')
    ).rejects.toThrow(
      'credential helper docker-credential-missing answered a.example with something that is not JSON'
    )
  })

  it('names the file when config.json is not JSON', async () => {
    const dir = await configDir('{"auths": ')
    await expect(dockerConfigCredentials({ configDir: dir })('a.example')).rejects.toThrow(
      `docker config ${join(dir, 'config.json')} is not valid JSON`
    )
  })

  it('defaultCredentials: inputs first, then config.json, then anonymous', async () => {
    const dir = await configDir({
      auths: { 'ghcr.io': { auth: b64('cfg:cfgpass') }, 'quay.io': { auth: b64('q:qp') } }
    })
    const source = defaultCredentials(
      [
        { registry: 'ghcr.io', username: 'actor', password: 'GITHUB_TOKEN_VALUE' },
        { registry: 'https://ghcr.io', username: 'second', password: 'ignored' },
        { registry: 'docker.io', username: 'hub' }, // no password: ignored
        {
          registry: 'myacr.azurecr.io',
          username: '00000000-0000-0000-0000-000000000000',
          identityToken: 'rt'
        }
      ],
      { configDir: dir, runHelper: fakeRunner({}) }
    )
    expect(await source('ghcr.io')).toEqual({
      username: 'actor',
      password: 'GITHUB_TOKEN_VALUE',
      identityToken: undefined
    })
    expect(await source('quay.io')).toEqual({ username: 'q', password: 'qp' })
    expect(await source('docker.io')).toBeUndefined()
    expect(await source('myacr.azurecr.io')).toEqual({
      username: '00000000-0000-0000-0000-000000000000',
      identityToken: 'rt'
    })
  })
})

describe('credentials from config.json and a real credential helper, against htpasswd registries', () => {
  const SRC = { user: 'cfg-src', password: 'cfgsrc-Pass-3a8e' }
  const DST = { user: 'cfg-dst', password: 'cfgdst-Pass-9d21' }
  let src: TestRegistry
  let dst: TestRegistry
  let image: SeededImage
  let binDir: string

  beforeAll(async () => {
    const dir = await mkdtemp(join(root, 'regs-'))
    const [a, b] = await Promise.all([mkdtemp(join(dir, 'a-')), mkdtemp(join(dir, 'b-'))])
    ;[src, dst] = await Promise.all([
      startRegistry({ htpasswdFile: await writeHtpasswd(a, { [SRC.user]: SRC.password }) }),
      startRegistry({ htpasswdFile: await writeHtpasswd(b, { [DST.user]: DST.password }) })
    ])
    image = await pushImage(src.url, 'team/app', [randomBlob(30_000)], {
      tag: 'v1',
      headers: { authorization: `Basic ${b64(`${SRC.user}:${SRC.password}`)}` }
    })
    // docker-credential-test: answers for the target registry only (docker-credential-helpers protocol)
    binDir = await mkdtemp(join(root, 'bin-'))
    const script = join(binDir, 'docker-credential-test')
    await writeFile(
      script,
      [
        '#!/bin/sh',
        '[ "$1" = get ] || exit 2',
        'read -r server',
        `if [ "$server" = "${dst.host}" ]; then`,
        `  printf '{"ServerURL":"%s","Username":"${DST.user}","Secret":"${DST.password}"}\\n' "$server"`,
        'else',
        "  echo 'credentials not found in native keychain'",
        '  exit 1',
        'fi'
      ].join('\n') + '\n'
    )
    await chmod(script, 0o755)
  })
  afterAll(async () => {
    await Promise.all([src?.stop(), dst?.stop()])
  })

  it('promotes with the source from auths (as docker/login-action writes it) and the target from credHelpers', async () => {
    const dir = await configDir({
      auths: { [src.host]: { auth: b64(`${SRC.user}:${SRC.password}`) } },
      credHelpers: { [dst.host]: 'test' }
    })
    const logger = recordingLogger()
    const seen: string[] = []
    const client = createRegistryClient({
      credentials: defaultCredentials([], {
        env: { DOCKER_CONFIG: dir, PATH: `${binDir}:${process.env.PATH ?? ''}` },
        logger
      }),
      logger,
      onSecret: s => seen.push(s)
    })
    const result = await promote(client, {
      source: { registry: src.host, repository: 'team/app', reference: 'v1' },
      targets: [{ repo: { registry: dst.host, repository: 'prod/app' }, tags: ['v1'] }],
      logger
    })
    expect(result.digest).toBe(image.digest)
    expect(result.targets[0].verified).toBe(true)
    expect([...new Set(seen)].sort()).toEqual(
      [
        SRC.password,
        b64(`${SRC.user}:${SRC.password}`),
        DST.password,
        b64(`${DST.user}:${DST.password}`)
      ].sort()
    )
    const text = logger.lines.join('\n')
    expect(
      [
        SRC.password,
        DST.password,
        b64(`${SRC.user}:${SRC.password}`),
        b64(`${DST.user}:${DST.password}`)
      ].filter(s => text.includes(s))
    ).toEqual([])
    await client.close()
  })

  it('gives a clear error when the helper answers for the target but config.json has the wrong source password', async () => {
    const dir = await configDir({
      auths: { [`https://${src.host}`]: { auth: b64(`${SRC.user}:not-the-password`) } },
      credHelpers: { [dst.host]: 'test' }
    })
    const client = createRegistryClient({
      credentials: defaultCredentials([], {
        env: { DOCKER_CONFIG: dir, PATH: `${binDir}:${process.env.PATH ?? ''}` }
      })
    })
    const error = await promote(client, {
      source: { registry: src.host, repository: 'team/app', reference: 'v1' },
      targets: [{ repo: { registry: dst.host, repository: 'prod/app' }, tags: ['v1'] }]
    }).catch((e: Error) => e)
    // no ping: the GET by tag and the tag listing go out side by side, and the one whose 401 came
    // back first carries the password; the error names that request
    // the account is named with where it was found (newuser4 finding 7)
    const refused = `answered 401: registry ${src.host} refused the credentials (user "cfg-src" from docker config ${join(dir, 'config.json')}); check the user name and password or token`
    expect([
      `GET ${src.url}/v2/team/app/manifests/v1 ${refused}`,
      `GET ${src.url}/v2/team/app/tags/list?n=… ${refused}`
    ]).toContain((error as Error).message)
    await client.close()
  })
})
