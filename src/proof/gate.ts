/**
 * The verification gate: what the source holds for a digest (evidence.ts), each signature's
 * cryptography checked (cosign key signatures and DSSE envelopes with node:crypto; Sigstore
 * bundles with `@sigstore/verify`, loaded only when a bundle is met), then the policy's verdicts
 * (policy.ts). Runs before any write of a promotion: a failure throws {@link GateError} naming,
 * for each check, what was checked, what was found and what was wanted.
 */
import type { RegistryApi, Repository } from '../registry/api.js'
import {
  childDescriptors,
  formatPlatform,
  isIndex,
  runtimeSelectable,
  type Manifest
} from '../oci/manifest.js'
import { isAttestationManifest } from '../referrers/discovery.js'
import { parseSimpleSigning, payloadSignedBy } from './cosign.js'
import {
  envelopeSignedBy,
  parseEnvelope,
  parseStatement,
  statementIsAbout,
  IN_TOTO_PAYLOAD_TYPE
} from './intoto.js'
import {
  goodSignature,
  checkAttestation,
  checkSignature,
  checkSubject,
  evaluate,
  type Authenticated,
  type SignerId,
  type GateCheck,
  type GateReport,
  type VerifyPolicy,
  NO_ATTESTATION
} from './policy.js'
import { findEvidence, inIndexFound, type Found } from './evidence.js'
import type { Trust } from './sigstore.js'
import { RECORD_IDENTITY } from './record.js'

export type { GateCheck, GateReport, VerifyPolicy } from './policy.js'

/**
 * The plan the gate ran inside, as the gate sees it: its report in `gate`. The copy engine's
 * PromotePlan (copy/plan.ts) is one; the edges read the whole plan back from {@link GateError.plan}
 * to print it, so proof/ needs no type of copy/.
 */
export interface GatedPlan {
  gate?: GateReport
}

/** The gate refused the source: nothing was written at any target. */
export class GateError extends Error {
  /**
   * @param what the source (`registry/repository@sha256:…`)
   * @param plan the promotion's plan, when the gate ran inside one (its `gate` set)
   */
  constructor(
    readonly what: string,
    readonly report: GateReport,
    readonly plan?: GatedPlan
  ) {
    const failed = report.checks.filter(c => !c.passed)
    const lines = failed.map(c => `${checkSubject(c)}: found ${c.found}; wanted ${c.wanted}`)
    super(`verification of ${what} failed; nothing was written at any target:\n  ${lines.join('\n  ')}`)
    this.name = 'GateError'
  }
}

/** Loads the trust root on first use (a bundle met), once per gate run. */
class TrustOnce {
  private trust?: Promise<Trust>
  constructor(private readonly policy: VerifyPolicy) {}
  get loaded(): Promise<Trust> | undefined {
    return this.trust
  }
  get(): Promise<Trust> {
    this.trust ??= import('./sigstore.js').then(s => s.loadTrust(this.policy.trustedRoot))
    return this.trust
  }
}

/**
 * The trust root, or, when the public-good one cannot be fetched (sigstore.ts TrustUnavailable), why
 * as a keyless bundle's problem (`not checked: the Sigstore public-good trusted root could not be
 * fetched …`): the check fails naming the bundle and the way out, and a key signature still counts.
 * @throws Error for a trusted root file that is not one (an input error, not an outage)
 */
async function trustOr(
  trust: TrustOnce,
  s: typeof import('./sigstore.js')
): Promise<Trust | { problem: string }> {
  try {
    return await trust.get()
  } catch (e) {
    if (e instanceof s.TrustUnavailable) return { problem: `not checked: ${e.message}` }
    throw e
  }
}

/** A cosign `.sig` layer: the digest it signs and the first policy key its signature verifies with. */
function simpleSigning(p: VerifyPolicy, f: Extract<Found, { kind: 'simple-signing' }>): Authenticated {
  try {
    const s = parseSimpleSigning(f.payload)
    const key = p.keys.find(k => payloadSignedBy(f.payload, f.signature, k.key))
    const ref = s.dockerReference ? { dockerReference: s.dockerReference } : {}
    if (key) return { via: f.via, signer: { key: key.name }, signs: s.digest, ...ref }
    const problem = p.keys.length
      ? `signed by none of the keys ${p.keys.map(k => k.name).join(', ')}`
      : 'a cosign key signature, and no key was given'
    return { via: f.via, problem, signs: s.digest, ...ref }
  } catch (e) {
    return { via: f.via, problem: (e as Error).message }
  }
}

