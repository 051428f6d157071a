/**
 * `--platform` selection: the pure choices (platforms.ts) as tables, then promotions of part of a
 * real multi-platform index between two real registries (distribution 2.8), digests and bytes
 * asserted, and the refusals with 0 writes.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createRegistryClient } from '../../src/registry/factory.js'
import { promote } from '../../src/copy/promote.js'
import { OPTION_FLAGS, OPTION_INPUTS } from '../../src/options.js'
import { withTlsAdvice } from '../../src/report/tls-words.js'
import {
  chooseChild,
  PlatformChoiceError,
  parsePlatform,
  parsePlatforms,
  platformKey,
  platformMatches,
  writeIndex
} from '../../src/copy/platforms.js'
import { parseManifest, type Descriptor } from '../../src/oci/manifest.js'
import { startRegistry, type TestRegistry } from '../helpers/registry.js'
import {
  listTags,
  OCI_INDEX,
  OCI_MANIFEST,
  pushImage,
  pushIndex,
  randomBlob,
  rawManifest,
  sha256,
  type SeededImage,
  type SeededIndex
} from '../helpers/images.js'
import { startProxy, type Proxy } from '../helpers/proxy.js'
import { runAction } from '../helpers/action.js'
import { parseCommandLine, type CopyCommand } from '../../src/cli/args.js'
import { runCopy } from '../../src/cli/copy.js'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

describe('platforms (pure)', () => {
  it.each([
    ['linux/amd64', { os: 'linux', architecture: 'amd64' }],
    ['linux/arm64/v8', { os: 'linux', architecture: 'arm64', variant: 'v8' }],
    [' windows/amd64 ', { os: 'windows', architecture: 'amd64' }]
  ])('parses %j', (text, want) => expect(parsePlatform(text, '--platform')).toEqual(want))

  it.each([
    ['linux', '--platform "linux": not OS/ARCH[/VARIANT] (e.g. linux/amd64, linux/arm64/v8)'],
    [
      'linux/arm/v7/x',
      '--platform "linux/arm/v7/x": not OS/ARCH[/VARIANT] (e.g. linux/amd64, linux/arm64/v8)'
    ],
    ['Linux/amd64', '--platform "Linux/amd64": not OS/ARCH[/VARIANT] (e.g. linux/amd64, linux/arm64/v8)'],
    ['linux//amd64', '--platform "linux//amd64": not OS/ARCH[/VARIANT] (e.g. linux/amd64, linux/arm64/v8)']
  ])('refuses %j', (text, message) => expect(() => parsePlatform(text, '--platform')).toThrow(message))

  it('splits commas, refuses a platform named twice (variants normalised)', () => {
    expect(parsePlatforms(['linux/amd64,linux/arm64', 'linux/arm/v6'], 'platforms')).toEqual([
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'arm64' },
      { os: 'linux', architecture: 'arm', variant: 'v6' }
    ])
    expect(() => parsePlatforms(['linux/arm64', 'linux/arm64/v8'], '--platform')).toThrow(
      '--platform lists linux/arm64/v8 twice'
    )
  })

  it.each([
    // wanted, have, matches
    ['linux/amd64', 'linux/amd64', true],
    ['linux/amd64', 'linux/amd64/v3', true],
    ['linux/amd64/v3', 'linux/amd64', false],
    ['linux/arm64', 'linux/arm64/v8', true],
    ['linux/arm64/v8', 'linux/arm64', true],
    ['linux/arm', 'linux/arm/v7', true],
    ['linux/arm', 'linux/arm/v6', false],
    ['linux/arm/v6', 'linux/arm/v6', true],
    ['linux/amd64', 'windows/amd64', false],
    ['linux/amd64', 'linux/arm64', false]
  ])('%s matches %s: %s', (wanted, have, want) =>
    expect(platformMatches(parsePlatform(wanted, '--platform'), parsePlatform(have, '--platform'))).toBe(want)
  )

  it('keys platforms by normalised variant and os.version', () => {
    expect(platformKey(parsePlatform('linux/arm64/v8', '--platform'))).toBe('linux/arm64//')
    expect(platformKey(parsePlatform('linux/arm', '--platform'))).toBe('linux/arm/v7/')
    expect(platformKey({ os: 'windows', architecture: 'amd64', 'os.version': '10.0.20348.1' })).toBe(
      'windows/amd64//10.0.20348.1'
    )
  })

  const d = (digest: string, platform: string): Descriptor => ({
    mediaType: OCI_MANIFEST,
    digest: `sha256:${digest.repeat(64)}`,
    size: 100,
    platform: parsePlatform(platform, '--platform')
  })
  const children = [
    d('a', 'linux/amd64'),
    d('b', 'linux/amd64/v3'),
    d('c', 'linux/arm/v6'),
    d('e', 'linux/arm/v7')
  ]

  it('chooses the exact match first, then the only loose one, and names the rest', () => {
    expect(chooseChild(children, parsePlatform('linux/amd64', '--platform'), 'X').digest).toBe(
      children[0]!.digest
    )
    expect(chooseChild(children, parsePlatform('linux/amd64/v3', '--platform'), 'X').digest).toBe(
      children[1]!.digest
    )
    expect(chooseChild(children, parsePlatform('linux/arm', '--platform'), 'X').digest).toBe(
      children[3]!.digest
    )
    expect(() => chooseChild(children, parsePlatform('linux/s390x', '--platform'), 'X')).toThrow(
      'platforms linux/s390x: X lists no such platform (it lists linux/amd64, linux/amd64/v3, linux/arm/v6, linux/arm/v7)'
    )
    const two = [d('b', 'linux/amd64/v2'), d('c', 'linux/amd64/v3')]
    expect(() => chooseChild(two, parsePlatform('linux/amd64', '--platform'), 'X')).toThrow(
      'platforms linux/amd64: X lists 2 children for it (linux/amd64/v2, linux/amd64/v3): name the variant'
    )
  })

  it('an attestation manifest is left out only by its platform unknown/unknown: an entry of a real platform annotated as one is an image (review finding 1)', () => {
    const attestation = (digest: string, platform: string): Descriptor => ({
      ...d(digest, platform),
      annotations: {
        'vnd.docker.reference.type': 'attestation-manifest',
        'vnd.docker.reference.digest': children[0]!.digest
      }
    })
    // BuildKit's: left out
    const buildkit = [attestation('9', 'unknown/unknown'), ...children]
    expect(chooseChild(buildkit, parsePlatform('linux/amd64', '--platform'), 'X').digest).toBe(
      children[0]!.digest
    )
    // before: the annotated linux/amd64 entry was left out and the other chosen, though a pull on
    // amd64 may get either; choosing two platforms carried it along as the chosen one's attestation
    const hidden = attestation('f', 'linux/amd64')
    expect(() => chooseChild([hidden, ...children], parsePlatform('linux/amd64', '--platform'), 'X')).toThrow(
      `platforms linux/amd64: X lists 2 children of exactly that platform (${hidden.digest}, ${children[0]!.digest}): a runtime may pull any of them, so none is chosen`
    )
  })

  it('writes an index with the same bytes whatever the key order of its entries', () => {
    const a = writeIndex([
      {
        size: 7,
        digest: `sha256:${'a'.repeat(64)}`,
        mediaType: OCI_MANIFEST,
        platform: { variant: 'v8', os: 'linux', architecture: 'arm64' }
      }
    ])
    const b = writeIndex([
      {
        mediaType: OCI_MANIFEST,
        platform: { architecture: 'arm64', os: 'linux', variant: 'v8' },
        digest: `sha256:${'a'.repeat(64)}`,
        size: 7
      }
    ])
    const want = `{"schemaVersion":2,"mediaType":"${OCI_INDEX}","manifests":[{"mediaType":"${OCI_MANIFEST}","digest":"sha256:${'a'.repeat(64)}","size":7,"platform":{"architecture":"arm64","os":"linux","variant":"v8"}}]}`
    expect(a.bytes.toString()).toBe(want)
    expect(b.bytes.equals(a.bytes)).toBe(true)
    expect(a.digest).toBe(sha256(Buffer.from(want)))
    // the bytes parse back as an index of that media type
    expect(parseManifest(a.bytes, OCI_INDEX).json.manifests).toHaveLength(1)
  })
})

describe('--platform on real registries', () => {
  let src: TestRegistry
  let dst: TestRegistry
  let proxy: Proxy
  let index: SeededIndex
  let single: SeededImage
  const platforms = [
    { os: 'linux', architecture: 'amd64' },
    { os: 'linux', architecture: 'arm64', variant: 'v8' },
    { os: 'linux', architecture: 'arm', variant: 'v7' }
  ]

  beforeAll(async () => {
    ;[src, dst] = await Promise.all([startRegistry(), startRegistry()])
    proxy = await startProxy(dst.url)
    // amd64 (children[0]) carries the attestation manifest (children[3])
    index = await pushIndex(src.url, 'team/app', 'v1', {
      platforms,
      shared: [randomBlob(20_000)],
      uniqueSize: 10_000,
      attestation: true
    })
    single = await pushImage(src.url, 'team/one', [randomBlob(5_000)], {
      tag: 'v1',
      platform: { os: 'linux', architecture: 'arm64', variant: 'v8' }
    })
  })
  afterAll(async () => {
    await proxy?.stop()
    await Promise.all([src?.stop(), dst?.stop()])
  })

  const entryOf = (i: number): Record<string, unknown> => ({
    mediaType: OCI_MANIFEST,
    digest: index.children[i]!.digest,
    size: index.children[i]!.bytes.length,
    ...(i === 3
      ? {
          annotations: {
            'vnd.docker.reference.digest': index.children[0]!.digest,
            'vnd.docker.reference.type': 'attestation-manifest'
          },
          platform: { architecture: 'unknown', os: 'unknown' }
        }
      : {
          platform: {
            architecture: platforms[i]!.architecture,
            os: 'linux',
            ...(platforms[i]!.variant ? { variant: platforms[i]!.variant } : {})
          }
        })
  })

  it('one platform: promotes that child as itself (its digest), bytes unchanged', async () => {
    const client = createRegistryClient()
    const arm64 = index.children[1]!
    const result = await promote(client, {
      source: { registry: src.host, repository: 'team/app', reference: 'v1' },
      targets: [{ repo: { registry: dst.host, repository: 'prod/arm64' }, tags: ['v1'] }],
      platforms: [{ os: 'linux', architecture: 'arm64' }]
    })
    expect(result.digest).toBe(arm64.digest)
    expect(result.mediaType).toBe(OCI_MANIFEST)
    expect(result.plan.source.digest).toBe(arm64.digest)
    expect(result.plan.source.selection).toEqual({ from: index.digest, platforms: ['linux/arm64/v8'], of: 3 })
    const got = await rawManifest(dst.url, 'prod/arm64', 'v1')
    expect(got?.digest).toBe(arm64.digest)
    expect(got!.bytes.equals(arm64.bytes)).toBe(true)
    // config + shared + unique layer
    expect(result.targets[0]!.blobsCopied).toBe(3)
    expect(result.targets[0]!.manifestsPushed).toBe(1)
    await client.close()
  })

  it('two platforms: a new index of those children and the attestation of the one that has it', async () => {
    const client = createRegistryClient()
    const result = await promote(client, {
      source: { registry: src.host, repository: 'team/app', reference: index.digest },
      targets: [{ repo: { registry: dst.host, repository: 'prod/two' }, tags: ['v1'] }],
      platforms: [
        { os: 'linux', architecture: 'arm64' },
        { os: 'linux', architecture: 'amd64' }
      ]
    })
    // source order, canonical key order: the digest is the hash of exactly these bytes
    const want = Buffer.from(
      JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [0, 1, 3].map(entryOf) })
    )
    expect(result.digest).toBe(sha256(want))
    expect(result.digest).not.toBe(index.digest)
    expect(result.plan.source.selection).toEqual({
      from: index.digest,
      platforms: ['linux/arm64/v8', 'linux/amd64'],
      of: 3
    })
    expect(result.plan.source.platforms).toEqual(['linux/amd64', 'linux/arm64/v8', 'unknown/unknown'])
    const got = await rawManifest(dst.url, 'prod/two', 'v1')
    expect(got!.bytes.equals(want)).toBe(true)
    for (const i of [0, 1, 3]) {
      const child = await rawManifest(dst.url, 'prod/two', index.children[i]!.digest)
      expect(child!.bytes.equals(index.children[i]!.bytes)).toBe(true)
    }
    expect(await rawManifest(dst.url, 'prod/two', index.children[2]!.digest)).toBeUndefined()
    expect(result.targets[0]!.manifestsPushed).toBe(4)
    // a re-run gives the same digest and writes nothing
    const again = createRegistryClient()
    const second = await promote(again, {
      source: { registry: src.host, repository: 'team/app', reference: 'v1' },
      targets: [{ repo: { registry: dst.host, repository: 'prod/two' }, tags: ['v1'] }],
      platforms: [
        { os: 'linux', architecture: 'amd64' },
        { os: 'linux', architecture: 'arm64' }
      ]
    })
    expect(second.digest).toBe(result.digest)
    expect(second.targets[0]!.manifestsPushed).toBe(0)
    expect(second.plan.targets[0]!.tags).toEqual([{ tag: 'v1', action: 'keep', from: result.digest }])
    await Promise.all([client.close(), again.close()])
  })

  it('every platform: the source index itself, its digest', async () => {
    const client = createRegistryClient()
    const result = await promote(client, {
      source: { registry: src.host, repository: 'team/app', reference: 'v1' },
      targets: [{ repo: { registry: dst.host, repository: 'prod/all' }, tags: [] }],
      platforms: platforms.map(p => ({ ...p }))
    })
    expect(result.digest).toBe(index.digest)
    expect(result.plan.source.selection).toEqual({
      from: index.digest,
      platforms: ['linux/amd64', 'linux/arm64/v8', 'linux/arm/v7'],
      of: 3
    })
    await client.close()
  })

  // issue 19: the CLI's output and the job summary say what the selection did to the digest
  async function cliCopy(platformFlags: string[], repository: string) {
    const cmd = parseCommandLine(
      [
        'copy',
        ...platformFlags.flatMap(p => ['--platform', p]),
        `${src.host}/team/app:v1`,
        `${dst.host}/${repository}:v1`
      ],
      { fileExists: () => false }
    ) as CopyCommand
    const out: string[] = []
    const info: string[] = []
    await runCopy(
      cmd,
      { out: s => void out.push(s), log: { debug() {}, info: m => void info.push(m), warning() {} } },
      { isTTY: false, write: () => true }
    )
    return { out, info }
  }

  it('copy --platform (one): stderr says the child was promoted as its own manifest; stdout its digest', async () => {
    const arm64 = index.children[1]!
    const { out, info } = await cliCopy(['linux/arm64'], 'cli/one')
    expect(out).toEqual([`${arm64.digest}\n`])
    expect(info.filter(l => l.startsWith('promoted '))).toEqual([
      `promoted linux/arm64/v8 of ${src.host}/team/app@${index.digest} as its own manifest ${arm64.digest}`
    ])
  })

  it('copy --platform (two of three): stderr says a new index was promoted and its digest differs', async () => {
    const want = sha256(
      Buffer.from(
        JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [0, 1, 3].map(entryOf) })
      )
    )
    const { out, info } = await cliCopy(['linux/amd64', 'linux/arm64'], 'cli/two')
    expect(out).toEqual([`${want}\n`])
    expect(info.filter(l => l.startsWith('promoted '))).toEqual([
      `promoted a new index of 2 of 3 platforms (linux/amd64, linux/arm64/v8) of ${src.host}/team/app@${index.digest}: ${want}, digest differs from the source's`
    ])
  })

  it('copy --platform naming every platform: the source itself, said so', async () => {
    const { out, info } = await cliCopy(['linux/amd64', 'linux/arm64', 'linux/arm/v7'], 'cli/all')
    expect(out).toEqual([`${index.digest}\n`])
    expect(info.filter(l => l.startsWith('promoted '))).toEqual([
      `promoted linux/amd64, linux/arm64/v8, linux/arm/v7 of ${src.host}/team/app@${index.digest} as it is (the source's digest)`
    ])
  })

  it('the action with promote-platforms: the job summary says a new index of 2 of 3 platforms was promoted', async () => {
    const work = await mkdtemp(join(tmpdir(), 'pi-platforms-'))
    const want = sha256(
      Buffer.from(
        JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [0, 1, 3].map(entryOf) })
      )
    )
    try {
      const r = await runAction(work, 'platforms', {
        source: `${src.host}/team/app:v1`,
        targets: `${dst.host}/action/two`,
        tags: 'v1',
        'promote-platforms': 'linux/amd64,linux/arm64'
      })
      expect(r.failed).toBeUndefined()
      expect(r.outputs.digest).toBe(want)
      // as action.yml says (newuser4 finding 14; it said "as the staging registry serves it"):
      // `digest` is what the target serves, the new index the source's registry does not hold, and
      // `staging-ref` the source index promoted from; nothing was built, so no imageid or metadata
      expect(r.outputs['staging-ref']).toBe(`${src.host}/team/app@${index.digest}`)
      const head = async (base: string, repo: string): Promise<[number, string | null]> => {
        const res = await fetch(`${base}/v2/${repo}/manifests/${want}`, {
          method: 'HEAD',
          headers: { accept: OCI_INDEX }
        })
        return [res.status, res.headers.get('docker-content-digest')]
      }
      expect(await head(dst.url, 'action/two')).toEqual([200, want])
      expect(await head(src.url, 'team/app')).toEqual([404, null])
      expect([r.outputs.imageid, r.outputs.metadata]).toEqual([undefined, undefined])
      expect(r.summary.split('\n').filter(l => l.startsWith('**Platforms chosen**'))).toEqual([
        `**Platforms chosen**: promoted a new index of 2 of 3 platforms (linux/amd64, linux/arm64/v8) of <code>${src.host}/team/app@${index.digest}</code>: <code>${want}</code>, digest differs from the source's`
      ])
    } finally {
      await rm(work, { recursive: true, force: true })
    }
  })

  it('a single image: promoted when its config names the platform, refused otherwise', async () => {
    const client = createRegistryClient()
    const ok = await promote(client, {
      source: { registry: src.host, repository: 'team/one', reference: 'v1' },
      targets: [{ repo: { registry: dst.host, repository: 'prod/one' }, tags: ['v1'] }],
      platforms: [{ os: 'linux', architecture: 'arm64' }]
    })
    expect(ok.digest).toBe(single.digest)
    const error = (await promote(client, {
      source: { registry: src.host, repository: 'team/one', reference: 'v1' },
      targets: [{ repo: { registry: proxy.host, repository: 'prod/one' }, tags: ['v1'] }],
      platforms: [{ os: 'linux', architecture: 'amd64' }]
    }).catch((e: unknown) => e)) as Error
    // the engine says what it refused; each interface names its own option (report/tls-words.ts)
    const detail = `${src.host}/team/one@${single.digest} is a single image (linux/arm64/v8), not an index of platforms`
    expect(error).toBeInstanceOf(PlatformChoiceError)
    expect(error.message).toBe(`platforms linux/amd64: ${detail}`)
    expect(withTlsAdvice(error, OPTION_FLAGS).message).toBe(`--platform linux/amd64: ${detail}`)
    await client.close()
  })

  it.each([
    [
      [{ os: 'linux', architecture: 's390x' }],
      (h: string, d: string) =>
        `promote-platforms linux/s390x: ${h}/team/app@${d} lists no such platform (it lists linux/amd64, linux/arm64/v8, linux/arm/v7)`
    ],
    [
      [
        { os: 'linux', architecture: 'amd64' },
        { os: 'windows', architecture: 'amd64' }
      ],
      (h: string, d: string) =>
        `promote-platforms windows/amd64: ${h}/team/app@${d} lists no such platform (it lists linux/amd64, linux/arm64/v8, linux/arm/v7)`
    ]
  ])('refuses a platform the source lacks, before any write (%j)', async (wanted, message) => {
    proxy.reset()
    const client = createRegistryClient()
    await expect(
      promote(client, {
        source: { registry: src.host, repository: 'team/app', reference: 'v1' },
        targets: [{ repo: { registry: proxy.host, repository: 'prod/none' }, tags: ['v1'] }],
        platforms: wanted
      }).catch((e: unknown) => Promise.reject(withTlsAdvice(e, OPTION_INPUTS)))
    ).rejects.toThrow(message(src.host, index.digest))
    expect(proxy.log.filter(e => e.method !== 'GET' && e.method !== 'HEAD')).toEqual([])
    expect(await listTags(dst.url, 'prod/none')).toEqual([])
    await client.close()
  })
})

describe('--platform / promote-platforms through the options schema', () => {
  it('parses the flag into the engine options, and refuses a bad or repeated platform naming the flag', async () => {
    const { parseCommandLine } = await import('../../src/cli/args.js')
    const parse = (...argv: string[]) => parseCommandLine(argv, { fileExists: () => false })
    expect(
      parse('copy', '--platform', 'linux/amd64', '--platform', 'linux/arm64/v8', 'r.io/a/b:1', 'r.io/c/d:1')
    ).toMatchObject({
      command: 'copy',
      options: {
        platforms: [
          { os: 'linux', architecture: 'amd64' },
          { os: 'linux', architecture: 'arm64', variant: 'v8' }
        ]
      }
    })
    expect(parse('copy', '--platform', 'linux', 'r.io/a/b:1', 'r.io/c/d:1')).toEqual({
      command: 'usage-error',
      message: '--platform "linux": not OS/ARCH[/VARIANT] (e.g. linux/amd64, linux/arm64/v8)'
    })
    // crane's --platform all (before: only the rule, no word of what "all" is here)
    expect(parse('copy', '--platform', 'all', 'r.io/a/b:1', 'r.io/c/d:1')).toEqual({
      command: 'usage-error',
      message:
        '--platform "all": not OS/ARCH[/VARIANT] (e.g. linux/amd64, linux/arm64/v8); every platform is promoted when --platform is left out'
    })
    expect(parse('copy', '--platform', 'linux/arm64,linux/arm64/v8', 'r.io/a/b:1', 'r.io/c/d:1')).toEqual({
      command: 'usage-error',
      message: '--platform "linux/arm64/v8": names a platform already given'
    })
    expect(parse('inspect', '--platform', 'linux/amd64', 'r.io/a/b:1')).toEqual({
      command: 'usage-error',
      message: '--platform is not an option of inspect'
    })
  })
})
