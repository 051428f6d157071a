/**
 * The V8 flags of the CLI's process, set by its entry (dist/cli.cjs, src/cli.ts) before any code of
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
 *   flag (3 runs each, same CPU time). Not for a promotion file (`command` `promote-file`): its
 *   images keep many small objects alive at once (8 images in flight, their requests, plans and
 *   streams), and a 1 MiB young generation is scavenged ~150 times for 100 images of 3 × 200 KB
 *   (1.27 s of GC pauses, `--trace-gc`), 18 times when it may grow (0.26 s); its peak RSS
 *   was 133 MiB against 121.
 * - `--max-inlined-bytecode-size-cumulative=200` (V8's default 920 bytes of bytecode inlined into
 *   one optimised function) for every command: TurboFan's graphs stay smaller, and its compile
 *   memory, which stays resident in the malloc arena of each V8 worker thread that compiled, with
 *   them: a 1 GB copy peaked at 62.6–63.1 MiB against 64.4–65.0 (5 alternated runs each, load
 *   17–19), CPU 1.66–1.91 s against 1.63–1.99 (9 pairs: ratio 0.92–1.11, median 1.0); instructions
 *   of a 300 MB copy (valgrind, every thread, 2 runs each) 10.40–10.41 G against 10.49–10.54 G. 460 saved
 *   half as much; 100 no more than 200 (300 MB copies, 4 runs each). A promotion file compiles
 *   far more than a copy (the request path of undici, streams and async hooks, one huge graph per
 *   hot function): for 30 images of 3 × 200 KB, 2.28–2.30 G instructions against 2.72–2.77 G
 *   (valgrind, 2 runs each; main thread 1.87–1.89 G against 2.06–2.08, V8's workers 0.41 against
 *   0.66–0.69); for 100, TurboFan's CPU on the workers 0.23–0.26 s against 0.31–0.37 (5 alternated
 *   pairs, perf cpu-clock samples per thread). V8 reads it at each compilation, so it works set here (unlike
 *   `--no-concurrent-recompilation`, read at start-up).
 * Never fails a run.
 * @param command the command (code-cache.ts commandKey: `copy`, `promote-file`…); default `none`
 */
export function tuneV8(set: (flags: string) => void = setFlagsFromString, command = 'none'): void {
  const young = command === 'promote-file' ? [] : ['--semi-space-growth-factor=1']
  for (const flag of ['--liftoff-only', ...young, '--max-inlined-bytecode-size-cumulative=200']) {
    try {
      set(flag)
    } catch {
      // an engine without the flag runs as before
    }
  }
}

/**
 * Node's built-in modules that commands talking to registries load (the registry stack, digests,
 * the argument parser), in the order a warm copy loads them. Node compiles its built-ins from a code
 * cache made with V8's default flags; once tuneV8 (or any V8 flag) has been set, V8 refuses that
 * cache (the flags are part of its check) and every built-in loaded later is compiled from source:
 * these cost 5.9 ms of CPU loaded before the flags, 16.6 ms after them (medians of 25 runs each).
 * node:fs/promises is not one of them: a copy loads it only to resume a chunked upload
 * (state-files.ts reaches it through `fs.promises`), and loading it costs ~5.6 M instructions.
 */
export const REGISTRY_BUILTINS = [
  'node:timers/promises',
  'node:assert',
  'node:diagnostics_channel',
  'node:net'
]

/**
 * Built-ins every command loads: the program's top level (dist/cli/program.cjs) loads node:crypto
 * (digests), and the argument parser is `util.parseArgs`, a getter that loads its module.
 */
export const EVERY_COMMAND_BUILTINS = ['node:crypto']

/** Commands that send no request (commandKey's words): they need none of REGISTRY_BUILTINS. */
const OFFLINE = new Set(['none', 'help', 'completion', 'tags'])

/**
 * Loads, before the V8 flags are set, the built-ins `command` will load anyway (see
 * REGISTRY_BUILTINS, EVERY_COMMAND_BUILTINS). Never fails a run.
 * @param command the command word (code-cache.ts commandKey: `copy`, `inspect`…, `none`)
 * @returns the modules asked for (besides util)
 */
export function loadBuiltinsFirst(
  command: string,
  load: (id: string) => unknown = id => process.getBuiltinModule(id)
): string[] {
  const ids = [...EVERY_COMMAND_BUILTINS, ...(OFFLINE.has(command) ? [] : REGISTRY_BUILTINS)]
  try {
    void (load('node:util') as { parseArgs?: unknown }).parseArgs
    for (const id of ids) load(id)
  } catch {
    // a Node without one of them: it loads when used, as before
  }
  return ids
}
