import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { actionsCache } from '../../src/cache/index.js'
import { startCacheService, useCacheService, type CacheService } from './cache-service.js'

describe('actionsCache: the real @actions/cache against a local cache service (protocol v1)', () => {
  let service: CacheService
  let work: string
  let restoreEnv: () => void
  beforeAll(async () => {
    service = await startCacheService()
    work = await mkdtemp(join(tmpdir(), 'pi-actions-cache-'))
    await mkdir(join(work, 'runner-temp'))
    restoreEnv = useCacheService(service, join(work, 'runner-temp'))
  })
  afterAll(async () => {
    restoreEnv?.()
    await service?.stop()
    if (work) await rm(work, { recursive: true, force: true })
  })

  test('save, then restore by exact key and by restore key; a saved key is not saved again', async () => {
    const store = actionsCache()
    const dir = join(work, 'cache-dir')
    await mkdir(join(dir, 'sub'), { recursive: true })
    await writeFile(join(dir, 'sub', 'image.tar'), 'layer bytes')
    await store.save([dir], 'promote-image-classic-aaaa-1111')
    await writeFile(join(dir, 'sub', 'image.tar'), 'newer layer bytes')
    await store.save([dir], 'promote-image-classic-aaaa-2222')

    await rm(dir, { recursive: true })
    expect(
      await store.restore([dir], 'promote-image-classic-aaaa-1111', ['promote-image-classic-aaaa-'])
    ).toBe('promote-image-classic-aaaa-1111')
    expect(await readFile(join(dir, 'sub', 'image.tar'), 'utf8')).toBe('layer bytes')

    await rm(dir, { recursive: true })
    expect(
      await store.restore([dir], 'promote-image-classic-aaaa-3333', ['promote-image-classic-aaaa-'])
    ).toBe('promote-image-classic-aaaa-2222')
    expect(await readFile(join(dir, 'sub', 'image.tar'), 'utf8')).toBe('newer layer bytes')

    expect(await store.restore([dir], 'other-key', ['other-'])).toBe(undefined)
    // the same key with other paths is another cache version: a miss
    expect(await store.restore([join(work, 'elsewhere')], 'promote-image-classic-aaaa-1111', [])).toBe(
      undefined
    )

    await expect(store.save([dir], 'promote-image-classic-aaaa-1111')).rejects.toThrow(
      '@actions/cache did not save promote-image-classic-aaaa-1111 (its reason is in the log above)'
    )
    expect(service.authorizations).toEqual(new Set(['Bearer runtime-token-for-tests']))
    const api = '/_apis/artifactcache/'
    expect(service.requests.slice(0, 3)).toEqual([
      `POST ${api}caches`,
      `PATCH ${api}caches/1`,
      `POST ${api}caches/1`
    ])
  })
})
