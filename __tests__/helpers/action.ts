/** Running the action's entry point and reading what it wrote, as the runner would. */
import { jest } from '@jest/globals'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

/** Parses a GITHUB_OUTPUT file (`name<<ghadelimiter_…` blocks, as @actions/core writes them). */
export function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  const re = /^(.+?)<<(ghadelimiter_[^\n]+)\n([\s\S]*?)\n\2$/gm
  for (let m = re.exec(text); m; m = re.exec(text)) out[m[1]] = m[3]
  return out
}

/** What one run of the action's entry point left: its outputs, summary, stdout and exit code. */
export interface ActionRun {
  outputs: Record<string, string>
  /** the GITHUB_OUTPUT file as written */
  outputText: string
  /** the GITHUB_STEP_SUMMARY file as written */
  summary: string
  /** everything written to stdout (the runner's log, workflow commands included) */
  log: string
  /** process.exitCode after the run (1 when core.setFailed was called), then reset */
  failed: unknown
}

/**
 * Runs the action's entry point (`run()` of src/main.ts) as the runner would: every `INPUT_*`
 * cleared and `inputs` set, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY pointed at fresh files
 * `DIR/NAME.out` and `DIR/NAME.md`, `env` applied (undefined deletes a variable), stdout captured.
 * @param options.now a fixed `Date.now()` for the run (ms), so timings in the summary are known
 */
export async function runAction(
  dir: string,
  name: string,
  inputs: Record<string, string>,
  env: Record<string, string | undefined> = {},
  options: { now?: number } = {}
): Promise<ActionRun> {
  const outputFile = join(dir, `${name}.out`)
  const summaryFile = join(dir, `${name}.md`)
  await writeFile(outputFile, '')
  await writeFile(summaryFile, '')
  for (const k of Object.keys(process.env)) if (k.startsWith('INPUT_')) delete process.env[k]
  for (const [k, v] of Object.entries(inputs)) process.env[`INPUT_${k.toUpperCase()}`] = v
  process.env.GITHUB_OUTPUT = outputFile
  process.env.GITHUB_STEP_SUMMARY = summaryFile
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete process.env[k]
    else process.env[k] = v
  }
  let log = ''
  const write = jest.spyOn(process.stdout, 'write').mockImplementation(chunk => {
    log += String(chunk)
    return true
  })
  const clock = options.now === undefined ? undefined : jest.spyOn(Date, 'now').mockReturnValue(options.now)
  const { run } = await import('../../src/main.js')
  try {
    await run()
  } finally {
    clock?.mockRestore()
    write.mockRestore()
  }
  const failed = process.exitCode
  process.exitCode = undefined
  const outputText = await readFile(outputFile, 'utf8')
  return {
    outputs: parseOutputs(outputText),
    outputText,
    summary: await readFile(summaryFile, 'utf8'),
    log,
    failed
  }
}
