/**
 * copy/transfer.ts and the upload sessions it drives (resume.ts patchFrame, closeSession): how many
 * times a blob's delivery is attempted and a session continued is the client's RetryPolicy's to say
 * (ClientOptions `retryPolicy`, scopes `delivery` and `session`), counted by a recording proxy in
 * front of a real registry. The default policy's counts (3 deliveries) are in transaction.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createRegistryClient } from '../../src/registry/factory.js'
import { DEFAULT_RETRY_POLICY, type RetryAttempt, type RetryPolicy } from '../../src/registry/retry.js'
import { promote, PromoteError } from '../../src/copy/promote.js'
import type { TestRegistry } from '../helpers/registry.js'
import { startProxy, type Proxy } from '../helpers/proxy.js'
import { pushImage, randomBlob, rawManifest, type SeededImage } from '../helpers/images.js'
import { tally, type Names } from './tally.js'
import { startRegistries } from './setup.js'

/**
 * The default policy, but at `scope` at most `allowed` retries (at once); records every question
 * asked at `delivery` and `session`.
 */
function policyAllowing(
  scope: 'delivery' | 'session',
  allowed: number
): RetryPolicy & { asked: Array<Pick<RetryAttempt, 'scope' | 'attempt'>> } {
  const asked: Array<Pick<RetryAttempt, 'scope' | 'attempt'>> = []
  return {
    asked,
    decide: a => {
      if (a.scope === 'delivery' || a.scope === 'session') asked.push({ scope: a.scope, attempt: a.attempt })
      if (a.scope !== scope) return DEFAULT_RETRY_POLICY.decide(a)
      return a.attempt < allowed
        ? { retry: true, delayMs: 0, retryAfter: false }
        : { retry: false, reason: `the test's policy allows ${allowed}` }
    }
  }
}

describe("the client's RetryPolicy decides deliveries and session continuations", () => {
  let src: TestRegistry
  let dst: TestRegistry
  let pd: Proxy
  let ps: Proxy
  let image: SeededImage
  let names: Names

  beforeAll(async () => {
    ;[src, dst] = await startRegistries(2)
    ;[ps, pd] = await Promise.all([startProxy(src.url), startProxy(dst.url)])
    image = await pushImage(src.url, 'team/app', [randomBlob(150_000)], { tag: 'v1' })
    names = { [image.blobs[0].digest]: 'config', [image.blobs[1].digest]: 'layer' }
  })
  afterAll(async () => {
    await Promise.all([ps?.stop(), pd?.stop()])
    await Promise.all([src?.stop(), dst?.stop()])
  })

  it.each([
    [0, 1],
    [1, 2]
  ])(
    'every PUT of the layer reset (a temporary failure): %i deliveries more allowed → %i PUTs, then the target fails',
    async (allowed, attempts) => {
      const layer = image.blobs[1]
      const repo = `prod/delivery${allowed}`
      for (const p of [ps, pd]) p.reset()
      pd.setFault(req =>
        req.method === 'PUT' && req.url?.includes(encodeURIComponent(layer.digest))
          ? { kind: 'reset' }
          : undefined
      )
      const policy = policyAllowing('delivery', allowed)
      const client = createRegistryClient({ retryPolicy: policy })
      const error = await promote(client, {
        source: { registry: ps.host, repository: 'team/app', reference: 'v1' },
        targets: [{ repo: { registry: pd.host, repository: repo }, tags: ['v1'] }]
      }).catch((e: unknown) => e)
      pd.setFault(undefined)
      await client.close()

      expect(error).toBeInstanceOf(PromoteError)
      expect((error as PromoteError).failures.map(f => f.target)).toEqual([`${pd.host}/${repo}`])
      // asked once per failed delivery of the layer; the config landed at once
      expect(policy.asked).toEqual(
        Array.from({ length: attempts }, (_, attempt) => ({ scope: 'delivery', attempt }))
      )
      const puts = tally(pd.entries('PUT', /\/blobs\/uploads\//), names)
      expect(puts).toEqual({
        [`PUT ${repo} upload?digest=config 201`]: 1,
        [`PUT ${repo} upload?digest=layer 0`]: attempts
      })
      expect(pd.count('POST', /\/blobs\/uploads\//)).toBe(1 + attempts)
      // the source read the layer once per delivery
      expect(tally(ps.entries('GET', /\/blobs\//), names)).toEqual({
        'GET team/app blobs/config 200': 1,
        'GET team/app blobs/layer 200': attempts
      })
      expect(pd.count('PUT', /\/manifests\//)).toBe(0)
      expect(await rawManifest(dst.url, repo, image.digest)).toBeUndefined()
    }
  )

  it.each([0, 2])(
    'every PATCH reset (no answer): %i session continuations allowed → asked that many + 1 times per delivery, each a PATCH, a status GET between',
    async allowed => {
      const repo = `prod/session${allowed}`
      for (const p of [ps, pd]) p.reset()
      // the layer's first chunk only (150 000 bytes in chunks of 100 000; the config is smaller)
      pd.setFault(req =>
        req.method === 'PATCH' && req.headers['content-range'] === '0-99999' ? { kind: 'reset' } : undefined
      )
      const policy = policyAllowing('session', allowed)
      const client = createRegistryClient({ retryPolicy: policy })
      const error = await promote(client, {
        source: { registry: ps.host, repository: 'team/app', reference: 'v1' },
        targets: [{ repo: { registry: pd.host, repository: repo }, tags: ['v1'] }],
        uploadMode: 'chunked',
        chunkSize: 100_000,
        concurrency: 1,
        smallBlobsPerSlot: 1
      }).catch((e: unknown) => e)
      pd.setFault(undefined)
      await client.close()

      expect(error).toBeInstanceOf(PromoteError)
      const session = Array.from({ length: allowed + 1 }, (_, attempt) => ({ scope: 'session', attempt }))
      // a reset is temporary: the default policy attempts the delivery 3 times, each continuing its session
      expect(policy.asked).toEqual([
        ...session,
        { scope: 'delivery', attempt: 0 },
        ...session,
        { scope: 'delivery', attempt: 1 },
        ...session,
        { scope: 'delivery', attempt: 2 }
      ])
      // the layer's first chunk, once per question asked at `session` (largest first, concurrency
      // 1: the failed target is given up before its config is sent)
      expect(pd.entries('PATCH').map(e => e.requestHeaders['content-range'])).toEqual(
        Array(3 * (allowed + 1)).fill('0-99999')
      )
      // a status GET of the session after each failed PATCH the policy let continue
      expect(pd.count('GET', /\/blobs\/uploads\//)).toBe(3 * allowed)
      expect(pd.count('POST', /\/blobs\/uploads\//)).toBe(3)
      expect(pd.count('PUT')).toBe(0)
    }
  )
})
