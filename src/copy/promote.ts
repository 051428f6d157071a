/**
 * Promotion by digest (the product's core), as a list of phases: resolve the source once → walk its
 * whole graph → probe what every target holds (its root and tag HEADs go out during the walk) →
 * plan every decision (plan.ts, pure) → check the gate, the tag policy and the request budget
 * before any write → move the blobs (largest first, each read once for every target that
 * lacks it, mounted where the plan says; where plan.ts checkLate allows, a blob's HEADs are sent
 * before the plan and answered in its move, so its upload starts as soon as its own HEAD answers) → push manifests bottom-up by digest → only when EVERY
 * target holds the complete graph, write the tags → verify them by HEAD. A failure before the tag
 * step leaves no tag moved anywhere; a re-run skips what already landed and completes the job.
 * Order follows distribution-spec "Pushing manifests" (referenced content first). Transfers are
 * bounded per registry host (HostLimiter); progress is reported per blob and in total at most once
 * per interval. A target listed twice is one target (targets.ts).
 */
import type { RegistryApi, Repository } from '../registry/api.js'
import { registryKey } from '../reference/hosts.js'
import { silentLogger, type Logger } from '../logger.js'
import {
  childDescriptors,
  isIndex,
  mergeIndexes,
  runtimeSelectable,
  type Descriptor,
  type Manifest,
  type Platform
} from '../oci/manifest.js'
import { isDigest } from '../oci/digest.js'
import type { UploadMode } from './fanout.js'
import { foreignLayerError, refusedForeignLayers } from './foreign.js'
import { DigestMismatchError, PutDigestMismatchError, RegistryError } from '../registry/errors.js'
import { walkGraph, type ImageGraph } from './graph.js'
import { Ledger, type TargetResult, type TargetStatus } from './ledger.js'
import { HostLimiter, SMALL_PER_SLOT } from './limiter.js'
import { DEFAULT_CONCURRENCY, DEFAULT_MOVING_TAGS, DEFAULT_TAG_POLICY } from './defaults.js'
import {
  awaitUploads,
  shareDeliveries,
  tagWriteKey,
  type BlobHolders,
  type SharedPromotion
} from './holders.js'
import {
  checkLate,
  copyBytes,
  holdsBlob,
  planPromotion,
  type BlobDelivery,
  type Plan,
  type PromotePlan,
  type TagPolicy,
  type TargetWork
} from './plan.js'
import { checkBlobs, probeRoots, probeTargets, type BlobChecks, type Holdings } from './probe.js'
import { Progress, type ProgressEvent } from './progress.js'
import { formatRepo, mergeTargets, type PromoteTarget, type Target } from './targets.js'
import { transferBlob, type BlobOutcome } from './transfer.js'
import { discoveryOf, type ReferrerSelection } from '../referrers/selection.js'
import { SourceTags } from '../referrers/source-tags.js'
import type { PutManifestAnswer } from '../registry/api.js'
import { InterruptedError, isAbort, landingLine, signalName } from './interrupt.js'
import type { UploadStateStore } from './resume.js'
import type { BlobMemory } from './blob-memory.js'
import type { TagKind } from '../tags/compute.js'
import type { VersionLine } from '../tags/line.js'
import { checkSubject, type GateReport, type VerifyPolicy } from '../proof/policy.js'
import type { RecordOptions, RecordPlace, RecordResult, RecordSeen, TagWriteSerial } from '../proof/record.js'
import type { KeylessSigner } from '../proof/sigstore.js'
import { checkBudget, planRequests, RequestBudgetError, type RequestBudgetView } from './budget.js'
import type { BudgetReservation } from '../registry/ratelimit.js'
import { selectPlatforms } from './select.js'
import { uninterrupted } from '../registry/uninterrupted.js'

export type { BlobPlanEntry, PromotePlan, TagPlanEntry, TagPolicy, TargetPlan } from './plan.js'
export { namingTags } from './plan.js'
export type { ReferrerPlanEntry, SignatureTagPlanEntry } from './referrer-plan.js'
export type { ProgressEvent } from './progress.js'
export type { TargetResult, TargetStatus } from './ledger.js'
export { InterruptedError, Interruption, SIGNAL_EXIT } from './interrupt.js'
export type { PromoteTarget } from './targets.js'
export type { UploadMode } from './fanout.js'
export { RequestBudgetError, type RequestBudgetView } from './budget.js'
export type { BudgetPlanEntry } from './plan.js'

export interface PromoteOptions {
  /** the source repository and the tag or digest to promote */
  source: Repository & { reference: string }
  /** targets; entries naming the same repository (Docker Hub aliases folded) are one target */
  targets: PromoteTarget[]
  /** `immutable` (default): refuse to move a tag to another digest, except `movingTags` */
  tagPolicy?: TagPolicy
  /** tags that may move under `immutable` (default `latest`, `edge`) */
  movingTags?: string[]
  /**
   * the kind of each tag the tag rules computed (tags/compute.ts TagKind): a `rolling` one
   * (`{{major}}.{{minor}}`, `latest`, a branch's) may move under `immutable` too, and the plan says
   * each tag's kind; absent: every tag is as written (only `movingTags` move)
   */
  tagKinds?: ReadonlyMap<string, TagKind>
  /**
   * the version line of each tag of a semver rule (tags/compute.ts, tags/line.ts): the target's
   * newer version tags are asked (only when listed), and a rolling tag naming a newer release than
   * this one is held, not moved back (a warning says so; tag-policy `overwrite` moves it)
   */
  tagLines?: ReadonlyMap<string, VersionLine>
  dryRun?: boolean
  /** copy non-distributable (foreign) layers too (default false) */
  includeNonDistributable?: boolean
  /**
   * what travels with the image (referrers/selection.ts): `all` (default, DEFAULT_REFERRERS, as in the
   * action, the CLI and promotion files: the referrers API, else the fallback tag, referrers of
   * referrers, cosign's tags), `none`, or a list of artifact types (`cosign` for cosign's tags);
   * `true`: the fallback tag schema only, as before the selection existed; `false`: nothing
   */
  referrers?: boolean | ReferrerSelection
  /** transfer slots per registry host (default 8): as many blobs of 1 MiB or more at once; smaller ones share a slot (copy/limiter.ts) */
  concurrency?: number
  /** small blobs that may share one transfer slot (default 8, copy/limiter.ts; 1: one blob per slot) */
  smallBlobsPerSlot?: number
  /**
   * `monolithic` (default): one streaming PUT per blob; a target that refuses it with 413 gets a
   * chunked upload instead. `chunked`: PATCH chunks then a closing PUT for every blob.
   */
  uploadMode?: UploadMode
  /** bytes per PATCH in chunked uploads (default 8 MiB; raised to the registry's OCI-Chunk-Min-Length) */
  chunkSize?: number
  logger?: Logger
  /**
   * Called once with the plan, after every check and before any write (also in a dry run, unless a
   * tag-policy violation stops the run first). May be async; the copy waits for it.
   */
  onPlan?: (plan: PromotePlan) => void | Promise<void>
  /**
   * Transfer progress: at most once every `progressIntervalMs` while blobs move (never per chunk),
   * and once more when the last blob is done (`done: true`). Not called when no blob moves.
   */
  onProgress?: (p: ProgressEvent) => void
  /** ms between progress events (default 5000) */
  progressIntervalMs?: number
  /** the clock of progress events, ms (default Date.now; tests inject one) */
  progressNow?: () => number
  /**
   * Aborting it interrupts the promotion: no further work starts, streams are aborted, every open
   * upload session is cancelled, and promote throws an InterruptedError (no tag changed anywhere).
   * Once the tag step has begun it runs to its end.
   */
  signal?: AbortSignal
  /** kept chunked uploads, resumed on the next run (resume.ts); default none */
  uploadState?: UploadStateStore
  /**
   * where earlier runs saw blobs (blob-memory.ts): a blob a target lacks is mounted from a
   * repository of its registry remembered holding it; after a promotion that succeeded (not a dry
   * run) the targets and the source are recorded holding every blob and the record written (with
   * `shared`, a promotion file's images: by the batch, once at its end). Default none.
   */
  blobMemory?: BlobMemory
  /**
   * State shared with other promote() runs on the same client (a promotion file's images,
   * copy/holders.ts): its limiter replaces `concurrency`, and a blob another run holds or is
   * uploading at a target registry is mounted from there instead of streamed again; the blob
   * record (`blobMemory`) is written by whoever shares it (batch/run.ts), not by each run.
   */
  shared?: SharedPromotion
  /**
   * The verification gate (proof/gate.ts): checked on the source digest while the graph is
   * walked, before any write; a failed check throws GateError (nothing written at any target).
   * Its checks are in the plan (`gate`), dry runs included.
   */
  verify?: VerifyPolicy
  /**
   * A signed promotion record (proof/record.ts) left at every target once its tags are written
   * and verified (a record of the same job already there is kept, not repeated).
   */
  record?: RecordOptions
  /**
   * The request budgets of the client's transport (`client.transport.rateLimits`): the plan lists
   * each registry's requests beside what its total has left (`budget`), and a promotion whose
   * writes need more than is left is refused before any write (RequestBudgetError). The pacing
   * itself happens in the transport for every request.
   */
  requestBudget?: RequestBudgetView
  /**
   * Promote only these platforms of the source (select.ts, as crane `copy --platform`): one gives
   * that child's own manifest (its digest), several a new index of those children and their
   * attestation manifests (a new digest). The plan's `source.selection` says which. Default: all.
   */
  platforms?: Platform[]
  /**
   * The source's root manifest when the caller holds it already and `source.reference` is its
   * digest: not asked for (a merged index planned in a dry run, not written at the source yet).
   */
  root?: Manifest
}

