/** src/cli.ts tuneV8: the V8 flags the CLI sets for a short-lived, streaming process. */
import { describe, expect, it } from '@jest/globals'
import { tuneV8 } from '../../src/cli.js'

describe('tuneV8', () => {
  it('sets the baseline-only WebAssembly compiler and a young generation that does not grow', () => {
    const set: string[] = []
    tuneV8(flag => void set.push(flag))
    expect(set).toEqual(['--liftoff-only', '--semi-space-growth-factor=1'])
  })

  it('an engine that refuses one flag still gets the other, and the run goes on', () => {
    const set: string[] = []
    tuneV8(flag => {
      if (flag === '--liftoff-only') throw new Error('unknown flag')
      set.push(flag)
    })
    expect(set).toEqual(['--semi-space-growth-factor=1'])
  })
})
