/**
 * What the commands that read one registry share (`digest`, `ls`, `manifest`, `config`): their
 * parsed form and the client they read with, its credentials from the command line's flags.
 */
import type { EngineOptions } from '../options.js'
import type { Reference } from '../reference/index.js'
import { cliClient } from './client.js'
import { cliCredentials, readProcessStdin, type CredentialFlags } from './creds.js'
import type { Io } from './io.js'

/**
 * `digest REF`, `manifest REF`, `config REF`, `ls REPOSITORY` (a reference without tag or digest:
 * `reference.tag` and `reference.digest` undefined).
 */
export interface ReadCommand {
  command: 'digest' | 'manifest' | 'config' | 'ls'
  reference: Reference
  options: EngineOptions
  /** `--creds`, `--password-stdin`, `--authfile` */
  credentials: CredentialFlags
  /** `--json` (digest, ls) */
  json: boolean
  verbose: boolean
}

/**
 * A registry client for `cmd`'s registry with the command line's credentials (`--creds` for that
 * registry → auth file → docker config → anonymous); their secrets registered with `io` first.
 * @throws UsageError for credential flags that cannot be used (nothing is sent)
 */
export async function readClient(cmd: ReadCommand, io: Io): Promise<ReturnType<typeof cliClient>> {
  const { credentials, secrets } = await cliCredentials(
    cmd.credentials,
    { source: cmd.reference.registry },
    { env: io.env ?? process.env, readStdin: io.readStdin ?? readProcessStdin, logger: io.log }
  )
  io.secrets?.(secrets)
  return cliClient(cmd.options, io.log, credentials)
}

/** `registry/repository` of a reference, as messages write it. */
export function repositoryName(r: Reference): string {
  return `${r.registry}/${r.repository}`
}
