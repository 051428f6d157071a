/**
 * The registry client of the commands that talk to registries, with the credentials of the command
 * line's flags (cli/creds.ts), and what the read commands (`digest`, `ls`, `manifest`, `config`)
 * share.
 */

export type { ReadCommand }
import type { EngineOptions } from '../options.js'
import type { Reference } from '../reference/index.js'
import type { ReadCommand } from './args.js'
import { cliClient } from './client.js'
import { cliCredentials, readProcessStdin, type CredentialFlags, type CredsRegistries } from './creds.js'
import type { Io } from './io.js'

/**
 * A registry client for `cmd`'s registry with the command line's credentials (`--creds` for that
 * registry → auth file → docker config → anonymous); their secrets registered with `io` first.
 * Aborting `signal` (SIGINT / SIGTERM) does what it does for {@link commandClient}.
 * @throws UsageError for credential flags that cannot be used (nothing is sent)
 */
export async function readClient(
  cmd: Pick<ReadCommand, 'reference' | 'options' | 'credentials' | 'verbose'>,
  io: Io,
  signal?: AbortSignal
): Promise<ReturnType<typeof cliClient>> {
  return commandClient(cmd, { source: cmd.reference.registry, flags: { source: '--creds' } }, io, signal)
}

/**
 * A registry client with the command line's credentials for the registries named (cli/creds.ts
 * cliCredentials: creds flags → auth file → docker config → anonymous); their secrets registered
 * with `io` before anything is sent. A shard (`--shard K/N`) paces each registry's low
 * `ratelimit-remaining` as one of N processes sharing it. Aborting `signal` (SIGINT / SIGTERM)
 * ends the client's requests in flight and its retry waits, and stops a credential helper being
 * asked. Without `-v` (`cmd.verbose` false) no debug line is built per request.
 * @throws UsageError for credential flags that cannot be used (nothing is sent)
 */
export async function commandClient(
  cmd: { options: EngineOptions; credentials?: CredentialFlags; shard?: { n: number }; verbose?: boolean },
  registries: CredsRegistries,
  io: Io,
  signal?: AbortSignal
): Promise<ReturnType<typeof cliClient>> {
  const { credentials, secrets } = await cliCredentials(
    cmd.credentials ?? { creds: [], passwordStdin: false },
    registries,
    {
      env: io.env ?? process.env,
      readStdin: io.readStdin ?? readProcessStdin,
      logger: io.log,
      helperTimeoutMs: cmd.options.timeoutMs,
      signal
    }
  )
  io.secrets?.(secrets)
  return cliClient(cmd.options, io.log, credentials, cmd.shard?.n, signal, cmd.verbose !== false)
}

/** `registry/repository` of a reference, as messages write it. */
export function repositoryName(r: Reference): string {
  return `${r.registry}/${r.repository}`
}
