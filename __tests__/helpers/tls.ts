/**
 * Test PKI made with `openssl` at test time in a temporary directory: a CA, a server certificate
 * for 127.0.0.1 (IP SAN) signed by it, and a self-signed RSA certificate for signing registry
 * tokens (distribution's `rootcertbundle`). Nothing is committed; remove `dir` when done.
 */
import { execFileSync } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface TestPki {
  dir: string
  /** CA certificate (PEM file) that signed the server certificate */
  caFile: string
  /** server certificate (PEM file) for 127.0.0.1, and its key */
  serverCert: string
  serverKey: string
  /** self-signed token-signing certificate (PEM file; the registry's rootcertbundle) and its PKCS#8 key */
  signingCert: string
  signingKey: string
  /** the signing certificate as base64 DER, for a JWT `x5c` header */
  signingCertDer: string
  /** the signing key PEM */
  signingKeyPem: string
  remove(): Promise<void>
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] })
}

/** Creates the PKI (takes well under a second). */
export async function makeTestPki(): Promise<TestPki> {
  const dir = await mkdtemp(join(tmpdir(), 'pi-pki-'))
  const days = ['-days', '2']
  openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
      ...days,
      '-subj',
      '/CN=promote-image test CA',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign'
    ],
    dir
  )
  openssl(
    [
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'server.key',
      '-out',
      'server.csr',
      '-subj',
      '/CN=127.0.0.1'
    ],
    dir
  )
  await writeFile(
    join(dir, 'server.ext'),
    'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n'
  )
  openssl(
    [
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'server.pem',
      ...days,
      '-extfile',
      'server.ext'
    ],
    dir
  )
  openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'signing.key',
      '-out',
      'signing.pem',
      ...days,
      '-subj',
      '/CN=promote-image test token signer'
    ],
    dir
  )
  const signingPem = await readFile(join(dir, 'signing.pem'), 'utf8')
  const signingCertDer = signingPem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '')
  return {
    dir,
    caFile: join(dir, 'ca.pem'),
    serverCert: join(dir, 'server.pem'),
    serverKey: join(dir, 'server.key'),
    signingCert: join(dir, 'signing.pem'),
    signingKey: join(dir, 'signing.key'),
    signingCertDer,
    signingKeyPem: await readFile(join(dir, 'signing.key'), 'utf8'),
    remove: () => rm(dir, { recursive: true, force: true })
  }
}
