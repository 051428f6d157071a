/**
 * What every target already holds, from HEAD requests only (distribution-spec "Checking if content
 * exists in the registry"): the root manifest by digest and, for an index, its children (a
 * registry's GC may delete a child and keep the index), then — only when the root or a child is
 * missing — each child manifest and each blob below what is missing, plus every tag the plan may
 * write; the manifests and blobs
 * reached only through referrers always (the root says nothing of them), and what the target lists
 * of the referrers (its API, else its fallback indexes by GET) and its cosign tags.
 * Targets are probed in parallel, each with at most `limit` HEADs in flight. promote() starts the
 * HEADs that need only the root digest (probeRoots: the root, then the tags) while it walks the
 * source graph, so a warm target costs no round trip after the walk. No decision is made here:
 * plan.ts reads these answers.
 */
import type { RegistryApi, Repository } from '../registry/api.js'
import { RegistryError } from '../registry/errors.js'
import { isNonDistributable } from '../oci/mediatypes.js'
import { blobDescriptors, childDescriptors, type Manifest } from '../oci/manifest.js'
import type { ImageGraph } from './graph.js'
import { Limiter, mapLimit, SLOT_BYTES } from './limiter.js'
import type { Target } from './targets.js'
import { newerInLine, type VersionLine } from '../tags/line.js'

/** The HEAD answers of one target. */
export interface Holdings {
  /** the root manifest exists by digest (then so does everything it references, see plan.ts) */
  root: boolean
  /**
   * blob digest → size in bytes, or undefined when missing. Only the blobs that were HEADed: every
   * blob when the root is missing, else only non-distributable ones (a registry accepts a manifest
   * without them); in a repository the registry does not know (RootProbe.unknownRepository),
   * every blob under SLOT_BYTES, missing, unasked.
   */
  blobs: Map<string, number | undefined>
  /**
   * blobs whose HEAD went out but whose answer the plan does not wait for (absent from `blobs`):
   * the plan delivers each unless that answer, awaited when its move starts, says it is held
   * (plan.ts BlobDelivery.check; promote.ts pipelines only where no other decision reads it)
   */
  unchecked?: ReadonlySet<string>
  /**
   * child manifest digest → digest the HEAD answered (undefined: missing): every child when the root
   * is missing; else the root index's direct children (a registry's GC may have deleted one), those
   * below a missing one, and the detached ones
   */
  manifests: Map<string, string | undefined>
  /** tag → digest it points at now (undefined: no such tag) */
  tags: Map<string, string | undefined>
  /**
   * the target's version tags newer than this release in the line of a rolling tag that would move
   * (tags/line.ts newerInLine; listed, then HEADed) → digest each names: the plan holds the rolling
   * tag when it names one of them (absent: none listed, or no listing)
   */
  newer?: Map<string, string | undefined>
  /**
   * a rolling tag of a version line would move and the target refused its tag listing (`403
   * DENIED`: the status and the registry's error codes): no newer release could be looked for, so
   * nothing is held (promote.ts warns; newuser5 N2)
   */
  unlisted?: string
  /** referrers fallback tag → digest it points at now (undefined: none) */
  referrerTags: Map<string, string | undefined>
  /** the target's referrers API answered: subject → digests it lists (absent: no API there) */
  referrersListed?: Map<string, Set<string>>
  /** without an API: referrers fallback tag → the index it holds now (undefined: none) */
  fallbackIndexes?: Map<string, Manifest | undefined>
  /** cosign tag → digest it points at now (undefined: none); absent when none travels */
  signatureTags?: Map<string, string | undefined>
  /**
   * cosign tag → the manifest it holds now, for each tag pointing elsewhere than the source's
   * (plan: a move that keeps every layer held there, as cosign's append does, is no violation);
   * undefined when it could not be read as a manifest
   */
  signatureManifests?: Map<string, Manifest | undefined>
}

/** The answers that need only the root digest: the root by digest, and every tag. */
export interface RootProbe {
  /** the root manifest exists by digest */
  root: boolean
  /**
   * child manifest digest → digest the HEAD answered (undefined: missing), for each child of a
   * root index named to probeRoots (`children`), asked in the root's wave
   */
  children?: Map<string, string | undefined>
  /** tag → digest it points at now (undefined: no such tag) */
  tags: Map<string, string | undefined>
  /** the tags of the target's listing, when its first page answered them all */
  listed?: ReadonlySet<string>
  /**
   * the target's tag listing answered 404 (distribution: NAME_UNKNOWN, no tag was ever pushed
   * there): its child manifests and blobs under SLOT_BYTES are taken as missing, unasked
   * (probeTarget), and so are its root and tags when the listing went first (Listing). A repository that holds blobs or untagged manifests but no tag answers
   * so too (a run that failed before its tags): those are then sent again, which the registry
   * accepts (the same digests); larger blobs are still asked about.
   */
  unknownRepository?: true
}

