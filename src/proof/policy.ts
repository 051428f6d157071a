/**
 * The verification policy and its evaluation, pure: what the gate requires of a digest (a
 * signature by one of the keys or keyless identities; attestations of given predicate types whose
 * fields follow simple rules), and the verdict over what was found and authenticated (gate.ts
 * fetches and authenticates; nothing here does I/O or cryptography). Each verdict says what was
 * checked, what was found and what was wanted. Re-hosting is understood: the digest binds, and a
 * simple-signing `docker-reference` naming another repository (staging) is reported, never refused.
 */
import type { KeyObject } from 'node:crypto'
import type { Statement } from './intoto.js'

/** SLSA provenance v1's predicate type (slsa.dev/spec/v1.0/provenance). */
export const SLSA_PROVENANCE_V1 = 'https://slsa.dev/provenance/v1'
/** SLSA provenance v0.2's predicate type (BuildKit's default before v0.14). */
export const SLSA_PROVENANCE_V02 = 'https://slsa.dev/provenance/v0.2'
/**
 * promote-image's promotion record's predicate type (proof/record.ts writes it). A record says a
 * promotion ran, not that anyone vouched for the image: it never counts as a signature (a policy may
 * require one as an attestation of this type).
 */
export const PROMOTION_PREDICATE_TYPE = 'https://promote-image.dev/promotion/v1'
/**
 * The predicate type of an image signature in cosign 3's bundle format (`cosign sign` with the new
 * bundle format: a DSSE in-toto statement whose subject is the manifest digest). The only in-toto
 * statement that is a signature; every other predicate type is an attestation.
 */
export const COSIGN_SIGN_PREDICATE = 'https://sigstore.dev/cosign/sign/v1'

/** A string wanted exactly, or matched by a regular expression (JavaScript syntax, anchored by the author). */
export type Match = { exact: string } | { regexp: string }

/** A keyless signer: the certificate's subject alternative name and the OIDC issuer (Fulcio extension 1.3.6.1.4.1.57264.1.8). */
export interface IdentityRule {
  subject: Match
  /** undefined: any issuer (cosign requires one; the options require one too) */
  issuer?: Match
}

/** A field of an attestation's predicate and what it must hold (see {@link fieldPaths} for the short names). */
export interface FieldRule {
  /** `builder.id`, `source.repository`, `source.ref`, or a dotted path into the predicate */
  field: string
  want: Match
}

/** An attestation the gate requires: its predicate type and the rules its predicate must follow. */
export interface AttestationRule {
  predicateType: string
  rules: FieldRule[]
}

/** A public key the gate accepts, named for messages (the file name given). */
export interface PolicyKey {
  name: string
  key: KeyObject
}

/**
 * What the gate requires of the source. A signature is required when `keys` or `identities` is
 * non-empty (any one of them suffices, as cosign's `verify` accepts any valid signature).
 * Attestations must come from an accepted signer, or from BuildKit's attestation manifests inside
 * the index: bound by the index's digest when an accepted signer signed the index (or no signer is
 * required), else only by an accepted signer's signature over the attestation manifest itself
 * (proof/gate.ts attestationBindings).
 */
export interface VerifyPolicy {
  keys: PolicyKey[]
  identities: IdentityRule[]
  attestations: AttestationRule[]
  /** the Sigstore trusted root (protobuf-specs TrustedRoot JSON) and its name; undefined: public good */
  trustedRoot?: { name: string; json: string }
  /** `root` (default): the digest promoted; `all`: every child manifest of an index as well */
  scope: 'root' | 'all'
  /**
   * an index the run itself wrote from its children (the merge, issue 21: byte-for-byte children,
   * bytes that follow from theirs) passes the signature check when every platform child passes it;
   * nobody can have signed it yet. Its attestation manifests' statements count only when each
   * attestation manifest is signed (nobody signed the index that lists them)
   */
  childrenSign?: boolean
}

/** Who made a signature that verified: a key of the policy, or a certificate's identity. */
export type SignerId = { key: string } | { identity: string; issuer: string }

