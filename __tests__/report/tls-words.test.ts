/**
 * report/tls-words.ts: the facts the registry stack reports about client certificates, phrased in
 * each interface's words (the CLI's flags, the action's inputs). Pure; the handshakes themselves
 * are in auth/client-cert.test.ts.
 */
import { describe, expect, it } from '@jest/globals'
import { TlsClientCertificateError, TlsVerifyError } from '../../src/registry/errors.js'
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

describe('a TLS failure on a registry whose host was listed insecure without its port', () => {
  const failed = (bare: string[]) =>
    new TlsVerifyError(
      '127.0.0.1:5106',
      '127.0.0.1:5106',
      'registry',
      'DEPTH_ZERO_SELF_SIGNED_CERT',
      'registry 127.0.0.1:5106: TLS certificate verification failed (DEPTH_ZERO_SELF_SIGNED_CERT)',
      { cause: new Error('self-signed certificate') },
      bare
    )
  it.each([
    [
      'CLI',
      OPTION_FLAGS,
      '--insecure 127.0.0.1 names no port; this registry is 127.0.0.1:5106: give --insecure 127.0.0.1:5106, or give the CA with --ca-file FILE or NODE_EXTRA_CA_CERTS'
    ],
    [
      'action',
      OPTION_INPUTS,
      'insecure-registries lists 127.0.0.1 with no port; this registry is 127.0.0.1:5106: list 127.0.0.1:5106 there, or give the CA with the ca-file input or NODE_EXTRA_CA_CERTS'
    ]
  ])('%s: the advice names the bare host and the registry with its port', (_, names, advice) => {
    expect(withTlsAdvice(failed(['127.0.0.1']), names).message).toBe(
      `registry 127.0.0.1:5106: TLS certificate verification failed (DEPTH_ZERO_SELF_SIGNED_CERT); ${advice}`
    )
  })
  it('none listed bare: the usual advice', () => {
    expect(withTlsAdvice(failed([]), OPTION_FLAGS).message).toBe(
      'registry 127.0.0.1:5106: TLS certificate verification failed (DEPTH_ZERO_SELF_SIGNED_CERT); give the CA with --ca-file FILE or NODE_EXTRA_CA_CERTS, or skip its verification with --insecure 127.0.0.1:5106'
    )
  })
})
