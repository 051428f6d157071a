/**
 * The action's registry client is bound to the run's interruption: SIGINT / SIGTERM (a cancelled
 * job) while a request waits on a registry that accepted the connection and never answers end the
 * run at once, failed, with the signal's exit status (130 / 143), not after `request-timeout`.
 * The action runs as the runner runs it (src/index.ts in a child process, INPUT_* in its
 * environment); the hung registry is a plain `net` server on loopback (helpers/hung.ts); the
 * request timeout is 600 s, so only the signal can end the run within the test's timeout. The same
 * for a keyless record's Fulcio (the certificate is asked for before any write), and its bound.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { startRegistry, type TestRegistry } from './helpers/registry.js'
import { listTags, pushImage, randomBlob, rawManifest } from './helpers/images.js'
import { startProxy, type Proxy } from './helpers/proxy.js'
import { startSigstore, type MockSigstore } from './helpers/sigstore.js'
import { startHung } from './helpers/hung.js'
import { writeHtpasswd } from './helpers/htpasswd.js'
import { buildkitCli, ensureDockerd } from './helpers/dockerd.js'
import { busyboxContext } from './build/contexts.js'
import { randomBytes } from 'node:crypto'

const root = resolve(import.meta.dirname, '..')

interface Exit {
  code: number | null
  stdout: string
  stderr: string
}

/** The action's entry point with `inputs` (as INPUT_* variables) and `extraEnv`, in `dir`. */
function action(
  dir: string,
  name: string,
  inputs: Record<string, string>,
  extraEnv: Record<string, string> = {}
) {
  const output = join(dir, `${name}.out`)
  const summary = join(dir, `${name}.md`)
  writeFileSync(output, '')
  writeFileSync(summary, '')
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: dir,
    XDG_CACHE_HOME: dir,
    GITHUB_OUTPUT: output,
    GITHUB_STEP_SUMMARY: summary,
    ...extraEnv
  }
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(root, 'src/index.ts')], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  const waiting: Array<{ text: string; done: () => void }> = []
  const seen = (): void => {
    for (const w of waiting.splice(0))
      if ((stdout + stderr).includes(w.text)) w.done()
      else waiting.push(w)
  }
  child.stdout.on('data', (d: Buffer) => void ((stdout += d.toString()), seen()))
  child.stderr.on('data', (d: Buffer) => void ((stderr += d.toString()), seen()))
  const exited = new Promise<Exit>(done =>
    child.once('exit', code => setImmediate(() => done({ code, stdout, stderr })))
  )
  /** Resolves once the run's output (stdout or stderr) holds `text`. */
  const printed = (text: string) =>
    new Promise<void>(done => {
      waiting.push({ text, done })
      seen()
    })
  return { child, exited, printed }
}

