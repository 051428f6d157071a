/**
 * registry/uninterrupted.ts: which interrupt signal a request starting at a given point is bound
 * to, inside and outside uninterrupted work, with works overlapping as a promotion file's tag
 * steps do, and for work left running after the last uninterrupted work settled (the scope is then
 * off, so Node's async hooks stop running for every promise).
 */
import { describe, expect, it } from '@jest/globals'
import { setImmediate as tick } from 'node:timers/promises'
import { boundInterrupt, uninterrupted } from '../../src/registry/uninterrupted.js'

/** A promise and its resolve function. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open = (): void => undefined
  const opened = new Promise<void>(r => (open = r))
  return { opened, open }
}

describe('uninterrupted', () => {
  const signal = new AbortController().signal

  it('unbinds requests inside the work, across awaits and nested calls; binds them outside', async () => {
    expect(boundInterrupt(signal)).toBe(signal)
    const inside = await uninterrupted(async () => {
      const first = boundInterrupt(signal)
      await tick()
      const nested = await (async () => {
        await tick()
        return boundInterrupt(signal)
      })()
      return [first, nested, boundInterrupt(signal)]
    })
    expect(inside).toEqual([undefined, undefined, undefined])
    expect(boundInterrupt(signal)).toBe(signal)
  })

  it('overlapping works: one settling leaves the other unbound; after both, requests are bound again', async () => {
    const late = gate()
    const long = uninterrupted(async () => {
      await late.opened
      await tick()
      return boundInterrupt(signal)
    })
    const short = uninterrupted(async () => {
      await tick()
      return boundInterrupt(signal)
    })
    expect(await short).toBeUndefined()
    expect(boundInterrupt(signal)).toBe(signal)
    late.open()
    expect(await long).toBeUndefined()
    expect(boundInterrupt(signal)).toBe(signal)
  })

  it('what the work left running is bound again once the last work has settled', async () => {
    const later = gate()
    let detached: Promise<AbortSignal | undefined> | undefined
    await uninterrupted(async () => {
      detached = (async () => {
        await later.opened
        return boundInterrupt(signal)
      })()
      await tick()
    })
    later.open()
    expect(await detached).toBe(signal)
  })

  it('an interrupt that already fired binds nothing (clean-up after the interruption)', async () => {
    const aborted = AbortSignal.abort()
    expect(boundInterrupt(aborted)).toBeUndefined()
    expect(await uninterrupted(async () => boundInterrupt(aborted))).toBeUndefined()
    expect(boundInterrupt(undefined)).toBeUndefined()
  })
})
