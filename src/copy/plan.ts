/**
 * The planner: every decision of a promotion, made once from the source graph and what each target
 * holds (probe.ts), without I/O. Per target and blob: skip (held), mount (from the source repository
 * on the same registry, else from a target on that registry that holds it, else from a repository
 * of that registry an earlier run saw holding it (blob-memory.ts), else from the first target there
 * that gets it streamed) or stream from the source (once per registry); manifests to
 * push bottom-up; tags and referrers fallback tags to create / move / keep; tag-policy violations.
 * Execution (promote.ts, transfer.ts) carries out exactly this plan.
 */
import type { GateReport } from '../proof/policy.js'
import { DEFAULT_MOVING_TAGS, DEFAULT_TAG_POLICY } from './defaults.js'
import type { Repository } from '../registry/api.js'
import type { TagKind } from '../tags/compute.js'
import { compareVersions, newerInLine, versionIn, type VersionLine } from '../tags/line.js'
import { sameRegistry, registryKey } from '../reference/hosts.js'
import type { Descriptor, Manifest } from '../oci/manifest.js'
import { isDigest } from '../oci/digest.js'
import type { ImageGraph } from './graph.js'
import {
  planTargetReferrers,
  type ReferrerPlanEntry,
  type SignatureTagPlanEntry,
  type TargetReferrers
} from './referrer-plan.js'
import type { Holdings } from './probe.js'
import { formatRepo, type Target } from './targets.js'
import { attestationsOf, type AttestationEntry } from './attestations.js'

/** One registry's line in the plan: requests the writes need, and what its total budget had left. */
export interface BudgetPlanEntry {
  /** registryKey form (`docker.io`, host[:port]) */
  registry: string
  requests: number
  /** requests left under its total budget when the plan was made (absent: no total) */
  remaining?: number
}

export type TagPolicy = 'immutable' | 'overwrite'

export interface BlobPlanEntry {
  digest: string
  size: number
}

export interface TagPlanEntry {
  tag: string
  /**
   * `hold`: a rolling tag left where it is, naming a newer release of its line (`heldBy`); it never
   * moves back (tag-policy `overwrite` moves it)
   */
  action: 'create' | 'move' | 'keep' | 'hold'
  /** the digest the tag points at now (move, keep, hold) */
  from?: string
  /** hold: the newer version tag naming `from` (`1.3.0`) */
  heldBy?: string
  /**
   * what the tag rules made of it (tags/compute.ts TagKind, PlanInput `tagKinds`): a `rolling` tag
   * may move under `immutable`; absent: a tag given as written (the CLI, promotion files)
   */
  kind?: TagKind
}

/**
 * The tags of a target's plan that name the promoted image (created, moved or already there): all
 * but the held ones (heldBack), which stay at a newer release. `[]` for a target by digest only.
 */
export function namingTags(t: Pick<TargetPlan, 'tags'>): string[] {
  return t.tags.filter(x => x.action !== 'hold').map(x => x.tag)
}

/** The plan of one target, as reported (plan JSON, dry run). */
export interface TargetPlan {
  target: string
  blobs: {
    skip: BlobPlanEntry[]
    mount: BlobPlanEntry[]
    copy: BlobPlanEntry[]
    /**
     * blobs of `mount` and `copy` whose HEAD at this target had not answered when the plan was
     * made: each is mounted or copied as listed unless that answer says the target holds it
     * (absent: none). Once the blobs have moved, the report says what happened: a blob found
     * there is in `skip`, and this list is gone.
     */
    check?: BlobPlanEntry[]
  }
  /** bytes that will move through the client to this target */
  bytesToCopy: number
  manifests: { push: string[]; present: string[] }
  tags: TagPlanEntry[]
  /** referrers fallback tags (`sha256-<hex>`) to write (create, move) or already right (keep) */
  referrerTags: TagPlanEntry[]
  violations: string[]
  /** each referrer that travels, with its artifact type and how the target lists it (absent: none) */
  referrers?: ReferrerPlanEntry[]
  /** each cosign tag (`sha256-<hex>.sig`, `.att`, `.sbom`) that travels (absent: none) */
  signatureTags?: SignatureTagPlanEntry[]
  /** the signed promotion record at this target (proof/record.ts): planned, or its result (`failed`: not written; absent: none asked) */
  record?: { action: 'write' | 'written' | 'present' | 'failed'; digest?: string; listedBy?: string }
}

