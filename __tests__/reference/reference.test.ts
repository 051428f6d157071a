/**
 * Reference grammar and normalisation: every vector of naming-and-protocol.md §1.7, then cases of our
 * own per rule. Departure (top of the spec): sha512 digests are accepted (vector 12).
 * The engine parses with ParseNormalizedNamed only (`parseReference`), so the Parse (P), ParseNamed
 * (C) and ParseDockerRef (D) vectors are expressed through it: a name without domain is normalised
 * to `docker.io` (and `library/` for one component), canonical means `formatReference` gives the
 * input back, and D's default tag is `manifestReference`. Vector 54 (ParseAnyReference: 64 hex is
 * a digest reference) went with that variant; `parseReference` refuses 64 hex (IDENTIFIER, below).
 */
import {
  ReferenceError,
  apiHost,
  familiarName,
  familiarString,
  formatReference,
  isValidTag,
  manifestReference,
  nameLengthWarning,
  parseReference,
  referencesEqual,
  repositoryKey,
  sameRepository,
  trimNamed,
  validateDigest,
  validateTag,
  withDigest,
  withTag,
  type Reference,
  type ReferenceErrorCode
} from '../../src/reference/index.js'

const F64 = 'f'.repeat(64)
const H = 'dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c'

type Expected = Reference | { code: ReferenceErrorCode; part?: string }

function outcome(fn: () => unknown): unknown {
  try {
    return fn()
  } catch (e) {
    if (!(e instanceof ReferenceError)) throw e
    return { code: e.code, part: e.part }
  }
}

function expectOutcome(fn: () => unknown, expected: Expected): void {
  const got = outcome(fn)
  if ('code' in expected && expected.part === undefined)
    expect((got as { code: string }).code).toBe(expected.code)
  else expect(got).toEqual(expected)
}

const HUB = 'docker.io'
const LIB = 'library/'

