/**
 * The merge's sources: what the user named (references, bare digests at the staging repository,
 * or `staged`: this commit's platform images found by their tags), read into MergeChild entries
 * (plan.ts). Only reads: manifest GETs (distribution-spec end-3), a tag list (end-8) for `staged`,
 * and each image's config blob (end-2) for its platform.
 */
import type { RegistryApi, Repository } from '../registry/api.js'
import { isDigest } from '../oci/digest.js'
import {
  ATTESTATION_SUBJECT,
  isIndex,
  runtimeSelectable,
  type Descriptor,
  type Manifest
} from '../oci/manifest.js'
import { formatReference, manifestReference, parseReference } from '../reference/index.js'
import { configPlatform } from '../copy/select.js'
import { stagedPlatformTags } from '../build/identity.js'
import { registryReference } from '../reference/transport.js'
import { LIMITS } from '../limits.js'
import type { MergeChild } from './plan.js'

/** One source as named: an image (or index) by tag or digest, or this commit's staged platforms. */
export type MergeSource =
  { kind: 'image'; repo: Repository; reference: string; text: string } | { kind: 'staged' }

/** The word that names this commit's staged platform images. */
export const STAGED = 'staged'

/**
 * Parses one source: `staged`; a bare digest (`sha256:…`, at the staging repository); else an
 * image reference (distribution/reference grammar) by tag or digest.
 * skopeo's `docker://` is dropped, and a URL or another transport refused, as for every reference
 * (reference/transport.ts).
 * @param input the input or argument for messages (`merge`)
 * @param insecure how the interface writes its option for plain http to `host` (transport.ts)
 * @throws Error `merge "x y": invalid reference …` (the ReferenceError's text after the input)
 */
export function parseMergeSource(
  text: string,
  staging: Repository,
  input = 'merge',
  insecure?: (host: string) => string
): MergeSource {
  const t = registryReference(text.trim(), input, insecure)
  if (t === STAGED) return { kind: 'staged' }
  if (/^sha(256|512):/.test(t)) {
    if (!isDigest(t))
      throw new Error(`${input} "${t}": not a digest (sha256: and 64 lower-case hex characters)`)
    return { kind: 'image', repo: staging, reference: t, text: formatReference({ ...staging, digest: t }) }
  }
  try {
    const ref = parseReference(t)
    const repo = { registry: ref.registry, repository: ref.repository }
    return { kind: 'image', repo, reference: manifestReference(ref), text: formatReference(ref) }
  } catch (e) {
    throw new Error(`${input} "${t}": ${(e as Error).message}`)
  }
}

/**
 * This commit's platform images at `staging`: the tags platformStagingTag gave them
 * (`sha-<commit>-<inputs>-<platform>`), read from the repository's tag list.
 * @returns one image source per tag, sorted by tag
 * @throws Error `merge staged: 127.0.0.1:5000/ci/app lists no platform image of commit 0123456789ab (tags sha-0123456789ab-…-OS-ARCH)`;
 *   when the tag list has more than 100 pages
 */
export async function findStaged(
  api: RegistryApi,
  staging: Repository,
  commit: string,
  input = 'merge'
): Promise<MergeSource[]> {
  const tags = await api.listTags(staging, { maxPages: 100 })
  const where = `${staging.registry}/${staging.repository}`
  if (tags === undefined)
    throw new Error(`${input} ${STAGED}: the tag list of ${where} has more than 100 pages`)
  const found = stagedPlatformTags(tags, commit)
  if (!found.length)
    throw new Error(
      `${input} ${STAGED}: ${where} lists no platform image of commit ${commit.slice(0, 12)} (tags sha-${commit.slice(0, 12)}-…-OS-ARCH)`
    )
  return found.map(tag => ({
    kind: 'image',
    repo: staging,
    reference: tag,
    text: formatReference({ ...staging, tag })
  }))
}

/** What reading the sources found: the images, and every problem (each stops the merge before any write). */
export interface Found {
  children: MergeChild[]
  problems: string[]
}

/** One image of a source: its platform from its config, or a problem. */
async function imageChild(
  api: RegistryApi,
  repo: Repository,
  m: Manifest,
  source: string,
  attestations: Descriptor[],
  found: Found
): Promise<void> {
  const platform = await configPlatform(api, repo, m)
  if (!platform) return void found.problems.push(`${source}: ${m.digest} names no platform in its config`)
  const descriptor = { mediaType: m.mediaType, digest: m.digest, size: m.bytes.length }
  found.children.push({ source, repo, descriptor, platform, attestations })
}

/**
 * An index of a source flattened (as `docker buildx imagetools create` does): each image child, an
 * entry a runtime can select (oci/manifest.ts runtimeSelectable; a child index flattened in turn, at
 * most limits.ts `indexDepth` deep), with the attestation manifests (platform unknown/unknown) that
 * point at it.
 */
async function flatten(
  api: RegistryApi,
  repo: Repository,
  index: Manifest,
  source: string,
  found: Found,
  level: number
): Promise<void> {
  if (level > LIMITS.indexDepth)
    return void found.problems.push(
      `${source}: indexes nested deeper than the indexDepth limit of ${LIMITS.indexDepth}`
    )
  const entries = index.json.manifests ?? []
  // an image is every entry a runtime can select, whatever its annotations say (review-mid, sec1's
  // report): one of a real platform annotated as an attestation manifest is merged as an image, so
  // 'one image per platform' sees it
  const attestations = entries.filter(d => !runtimeSelectable(d))
  const images = entries.filter(runtimeSelectable)
  const manifests = await Promise.all(
    images.map(d => api.getManifest(repo, d.digest, { allowMissing: true }))
  )
  for (const [i, m] of manifests.entries()) {
    if (!m) {
      found.problems.push(
        `${source}: lists ${images[i]!.digest}, which ${repo.registry}/${repo.repository} does not hold`
      )
      continue
    }
    if (isIndex(m)) await flatten(api, repo, m, source, found, level + 1)
    else {
      const own = attestations.filter(a => a.annotations?.[ATTESTATION_SUBJECT] === m.digest)
      await imageChild(api, repo, m, source, own, found)
    }
  }
}

/**
 * Reads every source: each manifest by its tag or digest (an index flattened), each image's
 * platform from its config. A source the registry does not hold, an image whose config names no
 * platform, a child an index lists that the registry lacks: each is a problem, all are collected.
 */
export async function readSources(api: RegistryApi, sources: MergeSource[]): Promise<Found> {
  const found: Found = { children: [], problems: [] }
  for (const s of sources) {
    if (s.kind !== 'image') continue
    const m = await api.getManifest(s.repo, s.reference, { allowMissing: true })
    if (!m) found.problems.push(`${s.text}: not found`)
    else if (isIndex(m)) await flatten(api, s.repo, m, s.text, found, 1)
    else await imageChild(api, s.repo, m, s.text, [], found)
  }
  return found
}
