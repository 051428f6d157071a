/**
 * Tags and labels from git context and rules (pure, except `github-env.ts` reading the event file and
 * `git.ts` running git). Semantics of docker/metadata-action (naming-and-protocol.md §2), with these
 * departures:
 * - Every generated tag is valid: runs of characters outside `[A-Za-z0-9_.-]` become `-`, leading `.`
 *   and `-` are removed, and a tag over 128 characters is cut to 119 and given `-` + 8 hex of
 *   sha256(untruncated value), so distinct long inputs give distinct tags (`sanitizeTag`).
 * - An explicit tag — a `raw` rule whose value, prefix and suffix are written literally, without
 *   `{{…}}` — is never rewritten: if it breaks the tag rule, `TagRuleError` names the line and rule.
 *   Literal `prefix=`/`suffix=` (rule or flavor) must be tag characters (a prefix must not start with
 *   `.` or `-`). Values built from expressions or git (`{{branch}}`, `type=ref`, …) are sanitised.
 * - Unknown rule attributes and non-numeric priorities are errors; flavor values split on the first `=`.
 * - Expressions are rendered without HTML escaping.
 * - Image names are lower-cased only on request (`lowercase`); otherwise upper case is an error that
 *   proposes the lower-cased name.
 * - Labels are sorted by code point, not locale.
 * - `org.opencontainers.image.created` is SOURCE_DATE_EPOCH, else the commit date, else the clock
 *   (metadata-action: the clock), so a re-run of the same commit gives the same labels and digest.
 */
export * from './context.js'
export * from './rules.js'
export * from './sanitize.js'
export * from './compute.js'
export * from './line.js'
export * from './interop.js'
export { readGitHubContext } from './github-env.js'
export { noTagReason } from './no-tag.js'
export { contextFromGit, gitRunner, remoteWebUrl, type GitContextOptions, type GitRunner } from './git.js'