/** The plan as reported (plan JSON, `onPlan`, TagPolicyError): one entry per distinct target. */
export interface PromotePlan {
  source: {
    reference: string
    digest: string
    mediaType: string
    platforms: string[]
    /** BuildKit's attestation manifests in the index, by what they attest (absent: none) */
    attestations?: AttestationEntry[]
    /**
     * `platforms` chose part of the source (copy/select.ts): `from` is the source's own digest
     * (`digest` above is what is promoted: one child, or a new index), `platforms` those chosen,
     * `of` how many platforms the source lists (attestation manifests not counted; 1 for an image)
     */
    selection?: { from: string; platforms: string[]; of: number }
  }
  targets: TargetPlan[]
  dryRun: boolean
  /** the verification gate's checks on the source (proof/gate.ts); absent: no policy given */
  gate?: GateReport
  /**
   * the writes' requests per registry beside the request budget left (copy/budget.ts); absent: no
   * request budget given
   */
  budget?: BudgetPlanEntry[]
}

/** How one target that lacks a blob gets it. */
export interface BlobDelivery {
  /** target identity (targets.ts targetKey) */
  target: string
  repo: Repository
  /** mount from this repository of the same registry; absent: stream from the source */
  mountFrom?: Repository
  /** the mount's donor is this target, which gets the blob streamed in the same move: mount after it */
  after?: string
  /**
   * `mountFrom` is remembered from an earlier run (PlanInput.seen, blob-memory.ts), not known to
   * hold the blob now: a mount not answered 201 makes execution forget it
   */
  remembered?: true
  /**
   * the target's HEAD of the blob had not answered when the plan was made (Holdings.unchecked):
   * execution awaits it first, and a blob found there is not delivered
   */
  check?: true
}

/** One blob to move: read once from the source for every target that lacks it. */
export interface BlobMove {
  blob: Descriptor
  /** bytes planned to stream (the blob's size when any delivery streams it, else 0) */
  bytes: number
  /** in target order */
  deliveries: BlobDelivery[]
}

/** What execution does at one target after the blobs. */
export interface TargetWork {
  key: string
  repo: Repository
  /** the merged tags, each once (verified after the writes), less the held ones (plan.ts heldBack) */
  tags: string[]
  /** the reported plan of this target (the same object as in `report.targets`) */
  report: TargetPlan
  /** manifests to push by digest, children first */
  push: Manifest[]
  /** tags to PUT the root under (create, move) in the tag step, in order (without `rootTag`) */
  tagWrites: string[]
  /**
   * the root (still listed in `push`) is pushed under this tag instead of by digest, as the tag
   * step's first write: only with one target whose last manifest to push is the root and that gets
   * a tag written. A PUT by tag stores the manifest by digest too (distribution-spec "Pushing
   * Manifests"), and with one target no other one must hold the graph before a tag is written.
   */
  rootTag?: string
  /** referrers fallback indexes to PUT; `merge`: the tag exists, keep the target's own entries */
  referrerWrites: Array<{ tag: string; index: Manifest; merge: boolean }>
  /** cosign tags to PUT (create, move), after the referrers fallback tags (absent: none) */
  signatureWrites?: Array<{ tag: string; manifest: Manifest }>
  /** something will be written, so HEAD the root and every tag afterwards */
  verify: boolean
}

/** Every decision of one promotion. */
export interface Plan {
  report: PromotePlan
  /** the root manifest (what the tags point at) */
  root: Manifest
  targets: TargetWork[]
  /** blobs that some target lacks, largest first (graph order among equal sizes) */
  moves: BlobMove[]
  /** tag-policy violations of every target, in target order */
  violations: string[]
}

/** What the planner reads. */
export interface PlanInput {
  source: Repository
  /** the source reference as given (tag or digest) */
  reference: string
  graph: ImageGraph
  /** distinct targets (targets.ts mergeTargets) and their holdings, in the same order */
  targets: Target[]
  holdings: Holdings[]
  /** default `immutable` */
  tagPolicy?: TagPolicy
  /** tags that may move under `immutable` (default `latest`, `edge`) */
  movingTags?: string[]
  /**
   * the kind of each tag the tag rules computed (tags/compute.ts, the one owner of which tags roll):
   * a `rolling` one may move under `immutable` too; absent: none
   */
  tagKinds?: ReadonlyMap<string, TagKind>
  /** the version line of each tag of a semver rule (tags/line.ts): a rolling one is held rather than moved back */
  tagLines?: ReadonlyMap<string, VersionLine>
  dryRun?: boolean
  /**
   * repositories an earlier run saw holding a blob (blob-memory.ts BlobMemory.sightings): keyed
   * `registryKey(registry) digest`, newest first; absent: none
   */
  seen?: ReadonlyMap<string, readonly string[]>
}

