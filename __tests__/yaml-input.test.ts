/**
 * `registry-auth` read without printing and without quoting (issue 10, point 5): every YAML error
 * or warning, every tag, every field that is not text gives a message naming the place and the rule,
 * and neither the message nor anything printed holds a piece of the value.
 */
import { describe, expect, it, jest } from '@jest/globals'
import { parseRegistryAuth } from '../src/inputs.js'
import { readYamlInput } from '../src/yaml-input.js'

const SECRET = 'Qz7xW9pLk3Vt'
const head = '- registry: ghcr.io\n  username: bot\n'

describe('registry-auth: nothing printed, nothing quoted', () => {
  it.each([
    [
      `${head}  password: !secret ${SECRET}`,
      'entry 1, field password: YAML tags (! or !!) are not allowed; quote a value that starts with !'
    ],
    [
      `${head}  password: !!binary ${Buffer.from(SECRET).toString('base64')}`,
      'entry 1, field password: YAML tags (! or !!) are not allowed; quote a value that starts with !'
    ],
    [
      `${head}  password: !!str ${SECRET}`,
      'entry 1, field password: YAML tags (! or !!) are not allowed; quote a value that starts with !'
    ],
    [
      `${head}  !t ${SECRET}: x`,
      'entry 1, the key of a field: YAML tags (! or !!) are not allowed; quote a value that starts with !'
    ],
    [
      `${head}  !${SECRET} password: x`,
      'entry 1, the key of field password: YAML tags (! or !!) are not allowed; quote a value that starts with !'
    ],
    [
      `- registry: a\n  username: u\n  password: x\n${head}  password: !secret ${SECRET}`,
      'entry 2, field password: YAML tags (! or !!) are not allowed; quote a value that starts with !'
    ],
    [`${head}  password: "${SECRET}`, 'not valid YAML at line 3, column 26 (missing char)'],
    [`${head}  password: "\\q${SECRET}"`, 'not valid YAML at line 3, column 14 (bad dq escape)'],
    [
      `${head}  password: *${SECRET}`,
      'not valid YAML: an alias (*name) has no anchor before it, or aliases expand too far'
    ],
    [
      `${head}  password: ${SECRET}\n  password: ${SECRET}`,
      'not valid YAML at line 4, column 3 (duplicate key)'
    ],
    [
      `${head}  password: [${SECRET}]`,
      'entry 1, field password: must be a single value (text), not a list or mapping'
    ],
    [
      `${head}  identitytoken: {${SECRET}: x}`,
      'entry 1, field identitytoken: must be a single value (text), not a list or mapping'
    ],
    [`${head}  password: ${SECRET}\n---\n- registry: x`, 'not valid YAML at line 4, column 1 (multiple docs)']
  ])('%j → %j', (text, message) => {
    const warn = jest.spyOn(process, 'emitWarning')
    const log = jest.spyOn(console, 'warn')
    try {
      expect(() => parseRegistryAuth(text)).toThrow(`input "registry-auth": ${message}`)
      expect([warn.mock.calls, log.mock.calls]).toEqual([[], []])
    } finally {
      warn.mockRestore()
      log.mockRestore()
    }
  })

  it('a quoted value that starts with ! is the text written', () => {
    expect(parseRegistryAuth(`${head}  password: "!secret ${SECRET}"`)).toEqual({
      'ghcr.io': { username: 'bot', password: `!secret ${SECRET}`, identityToken: undefined }
    })
  })

  it('readYamlInput keeps every scalar the string written, anchors and aliases included', () => {
    expect(readYamlInput('- a: &p 0123\n  b: *p\n  c: yes\n  d:\n')).toEqual([
      { a: '0123', b: '0123', c: 'yes', d: '' }
    ])
  })
})
