/**
 * insecure-registries / `--insecure HOST` mean what docker's insecure-registries means: that host
 * may use TLS without certificate verification (or plain http), with a warning each run; no other
 * host ever skips verification. The advice after a failed verification names the options of the
 * interface it is given in, and following it works. Real docker-registry instances with
 * self-signed certificates; the CLI run from source.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Agent, getGlobalDispatcher, setGlobalDispatcher } from 'undici'
import { Authenticator } from '../../src/auth/authenticator.js'
import { staticCredentials } from '../../src/auth/credentials.js'
import { OPTION_FLAGS } from '../../src/cli/args.js'
import { readInputs } from '../../src/inputs.js'
import { OPTION_INPUTS } from '../../src/options.js'
import { createRegistryClient } from '../../src/registry/factory.js'
import { tokenSendFailure } from '../../src/registry/token-sender.js'
import { insecureWarning, withTlsAdvice } from '../../src/report/tls-words.js'
import type { TagContext } from '../../src/tags/index.js'
import { runCliFromSource } from '../helpers/cli-source.js'
import { listTags, pushImage, randomBlob, type SeededImage } from '../helpers/images.js'
import { startRegistry, type TestRegistry } from '../helpers/registry.js'

/** A self-signed server certificate for IP 127.0.0.1 (its own CA), in `dir`. */
function selfSigned(dir: string, name: string): { cert: string; key: string } {
  const cert = join(dir, `${name}.pem`)
  const key = join(dir, `${name}.key`)
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '2',
      '-subj',
      `/CN=${name}`,
      '-addext',
      'subjectAltName=IP:127.0.0.1'
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] }
  )
  return { cert, key }
}

const cli = runCliFromSource

