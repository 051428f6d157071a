import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parse } from 'yaml'
import {
  BuildInputError,
  BUILDX_ONLY_INPUTS,
  buildxArgs,
  dockerBuildArgs,
  dockerPushArgs,
  type BuildInputs
} from '../../src/build/args.js'

const base: BuildInputs = {
  context: 'examples/hello',
  buildArgs: [],
  labels: {},
  tags: ['127.0.0.1:5000/hello:1.0'],
  platforms: [],
  metadataFile: '/tmp/meta.json'
}

const full: BuildInputs = {
  context: '.',
  file: 'docker/Dockerfile',
  buildArgs: ['VERSION=1.2.3', 'EMPTY=', 'EQ=a=b'],
  labels: { 'org.opencontainers.image.revision': 'abc123', 'org.opencontainers.image.title': 'app' },
  tags: ['staging.example.com/org/app:1.2.3', 'staging.example.com/org/app:sha-abc123'],
  platforms: ['linux/amd64'],
  target: 'runtime',
  noCache: true,
  pull: true,
  secrets: [
    { id: 'npmrc', src: '/home/runner/.npmrc' },
    { id: 'token', env: 'GITHUB_TOKEN' }
  ],
  metadataFile: '/tmp/meta.json'
}

describe('buildxArgs', () => {
  // flag and value stay on one line
  // prettier-ignore
  test.each<[string, BuildInputs, string[]]>([
    [
      'minimal',
      base,
      ['buildx', 'build', '--push', '--metadata-file', '/tmp/meta.json', '--tag', '127.0.0.1:5000/hello:1.0', 'examples/hello']
    ],
    [
      'every input',
      full,
      [
        'buildx', 'build', '--push', '--metadata-file', '/tmp/meta.json',
        '--tag', 'staging.example.com/org/app:1.2.3',
        '--tag', 'staging.example.com/org/app:sha-abc123',
        '--label', 'org.opencontainers.image.revision=abc123',
        '--label', 'org.opencontainers.image.title=app',
        '--build-arg', 'VERSION=1.2.3',
        '--build-arg', 'EMPTY=',
        '--build-arg', 'EQ=a=b',
        '--platform', 'linux/amd64',
        '--file', 'docker/Dockerfile',
        '--target', 'runtime',
        '--no-cache',
        '--pull',
        '--secret', 'id=npmrc,src=/home/runner/.npmrc',
        '--secret', 'id=token,env=GITHUB_TOKEN',
        '.'
      ]
    ],
    [
      'several platforms are joined with commas; labels as KEY=VALUE strings keep their order',
      { ...base, platforms: ['linux/amd64', 'linux/arm64', 'linux/arm/v7'], labels: ['b=2', 'a=1'] },
      [
        'buildx', 'build', '--push', '--metadata-file', '/tmp/meta.json',
        '--tag', '127.0.0.1:5000/hello:1.0',
        '--label', 'b=2', '--label', 'a=1',
        '--platform', 'linux/amd64,linux/arm64,linux/arm/v7',
        'examples/hello'
      ]
    ],
    [
      'provenance and sbom, boolean and spec',
      { ...base, provenance: 'mode=max', sbom: true },
      [
        'buildx', 'build', '--push', '--metadata-file', '/tmp/meta.json',
        '--tag', '127.0.0.1:5000/hello:1.0',
        '--provenance', 'mode=max', '--sbom', 'true',
        'examples/hello'
      ]
    ],
    [
      'provenance false is passed on (buildx adds provenance by default)',
      { ...base, provenance: false, noCache: false, pull: false },
      [
        'buildx', 'build', '--push', '--metadata-file', '/tmp/meta.json',
        '--tag', '127.0.0.1:5000/hello:1.0',
        '--provenance', 'false',
        'examples/hello'
      ]
    ]
  ])('%s', (_name, inputs, expected) => {
    expect(buildxArgs(inputs)).toEqual(expected)
  })
})

