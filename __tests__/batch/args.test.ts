/** argv of `promote -f FILE` and `plan -f FILE --shards N`: exact commands and exact usage errors. */
import { describe, expect, it } from '@jest/globals'
import { parseCommandLine } from '../../src/cli/args.js'

const parse = (argv: string[]): unknown => {
  const cmd = parseCommandLine(argv, { fileExists: () => true }) as Record<string, unknown>
  return cmd.command === 'usage-error' ? cmd.message : { ...cmd, options: undefined }
}

describe('promote -f and plan -f', () => {
  const common = { json: false, verbose: false, options: undefined }
  it.each<[string[], unknown]>([
    [
      ['promote', '-f', 'p.yaml'],
      { command: 'promote-file', file: 'p.yaml', dryRun: false, shard: undefined, ...common }
    ],
    [
      ['promote', '--file', 'p.yaml', '--dry-run', '--json', '--shard', '2/4'],
      { command: 'promote-file', file: 'p.yaml', dryRun: true, shard: { k: 2, n: 4 }, ...common, json: true }
    ],
    [
      ['promote', '-f', 'p.yaml', '--shard', '2/4@0123456789ab'],
      {
        command: 'promote-file',
        file: 'p.yaml',
        dryRun: false,
        shard: { k: 2, n: 4, plan: '0123456789ab' },
        ...common
      }
    ],
    [['plan', '-f', 'p.yaml', '--shards', '3'], { command: 'plan', file: 'p.yaml', shards: 3, ...common }],
    [['promote', '-f', 'p.yaml', 'extra'], 'promote -f FILE takes no SRC or DST ("extra")'],
    [
      ['promote', '-f', 'p.yaml', '--tag-policy', 'overwrite'],
      '--tag-policy is not taken with -f FILE: set tag-policy in the promotion file (under defaults, or per image)'
    ],
    [
      ['promote', '-f', 'p.yaml', '--moving-tag', 'latest'],
      '--moving-tag is not taken with -f FILE: set moving-tags in the promotion file (under defaults, or per image)'
    ],
    [
      ['plan', '-f', 'p.yaml', '--shards', '2', '--referrers', 'none'],
      '--referrers is not taken with -f FILE: set referrers in the promotion file (under defaults, or per image)'
    ],
    [['plan', '--shards', '3'], 'plan needs -f FILE (a promotion file)'],
    [['plan', '-f', 'p.yaml'], 'plan needs --shards N'],
    [['plan', '-f', 'p.yaml', '--shards', '0'], '--shards "0": must be a whole number from 1 to 256'],
    [
      ['plan', '-f', 'p.yaml', '--shards', '2', '--shard', '1/2'],
      '--shard is an option of promote -f; plan takes --shards N'
    ],
    [
      ['promote', '-f', 'p.yaml', '--shards', '2'],
      '--shards is an option of plan; promote -f takes --shard K/N'
    ],
    [
      ['promote', '-f', 'p.yaml', '--shard', '3/2'],
      '--shard "3/2": must be K/N (or the matrix\'s K/N@PLAN) with whole numbers 1 <= K <= N <= 256 (e.g. 2/4)'
    ],
    [
      ['promote', '-f', 'p.yaml', '--shard', '1/2@abc'],
      '--shard "1/2@abc": must be K/N (or the matrix\'s K/N@PLAN) with whole numbers 1 <= K <= N <= 256 (e.g. 2/4)'
    ],
    [
      ['promote', '-f', 'p.yaml', '--shard', '0/2'],
      '--shard "0/2": must be K/N (or the matrix\'s K/N@PLAN) with whole numbers 1 <= K <= N <= 256 (e.g. 2/4)'
    ],
    [
      ['promote', 'a/b:1', 'c/d', '--shard', '1/2'],
      '--shard is an option of promote -f FILE and plan -f FILE only, not of promote'
    ],
    [
      ['inspect', 'a/b:1', '-f', 'p.yaml'],
      '--file is an option of promote -f FILE and plan -f FILE only, not of inspect'
    ]
  ])('%j', (argv, expected) => {
    expect(parse(argv)).toEqual(expected)
  })
})
