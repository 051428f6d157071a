import {
  BuildInputError,
  buildxArgs,
  checkClassicSupport,
  dockerBuildArgs,
  ghaCacheEnv,
  registryCacheExports,
  type BuildInputs
} from '../../src/build/args.js'
import { defaultCacheDir, parseCacheMode } from '../../src/build/cache.js'
import { parseSecretEnvs, parseSecretFiles, parseSecrets, redact } from '../../src/build/secrets.js'

const base: BuildInputs = {
  context: '.',
  buildArgs: [],
  labels: {},
  tags: ['r.example/app:1'],
  platforms: [],
  metadataFile: '/tmp/meta.json'
}

/** Every build-push-action input both builders honour. */
const shared: BuildInputs = {
  ...base,
  buildArgs: ['A=1'],
  sourceDateEpoch: 1700000000,
  pull: true,
  secrets: [
    { id: 'npmrc', src: '/run/npmrc' },
    { id: 'token', env: 'GH_TOKEN' }
  ],
  ssh: ['default', 'github=/home/runner/.ssh/id_ed25519'],
  addHosts: ['db.internal:10.0.0.5', 'cache.internal=10.0.0.6'],
  network: 'host',
  cacheFrom: ['r.example/app:cache', 'type=registry,ref=r.example/app:buildcache']
}

describe('buildx argv: every build-push-action input', () => {
  // prettier-ignore
  test.each<[string, BuildInputs, string[]]>([
    [
      'shared inputs',
      shared,
      [
        'buildx', 'build', '--push', '--metadata-file', '/tmp/meta.json',
        '--tag', 'r.example/app:1',
        '--build-arg', 'A=1',
        '--build-arg', 'SOURCE_DATE_EPOCH=1700000000',
        '--pull',
        '--secret', 'id=npmrc,src=/run/npmrc',
        '--secret', 'id=token,env=GH_TOKEN',
        '--ssh', 'default',
        '--ssh', 'github=/home/runner/.ssh/id_ed25519',
        '--add-host', 'db.internal:10.0.0.5',
        '--add-host', 'cache.internal=10.0.0.6',
        '--network', 'host',
        '--cache-from', 'r.example/app:cache',
        '--cache-from', 'type=registry,ref=r.example/app:buildcache',
        '.'
      ]
    ],
    [
      'buildx-only inputs',
      {
        ...base,
        builder: 'builder-1234',
        buildContexts: ['alpine=docker-image://alpine:3.20', 'src=../src'],
        annotations: ['org.opencontainers.image.title=app', 'index:org.opencontainers.image.vendor=acme'],
        shmSize: '2g',
        ulimits: ['nofile=1024:2048', 'nproc=512'],
        cacheTo: ['type=registry,ref=r.example/app:buildcache,mode=max'],
        provenance: 'mode=max',
        sbom: true
      },
      [
        'buildx', 'build', '--builder', 'builder-1234', '--push', '--metadata-file', '/tmp/meta.json',
        '--tag', 'r.example/app:1',
        '--build-context', 'alpine=docker-image://alpine:3.20',
        '--build-context', 'src=../src',
        '--annotation', 'org.opencontainers.image.title=app',
        '--annotation', 'index:org.opencontainers.image.vendor=acme',
        '--shm-size', '2g',
        '--ulimit', 'nofile=1024:2048',
        '--ulimit', 'nproc=512',
        '--cache-to', 'type=registry,ref=r.example/app:buildcache,mode=max',
        '--provenance', 'mode=max',
        '--sbom', 'true',
        '.'
      ]
    ],
    [
      'type=gha gets the runner URLs, never a token; type=local is passed as given',
      {
        ...base,
        cacheFrom: ['type=gha,scope=app', 'type=local,src=/tmp/.buildx-cache'],
        cacheTo: ['type=gha,scope=app,mode=max', 'type=local,dest=/tmp/.buildx-cache,mode=max'],
        gha: { url: 'https://artifactcache.example/abc/', urlV2: 'https://results.example/' }
      },
      [
        'buildx', 'build', '--push', '--metadata-file', '/tmp/meta.json',
        '--tag', 'r.example/app:1',
        '--cache-from', 'type=gha,scope=app,url=https://artifactcache.example/abc/,url_v2=https://results.example/',
        '--cache-from', 'type=local,src=/tmp/.buildx-cache',
        '--cache-to', 'type=gha,scope=app,mode=max,url=https://artifactcache.example/abc/,url_v2=https://results.example/',
        '--cache-to', 'type=local,dest=/tmp/.buildx-cache,mode=max',
        '.'
      ]
    ],
    [
      // newuser6 #2: build-push-action's push: false, the build's result not pushed
      'push: false: no --push',
      { ...base, push: false },
      ['buildx', 'build', '--metadata-file', '/tmp/meta.json', '--tag', 'r.example/app:1', '.']
    ],
    [
      'a type=gha spec naming its own url keeps it',
      { ...base, cacheTo: ['type=gha,url=http://127.0.0.1:9/'], gha: { url: 'https://artifactcache.example/' } },
      [
        'buildx', 'build', '--push', '--metadata-file', '/tmp/meta.json',
        '--tag', 'r.example/app:1',
        '--cache-to', 'type=gha,url=http://127.0.0.1:9/',
        '.'
      ]
    ]
  ])('%s', (_name, inputs, expected) => {
    expect(buildxArgs(inputs)).toEqual(expected)
  })
})

