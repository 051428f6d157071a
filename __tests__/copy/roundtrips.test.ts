/**
 * Sequential round trips of a promotion (issue 14): recording proxies in front of real registries
 * hold every request without a body DELAY ms before forwarding it (the proxy's delay would drop a
 * body that arrives meanwhile; uploads last as long as their source GET anyway), so requests sent
 * together overlap and requests that wait for an answer come after it; the longest chain of requests each arriving after the
 * previous one's response ended is the number of round trips on the copy's critical path (each
 * costs a full link latency between regions). The exact requests and the exact number of waves are
 * asserted, so neither can grow back unnoticed.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { createRegistryClient } from '../../src/registry/factory.js'
import { staticCredentials } from '../../src/auth/credentials.js'
import { promote, type PromoteOptions } from '../../src/copy/promote.js'
import type { TestRegistry } from '../helpers/registry.js'
import { startRegistry } from '../helpers/registry.js'
import type { IncomingMessage } from 'node:http'
import { startProxy, type Exchange, type FaultAction, type Proxy } from '../helpers/proxy.js'
import { makeTestPki, type TestPki } from '../helpers/tls.js'
import { startTokenServer, type TokenServer } from '../helpers/token-server.js'
import { pushImage, randomBlob, type SeededImage } from '../helpers/images.js'
import { tally, type Names } from './tally.js'
import { startRegistries } from './setup.js'

/** ms every request without a body is held before it is forwarded */
const DELAY = 150

