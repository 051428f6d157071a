/**
 * newuser6 #1: a plain-http registry on a name that is not loopback (a LAN box's `registry:2`) is
 * reached over https, as every such registry is, and answers the TLS handshake in plain text. The
 * message says so and names the option that allows plain http for it, in the words of the CLI
 * (`--insecure HOST:PORT`) and of the action (`insecure-registries`); following it works. A real
 * docker-registry on 127.0.0.1, reached as `lab.test:PORT` (helpers/lab-names.ts: the name resolves
 * to 127.0.0.1 in this process only).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runAction } from '../helpers/action.js'
import { listTags, pushImage, randomBlob, type SeededImage } from '../helpers/images.js'
import { resolveToLoopback } from '../helpers/lab-names.js'
import { runMain } from '../helpers/main-run.js'
import { startRegistry, type TestRegistry } from '../helpers/registry.js'

const NAME = 'lab.test'
const CODE = 'ERR_SSL_WRONG_VERSION_NUMBER'

describe('a plain-http registry that is not loopback by name', () => {
  let lab: TestRegistry
  let target: TestRegistry
  let image: SeededImage
  let host: string
  let restore: () => void
  let work: string
  const saved = { ...process.env }

  beforeAll(async () => {
    ;[lab, target] = await Promise.all([startRegistry(), startRegistry()])
    image = await pushImage(lab.url, 'team/app', [randomBlob(20_000)], { tag: 'v1' })
    host = lab.host.replace('127.0.0.1', NAME)
    restore = resolveToLoopback([NAME])
    work = await mkdtemp(join(tmpdir(), 'pi-plain-answer-'))
  })
  afterAll(async () => {
    restore?.()
    process.env = saved
    await Promise.all([lab?.stop(), target?.stop()])
    if (work) await rm(work, { recursive: true, force: true })
  })

  const said = (h: string) =>
    `registry ${h} answered the TLS handshake in plain text, as a registry serving plain http does (${CODE})`

  it('CLI: the message says what the registry answered and names --insecure HOST:PORT; followed, the copy works', async () => {
    const src = `${host}/team/app:v1`
    const failed = await runMain(['copy', src, `${target.host}/a/b:v1`])
    expect(failed.status).toBe(1)
    expect(failed.stdout).toBe('')
    // before: 'promote-image: registry lab.test:PORT: cannot connect (ERR_SSL_WRONG_VERSION_NUMBER)'
    expect(failed.stderr.trim().split('\n').at(-1)).toBe(
      `promote-image: ${said(host)}; if it serves plain http, allow that with --insecure ${host}`
    )
    expect(await listTags(target.url, 'a/b')).toEqual([])

    const fixed = await runMain(['copy', '--insecure', host, src, `${target.host}/a/b:v1`])
    expect(fixed.status).toBe(0)
    expect(fixed.stdout).toBe(`${image.digest}\n`)
    expect(fixed.stderr.split('\n').filter(l => l.startsWith('warning:'))).toEqual([
      `warning: registry ${host} is listed with --insecure: plain http, no TLS`
    ])
    expect(await listTags(target.url, 'a/b')).toEqual(['v1'])
  }, 60_000)

  it('CLI: --insecure HOST without the port: the advice says it covers no other port; followed, it works', async () => {
    const failed = await runMain(['ls', '--insecure', NAME, `${host}/team/app`])
    expect(failed.status).toBe(1)
    expect(failed.stderr.trim().split('\n').at(-1)).toBe(
      `promote-image: ${said(host)}; --insecure ${NAME} names no port; this registry is ${host}: give --insecure ${host} if it serves plain http`
    )
    const fixed = await runMain(['ls', '--insecure', host, `${host}/team/app`])
    expect(fixed.status).toBe(0)
    expect(fixed.stdout).toBe('v1\n')
  }, 60_000)

  it('action: the error names insecure-registries; followed, the promotion works', async () => {
    const inputs = { source: `${host}/team/app:v1`, targets: `${target.host}/ph/one`, tags: 'v1' }
    const failed = await runAction(work, 'plain-answer', inputs)
    expect(failed.failed).toBe(1)
    expect(failed.log.split('\n').filter(l => l.startsWith('::error'))).toEqual([
      `::error::${said(host)}; if it serves plain http, list ${host} in insecure-registries to allow that`
    ])
    expect(failed.outputText).toBe('')
    expect(await listTags(target.url, 'ph/one')).toEqual([])

    const fixed = await runAction(work, 'plain-answer-listed', { ...inputs, 'insecure-registries': host })
    expect(fixed.failed).toBeUndefined()
    expect(fixed.outputs.digest).toBe(image.digest)
    expect(await listTags(target.url, 'ph/one')).toEqual(['v1'])
  }, 60_000)
})