describe('the action, a signal while a registry does not answer', () => {
  let src: TestRegistry
  const dir = mkdtempSync(join(tmpdir(), 'pi-action-hung-'))
  let srcHost: string

  beforeAll(async () => {
    src = await startRegistry()
    srcHost = src.url.replace(/^https?:\/\//, '')
    await pushImage(src.url, 'app', [randomBlob(1024)], { tag: 'v1' })
  }, 60_000)
  afterAll(async () => {
    await src?.stop()
    await rm(dir, { recursive: true, force: true })
  })

  it('source on a hung registry, SIGTERM: ends at once, failed, exit 143', async () => {
    const hung = await startHung()
    try {
      const run = action(dir, 'hung-source', {
        source: `${hung.host}/app:v1`,
        targets: `${srcHost}/prod/app`,
        'request-timeout': '600'
      })
      // no ping (6982ffe): the source's first request is its HEAD by tag
      expect(await hung.requested()).toBe('HEAD /v2/app/manifests/v1 HTTP/1.1')
      run.child.kill('SIGTERM')
      const r = await run.exited
      expect(r.code).toBe(143)
      expect(r.stdout.split('\n').filter(l => l.startsWith('::error'))).toEqual([
        '::error::interrupted by SIGTERM'
      ])
    } finally {
      await hung.stop()
    }
  }, 60_000)

  it('target on a hung registry, SIGINT: ends at once, interrupted before anything was written, exit 130', async () => {
    const hung = await startHung()
    try {
      const run = action(dir, 'hung-target', {
        source: `${srcHost}/app:v1`,
        targets: `${hung.host}/prod/app`,
        'request-timeout': '600'
      })
      // no ping: the target's first request is one of its manifest HEADs
      expect(await hung.requested()).toMatch(/^HEAD \/v2\/prod\/app\/manifests\/\S+ HTTP\/1\.1$/)
      run.child.kill('SIGINT')
      const r = await run.exited
      expect(r.code).toBe(130)
      expect(r.stdout.split('\n').filter(l => l.startsWith('::error'))).toEqual([
        '::error::interrupted by SIGINT before anything was written'
      ])
    } finally {
      await hung.stop()
    }
  }, 60_000)

  it('merge from a hung staging registry, SIGINT: ends at once, nothing written, exit 130', async () => {
    const hung = await startHung()
    try {
      const run = action(dir, 'hung-merge', {
        'staging-image': `${hung.host}/app:merged`,
        merge: `${hung.host}/app:amd64`,
        targets: `${srcHost}/prod/app`,
        'request-timeout': '600'
      })
      // no ping: its first request is one for a manifest
      expect(await hung.requested()).toMatch(/^(GET|HEAD) \/v2\/app\/manifests\/\S+ HTTP\/1\.1$/)
      run.child.kill('SIGINT')
      const r = await run.exited
      expect(r.code).toBe(130)
      expect(r.stdout.split('\n').filter(l => l.startsWith('::error'))).toEqual([
        '::error::interrupted by SIGINT before anything was written'
      ])
    } finally {
      await hung.stop()
    }
  }, 60_000)
})

describe('the action, a signal while a docker credential helper is asked (newuser4 #15)', () => {
  let src: TestRegistry
  let dst: TestRegistry
  const dir = mkdtempSync(join(tmpdir(), 'pi-action-helper-int-'))
  const pidFile = join(dir, 'helper.pid')

  beforeAll(async () => {
    mkdirSync(join(dir, 'bin'))
    mkdirSync(join(dir, 'docker'))
    // `sleep` is a child of the helper: the stop must end the helper's whole process group
    const helper = join(dir, 'bin', 'docker-credential-hangs')
    writeFileSync(
      helper,
      ['#!/bin/sh', 'sleep 600 &', 'echo "$$ $!" > "$PI_TEST_PIDFILE"', 'wait'].join('\n') + '\n'
    )
    chmodSync(helper, 0o755)
    writeFileSync(join(dir, 'docker', 'config.json'), JSON.stringify({ credsStore: 'hangs' }))
    src = await startRegistry()
    dst = await startRegistry({ htpasswdFile: await writeHtpasswd(dir, { alice: 'Sup3r-secret' }) })
    await pushImage(src.url, 'app', [randomBlob(1024)], { tag: 'v1' })
  }, 60_000)
  afterAll(async () => {
    await Promise.all([src?.stop(), dst?.stop()])
    await rm(dir, { recursive: true, force: true })
  })

  it('SIGTERM while the helper is asked for the target: helper stopped, nothing written, exit 143', async () => {
    const run = action(
      dir,
      'helper-sigterm',
      { source: `${src.host}/app:v1`, targets: `${dst.host}/prod/app`, 'request-timeout': '600' },
      {
        PATH: `${join(dir, 'bin')}:${process.env.PATH ?? ''}`,
        DOCKER_CONFIG: join(dir, 'docker'),
        PI_TEST_PIDFILE: pidFile
      }
    )
    while (!(existsSync(pidFile) && readFileSync(pidFile, 'utf8').endsWith('\n')))
      await new Promise(r => setTimeout(r, 50))
    const pids = readFileSync(pidFile, 'utf8').trim().split(' ').map(Number)
    run.child.kill('SIGTERM')
    const r = await run.exited
    expect(r.code).toBe(143)
    // before: the run waited out the request timeout (600 s), then "gave no answer … and was stopped", exit 1
    expect(r.stdout.split('\n').filter(l => l.startsWith('::error'))).toEqual([
      '::error::interrupted by SIGTERM before anything was written'
    ])
    const alive = (pid: number): boolean => {
      try {
        process.kill(pid, 0)
        return true
      } catch {
        return false
      }
    }
    while (pids.some(alive)) await new Promise(r => setTimeout(r, 50))
    expect(pids.filter(alive)).toEqual([])
  }, 60_000)
})

describe('the action, a signal during the build (newuser finding 8)', () => {
  let staging: TestRegistry
  const dir = mkdtempSync(join(tmpdir(), 'pi-action-build-int-'))

  beforeAll(async () => {
    await ensureDockerd()
    staging = await startRegistry()
  }, 120_000)
  afterAll(async () => {
    await staging?.stop()
    await rm(dir, { recursive: true, force: true })
  })

  it('SIGINT while a RUN step runs: the build is stopped, nothing is pushed, the message says so, exit 130', async () => {
    // a unique first layer: the sleeping step cannot come from BuildKit's cache
    const context = await busyboxContext(
      ['RUN sleep 45 && echo sl""ept'],
      { 'unique.txt': randomBytes(8).toString('hex') },
      ['COPY unique.txt /unique.txt']
    )
    try {
      const run = action(dir, 'build-sigint', {
        context,
        'docker-cli': buildkitCli(),
        'staging-image': `${staging.host}/ci/slow:s1`,
        targets: `${staging.host}/prod/slow`,
        tags: 'v1'
      })
      await run.printed('RUN sleep 45')
      run.child.kill('SIGINT')
      const r = await run.exited
      expect(r.code).toBe(130)
      expect(r.stdout.split('\n').filter(l => l.startsWith('::error'))).toEqual([
        '::error::interrupted by SIGINT during the build; nothing was pushed to the staging registry; nothing was written to the targets'
      ])
      expect(r.stdout + r.stderr).not.toMatch(/ slept/)
      // before: the build ran on, was pushed as ci/slow:s1, then the run said "before anything was written"
      const head = await fetch(`${staging.url}/v2/ci/slow/manifests/s1`, { method: 'HEAD' })
      expect(head.status).toBe(404)
      const catalog = (await (await fetch(`${staging.url}/v2/_catalog`)).json()) as { repositories: string[] }
      expect(catalog.repositories.filter(r => r.endsWith('/slow'))).toEqual([])
    } finally {
      await rm(context, { recursive: true, force: true })
    }
  }, 120_000)
  it('SIGINT while the build cache is restored from a cache service that does not answer: ends at once, nothing built, exit 130', async () => {
    const context = await busyboxContext([], { 'unique.txt': randomBytes(8).toString('hex') }, [
      'COPY unique.txt /unique.txt'
    ])
    const cacheService = await startHung()
    try {
      const run = action(
        dir,
        'cache-sigint',
        {
          context,
          'docker-cli': buildkitCli(),
          'staging-image': `${staging.host}/ci/cached:c1`,
          targets: `${staging.host}/prod/cached`,
          cache: 'actions'
        },
        {
          ACTIONS_CACHE_URL: `http://${cacheService.host}/`,
          ACTIONS_RUNTIME_TOKEN: 'runtime-token-for-tests',
          RUNNER_TEMP: dir
        }
      )
      // @actions/cache's first request: the lookup of the cache entry
      expect(await cacheService.requested()).toMatch(/^GET \/_apis\/artifactcache\/cache\?\S+ HTTP\/1\.1$/)
      run.child.kill('SIGINT')
      const r = await run.exited
      expect(r.code).toBe(130)
      // before: the run waited on the lookup (no signal reaches @actions/cache), so the job was killed
      expect(r.stdout.split('\n').filter(l => l.startsWith('::error'))).toEqual([
        '::error::interrupted by SIGINT while the build cache was restored, before the build; nothing was pushed to the staging registry; nothing was written to the targets'
      ])
      expect(r.stdout).not.toContain('built with')
      const head = await fetch(`${staging.url}/v2/ci/cached/manifests/c1`, { method: 'HEAD' })
      expect(head.status).toBe(404)
    } finally {
      await cacheService.stop()
      await rm(context, { recursive: true, force: true })
    }
  }, 120_000)
  it('SIGINT after the build pushed, while a target does not answer: the message says what staging got, exit 130', async () => {
    const context = await busyboxContext([], { 'unique.txt': randomBytes(8).toString('hex') }, [
      'COPY unique.txt /unique.txt'
    ])
    const hung = await startHung()
    try {
      const run = action(dir, 'built-sigint', {
        context,
        'docker-cli': buildkitCli(),
        'staging-image': `${staging.host}/ci/quick:q1`,
        targets: `${hung.host}/prod/quick`,
        'request-timeout': '600'
      })
      // no ping: the target's first request is one of its manifest HEADs
      expect(await hung.requested()).toMatch(/^HEAD \/v2\/prod\/quick\/manifests\/\S+ HTTP\/1\.1$/)
      run.child.kill('SIGINT')
      const r = await run.exited
      expect(r.code).toBe(130)
      const head = await fetch(`${staging.url}/v2/ci/quick/manifests/q1`, {
        method: 'HEAD',
        headers: {
          accept:
            'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json'
        }
      })
      const digest = head.headers.get('docker-content-digest')
      expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/)
      // before: "interrupted by SIGINT before anything was written", although staging holds ci/quick:q1
      expect(r.stdout.split('\n').filter(l => l.startsWith('::error'))).toEqual([
        `::error::interrupted by SIGINT before anything was written to the targets; the build had pushed ${staging.host}/ci/quick:q1 = ${digest} to the staging registry`
      ])
    } finally {
      await hung.stop()
      await rm(context, { recursive: true, force: true })
    }
  }, 120_000)
})

