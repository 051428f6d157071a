/**
 * A source whose `Docker-Content-Digest` disagrees with the bytes it serves (a stand-in of ours
 * rewrites the header of every manifest GET and HEAD answer of a real registry): copy, inspect and
 * manifest say the registry's header and the bytes' digest for what they are, and inspect asks
 * once by the reference instead of asking again by the misreported digest (newuser6 #12: `expected
 * digest X` where X was the registry's header; inspect failed with a 404 for a digest nobody asked
 * for). `digest` prints the registry's header, as crane digest does, and its help says so.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startRegistry, type TestRegistry } from '../helpers/registry.js'
import { startProxy, type Proxy } from '../helpers/proxy.js'
import { listTags, type SeededImage } from '../helpers/images.js'
import { runCliFromSource } from '../helpers/cli-source.js'
import { seedImage } from '../registry/fixtures.js'

const WRONG = `sha256:${'e'.repeat(64)}`

describe("a source's Docker-Content-Digest that its bytes do not have", () => {
  let src: TestRegistry
  let dst: TestRegistry
  let proxy: Proxy
  let image: SeededImage

  beforeAll(async () => {
    ;[src, dst] = await Promise.all([startRegistry(), startRegistry()])
    proxy = await startProxy(src.url, {
      fault: req =>
        /\/manifests\//.test(req.url!) && (req.method === 'GET' || req.method === 'HEAD')
          ? { kind: 'rewrite', headers: { 'docker-content-digest': WRONG } }
          : undefined
    })
    image = await seedImage(src.url, 'team/one', 'v1', [2_000])
  })
  afterAll(async () => {
    await proxy?.stop()
    await Promise.all([src?.stop(), dst?.stop()])
  })

  const said = (): string =>
    `promote-image: manifest ${proxy.host}/team/one:v1: the registry's Docker-Content-Digest says ${WRONG}, but the ${image.bytes.length} bytes it served hash to ${image.digest}: the registry, or a proxy in front of it, reports a digest its bytes do not have\n`

  it('copy names the header and the bytes, and writes nothing', async () => {
    proxy.reset()
    const run = await runCliFromSource(['copy', `${proxy.host}/team/one:v1`, `${dst.host}/prod/one:v1`])
    expect([run.status, run.stderr]).toEqual([1, said()])
    expect(await listTags(dst.url, 'prod/one')).toEqual([])
  })

  it.each(['inspect', 'manifest'])('%s says the same, after one GET by the tag', async command => {
    proxy.reset()
    const run = await runCliFromSource([command, `${proxy.host}/team/one:v1`])
    expect([run.status, run.stdout, run.stderr]).toEqual([1, '', said()])
    expect(proxy.log.filter(e => /\/manifests\//.test(e.path)).map(e => `${e.method} ${e.path}`)).toEqual([
      'GET /v2/team/one/manifests/v1'
    ])
  })

  it("digest prints the registry's header, as crane digest does, and its help says so", async () => {
    const run = await runCliFromSource(['digest', `${proxy.host}/team/one:v1`])
    expect([run.status, run.stdout]).toEqual([0, `${WRONG}\n`])
    const help = await runCliFromSource(['digest', '--help'])
    expect(help.stdout.replace(/\s+/g, ' ')).toContain(
      "The digest is the registry's Docker-Content-Digest answer, as crane's; inspect and manifest check it against the bytes served."
    )
  })
})
