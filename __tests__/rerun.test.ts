/**
 * Re-runnable releases (issue 15): the action's entry point run twice for the same commit and build
 * inputs, as "Re-run jobs" does. The second run finds the image its first run staged under the
 * deterministic staging tag and promotes that digest, so the immutable tag policy never refuses
 * the job's own earlier tags; `rebuild: true` builds anew.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { runAction } from './helpers/action.js'
import { startRegistry, type TestRegistry } from './helpers/registry.js'
import { ensureDockerd, buildkitCli } from './helpers/dockerd.js'
import { listTags, rawManifest } from './helpers/images.js'
import { startProxy, type Proxy } from './helpers/proxy.js'

const root = resolve(import.meta.dirname, '..')
const SHA = '0123456789abcdef0123456789abcdef01234567'

describe('action: a re-run of the same commit', () => {
  let regs: TestRegistry[]
  let staged: Proxy
  let work: string
  const saved = { ...process.env }

  beforeAll(async () => {
    await ensureDockerd()
    regs = await Promise.all([startRegistry(), startRegistry()])
    staged = await startProxy(regs[0].url)
    work = await mkdtemp(join(tmpdir(), 'pi-rerun-'))
  })
  afterAll(async () => {
    process.env = saved
    await staged?.stop()
    await Promise.all(regs.map(r => r.stop()))
    await rm(work, { recursive: true, force: true })
  })

  /** One run of the action (attempt N). */
  async function runAttempt(attempt: number, extra: Record<string, string> = {}) {
    const [staging, prod] = regs
    const inputs: Record<string, string> = {
      context: join(root, 'examples/hello'),
      'staging-image': `${staging.host}/ci/hello`,
      tags: 'v3.0.0',
      targets: `${prod.host}/prod/hello`,
      'docker-cli': buildkitCli(),
      ...extra
    }
    return await runAction(work, `attempt-${attempt}`, inputs, {
      GITHUB_SHA: SHA,
      GITHUB_RUN_ID: '4242',
      GITHUB_RUN_ATTEMPT: String(attempt),
      GITHUB_EVENT_NAME: 'release',
      GITHUB_REF: 'refs/tags/v3.0.0',
      GITHUB_EVENT_PATH: undefined
    })
  }

  it('reuses the staged image: same digest, no build, no tag moved; rebuild: true builds', async () => {
    const [staging, prod] = regs
    const first = await runAttempt(1)
    expect(first.failed).toBeUndefined()
    const digest = first.outputs.digest
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/)
    const stagedTags = await listTags(staging.url, 'ci/hello')
    expect(stagedTags).toHaveLength(1)
    expect(stagedTags[0]).toMatch(/^sha-0123456789ab-[0-9a-f]{8}$/)
    expect(first.log).toContain('built with')
    expect(first.outputs.imageid).toMatch(/^sha256:[0-9a-f]{64}$/)

    const second = await runAttempt(2)
    expect(second.failed).toBeUndefined()
    expect(second.outputs.digest).toBe(digest)
    // the staged image's own: before, both unset on a re-run (newuser finding 14)
    expect(second.outputs.imageid).toBe(first.outputs.imageid)
    expect(JSON.parse(second.outputs.metadata!)).toEqual({
      'containerimage.config.digest': first.outputs.imageid,
      'containerimage.digest': digest,
      'image.name': `${staging.host}/ci/hello:${stagedTags[0]}`
    })
    expect(second.outputs.metadata).toBe(first.outputs.metadata)
    expect(second.log).not.toContain('built with')
    expect(second.log).toContain(
      `${staging.host}/ci/hello:${stagedTags[0]} = ${digest} was staged by an earlier run of this commit and build inputs: reusing it (rebuild: true builds anew)`
    )
    expect(await listTags(staging.url, 'ci/hello')).toEqual(stagedTags)
    expect(await listTags(prod.url, 'prod/hello')).toEqual(['v3.0.0'])

    // the staging registry through a recording proxy: the reused image is asked for with one GET by
    // its tag (bytes, digest and config at once); before, a HEAD of the tag then a GET by digest.
    // Then the promotion resolves the tag once (HEAD) and walks the image by digest
    staged.reset()
    const recorded = await runAttempt(2, { 'staging-image': `${staged.host}/ci/hello` })
    expect(recorded.failed).toBeUndefined()
    expect(recorded.outputs.imageid).toBe(first.outputs.imageid)
    expect(staged.log.map(e => `${e.method} ${e.path} ${e.status}`)).toEqual([
      `GET /v2/ci/hello/manifests/${stagedTags[0]} 200`,
      `HEAD /v2/ci/hello/manifests/${stagedTags[0]} 200`,
      `GET /v2/ci/hello/manifests/${digest} 200`,
      'GET /v2/ci/hello/tags/list?n=1000 200',
      `GET /v2/ci/hello/referrers/${digest} 404`
    ])

    // dry run: rebuild: true builds again (and stages under the same tag) instead of reusing
    const third = await runAttempt(3, { rebuild: 'true', 'dry-run': 'true' })
    expect(third.log).toContain('built with')
    expect(third.log).not.toContain('reusing it')
  })

  it('pull: true / no-cache: true build anew on a new run (a scheduled refresh), and a re-run of that run reuses what it staged', async () => {
    const [staging, prod] = regs
    // a repository the first test did not promote to: a new build is a new digest, which the
    // immutable v3.0.0 there would refuse (as it should)
    const targets = `${prod.host}/prod/refresh`
    const fresh = (what: string) =>
      `${what} asks for a fresh build: building anew, not reusing an image an earlier run of this commit staged (a re-run of this run reuses what this run stages)`
    // before: 'was staged by an earlier run of this commit and build inputs: reusing it', no build
    const pulled = await runAttempt(1, { pull: 'true', 'dry-run': 'true', targets })
    expect(pulled.failed).toBeUndefined()
    expect(pulled.log).toContain('built with')
    expect(pulled.log).toContain(fresh('pull: true'))
    expect(pulled.log).not.toContain('reusing it')

    const [tag] = await listTags(staging.url, 'ci/hello')
    const digest = (await rawManifest(staging.url, 'ci/hello', tag!))?.digest
    const rerun = await runAttempt(2, { pull: 'true', 'no-cache': 'true', 'dry-run': 'true', targets })
    expect(rerun.failed).toBeUndefined()
    expect(rerun.log).not.toContain('built with')
    expect(rerun.log).toContain(
      `${staging.host}/ci/hello:${tag} = ${digest} was staged by an earlier run of this commit and build inputs: reusing it on this re-run (attempt 2; with pull: true and no-cache: true a new run builds anew, and rebuild: true a re-run)`
    )

    const uncached = await runAttempt(1, { 'no-cache': 'true', 'dry-run': 'true', targets })
    expect(uncached.failed).toBeUndefined()
    expect(uncached.log).toContain('built with')
    expect(uncached.log).toContain(fresh('no-cache: true'))
  })
})
