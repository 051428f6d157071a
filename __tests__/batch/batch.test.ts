/**
 * A promotion file on real registries: ten images sharing one base layer, promoted to two target
 * registries through recording proxies. The shared layer crosses the network once per target
 * registry (the other repositories there mount it), one image whose source is missing fails while
 * the other nine are complete and tagged at both targets, a re-run uploads nothing, and shards
 * promote exactly their images.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseCommandLine, type PlanCommand, type PromoteFileCommand } from '../../src/cli/args.js'
import { runPromoteFile } from '../../src/cli/promote-file.js'
import { runPlan } from '../../src/cli/plan.js'
import type { Io } from '../../src/cli/io.js'
import type { TestRegistry } from '../helpers/registry.js'
import { startProxy, type Proxy } from '../helpers/proxy.js'
import { listTags, pushImage, randomBlob, type Blob, type SeededImage } from '../helpers/images.js'
import { startRegistries } from '../copy/setup.js'
import { formatBytes } from '../../src/report/format.js'
import { BlobMemory, defaultBlobMemoryFile } from '../../src/copy/blob-memory.js'

const NAMES = Array.from({ length: 10 }, (_, i) => `app${i}`)
const MISSING = 'app9'
/** images sharing nothing (the shard test) */
const SOLOS = Array.from({ length: 6 }, (_, i) => `solo${i}`)

