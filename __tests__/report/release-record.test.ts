/** report/names.ts, limit.ts capJson, log.ts and copy/attestations.ts: exact values. */
import { describe, expect, it } from '@jest/globals'
import { attestationsOf } from '../../src/copy/attestations.js'
import type { PromotePlan, PromoteResult } from '../../src/copy/promote.js'
import { parseManifest } from '../../src/oci/manifest.js'
import { capJson } from '../../src/report/limit.js'
import { copiedArtifactLines, maskOnce, promotedLine } from '../../src/report/log.js'
import {
  artifactName,
  attestationText,
  imageName,
  reachText,
  shortDigest,
  shortTag,
  versionOf
} from '../../src/report/names.js'

const D = `sha256:${'d'.repeat(64)}`
const A = `sha256:${'a'.repeat(64)}`
const R = `sha256:${'2'.repeat(64)}`
const M = 'application/vnd.oci.image.manifest.v1+json'

describe('names', () => {
  it('short digests and digest-named tags', () => {
    expect(shortDigest(D)).toBe('sha256:dddddddddddd')
    expect(shortTag(`sha256-${'d'.repeat(64)}`)).toBe('sha256-dddddddddddd…')
    expect(shortTag(`sha256-${'d'.repeat(64)}.att`)).toBe('sha256-dddddddddddd….att')
    expect(shortTag('v1.2.3')).toBe('v1.2.3')
  })

  it.each([
    [['latest', 'v1', 'v1.4', 'v1.4.2'], undefined, 'v1.4.2'],
    [['1.4.2-rc.1', '1.4'], undefined, '1.4.2-rc.1'],
    [['latest'], 'refs/tags/v9', 'v9'],
    [['latest'], 'refs/heads/main', undefined],
    [[], undefined, undefined]
  ])('versionOf(%j, %j) = %j', (tags, ref, version) => expect(versionOf(tags, ref)).toBe(version))

  it('image names, registries reached', () => {
    expect(imageName('ghcr.io/o/app:1@sha256:x')).toBe('app')
    expect(imageName('127.0.0.1:5000/ci/app:rc-1')).toBe('app')
    expect(imageName('127.0.0.1:5000/app')).toBe('app')
    expect(reachText(['a.io/x', 'b.io/x'])).toBe('2 registries')
    expect(reachText(['a.io/x'])).toBe('1 registry')
    expect(reachText(['a.io/x', 'a.io/y', 'b.io/x'])).toBe('3 targets on 2 registries')
  })

  it('artifacts by what they are; unknown types in code, clipped', () => {
    expect(artifactName('application/spdx+json')).toBe('SPDX SBOM')
    expect(artifactName(undefined)).toBe('artifact')
    expect(artifactName(`application/x-${'z'.repeat(300)}`)).toBe(
      `<code>application/x-${'z'.repeat(105)}…</code>`
    )
  })

  it('attestation manifests by what they attest, never unknown/unknown', () => {
    const source: PromotePlan['source'] = {
      reference: 'r',
      digest: D,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      platforms: ['linux/amd64', 'linux/arm64', 'unknown/unknown'],
      attestations: [
        {
          digest: A,
          of: 'linux/amd64',
          predicateTypes: ['https://slsa.dev/provenance/v0.2', 'https://spdx.dev/Document'],
          attests: 'SLSA provenance and SPDX SBOM of linux/amd64'
        },
        {
          digest: R,
          of: 'linux/arm64',
          predicateTypes: ['https://slsa.dev/provenance/v0.2', 'https://spdx.dev/Document'],
          attests: 'SLSA provenance and SPDX SBOM of linux/arm64'
        },
        { digest: D, predicateTypes: [], attests: 'attestations of an unnamed manifest' }
      ]
    }
    expect(attestationText(source)).toBe(
      'SLSA provenance and SPDX SBOM of <code>linux/amd64</code>, <code>linux/arm64</code>; attestations of an unnamed manifest'
    )
    // the log's and the terminal's plain text: the same names, no markup
    expect(attestationText(source, false)).toBe(
      'SLSA provenance and SPDX SBOM of linux/amd64, linux/arm64; attestations of an unnamed manifest'
    )
    expect(attestationText({ ...source, attestations: undefined })).toBe('attestation manifests')
    expect(
      attestationText({ ...source, platforms: ['linux/amd64'], attestations: undefined })
    ).toBeUndefined()
  })

  it('attestationsOf reads the index annotations and the layers’ predicate types', () => {
    const att = parseManifest(
      Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: M,
          config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: A, size: 2 },
          layers: [
            {
              mediaType: 'application/vnd.in-toto+json',
              digest: R,
              size: 3,
              annotations: { 'in-toto.io/predicate-type': 'https://spdx.dev/Document' }
            }
          ]
        })
      ),
      M
    )
    const index = parseManifest(
      Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: 'application/vnd.oci.image.index.v1+json',
          manifests: [
            {
              mediaType: M,
              digest: D,
              size: 1,
              platform: { os: 'linux', architecture: 'arm64', variant: 'v8' }
            },
            {
              mediaType: M,
              digest: att.digest,
              size: att.bytes.length,
              platform: { os: 'unknown', architecture: 'unknown' },
              annotations: {
                'vnd.docker.reference.type': 'attestation-manifest',
                'vnd.docker.reference.digest': D
              }
            }
          ]
        })
      ),
      undefined
    )
    expect(attestationsOf(index, [att])).toEqual([
      {
        digest: att.digest,
        of: 'linux/arm64/v8',
        predicateTypes: ['https://spdx.dev/Document'],
        attests: 'SPDX SBOM of linux/arm64/v8'
      }
    ])
    expect(attestationsOf(att, [att])).toEqual([])
  })
})