/**
 * A target's tags from the first page of its listing (distribution-spec end-8a): null when the
 * registry does not know the repository (404), undefined when the page cannot tell (more pages,
 * or a refusal such as 401 / 403: the HEADs then ask, and report it).
 * @throws what is not a registry's answer (a network error, the run's interruption)
 */
async function listedTags(api: RegistryApi, repo: Repository): Promise<Set<string> | null | undefined> {
  try {
    const tags = await api.listTags(repo, { maxPages: 1, repositoryMustExist: true })
    return tags && new Set(tags)
  } catch (e) {
    if (e instanceof RegistryError) return e.status === 404 ? null : undefined
    throw e
  }
}

/**
 * Blob HEADs sent and not awaited (digest → the size the target answered in bytes, undefined when
 * missing), each awaited by the move that needs it (promote.ts).
 */
export type BlobChecks = ReadonlyMap<string, Promise<number | undefined>>

/**
 * Sends a HEAD for every blob of `digests` at `repo` (distribution-spec end-2), at most `limit` in
 * flight, in the order given, without awaiting them. Each promise is observed, so a failure nobody
 * awaits (the run failed first) is not unhandled; the move that awaits it gets the error.
 * @returns digest → its answer (size in bytes, or undefined: missing)
 */
export function checkBlobs(api: RegistryApi, repo: Repository, digests: string[], limit = 16): BlobChecks {
  const limiter = new Limiter(limit)
  return new Map(
    digests.map(digest => {
      const p = limiter.acquire().then(async release => {
        try {
          return await api.headBlob(repo, digest)
        } finally {
          release()
        }
      })
      p.catch(() => undefined)
      return [digest, p]
    })
  )
}

/** HEADs manifests (`blob: false`) and blobs, at most `limit` at once; answers keyed `blob:ref`. */
async function headAll(
  api: RegistryApi,
  repo: Repository,
  heads: Array<{ blob: boolean; ref: string }>,
  limit: number
): Promise<Map<string, number | string | undefined>> {
  const answers = await mapLimit(heads, limit, async h =>
    h.blob ? await api.headBlob(repo, h.ref) : (await api.headManifest(repo, h.ref))?.digest
  )
  return new Map(heads.map((h, i) => [`${h.blob}:${h.ref}`, answers[i]]))
}

const manifestHeads = (refs: string[]): Array<{ blob: boolean; ref: string }> =>
  refs.map(ref => ({ blob: false, ref }))

async function headRoot(api: RegistryApi, repo: Repository, digest: string): Promise<boolean> {
  return (await api.headManifest(repo, digest))?.digest === digest
}

/**
 * When each target's tag listing (distribution-spec end-8a) is asked in {@link probeRoots}:
 * `first`, before the root and tag HEADs (a promotion file's images, most bound for repositories
 * not created yet: a repository the registry does not know is then asked nothing more but its
 * blobs of SLOT_BYTES or more, and a tag missing from a one-page listing is not HEADed); `beside`,
 * in the same wave as those HEADs (a single image: no round trip is added, and a repository the
 * registry does not know is spared only its blob HEADs); `none`, not at all.
 */
export type Listing = 'first' | 'beside' | 'none'

/**
 * Starts, for every target at once, the HEADs that need only the root digest, so they run while
 * the source graph is walked: the root by digest and every tag, in one parallel wave (the root's
 * HEAD first: a refused credential fails there, and the others with it, see transport.ts
 * BasicTurns), with the tag listing as `listing` says. A listing answered 404 marks the target
 * RootProbe.unknownRepository, which {@link probeTarget} alone reads (what such a repository is
 * still asked). Batch of 3-layer images with `first`: 1 request where the HEADs of the root, the
 * tag and every blob were 6; one image of 100 × 50 KB with `beside`: 103 requests become 3.
 * @returns one promise per target, in target order, for {@link probeTargets}' `early` (each is
 *   already observed, so a rejection nobody awaits, after a source failure, is not unhandled)
 */
