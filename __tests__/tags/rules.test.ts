/** Our own cases, one or more per rule, attribute, flavor key and departure. */
import { createHash } from 'node:crypto'
import {
  computeTags,
  parseFlavor,
  parseImages,
  parseTagRules,
  sanitizeTag,
  TagRuleError,
  type TagContext
} from '../../src/tags/index.js'
import { NOW, SHA_DEV, githubContext } from './fixtures.js'
import { loadTagEngine } from '../../src/tags/index.js'

// the expression engine (Handlebars, moment-timezone) is loaded on demand; these tests render expressions
beforeAll(() => loadTagEngine())

const dev = githubContext('push', 'refs/heads/dev')
const tagCtx = (tag: string) => githubContext('push', `refs/tags/${tag}`)

function tags(rules: string[], ctx: TagContext = dev, flavor: string[] = []): string[] {
  return computeTags({ tags: rules, flavor }, ctx, { now: NOW }).tags
}

function error(fn: () => unknown): string {
  try {
    fn()
  } catch (e) {
    if (e instanceof TagRuleError) return e.message
    throw e
  }
  throw new Error('expected a TagRuleError')
}

describe('rule types', () => {
  test.each<[string, string[], TagContext, string[], string[]?]>([
    // semver
    [
      'semver build metadata dropped by {{version}}',
      ['type=semver,pattern={{version}}'],
      tagCtx('v1.2.3+build.5'),
      ['1.2.3', 'latest']
    ],
    [
      'semver {{raw}} keeps build metadata, + sanitised',
      ['type=semver,pattern={{raw}}'],
      tagCtx('v1.2.3+build.5'),
      ['v1.2.3-build.5', 'latest']
    ],
    ['semver invalid V prefix', ['type=semver,pattern={{version}}'], tagCtx('V1.2.3'), []],
    ['semver leading zero invalid', ['type=semver,pattern={{version}}'], tagCtx('01.2.3'), []],
    ['semver on a branch without value', ['type=semver,pattern={{version}}'], dev, []],
    [
      'semver value from expression',
      ['type=semver,pattern={{major}},value={{branch}}'],
      githubContext('push', 'refs/heads/2.5.1'),
      ['2', 'latest']
    ],
    [
      'semver match without group keeps whole match',
      ['type=semver,pattern={{version}},match=\\d+\\.\\d+\\.\\d+'],
      tagCtx('rel-3.4.5'),
      ['3.4.5', 'latest']
    ],
    [
      'semver match miss keeps raw (invalid → none)',
      ['type=semver,pattern={{version}},match=^x(.*)'],
      tagCtx('v1.0.0'),
      ['1.0.0', 'latest']
    ],
    // pep440
    ['pep440 epoch/local', ['type=pep440,pattern={{version}}'], tagCtx('1!2.0'), ['1-2.0', 'latest']],
    [
      'pep440 patch',
      ['type=pep440,pattern={{major}}.{{minor}}.{{patch}}'],
      tagCtx('v3.2.1'),
      ['3.2.1', 'latest']
    ],
    ['pep440 invalid', ['type=pep440,pattern={{version}}'], tagCtx('not-a-version'), []],
    ['pep440 {{raw}} on post-release', ['type=pep440,pattern={{raw}}'], tagCtx('1.0.post2'), ['1.0.post2']],
    // match
    ['match /re/flags form', ['type=match,pattern=/^V(\\d+)$/i,group=1'], tagCtx('v12'), ['12', 'latest']],
    ['match missing group', ['type=match,pattern=v(\\d)(x)?,group=2'], tagCtx('v1'), []],
    ['match on value', ['type=match,pattern=\\d+,value=build-42'], dev, ['42', 'latest']],
    // ref
    ['ref branch', ['type=ref,event=branch'], githubContext('push', 'refs/heads/feature/x'), ['feature-x']],
    ['ref tag not on a branch', ['type=ref,event=tag'], dev, []],
    [
      'ref pr custom prefix',
      ['type=ref,event=pr,prefix=pull-'],
      githubContext('pull_request', 'refs/pull/7/merge'),
      ['pull-7']
    ],
    [
      'ref pr empty prefix',
      ['type=ref,event=pr,prefix='],
      githubContext('pull_request', 'refs/pull/7/merge'),
      ['7']
    ],
    // sha
    ['sha custom prefix and suffix', ['type=sha,prefix=,suffix=-x'], dev, ['860c190-x']],
    ['sha long', ['type=sha,format=long,prefix='], dev, [SHA_DEV]],
    [
      'sha length from env',
      ['type=sha'],
      githubContext('push', 'refs/heads/dev', undefined, {}, { DOCKER_METADATA_SHORT_SHA_LENGTH: '12' }),
      ['sha-860c1904a1ce']
    ],
    [
      'sha length ≥ sha',
      ['type=sha'],
      githubContext('push', 'refs/heads/dev', undefined, {}, { DOCKER_METADATA_SHORT_SHA_LENGTH: '99' }),
      [`sha-${SHA_DEV}`]
    ],
    [
      '{{sha}} follows the length',
      ['type=raw,value=c-{{sha}}'],
      githubContext('push', 'refs/heads/dev', undefined, {}, { DOCKER_METADATA_SHORT_SHA_LENGTH: '4' }),
      ['c-860c']
    ],
    ['sha absent', ['type=sha'], { eventName: 'push', ref: 'refs/heads/dev', sha: '' }, []],
    // edge
    [
      'edge without known default branch',
      ['type=edge'],
      { eventName: 'push', ref: 'refs/heads/main', sha: SHA_DEV },
      []
    ],
    ['edge on a tag', ['type=edge'], tagCtx('v1'), []],
    // schedule
    [
      'schedule with tz',
      ["type=schedule,pattern={{date 'YYYY-MM-DD HH:mm' tz='Asia/Tokyo'}}"],
      githubContext('schedule', 'refs/heads/master'),
      ['2020-01-10-09-30']
    ],
    ['schedule only on schedule events', ['type=schedule'], dev, []],
    // raw
    ['raw empty value gives nothing', ['type=raw,value='], dev, []],
    [
      'raw expression value sanitised',
      ['type=raw,value={{branch}}/x'],
      githubContext('push', 'refs/heads/a@b'),
      ['a-b-x']
    ],
    ['raw explicit upper case kept', ['type=raw,value=Release_1.0'], dev, ['Release_1.0']],
    // priority and enable
    [
      'priority reorders, ties keep input order',
      ['type=raw,a', 'type=raw,b,priority=300', 'type=raw,c,priority=300'],
      dev,
      ['b', 'c', 'a']
    ],
    [
      'enable from expression',
      ['type=raw,a,enable={{is_default_branch}}', 'type=raw,b'],
      githubContext('push', 'refs/heads/master'),
      ['a', 'b']
    ],
    [
      'duplicates dropped',
      ['type=raw,a', 'type=raw,a', 'type=ref,event=branch', 'type=raw,value={{branch}}'],
      dev,
      ['dev', 'a']
    ],
    // is_default_branch special events
    [
      'workflow_dispatch on default branch',
      ['type=raw,d,enable={{is_default_branch}}'],
      githubContext('workflow_dispatch', 'refs/heads/master'),
      ['d']
    ],
    [
      'is_default_branch true on create',
      ['type=raw,d,enable={{is_default_branch}}'],
      { eventName: 'create', ref: 'refs/tags/x', sha: SHA_DEV },
      ['d']
    ]
  ])('%s', (_name, rules, ctx, expected) => expect(tags(rules, ctx)).toEqual(expected))
})

