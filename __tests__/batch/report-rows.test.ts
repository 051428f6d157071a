/** batch/report.ts: a failed image's row in the job summary keeps its whole reason (newuser finding 12). */
import { expect, it } from '@jest/globals'
import { batchMarkdown } from '../../src/batch/report.js'
import type { ImageOutcome } from '../../src/batch/run.js'

it('a failed image with no target standing: a row per target, nothing written, the reason whole, every line', () => {
  const error = new Error(
    'promotion of sha256:3e64 is incomplete; no tag was written on any target:\n  127.0.0.1:5205/ro/two: PUT answered 405: Method not allowed'
  )
  const targets = [
    { repo: { registry: '127.0.0.1:5205', repository: 'ro/two' }, tags: ['v1'] },
    { repo: { registry: '127.0.0.1:5206', repository: 'rw/two' }, tags: ['v1'] }
  ]
  const outcome = { image: { name: 'two', targets }, error } as unknown as ImageOutcome
  const rows = batchMarkdown([outcome])
    .split('\n')
    .filter(l => l.startsWith('| two |'))
  // before (newuser4 finding 13): one row, no target, the reason in the tags column:
  // '| two |  | failed | promotion of sha256:3e64 is incomplete; no tag was written on any target:<br>  127.0.0.1:5205/ro/two: PUT answered 405: Method not allowed |  |  |'
  const reason =
    'promotion of sha256:3e64 is incomplete; no tag was written on any target:<br>  127.0.0.1:5205/ro/two: PUT answered 405: Method not allowed'
  expect(rows).toEqual([
    `| two | <code>127.0.0.1:5205/ro/two</code> | failed: nothing written (${reason}) | no tag | 0 | 0 B |`,
    `| two | <code>127.0.0.1:5206/rw/two</code> | failed: nothing written (${reason}) | no tag | 0 | 0 B |`
  ])
})

// newuser4 finding 13: a failed image's rows came last (the 82nd row of 82), one row for its two
// targets; now failed images come first (in file order), a row per target as the plan names them
it("failed images first, each with a row per target (its plan's, or the file's before a plan)", () => {
  const promoted = (name: string) => ({
    image: { name, targets: [] },
    result: {
      plan: { targets: [] },
      targets: [
        {
          target: `r1/prod/${name}`,
          tags: [{ tag: 'v1', action: 'create' }],
          blobsCopied: 1,
          blobsMounted: 0,
          bytesCopied: 5
        },
        {
          target: `r2/prod/${name}`,
          tags: [{ tag: 'v1', action: 'create' }],
          blobsCopied: 1,
          blobsMounted: 0,
          bytesCopied: 5
        }
      ]
    }
  })
  const repo = (registry: string, name: string) => ({
    repo: { registry, repository: `prod/${name}` },
    tags: ['v1']
  })
  const missing = {
    image: { name: 'broken', targets: [repo('r1', 'broken'), repo('r2', 'broken')] },
    error: new Error('r0/src/nope:rc1 does not exist')
  }
  const refused = {
    image: { name: 'gated', targets: [repo('r1', 'ignored'), repo('r2', 'ignored')] },
    error: Object.assign(
      new Error('verification of r0/src/gated@sha256:3e64 failed; nothing was written at any target'),
      {
        plan: {
          targets: ['r1/prod/gated', 'r2/prod/gated'].map(target => ({
            target,
            blobs: { copy: [], mount: [] }
          }))
        }
      }
    )
  }
  const md = batchMarkdown([promoted('a'), missing, promoted('b'), refused] as unknown as ImageOutcome[])
  const rows = md.split('\n').filter(l => /^\| (a|b|broken|gated) \|/.test(l))
  expect(rows).toEqual([
    '| broken | <code>r1/prod/broken</code> | failed: nothing written (r0/src/nope:rc1 does not exist) | no tag | 0 | 0 B |',
    '| broken | <code>r2/prod/broken</code> | failed: nothing written (r0/src/nope:rc1 does not exist) | no tag | 0 | 0 B |',
    '| gated | <code>r1/prod/gated</code> | failed: nothing written (verification of r0/src/gated<wbr>@sha256:3e64 failed; nothing was written at any target) | no tag | 0 | 0 B |',
    '| gated | <code>r2/prod/gated</code> | failed: nothing written (verification of r0/src/gated<wbr>@sha256:3e64 failed; nothing was written at any target) | no tag | 0 | 0 B |',
    '| a | <code>r1/prod/a</code> | promoted | <code>v1</code> created | 1 | 5 B |',
    '| a | <code>r2/prod/a</code> | promoted | <code>v1</code> created | 1 | 5 B |',
    '| b | <code>r1/prod/b</code> | promoted | <code>v1</code> created | 1 | 5 B |',
    '| b | <code>r2/prod/b</code> | promoted | <code>v1</code> created | 1 | 5 B |'
  ])
  expect(md.split('\n')[0]).toBe('## ❌ Promotion file: 2 of 4 images failed')
})