export function probeRoots(
  api: RegistryApi,
  digest: string,
  targets: Target[],
  listing: Listing = 'none',
  children: string[] = []
): Array<Promise<RootProbe>> {
  const limit = 16
  return targets.map(({ repo, tags }) => {
    const p = (async (): Promise<RootProbe> => {
      const listed = listing === 'first' ? await listedTags(api, repo) : undefined
      if (listed === null)
        return { root: false, tags: new Map(tags.map(t => [t, undefined])), unknownRepository: true }
      const asked = listed ? tags.filter(t => listed.has(t)) : tags
      const [root, answer, beside] = await Promise.all([
        headRoot(api, repo, digest),
        headAll(api, repo, manifestHeads([...asked, ...children]), limit),
        // beside, the listing only spares HEADs: a failure of its own (e.g. a refused credential,
        // which the root's HEAD reports in its own words) leaves the blobs to be asked
        listing === 'beside' ? listedTags(api, repo).catch(() => undefined) : undefined
      ])
      const list = listed ?? beside
      const probe = {
        root,
        tags: new Map(tags.map(t => [t, answer.get(`false:${t}`) as string | undefined])),
        ...(list ? { listed: list } : {}),
        ...(children.length
          ? { children: new Map(children.map(c => [c, answer.get(`false:${c}`) as string | undefined])) }
          : {})
      }
      return beside === null && !root ? { ...probe, unknownRepository: true } : probe
    })()
    p.catch(() => undefined)
    return p
  })
}

/**
 * What a target holds of the referrers that travel: when the graph asks the API, the target's
 * referrers API for the first subject (what is learned is remembered per registry by the client),
 * then for the others; without an API there, each fallback index by GET (its entries decide the
 * merge, plan.ts); every cosign tag by HEAD.
 */
async function probeReferrers(
  api: RegistryApi,
  graph: ImageGraph,
  repo: Repository,
  limit: number
): Promise<Pick<Holdings, 'referrersListed' | 'fallbackIndexes' | 'signatureTags' | 'signatureManifests'>> {
  const subjects = (graph.subjects ?? []).map(s => s.subject)
  const out: Pick<Holdings, 'referrersListed' | 'fallbackIndexes' | 'signatureTags' | 'signatureManifests'> =
    {}
  const signatures = (graph.signatureTags ?? []).map(s => s.tag)
  const sigHeads = headAll(api, repo, manifestHeads(signatures), limit)
  if (graph.referrersApi && subjects.length) {
    const first = await api.listReferrers(repo, subjects[0])
    if (first) {
      const rest = await mapLimit(subjects.slice(1), limit, s => api.listReferrers(repo, s))
      const lists = [first, ...rest]
      out.referrersListed = new Map(
        subjects.map((s, i) => [s, new Set(lists[i]?.manifests.map(m => m.digest))])
      )
    }
  }
  if (!out.referrersListed && graph.referrerTags.length) {
    const tags = graph.referrerTags.map(rt => rt.tag)
    const indexes = await mapLimit(tags, limit, t => api.getManifest(repo, t, { allowMissing: true }))
    out.fallbackIndexes = new Map(tags.map((t, i) => [t, indexes[i]]))
  }
  const heads = await sigHeads
  if (signatures.length)
    out.signatureTags = new Map(signatures.map(t => [t, heads.get(`false:${t}`) as string]))
  // a cosign tag pointing elsewhere: its manifest, to tell an append (every layer kept) from a loss
  const moved = (graph.signatureTags ?? []).filter(s => {
    const now = out.signatureTags?.get(s.tag)
    return now !== undefined && now !== s.digest
  })
  if (moved.length) {
    const held = await mapLimit(moved, limit, s =>
      api
        .getManifest(repo, out.signatureTags?.get(s.tag) as string, { allowMissing: true })
        .catch(() => undefined)
    )
    out.signatureManifests = new Map(moved.map((s, i) => [s.tag, held[i]]))
  }
  return out
}

/**
 * The answers for the root index's direct children at a target holding the root: `early`'s
 * (probeRoots `children`, asked in the root's wave), else one HEAD each now (a root by digest,
 * whose children were not known when its HEAD went out).
 * @returns child digest → digest the HEAD answered (undefined: missing); empty for an image
 */
