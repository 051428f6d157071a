/**
 * Per-registry naming rules, checked before anything is pushed (naming-and-protocol.md §5.1–§5.3,
 * ECR host pattern from §4.7). Pure: the registry kind comes from the host or from the caller.
 */
import {
  NAME_TOTAL_LENGTH_MAX,
  ReferenceError,
  formatReference,
  nameLengthWarning,
  parseReference,
  quote,
  validateDigest,
  validateTag,
  type Reference
} from './reference.js'
import { ANCHORED_PATH_REGEXP, RULES } from './regexp.js'

/** Registries with naming rules of their own; `generic` means the reference grammar only. */
export type RegistryKind =
  'dockerhub' | 'ghcr' | 'ecr' | 'ecr-public' | 'gar' | 'gcr' | 'acr' | 'quay' | 'harbor' | 'generic'

/** ECR private host: account id, region, partition domain (§4.7). */
export const ECR_HOST_REGEXP =
  /^(\d{12})\.dkr[.-]ecr\.([^.]+(?:\.[^.]+)*?)\.(?:amazonaws\.com(?:\.cn)?|amazonaws\.eu|on\.aws)$/
/** Artifact Registry Docker host `LOCATION-docker.pkg.dev`. */
export const GAR_HOST_REGEXP = /^[a-z0-9]+(?:-[a-z0-9]+)*-docker\.pkg\.dev$/
/** Azure Container Registry login server (public and sovereign clouds). */
export const ACR_HOST_REGEXP = /^([^.]+)\.azurecr\.(?:io|cn|us)$/i

/**
 * The registry kind for a host: `docker.io`/`index.docker.io`/`registry-1.docker.io` → dockerhub,
 * `ghcr.io`, ECR private (§4.7) and public (`public.ecr.aws`, `ecr-public.aws.com`), `*-docker.pkg.dev`,
 * `gcr.io`/`*.gcr.io`, `*.azurecr.io`, `quay.io`; otherwise `generic` (Harbor cannot be told from its
 * host: pass `kind: 'harbor'` or a `kinds` map to {@link validateForRegistry}).
 */
export function registryKind(host: string): RegistryKind {
  const h = host.toLowerCase()
  if (h === 'docker.io' || h === 'index.docker.io' || h === 'registry-1.docker.io') return 'dockerhub'
  if (h === 'ghcr.io') return 'ghcr'
  if (ECR_HOST_REGEXP.test(h)) return 'ecr'
  if (h === 'public.ecr.aws' || h === 'ecr-public.aws.com') return 'ecr-public'
  if (GAR_HOST_REGEXP.test(h)) return 'gar'
  if (h === 'gcr.io' || h.endsWith('.gcr.io')) return 'gcr'
  if (ACR_HOST_REGEXP.test(h)) return 'acr'
  if (h === 'quay.io') return 'quay'
  return 'generic'
}

/** Options for {@link validateForRegistry}. */
export interface RegistryRuleOptions {
  /**
   * Lower-case the registry host and repository path instead of failing on upper case
   * (docker/metadata-action compatibility; tags are never lower-cased). Default false.
   */
  lowercase?: boolean
  /** Force the registry kind (e.g. `harbor`), overriding host detection. */
  kind?: RegistryKind
  /** Registry kinds per host (lower-case host → kind), consulted before host detection. */
  kinds?: Record<string, RegistryKind>
  /**
   * The reference is something to push to (default false): Docker Hub's `library/` namespace holds
   * Docker's official images and cannot be pushed to, so `ubuntu` or `docker.io/library/app` is refused.
   */
  destination?: boolean
}

/** Result of {@link validateForRegistry}. */
export interface RegistryCheck {
  /** The reference, lower-cased when `lowercase` allowed it. */
  reference: Reference
  /** The registry kind whose rules were applied. */
  kind: RegistryKind
  /** Things that will not fail the check but may fail the push (name length, repository must exist). */
  warnings: string[]
}

const ECR_REPO_REGEXP = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/
const HUB_NAMESPACE_REGEXP = /^[a-z0-9]{4,30}$/
const HUB_REPO_REGEXP = /^[a-z0-9_-]{2,255}$/
const GITHUB_OWNER_REGEXP = /^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){0,38}$/
const QUAY_NAMESPACE_REGEXP = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/
const QUAY_REPO_REGEXP = /^[a-z0-9][.a-z0-9_-]{0,254}$/
const HARBOR_PROJECT_REGEXP = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/
const ACR_NAME_REGEXP = /^[a-z0-9]{5,50}$/

const NAMES: Record<RegistryKind, string> = {
  dockerhub: 'Docker Hub',
  ghcr: 'GHCR',
  ecr: 'Amazon ECR',
  'ecr-public': 'Amazon ECR Public',
  gar: 'Artifact Registry',
  gcr: 'Container Registry (gcr.io)',
  acr: 'Azure Container Registry',
  quay: 'Quay',
  harbor: 'Harbor',
  generic: 'the registry'
}

