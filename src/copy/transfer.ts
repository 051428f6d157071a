/**
 * One blob move of the plan, carried out as planned (distribution-spec "Pushing blobs", "Mounting
 * a blob from another repository"): each delivery mounts from where the plan says or opens an
 * upload session, the blob is read once for every session (fanout.ts), and a delivery that mounts
 * from a target streamed in the same move waits for it. Only 201 means mounted: a mount answered
 * 202 streams into the session it opened, a mount refused with an error streams into a fresh one.
 * A target that failed is tried again with a fresh session (the source read again) as often as the
 * client's RetryPolicy allows (scope `delivery`; by default twice more after a temporary failure of
 * a request tried once, such as a streamed PUT cut; not after one the transport retried already),
 * its last error then saying how many attempts were made; one that refused a monolithic PUT with
 * 413 is tried once more in chunks.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { DEFAULT_UPLOAD_MODE } from './defaults.js'
import type { RegistryApi, Repository, UploadSession } from '../registry/api.js'
import { RegistryError } from '../registry/errors.js'
import { DEFAULT_RETRY_POLICY } from '../registry/retry.js'
import type { Descriptor } from '../oci/manifest.js'
import type { Logger } from '../logger.js'
import { fanOut, readsWhole, type FanOutOptions, type UploadMode } from './fanout.js'
import type { BlobDelivery, BlobMove } from './plan.js'
import { formatRepo } from './targets.js'
import type { OpenUpload, UploadStateStore } from './resume.js'

/** What happened at one target (target identity). */
export type BlobOutcome =
  | {
      target: string
      action: 'mounted' | 'copied'
      /** bytes sent in this run (a resumed upload: those its kept session did not hold) */
      bytes: number
      /** bytes a resumed upload's kept session already held */
      resumed?: number
    }
  | { target: string; action: 'failed'; error: Error }

export interface TransferOptions {
  api: RegistryApi
  source: Repository
  /** default `monolithic` */
  uploadMode?: UploadMode
  /** bytes per PATCH in chunked uploads */
  chunkSize?: number
  log: Logger
  /** source bytes of this blob as they are read */
  onBytes?: (n: number) => void
  /** before each further read of the source (retry, chunked fallback) */
  onRestart?: () => void
  /** bytes of this blob each target acknowledged in this run (fanout.ts FanOutOptions.onLanded) */
  onLanded?: (target: string, bytes: number) => void
  /** the targets the others of this blob wait on, [] when none (fanout.ts FanOutOptions.onHeld) */
  onHeld?: (targets: string[]) => void
  /** bytes of this blob every upload's kept session already held (fanout.ts FanOutOptions.onResumed) */
  onResumed?: (bytes: number) => void
  /** stops the transfer: its uploads are cancelled (fanout.ts) */
  signal?: AbortSignal
  /** kept chunked uploads, for resuming (resume.ts) */
  state?: UploadStateStore
  /** an upload session the registry kept although it was cancelled (fanout.ts) */
  onSessionLeft?: (target: string) => void
}

/** Mounts `digest` from `from` (201), or opens a session (the mount's 202, or a fresh one). */
async function open(
  api: RegistryApi,
  repo: Repository,
  digest: string,
  from?: Repository
): Promise<UploadSession | undefined> {
  if (from) {
    try {
      const r = await api.startUpload(repo, { digest, from: from.repository })
      return r.mounted ? undefined : r.session
    } catch {
      // a mount answered 401/404/… falls back to a plain upload session
    }
  }
  const r = await api.startUpload(repo)
  if (r.mounted) throw new Error('unexpected mount')
  return r.session
}

/**
 * The source blob's GET, sent now (beside the upload POSTs) when some delivery streams for sure (no
 * mount to try): a small blob's whole bytes (fanout.ts readsWhole), else its body, whose first
 * bytes wait in the stream, under back-pressure, until the uploads are open. Its error is kept
 * (the promise's rejection, the stream's `errored`) for fanOut; `stop` ends the whole read (an abort, only while it has not settled).
 */
