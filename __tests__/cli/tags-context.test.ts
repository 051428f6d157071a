/**
 * `promote-image tags` outside GitHub Actions (newuser6 #12): rules that give no tag say why on
 * stderr (the ref, where it came from, what the rule needs, how to preview another ref), and
 * GITHUB_REF / GITHUB_SHA set take the ref and commit, the advice followed giving the release's
 * tags; outside a work tree, the refusal names both ways out and GITHUB_REF alone is enough.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from '@jest/globals'
import { runCliFromSource } from '../helpers/cli-source.js'

const SEMVER = ['--tags', 'type=semver,pattern={{version}}']
const NEEDS = 'type=semver needs a tag ref such as refs/tags/v1.2.3'
const PREVIEW = 'to preview another ref, set GITHUB_REF (GITHUB_REF=refs/tags/v1.2.3 promote-image tags …)'

describe('tags outside GitHub Actions', () => {
  let repo: string
  let sha: string
  beforeAll(() => {
    repo = mkdtempSync(join(tmpdir(), 'tags-ctx-'))
    const git = (...a: string[]): string =>
      execFileSync('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@t', ...a], {
        encoding: 'utf8'
      })
    git('init', '-q', '-b', 'main')
    git('commit', '-q', '--allow-empty', '-m', 'one')
    sha = git('rev-parse', 'HEAD').trim()
  })

  it('a semver rule on a branch: nothing on stdout, the reason and the way out on stderr, exit 0', async () => {
    // before: no output at all, exit 0
    expect(await runCliFromSource(['tags', ...SEMVER], {}, repo)).toEqual({
      status: 0,
      stdout: '',
      stderr: `warning: --tags: its rule gives no tag on refs/heads/main, the local checkout's HEAD (${NEEDS}); ${PREVIEW}\n`
    })
    const json = await runCliFromSource(['tags', '--json', ...SEMVER, '--tags', 'type=edge'], {}, repo)
    expect([json.status, json.stdout, json.stderr]).toEqual([
      0,
      '[]\n',
      `warning: --tags: its 2 rules give no tag on refs/heads/main, the local checkout's HEAD (${NEEDS}; type=edge needs a push to the default branch; type=edge: no branch= given and the default branch is unknown); ${PREVIEW}\n`
    ])
  })

  it('the advice followed: GITHUB_REF (and GITHUB_SHA) outside Actions take the ref and commit', async () => {
    // before: GITHUB_REF ignored outside Actions, nothing printed
    expect(
      await runCliFromSource(
        ['tags', ...SEMVER, '--tags', 'type=sha', '--image', 'ghcr.io/org/app'],
        { GITHUB_REF: 'refs/tags/v2.0.0', GITHUB_SHA: 'b'.repeat(40) },
        repo
      )
    ).toEqual({
      status: 0,
      stdout: 'ghcr.io/org/app:2.0.0\nghcr.io/org/app:sha-bbbbbbb\nghcr.io/org/app:latest\n',
      stderr: ''
    })
    // GITHUB_REF alone: the local checkout's commit
    const own = await runCliFromSource(
      ['tags', '--tags', 'type=sha'],
      { GITHUB_REF: 'refs/tags/v2.0.0' },
      repo
    )
    expect(own).toEqual({ status: 0, stdout: `sha-${sha.slice(0, 7)}\n`, stderr: '' })
    // a GITHUB_REF on which the rule gives nothing says so, naming the variable
    const branch = await runCliFromSource(['tags', ...SEMVER], { GITHUB_REF: 'refs/heads/dev' }, repo)
    expect(branch.stderr).toBe(
      `warning: --tags: its rule gives no tag on refs/heads/dev, from GITHUB_REF (${NEEDS}); ${PREVIEW}\n`
    )
  })

  it('outside a work tree: the refusal names both ways out; GITHUB_REF followed is enough', async () => {
    const bare = mkdtempSync(join(tmpdir(), 'tags-none-'))
    // before: 'not a git work tree: DIR' and no way out
    expect(await runCliFromSource(['tags', ...SEMVER], {}, bare)).toEqual({
      status: 1,
      stdout: '',
      stderr: `promote-image: not a git work tree: ${bare}: outside GitHub Actions, tags reads the ref of the local checkout; run it in the checkout, or set GITHUB_REF (and GITHUB_SHA) to the ref to preview (GITHUB_REF=refs/tags/v1.2.3)\n`
    })
    expect(await runCliFromSource(['tags', ...SEMVER], { GITHUB_REF: 'refs/tags/v1.2.3' }, bare)).toEqual({
      status: 0,
      stdout: '1.2.3\nlatest\n',
      stderr: ''
    })
  })

  it('in Actions the reason has no preview advice (the run is on that ref)', async () => {
    const r = await runCliFromSource(
      ['tags', ...SEMVER],
      { GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/main', GITHUB_SHA: sha },
      repo
    )
    expect([r.status, r.stdout]).toEqual([0, ''])
    expect(r.stderr).toContain(`warning: --tags: its rule gives no tag on refs/heads/main (${NEEDS})\n`)
  })
})
