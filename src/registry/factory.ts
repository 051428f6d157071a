/**
 * Builds the registry stack for one run: Authenticator → Transport → RegistryClient, sharing one
 * undici Agent (keep-alive pool, TLS settings) between registry and token traffic.
 */
import { readFileSync } from 'node:fs'
import { rootCertificates } from 'node:tls'
import { Agent, type Dispatcher } from 'undici'
import { Authenticator } from '../auth/authenticator.js'
import type { CredentialSource } from '../auth/credentials.js'
import { silentLogger, type Logger } from '../logger.js'
import { RegistryClient } from './client.js'
import { Transport, type RetryOptions } from './transport.js'

export interface ClientOptions {
  /** where credentials come from (default: anonymous everywhere) */
  credentials?: CredentialSource
  /** hosts allowed plain http besides loopback */
  insecureRegistries?: string[]
  /** PEM CA bundle file added to Node's trusted roots (NODE_EXTRA_CA_CERTS also works) */
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

/** A ready client; close() releases pooled connections. */
export function createRegistryClient(options: ClientOptions = {}): RegistryClient {
  const logger = options.logger ?? silentLogger
  let dispatcher = options.dispatcher
  if (!dispatcher) {
    const connect: Record<string, unknown> = {}
    if (options.caFile) {
      connect.ca = [...rootCertificates, readFileSync(options.caFile, 'utf8')]
    }
    dispatcher = new Agent({ connections: options.connections ?? 16, keepAliveTimeout: 30000, connect })
  }
  const authenticator = new Authenticator({
    credentials: options.credentials ?? (async () => undefined),
    dispatcher,
    onSecret: options.onSecret,
    logger
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
