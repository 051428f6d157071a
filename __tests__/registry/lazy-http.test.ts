/**
 * src/registry/lazy-http.ts: what undici's client and utilities take from node:http, node:http's
 * own values, and node:http left unloaded for every stream that is not one of its own.
 */
import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import * as http from 'node:http'
import { resolve } from 'node:path'
import { PassThrough, Readable } from 'node:stream'
import { lazyHttp } from '../../src/registry/lazy-http.js'

describe('lazy-http', () => {
  it("maxHeaderSize is node:http's own", () => {
    expect(lazyHttp.maxHeaderSize).toBe(http.maxHeaderSize)
  })

  it.each<[string, unknown, boolean]>([
    ["node:http's IncomingMessage", http.IncomingMessage, true],
    ['Readable', Readable, false],
    ['PassThrough', PassThrough, false],
    ['another class named IncomingMessage', class IncomingMessage {}, false],
    ['undefined (a stream of a null prototype)', undefined, false],
    ['the name as a string', 'IncomingMessage', false]
  ])('isIncomingMessage(%s) is %s', (_name, constructor, expected) => {
    expect(lazyHttp.isIncomingMessage(constructor)).toBe(expected)
  })

  it('does not load node:http for a stream of another class', () => {
    const module = JSON.stringify(resolve(import.meta.dirname, '../../src/registry/lazy-http.ts'))
    const script = [
      `import { lazyHttp } from ${module}`,
      "import { Readable } from 'node:stream'",
      'const answers = [lazyHttp.isIncomingMessage(Readable), lazyHttp.isIncomingMessage(undefined)]',
      "const loaded = () => process.moduleLoadList.includes('NativeModule http')",
      'const before = loaded()',
      "answers.push(lazyHttp.isIncomingMessage(process.getBuiltinModule('node:http').IncomingMessage))",
      'console.log(JSON.stringify({ answers, before, after: loaded() }))'
    ].join('\n')
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8'
    })
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' })
    expect(JSON.parse(r.stdout)).toEqual({ answers: [false, false, true], before: false, after: true })
  })
})
