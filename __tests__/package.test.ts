/**
 * The npm package as a user gets it: `npm pack` of the repository (dist/ bundled afresh into a staged
 * copy, as the release workflow publishes a dist/ that check-dist has proved current), served by a
 * local registry of ours on loopback, installed with npm into an empty folder. What is bundled is a
 * devDependency, so the install is the package alone (no dependency fetched, no EBADENGINE warning on
 * the node running the test: CI runs it on Node 20 and 24), and `promote-image --version` and
 * `promote-image inspect` work from the installed bin, and through `npx` from the registry.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync, spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import { createServer, type Server } from 'node:http'
import { builtinModules } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { startRegistry, type TestRegistry } from './helpers/registry.js'
import { pushImage, randomBlob, type SeededImage } from './helpers/images.js'

const root = resolve(import.meta.dirname, '..')
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  name: string
  version: string
  engines: { node: string }
  dependencies?: Record<string, string>
  files: string[]
}

interface NpmRegistry {
  url: string
  /** request paths in order */
  requests: string[]
  close(): Promise<void>
}

/** A one-package npm registry on 127.0.0.1: the packument of `promote-image` and its tarball. */
async function serveTarball(tarball: Buffer): Promise<NpmRegistry> {
  const requests: string[] = []
  const file = `${pkg.name}-${pkg.version}.tgz`
  let url = ''
  const server: Server = createServer((req, res) => {
    requests.push(req.url ?? '')
    if (req.url === `/${pkg.name}`) {
      const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
      const body = {
        name: pkg.name,
        'dist-tags': { latest: pkg.version },
        versions: {
          [pkg.version]: {
            ...manifest,
            _id: `${pkg.name}@${pkg.version}`,
            dist: {
              tarball: `${url}/${pkg.name}/-/${file}`,
              shasum: createHash('sha1').update(tarball).digest('hex'),
              integrity: `sha512-${createHash('sha512').update(tarball).digest('base64')}`
            }
          }
        }
      }
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify(body))
    } else if (req.url === `/${pkg.name}/-/${file}`) {
      res.setHeader('content-type', 'application/octet-stream')
      res.end(tarball)
    } else {
      res.statusCode = 404
      res.end('{"error":"not found"}')
    }
  })
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r))
  const address = server.address()
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
  return { url, requests, close: () => new Promise(r => server.close(() => r())) }
}

interface Ran {
  status: number | null
  stdout: string
  stderr: string
}

/**
 * Runs a command without blocking this process (the npm registry above answers from it), killed
 * after 120 s.
 */
function run(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv }
): Promise<Ran> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', d => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', d => (stderr += d))
    child.on('error', fail)
    child.on('close', status => done({ status, stdout, stderr }))
  })
}

/** npm's environment: our registry, a fresh cache, no user config, no audit/fund/update requests. */
function npmEnv(registry: string, work: string): NodeJS.ProcessEnv {
  writeFileSync(join(work, 'npmrc'), '')
  return {
    PATH: process.env.PATH,
    HOME: work,
    npm_config_registry: `${registry}/`,
    npm_config_cache: join(work, 'npm-cache'),
    npm_config_userconfig: join(work, 'npmrc'),
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    npm_config_loglevel: 'warn'
  }
}

/** The files `file` imports statically (transitively): what Node loads before any of its code runs. */
function staticImports(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen
  seen.add(file)
  const text = readFileSync(file, 'utf8')
  for (const m of text.matchAll(/^(?:import|export)\s[^;]*?from\s*"(\.[^"]+)"|^import\s*"(\.[^"]+)"/gms))
    staticImports(join(dirname(file), (m[1] ?? m[2])!), seen)
  return seen
}

