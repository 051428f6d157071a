/**
 * The built action bundle (scripts/bundle.mjs into a temporary directory, as dist/ is built), run
 * with node as the runner runs dist/index.js: ts-jest runs src/, where `await import('yaml')` has
 * named exports, so only the bundle shows what the action sees (newuser4 finding 1). esbuild gives a
 * dynamically imported CommonJS package a chunk whose only export is `default`; the action's
 * `policy` input then failed with `parse is not a function` and keyless verification against the
 * public-good instance with `getTrustedRoot is not a function`. No network: the policy is refused
 * by its own check, and the chunks are only loaded.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const root = resolve(import.meta.dirname, '../..')

/** Loads every module that a file of the bundle in OUT names with `import("./…")`: its export names. */
const EXPORTS_OF_IMPORTED = `
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
const out = process.argv[2]
const targets = new Set()
for (const f of readdirSync(out, { recursive: true, encoding: 'utf8' }).filter(f => f.endsWith('.js')))
  for (const m of readFileSync(join(out, f), 'utf8').matchAll(/\\bimport\\("(\\.[^"]+)"\\)/g))
    targets.add(relative(out, resolve(dirname(join(out, f)), m[1])))
const seen = {}
for (const t of [...targets].sort()) seen[t] = Object.keys(await import(pathToFileURL(join(out, t)).href)).sort()
console.log(JSON.stringify(seen))
`

/** Bundles ENTRY with the action's options into OUT; prints what commonJsImports lists and what the entry's names() sees. */
const TINY_BUILD = `
import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'
const { build } = createRequire(${JSON.stringify(join(root, 'package.json'))})('esbuild')
import { actionOptions, commonJsImports } from ${JSON.stringify(join(root, 'scripts/action-build.mjs'))}
const [entry, out] = process.argv.slice(2)
const r = await build({ ...actionOptions({ index: entry }, out), nodePaths: [${JSON.stringify(join(root, 'node_modules'))}] })
const { names } = await import(pathToFileURL(out + '/index.js').href)
console.log(JSON.stringify({ listed: commonJsImports(r.metafile).map(l => l.slice(l.indexOf(': ') + 2)), names: await names() }))
`

describe('the built action bundle (scripts/bundle.mjs, run with node as dist/index.js is)', () => {
  let dir = ''
  let out = ''
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'promote-image-action-bundle-'))
    out = join(dir, 'dist')
    execFileSync(process.execPath, ['scripts/bundle.mjs', out], { cwd: root, stdio: 'pipe' })
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  /** Runs OUT/index.js with only these inputs and the runner's files: its `::error::` lines and exit code. */
  function action(inputs: Record<string, string>): { errors: string[]; status: number | null } {
    const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: dir }
    for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v
    env.GITHUB_OUTPUT = join(dir, 'out')
    env.GITHUB_STEP_SUMMARY = join(dir, 'summary.md')
    writeFileSync(env.GITHUB_OUTPUT, '')
    writeFileSync(env.GITHUB_STEP_SUMMARY, '')
    const r = spawnSync(process.execPath, [join(out, 'index.js')], { cwd: dir, env, encoding: 'utf8' })
    return { errors: r.stdout.split('\n').filter(l => l.startsWith('::error::')), status: r.status }
  }

  it.each([
    ['policy.yaml', 'verify-key: []\nbogus: 1\n'],
    ['policy.json', '{ "verify-key": [], "bogus": 1 }\n']
  ])(
    'reads the policy input %s with yaml: refused by the policy check, not by "parse is not a function"',
    (name, text) => {
      const file = join(dir, name)
      writeFileSync(file, text)
      // port 9 (discard): the policy is read and refused before any registry is asked
      const r = action({ source: '127.0.0.1:9/src/app:rc1', targets: '127.0.0.1:9/prod/app', policy: file })
      expect(r).toEqual({
        errors: [
          `::error::policy ${file}: unknown key bogus (known: verify-key, certificate-identity, certificate-identity-regexp, certificate-oidc-issuer, trusted-root, identities, attestations, children)`
        ],
        status: 1
      })
    }
  )

  it('every module it loads with import() exports its names, none only `default` (the public-good trust root: publicGoodRoot)', () => {
    const probe = join(dir, 'exports.mjs')
    writeFileSync(probe, EXPORTS_OF_IMPORTED)
    const seen = JSON.parse(execFileSync(process.execPath, [probe, out], { encoding: 'utf8' })) as Record<
      string,
      string[]
    >
    const onlyDefault = Object.keys(seen).filter(t => seen[t]!.join() === 'default')
    expect(onlyDefault).toEqual([])
    const publicGood = Object.keys(seen).filter(t => /^chunks\/public-good-\w+\.js$/.test(t))
    expect(publicGood.map(t => seen[t])).toEqual([['publicGoodRoot']])
    // the policy loader too (it parses with yaml)
    const load = Object.keys(seen).filter(t => /^chunks\/load-\w+\.js$/.test(t))
    expect(load.map(t => seen[t]!.includes('loadVerifyPolicy'))).toEqual([true])
  })
})

describe('commonJsImports (scripts/action-build.mjs), which fails the bundle on an import() of a CommonJS package', () => {
  let dir = ''
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'promote-image-tiny-bundle-'))
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it("lists import('yaml') in a small entry built with the action's options, whose chunk gives only default", () => {
    const entry = join(dir, 'entry.mjs')
    writeFileSync(entry, "export const names = async () => Object.keys(await import('yaml'))\n")
    writeFileSync(join(dir, 'build.mjs'), TINY_BUILD)
    const seen = JSON.parse(
      execFileSync(process.execPath, [join(dir, 'build.mjs'), entry, join(dir, 'out')], {
        cwd: root,
        encoding: 'utf8'
      })
    ) as unknown
    // the interop the check guards against: a parse() read from this namespace is undefined
    expect(seen).toEqual({ listed: ["import('yaml')"], names: ['default'] })
  })
})
