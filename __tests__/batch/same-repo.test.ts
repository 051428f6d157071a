/**
 * A promotion file whose images share a base layer and land in one repository (tag variants:
 * app:v1-one, app:v1-three, …), on real registries behind recording proxies that hold requests
 * back to make the race of the images deterministic. The shared layer crosses the network once per
 * target registry, and once only into that one repository: the images that come later write
 * nothing there (no second upload, no mount into the repository that holds it, which distribution
 * answers by rewriting the blob's link while another image's manifest PUT may be reading it:
 * MANIFEST_BLOB_UNKNOWN). Every image is promoted and tagged.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseCommandLine, type PromoteFileCommand } from '../../src/cli/args.js'
import { runPromoteFile } from '../../src/cli/promote-file.js'
import { createRegistryClient } from '../../src/registry/factory.js'
import { parsePromotionFile } from '../../src/batch/file.js'
import { runBatch } from '../../src/batch/run.js'
import { batchJson, batchMarkdown, batchText, batchTotals } from '../../src/batch/report.js'
import type { TestRegistry } from '../helpers/registry.js'
import { startProxy, type FaultHook, type Proxy } from '../helpers/proxy.js'
import {
  listTags,
  OCI_INDEX,
  OCI_MANIFEST,
  pushImage,
  pushIndex,
  pushManifest,
  randomBlob,
  rawManifest,
  type Blob,
  type SeededImage
} from '../helpers/images.js'
import { startRegistries } from '../copy/setup.js'

/** The digest of `{}`, the records' config. */
const EMPTY_CONFIG = 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a'

