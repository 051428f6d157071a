import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawn, spawnSync } from 'node:child_process'
import { createServer, type Server } from 'node:http'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { startRegistry, type TestRegistry } from './helpers/registry.js'
import { listTags, pushIndex, randomBlob, rawManifest, type SeededIndex } from './helpers/images.js'

const root = resolve(import.meta.dirname, '..')
const cli = (...args: string[]) =>
  spawnSync(process.execPath, [resolve(root, 'dist/cli.cjs'), ...args], { encoding: 'utf8' })
/** `cli` with a cache of its own: no blob record of the runs before (copy/blob-memory.ts). */
const cliFresh = (...args: string[]) =>
  spawnSync(process.execPath, [resolve(root, 'dist/cli.cjs'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, XDG_CACHE_HOME: mkdtempSync(join(tmpdir(), 'cli-fresh-')) }
  })

describe('promote-image CLI (dist/cli.cjs)', () => {
  let src: TestRegistry
  let dst: TestRegistry
  let index: SeededIndex
  let listener: Server
  let listenerHost = ''
  let requests = 0

  beforeAll(async () => {
    ;[src, dst] = await Promise.all([startRegistry(), startRegistry()])
    index = await pushIndex(src.url, 'app', 'v2', {
      platforms: [
        { os: 'linux', architecture: 'amd64' },
        { os: 'linux', architecture: 'arm64' }
      ],
      shared: [randomBlob(10_000)],
      uniqueSize: 5_000
    })
    listener = createServer((req, res) => {
      requests++
      res.statusCode = 500
      res.end()
    })
    await new Promise<void>(r => listener.listen(0, '127.0.0.1', r))
    const addr = listener.address()
    listenerHost = `127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`
  })
  afterAll(async () => {
    await Promise.all([src.stop(), dst.stop(), new Promise(r => listener.close(r))])
  })

  it('rejects a bad reference with exit 2, naming the rule, and sends no request', () => {
    const r = cli('copy', 'Bad:Ref', `${listenerHost}/x:1`)
    expect(r.status).toBe(2)
    expect(r.stderr.split('\n')[0]).toBe(
      'promote-image: SRC: invalid reference "Bad:Ref": repository "Bad": repository names must be lowercase; use "docker.io/library/bad:Ref"'
    )
    // registry rules apply before any request too: Docker Hub's library namespace and short names
    const r3 = cli('copy', `${listenerHost}/ok:1`, 'ubuntu:1')
    expect(r3.status).toBe(2)
    expect(r3.stderr.split('\n')[0]).toBe(
      'promote-image: DST 1: invalid reference "ubuntu:1": namespace "library": Docker Hub\'s "library" namespace holds Docker\'s official images and cannot be pushed to; name your own namespace (NAMESPACE/REPOSITORY)'
    )
    const r4 = cli('copy', `${listenerHost}/ok:1`, 'docker.io/ab/x:v1')
    expect(r4.status).toBe(2)
    expect(r4.stderr.split('\n')[0]).toBe(
      'promote-image: DST 1: invalid reference "docker.io/ab/x:v1": namespace "ab": a Docker Hub namespace (Docker ID) is 4 to 30 lowercase letters and digits'
    )
    const r2 = cli('copy', `${listenerHost}/ok:1`, `${listenerHost}/x:-bad`)
    expect(r2.status).toBe(2)
    expect(r2.stderr.split('\n')[0]).toMatch(/^promote-image: DST 1: invalid reference ".*\/x:-bad": /)
    expect(requests).toBe(0)
  })

  it("holds undici's llhttp TYPE and ERROR tables as a literal, not llhttp's constants module", () => {
    // scripts/bundle.mjs llhttpTables: client-h1.js reads only these two tables
    const program = readFileSync(resolve(root, 'dist/cli/program.cjs'), 'utf8')
    const real = createRequire(import.meta.url)('undici/lib/llhttp/constants.js') as Record<string, unknown>
    const literal = /var constants\d* = (\{ "TYPE".*\});\n/.exec(program)?.[1]
    expect({
      module: program.includes('// node_modules/undici/lib/llhttp/constants.js'),
      tables: literal && (JSON.parse(literal) as unknown)
    }).toEqual({ module: false, tables: { TYPE: real.TYPE, ERROR: real.ERROR } })
  })

  it('is entered as CommonJS: node loads no ES-module loader for the bin, nor node:module before Node 22', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-entry-'))
    const hook = join(dir, 'esm.cjs')
    // node loads its ES-module translators for an ES-module entry (dist/cli.js before: ~15 ms of CPU)
    writeFileSync(
      hook,
      "process.on('exit', () => process.stderr.write(`esm translators: ${process.moduleLoadList.includes('NativeModule internal/modules/esm/translators')}, node:module: ${process.moduleLoadList.includes('NativeModule module')}\\n`))\n"
    )
    try {
      const r = spawnSync(process.execPath, ['--require', hook, resolve(root, 'dist/cli.cjs'), '--version'], {
        encoding: 'utf8'
      })
      const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as {
        bin: Record<string, string>
      }
      // node:module (and the ES-module loader's modules it loads) only where Node has a compile cache
      const nodeModule = Number(process.versions.node.split('.')[0]) >= 22
      expect({ status: r.status, stderr: r.stderr, bin: pkg.bin }).toEqual({
        status: 0,
        stderr: `esm translators: false, node:module: ${nodeModule}\n`,
        bin: { 'promote-image': 'dist/cli.cjs' }
      })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('keeps a code cache per command, written only by a run that succeeded', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-cache-'))
    const run = (...args: string[]) =>
      spawnSync(process.execPath, [resolve(root, 'dist/cli.cjs'), ...args], {
        encoding: 'utf8',
        env: { ...process.env, PROMOTE_IMAGE_COMPILE_CACHE: dir }
      })
    const caches = () => readdirSync(dir).map(f => f.replace(/^program-.*-([a-z-]+)\.bin$/, '$1'))
    try {
      // a usage error (exit 2) and a failure (exit 1) stop early: no cache of theirs is kept
      expect(run('copy', 'Bad:Ref', `${listenerHost}/x:1`).status).toBe(2)
      expect(run('inspect', '127.0.0.1:1/x:1').status).toBe(1)
      expect(caches()).toEqual([])
      expect(run('--version').stdout).toBe(
        `${JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')).version}\n`
      )
      expect(run('copy', '--help').status).toBe(0)
      expect(caches()).toEqual(['none'])
      const inspected = run('inspect', '--json', `${src.host}/app:v2`)
      expect(inspected.status).toBe(0)
      expect(caches().sort()).toEqual(['inspect', 'none'])
      // the next run takes the cache and answers the same
      expect(run('inspect', '--json', `${src.host}/app:v2`).stdout).toBe(inspected.stdout)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('exits 2 on usage errors', () => {
    expect(cli().status).toBe(2)
    expect(cli('copy', `${src.host}/app:v2`).status).toBe(2)
    const r = cli('copy', '--tag-policy', 'sometimes', `${src.host}/app:v2`, `${dst.host}/x:1`)
    expect(r.status).toBe(2)
    expect(r.stderr.split('\n')[0]).toBe(
      'promote-image: --tag-policy "sometimes": must be immutable or overwrite'
    )
    expect(cli('frobnicate').stderr.split('\n')[0]).toBe('promote-image: unknown command "frobnicate"')
    const ca = cli('copy', '--ca-file', '/nonexistent/ca.pem', `${src.host}/app:v2`, `${dst.host}/x:1`)
    expect([ca.status, ca.stderr.split('\n')[0]]).toEqual([
      2,
      'promote-image: --ca-file "/nonexistent/ca.pem": no such file'
    ])
    const mt = cli('copy', '--moving-tag', 'Bad!', `${src.host}/app:v2`, `${dst.host}/x:1`)
    expect(mt.status).toBe(2)
    expect(mt.stderr.split('\n')[0]).toMatch(/^promote-image: --moving-tag "Bad!": not a valid tag/)
    const opt = cli('inspect', '--bogus', `${src.host}/app:v2`)
    expect(opt.status).toBe(2)
    expect(opt.stderr.split('\n')).toHaveLength(3) // the message, the pointer to --help, and the final newline
    expect(cli('--version').stdout).toBe(
      `${JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')).version}\n`
    )
    const lib = cli('tags', '--image', 'ubuntu')
    expect(lib.status).toBe(2)
    expect(lib.stderr.split('\n')[0]).toMatch(
      /^promote-image: invalid reference "ubuntu": namespace "library": /
    )
  })

  it('copies an index by digest to two destinations, tags each, and prints the digest', async () => {
    const r = cli(
      'copy',
      `${src.host}/app:v2`,
      `${dst.host}/prod/app:v2`,
      `${dst.host}/prod/app:stable`,
      `${dst.host}/other/app`
    )
    expect(r.stderr).not.toContain('warning')
    expect(r.status).toBe(0)
    expect(r.stdout).toBe(`${index.digest}\n`)
    expect(await listTags(dst.url, 'prod/app')).toEqual(['stable', 'v2'])
    expect(await listTags(dst.url, 'other/app')).toEqual(['v2'])
    expect((await rawManifest(dst.url, 'other/app', 'v2'))?.digest).toBe(index.digest)
  })

  it('a warm copy loads no node:fs/promises (the blob record is read and written synchronously)', () => {
    const cache = mkdtempSync(join(tmpdir(), 'cli-warm-'))
    const hook = join(cache, 'fs-promises.cjs')
    writeFileSync(
      hook,
      "process.on('exit', () => process.stderr.write(`fs/promises: ${process.moduleLoadList.includes('NativeModule internal/fs/promises')}\\n`))\n"
    )
    const copy = (tag: string) =>
      spawnSync(
        process.execPath,
        [
          '--require',
          hook,
          resolve(root, 'dist/cli.cjs'),
          'copy',
          `${src.host}/app:v2`,
          `${dst.host}/warm/app:${tag}`
        ],
        { encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: cache } }
      )
    try {
      const cold = copy('a')
      const warm = copy('b')
      const record = JSON.parse(readFileSync(join(cache, 'promote-image/blobs/locations.json'), 'utf8')) as {
        seen: [string, string, string][]
      }
      const digests = (repo: string) =>
        record.seen
          .filter(e => e[1] === repo)
          .map(e => e[2])
          .sort()
      expect({
        cold: [cold.status, cold.stderr.match(/^fs\/promises: .*$/m)?.[0]],
        warm: [warm.status, warm.stdout, warm.stderr.match(/^fs\/promises: .*$/m)?.[0]],
        repositories: [...new Set(record.seen.map(e => `${e[0]} ${e[1]}`))].sort(),
        same: digests('warm/app').join() === digests('app').join() && digests('app').length > 0
      }).toEqual({
        cold: [0, 'fs/promises: false'],
        warm: [0, `${index.digest}\n`, 'fs/promises: false'],
        repositories: [`${src.host} app`, `${dst.host} warm/app`].sort(),
        same: true
      })
    } finally {
      rmSync(cache, { recursive: true, force: true })
    }
  })

  it('prints tags from the local git context, and from GITHUB_* variables', async () => {
    const { mkdtemp, rm } = await import('node:fs/promises')
    const { tmpdir } = await import('node:os')
    const { execFileSync } = await import('node:child_process')
    const repo = await mkdtemp(`${tmpdir()}/pi-git-`)
    const git = (...a: string[]) =>
      execFileSync('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@t', ...a], {
        encoding: 'utf8'
      })
    git('init', '-q', '-b', 'main')
    git('commit', '-q', '--allow-empty', '-m', 'one')
    git('tag', 'v2.3.4')
    git('checkout', '-q', '--detach', 'v2.3.4')
    const sha = git('rev-parse', 'HEAD').trim()
    const env = { ...process.env }
    delete env.GITHUB_ACTIONS
    const run = (extraEnv: Record<string, string>, ...args: string[]) =>
      spawnSync(process.execPath, [resolve(root, 'dist/cli.cjs'), 'tags', ...args], {
        cwd: repo,
        encoding: 'utf8',
        env: { ...env, ...extraEnv }
      })
    const local = run(
      {},
      '--image',
      'ghcr.io/org/app',
      '--tags',
      'type=semver,pattern={{version}}',
      '--tags',
      'type=sha'
    )
    expect(local.stderr).toBe('')
    expect(local.stdout).toBe(
      `ghcr.io/org/app:2.3.4\nghcr.io/org/app:sha-${sha.slice(0, 7)}\nghcr.io/org/app:latest\n`
    )
    const ci = run(
      {
        GITHUB_ACTIONS: 'true',
        GITHUB_EVENT_NAME: 'push',
        GITHUB_REF: 'refs/heads/feature/x',
        GITHUB_SHA: 'a'.repeat(40),
        GITHUB_EVENT_PATH: ''
      },
      '--tags',
      'type=ref,event=branch'
    )
    expect(ci.stdout).toBe('feature-x\n')
    const bad = run({}, '--image', 'ghcr.io/Org/app', '--tags', 'type=sha')
    expect(bad.status).toBe(2)
    expect(bad.stderr.split('\n')[0]).toBe(
      'promote-image: invalid tags input "ghcr.io/Org/app": image "ghcr.io/Org/app": image names must be lowercase; use "ghcr.io/org/app"'
    )
    await rm(repo, { recursive: true, force: true })
  })

  it('inspects a reference', () => {
    const r = cli('inspect', '--json', `${src.host}/app:v2`)
    expect(r.status).toBe(0)
    const info = JSON.parse(r.stdout)
    expect(info).toEqual({
      reference: `${src.host}/app:v2`,
      digest: index.digest,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      platforms: ['linux/amd64', 'linux/arm64'],
      attestations: 0,
      manifestBytes: index.bytes.length + index.children.reduce((n, c) => n + c.bytes.length, 0),
      // each distinct blob once (a layer both platforms share counts once)
      blobBytes: [
        ...new Map(index.children.flatMap(c => c.blobs.map(b => [b.digest, b.size] as const))).values()
      ].reduce((n, size) => n + size, 0)
    })
  })

  it('gives up on a registry that accepts connections but never answers, after --timeout', async () => {
    const { createServer: createTcpServer } = await import('node:net')
    const held: import('node:net').Socket[] = []
    const silent = createTcpServer(socket => void held.push(socket))
    await new Promise<void>(r => silent.listen(0, '127.0.0.1', r))
    const port = (silent.address() as import('node:net').AddressInfo).port
    const started = Date.now()
    const r = await new Promise<{ status: number | null; stderr: string }>(done => {
      const child = spawn(process.execPath, [
        resolve(root, 'dist/cli.cjs'),
        'copy',
        '--timeout',
        '1',
        `127.0.0.1:${port}/a:1`,
        `${dst.host}/t:1`
      ])
      let stderr = ''
      child.stderr.on('data', d => (stderr += d))
      child.on('exit', status => done({ status, stderr }))
    })
    const seconds = (Date.now() - started) / 1000
    held.forEach(s => s.destroy())
    await new Promise(res => silent.close(res))
    expect(r.status).toBe(1)
    expect(r.stderr.trim()).toBe(
      `promote-image: registry 127.0.0.1:${port}: connected, but got no answer within 1 s (UND_ERR_HEADERS_TIMEOUT)`
    )
    expect(seconds).toBeLessThan(10)
  })

  it('exits 1 when the source does not exist', () => {
    const r = cli('copy', `${src.host}/nothing:here`, `${dst.host}/x:1`)
    expect(r.status).toBe(1)
    expect(r.stderr.trim()).toBe(`promote-image: ${src.host}/nothing:here does not exist`)
  })

  it('dry run prints a JSON plan and writes nothing', async () => {
    // a fresh cache: the copies above left a record of dst's repositories holding these blobs
    const r = cliFresh('promote', '--dry-run', `${src.host}/app:v2`, `${dst.host}/dry/app:v2`)
    expect(r.status).toBe(0)
    const plan = JSON.parse(r.stdout)
    expect(plan.dryRun).toBe(true)
    expect(plan.source.digest).toBe(index.digest)
    expect(plan.targets[0].target).toBe(`${dst.host}/dry/app`)
    expect(plan.targets[0].tags).toEqual([{ tag: 'v2', action: 'create' }])
    // the source is on another registry and no run is remembered: every blob is to be copied
    expect(plan.targets[0].blobs.skip).toEqual([])
    expect(plan.targets[0].blobs.mount).toEqual([])
    expect(plan.targets[0].blobs.copy.map((b: { digest: string }) => b.digest).sort()).toEqual(
      index.blobs.map(b => b.digest).sort()
    )
    expect(plan.targets[0].bytesToCopy).toBe(index.blobs.reduce((n, b) => n + b.size, 0))
    expect(plan.targets[0].manifests.push).toEqual([...index.children.map(c => c.digest), index.digest])
    expect(await listTags(dst.url, 'dry/app')).toEqual([])
  })
})
