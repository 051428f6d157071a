/**
 * One owner of "the platform an image's config names" (oci/manifest.ts configPlatformOf, read by
 * copy/select.ts configPlatform): `inspect` had its own copy, which kept a non-string `variant`
 * (`linux/arm/7`), dropped `os.version`, and called a config over 4 MiB "(not named in its config)"
 * without reading it, where `--platform` (selectPlatforms) dropped the variant and refused the
 * config. The pure rule as a table, then both readers on a real registry (distribution 2.8, our
 * counting proxy in front): they say the same thing.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { parseCommandLine, type InspectCommand } from '../../src/cli/args.js'
import { runInspect } from '../../src/cli/inspect.js'
import { selectPlatforms } from '../../src/copy/select.js'
import { configPlatformOf } from '../../src/oci/manifest.js'
import { createRegistryClient } from '../../src/registry/factory.js'
import {
  blobOf,
  CONFIG,
  OCI_MANIFEST,
  oddJson,
  pushBlob,
  pushManifest,
  randomBlob
} from '../helpers/images.js'
import { startProxy, type Proxy } from '../helpers/proxy.js'
import { startRegistry, type TestRegistry } from '../helpers/registry.js'

const json = (v: unknown): Buffer => Buffer.from(JSON.stringify(v))

describe('configPlatformOf (pure)', () => {
  it.each([
    [
      { os: 'linux', architecture: 'arm64', variant: 'v8' },
      { os: 'linux', architecture: 'arm64', variant: 'v8' }
    ],
    // a variant that is not a string, or empty, is left out (inspect showed linux/arm/7)
    [
      { os: 'linux', architecture: 'arm', variant: 7 },
      { os: 'linux', architecture: 'arm' }
    ],
    [
      { os: 'linux', architecture: 'arm', variant: '' },
      { os: 'linux', architecture: 'arm' }
    ],
    // os.version and os.features kept (inspect dropped them)
    [
      { os: 'windows', architecture: 'amd64', 'os.version': '10.0.17763.1', 'os.features': ['win32k'] },
      { os: 'windows', architecture: 'amd64', 'os.version': '10.0.17763.1', 'os.features': ['win32k'] }
    ],
    [
      { os: 'linux', architecture: 'amd64', 'os.features': [] },
      { os: 'linux', architecture: 'amd64' }
    ],
    [
      { os: 'linux', architecture: 'amd64', 'os.features': [1] },
      { os: 'linux', architecture: 'amd64' }
    ],
    [{ os: 'linux' }, undefined],
    [{ architecture: 'amd64', os: 3 }, undefined],
    [null, undefined],
    [[], undefined],
    ['linux/amd64', undefined]
  ])('%j → %j', (config, platform) => {
    expect(configPlatformOf(json(config))).toStrictEqual(platform)
  })

  it('bytes that are not JSON name no platform', () => {
    expect(configPlatformOf(Buffer.from('{"os":"linux",'))).toBeUndefined()
    expect(configPlatformOf(Buffer.alloc(0))).toBeUndefined()
  })
})

describe('inspect and --platform read a config the same way (real registry)', () => {
  let reg: TestRegistry
  let proxy: Proxy

  beforeAll(async () => {
    reg = await startRegistry()
    proxy = await startProxy(reg.url)
  })
  afterAll(async () => {
    await proxy?.stop()
    await reg?.stop()
  })

  /** Pushes an image whose config blob has exactly `configBytes`; returns the manifest digest. */
  async function pushWithConfig(
    repo: string,
    configBytes: Buffer
  ): Promise<{ digest: string; config: string }> {
    const config = blobOf(configBytes, CONFIG)
    const layer = randomBlob(300)
    for (const b of [config, layer]) await pushBlob(reg.url, repo, b)
    const bytes = oddJson({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: CONFIG, digest: config.digest, size: config.size },
      layers: [{ mediaType: layer.mediaType, digest: layer.digest, size: layer.size }]
    })
    return { digest: await pushManifest(reg.url, repo, 'v1', bytes, OCI_MANIFEST), config: config.digest }
  }

  async function inspect(ref: string): Promise<string> {
    const cmd = parseCommandLine(['inspect', ref], { fileExists: () => false }) as InspectCommand
    const out: string[] = []
    await runInspect(cmd, { out: s => void out.push(s), log: { debug() {}, info() {}, warning() {} } })
    return out.join('').split('\n')[2]!
  }

  async function select(repository: string, wanted: { os: string; architecture: string; variant?: string }) {
    const client = createRegistryClient()
    try {
      const repo = { registry: proxy.host, repository }
      const m = await client.getManifest(repo, 'v1')
      return await selectPlatforms(client, repo, m!, [wanted], `${proxy.host}/${repository}:v1`)
    } finally {
      await client.close()
    }
  }

  it('a variant that is not a string: both say linux/arm (inspect said linux/arm/7)', async () => {
    const config = json({
      os: 'linux',
      architecture: 'arm',
      variant: 7,
      rootfs: { type: 'layers', diff_ids: [] }
    })
    await pushWithConfig('arm7', config)
    expect(await inspect(`${proxy.host}/arm7:v1`)).toBe('platform:   linux/arm')
    const chosen = await select('arm7', { os: 'linux', architecture: 'arm' })
    expect(chosen.platforms).toEqual(['linux/arm'])
  })

  it('a config over 4 MiB: both refuse it with the same message and send no GET for it (inspect said "(not named in its config)")', async () => {
    const big = Buffer.concat([
      json({ os: 'linux', architecture: 'amd64' }).subarray(0, -1),
      Buffer.from(`,"pad":"${'x'.repeat(4 * 1024 * 1024)}"}`)
    ])
    const { config } = await pushWithConfig('big', big)
    const message = `blob ${proxy.host}/big@${config} declares ${big.length} bytes, larger than the manifestBytes limit of 4 MiB`
    proxy.reset()
    await expect(inspect(`${proxy.host}/big:v1`)).rejects.toThrow(message)
    await expect(select('big', { os: 'linux', architecture: 'amd64' })).rejects.toThrow(message)
    expect(proxy.count('GET', /\/blobs\//)).toBe(0)
  })

  it('an ordinary image: both name linux/arm64/v8, its config read once each (one GET)', async () => {
    await pushWithConfig('one', json({ os: 'linux', architecture: 'arm64', variant: 'v8' }))
    proxy.reset()
    expect(await inspect(`${proxy.host}/one:v1`)).toBe('platform:   linux/arm64/v8')
    expect(proxy.count('GET', /\/blobs\//)).toBe(1)
    const chosen = await select('one', { os: 'linux', architecture: 'arm64' })
    expect(chosen.platforms).toEqual(['linux/arm64/v8'])
    expect(proxy.count('GET', /\/blobs\//)).toBe(2)
  })
})
