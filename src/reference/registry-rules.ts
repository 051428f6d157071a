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
import { isDockerHub } from './hosts.js'

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
  if (h !== '' && isDockerHub(h)) return 'dockerhub'
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

/** What a rule looks at: the reference, its host, its path components, whether it is pushed to. */
interface Facts {
  ref: Reference
  host: string
  parts: string[]
  destination: boolean
}

/** One naming rule: when `broken`, the check fails naming `part` and `rule`. */
interface Rule {
  broken: (f: Facts) => boolean
  part: (f: Facts) => string
  rule: (f: Facts) => string
  /** a corrected reference to propose */
  suggestion?: (f: Facts) => string
}

/** A registry kind's rules, checked in order, and the warnings it gives for a valid name. */
interface KindRules {
  /** how messages about upper case name the path (default `repository names`) */
  caseNoun?: string
  rules: Rule[]
  warnings?: ((f: Facts) => string | undefined)[]
}

const repoPart = (f: Facts): string => `repository ${quote(f.ref.repository)}`
const firstPart = (noun: string) => (f: Facts) => `${noun} ${quote(f.parts[0])}`
const lowered = (f: Facts): string => formatReference(lowerName(f.ref))
const atLeast = (n: number, rule: string): Rule => ({
  broken: f => f.parts.length < n,
  part: repoPart,
  rule: () => rule
})

/** ECR's repository rules (§5.3); ECR Public names `ALIAS/REPOSITORY` and checks the part after the alias. */
function ecrRules(name: string, max: number, alias: boolean): Rule[] {
  const repo = (f: Facts): string => (alias ? f.parts.slice(1).join('/') : f.ref.repository)
  const part = (f: Facts): string => `repository ${quote(repo(f))}`
  return [
    ...(alias ? [atLeast(2, `${name} repositories are ALIAS/REPOSITORY`)] : []),
    {
      broken: f => repo(f).length < 2 || repo(f).length > max,
      part,
      rule: () => `an ${name} repository name is 2 to ${max} characters`
    },
    {
      broken: f => !ECR_REPO_REGEXP.test(repo(f)),
      part,
      rule: () =>
        `an ${name} repository name is lowercase letters and digits separated by single ".", "_", "-" or "/"`
    }
  ]
}

const quaySegment = (f: Facts): string | undefined => f.parts.slice(1).find(s => !QUAY_REPO_REGEXP.test(s))
const garMinimum = (f: Facts): number => (f.parts[0].includes('.') ? 4 : 3)
const acrName = (f: Facts): string | undefined => ACR_HOST_REGEXP.exec(f.host)?.[1]

/** Every registry kind's naming rules (§5.3), in the order they are checked. */
const KIND_RULES: Record<RegistryKind, KindRules> = {
  dockerhub: {
    rules: [
      {
        broken: f => f.parts.length !== 2,
        part: repoPart,
        rule: () => 'Docker Hub repositories are NAMESPACE/REPOSITORY (exactly 2 components, no nesting)'
      },
      {
        broken: f => f.parts[0] === 'library' && f.destination,
        part: firstPart('namespace'),
        rule: () =>
          `Docker Hub's "library" namespace holds Docker's official images and cannot be pushed to; name your own namespace (NAMESPACE/REPOSITORY)`
      },
      {
        broken: f => f.parts[0] !== 'library' && !HUB_NAMESPACE_REGEXP.test(f.parts[0]),
        part: firstPart('namespace'),
        rule: () => 'a Docker Hub namespace (Docker ID) is 4 to 30 lowercase letters and digits'
      },
      {
        broken: f => !HUB_REPO_REGEXP.test(f.parts[1]),
        part: f => `repository ${quote(f.parts[1])}`,
        rule: () =>
          'a Docker Hub repository name is 2 to 255 characters of lowercase letters, digits, "_" and "-"'
      }
    ]
  },
  ghcr: {
    caseNoun: 'GHCR owner and image names',
    rules: [
      atLeast(2, 'GHCR images are OWNER/IMAGE[/…] (at least 2 components)'),
      {
        broken: f => !GITHUB_OWNER_REGEXP.test(f.parts[0]),
        part: firstPart('owner'),
        rule: () =>
          'a GHCR owner is a lowercase GitHub user or organization: letters, digits and single inner "-", at most 39 characters'
      }
    ]
  },
  ecr: {
    rules: ecrRules('Amazon ECR', 256, false),
    warnings: [
      f => `Amazon ECR does not create repositories on push: "${f.ref.repository}" must exist in ${f.host}`
    ]
  },
  'ecr-public': { rules: ecrRules('Amazon ECR Public', 205, true) },
  gar: {
    rules: [
      {
        broken: f => f.parts.length < garMinimum(f),
        part: repoPart,
        rule: f =>
          `Artifact Registry images are LOCATION-docker.pkg.dev/PROJECT/REPOSITORY/IMAGE (at least ${garMinimum(f)} components${garMinimum(f) === 4 ? ' with a domain-scoped project' : ''})`
      }
    ]
  },
  gcr: {
    rules: [atLeast(2, 'Container Registry (gcr.io) images are PROJECT/IMAGE (at least 2 components)')]
  },
  acr: {
    rules: [
      {
        broken: f => f.host.includes(':') || f.host.includes('['),
        part: f => `registry ${quote(f.host)}`,
        rule: () => 'an Azure Container Registry login server has no port'
      },
      {
        broken: f => f.host !== f.host.toLowerCase(),
        part: f => `registry ${quote(f.host)}`,
        rule: f => `an Azure Container Registry login server is lowercase; use "${lowered(f)}"`,
        suggestion: lowered
      },
      {
        broken: f => acrName(f) !== undefined && !ACR_NAME_REGEXP.test(acrName(f)!),
        part: f => `registry name ${quote(acrName(f)!)}`,
        rule: () => 'an Azure Container Registry registry name is 5 to 50 letters and digits'
      }
    ]
  },
  quay: {
    rules: [
      atLeast(2, 'Quay repositories are NAMESPACE/REPOSITORY[/…]'),
      {
        broken: f => f.parts[0].length < 2 || !QUAY_NAMESPACE_REGEXP.test(f.parts[0]),
        part: firstPart('namespace'),
        rule: () =>
          'a Quay namespace is 2 to 255 lowercase letters and digits separated by single ".", "_" or "-"'
      },
      {
        broken: f => quaySegment(f) !== undefined,
        part: f => `repository ${quote(f.parts.slice(1).join('/'))}`,
        rule: f =>
          `Quay repository segment ${quote(quaySegment(f)!)} must start with a lowercase letter or digit, then ".", "_", "-", letters or digits`
      }
    ]
  },
  harbor: {
    rules: [
      atLeast(2, 'Harbor repositories are PROJECT/REPOSITORY[/…]'),
      {
        broken: f => !HARBOR_PROJECT_REGEXP.test(f.parts[0]),
        part: firstPart('project'),
        rule: () =>
          'a Harbor project is 1 to 255 lowercase letters and digits separated by single ".", "_" or "-"'
      }
    ],
    warnings: [
      f => `Harbor does not create projects on push: project "${f.parts[0]}" must exist in ${f.host}`
    ]
  },
  generic: { rules: [] }
}

