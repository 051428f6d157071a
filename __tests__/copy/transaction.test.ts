/**
 * Promotion as a transaction: a target that fails mid-copy leaves no tag anywhere and a re-run
 * completes it moving only what is missing; a tag-policy violation is found before any write; the
 * source tag is resolved once, so moving it during the run changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createRegistryClient } from '../../src/registry/factory.js'
import { promote, PromoteError, TagPolicyError } from '../../src/copy/promote.js'
import type { TestRegistry } from '../helpers/registry.js'
import { startProxy, type Proxy } from '../helpers/proxy.js'
import { listTags, pushImage, randomBlob, rawManifest, type SeededImage } from '../helpers/images.js'
import { tally, WRITES, sequence, type Names } from './tally.js'
import { startRegistries } from './setup.js'

describe('a failure on one of three targets', () => {
  let src: TestRegistry
  let dsts: TestRegistry[]
  let ps: Proxy
  let pds: Proxy[]
  let image: SeededImage
  let names: Names
  const repo = 'prod/app'

  beforeAll(async () => {
    const regs = await startRegistries(4)
    ;[src, ...dsts] = regs
    ;[ps, ...pds] = await Promise.all(regs.map(r => startProxy(r.url)))
    image = await pushImage(
      src.url,
      'team/app',
      [randomBlob(500_000), randomBlob(200_000), randomBlob(70_000)],
      {
        tag: 'v1'
      }
    )
    names = {
      [image.digest]: 'image',
      [image.blobs[0].digest]: 'config',
      [image.blobs[1].digest]: 'big',
      [image.blobs[2].digest]: 'mid',
      [image.blobs[3].digest]: 'small',
      [`sha256-${image.digest.slice(7)}`]: 'referrers-tag'
    }
  })
  afterAll(async () => {
    await Promise.all([ps, ...(pds ?? [])].map(p => p?.stop()))
    await Promise.all([src, ...(dsts ?? [])].map(r => r?.stop()))
  })

  it('target B resets every PUT of one blob: PromoteError, no tag on any target; the re-run completes B, A and C get only their tags', async () => {
    const mid = image.blobs[2]
    const [pa, pb, pc] = pds
    pb.setFault(req =>
      req.method === 'PUT' && req.url?.includes(encodeURIComponent(mid.digest))
        ? { kind: 'reset' }
        : undefined
    )
    const targets = pds.map(p => ({ repo: { registry: p.host, repository: repo }, tags: ['v1', 'stable'] }))
    const client = createRegistryClient()
    const error = await promote(client, {
      source: { registry: ps.host, repository: 'team/app', reference: 'v1' },
      targets
    }).catch((e: unknown) => e)
    await client.close()
    expect(error).toBeInstanceOf(PromoteError)
    const failures = (error as PromoteError).failures
    expect(failures.map(f => f.target)).toEqual([`${pb.host}/${repo}`])
    expect(failures[0].error.message).toMatch(
      new RegExp(
        `^PUT http://${pb.host}/v2/${repo}/blobs/uploads/[0-9a-f-]+\\?_state=…&digest=…: connection closed by the registry \\((ECONNRESET|EPIPE|UND_ERR_SOCKET)\\)`
      )
    )
    expect((error as Error).message).toMatch(
      /^promotion of sha256:[0-9a-f]{64} is incomplete; no tag was written on any target:\n {2}/
    )

    // no tag anywhere; A and C hold the whole image by digest, B everything but `mid`
    for (const d of dsts) expect(await listTags(d.url, repo)).toEqual([])
    for (const p of pds) expect(p.count('PUT', /\/manifests\/(v1|stable)$/)).toBe(0)
    expect((await rawManifest(dsts[0].url, repo, image.digest))?.digest).toBe(image.digest)
    expect((await rawManifest(dsts[2].url, repo, image.digest))?.digest).toBe(image.digest)
    expect(await rawManifest(dsts[1].url, repo, image.digest)).toBeUndefined()
    // B: `mid` tried three times (the first upload and two retries); after each PUT without an
    // answer the client HEADs the blob (it may have landed) — 3 HEADs (the plan HEADs no blob: the
    // registry did not know prod/app, its tag listing answered 404, and every blob is under 1 MiB);
    // the other blobs landed; no manifest
    expect(tally(pb.entries('*', /\/blobs\/|\/manifests\/sha256:/), names)).toEqual({
      'HEAD prod/app manifests/image 404': 1,
      'HEAD prod/app blobs/mid 404': 3,
      'POST prod/app uploads 202': 6,
      'PUT prod/app upload?digest=config 201': 1,
      'PUT prod/app upload?digest=big 201': 1,
      'PUT prod/app upload?digest=small 201': 1,
      'PUT prod/app upload?digest=mid 0': 3
    })
    for (const p of [pa, pc]) {
      expect(sequence(p, names, WRITES).filter(w => w.includes('manifests'))).toEqual([
        'PUT prod/app manifests/image 201'
      ])
      expect(p.bytesOut(/\/blobs\/uploads\//)).toBe(image.blobs.reduce((n, b) => n + b.size, 0))
    }
    // the source: `mid` read again for each retry of B, the others once
    expect(tally(ps.entries('GET', /\/blobs\//), names)).toEqual({
      'GET team/app blobs/config 200': 1,
      'GET team/app blobs/big 200': 1,
      'GET team/app blobs/mid 200': 3,
      'GET team/app blobs/small 200': 1
    })

    // re-run without the fault
    pb.setFault(undefined)
    for (const p of [ps, ...pds]) p.reset()
    const again = createRegistryClient()
    const result = await promote(again, {
      source: { registry: ps.host, repository: 'team/app', reference: 'v1' },
      targets
    })
    await again.close()
    // B still has no tag, so its tag listing answers 404 as for a repository the registry does not
    // know: its blobs, all under 1 MiB, are sent again unasked (a POST and a PUT each, where a HEAD
    // would have found three of them); the registry takes the same digests again
    const size = image.blobs.reduce((n, b) => n + b.size, 0)
    expect(tally(ps.entries('GET', /\/blobs\//), names)).toEqual({
      'GET team/app blobs/config 200': 1,
      'GET team/app blobs/big 200': 1,
      'GET team/app blobs/mid 200': 1,
      'GET team/app blobs/small 200': 1
    })
    expect(result.bytesRead).toBe(size)
    expect(again.stats.bytesUploaded).toBe(size)
    expect(pb.count('HEAD', /\/blobs\//)).toBe(0)
    expect(tally(pb.entries('*', /\/blobs\//), names)).toEqual({
      'POST prod/app uploads 202': 4,
      'PUT prod/app upload?digest=config 201': 1,
      'PUT prod/app upload?digest=big 201': 1,
      'PUT prod/app upload?digest=mid 201': 1,
      'PUT prod/app upload?digest=small 201': 1
    })
    expect(sequence(pb, names, WRITES).slice(8)).toEqual([
      'PUT prod/app manifests/image 201',
      'PUT prod/app manifests/v1 201',
      'PUT prod/app manifests/stable 201'
    ])
    for (const p of [pa, pc]) {
      expect(sequence(p, names, WRITES)).toEqual([
        'PUT prod/app manifests/v1 201',
        'PUT prod/app manifests/stable 201'
      ])
      expect(p.count('HEAD', /\/blobs\//)).toBe(0) // the image is there by digest: its blobs are too
    }
    expect(
      result.targets.map(t => [t.blobsSkipped, t.blobsCopied, t.bytesCopied, t.manifestsPushed, t.verified])
    ).toEqual([
      [4, 0, 0, 0, true],
      [0, 4, size, 1, true],
      [4, 0, 0, 0, true]
    ])
    for (const d of dsts) expect(await listTags(d.url, repo)).toEqual(['stable', 'v1'])
  })
})

describe('tag policy', () => {
  let src: TestRegistry
  let dst: TestRegistry
  let ps: Proxy
  let pd: Proxy
  let old: SeededImage
  let next: SeededImage

  beforeAll(async () => {
    ;[src, dst] = await startRegistries(2)
    ;[ps, pd] = await Promise.all([startProxy(src.url), startProxy(dst.url)])
    next = await pushImage(src.url, 'team/app', [randomBlob(40_000)], { tag: 'v2' })
    old = await pushImage(dst.url, 'prod/app', [randomBlob(30_000)], { tag: 'v1' })
    await pushImage(dst.url, 'prod/app', old.blobs.slice(1), { tag: 'latest' })
    await pushImage(dst.url, 'prod/other', old.blobs.slice(1), { tag: 'v1' })
  })
  afterAll(async () => {
    await Promise.all([ps?.stop(), pd?.stop()])
    await Promise.all([src?.stop(), dst?.stop()])
  })

  it('immutable (default): moving v1 is refused before any write, naming both digests', async () => {
    ps.reset()
    pd.reset()
    const client = createRegistryClient()
    const error = await promote(client, {
      source: { registry: ps.host, repository: 'team/app', reference: 'v2' },
      targets: [
        { repo: { registry: pd.host, repository: 'prod/app' }, tags: ['v1', 'latest', 'v2'] },
        { repo: { registry: pd.host, repository: 'prod/fresh' }, tags: ['v1'] }
      ]
    }).catch((e: unknown) => e)
    await client.close()
    expect(error).toBeInstanceOf(TagPolicyError)
    expect((error as Error).message).toBe(
      `tag policy "immutable" refuses to move tags:\n  ${pd.host}/prod/app:v1 points at ${old.digest}; promoting ${next.digest} would move it`
    )
    const plan = (error as TagPolicyError).plan
    expect(plan.targets.map(t => t.tags)).toEqual([
      [
        { tag: 'v1', action: 'move', from: old.digest },
        { tag: 'latest', action: 'move', from: old.digest },
        { tag: 'v2', action: 'create' }
      ],
      [{ tag: 'v1', action: 'create' }]
    ])
    expect(pd.count('*', /./)).toBeGreaterThan(0)
    expect(pd.log.filter(e => WRITES.test(`${e.method} `))).toEqual([])
    expect(ps.log.filter(e => WRITES.test(`${e.method} `))).toEqual([])
    expect(ps.count('GET', /\/blobs\//)).toBe(0)
    expect(await listTags(dst.url, 'prod/app')).toEqual(['latest', 'v1'])
    expect(await listTags(dst.url, 'prod/fresh')).toEqual([])
  })

  it('moving tags (latest, edge by default, or as given) move under immutable', async () => {
    const client = createRegistryClient()
    const result = await promote(client, {
      source: { registry: ps.host, repository: 'team/app', reference: 'v2' },
      targets: [{ repo: { registry: pd.host, repository: 'prod/other' }, tags: ['v1'] }],
      movingTags: ['v1']
    })
    await client.close()
    expect(result.targets[0].tags).toEqual([{ tag: 'v1', action: 'move', from: old.digest }])
    expect((await rawManifest(dst.url, 'prod/other', 'v1'))?.digest).toBe(next.digest)
  })

  it('overwrite: v1 and latest move; the tags are written once the image is complete', async () => {
    pd.reset()
    const client = createRegistryClient()
    const result = await promote(client, {
      source: { registry: ps.host, repository: 'team/app', reference: 'v2' },
      targets: [{ repo: { registry: pd.host, repository: 'prod/app' }, tags: ['v1', 'latest'] }],
      tagPolicy: 'overwrite'
    })
    await client.close()
    expect(result.targets[0].tags).toEqual([
      { tag: 'v1', action: 'move', from: old.digest },
      { tag: 'latest', action: 'move', from: old.digest }
    ])
    const writes = sequence(pd, {}, WRITES)
    // one target: the manifest goes last, under its first tag (stored by digest too), then the other
    expect(writes.slice(-3)).toEqual([
      expect.stringMatching(/^PUT prod\/app upload\?digest=sha256:[0-9a-f]{12} 201$/),
      'PUT prod/app manifests/v1 201',
      'PUT prod/app manifests/latest 201'
    ])
    expect((await rawManifest(dst.url, 'prod/app', 'v1'))?.digest).toBe(next.digest)
    expect((await rawManifest(dst.url, 'prod/app', 'latest'))?.digest).toBe(next.digest)
  })
})

describe('a tag the registry refuses', () => {
  let src: TestRegistry
  let dst: TestRegistry
  let pd: Proxy

  beforeAll(async () => {
    ;[src, dst] = await startRegistries(2)
    pd = await startProxy(dst.url)
  })
  afterAll(async () => {
    await pd?.stop()
    await Promise.all([src?.stop(), dst?.stop()])
  })

  it('a PromoteError naming that target; the other target is tagged and verified', async () => {
    const image = await pushImage(src.url, 'team/app', [randomBlob(10_000)], { tag: 'v3' })
    // an ECR-style immutable repository refuses the tag
    pd.setFault(req =>
      req.method === 'PUT' && req.url === '/v2/prod/locked/manifests/v3'
        ? {
            kind: 'respond',
            status: 400,
            headers: { 'content-type': 'application/json' },
            body: '{"errors":[{"code":"TAG_INVALID","message":"tag v3 cannot be overwritten"}]}'
          }
        : undefined
    )
    const client = createRegistryClient()
    const error = await promote(client, {
      source: { registry: src.host, repository: 'team/app', reference: 'v3' },
      targets: [
        { repo: { registry: pd.host, repository: 'prod/locked' }, tags: ['v3'] },
        { repo: { registry: pd.host, repository: 'prod/open' }, tags: ['v3'] }
      ]
    }).catch((e: unknown) => e)
    pd.setFault(undefined)
    await client.close()
    expect(error).toBeInstanceOf(PromoteError)
    expect((error as PromoteError).failures.map(f => [f.target, f.error.message])).toEqual([
      [
        `${pd.host}/prod/locked`,
        `PUT http://${pd.host}/v2/prod/locked/manifests/v3 answered 400: TAG_INVALID: tag v3 cannot be overwritten`
      ]
    ])
    expect((await rawManifest(dst.url, 'prod/open', 'v3'))?.digest).toBe(image.digest)
    expect(await listTags(dst.url, 'prod/locked')).toEqual([])
  })
})

describe('resolve once', () => {
  let src: TestRegistry
  let dst: TestRegistry
  let ps: Proxy

  beforeAll(async () => {
    ;[src, dst] = await startRegistries(2)
    ps = await startProxy(src.url)
  })
  afterAll(async () => {
    await ps?.stop()
    await Promise.all([src?.stop(), dst?.stop()])
  })

  it('the source tag moved between plan and copy: the digest resolved at the start is what lands', async () => {
    const first = await pushImage(src.url, 'team/app', [randomBlob(60_000)], { tag: 'rc' })
    let moved: SeededImage | undefined
    const client = createRegistryClient()
    const result = await promote(client, {
      source: { registry: ps.host, repository: 'team/app', reference: 'rc' },
      targets: [{ repo: { registry: dst.host, repository: 'prod/app' }, tags: ['1.0'] }],
      onPlan: async () => {
        moved = await pushImage(src.url, 'team/app', [randomBlob(61_000)], { tag: 'rc' })
      }
    })
    await client.close()
    expect(moved).toBeDefined()
    expect((await rawManifest(src.url, 'team/app', 'rc'))?.digest).toBe(moved?.digest)
    expect(moved?.digest).not.toBe(first.digest)
    expect(result.digest).toBe(first.digest)
    expect((await rawManifest(dst.url, 'prod/app', '1.0'))?.digest).toBe(first.digest)
    expect(await rawManifest(dst.url, 'prod/app', moved?.digest as string)).toBeUndefined()
    // the tag was looked at once (one GET gave the manifest); everything after went by digest
    expect(ps.log.filter(e => e.path.endsWith('/manifests/rc')).map(e => e.method)).toEqual(['GET'])
  })
})
