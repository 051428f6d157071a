/**
 * Registry text and configuration files that try to write into the output (issue 10, points 4
 * and 5; issue 11, point 3): an index whose platform fields hold a workflow command, HTML and
 * terminal escapes, on a real registry; a hostile registry of our own on loopback whose error body
 * holds `::add-mask::`; a YAML-tagged password in `registry-auth`; a broken config.json; a
 * credsStore whose helper is not installed, against a real htpasswd registry. The CLI runs in a
 * child process (dist/cli.cjs), the action through its entry point (runAction).
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { spawn, spawnSync } from 'node:child_process'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { runAction } from './helpers/action.js'
import { writeHtpasswd } from './helpers/htpasswd.js'
import { pushImage, pushIndex, randomBlob, type SeededIndex } from './helpers/images.js'
import { startRegistry, type TestRegistry } from './helpers/registry.js'

const root = resolve(import.meta.dirname, '..')
const ESC = '\u001b'

/** Runs dist/cli.cjs with `args` and exactly `env` (plus nothing else). */
function cli(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [resolve(root, 'dist/cli.cjs'), ...args], { encoding: 'utf8', env })
}

/** The same, without blocking this process (for servers that run in it). */
function cliAsync(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise(done => {
    const child = spawn(process.execPath, [resolve(root, 'dist/cli.cjs'), ...args], { env: {} })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', d => (stdout += d))
    child.stderr.on('data', d => (stderr += d))
    child.on('close', status => done({ status, stdout, stderr }))
  })
}

/** Every 4-character piece of `secret` that appears in `text` (none, when the secret stayed out). */
function piecesIn(text: string, secret: string): string[] {
  const out: string[] = []
  for (let i = 0; i + 4 <= secret.length; i++)
    if (text.includes(secret.slice(i, i + 4))) out.push(secret.slice(i, i + 4))
  return out
}

const PLATFORMS = [
  { os: 'linux\n::warning title=INJECTED::x', architecture: 'amd64' },
  { os: 'linux', architecture: '<img src=x>' },
  { os: 'linux', architecture: 'arm', variant: `${ESC}[31mred${ESC}]0;title\u0007` }
]

let work: string
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'pi-hostile-text-'))
})
afterAll(async () => {
  await rm(work, { recursive: true, force: true })
})

describe('registry strings in the dry-run log, the summary and inspect', () => {
  let src: TestRegistry
  let dst: TestRegistry
  let index: SeededIndex
  const saved = { ...process.env }

  beforeAll(async () => {
    ;[src, dst] = await Promise.all([startRegistry(), startRegistry()])
    index = await pushIndex(src.url, 'app', 'v1', { platforms: PLATFORMS, shared: [], uniqueSize: 100 })
  })
  afterAll(async () => {
    process.env = saved
    await Promise.all([src.stop(), dst.stop()])
  })

  it('action dry run: escaped in the log (no line starts a workflow command), HTML-escaped in the summary', async () => {
    const r = await runAction(work, 'dry-run', {
      source: `${src.host}/app:v1`,
      targets: `${dst.host}/prod/app`,
      tags: 'v1',
      'dry-run': 'true'
    })
    expect(r.failed).toBeUndefined()
    const lines = r.log.split('\n')
    expect(lines.filter(l => /^\s*::warning/.test(l))).toEqual([])
    expect(lines.filter(l => l.startsWith('platforms: '))).toEqual([
      'platforms: linux\\n::warning title=INJECTED::x/amd64, linux/<img src=x>, linux/arm/\\x1b[31mred\\x1b]0;title\\x07'
    ])
    expect(r.log).not.toContain(ESC)
    expect(r.summary.split('\n').filter(l => l.startsWith('**Platforms**'))).toEqual([
      '**Platforms**: <code>linux<br>::warning title=INJECTED::x/amd64</code>, <code>linux/&lt;img src=x&gt;</code>, <code>linux/arm/\\x1b&#91;31mred\\x1b&#93;0;title\\x07</code>'
    ])
    expect(r.summary).not.toMatch(/<img|<a /)
    expect(r.summary).not.toContain(ESC)
  })

  it('inspect and copy --dry-run print no raw escape sequence and no line that starts a workflow command', () => {
    const text = cli(['inspect', `${src.host}/app:v1`])
    expect([text.status, text.stderr]).toEqual([0, ''])
    expect(text.stdout.split('\n')[2]).toBe(
      'platforms:  linux\\n::warning title=INJECTED::x/amd64, linux/<img src=x>, linux/arm/\\x1b[31mred\\x1b]0;title\\x07'
    )
    const json = cli(['inspect', '--json', `${src.host}/app:v1`])
    expect(json.status).toBe(0)
    expect(JSON.parse(json.stdout).platforms).toEqual([
      'linux\n::warning title=INJECTED::x/amd64',
      'linux/<img src=x>',
      `linux/arm/${ESC}[31mred${ESC}]0;title\u0007`
    ])
    const plan = cli(['copy', '--dry-run', `${src.host}/app:v1`, `${dst.host}/prod/app:v1`])
    expect(plan.status).toBe(0)
    expect(plan.stderr.split('\n').filter(l => l.startsWith('platforms: '))).toEqual([
      'platforms: linux\\n::warning title=INJECTED::x/amd64, linux/<img src=x>, linux/arm/\\x1b[31mred\\x1b]0;title\\x07'
    ])
    for (const r of [text, json, plan]) {
      expect(r.stdout + r.stderr).not.toContain(ESC)
      expect((r.stdout + r.stderr).split('\n').filter(l => /^\s*::/.test(l))).toEqual([])
    }
    expect(JSON.parse(plan.stdout).source.digest).toBe(index.digest)
  })
})

