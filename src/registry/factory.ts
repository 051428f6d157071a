/**
 * Builds the registry stack for one run: one connection pool (http.ts createDispatcher: keep-alive,
 * TLS roots, connect timeout) under one Transport for registry requests and one token sender for
 * the Authenticator, both on http.ts `send()` with the same timeout and retry policy and one set
 * of counters → RegistryClient.
 */
import { Authenticator, realmPolicy } from '../auth/authenticator.js'
import type { CredentialSource } from '../auth/credentials.js'
import { silentLogger, type Logger } from '../logger.js'
import { RegistryClient } from './client.js'
import {
  createDispatcher,
  describeProxy,
  proxySettings,
  type ClientCertificate,
  type Dispatcher,
  type ProxyOptions
} from './http.js'
import type { InsecureHostEvent } from './errors.js'
import type { RequestLogEntry } from './request-log.js'
import type { RateLimitOptions } from './ratelimit.js'
import { defaultRetryPolicy, retryOptions, type RetryOptions, type RetryPolicy } from './retry.js'
import { newTransportStats } from './retry-run.js'
import { tokenSender } from './token-sender.js'
import { Transport } from './transport.js'

export interface ClientOptions {
  /** where credentials come from (default: anonymous everywhere) */
  credentials?: CredentialSource
  /**
   * docker's insecure-registries: these hosts (host[:port]) may use plain http, and their TLS
   * certificate is not verified; a warning names each one used, once per run. No other host skips
   * verification.
   */
  insecureRegistries?: string[]
  /**
   * PEM CA bundle file added to Node's trusted roots for registry and token-server traffic.
   * NODE_EXTRA_CA_CERTS (read by Node at start-up) also works, alone or together with this.
   */
  caFile?: string
  /** connections per origin in the pool (default 128, http.ts DEFAULT_CONNECTIONS) */
  connections?: number
  /**
   * the forward proxy: HTTPS_PROXY / HTTP_PROXY / NO_PROXY (and lower-case forms) of `process.env`
   * by default, for registry and token traffic alike; loopback hosts always connect directly
   * (see http.ts ProxyOptions); `false`: never a proxy
   */
  proxy?: ProxyOptions | false
  /** TLS client certificates, each sent only to its own registry host[:port] */
  clientCertificates?: ClientCertificate[]
  retry?: Partial<RetryOptions>
  /**
   * who decides whether to try again and after how long, for every request (registry, ping and
   * token) and every broken download (retry.ts RetryPolicy; default: defaultRetryPolicy of `retry`)
   */
  retryPolicy?: RetryPolicy
  /** request budgets per registry and pacing on `ratelimit-*` headers (ratelimit.ts) */
  rateLimit?: Partial<RateLimitOptions>
  logger?: Logger
  onSecret?: (secret: string) => void
  /** a dispatcher to use instead of building one (tests) */
  dispatcher?: Dispatcher
  sleep?: (ms: number) => Promise<void>
  /** the clock of retries and of the request log, ms (default Date.now; tests) */
  now?: () => number
  /** called once per request try, registry and token requests alike (the CLI's `-v` request log) */
  onRequest?: (entry: RequestLogEntry) => void
  /**
   * a registry of `insecureRegistries` is used (once per run and registry), for the interface to
   * warn in its own words (report/tls-words.ts); without it the log gets the engine's own warning
   */
  onInsecureHost?: (event: InsecureHostEvent) => void
  /**
   * the run's interruption (SIGINT / SIGTERM): aborting it ends every registry and token request
   * in flight and every retry wait, which throw its reason (transport.ts TransportOptions.signal)
   */
  signal?: AbortSignal
}

/**
 * A ready client; close() releases pooled connections. TLS is verified (Node's roots, plus
 * `caFile` and NODE_EXTRA_CA_CERTS) for every host but those of `insecureRegistries`; credentials reach a token realm only over https or
 * loopback / insecure-registries http (`realmPolicy`); every secret goes through `onSecret`.
 * Token requests share the pool, the request timeout and the retry policy of registry requests.
 * Through a forward proxy, https registries are reached by CONNECT tunnels with the same TLS
 * settings (CA, client certificate, connect timeout); the proxy in use goes to the debug log
 * without its credentials.
 * @throws Error when `caFile` or a client certificate file cannot be read, or a proxy variable is
 *   not a URL
 */
export function createRegistryClient(options: ClientOptions = {}): RegistryClient {
  const logger = options.logger ?? silentLogger
  const dispatcher =
    options.dispatcher ??
    createDispatcher({
      caFile: options.caFile,
      connections: options.connections,
      timeoutMs: options.retry?.timeoutMs,
      proxy: options.proxy,
      clientCertificates: options.clientCertificates,
      insecureHosts: options.insecureRegistries
    })
  if (!options.dispatcher && options.proxy !== false) {
    const proxy = describeProxy(proxySettings(options.proxy?.env))
    const loopback = options.proxy?.proxyLoopback ? '' : ' (loopback hosts connect directly)'
    if (proxy !== 'none') logger.debug(`proxy: ${proxy}${loopback}`)
  }
  const sleep = options.sleep
  const stats = newTransportStats()
  // token retries wait on the transport's timers too, so close() ends them (declared below)
  const tokenSleep = sleep ?? ((ms: number): Promise<void> => transport.sleep(ms))
  const retryPolicy = options.retryPolicy ?? defaultRetryPolicy(retryOptions(options.retry))
  const env = {
    sleep: tokenSleep,
    log: logger,
    stats,
    now: options.now,
    onRequest: options.onRequest,
    policy: retryPolicy
  }
  const send = tokenSender({ dispatcher, retry: options.retry, env, signal: options.signal })
  const authenticator = new Authenticator({
    credentials: options.credentials ?? (async () => undefined),
    send,
    onSecret: options.onSecret,
    logger,
    checkRealm: realmPolicy(options.insecureRegistries)
  })
  const transport = new Transport({
    authenticator,
    dispatcher,
    insecureRegistries: options.insecureRegistries,
    loopbackProxied: options.proxy !== false && options.proxy?.proxyLoopback === true,
    retry: options.retry,
    retryPolicy,
    rateLimit: options.rateLimit,
    logger,
    sleep,
    stats,
    now: options.now,
    onRequest: options.onRequest,
    onInsecureHost: options.onInsecureHost,
    signal: options.signal
  })
  return new RegistryClient(transport)
}
