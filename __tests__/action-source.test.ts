/**
 * The action with `source` (promote an existing image, build nothing) through its entry point, real
 * registries: a build input given with it would be ignored, so it is refused, naming both inputs,
 * before any request (newuser finding 17); with no targets the log says nothing was promoted (finding 22).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runAction } from './helpers/action.js'
import { startRegistry, type TestRegistry } from './helpers/registry.js'
import { listTags, pushImage, randomBlob } from './helpers/images.js'

const BUILD =
  'not with "source": the source is promoted as it is, nothing is built (to build, give "staging-image" instead of "source")'

describe('action: source with build inputs', () => {
  let staging: TestRegistry
  let prod: TestRegistry
  let work: string
  const saved = { ...process.env }

  beforeAll(async () => {
    ;[staging, prod] = await Promise.all([startRegistry(), startRegistry()])
    work = await mkdtemp(join(tmpdir(), 'pi-source-'))
    await pushImage(staging.url, 'ci/app', [randomBlob(1024)], { tag: 'rc-1' })
  })
  afterAll(async () => {
    process.env = saved
    await Promise.all([staging, prod].map(r => r?.stop()))
    await rm(work, { recursive: true, force: true })
  })

  it.each([
    [
      'platforms',
      'linux/arm64',
      'input "platforms": not with "source": nothing is built from a source; to promote some of its platforms, use "promote-platforms"'
    ],
    ['build-args', 'A=1', `input "build-args": ${BUILD}`],
    ['context', '/nonexistent', `input "context": ${BUILD}`],
    ['no-cache', 'true', `input "no-cache": ${BUILD}`]
  ])('%s: %s is refused, nothing is promoted', async (input, value, message) => {
    // before: exit 0, the source promoted as it is, the input ignored without a word
    const r = await runAction(work, `source-${input}`, {
      source: `${staging.host}/ci/app:rc-1`,
      targets: `${prod.host}/prod/app`,
      tags: 'v1',
      [input]: value
    })
    expect(r.failed).toBe(1)
    expect(r.log.split('\n').filter(l => l.startsWith('::error'))).toEqual([`::error::${message}`])
    expect(r.outputText).toBe('')
    expect(await listTags(prod.url, 'prod/app')).toEqual([])
  })

  it("action.yml's defaults (context '.', no-cache, pull and rebuild 'false') are not given inputs", async () => {
    const r = await runAction(work, 'source-defaults', {
      source: `${staging.host}/ci/app:rc-1`,
      targets: `${prod.host}/prod/app`,
      tags: 'v1',
      context: '.',
      'no-cache': 'false',
      pull: 'false',
      rebuild: 'false'
    })
    expect(r.failed).toBeUndefined()
    expect(await listTags(prod.url, 'prod/app')).toEqual(['v1'])
  })

  it('a source with no tag: the error names the input and that :latest was read (newuser3 finding 4)', async () => {
    // before: '::error::HOST/ci/app:latest does not exist', naming neither the input nor the default
    const r = await runAction(work, 'source-untagged', {
      source: `${staging.host}/ci/app`,
      targets: `${prod.host}/prod/untagged`,
      tags: 'v2'
    })
    const message = `input "source": "${staging.host}/ci/app" names no tag, so :latest was read, and ${staging.host}/ci/app has no tag latest`
    expect(r.failed).toBe(1)
    expect(r.log.split('\n').filter(l => l.startsWith('::error'))).toEqual([`::error::${message}`])
    expect(r.summary).toBe(
      // the title as the promotion's would be (newuser3 finding 13; before: the source's name, no version)
      `## ❌ untagged v2 not promoted\n\n${message.replaceAll('"', '&quot;')}\n\n**From**: <code>${staging.host}/ci/app</code>\n`
    )
    expect(await listTags(prod.url, 'prod/untagged')).toEqual([])
  })

  it('no targets: no empty table, and the log says nothing was promoted (newuser finding 22)', async () => {
    const r = await runAction(work, 'source-none', { source: `${staging.host}/ci/app:rc-1` })
    expect(r.failed).toBeUndefined()
    const d = r.outputs.digest
    expect(d).toMatch(/^sha256:[0-9a-f]{64}$/)
    // before: a table header with no rows, then "promoted …@sha256:… to 0 targets (by digest only)"
    expect(r.log).not.toMatch(/^target\s+blobs/m)
    // nothing at all is produced: the one run that is worth an annotation (newuser6 #9)
    expect(r.log.split('\n').filter(l => l.startsWith('::warning::'))).toEqual([
      '::warning::no targets: nothing is promoted'
    ])
    expect(r.log.split('\n').filter(l => l.includes(d) && !l.startsWith('::'))).toEqual([
      `staging: ${staging.host}/ci/app:rc-1 = ${d}`,
      `no targets: ${staging.host}/ci/app@${d} is at staging, nothing was promoted`
    ])
  })
})
