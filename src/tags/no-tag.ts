/**
 * Why tag rules gave no tag on a ref (pure): the one owner of the words both the action (`input
 * "tags": …`, refused when there are targets) and the CLI's `tags` preview (a warning) say.
 */
import type { TagContext } from './context.js'

/** What each rule type needs to give a tag (docker/metadata-action's rules). */
const RULE_NEEDS: Readonly<Record<string, string>> = {
  semver: 'type=semver needs a tag ref such as refs/tags/v1.2.3',
  pep440: 'type=pep440 needs a tag ref such as refs/tags/1.2.3',
  match: 'type=match needs a tag ref that its pattern matches',
  edge: 'type=edge needs a push to the default branch',
  schedule: 'type=schedule needs a schedule event',
  ref: 'type=ref gives a tag only on the event it names (event=branch, tag or pr)'
}

/**
 * `its rule gives no tag on refs/heads/main (type=semver needs a tag ref such as refs/tags/v1.2.3)`:
 * the rules' count, the ref (`here (no git ref)` without one), and what each of their types needs,
 * then the rules' own warnings (`"main" is not a valid semver version`).
 * @param rules the tag rule lines that gave no tag (docker/metadata-action's syntax)
 * @param where words after the ref naming where it came from (`, the local checkout's branch`); none by default
 */
export function noTagReason(rules: string[], warnings: string[], ctx: TagContext, where = ''): string {
  const types = [
    ...new Set(rules.map(r => /(?:^|,)\s*type=([a-z0-9]+)/i.exec(r)?.[1]?.toLowerCase() ?? 'raw'))
  ]
  const needs = [...types.flatMap(t => RULE_NEEDS[t] ?? []), ...warnings]
  const ref = ctx.ref ? `on ${ctx.ref}${where}` : `here (no git ref${where})`
  const count = rules.length === 1 ? 'its rule gives' : `its ${rules.length} rules give`
  return `${count} no tag ${ref}${needs.length ? ` (${needs.join('; ')})` : ''}`
}
