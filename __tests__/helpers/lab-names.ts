/**
 * A test seam for name resolution: names (under `.test`, RFC 6761, never resolved on the internet)
 * that resolve to 127.0.0.1 in the test's own process, so a real loopback registry is reached under
 * a name that is not loopback by name (src/reference/hosts.ts isLoopbackHost), as a registry on a
 * LAN host is. Nothing in src/ changes; every other name resolves as before, and traffic goes to
 * 127.0.0.1 only.
 */
import dns from 'node:dns'

type Lookup = typeof dns.lookup

/**
 * Makes each of `names` (lower-case) resolve to 127.0.0.1 through `dns.lookup` (what node:net, and
 * so undici, connects with) until the returned function is called.
 * @throws Error for a name outside `.test`
 */
export function resolveToLoopback(names: string[]): () => void {
  for (const n of names) if (!n.endsWith('.test')) throw new Error(`${n}: only .test names are mapped`)
  const original = dns.lookup
  const patched = function (host: string, options: unknown, callback?: (...args: unknown[]) => void): void {
    const cb = (typeof options === 'function' ? options : callback) as (...args: unknown[]) => void
    const opts = (typeof options === 'object' && options) || {}
    if (!names.includes(host.toLowerCase()))
      return (original as (...args: unknown[]) => void).call(dns, host, options, callback)
    if ((opts as { all?: boolean }).all) process.nextTick(cb, null, [{ address: '127.0.0.1', family: 4 }])
    else process.nextTick(cb, null, '127.0.0.1', 4)
  }
  dns.lookup = patched as unknown as Lookup
  return () => {
    dns.lookup = original
  }
}
