import { describe, expect, it } from '@jest/globals'
import type { ProgressEvent } from '../../src/copy/promote.js'
import {
  blobLine,
  percentDone,
  progressBar,
  progressLine,
  ProgressMeter,
  type Estimate
} from '../../src/report/progress.js'

const MiB = 1024 * 1024

function event(bytes: number, totalBytes: number, extra: Partial<ProgressEvent> = {}): ProgressEvent {
  return {
    bytes,
    totalBytes,
    rateBytesPerSecond: 0,
    blobsDone: 3,
    blobsTotal: 7,
    active: [],
    done: false,
    ...extra
  }
}

/** A clock the test moves: each call returns the next of `times` (ms), the last one repeated. */
function clock(times: number[]): () => number {
  let i = 0
  return () => times[Math.min(i++, times.length - 1)]
}

describe('progressLine', () => {
  it.each<[string, ProgressEvent, Estimate, string]>([
    [
      'the issue example',
      event(72845312, 167772782),
      { rateBytesPerSecond: 12.3 * MiB, secondsLeft: 6.2 },
      'copied 69.5 MiB of 160.0 MiB (43%), 12.3 MiB/s, about 7 s left (3 of 7 blobs done)'
    ],
    [
      'minutes left',
      event(10 * MiB, 1000 * MiB),
      { rateBytesPerSecond: 5 * MiB, secondsLeft: 198 },
      'copied 10.0 MiB of 1000.0 MiB (1%), 5.0 MiB/s, about 3 min 18 s left (3 of 7 blobs done)'
    ],
    [
      'no rate measured yet: the one blob in flight is named with the bytes sent, no rate, no time left',
      event(0, 4096, {
        blobsDone: 0,
        blobsTotal: 1,
        active: [{ digest: `sha256:${'c'.repeat(64)}`, size: 4096, bytes: 4096, landed: 0 }]
      }),
      {},
      'copied 0 B of 4.0 KiB (0%), sha256:cccccccccccc (4.0 KiB) in flight: 4.0 KiB sent, not yet acknowledged (0 of 1 blob done)'
    ],
    [
      'nothing read yet: no bytes sent named',
      event(0, 4096, {
        blobsDone: 0,
        blobsTotal: 1,
        active: [{ digest: `sha256:${'c'.repeat(64)}`, size: 4096, bytes: 0, landed: 0 }]
      }),
      {},
      'copied 0 B of 4.0 KiB (0%), sha256:cccccccccccc (4.0 KiB) in flight (0 of 1 blob done)'
    ],
    [
      // before: 'copied 163 B of 953.7 MiB (0%), 33 B/s, about 8417 h 30 min left (1 of 2 blobs done)'
      'the config landed, the 953.7 MiB layer streams in one PUT: the largest named, mounts left out',
      event(163, 1_000_000_163, {
        blobsDone: 1,
        blobsTotal: 4,
        active: [
          { digest: `sha256:${'0'.repeat(64)}`, size: 0, bytes: 0, landed: 0 },
          { digest: `sha256:${'a'.repeat(64)}`, size: 4096, bytes: 0, landed: 0 },
          { digest: `sha256:${'b'.repeat(64)}`, size: 1_000_000_000, bytes: 120 * MiB, landed: 0 }
        ]
      }),
      {},
      'copied 163 B of 953.7 MiB (0%), sha256:bbbbbbbbbbbb (953.7 MiB) and 1 more in flight: 120.0 MiB of 953.7 MiB sent, not yet acknowledged (1 of 4 blobs done)'
    ],
    [
      'no rate and nothing streaming (mounts only)',
      event(0, 0, {
        blobsDone: 0,
        blobsTotal: 1,
        active: [{ digest: 'sha256:00', size: 0, bytes: 0, landed: 0 }]
      }),
      {},
      // newuser3 finding 13, before: 'copied 0 B of 0 B (100%) (0 of 1 blob done)'
      'nothing to copy, 0 of 1 blob mounted'
    ],
    [
      // before: 'copied 0 B of 0 B (100%), 0 B/s on average (3 of 3 blobs done)'
      'the final event when every blob was mounted',
      event(0, 0, { done: true, blobsDone: 3, blobsTotal: 3, rateBytesPerSecond: 0 }),
      {},
      'nothing to copy, 3 of 3 blobs mounted'
    ],
    [
      'one byte short is 99%',
      event(999, 1000),
      { rateBytesPerSecond: 10, secondsLeft: 0.1 },
      'copied 999 B of 1000 B (99%), 10 B/s, about 1 s left (3 of 7 blobs done)'
    ],
    [
      'the final event: the engine average',
      event(167772782, 167772782, { done: true, blobsDone: 7, rateBytesPerSecond: 11.5 * MiB }),
      { rateBytesPerSecond: 99 },
      'copied 160.0 MiB of 160.0 MiB (100%), 11.5 MiB/s on average (7 of 7 blobs done)'
    ]
  ])('%s', (_, e, estimate, line) => expect(progressLine(e, estimate)).toBe(line))
})