describe('capJson', () => {
  it('as it is when it fits; long strings clipped and said; else a cut note', () => {
    expect(capJson({ a: 'x' }, 100)).toEqual({ text: '{"a":"x"}' })
    const big = { artifactType: 'y'.repeat(5000), list: Array.from({ length: 150 }, (_, i) => i) }
    const cut = capJson(big, 2000)
    expect(JSON.parse(cut.text)).toEqual({
      artifactType: `${'y'.repeat(1023)}…`,
      list: big.list.slice(0, 100)
    })
    expect(cut.cut).toBe(
      '5518 bytes, over the 2000-byte limit: 1 strings clipped to 1024 characters, 1 lists to their first 100 entries'
    )
    expect(capJson(big, 500)).toEqual({
      text: '{"cut":"5518 bytes, over the 500-byte limit: see the job log"}',
      cut: '5518 bytes, over the 500-byte limit: left out'
    })
  })
})

describe('log lines', () => {
  it('maskOnce passes each distinct secret once, never an empty one', () => {
    const seen: string[] = []
    const mask = maskOnce(s => seen.push(s))
    for (const s of ['pw', 'token', 'pw', '', 'pw', 'token']) mask(s)
    expect(seen).toEqual(['pw', 'token'])
  })

  const plan: PromotePlan = {
    source: { reference: 's/app:rc', digest: D, mediaType: M, platforms: [] },
    dryRun: false,
    targets: [
      {
        target: 'a.io/app',
        blobs: { skip: [], mount: [], copy: [] },
        bytesToCopy: 0,
        manifests: { push: [], present: [] },
        tags: [
          { tag: 'v1.4.2', action: 'create' },
          { tag: 'latest', action: 'move', from: A }
        ],
        referrerTags: [{ tag: `sha256-${'d'.repeat(64)}`, action: 'create' }],
        violations: [],
        referrers: [
          {
            subject: D,
            digest: R,
            artifactType: 'application/spdx+json',
            listedBy: `sha256-${'d'.repeat(64)}`,
            action: 'push'
          },
          { subject: D, digest: A, listedBy: `sha256-${'d'.repeat(64)}`, action: 'present' }
        ],
        signatureTags: [
          { tag: `sha256-${'d'.repeat(64)}.sig`, action: 'move', from: A, digest: R, artifactType: 'cosign' }
        ]
      }
    ]
  }

  it('each referrer and tag written, nothing that was already there', () => {
    expect(copiedArtifactLines(plan)).toEqual([
      `referrer ${R} (application/spdx+json) of ${D} pushed to a.io/app, listed by tag sha256-${'d'.repeat(64)}`,
      `referrers tag sha256-${'d'.repeat(64)} created at a.io/app`,
      `cosign tag sha256-${'d'.repeat(64)}.sig → ${R} moved at a.io/app (was ${A})`
    ])
    expect(copiedArtifactLines({ ...plan, dryRun: true })).toEqual([])
  })

  it('the final line', () => {
    const result = { digest: D, mediaType: M, plan, targets: [], bytesRead: 0, seconds: 1 } as PromoteResult
    expect(promotedLine('s.io/ci/app', result)).toBe(
      `promoted s.io/ci/app@${D} to 1 target (tags v1.4.2, latest)`
    )
    const none = {
      ...plan,
      dryRun: true,
      targets: [
        { ...plan.targets[0], tags: [] },
        { ...plan.targets[0], tags: [] }
      ]
    }
    expect(promotedLine('s.io/ci/app', { ...result, plan: none })).toBe(
      `would promote s.io/ci/app@${D} to 2 targets (by digest only) (dry run: nothing written)`
    )
  })
})