export interface PromoteResult {
  digest: string
  mediaType: string
  plan: PromotePlan
  /** one entry per distinct target, in the order first listed */
  targets: TargetResult[]
  /** bytes read from the source registry */
  bytesRead: number
  seconds: number
  /** the promotion record per target (absent: none asked, or a dry run) */
  records?: RecordResult[]
}

/** A tag-policy violation, found before any write. Carries the plan. */
export class TagPolicyError extends Error {
  constructor(
    readonly violations: string[],
    readonly plan: PromotePlan
  ) {
    super(`tag policy "immutable" refuses to move tags:\n  ${violations.join('\n  ')}`)
    this.name = 'TagPolicyError'
  }
}

/** What the message of a PromoteError before the tag step says (executePlan). */
const BEFORE_TAGS = 'is incomplete; no tag was written on any target'

/**
 * Did a PromoteError stop the run before the tag step? Then no tag was written on any target (its
 * message says so), and the targets it does not list hold the whole image.
 */
export function failedBeforeTags(e: PromoteError): boolean {
  return e.beforeTags
}

/** Some targets could not be completed; no tag was written on any target before the tag step. */
export class PromoteError extends Error {
  /**
   * @param targets where every target stands (holds the image by digest, tags that point at it,
   *   what was copied), in target order
   * @param beforeTags the run stopped before the tag step: no tag was written on any target
   * @param interruptedBy the signal (`SIGINT`, `SIGTERM`) that ended the record phase, after every
   *   tag was written: the edges exit 130 / 143 (interrupt.ts interruptedBy), the message says what
   *   stands (promoted and tagged; run again to add the record)
   */
  constructor(
    message: string,
    readonly failures: Array<{ target: string; error: Error }>,
    readonly targets: TargetStatus[] = [],
    readonly beforeTags = false,
    readonly interruptedBy?: string
  ) {
    super(message)
    this.name = 'PromoteError'
  }
}

/**
 * The keyless record's signing certificate could not be got (proof/record.ts certifyRecord); it is
 * asked for before any write, so nothing was written at any target (newuser5 N7: the summary said
 * `unknown: see the log`).
 */
export class CertifyError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'CertifyError'
  }
}

/**
 * Where each target stood when `error` ended a promotion: a PromoteError's or an InterruptedError's
 * `targets` (ledger.ts TargetStatus, in target order; [] when it ended before any write), [] for a
 * CertifyError (before any write); undefined for any other error, which says nothing of the targets.
 */
export function standingAfter(error: unknown): TargetStatus[] | undefined {
  if (error instanceof CertifyError) return []
  return error instanceof PromoteError || error instanceof InterruptedError ? error.targets : undefined
}

/**
 * A manifest the registry does not hold under `reference` (a tag or a digest) in `repo`:
 * `127.0.0.1:5000/src/one:latest does not exist`. The interface may say more (report/implied-tag.ts:
 * a source that named no tag).
 */
export class ManifestNotFoundError extends Error {
  constructor(
    readonly repo: Repository,
    readonly reference: string
  ) {
    super(`${formatRepo(repo)}${isDigest(reference) ? '@' : ':'}${reference} does not exist`)
    this.name = 'ManifestNotFoundError'
  }
}

const missing = (repo: Repository, reference: string): Error => new ManifestNotFoundError(repo, reference)

/**
 * Resolves a tag (or digest) to `{digest, mediaType, size}` with one HEAD (GET when HEAD is refused).
 * @throws ManifestNotFoundError naming the reference when it does not exist
 */
export async function resolve(api: RegistryApi, repo: Repository, reference: string): Promise<Descriptor> {
  const d = await api.headManifest(repo, reference)
  if (!d) throw missing(repo, reference)
  return d
}

/**
 * Resolves a tag (or digest) to its manifest with one GET (distribution-spec end-3): the bytes and
 * the digest at once (by tag, the bytes checked against `Docker-Content-Digest`; by digest, against
 * the digest), so the walk does not ask for the root again.
 * @throws ManifestNotFoundError naming the reference when it does not exist; RegistryError,
 *   DigestMismatchError
 */
export async function resolveManifest(
  api: RegistryApi,
  repo: Repository,
  reference: string
): Promise<Manifest> {
  const m = await api.getManifest(repo, reference, { allowMissing: true })
  if (!m) throw missing(repo, reference)
  return m
}

/**
 * One blob move for the targets still live: its bytes counted as the targets acknowledge them
 * (Progress), each outcome recorded in the ledger (a failure warned of, unless an interruption).
 */
async function moveOne(
  api: RegistryApi,
  source: Repository,
  move: Plan['moves'][number],
  ledger: Ledger,
  progress: Progress,
  options: PromoteOptions
): Promise<void> {
  const { digest } = move.blob
  let live = move.deliveries.filter(d => !ledger.failed(d.target))
  if (live.length === 0 || options.signal?.aborted) return
  // with other runs on the client (a promotion file): mount what another run holds or just got
  let settle: ((outcomes: BlobOutcome[]) => void) | undefined
  if (options.shared) {
    let held: string[]
    ;({ deliveries: live, held, settle } = await shareDeliveries(options.shared.holders, digest, live))
    // another image of the run put it there: nothing is written there again
    for (const target of held) ledger.heldByRun(target)
    if (held.length > 0)
      (options.logger ?? silentLogger).debug(
        `blob ${digest}: ${held.map(t => ledger.get(t).target).join(', ')} already there (another image put it there)`
      )
    if (live.length === 0) {
      progress.start(digest)
      for (const target of held) progress.landed(digest, target, move.blob.size)
      progress.finish(digest)
      return void settle([])
    }
  }
  try {
    await transferOne(api, source, move, live, ledger, progress, options, outcomes => {
      settle?.(outcomes)
      settle = undefined
    })
  } finally {
    settle?.([])
  }
}

