/**
 * cosign's key-based signatures as cosign writes them (sigstore/cosign specs/SIGNATURE_SPEC.md):
 * a manifest under the tag `sha256-<hex>.sig` whose layers are simple-signing payloads
 * (`application/vnd.dev.cosign.simplesigning.v1+json`, containers-signature(5) "JSON data format")
 * each with its base64 ECDSA-P256/SHA-256 DER signature in the layer annotation
 * `dev.cosignproject.cosign/signature`; and cosign's attestations under `sha256-<hex>.att`, DSSE
 * envelopes (`application/vnd.dsse.envelope.v1+json`) holding in-toto statements. Pure: the caller
 * fetches the payloads; keys are node:crypto KeyObjects.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto'

/** The media type of a simple-signing payload layer. */
export const SIMPLE_SIGNING = 'application/vnd.dev.cosign.simplesigning.v1+json'
/** The media type of a DSSE envelope layer (cosign attestations). */
export const DSSE_ENVELOPE = 'application/vnd.dsse.envelope.v1+json'
/** The layer annotation holding the base64 signature of the payload. */
export const SIGNATURE_ANNOTATION = 'dev.cosignproject.cosign/signature'
/** `critical.type` of a cosign image signature. */
export const COSIGN_SIGNATURE_TYPE = 'cosign container image signature'

/** The fields of a simple-signing payload the gate reads. */
export interface SimpleSigning {
  /** `critical.image.docker-manifest-digest`: the digest signed */
  digest: string
  /** `critical.identity.docker-reference`: where it was signed (informational: the digest binds) */
  dockerReference?: string
  type: string
}

/**
 * A named public key for the gate: PEM (SPKI `PUBLIC KEY`, as `cosign generate-key-pair` writes
 * `cosign.pub`), parsed once.
 */
export interface NamedKey {
  /** what messages call it: the file name given */
  name: string
  key: KeyObject
}

/**
 * Why `text` did not decode as a PEM key of `kind`, in words (never OpenSSL's, never the text):
 * `no -----BEGIN PUBLIC KEY----- block`, or `its -----BEGIN X----- block does not decode as a public key`.
 */
export function pemTrouble(text: string, kind: 'public' | 'private'): string {
  const label = /-----BEGIN ([A-Z0-9 ]{1,40})-----/.exec(text)?.[1]
  if (!label) return `no -----BEGIN ${kind.toUpperCase()} KEY----- block`
  // how a PEM kept in a secret store or a variable loses its line breaks
  const shape = /-----BEGIN [A-Z0-9 ]{1,40}-----\\n/.test(text)
    ? ': it holds the two characters \\n where its line breaks should be; give the PEM with real line breaks'
    : !/-----BEGIN [A-Z0-9 ]{1,40}-----\r?\n/.test(text)
      ? ': it is on one line, its line breaks lost; give the PEM with its line breaks'
      : ''
  return `its -----BEGIN ${label}----- block does not decode as a ${kind} key${shape}`
}

/**
 * Parses a PEM public key.
 * @param name the file name, for messages
 * @throws Error `NAME: not a PEM public key (no -----BEGIN PUBLIC KEY----- block)` (see pemTrouble);
 *   `NAME: holds 2 PEM public keys, …` for a file of several (one would be read)
 */
export function publicKeyOf(pem: string, name: string): NamedKey {
  // only the first block would be read: a key appended for a rotation would be ignored unsaid
  const blocks = pem.match(/-----BEGIN PUBLIC KEY-----/g)?.length ?? 0
  if (blocks > 1)
    throw new Error(
      `${name}: holds ${blocks} PEM public keys, and only one would be read; give each as a verify-key of its own (any one of them then suffices)`
    )
  try {
    const key = createPublicKey(pem)
    return { name, key }
  } catch {
    throw new Error(`${name}: not a PEM public key (${pemTrouble(pem, 'public')})`)
  }
}

/**
 * Reads a simple-signing payload. The digest key is `docker-manifest-digest` (cosign writes it in
 * lower case; the spec's example capitalises it: both are read).
 * @throws Error `simple-signing payload …` when it is not JSON or lacks the digest
 */
export function parseSimpleSigning(bytes: Buffer): SimpleSigning {
  let json: { critical?: Record<string, Record<string, unknown> | string> }
  try {
    json = JSON.parse(bytes.toString('utf8')) as typeof json
  } catch (e) {
    throw new Error(`simple-signing payload is not JSON (${(e as Error).message})`)
  }
  const critical = json?.critical ?? {}
  const image = (critical.image ?? {}) as Record<string, unknown>
  const identity = (critical.identity ?? {}) as Record<string, unknown>
  const digest = image['docker-manifest-digest'] ?? image['Docker-manifest-digest']
  if (typeof digest !== 'string')
    throw new Error('simple-signing payload has no critical.image.docker-manifest-digest')
  const ref = identity['docker-reference']
  return {
    digest,
    ...(typeof ref === 'string' ? { dockerReference: ref } : {}),
    type: typeof critical.type === 'string' ? critical.type : ''
  }
}

/** True when `signatureB64` (base64 DER, as cosign writes it) verifies over `payload` with `key` (SHA-256). */
export function payloadSignedBy(payload: Buffer, signatureB64: string, key: KeyObject): boolean {
  try {
    return verify('sha256', payload, key, Buffer.from(signatureB64, 'base64'))
  } catch {
    return false
  }
}
