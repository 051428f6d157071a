/**
 * Copying one blob from a source repository to several target repositories at once
 * (distribution-spec "Pushing blobs", "Mounting a blob from another repository"):
 * - a target on the source's registry gets a cross-repository mount; only 201 means mounted, a 202
 *   hands back an upload session that joins the stream, an error falls back to a fresh session;
 * - every other target that lacks the blob gets an upload session, and the blob is read ONCE from
 *   the source and written to all of them at once (fan-out) with backpressure: the source is paused
 *   until every live target has drained;
 * - the digest and size are checked while the bytes stream, and the last chunk is held back until
 *   the digest is confirmed, so a corrupted blob is never completed at any target;
 * - one target's failure ends only that target's upload;
 * - a broken source download resumes from the next byte with `Range` (or restarts when the
 *   registry ignores it) without disturbing the target uploads (RegistryClient.readBlob).
 */
import { PassThrough, type Readable } from 'node:stream'
import type { Repository, RegistryClient, UploadSession } from '../registry/client.js'
import { DigestMismatchError } from '../registry/errors.js'
import { DigestVerifier } from '../oci/digest.js'
import type { Descriptor } from '../oci/manifest.js'

export type UploadMode = 'monolithic' | 'chunked'

export interface BlobCopyOptions {
  /** how to upload: one streaming PUT (default) or PATCH chunks then PUT */
  uploadMode?: UploadMode
  /** chunk size for chunked uploads, bytes (default 8 MiB; raised to the registry's minimum) */
  chunkSize?: number
  /** called with byte counts as they stream (source bytes read) */
  onBytes?: (n: number) => void
  /** repositories (other targets) that already hold the blob: a target on one of their registries mounts from them */
  donors?: Repository[]
}

/** What happened at one target. */
export type BlobOutcome =
  | { target: Repository; action: 'mounted' | 'copied'; bytes: number }
  | { target: Repository; action: 'failed'; error: Error }

function sameRegistry(a: Repository, b: Repository): boolean {
  return a.registry.toLowerCase() === b.registry.toLowerCase()
}

/**
 * Copies `blob` from `source` to every repository in `targets` (all of which lack it).
 * Targets that share a registry (other than the source's) are served once: a target there mounts
 * from a donor (another target that already holds the blob) or the blob is streamed to the first of
 * them (the lead) and mounted into the others from it; a follower whose mount does not answer 201
 * (or whose lead failed) gets the blob streamed from the source after all.
 * Never throws for a target's failure: each outcome says what happened. Throws only when the source
 * cannot be read or its bytes do not match the digest (DigestMismatchError) — then every target's
 * upload is abandoned.
 */
export async function copyBlob(
  client: RegistryClient,
  source: Repository,
  blob: Descriptor,
  targets: Repository[],
  opts: BlobCopyOptions = {}
): Promise<BlobOutcome[]> {
  const donors = opts.donors ?? []
  const leads: Repository[] = []
  const followers: Array<{ target: Repository; lead: Repository }> = []
  for (const target of targets) {
    const lead = sameRegistry(source, target)
      ? undefined
      : (donors.find(d => sameRegistry(d, target)) ?? leads.find(l => sameRegistry(l, target)))
    if (lead) followers.push({ target, lead })
    else leads.push(target)
  }
  const outcomes = await copyToLeads(client, source, blob, leads, opts)
  if (followers.length === 0) return outcomes
  const again: Repository[] = []
  await Promise.all(
    followers.map(async ({ target, lead }) => {
      if (donors.includes(lead) || outcomes.some(o => o.target === lead && o.action !== 'failed')) {
        try {
          const r = await client.startUpload(target, { digest: blob.digest, from: lead.repository })
          if (r.mounted) {
            outcomes.push({ target, action: 'mounted', bytes: 0 })
            return
          }
          await client.cancelUpload(r.session)
        } catch {
          // a refused mount falls back to streaming from the source
        }
      }
      again.push(target)
    })
  )
  if (again.length) outcomes.push(...(await copyToLeads(client, source, blob, again, opts)))
  return outcomes
}