/** One signature or attestation found for a digest, after its cryptography was checked. */
export interface Authenticated {
  /** where it was found: `tag sha256-….sig layer 0`, `referrer sha256:…`, `index attestation manifest sha256:…` */
  via: string
  /** the signer when the signature verified; undefined with `problem` */
  signer?: SignerId
  /** why it does not count (`signed by none of the keys cosign.pub`, `certificate chain …`) */
  problem?: string
  /** the digest it signs (a signature) or is about (a statement; `''` when none of its subjects is the digest checked) */
  signs?: string
  /** a simple-signing `docker-reference` (informational) */
  dockerReference?: string
  /** an in-toto statement: an attestation, or cosign 3's signature ({@link COSIGN_SIGN_PREDICATE}) */
  statement?: Statement
  /** found as a promotion record by where it is (its referrer carries the record annotation), whatever its statement says */
  record?: boolean
  /**
   * a BuildKit statement in an attestation manifest of the index: bound by the index's digest, or,
   * when nobody signed the index, by the attestation manifest's own signature (`signer`); counted
   * only without `problem`
   */
  inIndex?: boolean
}

/** The verdict of one check. */
export interface GateCheck {
  /** `signature` or `attestation <predicate type>` */
  check: string
  /** the digest checked */
  digest: string
  /** the platform (`linux/arm64`) when `digest` is a platform child of the index the gate ran on */
  platform?: string
  passed: boolean
  /** what satisfied it, or everything found and why each fell short */
  found: string
  wanted: string
}

/**
 * What a check was about, as every report says it: `signature of sha256:…`, with the platform
 * when the digest is an index's platform child (`signature of sha256:… (linux/arm64)`). Pure.
 */
export function checkSubject(c: GateCheck): string {
  return `${c.check} of ${c.digest}${c.platform ? ` (${c.platform})` : ''}`
}

/** The gate's verdict on one promotion: every check, and the trust root bundles were verified against. */
export interface GateReport {
  passed: boolean
  checks: GateCheck[]
  /** `trusted root FILE` or `the Sigstore public-good instance`; absent when no bundle was verified */
  trustedRoot?: string
}

/** `"x"` for exact, `/x/` for a regexp. */
export function matchText(m: Match): string {
  return 'exact' in m ? JSON.stringify(m.exact) : `/${m.regexp}/`
}

/** True when `value` satisfies `m` (exact equality, or the regexp matches somewhere: anchor it to match whole). */
export function matches(m: Match, value: string | undefined): boolean {
  if (value === undefined) return false
  return 'exact' in m ? value === m.exact : new RegExp(m.regexp).test(value)
}

/** `key cosign.pub`, `identity "…" issued by "…"`. */
export function signerText(s: SignerId): string {
  return 'key' in s
    ? `key ${s.key}`
    : `identity ${JSON.stringify(s.identity)} issued by ${JSON.stringify(s.issuer)}`
}

/** What the policy accepts as a signer, in words. */
export function wantedSigners(p: Pick<VerifyPolicy, 'keys' | 'identities'>): string {
  const keys = p.keys.map(k => `key ${k.name}`)
  const ids = p.identities.map(
    i => `identity ${matchText(i.subject)}${i.issuer ? ` issued by ${matchText(i.issuer)}` : ''}`
  )
  return [...keys, ...ids].join(' or ')
}

/** True when the policy accepts `s`. */
function accepts(p: Pick<VerifyPolicy, 'keys' | 'identities'>, s: SignerId | undefined): boolean {
  if (!s) return false
  if ('key' in s) return p.keys.some(k => k.name === s.key)
  return p.identities.some(i => matches(i.subject, s.identity) && (!i.issuer || matches(i.issuer, s.issuer)))
}

/** One found item in words: where, and who signed it or why it does not count. */
function foundText(a: Authenticated): string {
  const who = a.signer ? `signed by ${signerText(a.signer)}` : (a.problem ?? 'not verified')
  const ref = a.dockerReference
    ? ` (docker-reference ${a.dockerReference}: informational, the digest binds)`
    : ''
  return `${a.via}: ${who}${ref}`
}

/** True for a promotion record: its predicate type ({@link PROMOTION_PREDICATE_TYPE}), or `record` (its annotation). */
const isRecord = (a: Authenticated): boolean =>
  !!a.record || a.statement?.predicateType === PROMOTION_PREDICATE_TYPE

