/** Per-registry naming rules (naming-and-protocol.md §5.1–§5.3, ECR host §4.7). */
import {
  ReferenceError,
  registryKind,
  validateForRegistry,
  type RegistryKind,
  type RegistryRuleOptions,
  type Reference
} from '../../src/reference/index.js'

function check(input: Reference | string, options?: RegistryRuleOptions): unknown {
  try {
    const r = validateForRegistry(input, options)
    return { ok: r.reference, kind: r.kind, warnings: r.warnings }
  } catch (e) {
    if (!(e instanceof ReferenceError)) throw e
    return { error: e.message, code: e.code }
  }
}

const ECR = '123456789012.dkr.ecr.us-east-1.amazonaws.com'

describe('registryKind', () => {
  test.each<[string, RegistryKind]>([
    ['docker.io', 'dockerhub'],
    ['index.docker.io', 'dockerhub'],
    ['registry-1.docker.io', 'dockerhub'],
    ['ghcr.io', 'ghcr'],
    ['GHCR.IO', 'ghcr'],
    [ECR, 'ecr'],
    ['123456789012.dkr-ecr.eu-west-3.on.aws', 'ecr'],
    ['123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn', 'ecr'],
    ['12345678901.dkr.ecr.us-east-1.amazonaws.com', 'generic'],
    ['public.ecr.aws', 'ecr-public'],
    ['ecr-public.aws.com', 'ecr-public'],
    ['us-west1-docker.pkg.dev', 'gar'],
    ['europe-docker.pkg.dev', 'gar'],
    ['gcr.io', 'gcr'],
    ['eu.gcr.io', 'gcr'],
    ['myregistry.azurecr.io', 'acr'],
    ['quay.io', 'quay'],
    ['harbor.example.com', 'generic'],
    ['127.0.0.1:5000', 'generic']
  ])('%s → %s', (host, kind) => expect(registryKind(host)).toBe(kind))
})

