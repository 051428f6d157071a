/**
 * tags/line.ts: which version tags at a target are newer releases in the line of a rolling tag
 * (a rolling tag naming one of them is held, never moved back to this release).
 */
import { newerInLine, versionIn, type VersionLine } from '../../src/tags/line.js'

const line = (within: VersionLine['within'], prefix = '', suffix = ''): VersionLine => ({
  version: '1.2.3',
  within,
  prefix,
  suffix
})

describe('newerInLine', () => {
  it.each([
    ['minor', ['1.2.4', '1.2.10'], ['1.2.3', '1.2.2', '1.3.0', '2.0.0', '1.2', 'latest']],
    ['major', ['1.2.4', '1.3.0', '1.10.0'], ['1.2.3', '1.1.9', '2.0.0', '0.9.0']],
    ['all', ['1.2.4', '1.3.0', '2.0.0', 'v3.0.0'], ['1.2.3', '1.0.0', '1.3.0-rc.1', '2', 'sha-abc', '01.3.0']]
  ] as const)('line %s of 1.2.3: newer %j; not %j', (within, newer, not) => {
    expect(newer.map(t => newerInLine(line(within), t))).toEqual(newer.map(() => true))
    expect(not.map(t => newerInLine(line(within), t))).toEqual(not.map(() => false))
  })
  it("a flavor's prefix and suffix are the version tags' too", () => {
    const l = line('all', 'app-', '-alpine')
    expect(
      ['app-1.3.0-alpine', 'app-v1.3.0-alpine', '1.3.0', 'app-1.3.0', 'app-1.2.0-alpine'].map(t =>
        newerInLine(l, t)
      )
    ).toEqual([true, true, false, false, false])
    expect(versionIn(l, 'app-v1.30.2-alpine')).toEqual([1, 30, 2])
  })
})