/** The proxies' fault hook: hold body-less requests DELAY ms. */
const hold = (req: IncomingMessage): FaultAction | undefined => {
  const length = req.headers['content-length']
  const body = (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined
  return body ? undefined : { kind: 'delay', ms: DELAY }
}

/** A blob upload's closing PUT (it carries the bytes, so the proxies do not hold it). */
const uploadPut = (x: Exchange): boolean => x.method === 'PUT' && x.path.includes('/blobs/uploads/')

/**
 * The longest chain of exchanges in which each arrived after the previous one's response had
 * ended: the sequential round trips (parallel requests count once). Upload PUTs are not held, so
 * one sent a few ms after another ended (its blob's GET ended later) is its sibling, not a round
 * trip of its own: a step from one upload PUT to another adds nothing.
 */
function waves(log: Exchange[]): number {
  const xs = [...log].sort((a, b) => a.at - b.at)
  const chain: number[] = []
  for (let k = 0; k < xs.length; k++) {
    const steps = xs
      .slice(0, k)
      .map((x, j) => ({ x, j }))
      .filter(({ x }) => (x.end ?? Infinity) <= xs[k].at)
      .map(({ x, j }) => chain[j] + (uploadPut(x) && uploadPut(xs[k]) ? 0 : 1))
    chain[k] = Math.max(1, ...steps)
  }
  return Math.max(0, ...chain)
}

/** promote() with the fallback tag only (`referrers: true`): the waves and counts below assume it. */
async function promoteVia(options: PromoteOptions, client = createRegistryClient()): Promise<void> {
  try {
    await promote(client, { referrers: true, ...options })
  } finally {
    await client.close()
  }
}

describe('sequential round trips between two registries (each request held 150 ms)', () => {
  let src: TestRegistry
  let dst: TestRegistry
  let ps: Proxy
  let pd: Proxy
  let image: SeededImage
  let names: Names

  beforeAll(async () => {
    ;[src, dst] = await startRegistries(2)
    ;[ps, pd] = await Promise.all([
      startProxy(src.url, { fault: hold }),
      startProxy(dst.url, { fault: hold })
    ])
    image = await pushImage(src.url, 'team/app', [randomBlob(30_000), randomBlob(20_000)], { tag: 'v1' })
    names = {
      [image.digest]: 'image',
      [image.blobs[0].digest]: 'config',
      [image.blobs[1].digest]: 'layer1',
      [image.blobs[2].digest]: 'layer2',
      [`sha256-${image.digest.slice(7)}`]: 'referrers-tag'
    }
  })
  beforeEach(() => {
    ps.reset()
    pd.reset()
  })
  afterAll(async () => {
    await Promise.all([ps?.stop(), pd?.stop()])
    await Promise.all([src?.stop(), dst?.stop()])
  })

  const byDigest = (tags: string[]): PromoteOptions => ({
    source: { registry: ps.host, repository: 'team/app', reference: image.digest },
    targets: [{ repo: { registry: pd.host, repository: 'prod/app' }, tags }]
  })
  const SOURCE_READS = {
    'GET team/app manifests/image 200': 1,
    'GET team/app tags/list 200': 1
  }

  it('cold: 2 requests per blob at the target (none a HEAD: its tag listing says the repository is new) and 1 at the source, in 4 waves', async () => {
    await promoteVia(byDigest(['v1']))
    const perBlob = (b: string): Record<string, number> => ({
      [`PUT prod/app upload?digest=${b} 201`]: 1
    })
    expect(tally(ps, names)).toEqual({
      ...SOURCE_READS,
      'GET team/app blobs/config 200': 1,
      'GET team/app blobs/layer1 200': 1,
      'GET team/app blobs/layer2 200': 1
    })
    expect(tally(pd, names)).toEqual({
      'HEAD prod/app manifests/image 404': 1,
      'HEAD prod/app manifests/v1 404': 1,
      'GET prod/app tags/list 404': 1,
      ...perBlob('config'),
      ...perBlob('layer1'),
      ...perBlob('layer2'),
      'POST prod/app uploads 202': 3,
      'PUT prod/app manifests/v1 201': 1
    })
    // no pings (a registry is pinged only when a request needs it). Source: the GET and the tag
    // listing side by side (the listing needs no digest; it says there is no fallback tag to read)
    // (the target's root + tag HEADs and its tag listing meanwhile, from the start: the source is
    // given by digest); target: no blob HEAD (the listing answered 404: the registry does not know
    // prod/app), the upload POSTs with the blob GETs beside them, the upload PUTs (a small blob's
    // bytes come in one piece, so its PUT reaches the registry once the GET has ended), the
    // manifest by tag (its answer's Docker-Content-Digest is the verification). Was 5 waves with a
    // HEAD per blob.
    expect(waves([...ps.log, ...pd.log])).toBe(4)
    // as many connections as requests were ever in flight together at each registry: the source's
    // 2 reads, then its 3 blob GETs; the target's 3 probes, then 3 POSTs, 3 PUTs and the manifest,
    // each sent when the answer before it has ended, on a connection handed back (http.ts
    // Settling). Were up to 4 and 6: a request sent in the turn an answer ended opened another.
    expect([ps.connections(), pd.connections()]).toEqual([3, 3])
  })

  it('warm re-run (same tag): 5 requests in 1 wave — the target answers during the source walk', async () => {
    await promoteVia(byDigest(['v1']))
    expect(tally(ps, names)).toEqual(SOURCE_READS)
    expect(tally(pd, names)).toEqual({
      'HEAD prod/app manifests/image 200': 1,
      'HEAD prod/app manifests/v1 200': 1,
      // beside the HEADs: a new repository would need no blob HEAD (probe.ts Listing 'beside')
      'GET prod/app tags/list 200': 1
    })
    expect(waves(ps.log)).toBe(1)
    expect(waves(pd.log)).toBe(1)
    expect(waves([...ps.log, ...pd.log])).toBe(1)
  })

  it('warm with a new tag: 6 requests in 2 waves (the tag PUT answers its digest: no verifying HEAD)', async () => {
    await promoteVia(byDigest(['v2']))
    expect(tally(ps, names)).toEqual(SOURCE_READS)
    expect(tally(pd, names)).toEqual({
      'HEAD prod/app manifests/image 200': 1,
      'HEAD prod/app manifests/v2 404': 1,
      'GET prod/app tags/list 200': 1,
      'PUT prod/app manifests/v2 201': 1
    })
    expect(waves([...ps.log, ...pd.log])).toBe(2)
  })

  it("warm with a new tag, referrers 'all' (the CLI's default): the referrers API asked beside the root's GET, 2 waves", async () => {
    await promoteVia({ ...byDigest(['v3']), referrers: 'all' })
    expect(tally(ps, names)).toEqual({
      ...SOURCE_READS,
      [`GET /v2/team/app/referrers/${image.digest} 404`]: 1
    })
    expect(tally(pd, names)).toEqual({
      'HEAD prod/app manifests/image 200': 1,
      'HEAD prod/app manifests/v3 404': 1,
      'GET prod/app tags/list 200': 1,
      'PUT prod/app manifests/v3 201': 1
    })
    // source: the root's GET, the tag listing and the referrers API side by side (the root is
    // given by digest: its lookups need nothing the GET answers); target: root and tag HEADs, then
    // the tag PUT. No pings (each was a wave of its own: 3 waves); before, the referrers API
    // waited for the root's GET: 4 waves.
    const source = ps.log.map(e => e.path.replace(/\?.*/, ''))
    expect(source.sort()).toEqual(
      [
        `/v2/team/app/manifests/${image.digest}`,
        `/v2/team/app/referrers/${image.digest}`,
        '/v2/team/app/tags/list'
      ].sort()
    )
    expect(waves(ps.log)).toBe(1)
    expect(waves([...ps.log, ...pd.log])).toBe(2)
  })

  it('warm re-run from a tag: one GET resolves it, then the target: 2 waves', async () => {
    await promoteVia({
      ...byDigest(['v1']),
      source: { registry: ps.host, repository: 'team/app', reference: 'v1' }
    })
    expect(tally(ps, names)).toEqual({
      'GET team/app manifests/v1 200': 1,
      'GET team/app tags/list 200': 1
    })
    expect(tally(pd, names)).toEqual({
      'HEAD prod/app manifests/image 200': 1,
      'HEAD prod/app manifests/v1 200': 1,
      'GET prod/app tags/list 200': 1
    })
    expect(waves([...ps.log, ...pd.log])).toBe(2)
  })
})

describe('sequential round trips with token auth: one token per scope set covers its whole wave', () => {
  const SERVICE = 'registry.test'
  const ALICE = { user: 'alice', password: 'alice-Secret-5c0d19' }
  let pki: TestPki
  let ts: TokenServer
  let reg: TestRegistry
  let proxy: Proxy
  let image: SeededImage

  beforeAll(async () => {
    pki = await makeTestPki()
    ts = await startTokenServer({
      pki,
      service: SERVICE,
      users: { [ALICE.user]: ALICE.password },
      acl: { alice: { 'team/app': ['pull', 'push'], 'prod/app': ['pull', 'push'] } }
    })
    reg = await startRegistry({ token: ts.registryConfig })
    proxy = await startProxy(reg.url, { fault: hold })
    const client = createRegistryClient({
      credentials: staticCredentials({ [reg.host]: { username: ALICE.user, password: ALICE.password } })
    })
    try {
      const seeded = await pushViaClient(reg, ts, ALICE)
      image = seeded
      // the first promotion: prod/app gets the image and the tags
      await promote(client, {
        source: { registry: reg.host, repository: 'team/app', reference: image.digest },
        targets: [{ repo: { registry: reg.host, repository: 'prod/app' }, tags: ['v1', 'stable'] }]
      })
    } finally {
      await client.close()
    }
  })
  beforeEach(() => {
    proxy.reset()
    ts.reset()
  })
  afterAll(async () => {
    await proxy?.stop()
    await reg?.stop()
    await ts?.stop()
    await pki?.remove()
  })

  it('warm re-run with two tags: one pull token per repository, 6 requests sent twice in 2 waves', async () => {
    const client = createRegistryClient({
      credentials: staticCredentials({ [proxy.host]: { username: ALICE.user, password: ALICE.password } })
    })
    await promoteVia(
      {
        source: { registry: proxy.host, repository: 'team/app', reference: image.digest },
        targets: [{ repo: { registry: proxy.host, repository: 'prod/app' }, tags: ['v1', 'stable'] }]
      },
      client
    )
    expect(ts.requests.map(r => [r.method, r.scopes.join(' '), r.status]).sort()).toEqual([
      ['GET', 'repository:prod/app:pull', 200],
      ['GET', 'repository:team/app:pull', 200]
    ])
    const names = { [image.digest]: 'image', [`sha256-${image.digest.slice(7)}`]: 'referrers-tag' }
    // no ping: the first wave goes without a token and each of its 401s names the challenge (as
    // containerd's resolver); the pull tokens then cover the same wave again
    const wave = [
      'GET team/app manifests/image',
      'GET team/app tags/list',
      'HEAD prod/app manifests/image',
      'HEAD prod/app manifests/v1',
      'HEAD prod/app manifests/stable',
      'GET prod/app tags/list'
    ]
    expect(tally(proxy, names)).toEqual(
      Object.fromEntries(
        wave.flatMap(r => [
          [`${r} 200`, 1],
          [`${r} 401`, 1]
        ])
      )
    )
    expect(proxy.log.every(e => (e.status === 401) === (e.requestHeaders.authorization === undefined))).toBe(
      true
    )
    expect(
      proxy.log
        .filter(e => e.status !== 401)
        .every(e => String(e.requestHeaders.authorization).startsWith('Bearer '))
    ).toBe(true)
    expect(waves(proxy.log)).toBe(2)
  })
})

/** Pushes a small image to team/app with a push token of `who`. */
async function pushViaClient(
  reg: TestRegistry,
  ts: TokenServer,
  who: { user: string; password: string }
): Promise<SeededImage> {
  const url = new URL(ts.realm)
  url.searchParams.set('service', 'registry.test')
  url.searchParams.set('scope', 'repository:team/app:pull,push')
  const basic = Buffer.from(`${who.user}:${who.password}`).toString('base64')
  const res = await fetch(url, { headers: { authorization: `Basic ${basic}` } })
  const { token } = (await res.json()) as { token: string }
  return await pushImage(reg.url, 'team/app', [randomBlob(10_000)], {
    tag: 'v1',
    headers: { authorization: `Bearer ${token}` }
  })
}
