/**
 * A local stand-in for the GitHub Actions cache service, protocol v1 (what `@actions/cache` speaks
 * to ACTIONS_CACHE_URL, and what GHES serves): `GET _apis/artifactcache/cache?keys=&version=`
 * (204 on a miss), `POST caches` (reserve; 409 when the key and version exist), `PATCH caches/<id>`
 * (chunks with `Content-Range: bytes a-b/*`), `POST caches/<id>` (commit with `{size}`), and the
 * archive download. Keys match as @actions/cache documents: the first key exactly, then each key as
 * a prefix, newest first; always within the same version (paths + compression). Loopback only.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

interface Entry {
  id: number
  key: string
  version: string
  chunks: { start: number; bytes: Buffer }[]
  archive?: Buffer
  committedSeq?: number
}

/** A running stand-in: its base URL (for ACTIONS_CACHE_URL), the requests it saw, and stop(). */
export interface CacheService {
  url: string
  /** `METHOD path` of every request, in order, without the query string. */
  requests: string[]
  /** Authorization headers seen (the runtime token must arrive as a bearer token). */
  authorizations: Set<string>
  stop(): Promise<void>
}

async function body(req: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = []
  for await (const part of req) parts.push(part as Buffer)
  return Buffer.concat(parts)
}

/** Starts the stand-in on a free loopback port. */
export async function startCacheService(): Promise<CacheService> {
  const entries: Entry[] = []
  let seq = 0
  const requests: string[] = []
  const authorizations = new Set<string>()
  let base = ''
  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1')
      requests.push(`${req.method} ${url.pathname}`)
      if (req.headers.authorization) authorizations.add(req.headers.authorization)
      const json = (status: number, value?: unknown) => {
        res.writeHead(status, value === undefined ? {} : { 'content-type': 'application/json' })
        res.end(value === undefined ? undefined : JSON.stringify(value))
      }
      const api = '/_apis/artifactcache/'
      const download = /^\/archive\/(\d+)$/.exec(url.pathname)
      const cacheId = new RegExp(`^${api}caches/(\\d+)$`).exec(url.pathname)
      if (req.method === 'GET' && url.pathname === `${api}cache`) {
        const keys = (url.searchParams.get('keys') ?? '').split(',')
        const version = url.searchParams.get('version') ?? ''
        const done = entries.filter(e => e.version === version && e.committedSeq !== undefined)
        const byNewest = (list: Entry[]) => list.sort((a, b) => b.committedSeq! - a.committedSeq!)[0]
        let hit = done.find(e => e.key === keys[0])
        for (const key of keys) hit ??= byNewest(done.filter(e => e.key.startsWith(key)))
        if (!hit) return json(204)
        return json(200, {
          cacheKey: hit.key,
          scope: 'refs/heads/main',
          archiveLocation: `${base}archive/${hit.id}`
        })
      }
      if (req.method === 'POST' && url.pathname === `${api}caches`) {
        const { key, version } = JSON.parse((await body(req)).toString()) as { key: string; version: string }
        if (entries.some(e => e.key === key && e.version === version)) {
          return json(409, { message: `cache ${key} exists already` })
        }
        const entry: Entry = { id: entries.length + 1, key, version, chunks: [] }
        entries.push(entry)
        return json(201, { cacheId: entry.id })
      }
      const entry = cacheId ? entries[Number(cacheId[1]) - 1] : undefined
      if (req.method === 'PATCH' && entry) {
        const start = Number(/^bytes (\d+)-/.exec(req.headers['content-range'] ?? '')?.[1] ?? NaN)
        entry.chunks.push({ start, bytes: await body(req) })
        return json(204)
      }
      if (req.method === 'POST' && entry) {
        const { size } = JSON.parse((await body(req)).toString()) as { size: number }
        entry.archive = Buffer.concat(entry.chunks.sort((a, b) => a.start - b.start).map(c => c.bytes))
        if (entry.archive.length !== size)
          return json(400, { message: `size ${size} != ${entry.archive.length}` })
        entry.committedSeq = ++seq
        return json(204)
      }
      const archived = download ? entries[Number(download[1]) - 1]?.archive : undefined
      if (req.method === 'GET' && archived) {
        res.writeHead(200, { 'content-length': archived.length, 'content-type': 'application/octet-stream' })
        return res.end(archived)
      }
      json(404, { message: 'not found' })
    })().catch((err: unknown) => {
      res.writeHead(500)
      res.end(String(err))
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
  return {
    url: base,
    requests,
    authorizations,
    stop: () => new Promise<void>(resolve => server.close(() => resolve()))
  }
}

/**
 * Points `@actions/cache` (v1 protocol) at `service` through process.env, with RUNNER_TEMP set to
 * `runnerTemp`; returns a function restoring the previous environment.
 */
export function useCacheService(
  service: CacheService,
  runnerTemp: string,
  token = 'runtime-token-for-tests'
): () => void {
  const names = [
    'ACTIONS_CACHE_URL',
    'ACTIONS_RUNTIME_TOKEN',
    'ACTIONS_RESULTS_URL',
    'ACTIONS_CACHE_SERVICE_V2',
    'RUNNER_TEMP'
  ]
  const saved = Object.fromEntries(names.map(n => [n, process.env[n]]))
  delete process.env.ACTIONS_RESULTS_URL
  delete process.env.ACTIONS_CACHE_SERVICE_V2
  process.env.ACTIONS_CACHE_URL = service.url
  process.env.ACTIONS_RUNTIME_TOKEN = token
  process.env.RUNNER_TEMP = runnerTemp
  return () => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
  }
}