describe('§1.7 vectors: Parse (P), through parseReference', () => {
  const cases: [number, string, Expected][] = [
    [1, 'test_com', { registry: HUB, repository: `${LIB}test_com` }],
    [2, 'test.com:tag', { registry: HUB, repository: `${LIB}test.com`, tag: 'tag' }],
    [3, 'test.com:5000', { registry: HUB, repository: `${LIB}test.com`, tag: '5000' }],
    [4, 'test.com/repo:tag', { registry: 'test.com', repository: 'repo', tag: 'tag' }],
    [5, 'test:5000/repo', { registry: 'test:5000', repository: 'repo' }],
    [
      6,
      `test:5000/repo:tag@sha256:${F64}`,
      { registry: 'test:5000', repository: 'repo', tag: 'tag', digest: `sha256:${F64}` }
    ],
    [7, '', { code: 'NAME_EMPTY', part: 'repository ""' }],
    [8, ':justtag', { code: 'INVALID_FORMAT', part: 'repository ""' }],
    [9, `@sha256:${F64}`, { code: 'INVALID_FORMAT', part: 'repository ""' }],
    [
      11,
      `validname@invaliddigest:${F64}`,
      { code: 'DIGEST_UNSUPPORTED', part: `digest "invaliddigest:${F64}"` }
    ],
    // Departure: sha512 is accepted (upstream: ErrDigestUnsupported).
    [
      12,
      `validname@sha512:${'f'.repeat(128)}`,
      { registry: HUB, repository: `${LIB}validname`, digest: `sha512:${'f'.repeat(128)}` }
    ],
    [13, 'Uppercase:tag', { code: 'NAME_CONTAINS_UPPERCASE', part: 'repository "Uppercase"' }],
    [
      15,
      'test:5000/Uppercase/lowercase:tag',
      { code: 'NAME_CONTAINS_UPPERCASE', part: 'repository "Uppercase/lowercase"' }
    ],
    [16, 'lowercase:Uppercase', { registry: HUB, repository: `${LIB}lowercase`, tag: 'Uppercase' }],
    [17, `domain/${'a'.repeat(256)}:tag`, { code: 'NAME_TOO_LONG' }],
    [
      18,
      `example.com/${'a'.repeat(255)}:tag`,
      { registry: 'example.com', repository: 'a'.repeat(255), tag: 'tag' }
    ],
    [19, 'aa/asdf$$^/aa', { code: 'INVALID_FORMAT', part: 'repository "aa/asdf$$^/aa"' }],
    [
      20,
      'b.gcr.io/test.example.com/my-app:test.example.com',
      { registry: 'b.gcr.io', repository: 'test.example.com/my-app', tag: 'test.example.com' }
    ],
    [
      21,
      'xn--n3h.com/myimage:xn--n3h.com',
      { registry: 'xn--n3h.com', repository: 'myimage', tag: 'xn--n3h.com' }
    ],
    [23, '192.168.1.1:5000/repo:5050', { registry: '192.168.1.1:5000', repository: 'repo', tag: '5050' }],
    // normalised to docker.io/library/[2001:db8::1], the error is found at the tag "1]"
    [24, '[2001:db8::1]', { code: 'INVALID_FORMAT' }],
    [26, '[fe80::1%eth0]:5000/repo', { code: 'INVALID_FORMAT', part: 'domain "[fe80::1%eth0]:5000"' }],
    // Parse takes "a" as a domain; normalisation does not (no ".", ":" or upper case)
    [27, 'a/a/a/a', { registry: HUB, repository: 'a/a/a/a' }],
    [28, 'foo/bar-', { code: 'INVALID_FORMAT', part: 'repository "foo/bar-"' }],
    [29, 'dock..er/docker', { code: 'INVALID_FORMAT', part: 'domain "dock..er"' }],
    [
      30,
      'example.com/__underscore/myimage',
      { code: 'INVALID_FORMAT', part: 'repository "__underscore/myimage"' }
    ],
    [32, `foo:${'a'.repeat(128)}`, { registry: HUB, repository: `${LIB}foo`, tag: 'a'.repeat(128) }],
    [32, `foo:${'a'.repeat(129)}`, { code: 'INVALID_FORMAT' }],
    [33, 'foo:.hidden', { code: 'INVALID_FORMAT', part: 'tag ".hidden"' }],
    [33, 'foo:_ok', { registry: HUB, repository: `${LIB}foo`, tag: '_ok' }],
    [
      34,
      `repo@sha256:${'F'.repeat(64)}`,
      { code: 'DIGEST_INVALID_FORMAT', part: `digest "sha256:${'F'.repeat(64)}"` }
    ]
  ]
  test.each(cases)('#%d %j', (_n, input, expected) => expectOutcome(() => parseReference(input), expected))
})

describe('§1.7 vectors: ParseNormalizedNamed (N)', () => {
  const cases: [number, string, Expected, string | null][] = [
    [35, 'ubuntu', { registry: 'docker.io', repository: 'library/ubuntu' }, 'ubuntu'],
    [36, 'docker.io/ubuntu', { registry: 'docker.io', repository: 'library/ubuntu' }, 'ubuntu'],
    [36, 'index.docker.io/ubuntu', { registry: 'docker.io', repository: 'library/ubuntu' }, 'ubuntu'],
    [36, 'library/ubuntu', { registry: 'docker.io', repository: 'library/ubuntu' }, 'ubuntu'],
    [37, 'dmcgowan/myapp', { registry: 'docker.io', repository: 'dmcgowan/myapp' }, 'dmcgowan/myapp'],
    [
      38,
      'docker.io/library/foo/bar',
      { registry: 'docker.io', repository: 'library/foo/bar' },
      'library/foo/bar'
    ],
    [39, 'test_com/foo', { registry: 'docker.io', repository: 'test_com/foo' }, 'test_com/foo'],
    [40, 'localhost/foo', { registry: 'localhost', repository: 'foo' }, 'localhost/foo'],
    [42, 'docker/Docker', { code: 'NAME_CONTAINS_UPPERCASE', part: 'repository "docker/Docker"' }, null],
    [43, 'ghcr.io/Owner/app', { code: 'NAME_CONTAINS_UPPERCASE', part: 'repository "Owner/app"' }, null],
    [46, 'https://github.com/docker/docker', { code: 'INVALID_FORMAT', part: 'domain "https:"' }, null],
    [
      47,
      'us-west1-docker.pkg.dev/my-project/my-repo/test:staging',
      { registry: 'us-west1-docker.pkg.dev', repository: 'my-project/my-repo/test', tag: 'staging' },
      'us-west1-docker.pkg.dev/my-project/my-repo/test:staging'
    ],
    [
      48,
      '123456789012.dkr.ecr.us-east-1.amazonaws.com/team/app:1.0',
      { registry: '123456789012.dkr.ecr.us-east-1.amazonaws.com', repository: 'team/app', tag: '1.0' },
      '123456789012.dkr.ecr.us-east-1.amazonaws.com/team/app:1.0'
    ]
  ]
  test.each(cases)('#%d %j', (_n, input, expected, familiar) => {
    expectOutcome(() => parseReference(input), expected)
    if (familiar !== null) expect(familiarString(input)).toBe(familiar)
  })
})