describe('classic docker build argv', () => {
  // prettier-ignore
  test.each<[string, BuildInputs, string[]]>([
    [
      'shared inputs; type=registry,ref=REF becomes the image reference the classic builder takes',
      shared,
      [
        'build',
        '--tag', 'r.example/app:1',
        '--build-arg', 'A=1',
        '--build-arg', 'SOURCE_DATE_EPOCH=1700000000',
        '--pull',
        '--secret', 'id=npmrc,src=/run/npmrc',
        '--secret', 'id=token,env=GH_TOKEN',
        '--ssh', 'default',
        '--ssh', 'github=/home/runner/.ssh/id_ed25519',
        '--add-host', 'db.internal:10.0.0.5',
        '--add-host', 'cache.internal=10.0.0.6',
        '--network', 'host',
        '--cache-from', 'r.example/app:cache',
        '--cache-from', 'r.example/app:buildcache',
        '.'
      ]
    ],
    [
      'empty lists and false provenance/sbom are not flags',
      { ...base, buildContexts: [], annotations: [], ulimits: [], cacheTo: [], provenance: false, sbom: 'false', shmSize: '' },
      ['build', '--tag', 'r.example/app:1', '.']
    ]
  ])('%s', (_name, inputs, expected) => {
    expect(dockerBuildArgs(inputs)).toEqual(expected)
  })
})

const buildx = 'needs buildx (docker/setup-buildx-action)'

