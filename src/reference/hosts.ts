/**
 * Registry hosts: the one place that knows Docker Hub's aliases (`docker.io` = `index.docker.io` =
 * `registry-1.docker.io` = docker config's `https://index.docker.io/v1/`) and how two hosts compare
 * (naming-and-protocol.md §1.5, §4.7; docker/cli `credentials.ConvertToHostname`). Pure.
 */

/** The name domain Docker Hub references carry after normalisation (§1.5). */
export const DEFAULT_DOMAIN = 'docker.io'
/** The legacy name domain, folded into `docker.io` when parsing (§1.5). */
export const LEGACY_DEFAULT_DOMAIN = 'index.docker.io'
/** Where Docker Hub's registry API is served. */
export const DOCKER_HUB_API_HOST = 'registry-1.docker.io'
/** The key docker login writes for Docker Hub in config.json `auths`. */
export const DOCKER_HUB_CONFIG_KEY = 'https://index.docker.io/v1/'

const HUB_HOSTS = new Set([DEFAULT_DOMAIN, LEGACY_DEFAULT_DOMAIN, DOCKER_HUB_API_HOST])

/**
 * The host part of a host or docker-config key, lower-cased, without scheme or path:
 * `https://ghcr.io` → `ghcr.io`, `https://index.docker.io/v1/` → `index.docker.io`,
 * `127.0.0.1:5000` → `127.0.0.1:5000` (docker/cli `credentials.ConvertToHostname`).
 */
export function hostOf(value: string): string {
  const k = value
    .trim()
    .toLowerCase()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//, '')
  const slash = k.indexOf('/')
  return slash < 0 ? k : k.slice(0, slash)
}

/**
 * The comparison key of a registry: {@link hostOf} without https's default port `:443`, with
 * Docker Hub's aliases (and the empty domain) folded into `docker.io`. Two registries are the same when their keys are equal.
 */
export function registryKey(registry: string): string {
  // https's default port named is the same registry: `ghcr.io:443` = `ghcr.io`
  const h = hostOf(registry).replace(/:443$/, '')
  return h === '' || HUB_HOSTS.has(h) ? DEFAULT_DOMAIN : h
}

/**
 * The comparison key of a repository on a registry: `registryKey(registry)/repository`, a Docker Hub
 * repository of one component under `library/` (§1.5), so every way of writing one target gives one
 * key: `registry-1.docker.io/nginx`, `index.docker.io/library/nginx` and `docker.io/library/nginx` →
 * `docker.io/library/nginx`; `ghcr.io:443/o/a` → `ghcr.io/o/a`. Repository paths stay case-sensitive.
 */
export function repositoryKey(registry: string, repository: string): string {
  const key = registryKey(registry)
  const official = key === DEFAULT_DOMAIN && !repository.includes('/')
  return `${key}/${official ? `library/${repository}` : repository}`
}

/** True when `registry` (a host or docker-config key) names Docker Hub. */
export function isDockerHub(registry: string): boolean {
  return registryKey(registry) === DEFAULT_DOMAIN
}

/** True when `a` and `b` name the same registry (case-insensitive, Docker Hub aliases folded). */
export function sameRegistry(a: string, b: string): boolean {
  return registryKey(a) === registryKey(b)
}

/**
 * The host to send API requests to for a name domain: Docker Hub (any alias, or no domain) →
 * `registry-1.docker.io` (§1.5); anything else unchanged.
 */
export function apiHost(registry: string): string {
  return isDockerHub(registry) ? DOCKER_HUB_API_HOST : registry
}

/**
 * The keys a credential for `registry` may be stored under in docker's config.json `auths` or in
 * explicit logins, most specific first: Docker Hub's host names and its v1 URL; elsewhere the host
 * itself and its `https://` / `http://` forms (lower-cased).
 */
export function credentialKeys(registry: string): string[] {
  if (isDockerHub(registry)) return [...HUB_HOSTS, DOCKER_HUB_CONFIG_KEY, DOCKER_HUB_CONFIG_KEY.slice(0, -1)]
  const r = hostOf(registry)
  return [r, `https://${r}`, `http://${r}`]
}

/**
 * True for a loopback host, with or without a port: `localhost`, `127.x.y.z`, and an IPv6 literal
 * whose address is loopback however it is written (`[::1]`, `[0:0:0:0:0:0:0:1]`, `[0::1]`, and
 * the IPv4-mapped `[::ffff:127.0.0.1]`, as Go's `net.IP.IsLoopback`, which docker's default
 * insecure 127.0.0.0/8 and ::1 follow). The one owner of "is this host loopback" (ping's plain
 * http first, token realms, the proxy bypass). Pure; no name is resolved.
 */
export function isLoopbackHost(host: string): boolean {
  const m = /^(?:\[([0-9a-f:.]+)\]|([^:[\]]+))(?::\d+)?$/i.exec(host)
  if (!m) return false
  if (m[2] !== undefined) return /^(localhost|127(?:\.\d{1,3}){3})$/i.test(m[2])
  const w = ipv6Words(m[1])
  if (!w) return false
  const zeros = (n: number) => w.slice(0, n).every(x => x === 0)
  return (zeros(7) && w[7] === 1) || (zeros(5) && w[5] === 0xffff && w[6] >> 8 === 127)
}

/**
 * The eight 16-bit words of an IPv6 address as written between brackets (`::1`, `0:0:0:0:0:0:0:1`,
 * `::ffff:127.0.0.1`), or undefined when it is not one (RFC 4291 §2.2).
 */
function ipv6Words(text: string): number[] | undefined {
  let head = text
  let tail: number[] = []
  const v4 = /^(.*:)((?:\d{1,3}\.){3}\d{1,3})$/.exec(text)
  if (v4) {
    const b = v4[2].split('.').map(Number)
    if (b.some(x => x > 255)) return undefined
    head = v4[1].endsWith('::') ? v4[1] : v4[1].slice(0, -1)
    tail = [b[0] * 256 + b[1], b[2] * 256 + b[3]]
  }
  const halves = head.split('::')
  if (halves.length > 2) return undefined
  const words = (part: string): number[] =>
    part === '' ? [] : part.split(':').map(g => (/^[0-9a-f]{1,4}$/i.test(g) ? parseInt(g, 16) : NaN))
  const left = words(halves[0])
  const right = halves.length === 2 ? words(halves[1]) : []
  const given = left.length + right.length + tail.length
  if ([...left, ...right].some(Number.isNaN)) return undefined
  if (halves.length === 1 ? given !== 8 : given > 7) return undefined
  return [...left, ...Array<number>(8 - given).fill(0), ...right, ...tail]
}
