/**
 * The merge (issue 21) on real registries (distribution 2.8): platform images staged apart become
 * one index at staging; the index bytes are asserted whole (their digest is the hash of the bytes
 * the test writes by hand), children stay byte for byte, a re-run writes nothing. Every refusal is
 * a table row with its exact message and 0 writes at staging (a recording proxy in front of it).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createRegistryClient } from '../../src/registry/factory.js'
import { mergeImages, MergeError, type MergeOptions } from '../../src/merge/merge.js'
import { parseMergeSource } from '../../src/merge/sources.js'
import { mergeStage, mergeTag, type MergeStageInput } from '../../src/merge/stage.js'
import { platformStagingTag, stagedPlatformTags } from '../../src/build/identity.js'
import { DOCKER_MANIFEST, DOCKER_MANIFEST_LIST } from '../../src/oci/mediatypes.js'
import { startRegistry, type TestRegistry } from '../helpers/registry.js'
import { startProxy, type Proxy } from '../helpers/proxy.js'
import {
  blobOf,
  CONFIG,
  OCI_INDEX,
  OCI_MANIFEST,
  oddJson,
  pushBlob,
  pushImage,
  pushIndex,
  pushManifest,
  randomBlob,
  rawManifest,
  sha256,
  type SeededImage
} from '../helpers/images.js'
import { WRITES, line } from '../copy/tally.js'

const SHA = '0123456789abcdef0123456789abcdef01234567'
const AMD64 = { os: 'linux', architecture: 'amd64' }
const ARM64 = { os: 'linux', architecture: 'arm64', variant: 'v8' }

/** A Docker schema-2 image (docker build's classic output): config + one layer, odd JSON. */
async function pushDockerImage(
  url: string,
  repo: string,
  tag: string,
  platform: Record<string, string>
): Promise<SeededImage> {
  const config = blobOf(
    Buffer.from(JSON.stringify({ ...platform, rootfs: { type: 'layers', diff_ids: [] }, config: {} })),
    'application/vnd.docker.container.image.v1+json'
  )
  const layer = blobOf(randomBlob(3000).bytes, 'application/vnd.docker.image.rootfs.diff.tar.gzip')
  for (const b of [config, layer]) await pushBlob(url, repo, b)
  const bytes = oddJson({
    schemaVersion: 2,
    mediaType: DOCKER_MANIFEST,
    config: { mediaType: config.mediaType, size: config.size, digest: config.digest },
    layers: [{ mediaType: layer.mediaType, size: layer.size, digest: layer.digest }]
  })
  const digest = await pushManifest(url, repo, tag, bytes, DOCKER_MANIFEST)
  return { digest, bytes, mediaType: DOCKER_MANIFEST, blobs: [config, layer] }
}

/** The entry the merge writes for an image: digest, size, the platform of its config. */
const entry = (img: SeededImage, platform: Record<string, string>): Record<string, unknown> => ({
  mediaType: img.mediaType,
  digest: img.digest,
  size: img.bytes.length,
  platform: {
    architecture: platform.architecture,
    os: platform.os,
    ...(platform.variant ? { variant: platform.variant } : {})
  }
})

