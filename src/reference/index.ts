/**
 * Image references: parse, normalise, validate and format (pure; no I/O).
 * Grammar: distribution/reference (regexp.go, normalize.go); see shared naming-and-protocol.md §1.
 * STUB: the full implementation (grammar, per-registry rules, errors) replaces this file's body
 * while keeping these exports.
 */

/** A parsed, normalised image reference. */
export interface Reference {
  /** Registry host as written, with port: `docker.io`, `ghcr.io`, `127.0.0.1:5000`. */
  registry: string
  /** Repository path: `library/ubuntu`, `org/app`. */
  repository: string
  /** Tag, when given. */
  tag?: string
  /** Digest `algorithm:hex`, when given. */
  digest?: string
}

/** Thrown for input that breaks the reference grammar; names the input, the part and the rule. */
export class ReferenceError extends Error {
  constructor(
    readonly input: string,
    readonly part: string,
    readonly rule: string
  ) {
    super(`invalid reference "${input}": ${part}: ${rule}`)
    this.name = 'ReferenceError'
  }
}

const PATH = /^[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*)*$/

/** Parses and normalises `input` (docker.io rules). Throws ReferenceError. */
export function parseReference(input: string): Reference {
  let rest = input
  let digest: string | undefined
  const at = rest.indexOf('@')
  if (at >= 0) {
    digest = rest.slice(at + 1)
    rest = rest.slice(0, at)
  }
  let tag: string | undefined
  const colon = rest.lastIndexOf(':')
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1)
    rest = rest.slice(0, colon)
  }
  const slash = rest.indexOf('/')
  let registry = 'docker.io'
  let repository = rest
  if (slash >= 0) {
    const first = rest.slice(0, slash)
    if (first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase()) {
      registry = first
      repository = rest.slice(slash + 1)
    }
  }
  if (registry === 'docker.io' && !repository.includes('/')) repository = `library/${repository}`
  if (!PATH.test(repository)) {
    if (PATH.test(repository.toLowerCase()))
      throw new ReferenceError(input, `repository "${repository}"`, 'repository name must be lowercase')
    throw new ReferenceError(input, `repository "${repository}"`, 'path components are [a-z0-9] separated by ".", "_", "__" or "-"')
  }
  if (tag !== undefined && !/^[\w][\w.-]{0,127}$/.test(tag))
    throw new ReferenceError(input, `tag "${tag}"`, 'a tag is [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}')
  if (digest !== undefined && !/^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/.test(digest))
    throw new ReferenceError(input, `digest "${digest}"`, 'a digest is sha256:<64 hex> or sha512:<128 hex>')
  return { registry, repository, tag, digest }
}

/** Formats `registry/repository[:tag][@digest]` (fully qualified, never shortened). */
export function formatReference(ref: Reference): string {
  return `${ref.registry}/${ref.repository}${ref.tag !== undefined ? ':' + ref.tag : ''}${ref.digest !== undefined ? '@' + ref.digest : ''}`
}
