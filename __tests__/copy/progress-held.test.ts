/**
 * Which target holds a fan-out back (newuser4 #19's last item): a blob is read once for every
 * target, so the slowest sets the pace of all. copy/progress.ts names a target the others waited on
 * for at least half the time since the last event (`waitingOn`), on an injected clock; the progress
 * line says `waiting on TARGET`. Bytes count as before: only what landed.
 */
import { describe, expect, it } from '@jest/globals'
import { Progress, type ProgressEvent } from '../../src/copy/progress.js'
import { progressLine } from '../../src/report/progress.js'

const A = 'sha256:' + 'a'.repeat(64)
const B = 'sha256:' + 'b'.repeat(64)

/** A Progress over blobs A and B (1000 bytes each), events every 5000 ms on the clock `t`. */
function setup(): { p: Progress; events: ProgressEvent[]; at: (ms: number) => void } {
  let t = 0
  const events: ProgressEvent[] = []
  const p = new Progress(
    [
      { digest: A, size: 1000 },
      { digest: B, size: 1000 }
    ],
    5000,
    e => events.push(e),
    () => t
  )
  return { p, events, at: ms => void (t = ms) }
}

describe('Progress.waitingOn (injected clock)', () => {
  it('names the target the others waited on for at least half the time since the last event', () => {
    const { p, events, at } = setup()
    p.start(A)
    at(1000)
    p.held(A, ['slow.example/prod/app'])
    at(5000)
    p.held(A, [])
    at(6000)
    p.add(A, 100) // period 0–6000: held 4000 ms
    at(7000)
    p.held(A, ['slow.example/prod/app'])
    at(9000)
    p.held(A, [])
    at(12000)
    p.add(A, 100) // period 6000–12000: held 2000 ms, less than half
    at(12500)
    p.held(A, ['slow.example/prod/app'])
    at(18000)
    p.add(A, 100) // period 12000–18000: held 5500 ms, still held
    at(24000)
    p.add(A, 100) // period 18000–24000: held all of it
    p.landed(A, 'fast', 1000)
    p.landed(A, 'slow', 1000)
    p.finish(A)
    at(30000)
    p.start(B)
    p.add(B, 1000) // period 24000–30000: nothing held (the hold ended with A's transfer)
    p.finish(B)
    p.end()
    expect(events.map(e => [e.bytes, e.waitingOn, e.done])).toEqual([
      [0, ['slow.example/prod/app'], false],
      [0, undefined, false],
      [0, ['slow.example/prod/app'], false],
      [0, ['slow.example/prod/app'], false],
      [1000, undefined, false],
      // the last event names no one: nothing is waited on once every blob is done
      [1000, undefined, true]
    ])
  })

  it('two blobs held by the same target at the same time count once (3000 of 10000 ms: not named)', () => {
    const { p, events, at } = setup()
    p.start(A)
    p.start(B)
    p.held(A, ['t2'])
    p.held(B, ['t2'])
    at(3000)
    p.held(A, [])
    p.held(B, [])
    at(10000)
    p.add(A, 10)
    expect(events.map(e => e.waitingOn)).toEqual([undefined])
  })

  it('a hold carried from one blob to the next is one stretch; two targets named, longest first', () => {
    const { p, events, at } = setup()
    p.start(A)
    p.start(B)
    p.held(A, ['t3'])
    at(2000)
    p.held(B, ['t2', 't3']) // t3 now holds both blobs, t2 one
    p.held(A, [])
    at(9000)
    p.held(B, [])
    at(10000)
    p.add(B, 10) // t3 held 0–9000, t2 2000–9000
    expect(events.map(e => e.waitingOn)).toEqual([['t3', 't2']])
  })

  it('the line names it before the blobs, with a rate and without one', () => {
    const event: ProgressEvent = {
      bytes: 8 * 1024 * 1024,
      totalBytes: 20 * 1024 * 1024,
      rateBytesPerSecond: 0,
      blobsDone: 1,
      blobsTotal: 2,
      active: [{ digest: A, size: 19 * 1024 * 1024, bytes: 9 * 1024 * 1024, landed: 8 * 1024 * 1024 }],
      waitingOn: ['127.0.0.1:5313/ch/big4'],
      done: false
    }
    expect(progressLine(event, { rateBytesPerSecond: 1.5 * 1024 * 1024, secondsLeft: 8 })).toBe(
      'copied 8.0 MiB of 20.0 MiB (40%), 1.5 MiB/s, about 8 s left, waiting on 127.0.0.1:5313/ch/big4 (1 of 2 blobs done)'
    )
    expect(progressLine(event, {})).toBe(
      'copied 8.0 MiB of 20.0 MiB (40%), sha256:aaaaaaaaaaaa (19.0 MiB) in flight: 1.0 MiB sent, not yet acknowledged, waiting on 127.0.0.1:5313/ch/big4 (1 of 2 blobs done)'
    )
    expect(progressLine({ ...event, waitingOn: ['a.example/x', 'b.example/y'] }, {})).toBe(
      'copied 8.0 MiB of 20.0 MiB (40%), sha256:aaaaaaaaaaaa (19.0 MiB) in flight: 1.0 MiB sent, not yet acknowledged, waiting on a.example/x, b.example/y (1 of 2 blobs done)'
    )
  })
})
