/**
 * The promotion file: a reviewable record of a release train, read with the `yaml` package and
 * checked whole before any request. Format:
 *
 *   defaults:
 *     targets: [ghcr.io/acme, 1234.dkr.ecr.eu-west-1.amazonaws.com/acme]  # prefixes: PREFIX/NAME
 *     tag-policy: immutable        # optional: immutable or overwrite
 *     moving-tags: [latest, edge]  # optional: tags that may move under immutable
 *     referrers: all               # optional, as the referrers input: all (default), none, or
 *                                  # artifact types (a comma list or a YAML list; cosign = cosign's tags)
 *   images:
 *     - name: app                  # repository name under every prefix
 *       source: staging.acme.dev/app:rc-42   # a tag (resolved once) or NAME@sha256:…
 *       tags: [v1.4.0, latest]     # optional (none: by digest only)
 *       targets: [quay.io/acme/app]          # optional: whole repositories, replacing the defaults
 *       tag-policy, moving-tags, referrers   # optional: override the defaults for this image
 *
 * Every field is checked (types, unknown keys, references by the grammar and each registry's
 * naming rules, tags, options by options.ts), and across images: duplicate names, and two images
 * aimed at the same target repository and tag with different sources. Each error names the file,
 * the image entry (index and name) and the field. Pure: the caller reads the file.
 */
import { inline } from '../neutralise.js'
import { LineCounter, parseDocument } from 'yaml'
import {
  formatReference,
  manifestReference,
  parseReference,
  ReferenceError,
  validateForRegistry,
  type Reference,
  type RegistryKind
} from '../reference/index.js'
import {
  FILE_OWNED_OPTIONS,
  OptionError,
  NO_MOVING_TAGS,
  OPTIONS,
  parseOptions,
  PROOF_KEYS,
  type OptionNames,
  type ProofKey,
  type ProofWords,
  type RawOptions,
  type TagPolicy
} from '../options.js'
import { registryReference, TransportError } from '../reference/transport.js'
import { mergeTargets, targetKey, type PromoteTarget } from '../copy/targets.js'
import { DEFAULT_REFERRERS, type ReferrerSelection } from '../referrers/selection.js'

/** A promotion file that cannot be used; the CLI exits 2 (the action fails) with this message. */
export class PromotionFileError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'PromotionFileError'
  }
}

/** One image of the file, checked. */
export interface FileImage {
  /** 0-based position in `images` */
  index: number
  name: string
  source: Reference
  /** what to resolve at the source: its digest, else its tag */
  reference: string
  /** distinct target repositories, each with this image's tags */
  targets: PromoteTarget[]
  tagPolicy: TagPolicy
  movingTags: string[]
  referrers: ReferrerSelection
  /**
   * the gate's and the record's options the file gives this image (issue 20: the same words as the
   * inputs, under defaults or per image, the image's key by key over the defaults'); paths are
   * relative to the file (engine-options.ts fileProofSettings resolves them). Absent: none given.
   */
  proof?: ProofWords
}

export interface PromotionFile {
  path: string
  images: FileImage[]
}

const TOP_KEYS = ['defaults', 'images']
/**
 * The options the file owns, each under its key (options.ts rows with a `fileKey`): read here, and
 * refused as flags (cli/args.ts) and inputs (inputs.ts) beside a file.
 */
const OWNED = FILE_OWNED_OPTIONS as Record<'tagPolicy' | 'movingTags' | 'referrers', string>
const OWNED_KEYS = Object.values(FILE_OWNED_OPTIONS)
/** The gate's and the record's keys (issue 20), as the action's inputs name them. */
const PROOF_FILE_KEYS = Object.fromEntries(
  PROOF_KEYS.map(k => [k, OPTIONS.find(o => o.name === k)?.input ?? k])
) as Record<ProofKey, string>
const DEFAULT_KEYS = ['targets', ...OWNED_KEYS, ...Object.values(PROOF_FILE_KEYS)]
/** Longest image `name` in a promotion file, characters (a repository path is at most 255). */
export const MAX_NAME_LENGTH = 255

const IMAGE_KEYS = ['name', 'source', 'tags', 'targets', ...OWNED_KEYS, ...Object.values(PROOF_FILE_KEYS)]

