/**
 * The graph of an image by digest: the root manifest or index, every child manifest (attestation
 * manifests with platform unknown/unknown included), and every blob, each once. Manifests are
 * listed children first so they can be pushed bottom-up (distribution-spec "Pushing manifests":
 * referenced content must exist first). Referrers (the referrers API, else the referrers tag
 * schema), referrers of referrers and cosign's tags are walked too, as referrers/selection.ts
 * selects and referrers/discovery.ts finds them.
 */
import type { RegistryApi, Repository } from '../registry/api.js'
import {
  blobDescriptors,
  childDescriptors,
  formatPlatform,
  isIndex,
  type Descriptor,
  type Manifest
} from '../oci/manifest.js'
import { isManifestMediaType } from '../oci/mediatypes.js'
import {
  artifactTypeOf,
  cosignTags,
  fallbackIndex,
  listAtSource,
  referrersTag,
  MAX_REFERRER_DEPTH,
  type SignatureTag,
  type SubjectReferrers
} from '../referrers/discovery.js'
import { discoveryOf, travels, type Discovery, type ReferrerSelection } from '../referrers/selection.js'
import { LIMITS, bytesText } from '../limits.js'
import { silentLogger, type Logger } from '../logger.js'
import { SourceTags } from '../referrers/source-tags.js'
import { RegistryError } from '../registry/errors.js'

export interface ImageGraph {
  root: Manifest
  /** every manifest of the image and its referrers, children before parents, each once */
  manifests: Manifest[]
  /** every blob, each once (by digest) */
  blobs: Descriptor[]
  /** referrers fallback indexes to write as tags: `sha256-<hex>` → index */
  referrerTags: Array<{ tag: string; index: Manifest }>
  /** platform label per child manifest digest (`linux/amd64`, `unknown/unknown`) */
  platforms: Map<string, string>
  /** per subject, the referrers that travel (referrers/discovery.ts); absent: none */
  subjects?: SubjectReferrers[]
  /** cosign tags that travel; absent: none */
  signatureTags?: SignatureTag[]
  /**
   * digests of the manifests and blobs reached only through referrers or signature tags: a target
   * holding the root by digest says nothing about them, so each is asked for (probe.ts)
   */
  detached?: Set<string>
  /** the referrers API is asked (at the targets too); false: the fallback tag only */
  referrersApi?: boolean
}

export interface WalkOptions {
  /** also copy non-distributable (foreign) layers (default false: left in place) */
  includeNonDistributable?: boolean
  /**
   * what travels with the image (referrers/selection.ts discoveryOf): `all` (default, DEFAULT_REFERRERS),
   * `none`, artifact types; `true`: the fallback tag only; `false`: nothing
   */
  referrers?: boolean | ReferrerSelection
  /** the root manifest, already fetched (promote's resolve): not asked for again */
  root?: Manifest
  /**
   * the root manifest still being fetched by the caller (promote's GET by digest), not asked for
   * again: its digest is `digest` already, so its referrer lookups go out at once, beside that GET,
   * instead of one round trip after it
   */
  rootArriving?: Promise<Manifest>
  /** where a referrer dropped for naming another subject is warned about (default: nowhere) */
  logger?: Logger
  /**
   * the run's tag listings (referrers/source-tags.ts), shared by every image of a promotion file: a fallback
   * or cosign tag the repository's listing lacks is not asked for (default: one listing for this walk)
   */
  tags?: SourceTags
}

/** Referrers of one subject fetched at once (their manifests, each a GET). */
export const REFERRER_FETCHES = 8

/** What the lookups of one manifest found at the source: its listed referrers and its cosign tags. */
interface Found {
  list?: Awaited<ReturnType<typeof listAtSource>>
  signatures: Array<{ tag: string; digest: string }>
}
type Lookup = Promise<Found>

/**
 * The lookups of manifest `d` (started once its GET answered, so they overlap the children's): its
 * referrers, and each cosign tag the repository's listing holds (all three when it cannot tell).
 */
function startLookup(
  api: RegistryApi,
  repo: Repository,
  d: string,
  discovery: Discovery,
  tags: SourceTags
): Lookup {
  const signatures = async (): Promise<Found['signatures']> => {
    if (!discovery.cosign) return []
    const listing = await tags.listing(repo)
    const asked = cosignTags(d).filter(tag => listing?.has(tag) ?? true)
    const heads = await Promise.all(asked.map(async tag => ({ tag, h: await api.headManifest(repo, tag) })))
    return heads.flatMap(x => (x.h ? [{ tag: x.tag, digest: x.h.digest }] : []))
  }
  return Promise.all([listAtSource(api, repo, d, discovery, tags), signatures()]).then(([list, s]) => ({
    list,
    signatures: s
  }))
}

