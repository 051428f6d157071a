/**
 * Tags, version, `latest` and OCI labels from rules and git context: a pure function of its inputs,
 * the context and an injected clock. Semantics of docker/metadata-action meta.ts
 * (naming-and-protocol.md §2.3–§2.5), with the departures listed in tags/index.ts.
 */
import semver from 'semver'
import type { VersionLine } from './line.js'
import * as pep440 from '@renovatebot/pep440'
import { isValidTag, RULES } from '../reference/index.js'
import { createdDate, type TagContext } from './context.js'
import { inputLines, parseFlavor, parseTagRules, TagRuleError, type Flavor, type TagRule } from './rules.js'
import { sanitizeTag } from './sanitize.js'

/** Inputs of {@link computeTags}; each list is newline-separated text or an array of lines. */
export interface TagInputs {
  /** Tag rules (§2.1); empty → the defaults `schedule`, `ref` branch/tag/pr. */
  tags?: string | string[]
  /** Flavor lines (§2.1). */
  flavor?: string | string[]
  /** Extra labels `key=value` (expressions allowed); override the OCI ones. */
  labels?: string | string[]
  /** Extra annotations `key=value` (expressions allowed); override the OCI ones. */
  annotations?: string | string[]
}

/** Options of {@link computeTags}. */
export interface ComputeOptions {
  /**
   * The clock: `{{date}}`, and the fallback of the commit date (`{{commit_date}}`, and
   * `org.opencontainers.image.created` when there is no SOURCE_DATE_EPOCH either). Default `new Date()`.
   */
  now?: Date
}

/**
 * What a computed tag is to the releases that follow, which says whether it may move under the
 * `immutable` tag policy (copy/plan.ts reads it; this module is the one that decides it):
 * - `rolling`: the next release of its line, or the next run on its branch, gives it again, so it
 *   moves with every one: `{{major}}.{{minor}}`, `{{major}}`, `latest`, `edge`, branch and pull
 *   request tags, `nightly`. May move under `immutable`.
 * - `unique`: names this release or commit alone: `{{version}}` (and every pre-release),
 *   `type=ref,event=tag`, `type=sha`, a date. Immutable; the next release gives another tag.
 * - `fixed`: as written (a plain tag, a literal `type=raw`), or not known to change per release
 *   (`type=match` on a value that is not a version). Immutable; the next release gives it again.
 */
export type TagKind = 'rolling' | 'unique' | 'fixed'

/** One tag of {@link TagResult}: its name, its {@link TagKind}, and the rule that made it. */
export interface ComputedTag {
  tag: string
  /** when several rules give the tag, the strictest of theirs (fixed, then unique, then rolling) */
  kind: TagKind
  /**
   * a tag of a semver rule, and `latest` after one: its version line (tags/line.ts); a rolling one
   * (`{{major}}`, `{{major}}.{{minor}}`, `latest`) never leaves a newer release for this one
   */
  line?: VersionLine
  /** the rule line as written, or `flavor latest` for the `latest` tag */
  rule: string
}

/** Result of {@link computeTags}. */
export interface TagResult {
  /** Tag names in output order: main, partials, then `latest` when enabled; all valid, no duplicates. */
  tags: string[]
  /** The same tags, in the same order, each with its {@link TagKind} and rule. */
  computed: ComputedTag[]
  /** The main tag (first produced), or `''` when no rule produced one. */
  version: string
  /** Whether a `latest` tag is included. */
  latest: boolean
  /** OCI labels + custom labels, keys sorted. */
  labels: Record<string, string>
  /** OCI annotations + custom annotations, keys sorted. */
  annotations: Record<string, string>
  /** Rules that produced nothing for a reason worth telling (no match, not a version, …). */
  warnings: string[]
}

const DEFAULT_SHORT_SHA_LENGTH = 7

let loaded: typeof import('./expressions.js') | undefined

/**
 * Loads the expression engine (Handlebars and moment-timezone, about 1 MB of bundle and 150 ms of
 * start-up), once; {@link computeTags} needs it for any template with `{{…}}` and for `type=semver`
 * rules. esbuild puts it in a chunk of its own, so a run with only literal tags never loads it.
 */
