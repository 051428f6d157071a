/**
 * The floor of issue 23's WAN-like cell, `BENCH_SCENARIOS=floor npm run bench` (report in
 * bench/results/floor.md): can any client copy one image of 100 × 50 KB layers through the WAN-like
 * proxies in ≤ 0.45 × skopeo's time on this machine?
 *
 * The cell as run.ts's `layers-100` WAN-like row runs it (one source registry, a fresh target registry
 * per copy, both behind bench/throttle-proxy.ts at the run's cap, the proxies inside this process;
 * every copy timed from spawn to exit and verified by tag and digest at the target), with three kinds
 * of client, in turn, the order rotating from run to run: promote-image's `copy`, skopeo's `copy`
 * (the same invocation as run.ts), and bench/ideal-client.ts, which sends only the requests the
 * protocol needs (manifest GET, per blob GET beside POST then a monolithic PUT, manifest PUT) and
 * checks nothing, once per concurrency of BENCH_FLOOR_CONCURRENCY. Around every copy it reads from
 * /proc the CPU seconds of the client, of each registry and of this process (which runs the proxies),
 * so the sum over the two cores is the least wall time that copy could have taken. One more untimed
 * copy per client goes through recording proxies (bench/latency-proxy.ts, no cap, a few ms per
 * request) for its requests and sequential round trips.
 *
 * BENCH_FLOOR_RUNS (default 5) runs per client; BENCH_FLOOR_CONCURRENCY (default `8,16,32,64,all`) the
 * ideal client's blobs in flight; BENCH_FLOOR_LAYERS (default 100) the layer count.
 */
import { execFileSync } from 'node:child_process'
import { loadavg } from 'node:os'
import { join, resolve } from 'node:path'
import { buildSync } from 'esbuild'
import { request } from 'undici'
import { startRegistry, type TestRegistry } from '../__tests__/helpers/registry.js'
import { MANIFEST_ACCEPT } from '../src/oci/mediatypes.js'
import { sequentialRoundTrips, startLatencyProxy, type LatencyProxy } from './latency-proxy.js'
import { cpuSeconds, spent, timed } from './proc-cpu.js'
import { seedImage, type SeededImage } from './seed.js'
import { forgetOurBlobRecord, forgetSkopeoCache } from './skopeo.js'
import { startThrottleProxy, type ThrottleProxy } from './throttle-proxy.js'

const LAYER_BYTES = 50_000
const SRC_REPO = 'staging/app'
const DST_REPO = 'prod/app'
/** issue 23: the WAN-like 100 × 50 KB cell, ours / skopeo */
const LIMIT = 0.45
/** the cores the machine's processes share (issue 23's machine: 2 vCPU) */
const CORES = 2

/** A client: promote-image, skopeo, or the ideal client with this many blobs in flight (0: all). */
type Client = { kind: 'ours' } | { kind: 'skopeo' } | { kind: 'ideal'; concurrency: number }
type Mode = 'wan' | 'count'

const clientName = (c: Client): string =>
  c.kind === 'ideal'
    ? `ideal, ${c.concurrency || 'all'} at once`
    : c.kind === 'ours'
      ? 'promote-image'
      : 'skopeo'

/** CPU seconds of one copy: the client, the source and target registries, the proxies (this process) */
interface CopyCpu {
  client?: number
  source?: number
  target?: number
  proxies?: number
}

interface Run {
  client: Client
  run: number
  seconds: number
  cpu: CopyCpu
  /** 1-minute load average just before the copy */
  load: number
  /** share of the CPUs other processes kept busy just before the copy */
  busyBefore?: number
  /** TCP connections the client opened to the two proxies (both registries) */
  connections?: number
  requests?: number
  roundTrips?: number
  error?: string
}

export interface FloorOptions {
  /** the promote-image bundle (dist/cli.cjs) */
  cli: string
  /** a directory for the built ideal client */
  scratch: string
  oursArgs: string[]
  log: (m: string) => void
  /** the WAN-like cap per connection and direction, bytes/s */
  rate: number
  /** the counting copies: delay per request, ms */
  countDelayMs: number
  /** waits for the CPUs to be quiet; resolves with the busy share seen last (0..1) */
  quiet: () => Promise<number>
}