/** copyBlob for targets on distinct registries (or the source's): mount from the source, else stream. */
async function copyToLeads(
  client: RegistryClient,
  source: Repository,
  blob: Descriptor,
  targets: Repository[],
  opts: BlobCopyOptions
): Promise<BlobOutcome[]> {
  const outcomes: BlobOutcome[] = []
  const streams: Array<{ target: Repository; session: UploadSession }> = []
  await Promise.all(
    targets.map(async target => {
      try {
        if (sameRegistry(source, target) && source.repository !== target.repository) {
          try {
            const r = await client.startUpload(target, { digest: blob.digest, from: source.repository })
            if (r.mounted) {
              outcomes.push({ target, action: 'mounted', bytes: 0 })
              return
            }
            streams.push({ target, session: r.session })
            return
          } catch {
            // a mount answered 401/404/… falls back to a plain upload session
          }
        }
        const r = await client.startUpload(target)
        if (r.mounted) throw new Error('unexpected mount')
        streams.push({ target, session: r.session })
      } catch (e) {
        outcomes.push({ target, action: 'failed', error: e as Error })
      }
    })
  )
  if (streams.length === 0) return outcomes
  if (opts.uploadMode === 'chunked') {
    outcomes.push(...(await fanOutChunked(client, source, blob, streams, opts)))
  } else {
    outcomes.push(...(await fanOutMonolithic(client, source, blob, streams, opts)))
  }
  return outcomes
}