/** A cosign v2 keyless `.sig` layer, verified as the bundle it is equivalent to (only when the policy names identities). */
async function cosignKeyless(
  p: VerifyPolicy,
  f: Extract<Found, { kind: 'simple-signing' }>,
  trust: TrustOnce
): Promise<Authenticated> {
  let s: ReturnType<typeof parseSimpleSigning>
  try {
    s = parseSimpleSigning(f.payload)
  } catch (e) {
    return { via: f.via, problem: (e as Error).message }
  }
  const ref = s.dockerReference ? { dockerReference: s.dockerReference } : {}
  if (!p.identities.length)
    return {
      via: f.via,
      problem: 'a keyless cosign signature, and no identity was given',
      signs: s.digest,
      ...ref
    }
  const sig = await import('./sigstore.js')
  const material = {
    certificate: f.certificate as string,
    signature: f.signature,
    ...(f.rekorBundle ? { rekorBundle: f.rekorBundle } : {})
  }
  let bundle: Buffer
  try {
    bundle = sig.cosignKeylessBundle(material, f.payload)
  } catch (e) {
    return { via: f.via, problem: (e as Error).message, signs: s.digest, ...ref }
  }
  const trusted = await trustOr(trust, sig)
  if ('problem' in trusted) return { via: f.via, problem: trusted.problem, signs: s.digest, ...ref }
  const v = sig.verifyBundle(bundle, trusted, [], f.payload)
  return {
    via: f.via,
    ...(v.signer ? { signer: v.signer } : { problem: v.problem }),
    signs: s.digest,
    ...ref
  }
}

/** The statement of a DSSE payload about `digest` (or the problem reading it); policy.ts judges whether it is a signature. */
function statementOf(
  via: string,
  payloadType: string | undefined,
  payload: Buffer | undefined,
  digest: string
): Pick<Authenticated, 'statement' | 'signs' | 'problem'> {
  if (payloadType !== IN_TOTO_PAYLOAD_TYPE || !payload) return {}
  try {
    const statement = parseStatement(payload, via)
    return { statement, ...(statementIsAbout(statement, digest) ? { signs: digest } : { signs: '' }) }
  } catch (e) {
    return { problem: (e as Error).message }
  }
}

/** A cosign `.att` layer: its statement and the first policy key its envelope verifies with. */
function cosignAttestation(
  p: VerifyPolicy,
  f: Extract<Found, { kind: 'dsse' }>,
  digest: string
): Authenticated {
  try {
    const env = parseEnvelope(f.envelope, f.via)
    const key = p.keys.find(k => envelopeSignedBy(env, k.key))
    const about = statementOf(f.via, env.payloadType, env.payload, digest)
    if (key) return { via: f.via, signer: { key: key.name }, ...about }
    return {
      via: f.via,
      problem: `signed by none of the keys ${p.keys.map(k => k.name).join(', ')}`,
      ...about
    }
  } catch (e) {
    return { via: f.via, problem: (e as Error).message }
  }
}

/** A Sigstore bundle referrer, verified (keyless only when the policy names identities: no trust root is fetched otherwise). */
async function bundle(
  p: VerifyPolicy,
  f: Extract<Found, { kind: 'bundle' }>,
  digest: string,
  trust: TrustOnce
): Promise<Authenticated> {
  const s = await import('./sigstore.js')
  const keyed = s.bundleHasPublicKey(f.bundle)
  if (!keyed && !p.identities.length)
    return { via: f.via, problem: 'a keyless Sigstore bundle, and no identity was given', signs: '' }
  const trusted = keyed ? s.NO_TRUST : await trustOr(trust, s)
  // not checked (no trust root to be had): read unverified only to tell an attestation from a signature
  const v = s.verifyBundle(f.bundle, 'problem' in trusted ? s.NO_TRUST : trusted, p.keys)
  // a referrer with the record annotation is a record, never a signature (policy.ts neverASignature)
  const record = f.annotations[RECORD_IDENTITY] !== undefined
  const about = statementOf(f.via, v.payloadType, v.payload, digest)
  if ('problem' in trusted)
    return { via: f.via, ...about, problem: trusted.problem, ...(record ? { record } : {}) }
  return {
    via: f.via,
    ...(v.signer ? { signer: v.signer } : { problem: v.problem }),
    ...about,
    ...(record ? { record } : {})
  }
}

