/**
 * Mounts between targets on one registry, as planned: the second target mounts from the first
 * once that one has the blob; a mount answered 202 streams into the session it opened; a target
 * whose lead failed gets the blob streamed from the source.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createRegistryClient } from '../../src/registry/factory.js'
import { promote, PromoteError } from '../../src/copy/promote.js'
import type { TestRegistry } from '../helpers/registry.js'
import { startProxy, type Proxy } from '../helpers/proxy.js'
import { pushImage, randomBlob, rawManifest, type SeededImage } from '../helpers/images.js'
import { tally, type Names } from './tally.js'
import { startRegistries } from './setup.js'

describe('two targets on one registry', () => {
  let src: TestRegistry
  let dst: TestRegistry
  let ps: Proxy
  let pd: Proxy
  let image: SeededImage
  let names: Names

  beforeAll(async () => {
    ;[src, dst] = await startRegistries(2)
    ;[ps, pd] = await Promise.all([startProxy(src.url), startProxy(dst.url)])
    image = await pushImage(src.url, 'team/app', [randomBlob(30_000), randomBlob(20_000)], { tag: 'v1' })
    names = {
      [image.blobs[0].digest]: 'config',
      [image.blobs[1].digest]: 'layer1',
      [image.blobs[2].digest]: 'layer2'
    }
  })
  afterAll(async () => {
    await Promise.all([ps?.stop(), pd?.stop()])
    await Promise.all([src?.stop(), dst?.stop()])
  })

  const run = (lead: string, follower: string, concurrency?: number): Promise<unknown> => {
    const client = createRegistryClient()
    return promote(client, {
      source: { registry: ps.host, repository: 'team/app', reference: 'v1' },
      targets: [
        { repo: { registry: pd.host, repository: lead }, tags: ['v1'] },
        { repo: { registry: pd.host, repository: follower }, tags: ['v1'] }
      ],
      concurrency,
      // one blob per slot: "one blob at a time" stays one at a time for these small blobs
      smallBlobsPerSlot: 1
    })
      .catch((e: unknown) => e)
      .finally(() => client.close())
  }
  const each = (lines: string[], n = 1): Record<string, number> =>
    Object.fromEntries(
      lines.flatMap(l => ['config', 'layer1', 'layer2'].map(b => [l.replace('%', b), n] as [string, number]))
    )

  it('a mount from the first target answered 202 streams into the session it opened (no cancel, no second POST)', async () => {
    for (const p of [ps, pd]) p.reset()
    pd.setFault(req =>
      req.method === 'POST' && req.url?.includes('mount=')
        ? { kind: 'forwardTo', path: (req.url ?? '').replace(/from=[^&]*/, 'from=nowhere%2Fempty') }
        : undefined
    )
    await run('a/lead', 'a/follower')
    pd.setFault(undefined)
    // no blob HEAD: the registry knows neither repository (their tag listings answered 404)
    expect(tally(pd.entries('*', /\/blobs\//), names)).toEqual({
      'POST a/lead uploads 202': 3,
      ...each(['PUT a/lead upload?digest=% 201']),
      ...each(['POST a/follower uploads?mount=%&from=a/lead 202', 'PUT a/follower upload?digest=% 201'])
    })
    // the follower's bytes come from a second read of the source, after the lead has the blob
    expect(tally(ps.entries('GET', /\/blobs\//), names)).toEqual(each(['GET team/app blobs/% 200'], 2))
    expect((await rawManifest(dst.url, 'a/follower', 'v1'))?.digest).toBe(image.digest)
  })

  it('the first target fails (one blob at a time): the second gets every blob streamed, and no tag is written', async () => {
    for (const p of [ps, pd]) p.reset()
    pd.setFault(req =>
      req.method === 'POST' && req.url?.startsWith('/v2/b/lead/')
        ? { kind: 'respond', status: 403, body: '{"errors":[{"code":"DENIED","message":"no"}]}' }
        : undefined
    )
    const error = await run('b/lead', 'b/follower', 1)
    pd.setFault(undefined)
    expect(error).toBeInstanceOf(PromoteError)
    expect((error as PromoteError).failures.map(f => f.target)).toEqual([`${pd.host}/b/lead`])
    expect(tally(pd.entries('*', /\/blobs\/uploads\//), names)).toEqual({
      'POST b/lead uploads 403': 1,
      'POST b/follower uploads 202': 3,
      ...each(['PUT b/follower upload?digest=% 201'])
    })
    expect(pd.count('PUT', /\/manifests\/v1$/)).toBe(0)
  })
})
