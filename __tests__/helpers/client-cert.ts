/**
 * TLS client certificates for tests, signed with `openssl` by the test CA of helpers/tls.ts (its
 * key `ca.key` lies in `pki.dir`), or by a CA of their own (a certificate the registry must refuse).
 */
import { execFileSync } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { TestPki } from './tls.js'

export interface TestClientCert {
  /** PEM certificate file */
  certFile: string
  /** PEM (PKCS#8, unencrypted) key file */
  keyFile: string
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] })
}

/**
 * Makes `NAME.pem` / `NAME.key` in `pki.dir`: an EC P-256 client certificate (extendedKeyUsage
 * clientAuth) signed by the test CA, or with `selfSigned` by nobody the registry trusts.
 */
export async function makeClientCert(
  pki: TestPki,
  name: string,
  selfSigned = false
): Promise<TestClientCert> {
  const dir = pki.dir
  const key = [
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    `${name}.key`
  ]
  const subj = ['-subj', `/CN=promote-image test client ${name}`]
  if (selfSigned) {
    openssl(['req', '-x509', ...key, '-out', `${name}.pem`, '-days', '2', ...subj], dir)
  } else {
    openssl(['req', ...key, '-out', `${name}.csr`, ...subj], dir)
    await writeFile(join(dir, `${name}.ext`), 'basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n')
    openssl(
      [
        'x509',
        '-req',
        '-in',
        `${name}.csr`,
        '-CA',
        'ca.pem',
        '-CAkey',
        'ca.key',
        '-CAcreateserial',
        '-out',
        `${name}.pem`,
        '-days',
        '2',
        '-extfile',
        `${name}.ext`
      ],
      dir
    )
  }
  return { certFile: join(dir, `${name}.pem`), keyFile: join(dir, `${name}.key`) }
}