/**
 * What binds each attestation manifest of an index the policy's signers did not sign: the signer
 * of the attestation manifest's own digest, or why its statements do not count
 * ({@link attestationBindings}). Undefined for an index whose own signature binds them all.
 */
type Bindings = Map<string, { signer: SignerId } | { problem: string }>

/**
 * Each thing found, authenticated: who signed it, what it signs or attests. A BuildKit in-index
 * statement counts as bound by the index's digest, unless `bindings` says otherwise: then it counts
 * only when its attestation manifest's own digest is signed (that signer) and it is about `digest`,
 * else it carries the reason it does not count as its `problem`.
 */
async function authenticate(
  p: VerifyPolicy,
  found: Found[],
  digest: string,
  trust: TrustOnce,
  bindings?: Bindings
): Promise<Authenticated[]> {
  return await Promise.all(
    found.map(async f => {
      switch (f.kind) {
        case 'simple-signing':
          return f.certificate ? await cosignKeyless(p, f, trust) : simpleSigning(p, f)
        case 'dsse':
          return cosignAttestation(p, f, digest)
        case 'bundle':
          return await bundle(p, f, digest, trust)
        case 'in-index': {
          const about = statementOf(f.via, IN_TOTO_PAYLOAD_TYPE, f.statement, digest)
          const bound = bindings?.get(f.manifest)
          if (!bound) return { via: f.via, inIndex: true, ...about }
          if ('problem' in bound) return { via: f.via, inIndex: true, ...about, problem: bound.problem }
          // its signature binds the statement, not the index's annotation naming the image it is about
          if (about.statement && about.signs !== digest)
            return {
              via: f.via,
              inIndex: true,
              ...about,
              problem: `not counted: the attestation manifest is signed but its statement is not about ${digest} (only a signed index binds the annotation that says it is)`
            }
          return { via: f.via, inIndex: true, ...about, signer: bound.signer }
        }
      }
    })
  )
}

/**
 * The platform children of an index: every entry a runtime can select (oci/manifest.ts
 * runtimeSelectable), so only platform `unknown/unknown` is left out, never an entry of a real
 * platform that calls itself an attestation manifest (review finding 1).
 */
function platformChildren(root: Manifest): Array<{ digest: string; platform: string }> {
  return childDescriptors(root)
    .filter(runtimeSelectable)
    .map(c => ({ digest: c.digest, platform: formatPlatform(c.platform) || c.digest }))
}

type PerChild = Map<string, { platform: string; checks: GateCheck[] }>

/**
 * Lets the platform children attest for an index: each failed attestation check of the index
 * passes when every child's check of the same name passed, `found` saying so (`every platform
 * attested: linux/amd64: …; linux/arm64: …`); one still failing says what each platform found
 * ({@link platformsFound}). BuildKit attests each platform manifest, never the index; the signature
 * has its own rule, {@link indexSignature}. Pure.
 * @param checks the index's checks (each carries the index's digest)
 * @returns the checks, the attested ones replaced; unchanged when `perChild` is empty
 */
function attestedByPlatforms(checks: GateCheck[], perChild: PerChild): GateCheck[] {
  if (!perChild.size) return checks
  return checks.map(c => {
    if (c.passed || !c.check.startsWith('attestation ')) return c
    const kids = [...perChild.values()].map(k => ({
      platform: k.platform,
      c: k.checks.find(x => x.check === c.check)
    }))
    if (!kids.every(k => k.c?.passed)) return platformsFound(c, kids)
    const found = `every platform attested: ${kids.map(k => `${k.platform}: ${k.c?.found}`).join('; ')}`
    return { ...c, passed: true, found }
  })
}

/**
 * A root check that failed where its platforms' checks found statements of its kind: `found` says
 * what each platform's found (`linux/amd64: … field builder.id … is "x", wanted "y"`), not that the
 * index itself has none, as the platforms, not the index, are what BuildKit attests.
 */