describe('flavor', () => {
  test.each<[string, string[], string[], TagContext, string[]]>([
    ['latest=true on a branch', ['type=ref,event=branch'], ['latest=true'], dev, ['dev', 'latest']],
    ['latest=false on a tag', ['type=ref,event=tag'], ['latest=false'], tagCtx('v1'), ['v1']],
    ['latest=true but no tags at all', ['type=ref,event=tag'], ['latest=true'], dev, []],
    [
      'prefix not on latest by default',
      ['type=ref,event=tag'],
      ['prefix=app-'],
      tagCtx('v1'),
      ['app-v1', 'latest']
    ],
    [
      'prefix onlatest',
      ['type=ref,event=tag'],
      ['prefix=app-,onlatest=true'],
      tagCtx('v1'),
      ['app-v1', 'app-latest']
    ],
    [
      'suffix applies to pr and sha',
      ['type=ref,event=pr', 'type=sha'],
      ['suffix=-arm'],
      githubContext('pull_request', 'refs/pull/3/merge'),
      ['pr-3-arm', 'sha-a9c8c58-arm']
    ],
    ['rule prefix= beats flavor prefix', ['type=ref,event=branch,prefix='], ['prefix=x-'], dev, ['dev']],
    ['expression in flavor prefix', ['type=ref,event=branch'], ['prefix={{sha}}-'], dev, ['860c190-dev']],
    ['later flavor line wins', ['type=raw,a'], ['prefix=x-', 'prefix=y-'], dev, ['y-a']]
  ])('%s', (_name, rules, flavor, ctx, expected) => expect(tags(rules, ctx, flavor)).toEqual(expected))

  test('parseFlavor', () => {
    expect(parseFlavor(['latest=false', 'prefix=p-,onlatest=true', 'suffix=-s'])).toEqual({
      latest: 'false',
      prefix: 'p-',
      suffix: '-s',
      prefixLatest: true,
      suffixLatest: false
    })
  })

  test.each([
    ['latest=maybe', 'invalid flavor input "latest=maybe": latest "maybe": latest is auto, true or false'],
    [
      'foo=bar',
      'invalid flavor input "foo=bar": key "foo": flavor fields are latest=, prefix=, suffix=, onlatest='
    ],
    [
      'prefix',
      'invalid flavor input "prefix": field "prefix": flavor fields are latest=, prefix=, suffix=, onlatest='
    ],
    [
      'onlatest=true',
      'invalid flavor input "onlatest=true": onlatest: onlatest follows a prefix or suffix on the same line'
    ],
    [
      'prefix=a,onlatest=yes',
      'invalid flavor input "prefix=a,onlatest=yes": onlatest "yes": onlatest is true or false'
    ],
    [
      'prefix=a/b',
      'invalid flavor input "prefix=a/b": prefix "a/b": a prefix may only contain [A-Za-z0-9_.-]'
    ],
    ['prefix=-a', 'invalid flavor input "prefix=-a": prefix "-a": a tag must not start with "." or "-"'],
    [
      'suffix=a=b',
      'invalid flavor input "suffix=a=b": suffix "a=b": a suffix may only contain [A-Za-z0-9_.-]'
    ]
  ])('flavor error %s', (line, message) => expect(error(() => parseFlavor([line]))).toBe(message))
})