// newuser3 finding 9: the heading says what happened (before: '## Promotion file' whatever it was),
// and a target that did not fail itself says where it stands (before: 'failed: holds the image')
it('the heading counts what failed; a target tagged before a sibling failed in the tag step is complete', async () => {
  const { PromoteError } = await import('../../src/copy/promote.js')
  const status = (reference: string, tagged: string[], error?: string): object => ({
    reference,
    holdsImage: true,
    tagged,
    blobsCopied: 1,
    blobsMounted: 0,
    bytesCopied: 10,
    ...(error ? { error } : {})
  })
  const refused = 'the registry refused the tag v3'
  const error = new PromoteError(
    `promotion of sha256:3e64 is incomplete: tags in place on r1/prod/multi (v3); missing on r2/prod/multi (v3); a re-run writes the missing tags:\n  r2/prod/multi: ${refused}`,
    [{ target: 'r2/prod/multi', error: new Error(refused) }],
    [status('r1/prod/multi', ['v3']), status('r2/prod/multi', [], refused)] as never
  )
  const promoted = {
    image: { name: 'one' },
    result: {
      plan: { targets: [] },
      targets: [
        {
          target: 'r1/prod/one',
          tags: [{ tag: 'v1', action: 'create' }],
          blobsCopied: 0,
          blobsMounted: 0,
          bytesCopied: 0
        }
      ]
    }
  }
  const md = batchMarkdown([promoted, { image: { name: 'multi' }, error }] as unknown as ImageOutcome[])
  const lines = md.split('\n')
  expect([lines[0], ...lines.filter(l => l.startsWith('| multi |'))]).toEqual([
    '## ❌ Promotion file: 1 of 2 images failed',
    '| multi | <code>r1/prod/multi</code> | complete | <code>v3</code> | 1 | 10 B |',
    `| multi | <code>r2/prod/multi</code> | failed: holds the image (${refused}) | no tag | 1 | 10 B |`
  ])
  expect(batchMarkdown([promoted] as unknown as ImageOutcome[]).split('\n')[0]).toBe(
    '## ✅ Promotion file: 1 image promoted'
  )
})

// review4 finding 1: the dry-run total keyed a shared blob by the registry as written, so
// `ghcr.io:443` and `ghcr.io` (or `GHCR.io`, or Docker Hub's aliases) counted it as two copies,
// although the run (copy/holders.ts, by registryKey) copies it once and mounts it for the other
it('a dry-run total counts a blob shared at one registry once, however the registry is written', async () => {
  const { batchTotals } = await import('../../src/batch/report.js')
  const layer = { digest: `sha256:${'a'.repeat(64)}`, size: 1000 }
  const own = (n: number) => ({ digest: `sha256:${String(n).repeat(64)}`, size: n })
  const image = (name: string, targets: string[], blob: { digest: string; size: number }) => ({
    image: { name },
    result: {
      plan: { targets: targets.map(target => ({ target, blobs: { copy: [layer, blob], mount: [] } })) },
      targets: []
    }
  })
  const totals = batchTotals([
    image('a', ['ghcr.io:443/o/a', 'registry-1.docker.io/x/a'], own(1)),
    image('b', ['GHCR.io/o/b', 'docker.io/x/b'], own(2)),
    image('c', ['ghcr.io/o/c', 'index.docker.io/x/c'], own(3))
  ] as unknown as ImageOutcome[])
  // before: { blobsCopy: 12, blobsMount: 0, bytesCopy: 6012 }: the layer copied to six "registries"
  expect(totals.planned).toEqual({ blobsCopy: 8, blobsMount: 4, bytesCopy: 2 * (1000 + 1 + 2 + 3) })
})

// newuser4 #19: the plan job's summary; a request budget, when given, is each shard's share
it('shardsMarkdown: each shard with its images, and its budget share when one is given', async () => {
  const { shardsMarkdown } = await import('../../src/batch/report.js')
  const matrix = {
    include: [
      { shard: '1/2@0123456789ab', images: ['api', 'web'], budget: 'ghcr.io=5/s' },
      { shard: '2/2@0123456789ab', images: ['a|b'], budget: 'ghcr.io=5/s' }
    ]
  }
  expect(shardsMarkdown(matrix, 'promote.yaml', 2).split('\n')).toEqual([
    '## 📋 Promotion file <code>promote.yaml</code>: 2 shards planned',
    '',
    '| shard | images | names | request budget |',
    '| --- | ---: | --- | --- |',
    '| <code>1/2@0123456789ab</code> | 2 | api, web | <code>ghcr.io=5/s</code> |',
    '| <code>2/2@0123456789ab</code> | 1 | a&#124;b | <code>ghcr.io=5/s</code> |'
  ])
})
