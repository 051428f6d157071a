/**
 * The planner as tables over the in-memory RegistryApi (no HTTP): each case seeds registries,
 * walks and probes them, and expects the exact plan — the reported plan, the blob moves (who
 * streams, who mounts from where), the writes per target — and the exact HEADs the probe sent.
 */
import { describe, expect, it } from '@jest/globals'
import type { Repository } from '../../src/registry/api.js'
import type { Descriptor } from '../../src/oci/manifest.js'
import { walkGraph } from '../../src/copy/graph.js'
import { probeTargets } from '../../src/copy/probe.js'
import {
  planPromotion,
  type Plan,
  type PlanInput,
  type TargetPlan,
  type TargetWork
} from '../../src/copy/plan.js'
import { mergeTargets, type PromoteTarget } from '../../src/copy/targets.js'
import { MemoryRegistry } from '../helpers/memory-registry.js'

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json'
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json'

const SRC: Repository = { registry: 'staging.test', repository: 'team/app' }
const A_APP: Repository = { registry: 'prod-a.test', repository: 'prod/app' }
const A_MIRROR: Repository = { registry: 'prod-a.test', repository: 'prod/mirror' }
const B_APP: Repository = { registry: 'prod-b.test', repository: 'prod/app' }
const S_MIRROR: Repository = { registry: 'staging.test', repository: 'prod/mirror' }

const entry = (b: Descriptor): { digest: string; size: number } => ({ digest: b.digest, size: b.size })
const sum = (bs: Descriptor[]): number => bs.reduce((n, b) => n + b.size, 0)
const name = (r: Repository): string => `${r.registry}/${r.repository}`

/** resolve → walk → merge → probe → plan, as promote() does; with the probe's part of the log. */
async function planOf(
  mem: MemoryRegistry,
  reference: string,
  targets: PromoteTarget[],
  extra: Partial<PlanInput> = {}
): Promise<{ plan: Plan; probes: string[] }> {
  const digest = (await mem.headManifest(SRC, reference))?.digest as string
  const graph = await walkGraph(mem, SRC, digest)
  const merged = mergeTargets(targets)
  const before = mem.log.length
  const holdings = await probeTargets(mem, graph, merged)
  const probes = mem.log.slice(before)
  return {
    plan: planPromotion({ source: SRC, reference, graph, targets: merged, holdings, ...extra }),
    probes
  }
}

/** The work of one target, its report given; `writes`: the tags to PUT. */
function work(repo: Repository, tags: string[], report: TargetPlan, fields: Partial<TargetWork>): TargetWork {
  return {
    key: name(repo),
    repo,
    tags,
    report,
    push: [],
    tagWrites: [],
    referrerWrites: [],
    verify: true,
    ...fields
  }
}