describe('rule parsing', () => {
  test('defaults, CSV quoting, first = split, comments and blank lines', () => {
    const rules = parseTagRules('# comment\n\ntype=match,"pattern=a=(b,c)",group=1\nfoo\ntype=sha\n')
    expect(rules.map(r => [r.type, Object.fromEntries(r.attrs), r.priority])).toEqual([
      ['match', { pattern: 'a=(b,c)', group: '1', value: '', enable: 'true', priority: '800' }, 800],
      ['raw', { value: 'foo', enable: 'true', priority: '200' }, 200],
      ['sha', { prefix: 'sha-', format: 'short', enable: 'true', priority: '100' }, 100]
    ])
    expect(parseTagRules('').map(r => r.source)).toEqual([
      'type=schedule',
      'type=ref,event=branch',
      'type=ref,event=tag',
      'type=ref,event=pr'
    ])
  })

  test.each([
    [
      'type=bogus',
      'invalid tags input "type=bogus": type "bogus": type is one of schedule, semver, pep440, match, edge, ref, raw, sha'
    ],
    ['type=semver', 'invalid tags input "type=semver": attribute "pattern": type=semver needs pattern=…'],
    ['type=pep440', 'invalid tags input "type=pep440": attribute "pattern": type=pep440 needs pattern=…'],
    ['type=match', 'invalid tags input "type=match": attribute "pattern": type=match needs pattern=…'],
    [
      'type=match,pattern=x,group=a',
      'invalid tags input "type=match,pattern=x,group=a": group "a": group is a capture group number'
    ],
    ['type=ref', 'invalid tags input "type=ref": attribute "event": type=ref needs event=…'],
    [
      'type=ref,event=commit',
      'invalid tags input "type=ref,event=commit": event "commit": event is one of branch, tag, pr'
    ],
    ['type=raw', 'invalid tags input "type=raw": attribute "value": type=raw needs value=…'],
    [
      'type=sha,format=medium',
      'invalid tags input "type=sha,format=medium": format "medium": format is short or long'
    ],
    [
      'type=raw,value=a,priority=high',
      'invalid tags input "type=raw,value=a,priority=high": priority "high": priority is a number'
    ],
    [
      'type=semver,patern={{version}}',
      'invalid tags input "type=semver,patern={{version}}": attribute "patern": attributes are type, value, pattern, match, group, event, branch, format, prefix, suffix, enable, priority'
    ],
    [
      'type=sha,prefix=a b',
      'invalid tags input "type=sha,prefix=a b": prefix "a b": a prefix may only contain [A-Za-z0-9_.-]'
    ],
    [
      'type=raw,"a',
      'invalid tags input "type=raw,"a": line: not a CSV record: Quote Not Closed: the parsing is finished with an opening quote at line 1'
    ]
  ])('%s', (line, message) => expect(error(() => parseTagRules([line]))).toBe(message))

  test.each([
    [
      'type=raw,value=my tag',
      'invalid tags input "type=raw,value=my tag": tag "my tag": a tag is 1 to 128 characters from [A-Za-z0-9_.-] and must not start with "." or "-"'
    ],
    [
      'type=raw,value=.hidden',
      'invalid tags input "type=raw,value=.hidden": tag ".hidden": a tag is 1 to 128 characters from [A-Za-z0-9_.-] and must not start with "." or "-"'
    ],
    [
      `type=raw,value=${'a'.repeat(129)}`,
      `invalid tags input "type=raw,value=${'a'.repeat(129)}": tag "${'a'.repeat(129)}": a tag is 1 to 128 characters from [A-Za-z0-9_.-] and must not start with "." or "-"`
    ],
    [
      'type=raw,value=a,enable=yes',
      'invalid tags input "type=raw,value=a,enable=yes": enable "yes": enable must be (or render to) true or false'
    ],
    [
      'type=raw,value={{#if}}',
      'invalid tags input "type=raw,value={{#if}}": expression "{{#if}}": Parse error on line 1:'
    ],
    [
      "type=raw,value={{date 'YYYY' zone='UTC'}}",
      `invalid tags input "type=raw,value={{date 'YYYY' zone='UTC'}}": expression "{{date 'YYYY' zone='UTC'}}": Unknown zone attribute`
    ],
    [
      'type=raw,value={{branhc}}',
      'invalid tags input "type=raw,value={{branhc}}": expression "{{branhc}}": unknown placeholder {{branhc}}; the placeholders here are {{branch}}, {{tag}}, {{sha}}, {{base_ref}}, {{is_default_branch}}, {{is_not_default_branch}}, {{date}}, {{commit_date}}'
    ],
    [
      'type=pep440,pattern={{major}}.{{minr}}',
      'invalid tags input "type=pep440,pattern={{major}}.{{minr}}": expression "{{major}}.{{minr}}": unknown placeholder {{minr}}; the placeholders here are {{raw}}, {{version}}, {{major}}, {{minor}}, {{patch}}'
    ],
    [
      'type=match,pattern=(',
      'invalid tags input "type=match,pattern=(": pattern "(": Invalid regular expression: /(/: Unterminated group'
    ]
  ])('explicit and runtime errors: %s', (line, message) =>
    expect(error(() => computeTags({ tags: [line] }, tagCtx('v1'), { now: NOW })).split('\n')[0]).toBe(
      message
    )
  )

  test('labels: OCI set, custom lines override, expressions, sorted', () => {
    const r = computeTags(
      {
        tags: ['type=ref,event=tag'],
        labels: ['org.opencontainers.image.title=My App', 'a.custom=branch={{branch}};tag={{tag}}'],
        annotations: 'org.opencontainers.image.description=Annotated'
      },
      tagCtx('v1.0.0'),
      { now: NOW }
    )
    expect(r.labels).toEqual({
      'a.custom': 'branch=;tag=v1.0.0',
      'org.opencontainers.image.created': '2020-01-10T00:30:00.000Z',
      'org.opencontainers.image.description': 'Test docker action',
      'org.opencontainers.image.licenses': 'MIT',
      'org.opencontainers.image.revision': SHA_DEV,
      'org.opencontainers.image.source': 'https://github.com/docker/test-docker-action',
      'org.opencontainers.image.title': 'My App',
      'org.opencontainers.image.url': 'https://github.com/docker/test-docker-action',
      'org.opencontainers.image.version': 'v1.0.0'
    })
    expect(Object.keys(r.labels)[0]).toBe('a.custom')
    expect(r.annotations['org.opencontainers.image.description']).toBe('Annotated')
    expect(error(() => computeTags({ labels: ['novalue'] }, dev, { now: NOW }))).toBe(
      'invalid tags input "novalue": label: label lines are key=value'
    )
  })

  test('warnings name the rule', () => {
    const r = computeTags(
      { tags: ['type=semver,pattern={{version}}', 'type=match,pattern=^x'] },
      tagCtx('sometag'),
      { now: NOW }
    )
    expect(r.warnings).toEqual([
      'type=semver,pattern={{version}}: "sometag" is not a valid semver version',
      'type=match,pattern=^x: pattern ^x does not match "sometag"'
    ])
  })
})

