/**
 * A referrers API in front of a real registry (distribution 2.8 has none), for tests: a node:http
 * server on 127.0.0.1:0 that answers `GET /v2/<name>/referrers/<digest>` (distribution-spec
 * "Listing Referrers") from the manifests with a `subject` it saw PUT, and adds `OCI-Subject` to
 * the answers of those PUTs; everything else is forwarded to the registry as it is.
 *
 * Usage:
 *   const reg = await startRegistry()
 *   const api = await startReferrersApi(reg.url, { pageSize: 1 })   // Link rel="next" after 1 entry
 *   … push to api.url; promote with api.host as the registry …
 *   api.listed('app', subjectDigest)                                  // what it would list
 *   await api.stop()
 *
 * `?artifactType=` filters and is confirmed with `OCI-Filters-Applied: artifactType`. With
 * `listing: false` it only adds `OCI-Subject` (Docker Hub in 2024: the header without the API). The Host
 * header is forwarded unchanged, so the registry's `Location` headers already name this server.
 */
import { createHash } from 'node:crypto'
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http'
import type { Socket } from 'node:net'

/** One entry of a referrers list (image-spec descriptor with artifactType and annotations). */
export interface ListedReferrer {
  mediaType: string
  digest: string
  size: number
  artifactType?: string
  annotations?: Record<string, string>
}

export interface ReferrersApi {
  /** `http://127.0.0.1:PORT` */
  url: string
  /** `127.0.0.1:PORT` */
  host: string
  /** the referrers of `subject` in repository `name`, as the API lists them */
  listed(name: string, subject: string): ListedReferrer[]
  stop(): Promise<void>
}

const INDEX = 'application/vnd.oci.image.index.v1+json'
const sha256 = (b: Buffer): string => `sha256:${createHash('sha256').update(b).digest('hex')}`

async function bodyOf(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const c of req) chunks.push(c as Buffer)
  return Buffer.concat(chunks)
}

/** Starts the server in front of `upstreamUrl` (`http://127.0.0.1:PORT`); see the module comment. */
export async function startReferrersApi(
  upstreamUrl: string,
  opts: { pageSize?: number; listing?: boolean } = {}
): Promise<ReferrersApi> {
  const upstream = new URL(upstreamUrl)
  const lists = new Map<string, ListedReferrer[]>()
  const sockets = new Set<Socket>()
  const key = (name: string, subject: string): string => `${name}@${subject}`

  /** forwards; `created` runs when the registry answered 201 and returns headers to add */
  const forward = (
    req: IncomingMessage,
    res: ServerResponse,
    body?: Buffer,
    created: () => Record<string, string> = () => ({})
  ): void => {
    const up = httpRequest(
      {
        hostname: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: body ? { ...req.headers, 'content-length': String(body.length) } : req.headers
      },
      upRes => {
        const headers = { ...upRes.headers, ...(upRes.statusCode === 201 ? created() : {}) }
        res.writeHead(upRes.statusCode ?? 502, headers)
        upRes.pipe(res)
      }
    )
    up.on('error', () => res.destroy())
    if (body) up.end(body)
    else req.pipe(up)
  }

  const list = (req: IncomingMessage, res: ServerResponse, name: string, subject: string): void => {
    const url = new URL(req.url ?? '/', 'http://x')
    const type = url.searchParams.get('artifactType')
    const all = (lists.get(key(name, subject)) ?? []).filter(r => !type || r.artifactType === type)
    const page = Number(url.searchParams.get('page') ?? '0')
    const size = opts.pageSize ?? all.length
    const manifests = opts.pageSize ? all.slice(page * size, (page + 1) * size) : all
    const headers: Record<string, string> = { 'content-type': INDEX }
    if (type) headers['oci-filters-applied'] = 'artifactType'
    if (opts.pageSize && (page + 1) * size < all.length) {
      const next = new URLSearchParams(url.searchParams)
      next.set('page', String(page + 1))
      headers.link = `<${url.pathname}?${next.toString()}>; rel="next"`
    }
    res.writeHead(200, headers)
    res.end(JSON.stringify({ schemaVersion: 2, mediaType: INDEX, manifests }))
  }

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    const referrers = /^\/v2\/(.+)\/referrers\/([^/]+)$/.exec(path)
    if (req.method === 'GET' && referrers && opts.listing !== false)
      return list(req, res, referrers[1], decodeURIComponent(referrers[2]))
    const manifest = /^\/v2\/(.+)\/manifests\/[^/]+$/.exec(path)
    if (req.method !== 'PUT' || !manifest) return forward(req, res)
    const body = await bodyOf(req)
    let json: { subject?: { digest: string }; artifactType?: string; config?: { mediaType: string } }
    try {
      json = JSON.parse(body.toString('utf8')) as typeof json
    } catch {
      return forward(req, res, body)
    }
    if (!json.subject) return forward(req, res, body)
    const digest = sha256(body)
    const k = key(manifest[1], json.subject.digest)
    const entry: ListedReferrer = {
      mediaType: String(req.headers['content-type']),
      digest,
      size: body.length,
      ...(json.artifactType || json.config
        ? { artifactType: json.artifactType ?? json.config?.mediaType }
        : {}),
      ...((json as { annotations?: Record<string, string> }).annotations
        ? { annotations: (json as { annotations: Record<string, string> }).annotations }
        : {})
    }
    const subject = json.subject.digest
    forward(req, res, body, () => {
      const known = lists.get(k) ?? []
      if (!known.some(r => r.digest === digest)) lists.set(k, [...known, entry])
      return { 'oci-subject': subject }
    })
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy())
  })
  server.on('connection', s => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const addr = server.address()
  const port = typeof addr === 'object' && addr ? addr.port : 0
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    listed: (name, subject) => [...(lists.get(key(name, subject)) ?? [])],
    async stop() {
      for (const s of sockets) s.destroy()
      await new Promise<void>(resolve => server.close(() => resolve()))
    }
  }
}
