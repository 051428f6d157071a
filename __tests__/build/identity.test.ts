import type { BuildInputs } from '../../src/build/args.js'
import { buildInputsDigest, stagedReuse, stagingTag } from '../../src/build/identity.js'

const SHA = '860c1904a1ce19322e91ac35af1ab07466440c37'
const base: BuildInputs = {
  context: '.',
  buildArgs: ['VERSION=1.2.3'],
  labels: {
    'org.opencontainers.image.revision': SHA,
    'org.opencontainers.image.created': '2020-01-10T00:30:00.000Z'
  },
  tags: ['staging.example/app:sha-860c1904a1ce-x'],
  platforms: ['linux/amd64'],
  metadataFile: '/tmp/a.json'
}

describe('stagingTag', () => {
  test('sha-<12 hex of the commit>-<8 hex of the build inputs>', () => {
    expect(stagingTag(SHA, base)).toBe(`sha-860c1904a1ce-${buildInputsDigest(base).slice(0, 8)}`)
    expect(stagingTag(SHA, base)).toBe('sha-860c1904a1ce-ac1148d7') // pinned: a change here breaks every re-run's reuse
    expect(buildInputsDigest(base)).toMatch(/^[0-9a-f]{64}$/)
  })

  test.each<[string, Partial<BuildInputs>]>([
    ['build args', { buildArgs: ['VERSION=1.2.4'] }],
    ['a label', { labels: { ...(base.labels as Record<string, string>), team: 'core' } }],
    ['platforms', { platforms: ['linux/arm64'] }],
    ['file', { file: 'other.Dockerfile' }],
    ['target', { target: 'runtime' }],
    ['context', { context: 'app' }],
    ['a secret id', { secrets: [{ id: 'npmrc', src: '/x' }] }],
    ['provenance', { provenance: 'mode=max' }],
    ['SOURCE_DATE_EPOCH', { sourceDateEpoch: 1 }],
    ['build contexts', { buildContexts: ['a=b'] }]
  ])('a different %s gives a different tag', (_name, change) => {
    expect(stagingTag(SHA, { ...base, ...change })).not.toBe(stagingTag(SHA, base))
  })

  test.each<[string, Partial<BuildInputs>]>([
    ['tags', { tags: ['other/app:1'] }],
    ['metadata file', { metadataFile: '/tmp/b.json' }],
    ['cache settings', { cacheFrom: ['type=gha'], cacheTo: ['type=gha'], builder: 'b', gha: { url: 'x' } }],
    ['pull and no-cache', { pull: true, noCache: true }],
    ['label order', { labels: Object.fromEntries(Object.entries(base.labels).reverse()) }],
    [
      'the created label (the build time when the event has no commit time)',
      {
        labels: {
          ...(base.labels as Record<string, string>),
          'org.opencontainers.image.created': '2026-12-01T10:00:00Z'
        }
      }
    ],
    ['labels as KEY=VALUE strings', { labels: Object.entries(base.labels).map(([k, v]) => `${k}=${v}`) }]
  ])('%s do not change the tag', (_name, change) => {
    expect(stagingTag(SHA, { ...base, ...change })).toBe(stagingTag(SHA, base))
  })

  test('secret values and paths never change it (they are not hashed)', () => {
    const a = stagingTag(SHA, { ...base, secrets: [{ id: 'token', value: 'one' }] })
    expect(stagingTag(SHA, { ...base, secrets: [{ id: 'token', value: 'two' }] })).toBe(a)
    expect(stagingTag(SHA, { ...base, secrets: [{ id: 'token', src: '/tmp/x' }] })).toBe(a)
  })

  test.each(['', 'abc', SHA.toUpperCase(), 'g'.repeat(40)])('commit %j is refused', sha => {
    expect(() => stagingTag(sha, base)).toThrow(
      `commit "${sha}" is not a hex commit SHA (12 to 64 characters of 0-9a-f)`
    )
  })
})

describe('stagedReuse (newuser6 #3: pull / no-cache were overridden by the reuse)', () => {
  test.each([
    [{ rebuild: false }, 1, 'reuse'],
    [{ rebuild: false }, 2, 'reuse'],
    [{ rebuild: true }, 2, 'rebuilt'],
    [{ rebuild: true, pull: true }, 1, 'rebuilt'],
    [{ rebuild: false, pull: true }, 1, 'fresh'],
    [{ rebuild: false, noCache: true }, 1, 'fresh'],
    [{ rebuild: false, pull: true, noCache: true }, 1, 'fresh'],
    [{ rebuild: false, pull: true }, 2, 'rerun'],
    [{ rebuild: false, noCache: true }, 3, 'rerun'],
    [{ rebuild: false, pull: false, noCache: false }, 1, 'reuse']
  ] as const)('%p on attempt %d: %s', (inputs, attempt, decision) => {
    expect(stagedReuse(inputs, attempt)).toBe(decision)
  })
})
