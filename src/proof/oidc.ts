/**
 * Whether keyless signing can have its OIDC token, known from the environment before anything is
 * written: GitHub Actions gives a job the token endpoint (`ACTIONS_ID_TOKEN_REQUEST_URL` and
 * `ACTIONS_ID_TOKEN_REQUEST_TOKEN`) only with `permissions: id-token: write`; elsewhere the CLI takes
 * `SIGSTORE_ID_TOKEN` (as @sigstore/sign's CIContextProvider does). Pure.
 */

const ENDPOINT = ['ACTIONS_ID_TOKEN_REQUEST_URL', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN'] as const

/** The endpoint's variables that are not set. */
function unsetEndpoint(env: NodeJS.ProcessEnv): string[] {
  return ENDPOINT.filter(name => !env[name])
}

/**
 * Why the action's job has no OIDC token (core.getIDToken needs the endpoint), with the remedy;
 * undefined when it has one.
 * @returns e.g. `the job has no OIDC token to sign the record with (ACTIONS_ID_TOKEN_REQUEST_URL is
 *   not set): grant the job \`permissions: id-token: write\``
 */
export function actionTokenTrouble(env: NodeJS.ProcessEnv): string | undefined {
  const unset = unsetEndpoint(env)
  if (!unset.length) return undefined
  const which = unset.length === 1 ? `${unset[0]} is` : `${unset.join(' and ')} are`
  return `the job has no OIDC token to sign the record with (${which} not set): grant the job \`permissions: id-token: write\``
}

/**
 * Why the CLI has no OIDC token (neither the Actions endpoint nor `SIGSTORE_ID_TOKEN`), with the
 * remedy; undefined when it has one.
 */
export function cliTokenTrouble(env: NodeJS.ProcessEnv): string | undefined {
  if (!unsetEndpoint(env).length || env.SIGSTORE_ID_TOKEN) return undefined
  return 'no OIDC token to sign the record with: in GitHub Actions grant the job `permissions: id-token: write`; elsewhere set SIGSTORE_ID_TOKEN'
}
