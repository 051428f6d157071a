/**
 * What the docker config reader says when it finds nothing or cannot read (issue 10 point 5,
 * issue 11 point 3): helper answers that are not JSON give the position, never a piece of the
 * answer; the reason a lookup found nothing is kept for the error it causes (`explain`).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  defaultCredentials,
  dockerConfigCredentials,
  type HelperRunner
} from '../../src/auth/docker-config.js'
import { whyNoCredential } from '../../src/auth/credentials.js'

const SECRET = 'Qz7xW9pLk3Vt'
let root: string
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'pi-dockercfg-why-'))
})
afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

async function configDir(name: string, config: unknown): Promise<string> {
  const dir = join(root, name)
  await mkdir(dir)
  await writeFile(join(dir, 'config.json'), JSON.stringify(config))
  return dir
}

const answering =
  (stdout: string, code = 0, error?: string): HelperRunner =>
  async () => ({ code, stdout, stderr: '', error })

describe('docker config: reasons and positions', () => {
  it('a helper answer that is not JSON: the position, no piece of the secret', async () => {
    const dir = await configDir('answer', { credsStore: 'x' })
    const answer = `{"Username":"u","Secret":"${SECRET}"`
    const error = await dockerConfigCredentials({ configDir: dir, runHelper: answering(answer) })(
      'a.example'
    ).catch((e: Error) => e)
    expect((error as Error).message).toBe(
      'credential helper docker-credential-x answered a.example with something that is not JSON (unexpected end at line 1, column 40)'
    )
    // valid JSON that is no object: nothing, not a TypeError
    expect(await dockerConfigCredentials({ configDir: dir, runHelper: answering('null') })('a.example')).toBe(
      undefined
    )
  })

  it('explains a lookup that found nothing, through the chain; forgets it once a lookup succeeds', async () => {
    const file = join(await configDir('explain', { credsStore: 'desktop' }), 'config.json')
    let installed = false
    const run: HelperRunner = async () =>
      installed
        ? { code: 0, stdout: JSON.stringify({ Username: 'u', Secret: SECRET }), stderr: '' }
        : { code: -1, stdout: '', stderr: '', error: 'ENOENT' }
    const source = defaultCredentials([{ registry: 'ghcr.io', username: 'a', password: 'b' }], {
      configDir: join(file, '..'),
      runHelper: run
    })
    expect(await source('quay.io')).toBe(undefined)
    expect(whyNoCredential(source, 'QUAY.io')).toBe(
      ` (docker config ${file}: credsStore "desktop": docker-credential-desktop not found on PATH)`
    )
    expect(whyNoCredential(source, 'ghcr.io')).toBe('')
    installed = true
    expect(await source('quay.io')).toEqual({ username: 'u', password: SECRET })
    expect(whyNoCredential(source, 'quay.io')).toBe('')
  })

  it('a helper that cannot be started for another reason says so', async () => {
    const dir = await configDir('eacces', { credsStore: 'desktop' })
    const source = dockerConfigCredentials({ configDir: dir, runHelper: answering('', -1, 'EACCES') })
    expect(await source('quay.io')).toBe(undefined)
    expect(source.explain?.('quay.io')).toBe(
      `docker config ${join(dir, 'config.json')}: credsStore "desktop": docker-credential-desktop could not be run (EACCES)`
    )
  })

  it('an auth that is not base64 next to username and password: those are used, nothing said', async () => {
    const dir = await configDir('fallback', {
      auths: { 'a.example': { auth: 'u:p', username: 'u', password: SECRET }, 'b.example': { auth: '%%%' } }
    })
    const said: string[] = []
    const logger = { debug() {}, info() {}, warning: (m: string) => void said.push(m) }
    const source = dockerConfigCredentials({ configDir: dir, logger })
    expect(await source('a.example')).toEqual({ username: 'u', password: SECRET })
    expect([said, source.explain?.('a.example')]).toEqual([[], undefined])
    expect(await source('b.example')).toBe(undefined)
    expect(said).toEqual([
      `docker config ${join(dir, 'config.json')}: auths "b.example": auth is not base64; that entry is not used`
    ])
  })
})
