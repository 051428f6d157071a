/**
 * Malformed promotion files: each gives exit status 2 and a message naming the file, the image
 * entry and the field, before any request (the registry named in the files is a recording proxy
 * that must see nothing).
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { main } from '../../src/cli.js'
import { parsePromotionFile } from '../../src/batch/file.js'
import { FILE_OWNED_OPTIONS } from '../../src/options.js'
import { startProxy, type Proxy } from '../helpers/proxy.js'

describe('promotion file checks', () => {
  let proxy: Proxy
  let H: string
  const dir = mkdtempSync(join(tmpdir(), 'promotion-bad-'))
  beforeAll(async () => {
    proxy = await startProxy('http://127.0.0.1:9')
    H = proxy.host
  })
  afterAll(async () => proxy?.stop())

  const img = (extra = '', name = 'app'): string =>
    `  - name: ${name}\n    source: ${H}/team/app:rc\n    tags: [v1]\n${extra}`
  const d = (): string => `defaults:\n  targets: [${H}/acme]\n`
  const LIST =
    'name, source, tags, targets, tag-policy, moving-tags, referrers, verify-key, certificate-identity, certificate-identity-regexp, certificate-oidc-issuer, trusted-root, policy, sign-key, sign-keyless, fulcio-url, rekor-url, timestamp-server-url'
  const TAG_RULE = 'a tag is 1 to 128 characters from [A-Za-z0-9_.-] and must not start with "." or "-"'
  const cases: Array<[string, () => string, () => string]> = [
    ['an empty file', () => '', () => 'F: the file is empty: it needs images'],
    [
      'a source on another transport (skopeo oci:)',
      () => `${d()}images:\n  - name: app\n    source: oci:/tmp/layout:v1\n`,
      () =>
        'F: images[0] (name "app"): source: the oci: transport (an OCI image layout directory) is not read; promote-image reads and writes registries only (REF or docker://REF). Push the image to a registry first, e.g. skopeo copy oci:… docker://REGISTRY/REPOSITORY:TAG (in "oci:/tmp/layout:v1")'
    ],
    [
      'a target on another transport',
      () => `images:\n  - name: app\n    source: ${H}/team/app:rc\n    targets: [dir:/tmp/out]\n`,
      () =>
        'F: images[0] (name "app"): targets[0]: the dir: transport (a directory of manifest and blob files) is not read; promote-image reads and writes registries only (REF or docker://REF). Push the image to a registry first, e.g. skopeo copy dir:… docker://REGISTRY/REPOSITORY:TAG (in "dir:/tmp/out")'
    ],
    ['comments only', () => '# nothing yet\n', () => 'F: the file is empty: it needs images'],
    ['a scalar', () => 'just text\n', () => 'F: the file: must be a mapping'],
    ['no images', () => `${d()}images: []\n`, () => 'F: images: must be a non-empty list of images'],
    ['images missing', () => d(), () => 'F: images: missing: the file needs images'],
    [
      'images as a mapping',
      () => 'images:\n  name: app\n',
      () => 'F: images: must be a non-empty list of images'
    ],
    [
      'an unknown top key',
      () => `${d()}image:\n${img()}`,
      () => 'F: image: unknown key (known: defaults, images)'
    ],
    [
      'an unknown defaults key',
      () => `defaults:\n  target: [${H}/acme]\nimages:\n${img()}`,
      () =>
        'F: defaults: target: unknown key (known: targets, tag-policy, moving-tags, referrers, verify-key, certificate-identity, certificate-identity-regexp, certificate-oidc-issuer, trusted-root, policy, sign-key, sign-keyless, fulcio-url, rekor-url, timestamp-server-url)'
    ],
    [
      'an unknown image key',
      () => `${d()}images:\n${img('    labels: [a=b]\n')}`,
      () => `F: images[0] (name "app"): labels: unknown key (known: ${LIST})`
    ],
    // newuser3 findings 13 and 6, before: 'unknown key (known: …)', so a reader looked for the right key
    [
      'platforms of an image',
      () => `${d()}images:\n${img('    platforms: [linux/arm64]\n')}`,
      () =>
        'F: images[0] (name "app"): platforms: a promotion file promotes every platform of each source; no key picks platforms (to promote some platforms of an image, promote it on its own, choosing them)'
    ],
    [
      'tags under defaults',
      () => `defaults:\n  tags: [v9]\nimages:\n${img()}`,
      () => 'F: defaults: tags: not a key of defaults: each image gives its own tags (images[].tags)'
    ],
    [
      'tags as a string',
      () => `${d()}images:\n  - name: app\n    source: ${H}/team/app:rc\n    tags: v1\n`,
      () => 'F: images[0] (name "app"): tags: must be a list of strings'
    ],
    [
      'a tag that is a number list item',
      () => `${d()}images:\n  - name: app\n    source: ${H}/team/app:rc\n    tags: [v1, 2]\n`,
      () =>
        'F: images[0] (name "app"): tags[1]: must be a string, but YAML read the number 2: quote it as written'
    ],
    [
      'an invalid tag',
      () => `${d()}images:\n${img().replace('[v1]', '[v1, "-x"]')}`,
      () => `F: images[0] (name "app"): tags[1]: tag "-x": ${TAG_RULE} (in "${H}/acme/app:-x")`
    ],
    [
      'a YAML alias bomb',
      () =>
        `x: &a [l, l, l, l, l, l, l, l, l, l]\ny: &b [${Array(10).fill('*a').join(', ')}]\nz: &c [${Array(10).fill('*b').join(', ')}]\nw: [${Array(10).fill('*c').join(', ')}]\n`,
      () => 'F: YAML refused: Excessive alias count indicates a resource exhaustion attack'
    ],
    [
      'a name that is a number',
      () => `${d()}images:\n  - name: 5\n    source: ${H}/team/app:rc\n`,
      () => 'F: images[0]: name: must be a string, but YAML read the number 5: quote it as written'
    ],
    [
      'an image entry that is a string',
      () => `${d()}images:\n  - app\n`,
      () => 'F: images[0]: entry: must be a mapping'
    ],
    [
      'no source',
      () => `${d()}images:\n  - name: app\n`,
      () => 'F: images[0] (name "app"): source: must be a non-empty string'
    ],
    [
      'an upper-case source',
      () => `${d()}images:\n  - name: app\n    source: ${H}/team/App:rc\n`,
      () =>
        `F: images[0] (name "app"): source: repository "team/App": repository name must be lowercase (in "${H}/team/App:rc")`
    ],
    [
      'a short digest',
      () => `${d()}images:\n  - name: app\n    source: ${H}/team/app@sha256:abc\n`,
      () =>
        `F: images[0] (name "app"): source: digest "sha256:abc": a sha256 digest has 64 hex characters (in "${H}/team/app@sha256:abc")`
    ],
    [
      'an upper-case name under a prefix',
      () => `${d()}images:\n  - name: Tools/Worker\n    source: ${H}/team/app:rc\n`,
      () =>
        `F: images[0] (name "Tools/Worker"): name (under defaults.targets[0]): repository "acme/Tools/Worker": repository name must be lowercase (in "${H}/acme/Tools/Worker")`
    ],
    [
      'a target with a tag',
      () => `images:\n  - name: app\n    source: ${H}/team/app:rc\n    targets: [${H}/prod/app:v1]\n`,
      () =>
        `F: images[0] (name "app"): targets[0]: "${H}/prod/app:v1" must be a repository, without a tag or digest (tags go in tags)`
    ],
    [
      'a prefix with a tag',
      () => `defaults:\n  targets: [${H}/acme:v1]\nimages:\n${img()}`,
      () =>
        `F: defaults: targets[0]: "${H}/acme:v1" must be a repository prefix (registry/namespace), without a tag, digest or trailing /`
    ],
    [
      'a Docker Hub library target',
      () => `images:\n  - name: app\n    source: ${H}/team/app:rc\n    targets: [docker.io/library/app]\n`,
      () =>
        `F: images[0] (name "app"): targets[0]: namespace "library": Docker Hub's "library" namespace holds Docker's official images and cannot be pushed to; name your own namespace (NAMESPACE/REPOSITORY) (in "docker.io/library/app")`
    ],
    [
      'duplicate names',
      () => `${d()}images:\n${img()}${img()}`,
      () => 'F: images[1] (name "app"): name: "app" is also the name of images[0]'
    ],
    [
      // issue 24 finding 9: a name is printed; control and bidirectional characters are refused
      'a name with an escape sequence',
      () => `images:\n  - name: "app\\e[2J\\u202e"\n    source: ${H}/team/a:rc\n    targets: [${H}/prod/x]\n`,
      () =>
        'F: images[0] (name "app\\x1b[2J\\u202e"): name: holds control or bidirectional characters, which a name may not (they would act on a terminal or log)'
    ],
    [
      'a name of 300 characters',
      () => `images:\n  - name: ${'a'.repeat(300)}\n    source: ${H}/team/a:rc\n    targets: [${H}/prod/x]\n`,
      () => `F: images[0] (name "${'a'.repeat(255)}"): name: longer than 255 characters (300)`
    ],
    [
      // issue 24 finding 9: the default port is the same target (passed the check before)
      'one target and tag from two sources, once with the default port',
      () =>
        `images:\n  - name: a\n    source: ${H}/team/a:rc\n    tags: [v1]\n    targets: [ghcr.io:443/acme/x]\n  - name: b\n    source: ${H}/team/b:rc\n    tags: [v1]\n    targets: [ghcr.io/acme/x]\n`,
      () =>
        `F: images[1] (name "b"): tags: ghcr.io/acme/x:v1 is also a target of images[0] (name "a") with another source`
    ],
    [
      'one target repository and tag from two sources',
      () =>
        `images:\n  - name: a\n    source: ${H}/team/a:rc\n    tags: [v1]\n    targets: [${H}/prod/x]\n  - name: b\n    source: ${H}/team/b:rc\n    tags: [v1]\n    targets: [${H}/prod/x]\n`,
      () =>
        `F: images[1] (name "b"): tags: ${H}/prod/x:v1 is also a target of images[0] (name "a") with another source`
    ],
    [
      'a bad tag policy',
      () => `defaults:\n  targets: [${H}/acme]\n  tag-policy: sometimes\nimages:\n${img()}`,
      () => 'F: defaults: tag-policy: "sometimes": must be immutable or overwrite'
    ],
    [
      'a bad moving tag',
      () => `${d()}images:\n${img('    moving-tags: [".x"]\n')}`,
      () => `F: images[0] (name "app"): moving-tags: ".x": not a valid tag (${TAG_RULE})`
    ],
    [
      'referrers not all, none or artifact types',
      () => `${d()}images:\n${img('    referrers: "yes"\n')}`,
      () =>
        'F: images[0] (name "app"): referrers: "yes": must be all, none, or a comma list of artifact types (media types such as application/spdx+json, or cosign)'
    ],
    [
      'referrers as a number',
      () => `${d()}images:\n${img('    referrers: 3\n')}`,
      () =>
        'F: images[0] (name "app"): referrers: must be a string, but YAML read the number 3: quote it as written'
    ],
    [
      'no targets anywhere',
      () => `images:\n${img()}`,
      () => 'F: images[0] (name "app"): targets: no targets: give targets here or defaults.targets'
    ],
    [
      'a YAML indentation error',
      () => `${d()}images:\n  - name: app\n   source: x\n`,
      () => 'F:5:1: YAML syntax error: Sequence item without - indicator'
    ],
    [
      'a YAML duplicate key',
      () => `${d()}images:\n  - name: app\n    name: app2\n    source: ${H}/team/app:rc\n`,
      () => 'F:5:5: YAML syntax error: Map keys must be unique'
    ],
    [
      'a YAML tab indentation',
      () => `${d()}images:\n\t- name: app\n`,
      () => 'F:4:1: YAML syntax error: Tabs are not allowed as indentation'
    ]
  ]
  it.each(cases)('%s: exit 2 and an exact message, no request', async (_, text, message) => {
    const path = join(dir, 'F')
    writeFileSync(path, text())
    const writes: string[] = []
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation(chunk => {
      writes.push(String(chunk))
      return true
    })
    let code: number
    try {
      code = await main(['promote', '-f', path])
    } finally {
      spy.mockRestore()
    }
    expect(code).toBe(2)
    expect(writes.join('')).toBe(
      `promote-image: ${message().replace(/^F/, path)}\n(promote-image --help shows the usage)\n`
    )
    expect(proxy.log).toEqual([])
  })

  it('plan -f gives the same exit 2 and message', async () => {
    const path = join(dir, 'F')
    writeFileSync(path, `${d()}images:\n${img()}${img()}`)
    const writes: string[] = []
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation(chunk => {
      writes.push(String(chunk))
      return true
    })
    const code = await main(['plan', '-f', path, '--shards', '2']).finally(() => spy.mockRestore())
    expect([code, writes.join('')]).toEqual([
      2,
      `promote-image: ${path}: images[1] (name "app"): name: "app" is also the name of images[0]\n(promote-image --help shows the usage)\n`
    ])
    expect(proxy.log).toEqual([])
  })

  it('a missing file is exit 2 naming it', async () => {
    const path = join(dir, 'nowhere.yaml')
    const writes: string[] = []
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation(chunk => {
      writes.push(String(chunk))
      return true
    })
    const code = await main(['promote', '-f', path]).finally(() => spy.mockRestore())
    expect([code, writes.join('')]).toEqual([
      2,
      `promote-image: ${path}: cannot be read: ENOENT: no such file or directory, open '${path}'\n(promote-image --help shows the usage)\n`
    ])
  })

  it('referrers take the referrers input values: all, none, a comma list or a YAML list of artifact types', () => {
    const of = (v: string): unknown =>
      parsePromotionFile(`defaults:\n  targets: [${H}/acme]\n  referrers: ${v}\nimages:\n${img()}`, 'F')
        .images[0].referrers
    expect([
      of('all'),
      of('none'),
      of('"cosign,application/spdx+json"'),
      of('[application/spdx+json, cosign]'),
      of('true')
    ]).toEqual([
      'all',
      'none',
      ['cosign', 'application/spdx+json'],
      ['application/spdx+json', 'cosign'],
      'all'
    ])
  })

  it('a good file parses to exact images: prefixes applied, own targets replacing them, tags merged', () => {
    const text = `defaults:\n  targets: [${H}/acme, ghcr.io/acme]\n  tag-policy: overwrite\nimages:\n${img()}  - name: tools/worker\n    source: ${H}/w@sha256:${'a'.repeat(64)}\n    targets: [quay.io/acme/worker]\n    tags: [v1.4.0]\n    tag-policy: immutable\n    referrers: false\n`
    expect(parsePromotionFile(text, 'F').images).toEqual([
      {
        index: 0,
        name: 'app',
        source: { registry: H, repository: 'team/app', tag: 'rc' },
        reference: 'rc',
        targets: [
          { repo: { registry: H, repository: 'acme/app' }, tags: ['v1'] },
          { repo: { registry: 'ghcr.io', repository: 'acme/app' }, tags: ['v1'] }
        ],
        tagPolicy: 'overwrite',
        movingTags: ['latest', 'edge'],
        referrers: 'all'
      },
      {
        index: 1,
        name: 'tools/worker',
        source: { registry: H, repository: 'w', digest: `sha256:${'a'.repeat(64)}` },
        reference: `sha256:${'a'.repeat(64)}`,
        targets: [{ repo: { registry: 'quay.io', repository: 'acme/worker' }, tags: ['v1.4.0'] }],
        tagPolicy: 'immutable',
        movingTags: ['latest', 'edge'],
        referrers: 'none'
      }
    ])
  })

  it('docker:// (skopeo, as on the command line) is dropped from sources, targets and default prefixes', () => {
    const plain = `defaults:\n  targets: [${H}/acme]\nimages:\n${img()}  - name: worker\n    source: ${H}/w:v1\n    targets: [quay.io/acme/worker]\n`
    const prefixed = `defaults:\n  targets: [docker://${H}/acme]\nimages:\n  - name: app\n    source: docker://${H}/team/app:rc\n    tags: [v1]\n  - name: worker\n    source: docker://${H}/w:v1\n    targets: [docker://quay.io/acme/worker]\n`
    const images = parsePromotionFile(prefixed, 'F').images
    expect(images).toEqual(parsePromotionFile(plain, 'F').images)
    expect(images.map(i => [i.source, i.targets.map(t => t.repo)])).toEqual([
      [{ registry: H, repository: 'team/app', tag: 'rc' }, [{ registry: H, repository: 'acme/app' }]],
      [{ registry: H, repository: 'w', tag: 'v1' }, [{ registry: 'quay.io', repository: 'acme/worker' }]]
    ])
  })

  it('the example promotion file (examples/release-train) is valid: 3 images, 5 targets', () => {
    const path = join(import.meta.dirname, '..', '..', 'examples', 'release-train', 'promotion.yaml')
    const file = parsePromotionFile(readFileSync(path, 'utf8'), path)
    expect(
      file.images.map(i => [i.name, i.targets.map(t => `${t.repo.registry}/${t.repo.repository}`)])
    ).toEqual([
      ['app', ['ghcr.io/my-org/app', '123456789012.dkr.ecr.eu-west-1.amazonaws.com/my-org/app']],
      ['api', ['ghcr.io/my-org/api', '123456789012.dkr.ecr.eu-west-1.amazonaws.com/my-org/api']],
      ['tools/worker', ['quay.io/my-org/worker']]
    ])
  })
})

// issue 19: the keys a file owns are the schema's rows with a fileKey (options.ts FILE_OWNED_OPTIONS):
// each one is read under defaults and per image. A row given a fileKey without a value here fails.
describe("the file's own keys come from the schema", () => {
  const given: Record<string, [string, unknown]> = {
    tagPolicy: ['overwrite', 'overwrite'],
    movingTags: ['[stable]', ['stable']],
    referrers: ['none', 'none']
  }
  const H = '127.0.0.1:5000'

  it('moving-tags: none under defaults holds for an image without the key, and an image can set its own (newuser finding 35)', () => {
    const [plain, own] = parsePromotionFile(
      `defaults:\n  targets: [${H}/acme]\n  moving-tags: none\nimages:\n` +
        `  - name: app\n    source: ${H}/team/app:rc\n` +
        `  - name: web\n    source: ${H}/team/web:rc\n    moving-tags: [stable]\n`,
      'F'
    ).images
    expect([plain.movingTags, own.movingTags]).toEqual([[], ['stable']])
    // an empty list says the same: no tag may move (leaving the key out is the default)
    const [empty] = parsePromotionFile(
      `defaults:\n  targets: [${H}/acme]\nimages:\n  - name: app\n    source: ${H}/team/app:rc\n    moving-tags: []\n`,
      'F'
    ).images
    expect(empty.movingTags).toEqual([])
  })

  it('every FILE_OWNED_OPTIONS key, and only those, has a case', () => {
    expect(Object.keys(given)).toEqual(Object.keys(FILE_OWNED_OPTIONS))
  })

  it.each(Object.entries(FILE_OWNED_OPTIONS))('%s as %s: under defaults and per image', (name, key) => {
    const [yaml, value] = given[name]!
    const under = (where: 'defaults' | 'image'): string =>
      `defaults:\n  targets: [${H}/acme]\n${where === 'defaults' ? `  ${key}: ${yaml}\n` : ''}` +
      `images:\n  - name: app\n    source: ${H}/team/app:rc\n${where === 'image' ? `    ${key}: ${yaml}\n` : ''}`
    for (const where of ['defaults', 'image'] as const) {
      const [image] = parsePromotionFile(under(where), 'F').images
      expect({ where, [name]: (image as unknown as Record<string, unknown>)[name] }).toEqual({
        where,
        [name]: value
      })
    }
  })
})