/** moveOne's transfer to the `live` deliveries; `settled` hears the outcomes as soon as they are known. */
async function transferOne(
  api: RegistryApi,
  source: Repository,
  move: Plan['moves'][number],
  live: Plan['moves'][number]['deliveries'],
  ledger: Ledger,
  progress: Progress,
  options: PromoteOptions,
  settled: (outcomes: BlobOutcome[]) => void
): Promise<void> {
  const log = options.logger ?? silentLogger
  const { uploadMode, chunkSize, signal, uploadState: state } = options
  const { digest, size } = move.blob
  progress.start(digest)
  const transfer = {
    api,
    source,
    uploadMode,
    chunkSize,
    log,
    signal,
    state,
    onBytes: (n: number): void => progress.add(digest, n),
    onRestart: (): void => progress.restart(digest),
    onLanded: (target: string, n: number): void => progress.landed(digest, target, n),
    onHeld: (targets: string[]): void =>
      progress.held(
        digest,
        targets.map(t => ledger.get(t).target)
      ),
    onResumed: (n: number): void => progress.resumed(digest, n),
    onSessionLeft: (target: string): void => ledger.sessionLeft(target)
  }
  const outcomes = await transferBlob(transfer, move, live)
  settled(outcomes)
  // a remembered donor that did not mount (202, or refused) no longer holds the blob, or may not be read
  for (const o of outcomes) {
    const d = live.find(l => l.target === o.target)
    if (o.action === 'copied' && d?.remembered && d.mountFrom) options.blobMemory?.forget(d.mountFrom, digest)
  }
  for (const o of outcomes) if (o.action !== 'failed') progress.landed(digest, o.target, size)
  progress.finish(
    digest,
    outcomes.some(o => o.action === 'failed')
  )
  for (const o of outcomes) {
    ledger.record(o)
    if (o.action === 'failed' && !isAbort(o.error, signal))
      log.warning(`${ledger.get(o.target).target}: blob ${digest} failed: ${o.error.message}`)
  }
  log.debug(
    `blob ${digest} (${size} bytes): ${outcomes.map(o => `${ledger.get(o.target).target} ${o.action}`).join(', ')}`
  )
}

/** Per target key: the blob HEADs the plan left to execution (plan.ts BlobDelivery.check). */
type Checks = Map<string, BlobChecks>

/**
 * A move's checked deliveries (plan.ts BlobDelivery.check), each once its target's HEAD answers:
 * a blob found there is skipped (the ledger counts it; `checked` gets each answer), a HEAD that failed fails that
 * target; the move then goes on with the deliveries left (streaming only when one still streams).
 * @returns the move as it is carried out, or undefined when nothing is left to deliver
 */
async function checkMove(
  move: Plan['moves'][number],
  checks: Checks,
  ledger: Ledger,
  checked: Map<string, Map<string, boolean>>
): Promise<Plan['moves'][number] | undefined> {
  const { digest } = move.blob
  const answers = await Promise.all(
    move.deliveries.map(async (d): Promise<BlobDelivery | undefined> => {
      const answer = d.check ? checks.get(d.target)?.get(digest) : undefined
      if (!answer) return d
      try {
        const held = holdsBlob(await answer, move.blob.size)
        checked.set(d.target, (checked.get(d.target) ?? new Map<string, boolean>()).set(digest, held))
        if (!held) return d
        ledger.found(d.target)
      } catch (e) {
        ledger.fail(d.target, e as Error)
      }
      return undefined
    })
  )
  const deliveries = answers.filter((d): d is BlobDelivery => d !== undefined)
  if (deliveries.length === move.deliveries.length) return move
  if (deliveries.length === 0) return undefined
  return { ...move, deliveries, bytes: deliveries.some(d => !d.mountFrom) ? move.blob.size : 0 }
}

/**
 * The move phase: every blob move of the plan, largest first, at most `concurrency` slots per
 * registry host (a blob under 1 MiB takes its share of a slot, limiter.ts); a move with checked
 * deliveries awaits their HEADs in its slot (checkMove: a blob's upload starts when its own HEAD
 * answers, not after every HEAD); a target that failed gets no further blob, and none starts once
 * `signal` is aborted.
 * @param checked filled per target key with each check's answer (true: the target holds the blob)
 * @returns source bytes read (retries included)
 */
async function moveBlobs(
  api: RegistryApi,
  source: Repository,
  plan: Plan,
  ledger: Ledger,
  options: PromoteOptions,
  checks: Checks,
  checked: Map<string, Map<string, boolean>>
): Promise<number> {
  const limiter =
    options.shared?.limiter ??
    new HostLimiter(options.concurrency ?? DEFAULT_CONCURRENCY, options.smallBlobsPerSlot)
  const holders = options.shared?.holders
  const weights = plan.moves.map(m => ({ digest: m.blob.digest, size: m.bytes }))
  const progress = new Progress(
    weights,
    options.progressIntervalMs ?? 5000,
    options.onProgress,
    options.progressNow
  )
  await Promise.all(
    plan.moves.map(async planned => {
      const hosts = [source, ...planned.deliveries.map(d => d.repo)].map(r => registryKey(r.registry))
      if (holders) await awaitUploads(holders, planned.blob.digest, planned.deliveries)
      // weighted by the bytes it streams: small blobs share a slot (limiter.ts); taken in plan
      // order (largest first), before the checks answer
      const release = await limiter.acquireAll(hosts, planned.bytes)
      try {
        const move = checks.size ? await checkMove(planned, checks, ledger, checked) : planned
        if (move !== planned) progress.found(planned.blob.digest, move?.bytes ?? 0, move !== undefined)
        if (move) await moveOne(api, source, move, ledger, progress, options)
      } finally {
        release()
      }
    })
  )
  if (!options.signal?.aborted) progress.end()
  return progress.bytesRead
}

/**
 * What the targets' answers said, per target key: the references (the root's digest, tags) whose
 * PUT answered the root's digest in `Docker-Content-Digest` (so no HEAD has to ask again), and the
 * targets that keep the referrers lists themselves (`OCI-Subject`).
 */
interface Answers {
  confirmed: Map<string, Set<string>>
  listsKept: Set<string>
  /** where a word on a PUT answer misreporting its digest goes (putConfirmed) */
  log: Logger
}

/**
 * True when a manifest PUT's refusal may be a blob's link being rewritten, not a missing blob:
 * `MANIFEST_BLOB_UNKNOWN` naming no foreign layer. Distribution rewrites a blob's link (truncate,
 * then write) on every upload or mount of it into the repository, and a manifest PUT that reads it
 * meanwhile answers DIGEST_INVALID; MANIFEST_BLOB_UNKNOWN although the blob landed: another
 * process writing the same blob there (a shard, another job). Our blobs landed before the push
 * phase, so the PUT is sent once more (oras-go re-copies the children on this answer).
 */