describe('sanitizeTag (departure: always a valid tag)', () => {
  const long = 'feature/' + 'x'.repeat(200)
  const hash = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex').slice(0, 8)
  test.each<[string, string | undefined]>([
    ['my/feature#1245', 'my-feature-1245'],
    ['@foo', 'foo'],
    ['..-.x', 'x'],
    ['feature/ünïcode', 'feature-n-code'],
    ['a😀b', 'a-b'],
    ['___', '___'],
    ['@@@', undefined],
    ['', undefined],
    ['a'.repeat(128), 'a'.repeat(128)],
    ['a'.repeat(129), 'a'.repeat(119) + '-' + hash('a'.repeat(129))],
    [long, ('feature-' + 'x'.repeat(200)).slice(0, 119) + '-' + hash(long)]
  ])('%j', (raw, expected) => expect(sanitizeTag(raw)).toBe(expected))

  test('long branch names give distinct 128-character tags', () => {
    const a = tags(['type=ref,event=branch'], githubContext('push', 'refs/heads/' + 'b'.repeat(150) + '/one'))
    const b = tags(['type=ref,event=branch'], githubContext('push', 'refs/heads/' + 'b'.repeat(150) + '/two'))
    expect([a[0].length, b[0].length, a[0] === b[0]]).toEqual([128, 128, false])
    expect(a).toEqual(['b'.repeat(119) + '-' + hash('b'.repeat(150) + '/one')])
  })
})

