/**
 * What the tag policy refused, for the job summary: once per tag (however many targets hold it;
 * the tags refused at the same targets over the same digests share a row), where, what it points
 * at now, and the remedies that work — `moving-tags` (plain tags only: the engine's movingTags
 * never applies to cosign tags), for a cosign tag the source's given every signature held there
 * (a move that keeps them all is allowed), `tag-policy: overwrite`, or a new version when every
 * refused tag names this release alone (its kind, tags/compute.ts: `unique`), else tags no target
 * holds yet (a new release would give a `fixed` tag again; `rolling` ones are never refused).
 * From the plan's tags and violations (copy/plan.ts, copy/referrer-plan.ts); a violation matching no
 * tag is listed as it is. Pure.
 */
import type { PromotePlan } from '../copy/promote.js'
import type { TagKind } from '../tags/compute.js'
import { FILE_OWNED_OPTIONS } from '../options.js'
import { code, escapeText, table } from './markdown.js'
import { clip, shortDigest, shortTag } from './names.js'

/** One refused tag: where, and what it points at there now. */
export interface Refusal {
  tag: string
  /** a cosign tag (`sha256-<hex>.sig`) holding other signatures, rather than a release tag */
  cosign: boolean
  /** targets (`registry/repository`) where it is refused, in plan order */
  at: string[]
  /** the digests it points at there now, each once */
  from: string[]
  /** what the tag rules made of it (copy/plan.ts TagPlanEntry kind); absent: given as written */
  kind?: TagKind
}

/**
 * Every refused tag of `plan`, once per tag in the order first met, and the violations that name
 * no planned tag (as the engine wrote them).
 */
export function refusalsOf(plan: PromotePlan): { refusals: Refusal[]; other: string[] } {
  const byTag = new Map<string, Refusal>()
  const other: string[] = []
  const add = (tag: string, cosign: boolean, at: string, from: string | undefined, kind?: TagKind): void => {
    const r = byTag.get(`${cosign}:${tag}`) ?? { tag, cosign, at: [], from: [], ...(kind ? { kind } : {}) }
    if (!r.at.includes(at)) r.at.push(at)
    if (from && !r.from.includes(from)) r.from.push(from)
    byTag.set(`${cosign}:${tag}`, r)
  }
  for (const t of plan.targets)
    for (const v of t.violations) {
      const tag = t.tags.find(x => x.action === 'move' && v.startsWith(`${t.target}:${x.tag} points at `))
      const sig = (t.signatureTags ?? []).find(
        x => x.action === 'move' && v.startsWith(`${t.target}:${x.tag} holds other signatures`)
      )
      if (tag) add(tag.tag, false, t.target, tag.from, tag.kind)
      else if (sig) add(sig.tag, true, t.target, sig.from)
      else other.push(v)
    }
  return { refusals: [...byTag.values()], other }
}

/** How many tags the policy refuses (each once), plus violations naming none. */
export function refusedCount(plan: PromotePlan): number {
  const { refusals, other } = refusalsOf(plan)
  return refusals.length + other.length
}

/**
 * The refused tags as table rows (tags, where, points at): the plain tags refused at the same
 * targets and pointing at the same digests share one row (a re-run of a release refuses every
 * version tag at every target: one row, not one per tag each repeating the target names); each
 * cosign tag has its own.
 */
function refusalRows(refusals: Refusal[]): string[][] {
  const rows = new Map<string, { tags: string[]; at: string[]; from: string[] }>()
  for (const r of refusals) {
    const key = r.cosign ? `cosign ${r.tag}` : `${r.at.join('\n')} ${r.from.join('\n')}`
    const tag = r.cosign ? `${code(shortTag(r.tag))} (cosign signatures)` : code(clip(r.tag))
    const row = rows.get(key) ?? { tags: [], at: r.at, from: r.from }
    row.tags.push(tag)
    rows.set(key, row)
  }
  return [...rows.values()].map(r => [
    r.tags.join(', '),
    r.at.map(a => code(a)).join('<br>'),
    r.from.map(d => code(shortDigest(d))).join('<br>')
  ])
}

