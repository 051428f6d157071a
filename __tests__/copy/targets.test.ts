/**
 * A target listed twice is one target (issue 9, bug 4): its tags merged (order kept, no
 * duplicates), each blob and manifest pushed once, one plan entry and one result entry.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createRegistryClient } from '../../src/registry/factory.js'
import { promote, type PromoteTarget } from '../../src/copy/promote.js'
import type { TestRegistry } from '../helpers/registry.js'
import { startProxy, type Proxy } from '../helpers/proxy.js'
import { listTags, pushImage, randomBlob, type SeededImage } from '../helpers/images.js'
import { sequence, tally, WRITES, type Names } from './tally.js'
import { startRegistries } from './setup.js'

describe('the same target listed twice', () => {
  let src: TestRegistry
  let dst: TestRegistry
  let pd: Proxy
  let image: SeededImage
  let names: Names

  beforeAll(async () => {
    ;[src, dst] = await startRegistries(2)
    pd = await startProxy(dst.url)
    image = await pushImage(src.url, 'team/app', [randomBlob(20_000), randomBlob(10_000)], { tag: 'v1' })
    names = {
      [image.digest]: 'image',
      [image.blobs[0].digest]: 'config',
      [image.blobs[1].digest]: 'layer1',
      [image.blobs[2].digest]: 'layer2'
    }
  })
  afterAll(async () => {
    await pd?.stop()
    await Promise.all([src?.stop(), dst?.stop()])
  })

  const run = async (
    repository: string,
    tagLists: string[][]
  ): Promise<Awaited<ReturnType<typeof promote>>> => {
    pd.reset()
    const client = createRegistryClient()
    const targets: PromoteTarget[] = tagLists.map(tags => ({ repo: { registry: pd.host, repository }, tags }))
    const result = await promote(client, {
      source: { registry: src.host, repository: 'team/app', reference: 'v1' },
      targets
    })
    await client.close()
    // one target: the manifest goes under its first tag (stored by digest too), then each other tag
    expect(client.stats.manifestPuts).toBe(new Set(tagLists.flat()).size)
    return result
  }

  it('with other tags: one target with both tags — each blob uploaded once, 2 manifest PUTs (a, b)', async () => {
    const result = await run('prod/twice', [['a'], ['b', 'a']])
    expect(
      tally(
        pd.log.filter(e => WRITES.test(`${e.method} `)),
        names
      )
    ).toEqual({
      'POST prod/twice uploads 202': 3,
      'PUT prod/twice upload?digest=config 201': 1,
      'PUT prod/twice upload?digest=layer1 201': 1,
      'PUT prod/twice upload?digest=layer2 201': 1,
      'PUT prod/twice manifests/a 201': 1,
      'PUT prod/twice manifests/b 201': 1
    })
    expect(sequence(pd, names, WRITES).filter(w => w.includes('manifests'))).toEqual([
      'PUT prod/twice manifests/a 201',
      'PUT prod/twice manifests/b 201'
    ])
    expect(result.plan.targets.map(t => [t.target, t.tags])).toEqual([
      [
        `${pd.host}/prod/twice`,
        [
          { tag: 'a', action: 'create' },
          { tag: 'b', action: 'create' }
        ]
      ]
    ])
    expect(
      result.targets.map(t => [
        t.target,
        t.blobsCopied,
        t.manifestsPushed,
        t.tags.map(x => x.tag),
        t.verified
      ])
    ).toEqual([[`${pd.host}/prod/twice`, 3, 1, ['a', 'b'], true]])
    expect(await listTags(dst.url, 'prod/twice')).toEqual(['a', 'b'])
  })

  it('twice identical: one target, pushed once (1 manifest PUT: v1)', async () => {
    const result = await run('prod/same', [['v1'], ['v1']])
    expect(sequence(pd, names, /manifests/).filter(l => l.startsWith('PUT'))).toEqual([
      'PUT prod/same manifests/v1 201'
    ])
    expect(pd.count('POST', /\/blobs\/uploads\//)).toBe(3)
    expect(pd.count('PUT', /\/blobs\/uploads\//)).toBe(3)
    expect(result.plan.targets).toHaveLength(1)
    expect(result.plan.targets[0].tags).toEqual([{ tag: 'v1', action: 'create' }])
    expect(result.targets.map(t => [t.target, t.manifestsPushed])).toEqual([[`${pd.host}/prod/same`, 1]])
  })
})