export async function loadTagEngine(): Promise<void> {
  loaded ??= await import('./expressions.js')
}

/**
 * Whether {@link computeTags} over these texts (`tags`, `flavor`, `labels`, `annotations` lines)
 * renders an expression, so needs {@link loadTagEngine} first: a `{{` anywhere, or a `type=semver`
 * rule (whose pre-releases are rendered as `{{version}}`).
 */
export function needsTagEngine(...texts: (string | string[] | undefined)[]): boolean {
  return texts.some(t => {
    const text = Array.isArray(t) ? t.join('\n') : (t ?? '')
    return text.includes('{{') || /semver/i.test(text)
  })
}

function expressions(): typeof import('./expressions.js') {
  if (!loaded) throw new Error('the tag expression engine is not loaded: await loadTagEngine() first')
  return loaded
}

/** A template rendered with `data`; text without `{{` is itself (as Handlebars would render it). */
function render(template: string, data: object, source: string): string {
  if (!template.includes('{{')) return template
  try {
    return expressions().render(template, data)
  } catch (e) {
    if (e instanceof TagRuleError) throw e
    throw new TagRuleError(source, `expression "${template}"`, (e as Error).message)
  }
}

function shortSha(sha: string, length: number): string {
  return length >= sha.length ? sha : sha.slice(0, length)
}

const HEADS = /^refs\/heads\//
const TAGS = /^refs\/tags\//
const PULL = /^refs\/pull\//

/** The global expressions of §2.4. */
function globals(ctx: TagContext, now: Date): Record<string, unknown> {
  const shaLength = ctx.shortShaLength ?? DEFAULT_SHORT_SHA_LENGTH
  const isDefault = (): boolean => {
    const branch = ctx.ref.replace(HEADS, '')
    if (branch === '') return false
    if (ctx.defaultBranch !== undefined && ctx.defaultBranch === branch) return true
    return /create|discussion|issues|schedule/.test(ctx.eventName)
  }
  return {
    branch: () => (HEADS.test(ctx.ref) ? ctx.ref.replace(HEADS, '') : ''),
    tag: () => (TAGS.test(ctx.ref) ? ctx.ref.replace(TAGS, '') : ''),
    sha: () => shortSha(ctx.sha, shaLength),
    base_ref: () => {
      if (TAGS.test(ctx.ref) && ctx.baseRef !== undefined) return ctx.baseRef.replace(HEADS, '')
      if (PULL.test(ctx.ref) && ctx.pullRequestBaseRef !== undefined) return ctx.pullRequestBaseRef
      return ''
    },
    is_default_branch: () => String(isDefault()),
    is_not_default_branch: () => String(!isDefault()),
    date: (...args: unknown[]) => expressions().formatDate(now, args),
    commit_date: (...args: unknown[]) => expressions().formatDate(ctx.commitDate ?? now, args)
  }
}

/** True when the pattern is exactly `{{raw}}` (§2.3). */
function isRawStatement(pattern: string): boolean {
  return pattern.includes('{{') && expressions().isRawStatement(pattern)
}

/** A `/re/flags` string → RegExp; anything else → RegExp(pattern) as String.prototype.match would. */
function toRegExp(pattern: string, source: string): RegExp {
  const literal = /^\/(.+)\/([a-z]*)$/s.exec(pattern)
  try {
    return literal ? new RegExp(literal[1], literal[2]) : new RegExp(pattern)
  } catch (e) {
    throw new TagRuleError(source, `pattern "${pattern}"`, (e as Error).message)
  }
}

interface Produced {
  /** Value before prefix/suffix. */
  value: string
  /** Latest-eligibility under `latest=auto`. */
  eligible: boolean
  /** what the value is to the next release (prefix and suffix not counted) */
  kind: TagKind
  /** a semver value (not a pre-release): this release's version and the versions that give the same value */
  line?: Pick<VersionLine, 'version' | 'within'>
}

interface Engine {
  ctx: TagContext
  exp: (template: string, source: string) => string
  /** renders as `exp` for the next run: another commit, a day later, another git tag, same branch */
  next: (template: string, source: string) => string
  warnings: string[]
}

/** `rolling` when the next release renders `value` again, else `unique`. */
const againOrNot = (value: string, next: string): TagKind => (value === next ? 'rolling' : 'unique')

