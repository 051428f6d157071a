/**
 * The gate and the record for the CLI's commands (copy, promote, promote -f): the options read once
 * (engine-options.ts proofSettings) before any request, the signing key registered with the output
 * masks first, and keyless signing's OIDC token taken from the CI (proof/sigstore.ts ciToken:
 * GitHub Actions' endpoint, else SIGSTORE_ID_TOKEN) only when a record is signed, masked too.
 */
import { fileProofSettings, proofSettings, type ProofSettings } from '../engine-options.js'
import type { ProofEdge } from '../proof/load.js'
import type { PromotionFile } from '../batch/file.js'
import type { EngineOptions } from '../options.js'
import { recordRunOf } from '../github/run.js'
import { cliTokenTrouble } from '../proof/oidc.js'
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
  try {
    const { settings, secrets } = await proofSettings(options, cliEdge(io))
    io.secrets?.(secrets)
    return settings
  } catch (e) {
    throw new UsageError((e as Error).message)
  }
}

/** What the CLI gives the gate and the record: the CI run, the CI's OIDC token (masked), the version. */
function cliEdge(io: Io): ProofEdge {
  const env = io.env ?? process.env
  return {
    run: recordRunOf(env as NodeJS.ProcessEnv),
    noToken: () => cliTokenTrouble(env as NodeJS.ProcessEnv),
    token: async () => {
      const token = await (await import('../proof/sigstore.js')).ciToken()
      io.secrets?.([token, ...token.split('.').slice(1)])
      return token
    },
    version: VERSION
  }
}

/**
 * The gate and the record each image of a promotion file gives itself (engine-options.ts
 * fileProofSettings), for runBatch's `imageProof`.
 * @throws UsageError naming the file and image (exit status 2, nothing sent)
 */
export async function cliFileProof(
  file: PromotionFile,
  options: EngineOptions,
  io: Io
): Promise<Map<number, ProofSettings>> {
  if (!file.images.some(i => i.proof)) return new Map()
  try {
    const { byImage, secrets } = await fileProofSettings(file, options, cliEdge(io), 'flags')
    io.secrets?.(secrets)
    return byImage
  } catch (e) {
    throw new UsageError((e as Error).message)
  }
}
