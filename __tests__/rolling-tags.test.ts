/**
 * The README's headline workflow on two patch releases (newuser finding 1): the tags its semver
 * rules make rolling (`{{major}}.{{minor}}`, and `latest`) move on the second release under the
 * default `tag-policy: immutable`; `{{version}}`'s tag stays immutable. Run through the action's
 * entry point against real registries, the tags read back from them.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runAction } from './helpers/action.js'
import { startRegistry, type TestRegistry } from './helpers/registry.js'
import { listTags, pushImage, randomBlob, rawManifest, type SeededImage } from './helpers/images.js'

/** The README's rules, as its first workflow writes them. */
const README_TAGS = 'type=semver,pattern={{version}}\ntype=semver,pattern={{major}}.{{minor}}'
const SHA_123 = '1111111111111111111111111111111111111111'
const SHA_124 = '2222222222222222222222222222222222222222'

describe('the README workflow on v1.2.3, then v1.2.4: rolling tags move, the version stays', () => {
  let regs: TestRegistry[]
  let work: string
  const saved = { ...process.env }

  beforeAll(async () => {
    regs = await Promise.all([startRegistry(), startRegistry(), startRegistry()])
    work = await mkdtemp(join(tmpdir(), 'pi-rolling-'))
  })
  afterAll(async () => {
    process.env = saved
    await Promise.all((regs ?? []).map(r => r.stop()))
    if (work) await rm(work, { recursive: true, force: true })
  })

  /** The action on a release tag, as the README's workflow runs it (push of tag `v*`). */
  const release = (
    name: string,
    version: string,
    sha: string,
    source: string,
    extra: Record<string, string> = {}
  ) =>
    runAction(
      work,
      name,
      {
        source,
        targets: `${regs[1].host}/acme/app\n${regs[2].host}/acme/app`,
        tags: README_TAGS,
        ...extra
      },
      {
        GITHUB_REPOSITORY: undefined,
        GITHUB_API_URL: undefined,
        GITHUB_RUN_ID: undefined,
        GITHUB_EVENT_PATH: undefined,
        GITHUB_REF: `refs/tags/v${version}`,
        GITHUB_REF_NAME: `v${version}`,
        GITHUB_REF_TYPE: 'tag',
        GITHUB_SHA: sha,
        GITHUB_EVENT_NAME: 'push'
      },
      { now: 1_800_000_000_000 }
    )

  /** What each tag names at each target: `{ tag: digest }` per target. */
  async function tagsAt(): Promise<Array<Record<string, string>>> {
    return Promise.all(
      regs.slice(1).map(async reg => {
        const out: Record<string, string> = {}
        for (const tag of await listTags(reg.url, 'acme/app'))
          out[tag] = (await rawManifest(reg.url, 'acme/app', tag))!.digest
        return out
      })
    )
  }

  const short = (d: string): string => d.slice(0, 19)

  it('1.2.4 is promoted and moves 1.2 and latest; a rebuild of 1.2.3 is refused, nothing written', async () => {
    const staging = regs[0]
    const push = (tag: string): Promise<SeededImage> =>
      pushImage(staging.url, 'ci/app', [randomBlob(1500)], { tag })
    const [v123, v124, rebuilt] = [await push('v1.2.3'), await push('v1.2.4'), await push('v1.2.3-rebuilt')]
    const [a, b] = [`${regs[1].host}/acme/app`, `${regs[2].host}/acme/app`]

    const first = await release('v123', '1.2.3', SHA_123, `${staging.host}/ci/app:v1.2.3`)
    expect(first.failed).toBeUndefined()
    expect(first.outputs.tags).toBe('1.2.3\n1.2\nlatest')
    const one = { '1.2': v123.digest, '1.2.3': v123.digest, latest: v123.digest }
    expect(await tagsAt()).toEqual([one, one])

    // the next patch release: 1.2 and latest move to it (rolling), 1.2.3 stays where it is
    const second = await release('v124', '1.2.4', SHA_124, `${staging.host}/ci/app:v1.2.4`)
    expect(second.failed).toBeUndefined()
    expect(second.outputs.digest).toBe(v124.digest)
    expect(second.outputs.tags).toBe('1.2.4\n1.2\nlatest')
    const two = { '1.2': v124.digest, '1.2.3': v123.digest, '1.2.4': v124.digest, latest: v124.digest }
    expect(await tagsAt()).toEqual([two, two])
    const moved = `<code>1.2.4</code> created<br><code>1.2</code> moved from <code>${short(v123.digest)}</code> (rolling)<br><code>latest</code> moved from <code>${short(v123.digest)}</code> (rolling)`
    expect(second.summary).toContain(
      [
        '| target | result | tags |',
        '| --- | --- | --- |',
        `| <code>${a}</code> | ✅ verified | ${moved} |`,
        `| <code>${b}</code> | ✅ verified | ${moved} |`
      ].join('\n')
    )
    // the plan output says which tags roll
    const plan = JSON.parse(second.outputs.plan!) as { targets: Array<{ tags: unknown[] }> }
    expect(plan.targets[0].tags).toEqual([
      { tag: '1.2.4', action: 'create', kind: 'unique' },
      { tag: '1.2', action: 'move', from: v123.digest, kind: 'rolling' },
      { tag: 'latest', action: 'move', from: v123.digest, kind: 'rolling' }
    ])

    // 1.2.3 again, another digest: its own tag is immutable, so nothing is written anywhere
    const again = await release('v123-again', '1.2.3', SHA_123, `${staging.host}/ci/app:v1.2.3-rebuilt`)
    expect(again.failed).toBe(1)
    expect(again.log).toContain(
      `::error::tag policy "immutable" refuses to move tags:%0A  ${a}:1.2.3 points at ${v123.digest}; promoting ${rebuilt.digest} would move it%0A  ${b}:1.2.3 points at ${v123.digest}; promoting ${rebuilt.digest} would move it\n`
    )
    expect(again.summary).toContain(
      [
        '## ❌ app 1.2.3 not promoted: the tag policy refused 1 tag',
        '',
        'The tag policy <code>immutable</code> refused 1 tag already pointing at another image:',
        '',
        '| tags | at | points at |',
        '| --- | --- | --- |',
        `| <code>1.2.3</code> | <code>${a}</code><br><code>${b}</code> | <code>${short(v123.digest)}</code> |`,
        '',
        'To promote it:',
        '',
        '- release a new version: this tag names this release alone, and tags that no target holds yet are created, never refused;',
        '- or let this tag move on purpose: <code>moving-tags: latest,edge,1.2.3</code> (the others stay immutable);',
        '- or <code>tag-policy: overwrite</code>: every tag may move.',
        '',
        'Nothing was written to any target.'
      ].join('\n')
    )
    expect(await tagsAt()).toEqual([two, two])
  }, 120_000)

  it('a plain tag is written as it is: it stays immutable, and the advice is other tags, not a new version', async () => {
    const staging = regs[0]
    const [x, y] = [
      await pushImage(staging.url, 'ci/app', [randomBlob(900)], { tag: 'plain-x' }),
      await pushImage(staging.url, 'ci/app', [randomBlob(900)], { tag: 'plain-y' })
    ]
    const plain = { tags: 'stable', targets: `${regs[1].host}/acme/plain` }
    expect(
      (await release('plain-x', '1.2.3', SHA_123, `${staging.host}/ci/app:plain-x`, plain)).failed
    ).toBeUndefined()
    const r = await release('plain-y', '1.2.4', SHA_124, `${staging.host}/ci/app:plain-y`, plain)
    expect(r.failed).toBe(1)
    expect(r.summary).toContain(
      [
        'To promote it:',
        '',
        '- promote it under tags that no target holds yet: those are created, never refused (a new version would give this tag again);',
        '- or let this tag move on purpose: <code>moving-tags: latest,edge,stable</code> (the others stay immutable);',
        '- or <code>tag-policy: overwrite</code>: every tag may move.'
      ].join('\n')
    )
    expect((await rawManifest(regs[1].url, 'acme/plain', 'stable'))!.digest).toBe(x.digest)
    // literal moving-tags still work: the same run with stable listed moves it
    const moving = await release('plain-y-moving', '1.2.4', SHA_124, `${staging.host}/ci/app:plain-y`, {
      ...plain,
      'moving-tags': 'latest,edge,stable'
    })
    expect(moving.failed).toBeUndefined()
    expect((await rawManifest(regs[1].url, 'acme/plain', 'stable'))!.digest).toBe(y.digest)
  }, 120_000)
})

