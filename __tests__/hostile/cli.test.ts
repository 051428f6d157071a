/**
 * The CLI (dist/cli.cjs, run as a child process) against hostile servers of our own on loopback
 * (issue 10), a real docker-registry as the target behind the recording proxy: memory stays
 * bounded (peak RSS measured in the child), hostile digests fail within seconds with exit 1 and
 * no request outside the repositories, a huge Retry-After, a trickled manifest and a deep index
 * all end the run with a message naming the rule.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { resolve } from 'node:path'
import { startRegistry, type TestRegistry } from '../helpers/registry.js'
import { startProxy, type Proxy } from '../helpers/proxy.js'
import {
  OCI_INDEX,
  OCI_MANIFEST,
  endless,
  registryHandler,
  served,
  sha256,
  startHostileServer,
  trickle,
  type HostileHandler,
  type HostileServer
} from '../helpers/hostile.js'

const root = resolve(import.meta.dirname, '../..')
/** Prints the child's own peak RSS (KiB) on stderr as it exits (helpers/max-rss.mjs). */
const PEAK_RSS_HOOK = resolve(root, '__tests__/helpers/max-rss.mjs')

interface CliRun {
  status: number | null
  /** stderr without the peak RSS line */
  stderr: string
  /** peak resident set size of the CLI process, MiB */
  peakRssMiB: number
}

/** Runs dist/cli.cjs with `args` asynchronously (the hostile servers live in this process). */
function cli(...args: string[]): Promise<CliRun> {
  return new Promise(done => {
    const child = spawn(process.execPath, ['--import', PEAK_RSS_HOOK, resolve(root, 'dist/cli.cjs'), ...args])
    let stderr = ''
    child.stderr.on('data', d => (stderr += d))
    // a hang is a failure: the child is ended after 60 s and reports status null
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
    child.on('exit', status => {
      clearTimeout(timer)
      const m = /\nmax-rss-kib (\d+)\n/.exec(stderr)
      done({
        status,
        stderr: stderr.replace(/\nmax-rss-kib \d+\n/, '').trim(),
        peakRssMiB: m ? Math.round(Number(m[1]) / 1024) : NaN
      })
    })
  })
}

const LAYER = 'application/vnd.oci.image.layer.v1.tar+gzip'
const CONFIG = 'application/vnd.oci.image.config.v1+json'
const config = Buffer.from('{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}')
const layer = Buffer.from('a layer that is never served')
const image = (layerDigest: string) =>
  served(
    {
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: CONFIG, digest: sha256(config), size: config.length },
      layers: [{ mediaType: LAYER, digest: layerDigest, size: layer.length }]
    },
    OCI_MANIFEST
  )

/** Serves the config blob; `onLayer` answers every other blob request. */
const blobs =
  (onLayer: HostileHandler): HostileHandler =>
  (req, res) => {
    if (req.url === `/v2/app/blobs/${sha256(config)}`) {
      res.writeHead(200, { 'content-length': String(config.length) })
      return void res.end(req.method === 'HEAD' ? undefined : config)
    }
    onLayer(req, res)
  }

/** A request path of the source (`/v2/`, `/v2/app/…`) or of the target (`/v2/`, `/v2/dst/…`). */
const inside = (repo: string) => (path: string) => path === '/v2/' || path.startsWith(`/v2/${repo}/`)

