/**
 * Where a JSON text goes wrong, for messages about files that hold secrets (docker config.json,
 * credential-helper answers): V8's JSON.parse message quotes a piece of the text ("…" is not
 * valid JSON), which may be a password, so the message is built here from the position alone.
 * A small scanner of RFC 8259's grammar; it builds no values. Pure.
 */

/** Offset (UTF-16 units) after the string starting at `i` (a `"`), or -1 - offset of the fault. */
function stringEnd(text: string, i: number): number {
  for (let j = i + 1; j < text.length; j++) {
    const c = text.charCodeAt(j)
    if (c === 0x22) return j + 1
    if (c < 0x20) return -1 - j
    if (c !== 0x5c) continue
    const e = text[j + 1]
    if (e === 'u') {
      if (!/^[0-9a-fA-F]{4}$/.test(text.slice(j + 2, j + 6))) return -1 - (j + 1)
      j += 5
    } else if (e !== undefined && '"\\/bfnrt'.includes(e)) j++
    else return -1 - (j + 1)
  }
  return -1 - text.length
}

const SCALAR = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y

/** Offset after the number or literal at `i`, or -1 - i. */
function scalarEnd(text: string, i: number): number {
  SCALAR.lastIndex = i
  return SCALAR.test(text) ? SCALAR.lastIndex : -1 - i
}

type Want = 'value' | 'value-or-end' | 'key' | 'key-or-end' | 'colon' | 'after'

/**
 * The offset of the first character where `text` stops being JSON (its length for an early end),
 * or -1 when it is valid JSON. Iterative: any nesting depth.
 */
export function jsonFaultOffset(text: string): number {
  const closers: string[] = []
  let want: Want = 'value'
  let i = 0
  for (;;) {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++
    if (i >= text.length) return want === 'after' && closers.length === 0 ? -1 : i
    const c = text[i]!
    let end = i + 1
    if (want === 'after') {
      if (c === ',' && closers.length) want = closers.at(-1) === '}' ? 'key' : 'value'
      else if (c === closers.at(-1)) closers.pop()
      else return i
    } else if (want === 'colon') {
      if (c !== ':') return i
      want = 'value'
    } else if ((want === 'value-or-end' && c === ']') || (want === 'key-or-end' && c === '}')) {
      closers.pop()
      want = 'after'
    } else if (want === 'key' || want === 'key-or-end') {
      end = c === '"' ? stringEnd(text, i) : -1 - i
      want = 'colon'
    } else if (c === '{' || c === '[') {
      closers.push(c === '{' ? '}' : ']')
      want = c === '{' ? 'key-or-end' : 'value-or-end'
    } else {
      end = c === '"' ? stringEnd(text, i) : scalarEnd(text, i)
      want = 'after'
    }
    if (end < 0) return -1 - end
    i = end
  }
}

/**
 * Why `text` (which JSON.parse refused) is not JSON, in words that quote none of it:
 * `unexpected end at line 3, column 1` or `unexpected character at line 1, column 12` (1-based;
 * columns in UTF-16 units).
 */
export function jsonFault(text: string): string {
  const at = jsonFaultOffset(text)
  if (at < 0) return 'not accepted by the JSON parser'
  const before = text.slice(0, at)
  const line = before.split('\n').length
  const column = at - (before.lastIndexOf('\n') + 1) + 1
  return `unexpected ${at >= text.length ? 'end' : 'character'} at line ${line}, column ${column}`
}
