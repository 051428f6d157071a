/**
 * Digests (image-spec descriptor.md "Digests"): `algorithm:encoded`, computed over exact bytes.
 * `sha256` (64 lowercase hex) and `sha512` (128 lowercase hex) are supported and verified.
 */
import { createHash, type Hash } from 'node:crypto'

const DIGEST_RE = /^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/

export type DigestAlgorithm = 'sha256' | 'sha512'

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
