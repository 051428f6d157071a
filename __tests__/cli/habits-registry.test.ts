/**
 * The crane / skopeo habits end to end (issue 19): the CLI run from source against two htpasswd
 * registries — copy with --all, --preserve-digests and docker:// prefixes, credentials by
 * --src-creds / --dest-creds (password from its variable or --password-stdin), the read commands
 * with --creds, --authfile and REGISTRY_AUTH_FILE. Exact stdout; no password in any output.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { request } from 'undici'
import { writeHtpasswd } from '../helpers/htpasswd.js'
import {
  OCI_INDEX,
  OCI_MANIFEST,
  oddJson,
  pushImage,
  pushManifest,
  randomBlob,
  type SeededImage
} from '../helpers/images.js'
import { startRegistry, type TestRegistry } from '../helpers/registry.js'

const root = resolve(import.meta.dirname, '../..')
const b64 = (s: string): string => Buffer.from(s).toString('base64')
const SRC = { user: 'src-user', password: 'srcPass-4b1d-e2e' }
const DST = { user: 'dst-user', password: 'dstPass-93ac-e2e' }

interface Run {
  status: number | null
  stdout: string
  stderr: string
}

/** Runs the CLI from source with only PATH, HOME and `env`, `stdin` piped in. */
function cli(args: string[], env: Record<string, string> = {}, stdin = ''): Promise<Run> {
  return new Promise(done => {
    const child = spawn(process.execPath, ['--import', 'tsx', resolve(root, 'src/cli.ts'), ...args], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: tmpdir(), ...env }
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', d => (stdout += d))
    child.stderr.on('data', d => (stderr += d))
    child.on('exit', status => done({ status, stdout, stderr }))
    child.stdin.end(stdin)
  })
}

