/** A usage error quoting an argument with a line feed stays one line: no line of stderr can start a workflow command. */
import { describe, expect, it, jest } from '@jest/globals'
import { main } from '../../src/cli.js'

/** `main(argv)`'s exit status and everything it wrote to stderr. */
async function run(argv: string[]): Promise<[number, string]> {
  const writes: string[] = []
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation(chunk => {
    writes.push(String(chunk))
    return true
  })
  try {
    return [await main(argv), writes.join('')]
  } finally {
    spy.mockRestore()
  }
}

describe('usage errors escape line feeds in the arguments they quote', () => {
  it('an unknown command with a line feed and ::error::', async () => {
    // before: 'promote-image: unknown command "x\n: :error::y"' over two lines
    expect(await run(['x\n::error::y'])).toEqual([
      2,
      'promote-image: unknown command "x\\n::error::y"\n(promote-image --help shows the usage)\n'
    ])
  })

  it('a reference with a line feed and a carriage return', async () => {
    expect(await run(['digest', 'ghcr.io/o/a\r\n::warning::x'])).toEqual([
      2,
      'promote-image: REF: invalid reference "ghcr.io/o/a\\r\\n::warning::x": repository "o/a\\r\\n::warning:": path component "a\\r\\n::warning:" is invalid: path components are lowercase letters and digits, separated by ".", "_", "__" or "-" runs, and neither start nor end with a separator\n(promote-image --help shows the usage)\n'
    ])
  })
})
