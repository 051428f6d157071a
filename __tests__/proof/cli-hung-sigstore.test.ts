/**
 * A Fulcio, Rekor, timestamp authority or OIDC token endpoint that accepts the connection and
 * never answers (newuser5 finding A): a keyless copy is bounded by the request timeout (`--timeout`) at each Sigstore
 * service, and SIGINT / SIGTERM end the wait for Fulcio at once. Before: no timeout was set on
 * those requests (the run hung with no bound), and a signal during the certificate printed
 * `SIGINT: stopping` and waited for a second one. The hanging service is a stand-in of ours
 * (helpers/hung.ts, a loopback server that reads the request and writes nothing); the token
 * endpoint and the working services are helpers/sigstore.ts's stand-ins; the registries are real
 * (distribution on loopback). A signal while Rekor or the timestamp authority is asked, after the
 * tags, exits 130 / 143 as any interrupted run (it exited 1), saying the image is promoted and
 * tagged and that a re-run adds the record (`copy` and `promote -f`).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { tmpdir } from 'node:os'
import { startHung, type Hung } from '../helpers/hung.js'
import { listTags, pushImage, randomBlob } from '../helpers/images.js'
import { startRegistry, type TestRegistry } from '../helpers/registry.js'
import { startSigstore, type MockSigstore } from '../helpers/sigstore.js'

const root = resolve(import.meta.dirname, '../..')

interface Exit {
  code: number | null
  stdout: string
  stderr: string
}

let src: TestRegistry
let dst: TestRegistry
let sig: MockSigstore
let tokenEnv: Record<string, string>
let digest: string
const hung: Hung[] = []

beforeAll(async () => {
  ;[src, dst, sig] = await Promise.all([startRegistry(), startRegistry(), startSigstore()])
  const { token: _, ...env } = await sig.actionsTokenEnv({ sub: 'repo:o/r:ref:refs/heads/main' })
  tokenEnv = env
  digest = (await pushImage(src.url, 'app', [randomBlob(1024)], { tag: 'v1' })).digest
}, 60_000)
afterAll(async () => {
  await Promise.all([src?.stop(), dst?.stop(), sig?.stop(), ...hung.map(h => h.stop())])
})

/** A hanging service of its own for one test. */
async function hangs(): Promise<Hung> {
  const h = await startHung()
  hung.push(h)
  return h
}

/** `copy --sign-keyless` of src/app:v1 to dst/REPO:v1 with `flags`, from source; `signal` sent once `when` resolves. */
async function copy(
  repo: string,
  flags: string[],
  interrupt?: { signal: NodeJS.Signals; when: Promise<unknown> },
  env: Record<string, string> = {}
): Promise<Exit> {
  return await cli(
    ['copy', '--sign-keyless', ...flags, `${src.host}/app:v1`, `${dst.host}/${repo}:v1`],
    interrupt,
    env
  )
}

/** The CLI from source with `args`; `signal` sent once `when` resolves. */
async function cli(
  args: string[],
  interrupt?: { signal: NodeJS.Signals; when: Promise<unknown> },
  env: Record<string, string> = {}
): Promise<Exit> {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(root, 'src/cli.ts'), ...args], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: tmpdir(),
      ...(process.env.XDG_CACHE_HOME ? { XDG_CACHE_HOME: process.env.XDG_CACHE_HOME } : {}),
      ...tokenEnv,
      ...env
    },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  void interrupt?.when.then(() => child.kill(interrupt.signal))
  return await new Promise<Exit>(done => child.once('exit', code => done({ code, stdout, stderr })))
}

describe('Fulcio accepts the connection and never answers', () => {
  it('--timeout 1: exit 1 after the bound, "no answer within 1 s", nothing written', async () => {
    const fulcio = await hangs()
    const r = await copy('t/f1', [
      '--timeout',
      '1',
      '--fulcio-url',
      `http://${fulcio.host}`,
      '--rekor-url',
      sig.url
    ])
    expect(await fulcio.requested()).toBe('POST /api/v2/signingCert HTTP/1.1')
    expect([r.code, r.stdout]).toEqual([1, ''])
    expect(r.stderr.trimEnd().split('\n').slice(-1)).toEqual([
      `promote-image: promotion record: Fulcio http://${fulcio.host} could not issue a signing certificate (no answer within 1 s); nothing was written at any target`
    ])
    expect(await listTags(dst.url, 't/f1')).toEqual([])
  }, 60_000)

  for (const [name, status] of [
    ['SIGINT', 130],
    ['SIGTERM', 143]
  ] as const)
    it(`${name} while Fulcio is asked: exit ${status} at once, "interrupted by ${name} before anything was written"`, async () => {
      const fulcio = await hangs()
      // the bound (60 s) is past the test's own timeout: only the signal can end the run in time
      const r = await copy(
        't/f2',
        ['--timeout', '60', '--fulcio-url', `http://${fulcio.host}`, '--rekor-url', sig.url],
        { signal: name, when: fulcio.requested() }
      )
      expect([r.code, r.stdout]).toEqual([status, ''])
      expect(r.stderr.trimEnd().split('\n')).toEqual([
        `${src.host}/app:v1 is ${digest}`,
        `promote-image: ${name}: stopping; cancelling open uploads`,
        `promote-image: interrupted by ${name} before anything was written`
      ])
      expect(await listTags(dst.url, 't/f2')).toEqual([])
    }, 30_000)
})

