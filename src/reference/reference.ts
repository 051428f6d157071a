/**
 * Image references: parse, normalise and format (pure; no I/O).
 *
 * Follows `distribution/reference` (reference.go, normalize.go, helpers.go) as recorded in
 * naming-and-protocol.md §1, with one deliberate departure: digests are accepted for both
 * `sha256` (64 lowercase hex) and `sha512` (128 lowercase hex); upstream registers only sha256 and
 * rejects sha512 as unsupported. Every error names the input, the part at fault and the rule.
 */
import {
  ANCHORED_DIGEST_REGEXP,
  ANCHORED_DOMAIN_REGEXP,
  ANCHORED_IDENTIFIER_REGEXP,
  ANCHORED_NAME_REGEXP,
  ANCHORED_PATH_COMPONENT_REGEXP,
  ANCHORED_TAG_REGEXP,
  REFERENCE_REGEXP,
  RULES
} from './regexp.js'
import { DEFAULT_DOMAIN, LEGACY_DEFAULT_DOMAIN, repositoryKey } from './hosts.js'

export { DEFAULT_DOMAIN, LEGACY_DEFAULT_DOMAIN, DOCKER_HUB_API_HOST, apiHost } from './hosts.js'

/** Longest input examined at all (bytes of UTF-16 code units); longer input is rejected before any regex. */
export const MAX_INPUT_LENGTH = 4096
/** Longest repository path (§1.3 step 4); the domain does not count. */
export const NAME_TOTAL_LENGTH_MAX = 255
/** Prefix of Docker Hub's official images. */
export const OFFICIAL_REPO_PREFIX = 'library/'
/** Tag assumed when a reference names neither tag nor digest ({@link manifestReference}). */
export const DEFAULT_TAG = 'latest'

/** A parsed, normalised image reference. */
export interface Reference {
  /** Registry host as written, with port: `docker.io`, `ghcr.io`, `127.0.0.1:5000`. Never empty from {@link parseReference}; a hand-built object may leave it empty. */
  registry: string
  /** Repository path: `library/ubuntu`, `org/app`. */
  repository: string
  /** Tag, when given. */
  tag?: string
  /** Digest `algorithm:hex`, when given. */
  digest?: string
}

/** Which rule a {@link ReferenceError} reports; mirrors the upstream error values. */
export type ReferenceErrorCode =
  | 'NAME_EMPTY'
  | 'INVALID_FORMAT'
  | 'NAME_CONTAINS_UPPERCASE'
  | 'NAME_TOO_LONG'
  | 'TAG_INVALID_FORMAT'
  | 'DIGEST_INVALID_FORMAT'
  | 'DIGEST_INVALID_LENGTH'
  | 'DIGEST_UNSUPPORTED'
  | 'IDENTIFIER'
  | 'INPUT_TOO_LONG'
  | 'REGISTRY_RULE'

/** Shortens a string for a message (the full value stays on the error's fields). */
export function quote(s: string, max = 200): string {
  return s.length > max ? `"${s.slice(0, max)}…" (${s.length} characters)` : `"${s}"`
}

/** Thrown for input that breaks the reference grammar; names the input, the part and the rule. */
export class ReferenceError extends Error {
  /**
   * @param input the whole input as given
   * @param part the part at fault, e.g. `repository "Bad"`, `tag ".x"`, `digest "sha1:…"`
   * @param rule the rule broken, in words
   * @param code the machine-readable kind of error
   * @param suggestion a corrected reference, when one is obvious (e.g. the lower-cased name)
   */
  constructor(
    readonly input: string,
    readonly part: string,
    readonly rule: string,
    readonly code: ReferenceErrorCode = 'INVALID_FORMAT',
    readonly suggestion?: string
  ) {
    super(`invalid reference ${quote(input)}: ${part}: ${rule}`)
    this.name = 'ReferenceError'
  }
}

function checkInputLength(input: string): void {
  if (input.length > MAX_INPUT_LENGTH)
    throw new ReferenceError(input, 'reference', RULES.inputTooLong, 'INPUT_TOO_LONG')
}

const DIGEST_HEX_LENGTHS = new Map<string, number>([
  ['sha256', 64],
  ['sha512', 128]
])

interface Problem {
  code: ReferenceErrorCode
  rule: string
}

