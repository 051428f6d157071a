import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { request } from 'undici'
import { startRegistry, type TestRegistry } from '../helpers/registry.js'
import { startProxy, type Proxy } from '../helpers/proxy.js'
import { pushBlob, randomBlob, sha256, type Blob } from '../helpers/images.js'

describe('the fault proxy in front of a real registry', () => {
  let reg: TestRegistry
  let proxy: Proxy
  let blob: Blob

  beforeAll(async () => {
    reg = await startRegistry()
    proxy = await startProxy(reg.url)
    blob = randomBlob(100_000)
    await pushBlob(reg.url, 'p/app', blob)
  })
  afterAll(async () => {
    await proxy?.stop()
    await reg?.stop()
  })
  const get = async (path: string, headers: Record<string, string> = {}) => {
    const res = await request(`${proxy.url}${path}`, { headers })
    return { status: res.statusCode, headers: res.headers, bytes: Buffer.from(await res.body.arrayBuffer()) }
  }
  const blobPath = () => `/v2/p/app/blobs/${blob.digest}`

  it('forwards and records each exchange', async () => {
    proxy.reset()
    proxy.setFault(undefined)
    const r = await get(blobPath(), { 'x-test': 'yes' })
    expect(r.status).toBe(200)
    expect(sha256(r.bytes)).toBe(blob.digest)
    expect(proxy.log).toHaveLength(1)
    expect(proxy.log[0]).toMatchObject({
      n: 1,
      method: 'GET',
      path: blobPath(),
      status: 200,
      requestBytes: 0
    })
    expect(proxy.log[0].requestHeaders['x-test']).toBe('yes')
    expect(proxy.bytesIn(/\/blobs\//)).toBe(100_000)
    expect(proxy.count('GET', /\/blobs\//)).toBe(1)
  })

  it('rewrites upstream Locations to point at the proxy and records upload bytes', async () => {
    proxy.reset()
    const post = await request(`${proxy.url}/v2/p/up/blobs/uploads/`, { method: 'POST' })
    await post.body.dump()
    expect(post.statusCode).toBe(202)
    const loc = String(post.headers.location)
    expect(loc.startsWith(`${proxy.url}/v2/p/up/blobs/uploads/`)).toBe(true)
    const url = new URL(loc)
    url.searchParams.set('digest', blob.digest)
    const put = await request(url, {
      method: 'PUT',
      body: blob.bytes,
      headers: { 'content-length': '100000' }
    })
    await put.body.dump()
    expect(put.statusCode).toBe(201)
    expect(proxy.bytesOut(/\/uploads\//)).toBe(100_000)
  })

  it.each([
    [
      { kind: 'respond' as const, status: 429, headers: { 'retry-after': '3' }, body: 'slow down' },
      429,
      'slow down'
    ],
    [{ kind: 'redirect' as const, status: 302 as const, location: 'http://127.0.0.1:1/x' }, 302, '']
  ])('answers instead of forwarding: %j', async (fault, status, body) => {
    proxy.setFault(() => fault)
    const r = await get(blobPath())
    expect(r.status).toBe(status)
    expect(r.bytes.toString()).toBe(body)
    proxy.setFault(undefined)
  })

  it('flips a byte, truncates, drops a header, rewrites Range', async () => {
    proxy.setFault(() => ({ kind: 'flip', offset: 70_000 }))
    let r = await get(blobPath())
    expect(r.bytes.length).toBe(100_000)
    expect(r.bytes[70_000]).toBe(blob.bytes[70_000] ^ 0xff)
    expect(Buffer.compare(r.bytes.subarray(0, 70_000), blob.bytes.subarray(0, 70_000))).toBe(0)

    proxy.setFault(() => [{ kind: 'dropHeader', name: 'Docker-Content-Digest' }])
    r = await get(blobPath())
    expect(r.headers['docker-content-digest']).toBeUndefined()

    proxy.setFault(() => ({ kind: 'range', value: 'bytes=10-19' }))
    r = await get(blobPath())
    expect(r.status).toBe(206)
    expect(r.bytes.equals(blob.bytes.subarray(10, 20))).toBe(true)

    proxy.setFault(() => ({ kind: 'truncate', bytes: 1000 }))
    await expect(get(blobPath())).rejects.toThrow()
    expect(proxy.log.at(-1)?.responseBytes).toBe(1000)
    proxy.setFault(undefined)
  })

  it('resets before and during a body, and hangs', async () => {
    proxy.setFault(() => ({ kind: 'reset' }))
    await expect(get(blobPath())).rejects.toThrow()
    proxy.setFault(() => ({ kind: 'reset', afterBytes: 5000 }))
    await expect(get(blobPath())).rejects.toThrow()
    expect(proxy.log.at(-1)?.responseBytes).toBe(5000)
    proxy.setFault(() => ({ kind: 'hang' }))
    const started = Date.now()
    await expect(
      request(`${proxy.url}${blobPath()}`, { headersTimeout: 300 }).then(r => r.body.dump())
    ).rejects.toThrow()
    expect(Date.now() - started).toBeGreaterThanOrEqual(290)
    expect(proxy.log.at(-1)?.status).toBe(0)
    proxy.setFault(undefined)
  })
})
