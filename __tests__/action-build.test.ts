/**
 * The action's build inputs through its entry point (INPUT_* and GITHUB_* as the runner sets them,
 * real registries, dockerd): a build secret reaches `RUN --mount=type=secret` and is nowhere in the
 * log (but the runner's `::add-mask::` line), the summary or the outputs; `cache: actions` keeps the
 * classic builder's layers across runs through @actions/cache (a local stand-in of the cache
 * service), so a second build after `docker builder prune` reuses them.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFile } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { runAction } from './helpers/action.js'
import { writeHtpasswd } from './helpers/htpasswd.js'
import { startRegistry, type TestRegistry } from './helpers/registry.js'
import { ensureDockerd, buildkitCli } from './helpers/dockerd.js'
import { busyboxContext, fileInImage } from './build/contexts.js'
import { startCacheService, useCacheService, type CacheService } from './cache/cache-service.js'

const run = promisify(execFile)

describe('action: build inputs end to end', () => {
  let regs: TestRegistry[]
  let work: string
  const saved = { ...process.env }

  beforeAll(async () => {
    await ensureDockerd()
    regs = await Promise.all([startRegistry(), startRegistry()])
    work = await mkdtemp(join(tmpdir(), 'pi-action-build-'))
  })
  afterAll(async () => {
    process.env = saved
    await Promise.all(regs.map(r => r.stop()))
    await rm(work, { recursive: true, force: true })
  })

  /** One run of the action with the classic BuildKit CLI. */
  const runBuild = (name: string, inputs: Record<string, string>) =>
    runAction(work, name, { 'docker-cli': buildkitCli(), ...inputs })

  it('a secret reaches RUN --mount=type=secret and appears nowhere but the add-mask line', async () => {
    const [staging, prod] = regs
    const secret = `s3cret-${randomBytes(12).toString('hex')}`
    // BuildKit's cache key of a RUN step does not cover its secrets: a unique first layer keeps an
    // earlier build's result (another secret's hash) from being reused
    const context = await busyboxContext(
      ['RUN --mount=type=secret,id=token sha256sum /run/secrets/token | cut -d" " -f1 > /token.sha256'],
      { 'unique.txt': randomBytes(8).toString('hex') },
      ['COPY unique.txt /unique.txt']
    )
    const ref = `${staging.host}/ci/secret:run-1`
    const r = await runBuild('secret', {
      context,
      'staging-image': ref,
      secrets: `token=${secret}`,
      targets: `${prod.host}/prod/secret`,
      tags: 'v1'
    })
    expect(r.failed).toBeUndefined()
    expect(r.outputs.digest).toMatch(/^sha256:[0-9a-f]{64}$/)
    const cli = buildkitCli()
    expect((await fileInImage(cli, ref, '/token.sha256')).trim()).toBe(
      createHash('sha256').update(secret).digest('hex')
    )
    const logLines = r.log.split('\n')
    expect(logLines.filter(l => l.includes(secret))).toEqual([`::add-mask::${secret}`])
    expect(r.summary).not.toContain(secret)
    expect(r.summary).not.toBe('')
    expect(r.outputText).not.toContain(secret)
    const history = (await run(cli, ['history', '--no-trunc', ref])).stdout
    expect(history).not.toContain(secret)
    await run(cli, ['image', 'rm', ref])
    await rm(context, { recursive: true, force: true })
  })

  it('a secret-envs variable is masked, whole and line by line, before the build prints it (newuser finding 27)', async () => {
    const [staging] = regs
    const hex = randomBytes(8).toString('hex')
    const lines = [`env-first-${hex}`, `env-second-${hex}`]
    // a variable the runner does not mask (a step's output, a computed env), printed by the build
    const context = await busyboxContext(
      ['RUN --mount=type=secret,id=envtok cat /run/secrets/envtok'],
      { 'unique.txt': hex },
      ['COPY unique.txt /unique.txt']
    )
    const r = await runAction(
      work,
      'secret-envs',
      {
        'docker-cli': buildkitCli(),
        context,
        'staging-image': `${staging.host}/ci/secret-envs:run-1`,
        'secret-envs': 'envtok=PI_TEST_ENV_SECRET'
      },
      { PI_TEST_ENV_SECRET: lines.join('\n') }
    )
    delete process.env.PI_TEST_ENV_SECRET
    expect(r.failed).toBeUndefined()
    const log = r.log.split('\n')
    expect(log.filter(l => l.startsWith('::add-mask::') && l.includes(hex))).toEqual([
      `::add-mask::${lines.join('%0A')}`,
      `::add-mask::${lines[0]}`,
      `::add-mask::${lines[1]}`
    ])
    for (const line of lines) {
      const printed = log.findIndex(l => l.includes(line) && !l.startsWith('::add-mask::'))
      // the build printed it (so the runner's mask is what keeps it out of the log), after the mask
      expect(printed).toBeGreaterThan(log.indexOf(`::add-mask::${line}`))
      expect(log.indexOf(`::add-mask::${line}`)).toBeGreaterThanOrEqual(0)
    }
    await rm(context, { recursive: true, force: true })
  })

  // newuser6 #7, before: nothing said; the build failed at its RUN step (or passed from a cached layer)
  it('a secret-envs variable that is not set is named before the build; given, the build reads it', async () => {
    const [staging] = regs
    const hex = randomBytes(8).toString('hex')
    const context = await busyboxContext(
      ['RUN --mount=type=secret,id=tok sha256sum /run/secrets/tok | cut -d" " -f1 > /tok.sha256'],
      { 'unique.txt': hex },
      ['COPY unique.txt /unique.txt']
    )
    const ref = `${staging.host}/ci/secret-unset:run-1`
    const inputs = {
      'docker-cli': buildkitCli(),
      context,
      'staging-image': ref,
      'secret-envs': 'tok=PI_TEST_UNSET'
    }
    const unset = await runAction(work, 'secret-unset', inputs, { PI_TEST_UNSET: undefined })
    expect(unset.failed).toBe(1)
    const log = unset.log.split('\n')
    expect(log.filter(l => l.startsWith('::error::'))).toEqual([
      '::error::input "secret-envs": tok=PI_TEST_UNSET: the environment variable PI_TEST_UNSET is not set, so the build would get secret tok empty; give it to this step (env: PI_TEST_UNSET: ${{ secrets.NAME }})'
    ])
    // before the build: no docker command ran, nothing was pushed
    expect(log.filter(l => l.startsWith('[command]') || l.startsWith('::group::'))).toEqual([])
    const head = await fetch(`${staging.url}/v2/ci/secret-unset/manifests/run-1`, { method: 'HEAD' })
    expect(head.status).toBe(404)
    // the advice followed: the variable given to the step
    const value = `v-${hex}`
    const given = await runAction(work, 'secret-given', inputs, { PI_TEST_UNSET: value })
    delete process.env.PI_TEST_UNSET
    expect(given.failed).toBeUndefined()
    expect((await fileInImage(buildkitCli(), ref, '/tok.sha256')).trim()).toBe(
      createHash('sha256').update(value).digest('hex')
    )
    await run(buildkitCli(), ['image', 'rm', ref])
    await rm(context, { recursive: true, force: true })
  })

  // newuser6 #9, before: '::warning::no targets: the image is built and staged only', an annotation
  // on every run of docs/matrix-builds.md's per-platform job
  it('a staging-only build (no targets, the per-platform job) says so in an info line, no warning', async () => {
    const [staging] = regs
    const context = await busyboxContext([], { 'unique.txt': randomBytes(8).toString('hex') }, [
      'COPY unique.txt /unique.txt'
    ])
    const r = await runBuild('staging-only', { context, 'staging-image': `${staging.host}/ci/mx:amd64` })
    expect(r.failed).toBeUndefined()
    const log = r.log.split('\n')
    expect(log.filter(l => l.startsWith('::warning::') || l.startsWith('::notice::'))).toEqual([])
    expect(log.filter(l => l.startsWith('no targets:'))).toEqual([
      'no targets: the image is built and staged only',
      `no targets: ${staging.host}/ci/mx@${r.outputs.digest} is at staging, nothing was promoted`
    ])
    await run(buildkitCli(), ['image', 'rm', `${staging.host}/ci/mx:amd64`])
    await rm(context, { recursive: true, force: true })
  })

  // newuser6 #25, before: 'would promote … (dry run: nothing written)' though the build was at staging
  it('a dry run with a build: the last line says the build was pushed to staging, the targets untouched', async () => {
    const [staging, target] = regs
    const context = await busyboxContext([], { 'unique.txt': randomBytes(8).toString('hex') }, [
      'COPY unique.txt /unique.txt'
    ])
    const r = await runBuild('dry-build', {
      context,
      'staging-image': `${staging.host}/ci/dry:rc1`,
      targets: `${target.host}/prod/dry`,
      tags: 'v1',
      'dry-run': 'true'
    })
    expect(r.failed).toBeUndefined()
    const staged = await fetch(`${staging.url}/v2/ci/dry/manifests/rc1`, {
      method: 'HEAD',
      headers: {
        accept:
          'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json'
      }
    })
    expect(staged.status).toBe(200)
    const digest = staged.headers.get('docker-content-digest')
    expect(r.log.trimEnd().split('\n').at(-1)).toBe(
      `would promote ${staging.host}/ci/dry@${digest} to 1 target (tags v1) (dry run: nothing written to the targets; the build pushed ${staging.host}/ci/dry:rc1 to the staging registry)`
    )
    expect((await fetch(`${target.url}/v2/prod/dry/tags/list`)).status).toBe(404)
    await run(buildkitCli(), ['image', 'rm', `${staging.host}/ci/dry:rc1`])
    await rm(context, { recursive: true, force: true })
  })

  // newuser6 #2, before: push: false was not an input; the step built, pushed to staging and promoted
  it('push: false builds only: nothing reaches any registry; imageid and metadata are set', async () => {
    const [staging, prod] = regs
    const context = await busyboxContext([], { 'unique.txt': randomBytes(8).toString('hex') }, [
      'COPY unique.txt /unique.txt'
    ])
    const ref = `${staging.host}/ci/pr:sha-1`
    const r = await runBuild('push-false', {
      context,
      'staging-image': ref,
      targets: `${prod.host}/pr/app`,
      tags: 'v9',
      push: 'false'
    })
    expect(r.failed).toBeUndefined()
    const cli = buildkitCli()
    const imageId = (await run(cli, ['image', 'inspect', '--format', '{{.Id}}', ref])).stdout.trim()
    expect(imageId).toMatch(/^sha256:[0-9a-f]{64}$/)
    // the outputs a build gives, as build-push-action sets them; none of a push or a promotion
    expect(r.outputs).toEqual({
      imageid: imageId,
      metadata: JSON.stringify({ 'containerimage.config.digest': imageId, 'image.name': ref })
    })
    const log = r.log.split('\n')
    expect(log.filter(l => l.startsWith('[command]') && / push /.test(l))).toEqual([])
    expect(log.filter(l => l.startsWith('::warning::') || l.startsWith('::error::'))).toEqual([])
    expect(log.filter(l => l.startsWith('push: false') || l.startsWith('built with'))).toEqual([
      'push: false: the image is built only; nothing is pushed to staging-image or promoted to the target',
      `built with classic (${cli}) as ${ref} (image ID ${imageId}); not pushed (push: false): nothing was written to any registry`
    ])
    // nothing at either registry
    for (const [reg, repo, tag] of [
      [staging, 'ci/pr', 'sha-1'],
      [prod, 'pr/app', 'v9']
    ] as const)
      expect((await fetch(`${reg.url}/v2/${repo}/manifests/${tag}`, { method: 'HEAD' })).status).toBe(404)
    expect(r.summary).toBe(
      [
        '## ✅ app v9 built, not pushed',
        '',
        `**push: false**: the image was built as <code>${ref}</code> and not pushed to the staging registry, nor promoted to the target; nothing was written to any registry.`,
        ''
      ].join('\n')
    )
    await run(cli, ['image', 'rm', ref])
    await rm(context, { recursive: true, force: true })
  })

  it('push: false says what it still wrote: the build cache a cache-to exports to a registry', async () => {
    const { builtOnlyWrites } = await import('../src/main.js')
    expect(builtOnlyWrites(['type=gha,mode=max'])).toBe('nothing was written to any registry')
    expect(builtOnlyWrites(['type=registry,ref=r.example/app:buildcache,mode=max'])).toBe(
      'nothing was pushed to staging-image or the targets; cache-to exported the build cache to r.example/app:buildcache'
    )
  })

  // newuser6 #8, before: docker's 'failed to create LLB definition: target stage nosuchstage could not
  // be found' under BuildKit's progress lines, as the error and the summary's headline
  it('a target that is no stage is named before the build, with the stages; one of them builds', async () => {
    const [staging] = regs
    const context = await mkdtemp(join(tmpdir(), 'pi-target-'))
    await writeFile(join(context, 'a.txt'), randomBytes(8).toString('hex'))
    await writeFile(join(context, 'b.txt'), 'b')
    await writeFile(
      join(context, 'Dockerfile'),
      'FROM scratch AS base\nCOPY a.txt /a.txt\nFROM base AS final\nCOPY b.txt /b.txt\n'
    )
    const ref = `${staging.host}/ci/target:t1`
    const bad = await runBuild('target-bad', { context, 'staging-image': ref, target: 'nosuchstage' })
    expect(bad.failed).toBe(1)
    const log = bad.log.split('\n')
    expect(log.filter(l => l.startsWith('::error::'))).toEqual([
      `::error::input "target": the Dockerfile ${join(context, 'Dockerfile')} has no stage nosuchstage (its stages: base, final; give one of them, or leave "target" empty to build the last stage)`
    ])
    expect(log.filter(l => l.startsWith('[command]'))).toEqual([])
    // the advice followed: a stage it has; the image is that stage's (one layer, a.txt)
    const good = await runBuild('target-good', { context, 'staging-image': ref, target: 'base' })
    expect(good.failed).toBeUndefined()
    const manifest = (await (
      await fetch(`${staging.url}/v2/ci/target/manifests/t1`, {
        headers: {
          accept:
            'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json'
        }
      })
    ).json()) as { layers: unknown[] }
    expect(manifest.layers.length).toBe(1)
    await run(buildkitCli(), ['image', 'rm', ref])
    await rm(context, { recursive: true, force: true })
  })

  it('a secret-files file is masked, whole and line by line, before the build prints it', async () => {
    const [staging] = regs
    const hex = randomBytes(8).toString('hex')
    const lines = [`file-first-${hex}`, `file-second-${hex}`]
    // as `echo "$X" > file` writes it: the last line ends in a newline
    const file = join(work, `secret-${hex}.txt`)
    await writeFile(file, `${lines.join('\n')}\n`)
    const context = await busyboxContext(
      ['RUN --mount=type=secret,id=filetok cat /run/secrets/filetok'],
      { 'unique.txt': hex },
      ['COPY unique.txt /unique.txt']
    )
    const r = await runAction(work, 'secret-files', {
      'docker-cli': buildkitCli(),
      context,
      'staging-image': `${staging.host}/ci/secret-files:run-1`,
      'secret-files': `filetok=${file}`
    })
    expect(r.failed).toBeUndefined()
    const log = r.log.split('\n')
    expect(log.filter(l => l.startsWith('::add-mask::') && l.includes(hex))).toEqual([
      `::add-mask::${lines.join('%0A')}%0A`,
      `::add-mask::${lines[0]}`,
      `::add-mask::${lines[1]}`
    ])
    for (const line of lines) {
      const printed = log.findIndex(l => l.includes(line) && !l.startsWith('::add-mask::'))
      // the build printed it (so the runner's mask is what keeps it out of the log), after the mask
      expect(printed).toBeGreaterThan(log.indexOf(`::add-mask::${line}`))
      expect(log.indexOf(`::add-mask::${line}`)).toBeGreaterThanOrEqual(0)
    }
    await rm(context, { recursive: true, force: true })
  })

  it('a staging push refused for want of credentials names registry-auth and docker/login-action (newuser finding 15)', async () => {
    await mkdir(join(work, 'auth15'), { recursive: true })
    const auth = await startRegistry({
      htpasswdFile: await writeHtpasswd(join(work, 'auth15'), { alice: 'alice-pw-15' })
    })
    try {
      const dockerConfig = join(work, 'empty-docker-config')
      await mkdir(dockerConfig, { recursive: true })
      const context = await busyboxContext([], { 'unique.txt': randomBytes(8).toString('hex') }, [
        'COPY unique.txt /unique.txt'
      ])
      const saved = process.env.DOCKER_CONFIG
      const r = await runAction(
        work,
        'push-auth',
        {
          'docker-cli': buildkitCli(),
          context,
          'staging-image': `${auth.host}/ci/app-staging:t4`,
          'registry-auth': `- registry: ${auth.host}\n  username: alice\n  password: alice-pw-15`
        },
        { DOCKER_CONFIG: dockerConfig }
      ).finally(() => {
        // an unset variable stays unset: assigning undefined sets the string "undefined", and docker
        // then wrote its .buildNodeID into ./undefined for every later build of this file
        if (saved === undefined) delete process.env.DOCKER_CONFIG
        else process.env.DOCKER_CONFIG = saved
      })
      expect(r.failed).toBe(1)
      // said before the build: docker has no login for the registry registry-auth names
      const log = r.log.split('\n')
      const warning = `::warning::registry-auth has ${auth.host}, but docker has no login for it, and the build's push is done by the docker CLI with docker's own login: log in with docker/login-action (registry: ${auth.host}) before this step`
      expect(log.filter(l => l.startsWith('::warning::'))).toEqual([warning])
      expect(log.indexOf(warning)).toBeLessThan(log.findIndex(l => l.startsWith('::group::Build and push')))
      const error = r.log.split('\n').find(l => l.startsWith('::error::'))
      expect(error?.split('%0A')[0]).toBe(
        `::error::the staging registry ${auth.host} refused the build's push for want of credentials: registry-auth has ${auth.host}, but the build's push is done by the docker CLI with docker's own login, which registry-auth does not give it; log in with docker/login-action (registry: ${auth.host}) before this step`
      )
      expect(error).toContain(`push ${auth.host}/ci/app-staging:t4 exited 1`)
      expect(r.summary.split('\n')[0]).toBe('## ❌ Build failed')
      await rm(context, { recursive: true, force: true })
    } finally {
      await auth.stop()
    }
  })

  describe('cache: actions', () => {
    let service: CacheService
    let restoreEnv: () => void
    beforeAll(async () => {
      service = await startCacheService()
      await mkdir(join(work, 'runner-temp'))
      restoreEnv = useCacheService(service, join(work, 'runner-temp'))
    })
    afterAll(async () => {
      restoreEnv?.()
      await service?.stop()
    })

    it('the second build, after the image and the build cache are gone, reuses every layer', async () => {
      const [staging] = regs
      const unique = randomBytes(8).toString('hex')
      const context = await busyboxContext(
        ['RUN echo built > /stamp && date +%s%N >> /stamp'],
        { 'unique.txt': unique },
        ['COPY unique.txt /unique.txt']
      )
      const cli = buildkitCli()
      const stamps: string[] = []
      const logs: string[] = []
      for (const attempt of [1, 2]) {
        const ref = `${staging.host}/ci/cached:run-${attempt}`
        const r = await runBuild(`cache-${attempt}`, { context, 'staging-image': ref, cache: 'actions' })
        expect(r.failed).toBeUndefined()
        logs.push(r.log)
        stamps.push(await fileInImage(cli, ref, '/stamp'))
        await run(cli, ['image', 'rm', ref])
        await run(cli, ['builder', 'prune', '-af'])
      }
      expect(logs[0]).toMatch(/cache: no entry for promote-image-classic-/)
      expect(logs[1]).toMatch(/cache: restored promote-image-classic-/)
      // the RUN step's output came from the cache: the same timestamp, and BuildKit says CACHED
      expect(stamps[1]).toBe(stamps[0])
      expect(logs[1]).toMatch(/CACHED/)
      expect(service.requests.filter(x => x.startsWith('POST /_apis/artifactcache/caches'))).not.toEqual([])
      await rm(context, { recursive: true, force: true })
    })
  })
})
