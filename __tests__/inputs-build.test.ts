/** The build-push-action inputs as the action reads them (readInputs): values and refusals. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { InputError, readInputs } from '../src/inputs.js'
import { loadTagEngine, type TagContext } from '../src/tags/index.js'

const ctx = {
  eventName: 'push',
  ref: 'refs/tags/v1.0.0',
  sha: '860c1904a1ce19322e91ac35af1ab07466440c37',
  repository: 'org/app'
} as TagContext

/** The build's environment: the variable the secret-envs cases name is set */
const env = { GH_TOKEN: 'set-in-test' }
const read = (values: Record<string, string>, environment: NodeJS.ProcessEnv = env) =>
  readInputs(
    name => values[name] ?? '',
    () => ctx,
    environment
  )
// a context with a Dockerfile (the repository's root has none)
const base = {
  'staging-image': '127.0.0.1:5000/ci/app',
  targets: 'ghcr.io/org/app',
  context: 'examples/hello'
}

describe('readInputs: build inputs', () => {
  it('reads every build-push-action input into the build extras', () => {
    const inputs = read({
      ...base,
      pull: 'true',
      secrets: 'token=s3cr=t\nother=x',
      'secret-files': 'npmrc=/run/npmrc',
      'secret-envs': 'gh=GH_TOKEN',
      ssh: 'default',
      'build-contexts': 'base=docker-image://alpine',
      annotations: 'index:org.opencontainers.image.title=app',
      provenance: 'mode=max',
      sbom: 'true',
      network: 'none',
      'add-hosts': 'a:10.0.0.1, b:10.0.0.2',
      'shm-size': '128m',
      ulimit: 'nofile=1024:2048',
      builder: 'builder-1',
      'cache-from': 'type=gha',
      'cache-to': 'type=gha,mode=max',
      cache: 'actions',
      rebuild: 'true'
    })
    expect(inputs.build).toEqual({
      pull: true,
      secrets: [
        { id: 'token', value: 's3cr=t' },
        { id: 'other', value: 'x' },
        { id: 'npmrc', src: '/run/npmrc' },
        { id: 'gh', env: 'GH_TOKEN' }
      ],
      ssh: ['default'],
      buildContexts: ['base=docker-image://alpine'],
      annotations: ['index:org.opencontainers.image.title=app'],
      provenance: 'mode=max',
      sbom: 'true',
      network: 'none',
      addHosts: ['a:10.0.0.1', 'b:10.0.0.2'],
      shmSize: '128m',
      ulimits: ['nofile=1024:2048'],
      builder: 'builder-1',
      cacheFrom: ['type=gha'],
      cacheTo: ['type=gha,mode=max']
    })
    expect(inputs.cache).toBe('actions')
    expect(inputs.rebuild).toBe(true)
  })

  // newuser6 #25, before: 'linux' was accepted, built for the daemon's architecture and staged as sha-…-linux
  it('platforms: each entry OS/ARCH, as promote-platforms and merge-platforms take them', () => {
    const rule =
      'not OS/ARCH[/VARIANT] (e.g. linux/amd64, linux/arm64/v8); give the architecture too, as the staging tag names it (-OS-ARCH)'
    expect(() => read({ ...base, platforms: 'linux' })).toThrow(
      new InputError('platforms', `"linux": ${rule}`)
    )
    expect(() => read({ ...base, platforms: 'linux/amd64,linux' })).toThrow(
      `input "platforms": "linux": ${rule}`
    )
    // the advice followed
    expect(read({ ...base, platforms: 'linux/amd64' }).platforms).toEqual(['linux/amd64'])
    expect(read({ ...base, platforms: 'linux/arm64/v8\nlinux/amd64' }).platforms).toEqual([
      'linux/arm64/v8',
      'linux/amd64'
    ])
  })

  it('defaults: nothing extra, no cache, reuse a staged image', () => {
    const inputs = read(base)
    expect(inputs.build).toEqual({
      pull: false,
      secrets: [],
      ssh: [],
      buildContexts: [],
      annotations: [],
      provenance: undefined,
      sbom: undefined,
      network: undefined,
      addHosts: [],
      shmSize: undefined,
      ulimits: [],
      builder: undefined,
      cacheFrom: [],
      cacheTo: []
    })
    expect(inputs.cache).toBe('none')
    expect(inputs.rebuild).toBe(false)
  })

  it.each([
    [
      { secrets: 'no-equals-sign-hunter2' },
      'secrets',
      'entry 1 is not id=value (an id of letters, digits, "_", "." or "-", then "=" and a non-empty value)'
    ],
    [{ cache: 'gha' }, 'cache', '"gha" is not actions or none'],
    [{ pull: 'yes' }, 'pull', '"yes" is not true or false'],
    [{ rebuild: 'maybe' }, 'rebuild', '"maybe" is not true or false']
  ])('refuses %j naming the input', (values, input, rule) => {
    expect(() => read({ ...base, ...values })).toThrow(new InputError(input, rule))
    // a refused secret is never quoted back
    try {
      read({ ...base, ...values })
    } catch (e) {
      expect((e as Error).message).not.toContain('hunter2')
    }
  })
})