describe('habits against htpasswd registries (CLI from source)', () => {
  let dir: string
  let src: TestRegistry
  let dst: TestRegistry
  let index: { digest: string; bytes: Buffer; children: SeededImage[] }
  const srcAuth = { authorization: `Basic ${b64(`${SRC.user}:${SRC.password}`)}` }
  const dstAuth = { authorization: `Basic ${b64(`${DST.user}:${DST.password}`)}` }
  const passwords = { PROMOTE_IMAGE_SRC_PASSWORD: SRC.password, PROMOTE_IMAGE_DEST_PASSWORD: DST.password }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pi-habits-'))
    const [a, b] = await Promise.all([mkdtemp(join(dir, 'a-')), mkdtemp(join(dir, 'b-'))])
    ;[src, dst] = await Promise.all([
      startRegistry({ htpasswdFile: await writeHtpasswd(a, { [SRC.user]: SRC.password }) }),
      startRegistry({ htpasswdFile: await writeHtpasswd(b, { [DST.user]: DST.password }) })
    ])
    const platforms = [
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'arm64' }
    ]
    const children: SeededImage[] = []
    for (const platform of platforms)
      children.push(await pushImage(src.url, 'team/app', [randomBlob(4000)], { platform, headers: srcAuth }))
    const bytes = oddJson({
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: children.map((c, i) => ({
        mediaType: OCI_MANIFEST,
        digest: c.digest,
        size: c.bytes.length,
        platform: platforms[i]
      }))
    })
    const digest = await pushManifest(src.url, 'team/app', 'v1', bytes, OCI_INDEX, srcAuth)
    index = { digest, bytes, children }
  })
  afterAll(async () => {
    await Promise.all([src?.stop(), dst?.stop()])
    await rm(dir, { recursive: true, force: true })
  })

  /** The tags of a destination repository and the digest its tag `v1` names, read without our code. */
  async function atTarget(repository: string): Promise<{ tags: string[]; digest: string }> {
    const tags = await request(`${dst.url}/v2/${repository}/tags/list`, { headers: dstAuth })
    const head = await request(`${dst.url}/v2/${repository}/manifests/v1`, {
      method: 'HEAD',
      headers: { ...dstAuth, accept: OCI_INDEX }
    })
    await head.body.dump()
    return {
      tags: ((await tags.body.json()) as { tags: string[] }).tags,
      digest: String(head.headers['docker-content-digest'])
    }
  }

  /** No password, whole or in its Basic form, anywhere in the run's output. */
  function noSecret(r: Run): void {
    for (const s of [
      SRC.password,
      DST.password,
      srcAuth.authorization.slice(6),
      dstAuth.authorization.slice(6)
    ]) {
      expect(r.stdout).not.toContain(s)
      expect(r.stderr).not.toContain(s)
    }
  }

  it.each<[string, string[], Record<string, string>, string]>([
    ['--all', ['--all'], passwords, ''],
    ['--preserve-digests', ['--preserve-digests'], passwords, ''],
    ['--all --preserve-digests', ['--all', '--preserve-digests'], passwords, ''],
    ['docker:// prefixes', [], passwords, ''],
    [
      '--dest-creds password on stdin',
      ['--password-stdin'],
      { PROMOTE_IMAGE_SRC_PASSWORD: SRC.password },
      `${DST.password}\n`
    ]
  ])('copy %s: the index by digest, its digest on stdout', async (name, flags, env, stdin) => {
    const repository = `prod/${name.replace(/[^a-z]+/g, '-').replace(/^-|-$/g, '')}`
    const prefix = name === 'docker:// prefixes' ? 'docker://' : ''
    const r = await cli(
      [
        'copy',
        ...flags,
        '--src-creds',
        SRC.user,
        '--dest-creds',
        DST.user,
        `${prefix}${src.host}/team/app:v1`,
        `${prefix}${dst.host}/${repository}:v1`
      ],
      env,
      stdin
    )
    expect([r.status, r.stdout]).toEqual([0, `${index.digest}\n`])
    expect(await atTarget(repository)).toEqual({ tags: ['v1'], digest: index.digest })
    noSecret(r)
  })

  it('copy without --dest-creds: the 401 names the destination registry; exit 1', async () => {
    const r = await cli(
      ['copy', '--src-creds', SRC.user, `${src.host}/team/app:v1`, `${dst.host}/prod/none:v1`],
      passwords
    )
    expect(r.status).toBe(1)
    // the probe HEADs the index, its children (b6dfa8e) and the tag at once: whichever answers first is named
    const line = (reference: string): string =>
      `promote-image: HEAD ${dst.url}/v2/prod/none/manifests/${reference} answered 401: registry ${dst.host} requires credentials and none are configured for it (give --dest-creds USER[:PASS], --authfile FILE, or log in with docker login ${dst.host})`
    const children = index.children.map(c => c.digest)
    expect([line(index.digest), line('v1'), ...children.map(line)]).toContain(r.stderr.split('\n').at(-2))
    noSecret(r)
  })

  it('copy --src-creds SRC DST1 DST2 (the value forgotten) is refused before any request; DST2 never written', async () => {
    // newuser3 finding 2, before: SRC taken as USER:PASS, DST1 read as the source and copied to DST2
    const source = `${src.host}/team/app:v1`
    const r = await cli(
      [
        'copy',
        '--dest-creds',
        DST.user,
        '--src-creds',
        source,
        `${dst.host}/prod/swallow-one:v1`,
        `${dst.host}/prod/swallow-two:v1`
      ],
      passwords
    )
    expect([r.status, r.stdout, r.stderr]).toEqual([
      2,
      '',
      `promote-image: --src-creds takes USER[:PASS], not the image reference "${source.slice(0, source.indexOf(':'))}:…" (printed up to its first colon: a password may follow); a USER:PASS of that shape goes as --src-creds USER with the password in PROMOTE_IMAGE_SRC_PASSWORD or --password-stdin\n(promote-image --help shows the usage)\n`
    ])
    const listing = await request(`${dst.url}/v2/prod/swallow-two/tags/list`, { headers: dstAuth })
    expect([
      listing.statusCode,
      ((await listing.body.json()) as { errors: { code: string }[] }).errors[0].code
    ]).toEqual([404, 'NAME_UNKNOWN'])
  })

  it('digest, ls, manifest, config with --creds (password from PROMOTE_IMAGE_PASSWORD): exact stdout', async () => {
    const env = { PROMOTE_IMAGE_PASSWORD: SRC.password }
    const creds = ['--creds', SRC.user]
    const digest = await cli(['digest', ...creds, `${src.host}/team/app:v1`], env)
    expect([digest.status, digest.stdout]).toEqual([0, `${index.digest}\n`])
    const ls = await cli(['ls', ...creds, `docker://${src.host}/team/app`], env)
    expect([ls.status, ls.stdout]).toEqual([0, 'v1\n'])
    const manifest = await cli(['manifest', ...creds, `${src.host}/team/app@${index.digest}`], env)
    expect([manifest.status, manifest.stdout]).toEqual([0, index.bytes.toString('utf8')])
    const [amd] = index.children
    const config = await cli(['config', ...creds, `${src.host}/team/app@${amd.digest}`], env)
    expect([config.status, config.stdout]).toEqual([0, amd.blobs[0].bytes.toString('utf8')])
    for (const r of [digest, ls, manifest, config]) noSecret(r)
  })

  it('--authfile FILE and REGISTRY_AUTH_FILE (containers-auth.json) answer for the registry', async () => {
    const file = join(dir, 'auth.json')
    await writeFile(
      file,
      JSON.stringify({ auths: { [src.host]: { auth: b64(`${SRC.user}:${SRC.password}`) } } })
    )
    const byFlag = await cli(['digest', '--authfile', file, `${src.host}/team/app:v1`])
    expect([byFlag.status, byFlag.stdout]).toEqual([0, `${index.digest}\n`])
    const byVariable = await cli(['ls', `${src.host}/team/app`], { REGISTRY_AUTH_FILE: file })
    expect([byVariable.status, byVariable.stdout]).toEqual([0, 'v1\n'])
    const missing = await cli(['digest', '--authfile', join(dir, 'absent.json'), `${src.host}/team/app:v1`])
    expect([missing.status, missing.stderr]).toEqual([
      2,
      `promote-image: --authfile "${join(dir, 'absent.json')}": no such file\n(promote-image --help shows the usage)\n`
    ])
  })

  it('plan -f --shards N --authfile sizes private sources with the credentials promote -f --shard K/N uses', async () => {
    // before: "--authfile is not an option of plan", so plan (no credentials) and promote -f --authfile
    // --shard K/N (credentials) sized the sources differently and could compute different shards
    const big = await pushImage(src.url, 'team/big', [randomBlob(20000)], { tag: 'v1', headers: srcAuth })
    const auth = join(dir, 'plan-auth.json')
    await writeFile(
      auth,
      JSON.stringify({ auths: { [src.host]: { auth: b64(`${SRC.user}:${SRC.password}`) } } })
    )
    const file = join(dir, 'promotion.yaml')
    await writeFile(
      file,
      [
        'defaults:',
        `  targets: [${dst.host}/prod]`,
        'images:',
        '  - name: app',
        `    source: ${src.host}/team/app:v1`,
        '  - name: big',
        `    source: ${src.host}/team/big@${big.digest}`,
        ''
      ].join('\n')
    )
    const withAuth = await cli(['plan', '-f', file, '--shards', '2', '--authfile', auth])
    expect(withAuth).toEqual({
      status: 0,
      stdout:
        '{"include":[{"shard":"1/2@dd518f4d9710","images":["big"]},{"shard":"2/2@dd518f4d9710","images":["app"]}]}\n',
      stderr: ''
    })
    const without = await cli(['plan', '-f', file, '--shards', '2'])
    expect(without.status).toBe(0)
    // both sources are warned of (in the order their reads end)
    expect(without.stderr.split('\n')).toContain(
      `warning: app: not sized for the shards (counted as 0 bytes): HEAD ${src.url}/v2/team/app/manifests/v1 answered 401: registry ${src.host} requires credentials and none are configured for it (give --authfile FILE, or log in with docker login ${src.host})`
    )
  })

  it('verify --authfile reads a private REF (before: "--authfile is not an option of verify")', async () => {
    const auth = join(dir, 'verify-auth.json')
    await writeFile(
      auth,
      JSON.stringify({ auths: { [src.host]: { auth: b64(`${SRC.user}:${SRC.password}`) } } })
    )
    const ref = `${src.host}/team/app:v1`
    // --records: the records alone, nothing required (verify without a check is a usage error)
    expect(await cli(['verify', '--records', '--authfile', auth, ref])).toEqual({
      status: 0,
      stdout: `${ref} is ${index.digest}\npromotion records: none\n`,
      stderr: ''
    })
    expect(await cli(['verify', '--records', ref])).toEqual({
      status: 1,
      stdout: '',
      stderr: `promote-image: GET ${src.url}/v2/team/app/manifests/v1 answered 401: registry ${src.host} requires credentials and none are configured for it (give --creds USER[:PASS], --authfile FILE, or log in with docker login ${src.host})\n`
    })
  })

  it('in a GitHub Actions step a password given on argv is registered with ::add-mask:: first, and never echoed', async () => {
    const r = await cli(['digest', '--creds', `${SRC.user}:${SRC.password}`, `${src.host}/team/app:v1`], {
      GITHUB_ACTIONS: 'true'
    })
    expect([r.status, r.stdout]).toEqual([0, `${index.digest}\n`])
    expect(r.stderr).toBe(`::add-mask::${SRC.password}\n::add-mask::${b64(`${SRC.user}:${SRC.password}`)}\n`)
  })
})
