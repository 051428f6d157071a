/**
 * Which tags a source repository has, from ONE tag listing per repository and run
 * (distribution-spec end-8b "Listing Tags"), so referrer discovery learns whether a referrers
 * fallback tag (`sha256-<hex>`) or a cosign tag (`sha256-<hex>.sig`, `.att`, `.sbom`) exists
 * without asking for each one (a GET and three HEADs per manifest before). A listing longer than
 * {@link MAX_LISTING_PAGES} pages, or one that fails, is not used: each tag is then asked for
 * directly, as before. The listing is taken once, when first needed: a tag pushed after it is not
 * seen (as a HEAD sent a moment earlier would not have seen it).
 */
import type { RegistryApi, Repository } from '../registry/api.js'
import { registryKey } from '../reference/hosts.js'

/** Pages of a tag listing read at most before it is given up for direct asks (2 000 tags). */
export const MAX_LISTING_PAGES = 2

/** The tag listings of one run, one per source repository (shared by every image walked). */
export class SourceTags {
  private readonly lists = new Map<string, Promise<Set<string> | undefined>>()
  constructor(private readonly api: RegistryApi) {}

  /**
   * The repository's tags, listed once however many callers ask (the first call sends the GETs).
   * @returns undefined when the listing failed or went past MAX_LISTING_PAGES: ask each tag directly
   */
  listing(repo: Repository): Promise<Set<string> | undefined> {
    const key = `${registryKey(repo.registry)}/${repo.repository}`
    let list = this.lists.get(key)
    if (!list) {
      list = this.api.listTags(repo, { maxPages: MAX_LISTING_PAGES }).then(
        tags => (tags ? new Set(tags) : undefined),
        () => undefined
      )
      this.lists.set(key, list)
    }
    return list
  }

  /** True or false when the listing says whether `tag` exists in `repo`; undefined when it cannot. */
  async has(repo: Repository, tag: string): Promise<boolean | undefined> {
    return (await this.listing(repo))?.has(tag)
  }
}
