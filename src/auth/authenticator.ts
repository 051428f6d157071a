/**
 * Registry authentication: HTTP Basic and Bearer tokens (distribution docs/spec/auth/token.md,
 * oauth.md, scope.md). Keeps the challenge learned per registry host and a token cache per
 * registry and scope set; renews tokens before they expire; every secret it sees or receives goes
 * through `onSecret` first (the action passes `core.setSecret`). It has no HTTP client of its own:
 * token requests go out through the `send` it is given (registry/transport.ts `tokenSender`, on the
 * same send(), timeout and retry policy as registry requests).
 */
import { silentLogger, type Logger } from '../logger.js'
import { inline } from '../neutralise.js'
import { PlainHttpRefusal } from '../plain-http.js'
import { apiHost, isLoopbackHost } from '../reference/hosts.js'
import { parseChallenges, type Challenge } from './challenge.js'
import { secretsOf, whyNoCredential, type Credential, type CredentialSource } from './credentials.js'

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

/** The host name of `host[:port]` (brackets of an IPv6 address kept), lower-cased. */
function hostName(host: string): string {
  return new URL(`http://${host}`).hostname.toLowerCase()
}

/**
 * The default token-realm policy (token.md "Requesting a Token"; see docs/auth.md): credentials
 * (Basic user:password, refresh tokens) go to a realm only over https, or over plain http to a
 * realm on the registry's own host name (any port) when that registry is loopback or listed in
 * `insecureHosts` (host[:port], case-insensitive, exactly as docker's insecure-registries), or to
 * a realm whose own host[:port] is listed there (an auth service on its own host: the user vouches
 * for it); without `registry` (callers that do not know it), a plain-http realm that is itself
 * loopback or listed is allowed. Anonymous token requests
 * may use plain http. A realm on another host over https is allowed (Docker Hub's is) and logged
 * by the Authenticator. Returns the refusal message (an unsupported scheme), a PlainHttpRefusal
 * (its facts; the interface says how to list the host, report/tls-words.ts), or undefined when
 * allowed.
 */
export function realmPolicy(
  insecureHosts: string[] = []
): (realm: URL, sendsCredentials: boolean, registry?: string) => string | PlainHttpRefusal | undefined {
  const insecure = new Set(insecureHosts.map(h => h.toLowerCase()))
  const plain = (host: string): boolean => isLoopbackHost(host) || insecure.has(host.toLowerCase())
  return (realm, sendsCredentials, registry) => {
    if (realm.protocol === 'https:') return undefined
    if (realm.protocol !== 'http:')
      return `token realm ${realm.origin}${realm.pathname}: unsupported scheme ${realm.protocol}`
    if (!sendsCredentials) return undefined
    const where = `${realm.origin}${realm.pathname}`
    if (registry !== undefined && plain(registry) && hostName(registry) === realm.hostname.toLowerCase())
      return undefined
    const host = realm.host.toLowerCase()
    if (insecure.has(host)) return undefined
    if (!plain(realm.host))
      return new PlainHttpRefusal(
        'realm',
        host,
        registry ?? '',
        where,
        `refusing to send credentials to the token realm ${where} over plain http`
      )
    if (registry === undefined) return undefined
    return new PlainHttpRefusal(
      'realm-host',
      host,
      registry,
      where,
      `refusing to send credentials to the token realm ${where} over plain http: it is not on the registry's host ${registry}`
    )
  }
}

/** Token cache key: realm, service and the sorted scope set (token.md; docker's client). */
function tokenKey(challenge: Challenge, scopes: Scope[]): string {
  return `${challenge.params.realm ?? ''} ${challenge.params.service ?? ''} ${scopes.map(scopeString).join(' ')}`
}

/** The credentials were refused, or a token could not be had. Not retried. */
export class AuthError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'AuthError'
  }
}

interface CachedToken {
  token: string
  /** ms since the epoch after which the token is renewed (expiry minus a safety margin) */
  expiresAt: number
}

/** A token endpoint answer (token.md "Token Response Fields", oauth.md "Token Response"). */
interface TokenResponse {
  token?: string
  access_token?: string
  expires_in?: number | string
  issued_at?: string
  refresh_token?: string
}

