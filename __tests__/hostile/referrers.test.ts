/**
 * Referrers from hostile registries of our own on loopback (issue 24 findings 6 and 7): the page is
 * read under the limits table (size, deadline), `Link` paging stops on a loop and follows the
 * redirect rules (no https → http), as does an upload `Location`; a referrer naming another subject
 * is dropped with a warning; a subject lists at most LIMITS.referrersPerSubject referrers; the
 * referrers of a subject are fetched side by side.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { resolve } from 'node:path'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { walkGraph } from '../../src/copy/graph.js'
import { REFERRER_FETCHES } from '../../src/copy/graph.js'
import { LIMITS } from '../../src/limits.js'
import { createRegistryClient } from '../../src/registry/factory.js'
import { capturingLogger } from '../registry/fixtures.js'
import { startRegistry, type TestRegistry } from '../helpers/registry.js'
import { makeTestPki, type TestPki } from '../helpers/tls.js'
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
  type HostileServer,
  type Served
} from '../helpers/hostile.js'
import { OPTION_INPUTS } from '../../src/options.js'
import { withTlsAdvice } from '../../src/report/tls-words.js'

/** The engine gives the facts (PlainHttpRefusal); the action's words come from the edge (report/tls-words.ts). */
const inAction = <T>(p: Promise<T>): Promise<T> =>
  p.catch(e => Promise.reject(withTlsAdvice(e, OPTION_INPUTS)))

const CONFIG = 'application/vnd.oci.image.config.v1+json'
const config = Buffer.from('{"architecture":"amd64","os":"linux"}')
const configDescriptor = { mediaType: CONFIG, digest: sha256(config), size: config.length }
const subject = served(
  { schemaVersion: 2, mediaType: OCI_MANIFEST, config: configDescriptor, layers: [] },
  OCI_MANIFEST
)
const SBOM = 'application/spdx+json'

/** A referrer artifact manifest naming `of` as its subject. */
const referrer = (of: string, n: number): Served =>
  served(
    {
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      artifactType: SBOM,
      config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: sha256('{}'), size: 2 },
      layers: [],
      subject: { mediaType: OCI_MANIFEST, digest: of, size: 100 },
      annotations: { n: String(n) }
    },
    OCI_MANIFEST
  )
const entry = (m: Served): object => ({
  mediaType: m.mediaType,
  digest: m.digest,
  size: m.bytes.length,
  artifactType: SBOM
})
const page = (entries: object[]): string =>
  JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: entries })

const servers: HostileServer[] = []
async function hostile(handler: HostileHandler, tls?: { cert: string; key: string }): Promise<HostileServer> {
  const s = await startHostileServer(handler, tls)
  servers.push(s)
  return s
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map(s => s.stop()))
})

/** Serves `subject` as app:v1 and by digest, `docs` by digest, and the referrers API by `api`. */
function withReferrers(
  docs: Served[],
  api: (req: IncomingMessage, res: ServerResponse) => void
): HostileHandler {
  const manifests: Record<string, Served> = { v1: subject, [subject.digest]: subject }
  for (const d of docs) manifests[d.digest] = d
  return registryHandler('app', manifests, (req, res) => {
    // the subject's referrers come from `api`; a referrer has none
    if (req.url?.startsWith(`/v2/app/referrers/${subject.digest}`)) return api(req, res)
    if (req.url?.startsWith(`/v2/app/referrers/`)) return void res.writeHead(200, indexHeaders).end(page([]))
    res.writeHead(404).end()
  })
}
const indexHeaders = { 'content-type': OCI_INDEX }

