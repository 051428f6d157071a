import { chmod, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  actionsCache,
  CacheUnavailableError,
  cacheKeys,
  directoryCache,
  hashDirectory
} from '../../src/cache/index.js'

let work: string
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'pi-cache-'))
})
afterEach(async () => {
  await rm(work, { recursive: true, force: true })
})

describe('directoryCache: @actions/cache semantics in a directory', () => {
  test('exact key, then restore keys as prefixes (newest first); paths are part of the entry', async () => {
    const store = directoryCache(join(work, 'store'))
    const a = join(work, 'a')
    const save = async (key: string, text: string) => {
      await mkdir(a, { recursive: true })
      await writeFile(join(a, 'f'), text)
      await store.save([a], key)
    }
    await save('k-1-x', 'one')
    await save('k-1-y', 'two')
    await save('k-2-z', 'three')
    await rm(a, { recursive: true })

    const cases: [string, string[], string | undefined, string | undefined][] = [
      ['k-1-x', [], 'k-1-x', 'one'],
      ['k-1-new', ['k-1-', 'k-'], 'k-1-y', 'two'],
      ['k-3-new', ['k-3-', 'k-'], 'k-2-z', 'three'],
      ['other', ['o-'], undefined, undefined]
    ]
    for (const [key, restoreKeys, hit, text] of cases) {
      await rm(a, { recursive: true, force: true })
      expect(await store.restore([a], key, restoreKeys)).toBe(hit)
      expect(text === undefined ? undefined : await readFile(join(a, 'f'), 'utf8')).toBe(text)
    }
    // the same key with other paths is another entry (as @actions/cache versions entries by paths)
    expect(await store.restore([join(work, 'b')], 'k-1-x', ['k-'])).toBe(undefined)
  })

  test('an existing key is not overwritten; a missing path is refused', async () => {
    const store = directoryCache(join(work, 'store'))
    const a = join(work, 'a')
    await mkdir(a)
    await store.save([a], 'key')
    await expect(store.save([a], 'key')).rejects.toThrow('cache entry key exists already')
    await expect(store.save([join(work, 'missing')], 'key2')).rejects.toThrow(
      `cannot save key2: ${join(work, 'missing')} does not exist`
    )
  })
})

describe('actionsCache', () => {
  test('without the runner cache variables, restore and save throw CacheUnavailableError', async () => {
    const saved = { url: process.env.ACTIONS_CACHE_URL, results: process.env.ACTIONS_RESULTS_URL }
    delete process.env.ACTIONS_CACHE_URL
    delete process.env.ACTIONS_RESULTS_URL
    try {
      const store = actionsCache()
      await expect(store.restore([work], 'k', [])).rejects.toThrow(CacheUnavailableError)
      await expect(store.save([work], 'k')).rejects.toThrow(
        'the GitHub Actions cache service is not available here (no ACTIONS_CACHE_URL or ACTIONS_RESULTS_URL)'
      )
    } finally {
      if (saved.url !== undefined) process.env.ACTIONS_CACHE_URL = saved.url
      if (saved.results !== undefined) process.env.ACTIONS_RESULTS_URL = saved.results
    }
  })
})

describe('cache keys', () => {
  test('PREFIX-<scope 16 hex>-<context 16 hex>, restore keys from specific to any', () => {
    expect(cacheKeys('promote-image-classic', { a: 1 }, 'f'.repeat(64))).toEqual({
      key: 'promote-image-classic-015abd7f5cc57a2d-ffffffffffffffff',
      restoreKeys: ['promote-image-classic-015abd7f5cc57a2d-', 'promote-image-classic-']
    })
  })

  test('hashDirectory follows names, contents, the executable bit and symlinks; skips .git', async () => {
    const dir = join(work, 'ctx')
    await mkdir(join(dir, 'sub'), { recursive: true })
    await writeFile(join(dir, 'Dockerfile'), 'FROM scratch\n')
    await writeFile(join(dir, 'sub', 'a.txt'), 'a')
    const first = await hashDirectory(dir)
    expect(first).toMatch(/^[0-9a-f]{64}$/)
    await mkdir(join(dir, '.git'))
    await writeFile(join(dir, '.git', 'HEAD'), 'ref: refs/heads/main\n')
    expect(await hashDirectory(dir)).toBe(first)

    const changes: [string, () => Promise<void>][] = [
      ['content', () => writeFile(join(dir, 'sub', 'a.txt'), 'b')],
      ['executable bit', () => chmod(join(dir, 'sub', 'a.txt'), 0o755)],
      ['a new file', () => writeFile(join(dir, 'b.txt'), '')],
      ['a symlink', () => symlink('sub/a.txt', join(dir, 'link'))]
    ]
    const seen = new Set([first])
    for (const [, change] of changes) {
      await change()
      const digest = await hashDirectory(dir)
      expect(seen.has(digest)).toBe(false)
      seen.add(digest)
    }
  })
})
