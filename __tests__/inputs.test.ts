import { beforeAll, describe, expect, it } from '@jest/globals'
import { InputError, parseRegistryAuth, readInputs, tagsAndLabels } from '../src/inputs.js'
import type { TagContext } from '../src/tags/index.js'
import { loadTagEngine } from '../src/tags/index.js'

// the expression engine (Handlebars, moment-timezone) is loaded on demand; these tests render expressions
beforeAll(() => loadTagEngine())

const now = new Date('2026-11-29T10:00:00Z')
const tagPush: TagContext = {
  eventName: 'push',
  ref: 'refs/tags/v1.4.2',
  sha: '860c1904a1ce19322e91ac35af1ab07466440c37',
  repository: {
    name: 'app',
    owner: 'my-org',
    defaultBranch: 'main',
    htmlUrl: 'https://github.com/my-org/app'
  }
} as TagContext
const branchPush: TagContext = { ...tagPush, ref: 'refs/heads/feature/Fancy#12' } as TagContext

describe('tagsAndLabels', () => {
  it.each([
    ['plain tags, one per line', 'v1\nstable', tagPush, ['v1', 'stable']],
    ['plain tags separated by commas', 'v1, stable,edge', tagPush, ['v1', 'stable', 'edge']],
    [
      'semver rules on a tag push',
      'type=semver,pattern={{version}}\ntype=semver,pattern={{major}}.{{minor}}',
      tagPush,
      ['1.4.2', '1.4', 'latest']
    ],
    ['branch rule, sanitised', 'type=ref,event=branch', branchPush, ['feature-Fancy-12']],
    ['sha rule', 'type=sha', branchPush, ['sha-860c190']],
    [
      'metadata-action tags output',
      'ghcr.io/my-org/app:1.4.2\nghcr.io/my-org/app:latest',
      tagPush,
      ['1.4.2', 'latest']
    ],
    ['nothing', '', tagPush, []]
  ])('%s', (_name, text, ctx, expected) => {
    expect(tagsAndLabels(text, '', '', ctx, now).tags).toEqual(expected)
  })

  it('puts the OCI labels from the context under the labels input', () => {
    const r = tagsAndLabels('v1', '', 'org.opencontainers.image.title=Custom\nteam=core', tagPush, now)
    expect(r.labels).toEqual({
      'org.opencontainers.image.created': '2026-11-29T10:00:00.000Z',
      'org.opencontainers.image.revision': '860c1904a1ce19322e91ac35af1ab07466440c37',
      'org.opencontainers.image.source': 'https://github.com/my-org/app',
      'org.opencontainers.image.title': 'Custom',
      'org.opencontainers.image.url': 'https://github.com/my-org/app',
      'org.opencontainers.image.version': 'v1',
      team: 'core'
    })
  })

  it.each([
    [
      '.hidden',
      'input "tags": ".hidden": tag ".hidden": a tag is 1 to 128 characters from [A-Za-z0-9_.-] and must not start with "." or "-"'
    ],
    [
      'type=nope',
      'input "tags": "type=nope": type "nope": type is one of schedule, semver, pep440, match, edge, ref, raw, sha'
    ],
    [
      'ghcr.io/My-Org/app:1',
      'input "tags": invalid reference "ghcr.io/My-Org/app:1": repository "My-Org/app": repository name must be lowercase'
    ]
  ])('refuses %s naming the input and the rule', (text, message) => {
    expect(() => tagsAndLabels(text, '', '', tagPush, now)).toThrow(
      new InputError('tags', message.replace(/^input "tags": /, ''))
    )
  })

  it('a bad flavor line is named as the flavor input (newuser4 #19; it said input "tags": invalid tags input)', () => {
    expect(() => tagsAndLabels('type=sha', 'latest=sometimes', '', tagPush, now)).toThrow(
      new InputError('flavor', '"latest=sometimes": latest "sometimes": latest is auto, true or false')
    )
  })

  // newuser6 #25, before: 'input "labels": invalid tags input "novalue": label: …' (a label is no tags input)
  it('a bad labels line is named as the labels input, in the words of every input fault', () => {
    const fault = 'input "labels": "novalue": label: metadata-action label lines are key=value'
    expect(() => tagsAndLabels('type=sha', '', 'novalue', tagPush, now)).toThrow(fault)
    expect(() => tagsAndLabels('', '', 'title=x\nnovalue', tagPush, now)).toThrow(fault)
  })
})

