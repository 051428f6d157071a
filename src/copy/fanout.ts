/**
 * One read → N sinks (distribution-spec "Pushing blobs"): the blob is read ONCE from the source
 * and written to every open upload session at once, with backpressure (the next bytes are read
 * when every live sink has taken the last ones). Two kinds of sink: monolithic (one streaming PUT,
 * end-6) and chunked (PATCH chunks of exactly the chunk size, end-5, then an empty closing PUT).
 * The digest and size are checked while the bytes stream, and the bytes that complete the blob are
 * handed to the sinks only once the digest is confirmed, so a corrupted blob is never completed at
 * any target. One sink's failure ends only that sink's upload; a source failure or a digest
 * mismatch abandons (and cancels) every upload and is thrown.
 */
import { PassThrough, Transform, pipeline } from 'node:stream'
import type { RegistryApi, Repository, UploadSession } from '../registry/api.js'
import { DigestMismatchError } from '../registry/errors.js'
import { DigestVerifier, digestProblem } from '../oci/digest.js'
import type { Descriptor } from '../oci/manifest.js'

export type UploadMode = 'monolithic' | 'chunked'

/** An upload session open at one target (target identity, targets.ts targetKey). */
export interface OpenUpload {
  target: string
  session: UploadSession
}

export interface FanOutOptions {
  mode: UploadMode
  /** bytes per PATCH in chunked mode (default 8 MiB; raised to the largest OCI-Chunk-Min-Length) */
  chunkSize?: number
  /** called with the number of source bytes as they are read */
  onBytes?: (n: number) => void
}

/** One target's end of a fan-out: it holds the blob now, or `error` says why not. */
export interface Landing {
  target: string
  error?: Error
}

interface Sink {
  readonly target: string
  readonly session: UploadSession
  error?: Error
  /** takes the next bytes; a promise when it cannot take more until that resolves */
  write(frame: Buffer): Promise<void> | undefined
  /** every byte was written and the digest checked: close the upload (no-op after a failure) */
  end(): Promise<void>
  /** give the upload up */
  abort(e: Error): Promise<void>
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
function monolithicSink(api: RegistryApi, blob: Descriptor, { target, session }: OpenUpload): Sink {
  const pipe = new PassThrough({ highWaterMark: 1 << 20 })
  const sink: Sink = {
    target,
    session,
    write: frame => (pipe.write(frame) ? undefined : drained(pipe)),
    end: async () => {
      if (!sink.error) pipe.end()
      await put
    },
    abort: async e => {
      sink.error ??= e
      pipe.destroy(e)
      await put
    }
  }
  const put = api.putBlob(session, blob.digest, blob.size, pipe).catch((e: Error) => {
    sink.error ??= e
    pipe.destroy()
  })
  return sink
}

/** A sink that sends each frame as one PATCH at the next offset, then closes with an empty PUT. */
function chunkedSink(api: RegistryApi, blob: Descriptor, { target, session }: OpenUpload): Sink {
  let offset = 0
  const fail = (e: Error): void => void (sink.error ??= e)
  const sink: Sink = {
    target,
    session,
    write: async frame => {
      await api.patchChunk(session, offset, frame).catch(fail)
      offset += frame.length
    },
    end: async () => {
      if (!sink.error) await api.finishChunked(session, blob.digest, blob.size).catch(fail)
    },
    abort: async e => fail(e)
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

/** Checks a blob's bytes as they stream: never more than its size, the digest at the last byte. */
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

  /** @throws DigestMismatchError past the size, or when the bytes that complete it hash wrong */
  update(chunk: Buffer): void {
    const { verifier, blob } = this
    verifier.update(chunk)
    if (verifier.bytes > blob.size)
      throw new DigestMismatchError(this.what, blob.digest, '(more bytes than its size)', verifier.bytes)
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

/** Reads the blob once and hands every checked byte to the live sinks; stops when none is left. */
async function pump(
  api: RegistryApi,
  source: Repository,
  blob: Descriptor,
  sinks: Sink[],
  framer: Framer | undefined,
  onBytes?: (n: number) => void
): Promise<void> {
  const check = new BlobCheck(source, blob)
  const toLive = async (frames: Buffer[]): Promise<void> => {
    for (const frame of frames) {
      const waits = sinks.filter(s => !s.error).map(s => s.write(frame))
      if (waits.some(w => w)) await Promise.all(waits)
    }
  }
  const body = api.readBlob(source, blob.digest, blob.size)
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
  onBytes?: (n: number) => void
): Promise<Landing[]> {
  let sourceError: Error | undefined
  const fail = (e: Error): void => void (sourceError ??= e)
  const body = api.readBlob(source, blob.digest, blob.size)
  const stage = checkedStage(new BlobCheck(source, blob), onBytes, fail)
  // a read error is the source's; an error the pipeline passes back after the upload destroyed the
  // stage (the target reset the PUT) is the target's, and putBlob reports it
  body.once('error', e => void (stage.destroyed || fail(e)))
  pipeline(body, stage, () => undefined)
  let error: Error | undefined
  try {
    await api.putBlob(upload.session, blob.digest, blob.size, stage)
  } catch (e) {
    error = e as Error
  } finally {
    body.destroy()
    stage.destroy()
  }
  if (sourceError) {
    await api.cancelUpload(upload.session)
    throw sourceError
  }
  return [{ target: upload.target, error }]
}

/**
 * Writes `blob` (read once from `source`) to every open upload (see the module comment). A single
 * monolithic upload is one pipe (pipeOne).
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
  const chunked = opts.mode === 'chunked'
  if (!chunked && uploads.length === 1) return await pipeOne(api, source, blob, uploads[0], opts.onBytes)
  const minimum = Math.max(0, ...uploads.map(u => u.session.chunkMinLength ?? 0))
  const framer = chunked ? new Framer(Math.max(opts.chunkSize ?? 8 * 1024 * 1024, minimum)) : undefined
  const sinks = uploads.map(u => (chunked ? chunkedSink(api, blob, u) : monolithicSink(api, blob, u)))
  try {
    await pump(api, source, blob, sinks, framer, opts.onBytes)
  } catch (e) {
    await Promise.all(sinks.map(s => s.abort(e as Error)))
    await Promise.all(sinks.map(s => api.cancelUpload(s.session)))
    throw e
  }
  await Promise.all(sinks.map(s => s.end()))
  return sinks.map(s => ({ target: s.target, error: s.error }))
}