describe('insecure registries and TLS advice', () => {
  let dir: string
  let secure: { cert: string; key: string }
  let other: { cert: string; key: string }
  let tlsReg: TestRegistry
  let otherReg: TestRegistry
  let plain: TestRegistry
  let image: SeededImage

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pi-insecure-'))
    secure = selfSigned(dir, 'secure')
    other = selfSigned(dir, 'other')
    ;[tlsReg, otherReg, plain] = await Promise.all([
      startRegistry({ tls: { certificate: secure.cert, key: secure.key } }),
      startRegistry({ tls: { certificate: other.cert, key: other.key } }),
      startRegistry()
    ])
    const previous = getGlobalDispatcher()
    const seeding = new Agent({ connect: { ca: await readFile(secure.cert) } })
    setGlobalDispatcher(seeding)
    try {
      image = await pushImage(tlsReg.url, 'team/app', [randomBlob(30_000)], { tag: 'v1' })
    } finally {
      setGlobalDispatcher(previous)
      await seeding.close()
    }
  })
  afterAll(async () => {
    await Promise.all([tlsReg?.stop(), otherReg?.stop(), plain?.stop()])
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  const warning = (host: string) =>
    `warning: registry ${host} is listed with --insecure: its TLS certificate is not verified`

  it('CLI: an unlisted self-signed registry fails with advice in flags; each piece of advice, followed, works', async () => {
    const src = `${tlsReg.host}/team/app:v1`
    const failed = await cli(['copy', src, `${plain.host}/a/b:v1`])
    expect(failed.status).toBe(1)
    expect(failed.stdout).toBe('')
    expect(failed.stderr.trim().split('\n').at(-1)).toBe(
      `promote-image: registry ${tlsReg.host}: TLS certificate verification failed (DEPTH_ZERO_SELF_SIGNED_CERT); give the CA with --ca-file FILE or NODE_EXTRA_CA_CERTS, or skip its verification with --insecure ${tlsReg.host}`
    )
    expect(failed.stderr).not.toContain('warning:')

    // --insecure HOST: works, and warns once, naming the host
    const insecure = await cli(['copy', '--insecure', tlsReg.host, src, `${plain.host}/a/insecure:v1`])
    expect(insecure.status).toBe(0)
    expect(insecure.stdout).toBe(`${image.digest}\n`)
    expect(insecure.stderr.split('\n').filter(l => l.startsWith('warning:'))).toEqual([warning(tlsReg.host)])
    expect(await listTags(plain.url, 'a/insecure')).toEqual(['v1'])

    // --ca-file FILE: works, verified, no warning
    const ca = await cli(['copy', '--ca-file', secure.cert, src, `${plain.host}/a/ca:v1`])
    expect(ca.status).toBe(0)
    expect(ca.stdout).toBe(`${image.digest}\n`)
    expect(ca.stderr).not.toContain('warning:')

    // NODE_EXTRA_CA_CERTS: works too
    const extra = await cli(['copy', src, `${plain.host}/a/extra:v1`], { NODE_EXTRA_CA_CERTS: secure.cert })
    expect(extra.status).toBe(0)
    expect(extra.stdout).toBe(`${image.digest}\n`)
  }, 60_000)

  it('CLI: a listed host does not lift verification for any other host', async () => {
    const r = await cli([
      'copy',
      '--insecure',
      tlsReg.host,
      `${tlsReg.host}/team/app:v1`,
      `${otherReg.host}/a/b:v1`
    ])
    expect(r.status).toBe(1)
    expect(r.stderr.trim().split('\n').at(-1)).toBe(
      `promote-image: registry ${otherReg.host}: TLS certificate verification failed (DEPTH_ZERO_SELF_SIGNED_CERT); give the CA with --ca-file FILE or NODE_EXTRA_CA_CERTS, or skip its verification with --insecure ${otherReg.host}`
    )
    // both listed: the copy to the second self-signed registry works, each host named once
    const both = await cli([
      'copy',
      '--insecure',
      tlsReg.host,
      '--insecure',
      otherReg.host,
      `${tlsReg.host}/team/app:v1`,
      `${otherReg.host}/a/b:v1`
    ])
    expect(both.status).toBe(0)
    expect(both.stderr.split('\n').filter(l => l.startsWith('warning:'))).toEqual([
      warning(tlsReg.host),
      warning(otherReg.host)
    ])
  }, 60_000)

  it('CLI: --insecure HOST without the port covers no other port (as docker), and the advice says so', async () => {
    const bare = tlsReg.host.replace(/:\d+$/, '')
    const r = await cli(['ls', '--insecure', bare, `${tlsReg.host}/team/app`])
    expect(r.status).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr.trim().split('\n').at(-1)).toBe(
      `promote-image: registry ${tlsReg.host}: TLS certificate verification failed (DEPTH_ZERO_SELF_SIGNED_CERT); --insecure ${bare} names no port; this registry is ${tlsReg.host}: give --insecure ${tlsReg.host}, or give the CA with --ca-file FILE or NODE_EXTRA_CA_CERTS`
    )
    expect(r.stderr).not.toContain('warning:')
    // followed, it works
    const fixed = await cli(['ls', '--insecure', tlsReg.host, `${tlsReg.host}/team/app`])
    expect(fixed.status).toBe(0)
    expect(fixed.stdout).toBe('v1\n')
  }, 60_000)

  it('CLI: a --ca-file without a PEM certificate is a usage error (exit 2) naming the flag and the file', async () => {
    const notPem = join(dir, 'not-a-cert.txt')
    await writeFile(notPem, 'hello\n')
    const r = await cli(['copy', '--ca-file', notPem, `${tlsReg.host}/team/app:v1`, `${plain.host}/a/b:v1`])
    expect(r.status).toBe(2)
    expect(r.stderr).toBe(
      `promote-image: --ca-file "${notPem}": holds no PEM certificate (-----BEGIN CERTIFICATE-----)\n(promote-image --help shows the usage)\n`
    )
    const broken = join(dir, 'broken.pem')
    await writeFile(broken, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n')
    const r2 = await cli(['inspect', '--ca-file', broken, `${tlsReg.host}/team/app:v1`])
    expect(r2.status).toBe(2)
    expect(r2.stderr.split('\n')[0]).toBe(
      `promote-image: --ca-file "${broken}": certificate 1 of 1 is not a valid PEM certificate`
    )
  }, 30_000)

  it('action: a ca-file without a PEM certificate is refused naming the input', async () => {
    const notPem = join(dir, 'key-only.pem')
    await writeFile(notPem, await readFile(secure.key))
    const ctx = () => ({ eventName: 'push', ref: 'refs/heads/main', sha: 'a'.repeat(40) }) as TagContext
    expect(() =>
      readInputs(name => ({ source: 'ghcr.io/o/a:1', 'ca-file': notPem })[name] ?? '', ctx)
    ).toThrow(
      new Error(`input "ca-file": "${notPem}" holds no PEM certificate (-----BEGIN CERTIFICATE-----)`)
    )
  })

  it("engine (the action's words): a listed host is used without verification and named in a warning, once", async () => {
    const warnings: string[] = []
    const client = createRegistryClient({
      insecureRegistries: [tlsReg.host],
      logger: { debug() {}, info() {}, warning: m => void warnings.push(m) },
      onInsecureHost: event => warnings.push(insecureWarning(OPTION_INPUTS, event))
    })
    const repo = { registry: tlsReg.host, repository: 'team/app' }
    expect((await client.headManifest(repo, 'v1'))?.digest).toBe(image.digest)
    expect((await client.getManifest(repo, 'v1'))?.digest).toBe(image.digest)
    await client.close()
    expect(warnings).toEqual([
      `registry ${tlsReg.host} is listed in insecure-registries: its TLS certificate is not verified`
    ])
    // the plain-http ping first (a loopback host; this TLS server answers it 400), then https
    // answered the ping, the HEAD and the GET
    expect(client.transport.stats.requests).toBe(4)
  })

  it('engine: a listed host that answers over plain http is named in the warning as such', async () => {
    const warnings: string[] = []
    const client = createRegistryClient({
      insecureRegistries: [plain.host],
      logger: { debug() {}, info() {}, warning: m => void warnings.push(m) },
      onInsecureHost: event => warnings.push(insecureWarning(OPTION_FLAGS, event))
    })
    expect(await client.headManifest({ registry: plain.host, repository: 'none/here' }, 'v1')).toBeUndefined()
    await client.close()
    expect(warnings).toEqual([`registry ${plain.host} is listed with --insecure: plain http, no TLS`])
  })

  it.each([
    [OPTION_FLAGS, 'give the CA with --ca-file FILE or NODE_EXTRA_CA_CERTS'],
    [undefined, 'give the CA with the ca-file input or NODE_EXTRA_CA_CERTS']
  ])('a token server that fails verification: the advice in the words of %j', async (optionNames, advice) => {
    const code = 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'
    const a = new Authenticator({
      credentials: staticCredentials({}),
      send: async req => {
        throw tokenSendFailure(
          req,
          new Error('tls', { cause: Object.assign(new Error(code), { code }) }),
          1000
        )
      }
    })
    a.setChallenge('r.test', 'Bearer realm="https://auth.r.test/token",service="r.test"')
    const e = await a
      .authorization('r.test', [{ repository: 'a/b', actions: ['pull'] }])
      .catch((x: Error) => x)
    // the engine gives the facts; the words of the interface come from the edge (report/tls-words.ts)
    expect(withTlsAdvice(e as Error, optionNames ?? OPTION_INPUTS).message).toBe(
      `registry r.test: TLS certificate verification failed for the token server https://auth.r.test (${code}); ${advice}`
    )
  })
})
