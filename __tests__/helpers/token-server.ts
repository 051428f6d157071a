/**
 * A small Docker token server (distribution docs/spec/auth/token.md, oauth.md) on 127.0.0.1 for
 * registries started with `auth: token`. It checks Basic credentials (GET) or the OAuth2 form
 * (POST: grant_type=password | refresh_token), grants the intersection of the requested and the
 * allowed actions, and answers with a real RS256 JWT (signed with jose) whose header carries the signing certificate
 * in `x5c` (the registry verifies it against its rootcertbundle). Every request is recorded.
 *
 *   const pki = await makeTestPki()
 *   const ts = await startTokenServer({ pki, service: 'registry.test', users: { alice: 'pw' },
 *     acl: { alice: { 'team/app': ['pull', 'push'] } } })
 *   const reg = await startRegistry({ token: ts.registryConfig })
 *   …
 *   expect(ts.requests.map(r => r.scopes)).toEqual([['repository:team/app:pull']])
 */
import { createPrivateKey, randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { SignJWT, type JWTPayload } from 'jose'
import type { TestPki } from './tls.js'

/** repository name → allowed actions (`*` allows every action). */
export type RepositoryAcl = Record<string, string[]>

export interface TokenServerOptions {
  pki: TestPki
  /** `aud` and the `service` the registry names */
  service: string
  /** `iss` (default `promote-image-test-issuer`) */
  issuer?: string
  /** Basic / password-grant users: name → password */
  users?: Record<string, string>
  /** refresh tokens (OAuth2 POST grant_type=refresh_token): token → user name */
  refreshTokens?: Record<string, string>
  /** user name (or `''` for anonymous) → repositories and actions allowed */
  acl: Record<string, RepositoryAcl>
  /** `expires_in` to send, seconds; null sends none (client default 60) */
  expiresIn?: number | null
  /** how the token is sent: `token` (default), `access_token`, or both */
  field?: 'token' | 'access_token' | 'both'
  /** answer POST with 404, like token servers without the OAuth2 endpoint */
  noPost?: boolean
  /** issue tokens with this `exp` offset in seconds instead of expires_in (to make them expire early) */
  jwtLifetime?: number
  /** answer a GET without credentials 401 `{"details":"authentication required"}` (a private registry's token server) */
  refuseAnonymous?: boolean
}

/** One request the token server answered. */
export interface TokenRequest {
  method: 'GET' | 'POST'
  /** authenticated user, undefined for anonymous */
  user?: string
  /** `grant_type` of a POST */
  grant?: string
  service?: string
  /** scope strings exactly as requested, in order */
  scopes: string[]
  /** the `access` claim granted */
  granted: Array<{ type: string; name: string; actions: string[] }>
  status: number
}

export interface TokenServer {
  /** `http://127.0.0.1:PORT/token` */
  realm: string
  requests: TokenRequest[]
  /** every token issued (to check logs for leaks) */
  issued: string[]
  /** the `token` option of startRegistry */
  registryConfig: { realm: string; service: string; issuer: string; rootCertBundle: string }
  /** changes the ACL from now on */
  setAcl(acl: Record<string, RepositoryAcl>): void
  reset(): void
  stop(): Promise<void>
}

/** Signs claims as an RS256 JWT (jose) with `x5c` = [the signing certificate]. */
export async function signJwt(pki: TestPki, claims: JWTPayload): Promise<string> {
  return await new SignJWT(claims)
    .setProtectedHeader({ typ: 'JWT', alg: 'RS256', x5c: [pki.signingCertDer] })
    .sign(createPrivateKey(pki.signingKeyPem))
}

/** Parses `repository:NAME:a,b` (type up to the first colon, actions after the last). */
function parseScope(s: string): { type: string; name: string; actions: string[] } | undefined {
  const first = s.indexOf(':')
  const last = s.lastIndexOf(':')
  if (first < 0 || last <= first) return undefined
  return { type: s.slice(0, first), name: s.slice(first + 1, last), actions: s.slice(last + 1).split(',') }
}

async function readBody(req: IncomingMessage): Promise<string> {
  let text = ''
  for await (const chunk of req) text += (chunk as Buffer).toString('utf8')
  return text
}

/** Starts the token server on a free loopback port. */
export async function startTokenServer(options: TokenServerOptions): Promise<TokenServer> {
  const issuer = options.issuer ?? 'promote-image-test-issuer'
  let acl = options.acl
  const requests: TokenRequest[] = []
  const issued: string[] = []

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const reply = (status: number, body: unknown, record?: Omit<TokenRequest, 'status'>): void => {
      if (record) requests.push({ ...record, status })
      res.writeHead(status, { 'content-type': 'application/json' })
      res.end(JSON.stringify(body))
    }
    if (url.pathname !== '/token') return reply(404, { error: 'not found' })
    let user: string | undefined
    let scopes: string[]
    let service: string | undefined
    let grant: string | undefined
    const method: 'GET' | 'POST' = req.method === 'POST' ? 'POST' : 'GET'
    if (method === 'POST') {
      if (options.noPost) {
        await readBody(req)
        return reply(404, { error: 'POST not supported' })
      }
      const form = new URLSearchParams(await readBody(req))
      grant = form.get('grant_type') ?? undefined
      service = form.get('service') ?? undefined
      scopes = (form.get('scope') ?? '').split(' ').filter(Boolean)
      const record = { method, grant, service, scopes, granted: [] }
      if (grant === 'refresh_token') {
        user = options.refreshTokens?.[form.get('refresh_token') ?? '']
        if (!user) return reply(401, { error: 'invalid_grant' }, record)
      } else if (grant === 'password') {
        const name = form.get('username') ?? ''
        if (options.users?.[name] === undefined || options.users[name] !== form.get('password'))
          return reply(401, { error: 'invalid_grant' }, record)
        user = name
      } else return reply(400, { error: 'unsupported_grant_type' }, record)
    } else {
      service = url.searchParams.get('service') ?? undefined
      scopes = url.searchParams.getAll('scope')
      const auth = req.headers.authorization
      if (!auth && options.refuseAnonymous)
        return reply(401, { details: 'authentication required' }, { method, service, scopes, granted: [] })
      if (auth) {
        const m = /^Basic (.+)$/i.exec(auth)
        const decoded = m ? Buffer.from(m[1], 'base64').toString('utf8') : ''
        const colon = decoded.indexOf(':')
        const name = decoded.slice(0, colon)
        const password = decoded.slice(colon + 1)
        const ok =
          colon > 0 &&
          ((options.users?.[name] !== undefined && options.users[name] === password) ||
            options.refreshTokens?.[password] === name)
        if (!ok)
          return reply(401, { details: 'invalid credentials' }, { method, service, scopes, granted: [] })
        user = name
      }
    }
    if (service !== options.service) {
      return reply(400, { error: 'invalid service' }, { method, user, grant, service, scopes, granted: [] })
    }
    const allowed = acl[user ?? ''] ?? {}
    const granted: TokenRequest['granted'] = []
    for (const text of scopes) {
      for (const one of text.split(' ')) {
        const s = parseScope(one)
        if (!s || s.type !== 'repository') continue
        const may = allowed[s.name] ?? []
        const actions = s.actions.filter(a => may.includes(a) || may.includes('*'))
        if (actions.length) granted.push({ type: 'repository', name: s.name, actions })
      }
    }
    const now = Math.floor(Date.now() / 1000)
    const lifetime = options.jwtLifetime ?? (options.expiresIn === null ? 60 : (options.expiresIn ?? 300))
    const token = await signJwt(options.pki, {
      iss: issuer,
      sub: user ?? '',
      aud: options.service,
      exp: now + lifetime,
      nbf: now - 1,
      iat: now,
      jti: randomUUID(),
      access: granted
    })
    issued.push(token)
    const body: Record<string, unknown> = { issued_at: new Date(now * 1000).toISOString() }
    const field = options.field ?? (method === 'POST' ? 'access_token' : 'token')
    if (field === 'token' || field === 'both') body.token = token
    if (field === 'access_token' || field === 'both') body.access_token = token
    if (options.expiresIn !== null) body.expires_in = options.expiresIn ?? 300
    reply(200, body, { method, user, grant, service, scopes, granted })
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(e => {
      res.writeHead(500)
      res.end(String(e))
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  const realm = `http://127.0.0.1:${port}/token`
  return {
    realm,
    requests,
    issued,
    registryConfig: { realm, service: options.service, issuer, rootCertBundle: options.pki.signingCert },
    setAcl(next) {
      acl = next
    },
    reset() {
      requests.length = 0
    },
    stop: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}
