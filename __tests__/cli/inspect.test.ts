/**
 * `inspect` on a real registry (issue 11, point 5): a single image shows its platform from its
 * config blob, and the sizes are labelled — the manifest's bytes and the bytes of all its blobs;
 * for an index, the manifests' bytes and the distinct blobs of its child manifests (a blob shared by
 * platforms counted once), summed.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { runInspect } from '../../src/cli/inspect.js'
import { parseCommandLine, type InspectCommand } from '../../src/cli/args.js'
import { startProxy } from '../helpers/proxy.js'
import { startRegistry, type TestRegistry } from '../helpers/registry.js'
import {
  blobOf,
  oddJson,
  OCI_MANIFEST,
  pushBlob,
  pushImage,
  pushIndex,
  pushManifest,
  randomBlob,
  type SeededImage,
  type SeededIndex
} from '../helpers/images.js'

describe('inspect', () => {
  let reg: TestRegistry
  let image: SeededImage
  let index: SeededIndex

  beforeAll(async () => {
    reg = await startRegistry()
    image = await pushImage(reg.url, 'one', [randomBlob(3000), randomBlob(500)], {
      tag: 'v1',
      platform: { os: 'linux', architecture: 'arm64', variant: 'v8' }
    })
    index = await pushIndex(reg.url, 'multi', 'v1', {
      platforms: [
        { os: 'linux', architecture: 'amd64' },
        { os: 'linux', architecture: 'arm64' }
      ],
      shared: [randomBlob(1000)],
      uniqueSize: 2000,
      attestation: true
    })
  })
  afterAll(async () => {
    await reg?.stop()
  })

  async function inspect(...args: string[]): Promise<string> {
    const cmd = parseCommandLine(['inspect', ...args], { fileExists: () => false }) as InspectCommand
    const out: string[] = []
    expect(
      await runInspect(cmd, { out: s => void out.push(s), log: { debug() {}, info() {}, warning() {} } })
    ).toBe(0)
    return out.join('')
  }
  const blobBytes = (m: SeededImage): number => m.blobs.reduce((n, b) => n + b.size, 0)

  it('a single image: its platform from its config, manifest and blob bytes labelled', async () => {
    expect(await inspect(`${reg.host}/one:v1`)).toBe(
      [
        `digest:     ${image.digest}`,
        'media type: application/vnd.oci.image.manifest.v1+json',
        'platform:   linux/arm64/v8',
        `manifest:   ${image.bytes.length} bytes`,
        `blobs:      ${blobBytes(image)} bytes (config + layers)`,
        ''
      ].join('\n')
    )
    // --json: the same facts under the same names, sizes in bytes; an image has a platform, no
    // platforms array and no attestation count (those are an index's)
    expect(await inspect(`${reg.host}/one:v1`, '--json')).toBe(
      JSON.stringify(
        {
          reference: `${reg.host}/one:v1`,
          digest: image.digest,
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          platform: 'linux/arm64/v8',
          manifestBytes: image.bytes.length,
          blobBytes: blobBytes(image)
        },
        null,
        2
      ) + '\n'
    )
  })

  it('an image whose config names no platform (an artifact): "platform" left out of --json, said in the text', async () => {
    const config = blobOf(Buffer.from('{}'), 'application/vnd.oci.empty.v1+json')
    const layer = randomBlob(700)
    for (const b of [config, layer]) await pushBlob(reg.url, 'artifact', b)
    const bytes = oddJson({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      artifactType: 'application/vnd.example.thing',
      config: { mediaType: config.mediaType, digest: config.digest, size: config.size },
      layers: [{ mediaType: layer.mediaType, digest: layer.digest, size: layer.size }]
    })
    const digest = await pushManifest(reg.url, 'artifact', 'v1', bytes, OCI_MANIFEST)
    expect(JSON.parse(await inspect(`${reg.host}/artifact:v1`, '--json'))).toStrictEqual({
      reference: `${reg.host}/artifact:v1`,
      digest,
      mediaType: OCI_MANIFEST,
      manifestBytes: bytes.length,
      blobBytes: config.size + layer.size
    })
    expect((await inspect(`${reg.host}/artifact:v1`)).split('\n')[2]).toBe(
      'platform:   (not named in its config)'
    )
  })

  it('--json on a failure: the error thrown, stdout left to main() (its {"error"} object: json-failure.test.ts)', async () => {
    const cmd = parseCommandLine(['inspect', '--json', `${reg.host}/none:v1`], {
      fileExists: () => false
    }) as InspectCommand
    const out: string[] = []
    const io = { out: (s: string) => void out.push(s), log: { debug() {}, info() {}, warning() {} } }
    await expect(runInspect(cmd, io)).rejects.toThrow(`${reg.host}/none:v1 does not exist`)
    expect(out).toEqual([])
  })

  it('an index: the manifests and the distinct blobs of its children, summed and labelled', async () => {
    const manifests = index.bytes.length + index.children.reduce((n, c) => n + c.bytes.length, 0)
    // each distinct blob once, as copy moves them: the 1000-byte layer both platforms share is
    // counted once (it was counted per platform: 62074938 bytes where copy moved 31037934)
    const distinct = new Map(index.children.flatMap(c => c.blobs.map(b => [b.digest, b.size] as const)))
    const blobs = [...distinct.values()].reduce((n, size) => n + size, 0)
    expect(index.children.reduce((n, c) => n + blobBytes(c), 0) - blobs).toBe(1000)
    expect(await inspect(`${reg.host}/multi:v1`)).toBe(
      [
        `digest:     ${index.digest}`,
        'media type: application/vnd.oci.image.index.v1+json',
        // the attestation manifest by what it attests (issue 22), not as a count
        'platforms:  linux/amd64, linux/arm64 (+ SLSA provenance of linux/amd64)',
        `manifests:  ${manifests} bytes (index + 3 child manifests)`,
        `blobs:      ${blobs} bytes (config + layers of 3 child manifests, each distinct blob once)`,
        ''
      ].join('\n')
    )
    // --json: the text's facts, the sizes under the names the text labels them with (bytes); no
    // "platform" (an image's), and the blobs counted as in the text (they were missing: "size" was
    // the manifests' bytes alone, where an image's "size" added its blobs)
    expect(await inspect(`${reg.host}/multi:v1`, '--json')).toBe(
      JSON.stringify(
        {
          reference: `${reg.host}/multi:v1`,
          digest: index.digest,
          mediaType: 'application/vnd.oci.image.index.v1+json',
          platforms: ['linux/amd64', 'linux/arm64'],
          attestations: 1,
          manifestBytes: manifests,
          blobBytes: blobs
        },
        null,
        2
      ) + '\n'
    )
  })

  it('a config blob served 1 MiB longer than its size, no length announced: its size kept with a warning, the digest decides (review6 #4)', async () => {
    const proxy = await startProxy(reg.url)
    const config = image.blobs[0]
    const long = Buffer.concat([config.bytes, Buffer.alloc(1024 * 1024, 0x20)])
    proxy.setFault(req =>
      req.method === 'GET' && req.url!.endsWith(`/blobs/${config.digest}`)
        ? // no length announced: as with a Content-Length past the size, the read keeps the size
          // and the digest decides, as crane's (registry/over-announced.test.ts, newuser6 #22)
          { kind: 'respond', status: 200, headers: { 'transfer-encoding': 'chunked' }, body: long }
        : undefined
    )
    const cmd = parseCommandLine(['inspect', `${proxy.host}/one:v1`], {
      fileExists: () => false
    }) as InspectCommand
    const out: string[] = []
    const warnings: string[] = []
    try {
      // before: refused '(more bytes than its size) (N + 1 bytes)'
      const status = await runInspect(cmd, {
        out: s => void out.push(s),
        log: { debug() {}, info() {}, warning: m => void warnings.push(m) }
      })
      expect([status, out.length, warnings]).toEqual([
        0,
        1,
        [
          `${proxy.host} sent more than ${config.bytes.length} bytes for blob ${config.digest} of one, which is ${config.bytes.length} bytes (the image's descriptor): reading ${config.bytes.length} bytes, the digest decides`
        ]
      ])
      expect(proxy.count('GET', /\/blobs\//)).toBe(1)
    } finally {
      await proxy.stop()
    }
  })
})
