/** The CLI's argv parser: whole expected commands, and every usage error's exact message. */
import { describe, expect, it } from '@jest/globals'
import { parseCommandLine, type Command } from '../../src/cli/args.js'
import type { EngineOptions } from '../../src/options.js'
import { TEST_CA_PEM } from '../helpers/pem.js'

const D = `sha256:${'d'.repeat(64)}`
const TAG_RULE = 'a tag is 1 to 128 characters from [A-Za-z0-9_.-] and must not start with "." or "-"'
const DEFAULTS: EngineOptions = {
  registryKinds: {},
  tagPolicy: 'immutable',
  movingTags: ['latest', 'edge'],
  uploadMode: 'monolithic',
  concurrency: undefined,
  timeoutMs: undefined,
  caFile: undefined,
  insecureRegistries: []
}
const files = new Set(['/etc/ca.pem'])
const parse = (...argv: string[]): Command =>
  parseCommandLine(argv, { fileExists: p => files.has(p), readFile: () => TEST_CA_PEM })

describe('parseCommandLine: commands', () => {
  it.each<[string[], Command]>([
    [['--version'], { command: 'version' }],
    [['copy', '--version'], { command: 'version' }],
    [['-h'], { command: 'help' }],
    // issue 19: COMMAND --help is that command's help (was the global page)
    [['inspect', '--help', 'Bad:Ref'], { command: 'help', topic: 'inspect' }],
    [
      ['copy', 'ghcr.io/o/a:v1', 'ghcr.io/o/b', 'ghcr.io/o/b:stable', 'quay.io/xy/z:v2', 'ghcr.io/o/b:v1'],
      {
        command: 'copy',
        source: { registry: 'ghcr.io', repository: 'o/a', tag: 'v1' },
        reference: 'v1',
        targets: [
          { repo: { registry: 'ghcr.io', repository: 'o/b' }, tags: ['v1', 'stable'] },
          { repo: { registry: 'quay.io', repository: 'xy/z' }, tags: ['v2'] }
        ],
        dryRun: false,
        options: DEFAULTS,
        json: false,
        verbose: false
      }
    ],
    [
      ['promote', `127.0.0.1:5000/a@${D}`, '127.0.0.1:5001/b', '--json', '-v'],
      {
        command: 'promote',
        source: { registry: '127.0.0.1:5000', repository: 'a', digest: D },
        reference: D,
        targets: [{ repo: { registry: '127.0.0.1:5001', repository: 'b' }, tags: [] }],
        dryRun: false,
        options: DEFAULTS,
        json: true,
        verbose: true
      }
    ],
    // issue 19: DSTs are keyed as copy/targets.ts targetKey: Docker Hub's aliases, library/ and
    // :443 folded, so one repository written three ways is one target (the first spelling kept)
    [
      [
        'copy',
        'ghcr.io/o/a:v1',
        'index.docker.io/myuser/app:1',
        'registry-1.docker.io/myuser/app:2',
        'docker.io/myuser/app:3',
        'ghcr.io:443/o/b:x',
        'GHCR.io/o/b:y',
        'ghcr.io/o/c:z'
      ],
      {
        command: 'copy',
        source: { registry: 'ghcr.io', repository: 'o/a', tag: 'v1' },
        reference: 'v1',
        targets: [
          { repo: { registry: 'docker.io', repository: 'myuser/app' }, tags: ['1', '2', '3'] },
          { repo: { registry: 'ghcr.io:443', repository: 'o/b' }, tags: ['x', 'y'] },
          { repo: { registry: 'ghcr.io', repository: 'o/c' }, tags: ['z'] }
        ],
        dryRun: false,
        options: DEFAULTS,
        json: false,
        verbose: false
      }
    ],
    [
      ['copy', 'myuser/app', 'myuser/app2'],
      {
        command: 'copy',
        source: { registry: 'docker.io', repository: 'myuser/app' },
        reference: 'latest',
        targets: [{ repo: { registry: 'docker.io', repository: 'myuser/app2' }, tags: ['latest'] }],
        dryRun: false,
        options: DEFAULTS,
        json: false,
        verbose: false
      }
    ],
    [
      [
        'promote',
        '--dry-run',
        '--tag-policy=overwrite',
        '--moving-tag',
        'stable',
        '--moving-tag',
        'nightly',
        '--concurrency',
        '4',
        '--timeout',
        '3',
        '--upload-mode',
        'chunked',
        '--insecure',
        'reg.internal:5000',
        '--registry-kind',
        'reg.internal:5000=harbor',
        '--ca-file',
        '/etc/ca.pem',
        'reg.internal:5000/stage/app:rc1',
        'reg.internal:5000/team/app:v1'
      ],
      {
        command: 'promote',
        source: { registry: 'reg.internal:5000', repository: 'stage/app', tag: 'rc1' },
        reference: 'rc1',
        targets: [{ repo: { registry: 'reg.internal:5000', repository: 'team/app' }, tags: ['v1'] }],
        dryRun: true,
        options: {
          registryKinds: { 'reg.internal:5000': 'harbor' },
          tagPolicy: 'overwrite',
          movingTags: ['stable', 'nightly'],
          uploadMode: 'chunked',
          concurrency: 4,
          timeoutMs: 3000,
          caFile: '/etc/ca.pem',
          insecureRegistries: ['reg.internal:5000']
        },
        json: false,
        verbose: false
      }
    ],
    [
      ['inspect', 'ubuntu', '--json'],
      {
        command: 'inspect',
        reference: { registry: 'docker.io', repository: 'library/ubuntu' },
        options: DEFAULTS,
        json: true,
        verbose: false
      }
    ],
    [
      ['tags', '--image', 'ghcr.io/o/a', '--tags', 'type=sha', '--tags', 'type=ref,event=tag', '--lowercase'],
      {
        command: 'tags',
        images: ['ghcr.io/o/a'],
        rules: ['type=sha', 'type=ref,event=tag'],
        flavor: [],
        lowercase: true,
        json: false,
        verbose: false
      }
    ]
  ])('%j', (argv, expected) => expect(parse(...argv)).toEqual(expected))
})

