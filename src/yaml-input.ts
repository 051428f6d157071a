/**
 * YAML inputs read without a word printed and without a value quoted: the `yaml` library's
 * warnings are collected instead of printed (`logLevel: 'error'`; its default prints them, with
 * the source line, on stderr), and every error or warning becomes one message that gives the
 * place (line and column, or the entry and field) and the rule, never the text found there.
 * Inputs that hold secrets (`registry-auth`) go through here.
 */
import { isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document } from 'yaml'

/** A YAML input that cannot be read: the message names the place and the rule, never a value. */
export class YamlInputError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'YamlInputError'
  }
}

/** `MISSING_CHAR` → `missing char`: the library's error code in words (its messages may quote the text). */
function words(code: string): string {
  return code.toLowerCase().replace(/_/g, ' ')
}

/**
 * Where a node sits, for messages: `entry 2, field password` for a value (or key) of a mapping in
 * a list, `entry 2` for a list item, else `line L, column C`. Field names other than `known` are
 * not named (they could be a misplaced value).
 */
function placeOf(
  path: readonly unknown[],
  key: unknown,
  at: { line: number; col: number },
  known: readonly string[]
): string {
  const seqAt = path.findIndex(isSeq)
  const seq = path[seqAt]
  const entry = isSeq(seq) ? seq.items.indexOf(path[seqAt + 1] as never) : -1
  const pair = path.at(-1)
  const field = isPair(pair) && isScalar(pair.key) ? String(pair.key.value) : undefined
  const named = field !== undefined && known.includes(field) ? `field ${field}` : 'a field'
  const where = isPair(pair) ? (key === 'key' ? `the key of ${named}` : named) : undefined
  if (entry >= 0) return `entry ${entry + 1}${where ? `, ${where}` : ''}`
  return `line ${at.line}, column ${at.col}`
}

/** @throws YamlInputError at the first node that carries a tag (`!secret`, `!!binary`, `!!str`, any) */
function refuseTags(doc: Document, lines: LineCounter, known: readonly string[]): void {
  visit(doc, {
    Node(key, node, path) {
      if (node.tag === undefined) return
      const at = lines.linePos(node.range?.[0] ?? 0)
      throw new YamlInputError(
        `${placeOf(path, key, at, known)}: YAML tags (! or !!) are not allowed; quote a value that starts with !`
      )
    }
  })
}

/**
 * Parses `text` (one YAML document, failsafe schema: every scalar stays the string written) into
 * plain values: strings, arrays and objects.
 * @param known field names that may be named in messages (the input's own keys)
 * @throws YamlInputError for a syntax error or a library warning (`not valid YAML at line 3,
 *   column 13 (missing char)`), a tag anywhere (`entry 1, field password: YAML tags …`), or an
 *   alias that cannot be resolved — never quoting the text
 */
export function readYamlInput(text: string, known: readonly string[] = []): unknown {
  const lines = new LineCounter()
  const doc = parseDocument(text, {
    schema: 'failsafe',
    prettyErrors: false,
    logLevel: 'error',
    uniqueKeys: true,
    lineCounter: lines
  })
  const at = (problem: { pos: [number, number]; code: string }): YamlInputError => {
    const { line, col } = lines.linePos(problem.pos[0])
    return new YamlInputError(`not valid YAML at line ${line}, column ${col} (${words(problem.code)})`)
  }
  if (doc.errors.length) throw at(doc.errors[0])
  refuseTags(doc, lines, known)
  if (doc.warnings.length) throw at(doc.warnings[0])
  try {
    return doc.toJS({ maxAliasCount: 20 })
  } catch {
    // the library's message names the alias, which may be part of a value
    throw new YamlInputError(
      'not valid YAML: an alias (*name) has no anchor before it, or aliases expand too far'
    )
  }
}