describe('Rekor accepts the connection and never answers (after the tags)', () => {
  it('--timeout 1: the tag written, no record, "no answer within 1 s", run again to add the record', async () => {
    const rekor = await hangs()
    const r = await copy('t/r1', [
      '--timeout',
      '1',
      '--fulcio-url',
      sig.url,
      '--rekor-url',
      `http://${rekor.host}`
    ])
    expect(await rekor.requested()).toBe('POST /api/v1/log/entries HTTP/1.1')
    expect([r.code, r.stdout]).toEqual([1, ''])
    expect(r.stderr.trimEnd().split('\n').slice(-1)).toEqual([
      `promote-image: ${dst.host}/t/r1: promotion record: Rekor http://${rekor.host} could not log the signature (no answer within 1 s); the image is promoted and tagged at every target: run the promotion again to add the record`
    ])
    expect(await listTags(dst.url, 't/r1')).toEqual(['v1'])
  }, 60_000)

  // the tag step had ended: the signal ends the wait for Rekor and the record phase says what
  // stands; the run was interrupted, so its exit status is the signal's (it was 1: the record's
  // failure), as every other interrupted run's
  for (const [name, status] of [
    ['SIGINT', 130],
    ['SIGTERM', 143]
  ] as const)
    it(`${name} while Rekor is asked: exit ${status} at once, the tag written, no record, run again to add the record`, async () => {
      const rekor = await hangs()
      const repo = `t/r2-${name.toLowerCase()}`
      const r = await copy(
        repo,
        ['--timeout', '60', '--fulcio-url', sig.url, '--rekor-url', `http://${rekor.host}`],
        { signal: name, when: rekor.requested() }
      )
      expect([r.code, r.stdout]).toEqual([status, ''])
      expect(r.stderr.split('\n').filter(l => l.startsWith('promote-image:'))).toEqual([
        `promote-image: ${name}: stopping; cancelling open uploads`,
        `promote-image: ${dst.host}/${repo}: promotion record: interrupted by ${name}; the image is promoted and tagged at every target: run the promotion again to add the record`
      ])
      expect(await listTags(dst.url, repo)).toEqual(['v1'])
    }, 30_000)
})

it('a timestamp authority that never answers, --timeout 1: the tag written, no record, "no answer within 1 s"', async () => {
  const tsa = await hangs()
  const r = await copy('t/s1', [
    '--timeout',
    '1',
    '--fulcio-url',
    sig.url,
    '--rekor-url',
    sig.url,
    '--timestamp-server-url',
    `http://${tsa.host}`
  ])
  expect(await tsa.requested()).toBe('POST /api/v1/timestamp HTTP/1.1')
  expect([r.code, r.stdout]).toEqual([1, ''])
  expect(r.stderr.trimEnd().split('\n').slice(-1)).toEqual([
    `promote-image: ${dst.host}/t/s1: promotion record: the timestamp authority http://${tsa.host} could not timestamp the signature (no answer within 1 s); the image is promoted and tagged at every target: run the promotion again to add the record`
  ])
  expect(await listTags(dst.url, 't/s1')).toEqual(['v1'])
}, 60_000)

for (const [name, status] of [
  ['SIGINT', 130],
  ['SIGTERM', 143]
] as const)
  it(`${name} while the timestamp authority is asked: exit ${status}, the tag written, no record, run again to add the record`, async () => {
    const tsa = await hangs()
    const repo = `t/s2-${name.toLowerCase()}`
    const r = await copy(
      repo,
      [
        '--timeout',
        '60',
        '--fulcio-url',
        sig.url,
        '--rekor-url',
        sig.url,
        '--timestamp-server-url',
        `http://${tsa.host}`
      ],
      { signal: name, when: tsa.requested() }
    )
    expect([r.code, r.stdout]).toEqual([status, ''])
    expect(r.stderr.split('\n').filter(l => l.startsWith('promote-image:'))).toEqual([
      `promote-image: ${name}: stopping; cancelling open uploads`,
      `promote-image: ${dst.host}/${repo}: promotion record: interrupted by ${name}; the image is promoted and tagged at every target: run the promotion again to add the record`
    ])
    expect(await listTags(dst.url, repo)).toEqual(['v1'])
  }, 30_000)