describe('parseCommandLine: usage errors', () => {
  const SRC = 'ghcr.io/o/a:v1'
  const DST = 'ghcr.io/o/b'
  it.each<[string[], string]>([
    [[], 'no command given'],
    [['frobnicate'], 'unknown command "frobnicate"'],
    [['copy', SRC], 'copy needs SRC and at least one DST'],
    [['promote'], 'promote needs SRC and at least one DST'],
    [['inspect'], 'inspect needs exactly one REF'],
    [['inspect', SRC, DST], 'inspect needs exactly one REF'],
    [['tags', 'x'], 'tags takes options only, not "x"'],
    [
      ['copy', 'Bad:Ref', DST],
      'SRC: invalid reference "Bad:Ref": repository "Bad": repository names must be lowercase; use "docker.io/library/bad:Ref"'
    ],
    [
      ['copy', SRC, DST, 'ubuntu:1'],
      `DST 2: invalid reference "ubuntu:1": namespace "library": Docker Hub's "library" namespace holds Docker's official images and cannot be pushed to; name your own namespace (NAMESPACE/REPOSITORY)`
    ],
    [['copy', SRC, `${DST}@${D}`], `DST ghcr.io/o/b@${D}: a destination takes a tag, not a digest`],
    // newuser3 finding 13, before: 'DST ghcr.io/o/b@sha256:…' (the :v1 written dropped)
    [
      ['copy', SRC, `${DST}:v1@${D}`],
      `DST ghcr.io/o/b:v1@${D}: a destination takes a tag, not a digest; write ghcr.io/o/b:v1`
    ],
    [
      ['copy', SRC, 'reg.example.com/app', '--registry-kind', 'reg.example.com=harbor'],
      'DST 1: invalid reference "reg.example.com/app": repository "app": Harbor repositories are PROJECT/REPOSITORY[/…]'
    ],
    [
      ['copy', '--tag-policy', 'sometimes', SRC, DST],
      '--tag-policy "sometimes": must be immutable or overwrite'
    ],
    [
      ['copy', '--moving-tag', 'ok', '--moving-tag', 'Bad!', SRC, DST],
      `--moving-tag "Bad!": not a valid tag (${TAG_RULE})`
    ],
    [['copy', '--upload-mode', 'fast', SRC, DST], '--upload-mode "fast": must be monolithic or chunked'],
    [['copy', '--concurrency', '0', SRC, DST], '--concurrency "0": must be a whole number from 1 to 64'],
    [['copy', '--concurrency', '65', SRC, DST], '--concurrency "65": must be a whole number from 1 to 64'],
    [['copy', '--concurrency', '2.5', SRC, DST], '--concurrency "2.5": must be a whole number from 1 to 64'],
    [['copy', '--timeout', '0', SRC, DST], '--timeout "0": must be a whole number of seconds from 1 to 3600'],
    [
      ['copy', '--timeout', '3601', SRC, DST],
      '--timeout "3601": must be a whole number of seconds from 1 to 3600'
    ],
    [
      ['copy', '--timeout', 'soon', SRC, DST],
      '--timeout "soon": must be a whole number of seconds from 1 to 3600'
    ],
    [['copy', '--ca-file', '/nonexistent/ca.pem', SRC, DST], '--ca-file "/nonexistent/ca.pem": no such file'],
    [
      ['copy', '--insecure', 'http://reg.internal:5000', SRC, DST],
      '--insecure "http://reg.internal:5000": must be a host or host:port, without scheme or path (e.g. registry.internal:5000)'
    ],
    // a flag that takes a value never takes the next option, nor an image reference where a host is wanted
    [['copy', SRC, DST, '--insecure'], '--insecure takes a value (HOST[:PORT]) and none was given'],
    [
      ['copy', '--insecure', '--json', SRC, DST],
      '--insecure takes a value (HOST[:PORT]), not the option "--json"; write --insecure=--json if that is the value'
    ],
    [
      ['copy', '--insecure', '-v', SRC, DST],
      '--insecure takes a value (HOST[:PORT]), not the option "-v"; write --insecure=-v if that is the value'
    ],
    [
      ['copy', '--insecure', 'localhost:5000/app:1', DST],
      '--insecure takes a registry HOST[:PORT], not the image reference "localhost:5000/app:1" (for its registry: --insecure localhost:5000)'
    ],
    [
      ['copy', '--insecure', 'ghcr.io/o/a:v1', DST],
      '--insecure takes a registry HOST[:PORT], not the image reference "ghcr.io/o/a:v1" (for its registry: --insecure ghcr.io)'
    ],
    [
      ['copy', '--insecure', 'myuser/app', DST],
      '--insecure takes a registry HOST[:PORT], not the image reference "myuser/app"'
    ],
    [
      ['copy', '--timeout', '-5', SRC, DST],
      '--timeout takes a value (SECONDS), not the option "-5"; write --timeout=-5 if that is the value'
    ],
    [['copy', '--timeout=-5', SRC, DST], '--timeout "-5": must be a whole number of seconds from 1 to 3600'],
    [
      ['copy', '--ca-file', '--dry-run', SRC, DST],
      '--ca-file takes a value (FILE), not the option "--dry-run"; write --ca-file=--dry-run if that is the value'
    ],
    [
      ['copy', '--tag-policy', '--insecure', 'reg.internal', SRC, DST],
      '--tag-policy takes a value (POLICY), not the option "--insecure"; write --tag-policy=--insecure if that is the value'
    ],
    [
      ['copy', '--registry-kind', '-x', SRC, DST],
      '--registry-kind takes a value (HOST=KIND), not the option "-x"; write --registry-kind=-x if that is the value'
    ],
    [
      ['tags', '--image', '--lowercase'],
      '--image takes a value (REPO), not the option "--lowercase"; write --image=--lowercase if that is the value'
    ],
    [
      ['tags', '--registry-kind', 'reg.example.com=nexus'],
      '--registry-kind "reg.example.com=nexus": must be HOST=KIND with KIND one of dockerhub, ghcr, ecr, ecr-public, gar, gcr, acr, quay, harbor, generic'
    ]
  ])('%j', (argv, message) => expect(parse(...argv)).toEqual({ command: 'usage-error', message }))

  it('a value after `--` is a positional, not a flag value: no value check applies there', () => {
    const after = parse('copy', SRC, DST, '--', '--insecure')
    expect(after.command === 'usage-error' && after.message.split(':')[0]).toBe('DST 2')
    expect(parse('copy', '--insecure', 'reg.internal:5000', SRC, DST)).toMatchObject({
      command: 'copy',
      options: { insecureRegistries: ['reg.internal:5000'] }
    })
  })

  it('a PEM given inline after a key flag is its value, never an option, and is never quoted', () => {
    // `--sign-key "$(cat key.pem)"`: the README and docs/verification.md say a key may be the PEM itself
    const PRIVATE = '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49\n-----END PRIVATE KEY-----'
    const PUBLIC = '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcD\n-----END PUBLIC KEY-----'
    expect(parse('copy', '--sign-key', PRIVATE, SRC, DST)).toMatchObject({
      command: 'copy',
      source: { registry: 'ghcr.io', repository: 'o/a', tag: 'v1' },
      options: { proof: { signKey: PRIVATE } }
    })
    expect(parse('verify', '--verify-key', PUBLIC, '--verify-key', '/etc/ca.pem', SRC)).toMatchObject({
      command: 'verify',
      options: { proof: { verifyKey: [PUBLIC, '/etc/ca.pem'] } }
    })
    // verify --records: the records alone, nothing to check required (newuser finding 5)
    expect(parse('verify', '--records', SRC)).toMatchObject({ command: 'verify', records: true, verify: {} })
    expect(parse('verify', '--records', SRC)).not.toHaveProperty('options.proof')
    // before: `--sign-key takes a value (FILE), not the option "-----BEGIN PRIVATE KEY-----\nMIG…"`, the key printed twice
    const other = parse('copy', '--sign-key', PRIVATE, '--json', '--timeout', '-----BEGIN X', SRC, DST)
    expect(other).toEqual({
      command: 'usage-error',
      message: '--timeout "-----BEGIN X": must be a whole number of seconds from 1 to 3600'
    })
    expect(JSON.stringify(parse('copy', '--sign-key', PRIVATE, '--bogus', SRC, DST))).not.toContain(
      'MIGHAgEA'
    )
  })

  it('an unknown flag or a flag without its value is a usage error (message from node:util)', () => {
    expect(parse('inspect', '--bogus', 'ghcr.io/o/a').command).toBe('usage-error')
    expect(parse('copy', SRC, DST, '--timeout').command).toBe('usage-error')
  })
})