function lowerName(ref: Reference): Reference {
  return { ...ref, registry: ref.registry.toLowerCase(), repository: ref.repository.toLowerCase() }
}

/** Accepts a reference object or string; upper case in the path is handled by the caller's option. */
function toReference(input: Reference | string, lowercase: boolean): Reference {
  if (typeof input !== 'string') return lowercase ? lowerName(input) : input
  try {
    const ref = parseReference(input)
    return lowercase ? lowerName(ref) : ref
  } catch (e) {
    if (!(e instanceof ReferenceError) || e.code !== 'NAME_CONTAINS_UPPERCASE' || !e.suggestion) throw e
    if (lowercase) return parseReference(e.suggestion)
    const kind = registryKind(parseReference(e.suggestion).registry)
    throw new ReferenceError(
      input,
      e.part,
      `${kind === 'ghcr' ? 'GHCR owner and image names' : 'repository names'} must be lowercase; use "${e.suggestion}"`,
      'NAME_CONTAINS_UPPERCASE',
      e.suggestion
    )
  }
}

/**
 * Checks a destination reference against the reference grammar and then the target registry's own
 * rules (§5.3), before any push:
 * - all: path matches the grammar and is ≤ 255 characters; tag and digest valid; warning when
 *   `host/path` exceeds 255 characters.
 * - Docker Hub: exactly 2 components; namespace 4–30 of `[a-z0-9]` (or `library`); repository 2–255
 *   of `[a-z0-9_-]`.
 * - GHCR: ≥ 2 components; owner is a lower-case GitHub login (`[a-z0-9-]`, ≤ 39, no leading,
 *   trailing or doubled `-`).
 * - ECR: host as in §4.7; repository 2–256 characters of `(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*…`;
 *   warning that ECR does not create repositories on push. ECR Public: `<alias>/<repo>` with the
 *   repository 2–205 characters, same pattern.
 * - Artifact Registry: `LOCATION-docker.pkg.dev/PROJECT/REPOSITORY/IMAGE` (≥ 3 components; ≥ 4 for
 *   a domain-scoped project `example.com/project`).
 * - gcr.io: ≥ 2 components (`PROJECT/IMAGE`).
 * - ACR: login server lower-case and without port; registry name 5–50 of `[a-z0-9]`.
 * - Quay: namespace 2–255 of `[a-z0-9]+(?:[._-][a-z0-9]+)*`; every repository segment
 *   `[a-z0-9][.a-z0-9_-]{0,254}`.
 * - Harbor: `PROJECT/REPOSITORY…`; project 1–255 of `[a-z0-9]+(?:[._-][a-z0-9]+)*`; warning that the
 *   project must exist.
 *
 * Upper case in the registry host or path is an error that proposes the lower-cased name, unless
 * `lowercase` is set, in which case the name is lower-cased (never the tag). Throws
 * {@link ReferenceError} with code `REGISTRY_RULE` (or a grammar code) naming the input, the part and
 * the rule.
 */