function linkRace(e: unknown, m: Manifest): boolean {
  return (
    e instanceof RegistryError &&
    e.hasCode('MANIFEST_BLOB_UNKNOWN') &&
    refusedForeignLayers(e, m).length === 0
  )
}

/**
 * PUTs `m` under `reference` (once more after an answer {@link linkRace} explains); a
 * `Docker-Content-Digest` answer confirms the reference (and the digest).
 */
async function putConfirmed(
  api: RegistryApi,
  t: TargetWork,
  reference: string,
  m: Manifest,
  answers: Answers
): Promise<void> {
  const answer: PutManifestAnswer = {}
  try {
    await api.putManifest(t.repo, reference, m, answer).catch(async (e: unknown) => {
      if (!linkRace(e, m)) throw e
      await api.putManifest(t.repo, reference, m, answer)
    })
  } catch (e) {
    if (!(e instanceof PutDigestMismatchError)) throw foreignLayerError(e, m, t.repo.registry) ?? e
    await checkMisreported(api, t.repo, reference, e, answers.log)
    answer.digest = m.digest
  }
  if (answer.ociSubject && m.json.subject) answers.listsKept.add(t.key)
  if (answer.digest !== m.digest) return
  const confirmed = answers.confirmed.get(t.key) ?? new Set<string>()
  answers.confirmed.set(t.key, confirmed.add(reference).add(m.digest))
}

/**
 * A PUT the registry accepted whose answer reported another digest (PutDigestMismatchError): one
 * GET of the reference it wrote, and the digest of the bytes it serves, say what it stored (no
 * header is evidence here: a registry or proxy that rewrote the PUT's answer may rewrite a HEAD's or
 * GET's Docker-Content-Digest too). The bytes hash to the digest sent: only the answer's header was
 * wrong; a warning says so and the run goes on, as a re-run would find the reference in place.
 * Anything else: the registry did not store what was sent under it. One GET of at most the
 * manifest limit (4 MiB), on a path only a misbehaving registry reaches (distribution-spec
 * "Pulling manifests"; the client's getManifest hashes what it reads).
 * @throws Error `PUT manifest R/N:v1 was accepted (201), but the registry's answer reports digest
 *   X, not Y (the bytes sent), and a GET of R/N:v1 serves bytes hashing to Z (or finds nothing):
 *   the registry did not store what was sent under it`; the GET's own error (RegistryError, …)
 */
async function checkMisreported(
  api: RegistryApi,
  repo: Repository,
  reference: string,
  e: PutDigestMismatchError,
  log: Logger
): Promise<void> {
  // the bytes' digest, whatever the GET's header says (getManifest throws when they disagree)
  const served = await api.getManifest(repo, reference, { allowMissing: true }).then(
    m => m?.digest,
    (err: unknown) => {
      if (err instanceof DigestMismatchError) return err.actual
      throw err
    }
  )
  if (served === e.sent) {
    log.warning(
      `${e.reference}: the registry's answer to its PUT reported digest ${e.reported}, but a GET of it serves bytes hashing to ${e.sent}, the digest sent: the answer's Docker-Content-Digest is wrong (the registry, or a proxy in front of it); going on`
    )
    return
  }
  throw new Error(
    `${e.message}, and a GET of ${e.reference} ${served ? `serves bytes hashing to ${served}` : 'finds nothing'}: the registry did not store what was sent under it`,
    { cause: e }
  )
}

/**
 * Runs `put` (a manifest PUT by digest into `repo`) unless another run on the client (a promotion
 * file's image) pushed that manifest there: it waits for one in flight, and then writes nothing
 * when it landed. Distribution rewrites a manifest's link on every PUT, and an index PUT reading it
 * meanwhile (another image's) answers MANIFEST_BLOB_UNKNOWN. Without `holders`: `put`.
 */
async function pushOnce(
  holders: BlobHolders | undefined,
  repo: Repository,
  digest: string,
  put: () => Promise<void>
): Promise<void> {
  if (!holders) return await put()
  for (let here = holders.at(repo, digest); here !== undefined; here = holders.at(repo, digest)) {
    if (here === true) return
    await here
  }
  const settle = holders.claim(repo, digest, false)
  let landed = false
  try {
    await put()
    landed = true
  } finally {
    settle(landed)
  }
}

/**
 * The push phase: each live target's missing manifests, children first (a referrer after its
 * subject), by digest; not the root of a target whose plan pushes it under `rootTag` (that PUT
 * writes a tag: it belongs to the tag step). A target whose answer to a manifest with `subject`
 * carried `OCI-Subject` keeps the referrers lists itself: its key joins `answers.listsKept` (no
 * fallback tag is written there).
 */
async function pushManifests(
  api: RegistryApi,
  plan: Plan,
  ledger: Ledger,
  answers: Answers,
  holders?: BlobHolders
): Promise<void> {
  await Promise.all(
    plan.targets.map(async t => {
      if (ledger.failed(t.key)) return
      try {
        for (const m of t.push) {
          if (t.rootTag && m.digest === plan.root.digest) continue
          await pushOnce(holders, t.repo, m.digest, () => putConfirmed(api, t, m.digest, m, answers))
          ledger.get(t.key).manifestsPushed++
        }
      } catch (e) {
        ledger.fail(t.key, e as Error)
      }
    })
  )
}

/**
 * The read-modify-writes of one tag one at a time over the runs sharing `shared` (a promotion
 * file's images, holders.ts tagWrites); without: at once.
 */
function tagWriteSerial(shared: SharedPromotion | undefined): TagWriteSerial | undefined {
  if (!shared) return undefined
  return (repo, tag, fn) => shared.tagWrites.run(tagWriteKey(repo, tag), fn)
}

/**
 * Writes one referrers fallback index; on a move, merged with the target's own entries (never
 * dropped). With other runs on the client (`shared`), one at a time per tag, and always merged with
 * what the tag holds then: another image (a record of its own) may have written it since the probe.
 */
async function writeReferrers(
  api: RegistryApi,
  repo: Repository,
  w: TargetWork['referrerWrites'][number],
  shared: SharedPromotion | undefined
): Promise<void> {
  const write = async (): Promise<void> => {
    let index = w.index
    if (w.merge || shared) {
      const existing = await api.getManifest(repo, w.tag, { allowMissing: true })
      if (existing && isIndex(existing)) {
        const merged = mergeIndexes(existing, index)
        if (!merged) return
        index = merged
      }
    }
    await api.putManifest(repo, w.tag, index)
  }
  const serial = tagWriteSerial(shared)
  await (serial ? serial(repo, w.tag, write) : write())
}

/**
 * The tag phase of one target: the root pushed under `rootTag` when the plan says so, then PUT the
 * root under each other tag to create or move, then the referrers fallback tags (none where the
 * target answered `OCI-Subject`), then cosign's tags.
 */
async function writeTags(
  api: RegistryApi,
  plan: Plan,
  t: TargetWork,
  ledger: Ledger,
  answers: Answers,
  shared: SharedPromotion | undefined
): Promise<void> {
  try {
    if (t.rootTag) {
      await putConfirmed(api, t, t.rootTag, plan.root, answers)
      ledger.get(t.key).manifestsPushed++
      ledger.tagged(t.key, t.rootTag)
    }
    for (const tag of t.tagWrites) {
      await putConfirmed(api, t, tag, plan.root, answers)
      ledger.tagged(t.key, tag)
    }
    if (!answers.listsKept.has(t.key))
      for (const w of t.referrerWrites) await writeReferrers(api, t.repo, w, shared)
    for (const w of t.signatureWrites ?? []) await api.putManifest(t.repo, w.tag, w.manifest)
  } catch (e) {
    ledger.fail(t.key, e as Error)
  }
}

