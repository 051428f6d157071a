/**
 * A manifest PUT answered MANIFEST_BLOB_UNKNOWN while its blobs had landed: what distribution 2.8
 * answers (400, DIGEST_INVALID + MANIFEST_BLOB_UNKNOWN) when another process rewrites a blob's link
 * in that repository at that moment. A stand-in of ours in front of a real registry gives that
 * answer; the PUT is sent once more and the image promoted. A registry that keeps answering so
 * fails the target with its answer after exactly two PUTs.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { createRegistryClient } from '../../src/registry/factory.js'
import { promote, PromoteError } from '../../src/copy/promote.js'
import type { TestRegistry } from '../helpers/registry.js'
import { startProxy, type Proxy } from '../helpers/proxy.js'
import { listTags, pushImage, randomBlob, type SeededImage } from '../helpers/images.js'
import { startRegistries } from './setup.js'

describe('manifest PUT during a link rewrite', () => {
  let src: TestRegistry
  let dst: TestRegistry
  let pd: Proxy
  let image: SeededImage
  beforeAll(async () => {
    ;[src, dst] = await startRegistries(2)
    pd = await startProxy(dst.url)
    image = await pushImage(src.url, 'team/app', [randomBlob(5_000)], { tag: 'rc' })
  })
  afterAll(async () => {
    await pd?.stop()
    await Promise.all([src?.stop(), dst?.stop()])
  })
  beforeEach(() => {
    pd.reset()
    pd.setFault(undefined)
  })

  const layer = (): string => image.blobs[1].digest
  const refusal = (): string =>
    JSON.stringify({
      errors: [
        { code: 'DIGEST_INVALID', message: 'provided digest did not match uploaded content' },
        { code: 'MANIFEST_BLOB_UNKNOWN', message: 'blob unknown to registry', detail: layer() }
      ]
    })
  const promoteTo = (repository: string): Promise<unknown> => {
    const client = createRegistryClient()
    return promote(client, {
      source: { registry: src.host, repository: 'team/app', reference: 'rc' },
      targets: [{ repo: { registry: pd.host, repository }, tags: ['v1'] }]
    }).finally(() => client.close())
  }
  const manifestPuts = (repository: string): number =>
    pd.count('PUT', new RegExp(`^/v2/${repository}/manifests/`))

  it('the first PUT refused: sent once more, the image promoted and tagged', async () => {
    let refused = 0
    pd.setFault(req =>
      req.method === 'PUT' && req.url?.includes('/manifests/') && refused++ === 0
        ? { kind: 'respond', status: 400, body: refusal() }
        : undefined
    )
    await promoteTo('once/app')
    expect(manifestPuts('once/app')).toBe(2)
    expect(await listTags(dst.url, 'once/app')).toEqual(['v1'])
  })

  it('every PUT refused: the target fails with the registry answer after two PUTs', async () => {
    pd.setFault(req =>
      req.method === 'PUT' && req.url?.includes('/manifests/')
        ? { kind: 'respond', status: 400, body: refusal() }
        : undefined
    )
    const error = await promoteTo('always/app').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(PromoteError)
    expect((error as Error).message).toContain(
      `MANIFEST_BLOB_UNKNOWN: blob unknown to registry ("${layer()}")`
    )
    expect(manifestPuts('always/app')).toBe(2)
    expect(await listTags(dst.url, 'always/app')).toEqual([])
  })
})
