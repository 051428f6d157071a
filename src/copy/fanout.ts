/**
 * One read → N sinks (distribution-spec "Pushing blobs"): the blob is read ONCE from the source
 * and written to every open upload session at once, with backpressure (the next bytes are read
 * when every live sink has taken the last ones). Two kinds of sink: monolithic (one streaming PUT,
 * end-6) and chunked (PATCH chunks of exactly the chunk size, end-5, then an empty closing PUT).
 * The digest and size are checked while the bytes stream, and the bytes that complete the blob are
 * handed to the sinks only once the digest is confirmed, so a corrupted blob is never completed at
 * any target. One sink's failure ends only that sink's upload; a source failure or a digest
 * mismatch abandons (and cancels) every upload and is thrown. A small blob of a monolithic upload
 * (readsWhole) is not streamed: read whole into one Buffer, checked, then PUT from that Buffer.
 */
import { PassThrough, Transform, pipeline, type Readable } from 'node:stream'
import type { RegistryApi, Repository, UploadSession } from '../registry/api.js'
import { DigestMismatchError } from '../registry/errors.js'
import { DigestVerifier, digestProblem } from '../oci/digest.js'
import type { Descriptor } from '../oci/manifest.js'
import type { Logger } from '../logger.js'
import {
  closeSession,
  patchFrame,
  resumeUploads,
  type ClaimedUpload,
  type OpenUpload,
  type UploadStateStore
} from './resume.js'
import { holdChunk } from '../registry/read-buffers.js'
import { checkBlobBytes } from '../registry/small-blob.js'
import { onAbort, untilAborted } from '../abort.js'
import { DEFAULT_CHUNK_SIZE } from './defaults.js'
import { SLOT_BYTES } from './limiter.js'

export type UploadMode = 'monolithic' | 'chunked'

export interface FanOutOptions {
  mode: UploadMode
  /** bytes per PATCH in chunked mode (default 8 MiB; raised to the largest OCI-Chunk-Min-Length) */
  chunkSize?: number
  /** called with the number of source bytes as they are read */
  onBytes?: (n: number) => void
  /**
   * called with the bytes of the blob `target` has acknowledged so far in this upload, less those
   * its sessions held before (onResumed): after each PATCH answered, all of them when the closing
   * PUT is answered, 0 when its upload failed
   */
  onLanded?: (target: string, bytes: number) => void
  /**
   * with two uploads or more: called when some have taken every byte read so far (or landed the
   * blob) and wait on the others, with the targets of those others; with [] once none is waited
   * on. Which target holds a fan-out back (copy/progress.ts names it).
   */
  onHeld?: (targets: string[]) => void
  /**
   * called once, before any byte is sent, when every upload resumes a kept session: with the bytes
   * the least advanced one held (not sent again, so not counted by onLanded)
   */
  onResumed?: (bytes: number) => void
  /** aborting it destroys the source stream: every upload is cancelled and the reason thrown */
  signal?: AbortSignal
  /** where chunked uploads keep their session and offset for a later resume (resume.ts) */
  state?: UploadStateStore
  /** called for each upload session the registry kept although it was cancelled (DELETE refused) */
  onSessionLeft?: (target: string) => void
  /** `-v` lines: resuming or restarting a kept upload, continuing a session (resume.ts) */
  log?: Logger
  /**
   * the source blob's body, already asked for (transfer.ts sends the GET beside the upload POSTs);
   * default: read here with `api.readBlob`. Its error, even one that came before, is the source's.
   */
  body?: Readable
  /**
   * the source blob's bytes, already asked for whole (readsWhole; transfer.ts sends the GET beside
   * the upload POSTs); default: read here with `api.readBlobBytes`. Its rejection is the source's.
   */
  bytes?: Promise<Buffer>
}

