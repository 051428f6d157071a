/**
 * The one user of the Sigstore libraries (`@sigstore/verify`, `@sigstore/sign`, `@sigstore/bundle`,
 * `@sigstore/protobuf-specs`; `@sigstore/tuf` through proof/public-good.ts). Callers reach it only through `await
 * import('./sigstore.js')`, so none of them is loaded unless a bundle is verified or a record
 * signed. Bundles follow the Sigstore bundle format (protobuf-specs sigstore_bundle.proto, media
 * type `application/vnd.dev.sigstore.bundle.v0.3+json`); the trust root is a protobuf-specs
 * TrustedRoot, from a file for private instances and tests, else the public-good instance's
 * (through `@sigstore/tuf`). Fulcio, Rekor and the timestamp authority are reached by the
 * libraries' own HTTP client, at the URLs given.
 */
import {
  createPublicKey,
  createHash,
  generateKeyPairSync,
  sign as cryptoSign,
  X509Certificate,
  type KeyObject
} from 'node:crypto'
import { bundleFromJSON, bundleToJSON, type Bundle } from '@sigstore/bundle'
import { TrustedRoot } from '@sigstore/protobuf-specs'
import { Verifier, toSignedEntity, toTrustMaterial, type TrustMaterial } from '@sigstore/verify'
import {
  CIContextProvider,
  DSSEBundleBuilder,
  FulcioSigner,
  RekorWitness,
  TSAWitness,
  type Signature,
  type Signer,
  type Witness
} from '@sigstore/sign'
import type { PolicyKey, SignerId } from './policy.js'
import { DEFAULT_TIMEOUT_MS } from '../limits.js'
import { startUnlessAborted } from '../abort.js'
import { parseEnvelope } from './intoto.js'

/** A trust root ready to verify with, and what messages call it. */
export interface Trust {
  name: string
  material: TrustMaterial
}

/** The public-good instance's TUF repository (`@sigstore/tuf`'s default mirror), as messages name it. */
const PUBLIC_GOOD_TUF = 'https://tuf-repo-cdn.sigstore.dev'

/**
 * The public-good trust root could not be had (offline, blocked egress, the TUF repository down):
 * keyless bundles cannot be checked. The gate reports each keyless bundle as not checked, verify
 * each keyless record; the message says where it was fetched from, why it failed and the way out.
 */
export class TrustUnavailable extends Error {
  constructor(cause: unknown) {
    super(
      `the Sigstore public-good trusted root could not be fetched through TUF from ${PUBLIC_GOOD_TUF} (${causeChain(cause)}): ` +
        'let this machine reach it, or give a trusted_root.json as trusted-root (the CLI: --trusted-root FILE), as for a private instance or offline'
    )
    this.name = 'TrustUnavailable'
  }
}

/** An error and its causes in words (`error refreshing TUF metadata: … ECONNREFUSED …`), at most 300 characters. */
function causeChain(e: unknown): string {
  const words: string[] = []
  for (let c = e, depth = 0; c !== undefined && c !== null && depth < 5; depth++) {
    const text = c instanceof Error ? c.message : String(c)
    if (text && !words.some(w => w.includes(text))) words.push(text)
    c = c instanceof Error ? (c as Error & { cause?: unknown }).cause : undefined
  }
  const all = words.join(': ') || 'no reason given'
  return all.length > 300 ? `${all.slice(0, 299)}…` : all
}

/**
 * The trust root: `trustedRoot.json` parsed (protobuf-specs TrustedRoot JSON), else the public-good
 * instance's, fetched and checked through TUF (`@sigstore/tuf`; needs the network).
 * @throws Error `trusted root NAME: …` when the file is not a TrustedRoot; TrustUnavailable when the
 *   public-good root cannot be fetched
 */
export async function loadTrust(trustedRoot?: { name: string; json: string }): Promise<Trust> {
  if (!trustedRoot) {
    const { publicGoodRoot } = await import('./public-good.js')
    const root = await publicGoodRoot().catch((e: unknown) => {
      throw new TrustUnavailable(e)
    })
    return { name: 'the Sigstore public-good instance', material: toTrustMaterial(root) }
  }
  try {
    const root = TrustedRoot.fromJSON(JSON.parse(trustedRoot.json))
    return { name: `trusted root ${trustedRoot.name}`, material: toTrustMaterial(root) }
  } catch (e) {
    throw new Error(`trusted root ${trustedRoot.name}: ${(e as Error).message}`)
  }
}

