/**
 * Parsing of the `tags`, `flavor` and `images` inputs (docker/metadata-action tag.ts, flavor.ts,
 * image.ts; naming-and-protocol.md §2.1, §2.2). Each line is one CSV record; a field is `key=value`
 * split on the first `=`, key trimmed and lower-cased, value trimmed.
 */
import { parse as parseCsv } from 'csv-parse/sync'

/** Tag rule types, with their default priorities (§2.2). */
export const DEFAULT_PRIORITIES = {
  schedule: 1000,
  semver: 900,
  pep440: 900,
  match: 800,
  edge: 700,
  ref: 600,
  raw: 200,
  sha: 100
} as const

/** A tag rule type. */
export type TagType = keyof typeof DEFAULT_PRIORITIES

const TYPES = Object.keys(DEFAULT_PRIORITIES) as TagType[]
const ATTRIBUTES = new Set([
  'type',
  'value',
  'pattern',
  'match',
  'group',
  'event',
  'branch',
  'format',
  'prefix',
  'suffix',
  'enable',
  'priority'
])

/** `"LINE": PART: RULE`, the line clipped at 200 characters. */
function ruleDetail(input: string, part: string, rule: string): string {
  return `"${input.length > 200 ? input.slice(0, 200) + '…' : input}": ${part}: ${rule}`
}

/** Thrown for a `tags`/`flavor`/`images`/`labels` line, or a computed tag, that breaks a rule. */
export class TagRuleError extends Error {
  /**
   * @param input the line (or value) as the user wrote it
   * @param part the part at fault, e.g. `attribute "patern"`, `tag "my tag"`
   * @param rule the rule broken, in words
   * @param field the input the line belongs to: `tags` (a tag rule, an image, a computed tag) or
   *   `flavor` (a flavor line)
   */
  constructor(
    readonly input: string,
    readonly part: string,
    readonly rule: string,
    readonly field: 'tags' | 'flavor' = 'tags'
  ) {
    super(`invalid ${field} input ${ruleDetail(input, part, rule)}`)
    this.name = 'TagRuleError'
  }

  /** The fault without the input's name (`"novalue": label: …`), for an edge that names the input itself. */
  get detail(): string {
    return ruleDetail(this.input, this.part, this.rule)
  }
}

/** One parsed tag rule. Attributes are kept in a Map (no prototype keys). */
export interface TagRule {
  type: TagType
  /** Attributes after defaults (§2.2), e.g. `pattern`, `value`, `prefix`, `enable`. */
  attrs: Map<string, string>
  /** Numeric priority; higher first. */
  priority: number
  /** The line as written (for error messages). */
  source: string
}

/** The parsed `flavor` input (§2.1). */
export interface Flavor {
  latest: 'auto' | 'true' | 'false'
  prefix: string
  suffix: string
  /** Whether `prefix` also applies to the `latest` tag. */
  prefixLatest: boolean
  /** Whether `suffix` also applies to the `latest` tag. */
  suffixLatest: boolean
}

/** The rules used when the `tags` input is empty (§2.2). */
export const DEFAULT_TAG_RULES = [
  'type=schedule',
  'type=ref,event=branch',
  'type=ref,event=tag',
  'type=ref,event=pr'
]

/**
 * Splits a multi-line input into lines: trims each, drops empty lines and lines starting with `#`.
 * An array is taken as already split (each element still trimmed and filtered).
 */
export function inputLines(input: string | string[] | undefined): string[] {
  const lines = input === undefined ? [] : Array.isArray(input) ? input : input.split(/\r?\n/)
  return lines.map(l => l.trim()).filter(l => l !== '' && !l.startsWith('#'))
}

function csvFields(line: string): string[] {
  let records: unknown[][]
  try {
    records = parseCsv(line, {
      relaxColumnCount: true,
      skipEmptyLines: true,
      relaxQuotes: false
    }) as unknown[][]
  } catch (e) {
    throw new TagRuleError(line, 'line', `not a CSV record: ${(e as Error).message}`)
  }
  if (records.length !== 1) throw new TagRuleError(line, 'line', 'one rule per line (a single CSV record)')
  return records[0].map(f => String(f))
}

function splitField(field: string): [string, string] | [undefined, string] {
  const eq = field.indexOf('=')
  if (eq === -1) return [undefined, field.trim()]
  return [field.slice(0, eq).trim().toLowerCase(), field.slice(eq + 1).trim()]
}