/** How the referrer phase reaches the walk: fetch (no placing), place, and what was fetched. */
interface Walker {
  fetch: (d: string) => Promise<void>
  place: (d: string) => Manifest
  seen: Set<string>
  fetched: Map<string, Manifest>
  log: Logger
}

/** Runs `task` on every item, at most `width` at a time; rejects with the first failure. */
async function eachBounded<T>(items: T[], width: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  const lane = async (): Promise<void> => {
    while (next < items.length) await task(items[next++])
  }
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, lane))
}

/**
 * The referrers one subject lists that travel: each fetched (with its graph), its type checked
 * against the discovery's types (the listed `artifactType`, else the manifest's), then placed.
 */
async function takeReferrers(
  w: Walker,
  discovery: Discovery,
  subject: string,
  list: NonNullable<Found['list']>
): Promise<SubjectReferrers | undefined> {
  const referrers: Descriptor[] = []
  const once = new Set<string>()
  const wanted = list.entries.filter(
    e =>
      (e.artifactType === undefined || travels(discovery, e.artifactType)) &&
      !once.has(e.digest) &&
      once.add(e.digest)
  )
  // fetched side by side (10 000 referrers one by one took 418 s), placed in listed order
  const fresh = wanted.map(e => e.digest).filter(d => !w.seen.has(d))
  await eachBounded(fresh, REFERRER_FETCHES, w.fetch)
  for (const e of wanted) {
    const m = w.fetched.get(e.digest) as Manifest
    const named = m.json.subject?.digest
    if (named !== undefined && named !== subject) {
      w.log.warning(`referrer ${e.digest} is listed for ${subject} but its subject is ${named}: left out`)
      continue
    }
    const artifactType = e.artifactType ?? artifactTypeOf(m)
    if (!travels(discovery, artifactType)) continue
    w.place(e.digest)
    referrers.push({ ...e, ...(artifactType ? { artifactType } : {}) })
  }
  if (!referrers.length) return undefined
  const all = list.index?.json.manifests?.length ?? list.entries.length
  const whole = list.index && referrers.length === all ? list.index : undefined
  return { subject, via: list.via, referrers, ...(whole ? { sourceIndex: whole } : {}) }
}

/**
 * The referrer phase (see walkGraph): the image manifests' lookups, then referrers of referrers
 * level by level (at most MAX_REFERRER_DEPTH levels, each subject asked once), then the cosign tags.
 */
async function walkReferrers(
  api: RegistryApi,
  repo: Repository,
  w: Walker,
  discovery: Discovery,
  image: Manifest[],
  lookups: Map<string, Lookup>,
  tags: SourceTags
): Promise<Pick<ImageGraph, 'subjects' | 'signatureTags'>> {
  const subjects: SubjectReferrers[] = []
  const signatureTags: SignatureTag[] = []
  const asked = new Set(image.map(m => m.digest))
  let level = await Promise.all(
    image.map(async m => ({ subject: m.digest, found: await lookups.get(m.digest) }))
  )
  for (let depth = 1; level.length; depth++) {
    const next: string[] = []
    for (const { subject, found } of level) {
      if (found?.list) {
        const taken = await takeReferrers(w, discovery, subject, found.list)
        if (taken) subjects.push(taken)
        for (const r of taken?.referrers ?? []) if (!asked.has(r.digest)) next.push(r.digest)
      }
      for (const s of found?.signatures ?? []) {
        if (!w.seen.has(s.digest)) await w.fetch(s.digest)
        w.place(s.digest)
        signatureTags.push({ ...s, subject })
      }
    }
    if (depth >= MAX_REFERRER_DEPTH) break
    for (const d of next) asked.add(d)
    const deeper = { ...discovery, cosign: false }
    level = await Promise.all(
      next.map(async d => ({
        subject: d,
        found: { list: await listAtSource(api, repo, d, deeper, tags), signatures: [] }
      }))
    )
  }
  return { subjects, signatureTags }
}

/**
 * The referrer phase of walkGraph, into `graph`: the referrers and cosign tags found (walkReferrers),
 * each source fallback index that travels whole appended to the manifests (pushed by digest, as
 * before), the fallback indexes to write per subject, and what is reached only through referrers.
 */
