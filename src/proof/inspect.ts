/**
 * What `promote-image verify REF` reports about an image at any registry: the gate's checks under
 * the given policy (gate.ts), and each promotion record among its referrers (record.ts), its
 * signature verified against the policy's keys or trust root: who promoted it, from where, to
 * where, when, and what it was verified against.
 */
import type { RegistryApi, Repository } from '../registry/api.js'
import { listAtSource } from '../referrers/discovery.js'
import { readSmallBlob } from '../registry/small-blob.js'
import { SIGSTORE_BUNDLE_V03 } from './evidence.js'
import { runGate } from './gate.js'
import { PROMOTION_PREDICATE_TYPE, type PromotionPredicate } from './record.js'
import { parseStatement, statementIsAbout } from './intoto.js'
import { signerText, type GateReport, type SignerId, type VerifyPolicy } from './policy.js'
import type { Trust } from './sigstore.js'

/** One promotion record found. */
export interface RecordView {
  /** the record manifest's digest */
  digest: string
  /** `referrers API` or `fallback tag` */
  listedBy: string
  /** who signed it, when the signature verified */
  signer?: SignerId
  /** what it was verified against (`key cosign.pub`, `trusted root FILE`), or why it was not */
  verification: string
  /** the predicate (read even when the signature did not verify: `verified` says which) */
  predicate?: PromotionPredicate
  verified: boolean
  /**
   * not checked (not a failure): signed with a key and no key was given, or keyless and the
   * public-good trusted root could not be fetched (offline); `verification` says which and the way out
   */
  unchecked?: true
}

/** What verify found for one image. */
export interface VerifyReport {
  reference: string
  digest: string
  /** the gate's checks; absent when no policy was given */
  gate?: GateReport
  records: RecordView[]
  /**
   * `verify --records` given a key or identity found no record to check against it: the failure in
   * words (`no promotion record of sha256:… to check against key cosign.pub`); absent otherwise
   */
  noRecord?: string
}

/** Verifies one record's bundle: a key bundle against the policy's keys, a keyless one against the trust root. */
async function viewOf(
  bundle: Buffer,
  subject: string,
  digest: string,
  listedBy: string,
  policy: VerifyPolicy | undefined,
  trust: () => Promise<Trust>
): Promise<RecordView> {
  const s = await import('./sigstore.js')
  const keyed = s.bundleHasPublicKey(bundle)
  const keys = policy?.keys ?? []
  // offline (the public-good root cannot be fetched): the record is read, listed as not checked,
  // and the listing goes on (newuser4 #9)
  let offline: string | undefined
  const against = keyed
    ? s.NO_TRUST
    : await trust().catch((e: unknown) => {
        if (!(e instanceof s.TrustUnavailable)) throw e
        offline = `not checked: a keyless record, and ${e.message}`
        return s.NO_TRUST
      })
  const v = s.verifyBundle(bundle, against, keys)
  let predicate: PromotionPredicate | undefined
  let about = false
  if (v.payload) {
    const st = parseStatement(v.payload, `record ${digest}`)
    about = statementIsAbout(st, subject)
    if (st.predicateType === PROMOTION_PREDICATE_TYPE)
      predicate = st.predicate as unknown as PromotionPredicate
  }
  if (v.signer && !about)
    return {
      digest,
      listedBy,
      verification: `NOT verified: its statement is not about ${subject}`,
      verified: false
    }
  // a key-signed record and no key to check it against: nothing failed, nothing was checked
  const unchecked = (keyed && !keys.length && !v.signer) || offline !== undefined
  const verification =
    offline ??
    (v.signer
      ? `verified against ${keyed ? signerText(v.signer) : against.name}`
      : unchecked
        ? 'not checked: signed with a key, and no public key was given to check it against (give --verify-key FILE to check it; with --records, the records alone are checked)'
        : `NOT verified: ${v.problem}`)
  return {
    digest,
    listedBy,
    ...(v.signer ? { signer: v.signer } : {}),
    verification,
    ...(predicate ? { predicate } : {}),
    verified: !!v.signer,
    ...(unchecked ? { unchecked: true as const } : {})
  }
}

/**
 * The promotion records among `digest`'s referrers at `repo` (the API, else the fallback tag).
 * @throws RegistryError from the client; Error for an unreadable trust root
 */
export async function readRecords(
  api: RegistryApi,
  repo: Repository,
  digest: string,
  policy?: VerifyPolicy
): Promise<RecordView[]> {
  const listed = await listAtSource(api, repo, digest, {
    api: true,
    cosign: false,
    types: new Set([SIGSTORE_BUNDLE_V03])
  })
  let trust: Promise<Trust> | undefined
  const loadTrust = (): Promise<Trust> =>
    (trust ??= import('./sigstore.js').then(s => s.loadTrust(policy?.trustedRoot)))
  const out: RecordView[] = []
  for (const e of listed?.entries ?? []) {
    if (e.annotations?.['dev.sigstore.bundle.predicateType'] !== PROMOTION_PREDICATE_TYPE) continue
    const m = await api.getManifest(repo, e.digest)
    const layer = m?.json.layers?.[0]
    if (!layer || m?.json.subject?.digest !== digest) continue
    const bundle = await readSmallBlob(api, repo, layer)
    const view = await viewOf(
      bundle,
      digest,
      e.digest,
      listed?.via === 'api' ? 'referrers API' : 'fallback tag',
      policy,
      loadTrust
    )
    out.push(view)
  }
  return out
}

/**
 * verify's whole report for `reference` at `repo`: its digest, the gate (when a policy is given)
 * and its promotion records, verified against `recordPolicy`'s keys and trusted root (default
 * `policy`; a policy without requirements names only a trusted root).
 * @throws Error when the reference does not exist; RegistryError from the client
 */
export async function verifyImage(
  api: RegistryApi,
  repo: Repository,
  reference: string,
  shown: string,
  policy?: VerifyPolicy,
  recordPolicy: VerifyPolicy | undefined = policy
): Promise<VerifyReport> {
  const root = await api.getManifest(repo, reference, { allowMissing: true })
  if (!root) throw new Error(`${shown} does not exist`)
  const [gate, records] = await Promise.all([
    policy ? runGate(api, repo, root.digest, policy, root) : Promise.resolve(undefined),
    readRecords(api, repo, root.digest, recordPolicy)
  ])
  return { reference: shown, digest: root.digest, ...(gate ? { gate } : {}), records }
}