/**
 * The refusal as Markdown: a sentence saying why, the refused tags (tags, where, points at: one
 * row per set of targets and digests), each other violation as it is, then the remedies that work.
 * @param movingTags the run's `moving-tags` (the remedy adds the refused tags to them)
 * @param dryRun true: the promotion would be refused
 */
export function refusalLines(plan: PromotePlan, movingTags: string[], dryRun: boolean): string[] {
  const { refusals, other } = refusalsOf(plan)
  if (!refusals.length && !other.length) return []
  const n = refusals.length + other.length
  const rows = refusalRows(refusals)
  const lines = [
    `The tag policy ${code('immutable')} ${dryRun ? 'would refuse' : 'refused'} ${n} tag${n === 1 ? '' : 's'} already pointing at another image:`,
    ''
  ]
  if (rows.length) lines.push(...table(['tags', 'at', 'points at'], rows), '')
  for (const v of other) lines.push(`- ${escapeText(clip(v, 1000))}`)
  if (other.length) lines.push('')
  return [...lines, ...remedies(refusals, movingTags)]
}

/** The remedies that work for some refusals, as facts (worded by {@link remedies} and {@link remedyText}). */
export interface Remedies {
  /**
   * a new version works: plain tags are refused, each naming this release alone (kind `unique`), so
   * the next release's are new, and tags no target holds yet are created
   */
  newVersion: boolean
  /**
   * other tags work, not a new version: a refused plain tag is written as it is or given again by
   * the next release (kind `fixed`, or unknown)
   */
  newTags: boolean
  /** the moving tags that let the refused plain tags move (the run's and the refused), or none */
  movingTags?: string[]
  /** tag-policy overwrite replaces cosign tags (dropping the signatures a target holds there) */
  cosign: boolean
}

/** The remedies that work for `refusals` under the run's `movingTags`. */
export function remediesOf(refusals: Refusal[], movingTags: string[]): Remedies {
  const plain = refusals.filter(r => !r.cosign).map(r => r.tag)
  const unique = refusals.filter(r => !r.cosign).every(r => r.kind === 'unique')
  return {
    newVersion: plain.length > 0 && unique,
    newTags: plain.length > 0 && !unique,
    ...(plain.length ? { movingTags: [...new Set([...movingTags, ...plain])] } : {}),
    cosign: refusals.some(r => r.cosign)
  }
}

/** The remedies that work for these refusals, as a list. */
function remedies(refusals: Refusal[], movingTags: string[]): string[] {
  const r = remediesOf(refusals, movingTags)
  const plain = refusals.filter(x => !x.cosign)
  const lines = ['To promote it:', '']
  if (r.movingTags) {
    if (r.newVersion)
      lines.push(
        `- release a new version: ${plain.length === 1 ? 'this tag names' : 'these tags name'} this release alone, and tags that no target holds yet are created, never refused;`
      )
    if (r.newTags)
      lines.push(
        `- promote it under tags that no target holds yet: those are created, never refused (a new version would give ${plain.length === 1 ? 'this tag' : 'these tags'} again);`
      )
    const moving = r.movingTags.join(',')
    lines.push(
      `- or let ${plain.length === 1 ? 'this tag' : 'these tags'} move on purpose: ${code(`moving-tags: ${clip(moving, 400)}`)} (the others stay immutable);`
    )
  }
  if (r.cosign)
    lines.push(
      `- ${plain.length ? 'or ' : ''}give the source's cosign tag every signature the target holds there (${code('cosign sign')} or ${code('cosign attach signature')} at the source), then re-run: a cosign tag that keeps every signature held there moves under any tag policy;`
    )
  const or = plain.length || r.cosign ? 'or ' : ''
  lines.push(
    r.cosign
      ? `- ${or}${code('tag-policy: overwrite')}: every tag may move, and cosign tags are replaced (the signatures the target holds there now are dropped).`
      : `- ${or}${code('tag-policy: overwrite')}: every tag may move.`
  )
  return [...lines, '']
}