describe('parseCommandLine: tags options', () => {
  it('reads --tags as the action reads its tags lines: plain tags split at commas, rules whole', () => {
    const cmd = parse('tags', '--tags', 'v1, stable,', '--tags', 'type=semver,pattern={{version}}')
    expect(cmd).toEqual({
      command: 'tags',
      images: [],
      rules: ['v1', 'stable', 'type=semver,pattern={{version}}'],
      flavor: [],
      lowercase: false,
      json: false,
      verbose: false
    })
  })

  it('empty --tags entries are dropped: no --tags = no tags (by digest only), as an empty tags input in the action', () => {
    expect(parse('tags', '--tags', '', '--tags', '  ', '--image', 'ghcr.io/o/a')).toEqual({
      command: 'tags',
      images: ['ghcr.io/o/a'],
      rules: [],
      flavor: [],
      lowercase: false,
      json: false,
      verbose: false
    })
  })

  it.each<[string[], string]>([
    [['tags', '--flavor', 'latest=false'], '--flavor needs tag rules in --tags'],
    [
      ['copy', 'ghcr.io/o/a:v1', 'ghcr.io/o/b', '--tags', 'v2'],
      '--tags is an option of the tags command only; copy tags each DST with the tag it names (DST:TAG)'
    ],
    [
      ['promote', '--flavor', 'latest=true', 'ghcr.io/o/a:v1', 'ghcr.io/o/b'],
      '--flavor is an option of the tags command only; promote tags each DST with the tag it names (DST:TAG)'
    ],
    [
      ['inspect', '--image', 'ghcr.io/o/b', 'ghcr.io/o/a:v1'],
      '--image is an option of the tags command only; inspect applies no tags'
    ]
  ])('%j', (argv, message) => expect(parse(...argv)).toEqual({ command: 'usage-error', message }))
})