describe('a hostile registry of our own whose error body holds workflow commands', () => {
  let server: Server
  let host = ''
  const body = JSON.stringify({
    errors: [{ code: 'DENIED', message: `no\n::add-mask::hunter2\n${ESC}[2Jwiped` }]
  })

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/v2/') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{}')
      // HEAD refused: the client falls back to GET, which answers with the hostile body
      if (req.method === 'HEAD') return void res.writeHead(403).end()
      res.writeHead(400, { 'content-type': 'application/json' }).end(body)
    })
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r))
    const addr = server.address()
    host = `127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`
  })
  afterAll(async () => {
    await new Promise(r => server.close(r))
  })

  it('never starts a stderr line with the command, and sends no escape sequence', async () => {
    const r = await cliAsync(['inspect', `${host}/app:v1`])
    expect(r.status).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr).toBe(
      `promote-image: GET http://${host}/v2/app/manifests/v1 answered 400: DENIED: no\n: :add-mask::hunter2\n\\x1b[2Jwiped\n`
    )
    expect(r.stderr.split('\n').filter(l => /^\s*::/.test(l))).toEqual([])
  })
})

describe('secrets in configuration never reach stdout or stderr', () => {
  const USER = { user: 'releaser', password: 'Qz7xW9pLk3Vt' }
  let reg: TestRegistry
  const saved = { ...process.env }

  beforeAll(async () => {
    const dir = join(work, 'htpasswd')
    await mkdir(dir)
    reg = await startRegistry({ htpasswdFile: await writeHtpasswd(dir, { [USER.user]: USER.password }) })
    const basic = `Basic ${Buffer.from(`${USER.user}:${USER.password}`).toString('base64')}`
    await pushImage(reg.url, 'app', [randomBlob(64)], { tag: 'v1', headers: { authorization: basic } })
  })
  afterAll(async () => {
    process.env = saved
    await reg.stop()
  })

  /** A DOCKER_CONFIG directory whose config.json is `text`. */
  async function dockerConfig(name: string, text: string): Promise<string> {
    const dir = join(work, name)
    await mkdir(dir)
    await writeFile(join(dir, 'config.json'), text)
    return dir
  }

  /** Runs the action with stderr and process warnings captured too. */
  async function action(name: string, inputs: Record<string, string>, env: Record<string, string> = {}) {
    let stderr = ''
    const write = jest.spyOn(process.stderr, 'write').mockImplementation(chunk => {
      stderr += String(chunk)
      return true
    })
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(w => void (stderr += String(w)))
    try {
      return { ...(await runAction(work, name, inputs, env)), stderr }
    } finally {
      write.mockRestore()
      warn.mockRestore()
    }
  }

  it.each([
    ['!secret', `  password: !secret ${USER.password}`],
    ['!!binary', `  password: !!binary ${Buffer.from(USER.password).toString('base64')}`],
    ['!secret before an invalid entry', `  password: !secret ${USER.password}\n- username: nobody`]
  ])(
    'registry-auth with a YAML tag (%s): refused, naming the field, the password nowhere',
    async (_, line) => {
      const r = await action('yaml-tag', {
        source: `${reg.host}/app:v1`,
        'registry-auth': `- registry: ${reg.host}\n  username: ${USER.user}\n${line}`
      })
      expect(r.failed).toBe(1)
      expect(r.log).toBe(
        '::error::input "registry-auth": entry 1, field password: YAML tags (! or !!) are not allowed; quote a value that starts with !\n'
      )
      expect(r.stderr).toBe('')
      expect(piecesIn(r.log + r.summary, USER.password)).toEqual([])
      expect(piecesIn(r.log + r.summary, Buffer.from(USER.password).toString('base64'))).toEqual([])
    }
  )

  it('a broken config.json: named with its position, no piece of it in the CLI or the action output', async () => {
    const auth = Buffer.from(`${USER.user}:${USER.password}`).toString('base64')
    const text = `{"auths": {"${reg.host}": {"auth": "${auth}", "password": "${USER.password}" x}}}`
    const dir = await dockerConfig('broken', text)
    const column = text.indexOf(' x}') + 2
    const message = `docker config ${join(dir, 'config.json')} is not valid JSON (unexpected character at line 1, column ${column})`
    const r = cli(['inspect', `${reg.host}/app:v1`], { DOCKER_CONFIG: dir })
    expect(r.status).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr).toBe(`promote-image: ${message}\n`)
    const a = await action('broken-config', { source: `${reg.host}/app:v1` }, { DOCKER_CONFIG: dir })
    expect(a.failed).toBe(1)
    expect(a.log.split('\n').filter(l => l.startsWith('::error::'))).toEqual([`::error::${message}`])
    for (const out of [r.stdout + r.stderr, a.log + a.stderr + a.summary]) {
      expect(piecesIn(out, USER.password)).toEqual([])
      expect(piecesIn(out, auth)).toEqual([])
    }
  })
})

