/**
 * Reads a recording proxy's log as a table of what the client did: each exchange becomes a line
 * `METHOD repository what status`, where `what` names blobs and manifests by the test's own names
 * (`layer1`, `index`, …) instead of digests, and the lines are counted.
 */
import type { Exchange, Proxy } from '../helpers/proxy.js'

/** Names for digests in tallies; unknown digests print as `sha256:<first 12 hex>`. */
export type Names = Record<string, string>

function name(digest: string, names: Names): string {
  return names[digest] ?? digest.slice(0, 19)
}

/**
 * One exchange as a line:
 * - `GET /v2/ 200`
 * - `HEAD prod/app manifests/v1 404`, `GET team/app manifests/index 200`
 * - `GET team/app blobs/layer1 200`
 * - `POST prod/app uploads 202`, `POST prod/new uploads?mount=layer1&from=team/app 201`
 * - `PATCH prod/app upload 202`, `PUT prod/app upload?digest=layer1 201`
 * - `GET team/app tags/list 200` (the page size and `last` left out)
 */
export function line(e: Exchange, names: Names): string {
  const url = new URL(e.path, 'http://x')
  if (url.pathname === '/v2/') return `${e.method} /v2/ ${e.status}`
  const listing = /^\/v2\/(.+?)\/tags\/list$/.exec(url.pathname)
  if (listing) return `${e.method} ${listing[1]} tags/list ${e.status}`
  const m = /^\/v2\/(.+?)\/(manifests|blobs)\/(.*)$/.exec(url.pathname)
  if (!m) return `${e.method} ${e.path} ${e.status}`
  const [, repo, kind, rest] = m
  let what: string
  if (kind === 'manifests') what = `manifests/${name(decodeURIComponent(rest), names)}`
  else if (rest === 'uploads/') {
    const mount = url.searchParams.get('mount')
    what = mount ? `uploads?mount=${name(mount, names)}&from=${url.searchParams.get('from')}` : 'uploads'
  } else if (rest.startsWith('uploads/')) {
    const digest = url.searchParams.get('digest')
    what = digest ? `upload?digest=${name(digest, names)}` : 'upload'
  } else what = `blobs/${name(decodeURIComponent(rest), names)}`
  return `${e.method} ${repo} ${what} ${e.status}`
}

/** Counts of each line over the whole log (or the given exchanges), keys sorted. */
export function tally(proxyOrLog: Proxy | Exchange[], names: Names): Record<string, number> {
  const log = Array.isArray(proxyOrLog) ? proxyOrLog : proxyOrLog.log
  const out: Record<string, number> = {}
  for (const l of log.map(e => line(e, names)).sort()) out[l] = (out[l] ?? 0) + 1
  return out
}

/** The log as lines in request order, keeping only lines that match `keep`. */
export function sequence(proxy: Proxy, names: Names, keep: RegExp = /./): string[] {
  return proxy.log.map(e => line(e, names)).filter(l => keep.test(l))
}

/** True for requests that change state on a registry. */
export const WRITES = /^(PUT|POST|PATCH|DELETE) /
