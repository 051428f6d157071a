/**
 * `inspect` on a real registry (issue 11, point 5): a single image shows its platform from its
 * config blob, and the sizes are labelled — the manifest's bytes and the bytes of all its blobs;
 * for an index, the manifests' bytes and the blobs of every child manifest, summed.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { runInspect } from '../../src/cli/inspect.js'
import { parseCommandLine, type InspectCommand } from '../../src/cli/args.js'
import { startRegistry, type TestRegistry } from '../helpers/registry.js'
import { pushImage, pushIndex, randomBlob, type SeededImage, type SeededIndex } from '../helpers/images.js'

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
    expect(JSON.parse(await inspect(`${reg.host}/one:v1`, '--json'))).toEqual({
      reference: `${reg.host}/one:v1`,
      digest: image.digest,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      platforms: [],
      attestations: 0,
      size: image.bytes.length + blobBytes(image),
      platform: 'linux/arm64/v8',
      manifestBytes: image.bytes.length,
      blobBytes: blobBytes(image)
    })
  })

  it('--json on a failure: one object with the error on stdout, and the error thrown for stderr', async () => {
    const cmd = parseCommandLine(['inspect', '--json', `${reg.host}/none:v1`], {
      fileExists: () => false
    }) as InspectCommand
    const out: string[] = []
    const io = { out: (s: string) => void out.push(s), log: { debug() {}, info() {}, warning() {} } }
    await expect(runInspect(cmd, io)).rejects.toThrow(`${reg.host}/none:v1 does not exist`)
    expect(JSON.parse(out.join(''))).toEqual({ error: `${reg.host}/none:v1 does not exist` })
  })

  it('an index: the manifests and the blobs of every child, summed and labelled', async () => {
    const manifests = index.bytes.length + index.children.reduce((n, c) => n + c.bytes.length, 0)
    const blobs = index.children.reduce((n, c) => n + blobBytes(c), 0)
    expect(await inspect(`${reg.host}/multi:v1`)).toBe(
      [
        `digest:     ${index.digest}`,
        'media type: application/vnd.oci.image.index.v1+json',
        // the attestation manifest by what it attests (issue 22), not as a count
        'platforms:  linux/amd64, linux/arm64 (+ SLSA provenance of linux/amd64)',
        `manifests:  ${manifests} bytes (index + 3 child manifests)`,
        `blobs:      ${blobs} bytes (config + layers of 3 child manifests)`,
        ''
      ].join('\n')
    )
  })
})
