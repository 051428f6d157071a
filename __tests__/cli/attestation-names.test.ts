/**
 * Attestation manifests named by what they attest in every CLI output, never as their platform
 * `unknown/unknown` (issue 22, item 4): the dry run's plan text, the plan JSON (which keeps the raw
 * platform list beside an `attests` name per attestation manifest), a copy's -v log and table, and
 * `config` on an index. Against a real registry, the CLI run from source.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { runCliFromSource } from '../helpers/cli-source.js'
import {
  OCI_INDEX,
  OCI_MANIFEST,
  pushImage,
  pushIndex,
  pushManifest,
  randomBlob,
  type SeededImage,
  type SeededIndex
} from '../helpers/images.js'
import { startRegistry, type TestRegistry } from '../helpers/registry.js'

describe('attestation manifests in the CLI', () => {
  let reg: TestRegistry
  let index: SeededIndex

  beforeAll(async () => {
    reg = await startRegistry()
    index = await pushIndex(reg.url, 'stage/app', 'v1', {
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

  it('the dry run: plan text names what they attest; the JSON keeps the platform and adds the name', async () => {
    const r = await runCliFromSource([
      'copy',
      '--dry-run',
      `${reg.host}/stage/app:v1`,
      `${reg.host}/prod/app:v1`
    ])
    expect(r.status).toBe(0)
    const lines = r.stderr.split('\n')
    expect(lines.filter(l => /^(platforms|attestations): /.test(l))).toEqual([
      'platforms: linux/amd64, linux/arm64',
      'attestations: SLSA provenance of linux/amd64'
    ])
    expect(r.stderr).not.toContain('unknown/unknown')
    const att = index.children[2]
    const source = JSON.parse(r.stdout).source
    expect(source.platforms).toEqual(['linux/amd64', 'linux/arm64', 'unknown/unknown'])
    expect(source.attestations).toEqual([
      {
        digest: att.digest,
        of: 'linux/amd64',
        predicateTypes: ['https://slsa.dev/provenance/v0.2'],
        attests: 'SLSA provenance of linux/amd64'
      }
    ])
  })

  it('a copy with -v: no unknown/unknown in the log or the table', async () => {
    const r = await runCliFromSource(['copy', '-v', `${reg.host}/stage/app:v1`, `${reg.host}/prod/app:v1`])
    expect([r.status, r.stdout]).toEqual([0, `${index.digest}\n`])
    expect(r.stderr).not.toContain('unknown')
  })

  it('config on the index: the attestation manifest named by what it attests', async () => {
    const [amd, arm, att] = index.children
    const r = await runCliFromSource(['config', `${reg.host}/stage/app:v1`])
    expect(r.status).toBe(1)
    expect(r.stderr.trim()).toBe(
      `promote-image: ${reg.host}/stage/app:v1 is an index, which has no config; name one of its images: ` +
        `${reg.host}/stage/app@${amd.digest} (linux/amd64), ${reg.host}/stage/app@${arm.digest} (linux/arm64), ` +
        `${reg.host}/stage/app@${att.digest} (attestations of linux/amd64)`
    )
  })

  describe('an image of a real platform annotated as an attestation manifest (end review 2)', () => {
    // a runtime picks by platform and ignores vnd.docker.reference.type (oci/manifest.ts
    // runtimeSelectable, the rule --platform and the gate use since 12c3b79): the first linux/amd64
    // entry is an image. Before: inspect left it out of the platforms and counted it an attestation
    // ('platforms:  linux/amd64 (+ attestations of linux/amd64)', "attestations": 1), config called it
    // 'attestations of linux/amd64', the dry run listed it under attestations.
    let hidden: SeededImage
    let good: SeededImage
    let digest: string
    beforeAll(async () => {
      const amd64 = { os: 'linux', architecture: 'amd64' }
      good = await pushImage(reg.url, 'stage/hidden', [randomBlob(300)], { platform: amd64 })
      hidden = await pushImage(reg.url, 'stage/hidden', [randomBlob(300)], { platform: amd64 })
      const entry = (m: SeededImage, annotations?: Record<string, string>): object => ({
        mediaType: OCI_MANIFEST,
        digest: m.digest,
        size: m.bytes.length,
        platform: amd64,
        ...(annotations ? { annotations } : {})
      })
      const manifests = [
        entry(hidden, {
          'vnd.docker.reference.type': 'attestation-manifest',
          'vnd.docker.reference.digest': good.digest
        }),
        entry(good)
      ]
      const bytes = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests }))
      digest = await pushManifest(reg.url, 'stage/hidden', 'v1', bytes, OCI_INDEX)
    })

    it('inspect: both linux/amd64 images listed, no attestation', async () => {
      const r = await runCliFromSource(['inspect', `${reg.host}/stage/hidden:v1`])
      expect(r.status).toBe(0)
      expect(r.stdout.split('\n').filter(l => l.startsWith('platforms:'))).toEqual([
        'platforms:  linux/amd64, linux/amd64'
      ])
      const j = await runCliFromSource(['inspect', '--json', `${reg.host}/stage/hidden:v1`])
      expect(j.status).toBe(0)
      const info = JSON.parse(j.stdout) as { digest: string; platforms: string[]; attestations: number }
      expect([info.digest, info.platforms, info.attestations]).toEqual([
        digest,
        ['linux/amd64', 'linux/amd64'],
        0
      ])
    })

    it('config: each image named by its platform', async () => {
      const r = await runCliFromSource(['config', `${reg.host}/stage/hidden:v1`])
      expect(r.status).toBe(1)
      expect(r.stderr.trim()).toBe(
        `promote-image: ${reg.host}/stage/hidden:v1 is an index, which has no config; name one of its images: ` +
          `${reg.host}/stage/hidden@${hidden.digest} (linux/amd64), ${reg.host}/stage/hidden@${good.digest} (linux/amd64)`
      )
    })

    it('the dry run: no attestations listed', async () => {
      const r = await runCliFromSource([
        'copy',
        '--dry-run',
        `${reg.host}/stage/hidden:v1`,
        `${reg.host}/prod/hidden:v1`
      ])
      expect(r.status).toBe(0)
      expect(r.stderr.split('\n').filter(l => /^(platforms|attestations): /.test(l))).toEqual([
        'platforms: linux/amd64'
      ])
      const source = JSON.parse(r.stdout).source
      expect([source.digest, source.platforms, source.attestations]).toEqual([
        digest,
        ['linux/amd64'],
        undefined
      ])
    })
  })
})
