/**
 * The release workflow (.github/workflows/release.yml, issue 22 item 3) does what it says, in order:
 * on a vX.Y.Z tag, the tag must be package.json's version; dist/ checked; the tests; the release
 * notes cut from CHANGELOG.md; npm publish with provenance; the GitHub release from those notes;
 * the major tag (v1) moved to the commit. Its own shell steps are run here as GitHub runs them
 * (bash -eo pipefail): the version check, the notes (this repository's CHANGELOG.md), and the
 * major tag moved in a scratch git repository with a bare origin. Only the steps that need GitHub
 * (npm publish, gh release) are not run.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parse as parseYaml } from 'yaml'

const root = resolve(import.meta.dirname, '..')

interface Step {
  name?: string
  uses?: string
  run?: string
  env?: Record<string, string>
}
const workflow = parseYaml(readFileSync(join(root, '.github/workflows/release.yml'), 'utf8')) as {
  on: { push: { tags: string[] } }
  jobs: { release: { permissions: Record<string, string>; steps: Step[] } }
}
const steps = workflow.jobs.release.steps
const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version

/** The run script of the step named `name` (fails when there is none). */
function script(name: string): string {
  const step = steps.find(s => s.name === name)
  if (!step?.run) throw new Error(`release.yml has no step "${name}" with a run script`)
  return step.run
}

/** Runs `run` as a GitHub step runs it (bash --noprofile --norc -eo pipefail) in `cwd`, with only PATH, HOME and `env`. */
function bash(run: string, cwd: string, env: Record<string, string>) {
  return spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', run], {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: tmpdir(), ...env }
  })
}

function git(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH ?? '',
      HOME: tmpdir(),
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@example.com',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@example.com'
    }
  })
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`)
  return r.stdout.trim()
}

describe('release.yml', () => {
  let work: string
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'pi-release-'))
  })
  afterAll(async () => {
    await rm(work, { recursive: true, force: true })
  })

  it('runs on a version tag, and checks, tests, publishes with provenance, releases and moves the major tag in that order', () => {
    expect(workflow.on.push.tags).toEqual(['v[0-9]+.[0-9]+.[0-9]+'])
    expect(workflow.jobs.release.permissions).toEqual({ contents: 'write', 'id-token': 'write' })
    const order = [
      'The tag is the version in package.json',
      'npm ci',
      'npm run check-dist',
      'npm test',
      'Release notes from CHANGELOG.md',
      'npm publish --provenance --access public',
      'gh release create "$TAG" --verify-tag --title "$TAG" --notes-file "$RUNNER_TEMP/notes.md"',
      'Move the major tag'
    ]
    const at = order.map(what => steps.findIndex(s => s.name === what || (s.run ?? '').includes(what)))
    expect(at.every(i => i >= 0)).toBe(true)
    expect([...at].sort((a, b) => a - b)).toEqual(at)
  })

  it('the version check: the tag must be v + package.json’s version', () => {
    const run = script('The tag is the version in package.json')
    expect(bash(run, root, { TAG: `v${version}` }).status).toBe(0)
    expect(bash(run, root, { TAG: 'v99.0.0' }).status).toBe(1)
  })

  it(`the release notes: CHANGELOG.md's section of the version (${version}), and none is an error`, async () => {
    const run = script('Release notes from CHANGELOG.md')
    const ok = bash(run, root, { TAG: `v${version}`, RUNNER_TEMP: work })
    expect([ok.status, ok.stderr]).toEqual([0, ''])
    // the section as a person reads it: after its heading, up to the next version's heading
    const lines = readFileSync(join(root, 'CHANGELOG.md'), 'utf8').split('\n')
    const start = lines.findIndex(l => l.startsWith(`## [${version}]`))
    const end = lines.findIndex((l, i) => i > start && l.startsWith('## ['))
    // (the last section ends at the file's end: its final newline starts no line)
    const section = lines.slice(start + 1, end < 0 ? (lines.at(-1) === '' ? -1 : undefined) : end)
    expect(section.join('\n').trim().length).toBeGreaterThan(0)
    expect(await readFile(join(work, 'notes.md'), 'utf8')).toBe(section.join('\n') + '\n')
    const none = bash(run, root, { TAG: 'v99.0.0', RUNNER_TEMP: work })
    expect([none.status, none.stderr]).toEqual([1, 'CHANGELOG.md has no section for v99.0.0\n'])
  })

  it('moves the major tag to the released commit at the origin (v1.2.0 → v1), from wherever it was', () => {
    const origin = join(work, 'origin.git')
    const clone = join(work, 'clone')
    git(work, 'init', '-q', '--bare', origin)
    git(work, 'init', '-q', clone)
    git(clone, 'commit', '-q', '--allow-empty', '-m', 'one')
    const first = git(clone, 'rev-parse', 'HEAD')
    git(clone, 'tag', 'v1', first)
    git(clone, 'commit', '-q', '--allow-empty', '-m', 'two')
    const second = git(clone, 'rev-parse', 'HEAD')
    git(clone, 'remote', 'add', 'origin', origin)
    git(clone, 'push', '-q', 'origin', 'HEAD:refs/heads/main', 'refs/tags/v1')
    expect(git(origin, 'rev-parse', 'v1^{commit}')).toBe(first)
    const r = bash(script('Move the major tag'), clone, { TAG: 'v1.2.0', GITHUB_SHA: second })
    expect(r.status).toBe(0)
    expect(git(origin, 'rev-parse', 'v1^{commit}')).toBe(second)
    expect(git(origin, 'for-each-ref', '--format=%(contents:subject)', 'refs/tags/v1')).toBe('v1 -> v1.2.0')
  })
})