describe('the referrers page is read like every read (limits.ts)', () => {
  let dst: TestRegistry
  beforeAll(async () => {
    dst = await startRegistry()
  })
  afterAll(async () => {
    await dst?.stop()
  })

  /** Runs the CLI from source with a peak-RSS report; resolves its exit, stderr, peak RSS and time. */
  const cli = (
    args: string[]
  ): Promise<{ status: number | null; stderr: string; rssMiB: number; ms: number }> =>
    new Promise(done => {
      const root = resolve(import.meta.dirname, '../..')
      const t0 = Date.now()
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          '--import',
          resolve(root, '__tests__/helpers/max-rss.mjs'),
          resolve(root, 'src/cli.ts'),
          ...args
        ],
        { cwd: root, env: { PATH: process.env.PATH ?? '', HOME: tmpdir(), XDG_CACHE_HOME: tmpdir() } }
      )
      let stderr = ''
      child.stderr.on('data', d => (stderr += d))
      child.on('exit', status => {
        const kib = Number(/max-rss-kib (\d+)/.exec(stderr)?.[1] ?? NaN)
        done({ status, stderr, rssMiB: kib / 1024, ms: Date.now() - t0 })
      })
    })

  it('an endless page fails at the manifestBytes limit, under 200 MB peak RSS and within the timeout', async () => {
    const s = await hostile(
      withReferrers([], (_req, res) => {
        res.writeHead(200, indexHeaders)
        res.write('{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[')
        endless(res, Buffer.from(`${JSON.stringify(entry(subject))},`.repeat(256)))
      })
    )
    const r = await cli(['copy', '--timeout', '2', `${s.host}/app:v1`, `${dst.host}/prod/app:v1`])
    expect(r.status).toBe(1)
    expect(r.stderr).toContain(
      `the referrers of ${s.host}/app@${subject.digest} is larger than the manifestBytes limit of 4 MiB (more than ${LIMITS.manifestBytes} bytes sent)`
    )
    expect(r.rssMiB).toBeLessThan(200) // was 1.5 GB in 2 s
    expect(r.ms).toBeLessThan(2000 + 8000) // node + tsx start-up included
  })

  it('a trickled page ends at the request timeout (was still read after 25 s with a 2 s timeout)', async () => {
    const s = await hostile(
      withReferrers([], (_req, res) => {
        res.writeHead(200, indexHeaders)
        trickle(res, Buffer.from(page([entry(subject)])), 200)
      })
    )
    const client = createRegistryClient({ retry: { timeoutMs: 1000 } })
    const t0 = Date.now()
    await expect(
      client.listReferrers({ registry: s.host, repository: 'app' }, subject.digest)
    ).rejects.toThrow(`the referrers of ${s.host}/app@${subject.digest} did not arrive whole within 1 s`)
    expect(Date.now() - t0).toBeLessThan(3000)
    await client.close()
  })
})

describe('referrers paging: loops, caps and origins', () => {
  let pki: TestPki
  beforeAll(async () => {
    pki = await makeTestPki()
  })
  afterAll(async () => {
    await pki.remove()
  })

  it('a Link back to a page already read ends the listing; entries are listed once', async () => {
    const [a, b, c] = [1, 2, 3].map(n => referrer(subject.digest, n))
    const s = await hostile(
      withReferrers([a, b, c], (req, res) => {
        const second = req.url!.includes('last=')
        const self = `/v2/app/referrers/${subject.digest}`
        res.writeHead(200, {
          ...indexHeaders,
          // page 1 → page 2 → page 1 again (the loop); page 2 repeats an entry of page 1
          link: second ? `<${self}>; rel="next"` : `<${self}?last=x>; rel="next"`
        })
        res.end(page(second ? [entry(b), entry(c)] : [entry(a), entry(b)]))
      })
    )
    const client = createRegistryClient()
    const list = await client.listReferrers({ registry: s.host, repository: 'app' }, subject.digest)
    await client.close()
    expect(list?.manifests.map(m => m.digest)).toEqual([a.digest, b.digest, c.digest])
    // was 20 pages (MAX_REFERRERS_PAGES) and 40 entries, 2 distinct
    expect(s.requests.filter(r => r.includes('/referrers/'))).toEqual([
      `GET /v2/app/referrers/${subject.digest}`,
      `GET /v2/app/referrers/${subject.digest}?last=x`
    ])
  })

  it(`more than ${LIMITS.referrersPerSubject} referrers of one subject fail naming the referrersPerSubject limit`, async () => {
    const many = Array.from({ length: LIMITS.referrersPerSubject + 1 }, (_, i) => ({
      mediaType: OCI_MANIFEST,
      digest: sha256(`referrer ${i}`),
      size: 100,
      artifactType: SBOM
    }))
    const s = await hostile(
      withReferrers([], (_req, res) => void res.writeHead(200, indexHeaders).end(page(many)))
    )
    const client = createRegistryClient()
    await expect(
      client.listReferrers({ registry: s.host, repository: 'app' }, subject.digest)
    ).rejects.toThrow(
      `${s.host}/app@${subject.digest} lists more than ${LIMITS.referrersPerSubject} referrers (the referrersPerSubject limit)`
    )
    await client.close()
  })

  it('a Link from an https registry to plain http is not followed', async () => {
    const plain = await hostile(
      withReferrers([], (_req, res) => void res.writeHead(200, indexHeaders).end(page([])))
    )
    const tls = { cert: readFileSync(pki.serverCert, 'utf8'), key: readFileSync(pki.serverKey, 'utf8') }
    const a = referrer(subject.digest, 1)
    const secure = await hostile(
      withReferrers([a], (_req, res) => {
        res.writeHead(200, {
          ...indexHeaders,
          link: `<${plain.url}/v2/app/referrers/${subject.digest}>; rel="next"`
        })
        res.end(page([entry(a)]))
      }),
      tls
    )
    const client = createRegistryClient({ caFile: pki.caFile })
    await expect(
      inAction(client.listReferrers({ registry: secure.host, repository: 'app' }, subject.digest))
    ).rejects.toThrow(
      `GET ${plain.url}/v2/app/referrers/${subject.digest}: refusing a URL the registry gave from https to plain http (${plain.url}/v2/app/referrers/${subject.digest}); list the host in insecure-registries to allow it`
    )
    await client.close()
    expect(plain.requests).toEqual([])
  })

  it('an upload Location from an https registry to plain http gets no byte', async () => {
    const plain = await hostile((_req, res) => void res.writeHead(202).end())
    const tls = { cert: readFileSync(pki.serverCert, 'utf8'), key: readFileSync(pki.serverKey, 'utf8') }
    const secure = await hostile((req, res) => {
      if (req.url === '/v2/') return void res.writeHead(200).end('{}')
      res.writeHead(202, { location: `${plain.url}/upload/1?_state=x`, 'docker-upload-uuid': '1' })
      res.end()
    }, tls)
    const client = createRegistryClient({ caFile: pki.caFile })
    const start = await client.startUpload({ registry: secure.host, repository: 'app' })
    if (start.mounted) throw new Error('not an upload session')
    const blob = Buffer.from('a layer sent in clear?')
    await expect(client.putBlob(start.session, sha256(blob), blob.length, blob)).rejects.toThrow(
      `PUT ${plain.url}/upload/1?_state=…&digest=…: refusing a URL the registry gave from https to plain http (${plain.url}/upload/1?_state=…&digest=…)`
    )
    await client.close()
    expect(plain.requests).toEqual([])
  })
})

