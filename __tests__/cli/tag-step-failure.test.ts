/**
 * A tag refused at one target after another target was tagged (newuser3 finding 3): the CLI's
 * error says which targets carry which tags now, which lack which, and that a re-run writes them
 * (before: only the failure, `…: PUT …/manifests/v3 answered 403: …`). `main(argv)` in process
 * against real registries, a fault proxy of ours in front of one target refusing its tag PUT;
 * exit status, the message stderr ends with, the tags each target holds, and the re-run.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runMain } from '../helpers/main-run.js'
import { listTags, pushImage, pushIndex, randomBlob, rawManifest } from '../helpers/images.js'
import { startProxy, type Proxy } from '../helpers/proxy.js'
import type { TestRegistry } from '../helpers/registry.js'
import { startRegistries } from '../copy/setup.js'

const run = runMain

/** ECR's refusal of a tag in an immutable repository (the status and code it answers). */
const refusal = (repository: string, tag: string): string =>
  JSON.stringify({
    errors: [
      {
        code: 'TAG_INVALID',
        message: `The image tag '${tag}' already exists in the '${repository}' repository and cannot be overwritten because the repository is immutable.`
      }
    ]
  })
const said = (repository: string, tag: string): string =>
  `answered 400: TAG_INVALID: The image tag '${tag}' already exists in the '${repository}' repository and cannot be overwritten because the repository is immutable.`

describe('copy: a tag refused at one target after another was tagged', () => {
  let src: TestRegistry
  let dst: TestRegistry
  let proxy: Proxy
  let dir: string
  const saved = {
    DOCKER_CONFIG: process.env.DOCKER_CONFIG,
    REGISTRY_AUTH_FILE: process.env.REGISTRY_AUTH_FILE
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pi-tag-step-'))
    // no credentials from the machine's docker config
    process.env.DOCKER_CONFIG = dir
    delete process.env.REGISTRY_AUTH_FILE
    ;[src, dst] = await startRegistries(2)
    proxy = await startProxy(dst.url)
  })
  afterAll(async () => {
    await proxy?.stop()
    await Promise.all([src?.stop(), dst?.stop()])
    if (dir) await rm(dir, { recursive: true, force: true })
    for (const [k, v] of Object.entries(saved))
      if (v === undefined) delete process.env[k]
      else process.env[k] = v
  })

  /** Refuses, through the proxy, every manifest PUT by `tag` into `repository`. */
  function refuseTag(repository: string, tag: string): void {
    proxy.setFault(req =>
      req.method === 'PUT' && req.url === `/v2/${repository}/manifests/${tag}`
        ? {
            kind: 'respond',
            status: 400,
            headers: { 'content-type': 'application/json' },
            body: refusal(repository, tag)
          }
        : undefined
    )
  }

  it('an index: the other target carries v3, this one lacks it; the re-run writes it', async () => {
    const index = await pushIndex(src.url, 'src/multi', 'rc1', {
      platforms: [
        { os: 'linux', architecture: 'amd64' },
        { os: 'linux', architecture: 'arm64' }
      ],
      shared: [randomBlob(3000)],
      uniqueSize: 2000
    })
    refuseTag('prod/frozen', 'v3')
    const argv = [
      'copy',
      `${src.host}/src/multi:rc1`,
      `${dst.host}/prod/multi:v3`,
      `${proxy.host}/prod/frozen:v3`
    ]
    const r = await run(argv)
    proxy.setFault(undefined)
    expect([r.status, r.stdout]).toEqual([1, ''])
    expect(r.stderr.trimEnd().split('\n').slice(-2)).toEqual([
      `promote-image: promotion of ${index.digest} is incomplete: tags in place on ${dst.host}/prod/multi (v3); missing on ${proxy.host}/prod/frozen (v3); a re-run writes the missing tags:`,
      `  ${proxy.host}/prod/frozen: PUT http://${proxy.host}/v2/prod/frozen/manifests/v3 ${said('prod/frozen', 'v3')}`
    ])
    expect([await listTags(dst.url, 'prod/multi'), await listTags(dst.url, 'prod/frozen')]).toEqual([
      ['v3'],
      []
    ])
    expect((await rawManifest(dst.url, 'prod/frozen', index.digest))?.digest).toBe(index.digest)

    // what the message promises: the re-run writes the missing tag, and only that
    proxy.reset()
    const again = await run(argv)
    expect([again.status, again.stdout]).toEqual([0, `${index.digest}\n`])
    expect(proxy.entries('PUT').map(e => e.path)).toEqual(['/v2/prod/frozen/manifests/v3'])
    expect(await listTags(dst.url, 'prod/frozen')).toEqual(['v3'])
  }, 60_000)

  it('one target, a single manifest (written with its first tag): it lacks the image too', async () => {
    const image = await pushImage(src.url, 'src/one', [randomBlob(4000)], { tag: 'rc1' })
    refuseTag('prod/frozen-one', 'v3')
    const r = await run([
      'copy',
      `${src.host}/src/one:rc1`,
      `${proxy.host}/prod/frozen-one:v3`,
      `${proxy.host}/prod/frozen-one:latest`
    ])
    proxy.setFault(undefined)
    expect([r.status, r.stdout]).toEqual([1, ''])
    expect(r.stderr.trimEnd().split('\n').slice(-2)).toEqual([
      `promote-image: promotion of ${image.digest} is incomplete: no tag in place on any target; missing on ${proxy.host}/prod/frozen-one (v3, latest; nor the image: its manifest is written with its first tag); a re-run writes the missing manifests and tags:`,
      `  ${proxy.host}/prod/frozen-one: PUT http://${proxy.host}/v2/prod/frozen-one/manifests/v3 ${said('prod/frozen-one', 'v3')}`
    ])
    expect(await rawManifest(dst.url, 'prod/frozen-one', image.digest)).toBeUndefined()
  }, 60_000)
})
