/**
 * Registry authentication: HTTP Basic and Bearer tokens (distribution docs/spec/auth/token.md,
 * oauth.md, scope.md). Keeps the challenge learned per registry host and a token cache per
 * registry and scope set; renews tokens before they expire; every secret it sees or receives goes
 * through `onSecret` first (the action passes `core.setSecret`).
 */
import { request, type Dispatcher } from 'undici'
import { silentLogger, type Logger } from '../logger.js'
import { parseChallenges, type Challenge } from './challenge.js'
import { secretsOf, type Credential, type CredentialSource } from './credentials.js'

/** Access to one repository (scope.md: `repository:NAME:ACTIONS`). */
export interface Scope {
  repository: string
  actions: Array<'pull' | 'push'>
}

/** `repository:NAME:pull,push` */
export function scopeString(s: Scope): string {
  return `repository:${s.repository}:${[...new Set(s.actions)].sort().join(',')}`
}

/** Merges scopes on the same repository (union of actions); sorted for a stable cache key. */
export function mergeScopes(scopes: Scope[]): Scope[] {
  const by = new Map<string, Set<'pull' | 'push'>>()
  for (const s of scopes) {
    const set = by.get(s.repository) ?? new Set()
    for (const a of s.actions) set.add(a)
    by.set(s.repository, set)
  }
  return [...by.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([repository, actions]) => ({ repository, actions: [...actions].sort() as Array<'pull' | 'push'> }))
}

/** Parses `repository:NAME:a,b` (type up to the first colon, actions after the last). */
export function parseScope(text: string): Scope | undefined {
  const first = text.indexOf(':')
  const last = text.lastIndexOf(':')
  if (first < 0 || last <= first || text.slice(0, first) !== 'repository') return undefined
  const actions = text
    .slice(last + 1)
    .split(',')
    .filter(a => a === 'pull' || a === 'push') as Array<'pull' | 'push'>
  return { repository: text.slice(first + 1, last), actions }
}

/** The credentials were refused, or a token could not be had. Not retried. */
export class AuthError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'AuthError'
  }
}

interface CachedToken {
  token: string
  expiresAt: number
}

interface RegistryAuthState {
  /** undefined: not pinged yet; null: no auth required */
  challenge?: Challenge | null
  credential?: Credential
  credentialLoaded?: boolean
  tokens: Map<string, CachedToken>
  inflight: Map<string, Promise<CachedToken>>
}

export interface AuthenticatorOptions {
  credentials: CredentialSource
  /** the dispatcher for token requests (TLS settings shared with the registry traffic) */
  dispatcher?: Dispatcher
  /** called with every secret before it can appear anywhere (core.setSecret) */
  onSecret?: (secret: string) => void
  logger?: Logger
  /** clock in ms (tests) */
  now?: () => number
  userAgent?: string
  /** token realm URL checker: returns an error message when the realm may not be contacted */
  checkRealm?: (realm: URL) => string | undefined
}

/** Counters for tests and the final report. */
export interface AuthStats {
  tokenRequests: number
}

/**
 * Produces `Authorization` header values for registry requests.
 * Flow: the transport pings `/v2/` once per registry and hands the answer to `setChallenge`;
 * `authorization(registry, scopes)` then returns `Basic …`, `Bearer …` (fetching and caching a
 * token for exactly those scopes) or undefined (anonymous / no auth).
 */
export class Authenticator {
  private readonly state = new Map<string, RegistryAuthState>()
  private readonly log: Logger
  private readonly now: () => number
  readonly stats: AuthStats = { tokenRequests: 0 }

  constructor(private readonly options: AuthenticatorOptions) {
    this.log = options.logger ?? silentLogger
    this.now = options.now ?? Date.now
  }

  private get(registry: string): RegistryAuthState {
    let s = this.state.get(registry)
    if (!s) {
      s = { tokens: new Map(), inflight: new Map() }
      this.state.set(registry, s)
    }
    return s
  }

  /** True once the registry's challenge (or its absence) is known. */
  knows(registry: string): boolean {
    return this.get(registry).challenge !== undefined
  }

  /**
   * Records what `GET /v2/` answered: the `WWW-Authenticate` value of a 401, or undefined for 200.
   * Prefers a Bearer challenge over Basic when both are offered.
   */
  setChallenge(registry: string, wwwAuthenticate: string | string[] | undefined): void {
    const challenges = parseChallenges(wwwAuthenticate)
    const chosen =
      challenges.find(c => c.scheme === 'bearer') ?? challenges.find(c => c.scheme === 'basic') ?? null
    this.get(registry).challenge = chosen
  }

  private async credential(registry: string): Promise<Credential | undefined> {
    const s = this.get(registry)
    if (!s.credentialLoaded) {
      s.credential = await this.options.credentials(registry)
      s.credentialLoaded = true
      for (const secret of secretsOf(s.credential)) this.options.onSecret?.(secret)
    }
    return s.credential
  }