function readEarly(
  opts: TransferOptions,
  blob: Descriptor,
  streams: boolean,
  mode: UploadMode
): Pick<FanOutOptions, 'body' | 'bytes'> & { stop?: () => void } {
  if (!streams) return {}
  if (readsWhole(blob.size, mode)) {
    const reading = new AbortController()
    const bytes = opts.api.readBlobBytes(opts.source, blob.digest, blob.size, { signal: reading.signal })
    // a read that has settled needs no abort (each abort makes a DOMException, a stack trace)
    let settled = false
    bytes.then(
      () => (settled = true),
      () => (settled = true)
    )
    return { bytes, stop: () => void (settled || reading.abort()) }
  }
  // monolithic uploads write every chunk once (fanout.ts), so its read buffers may be reused
  const body = opts.api.readBlob(opts.source, blob.digest, blob.size, { reuse: mode !== 'chunked' })
  body.on('error', () => undefined)
  body.read(0)
  return { body }
}

/**
 * Opens every delivery at once (mounting `from` where given), then streams to those that got a
 * session; the source GET goes out with the POSTs when a delivery has no mount to try. A source
 * failure fails those uploads and is returned as `sourceError`, not thrown.
 */
async function deliver(
  opts: TransferOptions,
  blob: Descriptor,
  deliveries: Array<{ d: BlobDelivery; from?: Repository }>,
  mode: UploadMode
): Promise<{ outcomes: BlobOutcome[]; sourceError?: Error }> {
  const early = readEarly(
    opts,
    blob,
    deliveries.some(x => !x.from),
    mode
  )
  try {
    return await deliverWith(opts, blob, deliveries, mode, early)
  } finally {
    // the read ends with the delivery, whether fanOut took it or no upload opened
    early.body?.destroy()
    early.stop?.()
  }
}

/** deliver(), with the source's bytes or body already asked for (or not). */
async function deliverWith(
  opts: TransferOptions,
  blob: Descriptor,
  deliveries: Array<{ d: BlobDelivery; from?: Repository }>,
  mode: UploadMode,
  early: Pick<FanOutOptions, 'body' | 'bytes'>
): Promise<{ outcomes: BlobOutcome[]; sourceError?: Error }> {
  const outcomes: BlobOutcome[] = []
  const uploads: OpenUpload[] = []
  await Promise.all(
    deliveries.map(async ({ d, from }) => {
      try {
        const session = await open(opts.api, d.repo, blob.digest, from)
        if (session) uploads.push({ target: d.target, session })
        else outcomes.push({ target: d.target, action: 'mounted', bytes: 0 })
      } catch (e) {
        outcomes.push({ target: d.target, action: 'failed', error: e as Error })
      }
    })
  )
  if (uploads.length === 0) return { outcomes }
  try {
    const landings = await fanOut(opts.api, opts.source, blob, uploads, { ...opts, mode, ...early })
    for (const { target, error, resumed = 0 } of landings)
      outcomes.push(
        error
          ? { target, action: 'failed', error }
          : { target, action: 'copied', bytes: blob.size - resumed, ...(resumed ? { resumed } : {}) }
      )
    return { outcomes }
  } catch (e) {
    for (const u of uploads) outcomes.push({ target: u.target, action: 'failed', error: e as Error })
    return { outcomes, sourceError: e as Error }
  }
}

/**
 * One try of `deliveries`: first every delivery that does not wait — mounts from the source or a
 * holder, streams, and mounts from a lead not streamed in this try (from it when it already got
 * the blob, in `held`; else streamed) — then those waiting for a lead streamed in this try: mounted
 * from it when it got the blob, else streamed (a second read), or failed with the source's error.
 */
