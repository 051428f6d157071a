/**
 * Promotion by digest (the product's core): resolve the source once, walk its whole graph, plan per
 * target (blobs to skip / mount / copy, manifests to push, tags to create / move / keep, tag-policy
 * violations), then — unless it is a dry run — copy blobs (largest first, each read once for every
 * target that lacks it), push manifests bottom-up by digest, and only when EVERY target holds the
 * complete graph, apply the tags and verify them by HEAD. A failure before the tag step leaves no tag
 * moved anywhere; a re-run skips what already landed and completes the job.
 * Order follows distribution-spec "Pushing manifests" (referenced content first). Transfers are
 * bounded per registry host (HostLimiter); a transient failure of one target is retried twice with a
 * fresh upload session; progress is reported per blob and in total at most once per interval.
 */
import type { Repository, RegistryClient } from '../registry/client.js'
import { silentLogger, type Logger } from '../logger.js'
import { isIndex, mergeIndexes, type Descriptor, type Manifest } from '../oci/manifest.js'
import { isDigest } from '../oci/digest.js'
import { isNonDistributable } from '../oci/mediatypes.js'
import { copyBlob, type BlobCopyOptions, type BlobOutcome, type UploadMode } from './blobs.js'
import { AuthError } from '../auth/authenticator.js'
import { DigestMismatchError, RegistryError } from '../registry/errors.js'
import { walkGraph, type ImageGraph } from './graph.js'
import { HostLimiter, mapLimit } from './limiter.js'

export type TagPolicy = 'immutable' | 'overwrite'

export interface PromoteTarget {
  repo: Repository
  /** tags to point at the promoted digest (may be empty: by digest only) */
  tags: string[]
}

export interface PromoteOptions {
  /** the source repository and the tag or digest to promote */
  source: Repository & { reference: string }
  targets: PromoteTarget[]
  /** `immutable` (default): refuse to move a tag to another digest, except `movingTags` */
  tagPolicy?: TagPolicy
  /** tags that may move under `immutable` (default `latest`, `edge`) */
  movingTags?: string[]
  dryRun?: boolean
  /** copy non-distributable (foreign) layers too (default false) */
  includeNonDistributable?: boolean
  /** walk referrers through the fallback tag schema (default true) */
  referrers?: boolean
  /** transfers at once per registry host (default 8) */
  concurrency?: number
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
}

/** One progress report of the blob phase; bytes are source bytes read, per blob and in total. */
export interface ProgressEvent {
  /** bytes of the blobs to stream read so far (finished blobs count their full size) */
  bytes: number
  /** bytes of every blob that has to be streamed to at least one target (mounts weigh nothing) */
  totalBytes: number
  /** `bytes` over the seconds since the blob phase started */
  rateBytesPerSecond: number
  blobsDone: number
  blobsTotal: number
  /** blobs in transfer now, largest first: bytes read of each (size 0: mounted) */
  active: Array<{ digest: string; size: number; bytes: number }>
  /** true for the last event, once every blob is done */
  done: boolean
}

export interface BlobPlanEntry {
  digest: string
  size: number
}

export interface TagPlanEntry {
  tag: string
  action: 'create' | 'move' | 'keep'
  /** the digest the tag points at now (move, keep) */
  from?: string
}

export interface TargetPlan {
  target: string
  blobs: { skip: BlobPlanEntry[]; mount: BlobPlanEntry[]; copy: BlobPlanEntry[] }
  /** bytes that will move through the client to this target */
  bytesToCopy: number
  manifests: { push: string[]; present: string[] }
  tags: TagPlanEntry[]
  /** referrers fallback tags (`sha256-<hex>`) to write (create, move) or already right (keep) */
  referrerTags: TagPlanEntry[]
  violations: string[]
}

export interface PromotePlan {
  source: { reference: string; digest: string; mediaType: string; platforms: string[] }
  targets: TargetPlan[]
  dryRun: boolean
}

export interface TargetResult {
  target: string
  blobsSkipped: number
  blobsMounted: number
  blobsCopied: number
  /** blob bytes written to this target through the client */
  bytesCopied: number
  manifestsPushed: number
  tags: TagPlanEntry[]
  seconds: number
  verified: boolean
}