describe('tag rules that give no tag on this ref, with targets (newuser4 finding 4)', () => {
  const main: TagContext = { ...tagPush, ref: 'refs/heads/main' } as TagContext
  const nightly: TagContext = { ...tagPush, ref: 'refs/tags/nightly' } as TagContext
  const targets = [{ registry: 'ghcr.io', repository: 'my-org/app' }]
  const SEMVER = 'type=semver,pattern={{version}}\ntype=semver,pattern={{major}}.{{minor}}'
  const WAYS =
    'nothing would name the image at the targets. Run on a tag, add a rule for branches (type=ref,event=branch), or set "tags" empty to promote by digest only'
  it.each([
    [
      "the README's semver rules on a branch push",
      SEMVER,
      main,
      `its 2 rules give no tag on refs/heads/main (type=semver needs a tag ref such as refs/tags/v1.2.3); ${WAYS}`
    ],
    [
      'a tag rule on a branch push',
      'type=ref,event=tag',
      main,
      `its rule gives no tag on refs/heads/main (type=ref gives a tag only on the event it names (event=branch, tag or pr)); ${WAYS}`
    ],
    [
      'a semver rule on a tag that is no version: its own warning too',
      'type=semver,pattern={{version}}',
      nightly,
      `its rule gives no tag on refs/tags/nightly (type=semver needs a tag ref such as refs/tags/v1.2.3; type=semver,pattern={{version}}: "nightly" is not a valid semver version); ${WAYS}`
    ]
  ])('%s: refused before any request', (_name, text, ctx, message) => {
    expect(() => tagsAndLabels(text, '', '', ctx, now, targets)).toThrow(new InputError('tags', message))
    expect(() =>
      readInputs(
        reader({ source: '127.0.0.1:5000/x/y:1', targets: 'ghcr.io/my-org/app', tags: text }),
        () => ctx
      )
    ).toThrow(`input "tags": ${message}`)
  })
  it.each([
    ['no targets (build and stage only)', SEMVER, main, undefined, []],
    ['an empty tags input: by digest only', '', main, targets, []],
    ['a rule that gives one beside them', `${SEMVER}\ntype=ref,event=branch`, main, targets, ['main']],
    ['the same rules on a release tag', SEMVER, tagPush, targets, ['1.4.2', '1.4', 'latest']]
  ])('%s: not refused', (_name, text, ctx, to, tags) => {
    expect(tagsAndLabels(text, '', '', ctx, now, to).tags).toEqual(tags)
  })
})

const reader =
  (values: Record<string, string>) =>
  (name: string): string =>
    values[name] ?? ''

