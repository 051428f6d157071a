/**
 * src/copy/state-files.ts trustedDirectory under /proc, where mkdir answers ENOENT although the
 * parent exists: Node 20's recursive mkdir loops there for ever (newuser3 finding 11), so a cache
 * directory set under /proc (XDG_CACHE_HOME, PROMOTE_IMAGE_COMPILE_CACHE) hung every command.
 * Each case runs in a process of its own: a loop in a synchronous mkdir would never give jest back
 * its thread. The spawn's `timeout` only ends such a process so the test fails instead of hanging.
 */
import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const module = JSON.stringify(resolve(import.meta.dirname, '../../src/copy/state-files.ts'))

/** Runs `lines` (an ES module importing trustedDirectory, trustedDirectorySync) in a new process. */
function runModule(
  lines: string[],
  env: Record<string, string> = {}
): { status: number | null; signal: string | null; stdout: string; stderr: string } {
  const source = [`import { trustedDirectory, trustedDirectorySync } from ${module}`, ...lines].join('\n')
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', source], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', ...env },
    timeout: 120_000
  })
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr }
}

describe('trustedDirectory under /proc', () => {
  it('refuses a directory it cannot create there, and ends', () => {
    const r = runModule([
      "console.log(trustedDirectorySync('/proc/nope/code'))",
      "console.log(await trustedDirectory('/proc/x/promote-image/uploads'))",
      "console.log(trustedDirectorySync('/proc/self/nope'))"
    ])
    expect(r).toEqual({
      status: 0,
      signal: null,
      stdout: [
        'cannot create or read it (ENOENT)',
        'cannot create or read it (ENOENT)',
        'cannot create or read it (ENOENT)',
        ''
      ].join('\n'),
      stderr: ''
    })
  })

  it('still creates each missing directory elsewhere, mode 0700', () => {
    const dir = mkdtempSync(join(tmpdir(), 'state-files-'))
    try {
      const r = runModule([
        `console.log(trustedDirectorySync(${JSON.stringify(join(dir, 'a/b/c'))}))`,
        `console.log(await trustedDirectory(${JSON.stringify(join(dir, 'a/d'))}))`
      ])
      expect(r).toEqual({ status: 0, signal: null, stdout: 'undefined\nundefined\n', stderr: '' })
      for (const d of ['a', 'a/b', 'a/b/c', 'a/d']) expect(statSync(join(dir, d)).mode & 0o777).toBe(0o700)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
