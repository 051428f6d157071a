/**
 * The batch case (issues 13 and 23), `BENCH_SCENARIOS=batch npm run bench`: N small images (3 random
 * layers of 200 KB each, no blob shared) from one local registry to another, promote-image's
 * `promote -f FILE` against `skopeo sync --src yaml --all --preserve-digests`, in the same run, each
 * into a fresh target registry every run, the order alternating. Both are timed from process spawn to
 * exit; after each run every image is checked at the target by tag (HEAD with the OCI + Docker Accept
 * list must answer the source's digest), or the run is an error and does not count.
 *
 * Cells: N = 10, 30, 100 on loopback (BENCH_BATCH_SIZES) and N = 30 in the latency mode
 * (BENCH_BATCH_LATENCY_SIZES: both registries behind bench/latency-proxy.ts, the run's cap and delay
 * per request). Every N also gets one untimed counting run per tool through recording proxies that
 * hold each request a few ms: requests per image and sequential round trips. skopeo's blob-info cache
 * is deleted before every skopeo run (bench/skopeo.ts). Targets (issue 23, ours / skopeo, medians):
 * N=100 loopback ≤ 0.45, N=30 loopback ≤ 0.6, N=30 latency ≤ 0.2.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { request } from 'undici'
import { startRegistry, type TestRegistry } from '../__tests__/helpers/registry.js'
import { seedImage, type SeededImage } from './seed.js'
import { sequentialRoundTrips, startLatencyProxy, type LatencyProxy } from './latency-proxy.js'
import { forgetOurBlobRecord, forgetSkopeoCache } from './skopeo.js'
import { cpuSeconds, spent, timed } from './proc-cpu.js'
import { MANIFEST_ACCEPT } from '../src/oci/mediatypes.js'

export const BATCH_LAYERS = 3
export const BATCH_LAYER_BYTES = 200_000

type Tool = 'ours' | 'skopeo'
type BatchMode = 'loopback' | 'latency' | 'count'

/** ours / skopeo limits per mode and N (issue 23); a missing one: figures only */
const LIMITS: Record<BatchMode, Record<number, number>> = {
  loopback: { 30: 0.6, 100: 0.45 },
  latency: { 30: 0.2 },
  count: {}
}

/** CPU seconds (user + system) of one run: the tool's process, the source and the target registry */
interface RunCpu {
  tool?: number
  source?: number
  target?: number
}

interface Run {
  tool: Tool
  run: number
  seconds: number
  /** CPU seconds over the run (Linux /proc; absent elsewhere) */
  cpu?: RunCpu
  /** requests over both registries (counted modes) */
  requests?: number
  roundTrips?: number
  /** share of the CPUs other processes kept busy just before the run */
  busyBefore?: number
  error?: string
}

interface Cell {
  images: number
  mode: BatchMode
  runs: Run[]
}

/** The first image the target does not serve by tag with the source's digest (checked directly). */
async function verifyAll(dst: TestRegistry, images: SeededImage[]): Promise<string | undefined> {
  for (const [i, img] of images.entries()) {
    const res = await request(`${dst.url}/v2/prod/app${i}/manifests/rc`, {
      method: 'HEAD',
      headers: { accept: MANIFEST_ACCEPT }
    })
    await res.body.dump()
    const got = res.headers['docker-content-digest']
    if (res.statusCode !== 200 || got !== img.root.digest)
      return `prod/app${i}:rc answered ${res.statusCode} with ${String(got)}, expected ${img.root.digest}`
  }
  return undefined
}

