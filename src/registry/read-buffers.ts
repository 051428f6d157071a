/**
 * Reused 64 KiB socket read buffers for blob bodies on plain-http connections, each handed back only
 * once nothing can use its bytes any more. Node allocates a fresh 64 KiB buffer for every socket read
 * (15 000 per GB) and frees it at the next scavenge, which comes only when V8's young generation has
 * filled with JS objects: a 1 GB copy held 15–24 MiB of dead read buffers (docs/benchmarks.md). Here
 * a plain-http socket reads into buffers of this pool (net's `onread`), and each buffer counts its
 * holds:
 * - the socket's: from the read that filled it until the socket has filled a later buffer while no
 *   view of it is left in the socket's readable buffer (undici parses a read synchronously, and puts
 *   what it did not parse back there with `unshift`);
 * - one per body chunk undici hands to a response whose caller promised to write every chunk once to
 *   a socket of this stack (http.ts HttpRequest `reuse`): released when that socket write has
 *   completed (its callback: libuv keeps a reference to a buffer handed to `socket.write` until
 *   then); a caller that writes a chunk to more sockets takes one more hold per extra socket
 *   ({@link holdChunk}, the fan-out);
 *   a caller that copies the chunk instead hands its hold back at once ({@link releaseChunk});
 * - a chunk handed to any other response (a manifest, an error body, a blob read into memory) marks
 *   its buffer kept for good: it is never reused, and is freed by the garbage collector as before.
 * A hold that is never released (a chunk dropped, a write that failed, a socket that closed) only
 * keeps its buffer out of the pool: the pool then allocates a new one. So a buffer is reused only
 * when every holder has said it is done, never on a guess.
 */
import type { Socket } from 'node:net'

/** Bytes per read buffer: what libuv reads at most per call on a TCP socket. */
const BUFFER_BYTES = 64 * 1024
/** Free buffers kept for reuse (4 MiB); more are left to the garbage collector. */
const MAX_FREE = 64

interface Slot {
  /** who still uses the buffer's bytes (see the module comment) */
  holds: number
  /** handed to a response that keeps no count: never reused */
  kept: boolean
  buffer: Buffer
}

const slots = new WeakMap<ArrayBufferLike, Slot>()
const free: Buffer[] = []
/** the buffers each plain-http socket has filled and not yet released */
const filled = new WeakMap<Socket, Slot[]>()

/** Counters of the pool for tests and benches: buffers allocated, and reads into a reused one. */
export const readBufferStats = { allocated: 0, reused: 0 }

function take(): Buffer {
  const reused = free.pop()
  if (reused) {
    readBufferStats.reused++
    return reused
  }
  readBufferStats.allocated++
  const buffer = Buffer.allocUnsafeSlow(BUFFER_BYTES)
  slots.set(buffer.buffer, { holds: 0, kept: false, buffer })
  return buffer
}

function release(slot: Slot, n = 1): void {
  slot.holds -= n
  if (slot.holds === 0 && !slot.kept && free.length < MAX_FREE) free.push(slot.buffer)
}

/** The pool slot a chunk is a view of, if any. */
function slotOf(chunk: unknown): Slot | undefined {
  return chunk instanceof Uint8Array ? slots.get(chunk.buffer) : undefined
}

/** True when no chunk in the socket's readable buffer is a view of `slot`'s buffer. */
function unread(socket: Socket, slot: Slot): boolean {
  // Readable's buffer (not in @types/node): what undici has not read yet, or put back with unshift
  // (Node 22+ leave null in the places of chunks already read)
  for (const chunk of (socket as unknown as { readableBuffer: Iterable<Uint8Array | null> }).readableBuffer)
    if (chunk?.buffer === slot.buffer.buffer) return false
  return true
}

/**
 * net's `onread` option for a plain-http connection (undici's connector passes it to `net.connect`):
 * every read goes into a buffer of the pool and is pushed to the socket as a view of it. Called
 * from libuv's read callback, never while undici parses, so a buffer not in the readable buffer any
 * more has been parsed whole.
 */
export const pooledReads = {
  buffer: take,
  callback(this: Socket, bytes: number, buffer: Buffer): boolean {
    const slot = slots.get(buffer.buffer) as Slot
    let mine = filled.get(this)
    if (!mine) filled.set(this, (mine = []))
    let kept = 0
    for (const s of mine) {
      if (unread(this, s)) release(s)
      else mine[kept++] = s
    }
    mine.length = kept
    mine.push(slot)
    slot.holds = 1
    return this.push(buffer.subarray(0, bytes))
  }
}

/**
 * Accounts for one body chunk handed by undici to a response: a hold released by the socket write
 * of it (`reuse`: the caller writes every chunk once to a socket of this stack), else its buffer is
 * kept for good.
 */
export function deliverChunk(chunk: Uint8Array, reuse: boolean): void {
  const slot = slotOf(chunk)
  if (!slot) return
  if (reuse) slot.holds++
  else slot.kept = true
}

/**
 * Hands back the hold of a chunk delivered to a `reuse` response whose caller copied its bytes and
 * keeps no view of it (registry/client.ts readBlobBytes). A chunk of no pool: nothing.
 */
export function releaseChunk(chunk: Uint8Array): void {
  const slot = slotOf(chunk)
  if (slot) release(slot)
}

/**
 * Takes `extra` more holds on the buffer `chunk` is a view of, for a caller that writes the chunk
 * to `extra` sockets more than one (a fan-out to N uploads: N − 1). A chunk of no pool: nothing.
 */
export function holdChunk(chunk: Uint8Array, extra: number): void {
  const slot = slotOf(chunk)
  if (slot && extra > 0) slot.holds += extra
}

/**
 * Makes every write of a pool chunk on `socket` hand its hold back once the write has completed
 * (its callback without an error; a failed write keeps the buffer out of the pool).
 */
export function releaseOnWrite(socket: Socket): void {
  const write = socket.write as (chunk: unknown, encoding?: unknown, cb?: unknown) => boolean
  socket.write = function (this: Socket, chunk: unknown, encoding?: unknown, cb?: unknown): boolean {
    const slot = slotOf(chunk)
    if (!slot) return write.call(this, chunk, encoding, cb)
    const done = (typeof encoding === 'function' ? encoding : cb) as ((e?: Error | null) => void) | undefined
    return write.call(this, chunk, (e?: Error | null) => {
      if (!e) release(slot)
      done?.(e)
    })
  } as Socket['write']
}
