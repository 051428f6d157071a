/**
 * newuser6 #21: a target blob HEAD answering 200 with another size than the descriptor's is not the
 * blob. Taken as held, the blob was skipped and the manifest PUT failed `MANIFEST_BLOB_UNKNOWN` on
 * every re-run; now it is sent. A proxy of ours in front of a real registry answers every blob HEAD
 * `200`, `Content-Length: 12345` (the registry behind it holds nothing); the plan's own HEADs (two
 * targets on one registry) and the ones left to execution (one target, plan.ts checkLate) are both
 * covered.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createRegistryClient } from '../../src/registry/factory.js'
import { promote } from '../../src/copy/promote.js'
import { holdsBlob } from '../../src/copy/plan.js'
import type { TestRegistry } from '../helpers/registry.js'
import { startProxy, type Proxy } from '../helpers/proxy.js'
import { pushImage, randomBlob, rawManifest, listTags, type SeededImage } from '../helpers/images.js'
import { tally, type Names } from './tally.js'
import { startRegistries } from './setup.js'

describe('holdsBlob: a blob HEAD answer against the descriptor size', () => {
  it.each([
    [undefined, 300, false],
    [300, 300, true],
    [-1, 300, true],
    [12345, 300, false],
    [0, 300, false]
  ])('answer %p for a %p-byte blob: held %p', (answer, size, held) => {
    expect(holdsBlob(answer, size)).toBe(held)
  })
})

describe('a target blob HEAD reporting another size', () => {
  let src: TestRegistry
  let dst: TestRegistry
  let pd: Proxy
  let image: SeededImage
  let names: Names

  beforeAll(async () => {
    ;[src, dst] = await startRegistries(2)
    pd = await startProxy(dst.url, {
      fault: req =>
        req.method === 'HEAD' && req.url?.includes('/blobs/sha256:')
          ? { kind: 'respond', status: 200, headers: { 'content-length': '12345' } }
          : undefined
    })
    image = await pushImage(src.url, 'team/app', [randomBlob(300_000)], { tag: 'v1' })
    // the target repositories exist (another image), so the probe HEADs every blob there
    for (const repo of ['prod/one', 'prod/a', 'prod/b'])
      await pushImage(dst.url, repo, [randomBlob(100)], { tag: 'old' })
    names = { [image.blobs[0].digest]: 'config', [image.blobs[1].digest]: 'layer' }
  })
  afterAll(async () => {
    await pd?.stop()
    await Promise.all([src?.stop(), dst?.stop()])
  })

  const source = () => ({ registry: src.host, repository: 'team/app', reference: 'v1' })

  it('one target (HEADs answered at execution): both blobs are uploaded, the manifest and the tag land', async () => {
    pd.reset()
    const c = createRegistryClient()
    const repo = 'prod/one'
    const result = await promote(c, {
      source: source(),
      targets: [{ repo: { registry: pd.host, repository: repo }, tags: ['v1'] }]
    })
    await c.close()

    expect(result.digest).toBe(image.digest)
    // before: no blob PUT, then 'PUT …/manifests/v1 answered 400: MANIFEST_BLOB_UNKNOWN'
    expect(tally(pd.entries('HEAD', /\/blobs\//), names)).toEqual({
      [`HEAD ${repo} blobs/config 200`]: 1,
      [`HEAD ${repo} blobs/layer 200`]: 1
    })
    expect(tally(pd.entries('PUT', /\/blobs\/uploads\//), names)).toEqual({
      [`PUT ${repo} upload?digest=config 201`]: 1,
      [`PUT ${repo} upload?digest=layer 201`]: 1
    })
    expect((await rawManifest(dst.url, repo, image.digest))?.digest).toBe(image.digest)
    expect(await listTags(dst.url, repo)).toEqual(['old', 'v1'])
  })

  it('two targets on the registry (HEADs read by the plan): each blob uploaded once and mounted once', async () => {
    pd.reset()
    const c = createRegistryClient()
    const result = await promote(c, {
      source: source(),
      targets: [
        { repo: { registry: pd.host, repository: 'prod/a' }, tags: ['v1'] },
        { repo: { registry: pd.host, repository: 'prod/b' }, tags: ['v1'] }
      ]
    })
    await c.close()

    expect(result.digest).toBe(image.digest)
    // before: 4 HEADs, no blob PUT, then MANIFEST_BLOB_UNKNOWN at both
    expect(pd.count('HEAD', /\/blobs\//)).toBe(4)
    expect(pd.count('PUT', /\/blobs\/uploads\//)).toBe(2)
    expect(pd.count('POST', /\/blobs\/uploads\/\?mount=/)).toBe(2)
    for (const repo of ['prod/a', 'prod/b']) {
      expect((await rawManifest(dst.url, repo, image.digest))?.digest).toBe(image.digest)
      expect(await listTags(dst.url, repo)).toEqual(['old', 'v1'])
    }
  })
})