/** No trust material: enough for a bundle signed with a public key (the keys come from the policy). */
export const NO_TRUST: Trust = {
  name: 'no trust root',
  material: {
    certificateAuthorities: [],
    timestampAuthorities: [],
    tlogs: [],
    ctlogs: [],
    publicKey: () => {
      throw new Error('no key')
    }
  }
}

/** True when a bundle's JSON names a public key (signed with a key), not a certificate (keyless). */
export function bundleHasPublicKey(json: Buffer): boolean {
  try {
    const b = JSON.parse(json.toString('utf8')) as { verificationMaterial?: { publicKey?: unknown } }
    return b.verificationMaterial?.publicKey !== undefined
  } catch {
    return false
  }
}

/** What a verified bundle said: who signed it and the DSSE payload, when it holds one. */
export interface BundleVerdict {
  signer?: SignerId
  /** why it did not verify (the library's words) */
  problem?: string
  /** the DSSE envelope's payload type and payload (read even when the signature did not verify) */
  payloadType?: string
  payload?: Buffer
}

/** The DSSE payload of a bundle, unverified (for messages and for the subject). */
function payloadOf(bundle: Bundle): Pick<BundleVerdict, 'payloadType' | 'payload'> {
  if (bundle.content.$case !== 'dsseEnvelope') return {}
  const e = bundle.content.dsseEnvelope
  return { payloadType: e.payloadType, payload: e.payload }
}

/** A key-hint finder that always answers `key`, valid at any time. */
function keyFinder(key: KeyObject): (hint: string) => { publicKey: KeyObject; validFor: () => boolean } {
  return () => ({ publicKey: key, validFor: () => true })
}

/** Verifies a bundle signed with a public key against each policy key in turn (no log entry required). */
function verifyWithKeys(bundle: Bundle, trust: Trust, keys: PolicyKey[]): BundleVerdict {
  for (const k of keys) {
    const material = { ...trust.material, publicKey: keyFinder(k.key) }
    try {
      new Verifier(material, { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 0 }).verify(
        toSignedEntity(bundle)
      )
      return { signer: { key: k.name } }
    } catch {
      // the next key
    }
  }
  const names = keys.map(k => k.name).join(', ')
  return {
    problem: keys.length ? `signed by none of the keys ${names}` : 'signed with a key, and no key was given'
  }
}

/**
 * Verifies a Sigstore bundle's signature, certificate chain, transparency-log entries and
 * timestamps against `trust` (keyless: one log entry, one SCT, one timestamp required, as
 * `@sigstore/verify` defaults), or against the policy's keys for a bundle signed with a public key.
 * Identity and issuer are returned, not judged (policy.ts judges them).
 * @param artifact the signed bytes, for a message-signature bundle
 * @returns never throws: a bundle that does not verify has `problem`
 */
export function verifyBundle(
  json: Buffer,
  trust: Trust,
  keys: PolicyKey[],
  artifact?: Buffer
): BundleVerdict {
  let bundle: Bundle
  try {
    bundle = bundleFromJSON(JSON.parse(json.toString('utf8')))
  } catch (e) {
    return { problem: `not a Sigstore bundle (${(e as Error).message})` }
  }
  const payload = payloadOf(bundle)
  if (bundle.verificationMaterial.content.$case === 'publicKey')
    return { ...verifyWithKeys(bundle, trust, keys), ...payload }
  try {
    const signer = new Verifier(trust.material).verify(toSignedEntity(bundle, artifact))
    const identity = signer.identity?.subjectAlternativeName ?? ''
    const issuer = signer.identity?.extensions?.issuer ?? ''
    return { signer: { identity, issuer }, ...payload }
  } catch (e) {
    return { problem: `does not verify against ${trust.name}: ${(e as Error).message}`, ...payload }
  }
}

