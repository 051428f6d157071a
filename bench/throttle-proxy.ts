/**
 * A TCP-level throttling proxy for the "WAN-like" benchmark mode: listens on 127.0.0.1, opens one
 * upstream connection per client connection and pipes both directions through a token bucket of
 * `bytesPerSecond`, one bucket per connection and direction. HTTP is not parsed, so nothing is
 * rewritten: the registry builds upload `Location`s from the `Host` header, which names the proxy,
 * so they stay valid. Counts the bytes it moves in each direction (client → upstream = `up`).
 */
import { createServer, connect, type Server, type Socket } from 'node:net'
import { Transform, type TransformCallback } from 'node:stream'

export interface ThrottleProxy {
  /** `127.0.0.1:PORT` of the proxy */
  host: string
  url: string
  /** bytes client → upstream and upstream → client since start (or the last `resetCounters`) */
  counters: { up: number; down: number; connections: number }
  resetCounters(): void
  stop(): Promise<void>
}

/**
 * A token bucket: `take(n)` resolves once `n` bytes may pass at `rate` bytes/s, bursting up to
 * `burst` bytes. One bucket per connection and direction; several Throttles (one per HTTP message
 * on a kept-alive connection) may draw from the same bucket in turn.
 */
export class TokenBucket {
  private tokens: number
  private last = performance.now()

  constructor(
    readonly rate: number,
    readonly burst: number
  ) {
    this.tokens = burst
  }

  /** Waits until `n` (≤ burst) bytes of tokens are there and takes them. */
  async take(n: number): Promise<void> {
    for (;;) {
      const now = performance.now()
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate)
      this.last = now
      if (this.tokens >= n) {
        this.tokens -= n
        return
      }
      const waitMs = ((n - this.tokens) / this.rate) * 1000
      await new Promise(r => setTimeout(r, Math.max(1, Math.ceil(waitMs))))
    }
  }
}

/** 50 ms worth of bytes: smooth enough that a 40 MB transfer cannot burst past the cap */
export const burstFor = (bytesPerSecond: number): number =>
  Math.max(16 * 1024, Math.round(bytesPerSecond / 20))

/** A Transform that passes bytes on as a token bucket allows (no bucket: count only). */
export class Throttle extends Transform {
  constructor(
    private readonly bucket: TokenBucket | undefined,
    private readonly count: (n: number) => void
  ) {
    super({ highWaterMark: 64 * 1024 })
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.count(chunk.length)
    if (!this.bucket) return done(null, chunk)
    void this.send(this.bucket, chunk).then(
      () => done(),
      (e: Error) => done(e)
    )
  }

  private async send(bucket: TokenBucket, chunk: Buffer): Promise<void> {
    for (let offset = 0; offset < chunk.length;) {
      const piece = Math.min(chunk.length - offset, bucket.burst)
      await bucket.take(piece)
      this.push(chunk.subarray(offset, offset + piece))
      offset += piece
    }
  }
}

/** Listens on a free port of 127.0.0.1; resolves with the port. */
export async function listenLoopback(server: Server): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const addr = server.address()
  return typeof addr === 'object' && addr ? addr.port : 0
}

/**
 * Starts a proxy to `upstream` (`host:port`) on a free loopback port.
 * @param bytesPerSecond cap per connection and direction (Infinity: count only)
 */
export async function startThrottleProxy(upstream: string, bytesPerSecond: number): Promise<ThrottleProxy> {
  const [upHost, upPort] = [
    upstream.slice(0, upstream.lastIndexOf(':')),
    upstream.slice(upstream.lastIndexOf(':') + 1)
  ]
  const counters = { up: 0, down: 0, connections: 0 }
  const sockets = new Set<Socket>()
  // half-open sockets: an end (FIN) travels through the throttle after the bytes before it, so a
  // response still queued in the bucket is delivered in full before the other side sees the close
  const server: Server = createServer({ allowHalfOpen: true }, client => {
    counters.connections++
    const server = connect({ port: Number(upPort), host: upHost, allowHalfOpen: true })
    sockets.add(client)
    sockets.add(server)
    const destroyBoth = (): void => {
      client.destroy()
      server.destroy()
    }
    client.on('error', destroyBoth)
    server.on('error', destroyBoth)
    // nobody left to deliver to once the client is gone
    client.on('close', () => {
      server.destroy()
      sockets.delete(client)
    })
    server.on('close', () => sockets.delete(server))
    client.setNoDelay(true)
    server.setNoDelay(true)
    if (Number.isFinite(bytesPerSecond)) {
      const burst = burstFor(bytesPerSecond)
      const up = new Throttle(new TokenBucket(bytesPerSecond, burst), n => (counters.up += n))
      const down = new Throttle(new TokenBucket(bytesPerSecond, burst), n => (counters.down += n))
      up.on('error', destroyBoth)
      down.on('error', destroyBoth)
      client.pipe(up).pipe(server)
      server.pipe(down).pipe(client)
    } else {
      client.on('data', (d: Buffer) => (counters.up += d.length))
      server.on('data', (d: Buffer) => (counters.down += d.length))
      client.pipe(server)
      server.pipe(client)
    }
  })
  const port = await listenLoopback(server)
  return {
    host: `127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}`,
    counters,
    resetCounters() {
      counters.up = 0
      counters.down = 0
      counters.connections = 0
    },
    async stop() {
      for (const s of sockets) s.destroy()
      await new Promise<void>(r => server.close(() => r()))
    }
  }
}
