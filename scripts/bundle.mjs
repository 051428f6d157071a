// Bundles the action (dist/index.js) and the CLI (dist/cli.js) as ESM with esbuild, in one build
// with code splitting: shared code lands in dist/chunks/, and modules the CLI loads lazily (the tag
// engine with handlebars and moment-timezone) stay out of its start-up path.
// A createRequire banner lets bundled CommonJS dependencies call require() for Node built-ins.
// The licence texts of every package bundled are written to dist/licenses.txt (see notices.mjs).
//
// Usage: node scripts/bundle.mjs [OUTDIR]   (default dist; the licence test bundles to a temp dir)
import { chmod, rm, writeFile } from 'node:fs/promises'
import { readFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { build } from 'esbuild'
import { bundledPackages, noticesText } from './notices.mjs'

// undici's HTTP/2 client loads node:http2 at load time (5–20 ms of every CLI start-up), though the
// registry stack never speaks HTTP/2: it gets src/registry/lazy-http2.ts instead, which loads the
// real module only if a connection ever asks for it
const lazyHttp2 = {
  name: 'lazy-http2',
  setup(b) {
    b.onLoad({ filter: /undici[\\/]lib[\\/]dispatcher[\\/]client-h2\.js$/ }, async args => {
      const text = await readFile(args.path, 'utf8')
      const stub = JSON.stringify(resolve('src/registry/lazy-http2.ts'))
      const contents = text.replace("require('node:http2')", `require(${stub})`)
      if (contents === text)
        throw new Error(`${args.path} no longer requires node:http2 as lazy-http2 expects`)
      return { contents, loader: 'js', resolveDir: dirname(args.path) }
    })
  }
}

// undici's client.js and core/util.js load node:http at load time (4–9 ms of every CLI start-up)
// for http.maxHeaderSize and IncomingMessage only: they get src/registry/lazy-http.ts instead,
// which loads the real module when either is first read
const lazyHttp = {
  name: 'lazy-http',
  setup(b) {
    const stub = JSON.stringify(resolve('src/registry/lazy-http.ts'))
    const edits = {
      'dispatcher/client.js': [
        ["const http = require('node:http')", `const http = require(${stub}).lazyHttp`],
        [
          /const getDefaultNodeMaxHeaderSize = http &&[^]*?invalid'\) \}\n/,
          'const getDefaultNodeMaxHeaderSize = () => http.maxHeaderSize\n'
        ]
      ],
      'core/util.js': [
        ["const { IncomingMessage } = require('node:http')", `const lazyHttp = require(${stub}).lazyHttp`],
        ['.constructor === IncomingMessage)', '.constructor === lazyHttp.IncomingMessage)']
      ]
    }
    b.onLoad({ filter: /undici[\\/]lib[\\/](dispatcher[\\/]client|core[\\/]util)\.js$/ }, async args => {
      // only the registry stack's undici (not the copies other packages bundle for themselves)
      if (!args.path.startsWith(resolve('node_modules/undici/lib'))) return undefined
      const key = Object.keys(edits).find(k => args.path.replaceAll('\\', '/').endsWith(k))
      let contents = await readFile(args.path, 'utf8')
      for (const [from, to] of edits[key]) {
        const next = contents.replace(from, to)
        if (next === contents) throw new Error(`${args.path} no longer has ${from} as lazy-http expects`)
        contents = next
      }
      return { contents, loader: 'js', resolveDir: dirname(args.path) }
    })
  }
}

// esbuild escapes non-ASCII characters in code (charset ascii) but keeps them in the comments it
// preserves (doc comments in class bodies: "—", "→"). One such character makes V8 hold the whole
// module's source as a two-byte string for the life of the process: the CLI's 645 KB registry chunk
// cost 1.29 MB of heap instead of 0.65 MB. Each remaining non-ASCII UTF-16 unit becomes \uXXXX,
// which reads the same in a comment, a string, a template or a regular expression.
async function asciiOnly(files) {
  for (const file of files) {
    const text = await readFile(file, 'utf8')
    const ascii = text.replace(/[\u0080-\uffff]/g, c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    if (ascii !== text) await writeFile(file, ascii)
  }
}

const { version } = JSON.parse(await readFile('package.json', 'utf8'))

const outdir = process.argv[2] ?? 'dist'
await rm(outdir, { recursive: true, force: true })
const { metafile } = await build({
  entryPoints: { index: 'src/index.ts', cli: 'src/cli.ts' },
  outdir,
  chunkNames: 'chunks/[name]-[hash]',
  splitting: true,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  banner: {
    // the shebang makes dist/cli.js the npm bin; Node accepts it at the top of every ES module
    js: "#!/usr/bin/env node\nimport { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);"
  },
  define: { __PROMOTE_IMAGE_VERSION__: JSON.stringify(version) },
  // the packages' licences are written whole to licenses.txt, so their comments need not be kept
  legalComments: 'none',
  metafile: true,
  plugins: [lazyHttp2, lazyHttp],
  logLevel: 'warning'
})
await asciiOnly(Object.keys(metafile.outputs).filter(f => f.endsWith('.js')))
await chmod(join(outdir, 'cli.js'), 0o755)
await writeFile(join(outdir, 'licenses.txt'), await noticesText(await bundledPackages(metafile)))