/**
 * True for what is never a signature, whoever signed it: a statement of any predicate type but
 * cosign 3's image signature ({@link COSIGN_SIGN_PREDICATE}), a promotion record whatever its
 * statement says, and BuildKit's in-index statements. `cosign verify` does not accept attestations.
 */
function neverASignature(a: Authenticated): boolean {
  if (a.inIndex || isRecord(a)) return true
  return !!a.statement && a.statement.predicateType !== COSIGN_SIGN_PREDICATE
}

/**
 * An attestation found where a signature was looked for, in words: what it is (a promotion record,
 * or an attestation of its predicate type), who signed it, and that it is not a signature.
 */
function attestationText(a: Authenticated): string {
  const what = isRecord(a) ? 'a promotion record' : 'an attestation'
  const type = a.statement ? ` (${a.statement.predicateType})` : ''
  const who = a.signer ? `, signed by ${signerText(a.signer)}` : a.problem ? ` (${a.problem})` : ''
  return `${a.via}: ${what}${type}${who}, which is not a signature of the image`
}

/** What was found over `digest` that may be a signature of it: never an attestation ({@link neverASignature}). */
function signatureCandidates(digest: string, found: Authenticated[]): Authenticated[] {
  return found.filter(a => !neverASignature(a) && (a.signs === undefined || a.signs === digest))
}

/**
 * The signature over `digest` the policy accepts, first found: a cosign simple-signing payload
 * naming it or a cosign 3 statement of {@link COSIGN_SIGN_PREDICATE} about it, by a signer the
 * policy accepts; never an attestation, a promotion record or an in-index statement, whoever
 * signed it. The one choice of "which item is the signature" ({@link checkSignature} passes on it;
 * proof/gate.ts attestationBindings binds by its signer). Pure.
 * @returns undefined when none is
 */
export function goodSignature(
  p: VerifyPolicy,
  digest: string,
  found: Authenticated[]
): Authenticated | undefined {
  return signatureCandidates(digest, found).find(a => accepts(p, a.signer) && a.signs === digest)
}

/**
 * The signature check of `digest`: passes when a signature over `digest` (a cosign simple-signing
 * payload naming it, or a cosign 3 statement of {@link COSIGN_SIGN_PREDICATE} about it) was made by
 * a signer the policy accepts. Attestations (cosign `.att`, bundles of any other predicate type,
 * BuildKit's in-index statements, promotion records) never pass it, whoever signed them, as
 * `cosign verify` does not accept them: otherwise a promotion with a signing key of an unsigned
 * image would make it pass every later gate. A policy asks for them with `attestations`. A failure
 * that found no signature names each attestation about `digest` and says it is not a signature.
 * @returns undefined when the policy requires no signature
 */
export function checkSignature(
  p: VerifyPolicy,
  digest: string,
  found: Authenticated[]
): GateCheck | undefined {
  if (!p.keys.length && !p.identities.length) return undefined
  const wanted = `a signature over ${digest} by ${wantedSigners(p)}`
  const about = signatureCandidates(digest, found)
  const good = goodSignature(p, digest, found)
  if (good) return { check: 'signature', digest, passed: true, found: foundText(good), wanted }
  const text = about.map(a =>
    a.signer && !accepts(p, a.signer) ? `${a.via}: signed by ${signerText(a.signer)}` : foundText(a)
  )
  if (!text.length)
    text.push(
      ...found.filter(a => !a.inIndex && neverASignature(a) && a.signs === digest).map(attestationText)
    )
  return { check: 'signature', digest, passed: false, found: text.join('; ') || 'no signature', wanted }
}

/** The predicate paths a short field name reads, first found wins (SLSA v1, then v0.2). */
export const FIELD_PATHS: Readonly<Record<string, string[]>> = {
  'builder.id': ['runDetails.builder.id', 'builder.id'],
  'source.repository': [
    'buildDefinition.externalParameters.workflow.repository',
    'buildDefinition.externalParameters.configSource.uri',
    'invocation.configSource.uri'
  ],
  'source.ref': ['buildDefinition.externalParameters.workflow.ref', 'invocation.configSource.entryPoint']
}

