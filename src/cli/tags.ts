/**
 * `promote-image tags`: the tags (or `REPO:tag` references) the tag rules give for the current git
 * context (GITHUB_* variables in Actions; else the local git checkout, its ref and commit replaced
 * by GITHUB_REF / GITHUB_SHA when set). The tag engine (handlebars, moment-timezone) is loaded here
 * only, so it stays out of the copy path's start-up.
 */
import { UsageError, type TagsCommand } from './args.js'
import type { Io } from './io.js'
import type { TagContext } from '../tags/index.js'

type TagsModule = typeof import('../tags/index.js')

/** The example ref the advice gives (a release tag, what `type=semver` previews). */
const EXAMPLE_REF = 'refs/tags/v1.2.3'

/**
 * The git context of a `tags` run and the words naming where its ref came from. In GitHub Actions
 * (`GITHUB_ACTIONS=true`): the GITHUB_* variables and the event file, as the action reads them.
 * Outside: the local checkout (its HEAD's branch, or the tag at a detached HEAD), with GITHUB_REF,
 * GITHUB_SHA and GITHUB_EVENT_NAME taking the ref, commit and event when set, so a release is
 * previewed from a branch (`GITHUB_REF=refs/tags/v2.0.0 promote-image tags …`); outside a work
 * tree, those variables alone.
 * @throws Error outside a git work tree with no GITHUB_REF, naming the directory and both ways out
 */
function tagContext(
  t: TagsModule,
  env: Record<string, string | undefined>,
  cwd: string
): { ctx: TagContext; where: string } {
  if (env.GITHUB_ACTIONS === 'true') return { ctx: t.readGitHubContext(env), where: '' }
  const ref = env.GITHUB_REF || undefined
  let ctx: TagContext
  try {
    ctx = t.contextFromGit({ cwd, ...(env.GITHUB_EVENT_NAME ? { eventName: env.GITHUB_EVENT_NAME } : {}) })
  } catch (e) {
    if (!ref)
      throw new Error(
        `${(e as Error).message}: outside GitHub Actions, tags reads the ref of the local checkout; run it in the checkout, or set GITHUB_REF (and GITHUB_SHA) to the ref to preview (GITHUB_REF=${EXAMPLE_REF})`
      )
    ctx = { eventName: env.GITHUB_EVENT_NAME || 'push', ref: '', sha: '' }
  }
  if (env.GITHUB_SHA) ctx.sha = env.GITHUB_SHA
  if (ref) return { ctx: { ...ctx, ref }, where: ', from GITHUB_REF' }
  return { ctx, where: ctx.ref ? ", the local checkout's HEAD" : " at the local checkout's HEAD" }
}

/**
 * Runs tags; exit status 0. One line per tag or reference on stdout (a JSON array with --json).
 * Rules that give no tag on the ref print nothing (`[]`) and say why on stderr: the ref, where it
 * came from, what each rule type needs, and, outside Actions, how to preview another ref.
 * @throws UsageError for a bad rule or image name (exit status 2)
 * @throws Error outside a git work tree with no GITHUB_REF (exit status 1; see tagContext)
 */
export async function runTags(cmd: TagsCommand, io: Io): Promise<number> {
  const t = await import('../tags/index.js')
  if (t.needsTagEngine(cmd.rules, cmd.flavor)) await t.loadTagEngine()
  const { ReferenceError } = await import('../reference/index.js')
  const env = io.env ?? process.env
  let out: string[]
  try {
    // no --tags means no tags, as an empty `tags` input does in the action (by digest only)
    const context = cmd.rules.length ? tagContext(t, env, process.cwd()) : undefined
    const r = context
      ? t.computeTags({ tags: cmd.rules, flavor: cmd.flavor }, context.ctx)
      : { tags: [], warnings: [] }
    // no tag: the rules' own warnings are part of the reason (one line)
    if (context && !r.tags.length) io.log.warning(noTagWords(t, cmd.rules, r.warnings, context, env))
    else for (const w of r.warnings) io.log.warning(w)
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

/** `--tags: its rule gives no tag on REF, from … (what it needs); the way to preview another ref`. */
function noTagWords(
  t: TagsModule,
  rules: string[],
  warnings: string[],
  context: { ctx: TagContext; where: string },
  env: Record<string, string | undefined>
): string {
  const reason = t.noTagReason(rules, warnings, context.ctx, context.where)
  if (env.GITHUB_ACTIONS === 'true') return `--tags: ${reason}`
  return `--tags: ${reason}; to preview another ref, set GITHUB_REF (GITHUB_REF=${EXAMPLE_REF} promote-image tags …)`
}
