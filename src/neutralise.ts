/**
 * Registry-controlled text (platform fields, media types, annotations, tags a registry lists, error
 * bodies) made harmless for each place it is written to. One function per sink:
 * - {@link inline}: a value inside one line of text (the dry-run plan, tables, `inspect`, error
 *   details): every control character escaped, so the value can never break the line, start a new
 *   one, or send a terminal escape sequence;
 * - {@link logText}: a whole message for the Actions log (core.info) or the CLI's stderr (itself
 *   an Actions log when the CLI runs in a workflow step, or a terminal): our own line breaks kept,
 *   every other control character escaped, and no line can start a workflow command;
 * - {@link commandText}: a message sent as a workflow command's data (core.warning, core.error,
 *   core.setFailed): @actions/core encodes its line breaks, every other control character escaped;
 * - `escapeText` (markdown.ts): text for the job summary (Markdown with HTML): HTML-escaped, line
 *   breaks as `<br>`, other control characters as {@link inline} writes them;
 * - {@link jsonText}: JSON for stdout, with the characters JSON leaves raw that a terminal acts on
 *   escaped too.
 * Pure and imports nothing, so any layer may use it.
 */
/**
 * Control characters: C0 (U+0000–U+001F), DEL, C1 (U+0080–U+009F; U+009B is a one-byte CSI on some
 * terminals), the line and paragraph separators (U+2028, U+2029) and the bidirectional controls
 * (U+200E, U+200F, U+202A–U+202E, U+2066–U+2069) that make text read otherwise than it is.
 */
// eslint-disable-next-line no-control-regex -- control characters are what this escapes
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028-\u202e\u2066-\u2069]/g
/** The same, less the line feed (a message's own line breaks). */
// eslint-disable-next-line no-control-regex -- control characters are what this escapes
const CONTROL_BUT_LF = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200e\u200f\u2028-\u202e\u2066-\u2069]/g

/** The same, less the line feed and the carriage return (@actions/core encodes both). */
const CONTROL_BUT_BREAKS =
  // eslint-disable-next-line no-control-regex -- control characters are what this escapes
  /[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f\u200e\u200f\u2028-\u202e\u2066-\u2069]/g

/** What JSON.stringify leaves raw of CONTROL (it escapes C0 itself). */
const CONTROL_NOT_C0 = /[\u007f-\u009f\u200e\u200f\u2028-\u202e\u2066-\u2069]/g

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' }

/** `\n`, `\r`, `\t`, else `\xHH` (below U+0100) or `\uHHHH`: the character made visible. */
function visible(c: string): string {
  const code = c.charCodeAt(0)
  return (
    NAMED[c] ??
    (code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`)
  )
}

/**
 * A registry-controlled value for use inside one line (log, stderr, terminal): every control
 * character (see CONTROL) written as an escape, e.g. `linux\n::warning::x` (a real line feed) →
 * `linux\n::warning::x` (backslash and `n`), ESC → `\x1b`. Other text is unchanged.
 */
export function inline(value: string): string {
  return value.replace(CONTROL, visible)
}

/**
 * A message for the Actions log (core.info) or the CLI's stderr: line feeds kept, every other
 * control character escaped as in {@link inline} (a carriage return cannot overwrite a line, no
 * terminal escape sequence gets through), then no line may start a workflow command: a line that
 * starts with `::` (after spaces) gets a space between the colons, and `##[` (the runner's older
 * command form, read anywhere in a line) gets one after the `#`s.
 */
export function logText(message: string): string {
  return message
    .replace(CONTROL_BUT_LF, visible)
    .replace(/^(\s*):(?=:)/gm, '$1: ')
    .replace(/##\[/g, '## [')
}

/**
 * A message for a workflow command's data (core.warning, core.error, core.setFailed): @actions/core
 * writes its line feeds and carriage returns as `%0A` / `%0D`, so no line of the log can start
 * inside it (and the annotation keeps its lines); every other control character is escaped as in
 * {@link inline}.
 */
export function commandText(message: string): string {
  return message.replace(CONTROL_BUT_BREAKS, visible)
}

/**
 * `value` as JSON for stdout (`JSON.stringify(value, null, indent)`), with DEL, C1, the separators
 * and the bidirectional controls written as `\uHHHH` as well (JSON.stringify escapes only C0):
 * still the same JSON value, and nothing in it acts on a terminal.
 */
export function jsonText(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(
    CONTROL_NOT_C0,
    c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`
  )
}
