/**
 * The tag expression engine: Handlebars templates (`{{version}}`, `{{branch}}`, …) and moment-timezone
 * for `{{date}}` (docker/metadata-action's choices, naming-and-protocol.md §2.4). Imported only by
 * `loadTagEngine()` in compute.ts, so the bundle loads it only when a template has an expression.
 */
import Handlebars from 'handlebars'
import moment from 'moment-timezone'

const hb = Handlebars.create()

type HelperOptions = { hash: Record<string, unknown> }

/**
 * `template` rendered with `data`, without HTML escaping.
 * @throws Error from Handlebars for a template that does not parse or a helper that throws
 */
export function render(template: string, data: object): string {
  return String(hb.compile(template, { noEscape: true })(data))
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
