// The third-party notices of the bundle: which packages esbuild put into dist/ (from its metafile),
// and each one's licence texts, written to dist/licenses.txt (as @vercel/ncc writes licenses.txt).
// A package is listed once per name and version, sorted by name; its texts are its own LICENSE,
// LICENCE, COPYING and NOTICE files, verbatim. A package that ships none gets the standard text of the
// SPDX licence its package.json names (MIT and ISC with its author as the copyright holder; Apache-2.0
// as another bundled package ships it), marked as such.
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'

/** `node_modules/[@scope/]name` directory of a bundled input path, or undefined for our own source. */
export function packageDirOf(inputPath) {
  const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(inputPath)
  return m?.[1]
}

const LICENCE_FILE = /^(licen[cs]e|copying|notice)([-._].*)?$/i

/**
 * The packages with code in the bundle: `{ name, version, license, homepage, dir, files: [{ name,
 * text }] }[]`, one per name@version (the first directory found), sorted by name then version.
 * Inputs that contribute no bytes to any output (tree-shaken away) do not count.
 * @param {import('esbuild').Metafile} metafile
 */
export async function bundledPackages(metafile) {
  const dirs = new Set()
  for (const output of Object.values(metafile.outputs))
    for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
      const dir = packageDirOf(path)
      if (dir && bytesInOutput > 0) dirs.add(dir)
    }
  const byId = new Map()
  for (const dir of [...dirs].sort()) {
    const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'))
    const id = `${pkg.name}@${pkg.version}`
    if (byId.has(id)) continue
    const names = (await readdir(dir)).filter(n => LICENCE_FILE.test(n)).sort()
    const files = []
    for (const name of names) files.push({ name, text: (await readFile(join(dir, name), 'utf8')).trim() })
    byId.set(id, {
      name: pkg.name,
      version: pkg.version,
      license: typeof pkg.license === 'string' ? pkg.license : (pkg.license?.type ?? 'UNKNOWN'),
      author: typeof pkg.author === 'string' ? pkg.author : pkg.author?.name,
      homepage: pkg.homepage ?? repositoryUrl(pkg.repository),
      dir,
      files
    })
  }
  const packages = [...byId.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  for (const p of packages) if (p.files.length === 0) p.files = standardText(p, packages)
  return packages
}

const MIT = `Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.`

const ISC = `Permission to use, copy, modify, and/or distribute this software for any
purpose with or without fee is hereby granted, provided that the above
copyright notice and this permission notice appear in all copies.

THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES
WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF
MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR
ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES
WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN AN
ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF
OR IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.`

/** The standard licence text for a package without a licence file, as one pseudo-file. */
function standardText(p, packages) {
  const name = `(no licence file in the package: the standard ${p.license} text)`
  const holder = `Copyright (c) ${p.author ?? `the ${p.name} authors`}`
  if (p.license === 'MIT') return [{ name, text: `MIT License\n\n${holder}\n\n${MIT}` }]
  if (p.license === 'ISC') return [{ name, text: `ISC License\n\n${holder}\n\n${ISC}` }]
  if (p.license === 'Apache-2.0') {
    const apache = packages
      .flatMap(q => q.files)
      .find(f => /^\s*Apache License\s+Version 2\.0, January 2004/.test(f.text))
    if (apache) return [{ name, text: apache.text }]
  }
  return []
}

function repositoryUrl(repository) {
  const url = typeof repository === 'string' ? repository : repository?.url
  return url?.replace(/^git\+/, '').replace(/\.git$/, '')
}

const RULE = '='.repeat(100)

/**
 * licenses.txt: a header, then per package a ruled heading `name version (SPDX licence)`, its home
 * page, and each licence file under its file name.
 * @throws Error naming every package that ships no licence file (its licence cannot be reproduced)
 */
export async function noticesText(packages) {
  const missing = packages.filter(p => p.files.length === 0).map(p => `${p.name}@${p.version} (${p.dir})`)
  if (missing.length) throw new Error(`no licence file in: ${missing.join(', ')}`)
  const own = (await readFile('LICENSE', 'utf8')).trim()
  const parts = [
    'promote-image: third-party notices',
    '',
    `dist/ bundles the ${packages.length} packages below; each one's licence files follow it verbatim.`,
    'promote-image itself is under the MIT licence (LICENSE):',
    '',
    own
  ]
  for (const p of packages) {
    parts.push('', RULE, `${p.name} ${p.version} (${p.license})`)
    if (p.homepage) parts.push(p.homepage)
    for (const f of p.files) parts.push('', `--- ${f.name}`, '', f.text)
  }
  return parts.join('\n') + '\n'
}