describe('a rolling tag never moves back (newuser4 finding 3): a re-run of an old release, a late backport', () => {
  const RULES = `${README_TAGS}\ntype=semver,pattern={{major}}`
  let regs: TestRegistry[]
  let work: string
  const saved = { ...process.env }

  beforeAll(async () => {
    regs = await Promise.all([startRegistry(), startRegistry()])
    work = await mkdtemp(join(tmpdir(), 'pi-rolling-back-'))
  })
  afterAll(async () => {
    process.env = saved
    await Promise.all((regs ?? []).map(r => r.stop()))
    if (work) await rm(work, { recursive: true, force: true })
  })

  const release = (name: string, version: string, source: string, extra: Record<string, string> = {}) =>
    runAction(
      work,
      name,
      { source, targets: `${regs[1].host}/acme/back`, tags: RULES, ...extra },
      {
        GITHUB_REPOSITORY: undefined,
        GITHUB_API_URL: undefined,
        GITHUB_RUN_ID: undefined,
        GITHUB_EVENT_PATH: undefined,
        GITHUB_REF: `refs/tags/v${version}`,
        GITHUB_REF_NAME: `v${version}`,
        GITHUB_REF_TYPE: 'tag',
        GITHUB_SHA: SHA_123,
        GITHUB_EVENT_NAME: 'push'
      },
      { now: 1_800_000_000_000 }
    )
  const tagsAt = async (): Promise<Record<string, string>> => {
    const out: Record<string, string> = {}
    for (const tag of await listTags(regs[1].url, 'acme/back'))
      out[tag] = (await rawManifest(regs[1].url, 'acme/back', tag))!.digest
    return out
  }
  const short = (d: string): string => d.slice(0, 19)

  it('holds 1.2, 1 and latest at the newer releases, says so, and moves only forward; overwrite moves them', async () => {
    const push = (tag: string): Promise<SeededImage> =>
      pushImage(regs[0].url, 'ci/back', [randomBlob(700)], { tag })
    const [i123, i124, i130, i125] = [await push('a'), await push('b'), await push('c'), await push('d')]
    const src = (t: string): string => `${regs[0].host}/ci/back:${t}`
    const target = `${regs[1].host}/acme/back`
    for (const [name, version, tag] of [
      ['r123', '1.2.3', 'a'],
      ['r124', '1.2.4', 'b'],
      ['r130', '1.3.0', 'c']
    ] as const)
      expect((await release(name, version, src(tag))).failed).toBeUndefined()
    const released = {
      '1.2.3': i123.digest,
      '1.2.4': i124.digest,
      '1.3.0': i130.digest,
      '1.2': i124.digest,
      '1.3': i130.digest,
      '1': i130.digest,
      latest: i130.digest
    }
    expect(await tagsAt()).toEqual(released)

    // "Re-run all jobs" of v1.2.3: nothing moves back, the run succeeds and says why
    const rerun = await release('r123-again', '1.2.3', src('a'))
    expect(rerun.failed).toBeUndefined()
    expect(await tagsAt()).toEqual(released)
    expect(rerun.log.split('\n').filter(l => l.startsWith('::warning::'))).toEqual([
      `::warning::${target}:1.2 kept at 1.2.4 (${i124.digest}), newer than this release 1.2.3: a rolling tag never moves back (tag-policy: overwrite moves it)`,
      `::warning::${target}:1 kept at 1.3.0 (${i130.digest}), newer than this release 1.2.3: a rolling tag never moves back (tag-policy: overwrite moves it)`,
      `::warning::${target}:latest kept at 1.3.0 (${i130.digest}), newer than this release 1.2.3: a rolling tag never moves back (tag-policy: overwrite moves it)`
    ])
    expect(rerun.summary).toContain(
      `| <code>${target}</code> | ✅ verified | <code>1.2.3</code> already there<br><code>1.2</code> kept at <code>1.2.4</code> (newer)<br><code>1</code> kept at <code>1.3.0</code> (newer)<br><code>latest</code> kept at <code>1.3.0</code> (newer) |`
    )
    // the outputs name what this image is at: 1.2.3 alone
    expect(rerun.outputs.tags!.split('\n')).toEqual(['1.2.3'])
    expect(JSON.parse(rerun.outputs.promoted!)).toEqual([
      {
        target,
        digest: i123.digest,
        tags: ['1.2.3'],
        references: [`${target}@${i123.digest}`, `${target}:1.2.3`]
      }
    ])
    const plan = JSON.parse(rerun.outputs.plan!) as { targets: Array<{ tags: unknown[] }> }
    expect(plan.targets[0].tags).toEqual([
      { tag: '1.2.3', action: 'keep', from: i123.digest, kind: 'unique' },
      { tag: '1.2', action: 'hold', from: i124.digest, heldBy: '1.2.4', kind: 'rolling' },
      { tag: '1', action: 'hold', from: i130.digest, heldBy: '1.3.0', kind: 'rolling' },
      { tag: 'latest', action: 'hold', from: i130.digest, heldBy: '1.3.0', kind: 'rolling' }
    ])

    // a backport released after 1.3.0: 1.2 moves forward to it, 1 and latest stay at 1.3.0
    const backport = await release('r125', '1.2.5', src('d'))
    expect(backport.failed).toBeUndefined()
    expect(await tagsAt()).toEqual({ ...released, '1.2.5': i125.digest, '1.2': i125.digest })
    expect(backport.summary).toContain(
      `<code>1.2.5</code> created<br><code>1.2</code> moved from <code>${short(i124.digest)}</code> (rolling)<br><code>1</code> kept at <code>1.3.0</code> (newer)<br><code>latest</code> kept at <code>1.3.0</code> (newer)`
    )

    // tag-policy overwrite: a rollback on purpose moves them
    const back = await release('r123-overwrite', '1.2.3', src('a'), { 'tag-policy': 'overwrite' })
    expect(back.failed).toBeUndefined()
    expect(await tagsAt()).toEqual({
      ...released,
      '1.2.5': i125.digest,
      '1.2': i123.digest,
      '1': i123.digest,
      latest: i123.digest
    })
  }, 120_000)

  it('a tag held at one target and written at another is not in the tags output; promoted has each (newuser5 D)', async () => {
    const push = (tag: string): Promise<SeededImage> =>
      pushImage(regs[0].url, 'ci/split', [randomBlob(600)], { tag })
    const [i123, i130] = [await push('a'), await push('c')]
    const src = (t: string): string => `${regs[0].host}/ci/split:${t}`
    const [held, fresh] = [`${regs[1].host}/acme/held`, `${regs[1].host}/acme/fresh`]
    expect((await release('s130', '1.3.0', src('c'), { targets: held })).failed).toBeUndefined()
    // 1.2.3 to both: `1` and `latest` name 1.3.0 at `held` (kept), and are created at `fresh`
    const both = await release('s123', '1.2.3', src('a'), { targets: `${held}\n${fresh}` })
    expect(both.failed).toBeUndefined()
    expect((await rawManifest(regs[1].url, 'acme/held', 'latest'))!.digest).toBe(i130.digest)
    expect((await rawManifest(regs[1].url, 'acme/fresh', 'latest'))!.digest).toBe(i123.digest)
    // `tags`: the tags applied at every target; it listed 1 and latest (applied at one target only)
    expect(both.outputs.tags!.split('\n')).toEqual(['1.2.3', '1.2'])
    expect(JSON.parse(both.outputs.promoted!)).toEqual([
      {
        target: held,
        digest: i123.digest,
        tags: ['1.2.3', '1.2'],
        references: [`${held}@${i123.digest}`, `${held}:1.2.3`, `${held}:1.2`]
      },
      {
        target: fresh,
        digest: i123.digest,
        tags: ['1.2.3', '1.2', '1', 'latest'],
        references: [`${fresh}@${i123.digest}`, ...['1.2.3', '1.2', '1', 'latest'].map(t => `${fresh}:${t}`)]
      }
    ])
  }, 120_000)
})