/**
 * The references of a target still to be verified: the root's digest and every tag, less those
 * the probe saw at the root's digest and nothing rewrote (the root present, tags kept), and those
 * whose PUT answered the root's digest.
 */
function unconfirmed(plan: Plan, t: TargetWork, answers: Answers): string[] {
  const root = plan.root.digest
  const said = answers.confirmed.get(t.key) ?? new Set<string>()
  const kept = new Set(t.report.tags.filter(x => x.action === 'keep').map(x => x.tag))
  const rootSeen = t.report.manifests.present.includes(root)
  return [root, ...t.tags].filter(r => !said.has(r) && !kept.has(r) && !(r === root && rootSeen))
}

/**
 * The verify phase of one target whose tags were written: when anything was written, HEAD the
 * root by digest and the tags, in parallel, that neither the probe nor a PUT's answer showed
 * serving the root (see unconfirmed). Ends the target's clock.
 */
async function verifyTarget(
  api: RegistryApi,
  plan: Plan,
  t: TargetWork,
  ledger: Ledger,
  answers: Answers
): Promise<void> {
  const root = plan.root.digest
  const result = ledger.get(t.key)
  try {
    if (ledger.failed(t.key)) return
    const asked = t.verify ? unconfirmed(plan, t, answers) : []
    const served = await Promise.all(asked.map(r => api.headManifest(t.repo, r)))
    result.verified = served.every(d => d?.digest === root)
    if (!result.verified)
      ledger.fail(
        t.key,
        new Error(`verification failed: ${result.target} does not serve ${root} under every tag`)
      )
  } catch (e) {
    ledger.fail(t.key, e as Error)
  } finally {
    ledger.finish(t.key)
  }
}

/** A cosign tag at a target that holds other signatures is never replaced silently (tag policy `overwrite`). */
function warnReplacedSignatures(plan: PromotePlan, log: Logger): void {
  for (const t of plan.targets)
    for (const s of t.signatureTags ?? [])
      if (s.action === 'move' && !s.appends)
        log.warning(
          `${t.target}:${s.tag} holds other signatures (${s.from}); tag policy overwrite replaces them with ${s.digest}`
        )
}

/** @throws PromoteError listing every failed target (in target order) after `header`, if any failed */
function throwIfFailed(ledger: Ledger, header?: string, beforeTags = false, interruptedBy?: string): void {
  const list = ledger.failures()
  if (list.length === 0) return
  const lines = list.map(f => `${f.target}: ${f.error.message}`)
  throw new PromoteError(
    header ? `${header}\n  ${lines.join('\n  ')}` : lines.join('\n'),
    list,
    ledger.status(),
    beforeTags,
    interruptedBy
  )
}

/**
 * The header of a failure in the tag step, when a planned tag is missing somewhere: which targets
 * carry which tags now (kept or written), which lack which, and that a re-run writes them (every
 * target held the image's blobs and children, so a re-run only writes manifests and tags).
 * `promotion of sha256:… is incomplete: tags in place on A (v3); missing on B (v3); a re-run
 * writes the missing tags:`. A target whose root manifest goes with its first tag (plan.ts
 * rootByTag: one target, the root pushed last) and failed there does not hold the image either,
 * and is said so.
 * @returns undefined when every target carries every tag it was planned (the failure came after)
 */
function tagStepHeader(root: string, plan: Plan, ledger: Ledger): string | undefined {
  const status = ledger.status()
  const rows = plan.targets.map((t, i) => ({
    ...status[i],
    missing: t.tags.filter(x => !status[i].tagged.includes(x))
  }))
  const lacking = rows.filter(r => r.missing.length)
  if (!lacking.length) return undefined
  const carrying = rows.filter(r => r.tagged.length)
  const inPlace = carrying.length
    ? `tags in place on ${carrying.map(r => `${r.reference} (${r.tagged.join(', ')})`).join(', ')}`
    : 'no tag in place on any target'
  const missing = lacking
    .map(
      r =>
        `${r.reference} (${r.missing.join(', ')}${r.holdsImage ? '' : '; nor the image: its manifest is written with its first tag'})`
    )
    .join(', ')
  const what = lacking.every(r => r.holdsImage) ? 'the missing tags' : 'the missing manifests and tags'
  return `promotion of ${root} is incomplete: ${inPlace}; missing on ${missing}; a re-run writes ${what}:`
}

/** @throws InterruptedError saying what landed at each target, when `signal` was aborted */
function throwIfInterrupted(ledger: Ledger | undefined, signal: AbortSignal | undefined): void {
  if (!signal?.aborted) return
  const landings = ledger?.landings() ?? []
  throw new InterruptedError(signalName(signal), landings, ledger?.status() ?? [], landings.map(landingLine))
}

/**
 * While the tag step runs an abort is told, not obeyed: the tags are finished so that no target is
 * left half-tagged, and the run then ends as it would have (its result, exit 0 when it succeeds).
 * @returns the cleanup (removes the listener)
 */
function tagStepNotice(signal: AbortSignal | undefined, log: Logger): () => void {
  if (!signal) return () => undefined
  const tell = (): void =>
    log.info(
      `interrupted by ${signalName(signal)} during the tag step: finishing the tags so no target is left half-tagged; the result follows`
    )
  signal.addEventListener('abort', tell, { once: true })
  return () => signal.removeEventListener('abort', tell)
}

/**
 * Starts the gate on the source digest (proof/gate.ts, loaded only when a policy is given); its
 * rejection is held until awaited.
 */
function startGate(
  api: RegistryApi,
  source: Repository,
  root: Manifest,
  options: PromoteOptions
): Promise<GateReport> | undefined {
  const policy = options.verify
  if (!policy) return undefined
  const gating = import('../proof/gate.js').then(g => g.runGate(api, source, root.digest, policy, root))
  gating.catch(() => undefined)
  return gating
}

/**
 * Puts the gate's report in the plan, logs each check, and refuses a failed gate.
 * @throws GateError naming each failed check (what was checked, found, wanted)
 */
async function passGate(
  gating: Promise<GateReport> | undefined,
  what: string,
  plan: PromotePlan,
  log: Logger
): Promise<void> {
  if (!gating) return
  const report = await gating
  plan.gate = report
  for (const c of report.checks)
    log.info(`${c.passed ? 'verified' : 'NOT verified'}: ${checkSubject(c)}: ${c.found}`)
  if (!report.passed) {
    const { GateError } = await import('../proof/gate.js')
    throw new GateError(what, report, plan)
  }
}

/**
 * Where the record goes: each target of the plan, with its tags and what each did; a held tag
 * (plan.ts heldBack) names another image, so the record does not list it.
 */
function recordPlaces(plan: Plan): RecordPlace[] {
  return plan.targets.map(t => ({
    target: t.report.target,
    repo: t.repo,
    entry: {
      repository: t.report.target,
      tags: t.report.tags.flatMap(({ tag, action, from }) =>
        action === 'hold' ? [] : [{ tag, action, ...(from ? { from } : {}) }]
      )
    }
  }))
}

/**
 * Looks at every target for a record of the same job (before any write, dry runs too) and puts
 * what each will get in the plan (`write`, or `present` with its digest).
 * @returns what was found, for the record phase; undefined when no record is asked
 */