/** A literal (template-free) prefix/suffix must already be tag characters (departure, see tags/index.ts). */
function checkAffix(line: string, key: string, value: string): void {
  if (value.includes('{{')) return
  if (!/^[A-Za-z0-9_.-]*$/.test(value))
    throw new TagRuleError(line, `${key} "${value}"`, `a ${key} may only contain [A-Za-z0-9_.-]`)
  if (key === 'prefix' && /^[.-]/.test(value))
    throw new TagRuleError(line, `${key} "${value}"`, 'a tag must not start with "." or "-"')
}

/**
 * The attributes a rule type needs and its defaults (§2.2): `schedule` → `pattern=nightly`,
 * `ref,event=pr` → `prefix=pr-`, `sha` → `prefix=sha-,format=short`, `match` → `group=0`, ….
 * @throws TagRuleError naming the line for a missing or malformed attribute
 */
function applyTypeDefaults(line: string, type: TagType, attrs: Map<string, string>): void {
  const need = (attr: string) => {
    if (!attrs.has(attr)) throw new TagRuleError(line, `attribute "${attr}"`, `type=${type} needs ${attr}=…`)
  }
  const setDefault = (attr: string, value: string) => {
    if (!attrs.has(attr)) attrs.set(attr, value)
  }
  switch (type) {
    case 'schedule':
      setDefault('pattern', 'nightly')
      break
    case 'semver':
    case 'pep440':
      need('pattern')
      setDefault('value', '')
      setDefault('match', '')
      break
    case 'match':
      need('pattern')
      setDefault('group', '0')
      if (!/^\d+$/.test(attrs.get('group') ?? ''))
        throw new TagRuleError(line, `group "${attrs.get('group')}"`, 'group is a capture group number')
      setDefault('value', '')
      break
    case 'edge':
      setDefault('branch', '')
      break
    case 'ref': {
      need('event')
      const event = attrs.get('event') ?? ''
      if (!['branch', 'tag', 'pr'].includes(event))
        throw new TagRuleError(line, `event "${event}"`, 'event is one of branch, tag, pr')
      if (event === 'pr') setDefault('prefix', 'pr-')
      break
    }
    case 'raw':
      need('value')
      break
    case 'sha': {
      setDefault('prefix', 'sha-')
      setDefault('format', 'short')
      const format = attrs.get('format') ?? ''
      if (!['short', 'long'].includes(format))
        throw new TagRuleError(line, `format "${format}"`, 'format is short or long')
      break
    }
  }
}

/**
 * Parses one tag rule line (§2.1, §2.2): a field without `=` is the `value`; missing `type` is `raw`;
 * defaults per type are added (`schedule` → `pattern=nightly`, `ref,event=pr` → `prefix=pr-`, `sha` →
 * `prefix=sha-,format=short`, `match` → `group=0`, …); `enable=true`; the type's default priority.
 * Departures: unknown attributes, a non-numeric priority, and literal prefixes/suffixes with
 * characters a tag cannot hold are errors. Throws {@link TagRuleError} naming the line.
 */
export function parseTagRule(line: string): TagRule {
  const attrs = new Map<string, string>()
  let type: TagType | undefined
  for (const field of csvFields(line)) {
    const [key, value] = splitField(field)
    if (key === undefined) {
      attrs.set('value', value)
    } else if (key === 'type') {
      if (!(TYPES as string[]).includes(value))
        throw new TagRuleError(line, `type "${value}"`, `type is one of ${TYPES.join(', ')}`)
      type = value as TagType
    } else {
      if (!ATTRIBUTES.has(key))
        throw new TagRuleError(line, `attribute "${key}"`, `attributes are ${[...ATTRIBUTES].join(', ')}`)
      attrs.set(key, value)
    }
  }
  type ??= 'raw'
  applyTypeDefaults(line, type, attrs)
  const setDefault = (attr: string, value: string) => {
    if (!attrs.has(attr)) attrs.set(attr, value)
  }
  setDefault('enable', 'true')
  const priorityText = attrs.get('priority') ?? String(DEFAULT_PRIORITIES[type])
  const priority = Number(priorityText)
  if (priorityText === '' || !Number.isFinite(priority))
    throw new TagRuleError(line, `priority "${priorityText}"`, 'priority is a number')
  attrs.set('priority', priorityText)
  for (const key of ['prefix', 'suffix']) {
    const v = attrs.get(key)
    if (v !== undefined) checkAffix(line, key, v)
  }
  return { type, attrs, priority, source: line }
}

