/**
 * `--creds` on `verify` and `merge` (newuser4 #16): the one registry each talks to takes `--creds
 * USER[:PASS]` (the password from `:PASS`, PROMOTE_IMAGE_PASSWORD or `--password-stdin`), as
 * inspect, digest and ls do, and as `skopeo inspect --creds` users type it; a 401 without
 * credentials names `--creds`. `promote -f` and `plan` refuse the creds flags with what works
 * instead (a promotion file names several registries: docker login or `--authfile`). Against an
 * htpasswd registry, through src/cli.ts main (exit status, stdout, stderr).
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseCommandLine } from '../../src/cli/args.js'
import { main } from '../../src/cli.js'
import { writeHtpasswd } from '../helpers/htpasswd.js'
import { OCI_INDEX, pushImage, randomBlob, sha256, type SeededImage } from '../helpers/images.js'
import { startRegistry, type TestRegistry } from '../helpers/registry.js'

const USER = 'alice'
const PASS = 'Sup3r-secret'
const b64 = (s: string): string => Buffer.from(s).toString('base64')
const AUTH = { authorization: `Basic ${b64(`${USER}:${PASS}`)}` }
const AMD64 = { os: 'linux', architecture: 'amd64' }
const ARM64 = { os: 'linux', architecture: 'arm64' }

describe('promote -f and plan refuse the creds flags with what works instead; verify and merge take --creds', () => {
  const FILE_CREDS =
    'a promotion file names several registries, and one USER[:PASS] is not sent to them all: log in to each (docker login REGISTRY), or give --authfile FILE (skopeo login --authfile FILE REGISTRY writes one)'
  const parse = (...argv: string[]) => parseCommandLine(argv, { fileExists: () => true })
  it.each([
    [
      ['promote', '-f', 'p.yaml', '--creds', 'u:p'],
      `--creds is not an option of promote -f FILE; ${FILE_CREDS}`
    ],
    [
      ['promote', '-f', 'p.yaml', '--src-creds', 'u:p'],
      `--src-creds is not an option of promote -f FILE; ${FILE_CREDS}`
    ],
    [
      ['plan', '-f', 'p.yaml', '--shards', '2', '--dest-creds', 'u'],
      `--dest-creds is not an option of plan; ${FILE_CREDS}`
    ],
    [
      ['promote', '-f', 'p.yaml', '--password-stdin'],
      `--password-stdin is not an option of promote -f FILE; ${FILE_CREDS}`
    ],
    [
      ['merge', '--src-creds', 'u:p', '--to', 'ghcr.io/o/a', 'ghcr.io/o/b:1'],
      "--src-creds is not an option of merge; it takes --creds for --to's registry"
    ],
    [
      ['verify', '--dest-creds', 'u:p', '--records', 'ghcr.io/o/a:1'],
      "--dest-creds is not an option of verify; it takes --creds for REF's registry"
    ]
  ])('%j', (argv, message) => {
    expect(parse(...argv)).toEqual({ command: 'usage-error', message })
  })

  it.each([
    [['verify', '--creds', 'u:p', '--records', 'ghcr.io/o/a:1']],
    [['verify', '--creds', 'u', '--password-stdin', '--records', 'ghcr.io/o/a:1']],
    [['merge', '--creds', 'u:p', '--to', 'ghcr.io/o/a', 'ghcr.io/o/b:1']]
  ])('%j parses, with the flag', argv => {
    const cmd = parse(...argv) as { command: string; credentials?: unknown }
    expect(cmd.command).toBe(argv[0])
    expect(cmd.credentials).toEqual({
      creds: [{ flag: '--creds', username: 'u', ...(argv.includes('u:p') ? { password: 'p' } : {}) }],
      passwordStdin: argv.includes('--password-stdin'),
      authFile: undefined
    })
  })
})

describe('verify and merge with --creds against an htpasswd registry', () => {
  let reg: TestRegistry
  let work: string
  let amd64: SeededImage
  let arm64: SeededImage

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'pi-creds-cmds-'))
    reg = await startRegistry({ htpasswdFile: await writeHtpasswd(work, { [USER]: PASS }) })
    amd64 = await pushImage(reg.url, 'ci/app', [randomBlob(3000)], {
      tag: 'amd64',
      platform: AMD64,
      headers: AUTH
    })
    arm64 = await pushImage(reg.url, 'ci/app', [randomBlob(3000)], {
      tag: 'arm64',
      platform: ARM64,
      headers: AUTH
    })
  })
  afterAll(async () => {
    await reg?.stop()
    await rm(work, { recursive: true, force: true })
  })

  /** `promote-image ARGS` in this process, with `env` and an empty docker config; `stdin` piped in. */
  async function cli(args: string[], env: Record<string, string> = {}) {
    const before = { ...process.env }
    for (const k of ['GITHUB_SHA', 'GITHUB_ACTIONS', 'REGISTRY_AUTH_FILE', 'PROMOTE_IMAGE_PASSWORD'])
      delete process.env[k]
    Object.assign(process.env, { DOCKER_CONFIG: work }, env)
    let stdout = ''
    let stderr = ''
    const out = jest.spyOn(process.stdout, 'write').mockImplementation(c => ((stdout += String(c)), true))
    const err = jest.spyOn(process.stderr, 'write').mockImplementation(c => ((stderr += String(c)), true))
    try {
      const status = await main(args)
      return { status, stdout, stderr }
    } finally {
      out.mockRestore()
      err.mockRestore()
      process.env = before
    }
  }

  it('verify --records --creds USER:PASS, and USER with PROMOTE_IMAGE_PASSWORD: exit 0, the digest', async () => {
    const ok = {
      status: 0,
      stdout: `${reg.host}/ci/app:amd64 is ${amd64.digest}\npromotion records: none\n`,
      stderr: ''
    }
    // before: '--creds is not an option of verify', exit 2
    expect(
      await cli(['verify', '--records', '--creds', `${USER}:${PASS}`, `${reg.host}/ci/app:amd64`])
    ).toEqual(ok)
    expect(
      await cli(['verify', '--records', '--creds', USER, `${reg.host}/ci/app:amd64`], {
        PROMOTE_IMAGE_PASSWORD: PASS
      })
    ).toEqual(ok)
  })

  it('verify without credentials: the 401 names --creds', async () => {
    const r = await cli(['verify', '--records', `${reg.host}/ci/app:amd64`])
    expect(r.status).toBe(1)
    // before: '(give --authfile FILE, or log in with docker login …)', --creds not named
    expect(r.stderr).toBe(
      `promote-image: GET ${reg.url}/v2/ci/app/manifests/amd64 answered 401: registry ${reg.host} requires credentials and none are configured for it (give --creds USER[:PASS], --authfile FILE, or log in with docker login ${reg.host})\n`
    )
  })

  it('merge --creds USER:PASS writes the index at --to; without credentials the 401 names --creds', async () => {
    const entry = (img: SeededImage, p: { os: string; architecture: string }) => ({
      mediaType: img.mediaType,
      digest: img.digest,
      size: img.bytes.length,
      platform: { architecture: p.architecture, os: p.os }
    })
    const want = sha256(
      Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: OCI_INDEX,
          manifests: [entry(amd64, AMD64), entry(arm64, ARM64)]
        })
      )
    )
    const args = ['--to', `${reg.host}/ci/app:multi`, `${reg.host}/ci/app:amd64`, `${reg.host}/ci/app:arm64`]
    const refused = await cli(['merge', ...args])
    expect(refused.status).toBe(1)
    expect(refused.stderr).toContain(
      `registry ${reg.host} requires credentials and none are configured for it (give --creds USER[:PASS], --authfile FILE, or log in with docker login ${reg.host})`
    )
    const r = await cli(['merge', '--creds', `${USER}:${PASS}`, ...args])
    expect({ status: r.status, stdout: r.stdout }).toEqual({ status: 0, stdout: `${want}\n` })
    const head = await fetch(`${reg.url}/v2/ci/app/manifests/multi`, {
      method: 'HEAD',
      headers: { ...AUTH, accept: OCI_INDEX }
    })
    expect(head.headers.get('docker-content-digest')).toBe(want)
  })
})
