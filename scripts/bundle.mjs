// Bundles the action and the CLI with esbuild:
// - dist/index.js, the action: ESM with code splitting, so modules it loads lazily (the tag engine
//   with handlebars and moment-timezone, @actions/cache) land in dist/chunks/ outside its start-up
//   path (options in action-build.mjs). It may not import() a CommonJS package: its chunk would
//   export only `default` (commonJsImports), so the build fails on one.
// - dist/cli/program.cjs, the CLI's program: src/cli/run.ts and all the source it reaches, with
//   undici, as one CommonJS file that src/cli/code-cache.ts compiles with a V8 code cache (Node 20
//   has none for ES modules). Its first line names its hash, the cache's key. yaml is in it too
//   (IN_PROGRAM below). Every other package stays out of it, in dist/cli/vendor.cjs, required on
//   first use (the tag engine, sigstore…), so a copy neither reads nor compiles them.
// - dist/cli.cjs, the bin: src/cli/boot.ts alone, as CommonJS (node enters a CommonJS file without
//   starting its ES-module loader: ~15 ms of CPU less per run), which loads the program.
// The licence texts of every package bundled are written to dist/licenses.txt (see notices.mjs).
//
// Usage: node scripts/bundle.mjs [OUTDIR]   (default dist; the licence test bundles to a temp dir)
import { createHash } from 'node:crypto'
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { builtinModules, createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { build } from 'esbuild'
import { bundledPackages, noticesText } from './notices.mjs'
import { actionOptions, common, commonJsImports } from './action-build.mjs'

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
// which loads the real module only when a header size flag was given or a stream to destroy is of
// a class named IncomingMessage (so a copy never loads it)
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
        [
          'Object.getPrototypeOf(stream).constructor === IncomingMessage)',
          'lazyHttp.isIncomingMessage(Object.getPrototypeOf(stream).constructor))'
        ]
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

// undici's HTTP/1 client reads two tables of llhttp's constants (TYPE and ERROR), but requiring
// lib/llhttp/constants.js builds all of them when the registry stack loads: methods, statuses,
// character classes made in loops, maps filtered from them (18 KB of code run once per process).
// client-h1.js gets those two tables as a literal instead, taken from the real module at bundle
// time; the build fails if client-h1.js ever reads another.
const llhttpTables = {
  name: 'llhttp-tables',
  setup(b) {
    b.onLoad({ filter: /undici[\\/]lib[\\/]dispatcher[\\/]client-h1\.js$/ }, async args => {
      if (!args.path.startsWith(resolve('node_modules/undici/lib'))) return undefined
      const text = await readFile(args.path, 'utf8')
      const from = "const constants = require('../llhttp/constants.js')"
      const read = new Set([...text.replace(from, '').matchAll(/\bconstants\.(\w+)/g)].map(m => m[1]))
      const unknown = [...read].filter(k => k !== 'TYPE' && k !== 'ERROR')
      if (!text.includes(from) || unknown.length)
        throw new Error(`${args.path} no longer reads only TYPE and ERROR of llhttp's constants (${unknown})`)
      const { TYPE, ERROR } = createRequire(args.path)('../llhttp/constants.js')
      const contents = text.replace(from, `const constants = ${JSON.stringify({ TYPE, ERROR })}`)
      return { contents, loader: 'js', resolveDir: dirname(args.path) }
    })
  }
}

// esbuild escapes non-ASCII characters in code (charset ascii) but keeps them in the comments it
// preserves (doc comments in class bodies: "—", "→"). One such character makes V8 hold the whole
// module's source as a two-byte string for the life of the process: the CLI's 645 KB registry chunk
// cost 1.29 MB of heap instead of 0.65 MB. Each remaining non-ASCII UTF-16 unit becomes \uXXXX,
// which reads the same in a comment, a string, a template or a regular expression.
const asciiText = text =>
  text.replace(/[\u0080-\uffff]/g, c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
async function asciiOnly(files) {
  for (const file of files) {
    const text = await readFile(file, 'utf8')
    const ascii = asciiText(text)
    if (ascii !== text) await writeFile(file, ascii)
  }
}

// The program's packages (bare imports other than undici and Node's built-ins) are read from
// dist/cli/vendor.cjs when first required: each import becomes `require('./vendor.cjs')[name]()`.
// `names` collects them for the vendor build.
// IN_PROGRAM: packages bundled into the program instead, so the code cache holds their compiled
// functions. yaml reads every promotion file (`promote -f`, `plan -f`): from vendor.cjs it cost
// each such run the pre-parse of all 3.3 MB of vendor.cjs and a cold compile of the parser
// (~100 ms of a 100-image run's 0.4 s before its first request, --cpu-prof); in the program, a
// batch of 30 images used 35 ms less CPU (median of 10 alternated runs, 0.855 -> 0.82 s, 9 of 10
// pairs lower) while `--version` did not move (0.092 s CPU, 12 alternated runs), as a code cache
// holds only the functions a command ran.
const IN_PROGRAM = new Set(['yaml'])
const vendored = names => ({
  name: 'vendored',
  setup(b) {
    b.onResolve({ filter: /^\.\/vendor\.cjs$/ }, () => ({ path: './vendor.cjs', external: true }))
    b.onResolve({ filter: /^[^./]/ }, args => {
      if (args.path.startsWith('node:') || /^undici(\/|$)/.test(args.path)) return undefined
      // a built-in named without `node:` (yaml's require('process'), require('buffer')) stays one
      if (builtinModules.includes(args.path)) return undefined
      if (args.namespace === 'vendored') return undefined
      if (IN_PROGRAM.has(args.path)) return undefined
      names.add(args.path)
      return { path: args.path, namespace: 'vendored' }
    })
    b.onLoad({ filter: /.*/, namespace: 'vendored' }, args => ({
      contents: `module.exports = require('./vendor.cjs')[${JSON.stringify(args.path)}]()`,
      loader: 'js'
    }))
  }
})

const { version } = JSON.parse(await readFile('package.json', 'utf8'))
const define = { __PROMOTE_IMAGE_VERSION__: JSON.stringify(version) }

const outdir = process.argv[2] ?? 'dist'
await rm(outdir, { recursive: true, force: true })
const action = await build({
  ...actionOptions({ index: 'src/index.ts' }, outdir),
  define,
  plugins: [lazyHttp2, lazyHttp, llhttpTables]
})
const cjsImported = commonJsImports(action.metafile)
if (cjsImported.length)
  throw new Error(
    `the action imports CommonJS packages with import(), whose chunks export only default:\n${cjsImported.join('\n')}`
  )
await asciiOnly(Object.keys(action.metafile.outputs).filter(f => f.endsWith('.js')))
const names = new Set()
const program = await build({
  ...common,
  entryPoints: ['src/cli/run.ts'],
  outfile: join(outdir, 'cli/program.cjs'),
  format: 'cjs',
  define,
  plugins: [lazyHttp2, lazyHttp, llhttpTables, vendored(names)],
  write: false,
  logLevel: 'warning'
})
// the program runs in vm.Script, which has no loader for import(): every import must be bundled or required
const imported = Object.entries(program.metafile.inputs).flatMap(([file, { imports }]) =>
  imports.filter(i => i.kind === 'dynamic-import' && i.external).map(i => `${file}: import('${i.path}')`)
)
if (imported.length) throw new Error(`the CLI program cannot import() at run time:\n${imported.join('\n')}`)
const text = asciiText(program.outputFiles[0].text)
const hash = createHash('sha256').update(text).digest('hex').slice(0, 32)
await mkdir(join(outdir, 'cli'), { recursive: true })
await writeFile(join(outdir, 'cli/program.cjs'), `// promote-image program ${hash}\n${text}`)
const vendor = await build({
  ...common,
  stdin: {
    contents: `module.exports = {\n${[...names]
      .sort()
      .map(n => `  ${JSON.stringify(n)}: () => require(${JSON.stringify(n)})`)
      .join(',\n')}\n}\n`,
    resolveDir: process.cwd(),
    sourcefile: 'vendor.cjs',
    loader: 'js'
  },
  outfile: join(outdir, 'cli/vendor.cjs'),
  format: 'cjs',
  logLevel: 'warning'
})
await build({
  ...common,
  entryPoints: ['src/cli/boot.ts'],
  outfile: join(outdir, 'cli.cjs'),
  format: 'cjs',
  // the shebang makes dist/cli.cjs the npm bin
  banner: { js: '#!/usr/bin/env node' },
  logLevel: 'warning'
})
await asciiOnly([join(outdir, 'cli/vendor.cjs'), join(outdir, 'cli.cjs')])
await chmod(join(outdir, 'cli.cjs'), 0o755)
const outputs = { ...action.metafile.outputs, ...program.metafile.outputs, ...vendor.metafile.outputs }
await writeFile(join(outdir, 'licenses.txt'), await noticesText(await bundledPackages({ outputs })))
