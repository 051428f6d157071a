/**
 * A reader of stdout that goes away (`ls REPO | head -1`, `copy … | true`): the CLI ends quietly
 * with the command's own exit status, as coreutils and crane/skopeo do (newuser6 #24). Before, the
 * first write after the reader left threw Node's unhandled 'error' event (`Error: write EPIPE`, a
 * stack trace on stderr) and exited 1, after a copy that had succeeded too.
 */
import { spawn } from 'node:child_process'
import { tmpdir } from 'node:os'
import { resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  listTags,
  OCI_MANIFEST,
  pushImage,
  pushManifest,
  randomBlob,
  rawManifest,
  type SeededImage
} from '../helpers/images.js'
import { startRegistry, type TestRegistry } from '../helpers/registry.js'

const root = resolve(import.meta.dirname, '../..')

/** Runs the CLI from source with its stdout's reading end closed at once; its status and stderr. */
function runWithStdoutClosed(args: string[]): Promise<{ status: number | null; stderr: string }> {
  return new Promise(done => {
    const child = spawn(process.execPath, ['--import', 'tsx', resolve(root, 'src/cli.ts'), ...args], {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: tmpdir(),
        ...(process.env.XDG_CACHE_HOME ? { XDG_CACHE_HOME: process.env.XDG_CACHE_HOME } : {})
      }
    })
    // the reader goes away before the CLI writes anything: its first write meets EPIPE
    child.stdout.destroy()
    let stderr = ''
    child.stderr.on('data', d => (stderr += d))
    child.on('exit', status => done({ status, stderr }))
  })
}

describe('stdout whose reader has gone', () => {
  let reg: TestRegistry
  let image: SeededImage

  beforeAll(async () => {
    reg = await startRegistry()
    image = await pushImage(reg.url, 'src/one', [randomBlob(3000)], { tag: 'rc1' })
    // a listing longer than a pipe holds (64 KiB): `ls | head -1` as newuser6 ran it
    const long = await pushImage(reg.url, 'long/one', image.blobs.slice(1), { tag: 'first' })
    for (let i = 0; i < 700; i++)
      await pushManifest(
        reg.url,
        'long/one',
        `t${String(i).padStart(3, '0')}-${'x'.repeat(100)}`,
        long.bytes,
        OCI_MANIFEST
      )
  })
  afterAll(async () => {
    await reg?.stop()
  })

  it('ls REPO: exit 0, nothing on stderr', async () => {
    expect(await runWithStdoutClosed(['ls', `${reg.host}/long/one`])).toEqual({ status: 0, stderr: '' })
  })

  it('digest REF: exit 0, nothing on stderr', async () => {
    expect(await runWithStdoutClosed(['digest', `${reg.host}/src/one:rc1`])).toEqual({
      status: 0,
      stderr: ''
    })
  })

  it('copy: the copy is done and says so on stderr; exit 0, no EPIPE', async () => {
    const run = await runWithStdoutClosed(['copy', `${reg.host}/src/one:rc1`, `${reg.host}/dst/one:v1`])
    expect(run.stderr).not.toMatch(/EPIPE|Unhandled|node:events/)
    expect(run.status).toBe(0)
    expect(await listTags(reg.url, 'dst/one')).toEqual(['v1'])
    expect((await rawManifest(reg.url, 'dst/one', 'v1'))?.digest).toBe(image.digest)
  })
})