async function addReferrers(
  api: RegistryApi,
  repo: Repository,
  graph: ImageGraph,
  w: Walker,
  discovery: Discovery,
  lookups: Map<string, Lookup>,
  blobs: Map<string, Descriptor>,
  tags: SourceTags
): Promise<void> {
  const { manifests } = graph
  const image = new Set([...manifests.map(m => m.digest), ...blobs.keys()])
  const found = await walkReferrers(api, repo, w, discovery, [...manifests], lookups, tags)
  const subjects = found.subjects ?? []
  const signatureTags = found.signatureTags ?? []
  for (const s of subjects)
    if (s.sourceIndex && !manifests.some(m => m.digest === s.sourceIndex?.digest))
      manifests.push(s.sourceIndex)
  graph.referrerTags = subjects.map(s => ({
    tag: referrersTag(s.subject),
    index: s.sourceIndex ?? fallbackIndex(s.referrers)
  }))
  graph.blobs = [...blobs.values()]
  const detached = [...manifests.map(m => m.digest), ...blobs.keys()].filter(d => !image.has(d))
  if (subjects.length) graph.subjects = subjects
  if (signatureTags.length) graph.signatureTags = signatureTags
  if (detached.length) graph.detached = new Set(detached)
  graph.referrersApi = discovery.api
}

/** A manifest GET answered 404 (distribution-spec end-3: MANIFEST_UNKNOWN, or no error body). */
function isManifestUnknown(e: unknown): e is RegistryError {
  return e instanceof RegistryError && e.method === 'GET' && e.status === 404
}

/**
 * A source index lists child manifests its registry does not have (a garbage collection or an
 * expiry rule deleted them; distribution-spec end-3 answered 404): the image cannot be copied
 * whole. Thrown by {@link walkGraph} before anything is written; the interface adds the way out in
 * its own words (report/tls-words.ts: the platforms option with `platformsLeft`). Message:
 * `127.0.0.1:5404/br/multi@sha256:4c5f… (index) lists linux/arm64 sha256:0560…, which the registry
 * does not have (404 MANIFEST_UNKNOWN): the source image is incomplete; push that platform again`.
 */
export class IndexChildMissingError extends Error {
  /** platforms (`OS/ARCH[/VARIANT]`) of the missing children, in index order; a child without one: none */
  readonly platformsMissing: string[]
  /** the index's other runtime platforms (no `unknown/unknown`), in index order, each once */
  readonly platformsLeft: string[]
  constructor(
    readonly repo: Repository,
    /** the index's digest */
    readonly index: string,
    /** the digests of the children the registry does not have */
    readonly missing: string[],
    children: Descriptor[],
    platforms: Map<string, string>,
    cause: RegistryError
  ) {
    const label = (c: string): string => (platforms.has(c) ? `${platforms.get(c)} ${c}` : `manifest ${c}`)
    const codes = cause.errors.map(e => e.code).join(', ')
    const gone = new Set(missing)
    const one = missing.length === 1
    super(
      `${repo.registry}/${repo.repository}@${index} (index) lists ${missing.map(label).join(', ')}, which the registry does not have (404${codes ? ' ' + codes : ''}): the source image is incomplete; push ${one ? 'that platform' : 'those platforms'} again`,
      { cause }
    )
    this.name = 'IndexChildMissingError'
    this.platformsMissing = missing.flatMap(c => platforms.get(c) ?? [])
    const left = children.filter(c => !gone.has(c.digest) && c.platform).map(c => formatPlatform(c.platform!))
    this.platformsLeft = [...new Set(left)].filter(p => p !== 'unknown/unknown')
  }
}

/**
 * The child descriptors of manifest `d`, each checked to be a manifest; their platforms are
 * recorded in `platforms` (`linux/amd64`, `unknown/unknown`).
 * @throws Error for a child whose media type is not a manifest's
 */
function checkedChildren(d: string, m: Manifest, platforms: Map<string, string>): Descriptor[] {
  const children = childDescriptors(m)
  for (const [i, c] of children.entries()) {
    if (!isManifestMediaType(c.mediaType))
      throw new Error(`index ${d} lists ${c.digest} with media type ${c.mediaType}, which is not a manifest`)
    if (c.size > LIMITS.manifestBytes)
      throw new Error(
        `index ${d}: manifests[${i}] declares ${c.size} bytes, larger than the manifestBytes limit of ${bytesText(LIMITS.manifestBytes)}`
      )
    if (c.platform) platforms.set(c.digest, formatPlatform(c.platform))
  }
  return children
}

/**
 * @throws Error `index REF: indexes nested deeper than the indexDepth limit of 8` when `m`, an
 *   index, sits at `level` (the root is 1) past limits.ts `indexDepth`
 */