async function planRecords(
  api: RegistryApi,
  plan: Plan,
  digest: string,
  options: PromoteOptions
): Promise<RecordSeen[] | undefined> {
  if (!options.record) return undefined
  const { lookForRecords, plannedRecord } = await import('../proof/record.js')
  const seen = await lookForRecords(api, digest, recordPlaces(plan), options.record.run)
  plan.targets.forEach((t, i) => (t.report.record = plannedRecord(seen[i], digest)))
  return seen
}

/**
 * The record phase: the signed promotion record at every target (proof/record.ts), each result
 * in the plan's target entry; when it fails, every target fails with it.
 * @throws PromoteError with `interruptedBy` when the signal ended it (every tag was written)
 */
async function writeRecords(
  api: RegistryApi,
  plan: Plan,
  root: Manifest,
  ledger: Ledger,
  seen: RecordSeen[] | undefined,
  options: PromoteOptions
): Promise<RecordResult[] | undefined> {
  const record = options.record
  if (!record || !seen) return undefined
  const { recordPromotion } = await import('../proof/record.js')
  const subject = { digest: root.digest, mediaType: root.mediaType, size: root.bytes.length }
  const report = plan.report
  const predicate = {
    source: { reference: report.source.reference, digest: subject.digest, mediaType: subject.mediaType },
    tagPolicy: {
      policy: options.tagPolicy ?? DEFAULT_TAG_POLICY,
      movingTags: options.movingTags ?? [...DEFAULT_MOVING_TAGS]
    },
    ...(report.gate ? { verification: report.gate } : {})
  }
  try {
    const results = await recordPromotion(
      api,
      subject,
      predicate,
      recordPlaces(plan),
      record,
      seen,
      tagWriteSerial(options.shared),
      options.signal
    )
    results.forEach(
      (r, i) => (plan.targets[i].report.record = { action: r.action, digest: r.digest, listedBy: r.listedBy })
    )
    return results
  } catch (e) {
    // the tags are written (the record phase follows them): a re-run finds them and adds the record
    const why = `promotion record: ${(e as Error).message}; the image is promoted and tagged at every target: run the promotion again to add the record`
    for (const t of plan.targets) {
      ledger.fail(t.key, new Error(why))
      // the plan said `write`: the report says what happened
      if (t.report.record) t.report.record = { action: 'failed', listedBy: t.report.record.listedBy }
    }
    // the signal ended it (a Rekor or TSA being asked, or the record not started): the run was
    // interrupted, exit 130 / 143 as any other, with the same true message
    if (options.signal && isAbort(e, options.signal))
      throwIfFailed(ledger, undefined, false, signalName(options.signal))
    return undefined
  }
}

/**
 * Puts the writes' requests per registry beside the budget left into the plan (`budget`) and
 * reserves them: what is left to the images planned after this one is less by as much, until this
 * one ends; a dry run keeps its reservation for the rest of the run (the client's), standing for
 * what a real run would have spent, so the images planned after it are checked as they would be.
 * @returns the reservation, to run the writes in and release when the promotion ends
 * @throws RequestBudgetError when a registry's remaining total cannot cover them (before any write)
 */
function accountBudget(
  plan: Plan,
  source: Repository,
  budget: RequestBudgetView,
  options: PromoteOptions
): BudgetReservation | undefined {
  const requests = planRequests(plan, source, { mode: options.uploadMode, chunkSize: options.chunkSize })
  const { entries, problems, covering } = checkBudget(requests, budget)
  plan.report.budget = entries
  if (problems.length) throw new RequestBudgetError(problems, covering)
  return budget.reserve?.(requests)
}

/**
 * `platforms` at the source (select.ts), said in the log: which manifest is promoted instead of
 * the source, and whether its digest is the source's.
 * @throws Error from selectPlatforms (a platform missing or ambiguous, a single image of another platform)
 */
async function choose(
  api: RegistryApi,
  source: Repository,
  manifest: Manifest,
  options: PromoteOptions
): Promise<Awaited<ReturnType<typeof selectPlatforms>>> {
  const what = `${formatRepo(source)}@${manifest.digest}`
  const wanted = options.platforms ?? []
  const chosen = await selectPlatforms(api, source, manifest, wanted, what)
  const log = options.logger ?? silentLogger
  const list = chosen.platforms.join(', ')
  if (chosen.root.digest === manifest.digest) log.info(`platforms ${list}: ${what} is promoted as it is`)
  else if (isIndex(chosen.root))
    log.info(
      `platforms ${list}: promoting a new index of those children, ${chosen.root.digest} (not the source's digest ${manifest.digest})`
    )
  else
    log.info(
      `platforms ${list}: promoting that child's own manifest, ${chosen.root.digest} (not the source's digest ${manifest.digest})`
    )
  return chosen
}

/**
 * Executes exactly the plan: blobs, then manifests (children before parents), then each target's tags and its
 * verifying look, then the promotion records. Nothing is re-decided here.
 * @returns bytes read from the source (bytes), per-target outcomes and the records written
 * @throws PromoteError when a target failed (no tag written on any target when it failed before the tag step);
 *   InterruptedError on the signal
 */
async function executePlan(
  api: RegistryApi,
  source: Repository,
  plan: Plan,
  graph: ImageGraph,
  seen: RecordSeen[] | undefined,
  options: PromoteOptions,
  checks: Checks
): Promise<Pick<PromoteResult, 'bytesRead' | 'records' | 'targets'>> {
  const root = graph.root
  const ledger = new Ledger(plan.targets)
  throwIfInterrupted(ledger, options.signal)
  const checked = new Map<string, Map<string, boolean>>()
  const bytesRead = await moveBlobs(api, source, plan, ledger, options, checks, checked).finally(() =>
    settleChecks(plan, graph, checked)
  )
  throwIfInterrupted(ledger, options.signal)
  const answers: Answers = { confirmed: new Map(), listsKept: new Set(), log: options.logger ?? silentLogger }
  await pushManifests(api, plan, ledger, answers, options.shared?.holders)
  throwIfInterrupted(ledger, options.signal)
  throwIfFailed(ledger, `promotion of ${root.digest} ${BEFORE_TAGS}:`, true)
  // each target is verified as soon as its own tags are written
  // from here on the run finishes: a signal no longer ends its requests (no target half-tagged)
  const tagging = tagStepNotice(options.signal, options.logger ?? silentLogger)
  const records = await uninterrupted(async () => {
    await Promise.all(
      plan.targets.map(async t => {
        // images of a file promoting this root into this repository: one at a time (each PUT of the
        // root under a tag rewrites its link, which another's verify HEAD or index PUT reads)
        const tagAndVerify = async (): Promise<void> => {
          await writeTags(api, plan, t, ledger, answers, options.shared)
          await verifyTarget(api, plan, t, ledger, answers)
        }
        const key = tagWriteKey(t.repo, `@${root.digest}`)
        await (options.shared ? options.shared.tagWrites.run(key, tagAndVerify) : tagAndVerify())
      })
    ).finally(tagging)
    throwIfFailed(ledger, tagStepHeader(root.digest, plan, ledger))
    return await writeRecords(api, plan, root, ledger, seen, options)
  })
  throwIfFailed(ledger)
  return { bytesRead, records, targets: ledger.all() }
}

/**
 * The report once the checked blobs (plan.ts BlobDelivery.check) have moved: each blob a check
 * found at its target leaves `mount` / `copy` for `skip` (graph order kept), `bytesToCopy` follows,
 * and `check` keeps only the blobs whose check never ended (an interruption, a failed target).
 */
