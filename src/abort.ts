/**
 * One `abort` listener per signal, whatever the number of operations waiting on it. A promotion
 * shares one AbortSignal (SIGINT / SIGTERM) among every blob transfer it runs at once; a listener
 * per transfer on that signal passes Node's limit of 10 and prints `MaxListenersExceededWarning`.
 * Here the first operation adds the one listener, each registers a callback in a set, and the
 * listener is removed when the last callback is (the signal is then left as it was found).
 */

interface Hub {
  callbacks: Set<() => void>
  dispatch: () => void
}

const hubs = new WeakMap<AbortSignal, Hub>()

/** The hub of `signal`, created with its one listener on first use. */
function hubOf(signal: AbortSignal): Hub {
  const found = hubs.get(signal)
  if (found) return found
  const callbacks = new Set<() => void>()
  const dispatch = (): void => {
    hubs.delete(signal)
    for (const callback of [...callbacks]) callback()
  }
  const hub = { callbacks, dispatch }
  hubs.set(signal, hub)
  signal.addEventListener('abort', dispatch, { once: true })
  return hub
}

/**
 * Calls `callback` once when `signal` aborts (at once when it already has; never without a signal).
 * Every call on one signal shares a single `abort` listener.
 * @returns the cleanup: forgets `callback`, and removes the listener when no callback is left
 */
export function onAbort(signal: AbortSignal | undefined, callback: () => void): () => void {
  if (!signal) return () => undefined
  if (signal.aborted) {
    callback()
    return () => undefined
  }
  const hub = hubOf(signal)
  const once = (): void => {
    hub.callbacks.delete(once)
    callback()
  }
  hub.callbacks.add(once)
  return () => {
    hub.callbacks.delete(once)
    if (hub.callbacks.size || hubs.get(signal) !== hub) return
    hubs.delete(signal)
    signal.removeEventListener('abort', hub.dispatch)
  }
}

/**
 * `work`'s outcome, or a rejection with `signal`'s reason as soon as it aborts (at once when it has
 * already): the work is then abandoned, not stopped, and its late outcome ignored. For what cannot
 * be stopped: a request whose body was all sent (copy/fanout.ts), a command step that takes no
 * signal (cli/run.ts: a read command's TUF fetch). `work` itself without a signal.
 * @throws `signal.reason` when it aborted first; else what `work` throws
 */
export function untilAborted<T>(work: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return work
  work.catch(() => undefined)
  return new Promise<T>((resolve, reject) => {
    const release = onAbort(signal, () => reject(signal.reason as Error))
    work.then(resolve, reject).finally(release)
  })
}

/**
 * `untilAborted` for work not started yet: nothing is started when `signal` has aborted already
 * (no request sent, no step begun); else `start()`'s outcome, or `signal`'s reason as soon as it
 * aborts. For steps that take no signal: @sigstore/sign's Fulcio / Rekor / TSA / token requests
 * (4.x takes only `timeout` and `retry`: a request under way is left to that bound)
 * in proof/sigstore.ts, and the build cache's restore (build/cache.ts).
 * @throws `signal.reason` when it aborted before or during the work; else what `start()` throws
 */
export async function startUnlessAborted<T>(start: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return await start()
  signal.throwIfAborted()
  return await untilAborted(start(), signal)
}
