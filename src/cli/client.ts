/** The CLI's registry client (loaded with the commands that talk to registries, never at start-up). */
import type { Logger } from '../logger.js'
import type { CredentialSource } from '../auth/credentials.js'
import { defaultCredentials } from '../auth/docker-config.js'
import { clientOptions } from '../engine-options.js'
import { createRegistryClient } from '../registry/factory.js'
import { requestLogLine, type RequestLogEntry } from '../registry/request-log.js'
import { OPTION_FLAGS, type EngineOptions } from '../options.js'
import { insecureWarning } from '../report/tls-words.js'

/**
 * A registry client for the CLI: credentials from the same chain the action uses
 * (`defaultCredentials`: docker config.json → anonymous), TLS and timeouts from the options
 * (engine-options.ts); messages name the CLI's flags; with `-v`, one debug line per request.
 * @param credentials the command line's chain (cli/creds.ts); default: docker config → anonymous
 * @param sharedBy the N of `--shard K/N`: processes sharing each registry's `ratelimit-*` headers
 * @param signal the run's interruption (SIGINT / SIGTERM): ends the requests in flight
 * @param verbose `-v` (default true): false builds no request line (a promotion file of 100 images
 *   sends ~2,100 requests; a retry is still a debug line, registry/retry-run.ts)
 */
export function cliClient(
  options: EngineOptions,
  log: Logger,
  credentials: CredentialSource = defaultCredentials([], { logger: log }),
  sharedBy?: number,
  signal?: AbortSignal,
  verbose = true
): ReturnType<typeof createRegistryClient> {
  return createRegistryClient(
    clientOptions(options, {
      credentials,
      logger: log,
      sharedBy,
      signal,
      onInsecureHost: event => log.warning(insecureWarning(OPTION_FLAGS, event)),
      ...(verbose ? { onRequest: (entry: RequestLogEntry) => log.debug(requestLogLine(entry)) } : {})
    })
  )
}
