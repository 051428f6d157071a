/**
 * An HTTP-level proxy for the "latency" benchmark mode: listens on 127.0.0.1 and forwards every
 * HTTP/1.1 request to one registry after a fixed delay (the round trip of a link between regions),
 * with the request and response bodies streamed through a token bucket per client connection and
 * direction (the same cap as the WAN-like TCP proxy). It records every request (arrival, end of the
 * response, method, path, status), so a copy's request count and its longest chain of sequential
 * round trips can be computed (`sequentialRoundTrips`).
 *
 * Why HTTP-level (node:http) and not the TCP proxy: a per-request delay needs request boundaries,
 * which node:http's parser gives for keep-alive, Content-Length and chunked bodies alike. The request
 * is forwarded with the client's own `Host` header, so the registry still builds its upload
 * `Location`s for the proxy's address, and nothing has to be rewritten. Bodies are piped (with
 * back-pressure) in both directions, never buffered, so a 1 GB streaming upload costs a few
 * 64 KiB buffers. Client connections are kept as the client keeps them (a client that closes after
 * each HEAD pays for it: `connectDelayMs` can charge a new connection an extra round trip); the proxy
 * itself keeps its connections to the registry alive, which costs nothing on loopback.
 */
import { Agent, createServer, request, type IncomingHttpHeaders, type IncomingMessage } from 'node:http'
import type { Socket } from 'node:net'
import { burstFor, listenLoopback, Throttle, TokenBucket } from './throttle-proxy.js'

/** One request as the proxy saw it; times in ms (`performance.now()` of the bench process). */
export interface RequestRecord {
  /** the request's head arrived at the proxy (before the delay) */
  start: number
  /** the response's last byte was handed to the client socket (or the exchange failed) */
  end: number
  method: string
  path: string
  status: number
}

export interface LatencyProxyOptions {
  /** cap per client connection and direction, bytes/s (Infinity: no cap) */
  bytesPerSecond: number
  /** wait before each request is forwarded, ms */
  delayMs: number
  /** extra wait before the first request of each new client connection, ms (default 0) */
  connectDelayMs?: number
}

export interface LatencyProxy {
  /** `127.0.0.1:PORT` of the proxy */
  host: string
  url: string
  /** body bytes client → registry (`up`) and back, connections and requests since the last reset */
  counters: { up: number; down: number; connections: number }
  /** every request since the last reset, in order of arrival */
  requests: RequestRecord[]
  /** when each client connection was accepted since the last reset (ms, `performance.now()`) */
  connectionTimes: number[]
  resetCounters(): void
  stop(): Promise<void>
}

// hop-by-hop headers (RFC 9110 §7.6.1) and Expect (node:http already answered 100 Continue)
const HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'expect'
])

/** The headers to forward: end-to-end only; with Transfer-Encoding, no Content-Length (RFC 9112 §6.3). */
function endToEnd(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {}
  for (const [k, v] of Object.entries(headers)) if (v !== undefined && !HOP.has(k)) out[k] = v
  if (headers['transfer-encoding'] !== undefined) delete out['content-length']
  return out
}

interface Conn {
  up?: TokenBucket
  down?: TokenBucket
  /** requests seen on this connection */
  seen: number
}

/**
 * Starts a proxy to `upstream` (`host:port`, plain http) on a free loopback port.
 * @throws if the port cannot be bound
 */
