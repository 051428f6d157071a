/**
 * newuser6 #20: a source index listing a platform manifest its registry no longer has (a GC or an
 * expiry rule deleted it). The run failed with the bare `GET …/manifests/sha256:… answered 404:
 * MANIFEST_UNKNOWN …`; now the message names the index, the platform and its digest, and the way
 * out in the interface's words (`--platform`, `promote-platforms`), which the test follows; inspect
 * lists it as missing.
 * Real registries; the child is deleted at the source registry itself.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { request } from 'undici'
import { createRegistryClient } from '../../src/registry/factory.js'
import { promote } from '../../src/copy/promote.js'
import { IndexChildMissingError } from '../../src/copy/graph.js'
import { batchNames, withTlsAdvice } from '../../src/report/tls-words.js'
import { OPTION_FLAGS, OPTION_INPUTS } from '../../src/options.js'
import type { TestRegistry } from '../helpers/registry.js'
import { runCliFromSource } from '../helpers/cli-source.js'
import { pushIndex, randomBlob, rawManifest, listTags, type SeededIndex } from '../helpers/images.js'
import { startRegistries } from './setup.js'

describe('a source index whose platform manifest its registry no longer has', () => {
  let src: TestRegistry
  let dst: TestRegistry
  let index: SeededIndex

  beforeAll(async () => {
    ;[src, dst] = await startRegistries(2)
    index = await pushIndex(src.url, 'team/app', 'v1', {
      platforms: [
        { os: 'linux', architecture: 'amd64' },
        { os: 'linux', architecture: 'arm64' }
      ],
      shared: [randomBlob(2_000)],
      uniqueSize: 1_000
    })
    const res = await request(`${src.url}/v2/team/app/manifests/${index.children[1].digest}`, {
      method: 'DELETE'
    })
    await res.body.dump()
    expect(res.statusCode).toBe(202)
  })
  afterAll(async () => {
    await Promise.all([src?.stop(), dst?.stop()])
  })

  const said = (): string =>
    `${src.host}/team/app@${index.digest} (index) lists linux/arm64 ${index.children[1].digest}, which the registry does not have (404 MANIFEST_UNKNOWN): the source image is incomplete; push that platform again`

  it('the engine names the index, the platform and what is left; nothing is written', async () => {
    const c = createRegistryClient()
    const error = await promote(c, {
      source: { registry: src.host, repository: 'team/app', reference: 'v1' },
      targets: [{ repo: { registry: dst.host, repository: 'prod/engine' }, tags: ['v1'] }]
    }).catch((e: unknown) => e)
    await c.close()

    expect(error).toBeInstanceOf(IndexChildMissingError)
    const e = error as IndexChildMissingError
    expect([e.message, e.missing, e.platformsMissing, e.platformsLeft]).toEqual([
      said(),
      [index.children[1].digest],
      ['linux/arm64'],
      ['linux/amd64']
    ])
    expect(await listTags(dst.url, 'prod/engine')).toEqual([])
    // the action's words; a promotion file has no key that picks platforms
    expect(withTlsAdvice(new Error(e.message, { cause: e }), OPTION_INPUTS).message).toBe(
      `${said()}, or promote the others with promote-platforms: linux/amd64`
    )
    expect(withTlsAdvice(new Error(e.message, { cause: e }), batchNames(OPTION_FLAGS)).message).toBe(said())
  })

  it('the CLI says it with --platform, and the advice followed copies linux/amd64', async () => {
    const dstRef = `${dst.host}/prod/cli:v1`
    const failed = await runCliFromSource(['copy', `${src.host}/team/app:v1`, dstRef])
    expect([failed.status, failed.stdout, failed.stderr]).toEqual([
      1,
      '',
      `${src.host}/team/app:v1 is ${index.digest}\npromote-image: ${said()}, or promote the others with --platform linux/amd64\n`
    ])
    expect(await listTags(dst.url, 'prod/cli')).toEqual([])

    const followed = await runCliFromSource([
      'copy',
      '--platform',
      'linux/amd64',
      `${src.host}/team/app:v1`,
      dstRef
    ])
    expect([followed.status, followed.stdout]).toEqual([0, `${index.children[0].digest}\n`])
    expect((await rawManifest(dst.url, 'prod/cli', 'v1'))?.digest).toBe(index.children[0].digest)
  })

  it('inspect lists the missing platform instead of failing (was: the bare 404)', async () => {
    const gone = `linux/arm64 ${index.children[1].digest}`
    const text = await runCliFromSource(['inspect', `${src.host}/team/app:v1`])
    expect([text.status, text.stderr]).toEqual([0, ''])
    expect(text.stdout.split('\n').filter(l => /^(platforms|missing):/.test(l))).toEqual([
      'platforms:  linux/amd64, linux/arm64',
      `missing:    ${gone}: the registry does not have it (404); the image is incomplete, its blobs not counted`
    ])
    const json = await runCliFromSource(['inspect', '--json', `${src.host}/team/app:v1`])
    const info = JSON.parse(json.stdout) as { missing?: string[]; blobBytes: number }
    const amd64 = index.children[0].blobs.reduce((n, b) => n + b.size, 0)
    expect([json.status, info.missing, info.blobBytes]).toEqual([0, [gone], amd64])
  })
})