describe('validateForRegistry', () => {
  test.each<[string, Reference | string, RegistryRuleOptions | undefined, unknown]>([
    // --- all registries: grammar and name length
    [
      'generic ok',
      '127.0.0.1:5000/a/b:1',
      undefined,
      { ok: { registry: '127.0.0.1:5000', repository: 'a/b', tag: '1' }, kind: 'generic', warnings: [] }
    ],
    [
      'generic name-length warning',
      `registry.example.org:5000/${'a'.repeat(230)}`,
      undefined,
      {
        ok: { registry: 'registry.example.org:5000', repository: 'a'.repeat(230) },
        kind: 'generic',
        warnings: [
          `name "registry.example.org:5000/${'a'.repeat(230)}" is 256 characters; many clients reject names longer than 255 (host + "/" + path)`
        ]
      }
    ],
    [
      'hand-built object with a bad tag',
      { registry: 'r.example', repository: 'a', tag: 'x/y' },
      undefined,
      {
        error:
          'invalid reference "r.example/a:x/y": tag "x/y": a tag is 1 to 128 characters from [A-Za-z0-9_.-] and must not start with "." or "-"',
        code: 'TAG_INVALID_FORMAT'
      }
    ],
    [
      'hand-built object with a bad path',
      { registry: 'r.example', repository: 'a//b' },
      undefined,
      {
        error:
          'invalid reference "r.example/a//b": repository "a//b": path components are lowercase letters and digits, separated by ".", "_", "__" or "-" runs, and neither start nor end with a separator',
        code: 'REGISTRY_RULE'
      }
    ],
    [
      'hand-built object without registry',
      { registry: '', repository: 'a' },
      undefined,
      {
        error: 'invalid reference "a": registry "": a destination must name its registry',
        code: 'REGISTRY_RULE'
      }
    ],
    [
      'upper case elsewhere proposes the lower-case name',
      'registry.example.com/Team/App:V1',
      undefined,
      {
        error:
          'invalid reference "registry.example.com/Team/App:V1": repository "Team/App": repository names must be lowercase; use "registry.example.com/team/app:V1"',
        code: 'NAME_CONTAINS_UPPERCASE'
      }
    ],
    // --- Docker Hub
    [
      'hub ok',
      'myuser/my_app-1:v1',
      undefined,
      {
        ok: { registry: 'docker.io', repository: 'myuser/my_app-1', tag: 'v1' },
        kind: 'dockerhub',
        warnings: []
      }
    ],
    [
      'hub official',
      'ubuntu',
      undefined,
      { ok: { registry: 'docker.io', repository: 'library/ubuntu' }, kind: 'dockerhub', warnings: [] }
    ],
    [
      'hub nested',
      'docker.io/org/team/app',
      undefined,
      {
        error:
          'invalid reference "docker.io/org/team/app": repository "org/team/app": Docker Hub repositories are NAMESPACE/REPOSITORY (exactly 2 components, no nesting)',
        code: 'REGISTRY_RULE'
      }
    ],
    [
      'hub short namespace',
      'abc/app',
      undefined,
      {
        error:
          'invalid reference "abc/app": namespace "abc": a Docker Hub namespace (Docker ID) is 4 to 30 lowercase letters and digits',
        code: 'REGISTRY_RULE'
      }
    ],
    [
      'hub namespace with a dash',
      'my-org/app',
      undefined,
      {
        error:
          'invalid reference "my-org/app": namespace "my-org": a Docker Hub namespace (Docker ID) is 4 to 30 lowercase letters and digits',
        code: 'REGISTRY_RULE'
      }
    ],
    [
      'hub repository with a dot',
      'myuser/my.app',
      undefined,
      {
        error:
          'invalid reference "myuser/my.app": repository "my.app": a Docker Hub repository name is 2 to 255 characters of lowercase letters, digits, "_" and "-"',
        code: 'REGISTRY_RULE'
      }
    ],
    [
      'hub one-character repository',
      'myuser/a',
      undefined,
      {
        error:
          'invalid reference "myuser/a": repository "a": a Docker Hub repository name is 2 to 255 characters of lowercase letters, digits, "_" and "-"',
        code: 'REGISTRY_RULE'
      }
    ],
    // --- GHCR
    [
      'ghcr ok',
      'ghcr.io/my-org/app/sub:1',
      undefined,
      { ok: { registry: 'ghcr.io', repository: 'my-org/app/sub', tag: '1' }, kind: 'ghcr', warnings: [] }
    ],
    [
      'ghcr upper-case owner proposes the lower-case name',
      'ghcr.io/MyOrg/App:V1',
      undefined,
      {
        error:
          'invalid reference "ghcr.io/MyOrg/App:V1": repository "MyOrg/App": GHCR owner and image names must be lowercase; use "ghcr.io/myorg/app:V1"',
        code: 'NAME_CONTAINS_UPPERCASE'
      }
    ],
    [
      'ghcr upper-case owner lower-cased on request (tag kept)',
      'ghcr.io/MyOrg/App:V1',
      { lowercase: true },
      { ok: { registry: 'ghcr.io', repository: 'myorg/app', tag: 'V1' }, kind: 'ghcr', warnings: [] }
    ],
    [
      'ghcr object with upper case',
      { registry: 'ghcr.io', repository: 'Octo-Org/app' },
      undefined,
      {
        error:
          'invalid reference "ghcr.io/Octo-Org/app": repository "Octo-Org/app": GHCR owner and image names must be lowercase; use "ghcr.io/octo-org/app"',
        code: 'NAME_CONTAINS_UPPERCASE'
      }
    ],
    [
      'ghcr object lower-cased on request',
      { registry: 'ghcr.io', repository: 'Octo-Org/app', tag: 'Main' },
      { lowercase: true },
      { ok: { registry: 'ghcr.io', repository: 'octo-org/app', tag: 'Main' }, kind: 'ghcr', warnings: [] }
    ],
    [
      'ghcr single component',
      'ghcr.io/app',
      undefined,
      {
        error:
          'invalid reference "ghcr.io/app": repository "app": GHCR images are OWNER/IMAGE[/…] (at least 2 components)',
        code: 'REGISTRY_RULE'
      }
    ],
    [
      'ghcr owner with underscore',
      'ghcr.io/my_org/app',
      undefined,
      {
        error:
          'invalid reference "ghcr.io/my_org/app": owner "my_org": a GHCR owner is a lowercase GitHub user or organization: letters, digits and single inner "-", at most 39 characters',
        code: 'REGISTRY_RULE'
      }
    ],
    // --- ECR
    [
      'ecr ok, repository must exist',
      `${ECR}/team/app:1.0`,
      undefined,
      {
        ok: { registry: ECR, repository: 'team/app', tag: '1.0' },
        kind: 'ecr',
        warnings: [`Amazon ECR does not create repositories on push: "team/app" must exist in ${ECR}`]
      }
    ],
    [
      'ecr one-character repository',
      `${ECR}/a`,
      undefined,
      {
        error: `invalid reference "${ECR}/a": repository "a": an Amazon ECR repository name is 2 to 256 characters`,
        code: 'REGISTRY_RULE'
      }
    ],
    [
      'ecr double underscore',
      `${ECR}/team/my__app`,
      undefined,
      {
        error: `invalid reference "${ECR}/team/my__app": repository "team/my__app": an Amazon ECR repository name is lowercase letters and digits separated by single ".", "_", "-" or "/"`,
        code: 'REGISTRY_RULE'
      }
    ],
    [
      'ecr public ok',
      'public.ecr.aws/myalias/app',
      undefined,
      { ok: { registry: 'public.ecr.aws', repository: 'myalias/app' }, kind: 'ecr-public', warnings: [] }
    ],
    [
      'ecr public without alias',
      'public.ecr.aws/app',
      undefined,
      {
        error:
          'invalid reference "public.ecr.aws/app": repository "app": Amazon ECR Public repositories are ALIAS/REPOSITORY',
        code: 'REGISTRY_RULE'
      }
    ],
    [
      'ecr public repository over 205',
      `public.ecr.aws/a/${'b'.repeat(206)}`,
      undefined,
      {
        error: `invalid reference "public.ecr.aws/a/${'b'.repeat(183)}…" (223 characters): repository "${'b'.repeat(200)}…" (206 characters): an Amazon ECR Public repository name is 2 to 205 characters`,
        code: 'REGISTRY_RULE'
      }
    ],
    // --- Artifact Registry, GCR
    [
      'gar ok',
      'us-west1-docker.pkg.dev/my-project/my-repo/test:staging',
      undefined,
      {
        ok: { registry: 'us-west1-docker.pkg.dev', repository: 'my-project/my-repo/test', tag: 'staging' },
        kind: 'gar',
        warnings: []
      }
    ],
    [
      'gar two components',
      'us-west1-docker.pkg.dev/my-project/test',
      undefined,
      {
        error:
          'invalid reference "us-west1-docker.pkg.dev/my-project/test": repository "my-project/test": Artifact Registry images are LOCATION-docker.pkg.dev/PROJECT/REPOSITORY/IMAGE (at least 3 components)',
        code: 'REGISTRY_RULE'
      }
    ],
    [
      'gar domain-scoped project needs 4',
      'us-docker.pkg.dev/example.com/proj/repo',
      undefined,
      {
        error:
          'invalid reference "us-docker.pkg.dev/example.com/proj/repo": repository "example.com/proj/repo": Artifact Registry images are LOCATION-docker.pkg.dev/PROJECT/REPOSITORY/IMAGE (at least 4 components with a domain-scoped project)',
        code: 'REGISTRY_RULE'
      }
    ],
    [
      'gar domain-scoped project ok',
      'us-docker.pkg.dev/example.com/proj/repo/img',
      undefined,
      {
        ok: { registry: 'us-docker.pkg.dev', repository: 'example.com/proj/repo/img' },
        kind: 'gar',
        warnings: []
      }
    ],
    [
      'gcr single component',
      'gcr.io/app',
      undefined,
      {
        error:
          'invalid reference "gcr.io/app": repository "app": Container Registry (gcr.io) images are PROJECT/IMAGE (at least 2 components)',
        code: 'REGISTRY_RULE'
      }
    ],
    // --- ACR
    [
      'acr ok',
      'myregistry.azurecr.io/team/app:1',
      undefined,
      {
        ok: { registry: 'myregistry.azurecr.io', repository: 'team/app', tag: '1' },
        kind: 'acr',
        warnings: []
      }
    ],
    [
      'acr upper-case login server',
      'MyRegistry.azurecr.io/app',
      undefined,
      {
        error:
          'invalid reference "MyRegistry.azurecr.io/app": registry "MyRegistry.azurecr.io": an Azure Container Registry login server is lowercase; use "myregistry.azurecr.io/app"',
        code: 'REGISTRY_RULE'
      }
    ],
    [
      'acr upper-case login server lower-cased on request',
      'MyRegistry.azurecr.io/app',
      { lowercase: true },
      { ok: { registry: 'myregistry.azurecr.io', repository: 'app' }, kind: 'acr', warnings: [] }
    ],
    [
      'acr with port',
      'myregistry.azurecr.io:443/app',
      { kind: 'acr' },
      {
        error:
          'invalid reference "myregistry.azurecr.io:443/app": registry "myregistry.azurecr.io:443": an Azure Container Registry login server has no port',
        code: 'REGISTRY_RULE'
      }
    ],
    [
      'acr registry name too short',
      'abc.azurecr.io/app',
      undefined,
      {
        error:
          'invalid reference "abc.azurecr.io/app": registry name "abc": an Azure Container Registry registry name is 5 to 50 letters and digits',
        code: 'REGISTRY_RULE'
      }
    ],
    // --- Quay
    [
      'quay ok nested',
      'quay.io/my_org/app/sub',
      undefined,
      { ok: { registry: 'quay.io', repository: 'my_org/app/sub' }, kind: 'quay', warnings: [] }
    ],
    [
      'quay one-character namespace',
      'quay.io/a/app',
      undefined,
      {
        error:
          'invalid reference "quay.io/a/app": namespace "a": a Quay namespace is 2 to 255 lowercase letters and digits separated by single ".", "_" or "-"',
        code: 'REGISTRY_RULE'
      }
    ],
    [
      'quay namespace with double underscore',
      'quay.io/my__org/app',
      undefined,
      {
        error:
          'invalid reference "quay.io/my__org/app": namespace "my__org": a Quay namespace is 2 to 255 lowercase letters and digits separated by single ".", "_" or "-"',
        code: 'REGISTRY_RULE'
      }
    ],
    [
      'quay single component',
      'quay.io/app',
      undefined,
      {
        error:
          'invalid reference "quay.io/app": repository "app": Quay repositories are NAMESPACE/REPOSITORY[/…]',
        code: 'REGISTRY_RULE'
      }
    ],
    // --- Harbor
    [
      'harbor ok via kinds map',
      'harbor.example.com/library-x/app',
      { kinds: { 'harbor.example.com': 'harbor' } },
      {
        ok: { registry: 'harbor.example.com', repository: 'library-x/app' },
        kind: 'harbor',
        warnings: [
          'Harbor does not create projects on push: project "library-x" must exist in harbor.example.com'
        ]
      }
    ],
    [
      'harbor project double underscore',
      'harbor.example.com/my__proj/app',
      { kind: 'harbor' },
      {
        error:
          'invalid reference "harbor.example.com/my__proj/app": project "my__proj": a Harbor project is 1 to 255 lowercase letters and digits separated by single ".", "_" or "-"',
        code: 'REGISTRY_RULE'
      }
    ],
    [
      'harbor without project',
      'harbor.example.com/app',
      { kind: 'harbor' },
      {
        error:
          'invalid reference "harbor.example.com/app": repository "app": Harbor repositories are PROJECT/REPOSITORY[/…]',
        code: 'REGISTRY_RULE'
      }
    ]
  ])('%s', (_name, input, options, expected) => expect(check(input, options)).toEqual(expected))
})
