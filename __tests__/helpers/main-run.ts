/**
 * The CLI's `main(argv)` run in the test's own process, its writes to stdout and stderr caught: for
 * tests that assert exit status and output whole without spawning a process.
 */
import { jest } from '@jest/globals'
import { main } from '../../src/cli.js'

/** `main(argv)`'s exit status, stdout and stderr (each the writes joined). */
export async function runMain(argv: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const out: string[] = []
  const err: string[] = []
  const so = jest.spyOn(process.stdout, 'write').mockImplementation(chunk => {
    out.push(String(chunk))
    return true
  })
  const se = jest.spyOn(process.stderr, 'write').mockImplementation(chunk => {
    err.push(String(chunk))
    return true
  })
  try {
    const status = await main(argv)
    return { status, stdout: out.join(''), stderr: err.join('') }
  } finally {
    so.mockRestore()
    se.mockRestore()
  }
}
