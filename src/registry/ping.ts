/**
 * The ping (go-containerregistry `transport/ping.go`): `GET /v2/` finds the scheme of a registry's
 * API (https; plain http only for loopback and insecure-registries hosts, and tried first for
 * loopback ones unless a proxy carries them) and the auth challenge it answers with, kept for the
 * run. It is sent only when a request needs it (Transport.request, as containerd's resolver): a
 * registry's requests go first to the presumed base, and the first that answers as a registry API
 * confirms it; the ping runs when one fails before that, or before a streamed body is sent.
 */
import type { Authenticator } from '../auth/authenticator.js'
import type { Logger } from '../logger.js'
import { apiHost, isLoopbackHost } from '../reference/index.js'
import { certificateHost } from './client-certificate.js'
import {
  RegistryError,
  TlsClientCertificateError,
  TlsVerifyError,
  bareInsecureEntries,
  errorCode,
  isPlainTextAnswer,
  isTlsVerifyError,
  noAnswerText,
  PlainHttpAnswerError,
  proxyProblem,
  type InsecureHostEvent
} from './errors.js'
import { readText, type HttpOptions } from './http.js'
import type { RetryOptions, RetryRules } from './retry.js'
import { sendRetrying, type RetryEnv } from './retry-run.js'

/** A ping try's outcome (Transport.ping): the base URL found, or the error the try ended with. */
type PingTry = { base: URL } | { error: unknown }

/**
 * A request's try on the presumed base (Pings.presumed) that stands for the ping's try of that
 * scheme (Transport.request): how it ended, as that ping try would have (a TLS server's `400` to
 * plain http; a network error on https with a plain-http fallback), and whether the head start
 * before the other scheme's try has passed already.
 */
export interface PresumedTry {
  outcome: Promise<PingTry>
  headStartSpent: boolean
}

/**
 * How long (ms) an https ping to a host that may use plain http runs alone before the http try
 * starts beside it, for a request timeout of `timeoutMs`: a quarter of the timeout, at most 1 s —
 * long enough for a TLS handshake on a busy near registry, short against the timeout.
 */
export function plainHttpHeadStartMs(timeoutMs: number): number {
  return Math.min(1000, Math.floor(timeoutMs / 4))
}

/** `p`'s value when it settles within `ms`, else undefined once `ms` have passed; leaves no timer. */
async function within<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined
  try {
    return await Promise.race([
      p,
      new Promise<undefined>(res => (timer = setTimeout(() => res(undefined), ms)))
    ])
  } finally {
    clearTimeout(timer)
  }
}

/**
 * True for a ping error no other scheme can mend: the registry answered (RegistryError), it
 * speaks TLS and refused us (a client certificate wanted, or its certificate failed verification),
 * or the forward proxy refused us (errors.ts proxyProblem).
 */
function endsPing(e: unknown): boolean {
  return (
    e instanceof RegistryError ||
    e instanceof TlsClientCertificateError ||
    isTlsVerifyError(e) ||
    proxyProblem(e) !== undefined
  )
}

/** What the pings of one Transport share with it. */
export interface PingContext {
  authenticator: Authenticator
  /** hosts (host[:port], lower-cased) allowed plain http besides loopback */
  insecure: Set<string>
  retry: RetryOptions
  http: HttpOptions
  env: RetryEnv
  log: Logger
  /**
   * a listed insecure registry is used (once per run and registry); without it, a warning in the
   * engine's own words goes to the log
   */
  onInsecureHost?: (event: InsecureHostEvent) => void
  /**
   * loopback hosts go through a forward proxy (http.ts `proxyLoopback`): they are the proxy's
   * loopback, not ours, so https is tried first there as for any host (default false: plain http
   * first, see Pings.base)
   */
  loopbackProxied?: boolean
}

/** The base URL of each registry's API, found by a ping and kept for the run. */
export class Pings {
  private readonly bases = new Map<string, Promise<URL>>()

  constructor(private readonly ctx: PingContext) {}

  /** True when plain http may be used for `registry`. */
  allowsPlainHttp(registry: string): boolean {
    return isLoopbackHost(registry) || this.ctx.insecure.has(registry.toLowerCase())
  }

  /**
   * The base URL a registry's requests go to before the registry has answered any (the ping
   * happens only when they need it, see Transport.request): plain http for a loopback host
   * without a forward proxy (as pingLoopback tries first), https for every other.
   */
  presumed(registry: string): URL {
    const host = apiHost(registry)
    const plain = isLoopbackHost(registry) && !this.ctx.loopbackProxied
    return new URL(`${plain ? 'http' : 'https'}://${host}/`)
  }