/** How a record is signed: with a private key (PEM), or keyless with an OIDC token through Fulcio and Rekor. */
export type SigningMethod =
  | { kind: 'key'; key: KeyObject }
  | {
      kind: 'keyless'
      /** the OIDC identity token (a GitHub Actions token with audience `sigstore`) */
      token: () => Promise<string>
      fulcioURL: string
      rekorURL: string
      /** a timestamp authority as well (GitHub's private instance has one and no Rekor) */
      tsaURL?: string
      /**
       * the Rekor v1 entry kind (default `dsse`, as actions/attest); `intoto` is self-contained
       * (its body carries the payload hash), which a log stand-in that keeps proposed entries
       * as they came needs
       */
      rekorEntryType?: 'dsse' | 'intoto'
      /**
       * ms each Fulcio, Rekor and timestamp-authority request may take (the request timeout,
       * options.ts `timeout`); default limits.ts DEFAULT_TIMEOUT_MS
       */
      timeoutMs?: number
    }

/** The key id cosign and sigstore-go use as a hint: hex SHA-256 of the public key's SPKI DER. */
export function keyHint(key: KeyObject): string {
  return createHash('sha256')
    .update(createPublicKey(key).export({ type: 'spki', format: 'der' }))
    .digest('hex')
}

/** A @sigstore/sign Signer over a private key held in memory (ECDSA/Ed25519 through node:crypto). */
function keySigner(key: KeyObject): Signer {
  const publicKey = createPublicKey(key).export({ type: 'spki', format: 'pem' }).toString()
  const hint = keyHint(key)
  const alg = key.asymmetricKeyType === 'ed25519' ? null : 'sha256'
  return {
    sign: async (data: Buffer) => ({
      signature: cryptoSign(alg, data, key),
      key: { $case: 'publicKey', publicKey, hint }
    })
  }
}

type Keyless = Extract<SigningMethod, { kind: 'keyless' }>

/** ms each Sigstore service request may take: the method's, else the request timeout's default. */
function timeoutOf(method: Keyless): number {
  return method.timeoutMs ?? DEFAULT_TIMEOUT_MS
}

/** `e` and its causes, outermost first (at most 8). */
function causesOf(e: unknown): unknown[] {
  const out: unknown[] = []
  for (let cur = e, i = 0; cur && i < 8; i++, cur = (cur as { cause?: unknown }).cause) out.push(cur)
  return out
}

/**
 * `work`, or a rejection like make-fetch-happen's timeout (`type: 'request-timeout'`, so
 * {@link signingFailure} says `no answer within N s`) once `ms` have passed: the OIDC token
 * endpoint's client (`CIContextProvider`, `core.getIDToken`) takes no timeout of ours.
 */
async function withinBound<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          Object.assign(new Error(`no answer within ${Math.round(ms / 1000)} s`), { type: 'request-timeout' })
        ),
      ms
    )
  })
  try {
    return await Promise.race([work, late])
  } finally {
    clearTimeout(timer)
  }
}

/** A certificate is used while it has this long left (ms); else Fulcio is asked for another. */
const CERT_MARGIN_MS = 60_000

/**
 * Which Sigstore service a keyless signing step failed at, its URL and the cause, from
 * `@sigstore/sign`'s error codes: `Fulcio URL could not issue a signing certificate (cause)`,
 * `Rekor URL could not log the signature (cause)`, `the timestamp authority URL could not
 * timestamp the signature (cause)`; any other error as it is.
 */
function signingFailure(e: unknown, method: Keyless): Error {
  const code = (e as { code?: unknown }).code
  // make-fetch-happen's bound (the `timeout` given): FetchError type `request-timeout`
  const cause = causesOf(e).some(c => (c as { type?: unknown }).type === 'request-timeout')
    ? `no answer within ${Math.round(timeoutOf(method) / 1000)} s`
    : causeChain((e as { cause?: unknown }).cause ?? e)
  if (code === 'CA_CREATE_SIGNING_CERTIFICATE_ERROR')
    return new Error(`Fulcio ${method.fulcioURL} could not issue a signing certificate (${cause})`)
  if (code === 'TLOG_CREATE_ENTRY_ERROR' || code === 'TLOG_FETCH_ENTRY_ERROR')
    return new Error(`Rekor ${method.rekorURL} could not log the signature (${cause})`)
  if (code === 'TSA_CREATE_TIMESTAMP_ERROR')
    return new Error(`the timestamp authority ${method.tsaURL} could not timestamp the signature (${cause})`)
  if (code === 'IDENTITY_TOKEN_READ_ERROR')
    return new Error(`keyless signing could not get an OIDC token (${cause})`)
  return e instanceof Error ? e : new Error(String(e))
}