describe('the action, sign-keyless with a Fulcio that never answers (newuser5 A)', () => {
  let src: TestRegistry
  let dst: TestRegistry
  let sig: MockSigstore
  let tokenEnv: Record<string, string>
  const dir = mkdtempSync(join(tmpdir(), 'pi-action-fulcio-'))

  beforeAll(async () => {
    ;[src, dst, sig] = await Promise.all([startRegistry(), startRegistry(), startSigstore()])
    const { token: _, ...env } = await sig.actionsTokenEnv({ sub: 'repo:o/r:ref:refs/heads/main' })
    tokenEnv = env
    await pushImage(src.url, 'app', [randomBlob(1024)], { tag: 'v1' })
  }, 60_000)
  afterAll(async () => {
    await Promise.all([src?.stop(), dst?.stop(), sig?.stop()])
    await rm(dir, { recursive: true, force: true })
  })

  const inputs = (fulcio: string, timeout: string): Record<string, string> => ({
    source: `${src.host}/app:v1`,
    targets: `${dst.host}/prod/app`,
    'sign-keyless': 'true',
    'fulcio-url': `http://${fulcio}`,
    'rekor-url': sig.url,
    'request-timeout': timeout
  })

  it('SIGTERM while Fulcio is asked: ends at once, nothing written, exit 143', async () => {
    const fulcio = await startHung()
    try {
      const run = action(dir, 'fulcio-sigterm', inputs(fulcio.host, '600'), tokenEnv)
      expect(await fulcio.requested()).toBe('POST /api/v2/signingCert HTTP/1.1')
      run.child.kill('SIGTERM')
      const r = await run.exited
      // before: nothing printed, the run went on until SIGKILL (no bound on the Fulcio request)
      expect(r.code).toBe(143)
      expect(r.stdout.split('\n').filter(l => l.startsWith('::error'))).toEqual([
        '::error::interrupted by SIGTERM before anything was written'
      ])
      expect(await listTags(dst.url, 'prod/app')).toEqual([])
    } finally {
      await fulcio.stop()
    }
  }, 60_000)

  it('SIGTERM while Rekor is asked, after the tag: exit 143 (was 1), the tag written, the message and summary say so', async () => {
    const rekor = await startHung()
    try {
      const run = action(
        dir,
        'rekor-sigterm',
        {
          ...inputs(new URL(sig.url).host, '600'),
          'rekor-url': `http://${rekor.host}`,
          targets: `${dst.host}/prod/rec`,
          tags: 'v1'
        },
        tokenEnv
      )
      expect(await rekor.requested()).toBe('POST /api/v1/log/entries HTTP/1.1')
      run.child.kill('SIGTERM')
      const r = await run.exited
      expect(r.code).toBe(143)
      expect(r.stdout.split('\n').filter(l => l.startsWith('::error'))).toEqual([
        `::error::${dst.host}/prod/rec: promotion record: interrupted by SIGTERM; the image is promoted and tagged at every target: run the promotion again to add the record`
      ])
      // the summary says where the target stands: tagged, no record (not "interrupted, no tag")
      expect(
        readFileSync(join(dir, 'rekor-sigterm.md'), 'utf8')
          .split('\n')
          .filter(l => l.startsWith(`| <code>${dst.host}/prod/rec</code> |`))
      ).toEqual([
        `| <code>${dst.host}/prod/rec</code> | ❌ not written |  |  |`,
        `| <code>${dst.host}/prod/rec</code> | ❌ tagged; the record was not written | <code>v1</code> created |`
      ])
      expect(await listTags(dst.url, 'prod/rec')).toEqual(['v1'])
    } finally {
      await rekor.stop()
    }
  }, 60_000)

  it('request-timeout 1: failed after the bound, no answer within 1 s, nothing written', async () => {
    const fulcio = await startHung()
    try {
      const r = await action(dir, 'fulcio-timeout', inputs(fulcio.host, '1'), tokenEnv).exited
      expect(r.code).toBe(1)
      expect(r.stdout.split('\n').filter(l => l.startsWith('::error'))).toEqual([
        `::error::promotion record: Fulcio http://${fulcio.host} could not issue a signing certificate (no answer within 1 s); nothing was written at any target`
      ])
      expect(await listTags(dst.url, 'prod/app')).toEqual([])
    } finally {
      await fulcio.stop()
    }
  }, 60_000)
})