function checkDepth(what: string, m: Manifest, level: number): void {
  if (isIndex(m) && level > LIMITS.indexDepth)
    throw new Error(`index ${what}: indexes nested deeper than the indexDepth limit of ${LIMITS.indexDepth}`)
}

/**
 * Lists fetched manifests children first, in descriptor order, so the push order is stable: the
 * returned `place(d)` appends `d`'s manifest to `manifests` after its children (each once) and its
 * blobs to `blobs` (by digest, first seen kept), and returns it.
 */
function placer(
  fetched: Map<string, Manifest>,
  manifests: Manifest[],
  blobs: Map<string, Descriptor>,
  includeNonDistributable: boolean | undefined
): (d: string) => Manifest {
  const placed = new Set<string>()
  const place = (d: string): Manifest => {
    const m = fetched.get(d) as Manifest
    if (placed.has(d)) return m
    placed.add(d)
    for (const c of childDescriptors(m)) place(c.digest)
    for (const b of blobDescriptors(m, includeNonDistributable))
      if (!blobs.has(b.digest)) blobs.set(b.digest, b)
    manifests.push(m)
    return m
  }
  return place
}

/**
 * Walks the graph rooted at `digest` in `repo`, fetching each manifest once by digest.
 * @throws IndexChildMissingError when an index lists children the registry answers 404 for (each
 *   index's children are all asked first, so every missing one is named);
 *   RegistryError / DigestMismatchError from the client; Error for a manifest a child
 *   descriptor names with a non-manifest media type or a size over limits.ts `manifestBytes`, and
 *   for indexes nested deeper than `indexDepth` (the shape of each manifest is checked as it is
 *   parsed, oci/descriptor.ts).
 */
export async function walkGraph(
  api: RegistryApi,
  repo: Repository,
  digest: string,
  opts: WalkOptions = {}
): Promise<ImageGraph> {
  const manifests: Manifest[] = []
  const blobs = new Map<string, Descriptor>()
  const seen = new Set<string>()
  const platforms = new Map<string, string>()

  const fetched = new Map<string, Manifest>()
  // the image's manifests (not referrers found later) get their lookups started at once
  const lookups = new Map<string, Lookup>()
  const discovery = discoveryOf(opts.referrers)
  const tags = opts.tags ?? new SourceTags(api)
  let lookUp = discovery !== undefined
  // fetch every manifest once, children in parallel
  const fetch = async (d: string, level = 1): Promise<void> => {
    seen.add(d)
    const given = d === opts.root?.digest ? opts.root : undefined
    const arriving = d === digest ? opts.rootArriving : undefined
    const manifest = given ? Promise.resolve(given) : (arriving ?? api.getManifest(repo, d))
    if (lookUp && discovery) {
      const lookup = (arriving ? Promise.resolve() : manifest).then(() =>
        startLookup(api, repo, d, discovery, tags)
      )
      lookup.catch(() => undefined) // awaited by walkReferrers, unless the walk failed first
      lookups.set(d, lookup)
    }
    const m = await manifest
    if (!m) throw new Error(`manifest ${d} is missing`)
    checkDepth(`${repo.registry}/${repo.repository}@${d}`, m, level)
    fetched.set(d, m)
    const children = checkedChildren(d, m, platforms)
    // an index may list one digest twice: fetch it once
    const fresh = [...new Set(children.map(c => c.digest))].filter(c => !seen.has(c))
    const settled = await Promise.allSettled(fresh.map(c => fetch(c, level + 1)))
    const failed = settled.flatMap(r => (r.status === 'rejected' ? [r.reason as unknown] : []))
    const gone = fresh.filter((_, i) => isManifestUnknown((settled[i] as PromiseRejectedResult).reason))
    if (gone.length && gone.length === failed.length)
      throw new IndexChildMissingError(repo, d, gone, children, platforms, failed[0] as RegistryError)
    if (failed.length) throw failed[0] as Error
  }
  const place = placer(fetched, manifests, blobs, opts.includeNonDistributable)
  const visit = async (d: string): Promise<Manifest> => {
    await fetch(d)
    return place(d)
  }

  const root = await visit(digest)
  lookUp = false
  const graph: ImageGraph = { root, manifests, blobs: [...blobs.values()], referrerTags: [], platforms }
  if (!discovery) return graph
  const w: Walker = { fetch, place, seen, fetched, log: opts.logger ?? silentLogger }
  await addReferrers(api, repo, graph, w, discovery, lookups, blobs, tags)
  return graph
}
