/**
 * Reused read buffers (src/registry/read-buffers.ts): a plain-http source's body chunks are views of
 * 64 KiB buffers that are read into again once every target's socket write of them has completed.
 * A target behind a stand-in of ours that reads slowly keeps writes pending for long: were a buffer
 * handed back early, the bytes that target receives would be overwritten by later reads and its
 * registry would refuse the digest. Each layer is read back from every target and hashed, and the
 * pool must have been read into again (more reads into reused buffers than buffers allocated).
 * Real registries (distribution on loopback); an https target too.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { connect, createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Agent, request } from 'undici'
import { promote, type PromoteOptions } from '../../src/copy/promote.js'
import { createRegistryClient } from '../../src/registry/factory.js'
import { readBufferStats } from '../../src/registry/read-buffers.js'
import { pushImage, randomBlob, type SeededImage } from '../helpers/images.js'
import { startRegistry, type TestRegistry } from '../helpers/registry.js'

/**
 * A TCP stand-in in front of `upstream` (host:port) that reads what clients send slowly: after each
 * read it stops reading for `pauseMs` (so the client's socket writes stay pending), answers as is.
 */
async function slowReader(upstream: string, pauseMs: number): Promise<{ host: string; server: Server }> {
  const [host, port] = upstream.split(':')
  const server = createServer(client => {
    const up = connect(Number(port), host)
    up.pipe(client)
    client.on('data', chunk => {
      up.write(chunk)
      client.pause()
      setTimeout(() => client.resume(), pauseMs)
    })
    client.on('end', () => up.end())
    client.on('error', () => up.destroy())
    up.on('error', () => client.destroy())
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const address = server.address() as { port: number }
  return { host: `127.0.0.1:${address.port}`, server }
}

/** sha256 of a blob as `base` (http(s)://host) serves it. */
async function served(base: string, repo: string, digest: string, dispatcher?: Agent): Promise<string> {
  const res = await request(`${base}/v2/${repo}/blobs/${digest}`, { dispatcher })
  expect(res.statusCode).toBe(200)
  const hash = createHash('sha256')
  for await (const chunk of res.body) hash.update(chunk as Buffer)
  return `sha256:${hash.digest('hex')}`
}

describe('reused read buffers', () => {
  let dir: string
  let src: TestRegistry
  let fast: TestRegistry
  let slow: TestRegistry
  let tlsReg: TestRegistry
  let standIn: { host: string; server: Server }
  let image: SeededImage
  let cert: string
  const layer = (): { digest: string } => image.blobs[1]

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pi-read-buffers-'))
    cert = join(dir, 'tls.pem')
    const key = join(dir, 'tls.key')
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2'].concat([
        '-subj',
        '/CN=read-buffers',
        '-addext',
        'subjectAltName=IP:127.0.0.1'
      ]),
      { stdio: ['ignore', 'ignore', 'pipe'] }
    )
    ;[src, fast, slow, tlsReg] = await Promise.all([
      startRegistry(),
      startRegistry(),
      startRegistry(),
      startRegistry({ tls: { certificate: cert, key } })
    ])
    standIn = await slowReader(slow.host, 4)
    // 24 MiB: far more than the sockets' kernel buffers, so writes to the slow target wait
    image = await pushImage(src.url, 'team/app', [randomBlob(24 << 20)], { tag: 'v1' })
  }, 60_000)
  afterAll(async () => {
    standIn?.server.close()
    await Promise.all([src, fast, slow, tlsReg].map(r => r?.stop()))
    await rm(dir, { recursive: true, force: true })
  })

  /** Promotes team/app:v1 to `targets` (registry hosts) as `repository`; the pool's reads meanwhile. */
  const run = async (
    targets: string[],
    repository: string,
    options: Partial<PromoteOptions> = {}
  ): Promise<{ allocated: number; reused: number }> => {
    const before = { ...readBufferStats }
    const client = createRegistryClient({ caFile: cert })
    try {
      await promote(client, {
        source: { registry: src.host, repository: 'team/app', reference: 'v1' },
        targets: targets.map(registry => ({ repo: { registry, repository }, tags: ['v1'] })),
        ...options
      })
    } finally {
      await client.close()
    }
    return {
      allocated: readBufferStats.allocated - before.allocated,
      reused: readBufferStats.reused - before.reused
    }
  }

  it('fan-out to a fast and a slow target: the layer arrives whole at both, from reused buffers', async () => {
    const reads = await run([fast.host, standIn.host], 'prod/fan')
    expect(await served(fast.url, 'prod/fan', layer().digest)).toBe(layer().digest)
    expect(await served(slow.url, 'prod/fan', layer().digest)).toBe(layer().digest)
    expect(reads.reused).toBeGreaterThan(reads.allocated)
  }, 120_000)

  it('one slow target (the source piped into its upload): the layer arrives whole', async () => {
    const reads = await run([standIn.host], 'prod/one')
    expect(await served(slow.url, 'prod/one', layer().digest)).toBe(layer().digest)
    expect(reads.reused).toBeGreaterThan(reads.allocated)
  }, 120_000)

  it('small layers read whole (copied out of the read buffers): the buffers are read into again', async () => {
    const small = await pushImage(
      src.url,
      'team/small',
      Array.from({ length: 48 }, () => randomBlob(50_000)),
      { tag: 'v1' }
    )
    // two transfers at a time: the source's connections, and their buffers, are used again
    const reads = await run([fast.host], 'prod/small', {
      source: { registry: src.host, repository: 'team/small', reference: 'v1' },
      concurrency: 1,
      smallBlobsPerSlot: 1
    })
    for (const blob of small.blobs)
      expect(await served(fast.url, 'prod/small', blob.digest)).toBe(blob.digest)
    // were the buffers a blob was read into never handed back, each blob would take new ones
    // (89 allocated for these 49 blobs without releaseChunk, 14 with it)
    expect(reads.allocated).toBeLessThan(small.blobs.length)
    expect(reads.reused).toBeGreaterThan(reads.allocated)
  }, 120_000)

  it('plain-http source to an https target and a plain one: whole at both', async () => {
    const reads = await run([tlsReg.host, standIn.host], 'prod/tls')
    const agent = new Agent({ connect: { ca: await readFile(cert) } })
    try {
      expect(await served(tlsReg.url, 'prod/tls', layer().digest, agent)).toBe(layer().digest)
    } finally {
      await agent.close()
    }
    expect(await served(slow.url, 'prod/tls', layer().digest)).toBe(layer().digest)
    expect(reads.reused).toBeGreaterThan(reads.allocated)
  }, 120_000)
})
