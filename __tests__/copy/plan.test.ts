/**
 * The plan (dry run) as exact JSON, the final table per target, progress events, and transfers
 * bounded per registry host, largest first.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createRegistryClient } from '../../src/registry/factory.js'
import { promote, TagPolicyError, type PromotePlan, type ProgressEvent } from '../../src/copy/promote.js'
import { formatBytes, resultRows } from '../../src/report/format.js'
import type { TestRegistry } from '../helpers/registry.js'
import { startProxy, type Proxy } from '../helpers/proxy.js'
import { pushImage, pushIndex, randomBlob, type SeededImage, type SeededIndex } from '../helpers/images.js'
import { WRITES } from './tally.js'
import { startRegistries } from './setup.js'

const OCI_INDEX = 'application/vnd.oci.image.index.v1+json'

describe('plan and dry run', () => {
  let src: TestRegistry
  let dst: TestRegistry
  let ps: Proxy
  let pd: Proxy
  let index: SeededIndex
  let other: SeededImage

  beforeAll(async () => {
    ;[src, dst] = await startRegistries(2)
    ;[ps, pd] = await Promise.all([startProxy(src.url), startProxy(dst.url)])
    const shared = randomBlob(300_000)
    index = await pushIndex(src.url, 'team/app', 'v2', {
      platforms: [
        { os: 'linux', architecture: 'amd64' },
        { os: 'linux', architecture: 'arm64', variant: 'v8' }
      ],
      shared: [shared],
      uniqueSize: 50_000,
      attestation: true
    })
    // the target already holds the shared layer (through another image) and tags v1 and latest
    other = await pushImage(dst.url, 'prod/app', [shared], { tag: 'v1' })
    await pushImage(dst.url, 'prod/app', [shared], { tag: 'latest' })
  })
  afterAll(async () => {
    await Promise.all([ps?.stop(), pd?.stop()])
    await Promise.all([src?.stop(), dst?.stop()])
  })

  const expectedPlan = (violations: string[]): PromotePlan => {
    const [amd, arm, att] = index.children
    const entry = (b: { digest: string; size: number }): { digest: string; size: number } => ({
      digest: b.digest,
      size: b.size
    })
    // graph order: depth first, children in index order, each blob at its first appearance
    const all = [
      amd.blobs[0],
      amd.blobs[1],
      amd.blobs[2],
      arm.blobs[0],
      arm.blobs[2],
      att.blobs[0],
      att.blobs[1]
    ]
    const toCopy = all.filter(b => b !== amd.blobs[1])
    return {
      source: {
        reference: `${ps.host}/team/app:v2`,
        digest: index.digest,
        mediaType: OCI_INDEX,
        platforms: ['linux/amd64', 'linux/arm64/v8', 'unknown/unknown'],
        attestations: [
          {
            digest: att.digest,
            of: 'linux/amd64',
            predicateTypes: ['https://slsa.dev/provenance/v0.2'],
            attests: 'SLSA provenance of linux/amd64'
          }
        ]
      },
      targets: [
        {
          target: `${pd.host}/prod/app`,
          blobs: { skip: [entry(amd.blobs[1])], mount: [], copy: toCopy.map(entry) },
          bytesToCopy: toCopy.reduce((n, b) => n + b.size, 0),
          manifests: { push: [amd.digest, arm.digest, att.digest, index.digest], present: [] },
          tags: [
            { tag: 'v1', action: 'move', from: other.digest },
            { tag: 'latest', action: 'move', from: other.digest },
            { tag: '2.0', action: 'create' }
          ],
          referrerTags: [],
          violations
        },
        {
          target: `${ps.host}/prod/mirror`,
          blobs: { skip: [], mount: all.map(entry), copy: [] },
          bytesToCopy: 0,
          manifests: { push: [amd.digest, arm.digest, att.digest, index.digest], present: [] },
          tags: [{ tag: 'v2', action: 'create' }],
          referrerTags: [],
          violations: []
        }
      ],
      dryRun: true
    }
  }
  const targets = (): Array<{ repo: { registry: string; repository: string }; tags: string[] }> => [
    { repo: { registry: pd.host, repository: 'prod/app' }, tags: ['v1', 'latest', '2.0'] },
    { repo: { registry: ps.host, repository: 'prod/mirror' }, tags: ['v2'] }
  ]

  it('immutable: the plan lists the violation (both digests) and comes with the TagPolicyError; nothing written', async () => {
    ps.reset()
    pd.reset()
    const client = createRegistryClient()
    const error = await promote(client, {
      source: { registry: ps.host, repository: 'team/app', reference: 'v2' },
      targets: targets(),
      dryRun: true
    }).catch((e: unknown) => e)
    await client.close()
    expect(error).toBeInstanceOf(TagPolicyError)
    expect((error as TagPolicyError).plan).toEqual(
      expectedPlan([
        `${pd.host}/prod/app:v1 points at ${other.digest}; promoting ${index.digest} would move it`
      ])
    )
    expect([...ps.log, ...pd.log].filter(e => WRITES.test(`${e.method} `))).toEqual([])
  })

  it('overwrite, dry run: exactly this plan, given to onPlan once, and nothing written or read', async () => {
    ps.reset()
    pd.reset()
    const seen: PromotePlan[] = []
    const client = createRegistryClient()
    const result = await promote(client, {
      source: { registry: ps.host, repository: 'team/app', reference: 'v2' },
      targets: targets(),
      tagPolicy: 'overwrite',
      dryRun: true,
      onPlan: p => void seen.push(p)
    })
    await client.close()
    expect(result.plan).toEqual(expectedPlan([]))
    expect(JSON.parse(JSON.stringify(result.plan))).toEqual(expectedPlan([]))
    expect(seen).toEqual([result.plan])
    expect(result.targets).toEqual([])
    expect([...ps.log, ...pd.log].filter(e => WRITES.test(`${e.method} `))).toEqual([])
    expect(ps.count('GET', /\/blobs\//)).toBe(0)
  })

  it('the real run follows the plan; the final table per target and one final progress event', async () => {
    const events: ProgressEvent[] = []
    const client = createRegistryClient()
    const result = await promote(client, {
      source: { registry: ps.host, repository: 'team/app', reference: 'v2' },
      targets: targets(),
      tagPolicy: 'overwrite',
      onProgress: e => void events.push(e),
      progressIntervalMs: 3_600_000
    })
    await client.close()
    const plan = expectedPlan([])
    const bytes = plan.targets[0].bytesToCopy
    expect(result.plan).toEqual({ ...plan, dryRun: false })
    expect(result.bytesRead).toBe(bytes)
    const rows = resultRows(result)
    expect(rows.map(r => r.slice(0, -1))).toEqual([
      ['target', 'blobs skipped', 'mounted', 'copied', 'bytes copied', 'manifests pushed', 'tags'],
      [
        `${pd.host}/prod/app`,
        '1',
        '0',
        '6',
        formatBytes(bytes),
        '4',
        'v1 (move), latest (move), 2.0 (create)'
      ],
      [`${ps.host}/prod/mirror`, '0', '7', '0', '0 B', '4', 'v2 (create)']
    ])
    for (const r of rows.slice(1)) expect(r[7]).toMatch(/^\d+\.\d\d$/)
    // the only event is the final one: the shared layer is mounted only, so it weighs nothing
    expect(events).toEqual([
      {
        bytes,
        totalBytes: bytes,
        rateBytesPerSecond: expect.any(Number),
        blobsDone: 7,
        blobsTotal: 7,
        active: [],
        done: true
      }
    ])
    expect(events[0].rateBytesPerSecond).toBeGreaterThan(0)
  })
})

describe('transfers: bounded per registry host, largest first, progress paced', () => {
  let src: TestRegistry
  let dst: TestRegistry
  let ps: Proxy
  let image: SeededImage
  const sizes = [80_000, 10_000, 70_000, 20_000, 60_000, 30_000, 50_000, 40_000]

  beforeAll(async () => {
    ;[src, dst] = await startRegistries(2)
    ps = await startProxy(src.url)
    image = await pushImage(
      src.url,
      'team/app',
      sizes.map(n => randomBlob(n)),
      { tag: 'v1' }
    )
    // every blob download from the source waits 300 ms before it starts (long enough for every
    // transfer allowed at once to be in flight together, even on a loaded machine)
    ps.setFault(req =>
      req.method === 'GET' && req.url?.includes('/blobs/') ? { kind: 'delay', ms: 300 } : undefined
    )
  })
  afterAll(async () => {
    await ps?.stop()
    await Promise.all([src?.stop(), dst?.stop()])
  })

  /** Most blob GETs in flight at once at the source, from the proxy's arrival and end times. */
  const maxInFlight = (): number => {
    const gets = ps.entries('GET', /\/blobs\//)
    return Math.max(...gets.map(g => gets.filter(o => o.at <= g.at && (o.end ?? Infinity) > g.at).length))
  }
  const run = async (repository: string, extra: Record<string, unknown> = {}): Promise<void> => {
    ps.reset()
    const client = createRegistryClient()
    await promote(client, {
      source: { registry: ps.host, repository: 'team/app', reference: 'v1' },
      targets: [{ repo: { registry: dst.host, repository }, tags: [] }],
      ...extra
    })
    await client.close()
    expect(ps.count('GET', /\/blobs\//)).toBe(9)
  }

  it.each([
    [1, 1, 1],
    [3, 1, 3],
    [undefined, 1, 8],
    // blobs under 128 KiB weigh 1/8 of a slot (copy/limiter.ts): not held behind the slot limit,
    // and one slot more is kept for blobs under 1 MiB: 8 + 8 (all 9), 4 + 4
    [1, undefined, 9],
    [1, 4, 8],
    [undefined, undefined, 9]
  ])(
    'concurrency %s, %s small blobs per slot: at most %i blob transfers at once',
    async (concurrency, smallBlobsPerSlot, expected) => {
      await run(`prod/c${concurrency ?? 'default'}-${smallBlobsPerSlot ?? 'default'}`, {
        concurrency,
        smallBlobsPerSlot
      })
      expect(maxInFlight()).toBe(expected)
    }
  )

  it('with one transfer at a time the blobs go largest first', async () => {
    await run('prod/order', { concurrency: 1, smallBlobsPerSlot: 1 })
    const bySize = new Map(image.blobs.map(b => [b.digest, b.size]))
    const order = ps.entries('GET', /\/blobs\//).map(e => bySize.get(e.path.split('/').pop() as string))
    expect(order).toEqual([...image.blobs.map(b => b.size)].sort((a, b) => b - a))
  })

  it('progress comes at most once per interval, per blob and in total, then once when done', async () => {
    const events: Array<ProgressEvent & { at: number }> = []
    const started = Date.now()
    await run('prod/progress', {
      concurrency: 1,
      smallBlobsPerSlot: 1,
      progressIntervalMs: 150,
      onProgress: (e: ProgressEvent) => void events.push({ ...e, at: Date.now() })
    })
    const elapsed = Date.now() - started
    const total = image.blobs.reduce((n, b) => n + b.size, 0)
    const last = events[events.length - 1]
    expect(last).toMatchObject({
      bytes: total,
      totalBytes: total,
      blobsDone: 9,
      blobsTotal: 9,
      active: [],
      done: true
    })
    const paced = events.slice(0, -1)
    // 9 downloads of ≥ 300 ms each: at least 2.7 s, so several events — but never two within 150 ms
    expect(paced.length).toBeGreaterThanOrEqual(3)
    expect(paced.length).toBeLessThanOrEqual(Math.floor(elapsed / 150))
    paced.forEach((e, i) => {
      if (i > 0) expect(e.at - paced[i - 1].at).toBeGreaterThanOrEqual(150)
      expect(e.done).toBe(false)
      expect(e.totalBytes).toBe(total)
      expect(e.active).toHaveLength(1)
      expect(e.active[0].bytes).toBeGreaterThan(0)
      expect(e.active[0].bytes).toBeLessThanOrEqual(e.active[0].size)
      expect(e.bytes).toBeLessThanOrEqual(total)
      if (i > 0) expect(e.bytes).toBeGreaterThanOrEqual(paced[i - 1].bytes)
    })
  })
})
