import {
  computeTags,
  contextFromGitHub,
  createdDate,
  ociLabels,
  parseSourceDateEpoch,
  sourceDateEpochOf
} from '../../src/tags/index.js'
import { githubContext, NOW } from './fixtures.js'

const CREATED = 'org.opencontainers.image.created'
const later = new Date('2026-12-01T10:00:00Z')

describe('org.opencontainers.image.created is reproducible', () => {
  test.each<[string, Record<string, unknown>, Record<string, string>, string, number | undefined]>([
    ['the commit time, not the clock', {}, {}, '2020-01-10T00:30:00.000Z', 1578616200],
    [
      'SOURCE_DATE_EPOCH before the commit time',
      {},
      { SOURCE_DATE_EPOCH: '1700000000' },
      '2023-11-14T22:13:20.000Z',
      1700000000
    ],
    [
      'the clock when the event has no commit time (release)',
      { head_commit: undefined },
      {},
      later.toISOString(),
      undefined
    ]
  ])('%s', (_name, payload, env, created, epoch) => {
    const ctx = githubContext('push', 'refs/tags/v1.0.0', undefined, payload, env)
    expect(computeTags({ tags: ['type=ref,event=tag'] }, ctx, { now: later }).labels[CREATED]).toBe(created)
    expect(ociLabels(ctx, 'v1.0.0', later)[CREATED]).toBe(created)
    expect(createdDate(ctx, later).toISOString()).toBe(created)
    expect(sourceDateEpochOf(ctx)).toBe(epoch)
  })

  test('two runs of the same commit an hour apart label the image the same', () => {
    const ctx = githubContext('push', 'refs/heads/master')
    const first = computeTags({ tags: ['type=sha'] }, ctx, { now: NOW }).labels
    const rerun = computeTags({ tags: ['type=sha'] }, ctx, { now: new Date(NOW.getTime() + 3600_000) }).labels
    expect(rerun).toEqual(first)
  })

  test.each<[string | undefined, Date | undefined]>([
    [undefined, undefined],
    ['', undefined],
    ['0', new Date(0)],
    [' 1700000000 ', new Date(1700000000_000)]
  ])('parseSourceDateEpoch(%j)', (value, expected) => {
    expect(parseSourceDateEpoch(value)).toEqual(expected)
  })

  test.each(['-1', '1.5', 'yesterday', '1e9'])(
    'SOURCE_DATE_EPOCH=%s is refused naming the variable',
    value => {
      expect(() => contextFromGitHub({ SOURCE_DATE_EPOCH: value }, {})).toThrow(
        `SOURCE_DATE_EPOCH is not a valid number: "${value}" (expected whole seconds since 1970-01-01 UTC)`
      )
    }
  )
})