/**
 * True when a blob of `size` bytes is read whole into memory before its uploads instead of
 * streamed: monolithic uploads of blobs under limiter.ts SLOT_BYTES (1 MiB), whose transfers the
 * host limiter weighs so that at most about (slots + 1) × 1 MiB of them are in flight per host.
 * One GET into one Buffer, hashed once, and one PUT of that Buffer per target: no stream stage,
 * pipe or per-chunk step (100 blobs of 50 KB: our CPU 0.49 → 0.41 s, docs/benchmarks.md).
 */
export function readsWhole(size: number, mode: UploadMode): boolean {
  return mode === 'monolithic' && size < SLOT_BYTES
}

/** Cancels one upload's session (end-14); `onSessionLeft` hears of a session the registry kept. */
async function cancel(
  api: RegistryApi,
  upload: { target: string; session: UploadSession },
  opts: FanOutOptions
): Promise<void> {
  if (!(await api.cancelUpload(upload.session))) opts.onSessionLeft?.(upload.target)
}

/** Destroys `body` with the signal's reason when `signal` aborts; returns the cleanup (abort.ts: one listener per signal). */
function abortOn(body: { destroy(e?: Error): unknown }, signal?: AbortSignal): () => void {
  return onAbort(signal, () => void body.destroy(signal?.reason as Error))
}

/**
 * The set of targets holding a fan-out back, as `onHeld` last heard it: kept across the steps of
 * one pump (each chunk's writes), so onHeld hears the set only when it changes (the steady state
 * "the same target is slow" is one comparison per chunk, not [slow] then [] every chunk).
 */
class HeldState {
  private last: string[] = []
  constructor(readonly onHeld?: (targets: string[]) => void) {}

  /** Tells onHeld `targets` (in the fan-out's order) unless it is the set it heard last. */
  set(targets: string[]): void {
    const { last, onHeld } = this
    if (!onHeld || (targets.length === last.length && targets.every((t, i) => t === last[i]))) return
    this.last = targets
    onHeld(targets)
  }
}

/**
 * Awaits one step of every upload (`waits[i]` is `targets[i]`'s; undefined: done at once). While
 * some are done and others not, `held` hears the targets not done (they hold the rest back) each
 * time that set changes, and [] at the end unless `keep` (a pump's chunk: the next chunk, or the
 * pump's end, says what holds it then).
 */
async function awaitEach(
  targets: string[],
  waits: Array<Promise<unknown> | undefined>,
  held: HeldState,
  keep = false
): Promise<void> {
  if (!held.onHeld || targets.length < 2) return void (await Promise.all(waits))
  const left = new Set(waits.flatMap((w, i) => (w ? [i] : [])))
  const report = (): void => {
    if (!left.size || left.size === targets.length) return
    held.set(targets.filter((_, i) => left.has(i)))
  }
  report()
  await Promise.all(
    waits.map((w, i) =>
      w?.finally(() => {
        left.delete(i)
        report()
      })
    )
  )
  if (!keep) held.set([])
}

/** One target's end of a fan-out: it holds the blob now, or `error` says why not. */
export interface Landing {
  target: string
  error?: Error
  /** bytes its session held before this run (a resumed upload; not sent again) */
  resumed?: number
}

interface Sink {
  readonly target: string
  readonly session: UploadSession
  /** bytes the session held when this run took it (a resumed chunked upload), else 0 */
  readonly held: number
  error?: Error
  /** takes the next bytes; a promise when it cannot take more until that resolves */
  write(frame: Buffer): Promise<void> | undefined
  /** every byte was written and the digest checked: close the upload (no-op after a failure) */
  end(): Promise<void>
  /** give the upload up */
  abort(e: Error): Promise<void>
  /** drop its kept state (chunked uploads, resume.ts), once its session is cancelled */
  forget?(): Promise<void>
}

/**
 * Resolves when `pipe` has drained or is gone. A write to a stream the upload already destroyed
 * (its connection was reset) returns false too, and its 'close' may have fired already: waiting for
 * it then would stall every other target.
 */