async function heldChildren(
  api: RegistryApi,
  graph: ImageGraph,
  repo: Repository,
  early: Map<string, string | undefined> | undefined,
  limit: number
): Promise<Map<string, string | undefined>> {
  const detached = graph.detached ?? new Set<string>()
  const inGraph = new Set(graph.manifests.map(m => m.digest))
  const digests = childDescriptors(graph.root)
    .map(d => d.digest)
    .filter(d => inGraph.has(d) && !detached.has(d))
  const unasked = digests.filter(d => !early?.has(d))
  const answer = await headAll(api, repo, manifestHeads(unasked), limit)
  return new Map(digests.map(d => [d, early?.has(d) ? early.get(d) : (answer.get(`false:${d}`) as string)]))
}

/** The manifests of `graph` below a lost child (itself excluded), by digest. */
function below(graph: ImageGraph, lost: ReadonlySet<string>): Set<string> {
  const byDigest = new Map(graph.manifests.map(m => [m.digest, m]))
  const out = new Set<string>()
  const visit = (d: string): void => {
    const m = byDigest.get(d)
    for (const c of m ? childDescriptors(m) : []) {
      if (!byDigest.has(c.digest) || out.has(c.digest)) continue
      out.add(c.digest)
      visit(c.digest)
    }
  }
  for (const d of lost) visit(d)
  return out
}

/** The blob digests the manifests `under` (lost children and the manifests below them) reference. */
function lostBlobs(graph: ImageGraph, under: ReadonlySet<string>): Set<string> {
  if (!under.size) return new Set()
  return new Set(
    graph.manifests.filter(m => under.has(m.digest)).flatMap(m => blobDescriptors(m, true).map(b => b.digest))
  )
}

/**
 * The target's version tags newer than this release in the line of each rolling tag of `lines` that
 * would move from another digest (`first`'s answers), HEADed: tag → the digest it names. They are
 * found in `first`'s listing; when it had more than one page (or failed), in the whole listing,
 * asked only then (a listing refused here leaves nothing held, and says why: `unlisted`). No request
 * when no rolling tag would move or the listing has no newer release (the usual release, the newest
 * of its line).
 * @returns `newer` (absent when nothing could move back or nothing was listed), and `unlisted`
 *   (Holdings.unlisted) when the listing was refused
 * @throws what the HEADs throw (RegistryError), as the other probe HEADs
 */
async function newerVersionTags(
  api: RegistryApi,
  repo: Repository,
  digest: string,
  first: RootProbe | undefined,
  lines: ReadonlyMap<string, VersionLine> | undefined,
  limit: number
): Promise<Pick<Holdings, 'newer' | 'unlisted'>> {
  if (!first || first.unknownRepository || !lines?.size) return {}
  const moving = [...first.tags]
    .filter(([t, now]) => lines.has(t) && now !== undefined && now !== digest)
    .map(([t]) => lines.get(t)!)
  if (!moving.length) return {}
  const listed = first.listed ?? (await wholeListing(api, repo))
  if (typeof listed === 'string') return { unlisted: listed }
  const candidates = [...listed].filter(l => moving.some(line => newerInLine(line, l)))
  if (!candidates.length) return {}
  const answer = await headAll(api, repo, manifestHeads(candidates), limit)
  return { newer: new Map(candidates.map(c => [c, answer.get(`false:${c}`) as string | undefined])) }
}

/**
 * Every tag of `repo` (all pages), or, when the registry refused the listing, its answer: the
 * status and error codes (`403 DENIED`).
 */
async function wholeListing(api: RegistryApi, repo: Repository): Promise<Set<string> | string> {
  try {
    return new Set(await api.listTags(repo))
  } catch (e) {
    if (e instanceof RegistryError) return [String(e.status), ...e.errors.map(x => x.code)].join(' ')
    throw e
  }
}

/**
 * What of the graph below the root is asked about at a target: without the root (`rootHeld`
 * false), every blob and manifest; with it, only non-distributable and detached ones, and what is
 * under a child `kept` answered missing (lost to a GC). The children in `kept` are not asked again.
 * @returns blob digests and manifest digests, in graph order
 */
function partsToAsk(
  graph: ImageGraph,
  rootHeld: boolean,
  kept: ReadonlyMap<string, string | undefined>
): { blobs: string[]; children: string[] } {
  const detached = graph.detached ?? new Set<string>()
  const lost = new Set([...kept].filter(([d, answer]) => answer !== d).map(([d]) => d))
  const deeper = lost.size ? below(graph, lost) : new Set<string>()
  const needed = lostBlobs(graph, new Set([...lost, ...deeper]))
  const blobs = graph.blobs
    .filter(
      b => !rootHeld || isNonDistributable(b.mediaType) || detached.has(b.digest) || needed.has(b.digest)
    )
    .map(b => b.digest)
  const children = graph.manifests
    .filter(
      m => m.digest !== graph.root.digest && (!rootHeld || detached.has(m.digest) || deeper.has(m.digest))
    )
    .filter(m => !kept.has(m.digest))
    .map(m => m.digest)
  return { blobs, children }
}

