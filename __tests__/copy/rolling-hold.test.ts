/**
 * A rolling tag never moves back (newuser4 finding 3), at the engine: the target's version tags
 * newer than this release in the rolling tag's line are HEADed only when that tag would move, and
 * none on the usual release (the newest of its line); one naming the rolling tag's image holds it.
 * Real registries, a recording proxy in front of the target (request sequences, no faults).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { promote } from '../../src/copy/promote.js'
import { createRegistryClient } from '../../src/registry/factory.js'
import type { TagKind, VersionLine } from '../../src/tags/index.js'
import { pushImage, randomBlob, rawManifest, type SeededImage } from '../helpers/images.js'
import { startProxy, type Proxy } from '../helpers/proxy.js'
import type { TestRegistry } from '../helpers/registry.js'
import { startRegistries } from './setup.js'

describe('rolling tag 1.2 of {{major}}.{{minor}}', () => {
  let src: TestRegistry
  let dst: TestRegistry
  let pd: Proxy
  const images: Record<string, SeededImage> = {}

  beforeAll(async () => {
    ;[src, dst] = await startRegistries(2)
    pd = await startProxy(dst.url)
    for (const v of ['1.2.3', '1.2.4', '1.2.5'])
      images[v] = await pushImage(src.url, 'ci/app', [randomBlob(400)], { tag: v })
    // an older release at the target, outside the line
    await pushImage(dst.url, 'prod/app', [randomBlob(300)], { tag: '0.9.0' })
  })
  afterAll(async () => {
    await pd?.stop()
    await Promise.all([src?.stop(), dst?.stop()])
  })

  const release = async (version: string) => {
    pd.reset()
    const client = createRegistryClient()
    const line: VersionLine = { version, within: 'minor', prefix: '', suffix: '' }
    const result = await promote(client, {
      source: { registry: src.host, repository: 'ci/app', reference: version },
      targets: [{ repo: { registry: pd.host, repository: 'prod/app' }, tags: [version, '1.2'] }],
      tagKinds: new Map<string, TagKind>([
        [version, 'unique'],
        ['1.2', 'rolling']
      ]),
      tagLines: new Map([['1.2', line]])
    })
    await client.close()
    const heads = pd.log
      .filter(e => e.method === 'HEAD' && e.path.includes('/manifests/'))
      .map(e => e.path.split('/manifests/')[1])
      .sort()
    const puts = pd.log.filter(e => e.method === 'PUT' && e.path.includes('/manifests/')).length
    return { tags: result.plan.targets[0].tags, heads, puts }
  }

  it('the usual releases ask no version tag; a re-run of 1.2.3 HEADs 1.2.4 and 1.2.5 and holds 1.2', async () => {
    const first = await release('1.2.3')
    expect(first.tags.map(t => [t.tag, t.action])).toEqual([
      ['1.2.3', 'create'],
      ['1.2', 'create']
    ])
    const d = (v: string): string => images[v].digest
    expect(first.heads).toEqual([d('1.2.3'), '1.2', '1.2.3'].sort())

    // 1.2.4 and 1.2.5: 1.2 moves forward; the listing holds no newer release: no HEAD more
    for (const v of ['1.2.4', '1.2.5']) {
      const r = await release(v)
      expect(r.tags.map(t => [t.tag, t.action])).toEqual([
        [v, 'create'],
        ['1.2', 'move']
      ])
      expect(r.heads).toEqual([d(v), '1.2', v].sort())
    }

    // the re-run of 1.2.3: its own tag kept, 1.2 held by the newest release naming its image
    const again = await release('1.2.3')
    expect(again.tags).toEqual([
      { tag: '1.2.3', action: 'keep', from: d('1.2.3'), kind: 'unique' },
      { tag: '1.2', action: 'hold', from: d('1.2.5'), heldBy: '1.2.5', kind: 'rolling' }
    ])
    expect(again.heads).toEqual([d('1.2.3'), '1.2', '1.2.3', '1.2.4', '1.2.5'].sort())
    expect(again.puts).toBe(0)
    expect((await rawManifest(dst.url, 'prod/app', '1.2'))!.digest).toBe(d('1.2.5'))
  })
})

describe('a target that refuses its tag listing (403), a stand-in in front of distribution (newuser5 N2)', () => {
  let src: TestRegistry
  let dst: TestRegistry
  let pd: Proxy
  const images: Record<string, SeededImage> = {}
  const DENIED = JSON.stringify({
    errors: [{ code: 'DENIED', message: 'requested access to the resource is denied' }]
  })

  beforeAll(async () => {
    ;[src, dst] = await startRegistries(2)
    pd = await startProxy(dst.url, {
      fault: req =>
        req.method === 'GET' && /\/tags\/list/.test(req.url ?? '')
          ? { kind: 'respond', status: 403, headers: { 'content-type': 'application/json' }, body: DENIED }
          : undefined
    })
    for (const v of ['1.2.3', '1.3.0'])
      images[v] = await pushImage(src.url, 'ci/app', [randomBlob(400)], { tag: v })
  })
  afterAll(async () => {
    await pd?.stop()
    await Promise.all([src?.stop(), dst?.stop()])
  })

  const release = async (version: string, to: string) => {
    pd.reset()
    const warnings: string[] = []
    const client = createRegistryClient()
    const line = (within: VersionLine['within']): VersionLine => ({ version, within, prefix: '', suffix: '' })
    const result = await promote(client, {
      source: { registry: src.host, repository: 'ci/app', reference: version },
      targets: [{ repo: { registry: to, repository: 'prod/app' }, tags: [version, '1', 'latest'] }],
      tagKinds: new Map<string, TagKind>([
        [version, 'unique'],
        ['1', 'rolling'],
        ['latest', 'rolling']
      ]),
      tagLines: new Map([
        ['1', line('major')],
        ['latest', line('all')]
      ]),
      logger: { debug: () => undefined, info: () => undefined, warning: m => void warnings.push(m) }
    })
    await client.close()
    const listings = pd.log.filter(e => e.path.includes('/tags/list')).map(e => `${e.method} ${e.status}`)
    return { tags: result.plan.targets[0].tags.map(t => [t.tag, t.action]), warnings, listings }
  }

  it('1.3.0 there, then 1.2.3: 1 and latest move back, and the run says the hold could not be judged', async () => {
    // 1.3.0 straight to the registry (its listing answers): 1 and latest name 1.3.0
    expect((await release('1.3.0', dst.host)).warnings).toEqual([])
    const back = await release('1.2.3', pd.host)
    expect(back.tags).toEqual([
      ['1.2.3', 'create'],
      ['1', 'move'],
      ['latest', 'move']
    ])
    expect(back.listings).toEqual(['GET 403', 'GET 403'])
    expect(back.warnings).toEqual([
      `${pd.host}/prod/app: its tag listing was refused (403 DENIED), so 1 and latest were not checked for a newer release and move to 1.2.3 anyway (a rolling tag is kept at a newer release only where the tags can be listed: let the credentials list them)`
    ])
    expect((await rawManifest(dst.url, 'prod/app', 'latest'))!.digest).toBe(images['1.2.3'].digest)
  })
})