function platformsFound(c: GateCheck, kids: Array<{ platform: string; c?: GateCheck }>): GateCheck {
  const some = kids.some(k => k.c && !k.c.found.startsWith(NO_ATTESTATION))
  if (!some) return c
  return {
    ...c,
    found: kids
      .map(k => `${k.platform}: ${k.c?.passed ? 'attested' : (k.c?.found ?? 'not checked')}`)
      .join('; ')
  }
}

/**
 * The checks of each platform child of index `root`: with scope `all` the whole policy on its own
 * evidence (BuildKit's statements in the index among it when the policy requires attestations);
 * with scope `root` only the attestation rules over BuildKit's statements in the index, for
 * {@link attestedByPlatforms}. Those statements count as `bindings` says ({@link authenticate}).
 */
async function childChecks(
  api: RegistryApi,
  repo: Repository,
  root: Manifest,
  policy: VerifyPolicy,
  trust: TrustOnce,
  bindings?: Bindings
): Promise<PerChild> {
  const out: PerChild = new Map()
  const inIndex = policy.attestations.length > 0
  if (!isIndex(root) || (policy.scope === 'root' && !inIndex)) return out
  for (const child of platformChildren(root)) {
    if (policy.scope === 'all') {
      const own = await authenticate(
        policy,
        await findEvidence(api, repo, child.digest, inIndex ? root : undefined),
        child.digest,
        trust,
        bindings
      )
      const checks = evaluate(policy, child.digest, own).map(c => ({ ...c, platform: child.platform }))
      out.set(child.digest, { platform: child.platform, checks })
      continue
    }
    const statements = await authenticate(
      policy,
      await inIndexFound(api, repo, root, child.digest),
      child.digest,
      trust,
      bindings
    )
    const checks = policy.attestations.map(r => checkAttestation(policy, r, child.digest, statements))
    out.set(child.digest, { platform: child.platform, checks })
  }
  return out
}

/**
 * The one rule for an index's signature (newuser4 #6): an index passes the signature check when
 * its own digest is signed by an accepted signer, or when every entry a runtime can select is
 * (only platform `unknown/unknown` aside, whatever an entry's annotations say: review finding 1):
 * an index that lists only signed images vouches for nothing more than they do.
 * The merge gate, `verify` and every later gate apply it through {@link runGate}. Pure.
 * @param own the index's own signature check
 * @param children each platform child (`linux/arm64`), its digest and its own signature check
 * @param label how the index came to be, when the run wrote it (`index written by the merge`)
 * @returns `own` when it passed or there are no children; else the check passed or failed by the
 *   children, `found` naming each platform, its digest and what was found for it, and `wanted`
 *   saying that each platform's signature would do
 */
function indexSignature(
  own: GateCheck,
  children: Array<{ platform: string; digest: string; check?: GateCheck }>,
  label?: string
): GateCheck {
  if (own.passed || !children.length) return own
  const each = children.map(
    k =>
      `${k.platform} (${k.digest}): ${k.check ? (k.check.passed ? '' : 'found ') + k.check.found : 'not checked'}`
  )
  const index = label ?? `index itself: ${own.found}`
  const passed = children.every(k => k.check?.passed)
  const found = `${index}; ${passed ? 'every platform signed' : 'not every platform signed'}: ${each.join('; ')}`
  // a failure names each platform and what it lacks: sign the index, or each platform (newuser4 #5)
  return { ...own, passed, found, wanted: `${own.wanted}, or over each platform's digest` }
}

/** The signature check of index `root` judged by {@link indexSignature}, each child's own check from `perChild`. */
function signedByPlatforms(checks: GateCheck[], perChild: PerChild, label?: string): GateCheck[] {
  const children = [...perChild.entries()].map(([digest, k]) => ({
    platform: k.platform,
    digest,
    check: k.checks.find(c => c.check === 'signature' && c.digest === digest)
  }))
  return checks.map(c => (c.check === 'signature' ? indexSignature(c, children, label) : c))
}