/** The predicate paths `field` stands for: its {@link FIELD_PATHS} entry, else itself. */
export function fieldPaths(field: string): string[] {
  return FIELD_PATHS[field] ?? [field]
}

/** The value at a dotted path of `obj`, when it is a string, number or boolean (as text). */
function valueAt(obj: unknown, path: string): string | undefined {
  let v: unknown = obj
  for (const part of path.split('.')) {
    if (typeof v !== 'object' || v === null) return undefined
    v = (v as Record<string, unknown>)[part]
  }
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined
}

/**
 * The first rule `statement`'s predicate breaks, in words (`field builder.id
 * (runDetails.builder.id) is "x", wanted "y"`), or undefined when it follows every rule.
 */
export function brokenRule(statement: Statement, rules: FieldRule[]): string | undefined {
  for (const r of rules) {
    const paths = fieldPaths(r.field)
    const path = paths.find(p => valueAt(statement.predicate, p) !== undefined) ?? paths[0]
    const value = valueAt(statement.predicate, path)
    if (matches(r.want, value)) continue
    const name = path === r.field ? r.field : `${r.field} (${path})`
    const got = value === undefined ? 'absent' : `is ${JSON.stringify(value)}`
    return `field ${name} ${got}, wanted ${matchText(r.want)}`
  }
  return undefined
}

/** How the `found` of an attestation check with no statement of its type starts. */
export const NO_ATTESTATION = 'no attestation of type'

/** `no attestation of type T` (with the types that were found), for a failed check. */
function missingText(type: string, statements: Authenticated[]): string {
  const types = [...new Set(statements.map(a => a.statement?.predicateType))].filter(Boolean)
  return `${NO_ATTESTATION} ${type}${types.length ? ` (found: ${types.join(', ')})` : ''}`
}

/** What makes a counted statement count, in words: its signer, or for one in the index what binds it. */
function boundText(a: Authenticated): string {
  if (!a.inIndex) return `signed by ${signerText(a.signer as SignerId)}`
  return a.signer ? `attestation manifest signed by ${signerText(a.signer)}` : 'bound by the index digest'
}

/**
 * The check of one required attestation on `digest`: passes when a statement of the rule's
 * predicate type, about `digest`, from an accepted signer or in the index (`inIndex`) and not
 * refused there (its `problem`: neither the index nor its attestation manifest signed), follows
 * every field rule. A failure lists each candidate and the first rule it broke.
 */
export function checkAttestation(
  p: VerifyPolicy,
  rule: AttestationRule,
  digest: string,
  found: Authenticated[]
): GateCheck {
  const check = `attestation ${rule.predicateType}`
  const rules = rule.rules.map(r => `${r.field} ${matchText(r.want)}`)
  const signers = p.keys.length || p.identities.length ? ` by ${wantedSigners(p)}` : ''
  const wanted = `${check} about ${digest}${signers || ' in the index'}${rules.length ? ` with ${rules.join(', ')}` : ''}`
  const statements = found.filter(a => a.statement && (a.inIndex || a.signs === digest))
  const typed = statements.filter(a => a.statement?.predicateType === rule.predicateType)
  // in the index: bound by the index's digest, or by the attestation manifest's signature (signer)
  const trusted = typed.filter(a => (a.inIndex ? !a.problem : accepts(p, a.signer)))
  for (const a of trusted)
    if (!brokenRule(a.statement as Statement, rule.rules))
      return { check, digest, passed: true, found: `${a.via}: ${boundText(a)}`, wanted }
  const text = typed.map(a =>
    trusted.includes(a)
      ? `${a.via}: ${brokenRule(a.statement as Statement, rule.rules)}`
      : `${a.via}: ${a.signer ? `signed by ${signerText(a.signer)}` : (a.problem ?? 'not verified')}`
  )
  return {
    check,
    digest,
    passed: false,
    found: text.length ? text.join('; ') : missingText(rule.predicateType, statements),
    wanted
  }
}

/** Every check of the policy on one digest, in order: the signature, then each attestation. */
export function evaluate(p: VerifyPolicy, digest: string, found: Authenticated[]): GateCheck[] {
  const sig = checkSignature(p, digest, found)
  return [...(sig ? [sig] : []), ...p.attestations.map(r => checkAttestation(p, r, digest, found))]
}