/** How strict each kind is: a tag several rules give takes the strictest. */
const STRICTNESS: Record<TagKind, number> = { rolling: 0, unique: 1, fixed: 2 }

/**
 * The context of the next run of the same line: another commit (every character of the sha
 * changed), a day later, and, on a git tag, another tag; the same branch or pull request.
 */
function nextContext(ctx: TagContext, now: Date): { ctx: TagContext; now: Date } {
  const day = 86_400_000
  return {
    ctx: {
      ...ctx,
      sha: ctx.sha.replace(/./g, c => (c === '0' ? '1' : '0')),
      ref: TAGS.test(ctx.ref) ? `${ctx.ref}-next` : ctx.ref,
      ...(ctx.commitDate ? { commitDate: new Date(ctx.commitDate.getTime() + day) } : {})
    },
    now: new Date(now.getTime() + day)
  }
}

function versionInput(e: Engine, rule: TagRule, slashes: boolean): string | undefined {
  const value = rule.attrs.get('value') ?? ''
  if (!TAGS.test(e.ctx.ref) && value === '') return undefined
  let raw = value !== '' ? e.exp(value, rule.source) : e.ctx.ref.replace(TAGS, '')
  const match = rule.attrs.get('match') ?? ''
  if (match !== '') {
    const m = raw.match(toRegExp(match, rule.source))
    if (m) raw = m[1] ?? m[0]
    else e.warnings.push(`${rule.source}: match ${match} does not match "${raw}"; using it whole`)
  }
  return slashes ? raw.replace(/\//g, '-') : raw
}

type Producer = (e: Engine, rule: TagRule, attr: (k: string) => string) => Produced | undefined

function semverTag(e: Engine, rule: TagRule, attr: (k: string) => string): Produced | undefined {
  const raw = versionInput(e, rule, true)
  if (raw === undefined) return undefined
  if (!semver.valid(raw)) {
    e.warnings.push(`${rule.source}: "${raw}" is not a valid semver version`)
    return undefined
  }
  const version = semver.parse(raw, { loose: true })
  if (!version) return undefined
  const pattern = attr('pattern')
  if (semver.prerelease(raw))
    return {
      value: render(isRawStatement(pattern) ? pattern : '{{version}}', version, rule.source),
      eligible: false,
      kind: 'unique'
    }
  const value = render(pattern, version, rule.source)
  // the next patch release of this line: a pattern that drops the patch gives the same tag
  const next = semver.parse(semver.inc(version.version, 'patch'))!
  const kind = againOrNot(value, render(pattern, next, rule.source))
  const same = (inc: 'minor' | 'major'): boolean =>
    render(pattern, semver.parse(semver.inc(version.version, inc))!, rule.source) === value
  const within = same('minor') ? (same('major') ? 'all' : 'major') : 'minor'
  const own = `${version.major}.${version.minor}.${version.patch}`
  return { value, eligible: true, kind, line: { version: own, within } }
}

/** What a pep440 rule's pattern renders with: `raw` as given, `version` cleaned, and its parts. */
function pep440Data(raw: string, clean: string): Record<string, () => unknown> {
  return {
    raw: () => raw,
    version: () => clean,
    major: () => pep440.major(raw),
    minor: () => pep440.minor(raw),
    patch: () => pep440.patch(raw)
  }
}

/**
 * A semver or pep440 rule's pattern rendered for version 1.2.3 whatever the ref, so a placeholder
 * typo (`{{versoin}}`) is refused on a branch push too, not only on the release that needs the tag.
 * @throws TagRuleError naming the rule and the unknown placeholder
 */
function checkVersionPattern(rule: TagRule): void {
  const pattern = rule.attrs.get('pattern') ?? ''
  if (!pattern.includes('{{')) return
  if (rule.type === 'semver') render(pattern, semver.parse('1.2.3')!, rule.source)
  if (rule.type === 'pep440') render(pattern, pep440Data('1.2.3', '1.2.3'), rule.source)
}

function pep440Tag(e: Engine, rule: TagRule, attr: (k: string) => string): Produced | undefined {
  const raw = versionInput(e, rule, true)
  if (raw === undefined) return undefined
  if (!pep440.valid(raw)) {
    e.warnings.push(`${rule.source}: "${raw}" does not conform to PEP 440`)
    return undefined
  }
  const explained = pep440.explain(raw)
  const pattern = attr('pattern')
  const clean = pep440.clean(raw) ?? raw
  if (explained && (explained.is_prerelease || explained.is_postrelease || explained.is_devrelease))
    return { value: isRawStatement(pattern) ? raw : clean, eligible: false, kind: 'unique' }
  const data = pep440Data
  const value = render(pattern, data(raw, clean), rule.source)
  // the next patch release of this line: a pattern that drops the patch gives the same tag
  const next = pep440.inc(clean, 'patch') ?? `${clean}.1`
  return { value, eligible: true, kind: againOrNot(value, render(pattern, data(next, next), rule.source)) }
}

/**
 * A `type=match` value's kind: on a version (`v1.2.3`), what the same match gives on the next patch
 * release (`v1.2.4`); on anything else, `fixed` (not known to change per release).
 */
function matchKind(raw: string, value: string, regexp: RegExp, group: number): TagKind {
  const version = semver.valid(raw)
  if (!version) return 'fixed'
  const next = raw.replace(version, semver.inc(version, 'patch')!)
  return next === raw ? 'fixed' : againOrNot(value, next.match(regexp)?.[group] ?? '')
}

function matchTag(e: Engine, rule: TagRule, attr: (k: string) => string): Produced | undefined {
  const raw = versionInput(e, rule, false)
  if (raw === undefined) return undefined
  const regexp = toRegExp(attr('pattern'), rule.source)
  const m = raw.match(regexp)
  if (!m) {
    e.warnings.push(`${rule.source}: pattern ${attr('pattern')} does not match "${raw}"`)
    return undefined
  }
  const group = m[Number(attr('group'))]
  if (group === undefined) {
    e.warnings.push(`${rule.source}: group ${attr('group')} does not exist or did not match`)
    return undefined
  }
  return { value: group, eligible: true, kind: matchKind(raw, group, regexp, Number(attr('group'))) }
}

function refTag(e: Engine, _rule: TagRule, attr: (k: string) => string): Produced | undefined {
  const { ctx } = e
  const event = attr('event')
  if (event === 'branch' && HEADS.test(ctx.ref))
    return { value: ctx.ref.replace(HEADS, ''), eligible: false, kind: 'rolling' }
  if (event === 'tag' && TAGS.test(ctx.ref))
    return { value: ctx.ref.replace(TAGS, ''), eligible: true, kind: 'unique' }
  if (event === 'pr' && PULL.test(ctx.ref))
    return { value: ctx.ref.replace(PULL, '').replace(/\/merge$/, ''), eligible: false, kind: 'rolling' }
  return undefined
}

function edgeTag(e: Engine, rule: TagRule, attr: (k: string) => string): Produced | undefined {
  const { ctx } = e
  if (!HEADS.test(ctx.ref)) return undefined
  const branch = attr('branch') || ctx.defaultBranch
  if (branch === undefined) {
    e.warnings.push(`${rule.source}: no branch= given and the default branch is unknown`)
    return undefined
  }
  return branch === ctx.ref.replace(HEADS, '')
    ? { value: 'edge', eligible: false, kind: 'rolling' }
    : undefined
}

/** One producer per rule type (§2.2, §2.3): the tag value a rule gives in this context, or none. */
const PRODUCERS: Record<TagRule['type'], Producer> = {
  schedule: (e, rule, attr) => {
    if (!/schedule/.test(e.ctx.eventName)) return undefined
    const value = e.exp(attr('pattern'), rule.source)
    return { value, eligible: false, kind: againOrNot(value, e.next(attr('pattern'), rule.source)) }
  },
  semver: semverTag,
  pep440: pep440Tag,
  match: matchTag,
  ref: refTag,
  edge: edgeTag,
  // written literally: fixed; an expression the next run renders again (`{{branch}}`): rolling
  raw: (e, rule, attr) => {
    const template = attr('value')
    const value = e.exp(template, rule.source)
    const kind = template.includes('{{') ? againOrNot(value, e.next(template, rule.source)) : 'fixed'
    return { value, eligible: false, kind }
  },
  sha: (e, _rule, attr) => {
    if (!e.ctx.sha) return undefined
    const length = e.ctx.shortShaLength ?? DEFAULT_SHORT_SHA_LENGTH
    const value = attr('format') === 'long' ? e.ctx.sha : shortSha(e.ctx.sha, length)
    return { value, eligible: false, kind: 'unique' }
  }
}

function produce(e: Engine, rule: TagRule): Produced | undefined {
  return PRODUCERS[rule.type](e, rule, k => rule.attrs.get(k) ?? '')
}

/** Custom `key=value` lines (expressions rendered) over the base map; keys sorted by code point. */
function mergeKeyValues(
  base: Record<string, string>,
  lines: string | string[] | undefined,
  exp: (t: string, s: string) => string,
  what: string
): Record<string, string> {
  const entries = new Map(Object.entries(base))
  for (const line of inputLines(lines)) {
    const rendered = exp(line, line)
    const eq = rendered.indexOf('=')
    if (eq <= 0) throw new TagRuleError(line, what, `${what} lines are key=value`)
    entries.set(rendered.slice(0, eq).trim(), rendered.slice(eq + 1))
  }
  return Object.fromEntries([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
}

/**
 * The `org.opencontainers.image.*` labels/annotations from the context (§2.5): `created` (ISO 8601:
 * SOURCE_DATE_EPOCH, else the commit date, else `now`; see {@link createdDate}), `description`, `licenses`, `revision` (sha), `source` and `url` (repository web URL),
 * `title` (repository name), `version` (the main tag). Missing facts give empty values.
 */
export function ociLabels(ctx: TagContext, version: string, now: Date): Record<string, string> {
  const repo = ctx.repository ?? {}
  return {
    'org.opencontainers.image.created': createdDate(ctx, now).toISOString(),
    'org.opencontainers.image.description': repo.description ?? '',
    'org.opencontainers.image.licenses': repo.license ?? '',
    'org.opencontainers.image.revision': ctx.sha,
    'org.opencontainers.image.source': repo.htmlUrl ?? '',
    'org.opencontainers.image.title': repo.name ?? '',
    'org.opencontainers.image.url': repo.htmlUrl ?? '',
    'org.opencontainers.image.version': version
  }
}

/**
 * The tag one rule gives (§2.2–§2.5): undefined when disabled (`enable=false`), when it produces
 * nothing here, or when sanitising leaves nothing (a warning says so); a literal `type=raw` tag
 * must already be valid.
 * @throws TagRuleError for an `enable` that is not true/false, or an invalid literal raw tag
 */
function ruleTag(
  engine: Engine,
  rule: TagRule,
  flavor: Flavor
): { tag: string; eligible: boolean; kind: TagKind; line?: VersionLine } | undefined {
  const { exp } = engine
  const enabled = exp(rule.attrs.get('enable') ?? 'true', rule.source)
  if (enabled !== 'true' && enabled !== 'false')
    throw new TagRuleError(rule.source, `enable "${enabled}"`, 'enable must be (or render to) true or false')
  if (enabled === 'false') return undefined
  const produced = produce(engine, rule)
  if (!produced || produced.value === '') return undefined
  const prefixTemplate = rule.attrs.get('prefix') ?? flavor.prefix
  const suffixTemplate = rule.attrs.get('suffix') ?? flavor.suffix
  const full = `${exp(prefixTemplate, rule.source)}${produced.value}${exp(suffixTemplate, rule.source)}`
  const kind = affixKind(engine, produced.kind, [prefixTemplate, suffixTemplate], rule.source)
  const literal =
    rule.type === 'raw' &&
    ![rule.attrs.get('value') ?? '', prefixTemplate, suffixTemplate].some(t => t.includes('{{'))
  if (literal) {
    if (!isValidTag(full)) throw new TagRuleError(rule.source, `tag "${full}"`, RULES.tag)
    return { tag: full, eligible: produced.eligible, kind }
  }
  const tag = sanitizeTag(full)
  if (tag === undefined) {
    engine.warnings.push(`${rule.source}: "${full}" leaves no tag characters`)
    return undefined
  }
  // the version tags of this line carry the same prefix and suffix (the flavor's, as rendered)
  const line = produced.line
    ? {
        ...produced.line,
        prefix: exp(prefixTemplate, rule.source),
        suffix: exp(suffixTemplate, rule.source)
      }
    : undefined
  return { tag, eligible: produced.eligible, kind, ...(line ? { line } : {}) }
}

/** `kind`, unless a prefix or suffix renders otherwise on the next run (`-{{sha}}`): then `unique`. */
function affixKind(engine: Engine, kind: TagKind, templates: string[], source: string): TagKind {
  if (kind === 'unique') return kind
  const changes = templates.some(t => t.includes('{{') && engine.exp(t, source) !== engine.next(t, source))
  return changes ? 'unique' : kind
}

/**
 * Computes tag names, version, latest and labels (§2.3–§2.5). Rules run in priority order; each
 * enabled rule yields a value or nothing; prefix/suffix come from the rule's own attribute if it has
 * one, else from the flavor; `latest` is decided by the first rule that yields a value.
 *
 * Every tag is valid: values are passed through {@link sanitizeTag}. An explicit tag — a `raw` rule
 * whose value, prefix and suffix are all literal (no `{{…}}`) — is never rewritten: if it breaks the
 * tag rule, {@link TagRuleError} names the line and the rule. Also throws TagRuleError for invalid
 * rule/flavor/label lines, `enable` not rendering to true/false, and bad expressions or patterns.
 */
export function computeTags(inputs: TagInputs, ctx: TagContext, options: ComputeOptions = {}): TagResult {
  const now = options.now ?? new Date()
  const rules = parseTagRules(inputs.tags)
  for (const rule of rules) checkVersionPattern(rule)
  const flavor: Flavor = parseFlavor(inputs.flavor)
  const data = globals(ctx, now)
  const exp = (template: string, source: string) => render(template, data, source)
  const after = nextContext(ctx, now)
  const nextData = globals(after.ctx, after.now)
  const next = (template: string, source: string) => render(template, nextData, source)
  const engine: Engine = { ctx, exp, next, warnings: [] }
  const forced = flavor.latest === 'auto' ? undefined : flavor.latest === 'true'

  // every tag once, in order (main, partials), with the strictest kind of the rules that gave it
  const computed = new Map<string, ComputedTag>()
  let latest: boolean | undefined
  let versioned: VersionLine | undefined
  for (const rule of rules) {
    const produced = ruleTag(engine, rule, flavor)
    if (!produced) continue
    const { tag, kind, line } = produced
    versioned ??= line
    const seen = computed.get(tag)
    if (!seen)
      computed.set(tag, { tag, kind, rule: rule.source, ...(line && kind === 'rolling' ? { line } : {}) })
    else if (STRICTNESS[kind] > STRICTNESS[seen.kind]) {
      seen.kind = kind
      delete seen.line
    }
    latest ??= forced ?? produced.eligible
  }
  const main = computed.size ? [...computed.keys()][0] : undefined
  if (main !== undefined && latest) {
    const affixes = [flavor.prefixLatest ? flavor.prefix : '', flavor.suffixLatest ? flavor.suffix : '']
    const latestTag = sanitizeTag(`${exp(affixes[0], 'flavor')}latest${exp(affixes[1], 'flavor')}`)
    const latestKind = affixKind(engine, 'rolling', affixes, 'flavor')
    if (latestTag !== undefined && !computed.has(latestTag))
      computed.set(latestTag, {
        tag: latestTag,
        kind: latestKind,
        rule: 'flavor latest',
        // latest follows the newest release of every line (the version tags of the first semver rule)
        ...(versioned && latestKind === 'rolling' ? { line: { ...versioned, within: 'all' as const } } : {})
      })
  }
  const version = main ?? ''
  const base = ociLabels(ctx, version, now)
  return {
    tags: [...computed.keys()],
    computed: [...computed.values()],
    version,
    latest: main !== undefined && latest === true,
    labels: mergeKeyValues(base, inputs.labels, exp, 'label'),
    annotations: mergeKeyValues(base, inputs.annotations, exp, 'annotation'),
    warnings: engine.warnings
  }
}