describe('why no credentials were found is named in the error (issue 11, point 3)', () => {
  let reg: TestRegistry
  let emptyPath: string

  beforeAll(async () => {
    const dir = join(work, 'htpasswd-why')
    await mkdir(dir)
    emptyPath = join(work, 'empty-path')
    await mkdir(emptyPath)
    reg = await startRegistry({ htpasswdFile: await writeHtpasswd(dir, { someone: 'not-used-here' }) })
  })
  afterAll(async () => {
    await reg.stop()
  })

  async function configDir(name: string, config: unknown): Promise<string> {
    const dir = join(work, name)
    await mkdir(dir)
    await writeFile(join(dir, 'config.json'), JSON.stringify(config))
    return dir
  }

  it('credsStore "desktop" with no docker-credential-desktop on PATH', async () => {
    const dir = await configDir('creds-store', { credsStore: 'desktop' })
    const r = cli(['inspect', `${reg.host}/app:v1`], { DOCKER_CONFIG: dir, PATH: emptyPath })
    expect(r.status).toBe(1)
    expect(r.stderr).toBe(
      [
        'warning: credential helper docker-credential-desktop could not be run (ENOENT); trying config.json auths',
        `promote-image: GET ${reg.url}/v2/app/manifests/v1 answered 401: registry ${reg.host} requires credentials and none are configured for it (docker config ${join(dir, 'config.json')}: credsStore "desktop": docker-credential-desktop not found on PATH)`,
        ''
      ].join('\n')
    )
  })

  it('credHelpers for the host, and an auth that is not base64 or has no colon', async () => {
    const cases: Array<[string, unknown, string, string]> = [
      [
        'cred-helpers',
        { credHelpers: { [reg.host]: 'ecr-login' } },
        'warning: credential helper docker-credential-ecr-login could not be run (ENOENT); trying config.json auths',
        `credHelpers "${reg.host}" "ecr-login": docker-credential-ecr-login not found on PATH`
      ],
      [
        'not-base64',
        { auths: { [reg.host]: { auth: 'someone:not-used-here' } } },
        `warning: docker config {file}: auths "${reg.host}": auth is not base64; that entry is not used`,
        `auths "${reg.host}": auth is not base64`
      ],
      [
        'no-colon',
        { auths: { [`http://${reg.host}`]: { auth: Buffer.from('someone').toString('base64') } } },
        `warning: docker config {file}: auths "http://${reg.host}": auth is not base64 of user:password (no colon); that entry is not used`,
        `auths "http://${reg.host}": auth is not base64 of user:password (no colon)`
      ]
    ]
    for (const [name, config, warning, why] of cases) {
      const file = join(await configDir(name, config), 'config.json')
      const r = cli(['inspect', `${reg.host}/app:v1`], { DOCKER_CONFIG: join(file, '..'), PATH: emptyPath })
      expect([r.status, r.stderr]).toEqual([
        1,
        [
          warning.replace('{file}', file),
          `promote-image: GET ${reg.url}/v2/app/manifests/v1 answered 401: registry ${reg.host} requires credentials and none are configured for it (docker config ${file}: ${why})`,
          ''
        ].join('\n')
      ])
    }
  })
})
