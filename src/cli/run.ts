/**
 * The CLI's commands behind argv (see src/cli.ts for the list): parse, dispatch to the command's
 * handler (each loaded when it runs), turn errors into stderr lines and exit statuses. The entry
 * when run from source is src/cli.ts; the published bin runs this module as the program that
 * src/cli/boot.ts loads with a V8 code cache (scripts/bundle.mjs bundles it as dist/cli/program.cjs).
 */
import { existsSync } from 'node:fs'
import { parseCommandLine, UsageError, type Command } from './args.js'
import { untilAborted } from '../abort.js'
import { runHelp, runVersion } from './help.js'
import { processIo, type Io } from './io.js'
import { inline, jsonText, logText } from '../neutralise.js'
import { withTlsAdvice } from '../report/tls-words.js'
import { withImpliedTag } from '../report/implied-tag.js'
import { OPTION_FLAGS } from '../options.js'
import {
  interruptedBy,
  InterruptedError,
  Interruption,
  isAbort,
  SIGNAL_EXIT,
  signalName
} from '../copy/interrupt.js'

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
      return (await import('./copy.js')).runCopy(cmd, io, process.stderr, signal)
    case 'promote-file':
      return (await import('./promote-file.js')).runPromoteFile(cmd, io, signal)
    case 'plan':
      return (await import('./plan.js')).runPlan(cmd, io, signal)
    case 'inspect':
      return (await import('./inspect.js')).runInspect(cmd, io, signal)
    case 'tags':
      return (await import('./tags.js')).runTags(cmd, io)
    case 'digest':
      return (await import('./digest.js')).runDigest(cmd, io, signal)
    case 'ls':
      return (await import('./ls.js')).runLs(cmd, io, signal)
    case 'manifest':
      return (await import('./manifest.js')).runManifest(cmd, io, signal)
    case 'config':
      return (await import('./config.js')).runConfig(cmd, io, signal)
    case 'completion':
      return (await import('./completion.js')).runCompletion(cmd, io)
    case 'merge':
      return (await import('./merge.js')).runMerge(cmd, io, signal)
    case 'verify':
      return (await import('./verify.js')).runVerify(cmd, io, signal)
  }
}

function usageError(message: string): number {
  // one line: the arguments it quotes may hold line feeds (a line of its own could start `::`)
  process.stderr.write(`promote-image: ${logText(inline(message))}\n(promote-image --help shows the usage)\n`)
  return 2
}

/** The commands that write: SIGINT / SIGTERM cancels their open upload sessions. */
const WRITERS = ['copy', 'promote', 'promote-file', 'merge']

/** The commands that talk to no registry: a signal ends them as it ends any process. */
const OFFLINE = ['help', 'version', 'completion', 'tags']

/**
 * While a command that talks to registries runs, SIGINT and SIGTERM abort the returned signal: its
 * requests and a docker credential helper being asked (its process group) are stopped, and a copy
 * cleans up and reports; `promote-image: SIGINT: stopping` is said at once (`; cancelling open
 * uploads` when `writes`). A second signal exits at once with the signal's status. `stop()`
 * removes the handlers.
 */
function interruptOnSignals(writes: boolean): { signal: AbortSignal; stop: () => void } {
  const controller = new AbortController()
  const handlers = Object.keys(SIGNAL_EXIT).map(name => {
    const handler = (): void => {
      if (controller.signal.aborted) process.exit(SIGNAL_EXIT[name])
      process.stderr.write(`promote-image: ${name}: stopping${writes ? '; cancelling open uploads' : ''}\n`)
      controller.abort(new Interruption(name))
    }
    process.on(name, handler)
    return () => void process.off(name, handler)
  })
  return { signal: controller.signal, stop: () => handlers.forEach(off => off()) }
}

/**
 * `io` with a note of whether anything went to stdout: a command that failed having written its
 * own JSON there (copy's `{"error", "targets"}`, a refused dry run's plan) is not given a second one.
 */
