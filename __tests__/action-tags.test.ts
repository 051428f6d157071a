/**
 * The action's `tags` input through its entry point: plain tags go to every target, a full
 * reference (docker/metadata-action's `tags` output) only to the target it names.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runAction } from './helpers/action.js'
import { startRegistry, type TestRegistry } from './helpers/registry.js'
import { listTags, pushImage, randomBlob } from './helpers/images.js'

describe('action: tags per target', () => {
  let regs: TestRegistry[]
  let work: string
  const saved = { ...process.env }

  beforeAll(async () => {
    regs = await Promise.all([startRegistry(), startRegistry(), startRegistry()])
    work = await mkdtemp(join(tmpdir(), 'pi-tags-'))
  })
  afterAll(async () => {
    process.env = saved
    await Promise.all(regs.map(r => r.stop()))
    await rm(work, { recursive: true, force: true })
  })

  it('a full reference tags its own target only; the tags output lists every tag once', async () => {
    const [staging, a, b] = regs
    const image = await pushImage(staging.url, 'ci/app', [randomBlob(2048)], { tag: 'rc-1' })
    const { outputs, failed } = await runAction(work, 'tags', {
      source: `${staging.host}/ci/app:rc-1`,
      tags: `v1\n${b.host}/mirror/app:v9`,
      targets: `${a.host}/prod/app\n${b.host}/mirror/app`
    })
    expect(failed).toBeUndefined()
    expect(outputs.digest).toBe(image.digest)
    expect(await listTags(a.url, 'prod/app')).toEqual(['v1'])
    expect(await listTags(b.url, 'mirror/app')).toEqual(['v1', 'v9'])
    expect(outputs.tags).toBe('v1\nv9')
  })

  it.each([
    ['refs/tags/v1.2.3', 'a release'],
    ['refs/heads/main', 'a branch push']
  ])('a placeholder typo is refused before any request, on %s (%s) (newuser finding 18)', async ref => {
    const [staging, a] = regs
    await pushImage(staging.url, 'ci/typo', [randomBlob(1024)], { tag: 'rc-1' })
    const r = await runAction(
      work,
      'typo',
      {
        source: `${staging.host}/ci/typo:rc-1`,
        tags: 'type=semver,pattern={{versoin}}\ntype=sha',
        targets: `${a.host}/prod/typo`
      },
      {
        GITHUB_REF: ref,
        GITHUB_SHA: '62f5258109adbb899646486294972c5b8dd00a68',
        GITHUB_EVENT_NAME: 'push',
        GITHUB_REPOSITORY: 'acme/app'
      }
    )
    expect(r.failed).toBe(1)
    // before: no tag from the rule, 'promoted by digest only' (a release) or sha-62f5258 alone, exit 0
    expect(r.log.split('\n').filter(l => l.startsWith('::error'))).toEqual([
      '::error::input "tags": "type=semver,pattern={{versoin}}": expression "{{versoin}}": unknown placeholder {{versoin}}; the placeholders here are {{raw}}, {{major}}, {{minor}}, {{patch}}, {{version}}'
    ])
    expect(r.outputText).toBe('')
    expect(await listTags(a.url, 'prod/typo')).toEqual([])
  })
})
