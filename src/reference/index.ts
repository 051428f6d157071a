/**
 * Image references: parse, normalise, validate and format (pure; no I/O).
 * Grammar: distribution/reference (regexp.go, normalize.go); see shared naming-and-protocol.md §1, §5.
 *
 * Departure from upstream: digests may be `sha256` (64 lowercase hex) or `sha512` (128 lowercase
 * hex); upstream rejects `sha512` as unsupported.
 */
export * from './reference.js'
export * from './hosts.js'
export * from './registry-rules.js'
export {
  ANCHORED_DIGEST_REGEXP,
  ANCHORED_DOMAIN_REGEXP,
  ANCHORED_IDENTIFIER_REGEXP,
  ANCHORED_NAME_REGEXP,
  ANCHORED_PATH_REGEXP,
  ANCHORED_TAG_REGEXP,
  REFERENCE_REGEXP,
  RULES
} from './regexp.js'
