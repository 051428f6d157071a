/** Property: whatever the branch, tag or rules, every computed tag is valid; long inputs stay distinct. */
import fc from 'fast-check'
import { computeTags, sanitizeTag, TagRuleError, type TagContext } from '../../src/tags/index.js'
import { NOW } from './fixtures.js'
import { loadTagEngine } from '../../src/tags/index.js'

// the expression engine (Handlebars, moment-timezone) is loaded on demand; these tests render expressions
beforeAll(() => loadTagEngine())

const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/

const anyString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 400 }),
  fc.string({ unit: fc.constantFrom(...'aZ09_.-/@#+ ü😀~'.split('')), maxLength: 400 }),
  fc.string({ unit: 'grapheme', minLength: 100, maxLength: 300 })
)

const ruleLine = fc.constantFrom(
  'type=ref,event=branch',
  'type=ref,event=tag',
  'type=ref,event=pr',
  'type=sha',
  'type=sha,format=long,prefix={{branch}}',
  'type=semver,pattern={{version}}',
  'type=semver,pattern={{raw}}',
  'type=semver,pattern={{major}}.{{minor}}',
  'type=pep440,pattern={{version}}',
  'type=pep440,pattern={{raw}}',
  'type=match,pattern=(.*),group=1',
  'type=match,pattern=/(.+)/s',
  'type=edge',
  'type=edge,branch={{branch}}',
  "type=schedule,pattern={{branch}}-{{date 'YYYYMMDD'}}",
  'type=raw,value={{branch}}',
  'type=raw,value={{tag}}-{{sha}}',
  'type=raw,value=-{{base_ref}}',
  'type=raw,value={{commit_date}}',
  'type=raw,value=.{{branch}}.,priority=1001'
)

const flavorLine = fc.constantFrom(
  'latest=true',
  'latest=auto',
  'latest=false',
  'prefix={{branch}}-,onlatest=true',
  'suffix=-{{tag}},onlatest=true',
  'prefix=.{{tag}}',
  'suffix={{base_ref}}'
)

function context(
  kind: 'heads' | 'tags' | 'pull',
  name: string,
  sha: string,
  event: string,
  base: string
): TagContext {
  return {
    eventName: event,
    ref: `refs/${kind}/${name}`,
    sha,
    defaultBranch: base,
    baseRef: `refs/heads/${base}`,
    pullRequestBaseRef: base,
    repository: { name: 'r' }
  }
}

describe('every computed tag is valid', () => {
  test('templated rules over arbitrary branch and tag names', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('heads' as const, 'tags' as const, 'pull' as const),
        anyString,
        anyString,
        fc.constantFrom('push', 'pull_request', 'schedule', 'release'),
        anyString,
        fc.array(ruleLine, { maxLength: 8 }),
        fc.array(flavorLine, { maxLength: 3 }),
        (kind, name, sha, event, base, rules, flavor) => {
          const r = computeTags({ tags: rules, flavor }, context(kind, name, sha, event, base), { now: NOW })
          for (const t of r.tags) expect(t).toMatch(TAG)
          expect(new Set(r.tags).size).toBe(r.tags.length)
        }
      ),
      { numRuns: 400 }
    )
  })

  test('literal raw values are kept when valid, else refused naming the line', () => {
    fc.assert(
      fc.property(anyString, raw => {
        const value = raw.replace(/[\r\n]/g, '')
        const line = `type=raw,"value=${value.replace(/"/g, '""')}"`
        let tags: string[]
        try {
          tags = computeTags({ tags: [line] }, context('heads', 'main', 'abc', 'push', 'main'), {
            now: NOW
          }).tags
        } catch (e) {
          expect(e).toBeInstanceOf(TagRuleError)
          expect((e as TagRuleError).input).toBe(line)
          return
        }
        for (const t of tags) expect(t).toMatch(TAG)
        const trimmed = value.trim()
        if (!trimmed.includes('{{') && trimmed !== '') expect(tags).toEqual([trimmed])
      }),
      { numRuns: 400 }
    )
  })

  test('distinct long branch names give distinct tags', () => {
    const long = fc.string({ unit: fc.constantFrom(...'ab/_-.@ü'.split('')), minLength: 129, maxLength: 400 })
    fc.assert(
      fc.property(long, long, (a, b) => {
        fc.pre(a !== b && (sanitizeTag(a) ?? '').length === 128 && (sanitizeTag(b) ?? '').length === 128)
        const tagOf = (name: string) =>
          computeTags({ tags: ['type=ref,event=branch'] }, context('heads', name, 'abc', 'push', 'main'), {
            now: NOW
          }).tags
        const [ta, tb] = [tagOf(a), tagOf(b)]
        expect(ta[0]).toMatch(TAG)
        expect(tb[0]).toMatch(TAG)
        expect(ta[0]).not.toBe(tb[0])
      }),
      { numRuns: 300 }
    )
  })

  test('sanitizeTag is valid or undefined for any input', () => {
    fc.assert(
      fc.property(anyString, s => {
        const t = sanitizeTag(s)
        if (t !== undefined) expect(t).toMatch(TAG)
        else expect(s.replace(/[^A-Za-z0-9_]/g, '')).toBe('')
      }),
      { numRuns: 1000 }
    )
  })
})
