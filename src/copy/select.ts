/**
 * `--platform` at the source (crane `copy --platform`): what is promoted when only some platforms
 * are asked for. The choices are platforms.ts's (pure); this module reads what they need: the
 * chosen child by digest, or an image's config blob for its platform (image-spec config.md).
 */
import type { RegistryApi, Repository } from '../registry/api.js'
import { readSmallBlob } from '../registry/small-blob.js'
import { configPlatformOf, formatPlatform, isIndex, type Manifest, type Platform } from '../oci/manifest.js'
import { choosePlatforms, platformMatches, PlatformChoiceError } from './platforms.js'

/** What `--platform` promotes instead of the source. */
export interface Selection {
  /** the manifest promoted: the source itself, one child of it, or a new index of some children */
  root: Manifest
  /** the platforms chosen, as the source lists them (`linux/arm64/v8`) */
  platforms: string[]
}

/**
 * The platform an image's config blob names (image-spec config.md; the rule is oci/manifest.ts
 * configPlatformOf), its config read whole and checked against its digest (readSmallBlob). The one
 * reader of a config's platform: `--platform` on a single image, the merge, and `inspect`.
 * @returns undefined when the image names no config, or its config is not JSON naming an os and an
 *   architecture (an artifact)
 * @throws Error `blob R/N@D declares N bytes, larger than the manifestBytes limit of 4 MiB` (no
 *   GET sent), DigestMismatchError when its bytes do not hash to its digest; RegistryError from the
 *   read
 */
export async function configPlatform(
  api: RegistryApi,
  repo: Repository,
  image: Manifest
): Promise<Platform | undefined> {
  const config = image.json.config
  if (!config) return undefined
  return configPlatformOf(await readSmallBlob(api, repo, config))
}

/**
 * Chooses what to promote of `source` (at `repo`) for the platforms `wanted`
 * (platforms.ts choosePlatforms). An index: one platform gives that child's manifest (read by
 * digest), several a new index of those children (or the source when it lists nothing else). A
 * single image: it is promoted as itself when its config names the one platform wanted.
 * @param what the source for messages (`127.0.0.1:5000/app@sha256:…`)
 * @throws PlatformChoiceError (platforms.ts) when a platform is missing or ambiguous, or when a
 *   single image is asked for several platforms or another platform than its own (the interface
 *   names its option)
 */
export async function selectPlatforms(
  api: RegistryApi,
  repo: Repository,
  source: Manifest,
  wanted: Platform[],
  what: string
): Promise<Selection> {
  const names = wanted.map(formatPlatform).join(', ')
  if (!isIndex(source)) {
    const own = await configPlatform(api, repo, source)
    const ownName = own ? formatPlatform(own) : 'no platform in its config'
    if (wanted.length !== 1 || !own || !platformMatches(wanted[0]!, own))
      throw new PlatformChoiceError(
        names,
        `${what} is a single image (${ownName}), not an index of platforms`
      )
    return { root: source, platforms: [formatPlatform(own)] }
  }
  const choice = choosePlatforms(source, wanted, what)
  if (choice.kind === 'index') return { root: choice.index, platforms: choice.platforms }
  const child = await api.getManifest(repo, choice.descriptor.digest)
  if (!child) throw new Error(`${what} lists ${choice.descriptor.digest}, which the registry does not hold`)
  return { root: child, platforms: choice.platforms }
}
