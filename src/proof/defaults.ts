/**
 * The proof options' defaults, each written once: proof/load.ts uses them when no URL is given and
 * the options schema (options.ts) shows them in the help of `--fulcio-url` and `--rekor-url`. Pure
 * constants, no imports (the CLI loads this at start-up; proof/load.ts is loaded only when used).
 */

/** Public-good Sigstore (the keyless defaults): Fulcio issues the certificate, Rekor logs the signature. */
export const PUBLIC_GOOD = {
  fulcioURL: 'https://fulcio.sigstore.dev',
  rekorURL: 'https://rekor.sigstore.dev'
} as const
