/**
 * The options schema (src/options.ts OPTIONS) against what is written by hand beside it: action.yml
 * (every input of a row exists, with the row's default and a description whose first sentence is the
 * row's help's), the CLI help (every flag in the global help, and in each command's help exactly when
 * the command takes it) and the docs' two tables (the inputs table and the CLI flags table, found by
 * their header rows in README.md and docs/*.md). A row added to the schema without its input, its
 * help or its table rows fails here, naming what is missing.
 */
import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parse } from 'yaml'
import { COMMANDS, commandHelp, commandOptions, flagText } from '../src/cli/commands.js'
import { usageText } from '../src/cli/help.js'
import { OPTIONS, type OptionSpec } from '../src/options.js'

const root = resolve(import.meta.dirname, '..')
const action = parse(readFileSync(resolve(root, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { description: string; default?: string }>
}
const withInput = OPTIONS.filter(o => o.input)
const withFlag = OPTIONS.filter(o => o.flag)

/**
 * The first sentence of a text, as compared: notes in parentheses dropped, cut at the first `. `
 * or `;` (outside them), spaces collapsed, the first letter in lower case.
 * `'Plan only (outputs.plan); write nothing'` → `'plan only'`.
 */
function firstSentence(text: string): string {
  let depth = 0
  let out = ''
  const flat = text.replace(/\s+/g, ' ').trim()
  for (let i = 0; i < flat.length; i++) {
    const c = flat[i]!
    if (c === '(') depth++
    else if (c === ')') depth = Math.max(0, depth - 1)
    else if (depth === 0) {
      const end = c === '.' && (i === flat.length - 1 || flat[i + 1] === ' ') && !/\b(e\.g|i\.e)$/.test(out)
      if (c === ';' || end) break
      out += c
    }
  }
  const s = out
    .replace(/\s+/g, ' ')
    .replace(/\s([,:])/g, '$1')
    .trim()
  return /^[A-Z][a-z]/.test(s) ? s.charAt(0).toLowerCase() + s.slice(1) : s
}

/** A markdown table: its header cells and its rows' cells (trimmed), in order. */
interface Table {
  file: string
  header: string[]
  rows: string[][]
}

function cells(line: string): string[] {
  return line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/)
    .map(c => c.trim())
}

/** Every table of the markdown files README.md and docs/*.md. */
function tables(): Table[] {
  const files = [
    'README.md',
    ...readdirSync(resolve(root, 'docs'))
      .filter(f => f.endsWith('.md'))
      .map(f => `docs/${f}`)
  ]
  const out: Table[] = []
  for (const file of files) {
    const lines = readFileSync(resolve(root, file), 'utf8').split('\n')
    for (let i = 0; i + 1 < lines.length; i++) {
      if (!lines[i]!.startsWith('|') || !/^\|[\s:|-]+\|$/.test(lines[i + 1]!.trim())) continue
      if (i > 0 && lines[i - 1]!.startsWith('|')) continue
      const rows: string[][] = []
      let j = i + 2
      for (; j < lines.length && lines[j]!.startsWith('|'); j++) rows.push(cells(lines[j]!))
      out.push({ file, header: cells(lines[i]!), rows })
      i = j
    }
  }
  return out
}

/** The one table whose header is `header`. */
function table(header: string[]): Table {
  const found = tables().filter(t => t.header.join('|') === header.join('|'))
  expect(found.map(t => t.file)).toHaveLength(1)
  return found[0]!
}

/** `` `x` `` for a value, '' for none. */
const code = (value: string | undefined): string => (value === undefined ? '' : `\`${value}\``)

describe('firstSentence', () => {
  it.each([
    ['Plan only (outputs.plan); write nothing to the targets', 'plan only'],
    ['immutable (default) or overwrite', 'immutable or overwrite'],
    ['What travels: all. Found through (a. b) the API', 'what travels: all'],
    [
      'HOST[:PORT] may use TLS,\nas docker does (warned; repeatable)',
      'HOST[:PORT] may use TLS, as docker does'
    ],
    ['a file of 1.5 MiB', 'a file of 1.5 MiB'],
    ['rules, e.g. x=harbor. More', 'rules, e.g. x=harbor']
  ])('%j → %j', (text, sentence) => {
    expect(firstSentence(text)).toBe(sentence)
  })
})

describe('action.yml against the schema', () => {
  it.each(withInput.map(o => [o.input!, o] as const))('input %s exists', (input, o: OptionSpec) => {
    expect(Object.keys(action.inputs)).toContain(input)
    expect(o.input).toBe(input)
  })

  it.each(withInput.map(o => [o.input!, o] as const))('input %s: default as the schema', (input, o) => {
    expect({ input, default: action.inputs[input]?.default }).toEqual({ input, default: o.default })
  })

  it.each(withInput.map(o => [o.input!, o] as const))(
    "input %s: its description's first sentence is the help's",
    (input, o) => {
      expect({ input, sentence: firstSentence(action.inputs[input]?.description ?? '') }).toEqual({
        input,
        sentence: firstSentence(o.help.join(' '))
      })
    }
  )
})

/**
 * Every string of a parsed YAML value with its path (`inputs.push.description`), depth first.
 */
function stringsOf(value: unknown, path: string[] = []): [string, string][] {
  if (typeof value === 'string') return [[path.join('.'), value]]
  if (value === null || typeof value !== 'object') return []
  return Object.entries(value).flatMap(([k, v]) => stringsOf(v, [...path, k]))
}

describe('action.yml has no expression the runner cannot evaluate', () => {
  // The runner evaluates `${{ }}` in action.yml when it loads the action; only an input's
  // `default:` may use the github context (any other place fails every workflow at "Set up job":
  // "Unrecognized named-value: 'github'").
  const text = readFileSync(resolve(root, 'action.yml'), 'utf8')
  it('`${{` appears only in inputs.*.default values', () => {
    const live = stringsOf(parse(text))
      .filter(([, s]) => s.includes('${{'))
      .map(([path]) => path)
    expect(live.filter(path => !/^inputs\.[^.]+\.default$/.test(path))).toEqual([])
    // and nowhere the parse above does not see (keys, comments): one `${{` per string found
    const inStrings = stringsOf(parse(text)).reduce((n, [, s]) => n + s.split('${{').length - 1, 0)
    expect(text.split('${{').length - 1).toBe(inStrings)
  })
})

/**
 * The help a page gives option `o`: the text after its flag and the lines below it from column 28
 * on, joined (the help is wrapped to 100 columns: cli/commands.ts); undefined when not listed.
 */
function listedHelp(lines: string[], o: OptionSpec): string | undefined {
  const flag = flagText(o)
  const at = lines.findIndex(l => l === `  ${flag}` || l.startsWith(`  ${flag} `))
  if (at < 0) return undefined
  const text = [lines[at]!.slice(2 + flag.length)]
  for (let i = at + 1; lines[i]?.startsWith(' '.repeat(28)); i++) text.push(lines[i]!)
  return text.join(' ').replace(/\s+/g, ' ').trim()
}

describe('the CLI help against the schema', () => {
  it.each(withFlag.map(o => [flagText(o), o] as const))('%s in the global help', (flag, o) => {
    expect(listedHelp(usageText().split('\n'), o)).toBe(o.help.join(' ').replace(/\s+/g, ' '))
  })

  it.each(COMMANDS.map(c => [c.name, c] as const))(
    '%s --help lists exactly the flags it takes, each with its help',
    (name, command) => {
      const lines = commandHelp(command).split('\n')
      const listed = withFlag.filter(o => listedHelp(lines, o) !== undefined)
      const taken = withFlag.filter(o => o.commands.some(c => command.schema.includes(c)))
      expect(listed.map(flagText)).toEqual(taken.map(flagText))
      expect(commandOptions(command).map(flagText)).toEqual(taken.map(flagText))
      for (const o of taken)
        expect({ flag: flagText(o), help: listedHelp(lines, o) }).toEqual({
          flag: flagText(o),
          help: o.help.join(' ').replace(/\s+/g, ' ')
        })
    }
  )
})

describe('the docs tables against the schema', () => {
  const inputs = () => table(['input', 'meaning', 'default'])
  const flags = () => table(['flag', 'input', 'default', 'meaning'])

  it('the inputs table has one row per action.yml input, in its order', () => {
    expect(inputs().rows.map(r => r[0])).toEqual(Object.keys(action.inputs).map(code))
  })

  it.each(withInput.map(o => [o.input!, o] as const))('inputs table: %s with its default', (input, o) => {
    const row = inputs().rows.find(r => r[0] === code(input))
    // no default in the schema: the cell may say so in words (none), never as a value
    const cell = o.default === undefined && !row?.[2]?.startsWith('`') ? '' : row?.[2]
    expect({ input, default: cell }).toEqual({ input, default: code(o.default) })
  })

  it('the flags table has one row per flag of the schema, in its order', () => {
    expect(flags().rows.map(r => r[0])).toEqual(withFlag.map(o => code(flagText(o))))
  })

  it.each(withFlag.map(o => [flagText(o), o] as const))(
    'flags table: %s, its input and default',
    (flag, o) => {
      const row = flags().rows.find(r => r[0] === code(flag))
      expect({ flag, input: row?.[1], default: row?.[2] }).toEqual({
        flag,
        input: code(o.input),
        default: code(o.default)
      })
      expect(row?.[3]).not.toBe('')
    }
  )
})
