/**
 * Every help page fits a terminal 100 columns wide: the global usage and each command's
 * `COMMAND --help`, as runHelp prints them (the closing note's gap: --client-cert, --registry-kind,
 * --require-platform and --authfile ran to 103–136 columns). An option's help is the schema's text
 * wrapped in the column from 28 on; a flag too long for its column has its help below it.
 */
import { describe, expect, it } from '@jest/globals'
import { COMMANDS, HELP_WIDTH, wrapText } from '../../src/cli/commands.js'
import { runHelp } from '../../src/cli/help.js'
import { OPTIONS } from '../../src/options.js'

/** The page `help [topic]` prints. */
function page(topic?: string): string {
  let text = ''
  expect(runHelp(t => (text += t), topic)).toBe(0)
  return text
}

describe('help within 100 columns', () => {
  it('is 100', () => {
    expect(HELP_WIDTH).toBe(100)
  })

  it.each([['(global)', undefined], ...COMMANDS.map(c => [c.name, c.name])])(
    '%s: no line wider than 100 columns',
    (_, topic) => {
      const wide = page(topic)
        .split('\n')
        .filter(l => [...l].length > 100)
      expect(wide).toEqual([])
    }
  )

  it('a long flag has its help on the lines below, from column 28', () => {
    const lines = page('merge').split('\n')
    const at = lines.indexOf('  --require-platform PLATFORM')
    expect(lines.slice(at, at + 3)).toEqual([
      '  --require-platform PLATFORM',
      '                            (merge) platforms the index must hold (OS/ARCH[/VARIANT]; repeatable).',
      '                            When no SOURCE is one of them, the merge is refused before any write'
    ])
  })

  it("each option's help, its lines joined, is the schema's text, in every page that lists it", () => {
    for (const topic of [undefined, ...COMMANDS.map(c => c.name)]) {
      const lines = page(topic).split('\n')
      for (const o of OPTIONS.filter(x => x.flag)) {
        const flag = `${o.short ? `-${o.short}, ` : ''}--${o.flag}${o.value ? ` ${o.value}` : ''}`
        const at = lines.findIndex(l => l === `  ${flag}` || l.startsWith(`  ${flag} `))
        if (at < 0) continue
        const text = [lines[at].slice(2 + flag.length)]
        for (let i = at + 1; lines[i]?.startsWith(' '.repeat(28)); i++) text.push(lines[i])
        expect({ topic, flag, help: text.join(' ').replace(/\s+/g, ' ').trim() }).toEqual({
          topic,
          flag,
          help: o.help.join(' ').replace(/\s+/g, ' ')
        })
      }
    }
  })
})

describe('wrapText', () => {
  it.each<[string, number, string[]]>([
    ['', 10, []],
    ['one', 10, ['one']],
    ['one two three', 7, ['one two', 'three']],
    ['one  two\nthree', 100, ['one two three']],
    ['a verylongword b', 5, ['a', 'verylongword', 'b']],
    ['12345 12345', 11, ['12345 12345']],
    ['12345 12345', 10, ['12345', '12345']]
  ])('%j in %d columns → %j', (text, width, lines) => {
    expect(wrapText(text, width)).toEqual(lines)
  })
})
