/**
 * The merge through its two interfaces (issue 21): `promote-image merge --to STAGING-REF SOURCE...`
 * (spawned from source: exact stdout, stderr and exit status) and the action's `merge` /
 * `merge-platforms` inputs, against a real registry behind a recording proxy. The index's digest is
 * the hash of the bytes the test writes by hand; every refusal is a table row with its exact
 * message and 0 manifest PUTs (usage errors: 0 requests at all).
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { generateKeyPairSync } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { main } from '../../src/cli.js'
import { runCliFromSource, type CliRun } from '../helpers/cli-source.js'
import { runAction } from '../helpers/action.js'
import { startRegistry, type TestRegistry } from '../helpers/registry.js'
import { startProxy, type Proxy } from '../helpers/proxy.js'
import {
  OCI_INDEX,
  pushImage,
  pushManifest,
  randomBlob,
  rawManifest,
  sha256,
  type SeededImage
} from '../helpers/images.js'
import { line } from '../copy/tally.js'
import { cosignSign } from '../helpers/cosign.js'
import { escapeText } from '../../src/report/markdown.js'

const SHA = '89abcdef0123456789abcdef0123456789abcdef'
const AMD64 = { os: 'linux', architecture: 'amd64' }
const ARM64 = { os: 'linux', architecture: 'arm64' }
const USAGE = '(promote-image --help shows the usage)\n'

/** The entry the merge writes for an image: digest, size, the platform of its config. */
const entry = (img: SeededImage, p: { os: string; architecture: string }) => ({
  mediaType: img.mediaType,
  digest: img.digest,
  size: img.bytes.length,
  platform: { architecture: p.architecture, os: p.os }
})