/** ParseDockerRef's form: the name, then `@digest` (the digest wins) or `:tag` (default latest). */
function dockerRef(input: string): string {
  const r = parseReference(input)
  return `${formatReference(trimNamed(r))}${r.digest ? '@' : ':'}${manifestReference(r)}`
}

describe('§1.7 vectors: ParseDockerRef (D), through parseReference and manifestReference', () => {
  test.each([
    [49, 'busybox', 'docker.io/library/busybox:latest'],
    [50, 'docker.io/busybox:latest', 'docker.io/library/busybox:latest'],
    [51, 'gcr.io/library/busybox', 'gcr.io/library/busybox:latest']
  ])('#%d %s', (_n, input, expected) => expect(dockerRef(input)).toBe(expected))
})

describe('§1.7 vectors: ParseNamed (C): canonical when formatReference gives the input back', () => {
  test.each<[string, Expected, boolean]>([
    ['docker.io/library/foo', { registry: 'docker.io', repository: 'library/foo' }, true],
    ['docker.io/foo', { registry: 'docker.io', repository: 'library/foo' }, false],
    ['foo', { registry: 'docker.io', repository: 'library/foo' }, false],
    ['test_com/foo', { registry: 'docker.io', repository: 'test_com/foo' }, false]
  ])('#53 %s', (input, expected, canonical) => {
    expectOutcome(() => parseReference(input), expected)
    expect(formatReference(parseReference(input)) === input).toBe(canonical)
  })
})

describe('error messages name the input, the part and the rule', () => {
  test.each([
    ['Bad:Ref', 'invalid reference "Bad:Ref": repository "Bad": repository name must be lowercase'],
    [
      'foo:-x',
      'invalid reference "foo:-x": tag "-x": a tag is 1 to 128 characters from [A-Za-z0-9_.-] and must not start with "." or "-"'
    ],
    [
      'foo@sha256:abc',
      'invalid reference "foo@sha256:abc": digest "sha256:abc": a sha256 digest has 64 hex characters'
    ],
    [
      'foo@md5',
      'invalid reference "foo@md5": digest "md5": a digest is algorithm:hex, e.g. sha256:<64 lowercase hex> or sha512:<128 lowercase hex>'
    ],
    [
      `foo@sha256:${'a'.repeat(63)}`,
      `invalid reference "foo@sha256:${'a'.repeat(63)}": digest "sha256:${'a'.repeat(63)}": a sha256 digest has 64 hex characters`
    ],
    [
      'registry.example.com/team//app',
      'invalid reference "registry.example.com/team//app": repository "team//app": path component "" is invalid: path components are lowercase letters and digits, separated by ".", "_", "__" or "-" runs, and neither start nor end with a separator'
    ],
    [
      H,
      `invalid reference "${H}": repository "${H}": cannot specify 64-byte hexadecimal strings as a repository name`
    ]
  ])('%j', (input, message) => {
    expect(() => parseReference(input)).toThrow(new Error(message))
  })

  test('the error carries input, part, rule, code and a lower-case suggestion', () => {
    const e = outcomeError(() => parseReference('ghcr.io/MyOrg/App:V1'))
    expect([e.input, e.part, e.rule, e.code, e.suggestion, e.name]).toEqual([
      'ghcr.io/MyOrg/App:V1',
      'repository "MyOrg/App"',
      'repository name must be lowercase',
      'NAME_CONTAINS_UPPERCASE',
      'ghcr.io/myorg/app:V1',
      'ReferenceError'
    ])
  })

  test('input over 4 KiB is refused before any regex, and the message is shortened', () => {
    const input = 'a'.repeat(4097)
    const e = outcomeError(() => parseReference(input))
    expect([e.code, e.part, e.message]).toEqual([
      'INPUT_TOO_LONG',
      'reference',
      `invalid reference "${'a'.repeat(200)}…" (4097 characters): reference: a reference must not be more than 4096 characters`
    ])
  })

  test('adversarial input is answered quickly', () => {
    const start = Date.now()
    for (const s of [
      'a-'.repeat(2000) + '!',
      'a.'.repeat(2000) + '/',
      '[' + ':'.repeat(4000),
      'a'.repeat(4000) + ':'
    ])
      expect(outcomeError(() => parseReference(s)).code).toBe('INVALID_FORMAT')
    expect(Date.now() - start).toBeLessThan(1000)
  })
})

