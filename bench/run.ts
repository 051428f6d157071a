/**
 * `npm run bench` (issue 5): promote-image's copy against `skopeo copy --all --preserve-digests` and
 * against a plain curl streaming baseline, on registries this script starts on loopback, in three network
 * modes: plain loopback, "WAN-like" (a throttling TCP proxy, 20 MB/s per connection, in front of every
 * registry) and "latency" (an HTTP proxy: the same cap plus 40 ms before every request, which also counts
 * requests and sequential round trips). Every copy is verified by digest at each target before its time
 * counts. See bench/README.md.
 *
 * Environment: BENCH_RUNS (default 3), BENCH_QUICK=1 (small sizes, smoke run), BENCH_SCENARIOS
 * (comma list: cold,warm,same-registry,index,fanout,rss,layers-1,layers-20,layers-100 — `layers` names the
 * three; and batch, bench/batch.ts), BENCH_MODES (loopback,wan,latency,count),
 * BENCH_RATE_MB (per-connection cap in MB/s, default 20), BENCH_LATENCY_MS (delay per request in the
 * latency mode, default 40), BENCH_CONNECT_MS (extra delay per new connection there, default 0),
 * BENCH_CLI (default dist/cli.cjs), BENCH_OURS_ARGS (extra arguments for promote-image, e.g.
 * "--concurrency 8"), BENCH_OUT (markdown file to write), BENCH_COUNT_DELAY_MS (the count mode's delay per
 * request, default 5). skopeo's blob-info cache is deleted before every skopeo run (bench/skopeo.ts).
 */
import { spawn } from 'node:child_process'
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync
} from 'node:fs'
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os'
import { basename, dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as prettier from 'prettier'
import { request } from 'undici'
import { startRegistry, type TestRegistry } from '../__tests__/helpers/registry.js'
import { baselineScript } from './baseline.js'
import { seedImage, seedIndex, type Dest, type SeededImage } from './seed.js'
import { startThrottleProxy, type ThrottleProxy } from './throttle-proxy.js'
import { sequentialRoundTrips, startLatencyProxy, type LatencyProxy } from './latency-proxy.js'
import { MANIFEST_ACCEPT } from '../src/oci/mediatypes.js'
import { forgetOurBlobRecord, forgetSkopeoCache } from './skopeo.js'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const MB = 1e6
const env = process.env
const QUICK = env.BENCH_QUICK === '1'
const RUNS = Math.max(1, Number(env.BENCH_RUNS ?? 3))
const RATE = Number(env.BENCH_RATE_MB ?? 20) * MB
const CLI_GIVEN = resolve(ROOT, env.BENCH_CLI ?? 'dist/cli.cjs')
const OURS_ARGS = (env.BENCH_OURS_ARGS ?? '').split(/\s+/).filter(Boolean)
const LATENCY_MS = Number(env.BENCH_LATENCY_MS ?? 40)
const CONNECT_MS = Number(env.BENCH_CONNECT_MS ?? 0)
const LAYER = QUICK ? 4 * MB : 40 * MB
// in the latency mode the round trips, not the bytes, should set the time (the issue's table: 4 MB)
const LATENCY_LAYER = 4 * MB
const BIG_LAYER = QUICK ? 64 * MB : 1000 * MB
/** peak RSS with the big layer, MiB (issue 23) */
const RSS_LIMIT_MB = 64
/** the big layer: ours at least this share of the curl GET | PUT pipe's throughput (issue 23) */
const PIPE_SHARE = 0.9
/** the warm loopback copy: at most `node -e 0` + this, seconds (issue 23) */
const WARM_OVER_NODE_S = 0.06
/** the many-layers scenario: layer sizes (bytes) and counts (issue 23) */
const SMALL_LAYER = 50_000
const LAYER_COUNTS = [1, 20, 100]
/** the count mode: every request held this long (ms), so parallel requests stay apart */
const COUNT_DELAY_MS = Number(env.BENCH_COUNT_DELAY_MS ?? 5)
const OUT = resolve(ROOT, env.BENCH_OUT ?? (QUICK ? 'bench/out/quick.md' : 'bench/results/latest.md'))
const TIME_BIN = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined

type Mode = 'loopback' | 'wan' | 'latency' | 'count'
type Tool = 'ours' | 'skopeo' | 'baseline'
const TOOLS: Tool[] = ['ours', 'skopeo', 'baseline']
const ALL_MODES: Mode[] = ['loopback', 'wan', 'latency', 'count']
/** the modes that time the tools (count only counts requests) */
const TIMED_MODES: Mode[] = ['loopback', 'wan', 'latency']
const MODES = (env.BENCH_MODES ?? 'loopback,wan,latency,count')
  .split(',')
  .filter(m => ALL_MODES.includes(m as Mode)) as Mode[]

const layerFor = (mode: Mode): number => (mode === 'latency' ? LATENCY_LAYER : LAYER)
const MODE_NAME: Record<Mode, string> = {
  loopback: 'loopback',
  wan: `WAN-like ${RATE / MB} MB/s/conn`,
  latency: `${RATE / MB} MB/s/conn + ${LATENCY_MS} ms/request`,
  count: `requests counted (${COUNT_DELAY_MS} ms/request, untimed)`
}
/** modes whose proxy records every request (requests, sequential round trips) */
const counted = (mode: Mode): boolean => mode === 'latency' || mode === 'count'

const log = (m: string): void => void process.stderr.write(`${m}\n`)
const scratch = mkdtempSync(join(tmpdir(), 'pi-bench-'))
// run a snapshot of the bundle's folder, so a rebuild of dist/ during the bench cannot mix versions
const CLI = join(scratch, 'cli', basename(CLI_GIVEN))
if (existsSync(CLI_GIVEN))
  cpSync(dirname(CLI_GIVEN), dirname(CLI), { recursive: true, preserveTimestamps: true })

// ---------------------------------------------------------------- registries (optionally throttled)

/**
 * A registry as the copying tools see it: direct on loopback, behind the throttling TCP proxy when
 * WAN-like, behind the HTTP latency proxy (throttle + delay, request log) in the latency mode.
 */
interface Reg {
  registry: TestRegistry
  proxy?: ThrottleProxy | LatencyProxy
  /** the latency proxy again, for its request log */
  latency?: LatencyProxy
  /** host:port the tools talk to */
  host: string
  url: string
  stop(): Promise<void>
}

/** every registry still running, stopped (storage removed) on exit and on SIGINT / SIGTERM */
const live = new Set<Reg>()

async function startReg(mode: Mode): Promise<Reg> {
  const registry = await startRegistry()
  const latency =
    mode === 'latency'
      ? await startLatencyProxy(registry.host, {
          bytesPerSecond: RATE,
          delayMs: LATENCY_MS,
          connectDelayMs: CONNECT_MS
        })
      : mode === 'count'
        ? await startLatencyProxy(registry.host, { bytesPerSecond: Infinity, delayMs: COUNT_DELAY_MS })
        : undefined
  const proxy = mode === 'wan' ? await startThrottleProxy(registry.host, RATE) : latency
  const reg: Reg = {
    registry,
    proxy,
    latency,
    host: proxy?.host ?? registry.host,
    url: proxy?.url ?? registry.url,
    async stop() {
      live.delete(reg)
      await proxy?.stop()
      await registry.stop()
    }
  }
  live.add(reg)
  return reg
}

async function stopAll(): Promise<void> {
  await Promise.all([...live].map(r => r.stop().catch(() => undefined)))
  rmSync(scratch, { recursive: true, force: true })
}

for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    log(`${sig}: stopping registries`)
    void stopAll().then(() => process.exit(130))
  })
}

