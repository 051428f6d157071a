/**
 * One rule, one wording, in both interfaces: each bad option value is refused by the CLI's argv
 * parser and by the action's readInputs with the same rule, naming the option as each interface
 * spells it (`--moving-tag "Bad!": …`, `input "moving-tags": "Bad!" …`).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { parseCommandLine } from '../src/cli/args.js'
import { readInputs } from '../src/inputs.js'
import {
  checkVerificationRequired,
  OPTION_INPUTS,
  OptionError,
  parseOptions,
  type OptionNames,
  type RawOptions
} from '../src/options.js'
import type { TagContext } from '../src/tags/index.js'
import { makeClientCert, type TestClientCert } from './helpers/client-cert.js'
import { TEST_CA_PEM } from './helpers/pem.js'
import { makeTestPki, type TestPki } from './helpers/tls.js'

const TAG_RULE = 'a tag is 1 to 128 characters from [A-Za-z0-9_.-] and must not start with "." or "-"'
const KINDS = 'dockerhub, ghcr, ecr, ecr-public, gar, gcr, acr, quay, harbor, generic'
const HOST_RULE = 'must be a host or host:port, without scheme or path (e.g. registry.internal:5000)'
const SECONDS_RULE = 'must be a whole number of seconds from 1 to 3600'
const ctx = () => ({ eventName: 'push', ref: 'refs/heads/main', sha: 'a'.repeat(40) }) as TagContext

describe('each option check, through the CLI and through the action', () => {
  it.each<[string, string, string, string]>([
    ['--tag-policy', 'tag-policy', 'sometimes', 'must be immutable or overwrite'],
    ['--moving-tag', 'moving-tags', 'Bad!', `not a valid tag (${TAG_RULE})`],
    ['--moving-tag', 'moving-tags', '.hidden', `not a valid tag (${TAG_RULE})`],
    ['--upload-mode', 'upload-mode', 'fast', 'must be monolithic or chunked'],
    ['--concurrency', 'concurrency', '0', 'must be a whole number from 1 to 64'],
    ['--concurrency', 'concurrency', '1.5', 'must be a whole number from 1 to 64'],
    ['--timeout', 'request-timeout', '0', SECONDS_RULE],
    ['--timeout', 'request-timeout', '0.001', SECONDS_RULE],
    ['--timeout', 'request-timeout', '0.5', SECONDS_RULE],
    ['--timeout', 'request-timeout', '1.5', SECONDS_RULE],
    ['--timeout', 'request-timeout', '3601', SECONDS_RULE],
    ['--timeout', 'request-timeout', '-1', SECONDS_RULE],
    ['--timeout', 'request-timeout', 'soon', SECONDS_RULE],
    ['--ca-file', 'ca-file', '/nonexistent/ca.pem', 'no such file'],
    ['--insecure', 'insecure-registries', 'http://reg.internal:5000', HOST_RULE],
    [
      '--registry-kind',
      'registry-kinds',
      'reg.example.com=nexus',
      `must be HOST=KIND with KIND one of ${KINDS}`
    ],
    ['--registry-kind', 'registry-kinds', '=harbor', `must be HOST=KIND with KIND one of ${KINDS}`]
  ])('%s / input %s: %j', (flag, input, value, rule) => {
    expect(parseCommandLine(['tags', `${flag}=${value}`], { fileExists: () => false })).toEqual({
      command: 'usage-error',
      message: `${flag} "${value}": ${rule}`
    })
    expect(() => readInputs(name => ({ source: 'ghcr.io/o/a:1', [input]: value })[name] ?? '', ctx)).toThrow(
      new Error(`input "${input}": "${value}" ${rule}`)
    )
  })
})

it('--insecure=HOST/PATH reads as an image reference in the CLI (bbfc2ea); the action input keeps the host rule', () => {
  expect(parseCommandLine(['tags', '--insecure=reg.internal:5000/v2'], { fileExists: () => false })).toEqual({
    command: 'usage-error',
    message:
      '--insecure takes a registry HOST[:PORT], not the image reference "reg.internal:5000/v2" (for its registry: --insecure reg.internal:5000)'
  })
  expect(() =>
    readInputs(
      name => ({ source: 'ghcr.io/o/a:1', 'insecure-registries': 'reg.internal:5000/v2' })[name] ?? '',
      ctx
    )
  ).toThrow(new Error(`input "insecure-registries": "reg.internal:5000/v2" ${HOST_RULE}`))
})

describe('moving tags: none (newuser finding 35)', () => {
  it('none empties the moving tags in the CLI, the action and a promotion file; with other tags it is refused', () => {
    const cmd = parseCommandLine(['copy', '--moving-tag', 'none', 'a.io/x/y:1', 'b.io/x/y:1'], {
      fileExists: () => false
    }) as { options: { movingTags: string[] } }
    expect(cmd.options.movingTags).toEqual([])
    const read = (values: Record<string, string>) =>
      readInputs(name => ({ source: 'ghcr.io/o/a:1', ...values })[name] ?? '', ctx)
    expect(read({ 'moving-tags': 'none' }).options.movingTags).toEqual([])
    // an empty input is the default (the runner gives action.yml's default for an omitted input)
    expect(read({ 'moving-tags': '' }).options.movingTags).toEqual(['latest', 'edge'])
    expect(() => read({ 'moving-tags': 'none,latest' })).toThrow(
      new Error(
        'input "moving-tags": "none,latest" none (no tag may move) stands alone; give it without other tags'
      )
    )
    expect(
      parseCommandLine(['copy', '--moving-tag', 'none', '--moving-tag', 'v1', 'a.io/x/y:1', 'b.io/x/y:1'], {
        fileExists: () => false
      })
    ).toEqual({
      command: 'usage-error',
      message: '--moving-tag "none,v1": none (no tag may move) stands alone; give it without other tags'
    })
  })
})

describe('parseOptions', () => {
  const names: OptionNames = {
    tagPolicy: 'p',
    movingTags: 'm',
    uploadMode: 'u',
    concurrency: 'c',
    timeout: 't',
    caFile: 'f',
    insecureRegistries: 'i',
    registryKinds: 'k',
    clientCerts: 'cc',
    clientKeys: 'ck',
    requestBudgets: 'rb'
  }
  it('gives the defaults when nothing is given, and parses every option', () => {
    expect(parseOptions({}, names, () => false)).toEqual({
      registryKinds: {},
      tagPolicy: 'immutable',
      movingTags: ['latest', 'edge'],
      uploadMode: 'monolithic',
      concurrency: undefined,
      timeoutMs: undefined,
      caFile: undefined,
      insecureRegistries: []
    })
    expect(
      parseOptions(
        {
          tagPolicy: 'overwrite',
          movingTags: ['stable'],
          uploadMode: 'chunked',
          concurrency: '64',
          timeout: '3600',
          caFile: '/ca.pem',
          insecureRegistries: ['[::1]:5000', 'localhost', 'Reg.Example.com:443'],
          registryKinds: [' Reg.Example.com = Harbor ']
        },
        names,
        p => p === '/ca.pem',
        () => TEST_CA_PEM
      )
    ).toEqual({
      registryKinds: { 'reg.example.com': 'harbor' },
      tagPolicy: 'overwrite',
      movingTags: ['stable'],
      uploadMode: 'chunked',
      concurrency: 64,
      timeoutMs: 3_600_000,
      caFile: '/ca.pem',
      insecureRegistries: ['[::1]:5000', 'localhost', 'Reg.Example.com:443']
    })
  })
})

describe('client certificates (--client-cert / --client-key, inputs client-cert / client-key)', () => {
  let pki: TestPki
  let good: TestClientCert
  let other: TestClientCert
  let encryptedKey: string
  beforeAll(async () => {
    pki = await makeTestPki()
    good = await makeClientCert(pki, 'good')
    other = await makeClientCert(pki, 'other', true)
    encryptedKey = join(pki.dir, 'encrypted.key')
    execFileSync('openssl', [
      'pkey',
      '-in',
      good.keyFile,
      '-aes256',
      '-passout',
      'pass:x',
      '-out',
      encryptedKey
    ])
  })
  afterAll(async () => {
    await pki?.remove()
  })

  type Names = { cert: string; key: string }
  const cli: Names = { cert: '--client-cert', key: '--client-key' }
  const action: Names = { cert: 'client-cert', key: 'client-key' }
  /** both interfaces refuse the same entries with the same rule, naming the option as each spells it */
  function refusedBoth(
    certs: () => string[],
    keys: () => string[],
    at: (n: Names) => [option: string, value: string, rule: string]
  ): void {
    const argv = ['tags', ...certs().map(c => `--client-cert=${c}`), ...keys().map(k => `--client-key=${k}`)]
    const [flag, value, rule] = at(cli)
    expect(parseCommandLine(argv, { fileExists: existsSync })).toEqual({
      command: 'usage-error',
      message: `${flag} "${value}": ${rule}`
    })
    const [input, value2, rule2] = at(action)
    const get = (name: string) =>
      ({ source: 'ghcr.io/o/a:1', 'client-cert': certs().join('\n'), 'client-key': keys().join('\n') })[
        name
      ] ?? ''
    expect(() => readInputs(get, ctx)).toThrow(new Error(`input "${input}": "${value2}" ${rule2}`))
  }

  it('needs HOST=FILE with a host[:port]', () => {
    refusedBoth(
      () => ['reg.example'],
      () => [],
      n => [n.cert, 'reg.example', 'must be HOST=CERT_FILE']
    )
    refusedBoth(
      () => [`https://reg.example=${good.certFile}`],
      () => [`reg.example=${good.keyFile}`],
      n => [n.cert, `https://reg.example=${good.certFile}`, `HOST ${HOST_RULE}`]
    )
    refusedBoth(
      () => [`reg.example=${good.certFile}`],
      () => ['reg.example='],
      n => [n.key, 'reg.example=', 'must be HOST=KEY_FILE']
    )
  })

  it('pairs every certificate with a key for the same host, once per registry', () => {
    refusedBoth(
      () => [`reg.example=${good.certFile}`],
      () => [],
      n => [n.cert, `reg.example=${good.certFile}`, `needs a ${n.key} for reg.example`]
    )
    refusedBoth(
      () => [`reg.example=${good.certFile}`],
      () => [`reg.example=${good.keyFile}`, `other.example:5000=${good.keyFile}`],
      n => [n.key, `other.example:5000=${good.keyFile}`, `needs a ${n.cert} for other.example:5000`]
    )
    refusedBoth(
      () => [`reg.example=${good.certFile}`, `REG.example:443=${good.certFile}`],
      () => [`reg.example=${good.keyFile}`],
      n => [
        n.cert,
        `REG.example:443=${good.certFile}`,
        `names the same registry as "reg.example=${good.certFile}"`
      ]
    )
  })

  it('checks the files: they exist, a PEM certificate, an unencrypted PEM key that matches it', () => {
    refusedBoth(
      () => ['reg.example=/nonexistent/client.pem'],
      () => [`reg.example=${good.keyFile}`],
      n => [n.cert, 'reg.example=/nonexistent/client.pem', 'no such file']
    )
    refusedBoth(
      () => [`reg.example=${good.keyFile}`],
      () => [`reg.example=${good.keyFile}`],
      n => [n.cert, `reg.example=${good.keyFile}`, 'not a PEM certificate']
    )
    refusedBoth(
      () => [`reg.example=${good.certFile}`],
      () => [`reg.example=${good.certFile}`],
      n => [n.key, `reg.example=${good.certFile}`, 'not a PEM private key']
    )
    refusedBoth(
      () => [`reg.example=${good.certFile}`],
      () => [`reg.example=${encryptedKey}`],
      n => [
        n.key,
        `reg.example=${encryptedKey}`,
        'an encrypted private key: give it unencrypted (no passphrase is asked for)'
      ]
    )
    refusedBoth(
      () => [`reg.example=${good.certFile}`],
      () => [`reg.example=${other.keyFile}`],
      n => [
        n.key,
        `reg.example=${other.keyFile}`,
        `does not match the certificate of ${n.cert} for reg.example`
      ]
    )
  })

  it('gives each certificate under the host it is matched on (lower-case, :443 dropped, Docker Hub API host)', () => {
    const options = parseOptions(
      {
        clientCerts: [`Reg.Example:5000=${good.certFile}`, `docker.io=${other.certFile}`],
        clientKeys: [`reg.example:5000=${good.keyFile}`, `index.docker.io:443=${other.keyFile}`]
      },
      { clientCerts: cli.cert, clientKeys: cli.key } as OptionNames
    )
    expect(options.clientCertificates).toEqual([
      { host: 'reg.example:5000', certFile: good.certFile, keyFile: good.keyFile },
      { host: 'registry-1.docker.io', certFile: other.certFile, keyFile: other.keyFile }
    ])
    const inputs = readInputs(
      name =>
        ({
          source: 'ghcr.io/o/a:1',
          'client-cert': `reg.example:5000=${good.certFile}\n`,
          'client-key': `# the key\nreg.example:5000=${good.keyFile}`
        })[name] ?? '',
      ctx
    )
    expect(inputs.options.clientCertificates).toEqual([
      { host: 'reg.example:5000', certFile: good.certFile, keyFile: good.keyFile }
    ])
  })
})

