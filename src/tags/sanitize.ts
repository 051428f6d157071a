/**
 * Turning a generated value into a valid tag (departure from docker/metadata-action, see
 * naming-and-protocol.md "How promote-image uses this reference" and §2.5 "Gaps").
 */
import { createHash } from 'node:crypto'

/** Longest tag (distribution-spec). */
export const MAX_TAG_LENGTH = 128
/** Hex characters of the hash suffix given to a cut tag. */
export const TAG_HASH_LENGTH = 8

/**
 * Makes `raw` a valid tag, or returns `undefined` when nothing is left:
 * 1. each run of characters outside `[A-Za-z0-9_.-]` becomes one `-` (metadata-action; case kept);
 * 2. leading `.` and `-` are removed;
 * 3. a result over 128 characters is cut to 119 and given `-` + the first 8 hex of sha256(`raw`, UTF-8),
 *    so distinct long inputs give distinct tags.
 * The result always matches `^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$`.
 */
export function sanitizeTag(raw: string): string | undefined {
  const tag = raw.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^[.-]+/, '')
  if (tag === '') return undefined
  if (tag.length <= MAX_TAG_LENGTH) return tag
  const hash = createHash('sha256').update(raw, 'utf8').digest('hex').slice(0, TAG_HASH_LENGTH)
  return `${tag.slice(0, MAX_TAG_LENGTH - TAG_HASH_LENGTH - 1)}-${hash}`
}
