import { describe, expect, it } from '@jest/globals'
import { formatBytes, formatDuration, formatRate, logSafe } from '../../src/report/format.js'

describe('formatBytes / formatRate', () => {
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1024, '1.0 KiB'],
    [1536, '1.5 KiB'],
    [72845312, '69.5 MiB'],
    [167772782, '160.0 MiB'],
    [5 * 1024 ** 4, '5.0 TiB']
  ])('%d bytes → %s', (n, text) => expect(formatBytes(n)).toBe(text))

  it.each([
    [0, '0 B/s'],
    [511.6, '512 B/s'],
    [12.3 * 1024 * 1024, '12.3 MiB/s']
  ])('%d bytes/s → %s', (n, text) => expect(formatRate(n)).toBe(text))
})

describe('formatDuration', () => {
  it.each([
    [0, '0 s'],
    [0.2, '1 s'],
    [7, '7 s'],
    [59.01, '1 min'],
    [60, '1 min'],
    [65, '1 min 5 s'],
    [3599, '59 min 59 s'],
    [3600, '1 h'],
    [3720, '1 h 2 min'],
    [3725, '1 h 2 min'],
    [-3, '0 s']
  ])('%d s → %s', (s, text) => expect(formatDuration(s)).toBe(text))
})

describe('logSafe', () => {
  it.each([
    ['copied 1.0 KiB of 2.0 KiB (50%)', 'copied 1.0 KiB of 2.0 KiB (50%)'],
    ['::set-output name=x::y', ': :set-output name=x::y'],
    ['platform\n  ::add-mask::secret\nok', 'platform\n  : :add-mask::secret\nok'],
    ['a ::warning:: mid-line is no command', 'a ::warning:: mid-line is no command'],
    ['legacy ##[error]text', 'legacy ## [error]text'],
    [':single colon', ':single colon']
  ])('%j → %j', (text, safe) => expect(logSafe(text)).toBe(safe))
})
