import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { request } from 'undici'
import { createRegistryClient } from '../../src/registry/factory.js'
import { promote } from '../../src/copy/promote.js'
import { startRegistry, type TestRegistry } from '../helpers/registry.js'
import { startProxy, type Proxy } from '../helpers/proxy.js'
import { OCI_MANIFEST, pushIndex, randomBlob, rawManifest, type SeededIndex } from '../helpers/images.js'
import { sequence, tally, type Names } from './tally.js'

/** DELETE on the registry itself (distribution, storage.delete.enabled): as a GC or an expiry rule would. */
async function remove(baseUrl: string, path: string): Promise<number> {
  const res = await request(`${baseUrl}/v2/${path}`, { method: 'DELETE' })
  await res.body.dump()
  return res.statusCode
}

/** HEAD with the OCI manifest type accepted (distribution 2.8 answers 404 to a client not accepting it). */
async function headStatus(baseUrl: string, path: string): Promise<number> {
  const res = await request(`${baseUrl}/v2/${path}`, { method: 'HEAD', headers: { accept: OCI_MANIFEST } })
  await res.body.dump()
  return res.statusCode
}

describe('a target holding the index but not one of its platform manifests (deleted by a GC)', () => {
  let src: TestRegistry
  let dst: TestRegistry
  let pd: Proxy
  let index: SeededIndex
  const names: Names = {}

  beforeAll(async () => {
    ;[src, dst] = await Promise.all([startRegistry(), startRegistry()])
    pd = await startProxy(dst.url)
    index = await pushIndex(src.url, 'team/app', 'v1', {
      platforms: [
        { os: 'linux', architecture: 'amd64' },
        { os: 'linux', architecture: 'arm64', variant: 'v8' }
      ],
      shared: [randomBlob(2_000)],
      uniqueSize: 1_000,
      attestation: true
    })
    const [amd64, arm64, att] = index.children
    Object.assign(names, { [index.digest]: 'index', [amd64.digest]: 'amd64', [arm64.digest]: 'arm64' })
    Object.assign(names, { [att.digest]: 'attestation', [amd64.blobs[0].digest]: 'amd64-config' })
    Object.assign(names, { [amd64.blobs[1].digest]: 'shared', [amd64.blobs[2].digest]: 'amd64-layer' })
  })
  afterAll(async () => {
    await pd?.stop()
    await Promise.all([src?.stop(), dst?.stop()])
  })

  const copy = async (reference = 'v1'): Promise<Awaited<ReturnType<typeof promote>>> => {
    const client = createRegistryClient()
    try {
      return await promote(client, {
        source: { registry: src.host, repository: 'team/app', reference },
        targets: [{ repo: { registry: pd.host, repository: 'prod/app' }, tags: ['v1'] }]
      })
    } finally {
      await client.close()
    }
  }

  it('HEADs the children beside the root, pushes the missing child and its missing layer, and keeps the tag', async () => {
    await copy()
    const amd64 = index.children[0]
    expect(await remove(dst.url, `prod/app/manifests/${amd64.digest}`)).toBe(202)
    expect(await remove(dst.url, `prod/app/blobs/${amd64.blobs[2].digest}`)).toBe(202)
    expect(await headStatus(dst.url, `prod/app/manifests/${amd64.digest}`)).toBe(404)
    expect(await headStatus(dst.url, `prod/app/manifests/${index.children[1].digest}`)).toBe(200)
    pd.reset()

    const result = await copy()

    expect(result.digest).toBe(index.digest)
    const t = result.targets[0]
    expect([t.blobsCopied, t.blobsMounted, t.blobsSkipped]).toEqual([1, 0, 6])
    expect(t.manifestsPushed).toBe(1)
    expect(result.plan.targets[0].manifests.push).toEqual([amd64.digest])
    expect(result.plan.targets[0].tags).toEqual([{ tag: 'v1', action: 'keep', from: index.digest }])
    const got = await rawManifest(dst.url, 'prod/app', amd64.digest)
    expect(got?.digest).toBe(amd64.digest)
    expect(got!.bytes.equals(amd64.bytes)).toBe(true)
    const rootWave = [
      'GET prod/app tags/list 200',
      'HEAD prod/app manifests/amd64 404',
      'HEAD prod/app manifests/arm64 200',
      'HEAD prod/app manifests/attestation 200',
      'HEAD prod/app manifests/index 200',
      'HEAD prod/app manifests/v1 200'
    ]
    expect(tally(pd, names)).toEqual({
      ...Object.fromEntries(rootWave.map(l => [l, 1])),
      // the lost child's blobs, asked as for any manifest the target lacks
      'HEAD prod/app blobs/amd64-config 200': 1,
      'HEAD prod/app blobs/amd64-layer 404': 1,
      'HEAD prod/app blobs/shared 200': 1,
      'POST prod/app uploads 202': 1,
      'PUT prod/app upload?digest=amd64-layer 201': 1,
      'PUT prod/app manifests/amd64 201': 1
    })
    // the children go out in the root's wave (no round trip added), the child's PUT last
    const order = sequence(pd, names)
    expect(order.slice(0, 6).sort()).toEqual(rootWave)
    expect(order.indexOf('PUT prod/app upload?digest=amd64-layer 201')).toBeGreaterThan(
      order.indexOf('HEAD prod/app blobs/amd64-layer 404')
    )
    expect(order.at(-1)).toBe('PUT prod/app manifests/amd64 201')
    expect(await headStatus(dst.url, `prod/app/manifests/${amd64.digest}`)).toBe(200)

    // a run after the repair: the root wave alone, nothing written
    pd.reset()
    const third = await copy()
    expect(third.targets[0].manifestsPushed).toBe(0)
    expect(third.targets[0].verified).toBe(true)
    expect(tally(pd, names)).toEqual({
      ...Object.fromEntries(rootWave.map(l => [l.replace('amd64 404', 'amd64 200'), 1]))
    })
  })

  it('by digest (the children unknown when the root HEAD goes out): HEADs them after it, and repairs the same', async () => {
    const arm64 = index.children[1]
    expect(await remove(dst.url, `prod/app/manifests/${arm64.digest}`)).toBe(202)
    pd.reset()

    const result = await copy(index.digest)

    expect(result.targets[0].manifestsPushed).toBe(1)
    expect(result.plan.targets[0].manifests.push).toEqual([arm64.digest])
    expect(await headStatus(dst.url, `prod/app/manifests/${arm64.digest}`)).toBe(200)
    const order = sequence(pd, names)
    const rootWave = [
      'GET prod/app tags/list 200',
      'HEAD prod/app manifests/index 200',
      'HEAD prod/app manifests/v1 200'
    ]
    expect(order.slice(0, 3).sort()).toEqual(rootWave)
    expect(order.slice(3, 6).sort()).toEqual([
      'HEAD prod/app manifests/amd64 200',
      'HEAD prod/app manifests/arm64 404',
      'HEAD prod/app manifests/attestation 200'
    ])
    // arm64's blobs are all there (only its manifest was deleted): HEADed, none sent
    expect(order.slice(6, -1).sort()).toEqual(
      [
        'HEAD prod/app blobs/sha256:' + arm64.blobs[0].digest.slice(7, 19) + ' 200',
        'HEAD prod/app blobs/sha256:' + arm64.blobs[2].digest.slice(7, 19) + ' 200',
        'HEAD prod/app blobs/shared 200'
      ].sort()
    )
    expect(order.at(-1)).toBe('PUT prod/app manifests/arm64 201')
  })
})