function settleChecks(plan: Plan, graph: ImageGraph, checked: Map<string, Map<string, boolean>>): void {
  const rank = new Map(graph.blobs.map((b, i) => [b.digest, i]))
  const byRank = (a: { digest: string }, b: { digest: string }): number =>
    (rank.get(a.digest) ?? 0) - (rank.get(b.digest) ?? 0)
  for (const t of plan.targets) {
    const blobs = t.report.blobs
    if (!blobs.check) continue
    const answers = checked.get(t.key) ?? new Map<string, boolean>()
    const here = (b: { digest: string }): boolean => answers.get(b.digest) === true
    blobs.skip = [...blobs.skip, ...blobs.check.filter(here)].sort(byRank)
    blobs.mount = blobs.mount.filter(b => !here(b))
    blobs.copy = blobs.copy.filter(b => !here(b))
    t.report.bytesToCopy = copyBytes(blobs)
    const open = blobs.check.filter(b => !answers.has(b.digest))
    if (open.length) blobs.check = open
    else delete blobs.check
  }
}

/**
 * After a promotion that succeeded: the source and every target hold every blob of the graph;
 * recorded in `memory` and, unless `batched` (the batch writes it once at its end), the record
 * written (blob-memory.ts; never throws).
 */
async function remember(
  memory: BlobMemory | undefined,
  source: Repository,
  targets: Target[],
  graph: ImageGraph,
  batched: boolean,
  logger: Logger
): Promise<void> {
  if (!memory) return
  const digests = graph.blobs.map(b => b.digest)
  for (const repo of [source, ...targets.map(t => t.repo)]) memory.saw(repo, digests)
  if (!batched) await memory.save(logger)
}

/**
 * Promotes `options.source` to every target. See the module comment for the order of work.
 * @returns the plan and, unless a dry run, per-target results (counts, bytes, seconds)
 * @throws TagPolicyError, RequestBudgetError before any write; PromoteError when a target failed (no tags written
 *   when it failed before the tag step); RegistryError / DigestMismatchError from the source.
 */
export async function promote(api: RegistryApi, options: PromoteOptions): Promise<PromoteResult> {
  try {
    return await promoteImage(api, options)
  } catch (e) {
    // a request the signal ended before anything was written (resolve, walk, probe, plan)
    if (!(e instanceof InterruptedError) && isAbort(e, options.signal))
      throwIfInterrupted(undefined, options.signal)
    throw e
  }
}

/** What reading the source gave: its manifest, the platforms chosen, the image's graph, the gate. */
interface SourceRead {
  sourceManifest: Manifest
  selection?: Awaited<ReturnType<typeof choose>>
  graph: ImageGraph
  gating: ReturnType<typeof startGate>
  /** the targets' root and tag HEADs, started as soon as the root's digest was known */
  early: ReturnType<typeof probeRoots>
}

/**
 * Reads the source: resolves the reference, chooses platforms, walks the graph (with referrers),
 * and starts the gate. The targets' root and tag HEADs need only the digest, so they go out while
 * the graph is walked (by digest, from the start).
 */
async function readSource(
  api: RegistryApi,
  source: Repository,
  reference: string,
  targets: Target[],
  options: PromoteOptions,
  logger: Logger
): Promise<SourceRead> {
  const choosing = Boolean(options.platforms?.length)
  // each target's tag listing: first for a promotion file's targets, else beside the root's HEAD
  const listing = options.shared !== undefined ? 'first' : 'beside'
  const byDigest = isDigest(reference) && !choosing ? probeRoots(api, reference, targets, listing) : undefined
  const given = options.root?.digest === reference ? options.root : undefined
  const resolving = given ? Promise.resolve(given) : resolveManifest(api, source, reference)
  // the source's tag listing answers referrer discovery's tag questions: asked beside the root,
  // after it (so a refused credential is reported on the root's GET, transport.ts BasicTurns)
  const tags = options.shared?.sourceTags ?? new SourceTags(api)
  const discovery = discoveryOf(options.referrers)
  if (discovery && (discovery.cosign || !discovery.api)) void tags.listing(source)
  const { includeNonDistributable, referrers } = options
  const walk = (digest: string, root: Manifest | Promise<Manifest>): Promise<ImageGraph> =>
    walkGraph(api, source, digest, {
      includeNonDistributable,
      referrers,
      ...(root instanceof Promise ? { rootArriving: root } : { root }),
      logger: options.logger,
      tags
    })
  // by digest, the walk (the root's referrer lookups) starts beside the root's GET
  const walking = byDigest && !given ? walk(reference, resolving) : undefined
  walking?.catch(() => undefined) // awaited below, unless the root's GET failed first
  const sourceManifest = await resolving
  if (!isDigest(reference)) logger.info(`${formatRepo(source)}:${reference} is ${sourceManifest.digest}`)
  // the gate reads the source while the graph is walked; it is awaited before any write
  const gating = startGate(api, source, sourceManifest, options)
  const selection = choosing ? await choose(api, source, sourceManifest, options) : undefined
  const rootManifest = selection?.root ?? sourceManifest
  // an index's children are HEADed in the root's wave: a target may hold the index without one
  const children = childDescriptors(rootManifest).map(d => d.digest)
  const early = byDigest ?? probeRoots(api, rootManifest.digest, targets, listing, children)
  const graph = await (walking ?? walk(rootManifest.digest, rootManifest))
  return { sourceManifest, selection, graph, gating, early }
}

/**
 * Accepts the plan before any write: the gate passed and the records looked for, no tag-policy
 * violation, the request budget fits; then `onPlan` hears it.
 * @returns the promotion records already at the targets (proof/record.ts), when records are kept,
 *   and the request budget's reservation for the writes (to release when the promotion ends)
 * @throws the gate's refusal, TagPolicyError, RequestBudgetError, CertifyError (keyless: no certificate)
 */
async function acceptPlan(
  api: RegistryApi,
  source: Repository,
  read: SourceRead,
  plan: Plan,
  options: PromoteOptions,
  logger: Logger
): Promise<{ recorded?: RecordSeen[]; reservation?: BudgetReservation; certified?: KeylessSigner }> {
  const what = `${formatRepo(source)}@${read.sourceManifest.digest}`
  const [, recorded] = await Promise.all([
    passGate(read.gating, what, plan.report, logger),
    planRecords(api, plan, read.graph.root.digest, options)
  ])
  if (plan.violations.length) throw new TagPolicyError(plan.violations, plan.report)
  const reservation = options.requestBudget && accountBudget(plan, source, options.requestBudget, options)
  let certified: KeylessSigner | undefined
  try {
    warnReplacedSignatures(plan.report, logger)
    await options.onPlan?.(plan.report)
    if (options.record && recorded && !options.dryRun)
      certified = await certify(options.record, recorded, options.signal)
  } catch (e) {
    reservation?.release()
    throw e
  }
  return { recorded, ...(reservation ? { reservation } : {}), ...(certified ? { certified } : {}) }
}

/** `options` whose record signs under `certified` (the certificate got before any write), when there is one. */
function withCertified(options: PromoteOptions, certified: KeylessSigner | undefined): PromoteOptions {
  return certified && options.record ? { ...options, record: { ...options.record, certified } } : options
}

