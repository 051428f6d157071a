/**
 * newuser6 #2: retries do not nest. A blob request the transport retried until it gave up (a
 * source answering 500 to every blob GET) is not sent again by another attempt of the delivery (it
 * went out 3 × 5 times before, and the message said `gave up after 5 tries`); a delivery whose
 * streamed upload was cut (no request can send that body again) is still attempted afresh, and the
 * copy succeeds. A recording, fault-injecting proxy of ours in front of real registries; the
 * backoff waits go through an injected sleep that returns at once, each wait recorded.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { createRegistryClient } from '../../src/registry/factory.js'
import { DEFAULT_RETRY, DELIVERY_RETRIES } from '../../src/registry/retry.js'
import { promote, PromoteError } from '../../src/copy/promote.js'
import type { TestRegistry } from '../helpers/registry.js'
import { startProxy, type Proxy } from '../helpers/proxy.js'
import { pushImage, randomBlob, rawManifest, listTags, type SeededImage } from '../helpers/images.js'
import { capturingLogger } from '../registry/fixtures.js'
import { tally, type Names } from './tally.js'
import { startRegistries } from './setup.js'

describe('a delivery is not attempted again after its request spent its retries', () => {
  let src: TestRegistry
  let dst: TestRegistry
  let ps: Proxy
  let pd: Proxy
  let image: SeededImage
  let names: Names

  beforeAll(async () => {
    ;[src, dst] = await startRegistries(2)
    ;[ps, pd] = await Promise.all([startProxy(src.url), startProxy(dst.url)])
    // the config is read whole (under 1 MiB), the layer streamed (fanout.ts readsWhole)
    image = await pushImage(src.url, 'team/app', [randomBlob(1_200_000)], { tag: 'v1' })
    names = { [image.blobs[0].digest]: 'config', [image.blobs[1].digest]: 'layer' }
  })
  afterAll(async () => {
    await Promise.all([ps?.stop(), pd?.stop()])
    await Promise.all([src?.stop(), dst?.stop()])
  })

  /** A client whose backoff waits return at once; `waits` records each (ms). */
  const client = () => {
    const waits: number[] = []
    const c = createRegistryClient({
      sleep: async ms => {
        waits.push(ms)
      }
    })
    return { c, waits }
  }

  it('every blob GET at the source answers 500: each blob asked 5 times, one upload session each, the message counts them', async () => {
    for (const p of [ps, pd]) p.reset()
    ps.setFault(req =>
      req.method === 'GET' && req.url?.includes('/blobs/sha256:')
        ? { kind: 'respond', status: 500, body: '{"errors":[{"code":"UNKNOWN","message":"stand-in 500"}]}' }
        : undefined
    )
    const log = capturingLogger()
    const { c, waits } = client()
    const repo = 'prod/b500'
    const error = await promote(c, {
      source: { registry: ps.host, repository: 'team/app', reference: 'v1' },
      targets: [{ repo: { registry: pd.host, repository: repo }, tags: ['v1'] }],
      logger: log
    }).catch((e: unknown) => e)
    ps.setFault(undefined)
    await c.close()

    const tries = DEFAULT_RETRY.retries + 1
    expect(tries).toBe(5)
    // before: 15 GETs of each blob (3 deliveries × 5 tries), 3 upload sessions opened and deleted
    expect(tally(ps.entries('GET', /\/blobs\//), names)).toEqual({
      'GET team/app blobs/config 500': tries,
      'GET team/app blobs/layer 500': tries
    })
    expect(pd.count('POST', /\/blobs\/uploads\/$/)).toBe(2)
    expect(pd.count('DELETE', /\/blobs\/uploads\//)).toBe(2)
    expect(pd.count('PUT')).toBe(0)
    // the backoffs of 4 retries per blob, nothing more
    expect(waits).toHaveLength(2 * DEFAULT_RETRY.retries)

    expect(error).toBeInstanceOf(PromoteError)
    const said = (blob: string) =>
      `GET http://${ps.host}/v2/team/app/blobs/${blob} answered 500: UNKNOWN: stand-in 500 — gave up after 5 tries`
    const failures = (error as PromoteError).failures
    // one failure kept per target: the first blob's to fail, either one
    expect(failures.map(f => f.target)).toEqual([`${pd.host}/${repo}`])
    expect(image.blobs.map(b => said(b.digest))).toContain(failures[0].error.message)
    expect(log.lines.filter(l => l.startsWith('warning ')).sort()).toEqual(
      image.blobs.map(b => `warning ${pd.host}/${repo}: blob ${b.digest} failed: ${said(b.digest)}`).sort()
    )
    expect(await listTags(dst.url, repo)).toEqual([])
    expect(await rawManifest(dst.url, repo, image.digest)).toBeUndefined()
  })

  it('a streamed PUT of the layer cut once: the delivery is attempted afresh and the copy succeeds', async () => {
    for (const p of [ps, pd]) p.reset()
    const layer = image.blobs[1].digest
    let cut = 0
    pd.setFault(req =>
      req.method === 'PUT' && req.url?.includes(encodeURIComponent(layer)) && cut++ === 0
        ? { kind: 'reset' }
        : undefined
    )
    const { c } = client()
    const repo = 'prod/cut-once'
    const result = await promote(c, {
      source: { registry: ps.host, repository: 'team/app', reference: 'v1' },
      targets: [{ repo: { registry: pd.host, repository: repo }, tags: ['v1'] }]
    })
    pd.setFault(undefined)
    await c.close()

    expect(result.digest).toBe(image.digest)
    expect(tally(pd.entries('PUT', /\/blobs\/uploads\//), names)).toEqual({
      [`PUT ${repo} upload?digest=config 201`]: 1,
      [`PUT ${repo} upload?digest=layer 0`]: 1,
      [`PUT ${repo} upload?digest=layer 201`]: 1
    })
    // the layer read again from the source for the second attempt
    expect(tally(ps.entries('GET', /\/blobs\//), names)).toEqual({
      'GET team/app blobs/config 200': 1,
      'GET team/app blobs/layer 200': 2
    })
    expect((await rawManifest(dst.url, repo, image.digest))?.digest).toBe(image.digest)
    expect(await listTags(dst.url, repo)).toEqual(['v1'])
  })

  it('a streamed PUT cut every time: 3 attempts, and the message says so', async () => {
    for (const p of [ps, pd]) p.reset()
    const layer = image.blobs[1].digest
    pd.setFault(req =>
      req.method === 'PUT' && req.url?.includes(encodeURIComponent(layer)) ? { kind: 'reset' } : undefined
    )
    const { c } = client()
    const repo = 'prod/cut-always'
    const error = await promote(c, {
      source: { registry: ps.host, repository: 'team/app', reference: 'v1' },
      targets: [{ repo: { registry: pd.host, repository: repo }, tags: ['v1'] }]
    }).catch((e: unknown) => e)
    pd.setFault(undefined)
    await c.close()

    const attempts = DELIVERY_RETRIES + 1
    expect(attempts).toBe(3)
    expect(pd.count('PUT', /\/blobs\/uploads\//)).toBe(1 + attempts)
    expect(tally(ps.entries('GET', /\/blobs\//), names)).toEqual({
      'GET team/app blobs/config 200': 1,
      'GET team/app blobs/layer 200': attempts
    })
    expect(error).toBeInstanceOf(PromoteError)
    const [failure] = (error as PromoteError).failures
    expect(failure.error.message).toMatch(
      new RegExp(
        `^PUT http://${pd.host.replace('.', '\\.')}/v2/${repo}/blobs/uploads/[0-9a-f-]+\\?_state=…&digest=…: connection closed by the registry \\((ECONNRESET|UND_ERR_SOCKET|EPIPE)\\) \\(this target's delivery gave up after 3 attempts, each started afresh\\)$`
      )
    )
  })

  it("README's words on retries are the code's numbers", async () => {
    const readme = await readFile(resolve(import.meta.dirname, '../../README.md'), 'utf8')
    const row = readme.split('\n').find(l => l.includes('--retry-times N'))
    expect(row).toContain(
      `a request is sent up to ${DEFAULT_RETRY.retries} more times (backoff, \`Retry-After\` honoured), a cut upload ${DELIVERY_RETRIES} more`
    )
  })
})
