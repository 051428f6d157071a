// Loaded with `node --import` before a program: prints its peak resident set size on exit, as
// `\nmax-rss-kib N\n` on stderr (KiB), for memory bounds in tests.
// On Linux the figure is VmHWM from /proc/self/status: the high-water mark of this process's own
// memory. getrusage's ru_maxrss (process.resourceUsage().maxRSS) is not used there: Linux carries
// the parent's peak across fork + exec into it, so a CLI spawned by a 190 MiB Jest worker reported
// 193 MiB whatever it did. Elsewhere maxRSS is the fallback.
import { readFileSync } from 'node:fs'

function peakKiB() {
  try {
    const m = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'))
    if (m) return Number(m[1])
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS
}

process.on('exit', () => process.stderr.write(`\nmax-rss-kib ${peakKiB()}\n`))
