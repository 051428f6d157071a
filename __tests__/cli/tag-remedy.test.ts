/**
 * A tag the immutable policy refuses: the CLI's refusal ends with the remedies that work, named
 * as its flags, and re-running with the one it suggests succeeds. CLI from source, real registry.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import {
  blobOf,
  CONFIG,
  OCI_MANIFEST,
  oddJson,
  pushBlob,
  pushImage,
  pushManifest,
  randomBlob,
  rawManifest,
  type SeededImage
} from '../helpers/images.js'
import { cosignTags } from '../../src/referrers/discovery.js'
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
        'to promote it, give tags no target holds yet, or re-run with --moving-tag latest --moving-tag edge --moving-tag v1 ' +
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

/** A cosign `.sig` manifest: one payload layer per signature, each signature in its layer's annotation. */
async function pushSignatures(url: string, repo: string, tag: string, signatures: string[]): Promise<string> {
  const type = 'application/vnd.dev.cosign.simplesigning.v1+json'
  const payload = blobOf(Buffer.from('{"critical":{"type":"cosign container image signature"}}'), type)
  const config = blobOf(Buffer.from(`{"signatures":${JSON.stringify(signatures)}}`), CONFIG)
  await pushBlob(url, repo, config)
  await pushBlob(url, repo, payload)
  const bytes = oddJson({
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: { mediaType: CONFIG, digest: config.digest, size: config.bytes.length },
    layers: signatures.map(sig => ({
      mediaType: type,
      digest: payload.digest,
      size: payload.bytes.length,
      annotations: { 'dev.cosignproject.cosign/signature': sig }
    }))
  })
  return await pushManifest(url, repo, tag, bytes, OCI_MANIFEST)
}

describe("cosign's .sig tag under the immutable policy (newuser finding 20)", () => {
  let reg: TestRegistry
  beforeAll(async () => {
    reg = await startRegistry()
  }, 30_000)
  afterAll(async () => {
    await reg?.stop()
  })

  it('a signature added at the source re-promotes; one the target holds alone is refused with advice that works, followed as written', async () => {
    const host = reg.url.replace(/^https?:\/\//, '')
    const img = await pushImage(reg.url, 'stage/app', [randomBlob(700)], { tag: 'v1' })
    const [sigTag] = cosignTags(img.digest)
    const [src, dst] = [`${host}/stage/app:v1`, `${host}/prod/app:v1`]
    await pushSignatures(reg.url, 'stage/app', sigTag, ['MEUC-staging'])
    expect((await cli(['copy', src, dst]))[0]).toBe(0)
    // cosign sign at staging: .sig rewritten with both signatures (before: refused, advice --tag-policy overwrite)
    const both = await pushSignatures(reg.url, 'stage/app', sigTag, ['MEUC-staging', 'MEYC-release'])
    const appended = await cli(['copy', src, dst])
    expect(appended.slice(0, 2)).toEqual([0, `${img.digest}\n`])
    // the result table's row for the tag: the move says it adds signatures
    const row = appended[2].split('\n').find(l => l.includes(`${sigTag} `))
    expect(row?.trim().split(/ {2,}/)).toEqual([
      `${host}/prod/app`,
      sigTag,
      'cosign',
      both,
      'tag',
      'move (signatures added)'
    ])
    expect((await rawManifest(reg.url, 'prod/app', sigTag))?.digest).toBe(both)
    // production signs too: the source's .sig lacks that signature, so moving it would drop one
    const prod = await pushSignatures(reg.url, 'prod/app', sigTag, [
      'MEUC-staging',
      'MEYC-release',
      'MEQC-prod'
    ])
    expect(await cli(['copy', src, dst])).toEqual([
      1,
      '',
      `${src} is ${img.digest}\n` +
        'promote-image: tag policy "immutable" refuses to move tags:\n' +
        `  ${host}/prod/app:${sigTag} holds other signatures (${prod}); promoting would replace them with ${both}\n` +
        "to promote it, give the source's cosign tag every signature the target holds there (cosign sign or cosign attach signature at the source) " +
        'and re-run (a cosign tag that keeps every signature held there moves under any tag policy), or re-run with --tag-policy overwrite ' +
        '(every tag may move, and cosign tags are replaced, dropping the signatures held there now)\n'
    ])
    expect((await rawManifest(reg.url, 'prod/app', sigTag))?.digest).toBe(prod)
    // the advice followed: the production signature attached at the source too, then the same command
    const all = await pushSignatures(reg.url, 'stage/app', sigTag, [
      'MEUC-staging',
      'MEYC-release',
      'MEQC-prod',
      'MEUD-late'
    ])
    expect((await cli(['copy', src, dst])).slice(0, 2)).toEqual([0, `${img.digest}\n`])
    expect((await rawManifest(reg.url, 'prod/app', sigTag))?.digest).toBe(all)
  }, 60_000)
})

describe('promote -f: a tag the immutable policy refuses (newuser finding 26)', () => {
  let reg: TestRegistry
  let dir: string
  beforeAll(async () => {
    reg = await startRegistry()
    dir = await mkdtemp(join(tmpdir(), 'pi-tag-remedy-'))
  }, 30_000)
  afterAll(async () => {
    await reg?.stop()
    await rm(dir, { recursive: true, force: true })
  })

  it("is refused with the remedies in the file's keys; the file changed as the advice says promotes it", async () => {
    const host = reg.url.replace(/^https?:\/\//, '')
    const a = await pushImage(reg.url, 'team/app', [randomBlob(900)], { tag: 'old' })
    const b = await pushImage(reg.url, 'team/app', [randomBlob(900)], { tag: 'new' })
    expect((await cli(['copy', `${host}/team/app:old`, `${host}/prod/pol:v1`]))[0]).toBe(0)
    const file = join(dir, 'rel.yaml')
    const entry = (extra: string) =>
      `images:\n  - name: moved\n    source: ${host}/team/app:new\n    targets: [${host}/prod/pol]\n    tags: [v1]\n${extra}`
    await writeFile(file, entry(''))
    const [status, , stderr] = await cli(['promote', '-f', file])
    expect(status).toBe(1)
    const remedy =
      `to promote it, give tags no target holds yet, or set moving-tags: [latest, edge, v1] for image moved in ${file} ` +
      '(the others stay immutable), or set tag-policy: overwrite for it (every tag may move)'
    expect(stderr).toContain(
      'promote-image: 1 of 1 images failed:\n' +
        '  moved: tag policy "immutable" refuses to move tags:\n' +
        `  ${host}/prod/pol:v1 points at ${a.digest}; promoting ${b.digest} would move it\n` +
        remedy
    )
    // the advice followed as written: the key and its value into the image's entry
    const key = /set (moving-tags: \[.*?\]) for image/.exec(stderr)![1]
    await writeFile(file, entry(`    ${key}\n`))
    const rerun = await cli(['promote', '-f', file])
    expect([rerun[0], rerun[1]]).toEqual([0, `moved ${b.digest}\n`])
  }, 60_000)
})