/** The proof keys of a mapping as raw option values (`verify-key` a string or a list, `sign-keyless` a boolean). */
function proofRaw(entry: Obj, fail: Fail): RawOptions {
  const raw: RawOptions = {}
  for (const k of PROOF_KEYS) {
    const key = PROOF_FILE_KEYS[k]
    const v = entry[key]
    if (v === undefined) continue
    if (k === 'verifyKey') raw.verifyKey = Array.isArray(v) ? listOf(v, key, fail) : [stringOf(v, key, fail)]
    else if (k === 'signKeyless') {
      if (typeof v !== 'boolean') fail(key, 'must be true or false')
      raw.signKeyless = v as boolean
    } else raw[k] = stringOf(v, key, fail)
  }
  return raw
}

/** The image's proof options: its keys over the defaults', checked by options.ts's rules (files are not looked at here). */
function proofOf(raw: RawOptions, fail: Fail): ProofWords | undefined {
  try {
    return parseOptions(raw, PROOF_FILE_KEYS as unknown as OptionNames, () => true).proof
  } catch (e) {
    if (e instanceof OptionError) return fail(e.option, `"${e.value}": ${e.rule}`)
    throw e
  }
}

type Fail = (field: string, rule: string) => never
type Obj = Record<string, unknown>

/** What a promotion file does instead of a choice of platforms (no key takes one). */
const EVERY_PLATFORM =
  'a promotion file promotes every platform of each source; no key picks platforms (to promote some platforms of an image, promote it on its own, choosing them)'

/** Keys a reader looks for that a file does not have, and why, by where they were written. */
const NOT_KEYS: Record<string, Record<string, string>> = {
  defaults: {
    platforms: EVERY_PLATFORM,
    platform: EVERY_PLATFORM,
    tags: 'not a key of defaults: each image gives its own tags (images[].tags)'
  },
  entry: { platforms: EVERY_PLATFORM, platform: EVERY_PLATFORM }
}

/** A plain mapping's keys must all be known (a key looked for in vain says why: {@link NOT_KEYS}). */
function checkKeys(value: unknown, known: string[], fail: Fail, what: string): Obj {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return fail(what, 'must be a mapping')
  for (const key of Object.keys(value))
    if (!known.includes(key)) fail(key, NOT_KEYS[what]?.[key] ?? `unknown key (known: ${known.join(', ')})`)
  return value as Obj
}

function stringOf(value: unknown, field: string, fail: Fail): string {
  if (typeof value === 'number' || typeof value === 'boolean')
    return fail(
      field,
      `must be a string, but YAML read the ${typeof value} ${String(value)}: quote it as written`
    )
  if (typeof value !== 'string' || value.trim() === '') return fail(field, 'must be a non-empty string')
  return value.trim()
}

function listOf(value: unknown, field: string, fail: Fail): string[] {
  if (!Array.isArray(value)) return fail(field, 'must be a list of strings')
  return value.map((v, i) => stringOf(v, `${field}[${i}]`, fail))
}

/**
 * The reference grammar and the registry's naming rules; the error's text names the field and
 * `shown` (default: the input).
 */
function reference(
  input: string,
  field: string,
  fail: Fail,
  kinds: Record<string, RegistryKind>,
  dst = false,
  shown = input
): Reference {
  try {
    return validateForRegistry(parseReference(withoutTransport(input, field, fail)), {
      destination: dst,
      kinds
    }).reference
  } catch (e) {
    if (e instanceof ReferenceError) return fail(field, `${e.part}: ${e.rule} (in "${shown}")`)
    throw e
  }
}

/**
 * `input` without skopeo's `docker://`, as on the command line (reference/transport.ts); another
 * transport (`oci:`, `dir:`…) or a URL fails naming the field: `DETAIL (in "oci:/tmp/layout")`.
 */
function withoutTransport(input: string, field: string, fail: Fail): string {
  try {
    return registryReference(input, field)
  } catch (e) {
    if (e instanceof TransportError) return fail(field, `${e.detail} (in "${input}")`)
    throw e
  }
}

/**
 * `referrers` by options.ts's rule for the referrers input: `all`, `none`, or artifact types (a
 * comma list, or a YAML list); `true` / `false` read as `all` / `none`; absent: `fallback`.
 */