/**
 * The key of a (registry, digest) pair in PlanInput `seen`: `registryKey(registry) digest`
 * (blob-memory.ts builds the map with it).
 */
export function sightingKey(registry: string, digest: string): string {
  return `${registryKey(registry)} ${digest}`
}

/**
 * Does a blob HEAD's answer (distribution-spec end-2) say the target holds the blob? Only when it
 * found one (not 404) of the descriptor's size, or of a size it did not tell (no `Content-Length`,
 * registry/client.ts headBlob answers -1). A `Content-Length` other than the descriptor's is not the
 * blob: taken as held, it was skipped and the manifest PUT then failed `MANIFEST_BLOB_UNKNOWN` on
 * every re-run (newuser6 #21); so it is sent, and the registry's answer to the upload decides.
 * @param answer the HEAD's size in bytes (undefined: missing; -1: not told)
 * @param size the descriptor's size in bytes
 */
export function holdsBlob(answer: number | undefined, size: number): boolean {
  return answer !== undefined && (answer === size || answer < 0)
}

/**
 * Does the target hold the blob? Its HEAD said so ({@link holdsBlob}), or (not HEADed) the root is
 * there by digest; a blob whose HEAD has not answered (`unchecked`) is planned as missing, checked
 * at execution.
 */
function holds(h: Holdings, blob: { digest: string; size: number }): boolean {
  if (h.unchecked?.has(blob.digest)) return false
  return h.blobs.has(blob.digest) ? holdsBlob(h.blobs.get(blob.digest), blob.size) : h.root
}

/**
 * Which targets may have their blobs planned before their blob HEADs answer (probe.ts `defer`,
 * then "HEAD, then deliver if absent" per blob, so a blob's upload starts as soon as its own HEAD
 * answers): none in a dry run (its plan says exactly what would move) or in a promotion file's
 * shared run (copy/holders.ts reads the skip lists before the moves); else each target that is
 * the only one on its registry (where one target's blob comes from, a mount from another target
 * there or a lead, would otherwise depend on another's answer) and whose registry has no request
 * budget total (`remaining`, copy/budget.ts: the plan's budget line says what is left once every
 * probe is spent, and the writes' requests are all it counts). No tag-policy verdict reads a
 * blob's HEAD (tags, manifests and cosign manifests decide them), so none waits for one;
 * promote.ts makes a refused plan again from every answer, and executes nothing before the gate
 * has passed.
 * @returns per target, in order: true when its blob HEADs may be left to execution
 */
export function checkLate(
  targets: Target[],
  options: { dryRun?: boolean; shared?: boolean; remaining?: (registry: string) => number | undefined }
): boolean[] {
  if (options.dryRun || options.shared) return targets.map(() => false)
  const alone = (t: Target): boolean =>
    targets.filter(o => sameRegistry(o.repo.registry, t.repo.registry)).length === 1
  const unbudgeted = (t: Target): boolean => options.remaining?.(registryKey(t.repo.registry)) === undefined
  return targets.map(t => alone(t) && unbudgeted(t))
}

/**
 * How `target` gets a blob it lacks: mounted from the source repository when on the source's
 * registry; else mounted from a target on its registry that holds the blob; else mounted from the
 * newest repository of its registry an earlier run saw holding it (`seen`: never one of this run's
 * `targets`, none of which holds it then; never another registry's); else mounted from the first target on its registry that gets it
 * streamed (`leads`, keyed by registryKey); else streamed (and it becomes that registry's lead).
 */
function delivery(
  source: Repository,
  target: Target,
  holders: Target[],
  leads: Map<string, Target>,
  seen: readonly string[] | undefined,
  targets: Target[]
): BlobDelivery {
  const base = { target: target.key, repo: target.repo }
  const registry = target.repo.registry
  if (sameRegistry(source.registry, registry) && source.repository !== target.repo.repository)
    return { ...base, mountFrom: source }
  const holder = holders.find(h => sameRegistry(h.repo.registry, registry))
  if (holder) return { ...base, mountFrom: holder.repo }
  // no target of this run on that registry holds the blob (no holder above), so none of them is a
  // donor, whatever was seen
  const here = new Set(
    targets.filter(t => sameRegistry(t.repo.registry, registry)).map(t => t.repo.repository)
  )
  const known = seen?.find(r => !here.has(r))
  if (known) return { ...base, mountFrom: { registry, repository: known }, remembered: true }
  const lead = leads.get(registryKey(registry))
  if (lead) return { ...base, mountFrom: lead.repo, after: lead.key }
  leads.set(registryKey(registry), target)
  return base
}

