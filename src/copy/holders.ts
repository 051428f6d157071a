/**
 * What concurrent promote() runs on one client share (a promotion file's images, src/batch/): one
 * transfer limit per registry host, and which repository on a registry holds, or is uploading
 * right now, each blob. A blob that several images need at one registry then crosses the network
 * to it once: the first run to stream it there claims it; another run about to stream the same
 * blob to that registry waits for the claim to settle, then mounts from the repository that got it
 * (distribution-spec "Mounting a blob from another repository"); when the claimant failed, the
 * next one claims it and streams. Per repository, a blob is delivered (streamed or mounted) once:
 * a run whose repository another run is delivering the blob to waits for it, and writes nothing
 * there once it landed (the blob is then skipped there), so no run PUTs a manifest while another
 * rewrites the link of a blob it references. A run only waits while it holds no claim on that
 * blob, and a claimant never waits for another run, so runs cannot wait for each other in a cycle.
 * Repositories a probe found holding a blob are recorded too, so a later run mounts from them.
 */
import { DEFAULT_CONCURRENCY } from './defaults.js'
import type { RegistryApi, Repository } from '../registry/api.js'
import { registryKey } from '../reference/hosts.js'
import { HostLimiter, KeyedSerial } from './limiter.js'
import { SourceTags } from '../referrers/source-tags.js'
import type { BlobDelivery } from './plan.js'
import type { BlobOutcome } from './transfer.js'

type Entry = { repo: Repository } | { pending: Promise<void> }

/** A claim's settle: `landed` says whether the blob got there. */
export type Settle = (landed: boolean) => void

/**
 * Which repository on a registry holds or is uploading a blob (keyed by registryKey and digest),
 * and which repositories hold a blob or have a delivery of it (stream or mount) in flight.
 */
export class BlobHolders {
  private readonly entries = new Map<string, Entry>()
  /** per repository and digest: true once it holds the blob, or the delivery in flight there */
  private readonly repos = new Map<string, true | Promise<void>>()

  private static key(registry: string, digest: string): string {
    return `${registryKey(registry)} ${digest}`
  }

  private static repoKey(repo: Repository, digest: string): string {
    return `${registryKey(repo.registry)} ${repo.repository} ${digest}`
  }

  /** Records `repo` as holding `digest` (a probe saw it, or a transfer landed), unless one is known. */
  hold(repo: Repository, digest: string): void {
    const key = BlobHolders.key(repo.registry, digest)
    if (!this.entries.has(key)) this.entries.set(key, { repo })
    this.repos.set(BlobHolders.repoKey(repo, digest), true)
  }

  /** A repository on `registry` known to hold `digest`, an upload to wait for, or undefined. */
  peek(registry: string, digest: string): Entry | undefined {
    return this.entries.get(BlobHolders.key(registry, digest))
  }

  /** true: `repo` holds `digest`; a promise: a delivery of it there is in flight; undefined: neither. */
  at(repo: Repository, digest: string): true | Promise<void> | undefined {
    return this.repos.get(BlobHolders.repoKey(repo, digest))
  }

