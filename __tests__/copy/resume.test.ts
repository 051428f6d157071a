/**
 * The kept chunked uploads (copy/resume.ts) on an injected clock, over the in-memory registry: a
 * fresh entry is resumed from the offset the registry reports, an entry older than the limit or
 * one the registry does not confirm is dropped (and its file removed), and nothing is asked of the
 * registry when no entry exists. (The end-to-end resume on a real registry is in cli/interrupt.)
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { defaultUploadStateDir, resumeUploads, UploadStateStore } from '../../src/copy/resume.js'
import type { UploadSession } from '../../src/registry/api.js'
import { MemoryRegistry } from '../helpers/memory-registry.js'

describe('kept chunked uploads', () => {
  let dir: string
  let now = 1_800_000_000_000
  const repo = { registry: 'prod.test', repository: 'team/app' }
  const blob = { mediaType: 'application/octet-stream', digest: `sha256:${'a'.repeat(64)}`, size: 1000 }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pi-resume-'))
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  /** A registry with one session holding 300 bytes, and a fresh session to swap. */
  async function setup(): Promise<{ mem: MemoryRegistry; held: UploadSession; fresh: UploadSession }> {
    const mem = new MemoryRegistry()
    const start = async (): Promise<UploadSession> => {
      const r = await mem.startUpload(repo)
      if (r.mounted) throw new Error('mounted')
      return r.session
    }
    const held = await start()
    await mem.patchChunk(held, 0, Buffer.alloc(300))
    const fresh = await start()
    mem.log.length = 0
    return { mem, held, fresh }
  }

  it('the state directory follows XDG_CACHE_HOME, else ~/.cache', () => {
    expect(defaultUploadStateDir({ XDG_CACHE_HOME: '/c' })).toBe('/c/promote-image/uploads')
    expect(defaultUploadStateDir({ HOME: '/h' }).endsWith('/.cache/promote-image/uploads')).toBe(true)
  })

  it('a fresh entry: the fresh session is cancelled and the upload goes on at the offset reported', async () => {
    const { mem, held, fresh } = await setup()
    const store = new UploadStateStore(dir, 3_600_000, () => now)
    await store.save(held, blob.digest, 200) // the registry holds more than the file says
    now += 3_600_000
    const [u] = await resumeUploads(mem, store, blob, [{ target: 't', session: fresh }])
    expect(u.offset).toBe(300)
    expect(u.session.location.toString()).toBe(held.location.toString())
    expect(mem.log).toEqual(['GET prod.test/team/app upload', 'DELETE prod.test/team/app upload'])
  })

  it('an entry older than the limit is removed without asking the registry', async () => {
    const { mem, held, fresh } = await setup()
    const store = new UploadStateStore(dir, 3_600_000, () => now)
    await store.save(held, blob.digest, 300)
    now += 3_600_001
    const [u] = await resumeUploads(mem, store, blob, [{ target: 't', session: fresh }])
    expect(u).toEqual({ target: 't', session: fresh })
    expect(mem.log).toEqual([])
    expect(await readdir(dir)).toEqual([])
  })

  it('an entry the registry does not confirm is removed; the fresh session is kept', async () => {
    const { mem, held, fresh } = await setup()
    const store = new UploadStateStore(dir, 3_600_000, () => now)
    await mem.cancelUpload(held)
    mem.log.length = 0
    await store.save(held, blob.digest, 300)
    const [u] = await resumeUploads(mem, store, blob, [{ target: 't', session: fresh }])
    expect(u).toEqual({ target: 't', session: fresh })
    expect(mem.log).toEqual(['GET prod.test/team/app upload'])
    expect(await readdir(dir)).toEqual([])
  })

  it('no entry: nothing is asked', async () => {
    const { mem, fresh } = await setup()
    const store = new UploadStateStore(dir, 3_600_000, () => now)
    expect(await resumeUploads(mem, store, blob, [{ target: 't', session: fresh }])).toEqual([
      { target: 't', session: fresh }
    ])
    expect(mem.log).toEqual([])
  })
})
