/**
 * The build cache's directories under /proc, where mkdir answers ENOENT although the parent exists:
 * Node 20's recursive mkdir (sync or async) loops there for ever, spinning a core, so a cache-from /
 * cache-to directory or a store root under /proc hung the build (as c950c61 fixed for the upload
 * state and the code cache). src/build/cache.ts restoreBuildCache and src/cache/directory.ts save
 * now make directories with state-files.ts createDirectorySync: one mkdir each.
 * Each case runs in a process of its own: a loop in mkdir would never give jest back a thread. The
 * spawn's `timeout` only ends such a process so the test fails instead of hanging.
 */
import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const src = (path: string): string => JSON.stringify(resolve(import.meta.dirname, '../../src', path))

/** Runs `lines` (an ES module with restoreBuildCache, directoryCache and `restore(dir)`) in a new process. */
function runModule(lines: string[]): {
  status: number | null
  signal: string | null
  stdout: string
  stderr: string
} {
  const source = [
    `import { restoreBuildCache } from ${src('build/cache.ts')}`,
    `import { directoryCache } from ${src('cache/index.ts')}`,
    // a buildx build whose cache-to is `dir`; prints what the cache logged, its key as KEY
    'const restore = async (dir, store) => {',
    '  const lines = []',
    '  const logger = { info: m => lines.push(`info: ${m}`), warning: m => lines.push(`warning: ${m}`) }',
    "  const inputs = { context: 'https://example.invalid/app.git', buildArgs: [], labels: {}, tags: ['app:1'],",
    "    platforms: [], metadataFile: '/dev/null', cacheTo: [`type=local,dest=${dir}`] }",
    "  const { plan } = await restoreBuildCache('buildx', inputs, { store, dir: '/unused', cli: 'docker', logger })",
    "  for (const l of lines) console.log(l.replaceAll(plan.keys.key, 'KEY'))",
    '}',
    ...lines
  ].join('\n')
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', source], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '' },
    timeout: 120_000
  })
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr }
}

describe('build cache directories under /proc', () => {
  it('a cache-to directory there is a warning, and the build goes on', () => {
    const store = mkdtempSync(join(tmpdir(), 'cache-proc-'))
    try {
      const r = runModule([`await restore('/proc/nope/cache', directoryCache(${JSON.stringify(store)}))`])
      expect(r).toEqual({
        status: 0,
        signal: null,
        stdout:
          "warning: cache: restore of KEY failed, building without it: ENOENT: no such file or directory, mkdir '/proc/nope'\n",
        stderr: ''
      })
    } finally {
      rmSync(store, { recursive: true, force: true })
    }
  })

  it('a directory store rooted there refuses a save', () => {
    const work = mkdtempSync(join(tmpdir(), 'cache-proc-'))
    try {
      writeFileSync(join(work, 'file'), 'x')
      const r = runModule([
        `await directoryCache('/proc/nope/store').save([${JSON.stringify(join(work, 'file'))}], 'k1')`,
        '  .then(() => console.log("saved"), e => console.log(e.message))'
      ])
      expect(r).toEqual({
        status: 0,
        signal: null,
        stdout: "ENOENT: no such file or directory, mkdir '/proc/nope'\n",
        stderr: ''
      })
    } finally {
      rmSync(work, { recursive: true, force: true })
    }
  })

  it('elsewhere, still makes every missing directory of both', () => {
    const work = mkdtempSync(join(tmpdir(), 'cache-proc-'))
    try {
      writeFileSync(join(work, 'file'), 'x')
      const store = JSON.stringify(join(work, 'a/store'))
      const r = runModule([
        `await restore(${JSON.stringify(join(work, 'b/c/cache'))}, directoryCache(${store}))`,
        `await directoryCache(${store}).save([${JSON.stringify(join(work, 'file'))}], 'k1')`
      ])
      expect(r).toEqual({
        status: 0,
        signal: null,
        stdout: 'info: cache: no entry for KEY or its restore keys\n',
        stderr: ''
      })
      for (const d of ['b/c/cache', 'a/store']) expect(statSync(join(work, d)).isDirectory()).toBe(true)
    } finally {
      rmSync(work, { recursive: true, force: true })
    }
  })
})
