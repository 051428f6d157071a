/**
 * src/cli/code-cache.ts: the CLI's program compiled with a V8 code cache. Real programs in a
 * temporary directory, real V8: a cache is written at the end of a first run, used by the next,
 * and a malformed one is rejected by V8 and replaced, never trusted.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import {
  chmodSync,
  chownSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { spawnSync } from 'node:child_process'
import { join, resolve } from 'node:path'
import {
  codeCacheDirectory,
  codeCacheName,
  commandKey,
  PROGRAM_HEAD,
  PROGRAM_TAIL,
  programHash,
  programRequire,
  readProgramSource,
  STALE_MS
} from '../../src/cli/code-cache.js'

describe('codeCacheDirectory', () => {
  it.each<[string, Record<string, string>, string, string | undefined]>([
    ['HOME/.cache', {}, '/home/u', '/home/u/.cache/promote-image/code'],
    ['XDG_CACHE_HOME', { XDG_CACHE_HOME: '/x/cache' }, '/home/u', '/x/cache/promote-image/code'],
    ['PROMOTE_IMAGE_COMPILE_CACHE', { PROMOTE_IMAGE_COMPILE_CACHE: '/c', XDG_CACHE_HOME: '/x' }, '/h', '/c'],
    ['switched off', { PROMOTE_IMAGE_COMPILE_CACHE: 'off' }, '/h', undefined],
    ['switched off with 0', { PROMOTE_IMAGE_COMPILE_CACHE: '0' }, '/h', undefined],
    ['no home', {}, '', undefined]
  ])('%s', (_name, env, home, dir) => {
    expect(codeCacheDirectory(env, home)).toBe(dir)
  })
})

describe('commandKey and codeCacheName', () => {
  it.each<[string[], string]>([
    [['copy', 'a', 'b', '--json'], 'copy'],
    [['--verbose', 'inspect', 'x'], 'inspect'],
    [['--version'], 'none'],
    [[], 'none'],
    [['../etc/passwd'], 'none'],
    [['COPY'], 'none'],
    [['copy', '--help'], 'none'],
    [['-h', 'inspect'], 'none'],
    [['copy', 'a', 'b', '--version'], 'none'],
    [['promote', '-f', 'promotion.yaml'], 'promote-file'],
    [['promote', '--shard', '1/2', '--file=promotion.yaml'], 'promote-file'],
    [['-v', 'promote', '--file', 'promotion.yaml'], 'promote-file'],
    [['promote', 'a', 'b'], 'promote'],
    [['plan', '-f', 'promotion.yaml'], 'plan'],
    [['promote', '-f', 'promotion.yaml', '--help'], 'none']
  ])('%j → %s', (argv, key) => {
    expect(commandKey(argv)).toBe(key)
  })

  it('names the Node version, architecture, program and command', () => {
    expect(codeCacheName('ab12', 'copy', 'v20.20.2', 'x64')).toBe('program-v20.20.2-x64-ab12-copy.bin')
  })

  it('reads the hash from the first line only', () => {
    expect(programHash('// promote-image program 0123456789abcdef\nx')).toBe('0123456789abcdef')
    expect(programHash('x\n// promote-image program 0123456789abcdef\n')).toBeUndefined()
  })
})

describe('readProgramSource', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'program-source-'))
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it.each<[string, string]>([
    ['an empty file', ''],
    ['ASCII', '// promote-image program 0123456789abcdef\nmodule.exports = 1\n'],
    ['UTF-8 of 2, 3 and 4 bytes', "module.exports = 'é — → 𝄞'"],
    ['3 MiB', 'x'.repeat(3 * 1024 * 1024 + 7)]
  ])('%s: the file wrapped as a CommonJS function, in one string', (_name, text) => {
    const path = join(dir, 'program.cjs')
    writeFileSync(path, text)
    const source = readProgramSource(path)
    expect(source.length).toBe(PROGRAM_HEAD.length + text.length + PROGRAM_TAIL.length)
    expect(source === `${PROGRAM_HEAD}${text}${PROGRAM_TAIL}`).toBe(true)
    expect(PROGRAM_HEAD).toBe('(function (exports, require, module, __filename, __dirname) {')
    expect(PROGRAM_TAIL).toBe('\n})')
  })

  it('throws for a missing file', () => {
    expect(() => readProgramSource(join(dir, 'missing.cjs'))).toThrow(/ENOENT/)
  })
})

describe('programRequire', () => {
  it.each<[string, string]>([
    ['./vendor.cjs', '/opt/pi/dist/cli/vendor.cjs'],
    ['../licenses.txt', '/opt/pi/dist/licenses.txt'],
    ['node:fs', 'node:fs'],
    ['process', 'process'],
    ['undici', 'undici']
  ])('%s → load(%s)', (id, loaded) => {
    const asked: string[] = []
    const load = (x: string): unknown => (asked.push(x), x.length)
    expect(programRequire('/opt/pi/dist/cli/program.cjs', load)(id)).toBe(loaded.length)
    expect(asked).toEqual([loaded])
  })
})

/** What one run of a program through loadProgram saw, in a process of its own (see run below). */
interface Run {
  outcome: string
  value: number
  file: string
  self: boolean
  saved: boolean
}