/**
 * The holdings of one target (see the module comment): the root by digest first (a refused
 * credential fails there, before anything else is asked), then every other HEAD at once, at most
 * `limit` in flight. With `early` (probeRoots), the root and the tags are its answers and only the
 * rest is asked here. With `defer`, the blob HEADs are left to it: it gets their digests as soon as
 * the root's answer is known (to send them: checkBlobs; in a repository the registry does not
 * know, only the blobs of SLOT_BYTES or more) and the holdings list them as `unchecked` instead of
 * answering them.
 */
export async function probeTarget(
  api: RegistryApi,
  graph: ImageGraph,
  target: Target,
  limit = 16,
  early?: Promise<RootProbe>,
  defer?: (digests: string[]) => void,
  lines?: ReadonlyMap<string, VersionLine>
): Promise<Holdings> {
  const { repo, tags } = target
  const digest = graph.root.digest
  const first = early ? await early : undefined
  const root = first ? first.root : await headRoot(api, repo, digest)
  // the root index's own children, HEADed although the root is there: a registry's GC or an
  // expiry rule may have deleted one, and then the root's presence proves nothing of its graph.
  // Without the root, probeRoots' answers for them (sent in its wave) are used too, so none is
  // HEADed twice; nothing more is asked for them then
  const kept: Map<string, string | undefined> =
    root || first?.children ? await heldChildren(api, graph, repo, first?.children, limit) : new Map()
  const { blobs, children } = partsToAsk(graph, root, kept)
  // a repository the registry does not know (RootProbe.unknownRepository): its manifests are taken
  // as missing, and so is a blob that costs less to send again than to ask about (under
  // SLOT_BYTES); a larger one is still asked, so a run after a failure does not send it again
  const unknown = first?.unknownRepository === true
  const size = new Map(graph.blobs.map(b => [b.digest, b.size]))
  const asked = unknown ? blobs.filter(d => (size.get(d) ?? SLOT_BYTES) >= SLOT_BYTES) : blobs
  const references = unknown ? [] : [...children, ...(first ? [] : tags)]
  defer?.(asked)
  const unchecked = defer ? new Set(asked) : undefined
  const headed = unchecked ? [] : asked
  const heads = [...headed.map(ref => ({ blob: true, ref })), ...manifestHeads(references)]
  const [answer, referrers, versions] = await Promise.all([
    headAll(api, repo, heads, limit),
    probeReferrers(api, graph, repo, limit),
    newerVersionTags(api, repo, digest, first, lines, limit)
  ])
  const referrerTags = graph.referrerTags.map(rt => rt.tag)
  const indexDigest = (t: string): string | undefined => referrers.fallbackIndexes?.get(t)?.digest
  const manifestAnswers = (refs: string[]): Map<string, string | undefined> =>
    new Map(refs.map(r => [r, answer.get(`false:${r}`) as string | undefined]))
  return {
    root,
    blobs: new Map(
      blobs.filter(b => !unchecked?.has(b)).map(b => [b, answer.get(`true:${b}`) as number | undefined])
    ),
    ...(unchecked ? { unchecked } : {}),
    manifests: new Map([...kept, ...manifestAnswers(children)]),
    tags: first ? first.tags : manifestAnswers(tags),
    ...versions,
    referrerTags: new Map(referrerTags.map(t => [t, indexDigest(t)])),
    ...referrers
  }
}

/**
 * {@link probeTarget} for every target at once; holdings in target order. `early`: probeRoots'
 * promises for these targets (same order), when promote() started them during the walk; `defer`:
 * per target (same order), probeTarget's `defer` (absent: its blob HEADs are answered here);
 * `lines`: the version lines of the rolling tags (tags/line.ts), whose newer releases are asked.
 */
export async function probeTargets(
  api: RegistryApi,
  graph: ImageGraph,
  targets: Target[],
  limit = 16,
  early?: Array<Promise<RootProbe>>,
  defer?: Array<((digests: string[]) => void) | undefined>,
  lines?: ReadonlyMap<string, VersionLine>
): Promise<Holdings[]> {
  return await Promise.all(
    targets.map((t, i) => probeTarget(api, graph, t, limit, early?.[i], defer?.[i], lines))
  )
}
