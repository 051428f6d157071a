/**
 * Interruption of a promotion (SIGINT / SIGTERM at the edge, an AbortSignal inside): the engine
 * stops starting work, aborts its streams, cancels every open upload session, and throws an
 * InterruptedError that says, per target, what is there. The signal handlers themselves live in
 * cli.ts and main.ts; this module only knows the signal.
 */
import type { InterruptedTarget, TargetStatus } from './ledger.js'
import { causes } from '../registry/errors.js'

/** Exit status of a process ended by a signal, as shells report it: 128 + the signal number. */
export const SIGNAL_EXIT: Record<string, number> = { SIGINT: 130, SIGTERM: 143 }

/** The reason an AbortSignal carries when a signal stopped the run. */
export class Interruption extends Error {
  /** @param signal `SIGINT`, `SIGTERM`, … */
  constructor(readonly signal: string) {
    super(`interrupted by ${signal}`)
    this.name = 'Interruption'
  }
}

/**
 * The promotion was interrupted before the tag step: no tag was changed anywhere; `targets` says
 * what landed at each target. `signal` is the signal's name (for the exit status, SIGNAL_EXIT).
 */
export class InterruptedError extends Error {
  /**
   * @param landings what landed at each target, in target order
   * @param targets where each target stands (ledger.ts TargetStatus), in target order
   * @param lines one line per target for the message
   */
  constructor(
    readonly signal: string,
    readonly landings: InterruptedTarget[],
    readonly targets: TargetStatus[],
    lines: string[]
  ) {
    super(
      lines.length
        ? [`interrupted by ${signal}; no tag was changed on any target:`, ...lines].join('\n  ')
        : `interrupted by ${signal} before anything was written`
    )
    this.name = 'InterruptedError'
  }
}

/** The line an interruption's message gives one target: what landed there, the tags untouched. */
export function landingLine(l: InterruptedTarget): string {
  return (
    `${l.target}: tags untouched; ${l.blobsLanded} of ${l.blobsPlanned} blobs landed (${l.bytesLanded} bytes)` +
    (l.sessionsLeft
      ? `; ${l.sessionsLeft} cancelled upload session${l.sessionsLeft === 1 ? '' : 's'} kept by the registry (it refused the DELETE; its upload purging removes ${l.sessionsLeft === 1 ? 'it' : 'them'})`
      : '')
  )
}

/**
 * The signal that ended a run, when `e` says one did: an InterruptedError or an Interruption, or an
 * error carrying `interruptedBy` (copy/promote.ts PromoteError: the record phase a signal ended,
 * after every tag was written). The one owner of "this run was interrupted" for the exit status
 * (SIGNAL_EXIT: 130 / 143), at every edge (cli/run.ts, main.ts, batch/run.ts).
 * @returns `SIGINT`, `SIGTERM`, …; undefined for any other error (or none)
 */
export function interruptedBy(e: unknown): string | undefined {
  if (e instanceof InterruptedError || e instanceof Interruption) return e.signal
  const by = (e as { interruptedBy?: unknown } | undefined)?.interruptedBy
  return typeof by === 'string' ? by : undefined
}

/** The signal's name when `signal` was aborted with an Interruption, else `interrupted`. */
export function signalName(signal: AbortSignal): string {
  const r: unknown = signal.reason
  return r instanceof Interruption ? r.signal : 'an abort'
}

/** True when `e` is (or was caused by) the abort of `signal`. */
export function isAbort(e: unknown, signal: AbortSignal | undefined): boolean {
  return !!signal?.aborted && causes(e).some(c => c === signal.reason || c instanceof Interruption)
}
