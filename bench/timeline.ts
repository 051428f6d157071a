/**
 * `npx tsx bench/timeline.ts` (issue 14, items 1 and 2): when a warm copy makes its first connection and
 * its first request, and how long its process lives after the last response, measured from outside.
 * Both registries sit behind bench/latency-proxy.ts with no delay and no cap (it only records times);
 * the copy is spawned TIMELINE_RUNS times (default 5) and each phase is printed in ms from spawn,
 * next to `node -e 0` and `node CLI --version` timed the same way. BENCH_CLI and extra CLI arguments
 * (TIMELINE_ARGS) as in the bench, e.g. TIMELINE_ARGS="--concurrency 8"; node options for the copy in
 * TIMELINE_NODE_ARGS, e.g. TIMELINE_NODE_ARGS="--liftoff-only". TIMELINE_DELAY_MS (default 0) holds every
 * request that long in the proxies, so parallel requests stay apart and the sequential round trips
 * are counted without races.
 * Cold copies (issue 23's "1 × 50 KB" cell): TIMELINE_COLD=1 copies into a new repository each run
 * (the target holds nothing), e.g. `TIMELINE_COLD=1 TIMELINE_LAYERS=1 TIMELINE_LAYER_BYTES=50000`.
 * The image is TIMELINE_LAYERS layers (default 8) of TIMELINE_LAYER_BYTES bytes (default 1000000).
 * Our blob record is deleted before every copy, as the bench does (else a cold run would mount from
 * the previous run's repository). TIMELINE_DETAIL=1 also lists each run's requests (ms from spawn:
 * arrival at the proxy..end of the response, method, path). The proxies are Node processes too: on
 * a busy machine their own delays are in every figure, so compare runs taken together.
 */
import { spawn } from 'node:child_process'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startRegistry, type TestRegistry } from '../__tests__/helpers/registry.js'
import { startLatencyProxy, sequentialRoundTrips, type LatencyProxy } from './latency-proxy.js'
import { seedImage } from './seed.js'
import { forgetOurBlobRecord } from './skopeo.js'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const CLI = resolve(ROOT, process.env.BENCH_CLI ?? 'dist/cli.cjs')
const RUNS = Math.max(1, Number(process.env.TIMELINE_RUNS ?? 5))
const ARGS = (process.env.TIMELINE_ARGS ?? '').split(/\s+/).filter(Boolean)
const NODE_ARGS = (process.env.TIMELINE_NODE_ARGS ?? '').split(/\s+/).filter(Boolean)
const DELAY_MS = Number(process.env.TIMELINE_DELAY_MS ?? 0)
const COLD = process.env.TIMELINE_COLD === '1'
const LAYERS = Math.max(1, Number(process.env.TIMELINE_LAYERS ?? 8))
const LAYER_BYTES = Math.max(1, Number(process.env.TIMELINE_LAYER_BYTES ?? 1e6))
const DETAIL = process.env.TIMELINE_DETAIL === '1'
const log = (m: string): void => void process.stdout.write(`${m}\n`)

/** Spawns `node ARGS`; resolves with spawn and exit times (ms, performance.now()). */
async function spawnTimed(args: string[]): Promise<{ t0: number; exit: number }> {
  const t0 = performance.now()
  const child = spawn('node', args, { stdio: ['ignore', 'ignore', 'inherit'] })
  const code = await new Promise<number>(r => child.once('exit', c => r(c ?? 1)))
  if (code !== 0) throw new Error(`node ${args.join(' ')} exited ${code}`)
  return { t0, exit: performance.now() }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const ms = (x: number): string => `${x.toFixed(0).padStart(4)} ms`

async function main(): Promise<void> {
  const regs: TestRegistry[] = []
  const proxies: LatencyProxy[] = []
  try {
    const src = await startRegistry()
    const dst = await startRegistry()
    regs.push(src, dst)
    const image = await seedImage(
      [{ url: src.url, repo: 'staging/app' }, ...(COLD ? [] : [{ url: dst.url, repo: 'prod/app' }])],
      LAYERS,
      LAYER_BYTES
    )
    const ps = await startLatencyProxy(src.host, { bytesPerSecond: Infinity, delayMs: DELAY_MS })
    const pd = await startLatencyProxy(dst.host, { bytesPerSecond: Infinity, delayMs: DELAY_MS })
    proxies.push(ps, pd)
    const node0: number[] = []
    const version: number[] = []
    for (let i = 0; i < RUNS; i++) {
      const a = await spawnTimed(['-e', '0'])
      node0.push(a.exit - a.t0)
      const b = await spawnTimed([CLI, '--version'])
      version.push(b.exit - b.t0)
    }
    log(
      `node -e 0: ${ms(median(node0))}; node cli.cjs --version: ${ms(median(version))} (medians of ${RUNS})`
    )
    log(
      `${COLD ? 'cold' : 'warm'} copy of ${LAYERS} × ${LAYER_BYTES} bytes, ms from spawn: first connection, first request, last response end, exit; after-last-response`
    )
    const rows: number[][] = []
    for (let i = 0; i < RUNS; i++) {
      ps.resetCounters()
      pd.resetCounters()
      forgetOurBlobRecord()
      const { t0, exit } = await spawnTimed([
        ...NODE_ARGS,
        CLI,
        'copy',
        `${ps.host}/staging/app@${image.root.digest}`,
        `${pd.host}/prod/app${COLD ? `-cold${i}` : ''}:t${i}`,
        '--json',
        ...ARGS
      ])
      const reqs = [...ps.requests, ...pd.requests]
      const conns = [...ps.connectionTimes, ...pd.connectionTimes]
      const row = [
        Math.min(...conns) - t0,
        Math.min(...reqs.map(r => r.start)) - t0,
        Math.max(...reqs.map(r => r.end)) - t0,
        exit - t0
      ]
      row.push(row[3] - row[2])
      rows.push(row)
      log(
        `  run ${i + 1}: ${row.map(ms).join('  ')}   ${reqs.length} requests, ${conns.length} connections, ${sequentialRoundTrips(reqs)} sequential round trips`
      )
      if (DETAIL)
        for (const r of [...reqs].sort((a, b) => a.start - b.start))
          log(
            `      ${(r.start - t0).toFixed(1)}..${(r.end - t0).toFixed(1)}  ${r.method} ${r.path.slice(0, 90)}`
          )
    }
    log(`  median: ${rows[0].map((_, k) => ms(median(rows.map(r => r[k])))).join('  ')}`)
  } finally {
    await Promise.all(proxies.map(p => p.stop()))
    await Promise.all(regs.map(r => r.stop()))
  }
}

main().catch(e => {
  log(`timeline failed: ${(e as Error).stack ?? String(e)}`)
  process.exitCode = 1
})