  /**
   * Claims the delivery of `digest` to `repo` (nobody holds it there or delivers it there), and,
   * when `streams`, its upload to `repo`'s registry (nobody holds or uploads it there).
   * @returns settle(landed): `repo` becomes a holder when it landed, else the claims are dropped
   */
  claim(repo: Repository, digest: string, streams: boolean): Settle {
    const key = BlobHolders.key(repo.registry, digest)
    const repoKey = BlobHolders.repoKey(repo, digest)
    let release = (): void => undefined
    const pending = new Promise<void>(r => (release = r))
    this.repos.set(repoKey, pending)
    if (streams) this.entries.set(key, { pending })
    return landed => {
      if (landed) this.repos.set(repoKey, true)
      else this.repos.delete(repoKey)
      if (streams && landed) this.entries.set(key, { repo })
      else if (streams) this.entries.delete(key)
      else if (landed) this.hold(repo, digest)
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
  /**
   * read-modify-writes of one tag (a referrers fallback index `sha256-<hex>`: records, copied
   * referrers), one at a time per target repository and tag over every run ({@link tagWriteKey})
   */
  tagWrites: KeyedSerial
}

/** The key of a tag of a target repository in {@link SharedPromotion.tagWrites}. */
export function tagWriteKey(repo: Repository, tag: string): string {
  return `${registryKey(repo.registry)} ${repo.repository}:${tag}`
}

/** A fresh shared state for runs on `api`: `perHost` transfers at once per registry host. */
export function sharedPromotion(api: RegistryApi, perHost = DEFAULT_CONCURRENCY): SharedPromotion {
  return {
    limiter: new HostLimiter(perHost),
    holders: new BlobHolders(),
    sourceTags: new SourceTags(api),
    tagWrites: new KeyedSerial()
  }
}

const streams = (d: BlobDelivery): boolean => !d.mountFrom || d.after !== undefined

/**
 * What this move would have to wait for now: a delivery in flight to one of its repositories, or
 * an upload in flight to a registry it would stream to.
 */
function inFlight(holders: BlobHolders, digest: string, live: BlobDelivery[]): Array<Promise<void>> {
  const waits = new Set<Promise<void>>()
  for (const d of live) {
    const here = holders.at(d.repo, digest)
    if (here instanceof Promise) waits.add(here)
    const e = streams(d) ? holders.peek(d.repo.registry, digest) : undefined
    if (e && 'pending' in e) waits.add(e.pending)
  }
  return [...waits]
}

/**
 * Waits until no repository of this move has a delivery of `digest` in flight, and no registry it
 * would stream `digest` to has an upload of it in flight.
 */
export async function awaitUploads(
  holders: BlobHolders,
  digest: string,
  live: BlobDelivery[]
): Promise<void> {
  for (let waits = inFlight(holders, digest, live); waits.length; waits = inFlight(holders, digest, live))
    await Promise.all(waits)
}

/**
 * Rewrites one blob move's deliveries with what other runs know (see the module comment): a
 * delivery to a repository that another run already put the blob in is dropped (`held`: nothing is
 * written there again; distribution rewrites a blob's link on every upload or mount, and a
 * manifest PUT that reads it meanwhile answers MANIFEST_BLOB_UNKNOWN); a delivery that would stream
 * (or mount from a lead streamed in this move) to a registry where a repository holds the blob
 * mounts from that repository instead; each remaining delivery claims its repository, and each
 * remaining stream its registry. Waits for in-flight deliveries first; the check that none is in
 * flight and the claims are taken in one turn (no await between), so two runs that resume
 * together cannot both claim.
 * @returns the deliveries to carry out, the targets `held` already, and `settle(outcomes)` to call
 *   with the transfer's outcomes
 */
export async function shareDeliveries(
  holders: BlobHolders,
  digest: string,
  live: BlobDelivery[]
): Promise<{ deliveries: BlobDelivery[]; held: string[]; settle: (outcomes: BlobOutcome[]) => void }> {
  for (let waits = inFlight(holders, digest, live); waits.length; waits = inFlight(holders, digest, live))
    await Promise.all(waits)
  const held = live.filter(d => holders.at(d.repo, digest) === true).map(d => d.target)
  const deliveries = live
    .filter(d => !held.includes(d.target))
    .map(d => {
      const e = streams(d) ? holders.peek(d.repo.registry, digest) : undefined
      return e && 'repo' in e ? { target: d.target, repo: d.repo, mountFrom: e.repo } : d
    })
  const claims = deliveries.map(d => ({
    target: d.target,
    settle: holders.claim(d.repo, digest, !d.mountFrom)
  }))
  const settle = (outcomes: BlobOutcome[]): void => {
    const landed = new Set(outcomes.filter(o => o.action !== 'failed').map(o => o.target))
    for (const c of claims) c.settle(landed.has(c.target))
  }
  return { deliveries, held, settle }
}
