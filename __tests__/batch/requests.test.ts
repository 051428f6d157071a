/**
 * Requests per image of a promotion file (issue 23): `promote -f` of three cold images (config +
 * 3 layers each, its own repository, referrers on as by default) from one registry to another,
 * through recording proxies in front of real registries. Each image costs exactly 16 requests over
 * both registries, in a fixed order of phases; the batch adds one referrers API probe for the
 * source registry (its 404 is remembered for every other image), and no ping (each registry's
 * first answer settles its scheme).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseCommandLine, type PromoteFileCommand } from '../../src/cli/args.js'
import { runPromoteFile } from '../../src/cli/promote-file.js'
import type { TestRegistry } from '../helpers/registry.js'
import { startProxy, type Exchange, type Proxy } from '../helpers/proxy.js'
import { listTags, pushImage, randomBlob, type SeededImage } from '../helpers/images.js'
import { startRegistries } from '../copy/setup.js'
import { line, tally, type Names } from '../copy/tally.js'

const NAMES = ['app0', 'app1', 'app2']

describe('promote -f: requests per cold image', () => {
  let src: TestRegistry
  let dst: TestRegistry
  let ps: Proxy
  let pd: Proxy
  const images = new Map<string, SeededImage>()
  const names: Names = {}
  const dir = mkdtempSync(join(tmpdir(), 'batch-requests-'))

  beforeAll(async () => {
    ;[src, dst] = await startRegistries(2)
    ;[ps, pd] = await Promise.all([startProxy(src.url), startProxy(dst.url)])
    for (const name of NAMES) {
      const image = await pushImage(
        src.url,
        `team/${name}`,
        [randomBlob(20_000), randomBlob(30_000), randomBlob(40_000)],
        { tag: 'rc' }
      )
      images.set(name, image)
      names[image.digest] = 'image'
      image.blobs.forEach((b, i) => (names[b.digest] = i === 0 ? 'config' : `layer${i}`))
    }
  })
  afterAll(async () => {
    await Promise.all([ps?.stop(), pd?.stop()])
    await Promise.all([src?.stop(), dst?.stop()])
  })

  /** The exchanges of one image's repositories (`team/NAME` at the source, `prod/NAME` at the target). */
  const of = (p: Proxy, name: string): Exchange[] =>
    p.log.filter(e => e.path.startsWith(`/v2/team/${name}/`) || e.path.startsWith(`/v2/prod/${name}/`))

  it('16 requests per image, in phases; 1 per batch', async () => {
    const path = join(dir, 'promote.yaml')
    const lines = [
      'defaults:',
      `  targets: [${pd.host}/prod]`,
      'images:',
      ...NAMES.flatMap(n => [`  - name: ${n}`, `    source: ${ps.host}/team/${n}:rc`, '    tags: [rc]'])
    ]
    writeFileSync(path, lines.join('\n') + '\n')
    const cmd = parseCommandLine(['promote', '-f', path], { fileExists: () => true }) as PromoteFileCommand
    const out: string[] = []
    const code = await runPromoteFile(cmd, {
      out: t => void out.push(t),
      log: { debug: () => undefined, info: () => undefined, warning: () => undefined }
    })
    expect(code).toBe(0)
    expect(out.join('')).toBe(NAMES.map(n => `${n} ${images.get(n)?.digest}\n`).join(''))
    for (const n of NAMES) expect(await listTags(dst.url, `prod/${n}`)).toEqual(['rc'])

    // per batch: no ping, and the source registry's referrers API asked once (for whichever image
    // came first): distribution has none, so no other image asks
    expect(ps.log.filter(e => e.path === '/v2/')).toEqual([])
    expect(pd.log.filter(e => e.path === '/v2/')).toEqual([])
    expect(ps.log.filter(e => /\/referrers\//.test(e.path)).map(e => e.status)).toEqual([404])
    expect(pd.log.filter(e => /\/referrers\//.test(e.path))).toEqual([])

    for (const n of NAMES) {
      const source = of(ps, n).filter(e => !/\/referrers\//.test(e.path))
      const target = of(pd, n)
      // the source: the manifest by tag (bytes and digest at once) and, beside it, one tag listing
      // (no referrers fallback tag, no cosign tag: none asked for), then the 4 blobs
      expect(tally(source, names)).toEqual({
        [`GET team/${n} manifests/rc 200`]: 1,
        [`GET team/${n} tags/list 200`]: 1,
        [`GET team/${n} blobs/config 200`]: 1,
        [`GET team/${n} blobs/layer1 200`]: 1,
        [`GET team/${n} blobs/layer2 200`]: 1,
        [`GET team/${n} blobs/layer3 200`]: 1
      })
      // the target: its tag listing, whose 404 (the registry does not know prod/NAME) says the root,
      // the tag and every blob are missing (no HEAD), an upload (POST + PUT) per blob, then the
      // manifest PUT by tag (its Docker-Content-Digest answer is the verification)
      const perBlob = (b: string): Record<string, number> => ({
        [`PUT prod/${n} upload?digest=${b} 201`]: 1
      })
      expect(tally(target, names)).toEqual({
        [`GET prod/${n} tags/list 404`]: 1,
        ...perBlob('config'),
        ...perBlob('layer1'),
        ...perBlob('layer2'),
        ...perBlob('layer3'),
        [`POST prod/${n} uploads 202`]: 4,
        [`PUT prod/${n} manifests/rc 201`]: 1
      })
      expect(source.length + target.length).toBe(16)
      // the order of the target's phases, each one over before the next starts
      const phase = (e: Exchange): number => {
        const l = line(e, names)
        if (/^GET .* tags\/list/.test(l)) return 0
        if (/^(POST|PUT) .* upload/.test(l)) return 1
        return 2
      }
      const phases = target.map(phase)
      expect(phases).toEqual([...phases].sort((a, b) => a - b))
      for (let k = 1; k < 3; k++) {
        const lastEnd = Math.max(...target.filter(e => phase(e) === k - 1).map(e => e.end ?? Infinity))
        const firstStart = Math.min(...target.filter(e => phase(e) === k).map(e => e.at))
        expect([k, firstStart >= lastEnd]).toEqual([k, true])
      }
    }
    expect(ps.log.length + pd.log.length).toBe(16 * NAMES.length + 1)
  })

  it('into repositories that exist: the listing, the root by digest, no HEAD of a tag the listing lacks', async () => {
    const path = join(dir, 'again.yaml')
    const lines = [
      'defaults:',
      `  targets: [${pd.host}/prod]`,
      'images:',
      ...NAMES.flatMap(n => [`  - name: ${n}`, `    source: ${ps.host}/team/${n}:rc`, '    tags: [rc2]'])
    ]
    writeFileSync(path, lines.join('\n') + '\n')
    ps.reset()
    pd.reset()
    const cmd = parseCommandLine(['promote', '-f', path], { fileExists: () => true }) as PromoteFileCommand
    const log = { debug: () => undefined, info: () => undefined, warning: () => undefined }
    expect(await runPromoteFile(cmd, { out: () => undefined, log })).toBe(0)
    for (const n of NAMES) {
      expect(await listTags(dst.url, `prod/${n}`)).toEqual(['rc', 'rc2'])
      expect(tally(of(pd, n), names)).toEqual({
        [`GET prod/${n} tags/list 200`]: 1,
        [`HEAD prod/${n} manifests/image 200`]: 1,
        [`PUT prod/${n} manifests/rc2 201`]: 1
      })
    }
  })
})