describe('checkVerificationRequired (require-verification)', () => {
  const names = OPTION_INPUTS
  const give =
    'give verify-key, certificate-identity or certificate-identity-regexp with certificate-oidc-issuer, or policy'
  const unset = '(a value from a secret or variable that is not set is empty, and gives none)'
  const parsed = (raw: RawOptions) => parseOptions(raw, names, () => true)
  const check = (raw: RawOptions, file?: Parameters<typeof checkVerificationRequired>[2]) => () =>
    checkVerificationRequired(parsed(raw), names, file)

  it.each<[string, RawOptions]>([
    ['not asked', {}],
    ['asked off', { requireVerification: 'false' }],
    ['a key', { requireVerification: 'true', verifyKey: ['cosign.pub'] }],
    [
      'an identity',
      { requireVerification: true, certificateIdentity: 'me', certificateOidcIssuer: 'https://issuer' }
    ],
    [
      'a pattern',
      { requireVerification: true, certificateIdentityRegexp: '^me$', certificateOidcIssuer: 'https://i' }
    ],
    ['a policy', { requireVerification: true, policy: 'policy.yaml' }]
  ])('%s: passes', (_, raw) => {
    expect(check(raw)).not.toThrow()
  })

  it.each<[string, RawOptions]>([
    ['nothing', { requireVerification: 'true' }],
    ['a trusted root alone', { requireVerification: 'true', trustedRoot: 'root.json' }],
    ['a signing key alone', { requireVerification: 'true', signKey: 'cosign.key' }]
  ])('%s: refused naming the option and what to give', (_, raw) => {
    expect(check(raw)).toThrow(
      new OptionError(
        'require-verification',
        'true',
        `needs something to verify, and none was given: ${give} ${unset}`
      )
    )
  })

  it('a promotion file: the options, or else each image, must give something; the others are named', () => {
    const images = [
      { index: 0, name: 'app', proof: { verifyKey: ['cosign.pub'] } },
      { index: 1, name: 'tool' },
      { index: 2, name: 'db', proof: { signKey: 'k' } }
    ]
    expect(check({ requireVerification: 'true' }, { path: 'f.yaml', images })).toThrow(
      new OptionError(
        'require-verification',
        'true',
        // the file gives keys of its own, so an input would be refused: only the file's way out (newuser4 #8)
        `needs something to verify for images[1] (name "tool"), images[2] (name "db") of f.yaml, and none was given: add verify-key, certificate-identity or certificate-identity-regexp with certificate-oidc-issuer, or policy to each of them in f.yaml, or under defaults for every image (an image's own keys win; paths are relative to the file). The input verify-key and the like cannot be added: images[0] (name "app") has verify-key; images[2] (name "db") has sign-key in the file (its own or under defaults), and the file's keys and the options' are not mixed ${unset}`
      )
    )
    const bare = [
      { index: 0, name: 'app' },
      { index: 1, name: 'tool' }
    ]
    expect(check({ requireVerification: 'true' }, { path: 'f.yaml', images: bare })).toThrow(
      new OptionError(
        'require-verification',
        'true',
        `needs something to verify for images[0] (name "app"), images[1] (name "tool") of f.yaml, and none was given: ${give}, or verify-key, certificate-identity or policy in the file for each image ${unset}`
      )
    )
    expect(
      check({ requireVerification: 'true' }, { path: 'f.yaml', images: images.slice(0, 1) })
    ).not.toThrow()
    expect(
      check({ requireVerification: 'true', verifyKey: ['cosign.pub'] }, { path: 'f.yaml', images })
    ).not.toThrow()
  })

  it('the switch takes true or false only', () => {
    expect(() => parsed({ requireVerification: 'yes' })).toThrow(
      new OptionError('require-verification', 'yes', 'must be true or false')
    )
    expect(parsed({ requireVerification: 'true' }).requireVerification).toBe(true)
    expect(parsed({ requireVerification: 'false' }).requireVerification).toBeUndefined()
  })
})
