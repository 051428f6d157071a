// Bundles the action (dist/index.js) and the CLI (dist/cli.js) as ESM with esbuild, in one build
// with code splitting: shared code lands in dist/chunks/, and modules the CLI loads lazily (the tag
// engine with handlebars and moment-timezone) stay out of its start-up path.
// A createRequire banner lets bundled CommonJS dependencies call require() for Node built-ins.
import { chmod, rm } from 'node:fs/promises'
import { readFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { build } from 'esbuild'

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

const { version } = JSON.parse(await readFile('package.json', 'utf8'))

await rm('dist', { recursive: true, force: true })
await build({
  entryPoints: { index: 'src/index.ts', cli: 'src/cli.ts' },
  outdir: 'dist',
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
  legalComments: 'none',
  plugins: [lazyHttp2],
  logLevel: 'warning'
})
await chmod('dist/cli.js', 0o755)
