/**
 * Tags, version, `latest` and OCI labels from rules and git context: a pure function of its inputs,
 * the context and an injected clock. Semantics of docker/metadata-action meta.ts
 * (naming-and-protocol.md §2.3–§2.5), with the departures listed in tags/index.ts.
 */
import semver from 'semver'
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

/** Result of {@link computeTags}. */
export interface TagResult {
  /** Tag names in output order: main, partials, then `latest` when enabled; all valid, no duplicates. */
  tags: string[]
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
}

interface Engine {
  ctx: TagContext
  exp: (template: string, source: string) => string
  warnings: string[]
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
      eligible: false
    }
  return { value: render(pattern, version, rule.source), eligible: true }
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
    return { value: isRawStatement(pattern) ? raw : clean, eligible: false }
  const data = {
    raw: () => raw,
    version: () => clean,
    major: () => pep440.major(raw),
    minor: () => pep440.minor(raw),
    patch: () => pep440.patch(raw)
  }
  return { value: render(pattern, data, rule.source), eligible: true }
}

function matchTag(e: Engine, rule: TagRule, attr: (k: string) => string): Produced | undefined {
  const raw = versionInput(e, rule, false)
  if (raw === undefined) return undefined
  const m = raw.match(toRegExp(attr('pattern'), rule.source))
  if (!m) {
    e.warnings.push(`${rule.source}: pattern ${attr('pattern')} does not match "${raw}"`)
    return undefined
  }
  const group = m[Number(attr('group'))]
  if (group === undefined) {
    e.warnings.push(`${rule.source}: group ${attr('group')} does not exist or did not match`)
    return undefined
  }
  return { value: group, eligible: true }
}

function refTag(e: Engine, _rule: TagRule, attr: (k: string) => string): Produced | undefined {
  const { ctx } = e
  const event = attr('event')
  if (event === 'branch' && HEADS.test(ctx.ref)) return { value: ctx.ref.replace(HEADS, ''), eligible: false }
  if (event === 'tag' && TAGS.test(ctx.ref)) return { value: ctx.ref.replace(TAGS, ''), eligible: true }
  if (event === 'pr' && PULL.test(ctx.ref))
    return { value: ctx.ref.replace(PULL, '').replace(/\/merge$/, ''), eligible: false }
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
  return branch === ctx.ref.replace(HEADS, '') ? { value: 'edge', eligible: false } : undefined
}

/** One producer per rule type (§2.2, §2.3): the tag value a rule gives in this context, or none. */
const PRODUCERS: Record<TagRule['type'], Producer> = {
  schedule: (e, rule, attr) =>
    /schedule/.test(e.ctx.eventName)
      ? { value: e.exp(attr('pattern'), rule.source), eligible: false }
      : undefined,
  semver: semverTag,
  pep440: pep440Tag,
  match: matchTag,
  ref: refTag,
  edge: edgeTag,
  raw: (e, rule, attr) => ({ value: e.exp(attr('value'), rule.source), eligible: false }),
  sha: (e, _rule, attr) => {
    if (!e.ctx.sha) return undefined
    const length = e.ctx.shortShaLength ?? DEFAULT_SHORT_SHA_LENGTH
    return { value: attr('format') === 'long' ? e.ctx.sha : shortSha(e.ctx.sha, length), eligible: false }
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
): { tag: string; eligible: boolean } | undefined {
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
  const literal =
    rule.type === 'raw' &&
    ![rule.attrs.get('value') ?? '', prefixTemplate, suffixTemplate].some(t => t.includes('{{'))
  if (literal) {
    if (!isValidTag(full)) throw new TagRuleError(rule.source, `tag "${full}"`, RULES.tag)
    return { tag: full, eligible: produced.eligible }
  }
  const tag = sanitizeTag(full)
  if (tag === undefined) {
    engine.warnings.push(`${rule.source}: "${full}" leaves no tag characters`)
    return undefined
  }
  return { tag, eligible: produced.eligible }
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
  const flavor: Flavor = parseFlavor(inputs.flavor)
  const data = globals(ctx, now)
  const exp = (template: string, source: string) => render(template, data, source)
  const engine: Engine = { ctx, exp, warnings: [] }
  const forced = flavor.latest === 'auto' ? undefined : flavor.latest === 'true'

  let main: string | undefined
  const partial: string[] = []
  let latest: boolean | undefined
  for (const rule of rules) {
    const produced = ruleTag(engine, rule, flavor)
    if (!produced) continue
    const { tag } = produced
    if (main === undefined) main = tag
    else if (tag !== main && !partial.includes(tag)) partial.push(tag)
    latest ??= forced ?? produced.eligible
  }

  const tags: string[] = []
  if (main !== undefined) {
    tags.push(main, ...partial)
    if (latest) {
      const prefix = flavor.prefixLatest ? exp(flavor.prefix, 'flavor') : ''
      const suffix = flavor.suffixLatest ? exp(flavor.suffix, 'flavor') : ''
      const latestTag = sanitizeTag(`${prefix}latest${suffix}`)
      if (latestTag !== undefined && !tags.includes(latestTag)) tags.push(latestTag)
    }
  }
  const version = main ?? ''
  const base = ociLabels(ctx, version, now)
  return {
    tags,
    version,
    latest: main !== undefined && latest === true,
    labels: mergeKeyValues(base, inputs.labels, exp, 'label'),
    annotations: mergeKeyValues(base, inputs.annotations, exp, 'annotation'),
    warnings: engine.warnings
  }
}