function drained(pipe: PassThrough): Promise<void> {
  if (pipe.destroyed) return Promise.resolve()
  return new Promise(resolve => {
    const done = (): void => {
      pipe.off('drain', done)
      pipe.off('close', done)
      resolve()
    }
    pipe.on('drain', done)
    pipe.on('close', done)
  })
}

/** A sink that streams the blob into one monolithic PUT, started at once. */
function monolithicSink(
  api: RegistryApi,
  blob: Descriptor,
  { target, session }: OpenUpload,
  opts: FanOutOptions
): Sink {
  const pipe = new PassThrough({ highWaterMark: 1 << 20 })
  const sink: Sink = {
    target,
    session,
    held: 0,
    write: frame => (pipe.write(frame) ? undefined : drained(pipe)),
    end: async () => {
      if (!sink.error) pipe.end()
      await untilAborted(put, opts.signal).catch(fail)
    },
    abort: async e => {
      sink.error ??= e
      pipe.destroy(e)
      await untilAborted(put, opts.signal).catch(() => undefined)
    }
  }
  const fail = (e: Error): void => void (sink.error ??= e)
  const put = api.putBlob(session, blob.digest, blob.size, pipe).then(
    () => opts.onLanded?.(target, blob.size),
    (e: Error) => {
      sink.error ??= e
      pipe.destroy()
    }
  )
  return sink
}

/**
 * A sink that sends each frame as one PATCH at the next offset, then closes with an empty PUT. A
 * resumed session (`offset` > 0) skips the bytes it holds. After a failed PATCH or closing PUT the
 * session goes on from the offset the registry reports, as often as the client's RetryPolicy allows
 * (scope `session`; resume.ts patchFrame, closeSession). Each
 * acknowledged offset is kept through `claim` (resume.ts) until the upload is closed; onLanded
 * hears the bytes acknowledged in this run, above `base` (bytes held before it that are not counted).
 */
function chunkedSink(
  api: RegistryApi,
  blob: Descriptor,
  { upload, claim }: ClaimedUpload,
  base: number,
  opts: FanOutOptions
): Sink {
  const { target, session, offset: held = 0 } = upload
  const continuing = {
    log: opts.log,
    what: `blob ${blob.digest} to ${target}`
  }
  let offset = held
  let position = 0
  const fail = (e: Error): void => {
    if (!sink.error) opts.onLanded?.(target, 0)
    sink.error ??= e
  }
  if (held > base) opts.onLanded?.(target, held - base)
  const sink: Sink = {
    target,
    session,
    held,
    write: async frame => {
      const start = position
      position += frame.length
      if (position <= offset) return
      try {
        // a chunk in flight is let finish: a PATCH cut mid-body leaves a session that distribution
        // no longer lets anyone DELETE (its _state no longer matches the bytes it holds)
        offset = await patchFrame(api, session, frame, start, offset, continuing)
      } catch (e) {
        return fail(e as Error)
      }
      opts.onLanded?.(target, offset - base)
      await claim?.save(session, offset)
    },
    end: async () => {
      if (sink.error) return
      try {
        await closeSession(api, session, blob, continuing)
      } catch (e) {
        return fail(e as Error)
      }
      opts.onLanded?.(target, blob.size - base)
      await claim?.forget()
    },
    abort: async e => fail(e),
    forget: async () => await claim?.forget()
  }
  return sink
}

/** Cuts a stream into frames of exactly `size` bytes; `rest()` is the final, shorter frame. */
class Framer {
  private pending: Buffer[] = []
  private pendingBytes = 0
  constructor(private readonly size: number) {}

