/**
 * What travels with an image: the referrers selection of the options (`all`, `none`, or artifact
 * types; `cosign` for cosign's tags), its default, and the discovery it asks for (discovery.ts runs
 * it at the source). Pure constants and functions, no imports (options.ts loads this at start-up).
 */

/** What travels with an image: `all`, `none`, or only these artifact types (`cosign`: cosign's tags). */
export type ReferrerSelection = 'all' | 'none' | string[]

/** The artifact type cosign's tag scheme counts as in a {@link ReferrerSelection}. */
export const COSIGN = 'cosign'

/**
 * What travels with the image when not told: everything (the referrers API, else the fallback tag;
 * referrers of referrers; cosign's tags; {@link discoveryOf}). The same for promote() and
 * walkGraph() called without `referrers` as for the action, the CLI and promotion files (the
 * options schema shows it as their default).
 */
export const DEFAULT_REFERRERS = 'all' as const

/** How discovery runs for one promotion. */
export interface Discovery {
  /** ask the referrers API first (false: the fallback tag only, what `true` asks for) */
  api: boolean
  /** look for cosign's `.sig` / `.att` / `.sbom` tags */
  cosign: boolean
  /** artifact types that travel; undefined: every type */
  types?: Set<string>
}

/**
 * The discovery a selection asks for. Undefined is {@link DEFAULT_REFERRERS} (`all`, the
 * interfaces' default too); `true` is the fallback tag only, as before the selection existed;
 * `false` and `none` walk nothing.
 * @returns undefined when nothing travels
 */
export function discoveryOf(selection: boolean | ReferrerSelection | undefined): Discovery | undefined {
  const s = selection ?? DEFAULT_REFERRERS
  if (s === false || s === 'none') return undefined
  if (s === true) return { api: false, cosign: false }
  if (s === 'all') return { api: true, cosign: true }
  const types = new Set(s.filter(t => t !== COSIGN))
  return { api: true, cosign: s.includes(COSIGN), types }
}

/** True when a referrer of type `type` (a manifest's artifact type) travels under discovery `d`. */
export function travels(d: Discovery, type: string | undefined): boolean {
  return !d.types || (type !== undefined && d.types.has(type))
}