function referrersOf(value: unknown, fallback: ReferrerSelection, fail: Fail): ReferrerSelection {
  if (value === undefined) return fallback
  if (typeof value === 'boolean') return value ? 'all' : 'none'
  const key = OWNED.referrers
  const raw = Array.isArray(value) ? listOf(value, key, fail).join(',') : stringOf(value, key, fail)
  try {
    return parseOptions({ referrers: raw }, OWNED as OptionNames, () => true).referrers ?? fallback
  } catch (e) {
    if (e instanceof OptionError) return fail(e.option, `"${e.value}": ${e.rule}`)
    throw e
  }
}

/**
 * `moving-tags` as written: a list, or `none`; an empty list is `none` too (no tag may move), never
 * the default, which is what leaving the key out gives.
 */
function movingList(value: unknown, fail: Fail): string[] {
  const key = OWNED.movingTags
  if (value === NO_MOVING_TAGS) return [NO_MOVING_TAGS]
  const list = listOf(value, key, fail)
  return list.length ? list : [NO_MOVING_TAGS]
}

/**
 * tag-policy and moving-tags by options.ts's rules (messages name the field); a key left out takes
 * `fallback`'s (the defaults', parsed already), else the option's default.
 */
function policy(
  entry: Obj,
  fallback: Partial<FileImage>,
  fail: Fail
): Pick<FileImage, 'tagPolicy' | 'movingTags'> {
  const { tagPolicy, movingTags } = OWNED
  const written = entry[movingTags] !== undefined
  const raw = {
    tagPolicy:
      entry[tagPolicy] === undefined ? fallback.tagPolicy : stringOf(entry[tagPolicy], tagPolicy, fail),
    movingTags: written ? movingList(entry[movingTags], fail) : undefined
  }
  try {
    const o = parseOptions(raw, OWNED as OptionNames, () => true)
    return {
      tagPolicy: o.tagPolicy,
      movingTags: written ? o.movingTags : (fallback.movingTags ?? o.movingTags)
    }
  } catch (e) {
    if (e instanceof OptionError) return fail(e.option, `"${e.value}": ${e.rule}`)
    throw e
  }
}

/** The defaults mapping: prefixes (no tag, no digest) and options. */
function readDefaults(value: unknown, failAt: (where: string) => Fail, kinds: Record<string, RegistryKind>) {
  const fail = failAt('defaults')
  const d = value === undefined ? {} : checkKeys(value, DEFAULT_KEYS, fail, 'defaults')
  const prefixes = (d.targets === undefined ? [] : listOf(d.targets, 'targets', fail)).map((p, i) =>
    withoutTransport(p, `targets[${i}]`, fail)
  )
  prefixes.forEach((p, i) => {
    if (p.includes('@') || (p.includes('/') && p.slice(p.indexOf('/') + 1).includes(':')) || p.endsWith('/'))
      fail(
        `targets[${i}]`,
        `"${p}" must be a repository prefix (registry/namespace), without a tag, digest or trailing /`
      )
    reference(`${p}/x`, `targets[${i}]`, fail, kinds, true, p)
  })
  const proof = proofRaw(d, fail)
  proofOf(proof, fail) // checked here, so a bad default is named under defaults
  return {
    prefixes,
    ...policy(d, {}, fail),
    referrers: referrersOf(d.referrers, DEFAULT_REFERRERS, fail),
    proof
  }
}

