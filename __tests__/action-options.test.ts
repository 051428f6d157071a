/**
 * The action's inputs through its entry point and its credential chain: issue 9 bug 3 (a
 * `registry-auth` entry written the docker-config way, `https://index.docker.io/v1/`, must give the
 * credential for `docker.io`) and bug 5 (`moving-tags` checked like the CLI's `--moving-tag`).
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { readInputs } from '../src/inputs.js'
import { actionCredentials, run } from '../src/main.js'
import type { TagContext } from '../src/tags/index.js'
import { writeHtpasswd } from './helpers/htpasswd.js'
import { pushImage, randomBlob } from './helpers/images.js'
import { startRegistry, type TestRegistry } from './helpers/registry.js'

const SOURCE = '127.0.0.1:5000/x/y:1'
const ctx = (): TagContext =>
  ({
    eventName: 'push',
    ref: 'refs/heads/main',
    sha: 'a'.repeat(40),
    repository: { name: 'app', owner: 'o', defaultBranch: 'main', htmlUrl: 'https://github.com/o/app' }
  }) as TagContext
const reader =
  (values: Record<string, string>) =>
  (name: string): string =>
    values[name] ?? ''
const b64 = (s: string): string => Buffer.from(s).toString('base64')

let root: string
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'pi-action-options-'))
})
afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

/** A docker config dir holding `auths` (no helpers). */
async function dockerConfig(auths: Record<string, { auth: string }> = {}): Promise<string> {
  const dir = await mkdtemp(join(root, 'cfg-'))
  await writeFile(join(dir, 'config.json'), JSON.stringify({ auths }))
  return dir
}

describe('bug 3: registry-auth keys are compared as registries (hosts.ts)', () => {
  const hub = { username: 'hubuser', password: 'dckr_pat_1' }
  const gh = { username: 'octocat', password: 'ghp_2' }

  it.each([
    ['https://index.docker.io/v1/', ['docker.io', 'index.docker.io', 'registry-1.docker.io', 'DOCKER.IO']],
    ['index.docker.io', ['docker.io', 'registry-1.docker.io']],
    ['docker.io', ['index.docker.io', 'registry-1.docker.io']]
  ])('an entry for %s gives the credential for %j', async (registry, hosts) => {
    const inputs = readInputs(
      reader({
        source: SOURCE,
        'registry-auth': `- registry: ${registry}\n  username: ${hub.username}\n  password: ${hub.password}`
      }),
      ctx
    )
    expect(inputs['registry-auth']).toEqual({ 'docker.io': { ...hub, identityToken: undefined } })
    const source = actionCredentials(inputs, { configDir: await dockerConfig() })
    for (const host of hosts) expect(await source(host)).toEqual(hub)
    expect(await source('ghcr.io')).toBeUndefined()
  })

  it.each(['https://ghcr.io', 'ghcr.io/', 'GHCR.IO', 'https://GHCR.io/v2/'])(
    'an entry for %s gives the credential for ghcr.io',
    async registry => {
      const inputs = readInputs(
        reader({
          source: SOURCE,
          'registry-auth': `- registry: ${registry}\n  username: ${gh.username}\n  password: ${gh.password}`
        }),
        ctx
      )
      expect(Object.keys(inputs['registry-auth'])).toEqual(['ghcr.io'])
      const source = actionCredentials(inputs, { configDir: await dockerConfig() })
      expect(await source('ghcr.io')).toEqual(gh)
      expect(await source('docker.io')).toBeUndefined()
    }
  )

  it('two entries for one registry are refused, naming both', () => {
    expect(() =>
      readInputs(
        reader({
          source: SOURCE,
          'registry-auth':
            '- registry: docker.io\n  username: a\n  password: b\n- registry: https://index.docker.io/v1/\n  username: c\n  password: d'
        }),
        ctx
      )
    ).toThrow(
      'input "registry-auth": entry 2 (https://index.docker.io/v1/) names the same registry as entry 1 (docker.io)'
    )
  })

  it('inputs first, then docker config.json (the chain the CLI uses too), then anonymous', async () => {
    const inputs = readInputs(
      reader({ source: SOURCE, 'registry-auth': `- registry: ghcr.io\n  username: u\n  password: p` }),
      ctx
    )
    const dir = await dockerConfig({
      'ghcr.io': { auth: b64('cfg:not-used') },
      'https://index.docker.io/v1/': { auth: b64('cfghub:cfgpass') }
    })
    const source = actionCredentials(inputs, { configDir: dir })
    expect(await source('ghcr.io')).toEqual({ username: 'u', password: 'p' })
    expect(await source('docker.io')).toEqual({ username: 'cfghub', password: 'cfgpass' })
    expect(await source('quay.io')).toBeUndefined()
  })
})

