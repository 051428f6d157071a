/**
 * A copy of 9 blobs (config + 8 layers) to 2 targets runs 18 uploads on one interrupt signal: the
 * CLI's stderr holds its progress line and result table, and no warning from Node (before abort.ts
 * each upload added an abort listener: `MaxListenersExceededWarning … 11 abort listeners`).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { runCliFromSource } from '../helpers/cli-source.js'
import { blobOf, pushImage, type SeededImage } from '../helpers/images.js'
import { startRegistry, type TestRegistry } from '../helpers/registry.js'
import { formatBytes } from '../../src/report/format.js'

describe('copy to 2 targets: no warning on stderr', () => {
  let src: TestRegistry
  let targets: TestRegistry[]
  let image: SeededImage

  beforeAll(async () => {
    ;[src, ...targets] = await Promise.all([startRegistry(), startRegistry(), startRegistry()])
    const layers = Array.from({ length: 8 }, (_, i) => blobOf(Buffer.alloc(32 * 1024, i + 1)))
    image = await pushImage(src.url, 'app', layers, { tag: 'v1' })
  })
  afterAll(async () => Promise.all([src, ...targets].map(r => r.stop())))

  it('prints the digest, one progress line and the table; no (node:…) line', async () => {
    expect(image.blobs).toHaveLength(9)
    const run = await runCliFromSource([
      'copy',
      `${src.host}/app@${image.digest}`,
      ...targets.map(t => `${t.host}/app:v1`)
    ])
    expect(run.stdout).toBe(`${image.digest}\n`)
    const lines = run.stderr.trimEnd().split('\n')
    expect(lines.filter(l => /warning|^\(node:|--trace-warnings/i.test(l))).toEqual([])
    expect(lines).toHaveLength(4)
    const bytes = formatBytes(image.blobs.reduce((n, b) => n + b.size, 0))
    expect(bytes).toBe('256.7 KiB')
    expect(lines[0]).toMatch(
      new RegExp(`^copied ${bytes} of ${bytes} \\(100%\\), .+ \\(9 of 9 blobs done\\)$`)
    )
    expect(lines.slice(2).map(l => l.split(/\s+/).slice(0, 7).join(' '))).toEqual(
      targets.map(t => `${t.host}/app 0 0 9 ${bytes} 1`)
    )
    expect(run.status).toBe(0)
  })
})