/**
 * The two remedies each interface words in its own terms: letting the refused plain tags move
 * (`tags`: the moving tags that would let them), and the overwrite tag policy (`r`: every remedy
 * offered, for how it follows the others; `overwrite`: what the policy does).
 */
interface RemedyWords {
  moving(tags: string[]): string
  policy(r: Remedies, overwrite: string): string
}

/** The remedies for the tags `plan` refuses joined as one line, `say` wording the two that differ. */
function remedyLine(plan: PromotePlan, movingTags: string[], say: RemedyWords): string {
  const { refusals, other } = refusalsOf(plan)
  if (!refusals.length && !other.length) return ''
  const r = remediesOf(refusals, movingTags)
  const parts: string[] = []
  if (r.newVersion) parts.push('release a new version')
  if (r.newTags) parts.push('give tags no target holds yet')
  if (r.movingTags) parts.push(say.moving(r.movingTags))
  if (r.cosign)
    parts.push(
      "give the source's cosign tag every signature the target holds there (cosign sign or cosign attach signature at the source) and re-run (a cosign tag that keeps every signature held there moves under any tag policy)"
    )
  const overwrite = r.cosign
    ? 'every tag may move, and cosign tags are replaced, dropping the signatures held there now'
    : 'every tag may move'
  parts.push(say.policy(r, overwrite))
  return `to promote it, ${parts.join(', or ')}`
}

/**
 * The remedies for the tags `plan` refuses as one line of plain text for the CLI, naming its flags
 * (options.ts OPTION_FLAGS): `to promote it, give tags no target holds yet, or re-run with
 * --moving-tag latest --moving-tag edge --moving-tag v1 (the others stay immutable), or with
 * --tag-policy overwrite (every tag may move)`; `release a new version` instead of the first when
 * every refused tag names its release alone (kind `unique`); '' when nothing is refused.
 * @param movingTags the run's moving tags (the flag replaces them, so the remedy repeats them)
 */
export function remedyText(
  plan: PromotePlan,
  movingTags: string[],
  flags: { movingTags: string; tagPolicy: string }
): string {
  return remedyLine(plan, movingTags, {
    moving: tags =>
      `re-run with ${tags.map(t => `${flags.movingTags} ${t}`).join(' ')} (the others stay immutable)`,
    policy: (r, overwrite) =>
      `${r.movingTags && !r.cosign ? 'with' : 're-run with'} ${flags.tagPolicy} overwrite (${overwrite})`
  })
}

/**
 * The remedies for the tags `plan` refuses as one line of plain text for an image of a promotion
 * file, naming the file's keys (options.ts FILE_OWNED_OPTIONS; the command-line flags are refused
 * with a file): `to promote it, release a new version, or set moving-tags: [latest, edge, v1] for
 * image app in rel.yaml (the others stay immutable), or tag-policy: overwrite for it (every tag may
 * move)`; '' when nothing is refused.
 * @param movingTags the image's moving tags (its key or the defaults'; the key replaces them)
 * @param image the image's `name` in the file
 * @param path the promotion file as given
 */
export function fileRemedyText(plan: PromotePlan, movingTags: string[], image: string, path: string): string {
  const where = `for image ${image} in ${path}`
  return remedyLine(plan, movingTags, {
    moving: tags =>
      `set ${FILE_OWNED_OPTIONS.movingTags}: [${tags.join(', ')}] ${where} (the others stay immutable)`,
    policy: (r, overwrite) =>
      `set ${FILE_OWNED_OPTIONS.tagPolicy}: overwrite ${r.movingTags ? 'for it' : where} (${overwrite})`
  })
}