// newuser finding 41: a missing file or context is known before docker runs
describe('readInputs: a local context and file are checked before the build', () => {
  const cwd = process.cwd()
  it.each([
    [
      { context: 'nope' },
      'context',
      `nope is not a directory (paths are relative to the working directory, ${cwd}; check out the repository with actions/checkout first)`
    ],
    [
      { context: 'package.json' },
      'context',
      `package.json is not a directory (paths are relative to the working directory, ${cwd}; check out the repository with actions/checkout first)`
    ],
    [
      { file: 'nope/Dockerfile' },
      'file',
      `nope/Dockerfile does not exist (paths are relative to the working directory, ${cwd}, not to the context)`
    ]
  ])('refuses %j', (values, input, message) => {
    expect(() => read({ ...base, ...values })).toThrow(new InputError(input, message))
  })

  it('accepts an existing context and file, and leaves a remote context (and its file) to docker', () => {
    expect(read({ ...base, context: 'examples/hello', file: 'examples/hello/Dockerfile' }).file).toBe(
      'examples/hello/Dockerfile'
    )
    expect(
      read({ ...base, context: 'https://github.com/org/app.git#main', file: 'build/Dockerfile' }).context
    ).toBe('https://github.com/org/app.git#main')
    // promoting an existing image builds nothing: no path is checked
    expect(read({ source: '127.0.0.1:5000/ci/app:1', targets: 'ghcr.io/org/app' }).context).toBe('.')
  })
})

// a promotion-file run builds nothing and records no deployment: such inputs are refused, not ignored
// (as finding 17's fix does for "source")
describe('readInputs: build and deployment inputs with promotion-file', () => {
  const file = { 'promotion-file': '/nonexistent/release.yaml' }
  const BUILT =
    'not with "promotion-file": the file\'s sources are promoted as they are, nothing is built (build in an earlier step with "staging-image", then name the staged image as a source in the file)'
  const DEPLOYED =
    'not with "promotion-file": a GitHub deployment is recorded for one image (a step with "source" or "staging-image")'
  it.each([
    ['platforms', 'linux/arm64', BUILT],
    ['build-args', 'A=1', BUILT],
    ['context', 'app', BUILT],
    ['file', 'app/Dockerfile', BUILT],
    ['secrets', 'token=x', BUILT],
    ['no-cache', 'true', BUILT],
    ['deployment-environment', 'production', DEPLOYED],
    ['deployment-url', 'https://app.example', DEPLOYED]
  ])('refuses %s', (input, value, message) => {
    expect(() =>
      readInputs(
        name => ({ ...file, [input]: value })[name] ?? '',
        () => ctx
      )
    ).toThrow(new InputError(input, message))
  })

  it("leaves action.yml's defaults alone (context ., no-cache false): the file is read next", () => {
    expect(() =>
      readInputs(
        name => ({ ...file, context: '.', 'no-cache': 'false' })[name] ?? '',
        () => ctx
      )
    ).toThrow(/^input "promotion-file": \/nonexistent\/release\.yaml: cannot be read/)
  })

  // newuser3 finding 8, before: 'promoA.yaml: cannot be read: ENOENT: …' without where it was looked for
  it('a relative path that is not there: where it was read from, and the checkout', () => {
    expect(() =>
      readInputs(
        name => ({ 'promotion-file': 'promoA-absent.yaml' })[name] ?? '',
        () => ctx
      )
    ).toThrow(
      new InputError(
        'promotion-file',
        `promoA-absent.yaml: cannot be read: ENOENT: no such file or directory, open 'promoA-absent.yaml' (paths are relative to the working directory, ${process.cwd()}; check out the repository with actions/checkout first)`
      )
    )
  })
})