/**
 * Keyless records: the Fulcio certificate before any write (proof/record.ts certifyRecord), so an
 * outage refuses the run with nothing written (newuser4 #10: it failed after the tags).
 * @throws CertifyError `promotion record: Fulcio URL could not issue a signing certificate (cause);
 *   nothing was written at any target` (cause `no answer within N s` past the request timeout); the
 *   signal's reason when it aborted (promote() makes it an InterruptedError: nothing was written)
 */
async function certify(
  record: RecordOptions,
  seen: RecordSeen[],
  signal: AbortSignal | undefined
): Promise<KeylessSigner | undefined> {
  const { certifyRecord } = await import('../proof/record.js')
  try {
    return await certifyRecord(record, seen, signal)
  } catch (e) {
    if (isAbort(e, signal)) throw e
    throw new CertifyError(`promotion record: ${(e as Error).message}; nothing was written at any target`)
  }
}

/** Every target's blob answers in: `holdings` with each checked blob's HEAD awaited (a failed one throws). */
async function answered(holdings: Holdings[], targets: Target[], checks: Checks): Promise<Holdings[]> {
  return await Promise.all(
    holdings.map(async (h, i) => {
      const pending = checks.get(targets[i].key)
      if (!pending) return h
      const blobs = new Map(h.blobs)
      for (const [digest, answer] of pending) blobs.set(digest, await answer)
      const { unchecked: _, ...rest } = h
      return { ...rest, blobs }
    })
  )
}

/**
 * Probes the targets and plans (plan.ts): where checkLate allows, a target's blob HEADs are sent
 * and left to execution (`checks`, per target key: a blob's upload then starts as soon as its own
 * HEAD answers). A plan the tag policy refuses is made again once every answer is in, so the
 * refusal's plan reads the exact holdings; `checks` is then empty.
 * @throws Error from the HEADs; InterruptedError on the signal
 */
async function probeAndPlan(
  api: RegistryApi,
  source: Repository,
  read: SourceRead,
  targets: Target[],
  options: PromoteOptions,
  logger: Logger
): Promise<{ plan: Plan; checks: Checks }> {
  const { graph } = read
  const late = checkLate(targets, {
    dryRun: options.dryRun,
    shared: options.shared !== undefined,
    remaining: options.requestBudget && (r => options.requestBudget?.remaining(r))
  })
  const checks: Checks = new Map()
  // as many blob HEADs in flight as the limiter lets small transfers move at once (limiter.ts)
  const inFlight =
    (options.concurrency ?? DEFAULT_CONCURRENCY) * (options.smallBlobsPerSlot ?? SMALL_PER_SLOT)
  const defer = targets.map((t, i) =>
    late[i]
      ? (digests: string[]): void =>
          void (digests.length && checks.set(t.key, checkBlobs(api, t.repo, digests, inFlight)))
      : undefined
  )
  const holdings = await probeTargets(
    api,
    graph,
    targets,
    undefined,
    read.early,
    defer,
    options.tagPolicy === 'overwrite' ? undefined : options.tagLines
  )
  await options.blobMemory?.load(logger)
  throwIfInterrupted(undefined, options.signal)
  const seen = options.blobMemory?.sightings()
  const { tagPolicy, movingTags, tagKinds, dryRun } = options
  const planWith = (h: Holdings[]): Plan =>
    planPromotion({
      source,
      reference: options.source.reference,
      graph,
      targets,
      holdings: h,
      tagPolicy,
      movingTags,
      ...(tagKinds ? { tagKinds } : {}),
      ...(options.tagLines ? { tagLines: options.tagLines } : {}),
      dryRun,
      ...(seen ? { seen } : {})
    })
  const first = planWith(holdings)
  const settled = checks.size === 0 || first.violations.length === 0
  const plan = settled ? first : planWith(await answered(holdings, targets, checks))
  sayHeld(plan, options.tagLines, logger)
  sayUnjudged(plan, holdings, options.tagLines, logger)
  return { plan, checks: settled ? checks : new Map() }
}

/**
 * One warning per target that refused its tag listing while a rolling tag moves (probe.ts
 * Holdings.unlisted): the hold (plan.ts heldBack) could not look for a newer release there, so the
 * tags move unchecked (newuser5 N2: they moved back with no word). `holdings` in target order.
 */
function sayUnjudged(
  plan: Plan,
  holdings: Holdings[],
  lines: ReadonlyMap<string, VersionLine> | undefined,
  logger: Logger
): void {
  plan.targets.forEach((t, i) => {
    const why = holdings[i]?.unlisted
    const moving = t.report.tags.filter(x => x.action === 'move' && lines?.has(x.tag)).map(x => x.tag)
    if (!why || !moving.length) return
    const names = moving.length === 1 ? moving[0] : `${moving.slice(0, -1).join(', ')} and ${moving.at(-1)}`
    const verb = moving.length === 1 ? 'was' : 'were'
    logger.warning(
      `${t.report.target}: its tag listing was refused (${why}), so ${names} ${verb} not checked for a newer release and ${moving.length === 1 ? 'moves' : 'move'} to ${lines?.get(moving[0])?.version ?? ''} anyway (a rolling tag is kept at a newer release only where the tags can be listed: let the credentials list them)`
    )
  })
}

/** One warning per rolling tag the plan holds (plan.ts heldBack): where it stays, and why. */
function sayHeld(plan: Plan, lines: ReadonlyMap<string, VersionLine> | undefined, logger: Logger): void {
  for (const t of plan.targets)
    for (const x of t.report.tags.filter(x => x.action === 'hold'))
      logger.warning(
        `${t.report.target}:${x.tag} kept at ${x.heldBy} (${x.from}), newer than this release ${lines?.get(x.tag)?.version ?? ''}: a rolling tag never moves back (tag-policy: overwrite moves it)`
      )
}

/** promote() without the translation of a request the signal ended into an InterruptedError. */
async function promoteImage(api: RegistryApi, options: PromoteOptions): Promise<PromoteResult> {
  const started = Date.now()
  const logger = options.logger ?? silentLogger
  const { registry, repository, reference } = options.source
  const source: Repository = { registry, repository }
  const targets = mergeTargets(options.targets)
  const memory = options.blobMemory
  void memory?.load(logger) // read while the graph is walked
  const read = await readSource(api, source, reference, targets, options, logger)
  const { graph, selection, sourceManifest } = read
  const { plan, checks } = await probeAndPlan(api, source, read, targets, options, logger)
  if (selection)
    plan.report.source.selection = {
      from: sourceManifest.digest,
      platforms: selection.platforms,
      of: isIndex(sourceManifest) ? (sourceManifest.json.manifests ?? []).filter(runtimeSelectable).length : 1
    }
  const { recorded, reservation, certified } = await acceptPlan(api, source, read, plan, options, logger)
  plan.targets.forEach(t => t.report.blobs.skip.forEach(b => options.shared?.holders.hold(t.repo, b.digest)))
  const { digest } = graph.root
  const result: PromoteResult = {
    digest,
    mediaType: graph.root.mediaType,
    plan: plan.report,
    targets: [],
    bytesRead: 0,
    seconds: 0
  }
  if (!options.dryRun) {
    const execute = (): ReturnType<typeof executePlan> =>
      executePlan(api, source, plan, graph, recorded, withCertified(options, certified), checks)
    try {
      Object.assign(result, await (reservation ? reservation.run(execute) : execute()))
    } finally {
      reservation?.release()
    }
    await remember(memory, source, targets, graph, Boolean(options.shared), logger)
  }
  result.seconds = (Date.now() - started) / 1000
  return result
}