describe('merge on real registries', () => {
  let staging: TestRegistry
  let other: TestRegistry
  let proxy: Proxy
  let amd64: SeededImage
  let arm64: SeededImage
  let dockerAmd64: SeededImage
  let dockerArm64: SeededImage
  const REPO = 'ci/app'
  const tagOf = (platform: string): string =>
    platformStagingTag(SHA, {
      context: '.',
      buildArgs: [],
      labels: {},
      tags: [],
      platforms: [platform],
      metadataFile: ''
    })

  beforeAll(async () => {
    ;[staging, other] = await Promise.all([startRegistry(), startRegistry()])
    proxy = await startProxy(staging.url)
    amd64 = await pushImage(staging.url, REPO, [randomBlob(4000)], {
      tag: tagOf('linux/amd64'),
      platform: AMD64
    })
    arm64 = await pushImage(staging.url, REPO, [randomBlob(4000)], {
      tag: tagOf('linux/arm64/v8'),
      platform: ARM64
    })
    dockerAmd64 = await pushDockerImage(staging.url, 'ci/docker', 'amd64', AMD64)
    dockerArm64 = await pushDockerImage(staging.url, 'ci/docker', 'arm64', ARM64)
  })
  afterAll(async () => {
    await proxy?.stop()
    await Promise.all([staging?.stop(), other?.stop()])
  })

  const run = async (
    sources: string[],
    extra: Partial<MergeOptions> = {},
    tag = 'merged',
    repository = REPO
  ): Promise<Awaited<ReturnType<typeof mergeImages>>> => {
    const client = createRegistryClient()
    const to = { registry: proxy.host, repository }
    try {
      return await mergeImages(client, {
        to: { ...to, tag },
        sources: sources.map(s => parseMergeSource(s, to)),
        commit: SHA,
        ...extra
      })
    } finally {
      await client.close()
    }
  }
  const writes = (): string[] => proxy.log.map(e => line(e, {})).filter(l => WRITES.test(l))

  it("a source's docker:// is dropped and a URL refused, as for every reference (newuser finding 42)", () => {
    const to = { registry: '127.0.0.1:5000', repository: 'ci/app' }
    expect(parseMergeSource('docker://127.0.0.1:5000/ci/app:amd64', to)).toEqual({
      kind: 'image',
      repo: to,
      reference: 'amd64',
      text: '127.0.0.1:5000/ci/app:amd64'
    })
    expect(() =>
      parseMergeSource('https://ghcr.io/o/app:amd64', to, 'merge', h => `insecure-registries: ${h}`)
    ).toThrow(
      'merge "https://ghcr.io/o/app:amd64": a reference has no URL scheme; write ghcr.io/o/app:amd64 (registries are reached over https)'
    )
    expect(() => parseMergeSource('http://reg.internal:5000/o/app:amd64', to, 'SOURCE')).toThrow(
      'SOURCE "http://reg.internal:5000/o/app:amd64": a reference has no URL scheme; write reg.internal:5000/o/app:amd64 (plain http is used for a loopback registry, and for another with --insecure reg.internal:5000)'
    )
  })

  it('finds the staged platform tags of a commit', () => {
    expect(tagOf('linux/amd64')).toMatch(/^sha-0123456789ab-[0-9a-f]{8}-linux-amd64$/)
    expect(tagOf('linux/arm64/v8')).toMatch(/^sha-0123456789ab-[0-9a-f]{8}-linux-arm64-v8$/)
    expect(
      stagedPlatformTags(
        [
          'v1',
          tagOf('linux/arm64/v8'),
          'sha-0123456789ab-12345678',
          tagOf('linux/amd64'),
          'sha-ffffffffffff-12345678-linux-amd64'
        ],
        SHA
      )
    ).toEqual([tagOf('linux/amd64'), tagOf('linux/arm64/v8')].sort())
  })

  it('staged: one OCI index of both children, byte for byte; a re-run writes 0 manifests', async () => {
    proxy.reset()
    const first = await run(['staged'])
    const want = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_INDEX,
        manifests: [entry(amd64, AMD64), entry(arm64, ARM64)]
      })
    )
    expect(first.digest).toBe(sha256(want))
    expect(first.mediaType).toBe(OCI_INDEX)
    expect(first.plan.platforms).toEqual(['linux/amd64', 'linux/arm64/v8'])
    expect(first.indexWritten).toBe(true)
    expect(first.manifestsPushed).toBe(1)
    expect(writes()).toEqual([`PUT ${REPO} manifests/merged 201`])
    const got = await rawManifest(staging.url, REPO, 'merged')
    expect(got!.bytes.equals(want)).toBe(true)
    for (const img of [amd64, arm64])
      expect((await rawManifest(staging.url, REPO, img.digest))!.bytes.equals(img.bytes)).toBe(true)

    proxy.reset()
    // the same children named another way and in another order: the same bytes
    const again = await run([`${proxy.host}/${REPO}@${arm64.digest}`, amd64.digest])
    expect(again.digest).toBe(first.digest)
    expect(again.indexWritten).toBe(false)
    expect(again.manifestsPushed).toBe(0)
    expect(writes()).toEqual([])
  })

  it('Docker children give a Docker manifest list; mixed children an OCI index', async () => {
    const list = await run(
      [`${proxy.host}/ci/docker:amd64`, `${proxy.host}/ci/docker:arm64`],
      {},
      'list',
      'ci/docker'
    )
    const want = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: DOCKER_MANIFEST_LIST,
        manifests: [entry(dockerAmd64, AMD64), entry(dockerArm64, ARM64)]
      })
    )
    expect(list.mediaType).toBe(DOCKER_MANIFEST_LIST)
    expect(list.digest).toBe(sha256(want))
    expect((await rawManifest(staging.url, 'ci/docker', 'list'))!.bytes.equals(want)).toBe(true)

    const mixed = await run(
      [`${proxy.host}/ci/docker:amd64`, `${proxy.host}/${REPO}@${arm64.digest}`],
      {},
      'mixed',
      'ci/docker'
    )
    expect(mixed.mediaType).toBe(OCI_INDEX)
    expect(mixed.index.bytes.toString()).toBe(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_INDEX,
        manifests: [entry(dockerAmd64, AMD64), entry(arm64, ARM64)]
      })
    )
    // the arm64 child came from ci/app on the same registry: mounted in, byte for byte
    expect(mixed.copiedIn).toEqual([arm64.digest])
    expect((await rawManifest(staging.url, 'ci/docker', arm64.digest))!.bytes.equals(arm64.bytes)).toBe(true)
  })

  it('flattens a buildx index: its attestation kept, pointing at its child; the platform read from the config', async () => {
    // a buildx-style push of one platform: an index of the image and its attestation manifest
    const buildx = await pushIndex(staging.url, 'ci/buildx', 'arm64', {
      platforms: [ARM64],
      shared: [],
      uniqueSize: 2000,
      attestation: true
    })
    // an index that claims the wrong platform for amd64: the config wins
    const liar = oddJson({
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: [
        {
          mediaType: OCI_MANIFEST,
          digest: amd64.digest,
          size: amd64.bytes.length,
          platform: { os: 'linux', architecture: 'ppc64le' }
        }
      ]
    })
    await pushManifest(staging.url, REPO, 'liar', liar, OCI_INDEX)
    const nested = oddJson({
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: [{ mediaType: OCI_INDEX, digest: sha256(liar), size: liar.length }]
    })
    await pushManifest(staging.url, REPO, 'nested', nested, OCI_INDEX)
    await pushImage(staging.url, 'ci/buildx', [], { platform: AMD64 }) // blobs for the mount below
    const result = await run(
      [`${proxy.host}/ci/buildx:arm64`, `${proxy.host}/${REPO}:nested`],
      {},
      'v1',
      'ci/buildx'
    )
    const [image, att] = buildx.children
    const attEntry = {
      mediaType: OCI_MANIFEST,
      digest: att!.digest,
      size: att!.bytes.length,
      annotations: {
        'vnd.docker.reference.digest': image!.digest,
        'vnd.docker.reference.type': 'attestation-manifest'
      },
      platform: { architecture: 'unknown', os: 'unknown' }
    }
    expect(result.index.bytes.toString()).toBe(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_INDEX,
        manifests: [entry(amd64, AMD64), entry(image!, ARM64), attEntry]
      })
    )
    expect(result.copiedIn).toEqual([amd64.digest])
    const at = await rawManifest(staging.url, 'ci/buildx', 'v1')
    expect(at!.digest).toBe(result.digest)
    for (const m of [amd64, image!, att!])
      expect((await rawManifest(staging.url, 'ci/buildx', m.digest))!.bytes.equals(m.bytes)).toBe(true)
  })

  it('copies in a child held on another registry, then writes the index', async () => {
    const far = await pushImage(other.url, 'far/app', [randomBlob(5000)], {
      platform: { os: 'linux', architecture: 's390x' }
    })
    proxy.reset()
    const result = await run([`${other.host}/far/app@${far.digest}`, amd64.digest], {}, 'with-far')
    expect(result.copiedIn).toEqual([far.digest])
    expect(result.plan.platforms).toEqual(['linux/amd64', 'linux/s390x'])
    // config + layer streamed, the manifest by digest, then the index
    expect(writes().filter(l => /manifests/.test(l))).toEqual([
      `PUT ${REPO} manifests/${far.digest.slice(0, 19)} 201`,
      `PUT ${REPO} manifests/with-far 201`
    ])
    expect((await rawManifest(staging.url, REPO, far.digest))!.bytes.equals(far.bytes)).toBe(true)
  })

  it('staged finding two images of one platform (a re-run with other build inputs) says how to choose (newuser finding 31)', async () => {
    const TWICE = 'ci/twice'
    const tagWith = (platform: string, buildArgs: string[]): string =>
      platformStagingTag(SHA, {
        context: '.',
        buildArgs,
        labels: {},
        tags: [],
        platforms: [platform],
        metadataFile: ''
      })
    const first = await pushImage(staging.url, TWICE, [randomBlob(1000)], {
      tag: tagWith('linux/amd64', []),
      platform: AMD64
    })
    const again = await pushImage(staging.url, TWICE, [randomBlob(1000)], {
      tag: tagWith('linux/amd64', ['X=2']),
      platform: AMD64
    })
    await pushImage(staging.url, TWICE, [randomBlob(1000)], {
      tag: tagWith('linux/arm64/v8', []),
      platform: ARM64
    })
    proxy.reset()
    const err = await run(['staged'], {}, 'refused', TWICE).catch((e: Error) => e)
    const two = [
      [first.digest, `${proxy.host}/${TWICE}:${tagWith('linux/amd64', [])}`],
      [again.digest, `${proxy.host}/${TWICE}:${tagWith('linux/amd64', ['X=2'])}`]
    ].sort((a, b) => (a[0]! < b[0]! ? -1 : 1))
    expect((err as Error).message).toBe(
      `merge refused: ${two[0]![1]} and ${two[1]![1]} are both linux/amd64 (${two[0]![0]}, ${two[1]![0]}): one image per platform; ` +
        `staged takes every platform image of this commit, and runs with other build inputs staged these: name the images to merge in merge instead of staged (a reference or digest per platform), or delete the stale tag at ${proxy.host}/${TWICE}`
    )
    expect(writes()).toEqual([])
    // the advice followed: the images named, one per platform
    const named = await run(
      [first.digest, `${proxy.host}/${TWICE}:${tagWith('linux/arm64/v8', [])}`],
      {},
      'chosen',
      TWICE
    )
    expect(named.plan.children.map(c => c.descriptor.digest)).toContain(first.digest)
    expect(named.indexWritten).toBe(true)
  })

  it.each<[string, () => string[], Partial<MergeOptions>, () => string]>([
    [
      'two children of one platform',
      () => [amd64.digest, `${proxy.host}/ci/docker:amd64`],
      {},
      () => {
        // listed in digest order
        const two = [
          [dockerAmd64.digest, `${proxy.host}/ci/docker:amd64`],
          [amd64.digest, `${proxy.host}/${REPO}@${amd64.digest}`]
        ].sort((a, b) => (a[0]! < b[0]! ? -1 : 1))
        return `merge refused: ${two[0]![1]} and ${two[1]![1]} are both linux/amd64 (${two[0]![0]}, ${two[1]![0]}): one image per platform`
      }
    ],
    [
      'a required platform missing',
      () => ['staged'],
      {
        require: [
          { os: 'linux', architecture: 's390x' },
          { os: 'linux', architecture: 'amd64' }
        ]
      },
      () =>
        'merge refused: merge-platforms linux/s390x: no source is that platform (they are linux/amd64, linux/arm64/v8)'
    ],
    [
      "a child not found (and another repository's)",
      () => [`${proxy.host}/${REPO}:nope`, `${other.host}/far/app:gone`, amd64.digest],
      {},
      () => `merge refused:\n  ${proxy.host}/${REPO}:nope: not found\n  ${other.host}/far/app:gone: not found`
    ],
    [
      'staged without a commit',
      () => ['staged'],
      { commit: undefined },
      () =>
        'merge refused: merge staged: no commit is known (GITHUB_SHA is not set): name the sources instead'
    ],
    [
      'staged with no tag of the commit',
      () => ['staged'],
      { commit: 'fedcba9876543210fedcba9876543210fedcba98' },
      () =>
        `merge staged: ${proxy.host}/${REPO} lists no platform image of commit fedcba987654 (tags sha-fedcba987654-…-OS-ARCH)`
    ],
    ['nothing to merge', () => [], {}, () => 'merge refused: no source to merge']
  ])('refuses %s with 0 writes', async (_name, sources, extra, message) => {
    proxy.reset()
    const err = await run(sources(), extra, 'refused').catch((e: Error) => e)
    expect((err as Error).message).toBe(message())
    expect(writes()).toEqual([])
    expect(await rawManifest(staging.url, REPO, 'refused')).toBeUndefined()
  })

  it('refuses an image whose config names no platform', async () => {
    const config = blobOf(Buffer.from('{"not":"an image config"}'), CONFIG)
    await pushBlob(staging.url, REPO, config)
    const bytes = oddJson({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: CONFIG, digest: config.digest, size: config.size },
      layers: []
    })
    const digest = await pushManifest(staging.url, REPO, 'artifact', bytes, OCI_MANIFEST)
    proxy.reset()
    const err = await run([`${proxy.host}/${REPO}:artifact`]).catch((e: Error) => e)
    expect(err).toBeInstanceOf(MergeError)
    expect((err as Error).message).toBe(
      `merge refused: ${proxy.host}/${REPO}:artifact: ${digest} names no platform in its config`
    )
    expect(writes()).toEqual([])
  })
})

