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

/** Looks up the credential for a registry host; undefined means anonymous. */
export type CredentialSource = (registry: string) => Promise<Credential | undefined>

/**
 * A source backed by a fixed map of registry → credential (action inputs, CLI flags, tests). Keys
 * may be written as hosts or docker-config keys (`ghcr.io`, `https://ghcr.io/`,
 * `https://index.docker.io/v1/`); when two keys name the same registry the first one wins.
 */
export function staticCredentials(map: Record<string, Credential>): CredentialSource {
  const byKey = new Map<string, Credential>()
  for (const [registry, c] of Object.entries(map)) {
    const key = registryKey(registry)
    if (!byKey.has(key)) byKey.set(key, c)
  }
  return async registry => byKey.get(registryKey(registry))
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