export interface PromoteResult {
  digest: string
  mediaType: string
  plan: PromotePlan
  targets: TargetResult[]
  /** bytes read from the source registry */
  bytesRead: number
  seconds: number
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

/** Some targets could not be completed; no tag was written anywhere. */
export class PromoteError extends Error {
  constructor(
    message: string,
    readonly failures: Array<{ target: string; error: Error }>
  ) {
    super(message)
    this.name = 'PromoteError'
  }
}

const fmt = (r: Repository): string => `${r.registry}/${r.repository}`

/**
 * Resolves a tag (or digest) to `{digest, mediaType}` with one HEAD (GET when HEAD is refused).
 * @throws Error naming the reference when it does not exist
 */
export async function resolve(
  client: RegistryClient,
  repo: Repository,
  reference: string
): Promise<Descriptor> {
  const d = await client.headManifest(repo, reference)
  if (!d) throw new Error(`${fmt(repo)}${isDigest(reference) ? '@' : ':'}${reference} does not exist`)
  return d
}

/**
 * Promotes `options.source` to every target. See the module comment for the order of work.
 * @returns the plan and, unless a dry run, per-target results (counts, bytes, seconds)
 * @throws TagPolicyError before any write; PromoteError when a target failed (no tags written);
 *   DigestMismatchError / RegistryError from the source.
 */
export async function promote(client: RegistryClient, options: PromoteOptions): Promise<PromoteResult> {
  const log = options.logger ?? silentLogger
  const started = Date.now()
  const source: Repository = { registry: options.source.registry, repository: options.source.repository }
  const resolved = await resolve(client, source, options.source.reference)
  const digest = resolved.digest
  if (!isDigest(options.source.reference)) log.info(`${fmt(source)}:${options.source.reference} is ${digest}`)
  const graph = await walkGraph(client, source, digest, {
    includeNonDistributable: options.includeNonDistributable,
    referrers: options.referrers
  })
  const plan = await makePlan(client, source, options, graph)
  const violations = plan.targets.flatMap(t => t.violations)
  if (violations.length) throw new TagPolicyError(violations, plan)
  await options.onPlan?.(plan)
  const result: PromoteResult = {
    digest,
    mediaType: graph.root.mediaType,
    plan,
    targets: [],
    bytesRead: 0,
    seconds: 0
  }
  if (options.dryRun) {
    result.seconds = (Date.now() - started) / 1000
    return result
  }

  const perTarget = new Map<string, TargetResult>()
  const failures = new Map<string, Error>()
  const t0 = new Map<string, number>()
  for (const t of options.targets) {
    const tp = plan.targets.find(p => p.target === fmt(t.repo)) as TargetPlan
    perTarget.set(fmt(t.repo), {
      target: fmt(t.repo),
      blobsSkipped: tp.blobs.skip.length,
      blobsMounted: 0,
      blobsCopied: 0,
      bytesCopied: 0,
      manifestsPushed: 0,
      tags: tp.tags,
      seconds: 0,
      verified: false
    })
    t0.set(fmt(t.repo), Date.now())
  }

  // 1. blobs, largest first; each read once for all targets that lack it
  const missing = new Map<string, Repository[]>()
  for (const t of options.targets) {
    const tp = plan.targets.find(p => p.target === fmt(t.repo)) as TargetPlan
    for (const b of [...tp.blobs.mount, ...tp.blobs.copy]) {
      const list = missing.get(b.digest) ?? []
      list.push(t.repo)
      missing.set(b.digest, list)
    }
  }
  const blobs = graph.blobs.filter(b => missing.has(b.digest)).sort((a, b) => b.size - a.size)
  const holders = new Map<string, Repository[]>() // blob digest → targets that already hold it
  options.targets.forEach((t, i) => {
    for (const b of plan.targets[i].blobs.skip)
      holders.set(b.digest, [...(holders.get(b.digest) ?? []), t.repo])
  })
  // progress weighs each blob by the bytes it is planned to stream (0 when every target mounts it)
  const streamed = new Set(plan.targets.flatMap(t => t.blobs.copy.map(b => b.digest)))
  const limiter = new HostLimiter(options.concurrency ?? 8)
  const progress = new Progress(
    blobs.map(b => ({ digest: b.digest, size: streamed.has(b.digest) ? b.size : 0 })),
    options.progressIntervalMs ?? 5000,
    options.onProgress
  )
  await Promise.all(
    blobs.map(async blob => {
      const targets = missing.get(blob.digest) ?? []
      const release = await limiter.acquireAll([source.registry, ...targets.map(t => t.registry)])
      try {
        const live = targets.filter(t => !failures.has(fmt(t)))
        if (live.length === 0) return
        progress.start(blob)
        const outcomes = await copyBlobWithRetry(
          client,
          source,
          blob,
          live,
          {
            uploadMode: options.uploadMode,
            chunkSize: options.chunkSize,
            onBytes: n => progress.add(blob, n),
            donors: holders.get(blob.digest)
          },
          log,
          () => progress.restart(blob)
        )
        progress.finish(blob)
        for (const o of outcomes) {
          const r = perTarget.get(fmt(o.target)) as TargetResult
          if (o.action === 'failed') {
            if (!failures.has(fmt(o.target))) failures.set(fmt(o.target), o.error)
            log.warning(`${fmt(o.target)}: blob ${blob.digest} failed: ${o.error.message}`)
          } else if (o.action === 'mounted') r.blobsMounted++
          else {
            r.blobsCopied++
            r.bytesCopied += o.bytes
          }
        }
        log.debug(
          `blob ${blob.digest} (${blob.size} bytes): ${outcomes.map(o => `${fmt(o.target)} ${o.action}`).join(', ')}`
        )
      } finally {
        release()
      }
    })
  )
  progress.end()
  result.bytesRead = progress.bytesRead

  // 2. manifests bottom-up, by digest
  await Promise.all(
    options.targets.map(async t => {
      const key = fmt(t.repo)
      if (failures.has(key)) return
      const tp = plan.targets.find(p => p.target === key) as TargetPlan
      const toPush = new Set(tp.manifests.push)
      try {
        for (const m of graph.manifests) {
          if (!toPush.has(m.digest)) continue
          await client.putManifest(t.repo, m.digest, m)
          ;(perTarget.get(key) as TargetResult).manifestsPushed++
        }
      } catch (e) {
        failures.set(key, e as Error)
      }
    })
  )
  if (failures.size) {
    const list = [...failures.entries()].map(([target, error]) => ({ target, error }))
    throw new PromoteError(
      `promotion of ${digest} is incomplete; no tag was written on any target:\n  ${list.map(f => `${f.target}: ${f.error.message}`).join('\n  ')}`,
      list
    )
  }

  // 3. tags last, once every target holds the complete graph; then verify
  const byDigest = new Map<string, Manifest>(graph.manifests.map(m => [m.digest, m]))
  await Promise.all(
    options.targets.map(async t => {
      const key = fmt(t.repo)
      const tp = plan.targets.find(p => p.target === key) as TargetPlan
      const r = perTarget.get(key) as TargetResult
      try {
        for (const tag of tp.tags) {
          if (tag.action !== 'keep') await client.putManifest(t.repo, tag.tag, graph.root)
        }
        for (const rt of graph.referrerTags) {
          const action = tp.referrerTags.find(x => x.tag === rt.tag)?.action
          if (action === 'keep') continue
          let index = byDigest.get(rt.index.digest) ?? rt.index
          if (action === 'move') {
            // the target keeps referrers of its own (e.g. signatures made there): merge, never drop them
            const existing = await client.getManifest(t.repo, rt.tag, { allowMissing: true })
            if (existing && isIndex(existing)) {
              const merged = mergeIndexes(existing, index)
              if (!merged) continue
              index = merged
            }
          }
          await client.putManifest(t.repo, rt.tag, index)
        }
        // verify what was written (root by digest and every tag, in parallel); a target where
        // nothing was written was verified by the plan's HEADs
        const wrote =
          r.manifestsPushed > 0 ||
          tp.tags.some(x => x.action !== 'keep') ||
          tp.referrerTags.some(x => x.action !== 'keep')
        const verified =
          !wrote ||
          (
            await Promise.all(
              [digest, ...t.tags].map(async ref => (await client.headManifest(t.repo, ref))?.digest)
            )
          ).every(d => d === digest)
        r.verified = verified
        if (!verified)
          failures.set(key, new Error(`verification failed: ${key} does not serve ${digest} under every tag`))
      } catch (e) {
        failures.set(key, e as Error)
      }
      r.seconds = (Date.now() - (t0.get(key) as number)) / 1000
    })
  )
  if (failures.size) {
    const list = [...failures.entries()].map(([target, error]) => ({ target, error }))
    throw new PromoteError(list.map(f => `${f.target}: ${f.error.message}`).join('\n'), list)
  }
  result.targets = [...perTarget.values()]
  result.seconds = (Date.now() - started) / 1000
  return result
}

function isTransient(e: Error): boolean {
  if (e instanceof DigestMismatchError || e instanceof AuthError) return false
  if (e instanceof RegistryError) return e.temporary
  return true
}

/** A monolithic PUT the registry refused for its size (413): that target gets a chunked upload. */
function refusedMonolithic(e: Error): boolean {
  return e instanceof RegistryError && e.status === 413 && e.method === 'PUT'
}

/**
 * copyBlob, then up to two more tries for targets that failed for a transient reason (connection
 * reset, 5xx): each retry opens a fresh upload session and reads the blob again from the source
 * (RegistryClient.putBlob has already HEADed the target when the finalising PUT got no answer). A target that refused a monolithic PUT with 413 is tried once more with
 * a chunked upload (distribution-spec "Pushing a blob in chunks"). A source failure marks every
 * target failed; it is not thrown. `onRestart` is called before each further read of the source.
 */
async function copyBlobWithRetry(
  client: RegistryClient,
  source: Repository,
  blob: Descriptor,
  targets: Repository[],
  opts: BlobCopyOptions,
  log: Logger,
  onRestart: () => void = () => {}
): Promise<BlobOutcome[]> {
  const done: BlobOutcome[] = []
  let pending = targets
  let chunked: Repository[] = []
  for (let attempt = 0; ; attempt++) {
    let outcomes: BlobOutcome[]
    try {
      outcomes = await copyBlob(client, source, blob, pending, opts)
    } catch (e) {
      outcomes = pending.map(target => ({ target, action: 'failed' as const, error: e as Error }))
    }
    const retry: Repository[] = []
    for (const o of outcomes) {
      if (o.action === 'failed' && opts.uploadMode !== 'chunked' && refusedMonolithic(o.error))
        chunked.push(o.target)
      else if (o.action === 'failed' && attempt < 2 && isTransient(o.error)) retry.push(o.target)
      else done.push(o)
    }
    if (chunked.length) {
      log.debug(
        `blob ${blob.digest}: ${chunked.map(fmt).join(', ')} refused a monolithic upload; uploading in chunks`
      )
      onRestart()
      try {
        done.push(...(await copyBlob(client, source, blob, chunked, { ...opts, uploadMode: 'chunked' })))
      } catch (e) {
        done.push(...chunked.map(target => ({ target, action: 'failed' as const, error: e as Error })))
      }
      chunked = []
    }
    if (retry.length === 0) return done
    log.debug(`blob ${blob.digest}: retrying ${retry.map(fmt).join(', ')} after a transient failure`)
    // the client already HEADs the target when a finalising request got no answer (the blob may
    // have landed), so a retry here starts a fresh session straight away
    pending = retry
    onRestart()
  }
}

/**
 * Progress of the blob phase: per-blob bytes read, totals, and the rate, reported at most once per
 * interval (checked when bytes arrive, so never per chunk), plus a final event.
 */
class Progress {
  /** every source byte read, retries included */
  bytesRead = 0
  private readonly started = Date.now()
  private last = Date.now()
  private readonly active = new Map<string, { digest: string; size: number; bytes: number }>()
  private readonly weights: Map<string, number>
  private doneBytes = 0
  private blobsDone = 0
  private readonly totalBytes: number

