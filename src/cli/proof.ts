/**
 * The gate and the record for the CLI's commands (copy, promote, promote -f): the options read once
 * (engine-options.ts proofSettings) before any request, the signing key registered with the output
 * masks first, and keyless signing's OIDC token taken from the CI (proof/sigstore.ts ciToken:
 * GitHub Actions' endpoint, else SIGSTORE_ID_TOKEN) only when a record is signed, masked too.
 */
import { proofSettings, type ProofSettings } from '../engine-options.js'
import type { EngineOptions } from '../options.js'
import { recordRunOf } from '../github/run.js'
import { VERSION } from './help.js'
import type { Io } from './io.js'
import { UsageError } from './usage-error.js'

/**
 * The command's gate and record (`{}` when no such option is given).
 * @throws UsageError naming the option and the rule (exit status 2, nothing sent): a key file that
 *   cannot be read or is not a PEM key, a bad policy file
 */
export async function cliProof(options: EngineOptions, io: Io): Promise<ProofSettings> {
  if (!options.proof) return {}
  const env = io.env ?? process.env
  try {
    const { settings, secrets } = await proofSettings(options, {
      run: recordRunOf(env as NodeJS.ProcessEnv),
      token: async () => {
        const token = await (await import('../proof/sigstore.js')).ciToken()
        io.secrets?.([token, ...token.split('.').slice(1)])
        return token
      },
      version: VERSION
    })
    io.secrets?.(secrets)
    return settings
  } catch (e) {
    throw new UsageError((e as Error).message)
  }
}