describe('dockerBuildArgs and dockerPushArgs', () => {
  // prettier-ignore
  test.each<[string, BuildInputs, string[], string[][]]>([
    [
      'minimal',
      base,
      ['build', '--tag', '127.0.0.1:5000/hello:1.0', 'examples/hello'],
      [['push', '127.0.0.1:5000/hello:1.0']]
    ],
    [
      'every input a classic build takes',
      full,
      [
        'build',
        '--tag', 'staging.example.com/org/app:1.2.3',
        '--tag', 'staging.example.com/org/app:sha-abc123',
        '--label', 'org.opencontainers.image.revision=abc123',
        '--label', 'org.opencontainers.image.title=app',
        '--build-arg', 'VERSION=1.2.3',
        '--build-arg', 'EMPTY=',
        '--build-arg', 'EQ=a=b',
        '--platform', 'linux/amd64',
        '--file', 'docker/Dockerfile',
        '--target', 'runtime',
        '--no-cache',
        '--pull',
        '--secret', 'id=npmrc,src=/home/runner/.npmrc',
        '--secret', 'id=token,env=GITHUB_TOKEN',
        '.'
      ],
      [
        ['push', 'staging.example.com/org/app:1.2.3'],
        ['push', 'staging.example.com/org/app:sha-abc123']
      ]
    ],
    [
      'provenance and sbom set to false are accepted and not passed',
      { ...base, provenance: false, sbom: 'false' },
      ['build', '--tag', '127.0.0.1:5000/hello:1.0', 'examples/hello'],
      [['push', '127.0.0.1:5000/hello:1.0']]
    ]
  ])('%s', (_name, inputs, expectedBuild, expectedPush) => {
    expect(dockerBuildArgs(inputs)).toEqual(expectedBuild)
    expect(dockerPushArgs(inputs)).toEqual(expectedPush)
  })
})

describe('inputs that cannot become a command line', () => {
  test.each<[string, (i: BuildInputs) => string[], BuildInputs, string]>([
    [
      'classic with two platforms',
      dockerBuildArgs,
      { ...base, platforms: ['linux/amd64', 'linux/arm64'] },
      'input "platforms": the classic docker build makes one image for one platform, got 2 (linux/amd64,linux/arm64); use a docker CLI with buildx for multi-platform builds'
    ],
    [
      'classic with provenance',
      dockerBuildArgs,
      { ...base, provenance: 'mode=max' },
      'input "provenance": attestations need buildx; the classic docker build cannot make them'
    ],
    [
      'classic with sbom',
      dockerBuildArgs,
      { ...base, sbom: true },
      'input "sbom": attestations need buildx; the classic docker build cannot make them'
    ],
    [
      'no tag (buildx)',
      buildxArgs,
      { ...base, tags: [] },
      'input "tags": at least one reference to push is needed'
    ],
    [
      'no tag (classic)',
      dockerBuildArgs,
      { ...base, tags: [] },
      'input "tags": at least one reference to push is needed'
    ],
    [
      'tag with a space',
      buildxArgs,
      { ...base, tags: ['a/b:c d'] },
      'input "tags": "a/b:c d" is not a reference'
    ],
    [
      'build arg without =',
      buildxArgs,
      { ...base, buildArgs: ['VERSION'] },
      'input "build-args": "VERSION" is not KEY=VALUE'
    ],
    [
      'build arg with empty key',
      dockerBuildArgs,
      { ...base, buildArgs: ['=x'] },
      'input "build-args": "=x" is not KEY=VALUE'
    ],
    [
      'label string without =',
      buildxArgs,
      { ...base, labels: ['title'] },
      'input "labels": "title" is not KEY=VALUE'
    ],
    [
      'label map with empty key',
      buildxArgs,
      { ...base, labels: { '': 'x' } },
      'input "labels": "=x" is not KEY=VALUE'
    ],
    [
      'secret path with a comma',
      buildxArgs,
      { ...base, secrets: [{ id: 'npmrc', src: '/a,b' }] },
      'input "secrets": "/a,b" in secret "npmrc" is empty or has , or "'
    ],
    [
      'secret with an empty id',
      dockerBuildArgs,
      { ...base, secrets: [{ id: '', env: 'TOKEN' }] },
      'input "secrets": "" in secret "" is empty or has , or "'
    ]
  ])('%s', (_name, fn, inputs, message) => {
    const err = thrown(() => fn(inputs))
    expect(err).toBeInstanceOf(BuildInputError)
    expect((err as Error).message).toBe(message)
  })
})

function thrown(fn: () => unknown): unknown {
  try {
    fn()
  } catch (err) {
    return err
  }
  throw new Error('expected a throw')
}

describe('action.yml on the inputs only buildx takes', () => {
  const action = parse(readFileSync(resolve(import.meta.dirname, '../../action.yml'), 'utf8')) as {
    inputs: Record<string, { description: string }>
  }

  // newuser finding 32: shm-size and ulimit said the classic builder "ignores" them; it refuses them
  it.each(BUILDX_ONLY_INPUTS.map(i => [i]))('%s: says buildx only, never that it is ignored', input => {
    const description = action.inputs[input]?.description ?? ''
    expect({ input, buildxOnly: description.includes('buildx only') }).toEqual({ input, buildxOnly: true })
    expect(description).not.toMatch(/builder ignores/)
  })

  it('are the six the classic build refuses', () => {
    expect(BUILDX_ONLY_INPUTS).toEqual([
      'builder',
      'cache-to',
      'build-contexts',
      'annotations',
      'shm-size',
      'ulimit'
    ])
  })
})
