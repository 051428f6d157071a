/**
 * newuser6 #19: a signal while the merge's index PUT is in flight. The PUT finishes (the staging
 * tag is written or not, never left unknown); then the CLI exits with the signal's status and says
 * what is at the staging tag. Before, it exited 0 without a word. A real registry behind a proxy of
 * ours that holds the index PUT until the CLI has said it is stopping.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { resolve } from 'node:path'
import { startRegistry, type TestRegistry } from '../helpers/registry.js'
import { startProxy, type Proxy } from '../helpers/proxy.js'
import { pushImage, randomBlob, rawManifest, type SeededImage } from '../helpers/images.js'

const root = resolve(import.meta.dirname, '../..')

describe('merge: a signal while the index is being written', () => {
  let reg: TestRegistry
  let proxy: Proxy
  let amd64: SeededImage
  let arm64: SeededImage

  beforeAll(async () => {
    reg = await startRegistry()
    proxy = await startProxy(reg.url)
    amd64 = await pushImage(reg.url, 'ci/app', [randomBlob(3000)], {
      tag: 'amd64',
      platform: { os: 'linux', architecture: 'amd64' }
    })
    arm64 = await pushImage(reg.url, 'ci/app', [randomBlob(3000)], {
      tag: 'arm64',
      platform: { os: 'linux', architecture: 'arm64' }
    })
  })
  afterAll(async () => {
    await proxy?.stop()
    await reg?.stop()
  })

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143]
  ] as const)(
    '%s: the index is written, the CLI says so and exits %d',
    async (signal, code) => {
      const tag = `m-${signal.toLowerCase()}`
      let release!: () => void
      const released = new Promise<void>(r => (release = r))
      let putSeen!: () => void
      const putting = new Promise<void>(r => (putSeen = r))
      proxy.setFault(req => {
        if (req.method !== 'PUT' || req.url !== `/v2/ci/app/manifests/${tag}`) return undefined
        putSeen()
        return { kind: 'until', released }
      })
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          resolve(root, 'src/cli.ts'),
          'merge',
          '--to',
          `${proxy.host}/ci/app:${tag}`,
          `${proxy.host}/ci/app:amd64`,
          `${proxy.host}/ci/app:arm64`
        ],
        { cwd: root, env: { PATH: process.env.PATH ?? '', HOME: root }, stdio: ['ignore', 'pipe', 'pipe'] }
      )
      let stdout = ''
      let stderr = ''
      let said!: () => void
      const stopping = new Promise<void>(r => (said = r))
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString()
        if (stderr.includes(`promote-image: ${signal}: stopping`)) said()
      })
      const exited = new Promise<number | null>(done => child.once('exit', c => setImmediate(() => done(c))))
      await putting
      child.kill(signal)
      await stopping
      release()
      const status = await exited
      proxy.setFault(undefined)

      const written = await rawManifest(reg.url, 'ci/app', tag)
      expect(written?.digest).toMatch(/^sha256:[0-9a-f]{64}$/)
      const index = JSON.parse(written!.bytes.toString()) as { manifests: Array<{ digest: string }> }
      expect(index.manifests.map(m => m.digest).sort()).toEqual([amd64.digest, arm64.digest].sort())
      // before: exit 0, the digest on stdout, nothing said of the signal
      expect([status, stdout]).toEqual([code, ''])
      expect(stderr.trimEnd().split('\n').slice(-1)).toEqual([
        `promote-image: interrupted by ${signal} while the index was being written: it was written, ${proxy.host}/ci/app:${tag} = ${written!.digest} (linux/amd64, linux/arm64); nothing more was done`
      ])
    },
    60_000
  )

  // newuser6 #25, before: '… the index was not written; 1 entries copied in by digest, untagged: …'
  it('SIGINT while the second of two entries is copied in: the one copied in is named, in the singular', async () => {
    const amd = await pushImage(reg.url, 'far/amd', [randomBlob(2000)], {
      tag: 'v1',
      platform: { os: 'linux', architecture: 'amd64' }
    })
    const arm = await pushImage(reg.url, 'far/arm', [randomBlob(2000)], {
      tag: 'v1',
      platform: { os: 'linux', architecture: 'arm64' }
    })
    let putSeen!: () => void
    const putting = new Promise<void>(r => (putSeen = r))
    let release!: () => void
    const released = new Promise<void>(r => (release = r))
    proxy.setFault(req => {
      if (req.method !== 'PUT' || req.url !== `/v2/ci/app/manifests/${arm.digest}`) return undefined
      putSeen()
      return { kind: 'until', released }
    })
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        resolve(root, 'src/cli.ts'),
        'merge',
        '--to',
        `${proxy.host}/ci/app:m-two`,
        `${proxy.host}/far/amd:v1`,
        `${proxy.host}/far/arm:v1`
      ],
      { cwd: root, env: { PATH: process.env.PATH ?? '', HOME: root }, stdio: ['ignore', 'pipe', 'pipe'] }
    )
    let stderr = ''
    let said!: () => void
    const stopping = new Promise<void>(r => (said = r))
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString()
      if (stderr.includes('promote-image: SIGINT: stopping')) said()
    })
    const exited = new Promise<number | null>(done => child.once('exit', c => setImmediate(() => done(c))))
    await putting
    child.kill('SIGINT')
    await stopping
    release()
    const status = await exited
    proxy.setFault(undefined)
    expect(status).toBe(130)
    expect(await rawManifest(reg.url, 'ci/app', 'm-two')).toBeUndefined()
    expect(stderr.split('\n').filter(l => l.includes('copied in by digest'))).toEqual([
      `  ${proxy.host}/ci/app:m-two: the index was not written; 1 entry copied in by digest, untagged: ${amd.digest}`
    ])
  }, 60_000)
})