describe(`npm package ${pkg.name}@${pkg.version}`, () => {
  let work = ''
  let tarball = Buffer.alloc(0)
  let npm: NpmRegistry
  let images: TestRegistry
  let image: SeededImage
  let env: NodeJS.ProcessEnv
  let install: Ran
  const app = () => join(work, 'app')

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'promote-image-package-'))
    const stage = join(work, 'stage')
    mkdirSync(stage)
    for (const f of ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'action.yml'])
      copyFileSync(join(root, f), join(stage, f))
    execFileSync(process.execPath, [join(root, 'scripts/bundle.mjs'), join(stage, 'dist')], {
      cwd: root,
      stdio: 'pipe'
    })
    const [packed] = JSON.parse(
      execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: stage, encoding: 'utf8' })
    ) as { filename: string }[]
    tarball = readFileSync(join(work, packed!.filename))
    ;[npm, images] = await Promise.all([serveTarball(tarball), startRegistry()])
    image = await pushImage(images.url, 'app', [randomBlob(4_000)], { tag: 'v1' })
    env = npmEnv(npm.url, work)
    mkdirSync(app())
    writeFileSync(join(app(), 'package.json'), '{"name":"app","version":"1.0.0","private":true}\n')
    install = await run('npm', ['install', pkg.name], { cwd: app(), env })
  })
  afterAll(async () => {
    await Promise.all([npm?.close(), images?.stop()])
    rmSync(work, { recursive: true, force: true })
  })

  it('depends on nothing at run time: everything it runs is bundled in dist/', () => {
    expect(pkg.dependencies ?? {}).toEqual({})
    expect(pkg.files).toEqual(['dist', 'action.yml', 'CHANGELOG.md'])
  })

  it('packs the bundle, its licences and the action, nothing else', () => {
    const listed = JSON.parse(
      execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
        cwd: root,
        encoding: 'utf8'
      })
    ) as { files: { path: string }[] }[]
    const outsideDist = listed[0]!.files.map(f => f.path).filter(p => !p.startsWith('dist/'))
    expect(outsideDist.sort()).toEqual(['CHANGELOG.md', 'LICENSE', 'README.md', 'action.yml', 'package.json'])
  })

  it('installs as one package, fetching nothing but itself, with no warning', () => {
    expect({ status: install.status, stderr: install.stderr }).toEqual({ status: 0, stderr: '' })
    expect(install.stdout).toMatch(/^added 1 package in /m)
    const lock = JSON.parse(readFileSync(join(app(), 'node_modules/.package-lock.json'), 'utf8'))
    expect(Object.keys(lock.packages)).toEqual([`node_modules/${pkg.name}`])
    expect(npm.requests).toEqual([`/${pkg.name}`, `/${pkg.name}/-/${pkg.name}-${pkg.version}.tgz`])
    const installed = readdirSync(join(app(), 'node_modules', pkg.name)).sort()
    expect(installed).toEqual(['CHANGELOG.md', 'LICENSE', 'README.md', 'action.yml', 'dist', 'package.json'])
    expect(readdirSync(join(app(), 'node_modules', pkg.name, 'dist')).sort()).toEqual([
      'chunks',
      'cli',
      'cli.cjs',
      'index.js',
      'licenses.txt'
    ])
  })

  it("loads @actions/cache, the tag expression engine and the CLI's other packages only when a run uses them", () => {
    const dist = join(app(), 'node_modules', pkg.name, 'dist')
    const packagesIn = (files: Iterable<string>) =>
      new Set(
        [...files].flatMap(f =>
          [...readFileSync(f, 'utf8').matchAll(/^\/\/ node_modules\/((?:@[^/\n]+\/)?[^/\n]+)\//gm)].map(
            m => m[1]!
          )
        )
      )
    const atStart = packagesIn(staticImports(join(dist, 'index.js')))
    const bundled = packagesIn(readdirSync(join(dist, 'chunks')).map(f => join(dist, 'chunks', f)))
    for (const lazy of ['@actions/cache', '@azure/storage-blob', 'handlebars', 'moment-timezone']) {
      expect(bundled.has(lazy)).toBe(true)
      expect(atStart.has(lazy)).toBe(false)
    }
    expect(atStart.has('@actions/core')).toBe(true)
    // the CLI's program holds undici and yaml (under its code cache: every promotion file is YAML);
    // every other package waits in vendor.cjs until required
    expect([...packagesIn([join(dist, 'cli/program.cjs')])].sort()).toEqual(['undici', 'yaml'])
    const vendor = packagesIn([join(dist, 'cli/vendor.cjs')])
    for (const lazy of ['handlebars', 'moment-timezone', '@sigstore/sign'])
      expect(vendor.has(lazy)).toBe(true)
    expect(vendor.has('yaml')).toBe(false)
    // a built-in named without `node:` (yaml's require('process')) is Node's, not read from vendor.cjs
    const program = readFileSync(join(dist, 'cli/program.cjs'), 'utf8')
    const fromVendor = [...program.matchAll(/require\("\.\/vendor\.cjs"\)\["([^"]+)"\]/g)].map(m => m[1]!)
    expect(fromVendor.filter(n => builtinModules.includes(n))).toEqual([])
    expect(fromVendor).toContain('@sigstore/sign')
  })

  it('ships every module as ASCII, so V8 holds its source at one byte per character', () => {
    // one "—" left in a comment doubled the heap the CLI's 645 KB registry chunk takes (1.29 MB)
    const dist = join(app(), 'node_modules', pkg.name, 'dist')
    const modules = [
      ...['cli.cjs', 'index.js', 'cli/program.cjs', 'cli/vendor.cjs'].map(f => join(dist, f)),
      ...readdirSync(join(dist, 'chunks')).map(f => join(dist, 'chunks', f))
    ].filter(f => /\.c?js$/.test(f))
    const notAscii = modules.filter(f => /[\u0080-\uffff]/.test(readFileSync(f, 'utf8')))
    expect({ modules: modules.length > 20, notAscii }).toEqual({ modules: true, notAscii: [] })
  })

  it('runs `promote-image --version` from the installed bin', async () => {
    const r = await run(join(app(), 'node_modules/.bin/promote-image'), ['--version'], { env })
    expect({ status: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({
      status: 0,
      stdout: `${pkg.version}\n`,
      stderr: ''
    })
  })

  it('inspects an image at a real registry from the installed bin', async () => {
    const r = await run(
      join(app(), 'node_modules/.bin/promote-image'),
      ['inspect', '--json', `${images.host}/app:v1`],
      { env }
    )
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    const info = JSON.parse(r.stdout) as { digest: string; mediaType: string }
    expect({ digest: info.digest, mediaType: info.mediaType }).toEqual({
      digest: image.digest,
      mediaType: image.mediaType
    })
  })

  it('runs through npx from the registry, in a folder without it', async () => {
    const elsewhere = join(work, 'elsewhere')
    mkdirSync(elsewhere)
    const r = await run('npx', ['--yes', `${pkg.name}@${pkg.version}`, '--version'], { cwd: elsewhere, env })
    expect({ status: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({
      status: 0,
      stdout: `${pkg.version}\n`,
      stderr: ''
    })
  })
})