describe('planner tables (in-memory registries)', () => {
  it('cold: every blob streamed, largest first; the manifest pushed; the tag created', async () => {
    const mem = new MemoryRegistry()
    const img = mem.seedImage(SRC, [3000, 2000], 'v1')
    const [config, l1, l2] = img.blobs
    const { plan, probes } = await planOf(mem, 'v1', [{ repo: A_APP, tags: ['v1'] }])
    const report: TargetPlan = {
      target: 'prod-a.test/prod/app',
      blobs: { skip: [], mount: [], copy: [entry(config), entry(l1), entry(l2)] },
      bytesToCopy: sum(img.blobs),
      manifests: { push: [img.digest], present: [] },
      tags: [{ tag: 'v1', action: 'create' }],
      referrerTags: [],
      violations: []
    }
    expect(plan).toEqual({
      report: {
        source: {
          reference: 'staging.test/team/app:v1',
          digest: img.digest,
          mediaType: OCI_MANIFEST,
          platforms: []
        },
        targets: [report],
        dryRun: false
      },
      root: img.manifest,
      // one target, the root pushed last: its PUT by tag stores it by digest too (one PUT, not two)
      targets: [work(A_APP, ['v1'], report, { push: [img.manifest], rootTag: 'v1' })],
      moves: [l1, l2, config].map(blob => ({
        blob,
        bytes: blob.size,
        deliveries: [{ target: 'prod-a.test/prod/app', repo: A_APP }]
      })),
      violations: []
    })
    expect(probes).toEqual([
      `HEAD prod-a.test/prod/app manifests/${img.digest}`,
      `HEAD prod-a.test/prod/app blobs/${config.digest}`,
      `HEAD prod-a.test/prod/app blobs/${l1.digest}`,
      `HEAD prod-a.test/prod/app blobs/${l2.digest}`,
      'HEAD prod-a.test/prod/app manifests/v1'
    ])
  })

  it('warm: the root is there by digest, so nothing below it is HEADed; nothing to move or write', async () => {
    const mem = new MemoryRegistry()
    const img = mem.seedImage(SRC, [3000, 2000], 'v1')
    mem.seedCopy(img, A_APP, 'v1')
    const { plan, probes } = await planOf(mem, img.digest, [{ repo: A_APP, tags: ['v1'] }])
    const report: TargetPlan = {
      target: 'prod-a.test/prod/app',
      blobs: { skip: img.blobs.map(entry), mount: [], copy: [] },
      bytesToCopy: 0,
      manifests: { push: [], present: [img.digest] },
      tags: [{ tag: 'v1', action: 'keep', from: img.digest }],
      referrerTags: [],
      violations: []
    }
    expect(plan.report.source.reference).toBe(`staging.test/team/app@${img.digest}`)
    expect(plan.targets).toEqual([work(A_APP, ['v1'], report, { verify: false })])
    expect(plan.moves).toEqual([])
    expect(probes).toEqual([
      `HEAD prod-a.test/prod/app manifests/${img.digest}`,
      'HEAD prod-a.test/prod/app manifests/v1'
    ])
  })

  it('partial: an index whose amd64 image the target holds — only the arm64 image and the index move', async () => {
    const mem = new MemoryRegistry()
    const amd = mem.seedImage(SRC, [3000])
    const arm = mem.seedImage(SRC, [2500])
    const index = mem.seedIndex(
      SRC,
      [
        { image: amd, platform: 'linux/amd64' },
        { image: arm, platform: 'linux/arm64' }
      ],
      'v2'
    )
    mem.seedCopy(amd, A_APP)
    const { plan, probes } = await planOf(mem, 'v2', [{ repo: A_APP, tags: ['v2'] }])
    const report: TargetPlan = {
      target: 'prod-a.test/prod/app',
      blobs: { skip: amd.blobs.map(entry), mount: [], copy: arm.blobs.map(entry) },
      bytesToCopy: sum(arm.blobs),
      manifests: { push: [arm.digest, index.digest], present: [amd.digest] },
      tags: [{ tag: 'v2', action: 'create' }],
      referrerTags: [],
      violations: []
    }
    expect(plan.report.source).toEqual({
      reference: 'staging.test/team/app:v2',
      digest: index.digest,
      mediaType: OCI_INDEX,
      platforms: ['linux/amd64', 'linux/arm64']
    })
    expect(plan.targets).toEqual([
      work(A_APP, ['v2'], report, { push: [arm.manifest, index], rootTag: 'v2' })
    ])
    expect(plan.moves).toEqual(
      [arm.blobs[1], arm.blobs[0]].map(blob => ({
        blob,
        bytes: blob.size,
        deliveries: [{ target: 'prod-a.test/prod/app', repo: A_APP }]
      }))
    )
    expect(probes.filter(p => p.includes(' manifests/'))).toEqual([
      `HEAD prod-a.test/prod/app manifests/${index.digest}`,
      `HEAD prod-a.test/prod/app manifests/${amd.digest}`,
      `HEAD prod-a.test/prod/app manifests/${arm.digest}`,
      'HEAD prod-a.test/prod/app manifests/v2'
    ])
  })

  it('same registry: every blob mounted from the source repository, 0 bytes to stream', async () => {
    const mem = new MemoryRegistry()
    const img = mem.seedImage(SRC, [3000, 2000], 'v1')
    const [config, l1, l2] = img.blobs
    const { plan } = await planOf(mem, 'v1', [{ repo: S_MIRROR, tags: [] }])
    expect(plan.report.targets[0].blobs).toEqual({ skip: [], mount: img.blobs.map(entry), copy: [] })
    expect(plan.report.targets[0].bytesToCopy).toBe(0)
    expect(plan.moves).toEqual(
      [l1, l2, config].map(blob => ({
        blob,
        bytes: 0,
        deliveries: [{ target: 'staging.test/prod/mirror', repo: S_MIRROR, mountFrom: SRC }]
      }))
    )
    expect(plan.targets[0]).toMatchObject({ tagWrites: [], push: [img.manifest], verify: true })
  })

  it('several targets on one registry: streamed to the first, mounted into the next from it; another registry streamed too', async () => {
    const mem = new MemoryRegistry()
    const img = mem.seedImage(SRC, [3000, 2000], 'v1')
    const [config, l1, l2] = img.blobs
    const { plan } = await planOf(mem, 'v1', [
      { repo: A_APP, tags: ['v1'] },
      { repo: A_MIRROR, tags: ['v1'] },
      { repo: B_APP, tags: ['v1'] }
    ])
    expect(plan.report.targets.map(t => [t.target, t.blobs, t.bytesToCopy])).toEqual([
      ['prod-a.test/prod/app', { skip: [], mount: [], copy: img.blobs.map(entry) }, sum(img.blobs)],
      ['prod-a.test/prod/mirror', { skip: [], mount: img.blobs.map(entry), copy: [] }, 0],
      ['prod-b.test/prod/app', { skip: [], mount: [], copy: img.blobs.map(entry) }, sum(img.blobs)]
    ])
    expect(plan.moves).toEqual(
      [l1, l2, config].map(blob => ({
        blob,
        bytes: blob.size,
        deliveries: [
          { target: 'prod-a.test/prod/app', repo: A_APP },
          {
            target: 'prod-a.test/prod/mirror',
            repo: A_MIRROR,
            mountFrom: A_APP,
            after: 'prod-a.test/prod/app'
          },
          { target: 'prod-b.test/prod/app', repo: B_APP }
        ]
      }))
    )
  })

  it('a target that already holds a blob: the others on its registry mount it from there (no wait)', async () => {
    const mem = new MemoryRegistry()
    const img = mem.seedImage(SRC, [3000, 2000], 'v1')
    const [config, l1, l2] = img.blobs
    mem.copyBlob(l1, A_APP)
    const { plan } = await planOf(mem, 'v1', [
      { repo: A_MIRROR, tags: [] },
      { repo: A_APP, tags: [] }
    ])
    expect(plan.report.targets.map(t => [t.target, t.blobs, t.bytesToCopy])).toEqual([
      [
        'prod-a.test/prod/mirror',
        { skip: [], mount: [entry(l1)], copy: [entry(config), entry(l2)] },
        config.size + l2.size
      ],
      ['prod-a.test/prod/app', { skip: [entry(l1)], mount: [entry(config), entry(l2)], copy: [] }, 0]
    ])
    const streamedThenMounted = (blob: Descriptor): object => ({
      blob,
      bytes: blob.size,
      deliveries: [
        { target: 'prod-a.test/prod/mirror', repo: A_MIRROR },
        { target: 'prod-a.test/prod/app', repo: A_APP, mountFrom: A_MIRROR, after: 'prod-a.test/prod/mirror' }
      ]
    })
    expect(plan.moves).toEqual([
      {
        blob: l1,
        bytes: 0,
        deliveries: [{ target: 'prod-a.test/prod/mirror', repo: A_MIRROR, mountFrom: A_APP }]
      },
      streamedThenMounted(l2),
      streamedThenMounted(config)
    ])
  })

  describe('tags: create, move, keep under both policies', () => {
    const setup = (): { mem: MemoryRegistry; digest: string; other: string } => {
      const mem = new MemoryRegistry()
      const img = mem.seedImage(SRC, [3000], 'v1')
      mem.seedCopy(img, A_APP, 'kept')
      const other = mem.seedImage(A_APP, [100], 'old')
      mem.seedTag(A_APP, 'latest', other.digest)
      return { mem, digest: img.digest, other: other.digest }
    }
    const moved = (tag: string, digest: string, other: string): string =>
      `prod-a.test/prod/app:${tag} points at ${other}; promoting ${digest} would move it`

    it.each([
      ['immutable', undefined, ['old']],
      ['immutable', ['old'], ['latest']],
      ['immutable', ['old', 'latest'], []],
      ['immutable', [], ['old', 'latest']],
      ['overwrite', undefined, []],
      ['overwrite', [], []]
    ] as const)('%s, moving tags %j: violations for %j', async (tagPolicy, movingTags, refused) => {
      const { mem, digest, other } = setup()
      const { plan } = await planOf(mem, 'v1', [{ repo: A_APP, tags: ['kept', 'old', 'latest', 'new'] }], {
        tagPolicy,
        movingTags: movingTags && [...movingTags]
      })
      const violations = refused.map(tag => moved(tag, digest, other))
      expect(plan.report.targets[0].tags).toEqual([
        { tag: 'kept', action: 'keep', from: digest },
        { tag: 'old', action: 'move', from: other },
        { tag: 'latest', action: 'move', from: other },
        { tag: 'new', action: 'create' }
      ])
      expect(plan.report.targets[0].violations).toEqual(violations)
      expect(plan.violations).toEqual(violations)
      // the image is there by digest: only tags are written, and verified
      expect(plan.targets[0]).toMatchObject({ push: [], tagWrites: ['old', 'latest', 'new'], verify: true })
      expect(plan.moves).toEqual([])
    })
  })

  it('a repeated target (Docker Hub aliases, case, the same entry again) is one target with the tags merged', async () => {
    const mem = new MemoryRegistry()
    mem.seedImage(SRC, [3000, 2000], 'v1')
    const hub: Repository = { registry: 'docker.io', repository: 'x/y' }
    const { plan, probes } = await planOf(mem, 'v1', [
      { repo: hub, tags: ['a'] },
      { repo: A_APP, tags: ['c'] },
      { repo: { registry: 'index.docker.io', repository: 'x/y' }, tags: ['b', 'a'] },
      { repo: { registry: 'Registry-1.Docker.IO', repository: 'x/y' }, tags: [] },
      { repo: A_APP, tags: ['c'] }
    ])
    expect(plan.report.targets.map(t => [t.target, t.tags])).toEqual([
      [
        'docker.io/x/y',
        [
          { tag: 'a', action: 'create' },
          { tag: 'b', action: 'create' }
        ]
      ],
      ['prod-a.test/prod/app', [{ tag: 'c', action: 'create' }]]
    ])
    expect(plan.targets.map(t => [t.key, t.repo, t.tags, t.tagWrites, t.push.length])).toEqual([
      ['docker.io/x/y', hub, ['a', 'b'], ['a', 'b'], 1],
      ['prod-a.test/prod/app', A_APP, ['c'], ['c'], 1]
    ])
    expect(plan.moves.map(m => m.deliveries.map(d => d.target))).toEqual([
      ['docker.io/x/y', 'prod-a.test/prod/app'],
      ['docker.io/x/y', 'prod-a.test/prod/app'],
      ['docker.io/x/y', 'prod-a.test/prod/app']
    ])
    // each target probed once: root, 3 blobs, its tags
    expect(probes.filter(p => p.startsWith('HEAD docker.io/x/y '))).toHaveLength(6)
    expect(probes.filter(p => p.startsWith('HEAD prod-a.test/prod/app '))).toHaveLength(5)
    expect(probes).toHaveLength(11)
  })
})
