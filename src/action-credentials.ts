/** Credentials for the action beyond its inputs: the docker config.json docker/login-action writes. */
import type { CredentialSource } from './auth/credentials.js'
import type { ActionInputs } from './inputs.js'

/** The action's fallback credential source. */
export async function actionCredentials(_inputs: ActionInputs): Promise<CredentialSource> {
  return async () => undefined
}
