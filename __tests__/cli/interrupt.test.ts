/**
 * Interruptions of the CLI in a child process (`node --import tsx src/cli.ts`), on real registries
 * (issue 11, point 4): SIGINT into a slow copy (the source throttled by the fault proxy) cancels
 * every open upload session, says per target what is there and exits 130; the re-run completes
 * with every byte counted. A chunked upload whose process is killed (SIGKILL) mid-way is resumed by
 * the next run from the offset the registry reports (upload status, end-13) instead of byte 0.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { startRegistry, type TestRegistry } from '../helpers/registry.js'
import { startProxy, type Proxy } from '../helpers/proxy.js'
import { patchRanges, sessions, throttleBlobReads, until } from '../helpers/sessions.js'
import { listTags, pushImage, randomBlob, type SeededImage } from '../helpers/images.js'
import { formatBytes } from '../../src/report/format.js'

const root = resolve(import.meta.dirname, '../..')
const MiB = 1024 * 1024

interface Run {
  child: ChildProcess
  exited: Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>
}

/** Starts the CLI with `args`; the cache directory (upload state) is `cache`. */
function cli(cache: string, ...args: string[]): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(root, 'src/cli.ts'), ...args], {
    cwd: root,
    env: { ...process.env, XDG_CACHE_HOME: cache, NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()))
  const exited = new Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>(
    done => child.once('exit', (code, signal) => setImmediate(() => done({ code, signal, stdout, stderr })))
  )
  return { child, exited }
}

