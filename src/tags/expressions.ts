/**
 * The tag expression engine: Handlebars templates (`{{version}}`, `{{branch}}`, …) and moment-timezone
 * for `{{date}}` (docker/metadata-action's choices, naming-and-protocol.md §2.4). Imported only by
 * `loadTagEngine()` in compute.ts, so the bundle loads it only when a template has an expression.
 */
import Handlebars from 'handlebars'
import moment from 'moment-timezone'

const hb = Handlebars.create()

type HelperOptions = { hash: Record<string, unknown> }

/** The names a template looks up or calls first (`{{name}}`, `{{#name}}`, `(name …)`); parameters not counted. */
class Heads extends Handlebars.Visitor {
  readonly names: string[] = []
  private head(path: hbs.AST.PathExpression | hbs.AST.Literal): void {
    if (path.type !== 'PathExpression') return
    const p = path as hbs.AST.PathExpression
    if (!p.data && p.parts.length) this.names.push(p.parts[0]!)
  }
  override MustacheStatement(node: hbs.AST.MustacheStatement): void {
    this.head(node.path)
    super.MustacheStatement(node)
  }
  override BlockStatement(node: hbs.AST.BlockStatement): void {
    this.head(node.path)
    super.BlockStatement(node)
  }
  override SubExpression(node: hbs.AST.SubExpression): void {
    this.head(node.path)
    super.SubExpression(node)
  }
}

/**
 * `template` rendered with `data`, without HTML escaping. A placeholder that is neither one of
 * `data`'s own keys nor a Handlebars helper (`if`, `each`, …) is refused: Handlebars renders it
 * empty, so `{{versoin}}` would give no tag without a word.
 * @throws Error `unknown placeholder {{versoin}}; the placeholders here are {{raw}}, …` (those of
 *   `data` holding a string, number or function), or from Handlebars for a template that does not
 *   parse or a helper that throws
 */
export function render(template: string, data: object): string {
  // parsed once: the names are read from the tree, which compile() then takes as it is (it strips
  // the whitespace around `~` and standalone blocks itself, so the tree is taken unprocessed here)
  const program = hb.parseWithoutProcessing(template)
  const heads = new Heads()
  heads.accept(program)
  const unknown = heads.names.find(n => !Object.hasOwn(data, n) && !Object.hasOwn(hb.helpers, n))
  if (unknown !== undefined) {
    const known = Object.entries(data)
      .filter(([, v]) => ['string', 'number', 'function'].includes(typeof v))
      .map(([k]) => `{{${k}}}`)
    throw new Error(`unknown placeholder {{${unknown}}}; the placeholders here are ${known.join(', ')}`)
  }
  return String(hb.compile(program, { noEscape: true })(data))
}

/**
 * `{{date 'fmt' tz='Zone'}}` / `{{commit_date …}}` for `date`: `args` as Handlebars passes them (the
 * format string if given, then the options with the `tz` hash); moment formats, time zone UTC unless
 * named.
 * @throws Error for an attribute other than `tz` or an unknown time zone
 */
export function formatDate(date: Date, args: unknown[]): string {
  const options = args[args.length - 1] as HelperOptions
  const format = args.length > 1 && typeof args[0] === 'string' ? args[0] : undefined
  let tz = 'UTC'
  for (const key of Object.keys(options.hash ?? {})) {
    if (key !== 'tz') throw new Error(`Unknown ${key} attribute`)
    tz = String(options.hash[key])
  }
  if (!moment.tz.zone(tz)) throw new Error(`Unknown time zone ${tz}`)
  return moment(date).tz(tz).format(format)
}

/** True when the pattern is exactly `{{raw}}` (§2.3); false for one that does not parse. */
export function isRawStatement(pattern: string): boolean {
  try {
    const program = hb.parseWithoutProcessing(pattern)
    if (program.body.length !== 1 || program.body[0].type !== 'MustacheStatement') return false
    const path = (program.body[0] as hbs.AST.MustacheStatement).path as hbs.AST.PathExpression
    return path.parts?.length === 1 && path.parts[0] === 'raw'
  } catch {
    return false
  }
}
