/**
 * A tag the immutable policy refuses: the CLI's refusal ends with the remedies that work, named
 * as its flags, and re-running with the one it suggests succeeds. CLI from source, real registry.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { tmpdir } from 'node:os'
import { resolve } from 'node:path'
import { pushImage, randomBlob, type SeededImage } from '../helpers/images.js'
import { startRegistry, type TestRegistry } from '../helpers/registry.js'

const root = resolve(import.meta.dirname, '../..')

/** Runs the CLI from source with only PATH and HOME; exit status, stdout, stderr. */
function cli(args: string[]): Promise<[number | null, string, string]> {
  return new Promise(done => {
    const child = spawn(process.execPath, ['--import', 'tsx', resolve(root, 'src/cli.ts'), ...args], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: tmpdir() }
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', d => (stdout += d))
    child.stderr.on('data', d => (stderr += d))
    child.on('exit', status => done([status, stdout, stderr]))
    child.stdin.end()
  })
}

describe('copy SRC DST:v1 where v1 names another digest', () => {
  let reg: TestRegistry
  let a: SeededImage
  let b: SeededImage
  beforeAll(async () => {
    reg = await startRegistry()
    a = await pushImage(reg.url, 'team/app', [randomBlob(1000)], { tag: 'old' })
    b = await pushImage(reg.url, 'team/app', [randomBlob(1000)], { tag: 'new' })
    await pushImage(reg.url, 'prod/app', [randomBlob(10)], { tag: 'x' })
  }, 30_000)
  afterAll(async () => {
    await reg?.stop()
  })

  it('is refused with the remedies in flags; re-run with the suggested --moving-tag succeeds', async () => {
    const host = reg.url.replace(/^https?:\/\//, '')
    expect((await cli(['copy', `${host}/team/app:old`, `${host}/prod/app:v1`]))[0]).toBe(0)
    const refused = await cli(['copy', `${host}/team/app:new`, `${host}/prod/app:v1`])
    const v1 = `${host}/prod/app:v1`
    expect(refused).toEqual([
      1,
      '',
      `${host}/team/app:new is ${b.digest}\n` +
        'promote-image: tag policy "immutable" refuses to move tags:\n' +
        `  ${v1} points at ${a.digest}; promoting ${b.digest} would move it\n` +
        'to promote it, release a new version, or re-run with --moving-tag latest --moving-tag edge --moving-tag v1 ' +
        '(the others stay immutable), or with --tag-policy overwrite (every tag may move)\n'
    ])
    // follow the advice as written: the flags between "re-run with" and " (the others"
    const flags = /re-run with (.*?) \(the others/.exec(refused[2])![1].split(' ')
    const rerun = await cli(['copy', ...flags, `${host}/team/app:new`, v1])
    expect([rerun[0], rerun[1]]).toEqual([0, `${b.digest}\n`])
    const overwrite = await cli(['copy', '--tag-policy', 'overwrite', `${host}/team/app:old`, v1])
    expect([overwrite[0], overwrite[1]]).toEqual([0, `${a.digest}\n`])
  }, 60_000)
})
