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
import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { promisify } from 'node:util'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runAction } from '../helpers/action.js'
import { startRegistry, type TestRegistry } from '../helpers/registry.js'
import { startProxy, type Proxy } from '../helpers/proxy.js'
import { ensureDockerd, buildkitCli, DEBIAN_DOCKER } from '../helpers/dockerd.js'
import { listTags, rawManifest, sha256 } from '../helpers/images.js'
import { line } from '../copy/tally.js'

const exec = promisify(execFile)
/** Runs /usr/bin/docker; its stdout. */
const docker = async (...args: string[]): Promise<string> =>
  (await exec(DEBIAN_DOCKER, args, { timeout: 120000 })).stdout

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
    // the images the builds and the pull left in dockerd, by the registries' hosts
    const hosts = [staging, prodA, prodB].filter(Boolean).map(r => r.host)
    const images = (await docker('image', 'ls', '--format', '{{.Repository}}:{{.Tag}}').catch(() => ''))
      .split('\n')
      .filter(i => hosts.some(h => i.startsWith(`${h}/`)))
    if (images.length) await docker('image', 'rm', '--force', ...images).catch(() => '')
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

  it('merges both at staging and promotes the index to both targets; a re-run: same digest, 0 manifest PUTs', async () => {
    const [sp, pa, pb] = proxies as [Proxy, Proxy, Proxy]
    const merge = (name: string) =>
      runAction(
        work,
        name,
        {
          merge: 'staged',
          'merge-platforms': 'linux/amd64, linux/arm64',
          'staging-image': `${sp.host}/ci/app`,
          targets: `${pa.host}/prod/app\n${pb.host}/prod/app`,
          tags: 'v1.0.0'
        },
        env
      )
    const manifestPuts = (p: Proxy): string[] =>
      p.log.map(e => line(e, {})).filter(l => /^PUT \S+ manifests\//.test(l))
    for (const p of proxies) p.reset()
    const first = await merge('merge-1')
    expect(first.failed).toBeUndefined()
    // the index the merge must write: both children as staged, byte for byte, platform from their configs
    const mediaType = String(JSON.parse(staged.amd64.bytes.toString()).mediaType)
    expect(mediaType).toBe('application/vnd.docker.distribution.manifest.v2+json')
    const child = (c: { bytes: Buffer; digest: string }, architecture: string) => ({
      mediaType,
      digest: c.digest,
      size: c.bytes.length,
      platform: { architecture, os: 'linux' }
    })
    const want = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.docker.distribution.manifest.list.v2+json',
        manifests: [child(staged.amd64, 'amd64'), child(staged.arm64, 'arm64')]
      })
    )
    const digest = sha256(want)
    expect(first.outputs.digest).toBe(digest)
    expect(first.outputs['staging-ref']).toBe(`${sp.host}/ci/app@${digest}`)
    const tag = `sha-${SHA.slice(0, 12)}`
    expect(first.log).toContain(
      `merge: wrote ${sp.host}/ci/app:${tag} = ${digest} (linux/amd64, linux/arm64)`
    )
    expect(manifestPuts(sp)).toEqual([`PUT ci/app manifests/${tag} 201`])
    for (const p of [pa, pb])
      expect(manifestPuts(p).sort()).toEqual(
        [
          `PUT prod/app manifests/${staged.amd64.digest.slice(0, 19)} 201`,
          `PUT prod/app manifests/${staged.arm64.digest.slice(0, 19)} 201`,
          `PUT prod/app manifests/${digest.slice(0, 19)} 201`,
          'PUT prod/app manifests/v1.0.0 201'
        ].sort()
      )
    // staging and both targets hold the index and both children, byte for byte
    expect((await rawManifest(staging.url, 'ci/app', tag))!.bytes.equals(want)).toBe(true)
    for (const r of [prodA, prodB]) {
      const index = await rawManifest(r.url, 'prod/app', 'v1.0.0')
      expect(index!.digest).toBe(digest)
      expect(index!.bytes.equals(want)).toBe(true)
      for (const c of [staged.amd64, staged.arm64])
        expect((await rawManifest(r.url, 'prod/app', c.digest))!.bytes.equals(c.bytes)).toBe(true)
    }

    // a re-run of the merge job: the same digest, no manifest written anywhere, no tag moved
    for (const p of proxies) p.reset()
    const again = await merge('merge-2')
    expect(again.failed).toBeUndefined()
    expect(again.outputs.digest).toBe(digest)
    expect(again.log).toContain(`merge: ${sp.host}/ci/app:${tag} already serves ${digest}: nothing written`)
    expect([sp, pa, pb].flatMap(manifestPuts)).toEqual([])

    // the amd64 child, pulled by the index tag from a target with /usr/bin/docker, and its file read
    const ref = `${prodA.host}/prod/app:v1.0.0`
    await docker('pull', ref)
    expect((await docker('image', 'inspect', '--format', '{{.Os}}/{{.Architecture}}', ref)).trim()).toBe(
      'linux/amd64'
    )
    const id = (await docker('create', ref, '/which.txt')).trim()
    const out = join(work, 'pulled')
    await mkdir(out)
    try {
      await docker('cp', `${id}:/which.txt`, join(out, 'which.txt'))
    } finally {
      await docker('rm', id)
    }
    expect(await readFile(join(out, 'which.txt'), 'utf8')).toBe(`built for linux/amd64 at ${SHA}\n`)
  })
})
