/**
 * TLS client certificates per registry host: the shape, and the host key they are matched on.
 * Pure, without undici, so the option checks (src/options.ts) can use it at start-up.
 */
import { apiHost, hostOf } from '../reference/hosts.js'

/** A TLS client certificate for one registry: PEM files, read when the dispatcher is made. */
export interface ClientCertificate {
  /** `host` or `host:port` as in image references (`:443` and case do not matter) */
  host: string
  /** PEM certificate (chain) file */
  certFile: string
  /** PEM private key file (unencrypted); its content is a secret and is never logged */
  keyFile: string
}

/**
 * The key a client certificate is matched on against a request origin's `host`: lower-case,
 * `:443` dropped, Docker Hub's aliases → its API host (`Reg.Example:443` → `reg.example`).
 */
export function certificateHost(host: string): string {
  return apiHost(new URL(`https://${hostOf(host)}`).host)
}