// ---------------------------------------------------------------- timed processes

interface Timed {
  seconds: number
  /** peak RSS of the process, KiB */
  rssKiB?: number
  stdout: string
  stderr: string
  code: number
}

/**
 * Runs a command; wall time is spawn → exit; peak RSS from /usr/bin/time (else polled VmHWM).
 * @param childEnv the child's environment (default: the bench's own)
 */
async function timed(
  cmd: string,
  args: string[],
  measureRss: boolean,
  childEnv: NodeJS.ProcessEnv = env
): Promise<Timed> {
  const rssFile = join(tmpdir(), `pi-bench-rss-${process.pid}-${Date.now()}`)
  const useTime = measureRss && TIME_BIN !== undefined
  const [file, argv] = useTime ? [TIME_BIN as string, ['-f', '%M', '-o', rssFile, cmd, ...args]] : [cmd, args]
  const t0 = performance.now()
  const child = spawn(file, argv, { stdio: ['ignore', 'pipe', 'pipe'], env: childEnv })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr.on('data', (d: Buffer) => {
    if (stderr.length < 65536) stderr += d.toString()
  })
  let hwm = 0
  const poll =
    measureRss && !useTime
      ? setInterval(() => {
          try {
            const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))
            if (m) hwm = Math.max(hwm, Number(m[1]))
          } catch {
            // exited
          }
        }, 20)
      : undefined
  const code = await new Promise<number>((res, rej) => {
    child.once('error', rej)
    child.once('exit', c => res(c ?? 1))
  })
  const seconds = (performance.now() - t0) / 1000
  if (poll) clearInterval(poll)
  await new Promise(r => setImmediate(r))
  let rssKiB: number | undefined = hwm || undefined
  if (useTime) {
    try {
      const lines = readFileSync(rssFile, 'utf8').trim().split('\n')
      rssKiB = Number(lines[lines.length - 1])
      rmSync(rssFile, { force: true })
    } catch {
      rssKiB = undefined
    }
  }
  return { seconds, rssKiB, stdout, stderr, code }
}

/**
 * Between copies: flush dirty pages (`sync`) and pause, so the disk write-back of one tool's copy
 * (the baseline rewrites every blob even when warm) does not land in the next tool's time.
 */
async function settle(): Promise<void> {
  await timed('sync', [], false)
  await new Promise(r => setTimeout(r, 300))
}

function cpuTicks(): { busy: number; total: number } {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number)
  const total = f.reduce((a, b) => a + b, 0)
  return { busy: total - f[3] - (f[4] ?? 0), total }
}

/** Busy share of all CPUs over `ms` (0..1), from /proc/stat. */
async function cpuBusy(ms: number): Promise<number> {
  const a = cpuTicks()
  await new Promise(r => setTimeout(r, ms))
  const b = cpuTicks()
  return b.total > a.total ? (b.busy - a.busy) / (b.total - a.total) : 0
}

/**
 * Waits (up to BENCH_QUIET_WAIT_S, default 20 s) until other processes leave the CPUs mostly idle
 * (< 25 % busy over 300 ms), so a shared machine disturbs the timings less; returns the last busy share,
 * which the report keeps per run.
 */
async function quiet(): Promise<number> {
  const deadline = Date.now() + Number(env.BENCH_QUIET_WAIT_S ?? 20) * 1000
  for (;;) {
    const busy = await cpuBusy(300)
    if (busy < 0.25 || Date.now() > deadline) return busy
  }
}