/** Every registry kind, in the order docs and messages list them. */
export const REGISTRY_KINDS = Object.keys(KIND_RULES) as RegistryKind[]

/** The rule for upper case in a repository path, as the kind words it. */
function lowercaseRule(kind: RegistryKind, suggestion: string): string {
  return `${KIND_RULES[kind].caseNoun ?? 'repository names'} must be lowercase; use "${suggestion}"`
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
      lowercaseRule(kind, e.suggestion),
      'NAME_CONTAINS_UPPERCASE',
      e.suggestion
    )
  }
}

/** The grammar checks every kind shares (objects may have been built by hand); throws the first failure. */
function checkGrammar(ref: Reference, kind: RegistryKind, shown: string): void {
  const repo = `repository ${quote(ref.repository)}`
  if (ref.repository !== ref.repository.toLowerCase()) {
    const suggestion = formatReference(lowerName(ref))
    throw new ReferenceError(
      shown,
      repo,
      lowercaseRule(kind, suggestion),
      'NAME_CONTAINS_UPPERCASE',
      suggestion
    )
  }
  if (!ref.registry)
    throw new ReferenceError(shown, 'registry ""', 'a destination must name its registry', 'REGISTRY_RULE')
  if (!ANCHORED_PATH_REGEXP.test(ref.repository))
    throw new ReferenceError(shown, repo, RULES.pathComponent, 'REGISTRY_RULE')
  if (ref.repository.length > NAME_TOTAL_LENGTH_MAX)
    throw new ReferenceError(shown, repo, RULES.nameTooLong, 'REGISTRY_RULE')
  if (ref.tag !== undefined) validateTag(ref.tag, shown)
  if (ref.digest !== undefined) validateDigest(ref.digest, shown)
}

/**
 * Checks a destination reference against the reference grammar and then the target registry's own
 * rules (§5.3, the table `KIND_RULES`), before any push:
 * - all: path matches the grammar and is ≤ 255 characters; tag and digest valid; warning when
 *   `host/path` exceeds 255 characters.
 * - Docker Hub: exactly 2 components; namespace 4–30 of `[a-z0-9]` (or `library`, which is refused
 *   as a `destination`); repository 2–255 of `[a-z0-9_-]`.
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
  const ref = toReference(input, options.lowercase === true)
  const shown = typeof input === 'string' ? input : formatReference(input)
  const kind = options.kind ?? options.kinds?.[ref.registry.toLowerCase()] ?? registryKind(ref.registry)
  checkGrammar(ref, kind, shown)
  const facts: Facts = {
    ref,
    host: ref.registry,
    parts: ref.repository.split('/'),
    destination: options.destination === true
  }
  const { rules, warnings = [] } = KIND_RULES[kind]
  for (const r of rules) {
    if (r.broken(facts))
      throw new ReferenceError(shown, r.part(facts), r.rule(facts), 'REGISTRY_RULE', r.suggestion?.(facts))
  }
  const notes = [nameLengthWarning(ref), ...warnings.map(w => w(facts))]
  return { reference: ref, kind, warnings: notes.filter((w): w is string => w !== undefined) }
}
