/**
 * What a promotion sends over the wire, counted by recording proxies in front of real registries:
 * cold copy, warm re-run, same-registry mount, fan-out to three targets, a multi-platform index.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createRegistryClient } from '../../src/registry/factory.js'
import { promote } from '../../src/copy/promote.js'
import type { TestRegistry } from '../helpers/registry.js'
import { startProxy, type Proxy } from '../helpers/proxy.js'
import {
  listTags,
  pushImage,
  pushIndex,
  randomBlob,
  rawManifest,
  type SeededImage,
  type SeededIndex
} from '../helpers/images.js'
import { sequence, tally, WRITES, type Names } from './tally.js'
import { startRegistries } from './setup.js'

const sum = (blobs: Array<{ size: number }>): number => blobs.reduce((n, b) => n + b.size, 0)

describe('cold copy, then a warm re-run, between two registries', () => {
  let src: TestRegistry
  let dst: TestRegistry
  let ps: Proxy
  let pd: Proxy
  let image: SeededImage
  let names: Names

  beforeAll(async () => {
    ;[src, dst] = await startRegistries(2)
    ;[ps, pd] = await Promise.all([startProxy(src.url), startProxy(dst.url)])
    image = await pushImage(src.url, 'team/app', [randomBlob(200_000), randomBlob(50_000)], { tag: 'v1' })
    names = {
      [image.digest]: 'image',
      [image.blobs[0].digest]: 'config',
      [image.blobs[1].digest]: 'layer1',
      [image.blobs[2].digest]: 'layer2',
      [`sha256-${image.digest.slice(7)}`]: 'referrers-tag'
    }
  })
  afterAll(async () => {
    await Promise.all([ps?.stop(), pd?.stop()])
    await Promise.all([src?.stop(), dst?.stop()])
  })

  it('cold: each blob HEADed, read once and uploaded once; the manifest by tag, verified by its answer', async () => {
    ps.reset()
    pd.reset()
    const client = createRegistryClient()
    const result = await promote(client, {
      source: { registry: ps.host, repository: 'team/app', reference: 'v1' },
      referrers: true, // the fallback tag only: what these request counts assume
      targets: [{ repo: { registry: pd.host, repository: 'prod/app' }, tags: ['v1'] }]
    })
    await client.close()
    const size = sum(image.blobs)
    expect(size).toBe(250_000 + image.blobs[0].size)
    expect(tally(ps, names)).toEqual({
      'GET team/app manifests/v1 200': 1,
      'GET team/app tags/list 200': 1,
      'GET team/app blobs/config 200': 1,
      'GET team/app blobs/layer1 200': 1,
      'GET team/app blobs/layer2 200': 1
    })
    expect(tally(pd, names)).toEqual({
      // plan: is the image there? is the tag there? (the PUT's Docker-Content-Digest verifies both)
      'HEAD prod/app manifests/image 404': 1,
      'HEAD prod/app manifests/v1 404': 1,
      // beside them: the registry does not know prod/app, so no blob under 1 MiB is HEADed
      'GET prod/app tags/list 404': 1,
      'POST prod/app uploads 202': 3,
      'PUT prod/app upload?digest=config 201': 1,
      'PUT prod/app upload?digest=layer1 201': 1,
      'PUT prod/app upload?digest=layer2 201': 1,
      // one target: the PUT by tag stores the manifest by digest too
      'PUT prod/app manifests/v1 201': 1
    })
    expect(ps.bytesIn(/\/blobs\/sha256:/)).toBe(size)
    expect(pd.bytesOut(/\/blobs\/uploads\//)).toBe(size)
    expect(client.stats.bytesUploaded).toBe(size)
    expect(result.bytesRead).toBe(size)
    expect(result.targets).toEqual([
      {
        target: `${pd.host}/prod/app`,
        blobsSkipped: 0,
        blobsMounted: 0,
        blobsCopied: 3,
        bytesCopied: size,
        manifestsPushed: 1,
        tags: [{ tag: 'v1', action: 'create' }],
        seconds: expect.any(Number),
        verified: true
      }
    ])
    expect((await rawManifest(dst.url, 'prod/app', 'v1'))?.bytes.equals(image.bytes)).toBe(true)
  })

  it('warm: same tag and digest is a no-op — no write, no blob read, only HEADs', async () => {
    ps.reset()
    pd.reset()
    const client = createRegistryClient()
    const result = await promote(client, {
      source: { registry: ps.host, repository: 'team/app', reference: 'v1' },
      referrers: true, // the fallback tag only: what these request counts assume
      targets: [{ repo: { registry: pd.host, repository: 'prod/app' }, tags: ['v1'] }]
    })
    await client.close()
    expect(tally(ps, names)).toEqual({
      'GET team/app manifests/v1 200': 1,
      'GET team/app tags/list 200': 1
    })
    // the plan's HEADs (root by digest, the tag) are the verification: nothing was written; the
    // tag listing goes beside them (it spares a new repository its blob HEADs)
    expect(tally(pd, names)).toEqual({
      'HEAD prod/app manifests/image 200': 1,
      'HEAD prod/app manifests/v1 200': 1,
      'GET prod/app tags/list 200': 1
    })
    expect(result.bytesRead).toBe(0)
    expect(result.targets[0]).toMatchObject({
      blobsSkipped: 3,
      blobsMounted: 0,
      blobsCopied: 0,
      bytesCopied: 0,
      manifestsPushed: 0,
      tags: [{ tag: 'v1', action: 'keep', from: image.digest }],
      verified: true
    })
  })

  it('a new tag for a digest already there: one manifest PUT, nothing else written', async () => {
    ps.reset()
    pd.reset()
    const client = createRegistryClient()
    await promote(client, {
      source: { registry: ps.host, repository: 'team/app', reference: image.digest },
      referrers: true, // the fallback tag only: what these request counts assume
      targets: [{ repo: { registry: pd.host, repository: 'prod/app' }, tags: ['v1', '1.0'] }]
    })
    await client.close()
    expect(sequence(pd, names, WRITES)).toEqual(['PUT prod/app manifests/1.0 201'])
    // by digest: no tag to resolve at the source, one GET gives the manifest; beside it, the tag
    // listing says there is no fallback tag to read (the two in either order)
    expect(sequence(ps, names, /manifests|tags/).sort()).toEqual([
      'GET team/app manifests/image 200',
      'GET team/app tags/list 200'
    ])
    expect(await listTags(dst.url, 'prod/app')).toEqual(['1.0', 'v1'])
  })
})

describe('same-registry promotion to a new repository', () => {
  let reg: TestRegistry
  let p: Proxy
  let image: SeededImage
  let names: Names

  beforeAll(async () => {
    reg = (await startRegistries(1))[0]
    p = await startProxy(reg.url)
    image = await pushImage(reg.url, 'team/app', [randomBlob(300_000), randomBlob(20_000)], { tag: 'v1' })
    names = {
      [image.digest]: 'image',
      [image.blobs[0].digest]: 'config',
      [image.blobs[1].digest]: 'layer1',
      [image.blobs[2].digest]: 'layer2',
      [`sha256-${image.digest.slice(7)}`]: 'referrers-tag'
    }
  })
  afterAll(async () => {
    await p?.stop()
    await reg?.stop()
  })

  it('mounts every blob: 0 blob bytes through the client, 3 mounts answered 201', async () => {
    p.reset()
    const client = createRegistryClient()
    const result = await promote(client, {
      source: { registry: p.host, repository: 'team/app', reference: 'v1' },
      referrers: true, // the fallback tag only: what these request counts assume
      targets: [{ repo: { registry: p.host, repository: 'prod/new' }, tags: ['v1'] }]
    })
    await client.close()
    expect(tally(p, names)).toEqual({
      'GET team/app manifests/v1 200': 1,
      'GET team/app tags/list 200': 1,
      'HEAD prod/new manifests/image 404': 1,
      'HEAD prod/new manifests/v1 404': 1,
      // a repository the registry does not know: its blobs under 1 MiB are not HEADed
      'GET prod/new tags/list 404': 1,
      'POST prod/new uploads?mount=config&from=team/app 201': 1,
      'POST prod/new uploads?mount=layer1&from=team/app 201': 1,
      'POST prod/new uploads?mount=layer2&from=team/app 201': 1,
      'PUT prod/new manifests/v1 201': 1
    })
    expect(p.bytesIn(/\/blobs\/sha256:/)).toBe(0)
    expect(p.bytesOut(/\/blobs\/uploads\//)).toBe(0)
    expect(client.stats.mounts).toBe(3)
    expect(client.stats.bytesUploaded).toBe(0)
    expect(result.plan.targets[0].blobs.mount.map(b => names[b.digest])).toEqual([
      'config',
      'layer1',
      'layer2'
    ])
    expect(result.plan.targets[0].bytesToCopy).toBe(0)
    expect(result.targets[0]).toMatchObject({
      blobsMounted: 3,
      blobsCopied: 0,
      bytesCopied: 0,
      verified: true
    })
  })

  it('a mount answered 202 streams into the session it opened (no second POST)', async () => {
    p.reset()
    // ask the registry to mount from a repository that does not exist: distribution then answers
    // 202 with a fresh upload session, as a registry that does not support mounting would
    p.setFault(req =>
      req.method === 'POST' && req.url?.includes('mount=')
        ? { kind: 'forwardTo', path: (req.url ?? '').replace(/from=[^&]*/, 'from=nowhere%2Fempty') }
        : undefined
    )
    const client = createRegistryClient()
    const result = await promote(client, {
      source: { registry: p.host, repository: 'team/app', reference: 'v1' },
      targets: [{ repo: { registry: p.host, repository: 'prod/202' }, tags: [] }]
    })
    p.setFault(undefined)
    await client.close()
    const size = sum(image.blobs)
    expect(tally(p.entries('*', /\/blobs\//), names)).toEqual({
      // prod/202 is new (its tag listing answered 404): no blob HEAD
      'POST prod/202 uploads?mount=config&from=team/app 202': 1,
      'POST prod/202 uploads?mount=layer1&from=team/app 202': 1,
      'POST prod/202 uploads?mount=layer2&from=team/app 202': 1,
      'GET team/app blobs/config 200': 1,
      'GET team/app blobs/layer1 200': 1,
      'GET team/app blobs/layer2 200': 1,
      'PUT prod/202 upload?digest=config 201': 1,
      'PUT prod/202 upload?digest=layer1 201': 1,
      'PUT prod/202 upload?digest=layer2 201': 1
    })
    expect(p.bytesOut(/\/blobs\/uploads\//)).toBe(size)
    expect(result.targets[0]).toMatchObject({
      blobsMounted: 0,
      blobsCopied: 3,
      bytesCopied: size,
      verified: true
    })
  })

  it('a mount refused with an error falls back to a fresh upload session', async () => {
    p.reset()
    p.setFault(req =>
      req.method === 'POST' && req.url?.includes(`mount=${encodeURIComponent(image.blobs[1].digest)}`)
        ? {
            kind: 'respond',
            status: 404,
            headers: { 'content-type': 'application/json' },
            body: '{"errors":[{"code":"NAME_UNKNOWN","message":"repository name not known to registry"}]}'
          }
        : undefined
    )
    const client = createRegistryClient()
    const result = await promote(client, {
      source: { registry: p.host, repository: 'team/app', reference: 'v1' },
      targets: [{ repo: { registry: p.host, repository: 'prod/err' }, tags: ['v1'] }]
    })
    p.setFault(undefined)
    await client.close()
    // prod/err is new (its tag listing answered 404): no blob HEAD
    expect(tally(p.entries('*', /\/blobs\//), names)).toEqual({
      'POST prod/err uploads?mount=config&from=team/app 201': 1,
      'POST prod/err uploads?mount=layer1&from=team/app 404': 1,
      'POST prod/err uploads?mount=layer2&from=team/app 201': 1,
      'POST prod/err uploads 202': 1,
      'GET team/app blobs/layer1 200': 1,
      'PUT prod/err upload?digest=layer1 201': 1
    })
    expect(p.bytesOut(/\/blobs\/uploads\//)).toBe(image.blobs[1].size)
    expect(result.targets[0]).toMatchObject({
      blobsMounted: 2,
      blobsCopied: 1,
      bytesCopied: 300_000,
      verified: true
    })
  })
})

describe('fan-out to three registries', () => {
  let src: TestRegistry
  let dsts: TestRegistry[]
  let ps: Proxy
  let pds: Proxy[]
  let image: SeededImage

  beforeAll(async () => {
    const regs = await startRegistries(4)
    ;[src, ...dsts] = regs
    ;[ps, ...pds] = await Promise.all(regs.map(r => startProxy(r.url)))
    image = await pushImage(
      src.url,
      'team/app',
      [randomBlob(3_000_000), randomBlob(1_000_000), randomBlob(10)],
      {
        tag: 'v1'
      }
    )
  })
  afterAll(async () => {
    await Promise.all([ps, ...(pds ?? [])].map(p => p?.stop()))
    await Promise.all([src, ...(dsts ?? [])].map(r => r?.stop()))
  })

  it('reads each blob once from the source and uploads it to all three: 3× the image size', async () => {
    const client = createRegistryClient()
    const result = await promote(client, {
      source: { registry: ps.host, repository: 'team/app', reference: 'v1' },
      targets: pds.map(p => ({ repo: { registry: p.host, repository: 'prod/app' }, tags: ['v1'] }))
    })
    await client.close()
    const size = sum(image.blobs)
    for (const b of image.blobs) expect(ps.count('GET', new RegExp(`/blobs/${b.digest}$`))).toBe(1)
    expect(ps.count('GET', /\/blobs\//)).toBe(4)
    expect(ps.bytesIn(/\/blobs\/sha256:/)).toBe(size)
    expect(result.bytesRead).toBe(size)
    expect(client.stats.blobGets).toBe(4)
    expect(client.stats.bytesUploaded).toBe(3 * size)
    for (const p of pds) {
      expect(p.bytesOut(/\/blobs\/uploads\//)).toBe(size)
      expect(p.count('PUT', /\/blobs\/uploads\//)).toBe(4)
      expect(p.count('POST', /\/blobs\/uploads\//)).toBe(4)
      // each prod/app is new (its tag listing answered 404): only the blob of 1 MiB or more is HEADed
      expect(p.count('HEAD', /\/blobs\//)).toBe(1)
      expect(p.count('GET', /\/tags\/list/)).toBe(1)
    }
    for (const d of dsts) {
      expect((await rawManifest(d.url, 'prod/app', 'v1'))?.digest).toBe(image.digest)
    }
    expect(result.targets.map(t => [t.blobsCopied, t.bytesCopied, t.verified])).toEqual([
      [4, size, true],
      [4, size, true],
      [4, size, true]
    ])
  })
  it('two repositories on one registry: streamed to the first, mounted into the second from it', async () => {
    for (const p of [ps, ...pds]) p.reset()
    const [b, c] = pds
    const client = createRegistryClient()
    const result = await promote(client, {
      source: { registry: ps.host, repository: 'team/app', reference: 'v1' },
      targets: [
        { repo: { registry: b.host, repository: 'two/app' }, tags: ['v1'] },
        { repo: { registry: b.host, repository: 'two/mirror' }, tags: ['v1'] },
        { repo: { registry: c.host, repository: 'two/app' }, tags: ['v1'] }
      ]
    })
    await client.close()
    const size = sum(image.blobs)
    expect(ps.count('GET', /\/blobs\//)).toBe(4)
    expect(client.stats.bytesUploaded).toBe(2 * size)
    // registry b received the bytes once, and four mounts from two/app into two/mirror
    expect(b.bytesOut(/\/blobs\/uploads\//)).toBe(size)
    expect(b.count('POST', new RegExp(`/two/mirror/blobs/uploads/\\?mount=.*&from=two%2Fapp$`))).toBe(4)
    expect(result.plan.targets.map(t => [t.blobs.copy.length, t.blobs.mount.length, t.bytesToCopy])).toEqual([
      [4, 0, size],
      [0, 4, 0],
      [4, 0, size]
    ])
    expect(result.targets.map(t => [t.blobsCopied, t.blobsMounted, t.bytesCopied, t.verified])).toEqual([
      [4, 0, size, true],
      [0, 4, 0, true],
      [4, 0, size, true]
    ])
    expect((await rawManifest(dsts[0].url, 'two/mirror', 'v1'))?.digest).toBe(image.digest)
  })

  it('a target on a registry where another target already holds the blobs mounts from it', async () => {
    for (const p of [ps, ...pds]) p.reset()
    const [b] = pds
    const client = createRegistryClient()
    // two/app on registry b holds the image since the test above
    const result = await promote(client, {
      source: { registry: ps.host, repository: 'team/app', reference: 'v1' },
      targets: [
        { repo: { registry: b.host, repository: 'two/app' }, tags: ['v1'] },
        { repo: { registry: b.host, repository: 'three/app' }, tags: ['v1'] }
      ]
    })
    await client.close()
    expect(ps.count('GET', /\/blobs\//)).toBe(0)
    expect(client.stats.bytesUploaded).toBe(0)
    expect(b.count('POST', new RegExp(`/three/app/blobs/uploads/\\?mount=.*&from=two%2Fapp$`))).toBe(4)
    expect(
      result.plan.targets.map(t => [t.blobs.skip.length, t.blobs.copy.length, t.blobs.mount.length])
    ).toEqual([
      [4, 0, 0],
      [0, 0, 4]
    ])
    expect(result.targets.map(t => [t.blobsSkipped, t.blobsMounted, t.blobsCopied, t.verified])).toEqual([
      [4, 0, 0, true],
      [0, 4, 0, true]
    ])
  })
})

describe('a multi-platform index with an attestation', () => {
  let src: TestRegistry
  let dst: TestRegistry
  let ps: Proxy
  let pd: Proxy
  let index: SeededIndex
  let names: Names

  beforeAll(async () => {
    ;[src, dst] = await startRegistries(2)
    ;[ps, pd] = await Promise.all([startProxy(src.url), startProxy(dst.url)])
    index = await pushIndex(src.url, 'team/app', 'v2', {
      platforms: [
        { os: 'linux', architecture: 'amd64' },
        { os: 'linux', architecture: 'arm64' }
      ],
      shared: [randomBlob(400_000)],
      uniqueSize: 100_000,
      attestation: true
    })
    const [amd, arm, att] = index.children
    names = {
      [index.digest]: 'index',
      [amd.digest]: 'amd64',
      [arm.digest]: 'arm64',
      [att.digest]: 'attestation',
      [amd.blobs[0].digest]: 'amd64-config',
      [amd.blobs[1].digest]: 'shared',
      [amd.blobs[2].digest]: 'amd64-layer',
      [arm.blobs[0].digest]: 'arm64-config',
      [arm.blobs[2].digest]: 'arm64-layer',
      [att.blobs[0].digest]: 'att-config',
      [att.blobs[1].digest]: 'statement'
    }
    for (const d of [index.digest, amd.digest, arm.digest, att.digest])
      names[`sha256-${d.slice(7)}`] = `referrers-tag-${names[d]}`
  })
  afterAll(async () => {
    await Promise.all([ps?.stop(), pd?.stop()])
    await Promise.all([src?.stop(), dst?.stop()])
  })

  it('copies 7 blobs (the shared layer once), children by digest, the index by its first tag, then the other tag', async () => {
    const client = createRegistryClient()
    const result = await promote(client, {
      source: { registry: ps.host, repository: 'team/app', reference: 'v2' },
      referrers: true, // the fallback tag only: what these request counts assume
      targets: [{ repo: { registry: pd.host, repository: 'prod/app' }, tags: ['v2', 'latest'] }]
    })
    await client.close()
    const size = sum(index.blobs)
    expect(index.blobs).toHaveLength(7)
    expect(tally(ps, names)).toEqual({
      'GET team/app manifests/v2 200': 1,
      'GET team/app manifests/amd64 200': 1,
      'GET team/app manifests/arm64 200': 1,
      'GET team/app manifests/attestation 200': 1,
      // one tag listing says none of the four manifests has a fallback tag (was a GET for each)
      'GET team/app tags/list 200': 1,
      'GET team/app blobs/shared 200': 1,
      'GET team/app blobs/amd64-layer 200': 1,
      'GET team/app blobs/arm64-layer 200': 1,
      'GET team/app blobs/amd64-config 200': 1,
      'GET team/app blobs/arm64-config 200': 1,
      'GET team/app blobs/att-config 200': 1,
      'GET team/app blobs/statement 200': 1
    })
    expect(ps.bytesIn(/\/blobs\/sha256:/)).toBe(size)
    expect(pd.bytesOut(/\/blobs\/uploads\//)).toBe(size)
    // prod/app is new (its tag listing answered 404): no blob (all under 1 MiB) HEADed; the root and
    // its 3 children are HEADed in one wave beside that listing (a target may hold an index whose
    // child a GC deleted, probe.ts), so the children cost no round trip, and nothing after it
    expect(pd.count('HEAD', /\/blobs\//)).toBe(0)
    expect(pd.count('HEAD', /\/manifests\/sha256:/)).toBe(4)
    expect(pd.count('POST', /\/blobs\/uploads\//)).toBe(7)
    // every write in order: 7 blob uploads (any order), then manifests bottom-up, then the tags
    const writes = sequence(pd, names, WRITES)
    expect(writes).toHaveLength(7 * 2 + 5)
    expect(
      writes.slice(0, 14).every(w => /^(POST prod\/app uploads 202|PUT prod\/app upload\?digest=)/.test(w))
    ).toBe(true)
    expect(writes.slice(14)).toEqual([
      'PUT prod/app manifests/amd64 201',
      'PUT prod/app manifests/arm64 201',
      'PUT prod/app manifests/attestation 201',
      // one target: the index is pushed by its first tag (stored by digest too), then the other tag
      'PUT prod/app manifests/v2 201',
      'PUT prod/app manifests/latest 201'
    ])
    // every PUT answered the index's digest: no verifying HEAD follows
    expect(sequence(pd, names).slice(-2)).toEqual([
      'PUT prod/app manifests/v2 201',
      'PUT prod/app manifests/latest 201'
    ])
    expect(result.plan.source.platforms).toEqual(['linux/amd64', 'linux/arm64', 'unknown/unknown'])
    expect(result.targets[0]).toMatchObject({ blobsCopied: 7, bytesCopied: size, manifestsPushed: 4 })
  })

  it('into a repository that holds one child but not the index: each child HEADed once, the held one not pushed', async () => {
    const [amd] = index.children
    const client = createRegistryClient()
    // prod/known exists (a tag listing answers 200) and holds the amd64 image, by its own tag
    await promote(client, {
      source: { registry: ps.host, repository: 'team/app', reference: amd.digest },
      referrers: false,
      targets: [{ repo: { registry: pd.host, repository: 'prod/known' }, tags: ['old'] }]
    })
    pd.reset()
    await promote(client, {
      source: { registry: ps.host, repository: 'team/app', reference: 'v2' },
      referrers: false,
      targets: [{ repo: { registry: pd.host, repository: 'prod/known' }, tags: ['v2'] }]
    })
    await client.close()
    // the root and its 3 children in the root's wave, once each: the children's answers serve the
    // plan when the root is missing too (before: each child HEADed again after the wave, 7)
    expect(pd.count('HEAD', /\/manifests\/sha256:/)).toBe(4)
    expect(sequence(pd, names, WRITES).filter(w => w.includes('manifests/'))).toEqual([
      'PUT prod/known manifests/arm64 201',
      'PUT prod/known manifests/attestation 201',
      'PUT prod/known manifests/v2 201'
    ])
  })
})