it('promote -f, SIGTERM while Rekor is asked: exit 143 (was 1), the image tagged, "1 of 1 images interrupted" and why', async () => {
  const rekor = await hangs()
  const dir = await mkdtemp(join(tmpdir(), 'pi-hung-rekor-'))
  try {
    const file = join(dir, 'file.yaml')
    await writeFile(
      file,
      [
        'images:',
        '  - name: app',
        `    source: ${src.host}/app:v1`,
        `    targets: [${dst.host}/t/f-file]`,
        '    tags: [v1]',
        ''
      ].join('\n')
    )
    const r = await cli(
      [
        'promote',
        '-f',
        file,
        '--sign-keyless',
        '--timeout',
        '60',
        '--fulcio-url',
        sig.url,
        '--rekor-url',
        `http://${rekor.host}`
      ],
      { signal: 'SIGTERM', when: rekor.requested() }
    )
    expect([r.code, r.stdout]).toEqual([143, ''])
    expect(r.stderr.trimEnd().split('\n').slice(-2)).toEqual([
      'promote-image: 1 of 1 images interrupted:',
      `  app: ${dst.host}/t/f-file: promotion record: interrupted by SIGTERM; the image is promoted and tagged at every target: run the promotion again to add the record`
    ])
    expect(await listTags(dst.url, 't/f-file')).toEqual(['v1'])
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}, 30_000)

it('an OIDC token endpoint that never answers, --timeout 1: exit 1 after the bound, nothing written', async () => {
  const tokens = await hangs()
  const r = await copy(
    't/o1',
    ['--timeout', '1', '--fulcio-url', sig.url, '--rekor-url', sig.url],
    undefined,
    {
      ACTIONS_ID_TOKEN_REQUEST_URL: `http://${tokens.host}/actions/id-token`
    }
  )
  expect(await tokens.requested()).toBe('GET /actions/id-token?audience=sigstore HTTP/1.1')
  expect([r.code, r.stdout]).toEqual([1, ''])
  expect(r.stderr.trimEnd().split('\n').slice(-1)).toEqual([
    'promote-image: promotion record: keyless signing could not get an OIDC token (no answer within 1 s); nothing was written at any target'
  ])
  expect(await listTags(dst.url, 't/o1')).toEqual([])
}, 60_000)

describe('keyless verify while the TUF repository never answers (newuser5 follow-up: the first ^C)', () => {
  // the public-good trust root is fetched through TUF (@sigstore/tuf, its own HTTP client, which
  // takes no signal) when no --trusted-root is given; HTTPS_PROXY points that client at a loopback
  // server that never answers (helpers/hung.ts), so no request leaves the machine. Its CONNECT has
  // no bound: before, the first signal printed "stopping" and the run waited on (still running
  // after 90 s, past this test's timeout; only a second signal ended it)
  for (const [name, status] of [
    ['SIGINT', 130],
    ['SIGTERM', 143]
  ] as const)
    it(`the first ${name} during the TUF fetch stops verify at once: exit ${status}, nothing printed but the stop`, async () => {
      const made = await copy(`t/tuf-${name.toLowerCase()}`, [
        '--fulcio-url',
        sig.url,
        '--rekor-url',
        sig.url
      ])
      expect(made.code).toBe(0)
      const tuf = await hangs()
      const home = await mkdtemp(join(tmpdir(), 'pi-hung-tuf-'))
      try {
        const r = await cli(
          [
            'verify',
            '--records',
            '--certificate-identity',
            'https://github.com/o/r/.github/workflows/release.yml@refs/heads/main',
            '--certificate-oidc-issuer',
            'https://token.actions.githubusercontent.com',
            `${dst.host}/t/tuf-${name.toLowerCase()}:v1`
          ],
          { signal: name, when: tuf.requested() },
          {
            HOME: home,
            XDG_DATA_HOME: join(home, 'data'),
            HTTPS_PROXY: `http://${tuf.host}`,
            https_proxy: `http://${tuf.host}`
          }
        )
        expect(await tuf.requested()).toBe('CONNECT tuf-repo-cdn.sigstore.dev:443 HTTP/1.1')
        expect([r.code, r.stdout]).toEqual([status, ''])
        expect(r.stderr.trimEnd().split('\n')).toEqual([
          `promote-image: ${name}: stopping`,
          `promote-image: interrupted by ${name} before anything was written`
        ])
      } finally {
        await rm(home, { recursive: true, force: true })
      }
    }, 60_000)
})
