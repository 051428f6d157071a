import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createRegistryClient } from '../../src/registry/factory.js'
import { staticCredentials } from '../../src/auth/credentials.js'
import type { RegistryClient } from '../../src/registry/client.js'
import { promote } from '../../src/copy/promote.js'
import { startRegistry, type TestRegistry } from '../helpers/registry.js'
import { startProxy, type Proxy } from '../helpers/proxy.js'
import { rawManifest, type Blob, type SeededImage } from '../helpers/images.js'
import { capturingLogger, seedImage, type CapturingLogger } from './fixtures.js'

const USER = 'promoter'
const PASSWORD = 'Pa55-w0rd-for-tests'
const BASIC = Buffer.from(`${USER}:${PASSWORD}`).toString('base64')
const SIGNATURE = 'sekrit-signature-value'

/** A blob store on another origin that, like a signed-URL bucket, refuses any Authorization header. */
async function startStorage(blobs: Map<string, Blob>): Promise<{
  url: string
  seen: Array<{ path: string; authorization?: string; range?: string }>
  stop(): Promise<void>
}> {
  const seen: Array<{ path: string; authorization?: string; range?: string }> = []
  const server: Server = createServer((req, res) => {
    seen.push({ path: req.url!, authorization: req.headers.authorization, range: req.headers.range })
    if (req.headers.authorization) {
      res.writeHead(403, { 'content-type': 'application/xml' })
      res.end('<Error><Code>AccessDenied</Code><Message>Only one auth mechanism allowed</Message></Error>')
      return
    }
    const digest = new URL(req.url!, 'http://x').pathname.split('/').pop()!
    const blob = blobs.get(digest)
    if (!blob) {
      res.writeHead(404)
      res.end()
      return
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(blob.size) })
    res.end(blob.bytes)
  })
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r))
  const addr = server.address()
  const port = typeof addr === 'object' && addr ? addr.port : 0
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    stop: () => new Promise<void>(r => server.close(() => r()))
  }
}