  /** The base URL already found for `registry` (by a ping, or confirmed by an answer), or in the finding. */
  known(registry: string): Promise<URL> | undefined {
    return this.bases.get(registry)
  }

  /**
   * Records that `registry` answered a request at `base` as a registry API does (Transport.request),
   * so no ping is needed to choose its scheme; a listed insecure registry is then told of once, as
   * after a ping. Keeps a base found earlier.
   */
  confirm(registry: string, base: URL): void {
    if (this.bases.has(registry)) return
    this.bases.set(registry, Promise.resolve(base))
    this.warnInsecure(registry, base)
  }

  /**
   * The base URL of a registry's API, found once per registry by `GET /v2/` (end-1) and kept for
   * the run (a failed ping is not kept: the next request pings again): https first; plain http only
   * for insecure hosts whose https try fails for a reason other than certificate verification (the
   * http try starts once https has failed or been silent for a quarter of the timeout, at most 1 s:
   * a silent server costs one timeout and that head start, not one timeout per scheme). Loopback
   * hosts the other way round: plain http first, https after it in the same way (pingLoopback). The ping is retried like any request on 408/429/500/502/503/504 (`Retry-After`
   * honoured, within the budget) and on temporary network errors, but not after a timeout. Records
   * the auth challenge.
   * @param presumed a request on the presumed base stands for the ping's try of that scheme, which
   *   is not sent again
   * @throws RegistryError when `/v2/` answers other than 200/401; Error for TLS/connection failures.
   */
  async base(registry: string, presumed?: PresumedTry): Promise<URL> {
    let p = this.bases.get(registry)
    if (!p) {
      p = this.ping(registry, presumed)
      this.bases.set(registry, p)
      p.catch(() => this.bases.delete(registry))
    }
    return await p
  }

  private async ping(registry: string, presumed?: PresumedTry): Promise<URL> {
    const host = apiHost(registry)
    if (isLoopbackHost(registry) && !this.ctx.loopbackProxied)
      return await this.pingLoopback(registry, host, presumed)
    const https =
      presumed?.outcome ?? this.pingTry(registry, new URL(`https://${host}/`), this.allowsPlainHttp(registry))
    const tries = [https]
    if (this.allowsPlainHttp(registry)) {
      // plain http starts once https has failed or stayed silent for the head start, so a silent
      // server costs one timeout, not one per scheme; an https answer still wins (taken in order)
      const early = await within(https, this.headStart(presumed))
      if (!early || ('error' in early && !endsPing(early.error)))
        tries.push(this.pingTry(registry, new URL(`http://${host}/`), false))
    }
    let lastError: unknown
    for (const t of tries) {
      const r = await t
      if ('base' in r) return this.found(registry, r.base)
      lastError = r.error
      this.throwIfFinal(registry, r.error)
      // the forward proxy refused us: no other scheme mends that (plain http goes the same way or,
      // without an http proxy, to another answer that would hide the proxy's)
      if (proxyProblem(r.error)) break
    }
    throw this.noAnswer(registry, lastError)
  }

  /**
   * A loopback registry (docker treats them as insecure): plain http first, as most loopback
   * registries speak it, so no TLS is loaded or shaken hands for them (3–7 ms and a round trip per
   * registry). https follows when http fails, stays silent for the head start, or gets the `400` a
   * TLS server gives a plain-http request (Go's "Client sent an HTTP request to an HTTPS
   * server"); then a TLS verification or client-certificate failure is the answer, as before.
   */
  private async pingLoopback(registry: string, host: string, presumed?: PresumedTry): Promise<URL> {
    const http = presumed?.outcome ?? this.pingTry(registry, new URL(`http://${host}/`), false)
    const early = await within(http, this.headStart(presumed))
    if (early && 'base' in early) return this.found(registry, early.base)
    const plainAnswered = (e: unknown): boolean => e instanceof RegistryError && e.status !== 400
    if (early && (plainAnswered(early.error) || proxyProblem(early.error)))
      throw this.fail(registry, early.error)
    const https = await this.pingTry(registry, new URL(`https://${host}/`), true)
    if ('base' in https) return this.found(registry, https.base)
    this.throwIfFinal(registry, https.error)
    if (proxyProblem(https.error)) throw this.noAnswer(registry, https.error)
    // https got nowhere either: the plain-http outcome names the problem (what it answered, or
    // how it failed to), as when it was the last scheme tried
    const plain = early ?? (await http)
    if ('base' in plain) return this.found(registry, plain.base)
    throw this.fail(registry, plain.error)
  }