describe('loadProgram', () => {
  let dir: string
  let cache: string
  const hash = '0123456789abcdef0123456789abcdef'
  const program = (body: string): string => {
    const path = join(dir, 'program.cjs')
    writeFileSync(path, `// promote-image program ${hash}\n${body}`)
    return path
  }
  const body = [
    "const { basename } = require('node:path')",
    'function twice(n) { return 2 * n }',
    'module.exports = { twice, file: basename(__filename), self: this === exports }'
  ].join('\n')
  const harness = [
    `import { loadProgram } from ${JSON.stringify(resolve(import.meta.dirname, '../../src/cli/code-cache.ts'))}`,
    'const env = { PROMOTE_IMAGE_COMPILE_CACHE: process.env.CACHE }',
    "const r = loadProgram(process.env.PROGRAM, { env, home: '', argv: [process.env.COMMAND] })",
    'const { outcome, exports: e } = r',
    'console.log(JSON.stringify({ outcome, value: e.twice(21), file: e.file, self: e.self, saved: r.save() }))'
  ].join('\n')
  /**
   * Loads the program in a new process: V8 keeps what it compiled for the life of the isolate, so a
   * second load in the same process would take that and never read the cache
   */
  const run = (path: string, command = 'copy', cacheDir = cache): Run => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', harness], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, PROGRAM: path, COMMAND: command, CACHE: cacheDir },
      // ends a process that loops (a failure, not a timed assertion: see the /proc case)
      timeout: 120_000
    })
    expect({ status: r.status, signal: r.signal, stderr: r.stderr }).toEqual({
      status: 0,
      signal: null,
      stderr: ''
    })
    return JSON.parse(r.stdout) as Run
  }

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'code-cache-'))
    cache = join(dir, 'cache')
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('runs the program as a CommonJS module; the first run writes the cache, the next uses it', () => {
    const path = program(body)
    expect(run(path)).toEqual({ outcome: 'none', value: 42, file: 'program.cjs', self: true, saved: true })
    expect(readdirSync(cache)).toEqual([codeCacheName(hash, 'copy')])
    expect(run(path)).toEqual({ outcome: 'used', value: 42, file: 'program.cjs', self: true, saved: false })
    // another command has a cache of its own
    expect(run(path, 'inspect')).toMatchObject({ outcome: 'none', saved: true })
    expect(readdirSync(cache).sort()).toEqual([codeCacheName(hash, 'copy'), codeCacheName(hash, 'inspect')])
  })

  it("without a require given, the program's relative requires are files beside it", () => {
    writeFileSync(join(dir, 'vendor.cjs'), 'module.exports = { twice: n => 2 * n }')
    const path = program(
      "const { basename } = require('node:path'); const v = require('./vendor.cjs'); module.exports = { twice: v.twice, file: basename(__filename), self: this === exports }"
    )
    expect(run(path)).toEqual({ outcome: 'none', value: 42, file: 'program.cjs', self: true, saved: true })
  })

  it('a cache directory under /proc (mkdir answers ENOENT there) is no cache, and the program runs', () => {
    const path = program(body)
    expect(run(path, 'copy', '/proc/nope/code')).toEqual({
      outcome: 'off',
      value: 42,
      file: 'program.cjs',
      self: true,
      saved: false
    })
  })

  it('a damaged cache is rejected, never run: the program runs, and the cache is made anew', () => {
    const path = program(body)
    run(path)
    const file = join(cache, codeCacheName(hash, 'copy'))
    const good = readFileSync(file)
    const body1 = Buffer.from(good)
    body1.fill(0x5a, 64) // the header intact, the body not: V8 without checksums crashes on it
    const flipped = Buffer.from(good)
    flipped[good.length - 3] ^= 1
    for (const data of [Buffer.from('not a cache'), body1, flipped, good.subarray(0, good.length >> 1)]) {
      writeFileSync(file, data)
      expect(run(path)).toMatchObject({ outcome: 'rejected', value: 42, saved: true })
      expect(run(path)).toMatchObject({ outcome: 'used', value: 42 })
    }
  })

  it('a cache of another program of the same length is never met: the hash is in its name', () => {
    const path = program(body)
    run(path)
    writeFileSync(path, `// promote-image program ${'f'.repeat(32)}\n${body.replace('2 * n', '3 * n')}`)
    expect(run(path)).toMatchObject({ outcome: 'none', value: 63 })
  })

  it('no cache when switched off, or for a program without its hash line', () => {
    const path = program(body)
    expect(run(path, 'copy', 'off')).toMatchObject({ outcome: 'off', value: 42, saved: false })
    writeFileSync(path, body)
    expect(run(path)).toMatchObject({ outcome: 'off', value: 42, saved: false })
    expect(readdirSync(dir)).toEqual(['program.cjs'])
  })

  it('an unwritable cache directory only means no cache: save() says false, nothing thrown', () => {
    const path = program(body)
    writeFileSync(cache, 'a file where the directory should be')
    expect(run(path)).toMatchObject({ outcome: 'off', value: 42, saved: false })
  })

  it('a directory others may write to is not used at all; a new one is made 0700, its cache 0600', () => {
    const path = program(body)
    expect(run(path)).toMatchObject({ outcome: 'none', saved: true })
    const file = join(cache, codeCacheName(hash, 'copy'))
    expect([statSync(cache).mode & 0o777, statSync(file).mode & 0o777]).toEqual([0o700, 0o600])
    for (const mode of [0o770, 0o707]) {
      chmodSync(cache, mode)
      expect(run(path)).toMatchObject({ outcome: 'off', value: 42, saved: false })
    }
    chmodSync(cache, 0o700)
    expect(run(path)).toMatchObject({ outcome: 'used' })
    const elsewhere = join(dir, 'elsewhere')
    mkdirSync(elsewhere)
    rmSync(cache, { recursive: true })
    symlinkSync(elsewhere, cache)
    expect(run(path)).toMatchObject({ outcome: 'off', saved: false })
    expect(readdirSync(elsewhere)).toEqual([])
  })

  it('a cache file others may write, of another owner, or a symbolic link is never read; it is replaced', () => {
    const path = program(body)
    run(path)
    const file = join(cache, codeCacheName(hash, 'copy'))
    const good = readFileSync(file)
    const planted: Array<[string, () => void]> = [
      ['group-writable', () => chmodSync(file, 0o660)],
      ['world-writable', () => chmodSync(file, 0o606)],
      ...(process.getuid?.() === 0
        ? [['another owner', () => chownSync(file, 4242, 4242)] as [string, () => void]]
        : []),
      [
        'a symbolic link',
        () => {
          const target = join(dir, 'target.bin')
          writeFileSync(target, good, { mode: 0o600 })
          rmSync(file)
          symlinkSync(target, file)
        }
      ]
    ]
    for (const [, plant] of planted) {
      plant()
      expect(run(path)).toMatchObject({ outcome: 'none', value: 42, saved: true })
      expect([lstatSync(file).isFile(), statSync(file).mode & 0o777, statSync(file).uid]).toEqual([
        true,
        0o600,
        process.getuid?.()
      ])
      expect(run(path)).toMatchObject({ outcome: 'used' })
    }
  })

  it('writing a cache removes stale caches beside it, keeps recent ones and other files', () => {
    const path = program(body)
    run(path)
    const old = join(cache, 'program-v18.0.0-x64-aaaa-copy.bin')
    const recent = join(cache, 'program-v22.0.0-x64-bbbb-copy.bin')
    const other = join(cache, 'notes.txt')
    for (const f of [old, recent, other]) writeFileSync(f, 'x')
    const past = (Date.now() - STALE_MS - 60_000) / 1000
    utimesSync(old, past, past)
    utimesSync(other, past, past)
    run(path, 'inspect')
    expect(readdirSync(cache).sort()).toEqual(
      [
        codeCacheName(hash, 'copy'),
        codeCacheName(hash, 'inspect'),
        'notes.txt',
        'program-v22.0.0-x64-bbbb-copy.bin'
      ].sort()
    )
  })
})
