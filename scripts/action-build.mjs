// The action bundle's esbuild options (dist/index.js: ESM with code splitting), shared by
// scripts/bundle.mjs and the test that bundles a small entry with them (__tests__/scripts), and the
// check that keeps CommonJS packages out of its dynamic imports.

/** What every bundle of scripts/bundle.mjs shares. */
export const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  legalComments: 'none',
  metafile: true
}

/**
 * The action's options for an entry `{ index: FILE }` into OUTDIR: ESM, its lazily imported modules
 * in OUTDIR/chunks. A createRequire banner lets bundled CommonJS dependencies call require() for
 * Node built-ins.
 */
export const actionOptions = (entryPoints, outdir) => ({
  ...common,
  entryPoints,
  outdir,
  chunkNames: 'chunks/[name]-[hash]',
  splitting: true,
  format: 'esm',
  banner: {
    js: "import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);"
  },
  logLevel: 'warning'
})

/**
 * Every `import()` of a CommonJS module in an ESM build, from its metafile, as `FILE: import('NAME')`.
 * esbuild gives such a module a chunk of its own whose only export is `default` (module.exports), so
 * `const { parse } = await import('yaml')` reads undefined in dist/index.js, while ts-jest and the
 * CLI's CommonJS bundle see the named exports: import the package statically from a module that is
 * itself imported lazily instead (its chunk then exports what the module names).
 */
export function commonJsImports(metafile) {
  return Object.entries(metafile.inputs).flatMap(([file, { imports }]) =>
    imports
      .filter(i => i.kind === 'dynamic-import' && !i.external && metafile.inputs[i.path]?.format === 'cjs')
      .map(i => `${file}: import('${i.original ?? i.path}')`)
  )
}