// ---------------------------------------------------------------- verification

const ACCEPT = MANIFEST_ACCEPT

/** HEADs the target (directly, not through a proxy) by tag and by digest; both must serve `digest`. */
async function verify(reg: Reg, repo: string, tag: string, digest: string): Promise<string | undefined> {
  for (const ref of [tag, digest]) {
    const res = await request(`${reg.registry.url}/v2/${repo}/manifests/${ref}`, {
      method: 'HEAD',
      headers: { accept: ACCEPT }
    })
    await res.body.dump()
    const got = res.headers['docker-content-digest']
    if (res.statusCode !== 200 || got !== digest)
      return `${reg.registry.host}/${repo}:${ref} answered ${res.statusCode} with digest ${String(got)}, expected ${digest}`
  }
  return undefined
}

// ---------------------------------------------------------------- one copy by one tool

interface Target {
  reg: Reg
  repo: string
}

interface Sample {
  scenario: string
  mode: Mode
  tool: Tool
  run: number
  seconds: number
  rssKiB?: number
  /** promote-image's own report: blob bytes it wrote through itself (sum over targets) */
  bytesCopied?: number
  /** bytes the client sent towards the registries, counted at the proxies (WAN-like and latency modes) */
  proxyUp?: number
  /** latency mode: HTTP requests the tool sent to all registries of the copy */
  requests?: number
  /** latency mode: the longest chain of requests one after another (sequential round trips) */
  roundTrips?: number
  /** latency mode: requests per method, e.g. "GET 3, HEAD 10, PUT 1" */
  methods?: string
  error?: string
  /** share of the CPUs other processes kept busy just before this copy (shared machines) */
  busyBefore?: number
}

async function copyOnce(
  scenario: string,
  mode: Mode,
  tool: Tool,
  run: number,
  src: { reg: Reg; repo: string },
  targets: Target[],
  image: SeededImage,
  measureRss: boolean
): Promise<Sample> {
  const tag = `r${run}-${tool}`
  const srcRef = `${src.reg.host}/${src.repo}@${image.root.digest}`
  const proxies = [src.reg, ...targets.map(t => t.reg)].map(r => r.proxy).filter(p => p !== undefined)
  for (const p of new Set(proxies)) p.resetCounters()
  const sample: Sample = { scenario, mode, tool, run, seconds: 0 }
  let result: Timed
  if (tool === 'ours') {
    const args = [CLI, 'copy', srcRef, ...targets.map(t => `${t.reg.host}/${t.repo}:${tag}`), '--json']
    // outside the timing: no mount from where an earlier run put the blobs (as skopeo's cache below)
    forgetOurBlobRecord()
    result = await timed('node', [...args, ...OURS_ARGS], measureRss)
    if (result.code === 0) {
      try {
        const json = JSON.parse(result.stdout) as { targets: Array<{ bytesCopied: number }> }
        sample.bytesCopied = json.targets.reduce((n, t) => n + t.bytesCopied, 0)
      } catch {
        sample.error = `unparsable --json output: ${result.stdout.slice(0, 200)}`
      }
    }
  } else if (tool === 'skopeo') {
    // one copy per target, one after another (skopeo has no fan-out)
    result = { seconds: 0, stdout: '', stderr: '', code: 0, rssKiB: undefined }
    for (const t of targets) {
      // outside the timing: every skopeo copy starts without what earlier ones taught it
      forgetSkopeoCache()
      const r = await timed(
        'skopeo',
        [
          'copy',
          '--quiet',
          '--all',
          '--preserve-digests',
          '--src-tls-verify=false',
          '--dest-tls-verify=false',
          `docker://${srcRef}`,
          `docker://${t.reg.host}/${t.repo}:${tag}`
        ],
        measureRss
      )
      result.seconds += r.seconds
      result.stderr += r.stderr
      result.code ||= r.code
      if (r.rssKiB !== undefined) result.rssKiB = Math.max(result.rssKiB ?? 0, r.rssKiB)
      if (r.code !== 0) break
    }
  } else {
    const script = join(scratch, `baseline-${scenario}-${mode}-${run}.sh`)
    writeFileSync(
      script,
      baselineScript(
        { url: src.reg.url, repo: src.repo },
        targets.map(t => ({ url: t.reg.url, repo: t.repo })),
        image,
        tag
      )
    )
    result = await timed('bash', [script], false)
  }
  sample.seconds = result.seconds
  sample.rssKiB = result.rssKiB
  if (proxies.length) sample.proxyUp = [...new Set(proxies)].reduce((n, p) => n + p.counters.up, 0)
  const latencyProxies = [...new Set([src.reg, ...targets.map(t => t.reg)].map(r => r.latency))]
  if (counted(mode)) {
    const records = latencyProxies.flatMap(p => p?.requests ?? [])
    sample.requests = records.length
    sample.roundTrips = sequentialRoundTrips(records)
    const byMethod = new Map<string, number>()
    for (const r of records) byMethod.set(r.method, (byMethod.get(r.method) ?? 0) + 1)
    sample.methods = [...byMethod]
      .sort()
      .map(([m, n]) => `${m} ${n}`)
      .join(', ')
  }
  if (result.code !== 0)
    sample.error = `exit ${result.code}: ${result.stderr.trim().split('\n').slice(-3).join(' | ')}`
  if (!sample.error) {
    for (const t of targets) {
      const wrong = await verify(t.reg, t.repo, tag, image.root.digest)
      if (wrong) {
        sample.error = `wrong copy: ${wrong}`
        break
      }
    }
  }
  log(
    `  ${scenario.padEnd(13)} ${mode.padEnd(8)} run ${run + 1} ${tool.padEnd(8)} ${sample.seconds.toFixed(2)} s` +
      (sample.rssKiB ? `  rss ${(sample.rssKiB / 1024).toFixed(0)} MiB` : '') +
      (sample.bytesCopied !== undefined ? `  copied ${(sample.bytesCopied / MB).toFixed(1)} MB` : '') +
      (sample.proxyUp !== undefined ? `  up ${(sample.proxyUp / MB).toFixed(1)} MB` : '') +
      (sample.requests !== undefined
        ? `  ${sample.requests} requests / ${sample.roundTrips} round trips`
        : '') +
      (sample.error ? `  ERROR ${sample.error}` : '')
  )
  return sample
}

