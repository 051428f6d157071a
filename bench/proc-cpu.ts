/**
 * CPU seconds of processes read from Linux /proc, for the benches that say whose CPU a run burns
 * (bench/batch.ts, bench/floor.ts): a tool timed from spawn to exit with its CPU (no wrapper
 * process), and any running process's CPU so far (a registry, the bench process itself, which runs
 * the proxies).
 */
import { execFileSync, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'

/** Clock ticks per second of /proc's CPU times (`getconf CLK_TCK`, 100 on Linux). */
const TICKS = ((): number => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString()) || 100
  } catch {
    return 100
  }
})()

/**
 * CPU seconds (user + system, proc(5) fields 14–15, every thread) of process `pid` so far; for
 * `'children'`, of this process's children that have exited and been waited for (fields 16–17).
 * Undefined where /proc cannot be read (not Linux, or the process is gone); never throws.
 */
export function cpuSeconds(pid: number | 'children' | undefined): number | undefined {
  if (pid === undefined) return undefined
  try {
    const stat = readFileSync(`/proc/${pid === 'children' ? 'self' : pid}/stat`, 'utf8')
    // the fields after `(comm)`, from field 3 on
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const [user, system] = pid === 'children' ? [f[13], f[14]] : [f[11], f[12]]
    return (Number(user) + Number(system)) / TICKS
  } catch {
    return undefined
  }
}

/** `after - before` (seconds), or undefined when either is unknown. */
export const spent = (before: number | undefined, after: number | undefined): number | undefined =>
  before === undefined || after === undefined ? undefined : after - before

/**
 * Runs `cmd args` (stdout ignored) and resolves with spawn → exit in seconds, the tool's CPU
 * seconds (its own and any child's it waited for: the growth of this process's reaped-children time
 * across the run, so the tool runs as it is, with no wrapper; undefined without /proc), and, when it
 * exited non-zero, `exit N: ` and the last 3 lines of its stderr. Rejects only when it cannot be
 * spawned. Run one at a time: another child reaped meanwhile would count in `cpu`.
 */
export async function timed(
  cmd: string,
  args: string[]
): Promise<{ seconds: number; cpu?: number; error?: string }> {
  const c0 = cpuSeconds('children')
  const t0 = performance.now()
  const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => void (stderr.length < 65536 && (stderr += d.toString())))
  const code = await new Promise<number>((res, rej) => {
    child.once('error', rej)
    child.once('exit', c => res(c ?? 1))
  })
  const seconds = (performance.now() - t0) / 1000
  const cpu = spent(c0, cpuSeconds('children'))
  const error = code === 0 ? undefined : `exit ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`
  return { seconds, cpu, error }
}
