/**
 * Progress of the blob phase for people: rate and time left measured on an injected clock, and the
 * lines the action log and the CLI print. What the engine reports (copy/progress.ts) is shown as it
 * is: `bytes` are the bytes the targets acknowledged (a blob counts once; one that failed counts
 * nothing), `totalBytes` the bytes of every blob to stream (mounts weigh nothing); the per-blob
 * bars show source bytes read.
 */
import type { ProgressEvent } from '../copy/promote.js'
import { formatBytes, formatDuration, formatRate } from './format.js'
import { shortDigest } from './names.js'

/**
 * A rate (bytes per second) and, when bytes are left, the seconds until they are all there; both
 * undefined while no rate can be measured (see ProgressMeter).
 */
export interface Estimate {
  rateBytesPerSecond?: number
  secondsLeft?: number
}

/**
 * Rate and time left from successive progress events. The rate is measured over the last
 * `windowMs` milliseconds of events (default 10 000) on the clock `now` (milliseconds), so a slow
 * start or a stall long ago does not skew the time left. Bytes count when they landed, and a blob
 * sent in one PUT lands all at once at its end, so a rate is measured only between two events of
 * the window whose landed bytes grew: none at the first event (its engine average would take the
 * config that landed in the first milliseconds for the rate of the 1 GB layer still in flight:
 * `163 B … 33 B/s, about 8417 h left`), none while nothing landed over the whole window. Bytes
 * going back (a blob read again) restart the window.
 */
export class ProgressMeter {
  private samples: Array<{ at: number; bytes: number }> = []

  constructor(
    private readonly now: () => number = Date.now,
    private readonly windowMs = 10_000
  ) {}

  /** Records `event` (at `now()`) and returns the estimate. */
  update(event: ProgressEvent): Estimate {
    const at = this.now()
    const last = this.samples.at(-1)
    if (last && event.bytes < last.bytes) this.samples = []
    this.samples.push({ at, bytes: event.bytes })
    while (this.samples.length > 2 && at - this.samples[1].at >= this.windowMs) this.samples.shift()
    const first = this.samples[0]
    if (!(at > first.at && event.bytes > first.bytes)) return {}
    const rate = ((event.bytes - first.bytes) * 1000) / (at - first.at)
    const left = event.totalBytes - event.bytes
    return { rateBytesPerSecond: rate, secondsLeft: left > 0 ? left / rate : undefined }
  }
}

/** Whole percent done, rounded down (100 only when every byte is there; no bytes to move: 100). */
export function percentDone(bytes: number, totalBytes: number): number {
  return totalBytes > 0 ? Math.min(100, Math.floor((bytes * 100) / totalBytes)) : 100
}

/**
 * The blobs being streamed (mounts left out), largest first, and the bytes of them read from the
 * source and sent on but not yet acknowledged by a target (`active[].bytes` less `landed`: bytes
 * the headline does not count yet):
 * `, sha256:0123456789ab (953.7 MiB) in flight: 740.0 KiB sent, not yet acknowledged`;
 * `, sha256:0123456789ab (953.7 MiB) and 2 more in flight: 1.2 MiB of 960.0 MiB sent, not yet
 * acknowledged`; without the bytes while none was read; '' for no blob streamed.
 */
function inFlight(active: ProgressEvent['active']): string {
  const streamed = active.filter(b => b.size > 0).sort((a, b) => b.size - a.size)
  if (!streamed.length) return ''
  const more = streamed.length > 1 ? ` and ${streamed.length - 1} more` : ''
  const sent = streamed.reduce((n, b) => n + Math.max(0, b.bytes - b.landed), 0)
  const of = streamed.length > 1 ? ` of ${formatBytes(streamed.reduce((n, b) => n + b.size, 0))}` : ''
  const moving = sent > 0 ? `: ${formatBytes(sent)}${of} sent, not yet acknowledged` : ''
  return `, ${shortDigest(streamed[0].digest)} (${formatBytes(streamed[0].size)})${more} in flight${moving}`
}