// ---------------------------------------------------------------- scenarios

interface Scenario {
  id: string
  /** what the row copies, with the layer size of the mode */
  title(mode: Mode): string
  /** the row's name in the summary (the issue's table) */
  short: string
  modes: Mode[]
  tools: Tool[]
  measureRss?: boolean
  /** starts the source side once per mode; returns how to prepare each copy and how to clean up */
  setup(mode: Mode): Promise<{
    src: { reg: Reg; repo: string }
    image: SeededImage
    /** targets for one copy, and their cleanup (fresh registries for cold copies) */
    targets(tool: Tool, run: number): Promise<{ targets: Target[]; done(): Promise<void> }>
    teardown(): Promise<void>
  }>
}

const SRC_REPO = 'staging/app'
const fresh =
  (mode: Mode, count: number) => async (): Promise<{ targets: Target[]; done(): Promise<void> }> => {
    const regs = await Promise.all(Array.from({ length: count }, () => startReg(mode)))
    return {
      targets: regs.map(reg => ({ reg, repo: 'prod/app' })),
      done: async () => void (await Promise.all(regs.map(r => r.stop())))
    }
  }

const PLATFORMS = [
  { os: 'linux', architecture: 'amd64' },
  { os: 'linux', architecture: 'arm64' },
  { os: 'linux', architecture: 'arm', variant: 'v7' },
  { os: 'linux', architecture: 'ppc64le' }
]

const SCENARIOS: Scenario[] = [
  {
    id: 'cold',
    short: 'cold copy, 8 layers (latency: 4 MB each)',
    title: mode => `cold: 8 layers × ${layerFor(mode) / MB} MB, one target`,
    modes: TIMED_MODES,
    tools: TOOLS,
    async setup(mode) {
      const src = await startReg(mode)
      const image = await seedImage([{ url: src.registry.url, repo: SRC_REPO }], 8, layerFor(mode))
      return { src: { reg: src, repo: SRC_REPO }, image, targets: fresh(mode, 1), teardown: () => src.stop() }
    }
  },
  {
    id: 'warm',
    short: 'warm copy (all present)',
    title: mode => `warm: same again (8 × ${layerFor(mode) / MB} MB), all blobs present`,
    modes: TIMED_MODES,
    tools: TOOLS,
    async setup(mode) {
      const src = await startReg(mode)
      const dst = await startReg(mode)
      const dests: Dest[] = [
        { url: src.registry.url, repo: SRC_REPO },
        { url: dst.registry.url, repo: 'prod/app' }
      ]
      const image = await seedImage(dests, 8, layerFor(mode))
      return {
        src: { reg: src, repo: SRC_REPO },
        image,
        targets: async () => ({ targets: [{ reg: dst, repo: 'prod/app' }], done: async () => {} }),
        teardown: async () => void (await Promise.all([src.stop(), dst.stop()]))
      }
    }
  },
  {
    id: 'same-registry',
    short: 'same-registry promotion (mount)',
    title: mode => `same-registry promotion to a new repository (8 × ${layerFor(mode) / MB} MB)`,
    modes: TIMED_MODES,
    tools: TOOLS,
    async setup(mode) {
      const reg = await startReg(mode)
      const image = await seedImage([{ url: reg.registry.url, repo: SRC_REPO }], 8, layerFor(mode))
      return {
        src: { reg, repo: SRC_REPO },
        image,
        targets: async (tool, run) => ({
          targets: [{ reg, repo: `prod/${tool}-${run}` }],
          done: async () => {}
        }),
        teardown: () => reg.stop()
      }
    }
  },
  {
    id: 'index',
    short: '4-platform index (latency: 4 MB layers)',
    title: mode =>
      `4-platform index, 2 shared layers (${layerFor(mode) / MB} MB each, 1 unique per platform)`,
    modes: TIMED_MODES,
    tools: TOOLS,
    async setup(mode) {
      const src = await startReg(mode)
      const image = await seedIndex([{ url: src.registry.url, repo: SRC_REPO }], PLATFORMS, 2, layerFor(mode))
      return { src: { reg: src, repo: SRC_REPO }, image, targets: fresh(mode, 1), teardown: () => src.stop() }
    }
  },
  {
    id: 'fanout',
    short: 'fan-out to 3 targets',
    title: mode =>
      `fan-out of 8 × ${layerFor(mode) / MB} MB to 3 targets (skopeo: three copies, one after another)`,
    modes: TIMED_MODES,
    tools: TOOLS,
    async setup(mode) {
      const src = await startReg(mode)
      const image = await seedImage([{ url: src.registry.url, repo: SRC_REPO }], 8, layerFor(mode))
      return { src: { reg: src, repo: SRC_REPO }, image, targets: fresh(mode, 3), teardown: () => src.stop() }
    }
  },
  {
    id: 'rss',
    short: 'peak RSS, one big layer (loopback)',
    title: () => `peak RSS copying an image with a ${BIG_LAYER / MB} MB layer`,
    modes: ['loopback'],
    tools: TOOLS,
    measureRss: true,
    async setup(mode) {
      const src = await startReg(mode)
      const image = await seedImage([{ url: src.registry.url, repo: SRC_REPO }], 1, BIG_LAYER)
      return { src: { reg: src, repo: SRC_REPO }, image, targets: fresh(mode, 1), teardown: () => src.stop() }
    }
  },
  ...LAYER_COUNTS.map(layersScenario)
]

