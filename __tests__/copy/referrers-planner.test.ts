/**
 * The referrer decisions as planner tables over the in-memory RegistryApi (issue 12): a source
 * whose referrers API lists a signature, one target that keeps referrers lists itself (API) and one
 * that needs the fallback index; what the walk and the probe asked, and what each target gets.
 */
import { describe, expect, it } from '@jest/globals'
import type { Repository } from '../../src/registry/api.js'
import { walkGraph } from '../../src/copy/graph.js'
import { probeTargets } from '../../src/copy/probe.js'
import { planPromotion } from '../../src/copy/plan.js'
import { referrersTag } from '../../src/referrers/discovery.js'
import { mergeTargets } from '../../src/copy/targets.js'
import { MemoryRegistry } from '../helpers/memory-registry.js'

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json'
const SIG = 'application/vnd.dev.cosign.artifact.sig.v1+json'
const SRC: Repository = { registry: 'staging.test', repository: 'team/app' }
const API: Repository = { registry: 'prod-a.test', repository: 'prod/app' }
const FALLBACK: Repository = { registry: 'prod-b.test', repository: 'prod/app' }

describe('referrer planner tables (in-memory registries)', () => {
  it('API source; an API target lists the signature itself, a fallback target gets the index', async () => {
    const mem = new MemoryRegistry(['staging.test', 'prod-a.test'])
    const img = mem.seedImage(SRC, [1000], 'v1')
    const config = mem.seedBlob(SRC, Buffer.from('{}'), 'application/vnd.oci.empty.v1+json')
    const layer = mem.seedBlob(SRC, Buffer.from('signature'), 'application/octet-stream')
    const subject = { mediaType: OCI_MANIFEST, digest: img.digest, size: img.manifest.bytes.length }
    const sig = mem.seedManifest(
      SRC,
      { schemaVersion: 2, mediaType: OCI_MANIFEST, artifactType: SIG, config, layers: [layer], subject },
      OCI_MANIFEST
    )
    const graph = await walkGraph(mem, SRC, img.digest, { referrers: 'all' })
    expect(
      mem.log.filter(l => !l.includes(` manifests/${img.digest}`) && !l.includes(sig.digest)).sort()
    ).toEqual(
      // the listing says no cosign tag exists: none is asked for
      [`GET staging.test/team/app referrers/${img.digest}`, 'GET staging.test/team/app tags/list'].sort()
    )
    expect(graph.subjects).toEqual([
      {
        subject: img.digest,
        via: 'api',
        referrers: [
          { mediaType: OCI_MANIFEST, digest: sig.digest, size: sig.bytes.length, artifactType: SIG }
        ]
      }
    ])
    expect(graph.detached).toEqual(new Set([sig.digest, config.digest, layer.digest]))

    const targets = mergeTargets([
      { repo: API, tags: ['v1'] },
      { repo: FALLBACK, tags: ['v1'] }
    ])
    const before = mem.log.length
    const holdings = await probeTargets(mem, graph, targets)
    const probes = mem.log.slice(before)
    expect(
      probes.filter(l => l.includes('referrers/') || l.includes(referrersTag(img.digest))).sort()
    ).toEqual([
      `GET prod-a.test/prod/app referrers/${img.digest}`,
      `GET prod-b.test/prod/app manifests/${referrersTag(img.digest)}`,
      `GET prod-b.test/prod/app referrers/${img.digest}`
    ])
    const plan = planPromotion({ source: SRC, reference: 'v1', graph, targets, holdings })
    const [a, b] = plan.targets
    expect(a.report.referrerTags).toEqual([])
    expect(a.referrerWrites).toEqual([])
    expect(a.report.referrers).toEqual([
      {
        subject: img.digest,
        digest: sig.digest,
        artifactType: SIG,
        listedBy: 'referrers API',
        action: 'push'
      }
    ])
    expect(a.push.map(m => m.digest)).toEqual([img.digest, sig.digest])
    expect(b.report.referrerTags).toEqual([{ tag: referrersTag(img.digest), action: 'create' }])
    expect(b.referrerWrites.map(w => [w.tag, w.merge, w.index.json.manifests])).toEqual([
      [
        referrersTag(img.digest),
        false,
        [{ mediaType: OCI_MANIFEST, digest: sig.digest, size: sig.bytes.length, artifactType: SIG }]
      ]
    ])
    expect(b.report.referrers?.[0].listedBy).toBe(referrersTag(img.digest))
  })

  it('a fallback tag at the target that holds an image is refused with the one wording (notAReferrersList)', async () => {
    // before: the same words written out here and in proof/record.ts (twice, one without "will not replace it")
    const mem = new MemoryRegistry(['staging.test'])
    const img = mem.seedImage(SRC, [1000], 'v1')
    const config = mem.seedBlob(SRC, Buffer.from('{}'), 'application/vnd.oci.empty.v1+json')
    const layer = mem.seedBlob(SRC, Buffer.from('signature'), 'application/octet-stream')
    const subject = { mediaType: OCI_MANIFEST, digest: img.digest, size: img.manifest.bytes.length }
    const sigJson = {
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      artifactType: SIG,
      config,
      layers: [layer],
      subject
    }
    mem.seedManifest(SRC, sigJson, OCI_MANIFEST)
    const squatter = mem.seedImage(FALLBACK, [300], referrersTag(img.digest))
    const graph = await walkGraph(mem, SRC, img.digest, { referrers: 'all' })
    const targets = mergeTargets([{ repo: FALLBACK, tags: ['v1'] }])
    const holdings = await probeTargets(mem, graph, targets)
    expect(() => planPromotion({ source: SRC, reference: 'v1', graph, targets, holdings })).toThrow(
      new Error(
        `prod-b.test/prod/app:${referrersTag(img.digest)} holds a ${squatter.manifest.mediaType}, not an index: it is not a referrers list, and promote-image will not replace it`
      )
    )
  })
})
