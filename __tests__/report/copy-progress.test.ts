/**
 * The CLI copy's progress display (runCopy) against real registries: on a TTY the live lines are
 * drawn with ANSI sequences on the terminal given; elsewhere one plain line goes through the logger.
 * Date.now is pinned, so the engine reports only its final event (no interval passes) and its
 * average rate is bytes over the engine's least duration (1 ms): every byte of output is known.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCopy } from '../../src/cli/copy.js'
import { parseCommandLine, type CopyCommand } from '../../src/cli/args.js'
import { startRegistry, type TestRegistry } from '../helpers/registry.js'
import { pushImage, randomBlob, type SeededImage } from '../helpers/images.js'
import { formatBytes, formatRate } from '../../src/report/format.js'

describe('CLI copy: progress display', () => {
  let src: TestRegistry
  let dst: TestRegistry
  let image: SeededImage

  beforeAll(async () => {
    ;[src, dst] = await Promise.all([startRegistry(), startRegistry()])
    image = await pushImage(src.url, 'app', [randomBlob(6000)], { tag: 'v1' })
  })
  afterAll(async () => {
    await Promise.all([src.stop(), dst.stop()])
    if (xdg === undefined) delete process.env.XDG_CACHE_HOME
    else process.env.XDG_CACHE_HOME = xdg
  })
  // each test copies the image into a new repository of dst: with the record of where the previous
  // test put its blobs (copy/blob-memory.ts) they would be mounted, 0 B copied
  const xdg = process.env.XDG_CACHE_HOME
  beforeEach(async () => {
    process.env.XDG_CACHE_HOME = await mkdtemp(join(tmpdir(), 'copy-progress-'))
  })

  async function copy(
    to: string,
    stderr: { isTTY?: boolean; columns?: number; write: (s: string) => boolean }
  ) {
    const cmd = parseCommandLine(['copy', `${src.host}/app:v1`, `${dst.host}/${to}`], {
      fileExists: () => false
    }) as CopyCommand
    const out: string[] = []
    const info: string[] = []
    const clock = jest.spyOn(Date, 'now').mockReturnValue(1_800_000_000_000)
    const term = process.env.TERM
    process.env.TERM = 'xterm-256color'
    try {
      await runCopy(
        cmd,
        { out: s => void out.push(s), log: { debug() {}, info: m => void info.push(m), warning() {} } },
        stderr
      )
    } finally {
      clock.mockRestore()
      if (term === undefined) delete process.env.TERM
      else process.env.TERM = term
    }
    return { out, info }
  }

  const total = (): number => image.blobs.reduce((n, b) => n + b.size, 0)
  const finalLine = (): string =>
    `copied ${formatBytes(total())} of ${formatBytes(total())} (100%), ${formatRate(total() * 1000)} on average (2 of 2 blobs done)`

  it('on a terminal: the live lines, ending with the final total', async () => {
    const written: string[] = []
    const { out, info } = await copy('tty/app:v1', {
      isTTY: true,
      columns: 120,
      write: s => (written.push(s), true)
    })
    expect(out).toEqual([`${image.digest}\n`])
    expect(written).toEqual([`\u001b[2K${finalLine()}\n\u001b[J`])
    expect(info.some(l => l.startsWith('copied'))).toBe(false)
  })

  it('elsewhere: a plain line through the logger, nothing drawn', async () => {
    const written: string[] = []
    const { info } = await copy('plain/app:v1', { isTTY: false, write: s => (written.push(s), true) })
    expect(written).toEqual([])
    expect(info.filter(l => l.startsWith('copied'))).toEqual([finalLine()])
  })
})
