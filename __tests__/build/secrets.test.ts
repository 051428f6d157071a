import { execFile } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { BuildInputs } from '../../src/build/args.js'
import { BuildError, runBuild } from '../../src/build/driver.js'
import { parseSecretEnvs, parseSecrets } from '../../src/build/secrets.js'
import { buildkitCli, ensureDockerd } from '../helpers/dockerd.js'
import { startRegistry, type TestRegistry } from '../helpers/registry.js'
import { busyboxContext, fileInImage, recordingExec, type Recorded } from './contexts.js'

const run = promisify(execFile)
const hex = (text: string) => createHash('sha256').update(text).digest('hex')

describe('build secrets through a real dockerd build', () => {
  let registry: TestRegistry
  let work: string
  const cli = buildkitCli()
  beforeAll(async () => {
    await ensureDockerd()
    registry = await startRegistry()
    work = await mkdtemp(join(tmpdir(), 'pi-secrets-'))
  })
  afterAll(async () => {
    await registry?.stop()
    if (work) await rm(work, { recursive: true, force: true })
  })

  test('secrets and secret-envs reach RUN --mount=type=secret; no value in argv, output, log, image or error', async () => {
    const secret = `s3cret-${randomBytes(12).toString('hex')}`
    const envSecret = `env-${randomBytes(12).toString('hex')}`
    const context = await busyboxContext([
      'RUN --mount=type=secret,id=token sha256sum /run/secrets/token | cut -d" " -f1 > /token.sha256',
      'RUN --mount=type=secret,id=envtok sha256sum /run/secrets/envtok | cut -d" " -f1 > /envtok.sha256'
    ])
    const tag = `${registry.host}/secrets/app:1`
    const inputs: BuildInputs = {
      context,
      buildArgs: [],
      labels: {},
      tags: [tag],
      platforms: [],
      noCache: true,
      secrets: [...parseSecrets([`token=${secret}`]), ...parseSecretEnvs(['envtok=PI_TEST_SECRET'])],
      metadataFile: join(work, 'unused.json')
    }
    const recorded: Recorded[] = []
    const secretFiles: { path: string; mode: number }[] = []
    const exec = recordingExec(recorded, async args => {
      for (const a of args) {
        const m = /^id=token,src=(.+)$/.exec(a)
        if (m) secretFiles.push({ path: m[1]!, mode: (await stat(m[1]!)).mode & 0o777 })
      }
    })
    const log: string[] = []
    const logger = { info: (m: string) => log.push(m), debug: (m: string) => log.push(m) }
    const env = { ...process.env, PI_TEST_SECRET: envSecret }
    try {
      const result = await runBuild({ driver: 'classic', cli }, inputs, { exec, env, logger, tempDir: work })
      expect(await fileInImage(cli, tag, '/token.sha256')).toBe(`${hex(secret)}\n`)
      expect(await fileInImage(cli, tag, '/envtok.sha256')).toBe(`${hex(envSecret)}\n`)

      // the value was a 0600 file for the build and is gone after it
      expect(secretFiles).toHaveLength(1)
      expect(secretFiles[0]!.mode).toBe(0o600)
      await expect(stat(secretFiles[0]!.path)).rejects.toThrow('ENOENT')

      const history = (await run(cli, ['history', '--no-trunc', tag])).stdout
      const config = (await run(cli, ['image', 'inspect', tag])).stdout
      const everything = [
        ...recorded.flatMap(r => [r.argv.join(' '), r.result.stdout, r.result.stderr]),
        ...log,
        JSON.stringify(result),
        history,
        config
      ].join('\n')
      expect(recorded.map(r => r.argv[1])).toEqual(['build', 'push', 'image'])
      expect(everything).toContain('RUN --mount=type=secret,id=token')
      expect(everything).not.toContain(secret)
      expect(everything).not.toContain(envSecret)
    } finally {
      await run(cli, ['rmi', tag]).catch(() => {})
      await rm(context, { recursive: true, force: true })
    }
  })

  test('a failing step that prints the secret: the error names the step and shows *** instead', async () => {
    const secret = `s3cret-${randomBytes(12).toString('hex')}`
    const context = await busyboxContext([
      'RUN --mount=type=secret,id=token cat /run/secrets/token; echo; false'
    ])
    const inputs: BuildInputs = {
      context,
      buildArgs: [],
      labels: {},
      tags: [`${registry.host}/secrets/app:fail`],
      platforms: [],
      noCache: true,
      secrets: parseSecrets([`token=${secret}`]),
      metadataFile: join(work, 'unused.json')
    }
    const recorded: Recorded[] = []
    try {
      const err = await runBuild({ driver: 'classic', cli }, inputs, {
        exec: recordingExec(recorded),
        tempDir: work
      }).then(
        () => undefined,
        (e: unknown) => e
      )
      expect(err).toBeInstanceOf(BuildError)
      const message = normalise((err as Error).message)
      expect(message).toBe(
        [
          `${cli} build exited 1 at step [3/3] RUN --mount=type=secret,id=token cat /run/secrets/token; echo; false`,
          '#N [3/3] RUN --mount=type=secret,id=token cat /run/secrets/token; echo; false',
          '#N T ***',
          '#N ERROR: executor failed running [/bin/sh -c cat /run/secrets/token; echo; false]: exit code: 1'
        ].join('\n')
      )
      // the build's own output did print it: only the error is redacted here (the action masks the log)
      expect(recorded[0]!.result.stderr).toContain(secret)
    } finally {
      await rm(context, { recursive: true, force: true })
    }
  })
})

/** Vertex numbers and timestamps vary between runs. */
function normalise(text: string): string {
  return text.replace(/^#\d+ \d+\.\d+ /gm, '#N T ').replace(/^#\d+ /gm, '#N ')
}
