/**
 * Credentials for a registry host, and the sources they come from. A source answers for one host
 * (as written in references, e.g. `ghcr.io`, `127.0.0.1:5000`; `docker.io` for Docker Hub).
 */

/** Username and password (or token used as a password), or an identity (refresh) token. */
export interface Credential {
  username?: string
  password?: string
  /** OAuth2 refresh token (docker config `identitytoken`); exchanged with grant_type=refresh_token. */
  identityToken?: string
}

/** Looks up the credential for a registry host; undefined means anonymous. */
export type CredentialSource = (registry: string) => Promise<Credential | undefined>

/** The Docker Hub aliases a credential may be stored under (docker config uses the v1 URL). */
export function registryAliases(registry: string): string[] {
  const r = registry.toLowerCase()
  if (r === 'docker.io' || r === 'index.docker.io' || r === 'registry-1.docker.io') {
    return [
      'docker.io',
      'index.docker.io',
      'registry-1.docker.io',
      'https://index.docker.io/v1/',
      'https://index.docker.io/v1'
    ]
  }
  return [r, `https://${r}`, `http://${r}`]
}

/** A source backed by a fixed map of host → credential (action inputs, CLI flags). */
export function staticCredentials(map: Record<string, Credential>): CredentialSource {
  const lower = new Map(Object.entries(map).map(([k, v]) => [k.toLowerCase(), v]))
  return async registry => {
    for (const alias of registryAliases(registry)) {
      const c = lower.get(alias)
      if (c) return c
    }
    return undefined
  }
}

/** Tries each source in order; the first that answers wins. */
export function chainCredentials(...sources: CredentialSource[]): CredentialSource {
  return async registry => {
    for (const s of sources) {
      const c = await s(registry)
      if (c) return c
    }
    return undefined
  }
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
