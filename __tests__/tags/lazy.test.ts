/**
 * The tag expression engine (Handlebars, moment-timezone) is loaded on demand: literal tags are
 * computed without it, an expression before loadTagEngine() fails saying so, and needsTagEngine
 * names exactly the inputs that render an expression. (Each test file has its own module registry,
 * so nothing here has loaded the engine before the first test.)
 */
import { describe, expect, it } from '@jest/globals'
import { computeTags, loadTagEngine, needsTagEngine } from '../../src/tags/index.js'
import { NOW, githubContext } from './fixtures.js'

const ctx = githubContext('push', 'refs/tags/v1.2.3', '860c1904a1ce19322e91ac35af1ab07466440c37')

describe('tag engine on demand', () => {
  it('computes literal tags and type=sha/ref without loading it', () => {
    const r = computeTags(
      { tags: ['v1.2.3', 'type=raw,value=stable', 'type=sha', 'type=ref,event=tag'] },
      ctx,
      {
        now: NOW
      }
    )
    expect(r.tags).toEqual(['v1.2.3', 'stable', 'sha-860c190', 'latest'])
  })

  it('refuses an expression before it is loaded, then renders it', async () => {
    const rules = { tags: ['type=semver,pattern={{major}}.{{minor}}'] }
    expect(() => computeTags(rules, ctx, { now: NOW })).toThrow(
      'the tag expression engine is not loaded: await loadTagEngine() first'
    )
    await loadTagEngine()
    expect(computeTags(rules, ctx, { now: NOW }).tags).toEqual(['1.2', 'latest'])
  })

  it.each([
    [['v1.2.3', 'type=sha', 'type=ref,event=branch'], '', false],
    [['type=raw,value=nightly'], 'prefix=app-', false],
    [['type=semver,pattern={{version}}'], '', true],
    [['type=semver,pattern=fixed'], '', true], // a pre-release renders {{version}}
    [["type=raw,value={{date 'YYYYMMDD'}}"], '', true],
    [['v1'], 'suffix=-{{sha}}', true]
  ])('needsTagEngine(%j, %j) = %s', (tags, flavor, expected) => {
    expect(needsTagEngine(tags, flavor)).toBe(expected)
  })
})
