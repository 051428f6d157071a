/**
 * SIGINT / SIGTERM while a docker credential helper is being asked (newuser4 #15): the helper (and
 * what it started) is stopped at once and the CLI exits 130 / 143 as the README promises, saying it
 * was interrupted; it exited 1 with `gave no answer … within 120 s (the request timeout)`. The
 * target is a real htpasswd registry, so its 401 makes the CLI ask the helper (credsStore in a
 * temporary DOCKER_CONFIG); the helper is a sh script that writes its pid and sleeps.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawn, type ChildProcess } from 'node:child_process'
import { generateKeyPairSync } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { writeHtpasswd } from '../helpers/htpasswd.js'
import { pushImage, randomBlob } from '../helpers/images.js'
import { startRegistry, type TestRegistry } from '../helpers/registry.js'

const root = resolve(import.meta.dirname, '../..')

interface Exit {
  code: number | null
  stdout: string
  stderr: string
}

/** True while a process with `pid` exists. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise(r => setTimeout(r, 50))
}

describe('a signal while a credential helper is asked', () => {
  let src: TestRegistry
  let dst: TestRegistry
  let dir: string
  let srcHost: string
  let digest: string
  const pidFile = (): string => join(dir, 'helper.pid')
  /** each helper's pid (its process group's id), ended in afterAll if a failed run left it */
  const started: number[] = []

  /** The CLI with `args`; its docker config names the hanging helper as credsStore. */
  function cli(...args: string[]): { child: ChildProcess; exited: Promise<Exit> } {
    const child = spawn(process.execPath, ['--import', 'tsx', resolve(root, 'src/cli.ts'), ...args], {
      cwd: root,
      env: {
        ...process.env,
        PATH: `${join(dir, 'bin')}:${process.env.PATH ?? ''}`,
        DOCKER_CONFIG: join(dir, 'docker'),
        REGISTRY_AUTH_FILE: '',
        XDG_CACHE_HOME: join(dir, 'cache'),
        PI_TEST_PIDFILE: pidFile(),
        NODE_OPTIONS: ''
      },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let stdout = ''
    let stderr = ''
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()))
    const exited = new Promise<Exit>(done =>
      child.once('exit', code => setImmediate(() => done({ code, stdout, stderr })))
    )
    return { child, exited }
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pi-helper-sig-'))
    await mkdir(join(dir, 'bin'))
    await mkdir(join(dir, 'docker'))
    const helper = join(dir, 'bin', 'docker-credential-hangs')
    // `sleep` is a child of the helper: the stop must end the helper's whole process group
    await writeFile(
      helper,
      ['#!/bin/sh', 'sleep 600 &', 'echo "$$ $!" > "$PI_TEST_PIDFILE"', 'wait'].join('\n') + '\n'
    )
    await chmod(helper, 0o755)
    await writeFile(join(dir, 'docker', 'config.json'), JSON.stringify({ credsStore: 'hangs' }))
    src = await startRegistry()
    dst = await startRegistry({ htpasswdFile: await writeHtpasswd(dir, { alice: 'Sup3r-secret' }) })
    srcHost = src.host
    digest = (await pushImage(src.url, 'app', [randomBlob(1024)], { tag: 'v1' })).digest
  }, 60_000)
  afterAll(async () => {
    // a failed run may have left helpers behind: end their groups, not this process's
    for (const pid of started) if (alive(pid)) process.kill(-pid, 'SIGKILL')
    await Promise.all([src?.stop(), dst?.stop()])
    await rm(dir, { recursive: true, force: true })
  })

  for (const [name, status] of [
    ['SIGINT', 130],
    ['SIGTERM', 143]
  ] as const)
    it(`copy, ${name} while the helper is asked for the target: helper stopped, exit ${status}`, async () => {
      await rm(pidFile(), { force: true })
      // the request timeout (the helper's bound) is 20 s: before the fix the run ended there, exit 1
      const run = cli('copy', '--timeout', '20', `${srcHost}/app:v1`, `${dst.host}/team/app:v1`)
      await until(() => existsSync(pidFile()) && readFileSync(pidFile(), 'utf8').endsWith('\n'))
      const pids = readFileSync(pidFile(), 'utf8').trim().split(' ').map(Number)
      run.child.kill(name)
      const r = await run.exited
      expect(r.code).toBe(status)
      expect(r.stderr.trimEnd().split('\n')).toEqual([
        `${srcHost}/app:v1 is ${digest}`,
        `promote-image: ${name}: stopping; cancelling open uploads`,
        `promote-image: interrupted by ${name} before anything was written`
      ])
      expect(r.stdout).toBe('')
      // the helper and its sleep were stopped (SIGKILL to the group), not left behind
      await until(() => !pids.some(alive))
      expect(pids.filter(alive)).toEqual([])
    }, 60_000)

  // newuser5 C: the read commands exited 130 with nothing said and left the helper (and its sleep)
  // running, orphaned: they now stop it through the same signal copy's client set-up takes
  for (const args of [
    ['verify', '--records'],
    ['verify', '--verify-key', 'KEY'],
    ['inspect'],
    ['digest'],
    ['ls'],
    ['plan', '--shards', '2', '-f', 'FILE']
  ])
    it(`${args.join(' ')}, SIGINT while the helper is asked for REF's registry: helper stopped, exit 130`, async () => {
      await rm(pidFile(), { force: true })
      const key = join(dir, 'key.pub')
      const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      await writeFile(key, publicKey.export({ type: 'spki', format: 'pem' }))
      // plan reads the sources of a promotion file; it counted one it could not read as 0 bytes
      const file = join(dir, 'promotion.yaml')
      await writeFile(
        file,
        `images:\n  - name: app\n    source: ${dst.host}/team/app:v1\n    targets: [${srcHost}/prod/app]\n`
      )
      const ref =
        args[0] === 'ls' ? [`${dst.host}/team/app`] : args[0] === 'plan' ? [] : [`${dst.host}/team/app:v1`]
      const given = args.map(a => (a === 'KEY' ? key : a === 'FILE' ? file : a))
      const run = cli(...given, '--timeout', '20', ...ref)
      await until(() => existsSync(pidFile()) && readFileSync(pidFile(), 'utf8').endsWith('\n'))
      const pids = readFileSync(pidFile(), 'utf8').trim().split(' ').map(Number)
      started.push(pids[0])
      run.child.kill('SIGINT')
      const r = await run.exited
      expect(r.code).toBe(130)
      // plan printed a matrix counting the source 0 bytes, exit 0; then it went on to warn
      // `app: not sized for the shards (counted as 0 bytes): interrupted by SIGINT …` after the
      // stop: a read command now ends at the first signal, whatever step it is in (cli/run.ts)
      expect(r.stderr.trimEnd().split('\n')).toEqual([
        'promote-image: SIGINT: stopping',
        'promote-image: interrupted by SIGINT before anything was written'
      ])
      expect(r.stdout).toBe('')
      await until(() => !pids.some(alive))
      expect(pids.filter(alive)).toEqual([])
    }, 60_000)
})