  push(chunk: Buffer): Buffer[] {
    this.pending.push(chunk)
    this.pendingBytes += chunk.length
    const frames: Buffer[] = []
    if (this.pendingBytes < this.size) return frames
    let all = Buffer.concat(this.pending, this.pendingBytes)
    while (all.length >= this.size) {
      frames.push(all.subarray(0, this.size))
      all = all.subarray(this.size)
    }
    this.pending = all.length ? [all] : []
    this.pendingBytes = all.length
    return frames
  }

  rest(): Buffer[] {
    return this.pendingBytes ? [Buffer.concat(this.pending, this.pendingBytes)] : []
  }
}

/**
 * Checks a blob's bytes as they stream: the digest at the last byte. The source reader never
 * delivers more than the descriptor's size (registry/client.ts readBlob cuts there: one rule).
 */
class BlobCheck {
  private readonly verifier: DigestVerifier
  private checked = false
  private readonly what: string
  constructor(
    source: Repository,
    private readonly blob: Descriptor
  ) {
    this.verifier = new DigestVerifier(blob.digest)
    this.what = `blob ${source.registry}/${source.repository}@${blob.digest}`
  }

  /** @throws DigestMismatchError when the bytes that complete it hash wrong */
  update(chunk: Buffer): void {
    const { verifier, blob } = this
    verifier.update(chunk)
    if (verifier.bytes === blob.size && !this.checked) this.verify(verifier.bytes)
  }

  /** @throws DigestMismatchError when the stream ended short (or an empty blob hashes wrong) */
  end(): void {
    const { verifier, blob } = this
    if (verifier.bytes !== blob.size) {
      const actual = `(stream ended after ${verifier.bytes} of ${blob.size} bytes)`
      throw new DigestMismatchError(this.what, blob.digest, actual, verifier.bytes)
    }
    if (!this.checked) this.verify(0)
  }

  private verify(bytes: number): void {
    this.checked = true
    const actual = this.verifier.digest()
    if (actual !== this.blob.digest)
      throw new DigestMismatchError(this.what, this.blob.digest, bytes ? actual : 'empty content', bytes)
  }
}

/** After an interruption: cancels the uploads that did not land and forgets their kept state. */
async function cancelInterrupted(api: RegistryApi, sinks: Sink[], opts: FanOutOptions): Promise<void> {
  const open = sinks.filter(s => s.error)
  await Promise.all(open.map(s => cancel(api, s, opts)))
  await Promise.all(open.map(s => s.forget?.()))
}

/** Reads the blob once and hands every checked byte to the live sinks; stops when none is left. */
async function pump(
  api: RegistryApi,
  source: Repository,
  blob: Descriptor,
  sinks: Sink[],
  framer: Framer | undefined,
  opts: Pick<FanOutOptions, 'onBytes' | 'onHeld' | 'signal' | 'body'>
): Promise<void> {
  const { onBytes, signal, body: given } = opts
  const check = new BlobCheck(source, blob)
  const held = new HeldState(opts.onHeld)
  const toLive = async (frames: Buffer[]): Promise<void> => {
    for (const frame of frames) {
      const live = sinks.filter(s => !s.error)
      // each live upload writes the chunk once: one hold came with it (a reused read buffer)
      holdChunk(frame, live.length - 1)
      const waits = live.map(s => s.write(frame))
      if (waits.some(w => w))
        await awaitEach(
          live.map(s => s.target),
          waits,
          held,
          true
        )
      else held.set([])
    }
  }
  // monolithic uploads write every chunk as it came; frames (chunked) are copies
  const body = given ?? api.readBlob(source, blob.digest, blob.size, { reuse: !framer })
  if (body.errored) throw body.errored
  const release = abortOn(body, signal)
  try {
    for await (const raw of body) {
      const chunk = raw as Buffer
      onBytes?.(chunk.length)
      check.update(chunk)
      if (sinks.every(s => s.error)) return
      await toLive(framer ? framer.push(chunk) : [chunk])
    }
    check.end()
    await toLive(framer?.rest() ?? [])
  } finally {
    held.set([])
    release()
    body.destroy()
  }
}