describe('inputs the classic builder cannot honour are refused before any build, naming the input and buildx', () => {
  test.each<[string, Partial<BuildInputs>, string]>([
    [
      'cache-to',
      { cacheTo: ['type=inline'] },
      `input "cache-to": ${buildx}; the docker CLI's BuildKit cannot export a cache (cache: actions keeps the built image as an inline cache instead)`
    ],
    [
      'builder',
      { builder: 'mybuilder' },
      `input "builder": ${buildx}; the classic docker build always runs on the daemon's own BuildKit`
    ],
    [
      'build-contexts',
      { buildContexts: ['src=../src'] },
      `input "build-contexts": ${buildx}; the classic docker build has no named build contexts (--build-context)`
    ],
    [
      'annotations',
      { annotations: ['a=b'] },
      `input "annotations": ${buildx}; the classic docker build cannot annotate manifests or indexes`
    ],
    [
      'shm-size',
      { shmSize: '128m' },
      `input "shm-size": ${buildx}; the classic docker build ignores --shm-size under BuildKit (docker 20.10)`
    ],
    [
      'ulimit',
      { ulimits: ['nofile=1024'] },
      `input "ulimit": ${buildx}; the classic docker build ignores --ulimit under BuildKit (docker 20.10)`
    ],
    [
      'cache-from type=local',
      { cacheFrom: ['type=local,src=/tmp/cache'] },
      `input "cache-from": "type=local,src=/tmp/cache" ${buildx}; the classic docker build takes cache sources as image references only (REF or type=registry,ref=REF)`
    ],
    [
      'cache-from type=gha',
      { cacheFrom: ['type=gha'] },
      `input "cache-from": "type=gha" ${buildx}; the classic docker build takes cache sources as image references only (REF or type=registry,ref=REF)`
    ]
  ])('%s', (_name, extra, message) => {
    const inputs = { ...base, ...extra }
    expect(() => dockerBuildArgs(inputs)).toThrow(BuildInputError)
    expect(() => dockerBuildArgs(inputs)).toThrow(message)
    // buildx takes the same input
    expect(() => buildxArgs(inputs)).not.toThrow()
  })

  test('checkClassicSupport refuses the first such input alone, without building argv', () => {
    expect(() => checkClassicSupport({ ...base, tags: [], builder: 'b' })).toThrow(
      `input "builder": ${buildx}; the classic docker build always runs on the daemon's own BuildKit`
    )
    expect(() => checkClassicSupport({ ...base, tags: [] })).not.toThrow()
  })
})

describe('malformed entries name the input and the shape', () => {
  test.each<[string, Partial<BuildInputs>, string]>([
    [
      'add-hosts without an address',
      { addHosts: ['db.internal'] },
      'input "add-hosts": "db.internal" is not HOST:IP'
    ],
    ['ulimit without a value', { ulimits: ['nofile'] }, 'input "ulimit": "nofile" is not NAME=SOFT[:HARD]'],
    ['shm-size not a size', { shmSize: 'big' }, 'input "shm-size": "big" is not NUMBER[k|m|g]'],
    [
      'ssh with a space',
      { ssh: ['id=/a b'] },
      'input "ssh": "id=/a b" is not default or ID[=SOCKET|KEY[,KEY]]'
    ],
    ['network with a space', { network: 'my net' }, 'input "network": "my net" is not a network mode'],
    [
      'build-contexts without =',
      { buildContexts: ['src'] },
      'input "build-contexts": "src" is not KEY=VALUE'
    ],
    ['annotations without =', { annotations: ['title'] }, 'input "annotations": "title" is not KEY=VALUE'],
    [
      'a token in a type=gha spec',
      { cacheTo: ['type=gha,token=ghs_abc'] },
      'input "cache-to": a type=gha spec must not carry token= (it would be echoed with the command line); buildx reads ACTIONS_RUNTIME_TOKEN from the environment'
    ],
    [
      'SOURCE_DATE_EPOCH not whole',
      { sourceDateEpoch: 1.5 },
      'build arg SOURCE_DATE_EPOCH: 1.5 is not a whole number of seconds ≥ 0'
    ]
  ])('%s', (_name, extra, message) => {
    expect(() => buildxArgs({ ...base, ...extra })).toThrow(message)
  })

  test('a secret still holding its value is refused without showing it', () => {
    expect(() => buildxArgs({ ...base, secrets: [{ id: 'token', value: 'hunter2-value' }] })).toThrow(
      'secret "token" still holds its value; write it to a file first (writeSecretFiles)'
    )
  })
})

describe('ghaCacheEnv', () => {
  const runner = {
    ACTIONS_CACHE_URL: 'https://artifactcache.example/abc/',
    ACTIONS_RESULTS_URL: 'https://results.example/',
    ACTIONS_RUNTIME_TOKEN: 'runtime-token'
  }
  test('the runner URLs, never the token', () => {
    expect(ghaCacheEnv({ cacheTo: ['type=gha'] }, runner)).toEqual({
      url: 'https://artifactcache.example/abc/',
      urlV2: 'https://results.example/'
    })
    expect(ghaCacheEnv({}, {})).toEqual({})
  })
  test.each<[string, Record<string, string>]>([
    ['no token', { ACTIONS_CACHE_URL: runner.ACTIONS_CACHE_URL }],
    ['no URL', { ACTIONS_RUNTIME_TOKEN: 'runtime-token' }]
  ])('type=gha with %s is an error naming the input', (_name, env) => {
    expect(() => ghaCacheEnv({ cacheFrom: ['type=gha'] }, env)).toThrow(
      'input "cache-from": type=gha needs the runner\'s ACTIONS_RUNTIME_TOKEN and ACTIONS_CACHE_URL or ACTIONS_RESULTS_URL in the environment (the runner gives them to actions, not to "run:" steps)'
    )
  })
})