/**
 * How the attestation manifests of index `root`, whose own signature check `own` failed, are
 * bound: each whose own digest is signed by a signer the policy accepts, by that signer; every
 * other one not at all, its statements not counted, the reason and the way out in words (`not
 * counted: the merged index is not signed and neither is the attestation manifest; …`). Nobody
 * signed the index (the merge's own index included: `childrenSign` vouches for its platforms'
 * signatures, not for what its attestation manifests say), so anyone who can push to the source
 * could have written them (sec1's report, 12:36). Reads each one's evidence (cosign `.sig`, referrers).
 * @throws RegistryError from the client
 */
async function attestationBindings(
  api: RegistryApi,
  repo: Repository,
  root: Manifest,
  policy: VerifyPolicy,
  trust: TrustOnce
): Promise<Bindings> {
  const out: Bindings = new Map()
  const index = policy.childrenSign ? 'the merged index' : 'the index'
  const advice = policy.childrenSign
    ? 'attest each platform (cosign attest) or sign the attestation manifest'
    : 'sign the index or the attestation manifest, or attest each platform (cosign attest)'
  for (const a of childDescriptors(root).filter(isAttestationManifest)) {
    if (out.has(a.digest)) continue
    const found = await authenticate(policy, await findEvidence(api, repo, a.digest), a.digest, trust)
    const check = checkSignature(policy, a.digest, found)
    const signer = check?.passed ? goodSignature(policy, a.digest, found)?.signer : undefined
    if (signer) {
      out.set(a.digest, { signer })
      continue
    }
    const its =
      check?.found === 'no signature'
        ? 'neither is the attestation manifest'
        : `the attestation manifest is not signed by an accepted signer (found ${check?.found})`
    out.set(a.digest, { problem: `not counted: ${index} is not signed and ${its}; ${advice}` })
  }
  return out
}

/**
 * Runs the gate on `digest` at `repo` (the source, once resolved): the root's checks and, with
 * scope `all`, each platform child's. An index's signature check passes when the index or every
 * platform child is signed ({@link indexSignature}); its attestation check also passes when every
 * platform is attested inside the index, as BuildKit writes them, but a statement there counts
 * only when a signature binds it: the index's own (or the policy asks for no signer), else the
 * attestation manifest's own digest signed ({@link attestationBindings}). Children signed one by
 * one say nothing of an index's attestation manifests, and neither does `childrenSign` (the
 * merge's index). With scope `all` it passes too when every platform's own attestations (its
 * `.att`, its referrers) pass, whether or not the index is signed (review finding 2).
 * @param manifest the root manifest when already fetched (else it is GET by digest)
 * @returns the report (never throws on a failed check: see {@link assertGate})
 * @throws RegistryError from the client; Error for an unreadable trust root
 */
export async function runGate(
  api: RegistryApi,
  repo: Repository,
  digest: string,
  policy: VerifyPolicy,
  manifest?: Manifest
): Promise<GateReport> {
  const trust = new TrustOnce(policy)
  const root = manifest ?? ((await api.getManifest(repo, digest)) as Manifest)
  const found = await authenticate(policy, await findEvidence(api, repo, digest), digest, trust)
  let checks = evaluate(policy, digest, found)
  const own = checks.find(c => c.check === 'signature')
  const bindings =
    own && !own.passed && isIndex(root) && policy.attestations.length
      ? await attestationBindings(api, repo, root, policy, trust)
      : undefined
  const perChild = await childChecks(api, repo, root, policy, trust, bindings)
  checks = attestedByPlatforms(checks, perChild)
  if (own && !own.passed && isIndex(root)) {
    const signatures =
      policy.scope === 'all'
        ? perChild
        : await childChecks(api, repo, root, { ...policy, scope: 'all', attestations: [] }, trust)
    checks = signedByPlatforms(
      checks,
      signatures,
      policy.childrenSign ? 'index written by the merge' : undefined
    )
  }
  if (policy.scope === 'all') checks.push(...[...perChild.values()].flatMap(k => k.checks))
  // a root that could not be fetched verified nothing: each keyless bundle says so (trustOr)
  const loaded = trust.loaded ? await trust.loaded.then(t => t.name).catch(() => undefined) : undefined
  return { passed: checks.every(c => c.passed), checks, ...(loaded ? { trustedRoot: loaded } : {}) }
}

/** @throws GateError when a check of `report` failed; `what` names the source (`reg/repo@sha256:…`) */
export function assertGate(what: string, report: GateReport): void {
  if (!report.passed) throw new GateError(what, report)
}