/**
 * Many small blobs (issue 23): one image of `count` layers × 50 KB, so per-blob round trips and
 * the transfer limit, not bytes, set the time; loopback and WAN-like, and a counting pass.
 */
function layersScenario(count: number): Scenario {
  return {
    id: `layers-${count}`,
    short: `one image, ${count} × ${SMALL_LAYER / 1000} KB layers`,
    title: () =>
      `one image of ${count} layer${count === 1 ? '' : 's'} × ${SMALL_LAYER / 1000} KB, one target`,
    modes: ['loopback', 'wan', 'count'],
    tools: ['ours', 'skopeo'],
    async setup(mode) {
      const src = await startReg(mode)
      const image = await seedImage([{ url: src.registry.url, repo: SRC_REPO }], count, SMALL_LAYER)
      return { src: { reg: src, repo: SRC_REPO }, image, targets: fresh(mode, 1), teardown: () => src.stop() }
    }
  }
}

// ---------------------------------------------------------------- targets and report

interface Row {
  scenario: Scenario
  mode: Mode
  samples: Sample[]
}

const median = (xs: number[]): number | undefined => {
  if (!xs.length) return undefined
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

function stat(row: Row, tool: Tool, pick: (s: Sample) => number | undefined): number | undefined {
  const xs = row.samples.filter(s => s.tool === tool && !s.error).map(pick)
  return median(xs.filter((x): x is number => x !== undefined))
}

const failed = (row: Row, tool: Tool): boolean => row.samples.some(s => s.tool === tool && s.error)

/** ours/skopeo limits per scenario and mode (issue 14); a missing one: no target, figures only */
const LIMITS: Record<string, Partial<Record<Mode, number>>> = {
  cold: { loopback: 1.0, wan: 0.8, latency: 0.8 },
  warm: { loopback: 0.8, wan: 0.8, latency: 0.8 },
  'same-registry': { loopback: 0.8, wan: 0.8, latency: 0.8 },
  index: { loopback: 0.8, wan: 0.6, latency: 0.5 },
  fanout: { loopback: 0.9, wan: 0.45 },
  // issue 23
  'layers-1': { loopback: 2.0 },
  'layers-100': { loopback: 0.7, wan: 0.45 }
}

/**
 * `node -e 0` and `node CLI --version`, median seconds, measured at the start of the run; with
 * NODE_EXTRA_CA_CERTS set, `node -e 0` also with it (`caNode`) and without it (`noCaNode`), the
 * runs alternated: Node reads and parses that file at every start, a floor that every copy of ours
 * pays and skopeo does not (the bench leaves the variable as it finds it, for every tool).
 */
const startup: { node?: number; version?: number; caNode?: number; noCaNode?: number } = {}

type Verdict = 'PASS' | 'MISS' | 'ERROR' | '–'

/** The issue's target for one cell: text and verdict. */
function judge(row: Row): { target: string; verdict: Verdict; why: string; ratio?: number } {
  const ours = stat(row, 'ours', s => s.seconds)
  const sk = stat(row, 'skopeo', s => s.seconds)
  const base = stat(row, 'baseline', s => s.seconds)
  const r = ours !== undefined && sk !== undefined ? ours / sk : undefined
  const rb = ours !== undefined && base !== undefined ? ours / base : undefined
  const id = row.scenario.id
  const loopback = row.mode === 'loopback'
  if (failed(row, 'ours'))
    return { target: '', verdict: 'ERROR', why: 'promote-image failed or copied wrongly' }
  if (row.mode === 'count') return { target: 'none (counts)', verdict: '–', why: '', ratio: r }
  if (id === 'rss') return judgeRss(row, rb)
  const limit = LIMITS[id]?.[row.mode]
  if (limit === undefined) return { target: 'none', verdict: '–', why: '', ratio: r }
  if (r === undefined) return { target: `≤ ${limit}`, verdict: 'ERROR', why: 'skopeo has no figure' }
  const checks: Array<[boolean, string]> = [[r <= limit, `ours/skopeo ${r.toFixed(2)} ≤ ${limit}`]]
  let target = `ours/skopeo ≤ ${limit}`
  if (id === 'cold' && loopback) {
    target += ', ours/baseline ≤ 1.1'
    checks.push([rb !== undefined && rb <= 1.1, `ours/baseline ${rb?.toFixed(2) ?? '?'} ≤ 1.1`])
  }
  if (id === 'warm' && loopback && startup.node !== undefined && ours !== undefined) {
    const cap = startup.node + WARM_OVER_NODE_S
    target += `, ≤ node -e 0 + ${WARM_OVER_NODE_S} s (${cap.toFixed(2)} s)`
    checks.push([ours <= cap, `${ours.toFixed(2)} s ≤ ${cap.toFixed(2)} s`])
  }
  if (id === 'same-registry' && loopback) {
    target += ', 0 blob bytes'
    const bytes = Math.max(...row.samples.filter(s => s.tool === 'ours').map(s => s.bytesCopied ?? Infinity))
    checks.push([bytes === 0, `blob bytes through the client ${bytes}`])
  }
  const ok = checks.every(c => c[0])
  return {
    target,
    verdict: ok ? 'PASS' : 'MISS',
    ratio: r,
    why: checks
      .filter(c => !c[0])
      .map(c => c[1])
      .join('; ')
  }
}

/**
 * The big layer (issue 23): peak RSS ≤ RSS_LIMIT_MB MiB and at least PIPE_SHARE of the curl pipe's
 * throughput (ours/baseline time ≤ 1 / PIPE_SHARE).
 */
function judgeRss(row: Row, rb: number | undefined): ReturnType<typeof judge> {
  const rss = stat(row, 'ours', s => s.rssKiB)
  const target = `≤ ${RSS_LIMIT_MB} MiB, ≥ ${PIPE_SHARE} × the curl pipe's throughput`
  if (rss === undefined) return { target, verdict: 'ERROR', why: 'no RSS' }
  const mib = rss / 1024
  const share = rb === undefined ? undefined : 1 / rb
  const ok = mib <= RSS_LIMIT_MB && share !== undefined && share >= PIPE_SHARE
  const why = `${mib.toFixed(0)} MiB, ${share === undefined ? '?' : share.toFixed(2)} × the pipe`
  return { target, verdict: ok ? 'PASS' : 'MISS', why }
}

const f2 = (x: number | undefined): string => (x === undefined ? '–' : x.toFixed(2))

/** A file's size as `N KiB`, or `unreadable`. */
function fileKiB(path: string): string {
  try {
    return `${Math.round(statSync(path).size / 1024)} KiB`
  } catch {
    return 'unreadable'
  }
}
const mib = (x: number | undefined): string => (x === undefined ? '–' : `${(x / 1024).toFixed(0)}`)
const mbytes = (x: number | undefined): string => (x === undefined ? '–' : `${(x / MB).toFixed(1)}`)
const int = (x: number | undefined): string => (x === undefined ? '–' : String(Math.round(x)))

function tableRows(rows: Row[]): string[][] {
  const header = [
    'scenario',
    'network',
    'promote-image s',
    'skopeo s',
    'baseline s',
    'ours/skopeo',
    'ours/baseline',
    'ours RSS MiB',
    'skopeo RSS MiB',
    'ours blob bytes (MB)',
    'client→registry MB (ours/skopeo/baseline)',
    'requests (ours/skopeo/baseline)',
    'sequential round trips (ours/skopeo/baseline)',
    'target',
    'result'
  ]
  const out = [header]
  for (const row of rows) {
    const ours = stat(row, 'ours', s => s.seconds)
    const sk = stat(row, 'skopeo', s => s.seconds)
    const base = stat(row, 'baseline', s => s.seconds)
    const j = judge(row)
    const cell = (tool: Tool, x: number | undefined): string =>
      failed(row, tool) ? `${f2(x)} (ERR)` : row.scenario.tools.includes(tool) ? f2(x) : 'n/a'
    const perTool = (
      pick: (s: Sample) => number | undefined,
      fmt: (x: number | undefined) => string
    ): string =>
      row.mode === 'loopback' ? '–' : row.scenario.tools.map(t => fmt(stat(row, t, pick))).join(' / ')
    out.push([
      row.scenario.title(row.mode),
      MODE_NAME[row.mode],
      cell('ours', ours),
      cell('skopeo', sk),
      cell('baseline', base),
      ours !== undefined && sk !== undefined ? f2(ours / sk) : '–',
      ours !== undefined && base !== undefined ? f2(ours / base) : '–',
      mib(stat(row, 'ours', s => s.rssKiB)),
      mib(stat(row, 'skopeo', s => s.rssKiB)),
      mbytes(stat(row, 'ours', s => s.bytesCopied)),
      perTool(s => s.proxyUp, mbytes),
      counted(row.mode) ? perTool(s => s.requests, int) : '–',
      counted(row.mode) ? perTool(s => s.roundTrips, int) : '–',
      j.target,
      j.verdict + (j.why && j.verdict !== 'PASS' ? ` (${j.why})` : '')
    ])
  }
  return out
}

/** The issue's shape: one row per scenario, one column per network mode, ours/skopeo and verdict. */
function summaryRows(rows: Row[]): string[][] {
  const modes = ALL_MODES.filter(m => rows.some(r => r.mode === m))
  const out = [['scenario (ours/skopeo, target, result)', ...modes.map(m => MODE_NAME[m])]]
  for (const scenario of [...new Set(rows.map(r => r.scenario))]) {
    const cells = modes.map(m => {
      const row = rows.find(r => r.scenario === scenario && r.mode === m)
      if (!row) return '–'
      const j = judge(row)
      if (m === 'count') return countCell(row)
      if (scenario.id === 'rss') return `${j.why || '–'} (${j.target}) ${j.verdict}`
      const limit = LIMITS[scenario.id]?.[m]
      return `${f2(j.ratio)} (${limit === undefined ? 'no target' : `≤ ${limit}`}) ${j.verdict}`
    })
    out.push([scenario.short, ...cells])
  }
  return out
}

/** The count mode's summary cell: requests / sequential round trips, ours then skopeo. */
function countCell(row: Row): string {
  const of = (tool: Tool): string =>
    `${int(stat(row, tool, s => s.requests))} / ${int(stat(row, tool, s => s.roundTrips))}`
  return `ours ${of('ours')}, skopeo ${of('skopeo')} (requests / round trips)`
}

function textTable(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map(r => r[i].length)))
  return rows.map(r => r.map((c, i) => c.padEnd(widths[i])).join('  ')).join('\n')
}