/** One entry of `images`. */
function readImage(
  value: unknown,
  index: number,
  defaults: ReturnType<typeof readDefaults>,
  failAt: (where: string) => Fail,
  kinds: Record<string, RegistryKind>
): FileImage {
  const named = (value as Obj | null)?.name
  const shown = typeof named === 'string' ? inline(named.slice(0, MAX_NAME_LENGTH)) : undefined
  const fail = failAt(`images[${index}]${shown !== undefined ? ` (name "${shown}")` : ''}`)
  const e = checkKeys(value, IMAGE_KEYS, fail, 'entry')
  const name = stringOf(e.name, 'name', fail)
  if (name.length > MAX_NAME_LENGTH)
    fail('name', `longer than ${MAX_NAME_LENGTH} characters (${name.length})`)
  if (inline(name) !== name)
    fail(
      'name',
      'holds control or bidirectional characters, which a name may not (they would act on a terminal or log)'
    )
  const source = reference(stringOf(e.source, 'source', fail), 'source', fail, kinds)
  const tags = e.tags === undefined ? [] : listOf(e.tags, 'tags', fail)
  const own =
    e.targets === undefined
      ? undefined
      : listOf(e.targets, 'targets', fail).map((t, i) => withoutTransport(t, `targets[${i}]`, fail))
  if (own?.length === 0 || (!own && defaults.prefixes.length === 0))
    fail('targets', 'no targets: give targets here or defaults.targets')
  const repos = own ?? defaults.prefixes.map(p => `${p}/${name}`)
  const targets = repos.map((repo, i) => {
    const field = own ? `targets[${i}]` : `name (under defaults.targets[${i}])`
    const r = reference(repo, field, fail, kinds, true)
    if (r.tag || r.digest)
      fail(field, `"${repo}" must be a repository, without a tag or digest (tags go in tags)`)
    tags.forEach((t, j) => reference(`${repo}:${t}`, `tags[${j}]`, fail, kinds, true))
    return { repo: { registry: r.registry, repository: r.repository }, tags }
  })
  const referrers = referrersOf(e.referrers, defaults.referrers, fail)
  const proof = proofOf({ ...defaults.proof, ...proofRaw(e, fail) }, fail)
  return {
    ...(proof ? { proof } : {}),
    index,
    name,
    source,
    reference: manifestReference(source),
    targets: mergeTargets(targets).map(t => ({ repo: t.repo, tags: t.tags })),
    ...policy(e, { tagPolicy: defaults.tagPolicy, movingTags: defaults.movingTags }, fail),
    referrers
  }
}

/** Duplicate names, and one target repository + tag claimed by images with different sources. */
function checkAcross(images: FileImage[], failAt: (where: string) => Fail): void {
  const names = new Map<string, FileImage>()
  const claims = new Map<string, FileImage>()
  for (const img of images) {
    const fail = failAt(`images[${img.index}] (name "${img.name}")`)
    const first = names.get(img.name)
    if (first) fail('name', `"${img.name}" is also the name of images[${first.index}]`)
    names.set(img.name, img)
    for (const t of img.targets)
      for (const tag of t.tags) {
        const key = `${targetKey(t.repo)}:${tag}`
        const other = claims.get(key)
        if (other && formatReference(other.source) !== formatReference(img.source))
          fail(
            'tags',
            `${t.repo.registry}/${t.repo.repository}:${tag} is also a target of images[${other.index}] (name "${other.name}") with another source`
          )
        claims.set(key, img)
      }
  }
}

/** The YAML text as plain data; a syntax error names `path:line:column`. */
function parseYaml(text: string, path: string): unknown {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true })
  const err = doc.errors[0]
  if (err) {
    const { line, col } = lineCounter.linePos(err.pos[0])
    throw new PromotionFileError(`${path}:${line}:${col}: YAML syntax error: ${err.message.split('\n')[0]}`)
  }
  try {
    return doc.toJS({ maxAliasCount: 100 }) as unknown
  } catch (e) {
    // the yaml library refuses alias expansion past the count (a "billion laughs" file)
    throw new PromotionFileError(`${path}: YAML refused: ${(e as Error).message}`)
  }
}

/**
 * Reads and checks a promotion file's text (see the module comment).
 * @param path the file as the user named it (in every message)
 * @param kinds registry kinds per lower-case host (options.ts registryKinds)
 * @returns every image, checked, in file order
 * @throws PromotionFileError `PATH: images[I] (name "N"): FIELD: rule`, or `PATH:LINE:COL: YAML syntax error: …`
 */
export function parsePromotionFile(
  text: string,
  path: string,
  kinds: Record<string, RegistryKind> = {}
): PromotionFile {
  const failAt =
    (where: string): Fail =>
    (field, rule) => {
      throw new PromotionFileError(`${path}: ${where}${where ? ': ' : ''}${field}: ${rule}`)
    }
  const data = parseYaml(text, path)
  if (data === undefined || data === null)
    throw new PromotionFileError(`${path}: the file is empty: it needs images`)
  const top = checkKeys(data, TOP_KEYS, failAt(''), 'the file')
  const defaults = readDefaults(top.defaults, failAt, kinds)
  if (!Array.isArray(top.images) || top.images.length === 0)
    failAt('')(
      'images',
      top.images === undefined ? 'missing: the file needs images' : 'must be a non-empty list of images'
    )
  const images = (top.images as unknown[]).map((v, i) => readImage(v, i, defaults, failAt, kinds))
  checkAcross(images, failAt)
  return { path, images }
}