/** How a credential is named in messages (never the secret itself). */
function describeCredential(cred: Credential | undefined): string {
  if (cred?.identityToken)
    return cred.username && cred.username !== '<token>'
      ? `the identity token of "${cred.username}"`
      : 'the identity token'
  if (cred?.username) return `user "${cred.username}"`
  return 'anonymous access'
}

/**
 * What a token server said when it refused (its JSON body's `errors[].message`, `details`,
 * `error_description`, `message` or `error`, the first there), on one line, at most 200
 * characters; undefined when it said nothing readable (an empty or HTML body).
 */
function tokenServerReason(text: string): string | undefined {
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    return undefined
  }
  if (!body || typeof body !== 'object') return undefined
  const b = body as Record<string, unknown>
  const listed = Array.isArray(b.errors)
    ? (b.errors as unknown[])
        .map(e => (e && typeof e === 'object' ? (e as Record<string, unknown>).message : undefined))
        .filter((m): m is string => typeof m === 'string' && m.trim() !== '')
        .join('; ')
    : ''
  const said = [listed, b.details, b.error_description, b.message, b.error].find(
    (v): v is string => typeof v === 'string' && v.trim() !== ''
  )
  return said ? inline(said.trim().slice(0, 200)) : undefined
}

/**
 * A token server's answer that is not JSON (`internal`), on one line, at most 200 characters;
 * undefined when empty or an HTML page (a proxy's error page says nothing of the token).
 */
function plainReason(text: string): string | undefined {
  const t = text.trim()
  return t && !t.startsWith('<') && !t.startsWith('{') ? inline(t.slice(0, 200)) : undefined
}

/** `: ADVICE` from the source's explain (a login step, a flag, why the lookup found nothing), else ''. */
function adviceOf(source: CredentialSource, registry: string): string {
  const why = source.explain?.(registry)
  return why ? `: ${why}` : ''
}

/** Basic credentials for a token GET: username + password, else username + identity token (ACR). */
function basicPair(cred: Credential | undefined): [string, string] | undefined {
  if (!cred?.username) return undefined
  if (cred.password !== undefined) return [cred.username, cred.password]
  if (cred.identityToken !== undefined && cred.username !== '<token>')
    return [cred.username, cred.identityToken]
  return undefined
}

/** The realm URL of a Bearer challenge. @throws AuthError when it is missing or not a URL */
function realmOf(registry: string, challenge: Challenge): URL {
  const realmText = challenge.params.realm
  if (!realmText) throw new AuthError(`registry ${registry} sent a Bearer challenge without a realm`)
  try {
    return new URL(realmText)
  } catch {
    throw new AuthError(`registry ${registry} sent a Bearer challenge with an invalid realm "${realmText}"`)
  }
}

/** The OAuth2 refresh-token form (oauth.md "Refresh token format"). */
function refreshForm(service: string | undefined, refreshToken: string, scopes: Scope[]): string {
  const form = new URLSearchParams()
  form.set('grant_type', 'refresh_token')
  if (service) form.set('service', service)
  form.set('client_id', 'promote-image')
  form.set('refresh_token', refreshToken)
  if (scopes.length) form.set('scope', scopes.map(scopeString).join(' '))
  return form.toString()
}

/**
 * A token endpoint's JSON answer, with `token` set from `access_token` or `token` (docker's client
 * prefers access_token when both are present; token.md leaves it open).
 * @throws AuthError when it is not JSON or holds no token
 */
function parseTokenResponse(
  registry: string,
  where: string,
  text: string
): TokenResponse & { token: string } {
  let body: TokenResponse
  try {
    body = JSON.parse(text) as TokenResponse
  } catch {
    throw new AuthError(
      `registry ${registry}: the token server ${where} answered with something that is not JSON`
    )
  }
  const token =
    (typeof body.access_token === 'string' && body.access_token) ||
    (typeof body.token === 'string' && body.token)
  if (!token) throw new AuthError(`registry ${registry}: the token server ${where} answered without a token`)
  return { ...body, token }
}

interface RegistryAuthState {
  /** undefined: not known yet; null: the ping said no auth is required */
  challenge?: Challenge | null
  credential?: Credential
  credentialLoaded?: boolean
  tokens: Map<string, CachedToken>
  inflight: Map<string, Promise<CachedToken>>
}

