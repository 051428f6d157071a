import { describe, expect, it } from '@jest/globals'
import { commandText, inline, jsonText, logText } from '../../src/report/neutralise.js'
import { escapeText } from '../../src/report/markdown.js'
import { jsonFault, jsonFaultOffset } from '../../src/auth/json-position.js'

describe('inline: a registry value inside one line', () => {
  it.each([
    ['linux/amd64', 'linux/amd64'],
    ['linux\n::warning title=INJECTED::x', 'linux\\n::warning title=INJECTED::x'],
    ['a\r\n\tb', 'a\\r\\n\\tb'],
    ['\u001b[31mred\u001b[0m', '\\x1b[31mred\\x1b[0m'],
    ['\u009b2J del\u007f nul\u0000', '\\x9b2J del\\x7f nul\\x00'],
    ['sep\u2028para\u2029 bidi\u202eevil\u2066', 'sep\\u2028para\\u2029 bidi\\u202eevil\\u2066'],
    ['é ü 中 <img src=x>', 'é ü 中 <img src=x>']
  ])('%j → %j', (value, out) => expect(inline(value)).toBe(out))
})

describe('logText: a message for the Actions log or stderr', () => {
  it.each([
    ['plan\nplatforms: linux', 'plan\nplatforms: linux'],
    ['oops\n::add-mask::hunter2', 'oops\n: :add-mask::hunter2'],
    ['  ::error::x\r::warning::y', '  : :error::x\\r::warning::y'],
    ['legacy ##[error]text', 'legacy ## [error]text'],
    ['\u001b]0;title\u0007 \u001b[2J', '\\x1b]0;title\\x07 \\x1b[2J'],
    ['tab\tkept? no', 'tab\\tkept? no']
  ])('%j → %j', (message, out) => expect(logText(message)).toBe(out))
})

describe('commandText: workflow command data (@actions/core encodes line breaks)', () => {
  it('keeps line breaks and escapes the rest', () => {
    expect(commandText('a\n::notice::b\r\n\u001b[1mc\u009b')).toBe('a\n::notice::b\r\n\\x1b[1mc\\x9b')
  })
})

describe('jsonText: JSON for stdout', () => {
  it('escapes what JSON.stringify leaves raw, and is the same JSON value', () => {
    const value = { os: 'linux\n\u001b[2J\u009b\u2028\u202e', n: [1] }
    const text = jsonText(value, 2)
    expect(text).toBe('{\n  "os": "linux\\n\\u001b[2J\\u009b\\u2028\\u202e",\n  "n": [\n    1\n  ]\n}')
    expect(JSON.parse(text)).toEqual(value)
  })
})

describe('escapeText: the job summary', () => {
  it('HTML-escapes, breaks lines with <br> and makes other controls visible', () => {
    expect(escapeText('linux\n::warning title=INJECTED::x <img src=x> \u001b[31m')).toBe(
      'linux<br>::warning title=INJECTED::x &lt;img src=x&gt; \\x1b&#91;31m'
    )
  })
})

describe('jsonFault: where a credential file stops being JSON, quoting none of it', () => {
  it.each([
    ['{"auths": ', 'unexpected end at line 1, column 11'],
    ['{"auths": {"h": {"auth": "c2VjcmV0OnBhc3N3b3Jk"} x', 'unexpected character at line 1, column 50'],
    ['{\n  "auths": {\n    "h": {"password": "hunter2\n"}}}', 'unexpected character at line 3, column 31'],
    ['[1,]', 'unexpected character at line 1, column 4'],
    ['{"a":1}}', 'unexpected character at line 1, column 8'],
    ['\ufeff{}', 'unexpected character at line 1, column 1'],
    ['"\\q"', 'unexpected character at line 1, column 3'],
    ['', 'unexpected end at line 1, column 1']
  ])('%j → %j', (text, words) => {
    expect(() => JSON.parse(text)).toThrow()
    expect(jsonFault(text)).toBe(words)
  })

  it('finds valid JSON valid, at any depth', () => {
    for (const text of ['{}', '[]', '{"a":[1,-2.5e+3,{"b":null,"c":true}],"d":"\\u00e9\\n"}', ' 0 '])
      expect(jsonFaultOffset(text)).toBe(-1)
    const deep = '['.repeat(100_000) + ']'.repeat(100_000)
    expect(jsonFaultOffset(deep)).toBe(-1)
    expect(jsonFaultOffset(deep + ']')).toBe(200_000)
  })
})
