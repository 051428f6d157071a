/**
 * The README as a user reads it (issue 22 item 6): the workflow in the first screen, a contents list
 * that reaches every section, the CLI's commands table matching the commands the CLI has, no line
 * over 200 characters outside tables, no benchmark verdicts (they live in docs/benchmarks.md), and
 * every relative link and #anchor of the README and the docs it links resolving. The inputs and
 * flags tables are checked against the options schema by options-docs.test.ts; the workflows in it
 * by workflows.test.ts.
 */
import { describe, expect, it } from '@jest/globals'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { parse as parseYaml } from 'yaml'
import { COMMANDS } from '../src/cli/commands.js'

const root = resolve(import.meta.dirname, '..')
const README = 'README.md'
const DOCS = [README, 'CONTRIBUTING.md', 'SECURITY.md', 'docs/auth.md', 'docs/benchmarks.md']
  .concat(['docs/development.md', 'docs/promotion-files.md', 'docs/verification.md'])
  .filter(p => existsSync(join(root, p)))

const read = (path: string): string => readFileSync(join(root, path), 'utf8')
const readme = read(README)
const lines = readme.split('\n')

/** The lines of `text` outside fenced code blocks, with their 1-based numbers. */
function prose(text: string): { n: number; line: string }[] {
  const out: { n: number; line: string }[] = []
  let fenced = false
  text.split('\n').forEach((line, i) => {
    if (/^```/.test(line)) fenced = !fenced
    else if (!fenced) out.push({ n: i + 1, line })
  })
  return out
}

/** GitHub's anchor of a heading: lower case, punctuation but `-` and `_` dropped, spaces to `-`. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/ /g, '-')
}

/** The anchors of a Markdown file's headings. */
function anchors(path: string): string[] {
  return prose(read(path)).flatMap(({ line }) => {
    const m = /^#{1,6} (.*)$/.exec(line)
    return m ? [slug(m[1]!)] : []
  })
}

/** The first cells of the table under `heading` (a `## ` or `### ` line), backticks kept. */
function firstCells(heading: string): string[] {
  const start = lines.indexOf(heading)
  expect(start).toBeGreaterThanOrEqual(0)
  const header = lines.findIndex((l, i) => i > start && l.startsWith('|'))
  const cells: string[] = []
  for (let i = header + 2; lines[i]?.startsWith('|'); i++)
    cells.push(
      lines[i]!.split(/(?<!\\) \| /)[0]!
        .slice(2)
        .trim()
    )
  return cells
}

describe('README', () => {
  it('opens with what it is and a workflow using the action, before the contents', () => {
    const contents = lines.indexOf('## Contents')
    const yaml = lines.indexOf('```yaml')
    expect(lines[0]).toBe('# promote-image')
    expect(yaml).toBeGreaterThan(0)
    expect(yaml).toBeLessThan(contents)
    const end = lines.findIndex((l, i) => i > yaml && l === '```')
    const workflow = lines.slice(yaml + 1, end).join('\n')
    expect(workflow).toMatch(/^jobs:$/m)
    expect(workflow).toMatch(/^ +- uses: promote-image\/promote-image@v1$/m)
    // the first screen: the workflow ends within the first 60 lines
    expect(end).toBeLessThan(60)
  })

  it('lists every section in its contents, and every entry leads to a heading', () => {
    const contents = lines.indexOf('## Contents')
    const next = lines.findIndex((l, i) => i > contents && l.startsWith('## '))
    const linked = [
      ...lines
        .slice(contents, next)
        .join('\n')
        .matchAll(/\]\(#([^)]+)\)/g)
    ].map(m => m[1]!)
    const sections = lines.filter(l => /^## /.test(l) && l !== '## Contents').map(l => slug(l.slice(3)))
    expect(sections.filter(s => !linked.includes(s))).toEqual([])
    expect(linked.filter(a => !anchors(README).includes(a))).toEqual([])
  })

  it('tables every output of action.yml, in its order', () => {
    const outputs = Object.keys(
      (parseYaml(read('action.yml')) as { outputs: Record<string, unknown> }).outputs
    )
    expect(firstCells('## Outputs')).toEqual(outputs.map(o => '`' + o + '`'))
  })

  // newuser4 finding 14: the README said `digest` is "the promoted manifest or index digest" and
  // action.yml "as the staging registry serves it" (not so with promote-platforms), and neither said
  // that imageid and metadata are set only by a build: one text, action.yml's, in both places
  it("says what each output means in action.yml's words", () => {
    const outputs = (parseYaml(read('action.yml')) as { outputs: Record<string, { description: string }> })
      .outputs
    const lines = read(README).split('\n')
    const start = lines.indexOf('## Outputs')
    const rows = lines.slice(start).filter(l => /^\| `[a-z-]+` +\|/.test(l))
    const meanings = Object.fromEntries(
      rows.slice(0, Object.keys(outputs).length).map(l => {
        const cells = l.slice(1, -1).split(/(?<!\\)\|/)
        return [cells[0].trim().slice(1, -1), cells[1].trim().replace(/\\\|/g, '|')]
      })
    )
    expect(meanings).toEqual(Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, v.description])))
  })

  it('tables every command of the CLI, in the order of its help', () => {
    expect(firstCells('### Commands')).toEqual(
      COMMANDS.flatMap(c => c.usage).map(u => '`' + u.replace(/\|/g, '\\|') + '`')
    )
  })

  it('has no line over 200 characters outside tables, and no benchmark verdicts', () => {
    const long = lines
      .map((l, i) => ({ n: i + 1, l }))
      .filter(({ l }) => l.length > 200 && !l.startsWith('|'))
    expect(long.map(({ n }) => n)).toEqual([])
    expect(lines.filter(l => /(?<![:\w])(MISS|PASS)\b/.test(l))).toEqual([]) // a verdict, not USER[:PASS]
  })

  it('frames the two commands for contributors: the section says users need none of it', () => {
    const start = lines.indexOf('## Contributing')
    const section = lines
      .slice(
        start,
        lines.findIndex((l, i) => i > start && l.startsWith('## '))
      )
      .join('\n')
    expect(section).toContain('Nothing here is needed to use the action or the CLI.')
    expect(section).toContain('npm ci && npm run demo')
    expect(section).toContain('npm ci && npm test')
    expect(section).toContain('scripts/services.sh ensure')
  })

  it('every relative link and #anchor of the README and its docs resolves', () => {
    const broken: string[] = []
    for (const path of DOCS)
      for (const { n, line } of prose(read(path)))
        for (const m of line.matchAll(/\]\(([^)\s]+)\)/g)) {
          const link = m[1]!
          if (/^[a-z]+:/.test(link)) continue
          const [file, anchor] = link.split('#') as [string, string | undefined]
          const target = file ? relative(root, join(root, dirname(path), file)) : path
          if (!existsSync(join(root, target))) broken.push(`${path}:${n}: ${link} (no file)`)
          else if (anchor && target.endsWith('.md') && !anchors(target).includes(anchor))
            broken.push(`${path}:${n}: ${link} (no heading)`)
        }
    expect(broken).toEqual([])
  })
})
