/**
 * in-toto statements in DSSE envelopes, as data (no I/O, no key handling beyond node:crypto's
 * verify): the DSSE pre-authentication encoding (secure-systems-lab/dsse protocol.md "Signature
 * definition": `PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body`, lengths in
 * bytes as ASCII decimal), the envelope's JSON form (envelope.md: `payloadType`, base64 `payload`,
 * `signatures[].sig`), and the in-toto Statement v1 layer (in-toto attestation spec
 * statement.md: `_type`, `subject[].digest`, `predicateType`, `predicate`; v0.1 statements read
 * the same way).
 */
import { verify, type KeyObject } from 'node:crypto'

/** The payload type of an in-toto statement in a DSSE envelope. */
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json'
/** `_type` of an in-toto Statement v1. */
export const STATEMENT_V1 = 'https://in-toto.io/Statement/v1'
/** `_type` of the older Statement v0.1 (BuildKit and cosign still write it). */
export const STATEMENT_V01 = 'https://in-toto.io/Statement/v0.1'

/** A DSSE envelope (envelope.md), the payload decoded. */
export interface Envelope {
  payloadType: string
  payload: Buffer
  signatures: Array<{ keyid?: string; sig: Buffer }>
}

/** An in-toto statement: who it is about (subject digests by algorithm), its predicate. */
export interface Statement {
  _type: string
  subject: Array<{ name?: string; digest: Record<string, string> }>
  predicateType: string
  predicate: Record<string, unknown>
}

/** The bytes DSSE signs: `DSSEv1 <len(type)> <type> <len(body)> <body>` (protocol.md). */
export function pae(payloadType: string, payload: Buffer): Buffer {
  const type = Buffer.from(payloadType, 'utf8')
  return Buffer.concat([
    Buffer.from(`DSSEv1 ${type.length} `),
    type,
    Buffer.from(` ${payload.length} `),
    payload
  ])
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

/**
 * Parses a DSSE envelope's JSON (`payload` and each `sig` base64, standard or URL-safe).
 * @param what names the envelope in messages (`cosign tag sha256-….att layer 0`)
 * @throws Error `WHAT is not a DSSE envelope (…)` when a field is missing or of the wrong type
 */
export function parseEnvelope(bytes: Buffer, what: string): Envelope {
  let json: unknown
  try {
    json = JSON.parse(bytes.toString('utf8'))
  } catch (e) {
    throw new Error(`${what} is not a DSSE envelope (not JSON: ${(e as Error).message})`)
  }
  if (!isObject(json) || typeof json.payloadType !== 'string' || typeof json.payload !== 'string')
    throw new Error(`${what} is not a DSSE envelope (payloadType and payload must be strings)`)
  const sigs = Array.isArray(json.signatures) ? json.signatures : []
  const signatures = sigs
    .filter(isObject)
    .flatMap(s =>
      typeof s.sig === 'string'
        ? [{ ...(typeof s.keyid === 'string' ? { keyid: s.keyid } : {}), sig: Buffer.from(s.sig, 'base64') }]
        : []
    )
  return { payloadType: json.payloadType, payload: Buffer.from(json.payload, 'base64'), signatures }
}

/**
 * True when one of the envelope's signatures verifies with `key` over PAE (ECDSA signatures are
 * DER, as cosign and sigstore write them; the hash is SHA-256).
 */
export function envelopeSignedBy(envelope: Envelope, key: KeyObject): boolean {
  const data = pae(envelope.payloadType, envelope.payload)
  return envelope.signatures.some(s => {
    try {
      return verify('sha256', data, key, s.sig)
    } catch {
      return false
    }
  })
}

/**
 * Parses an in-toto statement (v1 or v0.1).
 * @param what names it in messages
 * @throws Error `WHAT is not an in-toto statement (…)` naming the missing field
 */
export function parseStatement(bytes: Buffer, what: string): Statement {
  let json: unknown
  try {
    json = JSON.parse(bytes.toString('utf8'))
  } catch (e) {
    throw new Error(`${what} is not an in-toto statement (not JSON: ${(e as Error).message})`)
  }
  if (!isObject(json)) throw new Error(`${what} is not an in-toto statement (not a JSON object)`)
  if (json._type !== STATEMENT_V1 && json._type !== STATEMENT_V01)
    throw new Error(`${what} is not an in-toto statement (_type is ${JSON.stringify(json._type)})`)
  if (typeof json.predicateType !== 'string')
    throw new Error(`${what} is not an in-toto statement (predicateType is missing)`)
  const subject = (Array.isArray(json.subject) ? json.subject : []).filter(isObject).flatMap(s =>
    isObject(s.digest)
      ? [
          {
            ...(typeof s.name === 'string' ? { name: s.name } : {}),
            digest: Object.fromEntries(
              Object.entries(s.digest).filter((e): e is [string, string] => typeof e[1] === 'string')
            )
          }
        ]
      : []
  )
  const predicate = isObject(json.predicate) ? json.predicate : {}
  return { _type: json._type, subject, predicateType: json.predicateType, predicate }
}

/** True when one of the statement's subjects names `digest` (`sha256:<hex>` against `{sha256: hex}`). */
export function statementIsAbout(statement: Statement, digest: string): boolean {
  const [alg, hex] = digest.split(':')
  return statement.subject.some(s => s.digest[alg]?.toLowerCase() === hex)
}
