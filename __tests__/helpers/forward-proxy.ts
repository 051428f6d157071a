/**
 * A tiny forward proxy (node:http on 127.0.0.1:0), as HTTPS_PROXY / HTTP_PROXY point at: `CONNECT
 * host:port` tunnels (https) and absolute-URI requests (`GET http://host:port/path`, plain http),
 * counting what passes through. It only ever connects to loopback targets (127.0.0.1, localhost,
 * [::1]); any other target is answered 403 without a connection, so a test can never send traffic
 * off the machine through it.
 *
 *   const proxy = await startForwardProxy({ credentials: 'user:pass' })
 *   env = { HTTPS_PROXY: `http://user:pass@${proxy.host}` }
 *   …
 *   expect(proxy.log).toEqual([{ method: 'CONNECT', target: '127.0.0.1:5000', status: 200, auth: 'user:pass' }])
 */
import { createServer, request as httpRequest, type IncomingMessage } from 'node:http'
import { connect, type Socket } from 'node:net'

/** One exchange through the proxy. */
export interface ProxyExchange {
  /** `CONNECT`, or the method of an absolute-URI request */
  method: string
  /** `host:port` for CONNECT; the absolute URL otherwise */
  target: string
  /** what the proxy answered (200 for an opened tunnel, 407, 403, or the upstream's status) */
  status: number
  /** the decoded `Proxy-Authorization: Basic` user:password, if any */
  auth?: string
}

export interface ForwardProxy {
  /** `127.0.0.1:PORT` */
  host: string
  log: ProxyExchange[]
  /** exchanges of this method (all when omitted) */
  count(method?: string): number
  reset(): void
  stop(): Promise<void>
}

export interface ForwardProxyOptions {
  /** `user:password` the proxy requires (407 otherwise) */
  credentials?: string
  /** accept CONNECT but never answer it (a hung proxy) */
  hangConnect?: boolean
}

const LOOPBACK = /^(127(?:\.\d{1,3}){3}|localhost|\[::1\]|::1)$/i

function basicAuth(req: IncomingMessage): string | undefined {
  const h = req.headers['proxy-authorization']
  const m = typeof h === 'string' ? /^Basic (.+)$/i.exec(h) : null
  return m ? Buffer.from(m[1], 'base64').toString('utf8') : undefined
}

/** Starts the proxy. */
export async function startForwardProxy(options: ForwardProxyOptions = {}): Promise<ForwardProxy> {
  const log: ProxyExchange[] = []
  const sockets = new Set<Socket>()
  const refused = (req: IncomingMessage, target: string, hostname: string): number | undefined => {
    if (options.credentials !== undefined && basicAuth(req) !== options.credentials) return 407
    if (!LOOPBACK.test(hostname)) return 403
    return undefined
  }
  const server = createServer((req, res) => {
    const target = req.url ?? ''
    const url = URL.canParse(target) ? new URL(target) : undefined
    const entry: ProxyExchange = { method: req.method ?? '', target, status: 0, auth: basicAuth(req) }
    log.push(entry)
    const refusal = url ? refused(req, target, url.hostname) : 400
    if (refusal || !url) {
      entry.status = refusal ?? 400
      res.writeHead(entry.status, refusal === 407 ? { 'proxy-authenticate': 'Basic realm="test"' } : {})
      res.end()
      return
    }
    const headers = { ...req.headers }
    delete headers['proxy-authorization']
    delete headers['proxy-connection']
    const up = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: `${url.pathname}${url.search}`,
        method: req.method,
        headers
      },
      upRes => {
        entry.status = upRes.statusCode ?? 0
        res.writeHead(entry.status, upRes.headers)
        upRes.pipe(res)
      }
    )
    up.on('error', () => res.destroy())
    req.pipe(up)
  })
  server.on('connection', s => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    const target = req.url ?? ''
    const entry: ProxyExchange = { method: 'CONNECT', target, status: 0, auth: basicAuth(req) }
    log.push(entry)
    if (options.hangConnect) return
    const m = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(target)
    const refusal = m ? refused(req, target, m[1]) : 400
    if (refusal || !m) {
      entry.status = refusal ?? 400
      client.end(`HTTP/1.1 ${entry.status} Refused\r\n\r\n`)
      return
    }
    const upstream = connect(Number(m[2]), m[1].replace(/^\[|\]$/g, ''), () => {
      entry.status = 200
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      if (head.length) upstream.write(head)
      upstream.pipe(client)
      client.pipe(upstream)
    })
    upstream.on('error', () => client.destroy())
    client.on('error', () => upstream.destroy())
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return {
    host: `127.0.0.1:${port}`,
    log,
    count: method => log.filter(e => method === undefined || e.method === method).length,
    reset: () => void log.splice(0),
    stop: async () => {
      for (const s of sockets) s.destroy()
      await new Promise<void>(resolve => server.close(() => resolve()))
    }
  }
}
