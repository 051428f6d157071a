/**
 * `-v` logs one stderr line per request (method, URL, status, ms; a retry with its number, wait and
 * why) and never a secret: a real copy from a token-server-protected registry (credentials from
 * docker's config.json), behind the fault proxy for one 503, with the CLI run from source.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { request } from 'undici'
import { runCliFromSource } from '../helpers/cli-source.js'
import { listTags, pushImage, randomBlob, type SeededImage } from '../helpers/images.js'
import { startProxy, type Proxy } from '../helpers/proxy.js'
import { startRegistry, type TestRegistry } from '../helpers/registry.js'
import { makeTestPki, type TestPki } from '../helpers/tls.js'
import { startTokenServer, type TokenServer } from '../helpers/token-server.js'

const PASSWORD = 'v-Secret-5d1e07c2'
const SERVICE = 'registry.test'
/** one request line: METHOD URL STATUS|CODE N ms[, retry N/M in N ms (why)] */
const LINE =
  /^debug: (GET|HEAD|PUT|POST|PATCH|DELETE) (https?:\/\/\S+) (\d{3}|[A-Z_]+) \d+ ms(, retry \d+\/\d+ in \d+ ms \(.+\))?$/

describe('-v: the request log', () => {
  let pki: TestPki
  let ts: TokenServer
  let reg: TestRegistry
  let dst: TestRegistry
  let proxy: Proxy
  let image: SeededImage
  let dir: string

  beforeAll(async () => {
    pki = await makeTestPki()
    ts = await startTokenServer({
      pki,
      service: SERVICE,
      users: { alice: PASSWORD },
      acl: { alice: { 'team/app': ['pull', 'push'] } }
    })
    ;[reg, dst] = await Promise.all([startRegistry({ token: ts.registryConfig }), startRegistry()])
    const url = new URL(ts.realm)
    url.searchParams.set('service', SERVICE)
    url.searchParams.set('scope', 'repository:team/app:pull,push')
    const res = await request(url, {
      headers: { authorization: `Basic ${Buffer.from(`alice:${PASSWORD}`).toString('base64')}` }
    })
    const { token } = (await res.body.json()) as { token: string }
    image = await pushImage(reg.url, 'team/app', [randomBlob(50_000)], {
      tag: 'v1',
      headers: { authorization: `Bearer ${token}` }
    })
    proxy = await startProxy(reg.url)
    dir = await mkdtemp(join(tmpdir(), 'pi-verbose-'))
    const auth = Buffer.from(`alice:${PASSWORD}`).toString('base64')
    await writeFile(join(dir, 'config.json'), JSON.stringify({ auths: { [proxy.host]: { auth } } }))
  })
  afterAll(async () => {
    await proxy?.stop()
    await Promise.all([reg?.stop(), dst?.stop(), ts?.stop()])
    await pki?.remove()
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  const run = (args: string[]) => runCliFromSource(args, { HOME: dir, DOCKER_CONFIG: dir })

  it('one line per request put on the wire, the retry with its reason, no secret anywhere', async () => {
    proxy.reset()
    ts.reset()
    let faulted = false
    proxy.setFault(req => {
      if (faulted || !/\/manifests\/v1$/.test(req.url!)) return undefined
      faulted = true
      return { kind: 'respond', status: 503 }
    })
    const r = await run(['copy', '-v', `${proxy.host}/team/app:v1`, `${dst.host}/t/app:v1`])
    proxy.setFault(undefined)
    expect(r.status).toBe(0)
    expect(r.stdout).toBe(`${image.digest}\n`)
    expect(await listTags(dst.url, 't/app')).toEqual(['v1'])

    const lines = r.stderr.split('\n').filter(l => LINE.test(l))
    const parsed = lines.map(l => LINE.exec(l)!)
    const toSource = parsed.filter(m => m[2].startsWith(proxy.url))
    // every request the proxy saw has its line, with the status it got (blob GETs run in parallel:
    // the order in which their answers are logged is not the order the proxy saw them)
    const key = (x: [string, string, number]): string => x.join(' ')
    expect(toSource.map(m => key([m[1], new URL(m[2]).pathname, Number(m[3])])).sort()).toEqual(
      proxy.log.map(e => key([e.method, e.path.split('?')[0], e.status])).sort()
    )
    // the token requests: one line each, the query shown by its keys only
    const tokens = parsed.filter(m => m[2].startsWith(ts.realm))
    expect(tokens.map(m => [m[1], m[2], m[3]])).toEqual(
      ts.requests.map(() => ['GET', `${ts.realm}?service=…&scope=…&account=…`, '200'])
    )
    expect(ts.requests.length).toBeGreaterThan(0)
    // the 503 and its retry, on one line
    const retried = lines.filter(l => l.includes(', retry '))
    expect(retried).toHaveLength(1)
    expect(retried[0]).toMatch(
      new RegExp(
        `^debug: (GET|HEAD) ${proxy.url}/v2/team/app/manifests/v1 503 \\d+ ms, retry 1/4 in \\d+ ms \\(503 Service Unavailable\\)$`
      )
    )
    // every request to the target has its line too
    const toTarget = parsed.filter(m => m[2].startsWith(dst.url))
    expect(toTarget.map(m => m[1])).toContain('PUT')
    // no ping: the target's first wave is its tag listing beside its manifest HEADs (b62ad7a), in
    // either order on the wire
    expect(toTarget[0][1] === 'HEAD' || toTarget[0][2].includes('/tags/list')).toBe(true)
    expect(toTarget.map(m => m[2])).not.toContain(`${dst.url}/v2/`)
    // no secret: password, its base64 form, or any token issued
    const b64 = Buffer.from(`alice:${PASSWORD}`).toString('base64')
    expect(r.stderr).not.toContain(PASSWORD)
    expect(r.stderr).not.toContain(b64)
    expect(ts.issued.length).toBeGreaterThan(0)
    for (const t of ts.issued) expect(r.stderr).not.toContain(t)
    expect(r.stderr).not.toMatch(/_state=[^&…]/)
  }, 60_000)

  it('without -v no request line is written', async () => {
    const r = await run(['copy', `${proxy.host}/team/app:v1`, `${dst.host}/t/quiet:v1`])
    expect(r.status).toBe(0)
    expect(r.stderr.split('\n').filter(l => /^debug: /.test(l))).toEqual([])
  }, 60_000)
})