function outcomeError(fn: () => unknown): ReferenceError {
  try {
    fn()
  } catch (e) {
    if (e instanceof ReferenceError) return e
    throw e
  }
  throw new Error('expected a ReferenceError')
}

describe('grammar: own cases per rule', () => {
  test.each<[string, Expected]>([
    // domain with port, IPv6, localhost
    ['localhost:5000/foo/bar:1', { registry: 'localhost:5000', repository: 'foo/bar', tag: '1' }],
    [
      '[::1]:5000/repo@sha256:' + F64,
      { registry: '[::1]:5000', repository: 'repo', digest: `sha256:${F64}` }
    ],
    ['[2001:db8::1]/repo', { registry: '[2001:db8::1]', repository: 'repo' }],
    ['127.0.0.1:5000/a/b/c/d', { registry: '127.0.0.1:5000', repository: 'a/b/c/d' }],
    ['Example.COM/repo', { registry: 'Example.COM', repository: 'repo' }],
    ['example.com:/repo', { code: 'INVALID_FORMAT', part: 'domain "example.com:"' }],
    ['-example.com/repo', { code: 'INVALID_FORMAT', part: 'domain "-example.com"' }],
    ['example-.com/repo', { code: 'INVALID_FORMAT', part: 'domain "example-.com"' }],
    // separators
    ['a__b/c.d/e---f', { registry: HUB, repository: 'a__b/c.d/e---f' }],
    ['x/a___b', { code: 'INVALID_FORMAT', part: 'repository "x/a___b"' }],
    ['x/a..b', { code: 'INVALID_FORMAT', part: 'repository "x/a..b"' }],
    ['x/.a', { code: 'INVALID_FORMAT', part: 'repository "x/.a"' }],
    ['x/a/', { code: 'INVALID_FORMAT', part: 'repository "x/a/"' }],
    // tags
    ['foo:A_b.C-d', { registry: HUB, repository: `${LIB}foo`, tag: 'A_b.C-d' }],
    ['foo:a+b', { code: 'INVALID_FORMAT', part: 'tag "a+b"' }],
    ['foo:', { code: 'INVALID_FORMAT', part: 'tag ""' }],
    // digests: sha512 accepted, upper case and wrong length refused, unknown algorithms unsupported
    [
      `foo@sha512:${'0'.repeat(128)}`,
      { registry: HUB, repository: `${LIB}foo`, digest: `sha512:${'0'.repeat(128)}` }
    ],
    [
      `foo@sha512:${'0'.repeat(64)}`,
      { code: 'DIGEST_INVALID_LENGTH', part: `digest "sha512:${'0'.repeat(64)}"` }
    ],
    [
      `foo@sha512:${'A'.repeat(128)}`,
      { code: 'DIGEST_INVALID_FORMAT', part: `digest "sha512:${'A'.repeat(128)}"` }
    ],
    [`foo@blake3:${F64}`, { code: 'DIGEST_UNSUPPORTED', part: `digest "blake3:${F64}"` }],
    [`foo@SHA256:${F64}`, { code: 'DIGEST_UNSUPPORTED', part: `digest "SHA256:${F64}"` }],
    [`foo@sha256:${F64}@x`, { code: 'INVALID_FORMAT', part: `digest "sha256:${F64}@x"` }]
  ])('parseReference (Parse cases) %j', (input, expected) =>
    expectOutcome(() => parseReference(input), expected)
  )

  test.each<[string, Expected]>([
    ['localhost:5000', { registry: 'docker.io', repository: 'library/localhost', tag: '5000' }],
    ['LOCALDOMAIN/debian', { registry: 'LOCALDOMAIN', repository: 'debian' }],
    ['foo/bar/baz', { registry: 'docker.io', repository: 'foo/bar/baz' }],
    ['registry-1.docker.io/foo/bar', { registry: 'registry-1.docker.io', repository: 'foo/bar' }],
    [
      'ubuntu@sha256:' + F64,
      { registry: 'docker.io', repository: 'library/ubuntu', digest: `sha256:${F64}` }
    ],
    ['ubuntu:Latest', { registry: 'docker.io', repository: 'library/ubuntu', tag: 'Latest' }],
    ['UBUNTU', { code: 'NAME_CONTAINS_UPPERCASE', part: 'repository "UBUNTU"' }],
    ['foo@SHA256:' + F64, { code: 'DIGEST_UNSUPPORTED', part: `digest "SHA256:${F64}"` }]
  ])('parseReference %j', (input, expected) => expectOutcome(() => parseReference(input), expected))

  test.each([
    ['ubuntu:22.04@sha256:' + F64, 'docker.io/library/ubuntu@sha256:' + F64],
    ['ghcr.io/o/a:v1', 'ghcr.io/o/a:v1'],
    ['localhost:5000/a', 'localhost:5000/a:latest']
  ])('ParseDockerRef form %s', (input, expected) => expect(dockerRef(input)).toBe(expected))

  // ParseAnyReference's named cases (its digest-only answers went with it)
  test.each<[string, unknown]>([
    ['ubuntu', { registry: 'docker.io', repository: 'library/ubuntu' }],
    ['sha256:abc', { registry: 'docker.io', repository: 'library/sha256', tag: 'abc' }]
  ])('parseReference (ParseAnyReference cases) %s', (input, expected) => {
    expect(parseReference(input)).toEqual(expected)
  })
})

