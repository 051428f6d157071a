/** src/cli/v8-flags.ts: the V8 flags the CLI sets for a short-lived, streaming process, and the built-ins it loads before them. */
import { describe, expect, it } from '@jest/globals'
import { tuneV8 } from '../../src/cli.js'
import { loadBuiltinsFirst, REGISTRY_BUILTINS } from '../../src/cli/v8-flags.js'

describe('tuneV8', () => {
  const ONE_IMAGE = ['--semi-space-growth-factor=1', '--max-inlined-bytecode-size-cumulative=200']

  it('sets the baseline-only WebAssembly compiler, a young generation that does not grow and less inlining (a promotion file: its young generation may grow)', () => {
    const set: string[] = []
    tuneV8(flag => void set.push(flag))
    expect(set).toEqual(['--liftoff-only', ...ONE_IMAGE])
  })

  it.each([
    ['promote-file', ['--liftoff-only', '--max-inlined-bytecode-size-cumulative=200']],
    ['promote', ['--liftoff-only', ...ONE_IMAGE]],
    ['copy', ['--liftoff-only', ...ONE_IMAGE]],
    ['inspect', ['--liftoff-only', ...ONE_IMAGE]]
  ])('%s: %j', (command, flags) => {
    const set: string[] = []
    tuneV8(flag => void set.push(flag), command)
    expect(set).toEqual(flags)
  })

  it('an engine that refuses one flag still gets the other, and the run goes on', () => {
    const set: string[] = []
    tuneV8(flag => {
      if (flag === '--liftoff-only') throw new Error('unknown flag')
      set.push(flag)
    })
    expect(set).toEqual(ONE_IMAGE)
  })
})

describe('loadBuiltinsFirst', () => {
  const recorder = () => {
    const loaded: string[] = []
    const load = (id: string) => {
      loaded.push(id)
      return {}
    }
    return { loaded, load }
  }

  it('a command that talks to registries: the registry stack built-ins, after util (parseArgs)', () => {
    const r = recorder()
    expect(loadBuiltinsFirst('copy', r.load)).toEqual(['node:crypto', ...REGISTRY_BUILTINS])
    expect(r.loaded).toEqual([
      'node:util',
      'node:crypto',
      'node:timers/promises',
      'node:assert',
      'node:diagnostics_channel',
      'node:net'
    ])
  })

  it.each(['none', 'help', 'completion', 'tags'])('%s sends no request: util and crypto alone', command => {
    const r = recorder()
    expect(loadBuiltinsFirst(command, r.load)).toEqual(['node:crypto'])
    expect(r.loaded).toEqual(['node:util', 'node:crypto'])
  })

  it('a Node that lacks a module: nothing thrown, the run goes on', () => {
    expect(
      loadBuiltinsFirst('inspect', id => {
        if (id === 'node:net') throw new Error('no such built-in')
        return {}
      })
    ).toEqual(['node:crypto', ...REGISTRY_BUILTINS])
  })

  it("loads real modules with Node's own loader", () => {
    expect(loadBuiltinsFirst('inspect')).toEqual(['node:crypto', ...REGISTRY_BUILTINS])
  })
})