describe('the action, a signal while the merge writes its index (newuser6 #19)', () => {
  let reg: TestRegistry
  let proxy: Proxy
  const dir = mkdtempSync(join(tmpdir(), 'pi-action-merge-int-'))

  beforeAll(async () => {
    reg = await startRegistry()
    proxy = await startProxy(reg.url)
    await pushImage(reg.url, 'ci/app', [randomBlob(3000)], {
      tag: 'amd64',
      platform: { os: 'linux', architecture: 'amd64' }
    })
    await pushImage(reg.url, 'ci/app', [randomBlob(3000)], {
      tag: 'arm64',
      platform: { os: 'linux', architecture: 'arm64' }
    })
  }, 60_000)
  afterAll(async () => {
    await proxy?.stop()
    await reg?.stop()
    await rm(dir, { recursive: true, force: true })
  })

  it('SIGINT during the index PUT: the index is written at staging, the message says so (was: "before anything was written"), nothing at the target, exit 130', async () => {
    let release!: () => void
    const released = new Promise<void>(r => (release = r))
    let putSeen!: () => void
    const putting = new Promise<void>(r => (putSeen = r))
    proxy.setFault(req => {
      if (req.method !== 'PUT' || req.url !== '/v2/ci/app/manifests/m1') return undefined
      putSeen()
      return { kind: 'until', released }
    })
    const run = action(dir, 'merge-put', {
      merge: `${proxy.host}/ci/app:amd64\n${proxy.host}/ci/app:arm64`,
      'staging-image': `${proxy.host}/ci/app:m1`,
      targets: `${reg.host}/prod/app`,
      tags: 'v1'
    })
    await putting
    run.child.kill('SIGINT')
    // the action says nothing when the signal comes: give its handler a moment before the PUT answers
    await new Promise(r => setTimeout(r, 500))
    release()
    const r = await run.exited
    proxy.setFault(undefined)

    const digest = (await rawManifest(reg.url, 'ci/app', 'm1'))?.digest
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(r.code).toBe(130)
    expect(r.stdout.split('\n').filter(l => l.startsWith('::error'))).toEqual([
      `::error::interrupted by SIGINT while the index was being written: it was written, ${proxy.host}/ci/app:m1 = ${digest} (linux/amd64, linux/arm64); nothing more was done; nothing was written to the targets`
    ])
    expect(await listTags(reg.url, 'prod/app')).toEqual([])
  }, 60_000)
})