describe('formatting, familiar form, equality, helpers', () => {
  test.each([
    ['docker.io/library/ubuntu:22.04', 'ubuntu:22.04', 'ubuntu'],
    ['docker.io/library/foo/bar', 'library/foo/bar', 'library/foo/bar'],
    ['docker.io/org/app@sha256:' + F64, 'org/app@sha256:' + F64, 'org/app'],
    ['ghcr.io/org/app:1', 'ghcr.io/org/app:1', 'ghcr.io/org/app'],
    ['localhost:5000/library/x', 'localhost:5000/library/x', 'localhost:5000/library/x']
  ])('%s', (input, familiar, name) => {
    const ref = parseReference(input)
    expect([formatReference(ref), familiarString(ref), familiarName(ref)]).toEqual([input, familiar, name])
  })

  // issue 19: the one key of a target repository (copy/targets.ts targetKey, the CLI's DSTs, the
  // action's target-tags, promotion files)
  test.each([
    ['docker.io', 'library/nginx', 'docker.io/library/nginx'],
    ['registry-1.docker.io', 'nginx', 'docker.io/library/nginx'],
    ['index.docker.io', 'library/nginx', 'docker.io/library/nginx'],
    ['INDEX.docker.io', 'org/app', 'docker.io/org/app'],
    ['https://index.docker.io/v1/', 'org/app', 'docker.io/org/app'],
    ['', 'org/app', 'docker.io/org/app'],
    ['ghcr.io:443', 'o/a', 'ghcr.io/o/a'],
    ['GHCR.io', 'o/a', 'ghcr.io/o/a'],
    ['ghcr.io:8443', 'nginx', 'ghcr.io:8443/nginx'],
    ['127.0.0.1:5000', 'nginx', '127.0.0.1:5000/nginx']
  ])('repositoryKey(%j, %j) = %j', (registry, repository, key) => {
    expect(repositoryKey(registry, repository)).toBe(key)
  })

  test('formatReference of a reference without registry omits it', () => {
    expect(formatReference({ registry: '', repository: 'foo/bar', tag: '1' })).toBe('foo/bar:1')
    expect(formatReference({ registry: '', repository: 'bar', tag: '1' })).toBe('bar:1')
  })

  test.each([
    ['ubuntu', 'docker.io/library/ubuntu', true, true],
    ['index.docker.io/library/ubuntu:latest', 'ubuntu:latest', true, true],
    ['ubuntu:latest', 'ubuntu', false, true],
    ['ubuntu:Latest', 'ubuntu:latest', false, true],
    ['GHCR.io/o/a:1', 'ghcr.io/o/a:1', true, true],
    ['ghcr.io/o/a', 'ghcr.io/o/b', false, false],
    ['registry-1.docker.io/nginx', 'docker.io/library/nginx', true, true],
    ['ghcr.io:443/o/a:1', 'ghcr.io/o/a:1', true, true],
    [`a/b@sha256:${F64}`, `a/b@sha256:${'0'.repeat(64)}`, false, true]
  ])('%s vs %s', (a, b, equal, sameRepo) => {
    expect([referencesEqual(a, b), sameRepository(a, b)]).toEqual([equal, sameRepo])
    expect(referencesEqual({ registry: 'registry-1.docker.io', repository: 'x/y' }, 'x/y')).toBe(true)
  })

  test.each([
    ['docker.io', 'registry-1.docker.io'],
    ['index.docker.io', 'registry-1.docker.io'],
    ['Docker.IO', 'registry-1.docker.io'],
    ['ghcr.io', 'ghcr.io'],
    ['127.0.0.1:5000', '127.0.0.1:5000']
  ])('apiHost(%s)', (registry, host) => expect(apiHost(registry)).toBe(host))

  test('withTag, withDigest, trimNamed', () => {
    const ref = parseReference('ghcr.io/o/a:v1')
    expect(withTag(ref, 'v2')).toEqual({ registry: 'ghcr.io', repository: 'o/a', tag: 'v2' })
    expect(withDigest(ref, `sha256:${F64}`)).toEqual({
      registry: 'ghcr.io',
      repository: 'o/a',
      tag: 'v1',
      digest: `sha256:${F64}`
    })
    expect(trimNamed(withDigest(ref, `sha256:${F64}`))).toEqual({ registry: 'ghcr.io', repository: 'o/a' })
    expect(outcome(() => withTag(ref, 'a/b'))).toEqual({ code: 'TAG_INVALID_FORMAT', part: 'tag "a/b"' })
    expect(outcome(() => withDigest(ref, 'md5:abc'))).toEqual({
      code: 'DIGEST_INVALID_FORMAT',
      part: 'digest "md5:abc"'
    })
  })

  test.each([
    ['v1.2.3', true],
    ['_x', true],
    ['a'.repeat(128), true],
    ['a'.repeat(129), false],
    ['.x', false],
    ['-x', false],
    ['', false],
    ['a/b', false],
    ['ü', false]
  ])('isValidTag(%j) = %s', (tag, valid) => {
    expect(isValidTag(tag)).toBe(valid)
    expect(outcome(() => validateTag(tag))).toEqual(
      valid ? undefined : { code: 'TAG_INVALID_FORMAT', part: `tag "${tag}"` }
    )
  })

  test.each([
    [`sha256:${F64}`, undefined],
    [`sha512:${'e'.repeat(128)}`, undefined],
    ['sha256', 'DIGEST_INVALID_FORMAT'],
    ['sha256:', 'DIGEST_INVALID_FORMAT'],
    [`sha384:${'a'.repeat(96)}`, 'DIGEST_UNSUPPORTED'],
    [`sha256:${'a'.repeat(65)}`, 'DIGEST_INVALID_LENGTH'],
    [`sha256:${'g'.repeat(64)}`, 'DIGEST_INVALID_FORMAT']
  ])('validateDigest(%s)', (digest, code) => {
    expect((outcome(() => validateDigest(digest)) as { code?: string } | undefined)?.code).toBe(code)
  })

  test('name length warning counts host + "/" + path', () => {
    const host = 'registry.example.org:5000'
    expect(nameLengthWarning({ registry: host, repository: 'a'.repeat(229) })).toBeUndefined()
    expect(nameLengthWarning({ registry: host, repository: 'a'.repeat(230) })).toBe(
      `name "${host}/${'a'.repeat(230)}" is 256 characters; many clients reject names longer than 255 (host + "/" + path)`
    )
  })
})
