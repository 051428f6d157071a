/**
 * Credential helpers (docker-credential-<name> get) under bounds (issue 24 finding 8): a helper that
 * hangs is stopped at the request timeout; one that writes without end is stopped at the
 * credentialHelperBytes limit; the stderr of a failed one is quoted with its control characters
 * escaped. Real helper programs (sh scripts) on a temporary PATH.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { defaultCredentials, spawnHelper } from '../../src/auth/docker-config.js'
import { LIMITS } from '../../src/limits.js'

describe('credential helpers run within bounds', () => {
  let root: string
  let env: Record<string, string>
  const helper = async (name: string, body: string[]): Promise<void> => {
    const script = join(root, 'bin', `docker-credential-${name}`)
    await writeFile(script, ['#!/bin/sh', ...body].join('\n') + '\n')
    await chmod(script, 0o755)
  }
  const config = async (name: string): Promise<string> => {
    const dir = await mkdtemp(join(root, 'cfg-'))
    await writeFile(join(dir, 'config.json'), JSON.stringify({ credHelpers: { 'registry.test': name } }))
    return dir
  }

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'pi-helpers-'))
    await mkdir(join(root, 'bin'))
    env = { PATH: `${join(root, 'bin')}:${process.env.PATH ?? ''}`, HOME: root }
    await helper('sleepy', ['sleep 25'])
    await helper('chatty', ['cat /dev/zero'])
    await helper('loud', [`printf 'boom \\033[2J\\n::error ::spoofed\\342\\200\\256' >&2`, 'exit 3'])
    // docker-credential-helpers write their failure on stdout (newuser4 finding 7)
    await helper('gdbus', [
      "echo 'error getting credentials - err: exit status 1, out: GDBus.Error:org.freedesktop.DBus.Error.ServiceUnknown: The name org.freedesktop.secrets was not provided'",
      "echo 'second line'",
      'exit 1'
    ])
    await helper('empty', ["echo 'credentials not found in native keychain'", 'exit 1'])
  })
  afterAll(async () => {
    await rm(root, { recursive: true, force: true })
  })

  it('a helper that never answers is stopped at the request timeout (was blocked 25 s with --timeout 2)', async () => {
    const source = defaultCredentials([], {
      env: { ...env, DOCKER_CONFIG: await config('sleepy') },
      helperTimeoutMs: 500
    })
    const t0 = Date.now()
    await expect(source('registry.test')).rejects.toThrow(
      'credential helper docker-credential-sleepy gave no answer for registry.test within 1 s (the request timeout) and was stopped'
    )
    expect(Date.now() - t0).toBeLessThan(3000)
  })

  it(`a helper that writes without end is stopped at ${LIMITS.credentialHelperBytes} bytes, memory kept small`, async () => {
    const before = process.memoryUsage().rss
    const source = defaultCredentials([], { env: { ...env, DOCKER_CONFIG: await config('chatty') } })
    await expect(source('registry.test')).rejects.toThrow(
      'credential helper docker-credential-chatty wrote more than the credentialHelperBytes limit of 1 MiB for registry.test and was stopped'
    )
    // was 727 MB RSS for 100 MB of output, and a RangeError past 512 MiB
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * 1024 * 1024)
  })

  it('the stderr of a failed helper is quoted with its control characters escaped', async () => {
    const source = defaultCredentials([], { env: { ...env, DOCKER_CONFIG: await config('loud') } })
    await expect(source('registry.test')).rejects.toThrow(
      'credential helper docker-credential-loud failed for registry.test with exit code 3: boom \\x1b[2J\\n::error ::spoofed\\u202e'
    )
  })

  it("a helper's failure on stdout is quoted (first line), with the config entry and the ways out", async () => {
    const dir = await config('gdbus')
    const source = defaultCredentials([], { env: { ...env, DOCKER_CONFIG: dir } })
    await expect(source('registry.test')).rejects.toThrow(
      new Error(
        `credential helper docker-credential-gdbus failed for registry.test with exit code 1: error getting credentials - err: exit status 1, out: GDBus.Error:org.freedesktop.DBus.Error.ServiceUnknown: The name org.freedesktop.secrets was not provided (credHelpers "registry.test" in docker config ${join(dir, 'config.json')}); fix the helper, or remove that entry and log in again (docker login registry.test)`
      )
    )
  })

  it('a helper with nothing for the host: anonymous, and the reason says so', async () => {
    const dir = await config('empty')
    const source = defaultCredentials([], { env: { ...env, DOCKER_CONFIG: dir } })
    expect(await source('registry.test')).toBeUndefined()
    expect(source.explain?.('registry.test')).toBe(
      `docker config ${join(dir, 'config.json')}: credHelpers "registry.test" "empty": docker-credential-empty has no credentials for registry.test (docker login registry.test stores them there)`
    )
  })

  it('spawnHelper reports how a bounded run ended', async () => {
    const run = spawnHelper(env, { timeoutMs: 300, maxBytes: 10 })
    expect(await run('docker-credential-sleepy', ['get'], 'x')).toMatchObject({
      stopped: 'timeout',
      stdout: ''
    })
    expect(await run('docker-credential-chatty', ['get'], 'x')).toMatchObject({
      stopped: 'output',
      stdout: ''
    })
  })

  it('a helper being asked when the run is interrupted is stopped, and the lookup says so (newuser4 #15)', async () => {
    const controller = new AbortController()
    const source = defaultCredentials([], {
      env: { ...env, DOCKER_CONFIG: await config('sleepy') },
      signal: controller.signal
    })
    const asked = source('registry.test')
    setTimeout(() => controller.abort(new Error('interrupted by SIGINT')), 200)
    const e = (await asked.catch((x: unknown) => x)) as Error
    expect(e.message).toBe(
      'interrupted by SIGINT while asking credential helper docker-credential-sleepy for registry.test'
    )
    expect(e.cause).toBe(controller.signal.reason)
    expect(
      await spawnHelper(env, { signal: controller.signal })('docker-credential-sleepy', ['get'], 'x')
    ).toEqual({
      code: -1,
      stdout: '',
      stderr: '',
      stopped: 'interrupted'
    })
  })
})
