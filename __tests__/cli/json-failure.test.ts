/**
 * `--json` on failure (newuser finding 12): every command that takes --json and fails (exit status
 * 1) writes one object `{"error": MESSAGE}` on stdout, MESSAGE the line stderr ends with (copy and
 * promote add `targets`). digest, ls and merge wrote nothing there. `main(argv)` in process against
 * real registries; stdout and stderr asserted whole.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { generateKeyPairSync } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runMain } from '../helpers/main-run.js'
import { writeHtpasswd } from '../helpers/htpasswd.js'
import { pushImage, randomBlob } from '../helpers/images.js'
import { startRegistry, type TestRegistry } from '../helpers/registry.js'

const run = runMain

describe('--json on failure: one {"error"} object on stdout for every command', () => {
  let reg: TestRegistry
  let locked: TestRegistry
  let dir: string
  let pk: string
  const saved = {
    DOCKER_CONFIG: process.env.DOCKER_CONFIG,
    REGISTRY_AUTH_FILE: process.env.REGISTRY_AUTH_FILE
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pi-json-failure-'))
    // no credentials from the machine's docker config
    process.env.DOCKER_CONFIG = dir
    delete process.env.REGISTRY_AUTH_FILE
    pk = join(dir, 'pk.pem')
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    await writeFile(pk, publicKey.export({ type: 'spki', format: 'pem' }))
    ;[reg, locked] = await Promise.all([
      startRegistry(),
      startRegistry({ htpasswdFile: await writeHtpasswd(dir, { alice: 'secret' }) })
    ])
    await pushImage(reg.url, 'app', [randomBlob(500)], { tag: 'v1' })
  })
  afterAll(async () => {
    await Promise.all([reg?.stop(), locked?.stop()])
    if (dir) await rm(dir, { recursive: true, force: true })
    for (const [k, v] of Object.entries(saved))
      if (v === undefined) delete process.env[k]
      else process.env[k] = v
  })

  const cases = (): Array<[string, string[], string]> => [
    ['inspect', ['inspect', '--json', `${reg.host}/none:v1`], `${reg.host}/none:v1 does not exist`],
    ['digest', ['digest', '--json', `${reg.host}/none:v1`], `${reg.host}/none:v1 does not exist`],
    [
      'ls',
      ['ls', '--json', `${locked.host}/app`],
      `GET http://${locked.host}/v2/app/tags/list?n=… answered 401: registry ${locked.host} requires credentials and none are configured for it (give --creds USER[:PASS], --authfile FILE, or log in with docker login ${locked.host})`
    ],
    [
      'merge',
      ['merge', '--json', '--to', `${reg.host}/merged:v1`, `${reg.host}/none:v1`],
      `merge refused: ${reg.host}/none:v1: not found`
    ],
    [
      'verify',
      ['verify', '--json', '--verify-key', pk, `${reg.host}/none:v1`],
      `${reg.host}/none:v1 does not exist`
    ]
  ]

  it.each(['inspect', 'digest', 'ls', 'merge', 'verify'])(
    '%s',
    async name => {
      const [, argv, message] = cases().find(c => c[0] === name)!
      const r = await run(argv)
      expect({ status: r.status, stderrLast: r.stderr.trim().split('\n').at(-1) }).toEqual({
        status: 1,
        stderrLast: `promote-image: ${message}`
      })
      expect(r.stdout).toBe(JSON.stringify({ error: message }, null, 2) + '\n')
    },
    60_000
  )

  it('copy: its own object, with the targets, once', async () => {
    const r = await run(['copy', '--json', `${reg.host}/none:v1`, `${reg.host}/other:v1`])
    expect(r.status).toBe(1)
    expect(JSON.parse(r.stdout)).toEqual({ error: `${reg.host}/none:v1 does not exist`, targets: [] })
  }, 60_000)

  it('a usage error (exit status 2) stays on stderr alone', async () => {
    const r = await run(['inspect', '--json', '--timeout', '0', `${reg.host}/app:v1`])
    expect(r).toEqual({
      status: 2,
      stdout: '',
      stderr:
        'promote-image: --timeout "0": must be a whole number of seconds from 1 to 3600\n(promote-image --help shows the usage)\n'
    })
  })
})
