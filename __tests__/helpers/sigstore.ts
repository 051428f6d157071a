/**
 * Offline Sigstore for tests: `@sigstore/mock`'s Fulcio, Rekor and timestamp-authority handlers
 * served by one node:http server on 127.0.0.1:0 (POST `/api/v2/signingCert`, `/api/v1/log/entries`,
 * `/api/v1/timestamp`), a trusted root (protobuf-specs TrustedRoot JSON) made from the stand-ins'
 * keys, and OIDC identity tokens shaped like GitHub Actions' (the mock Fulcio reads the claims
 * without checking the token's signature; the certificate's URI SAN is the `sub` claim).
 *
 * Usage:
 *   const sig = await startSigstore()
 *   sig.token({ sub: 'https://github.com/org/repo/.github/workflows/release.yml@refs/heads/main' })
 *   sig.trustedRoot           // JSON text for --trusted-root
 *   await sig.stop()
 */
import { generateKeyPairSync, createHash, randomBytes, type KeyObject } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  fulcioHandler,
  initializeCA,
  initializeCTLog,
  initializeTLog,
  initializeTSA,
  rekorHandler,
  tsaHandler,
  type HandlerFn
} from '@sigstore/mock'
import { TrustedRoot, HashAlgorithm, PublicKeyDetails } from '@sigstore/protobuf-specs'
import { SignJWT } from 'jose'

/** GitHub Actions' OIDC issuer. */
export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com'

export interface MockSigstore {
  /** `http://127.0.0.1:PORT`: Fulcio, Rekor and the TSA all answer here */
  url: string
  /** the trusted root for the stand-ins' keys (JSON text) */
  trustedRoot: string
  /** an unsigned-for-practical-purposes OIDC token with these claims (iss defaults to GitHub's) */
  token(claims: Record<string, unknown>): Promise<string>
  /**
   * GitHub Actions' ID-token endpoint as this server (GET `/actions/id-token?…&audience=…` with the
   * request token as bearer answers `{"value": TOKEN}`, as the runner's does): the environment a
   * job with `id-token: write` has, and the token it serves (for these claims)
   */
  actionsTokenEnv(claims: Record<string, unknown>): Promise<{
    ACTIONS_ID_TOKEN_REQUEST_URL: string
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: string
    token: string
  }>
  /** requests served, by method and path */
  requests: string[]
  stop(): Promise<void>
}

const keyPair = (): { publicKey: KeyObject; privateKey: KeyObject } =>
  generateKeyPairSync('ec', { namedCurve: 'P-256' })

const der = (k: KeyObject): Buffer => k.export({ type: 'spki', format: 'der' })
const bytes = (v: ArrayBufferView): Buffer => Buffer.from(v.buffer, v.byteOffset, v.byteLength)

/**
 * A proposed Rekor `dsse` entry (what @sigstore/sign posts, as actions/attest does) as the real
 * Rekor logs it (its canonicalized body: envelope and payload hashes, signatures with verifier),
 * since the mock logs what it is sent: so a `dsse` bundle verifies as it does against Rekor.
 * Other requests pass unchanged.
 */
function canonicalEntry(path: string, body: string): string {
  if (path !== '/api/v1/log/entries') return body
  const entry = JSON.parse(body) as {
    kind?: string
    apiVersion?: string
    spec?: { proposedContent?: { envelope: string; verifiers: string[] } }
  }
  const proposed = entry.spec?.proposedContent
  if (entry.kind !== 'dsse' || !proposed) return body
  const envelope = JSON.parse(proposed.envelope) as { payload: string; signatures: Array<{ sig: string }> }
  const sha256 = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex')
  return JSON.stringify({
    apiVersion: entry.apiVersion,
    kind: 'dsse',
    spec: {
      envelopeHash: { algorithm: 'sha256', value: sha256(proposed.envelope) },
      payloadHash: { algorithm: 'sha256', value: sha256(Buffer.from(envelope.payload, 'base64')) },
      signatures: envelope.signatures.map(s => ({ signature: s.sig, verifier: proposed.verifiers[0] }))
    }
  })
}