describe('promote-image CLI against hostile registries (loopback)', () => {
  let dst: TestRegistry
  let proxy: Proxy
  const servers: HostileServer[] = []
  const hostile = async (handler: HostileHandler): Promise<HostileServer> => {
    const s = await startHostileServer(handler)
    servers.push(s)
    return s
  }
  const peaks: Record<string, number> = {}

  beforeAll(async () => {
    dst = await startRegistry()
    proxy = await startProxy(dst.url)
  })
  afterEach(async () => {
    await Promise.all(servers.splice(0).map(s => s.stop()))
    proxy.reset()
  })
  afterAll(async () => {
    await Promise.all([proxy.stop(), dst.stop()])
    process.stderr.write(`peak RSS of the CLI, MiB: ${JSON.stringify(peaks)}\n`)
  })

  it('stays below 200 MB against a manifest declaring 2 GiB, and against an endless one', async () => {
    for (const declared of [true, false]) {
      const s = await hostile((req, res) => {
        if (req.url === '/v2/') return void res.writeHead(200).end('{}')
        if (req.method === 'HEAD') return void res.writeHead(200, { 'content-type': OCI_MANIFEST }).end()
        const length = declared ? { 'content-length': String(2 * 1024 ** 3) } : {}
        res.writeHead(200, { 'content-type': OCI_MANIFEST, ...length })
        endless(res, Buffer.alloc(256 * 1024, 0x20))
      })
      const r = await cli('copy', `${s.host}/app:v1`, `${proxy.host}/dst:v1`)
      peaks[declared ? 'manifest of 2 GiB' : 'endless manifest'] = r.peakRssMiB
      expect([r.status, r.stderr]).toEqual([
        1,
        `promote-image: manifest ${s.host}/app:v1 is larger than the manifestBytes limit of 4 MiB (${declared ? 'Content-Length: 2147483648 bytes' : 'more than 4194304 bytes sent'})`
      ])
      expect(r.peakRssMiB).toBeLessThan(200)
    }
  })

  it('stays below 200 MB against an endless token answer', async () => {
    const s = await hostile((req, res) => {
      if (req.url?.startsWith('/token')) {
        res.writeHead(200, { 'content-type': 'application/json' })
        res.write('{"token":"')
        return endless(res, Buffer.alloc(256 * 1024, 0x61))
      }
      res.writeHead(401, {
        'www-authenticate': `Bearer realm="http://${req.headers.host}/token",service="x"`
      })
      res.end()
    })
    const r = await cli('copy', `${s.host}/app:v1`, `${proxy.host}/dst:v1`)
    peaks['endless token answer'] = r.peakRssMiB
    expect([r.status, r.stderr]).toEqual([
      1,
      `promote-image: registry ${s.host}: token server ${s.url}/token: the answer is larger than the tokenBytes limit of 1 MiB (more than 1048576 bytes sent)`
    ])
    expect(r.peakRssMiB).toBeLessThan(200)
  })

  it.each([
    [
      'sha384',
      `sha384:${'ab'.repeat(48)}`,
      'uses the unsupported algorithm sha384 (supported: sha256, sha512)'
    ],
    ['path-like', '../../../../v2/secret/manifests/latest', 'is not a digest (algorithm:encoded)']
  ])(
    'a %s layer digest fails with exit 1 and no request outside the repositories',
    async (_n, digest, why) => {
      const doc = image(digest)
      const s = await hostile(
        registryHandler(
          'app',
          { v1: doc, [doc.digest]: doc },
          blobs((req, res) => void res.writeHead(404).end())
        )
      )
      const r = await cli('copy', `${s.host}/app:v1`, `${proxy.host}/dst:v1`)
      // one GET resolves the tag and gives the manifest: it is refused as it is parsed, by tag
      expect([r.status, ...r.stderr.split('\n')]).toEqual([
        1,
        `promote-image: manifest ${s.host}/app:v1: layers[0] is not a descriptor (digest "${digest}" ${why})`
      ])
      const paths = s.requests.map(x => x.split(' ')[1])
      expect(paths.filter(p => !inside('app')(p))).toEqual([])
      expect(proxy.log.map(e => e.path).filter(p => !inside('dst')(p))).toEqual([])
      expect(proxy.count('POST') + proxy.count('PUT') + proxy.count('PATCH')).toBe(0)
    }
  )

  it('fails at once when a blob GET answers 429 with Retry-After: 3600', async () => {
    const doc = image(sha256(layer))
    const s = await hostile(
      registryHandler(
        'app',
        { v1: doc, [doc.digest]: doc },
        blobs((req, res) => {
          if (!req.url?.includes('/blobs/')) return void res.writeHead(404).end()
          if (req.method === 'HEAD')
            return void res.writeHead(200, { 'content-length': String(layer.length) }).end()
          res.writeHead(429, { 'retry-after': '3600' })
          res.end()
        })
      )
    )
    const r = await cli('copy', `${s.host}/app:v1`, `${proxy.host}/dst:v1`)
    expect(r.status).toBe(1)
    const refusal = `GET ${s.url}/v2/app/blobs/${sha256(layer)} answered 429 — Retry-After asks for 1 h, beyond the retry budget of 4 min 20 s: run again once that wait is over`
    const lines = r.stderr.split('\n')
    expect([lines[0], lines[1], ...lines.slice(-2)]).toEqual([
      `${s.host}/app:v1 is ${doc.digest}`,
      `warning: ${proxy.host}/dst: blob ${sha256(layer)} failed: ${refusal}`,
      `promote-image: promotion of ${doc.digest} is incomplete; no tag was written on any target:`,
      `  ${proxy.host}/dst: ${refusal}`
    ])
    expect(s.requests.filter(x => x.startsWith('GET /v2/app/blobs/')).length).toBe(2)
    // one upload session per blob: a wait the budget cannot cover is not retried with new sessions
    expect(proxy.count('POST', /^\/v2\/dst\/blobs\/uploads\//)).toBe(2)
  })

  it('ends a trickled manifest at the overall deadline (--timeout 2)', async () => {
    const doc = image(sha256(layer))
    const s = await hostile((req, res) => {
      if (req.url === '/v2/') return void res.writeHead(200).end('{}')
      const headers = {
        'content-type': OCI_MANIFEST,
        'content-length': String(doc.bytes.length),
        'docker-content-digest': doc.digest
      }
      if (req.method === 'HEAD') return void res.writeHead(200, headers).end()
      res.writeHead(200, headers)
      trickle(res, doc.bytes, 500)
    })
    const r = await cli('copy', '--timeout', '2', `${s.host}/app:v1`, `${proxy.host}/dst:v1`)
    expect(r.status).toBe(1)
    // the GET that resolves the tag is the one trickled
    expect(r.stderr.split('\n')[0]).toMatch(
      new RegExp(
        `^promote-image: manifest ${s.host}/app:v1 did not arrive whole within 2 s \\(\\d bytes came; the request timeout bounds a whole manifest or token body\\)$`
      )
    )
  })

  it('fails a 50-level nested index naming the indexDepth limit', async () => {
    const docs = [image(sha256(layer))]
    for (let i = 0; i < 50; i++) {
      const c = docs[docs.length - 1]
      const entry = { mediaType: c.mediaType, digest: c.digest, size: c.bytes.length }
      docs.push(served({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [entry] }, OCI_INDEX))
    }
    const top = docs[docs.length - 1]
    const byRef = Object.fromEntries([['v1', top], ...docs.map(d => [d.digest, d] as const)])
    const s = await hostile(registryHandler('app', byRef))
    const r = await cli('copy', `${s.host}/app:v1`, `${proxy.host}/dst:v1`)
    expect([r.status, ...r.stderr.split('\n')]).toEqual([
      1,
      `${s.host}/app:v1 is ${top.digest}`,
      `promote-image: index ${s.host}/app@${docs[docs.length - 9].digest}: indexes nested deeper than the indexDepth limit of 8`
    ])
    // the top by tag (one GET resolves it), then 8 levels by digest
    expect(s.requests.filter(x => x.startsWith('GET /v2/app/manifests/v1')).length).toBe(1)
    expect(s.requests.filter(x => x.startsWith('GET /v2/app/manifests/sha256:')).length).toBe(8)
  })
})
