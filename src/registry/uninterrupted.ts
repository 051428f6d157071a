/**
 * Work that finishes despite the run's interruption: requests and retry waits started inside
 * {@link uninterrupted} are not bound to the interrupt signal of the HTTP stack (http.ts
 * `HttpOptions.interrupt`). The engine runs its tag step this way, so a SIGINT during it leaves no
 * target half-tagged (copy/promote.ts).
 *
 * The scope is an AsyncLocalStorage. Before Node 24 (AsyncContextFrame) a storage in use keeps
 * Node's async hooks on, which then run for every promise and every other async resource the
 * process creates: with them on for a whole promotion file (from the first image's tag step),
 * 100 images cost ~12 % more CPU (2.50 against 2.21 s, alternated runs). So the storage is enabled
 * only while some uninterrupted work runs and disabled as the last one settles.
 */
import { AsyncLocalStorage } from 'node:async_hooks'

const scope = new AsyncLocalStorage<true>()
/** uninterrupted works not yet settled (the storage is enabled while there is any) */
let running = 0

/**
 * Runs `work` with its requests and waits (and theirs, transitively) outside the interruption.
 * What `work` started and did not wait for is in the scope only while some uninterrupted work is
 * still running (see the module comment).
 * @returns what `work` resolves to
 * @throws what `work` throws
 */
export async function uninterrupted<T>(work: () => Promise<T>): Promise<T> {
  running++
  try {
    return await scope.run(true, work)
  } finally {
    if (--running === 0) scope.disable()
  }
}

/**
 * The interrupt signal a request or wait starting now is bound to: `interrupt` unless it already
 * aborted (the request is clean-up sent after the interruption: cancelling upload sessions) or the
 * caller runs inside {@link uninterrupted}.
 */
export function boundInterrupt(interrupt: AbortSignal | undefined): AbortSignal | undefined {
  return interrupt && !interrupt.aborted && !scope.getStore() ? interrupt : undefined
}
