/**
 * Progress and results count only what the targets acknowledged (issue 11, point 2), and a failed
 * promotion says where each target stands (point 5): in the text table and, with --json, as one
 * JSON object on stdout. Real registries: a read-only one (`storage.maintenance.readonly`, every
 * upload refused with 405) and, behind the fault proxy, one whose closing PUTs are refused after
 * every byte was sent. Date.now is pinned, so the engine reports only its final event and every
 * byte of output is known.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { runCopy } from '../../src/cli/copy.js'
import { parseCommandLine, type CopyCommand } from '../../src/cli/args.js'
import { startRegistry, type TestRegistry } from '../helpers/registry.js'
import { startProxy, type Proxy } from '../helpers/proxy.js'
import { pushImage, randomBlob, type SeededImage } from '../helpers/images.js'
import { formatBytes } from '../../src/report/format.js'

describe('only acknowledged bytes count; a failure says where each target stands', () => {
  let src: TestRegistry
  let dst: TestRegistry
  let readonly: TestRegistry
  let refusing: Proxy
  let image: SeededImage

  beforeAll(async () => {
    ;[src, dst, readonly] = await Promise.all([
      startRegistry(),
      startRegistry(),
      startRegistry({ readOnly: true })
    ])
    image = await pushImage(src.url, 'app', [randomBlob(400_000)], { tag: 'v1' })
    // every byte of each upload reaches the proxy; the closing PUT is then answered 403
    refusing = await startProxy(dst.url, {
      fault: req =>
        req.method === 'PUT' && req.url?.includes('/blobs/uploads/')
          ? { kind: 'respond', status: 403, body: '{"errors":[{"code":"DENIED","message":"no"}]}' }
          : undefined
    })
  })
  afterAll(async () => {
    await refusing?.stop()
    await Promise.all([src?.stop(), dst?.stop(), readonly?.stop()])
  })

  async function copy(args: string[]) {
    const cmd = parseCommandLine(['copy', `${src.host}/app:v1`, ...args], {
      fileExists: () => false
    }) as CopyCommand
    const out: string[] = []
    const info: string[] = []
    const clock = jest.spyOn(Date, 'now').mockReturnValue(1_800_000_000_000)
    try {
      const error = await runCopy(
        cmd,
        { out: s => void out.push(s), log: { debug() {}, info: m => void info.push(m), warning() {} } },
        { isTTY: false, write: () => true }
      ).catch((e: unknown) => e as Error)
      return { out, info, error: error as Error }
    } finally {
      clock.mockRestore()
    }
  }
  const total = (): number => image.blobs.reduce((n, b) => n + b.size, 0)
  const progress = (info: string[]): string[] => info.filter(l => l.startsWith('copied'))

  it('a read-only registry: 0 bytes landed, both blobs failed', async () => {
    const { info, error } = await copy([`${readonly.host}/app:v1`])
    expect(error).toBeInstanceOf(Error)
    // each blob's POST goes out once its own HEAD answers (per-blob pipelining, 2a8d916): the
    // first 405 fails the target, and the other blob has failed too or was never sent by then
    const line = (failed: number): string =>
      `copied 0 B of ${formatBytes(total())} (0%), 0 B/s on average (0 of 2 blobs done, ${failed} failed)`
    expect(progress(info)).toHaveLength(1)
    expect([line(1), line(2)]).toContain(progress(info)[0])
  })

  it('uploads refused at the closing PUT after every byte was sent: still 0 bytes landed', async () => {
    refusing.reset()
    const { info } = await copy([`${refusing.host}/refused:v1`])
    // the bytes did go out: the monolithic PUTs carried them all
    expect(refusing.bytesOut(/\/blobs\/uploads\//)).toBe(total())
    expect(progress(info)).toEqual([
      `copied 0 B of ${formatBytes(total())} (0%), 0 B/s on average (0 of 2 blobs done, 2 failed)`
    ])
  })

  it('one target refuses, the other lands everything: a failed blob counts nothing, never 100%', async () => {
    const { info } = await copy([`${readonly.host}/app:v1`, `${dst.host}/half:v1`])
    // what the other target holds is in the table (next case), not in the progress of failed blobs
    expect(progress(info)).toEqual([
      `copied 0 B of ${formatBytes(total())} (0%), 0 B/s on average (0 of 2 blobs done, 2 failed)`
    ])
  })

  it('the failure table says which target holds the image by digest', async () => {
    const { info } = await copy([`${readonly.host}/app:v1`, `${dst.host}/table:v1`])
    const table = info.find(l => l.startsWith('target'))
    expect(table?.split('\n').map(l => l.split(/\s{2,}/))).toEqual([
      ['target', 'holds image by digest', 'tags pointing at it', 'copied', 'mounted', 'bytes copied'],
      [`${readonly.host}/app`, 'no', '(none)', '0', '0', '0 B'],
      [`${dst.host}/table`, 'yes', '(none)', '2', '0', formatBytes(total())]
    ])
  })

  it('--json: one JSON object on stdout with the error and every target', async () => {
    const { out, error } = await copy([`${readonly.host}/app:v1`, `${dst.host}/json:v1`, '--json'])
    expect(out).toHaveLength(1)
    const refused = `POST ${readonly.url}/v2/app/blobs/uploads/ answered 405`
    expect(JSON.parse(out[0])).toEqual({
      error: error.message,
      targets: [
        {
          reference: `${readonly.host}/app`,
          holdsImage: false,
          tagged: [],
          blobsCopied: 0,
          blobsMounted: 0,
          bytesCopied: 0,
          error: expect.stringMatching(new RegExp(`^${refused.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`))
        },
        {
          reference: `${dst.host}/json`,
          holdsImage: true,
          tagged: [],
          blobsCopied: 2,
          blobsMounted: 0,
          bytesCopied: total()
        }
      ]
    })
    expect(error.message.split('\n')[0]).toBe(
      `promotion of ${image.digest} is incomplete; no tag was written on any target:`
    )
  })
})
