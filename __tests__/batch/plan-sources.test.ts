/**
 * `plan -f` reads each source once (issue 24, finding 9): on a real registry behind a recording
 * stand-in, a promotion file whose entries share one source sends that source exactly the requests
 * one entry sends (it sent them once per entry: 10,000 entries of one source were 60k requests);
 * two sources are read once each; and the matrix still names every entry.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestRegistry } from '../helpers/registry.js'
import { startProxy, type Proxy } from '../helpers/proxy.js'
import { pushImage, randomBlob } from '../helpers/images.js'
import { startRegistries } from '../copy/setup.js'
import { parseCommandLine, type PlanCommand } from '../../src/cli/args.js'
import { runPlan } from '../../src/cli/plan.js'

describe('plan reads each source once', () => {
  let src: TestRegistry
  let ps: Proxy
  let dir: string

  beforeAll(async () => {
    ;[src] = await startRegistries(1)
    ps = await startProxy(src.url)
    await pushImage(src.url, 'team/app', [randomBlob(1000), randomBlob(2000)], { tag: 'rc' })
    await pushImage(src.url, 'team/other', [randomBlob(3000)], { tag: 'rc' })
    dir = mkdtempSync(join(tmpdir(), 'plan-sources-'))
  }, 60_000)
  afterAll(async () => {
    await ps?.stop()
    await src?.stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  /** Runs `plan -f` over entries `[name, source repository]`; the matrix and the source's requests. */
  const plan = async (
    entries: Array<[string, string]>
  ): Promise<{ shards: Array<{ shard: string; images: string[] }>; requests: string[] }> => {
    const path = join(dir, `plan-${entries.length}.yaml`)
    writeFileSync(
      path,
      [
        'images:',
        ...entries.flatMap(([name, repository]) => [
          `  - name: ${name}`,
          `    source: ${ps.host}/${repository}:rc`,
          `    targets: [prod.test/${name}]`,
          '    tags: [v1]'
        ])
      ].join('\n') + '\n'
    )
    const cmd = parseCommandLine(['plan', '-f', path, '--shards', '2'], { fileExists: () => true })
    const out: string[] = []
    const warnings: string[] = []
    const log = (m: string): void => void warnings.push(m)
    ps.reset()
    const code = await runPlan(cmd as PlanCommand, {
      out: t => void out.push(t),
      log: { debug: () => undefined, info: log, warning: log }
    })
    // (one source shared by every entry: one shard, and the warning that says why)
    expect([code, warnings.filter(w => !w.includes(' shards asked, '))]).toEqual([0, []])
    const requests = ps.log.map(e => `${e.method} ${e.path.replace(/\?.*/, '')} ${e.status}`).sort()
    return { shards: (JSON.parse(out.join('')) as { include: [] }).include, requests }
  }

  it('200 entries of one source send the requests of 1 entry', async () => {
    const one = await plan([['app0', 'team/app']])
    // resolve (HEAD), the manifest, the referrers API (none here), one tag listing (no fallback or
    // cosign tag to read: was a GET and three HEADs)
    expect(one.requests.map(r => r.replace(/sha256:[0-9a-f]{64}/, 'DIGEST'))).toEqual([
      'GET /v2/team/app/manifests/DIGEST 200',
      'GET /v2/team/app/referrers/DIGEST 404',
      'GET /v2/team/app/tags/list 200',
      'HEAD /v2/team/app/manifests/rc 200'
    ])
    const names = Array.from({ length: 200 }, (_, i) => `app${i}`)
    const many = await plan(names.map(n => [n, 'team/app']))
    expect(many.requests).toEqual(one.requests)
    expect(many.shards.flatMap(s => s.images).sort()).toEqual([...names].sort())
  }, 60_000)

  it('two sources, 100 entries each: each source read once', async () => {
    const app = await plan([['a', 'team/app']])
    const entries: Array<[string, string]> = Array.from({ length: 200 }, (_, i) => [
      `e${i}`,
      i % 2 === 0 ? 'team/app' : 'team/other'
    ])
    const both = await plan(entries)
    // no request twice (the referrers API's absence is known per registry, so the second source
    // may skip it)
    expect(new Set(both.requests).size).toBe(both.requests.length)
    expect(both.requests.filter(r => r.startsWith('HEAD') && r.endsWith('/rc 200'))).toEqual([
      'HEAD /v2/team/app/manifests/rc 200',
      'HEAD /v2/team/other/manifests/rc 200'
    ])
    const ofApp = (rs: string[]): string[] =>
      rs.filter(r => r.includes('/team/app/') && !r.includes('/referrers/'))
    expect(ofApp(both.requests)).toEqual(ofApp(app.requests))
  }, 60_000)
})
