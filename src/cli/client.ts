/** The CLI's registry client (loaded with the commands that talk to registries, never at start-up). */
import type { Logger } from '../logger.js'
import { defaultCredentials } from '../auth/docker-config.js'
import { createRegistryClient } from '../registry/factory.js'
import type { EngineOptions } from '../options.js'

/**
 * A registry client for the CLI: credentials from the same chain the action uses
 * (`defaultCredentials`: docker config.json → anonymous), TLS and timeouts from the options.
 */
export function cliClient(options: EngineOptions, log: Logger): ReturnType<typeof createRegistryClient> {
  return createRegistryClient({
    credentials: defaultCredentials([], { logger: log }),
    insecureRegistries: options.insecureRegistries,
    caFile: options.caFile,
    clientCertificates: options.clientCertificates,
    retry: options.timeoutMs === undefined ? undefined : { timeoutMs: options.timeoutMs },
    logger: log
  })
}
