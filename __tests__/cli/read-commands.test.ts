/**
 * `digest`, `ls`, `manifest` and `config` against a real registry (issue 19): each one's exact
 * stdout — the digest the registry stores, its tags in order, the manifest bytes as served (odd
 * whitespace kept), the config blob's bytes — and its errors naming the reference.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { request } from 'undici'
import { TAGS_PAGE_SIZE } from '../../src/registry/client.js'
import { runConfig } from '../../src/cli/config.js'
import { runDigest } from '../../src/cli/digest.js'
import type { Io } from '../../src/cli/io.js'
import { runLs } from '../../src/cli/ls.js'
import { runManifest } from '../../src/cli/manifest.js'
import type { ReadCommand } from '../../src/cli/registry-read.js'
import {
  pushImage,
  pushIndex,
  randomBlob,
  sha256,
  type SeededImage,
  type SeededIndex
} from '../helpers/images.js'
import { startProxy } from '../helpers/proxy.js'
import { startRegistry, type TestRegistry } from '../helpers/registry.js'
import { readCommand } from '../helpers/read-command.js'
import { runCliFromSource } from '../helpers/cli-source.js'

const HANDLERS = { digest: runDigest, ls: runLs, manifest: runManifest, config: runConfig }

/** Runs a handler; what it wrote to stdout (bytes kept as bytes) and to stderr. */
async function run(cmd: ReadCommand): Promise<{ stdout: Buffer; stderr: string[] }> {
  const stdout: Buffer[] = []
  const stderr: string[] = []
  const io: Io = {
    out: s => void stdout.push(Buffer.from(s)),
    bytes: b => void stdout.push(Buffer.from(b)),
    log: { debug() {}, info: m => void stderr.push(m), warning: m => void stderr.push(`warning: ${m}`) }
  }
  expect(await HANDLERS[cmd.command](cmd, io)).toBe(0)
  return { stdout: Buffer.concat(stdout), stderr }
}

