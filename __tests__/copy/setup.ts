/**
 * Starts the registries a copy test needs; when one cannot be started, those already running are
 * stopped before the error is thrown.
 */
import { startRegistry, type TestRegistry } from '../helpers/registry.js'

/** `n` registries started with `start` (default: the shared launcher). */
export async function startRegistries(
  n: number,
  start: () => Promise<TestRegistry> = () => startRegistry()
): Promise<TestRegistry[]> {
  const settled = await Promise.allSettled(Array.from({ length: n }, () => start()))
  const failed = settled.find(s => s.status === 'rejected')
  if (failed) {
    await Promise.all(settled.map(s => (s.status === 'fulfilled' ? s.value.stop() : undefined)))
    throw failed.reason
  }
  return settled.map(s => (s as PromiseFulfilledResult<TestRegistry>).value)
}
