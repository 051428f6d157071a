/**
 * A target that accepts a manifest PUT but answers another `Docker-Content-Digest` (newuser6 #11:
 * the run said "no tag in place on any target" while the tag was there, and named a child
 * `R/N:sha256:…`). One GET of the reference written, and the digest of its bytes, say what it
 * stores (review6 #3: was one HEAD's header, the class of header just shown to lie): the digest
 * sent → a warning, and the promotion goes on (as a re-run would find it in place), whatever the
 * GET's and HEAD's headers say; other bytes → the target fails naming the PUT's answer and the
 * bytes' digest, though the GET's header names the digest sent. A real registry behind a stand-in
 * of ours that rewrites the header (or serves other bytes).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createRegistryClient } from '../../src/registry/factory.js'
import type { RegistryClient } from '../../src/registry/client.js'
import { promote } from '../../src/copy/promote.js'
import { startRegistry, type TestRegistry } from '../helpers/registry.js'
import { startProxy, type FaultAction, type Proxy } from '../helpers/proxy.js'
import { pushIndex, randomBlob, rawManifest, type SeededImage, type SeededIndex } from '../helpers/images.js'
import { capturingLogger, seedImage } from '../registry/fixtures.js'
import { createHash } from 'node:crypto'

const WRONG = `sha256:${'e'.repeat(64)}`

describe('a manifest PUT answered with another Docker-Content-Digest', () => {
  let src: TestRegistry
  let dst: TestRegistry
  let proxy: Proxy
  let image: SeededImage
  let index: SeededIndex
  /** also rewrite the header of HEAD and GET answers (the target's headers then all say WRONG) */
  let heads = false
  /** a GET of a manifest is answered with these bytes, its header the digest that was sent */
  let served: { body: Buffer; digest: string } | undefined
  const clients: RegistryClient[] = []

  beforeAll(async () => {
    ;[src, dst] = await Promise.all([startRegistry(), startRegistry()])
    proxy = await startProxy(dst.url, {
      fault: (req): FaultAction | undefined => {
        if (!/\/manifests\//.test(req.url!)) return undefined
        if (served && req.method === 'GET')
          return {
            kind: 'respond',
            status: 200,
            headers: {
              'content-type': 'application/vnd.oci.image.manifest.v1+json',
              'docker-content-digest': served.digest
            },
            body: served.body
          }
        return req.method === 'PUT' || (heads && req.method !== 'DELETE')
          ? { kind: 'rewrite', headers: { 'docker-content-digest': WRONG } }
          : undefined
      }
    })
    image = await seedImage(src.url, 'team/one', 'v1', [2_000])
    index = await pushIndex(src.url, 'team/multi', 'v1', {
      platforms: [
        { os: 'linux', architecture: 'amd64' },
        { os: 'linux', architecture: 'arm64' }
      ],
      shared: [randomBlob(1_000)],
      uniqueSize: 500
    })
  })
  afterAll(async () => {
    await Promise.all(clients.map(c => c.close()))
    await proxy?.stop()
    await Promise.all([src?.stop(), dst?.stop()])
  })

  const run = async (repository: string, target: string) => {
    proxy.reset()
    const log = capturingLogger()
    const c = createRegistryClient({ logger: log })
    clients.push(c)
    const result = await promote(c, {
      source: { registry: src.host, repository, reference: 'v1' },
      targets: [{ repo: { registry: proxy.host, repository: target }, tags: ['v1'] }],
      logger: log
    }).catch((e: Error) => e)
    const manifests = proxy.log.filter(e => /\/manifests\//.test(e.path)).map(e => `${e.method} ${e.path}`)
    return { result, warnings: log.lines.filter(l => l.startsWith('warning ')), manifests }
  }
  const warning = (reference: string, sent: string): string =>
    `warning ${reference}: the registry's answer to its PUT reported digest ${WRONG}, but a GET of it serves bytes hashing to ${sent}, the digest sent: the answer's Docker-Content-Digest is wrong (the registry, or a proxy in front of it); going on`

  it('the tag serves the digest sent: a warning, one GET after the PUT, and the promotion done', async () => {
    heads = false
    served = undefined
    const { result, warnings, manifests } = await run('team/one', 'prod/a')
    expect(result).not.toBeInstanceOf(Error)
    expect(warnings).toEqual([warning(`${proxy.host}/prod/a:v1`, image.digest)])
    // the probe's HEADs, the PUT by tag, the GET that checks it; nothing after it (confirmed)
    expect(manifests.slice(-2)).toEqual(['PUT /v2/prod/a/manifests/v1', 'GET /v2/prod/a/manifests/v1'])
    expect((await rawManifest(dst.url, 'prod/a', 'v1'))?.digest).toBe(image.digest)
  })

  it("an index's children are named R/N@sha256:…, each checked once", async () => {
    heads = false
    served = undefined
    const { result, warnings } = await run('team/multi', 'prod/m')
    expect(result).not.toBeInstanceOf(Error)
    const children = index.children.map(c => warning(`${proxy.host}/prod/m@${c.digest}`, c.digest))
    expect(warnings.sort()).toEqual([...children, warning(`${proxy.host}/prod/m:v1`, index.digest)].sort())
    expect(warnings.join('\n')).not.toContain(':sha256:')
    expect((await rawManifest(dst.url, 'prod/m', 'v1'))?.digest).toBe(index.digest)
  })

  it("HEAD's and GET's headers rewritten too: the GET's bytes decide, the promotion done", async () => {
    // before (one HEAD's header): '…, and a HEAD of R/prod/c:v1 finds WRONG: the registry did not store…'
    heads = true
    served = undefined
    const { result, warnings, manifests } = await run('team/one', 'prod/c')
    expect(result).not.toBeInstanceOf(Error)
    expect(warnings).toEqual([warning(`${proxy.host}/prod/c:v1`, image.digest)])
    expect(manifests.slice(-2)).toEqual(['PUT /v2/prod/c/manifests/v1', 'GET /v2/prod/c/manifests/v1'])
    expect((await rawManifest(dst.url, 'prod/c', 'v1'))?.digest).toBe(image.digest)
  })

  it("the GET serves other bytes under a header naming the digest sent: the target fails, naming the bytes' digest", async () => {
    heads = false
    const body = Buffer.concat([image.bytes, Buffer.from(' ')])
    const other = `sha256:${createHash('sha256').update(body).digest('hex')}`
    served = { body, digest: image.digest }
    try {
      const { result, manifests } = await run('team/one', 'prod/d')
      expect(result).toBeInstanceOf(Error)
      const lines = (result as Error).message.split('\n')
      expect(lines[1]).toBe(
        `  ${proxy.host}/prod/d: PUT manifest ${proxy.host}/prod/d:v1 was accepted (201), but the registry's answer reports digest ${WRONG}, not ${image.digest} (the bytes sent), and a GET of ${proxy.host}/prod/d:v1 serves bytes hashing to ${other}: the registry did not store what was sent under it`
      )
      expect(manifests.filter(m => m.startsWith('GET '))).toEqual(['GET /v2/prod/d/manifests/v1'])
    } finally {
      served = undefined
    }
  })
})