/**
 * Keyless signing whose Fulcio certificate can be had before it is used: {@link certify} asks
 * Fulcio for a certificate of an ephemeral P-256 key (as `@sigstore/sign`'s FulcioSigner, whose
 * key holder it is) for the token's identity; {@link sign} signs with that key and certificate
 * while the certificate has a minute left (Fulcio's live 10 minutes), else asks for another. A
 * promotion certifies before any write, so a Fulcio that cannot issue one refuses it with nothing
 * written, and a copy that outlives the certificate is signed under a fresh one.
 */
export class KeylessSigner implements Signer {
  private readonly key = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  private readonly fulcio: FulcioSigner
  private cert?: { pem: string; notAfter: number }

  constructor(
    private readonly method: Keyless,
    private readonly now: () => number = Date.now
  ) {
    const publicKey = this.key.publicKey.export({ format: 'pem', type: 'spki' }).toString('ascii')
    const keyHolder: Signer = {
      sign: async (data: Buffer) => ({
        signature: cryptoSign('sha256', data, this.key.privateKey),
        key: { $case: 'publicKey', publicKey }
      })
    }
    this.fulcio = new FulcioSigner({
      identityProvider: { getToken: async () => await withinBound(method.token(), timeoutOf(method)) },
      fulcioBaseURL: method.fulcioURL,
      keyHolder,
      retry: 0,
      timeout: timeoutOf(method)
    })
  }

  /**
   * Asks Fulcio for a certificate of this signer's key for the token's identity (one OIDC token,
   * one request, bounded by the method's `timeoutMs`), kept for {@link sign}.
   * @param signal the run's interruption: the wait ends when it aborts (the request is left to its bound)
   * @throws Error `Fulcio URL could not issue a signing certificate (cause)` ({@link signingFailure};
   *   `(no answer within N s)` past the bound); `signal.reason` when it aborted
   */
  async certify(signal?: AbortSignal): Promise<void> {
    let signed: Signature
    try {
      signed = await startUnlessAborted(() => this.fulcio.sign(Buffer.alloc(0)), signal)
    } catch (e) {
      if (signal?.aborted && e === signal.reason) throw e
      throw signingFailure(e, this.method)
    }
    if (signed.key.$case !== 'x509Certificate')
      throw new Error(`Fulcio ${this.method.fulcioURL} answered with no certificate`)
    const pem = signed.key.certificate
    this.cert = { pem, notAfter: Date.parse(new X509Certificate(pem).validTo) }
  }

  /** Signs `data` with the key under its certificate ({@link certify} first when it has under a minute left). */
  async sign(data: Buffer): Promise<Signature> {
    if (!this.cert || this.cert.notAfter - this.now() < CERT_MARGIN_MS) await this.certify()
    return {
      signature: cryptoSign('sha256', data, this.key.privateKey),
      key: { $case: 'x509Certificate', certificate: (this.cert as { pem: string }).pem }
    }
  }
}

/**
 * Signs `payload` (an in-toto statement) into a DSSE Sigstore bundle v0.3 (JSON bytes). Key:
 * no log entry (as `cosign attest --tlog-upload=false`). Keyless: a Fulcio certificate for the
 * token's identity (`certified`'s when given, see {@link KeylessSigner}), a Rekor entry, and a
 * timestamp when `tsaURL` is set. Each service request is bounded by the method's `timeoutMs`.
 * @param signal the run's interruption: the wait ends when it aborts (the requests are left to their bound)
 * @throws Error naming the service that failed, its URL and the cause ({@link signingFailure});
 *   `signal.reason` when it aborted
 */
export async function signStatement(
  payload: Buffer,
  payloadType: string,
  method: SigningMethod,
  certified?: KeylessSigner,
  signal?: AbortSignal
): Promise<Buffer> {
  let signer: Signer
  const witnesses: Witness[] = []
  if (method.kind === 'key') signer = keySigner(method.key)
  else {
    signer = certified ?? new KeylessSigner(method)
    witnesses.push(
      new RekorWitness({
        rekorBaseURL: method.rekorURL,
        entryType: method.rekorEntryType ?? 'dsse',
        retry: 0,
        timeout: timeoutOf(method)
      })
    )
    if (method.tsaURL)
      witnesses.push(new TSAWitness({ tsaBaseURL: method.tsaURL, retry: 0, timeout: timeoutOf(method) }))
  }
  const bundle = await startUnlessAborted(
    () => new DSSEBundleBuilder({ signer, witnesses }).create({ data: payload, type: payloadType }),
    signal
  ).catch((e: unknown) => {
    if (signal?.aborted && e === signal.reason) throw e
    throw method.kind === 'keyless' ? signingFailure(e, method) : e
  })
  return Buffer.from(JSON.stringify(bundleToJSON(bundle)))
}

