/**
 * Starts the registries a copy test needs. The shared launcher picks a free port and then lets the
 * registry bind it, so another process (a parallel Jest worker, a proxy, a client socket) can take
 * the port in between ("address already in use"): such a start is tried again, up to 3 times. When
 * one registry cannot be started, those already running are stopped before the error is thrown.
 */
import { startRegistry, type TestRegistry } from '../helpers/registry.js'

async function startWithRetry(start: () => Promise<TestRegistry>): Promise<TestRegistry> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start()
    } catch (e) {
      if (attempt >= 3 || !/address already in use/.test((e as Error).message)) throw e
    }
  }
}

/** `n` registries started with `start` (default: the shared launcher). */
export async function startRegistries(
  n: number,
  start: () => Promise<TestRegistry> = () => startRegistry()
): Promise<TestRegistry[]> {
  const settled = await Promise.allSettled(Array.from({ length: n }, () => startWithRetry(start)))
  const failed = settled.find(s => s.status === 'rejected')
  if (failed) {
    await Promise.all(settled.map(s => (s.status === 'fulfilled' ? s.value.stop() : undefined)))
    throw failed.reason
  }
  return settled.map(s => (s as PromiseFulfilledResult<TestRegistry>).value)
}