/** A promise and its release. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open = (): void => undefined
  const promise = new Promise<void>(r => (open = r))
  return { promise, open }
}

describe('promote -f: images sharing a layer into one repository', () => {
  let src: TestRegistry
  let ra: TestRegistry
  let rb: TestRegistry
  let pa: Proxy
  let pb: Proxy
  let base: Blob
  const images = new Map<string, SeededImage>()
  const NAMES = ['one', 'two', 'three', 'four']
  const dir = mkdtempSync(join(tmpdir(), 'same-repo-'))
  const xdg = process.env.XDG_CACHE_HOME

  beforeAll(async () => {
    ;[src, ra, rb] = await startRegistries(3)
    ;[pa, pb] = await Promise.all([startProxy(ra.url), startProxy(rb.url)])
    base = randomBlob(300_000)
    for (const [i, name] of NAMES.entries())
      images.set(name, await pushImage(src.url, `team/${name}`, [base, randomBlob(2_000 + i)], { tag: 'rc' }))
  })
  afterAll(async () => {
    await Promise.all([pa?.stop(), pb?.stop()])
    await Promise.all([src?.stop(), ra?.stop(), rb?.stop()])
    if (xdg === undefined) delete process.env.XDG_CACHE_HOME
    else process.env.XDG_CACHE_HOME = xdg
  })
  beforeEach(() => {
    process.env.XDG_CACHE_HOME = mkdtempSync(join(dir, 'cache-'))
    for (const p of [pa, pb]) {
      p.reset()
      p.setFault(undefined)
    }
  })

  const digestIn = (path: string, digest: string): boolean =>
    decodeURIComponent(path).includes(`digest=${digest}`)
  const uploads = (p: Proxy, digest: string): number =>
    p.entries('PUT', /\/blobs\/uploads\//).filter(e => digestIn(e.path, digest)).length
  const mounts = (p: Proxy, digest: string): number =>
    p.log.filter(e => e.method === 'POST' && decodeURIComponent(e.path).includes(`mount=${digest}`)).length
  const run = async (path: string): Promise<{ code: number; out: string; err: string }> => {
    const cmd = parseCommandLine(['promote', '-f', path, '--json'], {
      fileExists: () => true
    }) as PromoteFileCommand
    const out: string[] = []
    const err: string[] = []
    const log = (m: string): void => void err.push(m)
    const code = await runPromoteFile(cmd, {
      out: t => void out.push(t),
      log: { debug: log, info: log, warning: log }
    })
    return { code, out: out.join(''), err: err.join('\n') }
  }

  it('the layer crosses once per registry, once into the shared repository, while an image bound elsewhere uploads it first', async () => {
    // two goes to registry A only; one, three and four go to A and to ONE repository at B
    const path = join(dir, 'variants.yaml')
    writeFileSync(
      path,
      [
        'images:',
        ...NAMES.flatMap(n => [
          `  - name: ${n}`,
          `    source: ${src.host}/team/${n}:rc`,
          `    targets: [${pa.host}/acme/${n}${n === 'two' ? '' : `, ${pb.host}/acme/app`}]`,
          `    tags: [v1-${n}]`
        ])
      ].join('\n') + '\n'
    )
    const others = NAMES.filter(n => n !== 'two')
    const configs = new Set(others.map(n => images.get(n)?.blobs[0].digest as string))
    const uploadAtA = gate()
    const othersMoving = gate()
    const configsAtB = new Set<string>()
    // B: the probes of the shared layer wait until two's upload of it to A has begun, so two claims it
    // first; their own configs landing at B says the three are in their move phase
    const atB: FaultHook = req => {
      if (req.method === 'HEAD' && req.url?.includes(`/blobs/${base.digest}`))
        return { kind: 'until', released: uploadAtA.promise }
      const config = [...configs].find(c => req.method === 'PUT' && digestIn(req.url ?? '', c))
      if (config) {
        configsAtB.add(config)
        if (configsAtB.size === configs.size) othersMoving.open()
      }
      return undefined
    }
    // A: two's upload of the shared layer is held until the three others wait for it
    const atA: FaultHook = req => {
      if (req.method !== 'PUT' || !digestIn(req.url ?? '', base.digest)) return undefined
      uploadAtA.open()
      return { kind: 'until', released: othersMoving.promise }
    }
    pa.setFault(atA)
    pb.setFault(atB)
    const { code, out, err } = await run(path)
    expect([code, err]).toEqual([0, expect.any(String)])
    const json = JSON.parse(out) as Array<{ name: string; digest?: string }>
    expect(json.map(j => [j.name, j.digest])).toEqual(NAMES.map(n => [n, images.get(n)?.digest]))
    // A: two uploads it, the three others mount it from acme/two
    expect([uploads(pa, base.digest), mounts(pa, base.digest)]).toEqual([1, 3])
    // B: one upload into acme/app, and nothing more written there (no upload, no mount)
    expect([uploads(pb, base.digest), mounts(pb, base.digest)]).toEqual([1, 0])
    for (const n of NAMES) expect(await listTags(ra.url, `acme/${n}`)).toEqual([`v1-${n}`])
    expect(await listTags(rb.url, 'acme/app')).toEqual(['v1-four', 'v1-one', 'v1-three'])
    expect(err).toContain(`already there (another image put it there)`)
  })

  it('one source promoted under three tags into one repository: each blob crosses once, every tag written', async () => {
    const path = join(dir, 'same-source.yaml')
    writeFileSync(
      path,
      [
        'images:',
        ...['v1', 'stable', 'prod'].flatMap(t => [
          `  - name: ${t}`,
          `    source: ${src.host}/team/one:rc`,
          `    targets: [${pb.host}/same/app]`,
          `    tags: [${t}]`
        ])
      ].join('\n') + '\n'
    )
    // the three probes of the shared layer are answered together, so the three plans race
    const probed = gate()
    let heads = 0
    pb.setFault(req => {
      if (req.method !== 'HEAD' || !req.url?.includes(`/blobs/${base.digest}`)) return undefined
      if (++heads === 3) probed.open()
      return { kind: 'until', released: probed.promise }
    })
    const { code, err } = await run(path)
    expect([code, err]).toEqual([0, expect.any(String)])
    const blobs = images.get('one')?.blobs ?? []
    expect(blobs.map(b => [uploads(pb, b.digest), mounts(pb, b.digest)])).toEqual(blobs.map(() => [1, 0]))
    expect(await listTags(rb.url, 'same/app')).toEqual(['prod', 'stable', 'v1'])
  })

  it('four images of one source signed into one repository: the fallback index lists every record', async () => {
    const one = images.get('one') as SeededImage
    // the target holds the image already: only tags and records are written
    await pushImage(rb.url, 'rec/app', one.blobs.slice(1), { tag: 'seed' })
    const key = join(dir, 'record.pem')
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    writeFileSync(key, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString())
    const TAGS = ['v1', 'stable', 'prod', 'lts']
    const path = join(dir, 'records.yaml')
    writeFileSync(
      path,
      [
        'defaults:',
        `  sign-key: ${key}`,
        'images:',
        ...TAGS.flatMap(t => [
          `  - name: ${t}`,
          `    source: ${src.host}/team/one:rc`,
          `    targets: [${pb.host}/rec/app]`,
          `    tags: [${t}]`
        ])
      ].join('\n') + '\n'
    )
    const fallback = `/manifests/${one.digest.replace(':', '-')}`
    // the first 4 reads of the fallback tag are the plans' (the tags wait for them); the reads
    // before a record is merged in are held until every image has pushed its record by digest, so
    // without one-at-a-time all four read the same index and the last write wins
    const planned = gate()
    const recorded = gate()
    let reads = 0
    let records = 0
    pb.setFault(req => {
      const url = req.url ?? ''
      if (req.method === 'GET' && url.endsWith(fallback))
        return ++reads <= TAGS.length
          ? (reads === TAGS.length && planned.open(), undefined)
          : { kind: 'until', released: recorded.promise }
      if (req.method === 'PUT' && TAGS.some(t => url.endsWith(`/manifests/${t}`)))
        return { kind: 'until', released: planned.promise }
      if (req.method === 'PUT' && url.includes('/manifests/sha256:') && ++records === TAGS.length)
        recorded.open()
      return undefined
    })
    const { code, out, err } = await run(path)
    expect([code, err]).toEqual([0, expect.any(String)])
    const json = JSON.parse(out) as Array<{
      name: string
      records?: Array<{ action: string; digest: string }>
    }>
    const written = json.flatMap(j => (j.records ?? []).map(r => [j.name, r.action]))
    expect(written).toEqual(TAGS.map(t => [t, 'written']))
    const raw = await rawManifest(rb.url, 'rec/app', one.digest.replace(':', '-'))
    const index = JSON.parse(raw?.bytes.toString() ?? '{}') as { manifests?: Array<{ digest: string }> }
    expect((index.manifests ?? []).map(m => m.digest).sort()).toEqual(
      json.flatMap(j => (j.records ?? []).map(r => r.digest)).sort()
    )
    // the records' shared empty config: uploaded once into the repository
    expect(uploads(pb, EMPTY_CONFIG)).toBe(1)
  })

  it('another writer replaces the fallback index right after the record is merged in: merged and written again', async () => {
    const one = images.get('one') as SeededImage
    await pushImage(rb.url, 'rec2/app', one.blobs.slice(1), { tag: 'seed' })
    const key = join(dir, 'record2.pem')
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    writeFileSync(key, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString())
    const path = join(dir, 'record2.yaml')
    writeFileSync(
      path,
      [
        'images:',
        `  - name: one`,
        `    source: ${src.host}/team/one:rc`,
        `    targets: [${pb.host}/rec2/app]`,
        `    tags: [v1]`,
        `    sign-key: ${key}`
      ].join('\n') + '\n'
    )
    const tag = one.digest.replace(':', '-')
    // another process's index: it lists the image itself (a manifest the repository holds), not the record
    const theirs = { mediaType: OCI_MANIFEST, digest: one.digest, size: one.bytes.length }
    const replace = (): Promise<string> =>
      pushManifest(
        rb.url,
        'rec2/app',
        tag,
        Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [theirs] })),
        OCI_INDEX
      )
    let reads = 0
    // reads of the tag: the plan's, the merge's, then the re-read after the write: the other
    // writer's PUT lands just before it
    pb.setFault(req =>
      req.method === 'GET' && req.url?.endsWith(`/manifests/${tag}`) && ++reads === 3
        ? { kind: 'until', released: replace() }
        : undefined
    )
    const { code, out, err } = await run(path)
    expect([code, err]).toEqual([0, expect.any(String)])
    const json = JSON.parse(out) as Array<{ records?: Array<{ digest: string }> }>
    const record = json[0].records?.[0].digest
    const raw = await rawManifest(rb.url, 'rec2/app', tag)
    const index = JSON.parse(raw?.bytes.toString() ?? '{}') as { manifests?: Array<{ digest: string }> }
    expect((index.manifests ?? []).map(m => m.digest)).toEqual([one.digest, record])
    expect(pb.count('PUT', new RegExp(`/manifests/${tag}$`))).toBe(2)
  })

  it("a failed image's targets are rows (text, summary, JSON) holding what it moved, and the rows add up to the total", async () => {
    const { images: entries } = parsePromotionFile(
      [
        'images:',
        ...['one', 'two'].flatMap(n => [
          `  - name: ${n}`,
          `    source: ${src.host}/team/${n}:rc`,
          `    targets: [${pa.host}/sum/${n}, ${pb.host}/sum/${n}]`,
          '    tags: [v1]',
          '    referrers: none'
        ])
      ].join('\n'),
      'sum.yaml'
    )
    // B refuses two's manifest: its blobs landed at A and B, its manifest at A, and no tag anywhere
    pb.setFault(req =>
      req.method === 'PUT' && req.url?.startsWith('/v2/sum/two/manifests/')
        ? { kind: 'respond', status: 403, body: '{"errors":[{"code":"DENIED","message":"no"}]}' }
        : undefined
    )
    const client = createRegistryClient()
    const outcomes = await runBatch(client, entries).finally(() => client.close())
    expect(outcomes.map(o => [o.image.name, o.error ? 'failed' : 'promoted'])).toEqual([
      ['one', 'promoted'],
      ['two', 'failed']
    ])
    // per registry: the shared layer, and each image's config and own layer
    const totals = batchTotals(outcomes)
    expect(totals.blobsCopied).toBe(10)
    const text = batchText(outcomes)
    const json = JSON.parse(JSON.stringify(batchJson(outcomes))) as Array<{
      name: string
      digest?: string
      targets: Array<Record<string, unknown>>
    }>
    const rows = json.flatMap(j => j.targets.map(t => [j.name, t.blobsCopied, t.bytesCopied]))
    expect(rows.reduce((n, r) => n + (r[1] as number), 0)).toBe(totals.blobsCopied)
    expect(rows.reduce((n, r) => n + (r[2] as number), 0)).toBe(totals.bytesCopied)
    // the failed image's digest, as planned
    expect(json.map(j => [j.name, j.digest])).toEqual([
      ['one', images.get('one')?.digest],
      ['two', images.get('two')?.digest]
    ])
    expect(text).toContain(`two: ${src.host}/team/two:rc = ${images.get('two')?.digest}\n  FAILED: `)
    expect(json[1].targets.map(t => [t.reference, t.holdsImage, t.tagged])).toEqual([
      [`${pa.host}/sum/two`, true, []],
      [`${pb.host}/sum/two`, false, []]
    ])
    // the text: two's table under its failure, a row per target
    const section = text.split('\n\n').find(p => p.startsWith('two:')) ?? ''
    expect(
      section
        .split('\n')
        .filter(l => l.startsWith(`${pa.host}/sum/two `) || l.startsWith(`${pb.host}/sum/two `))
    ).toHaveLength(2)
    // the summary: the "blobs copied" column adds up to the total
    const md = batchMarkdown(outcomes)
    const cells = md
      .split('\n')
      .filter(l => /^\| (one|two) \|/.test(l))
      .map(l => l.split('|').map(c => c.trim()))
    // the failed image first (newuser4 finding 13: it came after every promoted one)
    expect(cells.map(c => [c[1], c[3].replace(/ \(.*/, '')])).toEqual([
      // newuser3 finding 9, before: 'failed: holds the image', with no reason (it failed at B only)
      [
        'two',
        `not tagged: <code>${pb.host}/sum/two</code> failed, and no tag is written until every target holds the image`
      ],
      ['two', 'failed: does not hold the image'],
      ['one', 'promoted'],
      ['one', 'promoted']
    ])
    // before: '## Promotion file', whatever happened
    expect(md.split('\n')[0]).toBe('## ❌ Promotion file: 1 of 2 images failed')
    expect(cells.reduce((n, c) => n + Number(c[5]), 0)).toBe(totals.blobsCopied)
  })

  it('one index promoted under four tags into one repository: each child manifest PUT once, every tag written', async () => {
    const index = await pushIndex(src.url, 'team/multi', 'rc', {
      platforms: [
        { os: 'linux', architecture: 'amd64' },
        { os: 'linux', architecture: 'arm64' }
      ],
      shared: [base],
      uniqueSize: 3_000
    })
    const TAGS = ['v1', 'stable', 'prod', 'lts']
    const path = join(dir, 'index.yaml')
    writeFileSync(
      path,
      [
        'images:',
        ...TAGS.flatMap(t => [
          `  - name: ${t}`,
          `    source: ${src.host}/team/multi:rc`,
          `    targets: [${pb.host}/multi/app]`,
          `    tags: [${t}]`
        ])
      ].join('\n') + '\n'
    )
    // the four probes of the root are answered together, so the four plans all push the children
    const probed = gate()
    let heads = 0
    pb.setFault(req => {
      if (req.method !== 'HEAD' || !req.url?.endsWith(`/manifests/${index.digest}`)) return undefined
      if (++heads === TAGS.length) probed.open()
      return { kind: 'until', released: probed.promise }
    })
    const { code, err } = await run(path)
    expect([code, err]).toEqual([0, expect.any(String)])
    const puts = (digest: string): number => pb.count('PUT', new RegExp(`/multi/app/manifests/${digest}$`))
    expect(index.children.map(c => puts(c.digest))).toEqual(index.children.map(() => 1))
    expect(await listTags(rb.url, 'multi/app')).toEqual(['lts', 'prod', 'stable', 'v1'])
  })
})
