/**
 * Builds the registry stack for one run: Authenticator → Transport → RegistryClient, sharing one
 * undici Agent (keep-alive pool, TLS settings) between registry and token traffic.
 */
import { existsSync, readFileSync } from 'node:fs'
import { rootCertificates } from 'node:tls'
import { Agent, type Dispatcher } from 'undici'
import { Authenticator, realmPolicy } from '../auth/authenticator.js'
import type { CredentialSource } from '../auth/credentials.js'
import { silentLogger, type Logger } from '../logger.js'
import { RegistryClient } from './client.js'
import { Transport, type RetryOptions } from './transport.js'

export interface ClientOptions {
  /** where credentials come from (default: anonymous everywhere) */
  credentials?: CredentialSource
  /** hosts allowed plain http besides loopback */
  insecureRegistries?: string[]
  /**
   * PEM CA bundle file added to Node's trusted roots for registry and token-server traffic.
   * NODE_EXTRA_CA_CERTS (read by Node at start-up) also works, alone or together with this.
   */
  caFile?: string
  /** connections per origin in the pool (default 16) */
  connections?: number
  retry?: Partial<RetryOptions>
  logger?: Logger
  onSecret?: (secret: string) => void
  /** a dispatcher to use instead of building one (tests) */
  dispatcher?: Dispatcher
  sleep?: (ms: number) => Promise<void>
}

/**
 * A ready client; close() releases pooled connections. TLS is verified by default (Node's roots,
 * plus `caFile` and NODE_EXTRA_CA_CERTS); credentials reach a token realm only over https or
 * loopback / insecure-registries http (`realmPolicy`); every secret goes through `onSecret`.
 * @throws Error when `caFile` cannot be read
 */
export function createRegistryClient(options: ClientOptions = {}): RegistryClient {
  const logger = options.logger ?? silentLogger
  let dispatcher = options.dispatcher
  if (!dispatcher) {
    const connect: Record<string, unknown> = {}
    if (options.caFile) {
      // an explicit `ca` replaces Node's default store, which is where NODE_EXTRA_CA_CERTS went:
      // add both back
      const extra = process.env.NODE_EXTRA_CA_CERTS
      connect.ca = [
        ...rootCertificates,
        ...(extra && existsSync(extra) ? [readFileSync(extra, 'utf8')] : []),
        readFileSync(options.caFile, 'utf8')
      ]
    }
    // a host that accepts the connection but never completes TLS waits as long as one that never answers
    if (options.retry?.timeoutMs !== undefined) connect.timeout = Math.min(options.retry.timeoutMs, 10000)
    dispatcher = new Agent({ connections: options.connections ?? 16, keepAliveTimeout: 30000, connect })
  }
  const authenticator = new Authenticator({
    credentials: options.credentials ?? (async () => undefined),
    dispatcher,
    onSecret: options.onSecret,
    logger,
    checkRealm: realmPolicy(options.insecureRegistries)
  })
  const transport = new Transport({
    authenticator,
    dispatcher,
    insecureRegistries: options.insecureRegistries,
    retry: options.retry,
    logger,
    sleep: options.sleep
  })
  return new RegistryClient(transport)
}