function markdownTable(rows: string[][]): string {
  const esc = (s: string): string => s.replace(/\|/g, '\\|')
  return [
    `| ${rows[0].map(esc).join(' | ')} |`,
    `|${rows[0].map(() => ' --- ').join('|')}|`,
    ...rows.slice(1).map(r => `| ${r.map(esc).join(' | ')} |`)
  ].join('\n')
}

async function version(cmd: string, args: string[]): Promise<string> {
  const r = await timed(cmd, args, false).catch(() => undefined)
  return r ? (r.stdout + r.stderr).trim().split('\n')[0] : '(not found)'
}

async function machine(): Promise<string[]> {
  const commit = (await version('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD'])).trim()
  const cliTime = existsSync(CLI) ? statSync(CLI).mtime.toISOString() : '(missing)'
  const files = existsSync(CLI) ? readdirSync(dirname(CLI), { recursive: true }).map(String) : []
  const bytes = files.reduce(
    (n, f) => n + (statSync(join(dirname(CLI), f)).isFile() ? statSync(join(dirname(CLI), f)).size : 0),
    0
  )
  const cliSize = `${(bytes / 2 ** 20).toFixed(2)} MiB in ${dirname(CLI_GIVEN).replace(ROOT + '/', '')}/`
  return [
    `- date: ${new Date().toISOString()}`,
    `- machine: ${availableParallelism()} CPUs (nproc), ${cpus()[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB memory`,
    `- node ${process.version}; ${await version('skopeo', ['--version'])}; ${(await version('curl', ['--version'])).split(' ').slice(0, 2).join(' ')}`,
    `- ${await version('docker-registry', ['--version'])}`,
    `- promote-image: \`${CLI_GIVEN.replace(ROOT + '/', '')}\` (${cliSize}, built ${cliTime}, copied aside at the start) at commit ${commit}${OURS_ARGS.length ? `, extra arguments \`${OURS_ARGS.join(' ')}\`` : ''}`,
    `- runs per cell: ${RUNS} (median shown)${QUICK ? '; QUICK mode (small sizes)' : ''}; WAN-like cap ${RATE / MB} MB/s per connection and direction; latency mode: the same cap + ${LATENCY_MS} ms before every request${CONNECT_MS ? ` + ${CONNECT_MS} ms per new connection` : ''}, ${LATENCY_LAYER / MB} MB layers`,
    `- start-up, median of 5: \`node -e 0\` ${f2(startup.node)} s, \`node ${basename(CLI)} --version\` ${f2(startup.version)} s (the warm loopback target is \`node -e 0\` + ${WARM_OVER_NODE_S} s)`,
    ...(env.NODE_EXTRA_CA_CERTS
      ? [
          `- start-up floor: NODE_EXTRA_CA_CERTS is set (\`${env.NODE_EXTRA_CA_CERTS}\`, ${fileKiB(env.NODE_EXTRA_CA_CERTS)}), left set for every tool; Node parses it at every start: \`node -e 0\` ${f2(startup.caNode)} s with it, ${f2(startup.noCaNode)} s without (medians of 5, alternated)`
        ]
      : []),
    `- count mode: every request held ${COUNT_DELAY_MS} ms by a recording proxy, one untimed run per tool; skopeo's blob-info cache deleted before every skopeo run, our blob record before every run of ours`
  ]
}

