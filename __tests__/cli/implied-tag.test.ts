/**
 * A REF or SRC given without a tag reads `latest` (docker's rule); when there is none, the error
 * names the argument and says that :latest was implied (newuser3 finding 4; before:
 * `HOST/src/one:latest does not exist`). `main(argv)` in process against a real registry; exit
 * status, stdout and stderr asserted whole.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runMain } from '../helpers/main-run.js'
import { listTags, pushImage, randomBlob } from '../helpers/images.js'
import { startRegistry, type TestRegistry } from '../helpers/registry.js'

const run = runMain

describe('a reference with no tag whose latest does not exist', () => {
  let reg: TestRegistry
  let dir: string
  const saved = {
    DOCKER_CONFIG: process.env.DOCKER_CONFIG,
    REGISTRY_AUTH_FILE: process.env.REGISTRY_AUTH_FILE
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pi-implied-tag-'))
    // no credentials from the machine's docker config
    process.env.DOCKER_CONFIG = dir
    delete process.env.REGISTRY_AUTH_FILE
    reg = await startRegistry()
    await pushImage(reg.url, 'src/one', [randomBlob(500)], { tag: 'rc1' })
  })
  afterAll(async () => {
    await reg?.stop()
    if (dir) await rm(dir, { recursive: true, force: true })
    for (const [k, v] of Object.entries(saved))
      if (v === undefined) delete process.env[k]
      else process.env[k] = v
  })

  const implied = (name: string): string =>
    `${name} "${reg.host}/src/one" names no tag, so :latest was read, and ${reg.host}/src/one has no tag latest`

  it.each(['digest', 'inspect', 'manifest', 'config'])('%s REF', async command => {
    expect(await run([command, `${reg.host}/src/one`])).toEqual({
      status: 1,
      stdout: '',
      stderr: `promote-image: ${implied('REF')}\n`
    })
  })

  it('copy SRC DST: nothing written', async () => {
    const r = await run(['copy', `${reg.host}/src/one`, `${reg.host}/b1/one`])
    expect([r.status, r.stdout, r.stderr.trimEnd().split('\n').at(-1)]).toEqual([
      1,
      '',
      `promote-image: ${implied('SRC')}`
    ])
    expect(await listTags(reg.url, 'b1/one')).toEqual([])
  })

  it('copy --json: the same words in its object', async () => {
    const r = await run(['copy', '--json', `${reg.host}/src/one`, `${reg.host}/b1/one`])
    expect([r.status, JSON.parse(r.stdout)]).toEqual([1, { error: implied('SRC'), targets: [] }])
  })

  it('a tag that was named stays in the plain words', async () => {
    expect(await run(['digest', `${reg.host}/src/one:latest`])).toEqual({
      status: 1,
      stdout: '',
      stderr: `promote-image: ${reg.host}/src/one:latest does not exist\n`
    })
  })
})