describe('the action merge phase inputs, checked before any request', () => {
  it.each<[string, Partial<MergeStageInput>, string]>([
    ['a source that is no reference', { sources: ['Bad Ref'] }, 'merge "Bad Ref": invalid reference'],
    [
      'a digest that is no digest',
      { sources: ['sha256:abc'] },
      'merge "sha256:abc": not a digest (sha256: and 64 lower-case hex characters)'
    ],
    [
      'a platform that is no platform',
      { platforms: ['linux'] },
      'merge-platforms "linux": not OS/ARCH[/VARIANT] (e.g. linux/amd64, linux/arm64/v8)'
    ],
    [
      'no tag and no commit',
      { staging: { registry: '127.0.0.1:1', repository: 'ci/app' }, commit: undefined },
      'staging-image 127.0.0.1:1/ci/app: give the tag the merged index is written under (no commit is known to name it)'
    ]
  ])('%s', async (_name, change, message) => {
    // port 1: any request would fail with a connection error, not this message
    let requests = 0
    const client = createRegistryClient({ onRequest: () => void requests++ })
    const input: MergeStageInput = {
      staging: { registry: '127.0.0.1:1', repository: 'ci/app', tag: 'v1' },
      sources: ['staged'],
      platforms: ['linux/amd64'],
      commit: SHA,
      ...change
    }
    await expect(mergeStage(client, input)).rejects.toThrow(message)
    expect(requests).toBe(0)
    await client.close()
  })

  it('names the index after the commit when staging-image has no tag', () => {
    expect(mergeTag({ registry: 'r', repository: 'a' }, SHA)).toBe('sha-0123456789ab')
    expect(mergeTag({ registry: 'r', repository: 'a', tag: 'rc1' }, SHA)).toBe('rc1')
  })
})