interface Sink {
  target: Repository
  session: UploadSession
  pipe: PassThrough
  done: Promise<void>
  error?: Error
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

async function fanOutMonolithic(
  client: RegistryClient,
  source: Repository,
  blob: Descriptor,
  streams: Array<{ target: Repository; session: UploadSession }>,
  opts: BlobCopyOptions
): Promise<BlobOutcome[]> {
  const sinks: Sink[] = streams.map(({ target, session }) => {
    const pipe = new PassThrough({ highWaterMark: 1 << 20 })
    const sink: Sink = { target, session, pipe, done: Promise.resolve() }
    sink.done = client.putBlob(session, blob.digest, blob.size, pipe).catch((e: Error) => {
      sink.error ??= e
      pipe.destroy()
    })
    return sink
  })
  const abortAll = (e: Error): void => {
    for (const s of sinks) {
      s.error ??= e
      s.pipe.destroy(e)
    }
  }
  let body: Readable
  try {
    body = await client.readBlob(source, blob.digest, blob.size)
  } catch (e) {
    abortAll(e as Error)
    await Promise.all(sinks.map(s => s.done))
    await Promise.all(sinks.map(s => client.cancelUpload(s.session)))
    throw e
  }
  const verifier = new DigestVerifier(blob.digest)
  const what = `blob ${source.registry}/${source.repository}@${blob.digest}`
  try {
    for await (const raw of body) {
      const chunk = raw as Buffer
      verifier.update(chunk)
      opts.onBytes?.(chunk.length)
      if (verifier.bytes > blob.size)
        throw new DigestMismatchError(what, blob.digest, '(more bytes than its size)', verifier.bytes)
      if (verifier.bytes === blob.size) {
        const actual = verifier.digest()
        if (actual !== blob.digest) throw new DigestMismatchError(what, blob.digest, actual, verifier.bytes)
      }
      const live = sinks.filter(s => !s.error)
      if (live.length === 0) {
        body.destroy()
        return sinks.map(s => ({ target: s.target, action: 'failed' as const, error: s.error as Error }))
      }
      const waits: Array<Promise<void>> = []
      for (const s of live) if (!s.pipe.write(chunk)) waits.push(drained(s.pipe))
      if (waits.length) await Promise.all(waits)
    }
    if (verifier.bytes !== blob.size) {
      throw new DigestMismatchError(
        what,
        blob.digest,
        `(stream ended after ${verifier.bytes} of ${blob.size} bytes)`,
        verifier.bytes
      )
    }
    if (blob.size === 0 && verifier.digest() !== blob.digest) {
      throw new DigestMismatchError(what, blob.digest, 'empty content', 0)
    }
  } catch (e) {
    body.destroy()
    abortAll(e as Error)
    await Promise.all(sinks.map(s => s.done))
    await Promise.all(sinks.map(s => client.cancelUpload(s.session)))
    throw e
  }
  for (const s of sinks) if (!s.error) s.pipe.end()
  await Promise.all(sinks.map(s => s.done))
  return sinks.map(s =>
    s.error
      ? { target: s.target, action: 'failed' as const, error: s.error }
      : { target: s.target, action: 'copied' as const, bytes: blob.size }
  )
}

async function fanOutChunked(
  client: RegistryClient,
  source: Repository,
  blob: Descriptor,
  streams: Array<{ target: Repository; session: UploadSession }>,
  opts: BlobCopyOptions
): Promise<BlobOutcome[]> {
  const minimum = Math.max(0, ...streams.map(s => s.session.chunkMinLength ?? 0))
  const chunkSize = Math.max(opts.chunkSize ?? 8 * 1024 * 1024, minimum)
  const errors = new Map<UploadSession, Error>()
  const body = await client.readBlob(source, blob.digest, blob.size)
  const verifier = new DigestVerifier(blob.digest)
  const what = `blob ${source.registry}/${source.repository}@${blob.digest}`
  let offset = 0
  let pending: Buffer[] = []
  let pendingBytes = 0
  // sends the first `size` pending bytes (all when omitted) as one PATCH to every live session
  const flush = async (size = pendingBytes): Promise<void> => {
    if (size === 0) return
    const all = Buffer.concat(pending, pendingBytes)
    const chunk = all.subarray(0, size)
    pending = size < all.length ? [all.subarray(size)] : []
    pendingBytes = all.length - size
    await Promise.all(
      streams
        .filter(s => !errors.has(s.session))
        .map(s =>
          client.patchChunk(s.session, offset, chunk).catch((e: Error) => void errors.set(s.session, e))
        )
    )
    offset += chunk.length
  }
  try {
    for await (const raw of body) {
      const chunk = raw as Buffer
      verifier.update(chunk)
      opts.onBytes?.(chunk.length)
      pending.push(chunk)
      pendingBytes += chunk.length
      if (verifier.bytes > blob.size)
        throw new DigestMismatchError(what, blob.digest, '(more bytes than its size)', verifier.bytes)
      // chunks of exactly chunkSize bytes; the final chunk is held back until the digest is known
      while (pendingBytes > chunkSize || (pendingBytes === chunkSize && verifier.bytes < blob.size)) {
        await flush(chunkSize)
        if (streams.every(s => errors.has(s.session))) break
      }
      if (streams.every(s => errors.has(s.session))) {
        body.destroy()
        return streams.map(s => ({
          target: s.target,
          action: 'failed' as const,
          error: errors.get(s.session) as Error
        }))
      }
    }
    const actual = verifier.digest()
    if (actual !== blob.digest || verifier.bytes !== blob.size)
      throw new DigestMismatchError(what, blob.digest, actual, verifier.bytes)
    await flush()
  } catch (e) {
    body.destroy()
    await Promise.all(streams.map(s => client.cancelUpload(s.session)))
    throw e
  }
  await Promise.all(
    streams
      .filter(s => !errors.has(s.session))
      .map(s =>
        client
          .finishChunked(s.session, blob.digest, blob.size)
          .catch((e: Error) => void errors.set(s.session, e))
      )
  )
  return streams.map(s => {
    const error = errors.get(s.session)
    return error
      ? { target: s.target, action: 'failed' as const, error }
      : { target: s.target, action: 'copied' as const, bytes: blob.size }
  })
}
