/** Runs the CLI from source (src/cli.ts through tsx), without blocking the test's own servers. */
import { spawn } from 'node:child_process'
import { tmpdir } from 'node:os'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'

const root = resolve(import.meta.dirname, '../..')

export interface CliRun {
  status: number | null
  stdout: string
  stderr: string
}

/**
 * Spawns `node --import tsx src/cli.ts ...args` in `cwd` (the repository root by default) with only
 * PATH, HOME (a temporary directory) and `env` set, and resolves when it exits.
 */
export function runCliFromSource(
  args: string[],
  env: Record<string, string> = {},
  cwd = root
): Promise<CliRun> {
  return new Promise(done => {
    // tsx by its path: `--import tsx` resolves from the working directory
    const tsx = cwd === root ? 'tsx' : pathToFileURL(resolve(root, 'node_modules/tsx/dist/loader.mjs')).href
    const child = spawn(process.execPath, ['--import', tsx, resolve(root, 'src/cli.ts'), ...args], {
      cwd,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: tmpdir(),
        // the test file's own cache (jest.config.js setupFiles), shared by its runs alone
        ...(process.env.XDG_CACHE_HOME ? { XDG_CACHE_HOME: process.env.XDG_CACHE_HOME } : {}),
        ...env
      }
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', d => (stdout += d))
    child.stderr.on('data', d => (stderr += d))
    child.on('exit', status => done({ status, stdout, stderr }))
  })
}