describe('promote -f FILE', () => {
  let src: TestRegistry
  let d1: TestRegistry
  let d2: TestRegistry
  let ps: Proxy
  let p1: Proxy
  let p2: Proxy
  let base: Blob
  const images = new Map<string, SeededImage>()
  const dir = mkdtempSync(join(tmpdir(), 'promotion-file-'))

  beforeAll(async () => {
    ;[src, d1, d2] = await startRegistries(3)
    ;[ps, p1, p2] = await Promise.all([startProxy(src.url), startProxy(d1.url), startProxy(d2.url)])
    base = randomBlob(60_000)
    for (const [i, name] of NAMES.entries())
      if (name !== MISSING)
        images.set(
          name,
          await pushImage(src.url, `team/${name}`, [base, randomBlob(1_000 + i)], { tag: 'rc' })
        )
    for (const name of SOLOS)
      images.set(name, await pushImage(src.url, `team/${name}`, [randomBlob(20_000)], { tag: 'rc' }))
  })
  afterAll(async () => {
    await Promise.all([ps?.stop(), p1?.stop(), p2?.stop()])
    await Promise.all([src?.stop(), d1?.stop(), d2?.stop()])
    if (xdg === undefined) delete process.env.XDG_CACHE_HOME
    else process.env.XDG_CACHE_HOME = xdg
  })
  // runs are in this process: their kept state goes to a directory of this file's, and each test
  // starts with no record of where earlier tests put the shared layer (copy/blob-memory.ts), which
  // would have it mounted rather than uploaded once per registry
  const xdg = process.env.XDG_CACHE_HOME
  beforeEach(() => {
    process.env.XDG_CACHE_HOME = mkdtempSync(join(dir, 'cache-'))
  })

  /** A promotion file of `names` under prefix `acme-<prefix>` at both target registries. */
  const file = (prefix: string, names: string[]): string => {
    const path = join(dir, `${prefix}.yaml`)
    const lines = [
      'defaults:',
      `  targets: [${p1.host}/${prefix}, ${p2.host}/${prefix}]`,
      'images:',
      ...names.flatMap(n => [
        `  - name: ${n}`,
        `    source: ${ps.host}/team/${n}:rc`,
        '    tags: [v1, latest]'
      ])
    ]
    writeFileSync(path, lines.join('\n') + '\n')
    return path
  }
  const capture = (): { io: Io; out: string[]; err: string[] } => {
    const out: string[] = []
    const err: string[] = []
    const log = (m: string): void => void err.push(m)
    return {
      io: { out: t => void out.push(t), log: { debug: () => undefined, info: log, warning: log } },
      out,
      err
    }
  }
  const run = async (argv: string[]): Promise<{ code: number; out: string; err: string }> => {
    const cmd = parseCommandLine(argv, { fileExists: () => true }) as PromoteFileCommand | PlanCommand
    const { io, out, err } = capture()
    const code = cmd.command === 'plan' ? await runPlan(cmd, io) : await runPromoteFile(cmd, io)
    return { code, out: out.join(''), err: err.join('\n') }
  }
  const uploads = (p: Proxy, digest: string): number =>
    p.count('PUT', new RegExp(`/blobs/uploads/.*digest=${digest.replace(':', '(:|%3A)')}`))
  const mounts = (p: Proxy, digest: string): number =>
    p.log.filter(
      e => e.method === 'POST' && e.status === 201 && decodeURIComponent(e.path).includes(`mount=${digest}`)
    ).length
  const uploadedBytes = (p: Proxy): number => p.bytesOut(/\/blobs\/uploads\//)

  it('uploads the shared layer once per target registry, fails only the missing image, and a re-run uploads nothing', async () => {
    const path = file('acme', NAMES)
    for (const p of [ps, p1, p2]) p.reset()
    const first = await run(['promote', '-f', path, '--json'])
    expect(first.code).toBe(1)
    const json = JSON.parse(first.out) as Array<{ name: string; digest?: string; error?: string }>
    expect(json.map(j => [j.name, j.digest ?? j.error])).toEqual(
      NAMES.map(n =>
        n === MISSING ? [n, `${ps.host}/team/${n}:rc does not exist`] : [n, images.get(n)?.digest]
      )
    )
    expect(first.err).toContain(
      `promote-image: 1 of 10 images failed:\n  ${MISSING}: ${ps.host}/team/${MISSING}:rc does not exist`
    )
    // every blob but the shared one is the image's own: config + unique layer, 9 images
    const own = NAMES.flatMap(n => images.get(n)?.blobs ?? []).filter(b => b.digest !== base.digest)
    const ownBytes = own.reduce((n, b) => n + b.size, 0)
    for (const p of [p1, p2]) {
      expect(uploads(p, base.digest)).toBe(1)
      expect(mounts(p, base.digest)).toBe(8)
      expect(own.map(b => uploads(p, b.digest))).toEqual(own.map(() => 1))
      expect(uploadedBytes(p)).toBe(base.size + ownBytes)
    }
    // the source is read once per blob: the shared layer once for both registries and nine images
    expect(ps.count('GET', new RegExp(`/blobs/${base.digest}`))).toBe(1)
    for (const d of [d1, d2])
      for (const n of NAMES)
        expect([n, await listTags(d.url, `acme/${n}`)]).toEqual([n, n === MISSING ? [] : ['latest', 'v1']])

    for (const p of [ps, p1, p2]) p.reset()
    const second = await run(['promote', '-f', path])
    expect(second.code).toBe(1)
    expect([uploadedBytes(p1), uploadedBytes(p2), p1.count('POST'), p2.count('POST')]).toEqual([0, 0, 0, 0])
    expect(ps.bytesIn(/\/blobs\//)).toBe(0)
    expect(second.out).toBe(
      NAMES.filter(n => n !== MISSING)
        .map(n => `${n} ${images.get(n)?.digest}\n`)
        .join('')
    )
  })

  it('writes the blob record once for the whole file, holding what every image that succeeded saw', async () => {
    const saves = jest.spyOn(BlobMemory.prototype, 'save')
    try {
      const { code } = await run(['promote', '-f', file('kept', NAMES)])
      expect(code).toBe(1)
      expect(saves).toHaveBeenCalledTimes(1)
    } finally {
      saves.mockRestore()
    }
    const record = JSON.parse(readFileSync(defaultBlobMemoryFile(), 'utf8')) as {
      v: number
      seen: string[][]
    }
    const expected = NAMES.filter(n => n !== MISSING).flatMap(n =>
      [`${ps.host} team/${n}`, `${p1.host} kept/${n}`, `${p2.host} kept/${n}`].flatMap(repo =>
        (images.get(n)?.blobs ?? []).map(b => `${repo} ${b.digest}`)
      )
    )
    expect(record.seen.map(e => e.join(' ')).sort()).toEqual([...new Set(expected)].sort())
  })

  it('plan --shards N covers every image once, and --shard K/N promotes exactly that shard', async () => {
    const apps = NAMES.filter(n => n !== MISSING)
    const names = [...apps, ...SOLOS]
    const path = file('sharded', names)
    const plan = await run(['plan', '-f', path, '--shards', '3'])
    expect(plan.code).toBe(0)
    expect(plan.out.endsWith('\n') && !plan.out.trimEnd().includes('\n')).toBe(true)
    const matrix = JSON.parse(plan.out) as { include: Array<{ shard: string; images: string[] }> }
    // the nine images on one base stay together; the six that share nothing are spread by bytes
    expect(matrix).toEqual({
      include: [
        { shard: '1/3@bef5e24a407e', images: apps },
        { shard: '2/3@bef5e24a407e', images: ['solo0', 'solo2', 'solo4'] },
        { shard: '3/3@bef5e24a407e', images: ['solo1', 'solo3', 'solo5'] }
      ]
    })
    expect(matrix.include.flatMap(e => e.images).sort()).toEqual([...names].sort())
    const second = matrix.include[1].images
    for (const p of [p1, p2]) p.reset()
    const shard = await run(['promote', '-f', path, '--shard', matrix.include[1].shard])
    expect(shard.code).toBe(0)
    expect(shard.out).toBe(second.map(n => `${n} ${images.get(n)?.digest}\n`).join(''))
    for (const d of [d1, d2])
      for (const n of names)
        expect([n, await listTags(d.url, `sharded/${n}`)]).toEqual([
          n,
          second.includes(n) ? ['latest', 'v1'] : []
        ])
    for (const p of [p1, p2]) p.reset()
    const first = await run(['promote', '-f', path, '--shard', matrix.include[0].shard])
    expect(first.code).toBe(0)
    for (const p of [p1, p2]) expect([uploads(p, base.digest), mounts(p, base.digest)]).toEqual([1, 8])
  })

  it('plan --shards N with a missing source still plans every image: the missing one weighs nothing and is warned of', async () => {
    const names = [MISSING, 'solo0', 'solo1']
    const path = file('planmissing', names)
    const plan = await run(['plan', '-f', path, '--shards', '2'])
    expect(plan.code).toBe(0)
    const matrix = JSON.parse(plan.out) as { include: Array<{ shard: string; images: string[] }> }
    expect(matrix.include.flatMap(e => e.images).sort()).toEqual([...names].sort())
    expect(plan.err).toBe(
      `${MISSING}: not sized for the shards (counted as 0 bytes): ${ps.host}/team/${MISSING}:rc does not exist`
    )
  })

  it("a shard written with another N than the matrix's names the N and promotes nothing (newuser3 finding 12)", async () => {
    // before: 'this job's plan is @…, not the matrix's: it read every source, so some moved …'
    const path = file('othern', ['solo0', 'solo1'])
    const plan = await run(['plan', '-f', path, '--shards', '2'])
    const matrix = JSON.parse(plan.out) as { include: Array<{ shard: string }> }
    const fingerprint = matrix.include[0].shard.split('@')[1]
    expect(matrix.include.map(e => e.shard)).toEqual([`1/2@${fingerprint}`, `2/2@${fingerprint}`])
    for (const p of [p1, p2]) p.reset()
    await expect(run(['promote', '-f', path, '--shard', `1/3@${fingerprint}`])).rejects.toThrow(
      new Error(
        `shard 1/3@${fingerprint}: that plan was made for 2 shards, not 3: give the shard as the matrix printed it (1/2@${fingerprint}); nothing was promoted`
      )
    )
    expect([p1.log, p2.log]).toEqual([[], []])
  })

  it("a shard whose sources read otherwise than the plan job's promotes nothing and fails naming why (newuser finding 4)", async () => {
    // before: each shard recomputed its own plan; `late`, missing for the plan job and pushed
    // before the shards ran, weighed 0 in one plan and 21 kB in the other, so the shards' plans
    // differed: late was in no shard, solo0 in two, and every job was green
    const names = ['late', 'solo0', 'solo1']
    const path = file('late', names)
    const plan = await run(['plan', '-f', path, '--shards', '2'])
    const matrix = JSON.parse(plan.out) as { include: Array<{ shard: string; images: string[] }> }
    expect(matrix).toEqual({
      include: [
        { shard: '1/2@6b66630a4f2e', images: ['late', 'solo0'] },
        { shard: '2/2@6b66630a4f2e', images: ['solo1'] }
      ]
    })
    await pushImage(src.url, 'team/late', [randomBlob(21_000)], { tag: 'rc' })
    for (const p of [p1, p2]) p.reset()
    for (const { shard } of matrix.include)
      await expect(run(['promote', '-f', path, '--shard', shard])).rejects.toThrow(
        new Error(
          `shard ${shard}: this job's plan is @bf3466abfb23, not the matrix's: it read every source, so some moved since the plan job or the plan job could not read them; nothing was promoted, as every image belongs to exactly one shard of one plan: run the plan job and its shards again`
        )
      )
    // and the other way: read by the plan job, not by the shard's
    const down = await startProxy(src.url)
    const via = join(dir, 'via.yaml')
    writeFileSync(via, readFileSync(path, 'utf8').replaceAll(ps.host, down.host))
    const planned = JSON.parse((await run(['plan', '-f', via, '--shards', '2'])).out) as typeof matrix
    await down.stop()
    await expect(run(['promote', '-f', via, '--shard', planned.include[0].shard])).rejects.toThrow(
      new Error(
        `shard ${planned.include[0].shard}: this job's plan is @ebcd3ec2bb35, not the matrix's: it could not read ${names.map(n => `${n} (registry ${down.host}: cannot connect (ECONNREFUSED))`).join(', ')}; nothing was promoted, as every image belongs to exactly one shard of one plan: run the plan job and its shards again`
      )
    )
    expect([p1.log, p2.log]).toEqual([[], []])
    for (const d of [d1, d2]) for (const n of names) expect(await listTags(d.url, `late/${n}`)).toEqual([])
  })

  it('--dry-run of images sharing a layer counts it once per registry, its other uses as mounts (newuser3 finding 10)', async () => {
    // before: 'would copy 6 blobs (…), mount 0' per registry, the shared layer counted per image,
    // where the run copies it once per registry and mounts it for the other image
    const names = ['app0', 'app1']
    const path = file('dryshared', names)
    const dry = await run(['promote', '-f', path, '--dry-run'])
    expect(dry.code).toBe(0)
    const bytes = (n: string): number => (images.get(n) as SeededImage).blobs.reduce((k, b) => k + b.size, 0)
    const copied = 2 * (bytes('app0') + bytes('app1') - base.size)
    expect(dry.err.split('\n').at(-1)).toBe(
      `2 of 2 images planned; would copy 10 blobs (${formatBytes(copied)}), mount 2`
    )
  })

  it('--dry-run prints one plan per image and writes nothing', async () => {
    const names = ['app0', 'solo0']
    const path = file('dry', names)
    for (const p of [p1, p2]) p.reset()
    const dry = await run(['promote', '-f', path, '--dry-run'])
    expect(dry.code).toBe(0)
    const json = JSON.parse(dry.out) as Array<{
      name: string
      digest: string
      plan: { dryRun: boolean; targets: Array<{ target: string; tags: unknown }> }
    }>
    expect(
      json.map(j => [j.name, j.digest, j.plan.dryRun, j.plan.targets.map(t => [t.target, t.tags])])
    ).toEqual(
      names.map(n => [
        n,
        images.get(n)?.digest,
        true,
        [p1, p2].map(p => [
          `${p.host}/dry/${n}`,
          [
            { tag: 'v1', action: 'create' },
            { tag: 'latest', action: 'create' }
          ]
        ])
      ])
    )
    expect([p1, p2].map(p => p.log.filter(e => e.method !== 'HEAD' && e.method !== 'GET').length)).toEqual([
      0, 0
    ])
    // the text says per target what would be copied, and the total what the whole file would copy
    const bytes = (n: string): number => (images.get(n) as SeededImage).blobs.reduce((k, b) => k + b.size, 0)
    const count = (n: string): number => (images.get(n) as SeededImage).blobs.length
    const lines = dry.err.split('\n')
    expect(lines.filter(l => l.startsWith('  '))).toEqual(
      names.flatMap(n =>
        [p1, p2].map(
          p =>
            `  ${p.host}/dry/${n}: blobs skip 0, mount 0, copy ${count(n)} (${formatBytes(bytes(n))}); manifests push 1, present 0`
        )
      )
    )
    expect(lines[lines.length - 1]).toBe(
      `2 of 2 images planned; would copy ${2 * (count('app0') + count('solo0'))} blobs (${formatBytes(2 * (bytes('app0') + bytes('solo0')))}), mount 0`
    )
  })
})