/** Starts the stand-ins; see the module comment. */
export async function startSigstore(): Promise<MockSigstore> {
  const routes = new Map<string, HandlerFn>()
  let idToken: { request: string; token: string } | undefined
  const requests: string[] = []
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0]
      requests.push(`${req.method} ${path}`)
      if (path === '/actions/id-token' && req.method === 'GET') {
        const ok = idToken && req.headers.authorization === `Bearer ${idToken.request}`
        res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' })
        res.end(ok ? JSON.stringify({ value: idToken?.token }) : '{}')
        return
      }
      const fn = routes.get(path)
      if (!fn || req.method !== 'POST') {
        res.writeHead(404).end()
        return
      }
      fn(canonicalEntry(path, Buffer.concat(chunks).toString('utf8'))).then(
        r => {
          res.writeHead(r.statusCode, { 'content-type': r.contentType ?? 'text/plain' })
          res.end(typeof r.response === 'string' ? r.response : bytes(r.response))
        },
        (e: Error) => res.writeHead(500).end(e.message)
      )
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const past = new Date(Date.now() - 24 * 3600 * 1000)
  const [caKeys, ctKeys, tlogKeys, tsaKeys] = [keyPair(), keyPair(), keyPair(), keyPair()]
  const ctlog = await initializeCTLog(ctKeys)
  const ca = await initializeCA(caKeys, ctlog)
  const tlog = await initializeTLog(url, tlogKeys)
  // the mock TSA writes genTime with milliseconds that @sigstore/core cannot always parse (it wants
  // three digits): its clock is fixed on a whole second, 5 minutes ahead, so that it falls inside
  // the validity (10 minutes from issue) of every certificate the mock Fulcio issues in that time
  const tsa = await initializeTSA(tsaKeys, new Date(Math.floor(Date.now() / 1000) * 1000 + 300_000))
  for (const h of [fulcioHandler(ca), rekorHandler(tlog), tsaHandler(tsa)]) routes.set(h.path, h.fn)
  const log = (key: KeyObject, logId: Buffer): object => ({
    baseUrl: url,
    hashAlgorithm: HashAlgorithm.SHA2_256,
    publicKey: {
      rawBytes: der(key),
      keyDetails: PublicKeyDetails.PKIX_ECDSA_P256_SHA_256,
      validFor: { start: past }
    },
    logId: { keyId: logId }
  })
  const root = TrustedRoot.fromJSON(
    TrustedRoot.toJSON({
      mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
      tlogs: [log(tlogKeys.publicKey, createHash('sha256').update(der(tlogKeys.publicKey)).digest())],
      ctlogs: [log(ctKeys.publicKey, bytes(ctlog.logID))],
      certificateAuthorities: [
        {
          subject: { organization: 'sigstore.mock', commonName: 'sigstore' },
          uri: url,
          certChain: { certificates: [{ rawBytes: bytes(ca.rootCertificate) }] },
          validFor: { start: past }
        }
      ],
      timestampAuthorities: [
        {
          subject: { organization: 'sigstore.mock', commonName: 'tsa' },
          uri: url,
          certChain: {
            certificates: [{ rawBytes: bytes(tsa.intCertificate) }, { rawBytes: bytes(tsa.rootCertificate) }]
          },
          validFor: { start: past }
        }
      ]
    } as never)
  )
  const trustedRoot = JSON.stringify(TrustedRoot.toJSON(root))
  const jwtKey = keyPair().privateKey
  const token = async (claims: Record<string, unknown>): Promise<string> =>
    await new SignJWT({ iss: GITHUB_ISSUER, aud: 'sigstore', email_verified: true, ...claims })
      .setProtectedHeader({ alg: 'ES256' })
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(jwtKey)
  const actionsTokenEnv = async (
    claims: Record<string, unknown>
  ): ReturnType<MockSigstore['actionsTokenEnv']> => {
    idToken = { request: `request-${randomBytes(12).toString('hex')}`, token: await token(claims) }
    return {
      ACTIONS_ID_TOKEN_REQUEST_URL: `${url}/actions/id-token?api-version=2.0`,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: idToken.request,
      token: idToken.token
    }
  }
  return {
    url,
    trustedRoot,
    token,
    actionsTokenEnv,
    requests,
    stop: () => new Promise<void>(resolve => server.close(() => resolve()))
  }
}
