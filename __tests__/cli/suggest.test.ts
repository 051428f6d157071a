/** "did you mean" for unknown commands and flags (issue 19): nearest names by edit distance. */
import { describe, expect, it } from '@jest/globals'
import { didYouMean, didYouMeanCommand, editDistance, suggestions } from '../../src/cli/suggest.js'

const COMMANDS = ['copy', 'promote', 'plan', 'inspect', 'tags', 'digest', 'ls', 'manifest', 'config', 'help']
const FLAGS = ['--dry-run', '--tag-policy', '--src-creds', '--dest-creds', '--creds', '--authfile', '--json']

describe('editDistance (optimal string alignment)', () => {
  it.each([
    ['copy', 'copy', 0],
    ['cpoy', 'copy', 1],
    ['cop', 'copy', 1],
    ['kopy', 'copy', 1],
    ['--tagpolicy', '--tag-policy', 1],
    ['', 'ls', 2],
    ['manifets', 'manifest', 1],
    ['abc', 'xyz', 3]
  ])('%s → %s: %i', (a, b, d) => expect(editDistance(a, b)).toBe(d))
})

describe('suggestions and didYouMean', () => {
  it.each([
    ['cpoy', COMMANDS, ' (did you mean copy?)'],
    ['digets', COMMANDS, ' (did you mean digest?)'],
    ['manfiest', COMMANDS, ' (did you mean manifest?)'],
    ['inpsect', COMMANDS, ' (did you mean inspect?)'],
    ['frobnicate', COMMANDS, ''],
    ['--dryrun', FLAGS, ' (did you mean --dry-run?)'],
    ['--dry', FLAGS, ' (did you mean --dry-run?)'],
    ['--src-cred', FLAGS, ' (did you mean --src-creds?)'],
    ['--cred', FLAGS, ' (did you mean --creds?)'],
    ['cop', ['copy', 'cops', 'coy', 'cap'], ' (did you mean copy, cops or coy?)'],
    ['--auth-file', FLAGS, ' (did you mean --authfile?)'],
    ['--JSON', FLAGS, ' (did you mean --json?)'],
    ['--zzz', FLAGS, '']
  ])('%s', (word, known, text) => expect(didYouMean(word, known)).toBe(text))

  // before: -q → ' (did you mean -v or -h?)' (-v is the opposite of quiet), --insecure-policy →
  // ' (did you mean --insecure?)' (a flag that turns off TLS verification)
  it.each([
    ['-q', ['--verbose', '-v', '-h', '-f'], ''],
    ['-d', ['-v', '-h', '-f'], ''],
    ['--insecure-policy', ['--insecure', '--policy'], ''],
    ['--insecur', ['--insecure', '--json'], ''],
    ['--insecure-registry', ['--insecure'], '']
  ])('never by distance alone: %s', (word, known, text) => expect(didYouMean(word, known)).toBe(text))

  it('never suggests the word itself, and at most max names', () => {
    expect(suggestions('copy', ['copy', 'cop'])).toEqual(['cop'])
    expect(suggestions('cop', ['copy', 'cops', 'coy'], 1)).toEqual(['copy'])
  })
})

describe('didYouMeanCommand', () => {
  it.each([
    ['version', ' (did you mean --version?)'],
    ['cpoy', ' (did you mean copy?)'],
    ['constructor', '']
  ])('%s', (word, text) => expect(didYouMeanCommand(word, COMMANDS)).toBe(text))
})
