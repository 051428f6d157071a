/**
 * The action end to end: BuildKit build of examples/hello, push to a staging registry, promotion by
 * digest to two production registries, read back with skopeo.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseOutputs } from './helpers/action.js'
import { startRegistry, type TestRegistry } from './helpers/registry.js'
import { ensureDockerd, buildkitCli } from './helpers/dockerd.js'
import { listTags, pushImage, randomBlob } from './helpers/images.js'
import { startGitHubApi } from './helpers/github-api.js'

const root = resolve(import.meta.dirname, '..')

function skopeoRawDigest(ref: string): string {
  const raw = execFileSync('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${ref}`])
  return `sha256:${createHash('sha256').update(raw).digest('hex')}`
}

describe('action: build, stage, promote to two registries', () => {
  let regs: TestRegistry[]
  let work: string
  const saved = { ...process.env }

  beforeAll(async () => {
    await ensureDockerd()
    regs = await Promise.all([startRegistry(), startRegistry(), startRegistry()])
    work = await mkdtemp(join(tmpdir(), 'pi-main-'))
  })
  afterAll(async () => {
    process.env = saved
    await Promise.all(regs.map(r => r.stop()))
    await rm(work, { recursive: true, force: true })
  })

  function setInputs(inputs: Record<string, string>, outputFile: string): void {
    for (const k of Object.keys(process.env)) if (k.startsWith('INPUT_')) delete process.env[k]
    for (const [k, v] of Object.entries(inputs)) process.env[`INPUT_${k.toUpperCase()}`] = v
    process.env.GITHUB_OUTPUT = outputFile
    delete process.env.GITHUB_STEP_SUMMARY
  }

  it('promotes the pushed manifest digest (never the config digest) to both targets', async () => {
    const [staging, a, b] = regs
    const outputFile = join(work, 'out1')
    await writeFile(outputFile, '')
    setInputs(
      {
        context: join(root, 'examples/hello'),
        'staging-image': `${staging.host}/ci/hello:run-1`,
        tags: 'v1.2.3\n1.2',
        targets: `${a.host}/prod/hello\n${b.host}/mirror/hello`,
        'docker-cli': buildkitCli()
      },
      outputFile
    )
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true)
    const { run } = await import('../src/main.js')
    try {
      await run()
    } finally {
      write.mockRestore()
    }
    const failed = process.exitCode
    process.exitCode = undefined
    expect(failed).toBeUndefined()
    const outputs = parseOutputs(await readFile(outputFile, 'utf8'))
    const digest = outputs.digest
    expect(digest).toMatch(/^sha256:[a-f0-9]{64}$/)
    const staged = skopeoRawDigest(`${staging.host}/ci/hello:run-1`)
    expect(staged).toBe(digest)
    expect(skopeoRawDigest(`${a.host}/prod/hello:v1.2.3`)).toBe(digest)
    expect(skopeoRawDigest(`${b.host}/mirror/hello:1.2`)).toBe(digest)
    expect(outputs['staging-ref']).toBe(`${staging.host}/ci/hello@${digest}`)
    expect(await listTags(a.url, 'prod/hello')).toEqual(['1.2', 'v1.2.3'])
    expect(await listTags(b.url, 'mirror/hello')).toEqual(['1.2', 'v1.2.3'])
    const config = JSON.parse(
      execFileSync('skopeo', [
        'inspect',
        '--raw',
        '--tls-verify=false',
        `docker://${a.host}/prod/hello:v1.2.3`
      ]).toString()
    ).config.digest
    expect(config).not.toBe(digest)
    expect(JSON.parse(outputs.promoted)).toEqual([
      {
        target: `${a.host}/prod/hello`,
        digest,
        tags: ['v1.2.3', '1.2'],
        references: [
          `${a.host}/prod/hello@${digest}`,
          `${a.host}/prod/hello:v1.2.3`,
          `${a.host}/prod/hello:1.2`
        ]
      },
      {
        target: `${b.host}/mirror/hello`,
        digest,
        tags: ['v1.2.3', '1.2'],
        references: [
          `${b.host}/mirror/hello@${digest}`,
          `${b.host}/mirror/hello:v1.2.3`,
          `${b.host}/mirror/hello:1.2`
        ]
      }
    ])
    expect(outputs.tags).toBe('v1.2.3\n1.2')
  })

  it('fails the step on a bad tag input before building or sending anything', async () => {
    const [staging, a] = regs
    const outputFile = join(work, 'out2')
    await writeFile(outputFile, '')
    setInputs(
      { 'staging-image': `${staging.host}/ci/bad`, tags: '.hidden', targets: `${a.host}/prod/bad` },
      outputFile
    )
    const lines: string[] = []
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(s => (lines.push(String(s)), true))
    const { run } = await import('../src/main.js')
    try {
      await run()
    } finally {
      write.mockRestore()
    }
    const failed = process.exitCode
    process.exitCode = undefined
    expect(failed).toBe(1)
    expect(lines.join('')).toContain(
      '::error::input "tags": ".hidden": tag ".hidden": a tag is 1 to 128 characters from [A-Za-z0-9_.-] and must not start with "." or "-"'
    )
    expect(await listTags(staging.url, 'ci/bad')).toEqual([])
  })

  it('promotes an existing source (no build) and records a GitHub deployment with the stand-in API', async () => {
    const [staging, a] = regs
    const image = await pushImage(staging.url, 'ci/existing', [randomBlob(4096)], { tag: 'rc-1' })
    const api = await startGitHubApi()
    const outputFile = join(work, 'out3')
    await writeFile(outputFile, '')
    setInputs(
      {
        source: `${staging.host}/ci/existing:rc-1`,
        tags: 'v9',
        targets: `${a.host}/prod/existing`,
        'deployment-environment': 'production',
        'github-token': 'ghs_test_token_123'
      },
      outputFile
    )
    Object.assign(process.env, {
      GITHUB_API_URL: api.url,
      GITHUB_REPOSITORY: 'octo/app',
      GITHUB_SHA: 'c'.repeat(40),
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_RUN_ID: '77'
    })
    delete process.env.GITHUB_EVENT_PATH
    const lines: string[] = []
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(s => (lines.push(String(s)), true))
    const { run } = await import('../src/main.js')
    try {
      await run()
    } finally {
      write.mockRestore()
      await api.stop()
    }
    const failed = process.exitCode
    process.exitCode = undefined
    expect(failed).toBeUndefined()
    const outputs = parseOutputs(await readFile(outputFile, 'utf8'))
    expect(outputs.digest).toBe(image.digest)
    expect(outputs['deployment-id']).toBe('1')
    expect(api.calls.map(c => `${c.method} ${c.path}`)).toEqual([
      'POST /repos/octo/app/deployments',
      'POST /repos/octo/app/deployments/1/statuses'
    ])
    const body = api.calls[0].body as {
      environment: string
      ref: string
      payload: { digest: string; targets: unknown[] }
    }
    expect([body.environment, body.ref, body.payload.digest]).toEqual([
      'production',
      'c'.repeat(40),
      image.digest
    ])
    expect(body.payload.targets).toEqual([
      {
        target: `${a.host}/prod/existing`,
        digest: image.digest,
        tags: ['v9'],
        references: [`${a.host}/prod/existing@${image.digest}`, `${a.host}/prod/existing:v9`]
      }
    ])
    expect((api.calls[1].body as { state: string }).state).toBe('success')
    expect(lines.join('')).toContain('::add-mask::ghs_test_token_123')
    expect(lines.filter(l => !l.startsWith('::add-mask::')).join('')).not.toContain('ghs_test_token_123')
    expect(await listTags(a.url, 'prod/existing')).toEqual(['v9'])
  })
})
