/**
 * `promote-image tags`: the tags (or `REPO:tag` references) the tag rules give for the current git
 * context (GITHUB_* variables in Actions, else the local git checkout). The tag engine (handlebars,
 * moment-timezone) is loaded here only, so it stays out of the copy path's start-up.
 */
import { UsageError, type TagsCommand } from './args.js'
import type { Io } from './io.js'

/**
 * Runs tags; exit status 0. One line per tag or reference on stdout (a JSON array with --json).
 * @throws UsageError for a bad rule or image name (exit status 2)
 */
export async function runTags(cmd: TagsCommand, io: Io): Promise<number> {
  const t = await import('../tags/index.js')
  if (t.needsTagEngine(cmd.rules, cmd.flavor)) await t.loadTagEngine()
  const { ReferenceError } = await import('../reference/index.js')
  let out: string[]
  try {
    const ctx = () =>
      process.env.GITHUB_ACTIONS === 'true' ? t.readGitHubContext() : t.contextFromGit({ cwd: process.cwd() })
    // no --tags means no tags, as an empty `tags` input does in the action (by digest only)
    const r = cmd.rules.length
      ? t.computeTags({ tags: cmd.rules, flavor: cmd.flavor }, ctx())
      : { tags: [], warnings: [] }
    for (const w of r.warnings) io.log.warning(w)
    out = r.tags
    if (cmd.images.length) {
      const images = t.parseImages(cmd.images, { lowercase: cmd.lowercase })
      const { references, warnings } = t.imageReferences(images, r.tags, {
        lowercase: cmd.lowercase,
        destination: true
      })
      for (const w of warnings) io.log.warning(w)
      out = t.formatReferences(references).split('\n').filter(Boolean)
    }
  } catch (e) {
    if (e instanceof t.TagRuleError || e instanceof ReferenceError) throw new UsageError(e.message)
    throw e
  }
  if (!cmd.rules.length) io.log.info('no --tags: no tags (the image is promoted by digest only)')
  if (cmd.json) io.out(JSON.stringify(out) + '\n')
  else if (out.length) io.out(out.join('\n') + '\n')
  return 0
}