/**
 * A stream stage that checks the blob as its bytes pass (BlobCheck) and holds back the chunk that
 * completes it until the digest is confirmed: on a mismatch, a short or a long stream the stage
 * fails with the DigestMismatchError (kept in `failure`) and the last bytes are never passed on.
 */
function checkedStage(
  check: BlobCheck,
  onBytes: ((n: number) => void) | undefined,
  fail: (e: Error) => void
): Transform {
  let held: Buffer | undefined
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      onBytes?.(chunk.length)
      try {
        check.update(chunk)
      } catch (e) {
        fail(e as Error)
        done(e as Error)
        return
      }
      if (held) this.push(held)
      held = chunk
      done()
    },
    flush(done) {
      try {
        check.end()
      } catch (e) {
        fail(e as Error)
        done(e as Error)
        return
      }
      done(null, held)
    }
  })
}

/**
 * One monolithic upload: the source body piped through checkedStage straight into the PUT body
 * (no per-chunk loop or extra buffer between them).
 * @throws the source's error or DigestMismatchError, after cancelling the upload
 */
async function pipeOne(
  api: RegistryApi,
  source: Repository,
  blob: Descriptor,
  upload: OpenUpload,
  opts: FanOutOptions
): Promise<Landing[]> {
  const { onBytes } = opts
  let sourceError: Error | undefined
  const fail = (e: Error): void => void (sourceError ??= e)
  const body = opts.body ?? api.readBlob(source, blob.digest, blob.size, { reuse: true })
  if (body.errored) fail(body.errored)
  const stage = checkedStage(new BlobCheck(source, blob), onBytes, fail)
  // a read error is the source's; an error the pipeline passes back after the upload destroyed the
  // stage (the target reset the PUT) is the target's, and putBlob reports it
  body.once('error', e => void (stage.destroyed || fail(e)))
  pipeline(body, stage, () => undefined)
  const release = abortOn(body, opts.signal)
  let error: Error | undefined
  try {
    await untilAborted(api.putBlob(upload.session, blob.digest, blob.size, stage), opts.signal)
    if (!sourceError) opts.onLanded?.(upload.target, blob.size)
  } catch (e) {
    error = e as Error
  } finally {
    release()
    body.destroy()
    stage.destroy()
  }
  if (sourceError) {
    await cancel(api, upload, opts)
    throw sourceError
  }
  if (error && opts.signal?.aborted) await cancel(api, upload, opts)
  return [{ target: upload.target, error }]
}

/**
 * A small blob's fan-out (readsWhole): its bytes read whole (`opts.bytes`, else read here) and
 * checked (size, digest) before any upload body is sent, then one PUT of that Buffer to every
 * upload at once.
 * @returns one landing per upload, in order: `error` set where that target's PUT failed
 * @throws the source's error, DigestMismatchError, or the signal's reason while the bytes were
 *   awaited; every upload is then cancelled
 */
async function wholeFanOut(
  api: RegistryApi,
  source: Repository,
  blob: Descriptor,
  uploads: OpenUpload[],
  opts: FanOutOptions
): Promise<Landing[]> {
  let bytes: Buffer
  // a read of our own stops with the signal, as pipeOne's stream does (abort.ts: one listener)
  const reading = opts.bytes ? undefined : new AbortController()
  const release = onAbort(reading && opts.signal, () => reading?.abort(opts.signal?.reason))
  try {
    const read = opts.bytes ?? api.readBlobBytes(source, blob.digest, blob.size, { signal: reading?.signal })
    bytes = await untilAborted(read, opts.signal)
    opts.onBytes?.(bytes.length)
    checkBlobBytes(source, blob, bytes)
  } catch (e) {
    await Promise.all(uploads.map(u => cancel(api, u, opts)))
    throw e
  } finally {
    release()
  }
  const put = async ({ target, session }: OpenUpload): Promise<Landing> => {
    try {
      await untilAborted(api.putBlob(session, blob.digest, blob.size, bytes), opts.signal)
    } catch (e) {
      if (opts.signal?.aborted) await cancel(api, { target, session }, opts)
      return { target, error: e as Error }
    }
    opts.onLanded?.(target, blob.size)
    return { target }
  }
  const landings = uploads.map(put)
  await awaitEach(
    uploads.map(u => u.target),
    landings,
    new HeldState(opts.onHeld)
  )
  return await Promise.all(landings)
}

