/** report/proof.ts: the summary's verification and record tables, exact Markdown. */
import { expect, it } from '@jest/globals'
import { proofLines } from '../../src/report/proof.js'
import type { PromotePlan } from '../../src/copy/promote.js'

const D = `sha256:${'a'.repeat(64)}`
const R = `sha256:${'b'.repeat(64)}`

it('no gate, no record: nothing', () => {
  expect(proofLines(undefined)).toEqual([])
  expect(
    proofLines({
      source: { reference: 'r', digest: D, mediaType: 'm', platforms: [] },
      targets: [],
      dryRun: false
    })
  ).toEqual([])
})

it('a check per row, a record per target, registry text escaped', () => {
  const plan = {
    source: { reference: 'r', digest: D, mediaType: 'm', platforms: [] },
    dryRun: false,
    gate: {
      passed: false,
      trustedRoot: 'trusted root root.json',
      checks: [
        {
          check: 'signature',
          digest: D,
          passed: false,
          found: 'no signature',
          wanted: 'a signature by key <k>.pub'
        }
      ]
    },
    targets: [
      { target: 'reg.example/prod/app', record: { action: 'written', digest: R, listedBy: 'referrers API' } }
    ]
  } as unknown as PromotePlan
  expect(proofLines(plan)).toEqual([
    '### Verification',
    '',
    'Bundles verified against trusted root root.json.',
    '',
    '| check | digest | result | found | wanted |',
    '| --- | --- | --- | --- | --- |',
    `| signature | <code>${D}</code> | ❌ failed | no signature | a signature by key &lt;k&gt;.pub |`,
    '',
    '### Promotion records',
    '',
    '| target | record | digest | listed by |',
    '| --- | --- | --- | --- |',
    `| <code>reg.example/prod/app</code> | written | <code>${R}</code> | referrers API |`,
    ''
  ])
})