describe('readInputs', () => {
  it('reads a full set of inputs', () => {
    const inputs = readInputs(
      reader({
        'staging-image': '127.0.0.1:5000/stage/app',
        context: 'examples/hello',
        targets: 'ghcr.io/my-org/app\n# a comment\n123456789012.dkr.ecr.eu-west-1.amazonaws.com/app',
        tags: 'v1',
        'tag-policy': 'overwrite',
        concurrency: '3',
        'insecure-registries': 'registry.internal:5000',
        platforms: 'linux/amd64,linux/arm64'
      }),
      () => tagPush
    )
    expect(inputs.targets).toEqual([
      { registry: 'ghcr.io', repository: 'my-org/app' },
      { registry: '123456789012.dkr.ecr.eu-west-1.amazonaws.com', repository: 'app' }
    ])
    expect(inputs['staging-image']).toEqual({ registry: '127.0.0.1:5000', repository: 'stage/app' })
    expect([
      inputs.tags,
      inputs.options.tagPolicy,
      inputs.options.concurrency,
      inputs.options.movingTags
    ]).toEqual([['v1'], 'overwrite', 3, ['latest', 'edge']])
    expect(inputs.options.insecureRegistries).toEqual(['registry.internal:5000'])
    expect(inputs.platforms).toEqual(['linux/amd64', 'linux/arm64'])
  })

  it.each([
    [{}, 'input "staging-image": required unless "source" names an image to promote'],
    [
      { source: '127.0.0.1:5000/x/y:1', targets: 'ghcr.io/My-Org/app' },
      'input "targets": invalid reference "ghcr.io/My-Org/app": '
    ],
    [
      { source: '127.0.0.1:5000/x/y:1', targets: 'ghcr.io/org/app:v1' },
      // the entry as written (it quoted "ghcr.io/org/app", without the :v1 at fault)
      'input "targets": "ghcr.io/org/app:v1" must be a repository, without a tag or digest; put tags in "tags"'
    ],
    [
      { source: '127.0.0.1:5000/x/y:1', 'tag-policy': 'sometimes' },
      'input "tag-policy": "sometimes" must be immutable or overwrite'
    ],
    [
      { source: '127.0.0.1:5000/x/y:1', concurrency: '0' },
      'input "concurrency": "0" must be a whole number from 1 to 64'
    ],
    [{ source: '127.0.0.1:5000/x/y:1', 'dry-run': 'yes' }, 'input "dry-run": "yes" is not true or false'],
    [
      { source: '127.0.0.1:5000/x/y:1', 'request-timeout': '0' },
      'input "request-timeout": "0" must be a whole number of seconds from 1 to 3600'
    ],
    [
      { source: '127.0.0.1:5000/x/y:1', 'upload-mode': 'fast' },
      'input "upload-mode": "fast" must be monolithic or chunked'
    ],
    [
      { source: '127.0.0.1:5000/x/y:1', 'staging-image': '127.0.0.1:5000/x/z' },
      'input "source": give "source" (promote an existing image) or "staging-image" (build one), not both'
    ],
    [
      { source: '127.0.0.1:5000/x/y:1', targets: 'ubuntu' },
      'input "targets": invalid reference "ubuntu": namespace "library": Docker Hub\'s "library" namespace holds Docker\'s official images and cannot be pushed to'
    ],
    // newuser3 finding 7, before: 'invalid reference "…": repository "b1/one, 127.0.0.1:5303/b1/two": path
    // component "one, 127.0.0.1:5303" is invalid: …' and 'domain "- 127.0.0.1:5303": a domain is host[:port] …'
    [
      { source: '127.0.0.1:5000/x/y:1', targets: '127.0.0.1:5303/b1/one, 127.0.0.1:5303/b1/two' },
      'input "targets": "127.0.0.1:5303/b1/one, 127.0.0.1:5303/b1/two" names several repositories on one line; give one repository per line'
    ],
    [
      { source: '127.0.0.1:5000/x/y:1', targets: 'ghcr.io/o/a ghcr.io/o/b' },
      'input "targets": "ghcr.io/o/a ghcr.io/o/b" names several repositories on one line; give one repository per line'
    ],
    [
      { source: '127.0.0.1:5000/x/y:1', targets: 'ghcr.io/o/a\n- 127.0.0.1:5303/b1/one' },
      'input "targets": "- 127.0.0.1:5303/b1/one": give one repository per line, without "- " (the input is lines of text, not a YAML list)'
    ]
  ])('refuses %j', (values, message) => {
    expect(() => readInputs(reader(values as Record<string, string>), () => tagPush)).toThrow(message)
  })

  // newuser finding 42: the CLI's scheme and transport rule (reference/transport.ts), in the inputs' words
  it.each([
    [
      { source: 'https://127.0.0.1:5201/train/one:rc1' },
      // newuser4 #18, before: '(registries are reached over https)', untrue for a loopback registry
      'input "source": a reference has no URL scheme; write 127.0.0.1:5201/train/one:rc1 (plain http is tried first for a loopback registry, then https) (in "https://127.0.0.1:5201/train/one:rc1")'
    ],
    [
      { source: '127.0.0.1:5201/train/one:rc1', targets: 'https://ghcr.io/acme/app' },
      'input "targets": a reference has no URL scheme; write ghcr.io/acme/app (registries are reached over https) (in "https://ghcr.io/acme/app")'
    ],
    [
      { source: '127.0.0.1:5201/train/one:rc1', targets: 'http://registry.internal:5000/acme/app' },
      'input "targets": a reference has no URL scheme; write registry.internal:5000/acme/app (plain http is used for a loopback registry, and for another with insecure-registries: registry.internal:5000) (in "http://registry.internal:5000/acme/app")'
    ],
    [
      { 'staging-image': 'oci:/tmp/layout' },
      'input "staging-image": the oci: transport (an OCI image layout directory) is not read; promote-image reads and writes registries only (REF or docker://REF). Push the image to a registry first, e.g. skopeo copy oci:… docker://REGISTRY/REPOSITORY:TAG (in "oci:/tmp/layout")'
    ]
  ])('refuses a URL or another transport %j', (values, message) => {
    expect(() => readInputs(reader(values as Record<string, string>), () => tagPush)).toThrow(
      new InputError(Object.keys(values).at(-1)!, message.replace(/^input "[^"]+": /, ''))
    )
  })

  it("drops skopeo's docker:// from source, staging-image and targets, as the CLI does", () => {
    const inputs = readInputs(
      reader({
        source: 'docker://127.0.0.1:5201/train/one:rc1',
        targets: 'docker://127.0.0.1:5202/acme/app\n127.0.0.1:5203/acme/app'
      }),
      () => tagPush
    )
    expect(inputs.source).toEqual({ registry: '127.0.0.1:5201', repository: 'train/one', tag: 'rc1' })
    expect(inputs.targets).toEqual([
      { registry: '127.0.0.1:5202', repository: 'acme/app' },
      { registry: '127.0.0.1:5203', repository: 'acme/app' }
    ])
  })

  it('applies the rules of the kind named in registry-kinds (a Harbor on its own domain)', () => {
    expect(() =>
      readInputs(
        reader({
          source: '127.0.0.1:5000/x/y:1',
          targets: 'registry.example.com/app',
          'registry-kinds': 'registry.example.com=harbor'
        }),
        () => tagPush
      )
    ).toThrow(/^input "targets": invalid reference "registry\.example\.com\/app": /)
    const ok = readInputs(
      reader({
        source: '127.0.0.1:5000/x/y:1',
        targets: 'registry.example.com/team/app',
        'registry-kinds': 'registry.example.com=harbor'
      }),
      () => tagPush
    )
    expect(ok.targets).toEqual([{ registry: 'registry.example.com', repository: 'team/app' }])
    expect(() =>
      readInputs(
        reader({ source: '127.0.0.1:5000/x/y:1', 'registry-kinds': 'registry.example.com=nexus' }),
        () => tagPush
      )
    ).toThrow(
      'input "registry-kinds": "registry.example.com=nexus" must be HOST=KIND with KIND one of dockerhub, ghcr, ecr, ecr-public, gar, gcr, acr, quay, harbor, generic'
    )
  })

  it('lower-cases an upper-case owner when asked, and proposes it otherwise', () => {
    const ok = readInputs(
      reader({ source: '127.0.0.1:5000/x/y:1', targets: 'ghcr.io/My-Org/App', lowercase: 'true' }),
      () => tagPush
    )
    expect(ok.targets).toEqual([{ registry: 'ghcr.io', repository: 'my-org/app' }])
    // the message names the input that lower-cases it (newuser 2nd pass finding 21: it gave none)
    expect(() =>
      readInputs(reader({ source: '127.0.0.1:5000/x/y:1', targets: 'ghcr.io/My-Org/App' }), () => tagPush)
    ).toThrow(
      new InputError(
        'targets',
        'invalid reference "ghcr.io/My-Org/App": repository "My-Org/App": GHCR owner and image names must be lowercase; use "ghcr.io/my-org/app", or set "lowercase: true" to lower-case it'
      )
    )
  })
})

describe('parseRegistryAuth', () => {
  it('reads a YAML list', () => {
    expect(
      parseRegistryAuth(
        '- registry: ghcr.io\n  username: bot\n  password: s3cret\n- registry: https://acr.azurecr.io/\n  identitytoken: rt'
      )
    ).toEqual({
      'ghcr.io': { username: 'bot', password: 's3cret', identityToken: undefined },
      'acr.azurecr.io': { username: undefined, password: undefined, identityToken: 'rt' }
    })
  })
  it('an entry without registry is Docker Hub, as in docker/login-action', () => {
    expect(parseRegistryAuth('- username: bot\n  password: s3cret')).toEqual({
      'docker.io': { username: 'bot', password: 's3cret', identityToken: undefined }
    })
  })
  it('keeps every value as the string written (no YAML numbers or booleans)', () => {
    expect(
      parseRegistryAuth(
        '- registry: 127.0.0.1:5000\n  username: 007\n  password: 0123456789\n- registry: quay.io\n  username: yes\n  password: null'
      )
    ).toEqual({
      '127.0.0.1:5000': { username: '007', password: '0123456789', identityToken: undefined },
      'quay.io': { username: 'yes', password: 'null', identityToken: undefined }
    })
  })

  it.each([
    ['registry: ghcr.io', 'input "registry-auth": must be a YAML list of {registry, username, password}'],
    [
      '- username: x\n  password: y\n- registry: index.docker.io\n  username: z\n  password: w',
      'input "registry-auth": entry 2 (index.docker.io) names the same registry as entry 1 (docker.io, no registry given)'
    ],
    [
      '- username: x',
      'input "registry-auth": entry 1 (docker.io, no registry given) needs username and password, or identitytoken'
    ],
    [
      '- registry: ghcr.io\n  username: x',
      'input "registry-auth": entry 1 (ghcr.io) needs username and password, or identitytoken'
    ]
  ])('refuses %j', (text, message) => {
    expect(() => parseRegistryAuth(text)).toThrow(message)
  })

  // newuser (2nd pass) finding 28: the message points at the slip
  it.each([
    [
      '- registry: ghcr.io\n  username: x\n  pasword: y',
      'input "registry-auth": entry 1 (ghcr.io) needs username and password, or identitytoken (it has "pasword"; the fields are registry, username, password, identitytoken)'
    ],
    [
      '- registry: ghcr.io\n  username: x\n  password: *starSECRET',
      `input "registry-auth": not valid YAML: an alias (*name) has no anchor before it, or aliases expand too far; a value starting with * or & is quoted ('…'), or given as \${{ toJSON(secrets.NAME) }}`
    ]
  ])('names the slip in %j', (text, message) => {
    let thrown: unknown
    try {
      parseRegistryAuth(text)
    } catch (e) {
      thrown = e
    }
    expect((thrown as Error).message).toBe(message)
    expect((thrown as Error).message).not.toContain('SECRET')
  })
})

describe('full references in tags apply to their own target only', () => {
  const inputs = (values: Record<string, string>) =>
    readInputs(reader({ source: '127.0.0.1:5000/x/y:1', ...values }), () => tagPush)
  const targets = 'ghcr.io/my-org/app\ndocker.io/myorg/app\n123456789012.dkr.ecr.eu-west-1.amazonaws.com/app'

  it('splits docker/metadata-action tags output by target, plain tags and rules going to every target', () => {
    const r = inputs({
      targets,
      tags: 'ghcr.io/my-org/app:1.4.2\nghcr.io/my-org/app:latest\nindex.docker.io/myorg/app:1.4.2\nv1,stable\ntype=sha'
    })
    expect(r.tags).toEqual(['v1', 'stable', 'sha-860c190'])
    expect(r['target-tags']).toEqual({
      'ghcr.io/my-org/app': ['v1', 'stable', 'sha-860c190', '1.4.2', 'latest'],
      'docker.io/myorg/app': ['v1', 'stable', 'sha-860c190', '1.4.2'],
      '123456789012.dkr.ecr.eu-west-1.amazonaws.com/app': ['v1', 'stable', 'sha-860c190']
    })
    expect(r['tag-warnings']).toEqual([])
  })

  it('warns for a target that only references to other targets would have tagged', () => {
    const r = inputs({ targets, tags: 'ghcr.io/my-org/app:1.4.2, myorg/app:1.4.2' })
    expect(r.tags).toEqual([])
    expect(r['target-tags']).toEqual({
      'ghcr.io/my-org/app': ['1.4.2'],
      'docker.io/myorg/app': ['1.4.2'],
      '123456789012.dkr.ecr.eu-west-1.amazonaws.com/app': []
    })
    expect(r['tag-warnings']).toEqual([
      'target 123456789012.dkr.ecr.eu-west-1.amazonaws.com/app gets no tags: the full references in "tags" name other targets only, so it is promoted by digest only'
    ])
  })

  // issue 19: target-tags is keyed by copy/targets.ts targetKey (the one target key), so a
  // reference naming a target by another spelling (alias, :443) reaches it
  it('a full reference names its target through Docker Hub aliases and :443', () => {
    const r = inputs({
      targets: 'registry-1.docker.io/myorg/app\nghcr.io:443/my-org/app',
      tags: 'index.docker.io/myorg/app:1.4.2\nghcr.io/my-org/app:2'
    })
    expect(r['target-tags']).toEqual({ 'docker.io/myorg/app': ['1.4.2'], 'ghcr.io/my-org/app': ['2'] })
  })

  it('empty tags: no tags anywhere (by digest only), not metadata-action default rules', () => {
    const r = inputs({ targets })
    expect([r.tags, Object.values(r['target-tags']), r['tag-warnings']]).toEqual([[], [[], [], []], []])
  })

  it.each([
    [
      { targets, tags: 'docker.io/other/img:9.9' },
      'input "tags": "docker.io/other/img:9.9" names docker.io/other/img, which is not one of the targets (ghcr.io/my-org/app, docker.io/myorg/app, 123456789012.dkr.ecr.eu-west-1.amazonaws.com/app): a full reference applies to its own target only; add its repository to "targets" or give the tag alone to apply it to every target'
    ],
    [
      { tags: 'v1\nghcr.io/my-org/app:1.4.2' },
      'input "tags": "ghcr.io/my-org/app:1.4.2" names ghcr.io/my-org/app, which is not one of the targets (none): a full reference applies to its own target only; add its repository to "targets" or give the tag alone to apply it to every target'
    ],
    [
      { targets, tags: 'ghcr.io/my-org/app' },
      'input "tags": "ghcr.io/my-org/app" is a full reference without a tag: a full reference in "tags" is REGISTRY/REPOSITORY:TAG'
    ],
    [
      { targets, tags: `ghcr.io/my-org/app@sha256:${'a'.repeat(64)}` },
      `input "tags": "ghcr.io/my-org/app@sha256:${'a'.repeat(64)}" is a full reference without a tag (or with a digest): a full reference in "tags" is REGISTRY/REPOSITORY:TAG`
    ]
  ])('refuses %j naming the input, the reference and the targets', (values, message) => {
    expect(() => inputs(values)).toThrow(new InputError('tags', message.replace(/^input "tags": /, '')))
  })

  it('tagsAndLabels without targets keeps every tag named (for callers that know no targets)', () => {
    const r = tagsAndLabels('ghcr.io/my-org/app:1.4.2\nv1', '', '', tagPush, now)
    expect([r.tags, r.common, r.targetTags]).toEqual([['v1', '1.4.2'], ['v1'], {}])
  })
})

// newuser6 #18, before: accepted, the digest dropped; the build pushed under a per-commit tag and
// another digest was promoted, without a word
describe('readInputs: staging-image with a digest', () => {
  const digest = `sha256:${'204e'.repeat(16)}`
  const targets = '127.0.0.1:5406/tt/app'
  it.each([
    [`127.0.0.1:5401/stg/z@${digest}`, {}],
    [`127.0.0.1:5401/stg/z:v1@${digest}`, {}]
  ])('refuses %s before the build, naming the input that promotes it', (staging, extra) => {
    expect(() =>
      readInputs(
        reader({ 'staging-image': staging, targets, context: 'examples/hello', ...extra }),
        () => tagPush
      )
    ).toThrow(
      new InputError(
        'staging-image',
        `"${staging}" names a digest: staging-image is where the build is pushed (REGISTRY/REPOSITORY[:TAG]); to promote that existing image instead, give it as "source" (and no build inputs)`
      )
    )
  })

  it('the advice followed: the same reference as source is the image promoted, by its digest', () => {
    const inputs = readInputs(reader({ source: `127.0.0.1:5401/stg/z@${digest}`, targets }), () => tagPush)
    expect(inputs.source).toEqual({ registry: '127.0.0.1:5401', repository: 'stg/z', digest })
    expect(inputs['staging-image']).toBeUndefined()
  })

  it('with merge: where the index is written, a tag at most', () => {
    const staging = `127.0.0.1:5401/stg/z@${digest}`
    expect(() =>
      readInputs(reader({ 'staging-image': staging, targets, merge: 'staged' }), () => tagPush)
    ).toThrow(
      new InputError(
        'staging-image',
        `"${staging}" names a digest: with "merge", staging-image is where the merged index is written (REGISTRY/REPOSITORY[:TAG]), and its digest is the merge's to give`
      )
    )
  })
})