/**
 * Writes `blob` (read once from `source`) to every open upload (see the module comment). A small
 * blob is read whole (wholeFanOut); a single monolithic upload of a larger one is one pipe (pipeOne).
 * @returns one landing per upload, in order: `error` set where that target failed
 * @throws the source's error, or DigestMismatchError; every upload is then cancelled
 */
export async function fanOut(
  api: RegistryApi,
  source: Repository,
  blob: Descriptor,
  uploads: OpenUpload[],
  opts: FanOutOptions
): Promise<Landing[]> {
  const unusable = digestProblem(blob.digest)
  if (unusable) {
    // before any upload body is opened, so no PUT is left waiting for bytes that never come
    await Promise.all(uploads.map(u => api.cancelUpload(u.session)))
    throw new Error(`blob ${source.registry}/${source.repository}: digest ${unusable}`)
  }
  if (readsWhole(blob.size, opts.mode)) return await wholeFanOut(api, source, blob, uploads, opts)
  if (opts.mode !== 'chunked' && uploads.length === 1)
    return await pipeOne(api, source, blob, uploads[0], opts)
  const claimed =
    opts.mode === 'chunked' && opts.state
      ? await resumeUploads(api, opts.state, blob, uploads, opts.log)
      : uploads.map((upload): ClaimedUpload => ({ upload }))
  try {
    return await fanOutClaimed(api, source, blob, claimed, opts)
  } finally {
    await Promise.all(claimed.map(c => c.claim?.release()))
  }
}

/** fanOut once each chunked upload's kept state is claimed (resume.ts); see fanOut. */
async function fanOutClaimed(
  api: RegistryApi,
  source: Repository,
  blob: Descriptor,
  claimed: ClaimedUpload[],
  opts: FanOutOptions
): Promise<Landing[]> {
  const chunked = opts.mode === 'chunked'
  const minimum = Math.max(0, ...claimed.map(c => c.upload.session.chunkMinLength ?? 0))
  const framer = chunked ? new Framer(Math.max(opts.chunkSize ?? DEFAULT_CHUNK_SIZE, minimum)) : undefined
  const base = Math.min(...claimed.map(c => c.upload.offset ?? 0), blob.size)
  if (base > 0) opts.onResumed?.(base)
  // a fresh session is kept before its first PATCH: a run killed before any byte landed leaves it
  // to the next run (resumed at byte 0) rather than to the registry's purge
  if (chunked)
    await Promise.all(claimed.map(c => (c.upload.offset ? undefined : c.claim?.save(c.upload.session, 0))))
  const sinks = claimed.map(c =>
    chunked ? chunkedSink(api, blob, c, base, opts) : monolithicSink(api, blob, c.upload, opts)
  )
  try {
    await pump(api, source, blob, sinks, framer, opts)
  } catch (e) {
    await Promise.all(sinks.map(s => s.abort(e as Error)))
    await Promise.all(sinks.map(s => cancel(api, s, opts)))
    await Promise.all(sinks.map(s => s.forget?.()))
    throw e
  }
  await awaitEach(
    sinks.map(s => s.target),
    sinks.map(s => s.end()),
    new HeldState(opts.onHeld)
  )
  if (opts.signal?.aborted) await cancelInterrupted(api, sinks, opts)
  return sinks.map(s => ({ target: s.target, error: s.error, ...(s.held ? { resumed: s.held } : {}) }))
}