describe('digest, ls, manifest, config', () => {
  let reg: TestRegistry
  let image: SeededImage
  let index: SeededIndex

  beforeAll(async () => {
    reg = await startRegistry()
    image = await pushImage(reg.url, 'team/one', [randomBlob(2000)], {
      tag: 'v1',
      platform: { os: 'linux', architecture: 'arm64', variant: 'v8' }
    })
    for (const tag of ['v1.1', 'latest', 'a-b'])
      await pushImage(reg.url, 'team/one', [image.blobs[1]], { tag })
    index = await pushIndex(reg.url, 'multi', 'v2', {
      platforms: [
        { os: 'linux', architecture: 'amd64' },
        { os: 'linux', architecture: 'arm64' }
      ],
      shared: [randomBlob(500)],
      uniqueSize: 300
    })
  })
  afterAll(async () => {
    await reg?.stop()
  })

  it('digest REF: the digest and a line break, by tag and by digest; --json with media type and size', async () => {
    expect((await run(readCommand('digest', `${reg.host}/team/one:v1`))).stdout.toString()).toBe(
      `${image.digest}\n`
    )
    expect((await run(readCommand('digest', `${reg.host}/multi:v2`))).stdout.toString()).toBe(
      `${index.digest}\n`
    )
    expect((await run(readCommand('digest', `${reg.host}/multi@${index.digest}`))).stdout.toString()).toBe(
      `${index.digest}\n`
    )
    expect(
      JSON.parse((await run(readCommand('digest', `${reg.host}/multi:v2`, true))).stdout.toString())
    ).toEqual({
      reference: `${reg.host}/multi:v2`,
      digest: index.digest,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      size: index.bytes.length
    })
  })

  it('digest REF of a tag that does not exist fails naming it', async () => {
    await expect(run(readCommand('digest', `${reg.host}/team/one:nope`))).rejects.toThrow(
      `${reg.host}/team/one:nope does not exist`
    )
  })

  it('ls REPOSITORY: every tag, one a line, in the registry order; --json an array; none said on stderr', async () => {
    // the order the registry lists them in (distribution 2.8 sorts only an unpaginated list; the client asks for pages)
    const res = await request(`${reg.url}/v2/team/one/tags/list?n=${TAGS_PAGE_SIZE}`)
    const served = ((await res.body.json()) as { tags: string[] }).tags
    expect([...served].sort()).toEqual(['a-b', 'latest', 'v1', 'v1.1'])
    expect((await run(readCommand('ls', `${reg.host}/team/one`))).stdout.toString()).toBe(
      served.join('\n') + '\n'
    )
    expect((await run(readCommand('ls', `${reg.host}/team/one`, true))).stdout.toString()).toBe(
      JSON.stringify(served) + '\n'
    )
  })

  it('ls of a repository the registry does not know: exit 1 naming it and the 404 NAME_UNKNOWN, as digest names REF; of one emptied of tags: exit 0, nothing listed', async () => {
    const said = `${reg.host}/team/none has no tags, or does not exist (the registry answered 404 NAME_UNKNOWN: repository name not known to registry, as distribution does for a repository that holds no tag; a manifest pushed by digest alone may still be there: promote-image digest ${reg.host}/team/none@sha256:…)`
    const unknown = `promote-image: ${said}\n`
    expect(await runCliFromSource(['ls', `${reg.host}/team/none`])).toEqual({
      status: 1,
      stdout: '',
      stderr: unknown
    })
    // --json: the error object on stdout, as every command's --json failure (json-failure.test.ts)
    expect(await runCliFromSource(['ls', '--json', `${reg.host}/team/none`])).toEqual({
      status: 1,
      stdout:
        JSON.stringify(
          {
            error: said
          },
          null,
          2
        ) + '\n',
      stderr: unknown
    })
    // the other read commands of a missing repository say "does not exist" of the reference the same way
    expect(await runCliFromSource(['digest', `${reg.host}/team/none:v1`])).toEqual({
      status: 1,
      stdout: '',
      stderr: `promote-image: ${reg.host}/team/none:v1 does not exist\n`
    })
    // a repository the registry knows whose last tag went (its manifest deleted): 200 {"tags": null}
    const gone = await pushImage(reg.url, 'team/emptied', [randomBlob(100)], { tag: 'only' })
    const del = await request(`${reg.url}/v2/team/emptied/manifests/${gone.digest}`, { method: 'DELETE' })
    await del.body.dump()
    expect(del.statusCode).toBe(202)
    expect(await runCliFromSource(['ls', `${reg.host}/team/emptied`])).toEqual({
      status: 0,
      stdout: '',
      stderr: `${reg.host}/team/emptied: no tags\n`
    })
    expect(await runCliFromSource(['ls', '--json', `${reg.host}/team/emptied`])).toEqual({
      status: 0,
      stdout: '[]\n',
      stderr: `${reg.host}/team/emptied: no tags\n`
    })
  })

  it('ls of a repository holding a manifest by digest but no tag: not called missing; its advice (digest REPO@D) followed finds the image (newuser6 #16)', async () => {
    const untagged = await pushImage(reg.url, 'team/untagged', [randomBlob(100)])
    const repo = `${reg.host}/team/untagged`
    expect(await runCliFromSource(['ls', repo])).toEqual({
      status: 1,
      stdout: '',
      stderr: `promote-image: ${repo} has no tags, or does not exist (the registry answered 404 NAME_UNKNOWN: repository name not known to registry, as distribution does for a repository that holds no tag; a manifest pushed by digest alone may still be there: promote-image digest ${repo}@sha256:…)\n`
    })
    expect(await runCliFromSource(['digest', `${repo}@${untagged.digest}`])).toEqual({
      status: 0,
      stdout: `${untagged.digest}\n`,
      stderr: ''
    })
  })

  it('manifest REF: the bytes as served (not re-serialised), hashing to the digest', async () => {
    const one = (await run(readCommand('manifest', `${reg.host}/team/one:v1`))).stdout
    expect(one.equals(image.bytes)).toBe(true)
    expect(sha256(one)).toBe(image.digest)
    const multi = (await run(readCommand('manifest', `${reg.host}/multi@${index.digest}`))).stdout
    expect(multi.equals(index.bytes)).toBe(true)
    expect(multi.toString()).toContain('" :  ') // the odd whitespace of the seeded bytes is kept
  })

  it('config REF: the config blob bytes; an index is refused naming each child image', async () => {
    const config = (await run(readCommand('config', `${reg.host}/team/one:v1`))).stdout
    expect(config.equals(image.blobs[0].bytes)).toBe(true)
    expect(JSON.parse(config.toString())).toMatchObject({ os: 'linux', architecture: 'arm64', variant: 'v8' })
    const [amd, arm] = index.children
    await expect(run(readCommand('config', `${reg.host}/multi:v2`))).rejects.toThrow(
      `${reg.host}/multi:v2 is an index, which has no config; name one of its images: ` +
        `${reg.host}/multi@${amd.digest} (linux/amd64), ${reg.host}/multi@${arm.digest} (linux/arm64)`
    )
    const child = (await run(readCommand('config', `${reg.host}/multi@${arm.digest}`))).stdout
    expect(child.equals(arm.blobs[0].bytes)).toBe(true)
  })

  it('config REF: a config blob served 1 MiB longer than its size, no length announced: its size kept with a warning, the digest decides (review6 #4)', async () => {
    const proxy = await startProxy(reg.url)
    const config = image.blobs[0]
    const long = Buffer.concat([config.bytes, Buffer.alloc(1024 * 1024, 0x20)])
    proxy.setFault(req =>
      req.method === 'GET' && req.url!.endsWith(`/blobs/${config.digest}`)
        ? // no length announced: as with a Content-Length past the size, the read keeps the size
          // and the digest decides, as crane's (registry/over-announced.test.ts, newuser6 #22)
          { kind: 'respond', status: 200, headers: { 'transfer-encoding': 'chunked' }, body: long }
        : undefined
    )
    try {
      // before: refused '(more bytes than its size) (N + 1 bytes)'
      const r = await run(readCommand('config', `${proxy.host}/team/one:v1`))
      expect([r.stdout.equals(config.bytes), r.stderr]).toEqual([
        true,
        [
          `warning: ${proxy.host} sent more than ${config.bytes.length} bytes for blob ${config.digest} of team/one, which is ${config.bytes.length} bytes (the image's descriptor): reading ${config.bytes.length} bytes, the digest decides`
        ]
      ])
      expect(proxy.count('GET', /\/blobs\//)).toBe(1)
    } finally {
      await proxy.stop()
    }
  })
})