  /** The wait (ms) before the second scheme's try: none when a presumed request waited it out. */
  private headStart(presumed?: PresumedTry): number {
    return presumed?.headStartSpent ? 0 : plainHttpHeadStartMs(this.ctx.retry.timeoutMs)
  }

  private found(registry: string, base: URL): URL {
    this.warnInsecure(registry, base)
    return base
  }

  /** The error a ping ends with after `e`: the registry's own answer, or a network failure's text. */
  private fail(registry: string, e: unknown): Error {
    this.throwIfFinal(registry, e)
    return this.noAnswer(registry, e)
  }

  /** Throws what ends a ping whatever the other scheme says: an answer, or a TLS refusal. */
  private throwIfFinal(registry: string, e: unknown): void {
    if (e instanceof RegistryError) throw e
    // the server speaks TLS and wants a client certificate: no plain-http fallback
    if (e instanceof TlsClientCertificateError)
      throw new Error(`registry ${registry}: ${e.message}`, { cause: e })
    if (isTlsVerifyError(e)) {
      const code = errorCode(e)
      const message = `registry ${registry}: TLS certificate verification failed (${code})`
      const bare = bareInsecureEntries(this.ctx.insecure, registry)
      throw new TlsVerifyError(registry, registry, 'registry', code, message, { cause: e }, bare)
    }
  }

  /**
   * The error a ping ends with when no scheme answered: a registry that answered https in plain
   * text while plain http is not allowed for it says so (PlainHttpAnswerError); else the words of
   * noAnswerText.
   */
  private noAnswer(registry: string, e: unknown): Error {
    if (isPlainTextAnswer(e) && !this.allowsPlainHttp(registry))
      return new PlainHttpAnswerError(registry, bareInsecureEntries(this.ctx.insecure, registry), e as Error)
    return new Error(
      `registry ${registry}: ${noAnswerText(e, this.ctx.retry.timeoutMs, { peer: 'registry' })}`,
      { cause: e }
    )
  }

  /** One scheme's ping, settled: the base URL it found, or the error it ended with. */
  private pingTry(registry: string, base: URL, fallback: boolean): Promise<PingTry> {
    return this.pingOne(registry, base, fallback).then(
      found => ({ base: found }),
      (error: unknown) => ({ error })
    )
  }

  /**
   * Tells once per run (the ping's answer is kept) that `registry`, listed as insecure, is used
   * without TLS verification (https; http.ts createDispatcher skips it for listed hosts) or over
   * plain http: an InsecureHostEvent for the interface to phrase.
   */
  private warnInsecure(registry: string, base: URL): void {
    const listed = [...this.ctx.insecure].some(h => certificateHost(h) === certificateHost(registry))
    if (!listed) return
    const event: InsecureHostEvent = { registry, scheme: base.protocol === 'http:' ? 'http' : 'https' }
    if (this.ctx.onInsecureHost) this.ctx.onInsecureHost(event)
    else
      this.ctx.log.warning(
        `registry ${registry} is used ${event.scheme === 'http' ? 'over plain http, no TLS' : 'without verifying its TLS certificate'}`
      )
  }

  /** One scheme's ping; with a fallback scheme left, a network error moves on to it at once. */
  private async pingOne(registry: string, base: URL, fallback: boolean): Promise<URL> {
    const url = new URL('/v2/', base)
    const policy: RetryRules = { ...this.ctx.retry, errors: fallback ? 'none' : 'not-timeouts' }
    const { res, gaveUp } = await sendRetrying(
      this.ctx.http,
      this.ctx.env,
      { method: 'GET', url, headers: {} },
      policy
    )
    if (res.status === 200 || res.status === 401) {
      await res.body.dump()
      this.ctx.authenticator.setChallenge(
        registry,
        res.status === 401 ? res.headers['www-authenticate'] : undefined
      )
      return base
    }
    const text = await readText(res.body, undefined, this.ctx.retry.timeoutMs)
    throw new RegistryError(
      'GET',
      url.toString(),
      res.status,
      text,
      gaveUp || 'not an OCI distribution registry API'
    )
  }
}
