/**
 * The action's registry client is bound to the run's interruption: SIGINT / SIGTERM (a cancelled
 * job) while a request waits on a registry that accepted the connection and never answers end the
 * run at once, failed, with the signal's exit status (130 / 143), not after `request-timeout`.
 * The action runs as the runner runs it (src/index.ts in a child process, INPUT_* in its
 * environment); the hung registry is a plain `net` server on loopback (helpers/hung.ts); the
 * request timeout is 600 s, so only the signal can end the run within the test's timeout.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { startRegistry, type TestRegistry } from './helpers/registry.js'
import { pushImage, randomBlob } from './helpers/images.js'
import { startHung } from './helpers/hung.js'

const root = resolve(import.meta.dirname, '..')

interface Exit {
  code: number | null
  stdout: string
  stderr: string
}

/** The action's entry point with `inputs` (as INPUT_* variables), in `dir`. */
function action(dir: string, name: string, inputs: Record<string, string>) {
  const output = join(dir, `${name}.out`)
  const summary = join(dir, `${name}.md`)
  writeFileSync(output, '')
  writeFileSync(summary, '')
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: dir,
    XDG_CACHE_HOME: dir,
    GITHUB_OUTPUT: output,
    GITHUB_STEP_SUMMARY: summary
  }
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(root, 'src/index.ts')], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const exited = new Promise<Exit>(done =>
    child.once('exit', code => setImmediate(() => done({ code, stdout, stderr })))
  )
  return { child, exited }
}

describe('the action, a signal while a registry does not answer', () => {
  let src: TestRegistry
  const dir = mkdtempSync(join(tmpdir(), 'pi-action-hung-'))
  let srcHost: string

  beforeAll(async () => {
    src = await startRegistry()
    srcHost = src.url.replace(/^https?:\/\//, '')
    await pushImage(src.url, 'app', [randomBlob(1024)], { tag: 'v1' })
  }, 60_000)
  afterAll(async () => {
    await src?.stop()
    await rm(dir, { recursive: true, force: true })
  })

  it('source on a hung registry, SIGTERM: ends at once, failed, exit 143', async () => {
    const hung = await startHung()
    try {
      const run = action(dir, 'hung-source', {
        source: `${hung.host}/app:v1`,
        targets: `${srcHost}/prod/app`,
        'request-timeout': '600'
      })
      expect(await hung.requested()).toBe('GET /v2/ HTTP/1.1')
      run.child.kill('SIGTERM')
      const r = await run.exited
      expect(r.code).toBe(143)
      expect(r.stdout.split('\n').filter(l => l.startsWith('::error'))).toEqual([
        '::error::interrupted by SIGTERM'
      ])
    } finally {
      await hung.stop()
    }
  }, 60_000)

  it('target on a hung registry, SIGINT: ends at once, interrupted before anything was written, exit 130', async () => {
    const hung = await startHung()
    try {
      const run = action(dir, 'hung-target', {
        source: `${srcHost}/app:v1`,
        targets: `${hung.host}/prod/app`,
        'request-timeout': '600'
      })
      expect(await hung.requested()).toBe('GET /v2/ HTTP/1.1')
      run.child.kill('SIGINT')
      const r = await run.exited
      expect(r.code).toBe(130)
      expect(r.stdout.split('\n').filter(l => l.startsWith('::error'))).toEqual([
        '::error::interrupted by SIGINT before anything was written'
      ])
    } finally {
      await hung.stop()
    }
  }, 60_000)

  it('merge from a hung staging registry, SIGINT: ends at once, nothing written, exit 130', async () => {
    const hung = await startHung()
    try {
      const run = action(dir, 'hung-merge', {
        'staging-image': `${hung.host}/app:merged`,
        merge: `${hung.host}/app:amd64`,
        targets: `${srcHost}/prod/app`,
        'request-timeout': '600'
      })
      expect(await hung.requested()).toBe('GET /v2/ HTTP/1.1')
      run.child.kill('SIGINT')
      const r = await run.exited
      expect(r.code).toBe(130)
      expect(r.stdout.split('\n').filter(l => l.startsWith('::error'))).toEqual([
        '::error::interrupted by SIGINT before anything was written'
      ])
    } finally {
      await hung.stop()
    }
  }, 60_000)
})
