/**
 * What concurrent promote() runs on one client share (a promotion file's images, src/batch/): one
 * transfer limit per registry host, and which repository on a registry holds, or is uploading
 * right now, each blob. A blob that several images need at one registry then crosses the network
 * to it once: the first run to stream it there claims it; another run about to stream the same
 * blob to that registry waits for the claim to settle, then mounts from the repository that got it
 * (distribution-spec "Mounting a blob from another repository"); when the claimant failed, the
 * next one claims it and streams. A run only waits while it holds no claim of its own, and a
 * claimant never waits for another run, so runs cannot wait for each other in a cycle. Repositories
 * a probe found holding a blob are recorded too, so a later run mounts from them.
 */
import { DEFAULT_CONCURRENCY } from './defaults.js'
import type { RegistryApi, Repository } from '../registry/api.js'
import { registryKey } from '../reference/hosts.js'
import { HostLimiter } from './limiter.js'
import { SourceTags } from '../referrers/source-tags.js'
import type { BlobDelivery } from './plan.js'
import type { BlobOutcome } from './transfer.js'

type Entry = { repo: Repository } | { pending: Promise<void> }

/** Which repository on a registry holds or is uploading a blob (keyed by registryKey and digest). */
export class BlobHolders {
  private readonly entries = new Map<string, Entry>()

  private static key(registry: string, digest: string): string {
    return `${registryKey(registry)} ${digest}`
  }

  /** Records `repo` as holding `digest` (a probe saw it, or a transfer landed), unless one is known. */
  hold(repo: Repository, digest: string): void {
    const key = BlobHolders.key(repo.registry, digest)
    if (!this.entries.has(key)) this.entries.set(key, { repo })
  }

  /** A repository on `registry` known to hold `digest`, an upload to wait for, or undefined. */
  peek(registry: string, digest: string): Entry | undefined {
    return this.entries.get(BlobHolders.key(registry, digest))
  }

  /**
   * Claims the upload of `digest` to `repo`'s registry (nobody holds or uploads it there).
   * @returns settle(landed): `repo` becomes the holder when it landed, else the claim is dropped
   */
  claim(repo: Repository, digest: string): (landed: boolean) => void {
    const key = BlobHolders.key(repo.registry, digest)
    let release = (): void => undefined
    this.entries.set(key, { pending: new Promise<void>(r => (release = r)) })
    return landed => {
      if (landed) this.entries.set(key, { repo })
      else this.entries.delete(key)
      release()
    }
  }
}

/** The state shared by the promote() runs of one batch (PromoteOptions.shared). */
export interface SharedPromotion {
  /** blob transfers at once per registry host, over every run */
  limiter: HostLimiter
  holders: BlobHolders
  /** one tag listing per source repository for every run (referrer discovery, referrers/source-tags.ts) */
  sourceTags: SourceTags
}

/** A fresh shared state for runs on `api`: `perHost` transfers at once per registry host. */
export function sharedPromotion(api: RegistryApi, perHost = DEFAULT_CONCURRENCY): SharedPromotion {
  return { limiter: new HostLimiter(perHost), holders: new BlobHolders(), sourceTags: new SourceTags(api) }
}

const streams = (d: BlobDelivery): boolean => !d.mountFrom || d.after !== undefined

/** Waits until no registry this move would stream `digest` to has an upload of it in flight. */
export async function awaitUploads(
  holders: BlobHolders,
  digest: string,
  live: BlobDelivery[]
): Promise<void> {
  for (;;) {
    const pending = live
      .filter(streams)
      .map(d => holders.peek(d.repo.registry, digest))
      .flatMap(e => (e && 'pending' in e ? [e.pending] : []))
    if (pending.length === 0) return
    await Promise.all(pending)
  }
}

/**
 * Rewrites one blob move's deliveries with what other runs know (see the module comment): a
 * delivery that would stream (or mount from a lead streamed in this move) to a registry where a
 * repository holds the blob mounts from that repository instead; each remaining stream claims its
 * registry. Waits for in-flight uploads first (the claims are then taken with no wait between).
 * @returns the deliveries to carry out, and `settle(outcomes)` to call with the transfer's outcomes
 */
export async function shareDeliveries(
  holders: BlobHolders,
  digest: string,
  live: BlobDelivery[]
): Promise<{ deliveries: BlobDelivery[]; settle: (outcomes: BlobOutcome[]) => void }> {
  await awaitUploads(holders, digest, live)
  const deliveries = live.map(d => {
    const e = streams(d) ? holders.peek(d.repo.registry, digest) : undefined
    return e && 'repo' in e ? { target: d.target, repo: d.repo, mountFrom: e.repo } : d
  })
  const claims = deliveries
    .filter(d => !d.mountFrom)
    .map(d => ({ target: d.target, settle: holders.claim(d.repo, digest) }))
  const repos = new Map(deliveries.map(d => [d.target, d.repo]))
  const settle = (outcomes: BlobOutcome[]): void => {
    const landed = new Set(outcomes.filter(o => o.action !== 'failed').map(o => o.target))
    for (const c of claims) c.settle(landed.has(c.target))
    for (const t of landed) holders.hold(repos.get(t) as Repository, digest)
  }
  return { deliveries, settle }
}
