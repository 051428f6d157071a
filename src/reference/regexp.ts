/**
 * The distribution reference grammar as JavaScript regular expressions, composed exactly like
 * `distribution/reference` regexp.go (naming-and-protocol.md §1.1, §1.2). No flags: `\w` stays ASCII
 * and case matters for the upper-case check.
 */

/** Lower-case alphanumerics, one or more. */
const ALNUM = '[a-z0-9]+'
/** Separator inside a path component: `.`, `_`, `__` or a run of `-`. */
const SEP = '(?:[._]|__|[-]+)'
/** One DNS label; upper case allowed (hosts are case-insensitive). */
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])'
const DOMAIN_NAME = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*`
/** IPv6 literal in brackets, without a zone id. */
const IPV6 = '\\[(?:[a-fA-F0-9:]+)\\]'
const HOST = `(?:${DOMAIN_NAME}|${IPV6})`
const DOMAIN_AND_PORT = `${HOST}(?::[0-9]+)?`
const TAG = '[\\w][\\w.-]{0,127}'
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}'
const PATH_COMPONENT = `${ALNUM}(?:${SEP}${ALNUM})*`
const REMOTE_NAME = `${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`
const NAME = `(?:${DOMAIN_AND_PORT}/)?${REMOTE_NAME}`

/** `^(NAME)(?::(TAG))?(?:@(DIGEST))?$`; groups: 1 name, 2 tag, 3 digest (§1.2). */
export const REFERENCE_REGEXP = new RegExp(`^(${NAME})(?::(${TAG}))?(?:@(${DIGEST}))?$`)
/** `^(?:(DOMAIN_AND_PORT)/)?(REMOTE_NAME)$`; groups: 1 domain (may be undefined), 2 path. */
export const ANCHORED_NAME_REGEXP = new RegExp(`^(?:(${DOMAIN_AND_PORT})/)?(${REMOTE_NAME})$`)
/** A whole domain `host[:port]`. */
export const ANCHORED_DOMAIN_REGEXP = new RegExp(`^${DOMAIN_AND_PORT}$`)
/** A whole repository path (the distribution-spec `<name>`), without host. */
export const ANCHORED_PATH_REGEXP = new RegExp(`^${REMOTE_NAME}$`)
/** One path component. */
export const ANCHORED_PATH_COMPONENT_REGEXP = new RegExp(`^${PATH_COMPONENT}$`)
/** A whole tag: 1–128 characters, first `[A-Za-z0-9_]`, then `[A-Za-z0-9_.-]`. */
export const ANCHORED_TAG_REGEXP = new RegExp(`^${TAG}$`)
/** A whole digest in the (permissive) reference-grammar form; algorithm checks come after. */
export const ANCHORED_DIGEST_REGEXP = new RegExp(`^${DIGEST}$`)
/** A bare 64-hex image identifier. */
export const ANCHORED_IDENTIFIER_REGEXP = /^[a-f0-9]{64}$/

/** Human-readable rules, used in error messages. */
export const RULES = {
  nameEmpty: 'repository name must have at least one component',
  uppercase: 'repository name must be lowercase',
  pathComponent:
    'path components are lowercase letters and digits, separated by ".", "_", "__" or "-" runs, ' +
    'and neither start nor end with a separator',
  nameTooLong: 'repository name must not be more than 255 characters',
  domain:
    'a domain is host[:port] where host is DNS labels of letters, digits and inner "-" joined by ".", ' +
    'or an IPv6 address in brackets, and port is digits',
  tag: 'a tag is 1 to 128 characters from [A-Za-z0-9_.-] and must not start with "." or "-"',
  digestFormat: 'a digest is algorithm:hex, e.g. sha256:<64 lowercase hex> or sha512:<128 lowercase hex>',
  digestUnsupported: 'supported digest algorithms are sha256 and sha512',
  format: 'a reference is [domain/]path[:tag][@digest]',
  identifier: 'cannot specify 64-byte hexadecimal strings as a repository name',
  inputTooLong: 'a reference must not be more than 4096 characters'
} as const
