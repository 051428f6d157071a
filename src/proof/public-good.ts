/**
 * The Sigstore public-good instance's trust root, through `@sigstore/tuf` (the TUF repository at
 * https://tuf-repo-cdn.sigstore.dev; needs the network). proof/sigstore.ts reaches it with `await
 * import('./public-good.js')` when no trusted root was given, so a key-signed verification never
 * loads the TUF client. `@sigstore/tuf` is imported statically here, not with `import()`: it is
 * CommonJS, and the action bundle's chunk for a dynamically imported CommonJS package exports only
 * `default` (scripts/action-build.mjs commonJsImports).
 */
import { getTrustedRoot } from '@sigstore/tuf'
import type { TrustedRoot } from '@sigstore/protobuf-specs'

/**
 * The public-good TrustedRoot (protobuf-specs), fetched and checked through TUF.
 * @throws Error from `@sigstore/tuf` when the TUF repository cannot be reached or does not verify
 */
export async function publicGoodRoot(): Promise<TrustedRoot> {
  return getTrustedRoot()
}