function digestProblem(digest: string): Problem | undefined {
  const i = digest.indexOf(':')
  if (i <= 0 || i + 1 === digest.length) return { code: 'DIGEST_INVALID_FORMAT', rule: RULES.digestFormat }
  const algorithm = digest.slice(0, i)
  const encoded = digest.slice(i + 1)
  const size = DIGEST_HEX_LENGTHS.get(algorithm)
  if (size === undefined) {
    if (!ANCHORED_DIGEST_REGEXP.test(digest))
      return { code: 'DIGEST_INVALID_FORMAT', rule: RULES.digestFormat }
    return { code: 'DIGEST_UNSUPPORTED', rule: RULES.digestUnsupported }
  }
  if (encoded.length !== size)
    return { code: 'DIGEST_INVALID_LENGTH', rule: `a ${algorithm} digest has ${size} hex characters` }
  if (!/^[a-f0-9]+$/.test(encoded))
    return {
      code: 'DIGEST_INVALID_FORMAT',
      rule: `a ${algorithm} digest is ${size} lowercase hex characters`
    }
  return undefined
}

/**
 * Checks a digest `algorithm:hex`: `sha256` with 64 and `sha512` with 128 lowercase hex characters
 * (image-spec descriptor.md, §1.4). Throws {@link ReferenceError} (`DIGEST_INVALID_FORMAT`,
 * `DIGEST_INVALID_LENGTH`, `DIGEST_UNSUPPORTED`) naming `input` (default: the digest).
 */
export function validateDigest(digest: string, input: string = digest): void {
  checkInputLength(input)
  const p = digestProblem(digest)
  if (p) throw new ReferenceError(input, `digest ${quote(digest)}`, p.rule, p.code)
}

/** True when `tag` matches the anchored tag rule `[\w][\w.-]{0,127}` (§1.2). */
export function isValidTag(tag: string): boolean {
  return tag.length <= 128 && ANCHORED_TAG_REGEXP.test(tag)
}

/**
 * Checks a tag against the tag rule (§1.2: 1–128 characters of `[A-Za-z0-9_.-]`, not starting with
 * `.` or `-`). Tags are case-sensitive and never rewritten. Throws {@link ReferenceError}
 * (`TAG_INVALID_FORMAT`) naming `input` (default: the tag).
 */
export function validateTag(tag: string, input: string = tag): void {
  if (!isValidTag(tag)) throw new ReferenceError(input, `tag ${quote(tag)}`, RULES.tag, 'TAG_INVALID_FORMAT')
}

function looksLikeDomain(component: string): boolean {
  return component === 'localhost' || /[.:[\]]/.test(component) || component !== component.toLowerCase()
}

/** Finds the part at fault in a string that did not match the reference grammar. */
function diagnose(s: string, input: string): ReferenceError {
  let rest = s
  const at = rest.indexOf('@')
  if (at >= 0) {
    const digest = rest.slice(at + 1)
    rest = rest.slice(0, at)
    const p = digestProblem(digest)
    if (p || digest.includes('@'))
      return new ReferenceError(input, `digest ${quote(digest)}`, p?.rule ?? RULES.digestFormat)
  }
  const lastSlash = rest.lastIndexOf('/')
  const bracketEnd = rest.startsWith('[') ? rest.indexOf(']') : -1
  const colon = rest.lastIndexOf(':')
  if (colon > lastSlash && colon > bracketEnd) {
    const tag = rest.slice(colon + 1)
    rest = rest.slice(0, colon)
    if (!isValidTag(tag)) return new ReferenceError(input, `tag ${quote(tag)}`, RULES.tag)
  }
  if (rest === '') return new ReferenceError(input, 'repository ""', RULES.nameEmpty)
  const components = rest.split('/')
  let path = rest
  if (components.length > 1 && looksLikeDomain(components[0])) {
    if (!ANCHORED_DOMAIN_REGEXP.test(components[0]))
      return new ReferenceError(input, `domain ${quote(components[0])}`, RULES.domain)
    path = components.slice(1).join('/')
  }
  for (const c of path.split('/')) {
    if (!ANCHORED_PATH_COMPONENT_REGEXP.test(c))
      return new ReferenceError(
        input,
        `repository ${quote(path)}`,
        `path component ${quote(c, 60)} is invalid: ${RULES.pathComponent}`
      )
  }
  return new ReferenceError(input, 'reference', RULES.format)
}

