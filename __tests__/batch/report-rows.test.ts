/** batch/report.ts: a failed image's row in the job summary keeps its whole reason (newuser finding 12). */
import { expect, it } from '@jest/globals'
import { batchMarkdown } from '../../src/batch/report.js'
import type { ImageOutcome } from '../../src/batch/run.js'

it('a failed image with no target standing: the reason whole, every line, not cut at the first', () => {
  const error = new Error(
    'promotion of sha256:3e64 is incomplete; no tag was written on any target:\n  127.0.0.1:5205/ro/two: PUT answered 405: Method not allowed'
  )
  const outcome = { image: { name: 'two' }, error } as unknown as ImageOutcome
  const row = batchMarkdown([outcome])
    .split('\n')
    .find(l => l.startsWith('| two |'))
  // before: '| two |  | failed | promotion of sha256:3e64 is incomplete; no tag was written on any target: |  |  |'
  expect(row).toBe(
    '| two |  | failed | promotion of sha256:3e64 is incomplete; no tag was written on any target:<br>  127.0.0.1:5205/ro/two: PUT answered 405: Method not allowed |  |  |'
  )
})