describe('CLI interrupted', () => {
  let src: TestRegistry
  let dst: TestRegistry
  let ps: Proxy
  let pd: Proxy
  let image: SeededImage
  let cache: string

  beforeAll(async () => {
    ;[src, dst] = await Promise.all([startRegistry(), startRegistry()])
    ;[ps, pd] = await Promise.all([startProxy(src.url), startProxy(dst.url)])
    image = await pushImage(src.url, 'app', [randomBlob(20 * MiB)], { tag: 'v1' })
    cache = await mkdtemp(join(tmpdir(), 'pi-cache-'))
  }, 60_000)
  afterAll(async () => {
    await Promise.all([ps?.stop(), pd?.stop()])
    await Promise.all([src?.stop(), dst?.stop()])
    if (cache) await rm(cache, { recursive: true, force: true })
  })
  // each test copies the same image into a new repository: the record of where an earlier test put
  // its blobs (copy/blob-memory.ts) would have them mounted, with nothing left to interrupt
  beforeEach(() => rm(join(cache, 'promote-image/blobs'), { recursive: true, force: true }))

  /** The upload state files kept in the cache directory (not their locks: a killed run leaves its own). */
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
  const throttled = (): void => throttleBlobReads(ps)
  /** `start-end` of each PATCH that reached the target for `repository`, with its status. */
  const patches = (repository: string): string[] => patchRanges(pd, repository)
  /** the config's one PATCH (a re-run sends it again: the target, with no tag yet, lists no tag) */
  const configPatch = (): string => `0-${image.blobs[0].size - 1} 202`
  /** `patches` of the layer only, after checking the config's came once */
  const layerPatches = (repository: string): string[] => {
    expect(patches(repository).filter(x => x === configPatch())).toEqual([configPatch()])
    return patches(repository).filter(x => x !== configPatch())
  }
  const copyArgs = (repository: string): string[] => [
    'copy',
    `${ps.host}/app:v1`,
    `${pd.host}/${repository}:v1`,
    '--upload-mode',
    'chunked'
  ]

  it('SIGINT into a slow copy: sessions cancelled, one line per target, exit 130; the re-run completes', async () => {
    ps.reset()
    pd.reset()
    throttled()
    const run = cli(cache, ...copyArgs('int'))
    // the layer's first 8 MiB chunk landed (~2 s in); the next one is still being read
    await until(() => patches('int').includes('0-8388607 202'), 'the first chunk of the layer')
    run.child.kill('SIGINT')
    const r = await run.exited
    ps.setFault(undefined)
    expect(r.code).toBe(130)
    const lines = r.stderr.trimEnd().split('\n')
    expect(lines.slice(-2)).toEqual([
      'promote-image: interrupted by SIGINT; no tag was changed on any target:',
      // the config (small) landed; the layer's upload was cancelled
      `  ${pd.host}/int: tags untouched; 1 of 2 blobs landed (${image.blobs[0].size} bytes)`
    ])
    expect(lines).toContain('promote-image: SIGINT: stopping; cancelling open uploads')
    expect(r.stdout).toBe('')
    // the layer's session was DELETEd: the registry holds none, and no state is kept for a resume
    expect(pd.entries('DELETE', /\/blobs\/uploads\//).map(e => e.status)).toEqual([204])
    expect(await sessions(dst, 'int')).toEqual([])
    expect(await kept()).toEqual([])
    expect(await listTags(dst.url, 'int')).toEqual([])

    pd.reset()
    const r2 = await cli(cache, ...copyArgs('int')).exited
    expect(r2.code).toBe(0)
    expect(r2.stdout).toBe(`${image.digest}\n`)
    // the layer copied from byte 0; the config, landed before, sent again unasked: the target has
    // no tag yet, so its tag listing answers 404 as for a new repository (probe.ts)
    const layer = image.blobs[1].size
    expect(layerPatches('int')).toEqual(['0-8388607 202', '8388608-16777215 202', '16777216-20971519 202'])
    expect(r2.stderr.split('\n').filter(l => l.startsWith('copied'))).toEqual([
      expect.stringMatching(
        new RegExp(
          `^copied 20\\.0 MiB of 20\\.0 MiB \\(100%\\), \\S+ \\S+ on average \\(2 of 2 blobs done\\)$`
        )
      )
    ])
    expect(formatBytes(layer)).toBe('20.0 MiB')
    expect(await listTags(dst.url, 'int')).toEqual(['v1'])
    expect(await sessions(dst, 'int')).toEqual([])
  }, 60_000)

  it('a monolithic PUT cut mid-body: the session distribution refuses to DELETE is named, not hidden', async () => {
    ps.reset()
    pd.reset()
    throttled()
    const run = cli(cache, 'copy', `${ps.host}/app:v1`, `${pd.host}/mono:v1`)
    // the layer's PUT is streaming (the config's landed at once)
    await until(
      () => pd.entries('PUT', /\/blobs\/uploads\//).some(e => e.requestBytes > MiB),
      'the layer PUT'
    )
    run.child.kill('SIGINT')
    const r = await run.exited
    ps.setFault(undefined)
    expect(r.code).toBe(130)
    expect(r.stderr.trimEnd().split('\n').slice(-2)).toEqual([
      'promote-image: interrupted by SIGINT; no tag was changed on any target:',
      `  ${pd.host}/mono: tags untouched; 1 of 2 blobs landed (${image.blobs[0].size} bytes); 1 cancelled upload session kept by the registry (it refused the DELETE; its upload purging removes it)`
    ])
    // distribution answers 404 BLOB_UPLOAD_INVALID: the cut PUT left more bytes than its _state says
    const deletes = pd.entries('DELETE', /\/blobs\/uploads\//)
    expect(deletes.map(e => e.status)).toEqual([404])
    expect(await sessions(dst, 'mono')).toHaveLength(1)
    // nor does its status (end-13) give a fresh _state to DELETE: distribution checks the _state
    // against the bytes it holds before any method on the session, GET included (and without _state)
    const cut = new URL(deletes[0].path, dst.url)
    for (const url of [cut, new URL(cut.pathname, dst.url)]) {
      const res = await fetch(url)
      expect([res.status, (await res.json()) as unknown]).toEqual([
        404,
        { errors: [expect.objectContaining({ code: 'BLOB_UPLOAD_INVALID' })] }
      ])
    }
    expect(await sessions(dst, 'mono')).toHaveLength(1)
  }, 60_000)

  it('SIGINT during the tag step: the tags are finished, the message says so, exit 0', async () => {
    ps.reset()
    pd.reset()
    let heads = 0
    // the tag step's check that the new tag serves the digest (its 2nd HEAD; the 1st is the probe;
    // asked because the tag's PUT answers without Docker-Content-Digest) is held 1.5 s at the
    // target; the signal arrives while it is
    pd.setFault(req => {
      if (req.url !== '/v2/tagstep/manifests/v1') return undefined
      if (req.method === 'PUT') return { kind: 'dropHeader', name: 'docker-content-digest' }
      if (req.method !== 'HEAD') return undefined
      return ++heads === 2 ? { kind: 'delay', ms: 1500 } : undefined
    })
    const tagging = (): boolean => heads === 2
    const run = cli(cache, 'copy', `${ps.host}/app:v1`, `${pd.host}/tagstep:v1`)
    await until(tagging, 'the tag step')
    run.child.kill('SIGINT')
    const r = await run.exited
    pd.setFault(undefined)
    expect(r.code).toBe(0)
    expect(r.stdout).toBe(`${image.digest}\n`)
    const lines = r.stderr.split('\n')
    const at = lines.indexOf('promote-image: SIGINT: stopping; cancelling open uploads')
    expect(lines.slice(at, at + 2)).toEqual([
      'promote-image: SIGINT: stopping; cancelling open uploads',
      'interrupted by SIGINT during the tag step: finishing the tags so no target is left half-tagged; the result follows'
    ])
    expect(await listTags(dst.url, 'tagstep')).toEqual(['v1'])
    expect(pd.entries('DELETE', /\/blobs\/uploads\//)).toEqual([])
  }, 60_000)

  it('SIGTERM: the same clean-up, exit 143', async () => {
    ps.reset()
    pd.reset()
    throttled()
    const run = cli(cache, ...copyArgs('term'))
    await until(() => patches('term').includes('0-8388607 202'), 'the first chunk of the layer')
    run.child.kill('SIGTERM')
    const r = await run.exited
    ps.setFault(undefined)
    expect(r.code).toBe(143)
    expect(r.stderr.trimEnd().split('\n').slice(-2)).toEqual([
      'promote-image: interrupted by SIGTERM; no tag was changed on any target:',
      `  ${pd.host}/term: tags untouched; 1 of 2 blobs landed (${image.blobs[0].size} bytes)`
    ])
    expect(pd.entries('DELETE', /\/blobs\/uploads\//).map(e => e.status)).toEqual([204])
    expect(await sessions(dst, 'term')).toEqual([])
    expect(await kept()).toEqual([])
  }, 60_000)

  it('killed (SIGKILL) mid chunked upload: the next run resumes at the offset the registry reports', async () => {
    ps.reset()
    pd.reset()
    throttled()
    const run = cli(cache, ...copyArgs('resume'))
    await until(() => patches('resume').includes('0-8388607 202'), 'the first chunk of the layer')
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
    expect(await sessions(dst, 'resume')).toHaveLength(1)

    pd.reset()
    const r = await cli(cache, ...copyArgs('resume')).exited
    expect(r.code).toBe(0)
    expect(r.stdout).toBe(`${image.digest}\n`)
    // the registry was asked where the kept session stands (204, Range 0-8388607) …
    const status = pd.entries('GET', /^\/v2\/resume\/blobs\/uploads\//)
    expect(status.map(e => [e.status, e.responseHeaders?.range])).toEqual([[204, '0-8388607']])
    // … the fresh session of this run was cancelled, and the PATCHes go on from byte 8388608
    expect(pd.entries('DELETE', /\/blobs\/uploads\//).map(e => e.status)).toEqual([204])
    expect(layerPatches('resume')).toEqual(['8388608-16777215 202', '16777216-20971519 202'])
    expect(pd.bytesOut(/^\/v2\/resume\/blobs\/uploads\//)).toBe(
      image.blobs[1].size - 8 * MiB + image.blobs[0].size
    )
    expect(await listTags(dst.url, 'resume')).toEqual(['v1'])
    expect(await sessions(dst, 'resume')).toEqual([])
    expect(await kept()).toEqual([])
  }, 60_000)
})