function build(registry: string, repository: string, tag?: string, digest?: string): Reference {
  const ref: Reference = { registry, repository }
  if (tag !== undefined) ref.tag = tag
  if (digest !== undefined) ref.digest = digest
  return ref
}

/** `Parse` (§1.3) of `s`, reporting errors against `input`. */
function parseRaw(s: string, input: string): Reference {
  checkInputLength(input)
  if (s === '') throw new ReferenceError(input, 'repository ""', RULES.nameEmpty, 'NAME_EMPTY')
  const m = REFERENCE_REGEXP.exec(s)
  if (!m) {
    const lower = s.toLowerCase()
    if (lower !== s) {
      const lm = REFERENCE_REGEXP.exec(lower)
      if (lm) {
        const domain = ANCHORED_NAME_REGEXP.exec(lm[1])?.[1]
        const path = s.slice(domain !== undefined ? domain.length + 1 : 0, lm[1].length)
        const suggestion = s.slice(0, lm[1].length).toLowerCase() + s.slice(lm[1].length)
        throw new ReferenceError(
          input,
          `repository ${quote(path)}`,
          RULES.uppercase,
          'NAME_CONTAINS_UPPERCASE',
          suggestion
        )
      }
    }
    throw diagnose(s, input)
  }
  const nm = ANCHORED_NAME_REGEXP.exec(m[1])
  if (!nm) throw diagnose(s, input)
  const domain = nm[1] ?? ''
  const path = nm[2]
  if (path.length > NAME_TOTAL_LENGTH_MAX)
    throw new ReferenceError(input, `repository ${quote(path)}`, RULES.nameTooLong, 'NAME_TOO_LONG')
  const digest = m[3]
  if (digest !== undefined) {
    const p = digestProblem(digest)
    if (p) throw new ReferenceError(input, `digest ${quote(digest)}`, p.rule, p.code)
  }
  return build(domain, path, m[2], digest)
}

/** Splits a name into a Docker domain and remote name (`splitDockerDomain`, §1.5). */
function splitDockerDomain(name: string): { domain: string; remainder: string; written: string } {
  const slash = name.indexOf('/')
  if (slash === -1) return { domain: DEFAULT_DOMAIN, remainder: OFFICIAL_REPO_PREFIX + name, written: name }
  const first = name.slice(0, slash)
  const after = name.slice(slash + 1)
  let domain: string
  let remainder: string
  if (first === 'localhost' || /[.:]/.test(first) || first !== first.toLowerCase()) {
    domain = first === LEGACY_DEFAULT_DOMAIN ? DEFAULT_DOMAIN : first
    remainder = after
  } else {
    domain = DEFAULT_DOMAIN
    remainder = name
  }
  const written = remainder
  if (domain === DEFAULT_DOMAIN && !remainder.includes('/')) remainder = OFFICIAL_REPO_PREFIX + remainder
  return { domain, remainder, written }
}

/** The name part of a remainder: everything before the first `:` or `@`. */
function cutName(remainder: string): string {
  const i = remainder.search(/[:@]/)
  return i === -1 ? remainder : remainder.slice(0, i)
}

/**
 * Parses and normalises `input` with Docker's rules (`ParseNormalizedNamed`, §1.5): no domain →
 * `docker.io`; `index.docker.io` → `docker.io`; one-component Docker Hub names get `library/`; the
 * first component is a domain only if it is `localhost` or contains `.`, `:` or an upper-case letter.
 * Neither a tag nor a digest is added. Throws {@link ReferenceError}, e.g.
 * `invalid reference "Bad:Ref": repository "Bad": repository name must be lowercase`.
 */
export function parseReference(input: string): Reference {
  checkInputLength(input)
  if (ANCHORED_IDENTIFIER_REGEXP.test(input))
    throw new ReferenceError(input, `repository ${quote(input)}`, RULES.identifier, 'IDENTIFIER')
  // an empty name is reported as the user wrote it, not as the normalised `library/`
  if (cutName(input) === '')
    throw new ReferenceError(
      input,
      'repository ""',
      RULES.nameEmpty,
      input === '' ? 'NAME_EMPTY' : 'INVALID_FORMAT'
    )
  const { domain, remainder, written } = splitDockerDomain(input)
  const remote = cutName(remainder)
  if (remote.toLowerCase() !== remote) {
    const suggestion = `${domain}/${remote.toLowerCase()}${remainder.slice(remote.length)}`
    throw new ReferenceError(
      input,
      `repository ${quote(cutName(written))}`,
      RULES.uppercase,
      'NAME_CONTAINS_UPPERCASE',
      suggestion
    )
  }
  return parseRaw(`${domain}/${remainder}`, input)
}