  /** @param blobs every blob to move, with the bytes it is planned to stream as its size */
  constructor(
    private readonly blobs: Array<{ digest: string; size: number }>,
    private readonly intervalMs: number,
    private readonly onProgress?: (p: ProgressEvent) => void
  ) {
    this.weights = new Map(blobs.map(b => [b.digest, b.size]))
    this.totalBytes = blobs.reduce((n, b) => n + b.size, 0)
  }

  start(blob: Descriptor): void {
    this.active.set(blob.digest, { digest: blob.digest, size: this.weights.get(blob.digest) ?? 0, bytes: 0 })
  }

  /** the blob is read again from its first byte (retry, chunked fallback) */
  restart(blob: Descriptor): void {
    this.start(blob)
  }

  add(blob: Descriptor, n: number): void {
    this.bytesRead += n
    const a = this.active.get(blob.digest)
    if (a) a.bytes = Math.min(a.size, a.bytes + n)
    const now = Date.now()
    if (now - this.last >= this.intervalMs) {
      this.last = now
      this.emit(false)
    }
  }

  finish(blob: Descriptor): void {
    if (!this.active.delete(blob.digest)) return
    this.doneBytes += this.weights.get(blob.digest) ?? 0
    this.blobsDone++
  }

  end(): void {
    if (this.blobs.length) this.emit(true)
  }

