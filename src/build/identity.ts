/**
 * What makes two builds the same build (pure): a digest of the build inputs that define the image,
 * and the deterministic staging tag of a commit + those inputs, so a re-run of a release job finds
 * the image its first run staged instead of building a new digest.
 */
import { createHash } from 'node:crypto'
import type { BuildInputs } from './args.js'

/**
 * sha256 (64 hex) of the inputs that define the image, as canonical JSON (fixed key order, labels
 * sorted by key, `org.opencontainers.image.created` left out): context, file, build args, labels, platforms, target, secret and ssh ids (never
 * values or paths), build contexts, annotations, provenance, sbom, network, add-hosts, shm-size,
 * ulimits, SOURCE_DATE_EPOCH. Left out, as they change how or where it is built, not what: tags,
 * metadata file, cache-from/to, builder, pull, no-cache, the runner's cache URLs.
 * The context's files are not read: the commit the context is checked out from stands for them.
 */
export function buildInputsDigest(inputs: BuildInputs): string {
  const labels = Array.isArray(inputs.labels)
    ? inputs.labels.map(l => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)])
    : Object.entries(inputs.labels)
  // the build time is not an input: a re-run without a commit time would never find its image
  const defining = labels.filter(([k]) => k !== 'org.opencontainers.image.created')
  const canonical = {
    context: inputs.context,
    file: inputs.file ?? '',
    buildArgs: inputs.buildArgs,
    labels: defining.sort(([a], [b]) => (a! < b! ? -1 : a! > b! ? 1 : 0)),
    platforms: inputs.platforms,
    target: inputs.target ?? '',
    secrets: (inputs.secrets ?? []).map(s => s.id),
    ssh: (inputs.ssh ?? []).map(s => s.split('=')[0]),
    buildContexts: inputs.buildContexts ?? [],
    annotations: inputs.annotations ?? [],
    provenance: String(inputs.provenance ?? ''),
    sbom: String(inputs.sbom ?? ''),
    network: inputs.network ?? '',
    addHosts: inputs.addHosts ?? [],
    shmSize: inputs.shmSize ?? '',
    ulimits: inputs.ulimits ?? [],
    sourceDateEpoch: inputs.sourceDateEpoch ?? null
  }
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex')
}

/**
 * The staging tag of a commit and build inputs: `sha-<first 12 hex of the commit>-<first 8 hex of
 * {@link buildInputsDigest}>`, e.g. `sha-860c1904a1ce-3f2a9b1c` (a valid tag, 25 characters).
 * @throws Error when `commitSha` is not 12 to 64 lower-case hex characters.
 */
export function stagingTag(commitSha: string, inputs: BuildInputs): string {
  if (!/^[0-9a-f]{12,64}$/.test(commitSha)) {
    throw new Error(`commit "${commitSha}" is not a hex commit SHA (12 to 64 characters of 0-9a-f)`)
  }
  return `sha-${commitSha.slice(0, 12)}-${buildInputsDigest(inputs).slice(0, 8)}`
}

/** `linux/arm64/v8` → `linux-arm64-v8`: a platform as part of a tag. */
function platformSlug(platform: string): string {
  return platform
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9._]+/g, '-')
    .replace(/^-+|-+$/g, '')
}

/**
 * The staging tag of a build of one platform (issue 21: a matrix job per platform): {@link
 * stagingTag} then `-<platform>` with `/` as `-`, e.g. `sha-860c1904a1ce-3f2a9b1c-linux-arm64`,
 * so the merge finds this commit's platform images by their tags ({@link stagedPlatformTags})
 * without artifacts. A build of no platform (the builder's own) or several keeps {@link stagingTag}.
 * @throws Error from stagingTag
 */
export function platformStagingTag(commitSha: string, inputs: BuildInputs): string {
  const tag = stagingTag(commitSha, inputs)
  return inputs.platforms.length === 1 ? `${tag}-${platformSlug(inputs.platforms[0]!)}` : tag
}

/**
 * The tags of `tags` that {@link platformStagingTag} gave a one-platform build of commit
 * `commitSha` (`sha-<12 hex>-<8 hex>-<platform>`), sorted.
 * @throws Error when `commitSha` is not 12 to 64 lower-case hex characters
 */
export function stagedPlatformTags(tags: string[], commitSha: string): string[] {
  if (!/^[0-9a-f]{12,64}$/.test(commitSha))
    throw new Error(`commit "${commitSha}" is not a hex commit SHA (12 to 64 characters of 0-9a-f)`)
  const re = new RegExp(`^sha-${commitSha.slice(0, 12)}-[0-9a-f]{8}-[a-z0-9][a-z0-9._-]*$`)
  return tags.filter(t => re.test(t)).sort()
}

/**
 * Whether a build may reuse the image an earlier run of this commit and build inputs staged (its
 * {@link stagingTag} found at the staging registry), as a "Re-run jobs" of a release needs (the
 * same digest, so the immutable tags its first attempt wrote are not refused). Pure.
 * - `rebuild`: never (`rebuilt`).
 * - `pull` or `noCache` (build inputs whose only purpose is a fresh build: a newer base image, no
 *   cached layer, as docker/build-push-action users set for a scheduled base-image refresh): only
 *   on a re-run of a run (`runAttempt` 2 or more, GITHUB_RUN_ATTEMPT), which keeps the digest its
 *   first attempt staged; a new run (a schedule, another push of the commit) builds anew
 *   (`fresh`). Before, they were overridden by the reuse without a word (newuser6 #3).
 * - else: reused when found (`reuse`).
 * @param runAttempt GITHUB_RUN_ATTEMPT as a number (1 when absent or not a number)
 * @returns `reuse` (look for it, reuse it when found), `rerun` (the same, on a re-run of a run that
 *   asked for a fresh build), `fresh` or `rebuilt` (build without looking)
 */
export function stagedReuse(
  inputs: { rebuild: boolean; pull?: boolean; noCache?: boolean },
  runAttempt: number
): 'reuse' | 'rerun' | 'fresh' | 'rebuilt' {
  if (inputs.rebuild) return 'rebuilt'
  if (!inputs.pull && !inputs.noCache) return 'reuse'
  return runAttempt >= 2 ? 'rerun' : 'fresh'
}