describe('secret inputs', () => {
  test('secrets, secret-files and secret-envs as build-push-action reads them', () => {
    expect(parseSecrets(['GIT_AUTH_TOKEN=abc=def', 'multi=line one\nline two'])).toEqual([
      { id: 'GIT_AUTH_TOKEN', value: 'abc=def' },
      { id: 'multi', value: 'line one\nline two' }
    ])
    expect(parseSecretFiles(['npmrc=/home/runner/.npmrc'])).toEqual([
      { id: 'npmrc', src: '/home/runner/.npmrc' }
    ])
    expect(parseSecretEnvs(['token=GITHUB_TOKEN'])).toEqual([{ id: 'token', env: 'GITHUB_TOKEN' }])
  })

  test.each<[string, () => unknown, string]>([
    [
      'a secrets entry without = is named by position, not by text',
      () => parseSecrets(['ok=1', 'hunter2-no-equals']),
      'input "secrets": entry 2 is not id=value (an id of letters, digits, "_", "." or "-", then "=" and a non-empty value)'
    ],
    [
      'an empty value',
      () => parseSecrets(['token=']),
      'input "secrets": entry 1 is not id=value (an id of letters, digits, "_", "." or "-", then "=" and a non-empty value)'
    ],
    [
      'an id with a comma',
      () => parseSecretFiles(['a,b=/x']),
      'input "secret-files": entry 1 is not id=path (an id of letters, digits, "_", "." or "-", then "=" and a non-empty path)'
    ],
    [
      'secret-envs without a name',
      () => parseSecretEnvs(['token']),
      'input "secret-envs": entry 1 is not id=name (an id of letters, digits, "_", "." or "-", then "=" and a non-empty name)'
    ]
  ])('%s', (_name, fn, message) => {
    expect(fn).toThrow(message)
    try {
      fn()
    } catch (err) {
      expect((err as Error).message).not.toContain('hunter2')
    }
  })

  test('redact replaces whole values and each of their lines, longest first', () => {
    expect(redact('a s3cr3t-value b\nline one\nline two', ['s3cr3t-value', 'line one\nline two', 'ab'])).toBe(
      'a *** b\n***'
    )
    expect(redact('x line one y', ['line one\nline two'])).toBe('x *** y')
  })
})

describe('the cache input', () => {
  test.each<[string, string]>([
    ['', 'none'],
    ['none', 'none'],
    [' Actions ', 'actions']
  ])('%j is %s', (value, mode) => {
    expect(parseCacheMode(value)).toBe(mode)
  })
  test('anything else names the input', () => {
    expect(() => parseCacheMode('gha')).toThrow('input "cache": "gha" is not actions or none')
  })
  test('its files live under RUNNER_TEMP', () => {
    expect(defaultCacheDir({ RUNNER_TEMP: '/home/runner/work/_temp' })).toBe(
      '/home/runner/work/_temp/promote-image-cache'
    )
  })
})

// what a push: false build still writes to a registry, as build-push-action's does (newuser6 #2)
describe('registryCacheExports', () => {
  it.each([
    [[], []],
    [['type=gha,mode=max', 'type=local,dest=/tmp/c', 'type=inline'], []],
    [['type=registry,ref=r.example/app:buildcache,mode=max'], ['r.example/app:buildcache']],
    [['r.example/app:cache', 'type=gha'], ['r.example/app:cache']]
  ])('%j', (cacheTo, refs) => {
    expect(registryCacheExports(cacheTo)).toEqual(refs)
  })
})
