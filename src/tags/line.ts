/**
 * The version line of a rolling tag from semver rules (`{{major}}.{{minor}}`, `{{major}}`, and
 * `latest` after them), and which version tags are newer in it: a rolling tag moves forward only
 * (README "Which tags move"), so the plan holds one that would move from a newer release's image
 * back to this one (a re-run of an old release's job, a late backport). Pure; no imports (the copy
 * engine reads it on every promotion with tag rules).
 */

/** What a rolling tag stands for: the versions that give it, around this release's. */
export interface VersionLine {
  /** this release's version, `MAJOR.MINOR.PATCH` */
  version: string
  /** the versions that give the tag: the same major (`{{major}}`), major and minor (`{{major}}.{{minor}}`), or every one (`latest`) */
  within: 'major' | 'minor' | 'all'
  /** the text around the version in this release's version tags (the flavor's prefix and suffix as rendered) */
  prefix: string
  suffix: string
}

/**
 * The release version a tag names in `line`'s form: `PREFIX[v]MAJOR.MINOR.PATCH SUFFIX` (a
 * pre-release or any other tag names none).
 * @returns [major, minor, patch], or undefined
 */
export function versionIn(line: VersionLine, tag: string): [number, number, number] | undefined {
  if (!tag.startsWith(line.prefix) || !tag.endsWith(line.suffix)) return undefined
  const core = tag.slice(line.prefix.length, tag.length - line.suffix.length)
  const m = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/.exec(core)
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined
}

/** Negative, zero or positive as version `a` is lower than, equal to or higher than `b`. */
export function compareVersions(a: [number, number, number], b: [number, number, number]): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2]
}

/** True when `tag` names a release of `line` newer than `line.version` (`1.3.0` for line `1` of 1.2.3). */
export function newerInLine(line: VersionLine, tag: string): boolean {
  const v = versionIn(line, tag)
  const own = versionIn({ ...line, prefix: '', suffix: '' }, line.version)
  if (!v || !own || compareVersions(v, own) <= 0) return false
  if (line.within === 'all') return true
  return v[0] === own[0] && (line.within === 'major' || v[1] === own[1])
}
