/**
 * The graph of an image by digest: the root manifest or index, every child manifest (attestation
 * manifests with platform unknown/unknown included), and every blob, each once. Manifests are
 * listed children first so they can be pushed bottom-up (distribution-spec "Pushing manifests":
 * referenced content must exist first). Referrers found through the referrers tag schema
 * (distribution-spec "Referrers tag schema") are walked too.
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
import { LIMITS, bytesText } from '../limits.js'

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
}

export interface WalkOptions {
  /** also copy non-distributable (foreign) layers (default false: left in place) */
  includeNonDistributable?: boolean
  /** look for referrers through the fallback tag (default true) */
  referrers?: boolean
}

/** The referrers tag for a digest: `<alg>-<hex>` truncated as the spec's table says. */
export function referrersTag(digest: string): string {
  const [alg, hex] = digest.split(':')
  return `${alg.slice(0, 32)}-${hex.slice(0, 64)}`.replace(/[^a-zA-Z0-9._-]/g, '-')
}

/** A referrers fallback tag lookup, started when its manifest was fetched. */
type Lookup = Promise<Manifest | undefined>

/**
 * Reads the referrers fallback tag lookup of every manifest walked so far (started as each was
 * fetched, see walkGraph) and walks the referrers each lists (`visit`); each fallback index joins
 * `manifests` (once) after its entries.
 */
async function walkReferrers(
  lookups: Map<string, Lookup>,
  manifests: Manifest[],
  seen: Set<string>,
  visit: (digest: string) => Promise<Manifest>
): Promise<ImageGraph['referrerTags']> {
  const referrerTags: ImageGraph['referrerTags'] = []
  const found = await Promise.all(
    manifests.map(async m => ({ tag: referrersTag(m.digest), idx: await lookups.get(m.digest) }))
  )
  for (const { tag, idx } of found) {
    if (!idx || !isIndex(idx)) continue
    for (const r of childDescriptors(idx)) if (!seen.has(r.digest)) await visit(r.digest)
    referrerTags.push({ tag, index: idx })
    if (!seen.has(idx.digest)) {
      seen.add(idx.digest)
      manifests.push(idx)
    }
  }
  return referrerTags
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
 * Walks the graph rooted at `digest` in `repo`, fetching each manifest once by digest.
 * @throws RegistryError / DigestMismatchError from the client; Error for a manifest a child
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
  // the image's manifests (not referrers found later) get their referrers tag looked up at once
  const lookups = new Map<string, Lookup>()
  let lookUp = opts.referrers !== false
  // fetch every manifest once, children in parallel
  const fetch = async (d: string, level = 1): Promise<void> => {
    seen.add(d)
    const manifest = api.getManifest(repo, d)
    if (lookUp) {
      const lookup = manifest.then(() => api.getManifest(repo, referrersTag(d), { allowMissing: true }))
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
    await Promise.all(fresh.map(c => fetch(c, level + 1)))
  }
  // then list them children first, in descriptor order, so the push order is stable
  const placed = new Set<string>()
  const place = (d: string): Manifest => {
    const m = fetched.get(d) as Manifest
    if (placed.has(d)) return m
    placed.add(d)
    for (const c of childDescriptors(m)) place(c.digest)
    for (const b of blobDescriptors(m, opts.includeNonDistributable))
      if (!blobs.has(b.digest)) blobs.set(b.digest, b)
    manifests.push(m)
    return m
  }
  const visit = async (d: string): Promise<Manifest> => {
    await fetch(d)
    return place(d)
  }

  const root = await visit(digest)
  lookUp = false
  const referrerTags = opts.referrers === false ? [] : await walkReferrers(lookups, manifests, seen, visit)
  return { root, manifests, blobs: [...blobs.values()], referrerTags, platforms }
}
