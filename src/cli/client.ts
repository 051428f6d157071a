/** The CLI's registry client (loaded with the commands that talk to registries, never at start-up). */
import type { Logger } from '../logger.js'
import type { CredentialSource } from '../auth/credentials.js'
import { defaultCredentials } from '../auth/docker-config.js'
import { clientOptions } from '../engine-options.js'
import { createRegistryClient } from '../registry/factory.js'
import { requestLogLine } from '../registry/request-log.js'
import { OPTION_FLAGS, type EngineOptions } from '../options.js'
import { insecureWarning } from '../report/tls-words.js'

/**
 * A registry client for the CLI: credentials from the same chain the action uses
 * (`defaultCredentials`: docker config.json → anonymous), TLS and timeouts from the options
 * (engine-options.ts); messages name the CLI's flags; one debug line per request (shown with `-v`).
 * @param credentials the command line's chain (cli/creds.ts); default: docker config → anonymous
 * @param sharedBy the N of `--shard K/N`: processes sharing each registry's `ratelimit-*` headers
 * @param signal the run's interruption (SIGINT / SIGTERM): ends the requests in flight
 */
export function cliClient(
  options: EngineOptions,
  log: Logger,
  credentials: CredentialSource = defaultCredentials([], { logger: log }),
  sharedBy?: number,
  signal?: AbortSignal
): ReturnType<typeof createRegistryClient> {
  return createRegistryClient(
    clientOptions(options, {
      credentials,
      logger: log,
      sharedBy,
      signal,
      onInsecureHost: event => log.warning(insecureWarning(OPTION_FLAGS, event)),
      onRequest: entry => log.debug(requestLogLine(entry))
    })
  )
}
