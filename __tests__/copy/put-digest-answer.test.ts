/**
 * A target that accepts a manifest PUT but answers another `Docker-Content-Digest` (newuser6 #11:
 * the run said "no tag in place on any target" while the tag was there, and named a child
 * `R/N:sha256:…`). One HEAD of the reference written says what it serves: the digest sent → a
 * warning, and the promotion goes on (as a re-run would find it in place); anything else → the
 * target fails naming the PUT's answer and what the HEAD found. A real registry behind a stand-in
 * of ours that rewrites the header.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createRegistryClient } from '../../src/registry/factory.js'
import type { RegistryClient } from '../../src/registry/client.js'
import { promote } from '../../src/copy/promote.js'
import { startRegistry, type TestRegistry } from '../helpers/registry.js'
import { startProxy, type Proxy } from '../helpers/proxy.js'
import {
  listTags,
  pushIndex,
  randomBlob,
  rawManifest,
  type SeededImage,
  type SeededIndex
} from '../helpers/images.js'
import { capturingLogger, seedImage } from '../registry/fixtures.js'

const WRONG = `sha256:${'e'.repeat(64)}`

describe('a manifest PUT answered with another Docker-Content-Digest', () => {
  let src: TestRegistry
  let dst: TestRegistry
  let proxy: Proxy
  let image: SeededImage
  let index: SeededIndex
  /** also rewrite the header of HEAD answers (the target then seems to serve WRONG) */
  let heads = false
  const clients: RegistryClient[] = []

  beforeAll(async () => {
    ;[src, dst] = await Promise.all([startRegistry(), startRegistry()])
    proxy = await startProxy(dst.url, {
      fault: req =>
        /\/manifests\//.test(req.url!) && (req.method === 'PUT' || (heads && req.method === 'HEAD'))
          ? { kind: 'rewrite', headers: { 'docker-content-digest': WRONG } }
          : undefined
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
    `warning ${reference}: the registry's answer to its PUT reported digest ${WRONG}, but a HEAD finds ${sent} there, the digest sent: the answer's Docker-Content-Digest is wrong (the registry, or a proxy in front of it); going on`

  it('the tag serves the digest sent: a warning, one HEAD after the PUT, and the promotion done', async () => {
    heads = false
    const { result, warnings, manifests } = await run('team/one', 'prod/a')
    expect(result).not.toBeInstanceOf(Error)
    expect(warnings).toEqual([warning(`${proxy.host}/prod/a:v1`, image.digest)])
    // the probe's HEADs, the PUT by tag, the HEAD that checks it; no other HEAD after it (confirmed)
    expect(manifests.slice(-2)).toEqual(['PUT /v2/prod/a/manifests/v1', 'HEAD /v2/prod/a/manifests/v1'])
    expect((await rawManifest(dst.url, 'prod/a', 'v1'))?.digest).toBe(image.digest)
  })

  it("an index's children are named R/N@sha256:…, each checked once", async () => {
    heads = false
    const { result, warnings } = await run('team/multi', 'prod/m')
    expect(result).not.toBeInstanceOf(Error)
    const children = index.children.map(c => warning(`${proxy.host}/prod/m@${c.digest}`, c.digest))
    expect(warnings.sort()).toEqual([...children, warning(`${proxy.host}/prod/m:v1`, index.digest)].sort())
    expect(warnings.join('\n')).not.toContain(':sha256:')
    expect((await rawManifest(dst.url, 'prod/m', 'v1'))?.digest).toBe(index.digest)
  })

  it('the HEAD finds another digest: the target fails naming the answer and what the HEAD found', async () => {
    heads = true
    const { result } = await run('team/one', 'prod/c')
    expect(result).toBeInstanceOf(Error)
    const lines = (result as Error).message.split('\n')
    expect(lines[1]).toBe(
      `  ${proxy.host}/prod/c: PUT manifest ${proxy.host}/prod/c:v1 was accepted (201), but the registry's answer reports digest ${WRONG}, not ${image.digest} (the bytes sent), and a HEAD of ${proxy.host}/prod/c:v1 finds ${WRONG}: the registry did not store what was sent under it`
    )
    // the registry itself did store it under v1: the stand-in lied in both answers
    expect(await listTags(dst.url, 'prod/c')).toEqual(['v1'])
  })
})