/** The DSSE envelope inside a bundle's JSON, parsed without verification (to read a record). */
export function envelopeOfBundle(json: Buffer, what: string): ReturnType<typeof parseEnvelope> {
  const b = JSON.parse(json.toString('utf8')) as { dsseEnvelope?: unknown }
  return parseEnvelope(Buffer.from(JSON.stringify(b.dsseEnvelope ?? {})), what)
}

/**
 * The CI's OIDC identity token for Sigstore (audience `sigstore`), as `@sigstore/sign`'s
 * CIContextProvider finds it: GitHub Actions' token endpoint (`ACTIONS_ID_TOKEN_REQUEST_URL` and
 * `…_TOKEN`, present with `permissions: id-token: write`), else `SIGSTORE_ID_TOKEN`.
 * @throws Error saying how to provide one
 */
export async function ciToken(): Promise<string> {
  try {
    return await new CIContextProvider('sigstore').getToken()
  } catch {
    throw new Error(
      'keyless signing needs an OIDC token: in GitHub Actions grant the job `permissions: id-token: write`; elsewhere set SIGSTORE_ID_TOKEN'
    )
  }
}

/** cosign's legacy keyless annotations on a `.sig` layer (cosign SIGNATURE_SPEC.md). */
export interface CosignKeyless {
  /** `dev.sigstore.cosign/certificate`: the PEM signing certificate */
  certificate: string
  /** `dev.sigstore.cosign/bundle`: `{SignedEntryTimestamp, Payload: {body, integratedTime, logIndex, logID}}` */
  rekorBundle?: string
  /** `dev.cosignproject.cosign/signature`: base64 */
  signature: string
}

/** DER bytes of the first PEM certificate in `pem`. */
function pemToDer(pem: string): Buffer {
  const m = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/.exec(pem)
  if (!m) throw new Error('the certificate annotation is not a PEM certificate')
  return Buffer.from(m[1].replace(/\s+/g, ''), 'base64')
}

/**
 * A cosign v2 keyless signature (certificate + Rekor SET in the layer's annotations) as the Sigstore
 * bundle v0.1 it is equivalent to (a message signature over the payload, the certificate, the log
 * entry with its inclusion promise), so that `@sigstore/verify` checks it like any bundle.
 * @throws Error when the certificate or the Rekor bundle cannot be read
 */
export function cosignKeylessBundle(k: CosignKeyless, payload: Buffer): Buffer {
  const tlogEntries: object[] = []
  if (k.rekorBundle) {
    const rb = JSON.parse(k.rekorBundle) as {
      SignedEntryTimestamp: string
      Payload: { body: string; integratedTime: number; logIndex: number; logID: string }
    }
    const body = JSON.parse(Buffer.from(rb.Payload.body, 'base64').toString('utf8')) as {
      kind: string
      apiVersion: string
    }
    tlogEntries.push({
      logIndex: String(rb.Payload.logIndex),
      logId: { keyId: Buffer.from(rb.Payload.logID, 'hex').toString('base64') },
      kindVersion: { kind: body.kind, version: body.apiVersion },
      integratedTime: String(rb.Payload.integratedTime),
      inclusionPromise: { signedEntryTimestamp: rb.SignedEntryTimestamp },
      canonicalizedBody: rb.Payload.body
    })
  }
  const digest = createHash('sha256').update(payload).digest('base64')
  return Buffer.from(
    JSON.stringify({
      mediaType: 'application/vnd.dev.sigstore.bundle+json;version=0.1',
      verificationMaterial: {
        x509CertificateChain: { certificates: [{ rawBytes: pemToDer(k.certificate).toString('base64') }] },
        tlogEntries,
        timestampVerificationData: { rfc3161Timestamps: [] }
      },
      messageSignature: { messageDigest: { algorithm: 'SHA2_256', digest }, signature: k.signature }
    })
  )
}