  /**
   * The `Authorization` value for a request needing `scopes` on `registry`, or undefined.
   * @throws AuthError when the token server refuses the credentials or answers without a token.
   */
  async authorization(registry: string, scopes: Scope[]): Promise<string | undefined> {
    const s = this.get(registry)
    const challenge = s.challenge
    if (!challenge) return undefined
    const cred = await this.credential(registry)
    if (challenge.scheme === 'basic') {
      if (!cred?.username || cred.password === undefined) return undefined
      return `Basic ${Buffer.from(`${cred.username}:${cred.password}`).toString('base64')}`
    }
    if (challenge.scheme !== 'bearer') return undefined
    const merged = mergeScopes(scopes)
    const key = merged.map(scopeString).join(' ')
    const cached = s.tokens.get(key)
    if (cached && cached.expiresAt > this.now()) return `Bearer ${cached.token}`
    let pending = s.inflight.get(key)
    if (!pending) {
      pending = this.fetchToken(registry, challenge, merged, cred).finally(() => s.inflight.delete(key))
      s.inflight.set(key, pending)
    }
    const token = await pending
    s.tokens.set(key, token)
    return `Bearer ${token.token}`
  }

  /**
   * Called when a request that carried `authorization` still got 401: drops the cached token,
   * records the new challenge and returns the scopes to ask for next (the request's plus any the
   * challenge names), or undefined when another try cannot help (Basic refused, no challenge).
   */
  onUnauthorized(
    registry: string,
    wwwAuthenticate: string | string[] | undefined,
    scopes: Scope[]
  ): Scope[] | undefined {
    const s = this.get(registry)
    const challenges = parseChallenges(wwwAuthenticate)
    const bearer = challenges.find(c => c.scheme === 'bearer')
    const basic = challenges.find(c => c.scheme === 'basic')
    if (!bearer) {
      if (basic && !s.challenge) {
        s.challenge = basic
        return scopes
      }
      return undefined
    }
    s.challenge = { scheme: 'bearer', params: { ...bearer.params } }
    s.tokens.delete(mergeScopes(scopes).map(scopeString).join(' '))
    const extra = (bearer.params.scope ?? '')
      .split(' ')
      .map(parseScope)
      .filter((x): x is Scope => x !== undefined)
    return mergeScopes([...scopes, ...extra])
  }

  private async fetchToken(
    registry: string,
    challenge: Challenge,
    scopes: Scope[],
    cred: Credential | undefined
  ): Promise<CachedToken> {
    const realmText = challenge.params.realm
    if (!realmText) throw new AuthError(`registry ${registry} sent a Bearer challenge without a realm`)
    let realm: URL
    try {
      realm = new URL(realmText)
    } catch {
      throw new AuthError(`registry ${registry} sent a Bearer challenge with an invalid realm "${realmText}"`)
    }
    const refused = this.options.checkRealm?.(realm)
    if (refused) throw new AuthError(refused)
    const service = challenge.params.service
    const started = this.now()
    this.stats.tokenRequests++
    let res: Dispatcher.ResponseData
    const headers: Record<string, string> = { 'user-agent': this.options.userAgent ?? 'promote-image' }
    if (cred?.identityToken) {
      const form = new URLSearchParams()
      form.set('grant_type', 'refresh_token')
      if (service) form.set('service', service)
      form.set('client_id', 'promote-image')
      form.set('refresh_token', cred.identityToken)
      if (scopes.length) form.set('scope', scopes.map(scopeString).join(' '))
      headers['content-type'] = 'application/x-www-form-urlencoded'
      res = await request(realm, {
        method: 'POST',
        headers,
        body: form.toString(),
        dispatcher: this.options.dispatcher
      })
    } else {
      const url = new URL(realm)
      if (service) url.searchParams.set('service', service)
      for (const s of scopes) url.searchParams.append('scope', scopeString(s))
      if (cred?.username && cred.password !== undefined) {
        headers.authorization = `Basic ${Buffer.from(`${cred.username}:${cred.password}`).toString('base64')}`
        url.searchParams.set('account', cred.username)
      }
      res = await request(url, { method: 'GET', headers, dispatcher: this.options.dispatcher })
    }
    const text = await res.body.text()
    const who = cred?.username
      ? `user "${cred.username}"`
      : cred?.identityToken
        ? 'the identity token'
        : 'anonymous access'
    if (res.statusCode === 401 || res.statusCode === 403) {
      throw new AuthError(
        `registry ${registry}: the token server ${realm.origin}${realm.pathname} refused the credentials (${who}) with ${res.statusCode}`
      )
    }
    if (res.statusCode !== 200) {
      throw new AuthError(
        `registry ${registry}: token request to ${realm.origin}${realm.pathname} answered ${res.statusCode}`
      )
    }
    let body: { token?: string; access_token?: string; expires_in?: number }
    try {
      body = JSON.parse(text) as typeof body
    } catch {
      throw new AuthError(`registry ${registry}: the token server answered with something that is not JSON`)
    }
    const token = body.access_token || body.token
    if (!token) throw new AuthError(`registry ${registry}: the token server answered without a token`)
    this.options.onSecret?.(token)
    const lifetimeS =
      typeof body.expires_in === 'number' && body.expires_in > 0 ? Math.max(body.expires_in, 60) : 60
    // renew a little early: 10% of the lifetime, at least 5 s
    const margin = Math.max(5000, lifetimeS * 100)
    this.log.debug(`token for ${registry} (${scopes.map(scopeString).join(' ')}) valid ${lifetimeS}s`)
    return { token, expiresAt: started + lifetimeS * 1000 - margin }
  }
}
