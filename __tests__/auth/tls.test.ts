import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { Agent, getGlobalDispatcher, setGlobalDispatcher } from 'undici'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { staticCredentials } from '../../src/auth/credentials.js'
import { OPTION_INPUTS } from '../../src/options.js'
import { createRegistryClient } from '../../src/registry/factory.js'
import { withTlsAdvice } from '../../src/report/tls-words.js'
import { writeHtpasswd } from '../helpers/htpasswd.js'
import { pushImage, randomBlob, type SeededImage } from '../helpers/images.js'
import { startRegistry, type TestRegistry } from '../helpers/registry.js'
import { makeTestPki, type TestPki } from '../helpers/tls.js'

const USER = { user: 'tls-user', password: 'tls-Pass-6f3b19' }

describe('TLS registry with a test CA (server certificate for IP 127.0.0.1)', () => {
  let pki: TestPki
  let dir: string
  let reg: TestRegistry
  let image: SeededImage

  beforeAll(async () => {
    pki = await makeTestPki()
    dir = await mkdtemp(join(tmpdir(), 'pi-tls-'))
    const htpasswd = await writeHtpasswd(dir, { [USER.user]: USER.password })
    reg = await startRegistry({
      tls: { certificate: pki.serverCert, key: pki.serverKey },
      htpasswdFile: htpasswd
    })
    const auth = `Basic ${Buffer.from(`${USER.user}:${USER.password}`).toString('base64')}`
    // images.ts uses the global dispatcher: seed with a process-wide CA for the duration of the push
    const previous = getGlobalDispatcher()
    const seeding = new Agent({ connect: { ca: await readFile(pki.caFile) } })
    setGlobalDispatcher(seeding)
    try {
      image = await pushImage(reg.url, 'team/app', [randomBlob(40_000)], {
        tag: 'v1',
        headers: { authorization: auth }
      })
    } finally {
      setGlobalDispatcher(previous)
      await seeding.close()
    }
  })
  afterAll(async () => {
    await reg?.stop()
    await pki?.remove()
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  it('verifies the server with the CA given as caFile (Basic credentials over https)', async () => {
    const client = createRegistryClient({
      caFile: pki.caFile,
      credentials: staticCredentials({ [reg.host]: { username: USER.user, password: USER.password } })
    })
    const d = await client.headManifest({ registry: reg.host, repository: 'team/app' }, 'v1')
    expect(d?.digest).toBe(image.digest)
    // a loopback host's first request goes over plain http: this TLS server answers it 400, then
    // the https ping and the HEAD (no credentials went over plain http: no challenge was known yet)
    expect(client.transport.stats.requests).toBe(3)
    await client.close()
  })

  it('refuses the server without the CA, with the transport message, and never falls back to http', async () => {
    const client = createRegistryClient({
      credentials: staticCredentials({ [reg.host]: { username: USER.user, password: USER.password } })
    })
    // the engine gives the facts (TlsVerifyError); the action's words come from the edge (report/tls-words.ts)
    const head = client.headManifest({ registry: reg.host, repository: 'team/app' }, 'v1')
    await expect(head.catch(e => Promise.reject(withTlsAdvice(e, OPTION_INPUTS)))).rejects.toThrow(
      `registry ${reg.host}: TLS certificate verification failed (UNABLE_TO_VERIFY_LEAF_SIGNATURE); give the CA with the ca-file input or NODE_EXTRA_CA_CERTS, or list the host in insecure-registries`
    )
    // the HEAD over plain http (answered 400 by this TLS server) and the https ping that failed verification
    expect(client.transport.stats.requests).toBe(2)
    await client.close()
  })

  it('refuses a CA that did not sign the server certificate', async () => {
    const client = createRegistryClient({ caFile: pki.signingCert })
    await expect(client.headManifest({ registry: reg.host, repository: 'team/app' }, 'v1')).rejects.toThrow(
      `registry ${reg.host}: TLS certificate verification failed (UNABLE_TO_VERIFY_LEAF_SIGNATURE)`
    )
    await client.close()
  })

  // NODE_EXTRA_CA_CERTS is read once when Node starts, so these run in a child process
  const child = async (env: Record<string, string>, caFile?: string): Promise<string> => {
    const script = join(dir, 'head.mts')
    await writeFile(
      script,
      [
        `import { createRegistryClient } from ${JSON.stringify(resolve('src/registry/factory.ts'))}`,
        `import { staticCredentials } from ${JSON.stringify(resolve('src/auth/credentials.ts'))}`,
        `import { OPTION_INPUTS } from ${JSON.stringify(resolve('src/options.ts'))}`,
        `import { withTlsAdvice } from ${JSON.stringify(resolve('src/report/tls-words.ts'))}`,
        `const client = createRegistryClient({ caFile: process.env.PI_CA_FILE || undefined,`,
        `  credentials: staticCredentials({ [process.env.PI_HOST]: { username: process.env.PI_USER, password: process.env.PI_PASS } }) })`,
        `try { const d = await client.headManifest({ registry: process.env.PI_HOST, repository: 'team/app' }, 'v1'); console.log(d.digest) }`,
        `catch (e) { console.log(withTlsAdvice(e, OPTION_INPUTS).message) } finally { await client.close() }`
      ].join('\n')
    )
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: dir,
        PI_HOST: reg.host,
        PI_USER: USER.user,
        PI_PASS: USER.password,
        PI_CA_FILE: caFile ?? '',
        ...env
      },
      cwd: resolve('.')
    })
    return stdout.trim()
  }

  it('trusts the CA from NODE_EXTRA_CA_CERTS', async () => {
    expect(await child({ NODE_EXTRA_CA_CERTS: pki.caFile })).toBe(image.digest)
  })

  it('keeps NODE_EXTRA_CA_CERTS when a caFile is given too (the explicit CA list replaces the default store)', async () => {
    expect(await child({ NODE_EXTRA_CA_CERTS: pki.caFile }, pki.signingCert)).toBe(image.digest)
    expect(await child({}, pki.signingCert)).toBe(
      `registry ${reg.host}: TLS certificate verification failed (UNABLE_TO_VERIFY_LEAF_SIGNATURE); give the CA with the ca-file input or NODE_EXTRA_CA_CERTS, or list the host in insecure-registries`
    )
  })
})
