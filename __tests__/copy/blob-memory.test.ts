/**
 * Where blobs were seen, kept between runs (copy/blob-memory.ts): a copy into a new repository of a
 * registry that got the image in another repository in an earlier run mounts every blob from there
 * (nothing read from the source, nothing sent); a remembered repository that no longer holds a blob
 * answers the mount 202 and the blob is uploaded, the entry forgotten; a refused mount (403) is
 * uploaded too; a record file that may not be trusted is not read, and is replaced 0600.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createRegistryClient } from '../../src/registry/factory.js'
import { promote, type PromoteResult } from '../../src/copy/promote.js'
import { BlobMemory, parseBlobMemory } from '../../src/copy/blob-memory.js'
import { silentLogger } from '../../src/logger.js'
import { staticCredentials } from '../../src/auth/credentials.js'
import { startRegistry } from '../helpers/registry.js'
import { makeTestPki, type TestPki } from '../helpers/tls.js'
import { startTokenServer, type TokenServer } from '../helpers/token-server.js'
import type { TestRegistry } from '../helpers/registry.js'
import { startProxy, type Proxy } from '../helpers/proxy.js'
import { pushImage, randomBlob, rawManifest, type SeededImage } from '../helpers/images.js'
import { tally, type Names } from './tally.js'
import { startRegistries } from './setup.js'

describe('blob locations kept between runs', () => {
  let src: TestRegistry
  let dst: TestRegistry
  let ps: Proxy
  let pd: Proxy
  let image: SeededImage
  let names: Names
  let dir: string
  const blobs = ['config', 'layer1', 'layer2']

  beforeAll(async () => {
    ;[src, dst] = await startRegistries(2)
    ;[ps, pd] = await Promise.all([startProxy(src.url), startProxy(dst.url)])
    image = await pushImage(src.url, 'team/app', [randomBlob(300_000), randomBlob(200_000)], { tag: 'v1' })
    names = Object.fromEntries(image.blobs.map((b, i) => [b.digest, blobs[i]]))
    dir = mkdtempSync(join(tmpdir(), 'blob-memory-'))
  })
  afterAll(async () => {
    await Promise.all([ps?.stop(), pd?.stop()])
    await Promise.all([src?.stop(), dst?.stop()])
    rmSync(dir, { recursive: true, force: true })
  })

  /** One run (a fresh client and a fresh BlobMemory on `file`, as a new process) to pd/`repo`:v1. */
  const run = async (file: string, repo: string): Promise<PromoteResult> => {
    const client = createRegistryClient()
    try {
      return await promote(client, {
        source: { registry: ps.host, repository: 'team/app', reference: 'v1' },
        targets: [{ repo: { registry: pd.host, repository: repo }, tags: ['v1'] }],
        blobMemory: new BlobMemory(file)
      })
    } finally {
      await client.close()
    }
  }
  const each = (pattern: string): Record<string, number> =>
    Object.fromEntries(blobs.map(b => [pattern.replace('%', b), 1]))
  const recorded = (file: string): string[] => {
    const parsed = parseBlobMemory(readFileSync(file, 'utf8'))
    if ('problem' in parsed) throw new Error(parsed.problem)
    return parsed.entries.map(e => e.join(' '))
  }
  const entries = (repo: string): string[] => image.blobs.map(b => `${pd.host} ${repo} ${b.digest}`)
  const sizes = (): number => image.blobs.reduce((n, b) => n + b.size, 0)

  it("a second repository on the registry mounts every blob from the first run's repository: no source read, 0 bytes sent", async () => {
    const file = join(dir, 'one', 'blobs', 'locations.json')
    const first = await run(file, 'prod/a')
    expect(first.targets[0]).toMatchObject({ blobsMounted: 0, blobsCopied: 3, bytesCopied: sizes() })
    expect(statSync(join(dir, 'one', 'blobs')).mode & 0o777).toBe(0o700)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(recorded(file).sort()).toEqual(
      [...image.blobs.map(b => `${ps.host} team/app ${b.digest}`), ...entries('prod/a')].sort()
    )

    for (const p of [ps, pd]) p.reset()
    const second = await run(file, 'prod/b')
    expect(second.plan.targets[0].blobs.mount.map(b => names[b.digest]).sort()).toEqual(blobs)
    expect(second.plan.targets[0].bytesToCopy).toBe(0)
    expect(second.targets[0]).toMatchObject({
      blobsMounted: 3,
      blobsCopied: 0,
      bytesCopied: 0,
      verified: true
    })
    expect(second.bytesRead).toBe(0)
    // no blob HEAD: the registry does not know prod/b (its tag listing answered 404)
    expect(tally(pd.entries('*', /\/blobs\//), names)).toEqual({
      ...each('POST prod/b uploads?mount=%&from=prod/a 201')
    })
    expect(ps.count('GET', /\/blobs\//)).toBe(0)
    expect(ps.count('POST', /./)).toBe(0)
    expect((await rawManifest(dst.url, 'prod/b', 'v1'))?.digest).toBe(image.digest)
    expect(recorded(file)).toEqual(expect.arrayContaining(entries('prod/b')))
  })

  it('a remembered repository that no longer holds the blobs: the mount is answered 202, the blobs uploaded into that session, the entries forgotten', async () => {
    const file = join(dir, 'stale', 'locations.json')
    mkdirSync(join(dir, 'stale'), { mode: 0o700 })
    writeFileSync(file, JSON.stringify({ v: 1, seen: entries('prod/gone').map(e => e.split(' ')) }), {
      mode: 0o600
    })
    for (const p of [ps, pd]) p.reset()
    const r = await run(file, 'prod/c')
    expect(r.targets[0]).toMatchObject({
      blobsMounted: 0,
      blobsCopied: 3,
      bytesCopied: sizes(),
      verified: true
    })
    expect(tally(pd.entries('*', /\/blobs\/uploads\//), names)).toEqual({
      ...each('POST prod/c uploads?mount=%&from=prod/gone 202'),
      ...each('PUT prod/c upload?digest=% 201')
    })
    expect((await rawManifest(dst.url, 'prod/c', 'v1'))?.digest).toBe(image.digest)
    const after = recorded(file)
    expect(after.filter(e => e.includes(' prod/gone '))).toEqual([])
    expect(after).toEqual(expect.arrayContaining(entries('prod/c')))
  })

  it('a mount refused (403: no pull access to the remembered repository) is uploaded, and the copy succeeds', async () => {
    const file = join(dir, 'denied', 'locations.json')
    mkdirSync(join(dir, 'denied'), { mode: 0o700 })
    writeFileSync(file, JSON.stringify({ v: 1, seen: entries('prod/a').map(e => e.split(' ')) }), {
      mode: 0o600
    })
    for (const p of [ps, pd]) p.reset()
    pd.setFault(req =>
      req.method === 'POST' && req.url?.includes('mount=')
        ? { kind: 'respond', status: 403, body: '{"errors":[{"code":"DENIED","message":"no pull"}]}' }
        : undefined
    )
    const r = await run(file, 'prod/e').finally(() => pd.setFault(undefined))
    expect(r.targets[0]).toMatchObject({
      blobsMounted: 0,
      blobsCopied: 3,
      bytesCopied: sizes(),
      verified: true
    })
    expect(tally(pd.entries('*', /\/blobs\/uploads\//), names)).toEqual({
      ...each('POST prod/e uploads?mount=%&from=prod/a 403'),
      'POST prod/e uploads 202': 3,
      ...each('PUT prod/e upload?digest=% 201')
    })
    expect(recorded(file).filter(e => e.includes(' prod/a '))).toEqual([])
  })

  it('a record file writable by others is not read (no mount asked) and is replaced 0600', async () => {
    const file = join(dir, 'planted', 'locations.json')
    mkdirSync(join(dir, 'planted'), { mode: 0o700 })
    writeFileSync(file, JSON.stringify({ v: 1, seen: entries('prod/a').map(e => e.split(' ')) }))
    chmodSync(file, 0o666)
    for (const p of [ps, pd]) p.reset()
    const r = await run(file, 'prod/d')
    expect(r.targets[0]).toMatchObject({ blobsMounted: 0, blobsCopied: 3, bytesCopied: sizes() })
    expect(pd.entries('POST', /mount=/)).toEqual([])
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(recorded(file).sort()).toEqual(
      [...image.blobs.map(b => `${ps.host} team/app ${b.digest}`), ...entries('prod/d')].sort()
    )
  })

  it('a repository remembered on another registry is never a mount source; a dry run plans no mount and writes nothing', async () => {
    const file = join(dir, 'elsewhere', 'locations.json')
    mkdirSync(join(dir, 'elsewhere'), { mode: 0o700 })
    const text = JSON.stringify({ v: 1, seen: image.blobs.map(b => [ps.host, 'team/app', b.digest]) })
    writeFileSync(file, text, { mode: 0o600 })
    for (const p of [ps, pd]) p.reset()
    const client = createRegistryClient()
    const dry = await promote(client, {
      source: { registry: ps.host, repository: 'team/app', reference: 'v1' },
      targets: [{ repo: { registry: pd.host, repository: 'prod/f' }, tags: ['v1'] }],
      blobMemory: new BlobMemory(file),
      dryRun: true
    }).finally(() => client.close())
    expect(dry.plan.targets[0].blobs.mount).toEqual([])
    expect(dry.plan.targets[0].bytesToCopy).toBe(sizes())
    expect(readFileSync(file, 'utf8')).toBe(text)
    const r = await run(file, 'prod/f')
    expect(r.targets[0]).toMatchObject({ blobsMounted: 0, blobsCopied: 3, bytesCopied: sizes() })
    expect(pd.entries('POST', /mount=/)).toEqual([])
  })

  it('a re-run that saw only what the record ends with, in that order, does not write it', async () => {
    const file = join(dir, 'again', 'locations.json')
    const digests = image.blobs.map(b => b.digest)
    const run = async (repos: string[]): Promise<void> => {
      const memory = new BlobMemory(file)
      await memory.load(silentLogger)
      for (const r of repos) memory.saw({ registry: pd.host, repository: r }, digests)
      await memory.save(silentLogger)
    }
    await run(['x/one', 'x/two'])
    const written = statSync(file).ino
    await run(['x/one', 'x/two'])
    expect(statSync(file).ino).toBe(written)
    // the same sightings in another order move x/one to the newest: written
    await run(['x/two', 'x/one'])
    expect(statSync(file).ino).not.toBe(written)
    expect(recorded(file)).toEqual([
      ...digests.map(d => `${pd.host} x/two ${d}`),
      ...digests.map(d => `${pd.host} x/one ${d}`)
    ])
  })

  it('keeps at most its limit of entries, the oldest dropped', async () => {
    const file = join(dir, 'bound', 'locations.json')
    const memory = new BlobMemory(file, 4)
    const digests = image.blobs.map(b => b.digest)
    memory.saw({ registry: pd.host, repository: 'x/one' }, digests)
    memory.saw({ registry: pd.host, repository: 'x/two' }, digests)
    await memory.save(silentLogger)
    expect(recorded(file)).toEqual([
      `${pd.host} x/one ${digests[2]}`,
      ...digests.map(d => `${pd.host} x/two ${d}`)
    ])
  })
})

describe('blob locations: a remembered repository the credentials may not pull (token auth)', () => {
  let pki: TestPki
  let ts: TokenServer
  let src: TestRegistry
  let reg: TestRegistry
  let pd: Proxy
  let image: SeededImage
  let dir: string

  beforeAll(async () => {
    pki = await makeTestPki()
    ts = await startTokenServer({
      pki,
      service: 'registry.test',
      users: { alice: 'alice-Pw-1', bob: 'bob-Pw-2' },
      // bob may write prod/c, and nothing of prod/a (where alice's run put the blobs)
      acl: { alice: { 'prod/a': ['pull', 'push'] }, bob: { 'prod/c': ['pull', 'push'] } }
    })
    ;[src, reg] = await Promise.all([startRegistry(), startRegistry({ token: ts.registryConfig })])
    pd = await startProxy(reg.url)
    image = await pushImage(src.url, 'team/app', [randomBlob(100_000)], { tag: 'v1' })
    dir = mkdtempSync(join(tmpdir(), 'blob-memory-auth-'))
  })
  afterAll(async () => {
    await pd?.stop()
    await Promise.all([src?.stop(), reg?.stop()])
    await ts?.stop()
    await pki?.remove()
    rmSync(dir, { recursive: true, force: true })
  })

  const run = async (user: string, password: string, repo: string, file: string): Promise<PromoteResult> => {
    const client = createRegistryClient({
      credentials: staticCredentials({ [pd.host]: { username: user, password } })
    })
    try {
      return await promote(client, {
        source: { registry: src.host, repository: 'team/app', reference: 'v1' },
        targets: [{ repo: { registry: pd.host, repository: repo }, tags: ['v1'] }],
        blobMemory: new BlobMemory(file)
      })
    } finally {
      await client.close()
    }
  }

  it('the mount is refused (401: no pull on prod/a), the blobs are uploaded and the copy succeeds', async () => {
    const file = join(dir, 'locations.json')
    const first = await run('alice', 'alice-Pw-1', 'prod/a', file)
    expect(first.targets[0]).toMatchObject({ blobsCopied: 2, verified: true })
    pd.reset()
    ts.reset()
    const r = await run('bob', 'bob-Pw-2', 'prod/c', file)
    expect(r.plan.targets[0].blobs.mount).toHaveLength(2)
    expect(r.targets[0]).toMatchObject({ blobsMounted: 0, blobsCopied: 2, verified: true })
    const mounts = pd.entries('POST', /mount=/)
    expect(mounts.length).toBeGreaterThanOrEqual(2)
    expect(new Set(mounts.map(e => e.status))).toEqual(new Set([401]))
    // the token asked for the mount names prod/a's pull; the server granted none of it
    const asked = ts.requests.filter(q => q.scopes.includes('repository:prod/a:pull'))
    expect(asked.length).toBeGreaterThan(0)
    expect(asked.flatMap(q => q.granted.filter(g => g.name === 'prod/a'))).toEqual([])
    expect(r.digest).toBe(image.digest)
  })
})

describe('blob locations: the sightings a plan reads', () => {
  const d1 = `sha256:${'1'.repeat(64)}`
  const d2 = `sha256:${'2'.repeat(64)}`
  const key = (registry: string, digest: string): string => `${registry} ${digest}`

  it('follow every saw() and forget() once built, newest first, as a rebuild from the entries would', () => {
    const memory = new BlobMemory(join(mkdtempSync(join(tmpdir(), 'sightings-')), 'locations.json'))
    const at = (repository: string): { registry: string; repository: string } => ({
      registry: 'reg.example:5000',
      repository
    })
    memory.saw(at('a'), [d1, d2])
    const first = memory.sightings()
    expect([...first]).toEqual([
      [key('reg.example:5000', d2), ['a']],
      [key('reg.example:5000', d1), ['a']]
    ])
    memory.saw(at('b'), [d1])
    memory.saw(at('other.example/c'), [d1])
    memory.saw(at('a'), [d1])
    expect(memory.sightings().get(key('reg.example:5000', d1))).toEqual(['a', 'other.example/c', 'b'])
    memory.forget(at('other.example/c'), d1)
    memory.forget(at('a'), d2)
    expect(Object.fromEntries(memory.sightings())).toEqual({ [key('reg.example:5000', d1)]: ['a', 'b'] })
    // a fresh memory given the same sightings in the same order builds the same lists
    const rebuilt = new BlobMemory(join(mkdtempSync(join(tmpdir(), 'sightings-')), 'locations.json'))
    rebuilt.saw(at('b'), [d1])
    rebuilt.saw(at('a'), [d1])
    expect(rebuilt.sightings()).toEqual(memory.sightings())
  })
})
