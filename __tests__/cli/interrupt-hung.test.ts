/**
 * SIGINT / SIGTERM while a request waits on a registry that accepted the connection and never
 * answers (newuser-findings item 2): the CLI (a child process) ends the request at once, not after
 * `--timeout`, and reports the run as interrupted with the signal's exit status (130 / 143). The
 * hung registry is a plain `net` server on loopback; the signal is sent once it has the request's
 * bytes. The request timeout is 600 s, so only the signal can end the run within the test's timeout.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { startRegistry, type TestRegistry } from '../helpers/registry.js'
import { pushImage, randomBlob } from '../helpers/images.js'
import { startHung } from '../helpers/hung.js'

const root = resolve(import.meta.dirname, '../..')

interface Exit {
  code: number | null
  stdout: string
  stderr: string
}

/** The CLI with `args`, in its own cache directory. */
function cli(cache: string, ...args: string[]): { child: ChildProcess; exited: Promise<Exit> } {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(root, 'src/cli.ts'), ...args], {
    cwd: root,
    env: { ...process.env, XDG_CACHE_HOME: cache, NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()))
  const exited = new Promise<Exit>(done =>
    child.once('exit', code => setImmediate(() => done({ code, stdout, stderr })))
  )
  return { child, exited }
}

describe('a signal while a registry does not answer', () => {
  let src: TestRegistry
  const dir = mkdtempSync(join(tmpdir(), 'pi-hung-'))
  let srcHost: string
  let digest: string

  beforeAll(async () => {
    src = await startRegistry()
    srcHost = src.url.replace(/^https?:\/\//, '')
    digest = (await pushImage(src.url, 'app', [randomBlob(1024)], { tag: 'v1' })).digest
  }, 60_000)
  afterAll(async () => {
    await src?.stop()
    await rm(dir, { recursive: true, force: true })
  })

  it('copy to a hung target, SIGINT: ends at once, interrupted, exit 130', async () => {
    const hung = await startHung()
    try {
      const run = cli(dir, 'copy', '--timeout', '600', `${srcHost}/app:v1`, `${hung.host}/a/b`)
      // no ping: the target's first request is one of its manifest HEADs
      expect(await hung.requested()).toMatch(/^HEAD \/v2\/a\/b\/manifests\/\S+ HTTP\/1\.1$/)
      run.child.kill('SIGINT')
      const r = await run.exited
      expect(r.code).toBe(130)
      expect(r.stderr.trimEnd().split('\n')).toEqual([
        `${srcHost}/app:v1 is ${digest}`,
        'promote-image: SIGINT: stopping; cancelling open uploads',
        'promote-image: interrupted by SIGINT before anything was written'
      ])
      expect(r.stdout).toBe('')
    } finally {
      await hung.stop()
    }
  }, 60_000)

  it('copy from a hung source, SIGTERM: ends at once, interrupted, exit 143', async () => {
    const hung = await startHung()
    try {
      const run = cli(dir, 'copy', '--timeout', '600', `${hung.host}/app:v1`, `${srcHost}/copy/app`)
      // no ping: the source's first request is its GET by tag or the tag listing beside it
      expect(await hung.requested()).toMatch(/^GET \/v2\/app\/(manifests\/v1|tags\/list\S*) HTTP\/1\.1$/)
      run.child.kill('SIGTERM')
      const r = await run.exited
      expect(r.code).toBe(143)
      expect(r.stderr.trimEnd().split('\n')).toEqual([
        'promote-image: SIGTERM: stopping; cancelling open uploads',
        'promote-image: interrupted by SIGTERM before anything was written'
      ])
    } finally {
      await hung.stop()
    }
  }, 60_000)

  it('promote -f to a hung target, SIGINT: the image is INTERRUPTED, not FAILED; exit 130', async () => {
    const hung = await startHung()
    try {
      const file = join(dir, 'hung.yaml')
      const lines = [
        'images:',
        '  - name: app',
        `    source: ${srcHost}/app:v1`,
        `    targets: [${hung.host}/a/b]`
      ]
      writeFileSync(file, lines.join('\n') + '\n')
      const run = cli(dir, 'promote', '-f', file, '--timeout', '600')
      // no ping: a promotion file asks each target repository's tag listing first (2a846d6)
      expect(await hung.requested()).toBe('GET /v2/a/b/tags/list?n=1000 HTTP/1.1')
      run.child.kill('SIGINT')
      const r = await run.exited
      expect(r.code).toBe(130)
      expect(r.stderr.trimEnd().split('\n')).toEqual([
        `[app] ${srcHost}/app:v1 is ${digest}`,
        'promote-image: SIGINT: stopping; cancelling open uploads',
        `app: ${srcHost}/app:v1`,
        '  INTERRUPTED: interrupted by SIGINT before anything was written',
        '',
        '0 of 1 images promoted; 1 interrupted; blobs copied 0, mounted 0; 0 B copied',
        'promote-image: 1 of 1 images interrupted:',
        '  app: interrupted by SIGINT before anything was written'
      ])
      expect(r.stdout).toBe('')
    } finally {
      await hung.stop()
    }
  }, 60_000)

  it('merge from a hung registry, SIGINT: ends at once, interrupted, exit 130', async () => {
    const hung = await startHung()
    try {
      const run = cli(
        dir,
        'merge',
        '--timeout',
        '600',
        '--to',
        `${hung.host}/app:merged`,
        `${hung.host}/app:amd64`
      )
      // no ping: its first request is one for a manifest
      expect(await hung.requested()).toMatch(/^(GET|HEAD) \/v2\/app\/manifests\/\S+ HTTP\/1\.1$/)
      run.child.kill('SIGINT')
      const r = await run.exited
      expect(r.code).toBe(130)
      expect(r.stderr.trimEnd().split('\n')).toEqual([
        'promote-image: SIGINT: stopping; cancelling open uploads',
        'promote-image: interrupted by SIGINT before anything was written'
      ])
      expect(r.stdout).toBe('')
    } finally {
      await hung.stop()
    }
  }, 60_000)

  it('merge into a hung staging registry, SIGTERM while copying a child in: exit 143, nothing written', async () => {
    const hung = await startHung()
    try {
      const run = cli(
        dir,
        'merge',
        '--timeout',
        '600',
        '--to',
        `${hung.host}/app:merged`,
        `${srcHost}/app:v1`
      )
      // no ping: its first request is one for a manifest
      expect(await hung.requested()).toMatch(/^(GET|HEAD) \/v2\/app\/manifests\/\S+ HTTP\/1\.1$/)
      run.child.kill('SIGTERM')
      const r = await run.exited
      expect(r.code).toBe(143)
      expect(r.stderr.trimEnd().split('\n')).toEqual([
        `merge: ${digest} linux/amd64 from ${srcHost}/app:v1`,
        'promote-image: SIGTERM: stopping; cancelling open uploads',
        'promote-image: interrupted by SIGTERM before anything was written'
      ])
      expect(r.stdout).toBe('')
    } finally {
      await hung.stop()
    }
  }, 60_000)
})