  private emit(done: boolean): void {
    if (!this.onProgress) return
    const active = [...this.active.values()].map(a => ({ ...a })).sort((a, b) => b.size - a.size)
    const bytes = this.doneBytes + active.reduce((n, a) => n + a.bytes, 0)
    const seconds = Math.max(0.001, (Date.now() - this.started) / 1000)
    this.onProgress({
      bytes,
      totalBytes: this.totalBytes,
      rateBytesPerSecond: Math.round(bytes / seconds),
      blobsDone: this.blobsDone,
      blobsTotal: this.blobs.length,
      active,
      done
    })
  }
}

async function makePlan(
  client: RegistryClient,
  source: Repository,
  options: PromoteOptions,
  graph: ImageGraph
): Promise<PromotePlan> {
  const policy = options.tagPolicy ?? 'immutable'
  const moving = new Set(options.movingTags ?? ['latest', 'edge'])
  const digest = graph.root.digest
  const targets = await Promise.all(
    options.targets.map(async (t): Promise<TargetPlan> => {
      const tp: TargetPlan = {
        target: fmt(t.repo),
        blobs: { skip: [], mount: [], copy: [] },
        bytesToCopy: 0,
        manifests: { push: [], present: [] },
        tags: [],
        referrerTags: [],
        violations: []
      }
      const rootPresent = (await client.headManifest(t.repo, digest))?.digest === digest
      // when the root is present by digest, its whole graph is (registries accept a manifest only
      // when everything it references exists), so nothing below it needs checking — except
      // non-distributable layers (only walked with includeNonDistributable), which a registry
      // accepts a manifest without
      const blobState = await mapLimit(graph.blobs, 16, async b =>
        rootPresent && !isNonDistributable(b.mediaType) ? b.size : await client.headBlob(t.repo, b.digest)
      )
      graph.blobs.forEach((b, i) => {
        const entry = { digest: b.digest, size: b.size }
        if (blobState[i] !== undefined) tp.blobs.skip.push(entry)
        else if (
          source.registry.toLowerCase() === t.repo.registry.toLowerCase() &&
          source.repository !== t.repo.repository
        ) {
          tp.blobs.mount.push(entry)
        } else {
          tp.blobs.copy.push(entry)
          tp.bytesToCopy += b.size
        }
      })
      const manifestState = await mapLimit(graph.manifests, 16, async m =>
        rootPresent
          ? m.digest
          : m.digest === digest
            ? undefined
            : (await client.headManifest(t.repo, m.digest))?.digest
      )
      graph.manifests.forEach((m, i) =>
        (manifestState[i] === m.digest ? tp.manifests.present : tp.manifests.push).push(m.digest)
      )
      for (const tag of t.tags) {
        const current = (await client.headManifest(t.repo, tag))?.digest
        if (current === undefined) tp.tags.push({ tag, action: 'create' })
        else if (current === digest) tp.tags.push({ tag, action: 'keep', from: current })
        else {
          tp.tags.push({ tag, action: 'move', from: current })
          if (policy === 'immutable' && !moving.has(tag)) {
            tp.violations.push(
              `${fmt(t.repo)}:${tag} points at ${current}; promoting ${digest} would move it`
            )
          }
        }
      }
      for (const rt of graph.referrerTags) {
        const current = (await client.headManifest(t.repo, rt.tag))?.digest
        if (current === undefined) tp.referrerTags.push({ tag: rt.tag, action: 'create' })
        else if (current === rt.index.digest)
          tp.referrerTags.push({ tag: rt.tag, action: 'keep', from: current })
        else tp.referrerTags.push({ tag: rt.tag, action: 'move', from: current })
      }
      return tp
    })
  )
  // a blob that several targets on one registry must copy is streamed to the first of them and
  // mounted into the others from it, or mounted from a target there that already holds it (copyBlob
  // does the same), so it crosses the network at most once per registry
  const streamedTo = new Map<string, Set<string>>() // blob digest → registries that hold it or will
  options.targets.forEach((t, i) => {
    for (const b of targets[i].blobs.skip) {
      const regs = streamedTo.get(b.digest) ?? new Set<string>()
      regs.add(t.repo.registry.toLowerCase())
      streamedTo.set(b.digest, regs)
    }
  })
  options.targets.forEach((t, i) => {
    const tp = targets[i]
    const registry = t.repo.registry.toLowerCase()
    tp.blobs.copy = tp.blobs.copy.filter(b => {
      const regs = streamedTo.get(b.digest) ?? new Set<string>()
      streamedTo.set(b.digest, regs)
      if (!regs.has(registry)) {
        regs.add(registry)
        return true
      }
      tp.blobs.mount.push(b)
      tp.bytesToCopy -= b.size
      return false
    })
  })
  return {
    source: {
      reference: `${fmt(source)}${isDigest(options.source.reference) ? '@' : ':'}${options.source.reference}`,
      digest,
      mediaType: graph.root.mediaType,
      platforms: [...new Set(graph.platforms.values())]
    },
    targets,
    dryRun: options.dryRun ?? false
  }
}