describe('the action entry point (run)', () => {
  const USER = { user: 'ci-bot', password: 'ci-Pass-7f3a' }
  let src: TestRegistry
  let dst: TestRegistry
  let work: string
  const saved = { ...process.env }

  beforeAll(async () => {
    work = await mkdtemp(join(root, 'run-'))
    await mkdir(join(work, 'auth'))
    ;[src, dst] = await Promise.all([
      startRegistry(),
      startRegistry({ htpasswdFile: await writeHtpasswd(join(work, 'auth'), { [USER.user]: USER.password }) })
    ])
  })
  afterAll(async () => {
    process.env = saved
    await Promise.all([src?.stop(), dst?.stop()])
  })

  /** Runs the action with `inputs`; returns the exit code, the stdout lines and the outputs file. */
  async function runAction(
    inputs: Record<string, string>
  ): Promise<{ failed: unknown; log: string; outputs: string }> {
    for (const k of Object.keys(process.env)) if (k.startsWith('INPUT_')) delete process.env[k]
    for (const [k, v] of Object.entries(inputs)) process.env[`INPUT_${k.toUpperCase()}`] = v
    const outputFile = join(work, `out-${Date.now()}`)
    await writeFile(outputFile, '')
    process.env.GITHUB_OUTPUT = outputFile
    delete process.env.GITHUB_STEP_SUMMARY
    const lines: string[] = []
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(s => (lines.push(String(s)), true))
    try {
      await run({ configDir: await dockerConfig() })
    } finally {
      write.mockRestore()
    }
    const failed = process.exitCode
    process.exitCode = undefined
    return { failed, log: lines.join(''), outputs: await readFile(outputFile, 'utf8') }
  }

  it('bug 5: moving-tags "Bad!" fails the step naming the input and the tag rule, before any request', async () => {
    const r = await runAction({
      source: `${src.host}/app:v1`,
      targets: `${dst.host}/prod/app`,
      tags: 'v1',
      'moving-tags': 'latest\nBad!'
    })
    expect(r.failed).toBe(1)
    expect(r.log).toContain(
      '::error::input "moving-tags": "Bad!" not a valid tag (a tag is 1 to 128 characters from [A-Za-z0-9_.-] and must not start with "." or "-")'
    )
    expect(r.outputs).toBe('')
  })

  it('logs in to an htpasswd registry with a registry-auth key written as a URL with a path', async () => {
    const image = await pushImage(src.url, 'app', [randomBlob(2048)], { tag: 'v1' })
    const r = await runAction({
      source: `${src.host}/app:v1`,
      targets: `${dst.host}/prod/app`,
      tags: 'v1',
      'registry-auth': `- registry: http://${dst.host}/v2/\n  username: ${USER.user}\n  password: ${USER.password}`
    })
    expect([r.failed, r.log.match(/::error::.*/)?.[0]]).toEqual([undefined, undefined])
    expect(r.outputs).toContain(image.digest)
    const res = await fetch(`${dst.url}/v2/prod/app/tags/list`, {
      headers: { authorization: `Basic ${b64(`${USER.user}:${USER.password}`)}` }
    })
    expect(await res.json()).toEqual({ name: 'prod/app', tags: ['v1'] })
  })
})