describe('parseImages', () => {
  test.each<[string | string[], boolean, string[]]>([
    ['org/app', false, ['org/app']],
    ['org/app,ghcr.io/o/app', false, ['org/app', 'ghcr.io/o/app']],
    [
      ['name=org/app', 'name=ghcr.io/o/app,enable=false', '# c', 'quay.io/o/a'],
      false,
      ['org/app', 'quay.io/o/a']
    ],
    [['ghcr.io/MyUSER/MyApp'], true, ['ghcr.io/myuser/myapp']]
  ])('%j', (input, lowercase, expected) => expect(parseImages(input, { lowercase })).toEqual(expected))

  test.each([
    [
      'ghcr.io/MyUSER/MyApp',
      'invalid tags input "ghcr.io/MyUSER/MyApp": image "ghcr.io/MyUSER/MyApp": image names must be lowercase; use "ghcr.io/myuser/myapp"'
    ],
    [
      ['name=a,foo=b'],
      'invalid tags input "name=a,foo=b": attribute "foo": image attributes are name, enable'
    ],
    [['name=,enable=true'], 'invalid tags input "name=,enable=true": name "": an image needs a name'],
    [['name=a,enable=1'], 'invalid tags input "name=a,enable=1": enable "1": enable is true or false']
  ])('error %j', (input, message) => expect(error(() => parseImages(input))).toBe(message))
})