// newuser6 #7, before: not a word; the build failed inside its RUN step (or, from a cached layer,
// passed without the secret)
describe('readInputs: a secret-envs variable that is not set', () => {
  const RULE = (id: string, name: string) =>
    `${id}=${name}: the environment variable ${name} is not set, so the build would get secret ${id} empty; give it to this step (env: ${name}: \${{ secrets.NAME }})`
  it.each([
    [{ 'secret-envs': 'tok=MY_TOKEN' }, {}, RULE('tok', 'MY_TOKEN')],
    [{ 'secret-envs': 'a=SET_ONE\nb=UNSET_TWO' }, { SET_ONE: 'x' }, RULE('b', 'UNSET_TWO')]
  ])('refuses %j in %j', (values, environment, rule) => {
    expect(() => read({ ...base, context: 'examples/hello', ...values }, environment)).toThrow(
      new InputError('secret-envs', rule)
    )
  })

  it('the advice followed (the variable given to the step, even empty) reads the secret', () => {
    for (const value of ['t0ken', ''])
      expect(
        read({ ...base, context: 'examples/hello', 'secret-envs': 'tok=MY_TOKEN' }, { MY_TOKEN: value }).build
          .secrets
      ).toEqual([{ id: 'tok', env: 'MY_TOKEN' }])
  })
})

// newuser6 #2, before: push: false was dropped (not an input): the step built, pushed to staging and
// promoted on the very runs meant only to build
describe('readInputs: push', () => {
  beforeAll(() => loadTagEngine())
  const pr = { ...ctx, eventName: 'pull_request', ref: 'refs/pull/7/merge' } as TagContext
  const onPr = (values: Record<string, string>) =>
    readInputs(
      name => values[name] ?? '',
      () => pr,
      env
    )
  it('is true unless false is written', () => {
    expect(read({ ...base, context: 'examples/hello' }).push).toBe(true)
    expect(read({ ...base, context: 'examples/hello', push: 'false' }).push).toBe(false)
    expect(() => read({ ...base, context: 'examples/hello', push: 'no' })).toThrow(
      new InputError('push', '"no" is not true or false')
    )
  })

  it('false on a pull request: tag rules that give no tag there are no fault (nothing is promoted)', () => {
    const values = { ...base, context: 'examples/hello', tags: 'type=semver,pattern={{version}}' }
    expect(onPr({ ...values, push: 'false' }).push).toBe(false)
    // the same step pushing would be refused: nothing would name the image at the targets
    expect(() => onPr(values)).toThrow(/^input "tags": its rule gives no tag on refs\/pull\/7\/merge/)
  })

  it('false needs no verification: require-verification is for the runs that promote', () => {
    const values = { ...base, context: 'examples/hello', 'require-verification': 'true' }
    expect(onPr({ ...values, push: 'false' }).push).toBe(false)
    expect(() => onPr(values)).toThrow(/^input "require-verification"/)
  })

  it.each([
    [
      { source: '127.0.0.1:5000/ci/app:1', targets: 'ghcr.io/org/app', push: 'false' },
      'not with "source": push: false builds without writing, and nothing is built from a source; to see what the promotion would do without writing, use "dry-run: true"'
    ],
    [
      {
        'staging-image': '127.0.0.1:5000/ci/app',
        targets: 'ghcr.io/org/app',
        merge: 'staged',
        push: 'false'
      },
      'not with "merge": the merge builds nothing (build each platform in a job of its own, then merge them)'
    ]
  ])('false is refused where nothing is built: %j', (values, rule) => {
    expect(() => read(values)).toThrow(new InputError('push', rule))
  })

  it('the advice followed: the source with dry-run: true, push left out', () => {
    const inputs = read({ source: '127.0.0.1:5000/ci/app:1', targets: 'ghcr.io/org/app', 'dry-run': 'true' })
    expect([inputs['dry-run'], inputs.push]).toEqual([true, true])
  })
})