/** One token request (token.md GET, oauth.md POST), as the Authenticator builds it. */
export interface TokenHttpRequest {
  /** the registry the token is for (host[:port] as in references), for the sender's messages */
  registry: string
  method: 'GET' | 'POST'
  url: URL
  headers: Record<string, string>
  /** the form of a POST (`application/x-www-form-urlencoded`) */
  body?: string
}

/**
 * Sends a token request through the registry HTTP stack (registry/transport.ts `tokenSender`:
 * timeouts, retries, TLS settings, user agent, no auth layer) and returns the final answer with
 * its body as text. Calls `count()` once per HTTP request put on the wire (retries included).
 * @throws Error whose message says why no answer came (`cannot connect (ECONNREFUSED)`,
 *   `connected, but got no answer within 1 s (UND_ERR_HEADERS_TIMEOUT)`), the network error as
 *   cause; AuthError for a verdict passed on as it is (the token server's TLS certificate failed
 *   verification: registry/token-sender.ts)
 */
export type TokenSend = (
  req: TokenHttpRequest,
  count: () => void
) => Promise<{ status: number; text: string }>

export interface AuthenticatorOptions {
  credentials: CredentialSource
  /** how token requests are sent (the factory passes the registry stack's `tokenSender`) */
  send: TokenSend
  /** called with every secret before it can appear anywhere (core.setSecret) */
  onSecret?: (secret: string) => void
  logger?: Logger
  /** clock in ms (tests) */
  now?: () => number
  /**
   * token realm checker: returns an error message when the realm may not be contacted;
   * `sendsCredentials` is true when the request would carry Basic credentials or a refresh token.
   * The factory passes `realmPolicy(insecureRegistries)`.
   */
  checkRealm?: (
    realm: URL,
    sendsCredentials: boolean,
    registry?: string
  ) => string | PlainHttpRefusal | undefined
}

/** Counters for tests and the final report. */
export interface AuthStats {
  /** token endpoint requests (GET and POST, including a GET after a POST answered 404) */
  tokenRequests: number
}

/** The challenge to answer of those a 401 offered: Bearer when offered, else Basic, else none. */
function preferredChallenge(challenges: Challenge[]): Challenge | undefined {
  return challenges.find(c => c.scheme === 'bearer') ?? challenges.find(c => c.scheme === 'basic')
}

/**
 * The scopes to ask a token for after a 401: the request's `scopes` plus any the Bearer
 * `challenge` names in its space-separated `scope` parameter (distribution's token spec,
 * "Requesting a Token"), merged; unparseable scope words are dropped.
 */
function withChallengeScopes(scopes: Scope[], challenge: Challenge | undefined): Scope[] {
  const extra = (challenge?.params.scope ?? '')
    .split(' ')
    .map(parseScope)
    .filter((x): x is Scope => x !== undefined)
  return mergeScopes([...scopes, ...extra])
}

