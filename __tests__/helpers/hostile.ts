/**
 * Hostile servers for tests: small node:http(s) servers on 127.0.0.1 (loopback only) that behave
 * as a compromised or broken registry or token server would, where a real registry will not
 * (endless or trickled bodies, huge Content-Length, deep indexes, odd digests, downgrading
 * redirects). Every request is recorded as `METHOD PATH` in `requests`, so a test can assert that
 * nothing was asked outside a repository.
 *
 * Usage:
 *   const hostile = await startHostileServer((req, res) => { … })
 *   … hostile.host (127.0.0.1:PORT), hostile.url (http(s)://127.0.0.1:PORT), hostile.requests
 *   await hostile.stop()      // destroys every open connection (endless bodies included)
 */
import { createHash } from 'node:crypto'
import { createServer as createHttp, type IncomingMessage, type ServerResponse } from 'node:http'
import { createServer as createHttps } from 'node:https'
import type { Socket } from 'node:net'

export type HostileHandler = (req: IncomingMessage, res: ServerResponse) => void

export interface HostileServer {
  /** `127.0.0.1:PORT` */
  host: string
  /** `http://127.0.0.1:PORT` or `https://…` */
  url: string
  /** every request as `METHOD PATH` (path with its query), in arrival order */
  requests: string[]
  stop(): Promise<void>
}

/** Starts a hostile server; with `tls` (PEM contents) it speaks https. */
export async function startHostileServer(
  handler: HostileHandler,
  tls?: { cert: string; key: string }
): Promise<HostileServer> {
  const requests: string[] = []
  const sockets = new Set<Socket>()
  const serve = (req: IncomingMessage, res: ServerResponse): void => {
    requests.push(`${req.method} ${req.url}`)
    res.on('error', () => undefined)
    handler(req, res)
  }
  const server = tls ? createHttps(tls, serve) : createHttp(serve)
  server.on(tls ? 'secureConnection' : 'connection', (s: Socket) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r))
  const addr = server.address()
  const port = typeof addr === 'object' && addr ? addr.port : 0
  return {
    host: `127.0.0.1:${port}`,
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    requests,
    stop: async () => {
      for (const s of sockets) s.destroy()
      await new Promise<void>(r => server.close(() => r()))
    }
  }
}

/**
 * Writes `chunk` again and again until the client goes away (an endless body), honouring
 * backpressure so the server itself stays small.
 */
export function endless(res: ServerResponse, chunk: Buffer): void {
  const pump = (): void => {
    while (!res.destroyed && res.write(chunk));
    if (!res.destroyed) res.once('drain', pump)
  }
  res.on('close', () => res.removeAllListeners('drain'))
  pump()
}

/** Writes one byte of `bytes` every `everyMs` ms (a trickled body), ending after the last. */
export function trickle(res: ServerResponse, bytes: Buffer, everyMs: number): void {
  let i = 0
  const timer = setInterval(() => {
    if (res.destroyed || i >= bytes.length) {
      clearInterval(timer)
      if (!res.destroyed) res.end()
      return
    }
    res.write(bytes.subarray(i, ++i))
  }, everyMs)
  res.on('close', () => clearInterval(timer))
}

export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json'
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json'

/** `sha256:<hex>` of `bytes`. */
export const sha256 = (bytes: Buffer | string): string =>
  `sha256:${createHash('sha256').update(bytes).digest('hex')}`

/** A manifest document: its bytes, digest and media type, as a hostile registry serves it. */
export interface Served {
  bytes: Buffer
  digest: string
  mediaType: string
}

/** Serializes `json` as a document of `mediaType`. */
export function served(json: unknown, mediaType: string): Served {
  const bytes = Buffer.from(JSON.stringify(json))
  return { bytes, digest: sha256(bytes), mediaType }
}

/**
 * A hostile registry's usual handler: `/v2/` answers 200; `GET|HEAD /v2/<repo>/manifests/<ref>`
 * serves `manifests` by tag or digest; anything else goes to `other` (default 404).
 */
export function registryHandler(
  repo: string,
  manifests: Record<string, Served>,
  other?: HostileHandler
): HostileHandler {
  return (req, res) => {
    const path = new URL(req.url!, 'http://x').pathname
    if (path === '/v2/') {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end('{}')
      return
    }
    const prefix = `/v2/${repo}/manifests/`
    const m = path.startsWith(prefix) ? manifests[path.slice(prefix.length)] : undefined
    if (m) {
      res.writeHead(200, {
        'content-type': m.mediaType,
        'content-length': String(m.bytes.length),
        'docker-content-digest': m.digest
      })
      res.end(req.method === 'HEAD' ? undefined : m.bytes)
      return
    }
    if (other) return other(req, res)
    res.writeHead(404, { 'content-type': 'application/json' })
    res.end('{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}')
  }
}
