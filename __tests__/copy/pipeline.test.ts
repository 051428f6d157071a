/**
 * Per-blob pipelining (issue 23 item 2): where the plan may leave a target's blob HEADs to
 * execution (plan.ts checkLate), a blob's upload starts as soon as its own HEAD answers, not after
 * every blob HEAD; the plan says so (`blobs.check`, each "HEAD, then upload if absent") and, once
 * the blobs have moved, what happened. A dry run, a plan the tag policy refuses, and a target
 * registry under a request budget total are planned from every answer instead. Real registries
 * behind recording proxies; the target's proxy holds one blob's HEAD until another blob's upload
 * PUT has arrived (an order, no clock).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { createRegistryClient } from '../../src/registry/factory.js'
import { promote, TagPolicyError, type PromoteOptions, type PromotePlan } from '../../src/copy/promote.js'
import { registryKey } from '../../src/reference/hosts.js'
import type { TestRegistry } from '../helpers/registry.js'
import { startProxy, type FaultHook, type Proxy } from '../helpers/proxy.js'
import { pushImage, randomBlob, type SeededImage } from '../helpers/images.js'
import { tally, type Names } from './tally.js'
import { startRegistries } from './setup.js'

describe('per-blob pipelining: HEAD, then upload if absent, per blob', () => {
  let src: TestRegistry
  let dst: TestRegistry
  let ps: Proxy
  let pd: Proxy
  let image: SeededImage
  let names: Names
  const layerA = randomBlob(40_000)
  const layerB = randomBlob(30_000)

  beforeAll(async () => {
    ;[src, dst] = await startRegistries(2)
    ;[ps, pd] = await Promise.all([startProxy(src.url), startProxy(dst.url)])
    image = await pushImage(src.url, 'team/app', [layerA, layerB], { tag: 'v1' })
    names = {
      [image.digest]: 'image',
      [image.blobs[0].digest]: 'config',
      [layerA.digest]: 'A',
      [layerB.digest]: 'B'
    }
  })
  beforeEach(() => {
    ps.reset()
    pd.reset()
    pd.setFault(undefined)
  })
  afterAll(async () => {
    await Promise.all([ps?.stop(), pd?.stop()])
    await Promise.all([src?.stop(), dst?.stop()])
  })

  /** promote() of the image by digest to `repo`:`tags` through the proxies; onPlan's plan as it was heard. */
  async function promoteTo(
    repo: string,
    extra: Partial<PromoteOptions> = {},
    tags = ['v1']
  ): Promise<{ heard?: PromotePlan; result?: Awaited<ReturnType<typeof promote>>; error?: unknown }> {
    const client = createRegistryClient()
    let heard: PromotePlan | undefined
    try {
      const result = await promote(client, {
        source: { registry: ps.host, repository: 'team/app', reference: image.digest },
        targets: [{ repo: { registry: pd.host, repository: repo }, tags }],
        referrers: false,
        onPlan: p => void (heard = structuredClone(p)),
        ...extra
      })
      return { heard, result }
    } catch (error) {
      return { heard, error }
    } finally {
      await client.close()
    }
  }

  /**
   * Seeds `repo` at the target with a tagged image of its own sharing no blob with ours, so the
   * registry knows the repository: the plan then HEADs every blob (probe.ts: the blobs under 1 MiB
   * of a repository whose tag listing answers 404 are not asked about).
   */
  async function known(repo: string): Promise<void> {
    await pushImage(dst.url, repo, [randomBlob(1_000)], { tag: 'other' })
    pd.reset()
  }

  /** Seeds `repo` at the target with an image of its own that holds layer A (tag `other`, or `tag`). */
  async function holdA(repo: string, tag = 'other'): Promise<SeededImage> {
    return await pushImage(dst.url, repo, [layerA], { tag })
  }

  const entry = (b: { digest: string; size: number }): { digest: string; size: number } => ({
    digest: b.digest,
    size: b.size
  })
  const config = (): { digest: string; size: number } => entry(image.blobs[0])

  it("blob A's upload PUT reaches the target while blob B's HEAD is still unanswered", async () => {
    let release: () => void = () => undefined
    const released = new Promise<void>(r => (release = r))
    // without pipelining nothing would be uploaded before B's HEAD answered: released anyway after 10 s,
    // so such a copy fails the order assertion below instead of hanging
    setTimeout(release, 10_000).unref()
    const hook: FaultHook = req => {
      const url = decodeURIComponent(req.url ?? '')
      if (req.method === 'PUT' && url.includes(`digest=${layerA.digest}`)) release()
      if (req.method === 'HEAD' && url.endsWith(`/blobs/${layerB.digest}`)) return { kind: 'until', released }
      return undefined
    }
    await known('prod/one')
    pd.setFault(hook)
    const { heard, result, error } = await promoteTo('prod/one')
    expect(error).toBeUndefined()
    const headB = pd.log.find(e => e.method === 'HEAD' && e.path.endsWith(`/blobs/${layerB.digest}`))
    const putA = pd.log.find(e => e.method === 'PUT' && decodeURIComponent(e.path).includes(layerA.digest))
    expect(putA?.status).toBe(201)
    expect(headB?.status).toBe(404)
    expect(putA?.at).toBeLessThan(headB?.end ?? 0)
    expect(tally(pd, names)).toEqual({
      'HEAD prod/one manifests/image 404': 1,
      'HEAD prod/one manifests/v1 404': 1,
      'GET prod/one tags/list 200': 1,
      'HEAD prod/one blobs/config 404': 1,
      'HEAD prod/one blobs/A 404': 1,
      'HEAD prod/one blobs/B 404': 1,
      'POST prod/one uploads 202': 3,
      'PUT prod/one upload?digest=config 201': 1,
      'PUT prod/one upload?digest=A 201': 1,
      'PUT prod/one upload?digest=B 201': 1,
      'PUT prod/one manifests/v1 201': 1
    })
    // the plan heard before any write: every blob to copy, each after its HEAD (graph order)
    const all = [config(), entry(layerA), entry(layerB)]
    expect(heard?.targets[0].blobs).toEqual({ skip: [], mount: [], copy: all, check: all })
    // the plan returned says what happened
    expect(result?.plan.targets[0].blobs).toEqual({ skip: [], mount: [], copy: all })
    expect(result?.targets[0]).toMatchObject({ blobsSkipped: 0, blobsCopied: 3, blobsMounted: 0 })
    expect(result?.targets[0].bytesCopied).toBe(config().size + 70_000)
  })

  it('a blob the target already holds is found by its HEAD and not uploaded; the plan then lists it as skipped', async () => {
    await holdA('prod/two')
    pd.reset()
    const { heard, result, error } = await promoteTo('prod/two')
    expect(error).toBeUndefined()
    expect(tally(pd, names)).toEqual({
      'HEAD prod/two manifests/image 404': 1,
      'HEAD prod/two manifests/v1 404': 1,
      'GET prod/two tags/list 200': 1,
      'HEAD prod/two blobs/config 404': 1,
      'HEAD prod/two blobs/A 200': 1,
      'HEAD prod/two blobs/B 404': 1,
      'POST prod/two uploads 202': 2,
      'PUT prod/two upload?digest=config 201': 1,
      'PUT prod/two upload?digest=B 201': 1,
      'PUT prod/two manifests/v1 201': 1
    })
    expect(tally(ps, names)).toEqual({
      'GET team/app manifests/image 200': 1,
      'GET team/app blobs/config 200': 1,
      'GET team/app blobs/B 200': 1
    })
    const all = [config(), entry(layerA), entry(layerB)]
    expect(heard?.targets[0].blobs).toEqual({ skip: [], mount: [], copy: all, check: all })
    expect(heard?.targets[0].bytesToCopy).toBe(config().size + 70_000)
    expect(result?.plan.targets[0].blobs).toEqual({
      skip: [entry(layerA)],
      mount: [],
      copy: [config(), entry(layerB)]
    })
    expect(result?.plan.targets[0].bytesToCopy).toBe(config().size + 30_000)
    expect(result?.targets[0]).toMatchObject({ blobsSkipped: 1, blobsCopied: 2, blobsMounted: 0 })
    expect(result?.targets[0].bytesCopied).toBe(config().size + 30_000)
  })

  it('a repository the registry does not know (its tag listing, sent beside the root HEAD, answers 404): no blob HEAD, no check in the plan', async () => {
    // the root's HEAD is held until the listing arrives: a listing sent after its answer would
    // arrive only once the 10 s fallback released it, after the HEAD's answer (failing below)
    let release: () => void = () => undefined
    const released = new Promise<void>(r => (release = r))
    setTimeout(release, 10_000).unref()
    pd.setFault(req => {
      if (req.url?.includes('/tags/list')) release()
      if (req.method === 'HEAD' && req.url?.endsWith(`/manifests/${image.digest}`))
        return { kind: 'until', released }
      return undefined
    })
    const { heard, result, error } = await promoteTo('prod/new')
    expect(error).toBeUndefined()
    expect(tally(pd, names)).toEqual({
      'HEAD prod/new manifests/image 404': 1,
      'HEAD prod/new manifests/v1 404': 1,
      'GET prod/new tags/list 404': 1,
      'POST prod/new uploads 202': 3,
      'PUT prod/new upload?digest=config 201': 1,
      'PUT prod/new upload?digest=A 201': 1,
      'PUT prod/new upload?digest=B 201': 1,
      'PUT prod/new manifests/v1 201': 1
    })
    // the listing went out beside the root's HEAD, before its answer
    const root = pd.log.find(e => e.method === 'HEAD' && e.path.endsWith(`/manifests/${image.digest}`))
    const listing = pd.log.find(e => e.path.includes('/tags/list'))
    expect(listing?.at).toBeLessThan(root?.end ?? 0)
    const all = [config(), entry(layerA), entry(layerB)]
    expect(heard?.targets[0].blobs).toEqual({ skip: [], mount: [], copy: all })
    expect(result?.plan.targets[0].blobs).toEqual({ skip: [], mount: [], copy: all })
    expect(result?.targets[0]).toMatchObject({ blobsSkipped: 0, blobsCopied: 3, blobsMounted: 0 })
  })

  it('a dry run plans from every answer: no check, A skipped, nothing written', async () => {
    await holdA('prod/three')
    pd.reset()
    const { heard, result, error } = await promoteTo('prod/three', { dryRun: true })
    expect(error).toBeUndefined()
    expect(heard?.targets[0].blobs).toEqual({
      skip: [entry(layerA)],
      mount: [],
      copy: [config(), entry(layerB)]
    })
    expect(result?.plan.targets[0].blobs).toEqual(heard?.targets[0].blobs)
    expect(pd.log.filter(e => e.method !== 'GET' && e.method !== 'HEAD')).toEqual([])
  })

  it('a target registry under a request budget total is planned from every answer: A skipped, 5 writes of 5 left', async () => {
    await holdA('prod/four')
    pd.reset()
    const budget = {
      remaining: (r: string): number | undefined => (r === registryKey(pd.host) ? 5 : undefined)
    }
    const { heard, result, error } = await promoteTo('prod/four', { requestBudget: budget })
    expect(error).toBeUndefined()
    expect(heard?.targets[0].blobs).toEqual({
      skip: [entry(layerA)],
      mount: [],
      copy: [config(), entry(layerB)]
    })
    expect(heard?.budget).toEqual([
      { registry: registryKey(ps.host), requests: 2 },
      { registry: registryKey(pd.host), requests: 5, remaining: 5 }
    ])
    expect(result?.targets[0]).toMatchObject({ blobsSkipped: 1, blobsCopied: 2 })
    expect(pd.count('POST')).toBe(2)
  })

  it("a plan the tag policy refuses is made from every answer: the refusal's plan skips A, nothing written", async () => {
    const other = await holdA('prod/five', 'v1')
    pd.reset()
    const { result, error } = await promoteTo('prod/five')
    expect(result).toBeUndefined()
    expect(error).toBeInstanceOf(TagPolicyError)
    const plan = (error as TagPolicyError).plan
    expect(plan.targets[0].blobs).toEqual({
      skip: [entry(layerA)],
      mount: [],
      copy: [config(), entry(layerB)]
    })
    expect(plan.targets[0].tags).toEqual([{ tag: 'v1', action: 'move', from: other.digest }])
    expect(pd.log.filter(e => e.method !== 'GET' && e.method !== 'HEAD')).toEqual([])
  })
})