describe('promote-image merge and the action merge inputs', () => {
  let reg: TestRegistry
  let proxy: Proxy
  let target: Proxy
  let work: string
  let amd64: SeededImage
  let arm64: SeededImage
  let other: SeededImage
  let want: Buffer
  const saved = { ...process.env }

  beforeAll(async () => {
    reg = await startRegistry()
    ;[proxy, target] = await Promise.all([startProxy(reg.url), startProxy(reg.url)])
    work = await mkdtemp(join(tmpdir(), 'pi-merge-cli-'))
    amd64 = await pushImage(reg.url, 'ci/app', [randomBlob(3000)], { tag: 'amd64', platform: AMD64 })
    arm64 = await pushImage(reg.url, 'ci/app', [randomBlob(3000)], { tag: 'arm64', platform: ARM64 })
    // a second amd64 image: two children of one platform
    other = await pushImage(reg.url, 'ci/app', [randomBlob(3000)], { tag: 'amd64-again', platform: AMD64 })
    want = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_INDEX,
        manifests: [entry(amd64, AMD64), entry(arm64, ARM64)]
      })
    )
  })
  afterAll(async () => {
    process.env = saved
    await Promise.all([proxy?.stop(), target?.stop()])
    await reg?.stop()
    await rm(work, { recursive: true, force: true })
  })

  /**
   * `promote-image merge ARGS` in this process (src/cli.ts main: its exit status, what it wrote to
   * stdout and stderr), with only `env`'s GITHUB_SHA and an empty docker config; the first test
   * spawns the real process instead.
   */
  const cli = async (args: string[], env: Record<string, string> = {}): Promise<CliRun> => {
    const before = { ...process.env }
    delete process.env.GITHUB_SHA
    delete process.env.GITHUB_ACTIONS
    delete process.env.REGISTRY_AUTH_FILE
    Object.assign(process.env, { DOCKER_CONFIG: work }, env)
    let stdout = ''
    let stderr = ''
    const out = jest.spyOn(process.stdout, 'write').mockImplementation(c => ((stdout += String(c)), true))
    const err = jest.spyOn(process.stderr, 'write').mockImplementation(c => ((stderr += String(c)), true))
    try {
      const status = await main(['merge', ...args])
      return { status, stdout, stderr }
    } finally {
      out.mockRestore()
      err.mockRestore()
      process.env = before
    }
  }
  const manifestPuts = (p: Proxy): string[] =>
    p.log.map(e => line(e, {})).filter(l => /^PUT \S+ manifests\//.test(l))

  describe('CLI', () => {
    it('prints the index digest; the index holds both children; a re-run prints it again with 0 writes', async () => {
      const digest = sha256(want)
      proxy.reset()
      // the real process: its exit status and streams
      const first = await runCliFromSource([
        'merge',
        '--to',
        `${proxy.host}/ci/app:v1`,
        `${proxy.host}/ci/app:arm64`,
        `${proxy.host}/ci/app:amd64`
      ])
      expect(first).toEqual({
        status: 0,
        stdout: `${digest}\n`,
        stderr:
          `merge: ${amd64.digest} linux/amd64 from ${proxy.host}/ci/app:amd64\n` +
          `merge: ${arm64.digest} linux/arm64 from ${proxy.host}/ci/app:arm64\n` +
          `merge: wrote ${proxy.host}/ci/app:v1 = ${digest} (linux/amd64, linux/arm64)\n`
      })
      expect(manifestPuts(proxy)).toEqual(['PUT ci/app manifests/v1 201'])
      expect((await rawManifest(reg.url, 'ci/app', 'v1'))!.bytes.equals(want)).toBe(true)

      proxy.reset()
      // the same children by digest, in the other order: the same index, nothing written
      const again = await cli(['--to', `${proxy.host}/ci/app:v1`, arm64.digest, amd64.digest, '--json'])
      expect(again.status).toBe(0)
      expect(JSON.parse(again.stdout)).toEqual({
        reference: `${proxy.host}/ci/app:v1`,
        digest,
        mediaType: OCI_INDEX,
        platforms: ['linux/amd64', 'linux/arm64'],
        written: false,
        manifestsPushed: 0,
        copiedIn: []
      })
      expect(manifestPuts(proxy)).toEqual([])
    })

    it('a tag that named another manifest is said to move, with the digest it named (newuser4 #19)', async () => {
      const both = sha256(want)
      const armOnly = sha256(
        Buffer.from(
          JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [entry(arm64, ARM64)] })
        )
      )
      const to = `${proxy.host}/ci/app:moving`
      expect(
        (await cli(['--to', to, `${proxy.host}/ci/app:amd64`, `${proxy.host}/ci/app:arm64`])).status
      ).toBe(0)
      proxy.reset()
      // before: 'merge: wrote … = …' alone, the tag's earlier digest nowhere
      expect(await cli(['--to', to, `${proxy.host}/ci/app:arm64`])).toEqual({
        status: 0,
        stdout: `${armOnly}\n`,
        stderr:
          `merge: ${arm64.digest} linux/arm64 from ${proxy.host}/ci/app:arm64\n` +
          `merge: wrote ${to} = ${armOnly} (linux/arm64); it named ${both} before\n`
      })
      expect(manifestPuts(proxy)).toEqual(['PUT ci/app manifests/moving 201'])
    })

    it('--dry-run prints the index it would write and writes nothing; staged and a --to without a tag use $GITHUB_SHA', async () => {
      proxy.reset()
      const dry = await cli([
        '--dry-run',
        '--to',
        `${proxy.host}/ci/app:dry`,
        `${proxy.host}/ci/app:amd64`,
        `${proxy.host}/ci/app:arm64`
      ])
      expect(dry.status).toBe(0)
      expect(JSON.parse(dry.stdout)).toEqual({
        reference: `${proxy.host}/ci/app:dry`,
        digest: sha256(want),
        mediaType: OCI_INDEX,
        platforms: ['linux/amd64', 'linux/arm64'],
        index: JSON.parse(want.toString())
      })
      expect(manifestPuts(proxy)).toEqual([])
      expect(await rawManifest(reg.url, 'ci/app', 'dry')).toBeUndefined()

      // the platform images the action stages for a commit, found by their tags
      const tagOf = (p: string) => `sha-${SHA.slice(0, 12)}-0badcafe-linux-${p}`
      await pushImage(reg.url, 'ci/staged', [amd64.blobs[1]!], { tag: tagOf('amd64'), platform: AMD64 })
      await pushImage(reg.url, 'ci/staged', [arm64.blobs[1]!], { tag: tagOf('arm64'), platform: ARM64 })
      proxy.reset()
      const staged = await cli(
        ['--to', `${proxy.host}/ci/staged`, 'staged', '--require-platform', 'linux/arm64'],
        {
          GITHUB_SHA: SHA
        }
      )
      expect(staged.status).toBe(0)
      const index = await rawManifest(reg.url, 'ci/staged', `sha-${SHA.slice(0, 12)}`)
      expect(staged.stdout).toBe(`${index!.digest}\n`)
      expect(
        JSON.parse(index!.bytes.toString()).manifests.map((m: { platform: unknown }) => m.platform)
      ).toEqual([
        { architecture: 'amd64', os: 'linux' },
        { architecture: 'arm64', os: 'linux' }
      ])
      expect(manifestPuts(proxy)).toEqual([`PUT ci/staged manifests/sha-${SHA.slice(0, 12)} 201`])
    })

    it.each<[string, () => string[], Record<string, string>, () => string]>([
      ['no --to', () => ['x.io/a:1'], {}, () => 'merge needs --to STAGING-REF (where the index is written)'],
      [
        'no SOURCE',
        () => ['--to', `${proxy.host}/ci/app:v1`],
        {},
        () => 'merge needs at least one SOURCE (a reference, a digest at --to, or staged)'
      ],
      [
        '--to with a digest',
        () => ['--to', `${proxy.host}/ci/app@${amd64.digest}`, 'staged'],
        {},
        () =>
          `--to ${proxy.host}/ci/app@${amd64.digest}: give a tag (or none), not a digest: the index's digest is what the merge makes`
      ],
      [
        'a SOURCE that is no digest',
        () => ['--to', `${proxy.host}/ci/app:v1`, 'sha256:abc'],
        {},
        () => 'SOURCE 1 "sha256:abc": not a digest (sha256: and 64 lower-case hex characters)'
      ],
      [
        'a SOURCE that is no reference',
        () => ['--to', `${proxy.host}/ci/app:v1`, 'staged', `${proxy.host}/Ci/App:1`],
        {},
        () =>
          `SOURCE 2: invalid reference "${proxy.host}/Ci/App:1": repository "Ci/App": repository names must be lowercase; use "${proxy.host}/ci/app:1"`
      ],
      [
        'a --require-platform that is no platform',
        () => ['--to', `${proxy.host}/ci/app:v1`, '--require-platform', 'linux', 'staged'],
        {},
        () => '--require-platform "linux": not OS/ARCH[/VARIANT] (e.g. linux/amd64, linux/arm64/v8)'
      ],
      [
        'a platform required twice',
        () => [
          '--to',
          `${proxy.host}/ci/app:v1`,
          '--require-platform',
          'linux/arm64,linux/arm64/v8',
          'staged'
        ],
        {},
        () => '--require-platform lists linux/arm64/v8 twice'
      ],
      [
        '--to without a tag and no commit',
        () => ['--to', `${proxy.host}/ci/app`, amd64.digest],
        {},
        () =>
          `--to ${proxy.host}/ci/app: give the tag the merged index is written under (no commit is known to name it)`
      ],
      [
        'staged and no commit',
        () => ['--to', `${proxy.host}/ci/app:v1`, 'staged'],
        {},
        () =>
          "SOURCE staged means the platform images of commit $GITHUB_SHA, which is not set (merge reads no git checkout): set it (GITHUB_SHA=$(git rev-parse HEAD) for the checkout's commit), or name the sources"
      ],
      [
        // newuser6 #17, before: the --to message alone; its advice followed met the staged one
        '--to without a tag, staged, and no commit: both in one message',
        () => ['--to', `${proxy.host}/ci/staged`, 'staged'],
        {},
        () =>
          `--to ${proxy.host}/ci/staged (no tag) and SOURCE staged both need the commit $GITHUB_SHA, which is not set (merge reads no git checkout): set it (GITHUB_SHA=$(git rev-parse HEAD) for the checkout's commit), or give --to a tag and name the sources`
      ],
      [
        'a flag of another command',
        () => ['--to', `${proxy.host}/ci/app:v1`, '--tags', 'v1', 'staged'],
        {},
        () => '--tags is not an option of merge'
      ]
    ])('usage error: %s (exit 2, nothing sent)', async (_name, args, env, message) => {
      proxy.reset()
      expect(await cli(args(), env)).toEqual({
        status: 2,
        stdout: '',
        stderr: `promote-image: ${message()}\n${USAGE}`
      })

      expect(proxy.log).toEqual([])
    })

    it('--to without a tag and staged, no commit: each way out the message gives works (newuser6 #17)', async () => {
      // set it: the staged images of the commit (pushed by the --dry-run test above), under sha-COMMIT12
      const set = await cli(['--dry-run', '--to', `${proxy.host}/ci/staged`, 'staged'], { GITHUB_SHA: SHA })
      expect([set.status, set.stderr, JSON.parse(set.stdout).reference]).toEqual([
        0,
        expect.stringContaining('merge: '),
        `${proxy.host}/ci/staged:sha-${SHA.slice(0, 12)}`
      ])
      // or give --to a tag and name the sources
      const named = await cli([
        '--dry-run',
        '--to',
        `${proxy.host}/ci/staged:m3`,
        `${proxy.host}/ci/app:amd64`,
        `${proxy.host}/ci/app:arm64`
      ])
      expect([named.status, JSON.parse(named.stdout).digest]).toEqual([0, sha256(want)])
    })

    it.each<[string, () => string[], Record<string, string>, () => string]>([
      [
        'two children of one platform',
        () => [`${proxy.host}/ci/app:amd64`, `${proxy.host}/ci/app:amd64-again`],
        {},
        () => {
          const two = [
            [amd64.digest, `${proxy.host}/ci/app:amd64`],
            [other.digest, `${proxy.host}/ci/app:amd64-again`]
          ].sort((a, b) => (a[0]! < b[0]! ? -1 : 1))
          return `merge refused: ${two[0]![1]} and ${two[1]![1]} are both linux/amd64 (${two[0]![0]}, ${two[1]![0]}): one image per platform`
        }
      ],
      [
        'a required platform missing',
        () => ['--require-platform', 'linux/s390x', amd64.digest, arm64.digest],
        {},
        () =>
          'merge refused: --require-platform linux/s390x: no source is that platform (they are linux/amd64, linux/arm64)'
      ],
      [
        'children not found',
        () => [`${proxy.host}/ci/app:nope`, `${proxy.host}/ci/gone@${amd64.digest}`, arm64.digest],
        {},
        () =>
          `merge refused:\n  ${proxy.host}/ci/app:nope: not found\n  ${proxy.host}/ci/gone@${amd64.digest}: not found`
      ],
      [
        'staged with no image of the commit',
        () => ['staged'],
        { GITHUB_SHA: 'fedcba9876543210fedcba9876543210fedcba98' },
        () =>
          `SOURCE staged: ${proxy.host}/ci/app lists no platform image of commit fedcba987654 (tags sha-fedcba987654-…-OS-ARCH)`
      ]
    ])('refused: %s (exit 1, 0 writes)', async (_name, sources, env, message) => {
      proxy.reset()
      expect(await cli(['--to', `${proxy.host}/ci/app:refused`, ...sources()], env)).toEqual({
        status: 1,
        stdout: '',
        stderr: `promote-image: ${message()}\n`
      })
      expect(manifestPuts(proxy)).toEqual([])
      expect(proxy.log.filter(e => e.method !== 'GET' && e.method !== 'HEAD')).toEqual([])
      expect(await rawManifest(reg.url, 'ci/app', 'refused')).toBeUndefined()
    })
  })

  describe('action', () => {
    const act = (name: string, inputs: Record<string, string>) =>
      runAction(work, name, inputs, {
        GITHUB_SHA: SHA,
        GITHUB_RUN_ID: undefined,
        GITHUB_EVENT_PATH: undefined
      })

    it('merges, promotes the index to the target and sets its digest as the output', async () => {
      proxy.reset()
      target.reset()
      const run = await act('merge-ok', {
        merge: `${proxy.host}/ci/app:amd64\n${proxy.host}/ci/app:arm64`,
        'merge-platforms': 'linux/amd64',
        'staging-image': `${proxy.host}/ci/app:action`,
        targets: `${target.host}/prod/app`,
        tags: 'v2'
      })
      expect(run.failed).toBeUndefined()
      expect(run.outputs.digest).toBe(sha256(want))
      expect(run.outputs['staging-ref']).toBe(`${proxy.host}/ci/app@${sha256(want)}`)
      expect(manifestPuts(proxy)).toEqual(['PUT ci/app manifests/action 201'])
      // the summary says what happened: merged (how many images, into which index, written at
      // staging by this run), then promoted; the count is the Platforms line's, the index the Digest's
      expect(run.summary.split('\n').slice(0, 9)).toEqual([
        '## ✅ app v2 merged and promoted to 1 registry',
        '',
        `**Merged**: 2 platform images into index <code>${sha256(want).slice(0, 19)}</code>, written at <code>${proxy.host}/ci/app:action</code>.`,
        '',
        `**Digest**: <code>${sha256(want)}</code>, OCI image index`,
        '',
        `**From**: <code>${proxy.host}/ci/app:action</code>`,
        '',
        '**Commit**: <code>89abcdef0123456789abcdef0123456789abcdef</code>'
      ])
      expect(run.summary).toContain('**Platforms**: <code>linux/amd64</code>, <code>linux/arm64</code>\n')
      expect(run.summary).toContain(
        `| <code>${target.host}/prod/app</code> | ✅ verified | <code>v2</code> created |`
      )
      // the children by digest into prod/app, then the index under its tag (one target: its PUT by
      // digest and by its first tag are one PUT, copy/plan.ts rootByTag)
      expect(manifestPuts(target).sort()).toEqual(
        [
          `PUT prod/app manifests/${amd64.digest.slice(0, 19)} 201`,
          `PUT prod/app manifests/${arm64.digest.slice(0, 19)} 201`,
          'PUT prod/app manifests/v2 201'
        ].sort()
      )
      expect((await rawManifest(reg.url, 'prod/app', 'v2'))!.bytes.equals(want)).toBe(true)
    })

    it('verify-key: the merged index passes when each child is signed (nobody can have signed the new index); one child unsigned: refused, 0 writes at the target', async () => {
      const signer = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      const pub = join(work, 'cosign.pub')
      await writeFile(pub, signer.publicKey.export({ type: 'spki', format: 'pem' }))
      const a = await pushImage(reg.url, 'ci/signed', [randomBlob(1000)], { tag: 'amd64', platform: AMD64 })
      const b = await pushImage(reg.url, 'ci/signed', [randomBlob(1000)], { tag: 'arm64', platform: ARM64 })
      const c = await pushImage(reg.url, 'ci/signed', [randomBlob(1000)], {
        tag: 'arm64-unsigned',
        platform: ARM64
      })
      for (const img of [a, b])
        await cosignSign(reg.url, 'ci/signed', img.digest, signer.privateKey, `${reg.host}/ci/signed`)
      const index = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: OCI_INDEX,
          manifests: [entry(a, AMD64), entry(b, ARM64)]
        })
      )
      target.reset()
      const signed = await act('merge-signed', {
        merge: `${proxy.host}/ci/signed:amd64\n${proxy.host}/ci/signed:arm64`,
        'staging-image': `${proxy.host}/ci/signed:merged`,
        targets: `${target.host}/prod/signed`,
        tags: 'v1',
        'verify-key': pub
      })
      expect(signed.failed).toBeUndefined()
      expect(signed.outputs.digest).toBe(sha256(index))
      const gate = JSON.parse(signed.outputs.plan!).gate
      expect(gate.passed).toBe(true)
      expect(gate.checks.find((k: { check: string }) => k.check === 'signature')).toMatchObject({
        digest: sha256(index),
        passed: true
      })
      expect((await rawManifest(reg.url, 'prod/signed', 'v1'))!.bytes.equals(index)).toBe(true)

      target.reset()
      const refused = await act('merge-half-signed', {
        merge: `${proxy.host}/ci/signed:amd64\n${proxy.host}/ci/signed:arm64-unsigned`,
        'staging-image': `${proxy.host}/ci/signed:half`,
        targets: `${target.host}/prod/half`,
        tags: 'v1',
        'verify-key': pub
      })
      expect(refused.failed).toBe(1)
      expect(refused.log).toContain('::error::')
      expect(JSON.parse(refused.outputs.plan!).gate.passed).toBe(false)
      expect(target.log.filter(e => e.method !== 'GET' && e.method !== 'HEAD')).toEqual([])
      expect(await rawManifest(reg.url, 'prod/half', 'v1')).toBeUndefined()
      expect(c.digest).not.toBe(b.digest)
    })

    it('a source index hiding a second linux/amd64 image as an attestation manifest of its image: the merge refuses it, one image per platform, 0 writes (review finding 1, sec1)', async () => {
      // runtimes pick by platform, not by annotation: a pull on amd64 may get the hidden entry. Before:
      // the merge carried it into its index as that image's attestation (copy/platforms.ts isAttestation:
      // annotation OR unknown/unknown), past 'one image per platform', and, without verify-key,
      // promoted it (with verify-key the gate refused it: 3f5c381)
      const a = await pushImage(reg.url, 'ci/hidden', [randomBlob(1000)], { platform: AMD64 })
      await pushImage(reg.url, 'ci/hidden', [randomBlob(1000)], { tag: 'arm64', platform: ARM64 })
      const evil = await pushImage(reg.url, 'ci/hidden', [randomBlob(1000)], { platform: AMD64 })
      const hidden = {
        ...entry(evil, AMD64),
        annotations: {
          'vnd.docker.reference.digest': a.digest,
          'vnd.docker.reference.type': 'attestation-manifest'
        }
      }
      const source = { schemaVersion: 2, mediaType: OCI_INDEX, manifests: [hidden, entry(a, AMD64)] }
      await pushManifest(reg.url, 'ci/hidden', 'amd64', Buffer.from(JSON.stringify(source)), OCI_INDEX)
      proxy.reset()
      target.reset()
      const run = await act('merge-hidden', {
        merge: `${proxy.host}/ci/hidden:amd64\n${proxy.host}/ci/hidden:arm64`,
        'staging-image': `${proxy.host}/ci/hidden:merged`,
        targets: `${target.host}/prod/hidden`,
        tags: 'v1'
      })
      expect(run.failed).toBe(1)
      const from = `${proxy.host}/ci/hidden:amd64`
      const [d1, d2] = [a.digest, evil.digest].sort()
      expect(run.log.split('\n').filter(l => l.startsWith('::error::'))).toEqual([
        `::error::merge refused: ${from} and ${from} are both linux/amd64 (${d1}, ${d2}): one image per platform`
      ])
      const writes = (log: Array<{ method: string }>) =>
        log.filter(e => e.method !== 'GET' && e.method !== 'HEAD')
      expect([writes(proxy.log), writes(target.log)]).toEqual([[], []])
      expect(await rawManifest(reg.url, 'ci/hidden', 'merged')).toBeUndefined()
      expect(await rawManifest(reg.url, 'prod/hidden', 'v1')).toBeUndefined()
    })

    it('dry run: the index digest as the output, nothing written; once the index is at staging, its promotion planned', async () => {
      const inputs = {
        merge: `${proxy.host}/ci/app:arm64\n${proxy.host}/ci/app:amd64`,
        'staging-image': `${proxy.host}/ci/app:dry-action`,
        targets: `${target.host}/prod/dry`,
        'dry-run': 'true'
      }
      proxy.reset()
      target.reset()
      const dry = await act('merge-dry', inputs)
      expect(dry.failed).toBeUndefined()
      expect(dry.outputs.digest).toBe(sha256(want))
      expect(dry.outputs.plan).toBeUndefined()
      expect(dry.summary).toBe(
        [
          // titled as its promotion will be: the first target's name (newuser3 finding 13; was the staging name)
          `## 📋 dry would be merged`,
          '',
          `**Dry run**: nothing was written; the index of linux/amd64, linux/arm64 would be written at <code>${proxy.host}/ci/app:dry-action</code>; its promotion is planned once it is written.`,
          '',
          `**Digest**: <code>${sha256(want)}</code>`,
          ''
        ].join('\n')
      )
      expect(dry.log).toContain(
        `dry run: the index is not written, so its promotion cannot be planned yet; it would be ${sha256(want)}`
      )
      expect(manifestPuts(proxy)).toEqual([])
      expect(target.log).toEqual([])
      expect(await rawManifest(reg.url, 'ci/app', 'dry-action')).toBeUndefined()

      // the index written (as a merge run without dry-run would), the dry run plans its promotion
      await cli(['--to', `${proxy.host}/ci/app:dry-action`, amd64.digest, arm64.digest])
      proxy.reset()
      target.reset()
      const planned = await act('merge-dry-2', inputs)
      expect(planned.failed).toBeUndefined()
      expect(planned.outputs.digest).toBe(sha256(want))
      // the index was already at staging: the summary plans its promotion and says it was not written again
      expect(planned.summary.split('\n').slice(0, 5)).toEqual([
        '## 📋 dry would be promoted to 1 registry',
        '',
        '**Dry run**: nothing was written; this is what the promotion would do.',
        '',
        `**Merged**: 2 platform images into index <code>${sha256(want).slice(0, 19)}</code>, already at <code>${proxy.host}/ci/app:dry-action</code> (not written again).`
      ])
      // a dry run logs what it would merge, not that it merged
      expect(planned.log).toContain(
        `would merge linux/amd64, linux/arm64 into ${proxy.host}/ci/app:dry-action = ${sha256(want)} (${OCI_INDEX}; 0 manifest(s) written)\n`
      )
      expect(JSON.parse(planned.outputs.plan!)).toMatchObject({
        dryRun: true,
        source: { digest: sha256(want), mediaType: OCI_INDEX, platforms: ['linux/amd64', 'linux/arm64'] },
        targets: [{ target: `${target.host}/prod/dry` }]
      })
      expect(manifestPuts(proxy)).toEqual([])
      expect(manifestPuts(target)).toEqual([])
    })

    it.each<[string, () => Record<string, string>, () => string, 'none' | 'reads']>([
      [
        'merge-platforms without merge',
        () => ({ 'merge-platforms': 'linux/amd64', 'staging-image': `${proxy.host}/ci/app` }),
        () => 'input "merge-platforms": needs "merge"',
        'none'
      ],
      [
        'merge without staging-image',
        () => ({ merge: 'staged' }),
        () => 'input "staging-image": required with "merge": where the index is written',
        'none'
      ],
      [
        'merge with source',
        () => ({
          merge: 'staged',
          source: `${proxy.host}/ci/app:amd64`,
          'staging-image': `${proxy.host}/ci/app`
        }),
        () => `input "source": not with "merge" (the merge's index at "staging-image" is what is promoted)`,
        'none'
      ],
      [
        'merge with platforms',
        () => ({ merge: 'staged', platforms: 'linux/amd64', 'staging-image': `${proxy.host}/ci/app` }),
        () =>
          'input "platforms": not with "merge": the merge builds nothing (build each platform in a job of its own, then merge them)',
        'none'
      ],
      [
        'merge with a build input',
        () => ({ merge: 'staged', 'build-args': 'A=1', 'staging-image': `${proxy.host}/ci/app` }),
        () =>
          'input "build-args": not with "merge": the merge builds nothing (build each platform in a job of its own, then merge them)',
        'none'
      ],
      [
        'merge with rebuild',
        () => ({ merge: 'staged', rebuild: 'true', 'staging-image': `${proxy.host}/ci/app` }),
        () =>
          'input "rebuild": not with "merge": the merge builds nothing (build each platform in a job of its own, then merge them)',
        'none'
      ],
      [
        'a merge source that is no reference',
        () => ({ merge: 'Bad Ref', 'staging-image': `${proxy.host}/ci/app` }),
        () => 'merge "Bad Ref": invalid reference',
        'none'
      ],
      [
        'a required platform missing',
        () => ({
          merge: `${proxy.host}/ci/app:amd64`,
          'merge-platforms': 'linux/amd64,linux/arm64',
          'staging-image': `${proxy.host}/ci/app:refused`,
          targets: `${target.host}/prod/app`
        }),
        () => 'merge refused: merge-platforms linux/arm64: no source is that platform (they are linux/amd64)',
        'reads'
      ],
      [
        'two children of one platform',
        () => ({
          merge: `${proxy.host}/ci/app:amd64\n${proxy.host}/ci/app:amd64-again`,
          'staging-image': `${proxy.host}/ci/app:refused`,
          targets: `${target.host}/prod/app`
        }),
        () => {
          const two = [
            [amd64.digest, `${proxy.host}/ci/app:amd64`],
            [other.digest, `${proxy.host}/ci/app:amd64-again`]
          ].sort((a, b) => (a[0]! < b[0]! ? -1 : 1))
          return `merge refused: ${two[0]![1]} and ${two[1]![1]} are both linux/amd64 (${two[0]![0]}, ${two[1]![0]}): one image per platform`
        },
        'reads'
      ]
    ])('refuses %s: the step fails naming it, 0 manifest PUTs', async (_name, inputs, message, traffic) => {
      proxy.reset()
      target.reset()
      const run = await act(`refused-${_name.replace(/\W+/g, '-')}`, inputs())
      expect(run.failed).toBe(1)
      const errors = run.log.split('\n').filter(l => l.startsWith('::error::'))
      expect(errors).toHaveLength(1)
      expect(errors[0]!.startsWith(`::error::${message()}`)).toBe(true)
      if (traffic === 'none') expect(proxy.log).toEqual([])
      // a refused merge: the summary's headline says so (it said "Promotion failed"), then why, then
      // that nothing was written
      if (traffic === 'reads')
        expect(run.summary.split('\n').slice(0, 5)).toEqual([
          '## ❌ Merge refused',
          '',
          escapeText(message()),
          '',
          'Nothing was written at staging or at any target.'
        ])
      expect(manifestPuts(proxy)).toEqual([])
      expect(target.log).toEqual([])
      expect(await rawManifest(reg.url, 'ci/app', 'refused')).toBeUndefined()
    })
  })
})
