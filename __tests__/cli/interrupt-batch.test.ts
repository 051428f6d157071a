/**
 * Interruptions of a promotion file (`promote -f FILE`) on real registries: SIGINT into a throttled
 * batch (the CLI in a child process) cancels every image's open upload sessions, names each
 * interrupted image with what landed where, and exits 130; an abort in the batch runner starts no
 * further image.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { startRegistry, type TestRegistry } from '../helpers/registry.js'
import { startProxy, type Proxy } from '../helpers/proxy.js'
import { patchRanges, sessions, throttleBlobReads, until } from '../helpers/sessions.js'
import { listTags, pushImage, randomBlob, type SeededImage } from '../helpers/images.js'
import { createRegistryClient } from '../../src/registry/factory.js'
import { loadPromotionFile } from '../../src/batch/load.js'
import { runBatch } from '../../src/batch/run.js'
import { Interruption } from '../../src/copy/interrupt.js'

const root = resolve(import.meta.dirname, '../..')
const MiB = 1024 * 1024
const NAMES = ['one', 'two']

describe('promote -f interrupted', () => {
  let src: TestRegistry
  let dst: TestRegistry
  let ps: Proxy
  let pd: Proxy
  const images = new Map<string, SeededImage>()
  const dir = mkdtempSync(join(tmpdir(), 'pi-batch-int-'))

  beforeAll(async () => {
    ;[src, dst] = await Promise.all([startRegistry(), startRegistry()])
    ;[ps, pd] = await Promise.all([startProxy(src.url), startProxy(dst.url)])
    for (const name of NAMES)
      images.set(name, await pushImage(src.url, `team/${name}`, [randomBlob(20 * MiB)], { tag: 'rc' }))
  }, 60_000)
  afterAll(async () => {
    await Promise.all([ps?.stop(), pd?.stop()])
    await Promise.all([src?.stop(), dst?.stop()])
    await rm(dir, { recursive: true, force: true })
  })

  /** A promotion file of every image under `prefix/` at the target, tags v1. */
  const file = (prefix: string): string => {
    const path = join(dir, `${prefix}.yaml`)
    const lines = [
      'defaults:',
      `  targets: [${pd.host}/${prefix}]`,
      'images:',
      ...NAMES.flatMap(n => [`  - name: ${n}`, `    source: ${ps.host}/team/${n}:rc`, '    tags: [v1]'])
    ]
    writeFileSync(path, lines.join('\n') + '\n')
    return path
  }
  const throttled = (): void => throttleBlobReads(ps)
  /** `start-end status` of each PATCH that reached the target for `repository`. */
  const patches = (repository: string): string[] => patchRanges(pd, repository)
  const config = (name: string): number => (images.get(name) as SeededImage).blobs[0].size

  it('SIGINT into a throttled batch: every image interrupted and named, sessions cancelled, exit 130', async () => {
    ps.reset()
    pd.reset()
    throttled()
    const cache = mkdtempSync(join(tmpdir(), 'pi-cache-'))
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        resolve(root, 'src/cli.ts'),
        'promote',
        '-f',
        file('cli'),
        '--upload-mode',
        'chunked'
      ],
      {
        cwd: root,
        env: { ...process.env, XDG_CACHE_HOME: cache, NODE_OPTIONS: '' },
        stdio: ['ignore', 'pipe', 'pipe']
      }
    )
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    const exited = new Promise<number | null>(done =>
      child.once('exit', code => setImmediate(() => done(code)))
    )
    // each image's layer has its first 8 MiB chunk at the target; the next ones are being read
    await until(
      () => NAMES.every(n => patches(`cli/${n}`).includes('0-8388607 202')),
      'the first chunk of each layer'
    )
    child.kill('SIGINT')
    const code = await exited
    ps.setFault(undefined)
    await rm(cache, { recursive: true, force: true })
    expect(code).toBe(130)
    expect(stdout).toBe('')
    const lines = stderr.trimEnd().split('\n')
    expect(lines).toContain('promote-image: SIGINT: stopping; cancelling open uploads')
    expect(lines.slice(-5)).toEqual([
      'promote-image: 2 of 2 images interrupted:',
      '  one: interrupted by SIGINT; no tag was changed on any target:',
      `    ${pd.host}/cli/one: tags untouched; 1 of 2 blobs landed (${config('one')} bytes)`,
      '  two: interrupted by SIGINT; no tag was changed on any target:',
      `    ${pd.host}/cli/two: tags untouched; 1 of 2 blobs landed (${config('two')} bytes)`
    ])
    // one DELETE per image's open layer session, each answered 204: the registry holds none
    expect(pd.entries('DELETE', /\/blobs\/uploads\//).map(e => e.status)).toEqual([204, 204])
    for (const n of NAMES) {
      expect(await sessions(dst, `cli/${n}`)).toEqual([])
      expect(await listTags(dst.url, `cli/${n}`)).toEqual([])
    }
  }, 60_000)

  it('an abort while the first image runs: no further image is started', async () => {
    ps.reset()
    pd.reset()
    throttled()
    const controller = new AbortController()
    const client = createRegistryClient()
    const batch = runBatch(client, loadPromotionFile(file('one-at-a-time')).images, {
      imagesAtOnce: 1,
      uploadMode: 'chunked',
      signal: controller.signal
    })
    await until(() => patches('one-at-a-time/one').includes('0-8388607 202'), 'the first chunk of one')
    controller.abort(new Interruption('SIGTERM'))
    const outcomes = await batch
    await client.close()
    ps.setFault(undefined)
    expect(outcomes.map(o => [o.image.name, o.result, o.error?.message])).toEqual([
      [
        'one',
        undefined,
        `interrupted by SIGTERM; no tag was changed on any target:\n  ${pd.host}/one-at-a-time/one: tags untouched; 1 of 2 blobs landed (${config('one')} bytes)`
      ],
      ['two', undefined, 'interrupted by SIGTERM before anything was written']
    ])
    // image two sent nothing to the target: not even a manifest HEAD
    expect(pd.entries('*', /^\/v2\/one-at-a-time\/two\//)).toEqual([])
    expect(pd.entries('DELETE', /\/blobs\/uploads\//).map(e => e.status)).toEqual([204])
  }, 60_000)
})