/** Bytes that move through the client to a target: the sum of its `copy` list's sizes (bytes). */
export function copyBytes(blobs: TargetPlan['blobs']): number {
  return blobs.copy.reduce((n, b) => n + b.size, 0)
}

/** Per target the skip / mount / copy lists (graph order), and the moves, largest first. */
function planBlobs(input: PlanInput): { lists: Array<TargetPlan['blobs']>; moves: BlobMove[] } {
  const { source, graph, targets, holdings } = input
  const lists: Array<TargetPlan['blobs']> = targets.map(() => ({ skip: [], mount: [], copy: [] }))
  const checks: BlobPlanEntry[][] = targets.map(() => [])
  const moves: BlobMove[] = []
  for (const blob of graph.blobs) {
    const entry = { digest: blob.digest, size: blob.size }
    const holders = targets.filter((_, i) => holds(holdings[i], blob))
    const leads = new Map<string, Target>()
    const deliveries: BlobDelivery[] = []
    targets.forEach((t, i) => {
      if (holds(holdings[i], blob)) return void lists[i].skip.push(entry)
      const seen = input.seen?.get(sightingKey(t.repo.registry, blob.digest))
      const d = delivery(source, t, holders, leads, seen, targets)
      ;(d.mountFrom ? lists[i].mount : lists[i].copy).push(entry)
      const check = holdings[i].unchecked?.has(blob.digest)
      if (check) checks[i].push(entry)
      deliveries.push(check ? { ...d, check } : d)
    })
    if (deliveries.length === 0) continue
    moves.push({ blob, bytes: deliveries.some(d => !d.mountFrom) ? blob.size : 0, deliveries })
  }
  checks.forEach((c, i) => {
    if (c.length) lists[i].check = c
  })
  return { lists, moves: moves.sort((a, b) => b.blob.size - a.blob.size) }
}

/** create (missing), keep (already `digest`) or move (elsewhere, `from` that digest); its kind when known. */
function tagEntry(tag: string, current: string | undefined, digest: string, kind?: TagKind): TagPlanEntry {
  const known = kind ? { kind } : {}
  if (current === undefined) return { tag, action: 'create', ...known }
  return { tag, action: current === digest ? 'keep' : 'move', from: current, ...known }
}

/**
 * May this tag move under `immutable`? When the tag rules made it `rolling` (the entry's kind, from
 * tags/compute.ts), or when it is one of the moving tags.
 */
function mayMove(entry: TagPlanEntry, moving: ReadonlySet<string>): boolean {
  return entry.kind === 'rolling' || moving.has(entry.tag)
}

/**
 * A rolling tag that would move from a newer release of its line (holdings' `newer`: version tags
 * HEADed at the target) back to this one is held instead (any policy but `overwrite`): the newest
 * such release names it.
 */
function heldBack(entry: TagPlanEntry, line: VersionLine | undefined, h: Holdings): TagPlanEntry {
  if (entry.action !== 'move' || entry.kind !== 'rolling' || !line || !h.newer) return entry
  const by = [...h.newer]
    .filter(([t, d]) => d === entry.from && newerInLine(line, t))
    .map(([t]) => ({ t, v: versionIn(line, t)! }))
    .sort((a, b) => compareVersions(b.v, a.v))[0]
  return by ? { ...entry, action: 'hold', heldBy: by.t } : entry
}

/** The tags of one target, and the violations moving them would be under the policy. */
function planTags(
  input: PlanInput,
  target: Target,
  h: Holdings
): { tags: TagPlanEntry[]; violations: string[] } {
  const digest = input.graph.root.digest
  const moving = new Set(input.movingTags ?? DEFAULT_MOVING_TAGS)
  const immutable = (input.tagPolicy ?? DEFAULT_TAG_POLICY) === 'immutable'
  const overwrite = input.tagPolicy === 'overwrite'
  const tags = target.tags.map(tag => {
    const entry = tagEntry(tag, h.tags.get(tag), digest, input.tagKinds?.get(tag))
    return overwrite ? entry : heldBack(entry, input.tagLines?.get(tag), h)
  })
  const violations = tags
    .filter(t => t.action === 'move' && immutable && !mayMove(t, moving))
    .map(t => `${formatRepo(target.repo)}:${t.tag} points at ${t.from}; promoting ${digest} would move it`)
  return { tags, violations }
}

