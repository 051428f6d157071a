/**
 * Digests (image-spec descriptor.md "Digests"): `algorithm:encoded`, computed over exact bytes.
 * `sha256` (64 lowercase hex) and `sha512` (128 lowercase hex) are supported and verified.
 */
import { createHash, type Hash } from 'node:crypto'

const DIGEST_RE = /^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/

export type DigestAlgorithm = 'sha256' | 'sha512'

/** The digest grammar of image-spec descriptor.md "Digests": `algorithm ":" encoded`. */
const DIGEST_GRAMMAR = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/

/**
 * Why `value` cannot be used as a digest here, in words, or undefined when it is a supported one
 * (sha256 or sha512, descriptor.md "Registered algorithms"): `"sha384:…" uses the unsupported
 * algorithm sha384 (supported: sha256, sha512)`, `"../x" is not a digest (algorithm:encoded)`.
 * The value is quoted as JSON (control characters escaped) and cut at 160 characters.
 */
export function digestProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return `digest is not a string`
  if (DIGEST_RE.test(value)) return undefined
  const quoted = JSON.stringify(value.length > 160 ? `${value.slice(0, 160)}…` : value)
  if (!DIGEST_GRAMMAR.test(value)) return `${quoted} is not a digest (algorithm:encoded)`
  const algorithm = value.slice(0, value.indexOf(':'))
  if (algorithm === 'sha256' || algorithm === 'sha512')
    return `${quoted} is not a ${algorithm} digest (${algorithm === 'sha256' ? 64 : 128} lowercase hex)`
  return `${quoted} uses the unsupported algorithm ${algorithm} (supported: sha256, sha512)`
}

/** True when `digest` is a well-formed sha256 or sha512 digest. */
export function isDigest(digest: string): boolean {
  return DIGEST_RE.test(digest)
}

/**
 * Returns the algorithm of a digest.
 * @throws Error naming the digest when it is not `sha256:<64 hex>` or `sha512:<128 hex>`.
 */
export function digestAlgorithm(digest: string): DigestAlgorithm {
  if (!DIGEST_RE.test(digest)) {
    throw new Error(
      `unsupported or malformed digest "${digest}": expected sha256:<64 lowercase hex> or sha512:<128 lowercase hex>`
    )
  }
  return digest.slice(0, 6) as DigestAlgorithm
}

/** Digest of `bytes` with `algorithm` (default sha256), as `algorithm:hex`. */
export function digestOf(bytes: Uint8Array, algorithm: DigestAlgorithm = 'sha256'): string {
  return `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`
}

/** Incremental verifier of a stream against an expected digest and size (bytes). */
export class DigestVerifier {
  private readonly hash: Hash
  /** Bytes seen so far. */
  bytes = 0

  constructor(readonly expected: string) {
    this.hash = createHash(digestAlgorithm(expected))
  }

  update(chunk: Uint8Array): void {
    this.bytes += chunk.length
    this.hash.update(chunk)
  }

  /** The digest of everything seen; call once, at the end. */
  digest(): string {
    return `${digestAlgorithm(this.expected)}:${this.hash.digest('hex')}`
  }
}
