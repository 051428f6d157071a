/**
 * report/tls-words.ts: the facts the registry stack reports about client certificates, phrased in
 * each interface's words (the CLI's flags, the action's inputs). Pure; the handshakes themselves
 * are in auth/client-cert.test.ts.
 */
import { describe, expect, it } from '@jest/globals'
import { TlsClientCertificateError } from '../../src/registry/errors.js'
import { OPTION_FLAGS, OPTION_INPUTS } from '../../src/options.js'
import { clientCertAdvice, withTlsAdvice } from '../../src/report/tls-words.js'

const HOST = 'reg.example:5443'
const alert = (): Error & { code: string } =>
  Object.assign(new Error('alert'), { code: 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED' })

describe('client certificates: the stack says what happened, the interface what to set', () => {
  it.each([
    [
      false,
      'the TLS server at reg.example:5443 asks for a client certificate (ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED)'
    ],
    [
      true,
      'the TLS server at reg.example:5443 refused the client certificate given for it (ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED)'
    ]
  ])('certificate sent: %s → the stack names no option', (sent, message) => {
    const e = new TlsClientCertificateError(HOST, sent, alert())
    expect(e.message).toBe(message)
    expect(e.message).not.toMatch(/client-cert|client-key/)
  })

  it.each([
    [
      'CLI',
      OPTION_FLAGS,
      false,
      'give one with --client-cert reg.example:5443=CERT_FILE and --client-key reg.example:5443=KEY_FILE'
    ],
    [
      'CLI',
      OPTION_FLAGS,
      true,
      'check that --client-cert names a certificate it trusts, with its key (--client-key)'
    ],
    [
      'action',
      OPTION_INPUTS,
      false,
      'give one in the client-cert and client-key inputs: reg.example:5443=CERT_FILE and reg.example:5443=KEY_FILE'
    ],
    [
      'action',
      OPTION_INPUTS,
      true,
      'check that the client-cert input names a certificate it trusts, with its key (client-key)'
    ]
  ])('%s, certificate sent: %s', (_, names, sent, advice) => {
    expect(clientCertAdvice(names, HOST, sent)).toBe(advice)
    // wherever an enclosing message quotes the error (the ping's `registry HOST: …`), once
    const inner = new TlsClientCertificateError(HOST, sent, alert())
    const outer = new Error(`registry ${HOST}: ${inner.message}`, { cause: inner })
    expect(withTlsAdvice(withTlsAdvice(outer, names), names).message).toBe(
      `registry ${HOST}: ${inner.message}; ${advice}`
    )
    // the error itself, phrased twice (the CLI's copy --json output, then its last line): once
    const alone = new TlsClientCertificateError(HOST, sent, alert())
    const facts = alone.message
    expect(withTlsAdvice(withTlsAdvice(alone, names), names).message).toBe(`${facts}; ${advice}`)
  })
})
