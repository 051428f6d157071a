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
    `| signature | <code>sha256:${'a'.repeat(16)}<wbr>${'a'.repeat(16)}<wbr>${'a'.repeat(16)}<wbr>${'a'.repeat(16)}</code> | ❌ failed | no signature | a signature by key &lt;k&gt;.pub |`,
    '',
    '### Promotion records',
    '',
    '| target | record | digest | listed by |',
    '| --- | --- | --- | --- |',
    // a record's digest may wrap between 16-digit groups (newuser4 finding 13: the table scrolled)
    `| <code>reg.example/prod/app</code> | written | <code>sha256:${'b'.repeat(16)}<wbr>${'b'.repeat(16)}<wbr>${'b'.repeat(16)}<wbr>${'b'.repeat(16)}</code> | referrers API |`,
    ''
  ])
})

it('a planned record the run never reached: not written after a failure, to write in a dry run (newuser finding 33)', () => {
  const plan = (dryRun: boolean) =>
    ({
      source: { reference: 'r', digest: D, mediaType: 'm', platforms: [] },
      dryRun,
      targets: [
        { target: 'reg.example/rec/mid', record: { action: 'write', listedBy: 'sha256-2e18' } },
        { target: 'other.example/rec/mid', record: { action: 'failed', listedBy: 'referrers API' } }
      ]
    }) as unknown as PromotePlan
  // before: "write" for the first, read as written although no record exists; and (newuser4
  // finding 13) a "listed by" for a record that is not there: '… |  | sha256-2e18 |', '… | referrers API |'
  expect(proofLines(plan(false)).filter(l => l.startsWith('| <code>'))).toEqual([
    '| <code>reg.example/rec/mid</code> | ➖ not written (the run failed before it) |  |  |',
    '| <code>other.example/rec/mid</code> | ❌ not written |  |  |'
  ])
  expect(proofLines(plan(true)).filter(l => l.startsWith('| <code>'))[0]).toBe(
    '| <code>reg.example/rec/mid</code> | to write |  | sha256-2e18 |'
  )
})

it("a platform child's check names its platform beside the digest (newuser4 finding 5)", () => {
  const plan = {
    source: { reference: 'r', digest: D, mediaType: 'm', platforms: [] },
    dryRun: false,
    gate: {
      passed: false,
      checks: [
        {
          check: 'signature',
          digest: R,
          platform: 'linux/arm64',
          passed: false,
          found: 'no signature',
          wanted: 'w'
        }
      ]
    },
    targets: []
  } as unknown as PromotePlan
  expect(proofLines(plan)[4]).toBe(
    `| signature | <code>sha256:${'b'.repeat(16)}<wbr>${'b'.repeat(16)}<wbr>${'b'.repeat(16)}<wbr>${'b'.repeat(16)}</code> (linux/arm64) | ❌ failed | no signature | w |`
  )
})
