/** Contexts from the Actions environment + payload (§2.6), from local git, and metadata-action interop. */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ReferenceError } from '../../src/reference/index.js'
import {
  computeTags,
  contextFromGit,
  contextFromGitHub,
  formatReferences,
  imageReferences,
  imageTags,
  parseMetadataActionJson,
  parseMetadataActionLabels,
  parseMetadataActionTags,
  parseShortShaLength,
  readGitHubContext,
  remoteWebUrl
} from '../../src/tags/index.js'
import { NOW, SHA_DEV, SHA_MASTER } from './fixtures.js'
import { loadTagEngine } from '../../src/tags/index.js'

// the expression engine (Handlebars, moment-timezone) is loaded on demand; these tests render expressions
beforeAll(() => loadTagEngine())

describe('contextFromGitHub', () => {
  const repository = { name: 'app', default_branch: 'main', html_url: 'https://github.example/o/app' }
  test('push: commit date from commits[] by sha, repository facts', () => {
    expect(
      contextFromGitHub(
        {
          GITHUB_EVENT_NAME: 'push',
          GITHUB_REF: 'refs/tags/v1',
          GITHUB_SHA: SHA_DEV,
          GITHUB_REPOSITORY: 'o/app'
        },
        {
          base_ref: 'refs/heads/main',
          repository: { ...repository, description: 'd', license: { spdx_id: 'Apache-2.0' } },
          commits: [
            { id: 'other', timestamp: '2019-01-01T00:00:00Z' },
            { id: SHA_DEV, timestamp: '2020-02-02T10:00:00+02:00' }
          ],
          head_commit: { id: SHA_DEV, timestamp: '2021-01-01T00:00:00Z' }
        }
      )
    ).toEqual({
      eventName: 'push',
      ref: 'refs/tags/v1',
      sha: SHA_DEV,
      commitDate: new Date('2020-02-02T08:00:00Z'),
      defaultBranch: 'main',
      baseRef: 'refs/heads/main',
      repository: {
        name: 'app',
        description: 'd',
        htmlUrl: 'https://github.example/o/app',
        license: 'Apache-2.0'
      }
    })
  })

  test('pull_request_target: ref from payload.number; PR head sha on request; URL from env', () => {
    expect(
      contextFromGitHub(
        {
          GITHUB_EVENT_NAME: 'pull_request_target',
          GITHUB_REF: 'refs/heads/main',
          GITHUB_SHA: SHA_MASTER,
          GITHUB_REPOSITORY: 'o/app',
          GITHUB_SERVER_URL: 'https://ghe.example/',
          DOCKER_METADATA_PR_HEAD_SHA: 'true',
          DOCKER_METADATA_SHORT_SHA_LENGTH: '10'
        },
        { number: 42, pull_request: { base: { ref: 'main' }, head: { sha: SHA_DEV } } }
      )
    ).toEqual({
      eventName: 'pull_request_target',
      ref: 'refs/pull/42/merge',
      sha: SHA_DEV,
      pullRequestBaseRef: 'main',
      shortShaLength: 10,
      repository: { name: 'app', htmlUrl: 'https://ghe.example/o/app' }
    })
  })

  test('empty environment and payload', () => {
    expect(contextFromGitHub({}, null)).toEqual({ eventName: '', ref: '', sha: '' })
  })

  test.each([
    [undefined, undefined],
    ['', undefined],
    ['0', 0],
    ['12', 12]
  ])('parseShortShaLength(%j)', (v, n) => expect(parseShortShaLength(v)).toBe(n))

  test('a non-numeric short sha length is an error', () => {
    expect(() => parseShortShaLength('seven')).toThrow(
      new Error('DOCKER_METADATA_SHORT_SHA_LENGTH is not a valid number: "seven" (expected an integer ≥ 0)')
    )
  })

  test('readGitHubContext reads GITHUB_EVENT_PATH', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tags-ctx-'))
    try {
      const path = join(dir, 'event.json')
      writeFileSync(path, JSON.stringify({ repository: { default_branch: 'trunk' } }))
      expect(readGitHubContext({ GITHUB_EVENT_PATH: path, GITHUB_REF: 'refs/heads/trunk' })).toEqual({
        eventName: '',
        ref: 'refs/heads/trunk',
        sha: '',
        defaultBranch: 'trunk'
      })
      writeFileSync(path, '{')
      expect(() => readGitHubContext({ GITHUB_EVENT_PATH: path })).toThrow(/is not JSON/)
      expect(readGitHubContext({ GITHUB_EVENT_PATH: join(dir, 'missing.json') })).toEqual({
        eventName: '',
        ref: '',
        sha: ''
      })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('contextFromGit (a real local repository)', () => {
  let dir: string
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: dir,
      encoding: 'utf8',
      env: {
        ...process.env,
        GIT_CONFIG_NOSYSTEM: '1',
        HOME: dir,
        GIT_AUTHOR_NAME: 't',
        GIT_AUTHOR_EMAIL: 't@example.com',
        GIT_COMMITTER_NAME: 't',
        GIT_COMMITTER_EMAIL: 't@example.com',
        GIT_AUTHOR_DATE: '2020-01-10T00:30:00Z',
        GIT_COMMITTER_DATE: '2020-01-10T00:30:00Z'
      }
    }).trim()

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tags-git-'))
    git('init', '-q', '-b', 'main')
    git('commit', '-q', '--allow-empty', '-m', 'one')
    git('remote', 'add', 'origin', 'git@github.com:octo/hello-app.git')
    git('update-ref', 'refs/remotes/origin/main', 'HEAD')
    git('symbolic-ref', 'refs/remotes/origin/HEAD', 'refs/remotes/origin/main')
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  test('on a branch', () => {
    const sha = git('rev-parse', 'HEAD')
    git('checkout', '-q', '-b', 'feature/x')
    const ctx = contextFromGit({ cwd: dir })
    expect(ctx).toEqual({
      eventName: 'push',
      ref: 'refs/heads/feature/x',
      sha,
      commitDate: new Date('2020-01-10T00:30:00Z'),
      defaultBranch: 'main',
      repository: { htmlUrl: 'https://github.com/octo/hello-app', name: 'hello-app' }
    })
    expect(computeTags({ tags: ['type=ref,event=branch', 'type=sha'] }, ctx, { now: NOW }).tags).toEqual([
      'feature-x',
      `sha-${sha.slice(0, 7)}`
    ])
  })

  test('detached on tags: the highest version tag at HEAD', () => {
    git('tag', 'v1.2.0')
    git('tag', 'v1.10.0')
    git('checkout', '-q', '--detach')
    const ctx = contextFromGit({ cwd: dir, eventName: 'release' })
    expect([ctx.eventName, ctx.ref]).toEqual(['release', 'refs/tags/v1.10.0'])
    expect(computeTags({ tags: ['type=semver,pattern={{version}}'] }, ctx, { now: NOW }).tags).toEqual([
      '1.10.0',
      'latest'
    ])
  })

  test('outside a work tree', () => {
    const outside = mkdtempSync(join(tmpdir(), 'tags-nogit-'))
    try {
      expect(() =>
        contextFromGit({
          cwd: outside,
          run: () => {
            throw new Error('fatal')
          }
        })
      ).toThrow(new Error(`not a git work tree: ${outside}`))
    } finally {
      rmSync(outside, { recursive: true, force: true })
    }
  })

  test.each([
    ['git@github.com:octo/app.git', 'https://github.com/octo/app'],
    ['https://x-access-token:t@github.com/octo/app.git', 'https://github.com/octo/app'],
    ['ssh://git@gitlab.example:2222/group/sub/app.git', 'https://gitlab.example/group/sub/app'],
    ['https://github.com/octo/app/', 'https://github.com/octo/app'],
    ['/srv/git/app.git', undefined]
  ])('remoteWebUrl(%s)', (remote, url) => expect(remoteWebUrl(remote)).toBe(url))
})

describe('images × tags and metadata-action interop', () => {
  test('imageTags', () => {
    expect(imageTags(['org/app', 'ghcr.io/o/app'], ['1.0', 'latest'])).toEqual([
      'org/app:1.0',
      'org/app:latest',
      'ghcr.io/o/app:1.0',
      'ghcr.io/o/app:latest'
    ])
    expect(imageTags([], ['1.0'])).toEqual(['1.0'])
  })

  test('imageReferences normalises, validates per registry, collects warnings', () => {
    const ecr = '123456789012.dkr.ecr.us-east-1.amazonaws.com'
    const r = imageReferences(['myorg/app', `${ecr}/team/app`, 'ghcr.io/Octo/App'], ['1.0'], {
      lowercase: true
    })
    expect(formatReferences(r.references)).toBe(
      ['docker.io/myorg/app:1.0', `${ecr}/team/app:1.0`, 'ghcr.io/octo/app:1.0'].join('\n')
    )
    expect(r.warnings).toEqual([
      `Amazon ECR does not create repositories on push: "team/app" must exist in ${ecr}`
    ])
  })

  test.each([
    [
      ['ghcr.io/Octo/App'],
      ['1'],
      'invalid reference "ghcr.io/Octo/App": repository "Octo/App": GHCR owner and image names must be lowercase; use "ghcr.io/octo/app"'
    ],
    [
      ['myorg/app:1'],
      ['2'],
      'invalid reference "myorg/app:1": image "myorg/app:1": an image is a repository name without tag or digest; tags come from the tag rules'
    ],
    [
      ['myorg/app'],
      ['bad tag'],
      'invalid reference "docker.io/myorg/app:bad tag": tag "bad tag": a tag is 1 to 128 characters from [A-Za-z0-9_.-] and must not start with "." or "-"'
    ]
  ])('imageReferences error %j %j', (images, tags, message) => {
    expect(() => imageReferences(images, tags)).toThrow(
      new ReferenceError('', '', '').constructor as typeof Error
    )
    expect(() => imageReferences(images, tags)).toThrow(new Error(message))
  })

  test('parseMetadataActionTags: newline or comma separated, normalised', () => {
    expect(
      parseMetadataActionTags('ghcr.io/o/app:1.0\nname/app:latest\r\n\n,localhost:5000/x:edge').map(r => [
        r.registry,
        r.repository,
        r.tag
      ])
    ).toEqual([
      ['ghcr.io', 'o/app', '1.0'],
      ['docker.io', 'name/app', 'latest'],
      ['localhost:5000', 'x', 'edge']
    ])
    expect(() => parseMetadataActionTags('ghcr.io/o/app:bad tag')).toThrow(ReferenceError)
  })

  test('parseMetadataActionLabels', () => {
    expect(
      parseMetadataActionLabels(
        'org.opencontainers.image.title=app\nx=a=b\n\nmanifest:org.opencontainers.image.url=u\nx=c'
      )
    ).toEqual({
      'org.opencontainers.image.title': 'app',
      x: 'c',
      'manifest:org.opencontainers.image.url': 'u'
    })
    expect(() => parseMetadataActionLabels('oops')).toThrow(
      new Error('invalid tags input "oops": label: metadata-action label lines are key=value')
    )
  })

  test('parseMetadataActionJson', () => {
    const parsed = parseMetadataActionJson(
      JSON.stringify({
        tags: ['ghcr.io/o/app:1.0'],
        labels: { 'org.opencontainers.image.version': '1.0' },
        annotations: ['manifest:org.opencontainers.image.version=1.0']
      })
    )
    expect(parsed).toEqual({
      references: [{ registry: 'ghcr.io', repository: 'o/app', tag: '1.0' }],
      labels: { 'org.opencontainers.image.version': '1.0' },
      annotations: ['manifest:org.opencontainers.image.version=1.0']
    })
    expect(() => parseMetadataActionJson('nope')).toThrow(/metadata-action json output is not JSON/)
  })
})