describe('referrers at the walk: subjects checked, fetched side by side', () => {
  it('a referrer whose subject is another digest is left out with a warning', async () => {
    const good = referrer(subject.digest, 1)
    const other = referrer(sha256('another image'), 2)
    const s = await hostile(
      withReferrers(
        [good, other],
        (_req, res) => void res.writeHead(200, indexHeaders).end(page([entry(good), entry(other)]))
      )
    )
    const client = createRegistryClient()
    const log = capturingLogger()
    const graph = await walkGraph(client, { registry: s.host, repository: 'app' }, subject.digest, {
      referrers: 'all',
      logger: log
    })
    await client.close()
    expect(graph.subjects?.map(x => [x.subject, x.referrers.map(r => r.digest)])).toEqual([
      [subject.digest, [good.digest]]
    ])
    expect(graph.manifests.map(m => m.digest)).toEqual([subject.digest, good.digest])
    expect(log.lines.filter(l => l.startsWith('warning'))).toEqual([
      `warning referrer ${other.digest} is listed for ${subject.digest} but its subject is ${sha256('another image')}: left out`
    ])
  })

  it(`the referrers of a subject are fetched ${REFERRER_FETCHES} at a time (was one by one)`, async () => {
    const refs = Array.from({ length: 24 }, (_, n) => referrer(subject.digest, n))
    const byDigest = new Map(refs.map(r => [r.digest, r]))
    let inFlight = 0
    let most = 0
    const s = await hostile((req, res) => {
      const digest = /\/manifests\/(sha256:[0-9a-f]{64})$/.exec(req.url ?? '')?.[1]
      const r = digest ? byDigest.get(digest) : undefined
      if (!r)
        return withReferrers([], (_q, p) => void p.writeHead(200, indexHeaders).end(page(refs.map(entry))))(
          req,
          res
        )
      most = Math.max(most, ++inFlight)
      setTimeout(() => {
        inFlight--
        res.writeHead(200, { 'content-type': r.mediaType, 'docker-content-digest': r.digest }).end(r.bytes)
      }, 50)
    })
    const client = createRegistryClient()
    const graph = await walkGraph(client, { registry: s.host, repository: 'app' }, subject.digest, {
      referrers: 'all'
    })
    await client.close()
    expect(graph.subjects?.[0].referrers.map(r => r.digest)).toEqual(refs.map(r => r.digest))
    expect(most).toBe(REFERRER_FETCHES)
  })
})
