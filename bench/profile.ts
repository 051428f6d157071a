/**
 * `npx tsx bench/profile.ts` (issue 14): where promote-image's time and CPU go, on registries started
 * as the bench starts them (loopback, no proxy). Measures, each as wall seconds and CPU seconds
 * (user + sys, `/usr/bin/time`): `node -e 0`, `node CLI --version`, a warm copy (every blob and the
 * manifest already at the target) and a cold copy of 8 × PROFILE_LAYER_MB (default 40) MB to a fresh
 * registry; then profiles one cold and one warm copy with `node --cpu-prof` and prints the main
 * thread's self time grouped by kind (sha256, socket I/O, stream plumbing, undici, GC, …) and by
 * bundled source module (esbuild's `// path` markers in dist/), plus the top functions.
 *
 * Environment: BENCH_CLI (default dist/cli.cjs), PROFILE_LAYER_MB (40), PROFILE_RUNS (3: runs of each
 * timing, medians), PROFILE_DIR (where the .cpuprofile files stay; default a temporary folder).
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startRegistry, type TestRegistry } from '../__tests__/helpers/registry.js'
import { seedImage } from './seed.js'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const CLI = resolve(ROOT, process.env.BENCH_CLI ?? 'dist/cli.cjs')
const LAYER = Number(process.env.PROFILE_LAYER_MB ?? 40) * 1e6
const RUNS = Math.max(1, Number(process.env.PROFILE_RUNS ?? 3))
const DIR = process.env.PROFILE_DIR ?? mkdtempSync(join(tmpdir(), 'pi-profile-'))
const log = (m: string): void => void process.stdout.write(`${m}\n`)

interface Run {
  wall: number
  cpu: number
}

/** Runs `node ARGS` under /usr/bin/time; wall and CPU seconds; throws on a non-zero exit. */
async function run(args: string[]): Promise<Run> {
  const child = spawn('/usr/bin/time', ['-f', 'TIME %e %U %S', 'node', ...args], {
    stdio: ['ignore', 'ignore', 'pipe']
  })
  let err = ''
  child.stderr.on('data', (d: Buffer) => (err += d.toString()))
  const code = await new Promise<number>(r => child.once('exit', c => r(c ?? 1)))
  const m = /TIME ([\d.]+) ([\d.]+) ([\d.]+)/.exec(err)
  if (code !== 0 || !m) throw new Error(`node ${args.join(' ')} failed (${code}): ${err.slice(-500)}`)
  return { wall: Number(m[1]), cpu: Number(m[2]) + Number(m[3]) }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

async function timing(name: string, once: () => Promise<Run>): Promise<void> {
  const runs: Run[] = []
  for (let i = 0; i < RUNS; i++) runs.push(await once())
  const w = median(runs.map(r => r.wall))
  const c = median(runs.map(r => r.cpu))
  log(
    `${name.padEnd(34)} wall ${w.toFixed(3)} s  cpu ${c.toFixed(3)} s  (runs: ${runs.map(r => r.wall.toFixed(2)).join(' ')})`
  )
}

// ---------------------------------------------------------------- .cpuprofile analysis

interface Frame {
  functionName: string
  url: string
  lineNumber: number
}
interface Profile {
  nodes: Array<{ id: number; callFrame: Frame }>
  samples: number[]
  timeDeltas: number[]
}

/** esbuild's `// node_modules/…` and `// src/…` comments: line (0-based) → source module, per bundle file. */
const markers = new Map<string, Array<[number, string]>>()
function moduleOf(frame: Frame): string {
  if (!frame.url) return '(native)'
  if (frame.url.startsWith('node:')) return frame.url
  if (frame.url.startsWith('wasm:')) return 'undici llhttp (wasm)'
  const file = frame.url.replace(/^file:\/\//, '')
  let list = markers.get(file)
  if (!list) {
    list = []
    try {
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((l, i) => {
          const m = /^\/\/ ((?:node_modules|src)\/\S+)$/.exec(l)
          if (m) list?.push([i, m[1]])
        })
    } catch {
      // not a file
    }
    markers.set(file, list)
  }
  let found = file.split('/').pop() ?? file
  for (const [line, mod] of list) if (line <= frame.lineNumber) found = mod
  return found
}

/** The kind a frame's self time counts as. */
function kindOf(frame: Frame, mod: string): string {
  const f = frame.functionName
  if (f === '(garbage collector)') return 'GC'
  if (f === '(idle)') return 'idle (waiting for I/O)'
  if (f === '(program)') return 'program (V8/libuv native, unattributed)'
  if (mod.startsWith('node:internal/crypto')) return 'sha256 (crypto Hash update/digest)'
  if (
    /^(writev|writeGeneric|writevGeneric|writeBuffer|handleWriteReq|_writeGeneric|_writev|_write)$/.test(f) &&
    /net|stream_base/.test(mod)
  )
    return 'socket writes'
  if (f === 'onStreamRead' || /stream_base_commons/.test(mod)) return 'socket reads / stream base'
  if (f === 'parse' && mod === '(native)') return 'JSON'
  if (f === 'stringify' && mod === '(native)') return 'JSON'
  if (
    mod.startsWith('node:internal/streams') ||
    mod === 'node:stream' ||
    mod.startsWith('node:internal/webstreams')
  )
    return 'stream plumbing (node streams)'
  if (/undici/.test(mod)) return `undici ${/llhttp|wasm/.test(mod) ? 'llhttp parser' : 'internals'}`
  if (mod.startsWith('node:internal/modules') || f === 'compileFunction' || f === 'compileSourceTextModule')
    return 'module loading / compile'
  if (mod.startsWith('src/')) return 'promote-image (src/)'
  if (mod.startsWith('node_modules/')) return `other dependencies`
  if (mod.startsWith('node:')) return 'other node internals'
  return 'other native'
}

function summarize(file: string, top: number): void {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile
  const byId = new Map(p.nodes.map(n => [n.id, n.callFrame]))
  const self = new Map<number, number>()
  p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)))
  const kinds = new Map<string, number>()
  const mods = new Map<string, number>()
  const fns = new Map<string, number>()
  let total = 0
  for (const [id, us] of self) {
    const frame = byId.get(id) as Frame
    const mod = moduleOf(frame)
    const kind = kindOf(frame, mod)
    total += us
    kinds.set(kind, (kinds.get(kind) ?? 0) + us)
    if (!kind.startsWith('idle')) mods.set(mod, (mods.get(mod) ?? 0) + us)
    const key = `${frame.functionName || '(anonymous)'}  ${mod}:${frame.lineNumber + 1}`
    fns.set(key, (fns.get(key) ?? 0) + us)
  }
  const ms = (us: number): string =>
    `${(us / 1000).toFixed(0).padStart(6)} ms ${((us / total) * 100).toFixed(1).padStart(5)} %`
  const show = (title: string, m: Map<string, number>, n: number): void => {
    log(`  ${title}`)
    for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, n)) log(`    ${ms(us)}  ${k}`)
  }
  log(`${file}: ${(total / 1000).toFixed(0)} ms of main-thread samples`)
  show('by kind (self time)', kinds, 30)
  show('by module (self time, idle excluded)', mods, top)
  show('top functions (self time)', fns, top)
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const regs: TestRegistry[] = []
  const start = async (): Promise<TestRegistry> => {
    const r = await startRegistry()
    regs.push(r)
    return r
  }
  try {
    const src = await start()
    const warm = await start()
    log(`seeding 8 × ${LAYER / 1e6} MB to ${src.host} and ${warm.host}`)
    const dests = [
      { url: src.url, repo: 'staging/app' },
      { url: warm.url, repo: 'prod/app' }
    ]
    const image = await seedImage(dests, 8, LAYER)
    const srcRef = `${src.host}/staging/app@${image.root.digest}`
    let n = 0
    const warmArgs = (): string[] => [CLI, 'copy', srcRef, `${warm.host}/prod/app:w${n++}`, '--json']
    const cold = async (extra: string[]): Promise<Run> => {
      const dst = await startRegistry()
      try {
        return await run([...extra, CLI, 'copy', srcRef, `${dst.host}/prod/app:c`, '--json'])
      } finally {
        await dst.stop()
      }
    }
    log(`commands: node -e 0 | node ${CLI} --version | node ${CLI} copy ${srcRef} HOST/prod/app:TAG --json`)
    await timing('node -e 0', () => run(['-e', '0']))
    await timing('node cli.cjs --version', () => run([CLI, '--version']))
    await timing('warm copy (all present)', () => run(warmArgs()))
    await timing(`cold copy 8 × ${LAYER / 1e6} MB`, () => cold([]))
    const profDir = (name: string): string[] => ['--cpu-prof', `--cpu-prof-dir=${join(DIR, name)}`]
    await run([...profDir('warm'), ...warmArgs()])
    await cold(profDir('cold'))
    for (const name of ['warm', 'cold'])
      for (const f of readdirSync(join(DIR, name))) summarize(join(DIR, name, f), name === 'warm' ? 25 : 30)
  } finally {
    await Promise.all(regs.map(r => r.stop()))
    if (!process.env.PROFILE_DIR) rmSync(DIR, { recursive: true, force: true })
  }
}

main().catch(e => {
  log(`profile failed: ${(e as Error).stack ?? String(e)}`)
  process.exitCode = 1
})
