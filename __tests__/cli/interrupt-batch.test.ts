/**
 * Interruptions of a promotion file (`promote -f FILE`) on real registries: SIGINT into a throttled
 * batch (the CLI in a child process) cancels every image's open upload sessions, names each
 * interrupted image with what landed where, and exits 130; an abort in the batch runner starts no
 * further image; a batch killed (SIGKILL) mid chunked upload is resumed by the next run from the
 * offset the registry confirms, as `copy` is (the promotion file's images get the same upload
 * state as a copy: engine-options.ts promoteSettings).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { readdir, readFile, rm } from 'node:fs/promises'
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
import { formatBytes } from '../../src/report/format.js'

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
  /** Runs `promote -f FILE --upload-mode chunked` in a child process with `cache` as XDG_CACHE_HOME. */
  const promoteFile = (path: string, cache: string) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', resolve(root, 'src/cli.ts'), 'promote', '-f', path, '--upload-mode', 'chunked'],
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
    const exited = new Promise<{ code: number | null; stdout: string; stderr: string }>(done =>
      child.once('exit', code => setImmediate(() => done({ code, stdout, stderr })))
    )
    return { child, exited }
  }
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
    expect(lines.slice(-6)).toEqual([
      // the total is the sum of what landed: one config per image
      `0 of 2 images promoted; 2 interrupted; blobs copied 2, mounted 0; ${formatBytes(config('one') + config('two'))} copied`,
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

  it('a promotion file with --upload-mode chunked, killed after the first 8 MiB of a large blob and re-run, resumes at the confirmed offset', async () => {
    ps.reset()
    pd.reset()
    throttled()
    const cache = mkdtempSync(join(tmpdir(), 'pi-cache-'))
    /** the upload state files kept (not their locks: a killed run leaves its own) */
    const kept = async (): Promise<string[]> =>
      (await readdir(join(cache, 'promote-image/uploads')).catch(() => [])).filter(f => f.endsWith('.json'))
    /** the offsets (bytes) the kept upload state files record */
    const keptOffsets = async (): Promise<number[]> => {
      const offsets: number[] = []
      for (const f of await kept()) {
        const text = await readFile(join(cache, 'promote-image/uploads', f), 'utf8').catch(() => '')
        try {
          offsets.push((JSON.parse(text) as { offset: number }).offset)
        } catch {
          // a file being written: read it again on the next turn
        }
      }
      return offsets
    }
    const path = join(dir, 'resume.yaml')
    const lines = ['images:', '  - name: one', `    source: ${ps.host}/team/one:rc`]
    writeFileSync(
      path,
      [...lines, `    targets: [${pd.host}/resume/one]`, '    tags: [v1]'].join('\n') + '\n'
    )
    const layer = (images.get('one') as SeededImage).blobs[1].size
    const run = promoteFile(path, cache)
    await until(() => patches('resume/one').includes('0-8388607 202'), 'the first chunk of the layer')
    // the acknowledged offset is on disk before the next chunk is read: the session is saved at
    // offset 0 before its first PATCH, so wait for the state that records the acknowledged 8 MiB
    // (killing between the 202 and that save leaves the offset-0 state, whose URL the registry
    // no longer accepts)
    const deadline = Date.now() + 5000
    while (!(await keptOffsets()).includes(8 * MiB) && Date.now() < deadline)
      await new Promise(r => setTimeout(r, 10))
    expect(await keptOffsets()).toEqual([8 * MiB])
    run.child.kill('SIGKILL')
    await run.exited
    ps.setFault(undefined)
    expect(await kept()).toHaveLength(1)
    expect(await sessions(dst, 'resume/one')).toHaveLength(1)

    pd.reset()
    const r = await promoteFile(path, cache).exited
    await rm(cache, { recursive: true, force: true })
    expect(r.code).toBe(0)
    expect(r.stdout).toBe(`one ${(images.get('one') as SeededImage).digest}\n`)
    // the registry was asked where the kept session stands (204, Range 0-8388607) …
    const status = pd.entries('GET', /^\/v2\/resume\/one\/blobs\/uploads\//)
    expect(status.map(e => [e.status, e.responseHeaders?.range])).toEqual([[204, '0-8388607']])
    // … the fresh session of this run was cancelled, and the PATCHes go on from byte 8388608;
    // resume/one has no tag yet, so its tag listing answers 404 and the config (under 1 MiB,
    // probe.ts RootProbe.unknownRepository) is sent again unasked, the layer asked about first
    expect(pd.entries('DELETE', /\/blobs\/uploads\//).map(e => e.status)).toEqual([204])
    expect(pd.entries('GET', /^\/v2\/resume\/one\/tags\/list/).map(e => e.status)).toEqual([404])
    expect(pd.entries('HEAD', /^\/v2\/resume\/one\/blobs\//).map(e => e.status)).toEqual([404])
    expect(patches('resume/one').sort()).toEqual(
      [`0-${config('one') - 1} 202`, '8388608-16777215 202', '16777216-20971519 202'].sort()
    )
    expect(pd.bytesOut(/^\/v2\/resume\/one\/blobs\/uploads\//)).toBe(layer - 8 * MiB + config('one'))
    expect(await listTags(dst.url, 'resume/one')).toEqual(['v1'])
    expect(await sessions(dst, 'resume/one')).toEqual([])
  }, 60_000)
})
