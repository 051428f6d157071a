/** The CLI's compile cache switch: which directory Node is given, and that nothing ever throws. */
import { describe, expect, it } from '@jest/globals'
import { enableCompileCache } from '../../src/cli/compile-cache.js'

describe('enableCompileCache', () => {
  const recorder = (status: number) => {
    const calls: Array<string | undefined> = []
    const fn = (dir?: string) => {
      calls.push(dir)
      return { status }
    }
    return { calls, fn }
  }

  it.each<[string, Record<string, string>, number, string, Array<string | undefined>]>([
    ["Node's default directory", {}, 1, 'enabled', [undefined]],
    [
      'the directory the user names',
      { PROMOTE_IMAGE_COMPILE_CACHE: '/var/cache/pi' },
      1,
      'enabled',
      ['/var/cache/pi']
    ],
    ['already on (NODE_COMPILE_CACHE)', {}, 2, 'already-enabled', [undefined]],
    ['an unwritable directory', { PROMOTE_IMAGE_COMPILE_CACHE: '/proc/nope' }, 0, 'failed', ['/proc/nope']],
    ['NODE_DISABLE_COMPILE_CACHE', {}, 3, 'disabled', [undefined]],
    ['switched off', { PROMOTE_IMAGE_COMPILE_CACHE: 'off' }, 1, 'off', []],
    ['switched off with 0', { PROMOTE_IMAGE_COMPILE_CACHE: '0' }, 1, 'off', []]
  ])('%s', (_name, env, status, outcome, calls) => {
    const r = recorder(status)
    expect(enableCompileCache(env, r.fn)).toBe(outcome)
    expect(r.calls).toEqual(calls)
  })

  it('an old Node without the function: unsupported', () => {
    expect(enableCompileCache({}, undefined)).toBe('unsupported')
  })

  it('a throwing Node function: failed, never thrown', () => {
    expect(
      enableCompileCache({}, () => {
        throw new Error('EACCES')
      })
    ).toBe('failed')
  })
})
