/**
 * abort.ts: however many operations wait on one AbortSignal, it carries one `abort` listener, and
 * none once the last operation has ended (Node warns past 10 listeners: MaxListenersExceededWarning).
 */
import { describe, expect, it } from '@jest/globals'
import { getEventListeners } from 'node:events'
import { onAbort } from '../../src/abort.js'

const listeners = (signal: AbortSignal): number => getEventListeners(signal, 'abort').length

describe('onAbort', () => {
  it('shares one listener among 30 operations and removes it when the last ends', () => {
    const controller = new AbortController()
    const releases = Array.from({ length: 30 }, () => onAbort(controller.signal, () => undefined))
    expect(listeners(controller.signal)).toBe(1)
    releases.slice(0, 29).forEach(release => release())
    expect(listeners(controller.signal)).toBe(1)
    releases[29]()
    expect(listeners(controller.signal)).toBe(0)
    // a later operation adds it again
    const release = onAbort(controller.signal, () => undefined)
    expect(listeners(controller.signal)).toBe(1)
    release()
    expect(listeners(controller.signal)).toBe(0)
  })

  it('calls every waiting callback once on abort, and none that was released', () => {
    const controller = new AbortController()
    const calls: string[] = []
    onAbort(controller.signal, () => calls.push('a'))
    const releaseB = onAbort(controller.signal, () => calls.push('b'))
    onAbort(controller.signal, () => calls.push('c'))
    releaseB()
    controller.abort(new Error('stop'))
    controller.signal.dispatchEvent(new Event('abort'))
    expect(calls).toEqual(['a', 'c'])
    expect(listeners(controller.signal)).toBe(0)
  })

  it('calls at once on a signal already aborted, adding no listener; nothing without a signal', () => {
    const signal = AbortSignal.abort(new Error('gone'))
    const calls: number[] = []
    const release = onAbort(signal, () => calls.push(1))
    expect(calls).toEqual([1])
    expect(listeners(signal)).toBe(0)
    release()
    expect(onAbort(undefined, () => calls.push(2))()).toBeUndefined()
    expect(calls).toEqual([1])
  })
})
