/**
 * The V8 flags of the CLI's process, set by its entry (dist/cli.js, src/cli.ts) before any code of
 * the program is compiled: flags are part of what a V8 code cache is checked against (code-cache.ts),
 * so they must be the same when a cache is made and when it is used.
 */
import { setFlagsFromString } from 'node:v8'

/**
 * V8 flags for a short-lived process, set before anything compiles WebAssembly:
 * - `--liftoff-only` keeps undici's llhttp parser (WebAssembly) on V8's baseline compiler. Without
 *   it a background thread optimises the parser with TurboFan while the copy runs, and the process
 *   waits ~0.1 s for that compilation at exit (measured with bench/timeline.ts; the warm copy's CPU
 *   drops by ~0.1 s too). The parser only reads headers and chunk framing, so its baseline code
 *   costs nothing measurable per byte.
 * - `--semi-space-growth-factor=1` keeps the young generation at its starting size. Streaming a
 *   blob allocates a 64 KiB buffer per socket read and a few small objects per chunk; V8 then grows
 *   the young generation towards 16 MiB per semi-space, and the dead read buffers it holds until a
 *   scavenge pile up outside the heap: a 1 GB layer peaked at 101–105 MiB RSS, 78–79 MiB with the
 *   flag (3 runs each, same CPU time).
 * Never fails a run.
 */
export function tuneV8(set: (flags: string) => void = setFlagsFromString): void {
  for (const flag of ['--liftoff-only', '--semi-space-growth-factor=1']) {
    try {
      set(flag)
    } catch {
      // an engine without the flag runs as before
    }
  }
}