describe('ProgressMeter (injected clock)', () => {
  it('measures nothing at the first event, then the rate over the window, and the time left from it', () => {
    const meter = new ProgressMeter(clock([0, 5000, 10000, 15000, 20000]), 10_000)
    const total = 100 * MiB
    // first event: nothing to measure against (the engine's average is not taken)
    expect(meter.update(event(10 * MiB, total, { rateBytesPerSecond: 2 * MiB }))).toEqual({})
    // 10 MiB more in 5 s
    expect(meter.update(event(20 * MiB, total))).toEqual({ rateBytesPerSecond: 2 * MiB, secondsLeft: 40 })
    // 30 MiB in 10 s since the first sample
    expect(meter.update(event(40 * MiB, total))).toEqual({ rateBytesPerSecond: 3 * MiB, secondsLeft: 20 })
    // the window drops the first sample: 40 MiB over the last 10 s (5 s → 15 s)
    expect(meter.update(event(60 * MiB, total))).toEqual({ rateBytesPerSecond: 4 * MiB, secondsLeft: 10 })
    // a stall: 0 bytes over 5 s, 20 MiB over the window (10 s → 20 s) still counts
    expect(meter.update(event(60 * MiB, total))).toEqual({ rateBytesPerSecond: 2 * MiB, secondsLeft: 20 })
  })

  it('starts over when bytes go back (a blob read again), and has no time left when all is read', () => {
    const meter = new ProgressMeter(clock([0, 1000, 2000, 3000]))
    meter.update(event(8 * MiB, 10 * MiB, { rateBytesPerSecond: 8 * MiB }))
    expect(meter.update(event(2 * MiB, 10 * MiB, { rateBytesPerSecond: 1 * MiB }))).toEqual({})
    expect(meter.update(event(4 * MiB, 10 * MiB))).toEqual({ rateBytesPerSecond: 2 * MiB, secondsLeft: 3 })
    expect(meter.update(event(10 * MiB, 10 * MiB))).toEqual({ rateBytesPerSecond: 4 * MiB })
  })
})

describe('ProgressMeter and progressLine: one big blob sent in one PUT (injected clock)', () => {
  it('says no rate while only the config landed, and a rate once bytes land again', () => {
    const meter = new ProgressMeter(clock([5000, 6000, 7000, 8000]), 10_000)
    const big = { digest: `sha256:${'b'.repeat(64)}`, size: 1_000_000_000, bytes: 0, landed: 0 }
    const at = (bytes: number, read: number, extra: Partial<ProgressEvent> = {}): string => {
      const e = event(bytes, 1_000_000_163, {
        blobsDone: 1,
        blobsTotal: 2,
        active: [{ ...big, bytes: read }],
        rateBytesPerSecond: Math.round(bytes / 5),
        ...extra
      })
      return progressLine(e, meter.update(e))
    }
    // newuser6 #7, before: the same 'copied 163 B … in flight (1 of 2 blobs done)' at every event
    // of the PUT, though bytes were moving
    expect(at(163, 100 * MiB)).toBe(
      'copied 163 B of 953.7 MiB (0%), sha256:bbbbbbbbbbbb (953.7 MiB) in flight: 100.0 MiB sent, not yet acknowledged (1 of 2 blobs done)'
    )
    // a second event with nothing more landed: still no rate, the bytes sent grow
    expect(at(163, 200 * MiB)).toBe(
      'copied 163 B of 953.7 MiB (0%), sha256:bbbbbbbbbbbb (953.7 MiB) in flight: 200.0 MiB sent, not yet acknowledged (1 of 2 blobs done)'
    )
    // a chunk acknowledged: 500 MB landed 2 s after the first event
    expect(at(500_000_163, 500 * MiB)).toBe(
      'copied 476.8 MiB of 953.7 MiB (50%), 238.4 MiB/s, about 2 s left (1 of 2 blobs done)'
    )
  })
})

describe('percentDone, progressBar, blobLine', () => {
  it.each([
    [0, 10, 0],
    [5, 10, 50],
    [9.99, 10, 99],
    [10, 10, 100],
    [0, 0, 100]
  ])('%d of %d → %d%%', (bytes, total, percent) => expect(percentDone(bytes, total)).toBe(percent))

  it.each([
    [0, 100, '[--------------------]'],
    [30, 100, '[######--------------]'],
    [100, 100, '[####################]']
  ])('bar %d of %d', (bytes, size, bar) => expect(progressBar(bytes, size)).toBe(bar))

  const digest = `sha256:${'0123456789ab'.repeat(5)}abcd`
  it.each([
    [
      { digest, size: 40 * MiB, bytes: 12 * MiB, landed: 0 },
      'sha256:0123456789ab [######--------------]  30% 12.0 MiB of 40.0 MiB'
    ],
    [
      { digest, size: 2048, bytes: 2048, landed: 0 },
      'sha256:0123456789ab [####################] 100% 2.0 KiB of 2.0 KiB'
    ],
    [{ digest, size: 0, bytes: 0, landed: 0 }, 'sha256:0123456789ab mounting']
  ])('%j', (blob, line) => expect(blobLine(blob)).toBe(line))
})
