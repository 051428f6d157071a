/**
 * Attestation manifests named by what they attest in every CLI output, never as their platform
 * `unknown/unknown` (issue 22, item 4): the dry run's plan text, the plan JSON (which keeps the raw
 * platform list beside an `attests` name per attestation manifest), a copy's -v log and table, and
 * `config` on an index. Against a real registry, the CLI run from source.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { runCliFromSource } from '../helpers/cli-source.js'
import { pushIndex, randomBlob, type SeededIndex } from '../helpers/images.js'
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
})