/**
 * Parses the `tags` input: lines ({@link inputLines}), each {@link parseTagRule}; an empty input gives
 * {@link DEFAULT_TAG_RULES}. Sorted by priority, highest first, ties in input order (§2.2).
 */
export function parseTagRules(input: string | string[] | undefined): TagRule[] {
  const lines = inputLines(input)
  const rules = (lines.length === 0 ? DEFAULT_TAG_RULES : lines).map(parseTagRule)
  return rules
    .map((rule, index) => ({ rule, index }))
    .sort((a, b) => b.rule.priority - a.rule.priority || a.index - b.index)
    .map(x => x.rule)
}

/**
 * Parses the `flavor` input (§2.1): keys `latest` (auto|true|false), `prefix`, `suffix`, `onlatest`
 * (true|false, for the prefix or suffix most recently set on the same line). Any other key, or a
 * field without `=`, is an error. Departure: values are split on the first `=` only, and literal
 * prefixes/suffixes must be tag characters. Throws {@link TagRuleError} naming the line (its
 * `field` `flavor`: `invalid flavor input "latest=maybe": latest "maybe": latest is auto, true or false`).
 */
export function parseFlavor(input: string | string[] | undefined): Flavor {
  try {
    return flavorOf(input)
  } catch (e) {
    if (e instanceof TagRuleError) throw new TagRuleError(e.input, e.part, e.rule, 'flavor')
    throw e
  }
}

/** {@link parseFlavor}, its errors named as tag rules'. */
function flavorOf(input: string | string[] | undefined): Flavor {
  const flavor: Flavor = { latest: 'auto', prefix: '', suffix: '', prefixLatest: false, suffixLatest: false }
  for (const line of inputLines(input)) {
    let onlatestFor: 'prefix' | 'suffix' | undefined
    for (const field of csvFields(line)) {
      const [key, value] = splitField(field)
      switch (key) {
        case 'latest':
          if (value !== 'auto' && value !== 'true' && value !== 'false')
            throw new TagRuleError(line, `latest "${value}"`, 'latest is auto, true or false')
          flavor.latest = value
          break
        case 'prefix':
        case 'suffix':
          checkAffix(line, key, value)
          flavor[key] = value
          onlatestFor = key
          break
        case 'onlatest':
          if (value !== 'true' && value !== 'false')
            throw new TagRuleError(line, `onlatest "${value}"`, 'onlatest is true or false')
          if (onlatestFor === 'prefix') flavor.prefixLatest = value === 'true'
          else if (onlatestFor === 'suffix') flavor.suffixLatest = value === 'true'
          else
            throw new TagRuleError(line, 'onlatest', 'onlatest follows a prefix or suffix on the same line')
          break
        default:
          throw new TagRuleError(
            line,
            key === undefined ? `field "${value}"` : `key "${key}"`,
            'flavor fields are latest=, prefix=, suffix=, onlatest='
          )
      }
    }
  }
  return flavor
}

/**
 * Parses the `images` input (§2.1): lines of a bare name or CSV `name=<image>,enable=<true|false>`;
 * a single line without `=` is split on commas. Returns the enabled names in input order. Names are
 * lower-cased only when `lowercase` is set (metadata-action compatibility); otherwise an upper-case
 * name is an error proposing the lower-cased one. Throws {@link TagRuleError}.
 */
export function parseImages(
  input: string | string[] | undefined,
  options: { lowercase?: boolean } = {}
): string[] {
  let lines = inputLines(input)
  if (lines.length === 1 && !lines[0].includes('='))
    lines = lines[0]
      .split(',')
      .map(s => s.trim())
      .filter(s => s !== '')
  const names: string[] = []
  for (const line of lines) {
    let name: string | undefined
    let enable = true
    for (const field of csvFields(line)) {
      const [key, value] = splitField(field)
      if (key === undefined || key === 'name') name = value
      else if (key === 'enable') {
        if (value !== 'true' && value !== 'false')
          throw new TagRuleError(line, `enable "${value}"`, 'enable is true or false')
        enable = value === 'true'
      } else throw new TagRuleError(line, `attribute "${key}"`, 'image attributes are name, enable')
    }
    if (!name) throw new TagRuleError(line, 'name ""', 'an image needs a name')
    if (name !== name.toLowerCase()) {
      if (!options.lowercase)
        throw new TagRuleError(
          line,
          `image "${name}"`,
          `image names must be lowercase; use "${name.toLowerCase()}"`
        )
      name = name.toLowerCase()
    }
    if (enable) names.push(name)
  }
  return names
}