const median = (xs: number[]): number | undefined => {
  if (!xs.length) return undefined
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

export interface BatchOptions {
  cli: string
  runs: number
  scratch: string
  oursArgs: string[]
  log: (m: string) => void
  /** the latency mode: cap per connection and direction (bytes/s) and delay per request (ms) */
  rate: number
  latencyMs: number
  /** the counting runs: delay per request (ms) */
  countDelayMs: number
  /** waits for the CPUs to be quiet; resolves with the busy share seen last (0..1) */
  quiet: () => Promise<number>
}

interface Context extends BatchOptions {
  src: TestRegistry
  images: SeededImage[]
}

/** A registry as the tools see it: direct, or behind a recording latency proxy. */
async function front(reg: TestRegistry, mode: BatchMode, o: BatchOptions): Promise<LatencyProxy | undefined> {
  if (mode === 'loopback') return undefined
  const [bytesPerSecond, delayMs] = mode === 'latency' ? [o.rate, o.latencyMs] : [Infinity, o.countDelayMs]
  return await startLatencyProxy(reg.host, { bytesPerSecond, delayMs })
}

/** The command line of one tool for images `0…n-1` of `srcHost` into `dstHost/prod`. */
function commandFor(tool: Tool, n: number, srcHost: string, dstHost: string, ctx: Context, run: string) {
  const names = Array.from({ length: n }, (_, i) => `app${i}`)
  if (tool === 'ours') {
    const file = join(ctx.scratch, `batch-${run}.yaml`)
    const entries = names.flatMap(name => [
      `  - name: ${name}`,
      `    source: ${srcHost}/staging/${name}:rc`,
      '    tags: [rc]'
    ])
    const yaml = ['defaults:', `  targets: [${dstHost}/prod]`, 'images:', ...entries]
    writeFileSync(file, yaml.join('\n') + '\n')
    return ['node', [ctx.cli, 'promote', '-f', file, ...ctx.oursArgs]] as const
  }
  const file = join(ctx.scratch, `sync-${run}.yaml`)
  const lines = [
    `${srcHost}:`,
    '  tls-verify: false',
    '  images:',
    ...names.map(n => `    staging/${n}: [rc]`)
  ]
  writeFileSync(file, lines.join('\n') + '\n')
  // skopeo sync puts SOURCE_REPOSITORY's last path component under the destination: prod/appI
  const args = ['sync', '--src', 'yaml', '--dest', 'docker', '--all', '--preserve-digests']
  return ['skopeo', [...args, '--dest-tls-verify=false', file, `${dstHost}/prod`]] as const
}

/** One run of one tool into a fresh target registry (behind a proxy of the cell's mode). */
async function runOnce(tool: Tool, run: number, cell: Cell, ctx: Context): Promise<Run> {
  const dst = await startRegistry()
  const proxies: LatencyProxy[] = []
  try {
    const ps = await front(ctx.src, cell.mode, ctx)
    const pd = await front(dst, cell.mode, ctx)
    proxies.push(...[ps, pd].filter(p => p !== undefined))
    const [cmd, args] = commandFor(
      tool,
      cell.images,
      ps?.host ?? ctx.src.host,
      pd?.host ?? dst.host,
      ctx,
      `${cell.mode}-${cell.images}-${run}`
    )
    const busyBefore = cell.mode === 'count' ? undefined : await ctx.quiet()
    if (tool === 'skopeo') forgetSkopeoCache()
    else forgetOurBlobRecord()
    const registries = [ctx.src.pid, dst.pid]
    const before = registries.map(cpuSeconds)
    const result = await timed(cmd, [...args])
    const [source, target] = registries.map((pid, i) => spent(before[i], cpuSeconds(pid)))
    const cpu = { tool: result.cpu, source, target }
    const error = result.error ?? (await verifyAll(dst, ctx.images.slice(0, cell.images)))
    const records = proxies.flatMap(p => p.requests)
    const counts = proxies.length
      ? { requests: records.length, roundTrips: sequentialRoundTrips(records) }
      : {}
    return { tool, run, seconds: result.seconds, cpu, busyBefore, error, ...counts }
  } finally {
    await Promise.all(proxies.map(p => p.stop()))
    await dst.stop()
  }
}

/** The cells to run: every size on loopback, the latency sizes, and a count of every size. */
function cells(): Cell[] {
  const sizes = (v: string | undefined, d: string): number[] =>
    (v ?? d)
      .split(',')
      .map(Number)
      .filter(n => Number.isInteger(n) && n > 0)
  const loopback = sizes(process.env.BENCH_BATCH_SIZES, '10,30,100')
  const latency = sizes(process.env.BENCH_BATCH_LATENCY_SIZES, '30')
  const all = [...new Set([...loopback, ...latency])].sort((a, b) => a - b)
  return [
    ...loopback.map(images => ({ images, mode: 'loopback' as const, runs: [] })),
    ...latency.map(images => ({ images, mode: 'latency' as const, runs: [] })),
    ...all.map(images => ({ images, mode: 'count' as const, runs: [] }))
  ]
}

/**
 * Runs every cell (`runs` per tool, order alternating; the counting cells once per tool) and returns
 * the report: a markdown section (figures, ratios, PASS / MISS, requests, every run) and a text summary.
 */
export async function batchBench(opts: BatchOptions): Promise<{ markdown: string; text: string }> {
  const plan = cells()
  const most = Math.max(...plan.map(c => c.images))
  const src = await startRegistry()
  try {
    opts.log(`batch: seeding ${most} images of ${BATCH_LAYERS} × ${BATCH_LAYER_BYTES / 1000} KB`)
    const images: SeededImage[] = []
    for (let i = 0; i < most; i++)
      images.push(
        await seedImage([{ url: src.url, repo: `staging/app${i}` }], BATCH_LAYERS, BATCH_LAYER_BYTES, 'rc')
      )
    const ctx: Context = { ...opts, src, images }
    for (const cell of plan) {
      const runs = cell.mode === 'count' ? 1 : opts.runs
      for (let run = 0; run < runs; run++) {
        const order: Tool[] = run % 2 ? ['skopeo', 'ours'] : ['ours', 'skopeo']
        for (const tool of order) {
          const r = await runOnce(tool, run, cell, ctx)
          const counts =
            r.requests === undefined ? '' : `  ${r.requests} requests / ${r.roundTrips} round trips`
          opts.log(
            `  batch N=${cell.images} ${cell.mode.padEnd(8)} run ${run + 1} ${tool.padEnd(7)} ${r.seconds.toFixed(2)} s  CPU s ${cpuText(r.cpu)}${counts}${r.error ? `  ERROR ${r.error}` : ''}`
          )
          cell.runs.push(r)
        }
      }
    }
    return report(plan, opts)
  } finally {
    await src.stop()
  }
}

const f2 = (x: number | undefined): string => (x === undefined ? '–' : x.toFixed(2))
const f1 = (x: number | undefined): string => (x === undefined ? '–' : x.toFixed(1))

/** One cell's figures: medians, ratio, verdict, requests per image and round trips per tool. */
function figures(cell: Cell) {
  const ok = (tool: Tool): Run[] => cell.runs.filter(r => r.tool === tool && !r.error)
  const med = (tool: Tool, pick: (r: Run) => number | undefined): number | undefined =>
    median(ok(tool).flatMap(r => (pick(r) === undefined ? [] : [pick(r) as number])))
  const ours = med('ours', r => r.seconds)
  const sk = med('skopeo', r => r.seconds)
  const ratio = ours !== undefined && sk !== undefined ? ours / sk : undefined
  const limit = LIMITS[cell.mode][cell.images]
  const failed = cell.runs.some(r => r.error)
  const verdict =
    cell.mode === 'count'
      ? failed
        ? 'ERROR'
        : '–'
      : failed || ratio === undefined
        ? 'ERROR'
        : limit === undefined
          ? '–'
          : ratio <= limit
            ? 'PASS'
            : 'MISS'
  const perImage = (tool: Tool): string => f1((med(tool, r => r.requests) ?? NaN) / cell.images)
  const trips = (tool: Tool): string => String(med(tool, r => r.roundTrips) ?? '–')
  /** median CPU seconds: the tool's, the source registry's, the target registry's, their sum */
  const cpu = (tool: Tool): string =>
    [
      med(tool, r => r.cpu?.tool),
      med(tool, r => r.cpu?.source),
      med(tool, r => r.cpu?.target),
      med(tool, r => cpuSum(r.cpu))
    ]
      .map(f2)
      .join(' / ')
  return { ours, sk, ratio, limit, verdict, perImage, trips, cpu }
}

/** The run's CPU seconds over the tool and both registries; undefined when one is unknown. */
function cpuSum(cpu: RunCpu | undefined): number | undefined {
  const parts = [cpu?.tool, cpu?.source, cpu?.target]
  return parts.every(x => x !== undefined) ? parts.reduce((a, b) => a + b, 0) : undefined
}

const cpuText = (cpu: RunCpu | undefined): string => [cpu?.tool, cpu?.source, cpu?.target].map(f2).join(' / ')

function report(plan: Cell[], opts: BatchOptions): { markdown: string; text: string } {
  const name = (c: Cell): string =>
    c.mode === 'loopback'
      ? 'loopback'
      : c.mode === 'latency'
        ? `${opts.rate / 1e6} MB/s/conn + ${opts.latencyMs} ms/request`
        : `requests counted (${opts.countDelayMs} ms/request, untimed)`
  const rows = plan.map(c => {
    const f = figures(c)
    const counts = c.runs.some(r => r.requests !== undefined)
    return [
      String(c.images),
      name(c),
      c.mode === 'count' ? '–' : f2(f.ours),
      c.mode === 'count' ? '–' : f2(f.sk),
      c.mode === 'count' ? '–' : f2(f.ratio),
      f.limit === undefined ? 'none' : `≤ ${f.limit}`,
      f.verdict,
      counts ? `${f.perImage('ours')} / ${f.perImage('skopeo')}` : '–',
      counts ? `${f.trips('ours')} / ${f.trips('skopeo')}` : '–'
    ]
  })
  // where the CPU of a timed cell goes: the tool, and the two registries it drives
  const timedCells = plan.filter(c => c.mode !== 'count')
  const cpuRows = timedCells.map(c => {
    const f = figures(c)
    return `| ${c.images} | ${name(c)} | ${f.cpu('ours')} | ${f.cpu('skopeo')} |`
  })
  const cpuLines = timedCells.map(c => {
    const f = figures(c)
    return `batch N=${c.images} ${name(c)} CPU s (tool / source registry / target registry / sum): ours ${f.cpu('ours')}, skopeo sync ${f.cpu('skopeo')}`
  })
  const text = rows
    .filter(r => r[2] !== '–' || r[7] !== '–')
    .map(
      r =>
        `batch N=${r[0]} ${r[1]}: ours ${r[2]} s, skopeo sync ${r[3]} s, ${r[4]} (${r[5]}) ${r[6]}; requests per image ${r[7]}, round trips ${r[8]}`
    )
    .concat(cpuLines)
    .join('\n')
  const details = plan.flatMap(c =>
    c.runs.map(
      r =>
        `| ${c.images} | ${c.mode} | ${r.run + 1} | ${r.tool} | ${r.seconds.toFixed(2)} | ${cpuText(r.cpu)} | ${r.requests ?? '–'} | ${r.roundTrips ?? '–'} | ${r.busyBefore === undefined ? '–' : `${Math.round(r.busyBefore * 100)} %`} | ${r.error ?? ''} |`
    )
  )
  const markdown = [
    '## Batch: a promotion file against skopeo sync (issues 13 and 23)',
    '',
    `\`promote-image promote -f FILE\` against \`skopeo sync --src yaml --dest docker --all --preserve-digests\`, N images (${BATCH_LAYERS} random layers of ${BATCH_LAYER_BYTES / 1000} KB each) from one local registry to a fresh one per run; median seconds from spawn to exit; every image verified by tag and digest at the target; skopeo's blob-info cache deleted before every skopeo run, our blob record before every run of ours. Requests per image and sequential round trips are counted by recording proxies (over both registries, ours / skopeo).`,
    '',
    '| N | network | ours s | skopeo sync s | ours/skopeo | target | result | requests per image (ours / skopeo) | sequential round trips (ours / skopeo) |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map(r => `| ${r.join(' | ')} |`),
    '',
    "CPU seconds (user + system, from /proc) of each timed run, medians: the tool (its own process and any it waited for), the source registry and the target registry over the same run, and their sum. On loopback all three share the machine's cores, the sum divided by the cores is the least wall time a run can take there.",
    '',
    '| N | network | ours: tool / source / target / sum | skopeo sync: tool / source / target / sum |',
    '| --- | --- | --- | --- |',
    ...cpuRows,
    '',
    '| N | mode | run | tool | seconds | CPU s (tool / source / target) | requests | round trips | CPU busy before | error |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...details,
    ''
  ].join('\n')
  return { markdown, text }
}