export function validateForRegistry(
  input: Reference | string,
  options: RegistryRuleOptions = {}
): RegistryCheck {
  const lowercase = options.lowercase === true
  const ref = toReference(input, lowercase)
  const shown = typeof input === 'string' ? input : formatReference(input)
  const kind = options.kind ?? options.kinds?.[ref.registry.toLowerCase()] ?? registryKind(ref.registry)
  const name = NAMES[kind]
  const fail = (
    part: string,
    rule: string,
    code: 'REGISTRY_RULE' | 'NAME_CONTAINS_UPPERCASE' = 'REGISTRY_RULE',
    suggestion?: string
  ) => new ReferenceError(shown, part, rule, code, suggestion)
  const repoPart = `repository ${quote(ref.repository)}`

  // Grammar first (objects may have been built by hand).
  if (ref.repository !== ref.repository.toLowerCase()) {
    const suggestion = formatReference(lowerName(ref))
    throw fail(
      repoPart,
      `${kind === 'ghcr' ? 'GHCR owner and image names' : 'repository names'} must be lowercase; use "${suggestion}"`,
      'NAME_CONTAINS_UPPERCASE',
      suggestion
    )
  }
  if (!ref.registry) throw fail('registry ""', 'a destination must name its registry')
  if (!ANCHORED_PATH_REGEXP.test(ref.repository)) throw fail(repoPart, RULES.pathComponent)
  if (ref.repository.length > NAME_TOTAL_LENGTH_MAX) throw fail(repoPart, RULES.nameTooLong)
  if (ref.tag !== undefined) validateTag(ref.tag, shown)
  if (ref.digest !== undefined) validateDigest(ref.digest, shown)

  const warnings: string[] = []
  const lengthWarning = nameLengthWarning(ref)
  if (lengthWarning) warnings.push(lengthWarning)
  const components = ref.repository.split('/')
  const host = ref.registry
  const hostPart = `registry ${quote(host)}`

  switch (kind) {
    case 'dockerhub': {
      if (components.length !== 2)
        throw fail(
          repoPart,
          `${name} repositories are NAMESPACE/REPOSITORY (exactly 2 components, no nesting)`
        )
      const [ns, repo] = components
      if (ns === 'library' && options.destination)
        throw fail(
          `namespace ${quote(ns)}`,
          `${name}'s "library" namespace holds Docker's official images and cannot be pushed to; name your own namespace (NAMESPACE/REPOSITORY)`
        )
      if (ns !== 'library' && !HUB_NAMESPACE_REGEXP.test(ns))
        throw fail(
          `namespace ${quote(ns)}`,
          `a ${name} namespace (Docker ID) is 4 to 30 lowercase letters and digits`
        )
      if (!HUB_REPO_REGEXP.test(repo))
        throw fail(
          `repository ${quote(repo)}`,
          `a ${name} repository name is 2 to 255 characters of lowercase letters, digits, "_" and "-"`
        )
      break
    }
    case 'ghcr': {
      if (components.length < 2)
        throw fail(repoPart, `${name} images are OWNER/IMAGE[/…] (at least 2 components)`)
      if (!GITHUB_OWNER_REGEXP.test(components[0]))
        throw fail(
          `owner ${quote(components[0])}`,
          `a ${name} owner is a lowercase GitHub user or organization: letters, digits and single inner "-", at most 39 characters`
        )
      break
    }
    case 'ecr':
    case 'ecr-public': {
      let repo = ref.repository
      const max = kind === 'ecr' ? 256 : 205
      if (kind === 'ecr-public') {
        if (components.length < 2) throw fail(repoPart, `${name} repositories are ALIAS/REPOSITORY`)
        repo = components.slice(1).join('/')
      }
      if (repo.length < 2 || repo.length > max)
        throw fail(`repository ${quote(repo)}`, `an ${name} repository name is 2 to ${max} characters`)
      if (!ECR_REPO_REGEXP.test(repo))
        throw fail(
          `repository ${quote(repo)}`,
          `an ${name} repository name is lowercase letters and digits separated by single ".", "_", "-" or "/"`
        )
      if (kind === 'ecr')
        warnings.push(`${name} does not create repositories on push: "${repo}" must exist in ${host}`)
      break
    }
    case 'gar': {
      const domainScoped = components[0].includes('.')
      const min = domainScoped ? 4 : 3
      if (components.length < min)
        throw fail(
          repoPart,
          `${name} images are LOCATION-docker.pkg.dev/PROJECT/REPOSITORY/IMAGE (at least ${min} components${domainScoped ? ' with a domain-scoped project' : ''})`
        )
      break
    }
    case 'gcr': {
      if (components.length < 2)
        throw fail(repoPart, `${name} images are PROJECT/IMAGE (at least 2 components)`)
      break
    }
    case 'acr': {
      if (host.includes(':') || host.includes('['))
        throw fail(hostPart, `an ${name} login server has no port`)
      if (host !== host.toLowerCase()) {
        const suggestion = formatReference(lowerName(ref))
        throw fail(
          hostPart,
          `an ${name} login server is lowercase; use "${suggestion}"`,
          'REGISTRY_RULE',
          suggestion
        )
      }
      const registryName = ACR_HOST_REGEXP.exec(host)?.[1]
      if (registryName !== undefined && !ACR_NAME_REGEXP.test(registryName))
        throw fail(
          `registry name ${quote(registryName)}`,
          `an ${name} registry name is 5 to 50 letters and digits`
        )
      break
    }
    case 'quay': {
      if (components.length < 2) throw fail(repoPart, `${name} repositories are NAMESPACE/REPOSITORY[/…]`)
      const [ns, ...rest] = components
      if (ns.length < 2 || !QUAY_NAMESPACE_REGEXP.test(ns))
        throw fail(
          `namespace ${quote(ns)}`,
          `a ${name} namespace is 2 to 255 lowercase letters and digits separated by single ".", "_" or "-"`
        )
      for (const seg of rest)
        if (!QUAY_REPO_REGEXP.test(seg))
          throw fail(
            `repository ${quote(rest.join('/'))}`,
            `${name} repository segment ${quote(seg)} must start with a lowercase letter or digit, then ".", "_", "-", letters or digits`
          )
      break
    }
    case 'harbor': {
      if (components.length < 2) throw fail(repoPart, `${name} repositories are PROJECT/REPOSITORY[/…]`)
      if (!HARBOR_PROJECT_REGEXP.test(components[0]))
        throw fail(
          `project ${quote(components[0])}`,
          `a ${name} project is 1 to 255 lowercase letters and digits separated by single ".", "_" or "-"`
        )
      warnings.push(
        `${name} does not create projects on push: project "${components[0]}" must exist in ${host}`
      )
      break
    }
    case 'generic':
      break
  }
  return { reference: ref, kind, warnings }
}
