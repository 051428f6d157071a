/**
 * The promote-image command line, on the same engine as the action:
 *   promote-image copy SRC DST [DST...]      copy by digest (all platforms), then tag each DST
 *   promote-image promote SRC DST [DST...]   the same, with --dry-run for a JSON plan
 *   promote-image promote -f FILE            every image of a promotion file (--shard K/N: one shard)
 *   promote-image plan -f FILE --shards N    the shard matrix of a promotion file (one JSON line)
 *   promote-image inspect REF                digest, media type, platforms, size
 *   promote-image tags [--image REPO]...     tags from the git context and tag rules
 *   promote-image digest|manifest|config REF the digest, the manifest's bytes, the config blob
 *   promote-image ls REPOSITORY              the tags of a repository
 *   promote-image merge --to REF SOURCE...   platform images merged into one index at REF
 *   promote-image verify [--verify-key FILE …] REF  the gate's checks and the promotion records
 *   promote-image help [COMMAND]             the usage, or one command's (as COMMAND --help)
 *   promote-image completion bash|zsh        a shell completion script (cli/commands.ts, options.ts)
 * Exit status: 0 success, 1 failure, 2 usage error (bad arguments or references; nothing sent),
 * 130 / 143 when SIGINT / SIGTERM interrupted a copy or a promotion file (its upload sessions
 * cancelled, no tag moved; promote -f starts no further image and names each interrupted one;
 * a second signal ends the process at once).
 * argv is parsed by src/cli/args.ts; each command has its handler in src/cli/. Keeps heavy modules
 * (@actions/*, the tag engine) out of its load path so it starts fast.
 */
import { existsSync } from 'node:fs'
import { setFlagsFromString } from 'node:v8'
import { parseCommandLine, UsageError, type Command } from './cli/args.js'
import { enableCompileCache } from './cli/compile-cache.js'
import { runHelp, runVersion } from './cli/help.js'
import { processIo, type Io } from './cli/io.js'
import { inline, logText } from './neutralise.js'
import { withTlsAdvice } from './report/tls-words.js'
import { OPTION_FLAGS } from './options.js'
import { InterruptedError, Interruption, SIGNAL_EXIT } from './copy/interrupt.js'

/** Each command's handler is loaded when it runs: `--version` never loads the engine or undici. */
async function dispatch(
  cmd: Exclude<Command, { command: 'usage-error' }>,
  io: Io,
  signal?: AbortSignal
): Promise<number> {
  switch (cmd.command) {
    case 'help':
      return runHelp(io.out, cmd.topic)
    case 'version':
      return runVersion(io.out)
    case 'copy':
    case 'promote':
      return (await import('./cli/copy.js')).runCopy(cmd, io, process.stderr, signal)
    case 'promote-file':
      return (await import('./cli/promote-file.js')).runPromoteFile(cmd, io, signal)
    case 'plan':
      return (await import('./cli/plan.js')).runPlan(cmd, io)
    case 'inspect':
      return (await import('./cli/inspect.js')).runInspect(cmd, io)
    case 'tags':
      return (await import('./cli/tags.js')).runTags(cmd, io)
    case 'digest':
      return (await import('./cli/digest.js')).runDigest(cmd, io)
    case 'ls':
      return (await import('./cli/ls.js')).runLs(cmd, io)
    case 'manifest':
      return (await import('./cli/manifest.js')).runManifest(cmd, io)
    case 'config':
      return (await import('./cli/config.js')).runConfig(cmd, io)
    case 'completion':
      return (await import('./cli/completion.js')).runCompletion(cmd, io)
    case 'merge':
      return (await import('./cli/merge.js')).runMerge(cmd, io, signal)
    case 'verify':
      return (await import('./cli/verify.js')).runVerify(cmd, io)
  }
}

function usageError(message: string): number {
  // one line: the arguments it quotes may hold line feeds (a line of its own could start `::`)
  process.stderr.write(`promote-image: ${logText(inline(message))}\n(promote-image --help shows the usage)\n`)
  return 2
}

/**
 * While a copy runs, SIGINT and SIGTERM abort the returned signal (the copy then cleans up and
 * reports); a second signal exits at once with the signal's status. `stop()` removes the handlers.
 */
function interruptOnSignals(): { signal: AbortSignal; stop: () => void } {
  const controller = new AbortController()
  const handlers = Object.keys(SIGNAL_EXIT).map(name => {
    const handler = (): void => {
      if (controller.signal.aborted) process.exit(SIGNAL_EXIT[name])
      process.stderr.write(`promote-image: ${name}: stopping; cancelling open uploads\n`)
      controller.abort(new Interruption(name))
    }
    process.on(name, handler)
    return () => void process.off(name, handler)
  })
  return { signal: controller.signal, stop: () => handlers.forEach(off => off()) }
}

/** Runs the CLI with `argv` (without node and script); returns the exit status (0, 1, 2, 130, 143). */
export async function main(argv: string[]): Promise<number> {
  const cmd = parseCommandLine(argv, { fileExists: existsSync })
  if (cmd.command === 'usage-error') return usageError(cmd.message)
  const interrupt = ['copy', 'promote', 'promote-file', 'merge'].includes(cmd.command)
    ? interruptOnSignals()
    : undefined
  try {
    return await dispatch(cmd, processIo('verbose' in cmd && cmd.verbose), interrupt?.signal)
  } catch (e) {
    if (e instanceof UsageError) return usageError(e.message)
    // the message may quote a registry's error body: no control character or workflow command in it
    process.stderr.write(`promote-image: ${logText(withTlsAdvice(e as Error, OPTION_FLAGS).message)}\n`)
    return e instanceof InterruptedError ? (SIGNAL_EXIT[e.signal] ?? 130) : 1
  } finally {
    interrupt?.stop()
  }
}

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

const isEntry = process.argv[1] && /(?:cli\.(?:js|ts)|promote-image)$/.test(process.argv[1])
if (isEntry) {
  tuneV8()
  enableCompileCache(process.env)
  main(process.argv.slice(2)).then(
    code => process.exit(code),
    e => {
      process.stderr.write(`promote-image: ${logText((e as Error).message)}\n`)
      process.exit(1)
    }
  )
}