/**
 * What to fetch a reference's manifest by (`ParseDockerRef`'s rule, §1.5): the digest when there is
 * one (it wins over a tag), else the tag, else {@link DEFAULT_TAG} (`latest`).
 */
export function manifestReference(ref: Reference): string {
  return ref.digest ?? ref.tag ?? DEFAULT_TAG
}

/**
 * Formats `registry/repository[:tag][@digest]`: fully qualified, never shortened (the registry is
 * omitted only when it is empty, in a hand-built object).
 */
export function formatReference(ref: Reference): string {
  const name = ref.registry ? `${ref.registry}/${ref.repository}` : ref.repository
  return `${name}${ref.tag !== undefined ? ':' + ref.tag : ''}${ref.digest !== undefined ? '@' + ref.digest : ''}`
}

/**
 * The familiar (short) name for display (§1.5): drops `docker.io/`, and `library/` only when nothing
 * nested follows (`docker.io/library/foo/bar` → `library/foo/bar`).
 */
export function familiarName(ref: Reference): string {
  if (ref.registry !== DEFAULT_DOMAIN)
    return ref.registry ? `${ref.registry}/${ref.repository}` : ref.repository
  const rest = ref.repository.startsWith(OFFICIAL_REPO_PREFIX)
    ? ref.repository.slice(OFFICIAL_REPO_PREFIX.length)
    : undefined
  return rest !== undefined && !rest.includes('/') ? rest : ref.repository
}

/**
 * The familiar string `familiarName[:tag][@digest]` (`FamiliarString`, §1.5). A string argument is
 * parsed with {@link parseReference} first (throws {@link ReferenceError}).
 */
export function familiarString(ref: Reference | string): string {
  const r = typeof ref === 'string' ? parseReference(ref) : ref
  return `${familiarName(r)}${r.tag !== undefined ? ':' + r.tag : ''}${r.digest !== undefined ? '@' + r.digest : ''}`
}

/** The reference without tag and digest (`TrimNamed`). */
export function trimNamed(ref: Reference): Reference {
  return build(ref.registry, ref.repository)
}

/** `ref` with `tag` (replacing any tag; a digest is kept). Throws {@link ReferenceError} for an invalid tag. */
export function withTag(ref: Reference, tag: string): Reference {
  validateTag(tag, `${formatReference(trimNamed(ref))}:${tag}`)
  return build(ref.registry, ref.repository, tag, ref.digest)
}

/** `ref` with `digest` (replacing any digest; a tag is kept). Throws {@link ReferenceError} for an invalid digest. */
export function withDigest(ref: Reference, digest: string): Reference {
  validateDigest(digest, `${formatReference(trimNamed(ref))}@${digest}`)
  return build(ref.registry, ref.repository, ref.tag, digest)
}

/**
 * True when both name the same repository on the same registry (hosts compared case-insensitively,
 * Docker Hub aliases folded). Strings are parsed with {@link parseReference}.
 */
export function sameRepository(a: Reference | string, b: Reference | string): boolean {
  const x = typeof a === 'string' ? parseReference(a) : a
  const y = typeof b === 'string' ? parseReference(b) : b
  return repositoryKey(x.registry, x.repository) === repositoryKey(y.registry, y.repository)
}

/**
 * Reference equality: same repository ({@link sameRepository}), same tag (case-sensitive) and same
 * digest, absent equals absent. Strings are parsed with {@link parseReference}.
 */
export function referencesEqual(a: Reference | string, b: Reference | string): boolean {
  const x = typeof a === 'string' ? parseReference(a) : a
  const y = typeof b === 'string' ? parseReference(b) : b
  return sameRepository(x, y) && x.tag === y.tag && x.digest === y.digest
}

/**
 * The warning for a name longer than many clients accept: `host + "/" + path` over 255 characters
 * (distribution-spec implementer note, §1.2, §5.3), or `undefined`.
 */
export function nameLengthWarning(ref: Reference): string | undefined {
  const total = ref.registry.length + 1 + ref.repository.length
  return total > NAME_TOTAL_LENGTH_MAX
    ? `name "${ref.registry}/${ref.repository}" is ${total} characters; many clients reject names longer than 255 (host + "/" + path)`
    : undefined
}
