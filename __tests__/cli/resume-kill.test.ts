/**
 * A 40 MiB chunked upload (8 MiB PATCHes) whose CLI process is killed (SIGKILL) at five points,
 * each re-run resuming it (issue 24, "what it must show"): real distribution 2.8 registries behind
 * recording stand-ins (helpers/proxy.ts). The kill lands where bytes observed at a stand-in say, never
 * after a sleep: the source's blob read stalls at a chosen offset (so no further PATCH can start), a
 * PATCH's body is held after a chosen number of bytes, or the closing PUT is held. Per point: the
 * re-run says `resuming at byte N`, sends the target only the blob's bytes from N (< 80 % of it),
 * and the target serves the source's digest.
 *
 * The fifth point, a PATCH cut mid-body after the registry stored part of it, needs a registry that
 * reports what it holds (end-13). distribution does not: it signs the offset into the session URL's
 * `_state` and refuses every request on a session whose bytes no longer match it (logged "upload
 * resumed at wrong offest"), so its session is lost and the re-run restarts from byte 0; that is
 * asserted too. The stand-in's commitPartial plays the registry that keeps the part and reports it.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { startRegistry, type TestRegistry } from '../helpers/registry.js'
import { startProxy, type FaultHook, type Proxy } from '../helpers/proxy.js'
import { patchRanges, sessions, until } from '../helpers/sessions.js'
import { listTags, pushImage, randomBlob, type SeededImage } from '../helpers/images.js'

const root = resolve(import.meta.dirname, '../..')
const MiB = 1024 * 1024
const CHUNK = 8 * MiB
const SIZE = 40 * MiB

interface Exit {
  code: number | null
  stdout: string
  stderr: string
}

/** Starts the CLI (`-v`) with `args`; the upload state lives under `cache`. */
function cli(
  cache: string,
  args: string[]
): { kill: () => void; exited: Promise<Exit>; stderr: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(root, 'src/cli.ts'), ...args], {
    cwd: root,
    env: { ...process.env, XDG_CACHE_HOME: cache, NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const exited = new Promise<Exit>(done =>
    child.once('exit', code => setImmediate(() => done({ code, stdout, stderr })))
  )
  return { kill: () => child.kill('SIGKILL'), exited, stderr: () => stderr }
}

describe('SIGKILL at five points of a 40 MiB chunked upload: each re-run resumes', () => {
  let src: TestRegistry
  let dst: TestRegistry
  let ps: Proxy
  let pd: Proxy
  let image: SeededImage
  let layer: string
  const caches: string[] = []
  /** per point: bytes the re-run sent, the offset it resumed at */
  const figures: Record<string, { resumedAt: number; sent: number }> = {}

  beforeAll(async () => {
    ;[src, dst] = await Promise.all([startRegistry(), startRegistry()])
    ;[ps, pd] = await Promise.all([startProxy(src.url), startProxy(dst.url)])
    image = await pushImage(src.url, 'app', [randomBlob(SIZE)], { tag: 'v1' })
    layer = image.blobs[1].digest
    expect(image.blobs[1].size).toBe(SIZE)
  }, 60_000)
  afterAll(async () => {
    await Promise.all([ps?.stop(), pd?.stop()])
    await Promise.all([src?.stop(), dst?.stop()])
    await Promise.all(caches.map(c => rm(c, { recursive: true, force: true })))
    // the figures of the closing note
    process.stderr.write(`resume-kill figures: ${JSON.stringify(figures)}\n`)
  })

  const args = (repository: string): string[] => [
    'copy',
    `${ps.host}/app:v1`,
    `${pd.host}/${repository}:v1`,
    '--upload-mode',
    'chunked',
    '-v'
  ]
  const uploads = (repository: string): RegExp => new RegExp(`^/v2/${repository}/blobs/uploads/`)
  /** the source's read of the layer stalls after `bytes`: no PATCH past them can start */
  const stallSourceAt =
    (bytes: number): FaultHook =>
    req =>
      req.method === 'GET' && req.url?.endsWith(`/blobs/${layer}`)
        ? { kind: 'stall', afterBytes: bytes }
        : undefined
  /** the offsets the kept upload state files of this cache say */
  const keptOffsets = async (cache: string): Promise<number[]> => {
    const dir = join(cache, 'promote-image/uploads')
    const files = (await readdir(dir).catch(() => [])).filter(f => f.endsWith('.json'))
    const texts = await Promise.all(files.map(f => readFile(join(dir, f), 'utf8').catch(() => '')))
    return texts.flatMap(t => {
      try {
        return [(JSON.parse(t) as { offset: number }).offset]
      } catch {
        return [] // being replaced
      }
    })
  }
  /** waits (polling, up to 20 s) until a kept state says `offset` */
  const keptAt = async (cache: string, offset: number): Promise<void> => {
    const deadline = Date.now() + 20_000
    while (!(await keptOffsets(cache)).includes(offset)) {
      if (Date.now() > deadline) throw new Error(`the kept state never said ${offset}`)
      await new Promise(r => setTimeout(r, 20))
    }
  }
  /** the layer's PATCH starting at byte `start` */
  const layerPatchAt = (req: { method?: string; headers: Record<string, unknown> }, start: number): boolean =>
    req.method === 'PATCH' && String(req.headers['content-range']).startsWith(`${start}-`) && start > 0
  /** runs `kill` after `ready`, whether ready holds or throws (no run outlives its test) */
  const killWhen = async (
    ready: () => Promise<void>,
    kill: () => void,
    exited: Promise<Exit>
  ): Promise<Exit> => {
    try {
      await ready()
    } finally {
      kill()
    }
    return await exited
  }

  /**
   * Runs the copy into `repository` with the stand-ins' faults `source`/`target`, kills it (SIGKILL)
   * once `ready` holds, then re-runs it with no fault.
   * @returns the re-run's exit, its `resuming at byte N` offset and the bytes it sent the target's uploads
   */
  async function killAndRerun(
    repository: string,
    faults: { source?: FaultHook; target?: FaultHook },
    ready: (cache: string, run: ReturnType<typeof cli>) => Promise<void>,
    afterKill?: () => Promise<void>
  ): Promise<{ r: Exit; resumedAt: number; sent: number; cache: string }> {
    const cache = await mkdtemp(join(tmpdir(), 'pi-resume-kill-'))
    caches.push(cache)
    ps.reset()
    pd.reset()
    ps.setFault(faults.source)
    pd.setFault(faults.target)
    const run = cli(cache, args(repository))
    const killed = await killWhen(() => ready(cache, run), run.kill, run.exited).finally(() => {
      ps.setFault(undefined)
      pd.setFault(undefined)
    })
    expect(killed.stdout).toBe('')
    await afterKill?.()
    return { ...(await rerun(repository, cache)), cache }
  }

  /** The re-run of a killed copy (no faults), with its figures. */
  async function rerun(
    repository: string,
    cache: string
  ): Promise<{ r: Exit; resumedAt: number; sent: number }> {
    pd.reset()
    const r = await cli(cache, args(repository)).exited
    const said = /: resuming at byte (\d+) of (\d+) /.exec(r.stderr)
    // the target has no tag yet, so its tag listing answers 404 as for a new repository: the config
    // (under 1 MiB) is sent again unasked, in one PATCH; `sent` counts the layer's bytes
    const config = image.blobs[0].size
    expect(patchRanges(pd, repository).filter(x => x === configRange())).toEqual([configRange()])
    return { r, resumedAt: said ? Number(said[1]) : -1, sent: pd.bytesOut(uploads(repository)) - config }
  }
  /** the config's one PATCH (163 bytes) */
  const configRange = (): string => `0-${image.blobs[0].size - 1} 202`
  /** the layer's PATCHes at the target, in order */
  const layerRanges = (repository: string): string[] =>
    patchRanges(pd, repository).filter(x => x !== configRange())

  /** The checks every point shares: resumed at `at`, only the rest sent, the source's digest served. */
  async function resumedWell(
    point: string,
    repository: string,
    run: { r: Exit; resumedAt: number; sent: number },
    at: number
  ): Promise<void> {
    figures[point] = { resumedAt: run.resumedAt, sent: run.sent }
    expect(run.r.code).toBe(0)
    expect(run.r.stdout).toBe(`${image.digest}\n`)
    expect(run.resumedAt).toBe(at)
    expect(run.sent).toBe(SIZE - at)
    expect(run.sent).toBeLessThan(0.8 * SIZE)
    // the target serves the source's digest, and holds the layer under its digest
    const head = await fetch(`${dst.url}/v2/${repository}/manifests/v1`, {
      method: 'HEAD',
      headers: { accept: image.mediaType }
    })
    expect(head.headers.get('docker-content-digest')).toBe(image.digest)
    const blob = await fetch(`${dst.url}/v2/${repository}/blobs/${layer}`, { method: 'HEAD' })
    expect([blob.status, blob.headers.get('content-length')]).toEqual([200, String(SIZE)])
    expect(await listTags(dst.url, repository)).toEqual(['v1'])
    expect(await sessions(dst, repository)).toEqual([])
  }

  it('0. before the first PATCH of the upload: the empty session is taken up (resuming at byte 0), none left behind', async () => {
    const run = await killAndRerun('beforepatch', { source: stallSourceAt(4 * MiB) }, async cache => {
      await until(
        () => ps.entries('GET', new RegExp(`/blobs/${layer}$`)).some(e => e.responseBytes === 4 * MiB),
        'the stall'
      )
      // the config (small) has landed: the layer's is the one upload left
      const config = image.blobs[0].digest
      await until(
        () =>
          pd
            .entries('PUT', uploads('beforepatch'))
            .some(e => decodeURIComponent(e.path).includes(config) && e.status === 201),
        'the config landed'
      )
      await keptAt(cache, 0)
    })
    expect(run.r.code).toBe(0)
    expect(run.r.stdout).toBe(`${image.digest}\n`)
    expect(run.r.stderr).toContain(
      `blob ${layer} to ${pd.host}/beforepatch: resuming at byte 0 of ${SIZE} (the registry holds 0 bytes)`
    )
    // the kept session was asked (204, Range 0-0) and goes on; this run's fresh one is cancelled.
    // The config, sent again unasked (the target lists no tag yet), may find the state of its own
    // finished upload still kept when the kill came before it was dropped: the registry answers
    // 404 for that session and the config starts afresh
    const asked = pd.entries('GET', uploads('beforepatch')).map(e => [e.status, e.responseHeaders?.range])
    expect(asked.filter(a => a[0] !== 404)).toEqual([[204, '0-0']])
    expect(asked.filter(a => a[0] === 404).length).toBeLessThanOrEqual(1)
    expect(pd.entries('DELETE', uploads('beforepatch')).map(e => e.status)).toEqual([204])
    // nothing had landed, so every byte is sent: 100 % (the < 80 % of the other points cannot apply)
    expect(run.sent).toBe(SIZE)
    figures['before the first PATCH'] = { resumedAt: run.resumedAt, sent: run.sent }
    expect(await sessions(dst, 'beforepatch')).toEqual([])
    expect(await listTags(dst.url, 'beforepatch')).toEqual(['v1'])
  }, 120_000)

  it('1. right after a PATCH answered 202 (16 MiB acknowledged and kept; the source stalled before the next chunk)', async () => {
    const run = await killAndRerun('after202', { source: stallSourceAt(20 * MiB) }, async cache => {
      await keptAt(cache, 2 * CHUNK)
    })
    expect(run.r.stderr).toContain(
      `blob ${layer} to ${pd.host}/after202: resuming at byte ${2 * CHUNK} of ${SIZE} (the registry holds ${2 * CHUNK} bytes)`
    )
    expect(layerRanges('after202')).toEqual([
      '16777216-25165823 202',
      '25165824-33554431 202',
      '33554432-41943039 202'
    ])
    // what this run sent is what is reported (finding 4: resumed bytes were reported as sent)
    expect(run.r.stderr.split('\n').filter(l => l.startsWith('copied'))).toEqual([
      expect.stringMatching(
        /^copied 24\.0 MiB of 24\.0 MiB \(100%\), \S+ \S+ on average \(2 of 2 blobs done; 16\.0 MiB resumed from an earlier run\)$/
      )
    ])
    // the config too is copied again (no blob HEAD under 1 MiB while the target lists no tag)
    expect(run.r.stderr).toMatch(/\/after202 +0 +0 +2 +24\.0 MiB +1 +v1 \(create\) /)
    await resumedWell('after a 202', 'after202', run, 2 * CHUNK)
  }, 120_000)

  it('2. mid-PATCH, before any byte of it reached the registry (the 3rd PATCH held at the stand-in)', async () => {
    const hold: FaultHook = req =>
      layerPatchAt(req, 2 * CHUNK) ? { kind: 'holdRequest', afterBytes: 0 } : undefined
    const run = await killAndRerun('midnone', { target: hold }, async () => {
      await until(() => pd.entries('PATCH', uploads('midnone')).some(e => e.held), 'the 3rd PATCH held')
    })
    await resumedWell('mid-PATCH, nothing of it stored', 'midnone', run, 2 * CHUNK)
  }, 120_000)

  it("3. mid-PATCH, part of it stored by the registry: the registry's Range wins over the kept offset", async () => {
    const part = 3 * MiB + 12_345
    const commit: FaultHook = req =>
      layerPatchAt(req, 2 * CHUNK) ? { kind: 'commitPartial', afterBytes: part } : undefined
    const at = 2 * CHUNK + part
    const run = await killAndRerun(
      'midpart',
      { target: commit },
      async cache => {
        await until(() => pd.entries('PATCH', uploads('midpart')).some(e => e.held), 'the 3rd PATCH held')
        await keptAt(cache, 2 * CHUNK)
      },
      // the stand-in has stored the part it received (202) before the re-run asks
      async () => {
        await until(() => pd.entries('PATCH', uploads('midpart')).some(e => e.committed), 'the part stored')
        expect(pd.entries('PATCH', uploads('midpart')).flatMap(e => e.committed ?? [])).toEqual([202])
      }
    )
    expect(run.r.stderr).toContain(
      `blob ${layer} to ${pd.host}/midpart: resuming at byte ${at} of ${SIZE} (the registry holds ${at} bytes; the kept state said ${2 * CHUNK})`
    )
    // the rest of the cut chunk first, then whole chunks again
    expect(layerRanges('midpart')).toEqual([
      `${at}-25165823 202`,
      '25165824-33554431 202',
      '33554432-41943039 202'
    ])
    await resumedWell('mid-PATCH, part stored', 'midpart', run, at)
  }, 120_000)

  it('3b. the same cut on distribution itself: its session is lost (wrong offset), the re-run says so and restarts from byte 0', async () => {
    const hold: FaultHook = req =>
      layerPatchAt(req, 2 * CHUNK) ? { kind: 'holdRequest', afterBytes: 3 * MiB } : undefined
    const cache = await mkdtemp(join(tmpdir(), 'pi-resume-kill-'))
    caches.push(cache)
    ps.reset()
    pd.reset()
    pd.setFault(hold)
    const run = cli(cache, args('distcut'))
    await killWhen(
      async () => {
        await until(() => pd.entries('PATCH', uploads('distcut')).some(e => e.held), 'the 3rd PATCH held')
        await keptAt(cache, 2 * CHUNK)
      },
      run.kill,
      run.exited
    ).finally(() => pd.setFault(undefined))
    const again = await rerun('distcut', cache)
    expect(again.r.code).toBe(0)
    expect(again.r.stdout).toBe(`${image.digest}\n`)
    // its status GET answered 404; said as a line of its own, not a `-v` (`debug: `) one (newuser4
    // finding 17: before, `debug: … restarting from byte 0 because the registry no longer holds the kept session …`)
    expect(pd.entries('GET', uploads('distcut')).map(e => e.status)).toEqual([404])
    expect(again.r.stderr.split('\n')).toContain(
      `blob ${layer} to ${pd.host}/distcut: the registry no longer has the upload session an earlier run kept (${2 * CHUNK} bytes acknowledged then; distribution ends a session whose PATCH was cut mid-body); starting again from byte 0`
    )
    expect(again.resumedAt).toBe(-1)
    expect(again.sent).toBe(SIZE)
    figures['distribution, mid-PATCH part stored'] = { resumedAt: 0, sent: again.sent }
  }, 120_000)

  it('4. before the closing PUT (every byte acknowledged; the PUT held at the stand-in)', async () => {
    const hold: FaultHook = req =>
      req.method === 'PUT' && decodeURIComponent(req.url ?? '').includes(`digest=${layer}`)
        ? { kind: 'hang' }
        : undefined
    const run = await killAndRerun('beforeput', { target: hold }, async cache => {
      await until(
        () => pd.entries('PUT', uploads('beforeput')).some(e => e.faults.includes('hang')),
        'the closing PUT'
      )
      await keptAt(cache, SIZE)
    })
    // nothing of the layer is sent again: only its closing PUT (and the config's, after its PATCH)
    expect(layerRanges('beforeput')).toEqual([])
    expect(pd.entries('PUT', /\/blobs\/uploads\//).map(e => [e.requestBytes, e.status])).toEqual([
      [0, 201],
      [0, 201]
    ])
    await resumedWell('before the closing PUT', 'beforeput', run, SIZE)
  }, 120_000)

  it('5. before the first PATCH of a run that had itself resumed: the kept state outlives it', async () => {
    const cache = await mkdtemp(join(tmpdir(), 'pi-resume-kill-'))
    caches.push(cache)
    ps.reset()
    pd.reset()
    ps.setFault(stallSourceAt(20 * MiB))
    const first = cli(cache, args('twice'))
    await killWhen(() => keptAt(cache, 2 * CHUNK), first.kill, first.exited)
    pd.reset()
    ps.reset()
    const second = cli(cache, args('twice'))
    // resumed (the registry asked, the fresh session cancelled), the source read stalled at 20 MiB
    await killWhen(
      async () => {
        await until(() => second.stderr().includes(`resuming at byte ${2 * CHUNK}`), 'the resume')
        await until(
          () => ps.entries('GET', new RegExp(`/blobs/${layer}$`)).some(e => e.responseBytes === 20 * MiB),
          'the stall'
        )
      },
      second.kill,
      second.exited
    ).finally(() => ps.setFault(undefined))
    expect(layerRanges('twice')).toEqual([])
    expect(await keptOffsets(cache)).toEqual([2 * CHUNK])
    const third = await rerun('twice', cache)
    await resumedWell('before the first PATCH of a resumed run', 'twice', third, 2 * CHUNK)
  }, 180_000)
})