// newuser6 #8, before: docker's raw 'failed to read dockerfile: open /var/lib/docker/tmp/buildkit-mount…/
// Dockerfile: no such file or directory' and 'target stage nosuchstage could not be found' under
// BuildKit's progress lines, as the error and the summary's headline
describe('readInputs: the Dockerfile and the target stage, before the build', () => {
  const cwd = process.cwd()
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'pi-dockerfile-'))
    mkdirSync(join(dir, 'app/sub'), { recursive: true })
    writeFileSync(
      join(dir, 'app/Dockerfile'),
      'FROM scratch AS base\nFROM base AS with-secret\nFROM base AS failing\nFROM base AS final\n'
    )
    mkdirSync(join(dir, 'lower'))
    writeFileSync(join(dir, 'lower/dockerfile'), 'FROM scratch\n')
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it.each([
    [
      () => ({ context: join(dir, 'app/sub') }),
      'context',
      () =>
        `${join(dir, 'app/sub')} has no Dockerfile, and "file" is not given (the Dockerfile is CONTEXT/Dockerfile unless "file" names another; paths are relative to the working directory, ${cwd})`
    ],
    [
      () => ({ context: join(dir, 'app'), target: 'nosuchstage' }),
      'target',
      () =>
        `the Dockerfile ${join(dir, 'app/Dockerfile')} has no stage nosuchstage (its stages: base, with-secret, failing, final; give one of them, or leave "target" empty to build the last stage)`
    ],
    [
      () => ({ context: join(dir, 'app/sub'), file: join(dir, 'app/Dockerfile'), target: 'nope' }),
      'target',
      () =>
        `the Dockerfile ${join(dir, 'app/Dockerfile')} has no stage nope (its stages: base, with-secret, failing, final; give one of them, or leave "target" empty to build the last stage)`
    ],
    [
      () => ({ context: join(dir, 'lower'), target: 'x' }),
      'target',
      () =>
        `the Dockerfile ${join(dir, 'lower/dockerfile')} has no stage x (it names no stage (FROM … AS NAME); leave "target" empty to build the last stage)`
    ]
  ])('refuses case %#', (values, input, message) => {
    expect(() => read({ ...base, ...values() })).toThrow(new InputError(input, message()))
  })

  it('the advice followed: file given, a stage it has (any case), or no target', () => {
    const app = join(dir, 'app')
    expect(read({ ...base, context: join(dir, 'app/sub'), file: join(app, 'Dockerfile') }).file).toBe(
      join(app, 'Dockerfile')
    )
    expect(read({ ...base, context: app, target: 'final' }).target).toBe('final')
    expect(read({ ...base, context: app, target: 'With-Secret' }).target).toBe('With-Secret')
    expect(read({ ...base, context: app }).target).toBeUndefined()
    // docker's own fallback: a lower-case dockerfile in the context
    expect(read({ ...base, context: join(dir, 'lower') }).context).toBe(join(dir, 'lower'))
    // stdin and remote contexts are docker's to read
    expect(read({ ...base, context: join(dir, 'app/sub'), file: '-' }).file).toBe('-')
  })
})