// ---------------------------------------------------------------- main

/** Times `node -e 0` and `node CLI --version` five times each (medians into `startup`). */
async function measureStartup(): Promise<void> {
  const times = async (args: string[]): Promise<number | undefined> => {
    const xs: number[] = []
    for (let i = 0; i < 5; i++) {
      const r = await timed('node', args, false)
      if (r.code === 0) xs.push(r.seconds)
    }
    return median(xs)
  }
  await quiet()
  startup.node = await times(['-e', '0'])
  startup.version = await times([CLI, '--version'])
  if (env.NODE_EXTRA_CA_CERTS) {
    const noCa = { ...env, NODE_EXTRA_CA_CERTS: undefined }
    const withCa: number[] = []
    const without: number[] = []
    for (let i = 0; i < 5; i++) {
      const a = await timed('node', ['-e', '0'], false)
      const b = await timed('node', ['-e', '0'], false, noCa)
      if (a.code === 0) withCa.push(a.seconds)
      if (b.code === 0) without.push(b.seconds)
    }
    startup.caNode = median(withCa)
    startup.noCaNode = median(without)
  }
}

async function main(): Promise<void> {
  if (!existsSync(CLI)) throw new Error(`${CLI_GIVEN} is missing: run npm run bundle first`)
  const wanted = env.BENCH_SCENARIOS?.split(',')
    .map(s => s.trim())
    .flatMap(s => (s === 'layers' ? LAYER_COUNTS.map(n => `layers-${n}`) : [s]))
  const scenarios = SCENARIOS.filter(s => !wanted || wanted.includes(s.id))
  // the batch case (issue 13, bench/batch.ts) and the floor (issue 23, bench/floor.ts): only when named;
  // each its own report, bench/results/batch.md and bench/results/floor.md
  const named = (wanted ?? []).filter(s => s === 'batch' || s === 'floor')
  for (const name of named) {
    const common = {
      cli: CLI,
      scratch,
      oursArgs: OURS_ARGS,
      log,
      rate: RATE,
      countDelayMs: COUNT_DELAY_MS,
      quiet
    }
    const { batchBench } = await import('./batch.js')
    const { floorBench } = await import('./floor.js')
    const part =
      name === 'batch'
        ? await batchBench({ ...common, runs: RUNS, latencyMs: LATENCY_MS })
        : await floorBench(common)
    const own = `bench/results/${name}.md`
    const out = resolve(ROOT, wanted?.length === 1 && env.BENCH_OUT ? env.BENCH_OUT : own)
    const options = (await prettier.resolveConfig(out)) ?? {}
    const info = (await machine()).filter(l => !/^- (start-up|runs per cell)/.test(l))
    const runs = name === 'batch' ? `runs: ${RUNS} per tool, the order alternating; ` : ''
    info.push(`- ${runs}load average at the end ${loadavg()[0].toFixed(1)}`)
    const md = [`# promote-image benchmark: ${name}`, '', ...info, '', part.markdown].join('\n')
    writeFileSync(out, await prettier.format(md, { ...options, parser: 'markdown' }))
    process.stdout.write(`${part.text}\n`)
    log(`wrote ${out}`)
  }
  if (named.length && scenarios.length === 0) return
  const started = performance.now()
  const loadAtStart = loadavg()[0]
  await measureStartup()
  log(`start-up: node -e 0 ${f2(startup.node)} s, node cli --version ${f2(startup.version)} s`)
  if (env.NODE_EXTRA_CA_CERTS)
    log(
      `start-up floor: node -e 0 ${f2(startup.caNode)} s with NODE_EXTRA_CA_CERTS, ${f2(startup.noCaNode)} s without`
    )
  const rows: Row[] = []
  for (const scenario of scenarios) {
    for (const mode of scenario.modes.filter(m => MODES.includes(m))) {
      log(`${scenario.title(mode)} — ${mode}: seeding`)
      const ctx = await scenario.setup(mode)
      const row: Row = { scenario, mode, samples: [] }
      try {
        // the count mode counts: one run per tool
        for (let run = 0; run < (mode === 'count' ? 1 : RUNS); run++) {
          // rotate the order so no tool always goes first (page cache, registry warm-up)
          const order = scenario.tools.map((_, i) => scenario.tools[(i + run) % scenario.tools.length])
          for (const tool of order) {
            const { targets, done } = await ctx.targets(tool, run)
            try {
              const busyBefore = await quiet()
              const sample = await copyOnce(
                scenario.id,
                mode,
                tool,
                run,
                ctx.src,
                targets,
                ctx.image,
                !!scenario.measureRss
              )
              sample.busyBefore = busyBefore
              row.samples.push(sample)
            } finally {
              await done()
            }
            await settle()
          }
        }
      } finally {
        await ctx.teardown()
      }
      rows.push(row)
      log(`  → ${judge(row).verdict}`)
    }
  }
  const minutes = (performance.now() - started) / 60000
  const table = tableRows(rows)
  const summary = summaryRows(rows)
  const info = await machine()
  const samples = rows.flatMap(r => r.samples)
  const busy = samples.filter(s => (s.busyBefore ?? 0) >= 0.25).length
  info.push(
    `- other load: 1-min load average ${loadAtStart.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end; ${busy} of ${samples.length} copies started while other processes kept the CPUs ≥ 25 % busy (after waiting up to ${env.BENCH_QUIET_WAIT_S ?? 20} s for quiet)`
  )
  process.stdout.write(
    `\n${textTable(summary)}\n\n${textTable(table)}\n\n${info.join('\n')}\n- total bench time ${minutes.toFixed(1)} min\n`
  )

  const details = rows.flatMap(row =>
    row.samples.map(s =>
      [
        s.scenario,
        s.mode,
        String(s.run + 1),
        s.tool,
        s.seconds.toFixed(2),
        mib(s.rssKiB),
        mbytes(s.bytesCopied),
        mbytes(s.proxyUp),
        int(s.requests),
        int(s.roundTrips),
        s.methods ?? '–',
        s.busyBefore === undefined ? '–' : `${Math.round(s.busyBefore * 100)} %`,
        s.error ?? ''
      ].join(' | ')
    )
  )
  const md = [
    '# promote-image benchmark (issues 5 and 14)',
    '',
    ...info,
    `- total bench time ${minutes.toFixed(1)} min`,
    '',
    'Seconds are wall time from process spawn to exit, median of the runs. Ratios are promote-image',
    'divided by the other tool (lower is better). Every copy was verified at each target by digest and',
    'tag (HEAD with the OCI + Docker Accept list). See `bench/README.md` for what each row measures.',
    "Requests and sequential round trips are counted by the latency mode's HTTP proxy.",
    '',
    markdownTable(summary),
    '',
    '## Every figure',
    '',
    markdownTable(table),
    '',
    '## Every run',
    '',
    '| scenario | network | run | tool | seconds | peak RSS MiB | ours blob bytes MB | client→registry MB at proxies | requests | sequential round trips | requests by method | CPU busy before | error |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...details.map(d => `| ${d} |`),
    ''
  ].join('\n')
  mkdirSync(dirname(OUT), { recursive: true })
  // formatted like the rest of the repository, so `npm run format:check` stays clean
  const options = (await prettier.resolveConfig(OUT)) ?? {}
  writeFileSync(OUT, await prettier.format(md, { ...options, parser: 'markdown' }))
  log(`wrote ${OUT}`)
}

main().then(
  () => stopAll().then(() => process.exit(0)),
  e => {
    log(`bench failed: ${(e as Error).stack ?? e}`)
    void stopAll().then(() => process.exit(1))
  }
)