describe('redirects: blob GETs to a storage origin, uploads, and upload Locations', () => {
  let dir: string
  let src: TestRegistry
  let dst: TestRegistry
  let srcProxy: Proxy
  let dstProxy: Proxy
  let storage: Awaited<ReturnType<typeof startStorage>>
  let image: SeededImage
  const log: CapturingLogger = capturingLogger()
  const clients: RegistryClient[] = []
  let targetNo = 0

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pi-redirect-'))
    const htpasswd = join(dir, 'htpasswd')
    await writeFile(htpasswd, execFileSync('htpasswd', ['-Bbn', USER, PASSWORD]))
    ;[src, dst] = await Promise.all([startRegistry({ htpasswdFile: htpasswd }), startRegistry()])
    srcProxy = await startProxy(src.url)
    dstProxy = await startProxy(dst.url)
    image = await seedImage(src.url, 'team/app', 'v1', [200_000, 30_000], { authorization: `Basic ${BASIC}` })
    storage = await startStorage(new Map(image.blobs.map(b => [b.digest, b])))
  })
  afterAll(async () => {
    await Promise.all(clients.map(c => c.close()))
    await Promise.all([srcProxy?.stop(), dstProxy?.stop(), storage?.stop()])
    await Promise.all([src?.stop(), dst?.stop()])
    await rm(dir, { recursive: true, force: true })
  })

  const client = (): RegistryClient => {
    const c = createRegistryClient({
      credentials: staticCredentials({ [srcProxy.host]: { username: USER, password: PASSWORD } }),
      retry: { baseDelayMs: 10, maxDelayMs: 50 },
      logger: log
    })
    clients.push(c)
    return c
  }
  const copy = async (c: RegistryClient, uploadMode?: 'chunked'): Promise<string> => {
    const target = `prod/app${++targetNo}`
    const r = await promote(c, {
      source: { registry: srcProxy.host, repository: 'team/app', reference: 'v1' },
      targets: [{ repo: { registry: dstProxy.host, repository: target }, tags: ['v1'] }],
      uploadMode,
      chunkSize: 64 * 1024
    })
    expect(r.digest).toBe(image.digest)
    const got = await rawManifest(dst.url, target, 'v1')
    expect(got?.digest).toBe(image.digest)
    expect(got!.bytes.equals(image.bytes)).toBe(true)
    return target
  }

  it.each([302, 303, 307, 308] as const)(
    'follows a %i on blob GET to a storage origin without sending it Authorization',
    async status => {
      srcProxy.reset()
      dstProxy.reset()
      storage.seen.length = 0
      srcProxy.setFault(req =>
        req.method === 'GET' && /\/blobs\/sha256:/.test(req.url!)
          ? {
              kind: 'redirect',
              status,
              location: `${storage.url}/bucket/${req.url!.split('/').pop()}?X-Amz-Signature=${SIGNATURE}`
            }
          : undefined
      )
      const c = client()
      await copy(c)
      // every blob GET to the registry carried the credentials; storage got none
      const blobGets = srcProxy.entries('GET', /\/blobs\/sha256:/)
      expect(blobGets).toHaveLength(image.blobs.length)
      for (const e of blobGets) expect(e.requestHeaders.authorization).toBe(`Basic ${BASIC}`)
      expect(storage.seen.map(s => s.path).sort()).toEqual(
        image.blobs.map(b => `/bucket/${b.digest}?X-Amz-Signature=${SIGNATURE}`).sort()
      )
      expect(storage.seen.filter(s => s.authorization !== undefined)).toEqual([])
    }
  )

  it('follows 307 and 308 on uploads: POST, chunked PATCH and the closing PUT', async () => {
    dstProxy.reset()
    srcProxy.setFault(undefined)
    dstProxy.setFault(req => {
      const url = new URL(req.url!, 'http://x')
      if (url.searchParams.has('redirected')) return undefined
      if (!/\/blobs\/uploads\//.test(url.pathname) || !['POST', 'PATCH', 'PUT'].includes(req.method!))
        return undefined
      url.searchParams.append('redirected', '1')
      return {
        kind: 'redirect',
        status: req.method === 'PATCH' ? 308 : 307,
        location: url.pathname + url.search
      }
    })
    await copy(client(), 'chunked')
    const redirected = dstProxy.log.filter(e => e.status === 307 || e.status === 308)
    const followed = dstProxy.log.filter(e => /[?&]redirected=1/.test(e.path))
    expect(new Set(redirected.map(e => e.method))).toEqual(new Set(['POST', 'PATCH', 'PUT']))
    const byMethod = (list: typeof followed): string[] => list.map(e => e.method).sort()
    expect(byMethod(followed)).toEqual(byMethod(redirected))
    expect(followed.every(e => e.status === 201 || e.status === 202)).toBe(true)
    // the body went twice to the proxy only for PATCH (redirect answered after reading it)
    expect(followed.filter(e => e.method === 'PATCH').every(e => e.requestBytes > 0)).toBe(true)
  })

  it.each([
    ['relative', (loc: URL) => loc.pathname + loc.search],
    ['absolute', (loc: URL) => `${dstProxy.url}${loc.pathname}${loc.search}`],
    ['outside /v2/ with its own query', (loc: URL) => `/elsewhere${loc.pathname}${loc.search}&keep=me%2Bthis`]
  ])('uses an upload Location that is %s, keeping its query', async (_kind, rewrite) => {
    dstProxy.reset()
    const upstreamLocations: string[] = []
    dstProxy.setFault(req => {
      if (req.url!.startsWith('/elsewhere/'))
        return { kind: 'forwardTo', path: req.url!.slice('/elsewhere'.length) }
      if (req.method === 'POST' && /\/blobs\/uploads\/$/.test(req.url!)) {
        return {
          kind: 'rewrite',
          location: (loc: string) => {
            upstreamLocations.push(loc)
            return rewrite(new URL(loc))
          }
        }
      }
      return undefined
    })
    const c = client()
    await copy(c)
    const puts = dstProxy.entries('PUT', /\/blobs\/uploads\//)
    expect(puts).toHaveLength(image.blobs.length)
    for (const e of puts) {
      expect(e.path).toMatch(/[?&]_state=[^&]+/)
      expect(e.path).toMatch(/&digest=sha256%3A[0-9a-f]{64}$/)
      if (_kind.startsWith('outside')) {
        expect(e.path.startsWith('/elsewhere/v2/')).toBe(true)
        expect(e.path).toContain('&keep=me%2Bthis&digest=')
      }
      expect(e.status).toBe(201)
    }
    expect(upstreamLocations).toHaveLength(image.blobs.length)
  })

  it('logs no credential, no Authorization value and no signed-URL secret', () => {
    const text = log.lines.join('\n')
    expect(text).not.toContain(PASSWORD)
    expect(text).not.toContain(BASIC)
    expect(text).not.toContain(SIGNATURE)
    expect(text).toContain('X-Amz-Signature=…')
  })
})
