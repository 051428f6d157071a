/**
 * Work that finishes despite the run's interruption: requests and retry waits started inside
 * {@link uninterrupted} are not bound to the interrupt signal of the HTTP stack (http.ts
 * `HttpOptions.interrupt`). The engine runs its tag step this way, so a SIGINT during it leaves no
 * target half-tagged (copy/promote.ts).
 */
import { AsyncLocalStorage } from 'node:async_hooks'

const scope = new AsyncLocalStorage<true>()

/** Runs `work` with its requests and waits (and theirs, transitively) outside the interruption. */
export function uninterrupted<T>(work: () => Promise<T>): Promise<T> {
  return scope.run(true, work)
}

/**
 * The interrupt signal a request or wait starting now is bound to: `interrupt` unless it already
 * aborted (the request is clean-up sent after the interruption: cancelling upload sessions) or the
 * caller runs inside {@link uninterrupted}.
 */
export function boundInterrupt(interrupt: AbortSignal | undefined): AbortSignal | undefined {
  return interrupt && !interrupt.aborted && !scope.getStore() ? interrupt : undefined
}