async function attempt(
  opts: TransferOptions,
  blob: Descriptor,
  deliveries: BlobDelivery[],
  mode: UploadMode,
  held: Set<string>
): Promise<BlobOutcome[]> {
  const streamed = new Set(deliveries.filter(d => !d.mountFrom).map(d => d.target))
  const waits = (d: BlobDelivery): boolean => d.after !== undefined && streamed.has(d.after)
  const first = await deliver(
    opts,
    blob,
    deliveries
      .filter(d => !waits(d))
      .map(d => ({ d, from: !d.after || held.has(d.after) ? d.mountFrom : undefined })),
    mode
  )
  const later = deliveries.filter(waits)
  if (later.length === 0) return first.outcomes
  const { sourceError } = first
  if (sourceError)
    return [
      ...first.outcomes,
      ...later.map(d => ({ target: d.target, action: 'failed' as const, error: sourceError }))
    ]
  const got = new Set(first.outcomes.filter(o => o.action !== 'failed').map(o => o.target))
  const second = await deliver(
    opts,
    blob,
    later.map(d => ({ d, from: got.has(d.after as string) ? d.mountFrom : undefined })),
    mode
  )
  return [...first.outcomes, ...second.outcomes]
}

/** A monolithic PUT the registry refused for its size (413): that target gets a chunked upload. */
function refusedMonolithic(e: Error): boolean {
  return e instanceof RegistryError && e.status === 413 && e.method === 'PUT'
}

/**
 * A delivery's last error with the policy's reason for attempting it no more (`gave up after 3
 * attempts`): `PUT URL: connection closed by the registry (ECONNRESET) (this target's delivery
 * gave up after 3 attempts, each started afresh)`, so the message counts what was done; `cause`
 * is the error.
 */
function gaveUp(e: Error, reason: string): Error {
  return new Error(`${e.message} (this target's delivery ${reason}, each started afresh)`, { cause: e })
}

/**
 * Carries out one blob move for the `live` deliveries (see the module comment): each target ends
 * mounted, copied (`bytes` written through the client) or failed. A failed delivery is attempted
 * again while `opts.api.retryPolicy` (scope `delivery`, attempt = attempts made − 1) says so, after
 * the longest wait it asks for the targets of that round (ms). Never throws: a source failure fails
 * every delivery it reached.
 */
export async function transferBlob(
  opts: TransferOptions,
  move: BlobMove,
  live: BlobDelivery[]
): Promise<BlobOutcome[]> {
  const { blob } = move
  const mode = opts.uploadMode ?? DEFAULT_UPLOAD_MODE
  const byTarget = new Map(live.map(d => [d.target, d]))
  const done: BlobOutcome[] = []
  const held = new Set<string>()
  const settle = (o: BlobOutcome): void => {
    done.push(o)
    if (o.action !== 'failed') held.add(o.target)
  }
  const names = (ds: BlobDelivery[]): string => ds.map(d => formatRepo(d.repo)).join(', ')
  const policy = opts.api.retryPolicy ?? DEFAULT_RETRY_POLICY
  const started = Date.now()
  let pending = live
  for (let tries = 0; ; tries++) {
    const retry: BlobDelivery[] = []
    const chunked: BlobDelivery[] = []
    let waitMs = 0
    for (const o of await attempt(opts, blob, pending, mode, held)) {
      const d = byTarget.get(o.target) as BlobDelivery
      if (o.action === 'failed' && mode !== 'chunked' && refusedMonolithic(o.error)) chunked.push(d)
      else if (o.action === 'failed') {
        const now = Date.now()
        const decision = policy.decide({
          scope: 'delivery',
          attempt: tries,
          elapsedMs: now - started,
          now,
          failure: { error: o.error }
        })
        if (decision.retry) {
          retry.push(d)
          waitMs = Math.max(waitMs, decision.delayMs)
        } else settle(decision.reason ? { ...o, error: gaveUp(o.error, decision.reason) } : o)
      } else settle(o)
    }
    if (chunked.length) {
      opts.log.debug(
        `blob ${blob.digest}: ${names(chunked)} refused a monolithic upload; uploading in chunks`
      )
      opts.onRestart?.()
      for (const o of await attempt(opts, blob, chunked, 'chunked', held)) settle(o)
    }
    if (retry.length === 0) return done
    opts.log.debug(`blob ${blob.digest}: retrying ${names(retry)} after a transient failure`)
    // aborted while waiting: the next attempt fails at once with the signal's reason
    if (waitMs > 0) await sleep(waitMs, undefined, { signal: opts.signal }).catch(() => undefined)
    pending = retry
    opts.onRestart?.()
  }
}