export async function startLatencyProxy(
  upstream: string,
  options: LatencyProxyOptions
): Promise<LatencyProxy> {
  const i = upstream.lastIndexOf(':')
  const [upHost, upPort] = [upstream.slice(0, i), Number(upstream.slice(i + 1))]
  const counters = { up: 0, down: 0, connections: 0 }
  let requests: RequestRecord[] = []
  let connectionTimes: number[] = []
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity })
  const conns = new WeakMap<Socket, Conn>()
  const sockets = new Set<Socket>()
  const capped = Number.isFinite(options.bytesPerSecond)
  const bucket = (): TokenBucket | undefined =>
    capped ? new TokenBucket(options.bytesPerSecond, burstFor(options.bytesPerSecond)) : undefined

  // lenient parser: curl's `-T -` with an explicit Content-Length sends both that and
  // `Transfer-Encoding: chunked`, which llhttp rejects with 400 and the registry (Go) accepts
  const server = createServer({ requestTimeout: 0, insecureHTTPParser: true }, (req, res) => {
    const record: RequestRecord = {
      start: performance.now(),
      end: 0,
      method: req.method ?? '?',
      path: req.url ?? '?',
      status: 0
    }
    requests.push(record)
    const conn = conns.get(req.socket) ?? { up: bucket(), down: bucket(), seen: 0 }
    conns.set(req.socket, conn)
    const wait = options.delayMs + (conn.seen++ === 0 ? (options.connectDelayMs ?? 0) : 0)
    const finish = (status: number): void => {
      if (!record.end) record.end = performance.now()
      if (!record.status) record.status = status
    }
    res.once('finish', () => finish(res.statusCode))
    res.once('close', () => finish(0))
    // the body stays in the socket (TCP back-pressure) until it is piped on after the delay
    setTimeout(
      () =>
        forward(
          req,
          conn,
          (status, headers, body) => {
            record.status = status
            res.writeHead(status, endToEnd(headers))
            body.pipe(new Throttle(conn.down, n => (counters.down += n))).pipe(res)
          },
          e => {
            if (!res.headersSent)
              res.writeHead(502, { 'content-type': 'text/plain' }).end(`proxy: ${e.message}`)
            else res.destroy(e)
          }
        ),
      wait
    )
  })

  function forward(
    req: IncomingMessage,
    conn: Conn,
    respond: (status: number, headers: IncomingHttpHeaders, body: IncomingMessage) => void,
    fail: (e: Error) => void
  ): void {
    const out = request({
      host: upHost,
      port: upPort,
      method: req.method,
      path: req.url,
      headers: endToEnd(req.headers),
      setHost: false,
      agent
    })
    out.once('response', ures => respond(ures.statusCode ?? 502, ures.headers, ures))
    out.once('error', fail)
    // a client that goes away mid-request takes the upstream request with it
    req.once('close', () => {
      if (!req.complete) out.destroy()
    })
    req.pipe(new Throttle(conn.up, n => (counters.up += n))).pipe(out)
  }

  server.keepAliveTimeout = 30_000
  server.on('connection', (s: Socket) => {
    counters.connections++
    connectionTimes.push(performance.now())
    s.setNoDelay(true)
    sockets.add(s)
    s.once('close', () => sockets.delete(s))
  })
  const port = await listenLoopback(server)
  return {
    host: `127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}`,
    counters,
    get requests() {
      return requests
    },
    get connectionTimes() {
      return connectionTimes
    },
    resetCounters() {
      counters.up = 0
      counters.down = 0
      counters.connections = 0
      requests = []
      connectionTimes = []
    },
    async stop() {
      for (const s of sockets) s.destroy()
      agent.destroy()
      await new Promise<void>(r => server.close(() => r()))
    }
  }
}

/**
 * The longest chain of requests each of which arrived after the previous one's response had ended:
 * the number of round trips the copy made one after another (its critical path in round trips).
 * Parallel requests count once; `records` may come from several proxies (same clock). O(n²).
 */
export function sequentialRoundTrips(records: RequestRecord[]): number {
  const rs = [...records].sort((a, b) => a.start - b.start)
  const chain: number[] = []
  let longest = 0
  for (let k = 0; k < rs.length; k++) {
    let best = 0
    // a request still open (end 0) ends after everything
    for (let j = 0; j < k; j++) if ((rs[j].end || Infinity) <= rs[k].start && chain[j] > best) best = chain[j]
    chain[k] = best + 1
    longest = Math.max(longest, chain[k])
  }
  return longest
}
