/**
 * Credentials for a registry host, and the sources they come from. A source answers for one host
 * (as written in references, e.g. `ghcr.io`, `127.0.0.1:5000`; `docker.io` for Docker Hub). Hosts
 * are compared by `registryKey` (reference/hosts.ts): case-insensitive, scheme and path dropped,
 * Docker Hub's aliases folded.
 */
import { registryKey } from '../reference/hosts.js'

/** Username and password (or token used as a password), or an identity (refresh) token. */
export interface Credential {
  username?: string
  password?: string
  /** OAuth2 refresh token (docker config `identitytoken`); exchanged with grant_type=refresh_token. */
  identityToken?: string
}

/**
 * Looks up the credential for a registry host; undefined means anonymous. `explain`, when the
 * source has it, says why the last lookup for a host found nothing although something was
 * configured for it (a credential helper that cannot run, an `auth` that is not base64), in words
 * that quote no secret; undefined when nothing went wrong.
 */
export type CredentialSource = ((registry: string) => Promise<Credential | undefined>) & {
  explain?: (registry: string) => string | undefined
  /**
   * where the credential the last lookup for a host found came from, for messages that name the
   * account (`--dest-creds`, `registry-auth`, `credHelpers "ghcr.io" "gh" in docker config FILE`);
   * undefined when it found none or the source does not say
   */
  origin?: (registry: string) => string | undefined
}

/**
 * A source backed by a fixed map of registry → credential (action inputs, CLI flags, tests). Keys
 * may be written as hosts or docker-config keys (`ghcr.io`, `https://ghcr.io/`,
 * `https://index.docker.io/v1/`); when two keys name the same registry the first one wins.
 */
export function staticCredentials(
  map: Record<string, Credential>,
  origins: Record<string, string> = {}
): CredentialSource {
  const byKey = new Map<string, Credential>()
  const originByKey = new Map<string, string>()
  for (const [registry, c] of Object.entries(map)) {
    const key = registryKey(registry)
    if (byKey.has(key)) continue
    byKey.set(key, c)
    if (origins[registry]) originByKey.set(key, origins[registry])
  }
  const source: CredentialSource = async registry => byKey.get(registryKey(registry))
  source.origin = registry => originByKey.get(registryKey(registry))
  return source
}

/**
 * Tries each source in order; the first that answers wins (and names the origin). Explains with
 * every source's reason.
 */
export function chainCredentials(...sources: CredentialSource[]): CredentialSource {
  const answered = new Map<string, CredentialSource>()
  const chain: CredentialSource = async registry => {
    answered.delete(registryKey(registry))
    for (const s of sources) {
      const c = await s(registry)
      if (c) {
        answered.set(registryKey(registry), s)
        return c
      }
    }
    return undefined
  }
  chain.origin = registry => answered.get(registryKey(registry))?.origin?.(registry)
  chain.explain = registry =>
    sources
      .map(s => s.explain?.(registry))
      .filter(Boolean)
      .join('; ') || undefined
  return chain
}

/**
 * ` (reason)` when `source` can explain why it had no credential for `registry` (see
 * {@link CredentialSource}), else '': for messages such as "requires credentials and none are
 * configured for it (docker config /home/u/.docker/config.json: credsStore "desktop":
 * docker-credential-desktop not found on PATH)".
 */
export function whyNoCredential(source: CredentialSource, registry: string): string {
  const why = source.explain?.(registry)
  return why ? ` (${why})` : ''
}

/**
 * Every secret string in a credential (to register with `core.setSecret`): the password, the
 * identity token, and the base64 `user:password` / `user:identitytoken` forms sent in Basic headers.
 */
export function secretsOf(c: Credential | undefined): string[] {
  if (!c) return []
  const out: string[] = []
  if (c.password) out.push(c.password)
  if (c.identityToken) out.push(c.identityToken)
  if (c.username && c.password) out.push(Buffer.from(`${c.username}:${c.password}`).toString('base64'))
  if (c.username && c.identityToken)
    out.push(Buffer.from(`${c.username}:${c.identityToken}`).toString('base64'))
  return out
}