/**
 * The one-line progress report, e.g.
 * `copied 69.5 MiB of 160.0 MiB (43%), 12.3 MiB/s, about 7 s left (3 of 7 blobs done)`; the final
 * event (`done`) gives the engine's average rate: `copied 160.0 MiB of 160.0 MiB (100%), 12.3 MiB/s
 * on average (7 of 7 blobs done)`. While no rate is measured (Estimate empty), the largest blob
 * being streamed is named instead of a rate, with the bytes of the blobs streamed read from the
 * source and sent on, which do not count until the target acknowledges them: `copied 163 B of
 * 953.7 MiB (0%), sha256:0123456789ab (953.7 MiB) in flight: 740.0 KiB sent, not yet acknowledged
 * (1 of 2 blobs done)`. Bytes in the headline are those the
 * targets acknowledged in this run; blobs that failed are named: `(0 of 3 blobs done, 3 failed)`;
 * bytes of resumed uploads that kept sessions already held are named, not counted:
 * `(1 of 1 blob done; 8.0 MiB resumed from an earlier run)`. When every blob is mounted (nothing to
 * stream): `nothing to copy, 3 of 3 blobs mounted`. A target the others waited on for at least half
 * the time since the last line (`waitingOn`: a blob is read once for every target, so the slowest
 * holds the others back) is named before the blobs: `…, about 7 s left, waiting on
 * 127.0.0.1:5002/prod/app (3 of 7 blobs done)`.
 */
export function progressLine(event: ProgressEvent, estimate: Estimate): string {
  const head = `copied ${formatBytes(event.bytes)} of ${formatBytes(event.totalBytes)} (${percentDone(event.bytes, event.totalBytes)}%)`
  const failed = event.blobsFailed ? `, ${event.blobsFailed} failed` : ''
  const resumed = event.resumedBytes ? `; ${formatBytes(event.resumedBytes)} resumed from an earlier run` : ''
  const of = `${event.blobsDone} of ${event.blobsTotal} blob${event.blobsTotal === 1 ? '' : 's'}`
  // every blob to move is a mount: no bytes, no rate, no percentage to give
  if (event.totalBytes === 0) return `nothing to copy, ${of} mounted${failed}${resumed}`
  const blobs = `(${of} done${failed}${resumed})`
  if (event.done) return `${head}, ${formatRate(event.rateBytesPerSecond)} on average ${blobs}`
  const waiting = event.waitingOn?.length ? `, waiting on ${event.waitingOn.join(', ')}` : ''
  if (estimate.rateBytesPerSecond === undefined) return `${head}${inFlight(event.active)}${waiting} ${blobs}`
  const left =
    estimate.secondsLeft === undefined ? '' : `, about ${formatDuration(estimate.secondsLeft)} left`
  return `${head}, ${formatRate(estimate.rateBytesPerSecond)}${left}${waiting} ${blobs}`
}

/** A bar of `width` cells, `#` for done and `-` for the rest (rounded down). */
export function progressBar(bytes: number, size: number, width = 20): string {
  const full = Math.floor((percentDone(bytes, size) * width) / 100)
  return `[${'#'.repeat(full)}${'-'.repeat(width - full)}]`
}

/**
 * One blob in transfer, for the live display: short digest (algorithm and 12 hex digits), bar,
 * percent and bytes, e.g. `sha256:0123456789ab [######--------------]  30% 12.0 MiB of 40.0 MiB`;
 * a blob that is only mounted (size 0 in the event) reads `sha256:0123456789ab mounting`.
 */
export function blobLine(blob: ProgressEvent['active'][number]): string {
  const short = shortDigest(blob.digest)
  if (blob.size === 0) return `${short} mounting`
  const percent = String(percentDone(blob.bytes, blob.size)).padStart(3)
  return `${short} ${progressBar(blob.bytes, blob.size)} ${percent}% ${formatBytes(blob.bytes)} of ${formatBytes(blob.size)}`
}
