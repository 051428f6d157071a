/** SourceTags (referrers/source-tags.ts): one listing per repository, or none to trust. */
import { describe, expect, it } from '@jest/globals'
import { MAX_LISTING_PAGES, SourceTags } from '../../src/referrers/source-tags.js'
import { MemoryRegistry } from '../helpers/memory-registry.js'
import type { RegistryApi, Repository } from '../../src/registry/api.js'

const SRC: Repository = { registry: 'staging.test', repository: 'team/app' }

describe('SourceTags', () => {
  it('lists a repository once for every question, and answers present / absent', async () => {
    const mem = new MemoryRegistry()
    mem.seedImage(SRC, [100], 'v1')
    const tags = new SourceTags(mem)
    const answers = await Promise.all([
      tags.has(SRC, 'v1'),
      tags.has(SRC, 'sha256-abc'),
      tags.has({ registry: 'Staging.Test', repository: 'team/app' }, 'v1')
    ])
    expect(answers).toEqual([true, false, true])
    expect(mem.log.filter(l => l.includes('tags/list'))).toEqual(['GET staging.test/team/app tags/list'])
  })

  it('a listing past MAX_LISTING_PAGES, or one that fails, answers nothing (ask directly)', async () => {
    let asked: unknown
    const long = {
      listTags: async (_repo: Repository, opts?: { maxPages: number }) => {
        asked = opts
        return undefined
      }
    } as unknown as RegistryApi
    expect(await new SourceTags(long).has(SRC, 'v1')).toBeUndefined()
    expect(asked).toEqual({ maxPages: MAX_LISTING_PAGES })
    const failing = { listTags: async () => Promise.reject(new Error('401')) } as unknown as RegistryApi
    expect(await new SourceTags(failing).has(SRC, 'v1')).toBeUndefined()
  })
})