/** The reported plan's referrer fields, set only when something travels (plans without stay as they were). */
function referrerReport(r: TargetReferrers): Pick<TargetPlan, 'referrers' | 'signatureTags'> {
  return {
    ...(r.referrers.length ? { referrers: r.referrers } : {}),
    ...(r.signatureTags.length ? { signatureTags: r.signatureTags } : {})
  }
}

/** Everything but the blobs for one target: manifests, tags, referrers tags, violations, writes. */
function planTarget(input: PlanInput, target: Target, h: Holdings, blobs: TargetPlan['blobs']): TargetWork {
  const { graph } = input
  const root = graph.root.digest
  const detached = graph.detached ?? new Set<string>()
  // a manifest HEADed is held as its answer says (a child a registry deleted under its index too)
  const held = (d: string): boolean =>
    h.manifests.has(d) ? h.manifests.get(d) === d : h.root && !detached.has(d)
  const overwrite = (input.tagPolicy ?? DEFAULT_TAG_POLICY) === 'overwrite'
  const r = planTargetReferrers(graph, formatRepo(target.repo), h, overwrite, held)
  // a target that keeps the referrers lists itself gets no copy of the source's fallback indexes
  const indexes = new Set(r.apiTarget ? graph.referrerTags.map(rt => rt.index.digest) : [])
  const manifests = graph.manifests.filter(m => !indexes.has(m.digest))
  const present = (m: Manifest): boolean => held(m.digest) && (m.digest !== root || h.root)
  const push = manifests.filter(m => !present(m))
  const { tags, violations } = planTags(input, target, h)
  const report: TargetPlan = {
    target: formatRepo(target.repo),
    blobs,
    bytesToCopy: copyBytes(blobs),
    manifests: { push: push.map(m => m.digest), present: manifests.filter(present).map(m => m.digest) },
    tags,
    referrerTags: r.referrerTags,
    violations: [...violations, ...r.violations],
    ...referrerReport(r)
  }
  const tagWrites = tags.filter(t => t.action === 'create' || t.action === 'move').map(t => t.tag)
  const { referrerWrites, signatureWrites } = r
  const verify =
    push.length > 0 || tagWrites.length > 0 || referrerWrites.length > 0 || signatureWrites.length > 0
  return {
    key: target.key,
    repo: target.repo,
    // a held tag (heldBack) is not this image's: neither written nor verified
    tags: target.tags.filter(tag => !tags.some(t => t.tag === tag && t.action === 'hold')),
    report,
    push,
    tagWrites,
    referrerWrites,
    ...(signatureWrites.length ? { signatureWrites } : {}),
    verify
  }
}

/**
 * With one target: the root's PUT by digest and its first tag's PUT become one PUT by that tag
 * (TargetWork.rootTag), when the root is the last manifest pushed (nothing after it, such as a
 * referrer, must wait for it) and a tag is written.
 */
function rootByTag(t: TargetWork, root: string): TargetWork {
  if (t.push.at(-1)?.digest !== root || t.tagWrites.length === 0) return t
  const [rootTag, ...tagWrites] = t.tagWrites
  return { ...t, rootTag, tagWrites }
}

/** The plan's `attestations` field: set only when the index holds attestation manifests. */
function attestationReport(graph: ImageGraph): { attestations?: AttestationEntry[] } {
  const attestations = attestationsOf(graph.root, graph.manifests)
  return attestations.length ? { attestations } : {}
}

/**
 * Plans a promotion: every decision, from the graph and the targets' holdings (see the module
 * comment). Pure: no I/O, same input → same plan.
 * @returns the plan; `violations` is non-empty when the tag policy refuses a move (nothing may be written)
 */
export function planPromotion(input: PlanInput): Plan {
  const { graph, source, reference } = input
  const { lists, moves } = planBlobs(input)
  const planned = input.targets.map((t, i) => planTarget(input, t, input.holdings[i], lists[i]))
  const targets = planned.length === 1 ? [rootByTag(planned[0], graph.root.digest)] : planned
  const report: PromotePlan = {
    source: {
      reference: `${formatRepo(source)}${isDigest(reference) ? '@' : ':'}${reference}`,
      digest: graph.root.digest,
      mediaType: graph.root.mediaType,
      platforms: [...new Set(graph.platforms.values())],
      ...attestationReport(graph)
    },
    targets: targets.map(t => t.report),
    dryRun: input.dryRun ?? false
  }
  return { report, root: graph.root, targets, moves, violations: targets.flatMap(t => t.report.violations) }
}