interface Context extends FloorOptions {
  src: TestRegistry
  image: SeededImage
  ideal: string
}

/** The ideal client built to CommonJS (bench/ideal-client.ts), so node starts it without a loader. */
function buildIdeal(scratch: string): string {
  const outfile = join(scratch, 'ideal-client.cjs')
  buildSync({
    entryPoints: [resolve(import.meta.dirname, 'ideal-client.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'error'
  })
  return outfile
}

/** The command line of one client copying the image from `srcHost` to `dstHost`. */
function commandFor(c: Client, ctx: Context, srcHost: string, dstHost: string, tag: string) {
  const digest = ctx.image.root.digest
  if (c.kind === 'ideal') {
    const args = [`http://${srcHost}`, SRC_REPO, digest, `http://${dstHost}`, DST_REPO, tag]
    return ['node', [ctx.ideal, ...args, String(c.concurrency)]] as const
  }
  const src = `${srcHost}/${SRC_REPO}@${digest}`
  const dst = `${dstHost}/${DST_REPO}:${tag}`
  if (c.kind === 'ours') return ['node', [ctx.cli, 'copy', src, dst, '--json', ...ctx.oursArgs]] as const
  const flags = [
    '--quiet',
    '--all',
    '--preserve-digests',
    '--src-tls-verify=false',
    '--dest-tls-verify=false'
  ]
  return ['skopeo', ['copy', ...flags, `docker://${src}`, `docker://${dst}`]] as const
}

/** HEADs the target directly by tag and by digest; both must answer the source's digest. */
async function verify(dst: TestRegistry, tag: string, digest: string): Promise<string | undefined> {
  for (const ref of [tag, digest]) {
    const res = await request(`${dst.url}/v2/${DST_REPO}/manifests/${ref}`, {
      method: 'HEAD',
      headers: { accept: MANIFEST_ACCEPT }
    })
    await res.body.dump()
    const got = res.headers['docker-content-digest']
    if (res.statusCode !== 200 || got !== digest)
      return `${DST_REPO}:${ref} answered ${res.statusCode} with ${String(got)}, expected ${digest}`
  }
  return undefined
}

/** The mode's proxy in front of `reg`: the WAN-like throttle, or a recording proxy with no cap. */
async function front(reg: TestRegistry, mode: Mode, o: FloorOptions): Promise<ThrottleProxy | LatencyProxy> {
  return mode === 'wan'
    ? await startThrottleProxy(reg.host, o.rate)
    : await startLatencyProxy(reg.host, { bytesPerSecond: Infinity, delayMs: o.countDelayMs })
}

/** One copy by one client into a fresh target registry, both registries behind the mode's proxies. */
async function copyOnce(client: Client, run: number, mode: Mode, ctx: Context): Promise<Run> {
  const dst = await startRegistry()
  const proxies: Array<ThrottleProxy | LatencyProxy> = []
  try {
    proxies.push(await front(ctx.src, mode, ctx), await front(dst, mode, ctx))
    const tag = `r${run}-${client.kind}${client.kind === 'ideal' ? client.concurrency : ''}`
    const [cmd, args] = commandFor(client, ctx, proxies[0].host, proxies[1].host, tag)
    execFileSync('sync')
    const busyBefore = mode === 'wan' ? await ctx.quiet() : undefined
    if (client.kind === 'skopeo') forgetSkopeoCache()
    if (client.kind === 'ours') forgetOurBlobRecord()
    const load = loadavg()[0]
    const pids = [ctx.src.pid, dst.pid, process.pid]
    const before = pids.map(cpuSeconds)
    const result = await timed(cmd, [...args])
    const [source, target, proxiesCpu] = pids.map((pid, i) => spent(before[i], cpuSeconds(pid)))
    const cpu = { client: result.cpu, source, target, proxies: proxiesCpu }
    const error = result.error ?? (await verify(dst, tag, ctx.image.root.digest))
    const connections = proxies.reduce((n, p) => n + p.counters.connections, 0)
    const records = proxies.flatMap(p => ('requests' in p ? p.requests : []))
    const counts =
      mode === 'count' ? { requests: records.length, roundTrips: sequentialRoundTrips(records) } : {}
    return { client, run, seconds: result.seconds, cpu, load, busyBefore, connections, error, ...counts }
  } finally {
    await Promise.all(proxies.map(p => p.stop()))
    await dst.stop()
  }
}

/** The clients of the run: ours, skopeo and the ideal client at each concurrency (`all`: 0). */
function clients(): Client[] {
  const widths = (process.env.BENCH_FLOOR_CONCURRENCY ?? '8,16,32,64,all')
    .split(',')
    .map(s => (s.trim() === 'all' ? 0 : Number(s)))
    .filter(n => Number.isInteger(n) && n >= 0)
  return [
    { kind: 'ours' },
    { kind: 'skopeo' },
    ...widths.map(concurrency => ({ kind: 'ideal' as const, concurrency }))
  ]
}

/**
 * Seeds the image, runs every client BENCH_FLOOR_RUNS times in the WAN-like mode (the order rotating
 * from run to run) and once more through counting proxies, and returns the report: a markdown
 * section (medians per client: wall, ratio to skopeo, CPU seconds per process and their sum over the
 * cores, requests, round trips; the verdict; every run) and a text summary. Throws when the image
 * cannot be seeded or the ideal client cannot be built; a failed copy is an error row, not a throw.
 */
export async function floorBench(o: FloorOptions): Promise<{ markdown: string; text: string }> {
  const runs = Math.max(1, Number(process.env.BENCH_FLOOR_RUNS ?? 5))
  const layers = Math.max(1, Number(process.env.BENCH_FLOOR_LAYERS ?? 100))
  const list = clients()
  const src = await startRegistry()
  try {
    o.log(`floor: seeding one image of ${layers} × ${LAYER_BYTES / 1000} KB`)
    const image = await seedImage([{ url: src.url, repo: SRC_REPO }], layers, LAYER_BYTES)
    const ctx: Context = { ...o, src, image, ideal: buildIdeal(o.scratch) }
    const all: Run[] = []
    const counted: Run[] = []
    for (const [mode, n] of [
      ['wan', runs],
      ['count', 1]
    ] as const) {
      for (let run = 0; run < n; run++) {
        for (const client of list.map((_, i) => list[(i + run) % list.length])) {
          const r = await copyOnce(client, run, mode, ctx)
          o.log(`  floor ${mode.padEnd(5)} run ${run + 1} ${clientName(client).padEnd(20)} ${runText(r)}`)
          ;(mode === 'wan' ? all : counted).push(r)
        }
      }
    }
    return report(list, all, counted, layers, o)
  } finally {
    await src.stop()
  }
}

const median = (xs: number[]): number | undefined => {
  if (!xs.length) return undefined
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

const f2 = (x: number | undefined): string => (x === undefined ? '–' : x.toFixed(2))

/** The copy's CPU seconds over every process that took part; undefined when one is unknown. */
function cpuSum(c: CopyCpu): number | undefined {
  const parts = [c.client, c.source, c.target, c.proxies]
  return parts.every(x => x !== undefined) ? parts.reduce((a, b) => a + b, 0) : undefined
}

const runText = (r: Run): string =>
  `${r.seconds.toFixed(2)} s  CPU s ${[r.cpu.client, r.cpu.source, r.cpu.target, r.cpu.proxies].map(f2).join(' / ')}` +
  `  load ${r.load.toFixed(1)}` +
  (r.requests === undefined ? '' : `  ${r.requests} requests / ${r.roundTrips} round trips`) +
  (r.error ? `  ERROR ${r.error}` : '')

/** Medians of one client's good runs, and its counting copy. */
function figures(c: Client, runs: Run[], counted: Run[]) {
  const mine = runs.filter(r => r.client === c && !r.error)
  const med = (pick: (r: Run) => number | undefined): number | undefined =>
    median(mine.flatMap(r => (pick(r) === undefined ? [] : [pick(r) as number])))
  const count = counted.find(r => r.client === c && !r.error)
  const skopeoIn = (run: number): Run | undefined =>
    runs.find(r => r.client.kind === 'skopeo' && r.run === run && !r.error)
  return {
    seconds: med(r => r.seconds),
    /** the least of the runs: the one the other load disturbed least */
    best: mine.length ? Math.min(...mine.map(r => r.seconds)) : undefined,
    /** the median of this client's time over skopeo's in the same round (the runs next to each other) */
    paired: med(r => {
      const sk = skopeoIn(r.run)
      return sk ? r.seconds / sk.seconds : undefined
    }),
    client: med(r => r.cpu.client),
    source: med(r => r.cpu.source),
    target: med(r => r.cpu.target),
    proxies: med(r => r.cpu.proxies),
    sum: med(r => cpuSum(r.cpu)),
    /** the same without the client's own CPU: what the registries and proxies alone set */
    others: med(r => spentBy(r.cpu)),
    connections: med(r => r.connections),
    good: mine.length,
    failed: runs.filter(r => r.client === c && r.error).length,
    requests: count?.requests,
    roundTrips: count?.roundTrips
  }
}

/** CPU seconds of the registries and the proxies (everything but the client). */
function spentBy(c: CopyCpu): number | undefined {
  const parts = [c.source, c.target, c.proxies]
  return parts.every(x => x !== undefined) ? parts.reduce((a, b) => a + b, 0) : undefined
}

function report(
  list: Client[],
  runs: Run[],
  counted: Run[],
  layers: number,
  o: FloorOptions
): { markdown: string; text: string } {
  const fig = new Map(list.map(c => [c, figures(c, runs, counted)]))
  const skopeoFig = fig.get(list.find(c => c.kind === 'skopeo') as Client)
  const skopeo = skopeoFig?.seconds
  const ours = fig.get(list.find(c => c.kind === 'ours') as Client)
  const allowed = skopeo === undefined ? undefined : LIMIT * skopeo
  const ideals = list.filter(c => c.kind === 'ideal')
  const best = ideals
    .filter(c => fig.get(c)?.seconds !== undefined)
    .sort((a, b) => (fig.get(a)?.seconds as number) - (fig.get(b)?.seconds as number))[0]
  const bestFig = best && fig.get(best)
  const ratio = (x: number | undefined): string =>
    x === undefined || !skopeo ? '–' : (x / skopeo).toFixed(2)
  const rows = list.map(c => {
    const f = fig.get(c) as ReturnType<typeof figures>
    return [
      clientName(c),
      `${f2(f.seconds)}${f.failed ? ` (${f.failed} ERR)` : ''}`,
      f2(f.best),
      ratio(f.seconds),
      f2(f.paired),
      f2(f.sum === undefined || !skopeoFig?.sum ? undefined : f.sum / skopeoFig.sum),
      f2(f.client),
      f2(f.source),
      f2(f.target),
      f2(f.proxies),
      f2(f.sum),
      f2(f.sum === undefined ? undefined : f.sum / CORES),
      f2(f.others === undefined ? undefined : f.others / CORES),
      f.connections === undefined ? '–' : String(Math.round(f.connections)),
      f.requests === undefined ? '–' : String(f.requests),
      f.roundTrips === undefined ? '–' : String(f.roundTrips)
    ]
  })
  const paired = `(paired: ${f2(bestFig?.paired)} ×)`
  const verdict =
    allowed === undefined || bestFig?.seconds === undefined
      ? 'ERROR: no figure for skopeo or the ideal client'
      : bestFig.seconds <= allowed
        ? `the ideal client (${clientName(best)}) took ${bestFig.seconds.toFixed(3)} s = ${ratio(bestFig.seconds)} × skopeo ${paired}, within the ${allowed.toFixed(3)} s that ${LIMIT} × skopeo allows: the target is within a client's reach on this machine` +
          (ours?.seconds === undefined
            ? ''
            : `; promote-image took ${ours.seconds.toFixed(2)} s (${ratio(ours.seconds)} ×)`)
        : `even the ideal client (best: ${clientName(best)}) took ${bestFig.seconds.toFixed(3)} s = ${ratio(bestFig.seconds)} × skopeo ${paired}, over the ${allowed.toFixed(3)} s that ${LIMIT} × skopeo allows: the target is out of this machine's reach`
  const loads = runs.map(r => r.load)
  const loadText = loads.length ? `${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}` : '–'
  const text = [
    `floor (${layers} × ${LAYER_BYTES / 1000} KB, WAN-like ${o.rate / 1e6} MB/s/conn; medians; CPU s client / source / target / proxies / sum; load ${loadText}):`,
    ...rows.map(
      r =>
        `  ${r[0].padEnd(20)} ${r[1]} s (least ${r[2]}; ${r[3]} × skopeo, paired ${r[4]}, CPU ${r[5]} ×)  CPU s ${r.slice(6, 11).join(' / ')}  connections ${r[13]}, requests ${r[14]}, round trips ${r[15]}`
    ),
    `  verdict: ${verdict}`
  ].join('\n')
  const details = [...runs, ...counted].map(
    r =>
      `| ${r.requests === undefined ? 'WAN-like' : 'counted'} | ${r.run + 1} | ${clientName(r.client)} | ${r.seconds.toFixed(2)} | ${[r.cpu.client, r.cpu.source, r.cpu.target, r.cpu.proxies, cpuSum(r.cpu)].map(f2).join(' / ')} | ${r.load.toFixed(1)} | ${r.busyBefore === undefined ? '–' : `${Math.round(r.busyBefore * 100)} %`} | ${r.connections ?? '–'} | ${r.requests ?? '–'} | ${r.roundTrips ?? '–'} | ${r.error ?? ''} |`
  )
  const markdown = [
    `## The floor: ${layers} × ${LAYER_BYTES / 1000} KB, WAN-like, an ideal client beside promote-image and skopeo (issue 23)`,
    '',
    `One image of ${layers} layers × ${LAYER_BYTES / 1000} KB from one registry to a fresh one per copy, both behind the WAN-like throttling proxies (${o.rate / 1e6} MB/s per connection and direction, inside the bench process), as the \`layers-${layers}\` WAN-like row. The ideal client (bench/ideal-client.ts) sends only what the protocol needs: the manifest GET, per blob the source GET beside the upload POST and then a monolithic PUT, the manifest PUT; it checks nothing. Median of ${Math.max(...list.map(c => fig.get(c)?.good ?? 0))} runs per client, the order rotating (× skopeo: of the medians; paired: the median of each run's ratio to skopeo's run of the same round; CPU sum × skopeo's: of the medians, which the load moves less than wall time); wall time from spawn to exit; every copy verified by tag and digest at the target. CPU seconds (user + system, from /proc) over each copy: the client, the source and the target registry, and the bench process, which runs the proxies; the sum over ${CORES} cores is the least wall time such a copy can take here, and the sum without the client's own CPU over the cores what the registries and proxies alone set. Connections: TCP connections the client opened to the two proxies (the WAN-like copies). Requests and sequential round trips from one more copy per client through recording proxies (no cap, ${o.countDelayMs} ms per request, untimed). 1-minute load average before the copies: ${loadText}.`,
    '',
    `| client | wall s | least s | × skopeo | × skopeo, paired | CPU sum × skopeo's | CPU s: client | source registry | target registry | proxies | sum | sum / ${CORES} cores | without the client / ${CORES} | connections | requests | sequential round trips |`,
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map(r => `| ${r.join(' | ')} |`),
    '',
    `Target: ≤ ${LIMIT} × skopeo${allowed === undefined ? '' : ` = ${allowed.toFixed(2)} s`}. Verdict: ${verdict}.`,
    '',
    '| mode | run | client | seconds | CPU s (client / source / target / proxies / sum) | load | CPU busy before | connections | requests | round trips | error |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...details,
    ''
  ].join('\n')
  return { markdown, text }
}
