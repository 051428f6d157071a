import { describe, expect, it } from '@jest/globals'
import type { ProgressEvent } from '../../src/copy/promote.js'
import { fitLine, LiveProgress, redraw } from '../../src/report/terminal.js'
import { ProgressMeter } from '../../src/report/progress.js'

const E = '\u001b['
const A = `sha256:${'a'.repeat(64)}`
const B = `sha256:${'b'.repeat(64)}`

describe('redraw, fitLine', () => {
  it.each<[number, string[], number | undefined, string]>([
    [0, ['one', 'two'], undefined, `${E}2Kone\n${E}2Ktwo\n${E}J`],
    [2, ['one'], undefined, `${E}2A\r${E}2Kone\n${E}J`],
    [3, [], undefined, `${E}3A\r${E}J`],
    [1, ['0123456789'], 6, `${E}1A\r${E}2K01234\n${E}J`]
  ])('redraw(%d, %j, %j)', (previous, lines, columns, text) =>
    expect(redraw(previous, lines, columns)).toBe(text)
  )
  it.each<[string, number | undefined, string]>([
    ['abcdef', undefined, 'abcdef'],
    ['abcdef', 7, 'abcdef'],
    ['abcdef', 6, 'abcde'],
    ['abcdef', 1, 'abcdef']
  ])('fitLine(%j, %j)', (line, columns, fitted) => expect(fitLine(line, columns)).toBe(fitted))
})

describe('LiveProgress', () => {
  it('redraws the total and one line per blob in place; log lines go above; the final total stays', () => {
    const written: string[] = []
    let t = 0
    const live = new LiveProgress({ write: s => written.push(s), columns: 200 }, new ProgressMeter(() => t))
    const base = { totalBytes: 3072, blobsTotal: 2, rateBytesPerSecond: 1024 }
    const e1: ProgressEvent = {
      ...base,
      bytes: 1024,
      blobsDone: 0,
      done: false,
      active: [
        { digest: A, size: 2048, bytes: 1536, landed: 512 },
        { digest: B, size: 1024, bytes: 512, landed: 512 }
      ]
    }
    live.update(e1)
    // the first event measures no rate: the largest blob in flight is named, and the bytes read
    // but not yet acknowledged (1.0 KiB of A's 1.5 KiB) beside the landed ones of the headline
    const total1 =
      'copied 1.0 KiB of 3.0 KiB (33%), sha256:aaaaaaaaaaaa (2.0 KiB) and 1 more in flight: 1.0 KiB of 3.0 KiB sent, not yet acknowledged (0 of 2 blobs done)'
    const a1 = '  sha256:aaaaaaaaaaaa [###############-----]  75% 1.5 KiB of 2.0 KiB'
    const b1 = '  sha256:bbbbbbbbbbbb [##########----------]  50% 512 B of 1.0 KiB'
    expect(written).toEqual([`${E}2K${total1}\n${E}2K${a1}\n${E}2K${b1}\n${E}J`])

    const messages: string[] = []
    const log = live.around({ debug() {}, info: m => void messages.push(m), warning() {} })
    log.info('retrying')
    expect(messages).toEqual(['retrying'])
    expect(written.slice(1)).toEqual([`${E}3A\r${E}J`, `${E}2K${total1}\n${E}2K${a1}\n${E}2K${b1}\n${E}J`])

    t = 1000
    live.update({
      ...e1,
      bytes: 2048,
      blobsDone: 1,
      active: [{ digest: A, size: 2048, bytes: 1024, landed: 1024 }]
    })
    const total2 = 'copied 2.0 KiB of 3.0 KiB (66%), 1.0 KiB/s, about 1 s left (1 of 2 blobs done)'
    const a2 = '  sha256:aaaaaaaaaaaa [##########----------]  50% 1.0 KiB of 2.0 KiB'
    expect(written[3]).toBe(`${E}3A\r${E}2K${total2}\n${E}2K${a2}\n${E}J`)

    t = 2000
    live.update({ ...e1, bytes: 3072, blobsDone: 2, active: [], done: true, rateBytesPerSecond: 1536 })
    expect(written[4]).toBe(
      `${E}2A\r${E}2Kcopied 3.0 KiB of 3.0 KiB (100%), 1.5 KiB/s on average (2 of 2 blobs done)\n${E}J`
    )
    // after the final event, log lines are written as they are
    log.info('done')
    expect(written).toHaveLength(5)
  })
})