function notingIo(io: Io): { io: Io; wrote: () => boolean } {
  let wrote = false
  const bytes = io.bytes
  return {
    io: {
      ...io,
      out: text => {
        wrote = true
        io.out(text)
      },
      ...(bytes && {
        bytes: (data: Uint8Array) => {
          wrote = true
          bytes(data)
        }
      })
    },
    wrote: () => wrote
  }
}

/**
 * `io` of a command that writes nothing to registries, once `signal` aborted: its result is not
 * printed (out and bytes throw InterruptedError, `interrupted by SIGINT before anything was
 * written`), as it may be built from requests the signal ended (plan counts a source it could not
 * read as 0 bytes, verify a record it could not fetch as not checked).
 */
function stopsWhenInterrupted(io: Io, signal: AbortSignal): Io {
  const interrupted = (): InterruptedError => new InterruptedError(signalName(signal), [], [], [])
  const bytes = io.bytes
  return {
    ...io,
    out: text => {
      if (signal.aborted) throw interrupted()
      io.out(text)
    },
    ...(bytes && {
      bytes: (data: Uint8Array) => {
        if (signal.aborted) throw interrupted()
        bytes(data)
      }
    })
  }
}

/**
 * Runs the CLI with `argv` (without node and script); returns the exit status (0, 1, 2, 130, 143).
 * A command given `--json` that fails (exit status 1, 130, 143) having written nothing on stdout
 * writes `{"error": MESSAGE}` there, MESSAGE as on stderr (its advice included): every command's
 * --json failure has that shape (copy and promote add `targets`). Usage errors (exit status 2)
 * are on stderr alone.
 */
export async function main(argv: string[]): Promise<number> {
  const cmd = parseCommandLine(argv, { fileExists: existsSync })
  if (cmd.command === 'usage-error') return usageError(cmd.message)
  const interrupt = OFFLINE.includes(cmd.command)
    ? undefined
    : interruptOnSignals(WRITERS.includes(cmd.command))
  const { io, wrote } = notingIo(processIo('verbose' in cmd && cmd.verbose))
  const reads = interrupt && !WRITERS.includes(cmd.command) ? interrupt.signal : undefined
  try {
    // a read command writes nothing: the first signal ends it at once, whatever step it is in (a
    // library's request that takes no signal: keyless verify's TUF fetch); copy and merge stop theirs
    const code = await untilAborted(
      dispatch(cmd, reads ? stopsWhenInterrupted(io, reads) : io, interrupt?.signal),
      reads
    )
    if (reads?.aborted) throw new InterruptedError(signalName(reads), [], [], [])
    return code
  } catch (caught) {
    if (caught instanceof UsageError) return usageError(caught.message)
    // a read command's request or credential helper the signal ended (copy and merge say it themselves)
    const signal = interrupt?.signal
    const e =
      signal && !(caught instanceof InterruptedError) && isAbort(caught, signal)
        ? new InterruptedError(signalName(signal), [], [], [])
        : caught
    // the read commands' REF (copy and promote phrase their SRC in copy.ts, before --json's object)
    if ('reference' in cmd && typeof cmd.reference === 'object') withImpliedTag(e, cmd.reference, 'REF')
    const message = withTlsAdvice(e as Error, OPTION_FLAGS).message
    if ('json' in cmd && cmd.json && !wrote()) io.out(jsonText({ error: message }, 2) + '\n')
    // the message may quote a registry's error body: no control character or workflow command in it
    process.stderr.write(`promote-image: ${logText(message)}\n`)
    // interrupted (a PromoteError too when the signal ended its record phase, after the tags)
    const signalled = interruptedBy(e)
    return signalled ? (SIGNAL_EXIT[signalled] ?? 130) : 1
  } finally {
    interrupt?.stop()
  }
}

/**
 * Runs the CLI as the process: `main(argv)`, then exits with its status (1 when main itself
 * throws, its message on stderr). The entries (src/cli.ts, and dist/cli.cjs through the program it
 * loads, code-cache.ts) call it once their V8 flags are set.
 */
export function runProcess(argv: string[]): void {
  main(argv).then(
    code => process.exit(code),
    e => {
      process.stderr.write(`promote-image: ${logText((e as Error).message)}\n`)
      process.exit(1)
    }
  )
}