/**
 * Produces `Authorization` header values for registry requests.
 * Flow: the first 401 a registry answers a request sent without `Authorization` goes to `learn`
 * (or, when the transport pinged `/v2/`, its answer to `setChallenge`);
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
    this.get(registry).challenge = preferredChallenge(parseChallenges(wwwAuthenticate)) ?? null
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
    const key = tokenKey(challenge, merged)
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
   * Called when a request sent without `Authorization` got 401 (the registry was not pinged, so its
   * challenge was not known when the request left; containerd's resolver works the same way):
   * records the challenge if none is known yet (Bearer preferred over Basic, as setChallenge) and
   * returns the scopes to ask for (the request's plus any a Bearer challenge names); drops no
   * token, so the other requests of a parallel wave that got the same 401 share one token request.
   * Returns undefined when the answer carries no Basic or Bearer challenge.
   */
  learn(
    registry: string,
    wwwAuthenticate: string | string[] | undefined,
    scopes: Scope[]
  ): Scope[] | undefined {
    const s = this.get(registry)
    const chosen = preferredChallenge(parseChallenges(wwwAuthenticate))
    if (!chosen) return undefined
    if (!s.challenge) s.challenge = chosen
    return withChallengeScopes(scopes, chosen.scheme === 'bearer' ? chosen : undefined)
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
    if (s.challenge) s.tokens.delete(tokenKey(s.challenge, mergeScopes(scopes)))
    s.challenge = { scheme: 'bearer', params: { ...bearer.params } }
    return withChallengeScopes(scopes, bearer)
  }

  /**
   * How the account is named in messages: `user "alice"`, with where it was given when the
   * credential source says (`user "alice" from --dest-creds`); never a secret.
   */
  private who(registry: string, cred: Credential | undefined): string {
    const from = cred ? this.options.credentials.origin?.(registry) : undefined
    return `${describeCredential(cred)}${from ? ` from ${from}` : ''}`
  }

  /**
   * Words for a 403 (the registry knows who asks and refuses): names who asked — the configured
   * account, or anonymous access when none is configured — never a secret. With `ownReason` (the
   * registry said why, and not in words of access: a quota, maintenance) it states who asked
   * without claiming that access was what the registry denied.
   */
  forbidden(registry: string, ownReason = false): string {
    const cred = this.get(registry).credential
    if (ownReason)
      return cred
        ? `the request was made as ${this.who(registry, cred)}`
        : `the request was anonymous (no credentials are configured for registry ${registry})${whyNoCredential(this.options.credentials, registry)}`
    if (!cred)
      return `registry ${registry} denied anonymous access (no credentials are configured for it)${whyNoCredential(this.options.credentials, registry)}`
    return `registry ${registry} denied access to ${this.who(registry, cred)} (that account lacks the permission this request needs)`
  }

  /**
   * Words for a 401 that one re-challenge did not cure, for the error the transport throws: names
   * the registry and says what was refused — the credentials, or a scope the token lacks
   * (`error="insufficient_scope"`, token.md "How to authenticate") — never a secret.
   */
  refusal(registry: string, wwwAuthenticate: string | string[] | undefined, scopes: Scope[]): string {
    const cred = this.get(registry).credential
    const bearer = parseChallenges(wwwAuthenticate).find(c => c.scheme === 'bearer')
    if (bearer?.params.error === 'insufficient_scope') {
      // the registry's own scope text has its actions in any order (distribution builds it from a map)
      const named = (bearer.params.scope ?? '')
        .split(' ')
        .map(parseScope)
        .filter((x): x is Scope => x !== undefined)
      const wanted = mergeScopes(named.length ? named : scopes)
        .map(scopeString)
        .join(' ')
      return `registry ${registry} refused the request: the token server did not grant ${wanted} to ${this.who(registry, cred)} (insufficient_scope); check that account's permissions on the repository`
    }
    if (!cred)
      return `registry ${registry} requires credentials and none are configured for it${whyNoCredential(this.options.credentials, registry)}`
    return `registry ${registry} refused the credentials (${this.who(registry, cred)}); check the user name and password or token`
  }

  /** Asks the realm for a token for exactly `scopes` (token.md, oauth.md) and reads the answer. */
  private async fetchToken(
    registry: string,
    challenge: Challenge,
    scopes: Scope[],
    cred: Credential | undefined
  ): Promise<CachedToken> {
    const realm = realmOf(registry, challenge)
    const basic = basicPair(cred)
    const sendsCredentials = basic !== undefined || cred?.identityToken !== undefined
    const refused = this.options.checkRealm?.(realm, sendsCredentials, registry)
    if (typeof refused === 'string') throw new AuthError(`registry ${registry}: ${refused}`)
    if (refused) throw new AuthError(`registry ${registry}: ${refused.message}`, { cause: refused })
    const service = challenge.params.service
    const where = `${realm.origin}${realm.pathname}`
    if (realm.hostname.toLowerCase() !== hostName(apiHost(registry)))
      this.log.debug(
        `registry ${registry}: token realm ${where} is on another host${sendsCredentials ? ' (credentials sent to it)' : ''}`
      )
    const started = this.now()
    let res: { status: number; text: string; tries: number }
    if (cred?.identityToken) {
      // oauth.md: POST grant_type=refresh_token; servers without POST answer 404 (GCR) or 405
      const form = refreshForm(service, cred.identityToken, scopes)
      res = await this.send(registry, realm, 'POST', form)
      if (res.status === 404 || res.status === 405) {
        this.log.debug(`token server ${where} answered ${res.status} to POST; using GET`)
        res = await this.getToken(registry, realm, service, scopes, basic)
      }
    } else {
      res = await this.getToken(registry, realm, service, scopes, basic)
    }
    if (res.status === 401 || res.status === 403) {
      const said = tokenServerReason(res.text)
      if (!sendsCredentials)
        throw new AuthError(
          `registry ${registry} requires credentials and none are configured for it (its token server ${where} answered ${res.status} to an anonymous request${said ? `: ${said}` : ''})${adviceOf(this.options.credentials, registry)}`
        )
      throw new AuthError(
        `registry ${registry}: the token server ${where} refused the credentials (${this.who(registry, cred)}) with ${res.status}${said ? `: ${said}` : ''}`
      )
    }
    if (res.status !== 200) {
      // after the retries of a temporary status (5xx, 429): how many, and what the server said
      const tries = res.tries > 1 ? ` after ${res.tries} tries` : ''
      const said = tokenServerReason(res.text) ?? plainReason(res.text)
      throw new AuthError(
        `registry ${registry}: token request to ${where} answered ${res.status}${tries}${said ? `: ${said}` : ''}`
      )
    }
    return this.keep(registry, scopes, parseTokenResponse(registry, where, res.text), started)
  }

  /** Registers a token answer's secrets, takes a rotated refresh token, and dates its expiry. */
  private keep(
    registry: string,
    scopes: Scope[],
    body: TokenResponse & { token: string },
    started: number
  ): CachedToken {
    this.options.onSecret?.(body.token)
    if (typeof body.refresh_token === 'string' && body.refresh_token) {
      // a rotated refresh token replaces the one we hold (oauth.md "Refresh token format")
      this.options.onSecret?.(body.refresh_token)
      const s = this.get(registry)
      if (s.credential?.identityToken) s.credential = { ...s.credential, identityToken: body.refresh_token }
    }
    const lifetimeS = tokenLifetimeSeconds(body.expires_in)
    // expiry counts from issued_at when the server sent one that is not in our future (clock skew)
    const issued = typeof body.issued_at === 'string' ? Date.parse(body.issued_at) : NaN
    const from = Number.isNaN(issued) ? started : Math.min(started, issued)
    // renew early: 10% of the lifetime, at least 5 s
    const margin = Math.max(5000, lifetimeS * 100)
    this.log.debug(`token for ${registry} (${scopes.map(scopeString).join(' ')}) valid ${lifetimeS}s`)
    return { token: body.token, expiresAt: from + lifetimeS * 1000 - margin }
  }

  private async getToken(
    registry: string,
    realm: URL,
    service: string | undefined,
    scopes: Scope[],
    basic: [string, string] | undefined
  ): Promise<{ status: number; text: string; tries: number }> {
    // token.md "Requesting a Token": keep the realm's own query, one scope parameter per scope
    const url = new URL(realm)
    if (service) url.searchParams.set('service', service)
    for (const s of scopes) url.searchParams.append('scope', scopeString(s))
    let authorization: string | undefined
    if (basic) {
      authorization = `Basic ${Buffer.from(`${basic[0]}:${basic[1]}`).toString('base64')}`
      this.options.onSecret?.(authorization.slice(6))
      url.searchParams.set('account', basic[0])
    }
    return await this.send(registry, url, 'GET', undefined, authorization)
  }

  private async send(
    registry: string,
    url: URL,
    method: 'GET' | 'POST',
    form: string | undefined,
    authorization?: string
  ): Promise<{ status: number; text: string; tries: number }> {
    const headers: Record<string, string> = {}
    if (authorization) headers.authorization = authorization
    if (form !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded'
    let tries = 0
    try {
      const answer = await this.options.send({ registry, method, url, headers, body: form }, () => {
        tries++
        this.stats.tokenRequests++
      })
      return { ...answer, tries }
    } catch (e) {
      // the sender's own verdict (a token server whose TLS certificate failed verification)
      if (e instanceof AuthError) throw e
      throw new AuthError(
        `registry ${registry}: token server ${url.origin}${url.pathname}: ${(e as Error).message}`
      )
    }
  }
}

/**
 * A token's lifetime in seconds from `expires_in` (token.md): 60 when absent, not a number or
 * below 60 (docker clamps to 60; servers should never issue less).
 */
export function tokenLifetimeSeconds(expiresIn: unknown): number {
  const n = typeof expiresIn === 'string' && /^\d+$/.test(expiresIn) ? Number(expiresIn) : expiresIn
  return typeof n === 'number' && Number.isFinite(n) && n > 60 ? Math.floor(n) : 60
}
