/**
 * The action with `promotion-file`: `plan-shards` sets the `matrix` output, `shard` promotes that
 * shard, a failed image fails the step naming it while the others are promoted, and a bad file
 * fails before any request.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestRegistry } from '../helpers/registry.js'
import { startProxy, type Proxy } from '../helpers/proxy.js'
import { listTags, pushImage, randomBlob, type SeededImage } from '../helpers/images.js'
import { runAction } from '../helpers/action.js'
import { startRegistries } from '../copy/setup.js'

describe('action: promotion-file', () => {
  let src: TestRegistry
  let dst: TestRegistry
  let pd: Proxy
  const seeded = new Map<string, SeededImage>()
  const dir = mkdtempSync(join(tmpdir(), 'promotion-action-'))
  const env = { DOCKER_CONFIG: dir, GITHUB_SHA: undefined, GITHUB_RUN_ID: undefined }

  beforeAll(async () => {
    ;[src, dst] = await startRegistries(2)
    pd = await startProxy(dst.url)
    const base = randomBlob(50_000)
    for (const n of ['a', 'b', 'c'])
      seeded.set(n, await pushImage(src.url, `team/${n}`, [base, randomBlob(2_000)], { tag: 'rc' }))
  })
  afterAll(async () => {
    await pd?.stop()
    await Promise.all([src?.stop(), dst?.stop()])
  })

  const write = (name: string, images: string[]): string => {
    const path = join(dir, `${name}.yaml`)
    const entries = images.flatMap(n => [
      `  - name: ${n}`,
      `    source: ${src.host}/team/${n}:rc`,
      '    tags: [v2]'
    ])
    writeFileSync(
      path,
      ['defaults:', `  targets: [${pd.host}/${name}]`, 'images:', ...entries].join('\n') + '\n'
    )
    return path
  }

  it('plan-shards sets the matrix output and promotes nothing', async () => {
    pd.reset()
    const run = await runAction(
      dir,
      'plan',
      { 'promotion-file': write('plan', ['a', 'b', 'c']), 'plan-shards': '2' },
      env
    )
    expect(run.failed).toBeUndefined()
    expect(JSON.parse(run.outputs.matrix)).toEqual({
      include: [{ shard: '1/2@e4bcdabebfbd', images: ['a', 'b', 'c'] }]
    })
    expect(pd.log).toEqual([])
    // newuser4 #19: the plan job wrote no summary; it lists each matrix job's shard and images
    expect(run.summary).toBe(
      [
        `## 📋 Promotion file <code>${join(dir, 'plan.yaml')}</code>: 1 shard planned (2 asked)`,
        '',
        '| shard | images | names |',
        '| --- | ---: | --- |',
        '| <code>1/2@e4bcdabebfbd</code> | 3 | a, b, c |',
        ''
      ].join('\n')
    )
    // newuser finding 37: fewer shards than asked is said, and why
    expect(run.log.split('\n').filter(l => l.startsWith('::warning::'))).toEqual([
      '::warning::2 shards asked, 1 planned (3 images): shards are balanced by the bytes each moves, not by their number of images, and these images share their layers, so more shards would move the shared bytes again (docs/promotion-files.md, "Shards for a matrix")'
    ])
  })

  it('promotes every image that exists, fails the step naming the one that does not, and sets promoted', async () => {
    const path = write('rel', ['a', 'ghost', 'c'])
    const run = await runAction(dir, 'rel', { 'promotion-file': path }, env)
    expect(run.failed).toBe(1)
    expect(run.log).toContain(
      `::error::1 of 3 images failed:%0A  ghost: ${src.host}/team/ghost:rc does not exist`
    )
    expect(JSON.parse(run.outputs.promoted)).toEqual(
      ['a', 'c'].map(n => ({
        target: `${pd.host}/rel/${n}`,
        digest: seeded.get(n)?.digest,
        tags: ['v2'],
        references: [`${pd.host}/rel/${n}@${seeded.get(n)?.digest}`, `${pd.host}/rel/${n}:v2`]
      }))
    )
    expect([
      await listTags(dst.url, 'rel/a'),
      await listTags(dst.url, 'rel/ghost'),
      await listTags(dst.url, 'rel/c')
    ]).toEqual([['v2'], [], ['v2']])
    // newuser3 finding 9, before: '## Promotion file', whatever happened
    expect(run.summary.split('\n')[0]).toBe('## ❌ Promotion file: 1 of 3 images failed')
    expect(run.summary).toContain('2 of 3 images promoted; 1 failed')
  })

  it('a bad file fails the step before any request, naming the input, entry and field', async () => {
    pd.reset()
    const path = join(dir, 'bad.yaml')
    writeFileSync(
      path,
      `defaults:\n  targets: [${pd.host}/x]\nimages:\n  - name: a\n    source: ${src.host}/team/a:rc\n    tags: v2\n`
    )
    const run = await runAction(dir, 'bad', { 'promotion-file': path, 'plan-shards': '2' }, env)
    expect(run.failed).toBe(1)
    expect(run.log).toContain(
      `::error::input "promotion-file": ${path}: images[0] (name "a"): tags: must be a list of strings`
    )
    expect(pd.log).toEqual([])
  })

  it('a shard says which in its summary heading (newuser4 #19: every matrix job wrote the same heading)', async () => {
    const run = await runAction(dir, 'shard', { 'promotion-file': write('shard', ['a']), shard: '1/1' }, env)
    expect(run.failed).toBeUndefined()
    expect(run.summary.split('\n')[0]).toBe('## ✅ Promotion file, shard 1/1: 1 image promoted')
  })

  it('refuses promotion-file with source, and shard without a file', async () => {
    const both = await runAction(
      dir,
      'both',
      { 'promotion-file': write('x', ['a']), source: `${src.host}/team/a:rc` },
      env
    )
    expect(both.log).toContain(
      '::error::input "source": not with "promotion-file" (the file names every source and target)'
    )
    const lone = await runAction(dir, 'lone', { shard: '1/2', source: `${src.host}/team/a:rc` }, env)
    expect(lone.log).toContain('::error::input "shard": needs "promotion-file"')
    const bad = await runAction(dir, 'badshard', { 'promotion-file': write('y', ['a']), shard: '3/2' }, env)
    expect(bad.log).toContain(
      '::error::input "shard": "3/2" must be K/N (or the matrix\'s K/N@PLAN) with whole numbers 1 <= K <= N <= 256 (e.g. 2/4)'
    )
  })

  it('refuses the inputs the file governs instead of ignoring them; their action.yml defaults are not refused', async () => {
    const policy = await runAction(
      dir,
      'policy',
      { 'promotion-file': write('p', ['a']), 'tag-policy': 'overwrite' },
      env
    )
    expect(policy.log).toContain(
      '::error::input "tag-policy": not with "promotion-file": set tag-policy in the file (under defaults, or per image)'
    )
    const referrers = await runAction(
      dir,
      'refs',
      { 'promotion-file': write('r', ['a']), referrers: 'none' },
      env
    )
    expect(referrers.log).toContain(
      '::error::input "referrers": not with "promotion-file": set referrers in the file (under defaults, or per image)'
    )
    // newuser3 finding 6, before: 'set tags in the file (under defaults, or per image)', and
    // defaults takes no tags; 'flavor' said 'needs tag rules in "tags"', which were then refused
    const tags = await runAction(dir, 'tags', { 'promotion-file': write('t', ['a']), tags: 'v1' }, env)
    const flavor = await runAction(
      dir,
      'flavor',
      { 'promotion-file': write('f', ['a']), flavor: 'latest=false' },
      env
    )
    expect([tags, flavor].map(r => r.log.split('\n').filter(l => l.startsWith('::error')))).toEqual([
      [
        '::error::input "tags": not with "promotion-file": give each image its tags in the file (images[].tags; defaults takes no tags)'
      ],
      [
        '::error::input "flavor": not with "promotion-file": a file gives each image its tags as they are (images[].tags), with no tag rules to flavor'
      ]
    ])
    // newuser3 finding 6, before: applied to every image of the file (single images failed, an
    // index was cut to one child), while the CLI refuses promote -f FILE --platform
    const platforms = await runAction(
      dir,
      'platforms',
      { 'promotion-file': write('pp', ['a']), 'promote-platforms': 'linux/arm64' },
      env
    )
    expect(platforms.log.split('\n').filter(l => l.startsWith('::error'))).toEqual([
      '::error::input "promote-platforms": not with "promotion-file": it applies to one image (a step with "source" or "staging-image"), and a promotion file has no such key'
    ])
    const defaults = await runAction(
      dir,
      'defaults',
      {
        'promotion-file': write('d', ['a']),
        'tag-policy': 'immutable',
        referrers: 'all',
        'plan-shards': '1'
      },
      env
    )
    expect(defaults.failed).toBeUndefined()
    expect(JSON.parse(defaults.outputs.matrix)).toEqual({
      include: [{ shard: '1/1@0386059478cd', images: ['a'] }]
    })
  })
})
