/**
 * Usage errors on stderr in the tool's own words, exit status 2 (newuser findings 10 and 11):
 * `main(argv)` in process, the whole of stderr asserted.
 */
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

const usage = (message: string): [number, string] => [
  2,
  `promote-image: ${message}\n(promote-image --help shows the usage)\n`
]

describe('"did you mean" never points at the opposite or at a security-weakening flag', () => {
  it.each([
    // before: '(did you mean -v or -h?)': -v is the opposite of quiet
    [
      ['copy', '-q', 'ghcr.io/o/a:v1', 'ghcr.io/o/b'],
      "unknown option -q for copy (skopeo's and docker's; there is none here: logs and progress go to stderr, the result alone to stdout); promote-image copy --help lists its options"
    ],
    // before: '(did you mean --insecure?)': a flag that turns off TLS verification
    [
      ['copy', '--insecure-policy', 'ghcr.io/o/a:v1', 'ghcr.io/o/b'],
      "unknown option --insecure-policy for copy (skopeo's, to skip its signature policy; here no signature is checked unless --verify-key, --certificate-identity or --policy asks for it); promote-image copy --help lists its options"
    ],
    [
      ['ls', '--insecur', 'x', 'ghcr.io/o/a'],
      'unknown option --insecur for ls; promote-image ls --help lists its options'
    ]
  ])('%j', async (argv, message) => expect(await run(argv)).toEqual(usage(message)))
})

describe("a flag's value: in the words of every other flag, not parseArgs's", () => {
  it.each([
    // before: "Option '-f, --file <value>' argument missing"
    [['promote', '-f'], '-f takes a value (FILE) and none was given'],
    [
      ['plan', '-f', '--shards', '2'],
      '-f takes a value (FILE), not the option "--shards"; write --file=--shards if that is the value'
    ],
    // a one-letter group: parseArgs's message, in ours
    [['promote', '-vf'], '--file takes a value (FILE) and none was given'],
    // before: "Option '--dry-run' does not take an argument"
    [
      ['copy', '--dry-run=false', 'ghcr.io/o/a:v1', 'ghcr.io/o/b'],
      '--dry-run takes no value, not "false"; give --dry-run to turn it on, or leave it out'
    ],
    // before: "Option '--json' does not take an argument"
    [
      ['ls', '--json=false', 'ghcr.io/o/a'],
      '--json takes no value, not "false"; give --json to turn it on, or leave it out'
    ],
    // before: "Option '-v, --verbose' does not take an argument"
    [
      ['digest', '--verbose=1', 'ghcr.io/o/a:v1'],
      '--verbose takes no value, not "1"; give --verbose to turn it on, or leave it out'
    ]
  ])('%j', async (argv, message) => expect(await run(argv)).toEqual(usage(message)))
})
