/**
 * proof/load.ts: options and the policy file to the engine's policy and signing method, each
 * problem named with the option and the rule (files read from a temporary directory).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { generateKeyPairSync } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadProof, loadSigning, loadVerifyPolicy, signingSecrets } from '../../src/proof/load.js'

const WF = 'https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main'
const ISS = 'https://token.actions.githubusercontent.com'
let dir: string
const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pi-proof-'))
  await writeFile(join(dir, 'cosign.pub'), publicKey.export({ type: 'spki', format: 'pem' }))
  await writeFile(join(dir, 'cosign.key'), privateKey.export({ type: 'pkcs8', format: 'pem' }))
  await writeFile(
    join(dir, 'enc.key'),
    '-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\nxx\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n'
  )
  await writeFile(join(dir, 'root.json'), '{"mediaType":"x"}')
  await writeFile(
    join(dir, 'policy.yml'),
    [
      'verify-key: cosign.pub',
      'trusted-root: root.json',
      'identities:',
      '  - certificate-identity-regexp: ^https://github\\.com/acme/',
      `    certificate-oidc-issuer: ${ISS}`,
      'attestations:',
      '  - predicate-type: https://slsa.dev/provenance/v1',
      '    fields:',
      '      builder.id: https://github.com/actions/runner/github-hosted',
      '      source.ref: { regexp: ^refs/tags/ }',
      'children: true'
    ].join('\n')
  )
})
afterAll(async () => await rm(dir, { recursive: true, force: true }))

describe('loadVerifyPolicy', () => {
  it('nothing asked: no policy', async () => {
    expect(await loadVerifyPolicy({})).toBeUndefined()
  })
  it('a policy file that asks for nothing is refused, for verify and for the gate of copy and the action (newuser finding 5)', async () => {
    // before: undefined, so the gate was silently off and every image passed
    const file = join(dir, 'asks-nothing.yml')
    await writeFile(file, 'trusted-root: root.json\nchildren: true\n')
    const message = `policy ${file}: asks for nothing to check (no verify-key, identity or attestations), so every image would pass; give one of them`
    await expect(loadVerifyPolicy({ policy: file })).rejects.toThrow(message)
    const edge = { token: async () => 'unused' }
    await expect(loadProof({ policy: file, signKey: join(dir, 'cosign.key') }, edge)).rejects.toThrow(message)
  })
  it('flags: key and identity', async () => {
    const p = await loadVerifyPolicy({
      verifyKey: [join(dir, 'cosign.pub')],
      certificateIdentity: WF,
      certificateOidcIssuer: ISS
    })
    expect(p?.keys.map(k => [k.name, k.key.equals(publicKey)])).toEqual([[join(dir, 'cosign.pub'), true]])
    expect(p?.identities).toEqual([{ subject: { exact: WF }, issuer: { exact: ISS } }])
    expect([p?.scope, p?.trustedRoot, p?.attestations]).toEqual(['root', undefined, []])
  })
  it('the policy file: paths relative to it, identities, attestation fields, children', async () => {
    const p = await loadVerifyPolicy({ policy: join(dir, 'policy.yml') })
    expect(p?.keys.map(k => k.name)).toEqual([join(dir, 'cosign.pub')])
    expect(p?.identities).toEqual([
      { subject: { regexp: '^https://github\\.com/acme/' }, issuer: { exact: ISS } }
    ])
    expect(p?.attestations).toEqual([
      {
        predicateType: 'https://slsa.dev/provenance/v1',
        rules: [
          { field: 'builder.id', want: { exact: 'https://github.com/actions/runner/github-hosted' } },
          { field: 'source.ref', want: { regexp: '^refs/tags/' } }
        ]
      }
    ])
    expect(p?.trustedRoot).toEqual({ name: join(dir, 'root.json'), json: '{"mediaType":"x"}' })
    expect(p?.scope).toBe('all')
  })
  it.each([
    [{ certificateIdentity: WF }, 'certificate-identity needs certificate-oidc-issuer (as cosign requires)'],
    [
      { certificateOidcIssuer: ISS },
      'certificate-oidc-issuer needs certificate-identity or certificate-identity-regexp'
    ],
    [
      { certificateIdentity: WF, certificateIdentityRegexp: 'x', certificateOidcIssuer: ISS },
      'certificate-identity and certificate-identity-regexp: give one of them'
    ],
    [
      { certificateIdentityRegexp: '(', certificateOidcIssuer: ISS },
      'certificate-identity-regexp: "(" is not a valid regular expression (Invalid regular expression: /(/: Unterminated group)'
    ],
    [{ verifyKey: ['/nonexistent/k.pub'] }, 'verify-key /nonexistent/k.pub: cannot be read (ENOENT)']
  ])('refused: %j', async (o, message) => {
    await expect(loadVerifyPolicy(o)).rejects.toThrow(message)
  })
  it('a key that is not PEM, an unknown policy key', async () => {
    // before: '… is not a PEM public key (error:1E08010C:DECODER routines::unsupported)'
    await expect(loadVerifyPolicy({ verifyKey: [join(dir, 'root.json')] })).rejects.toThrow(
      new Error(
        `verify-key ${join(dir, 'root.json')}: not a PEM public key (no -----BEGIN PUBLIC KEY----- block)`
      )
    )
    await writeFile(
      join(dir, 'private.pem'),
      '-----BEGIN PRIVATE KEY-----\nMIGHAgEA\n-----END PRIVATE KEY-----\n'
    )
    await expect(loadVerifyPolicy({ verifyKey: [join(dir, 'private.pem')] })).rejects.toThrow(
      `verify-key ${join(dir, 'private.pem')}: a private key; give its public key (cosign public-key)`
    )
    await writeFile(join(dir, 'bad.yml'), 'verify-keys: [a]\n')
    await expect(loadVerifyPolicy({ policy: join(dir, 'bad.yml') })).rejects.toThrow(
      `policy ${join(dir, 'bad.yml')}: unknown key verify-keys (known: verify-key, certificate-identity, certificate-identity-regexp, certificate-oidc-issuer, trusted-root, identities, attestations, children)`
    )
  })
})

describe('the policy file: every key checked by type, naming the file, the key path and the rule (newuser finding 6)', () => {
  // before: `children: yes` (YAML 1.2 reads a string), "true" and 1 were read as false: the gate
  // checked the root only and passed, with no warning
  it.each([
    ['children: yes', 'children must be true or false (got "yes")'],
    ['children: "true"', 'children must be true or false (got "true")'],
    ['children: 1', 'children must be true or false (got 1)'],
    ['children:', 'children must be true or false (got nothing)'],
    ['verify-key: [cosign.pub, 3]', 'verify-key must be a path or a list of paths (got a list)'],
    ['verify-key: { a: b }', 'verify-key must be a path or a list of paths (got a mapping)'],
    ['trusted-root: [root.json]', 'trusted-root must be a path (got a list)'],
    [
      `certificate-identity: 12\ncertificate-oidc-issuer: ${ISS}`,
      'certificate-identity must be a string (got 12)'
    ],
    ['identities: {}', 'identities must be a list of mappings (got a mapping)'],
    ['identities: [x]', 'identities[0] must be a mapping (got "x")'],
    [
      `identities:\n  - certificate-identity: ${WF}\n    certificate-oidc-issuer: true`,
      'identities[0].certificate-oidc-issuer must be a string (got true)'
    ],
    [
      `identities:\n  - certificate-identity: ${WF}\n    issuer: ${ISS}`,
      'unknown key identities[0].issuer (known: certificate-identity, certificate-identity-regexp, certificate-oidc-issuer)'
    ],
    ['attestations: x', 'attestations must be a list of mappings (got "x")'],
    ['attestations:\n  - fields: {}', 'attestations[0].predicate-type is missing'],
    [
      'attestations:\n  - predicate-type: [a]',
      'attestations[0].predicate-type must be a string (got a list)'
    ],
    [
      'attestations:\n  - predicate-type: p\n    field: {}',
      'unknown key attestations[0].field (known: predicate-type, fields)'
    ],
    [
      'attestations:\n  - predicate-type: p\n    fields: [a]',
      'attestations[0].fields must be a mapping of field to value (got a list)'
    ]
  ])('%s', async (line, rule) => {
    const file = join(dir, 'typed.yml')
    await writeFile(file, line.startsWith('verify-key') ? `${line}\n` : `verify-key: cosign.pub\n${line}\n`)
    await expect(loadVerifyPolicy({ policy: file })).rejects.toThrow(new Error(`policy ${file}: ${rule}`))
  })
  it('children: true and false are the scope', async () => {
    const file = join(dir, 'scoped.yml')
    await writeFile(file, 'verify-key: cosign.pub\nchildren: true\n')
    expect((await loadVerifyPolicy({ policy: file }))?.scope).toBe('all')
    await writeFile(file, 'verify-key: cosign.pub\nchildren: false\n')
    expect((await loadVerifyPolicy({ policy: file }))?.scope).toBe('root')
  })
})

describe('loadSigning', () => {
  const token = async (): Promise<string> => 'tok'
  it('a PEM private key; keyless; none', async () => {
    const k = await loadSigning({ signKey: join(dir, 'cosign.key') }, token)
    expect(k?.kind).toBe('key')
    expect(await loadSigning({ signKeyless: true }, token)).toMatchObject({
      kind: 'keyless',
      fulcioURL: 'https://fulcio.sigstore.dev',
      rekorURL: 'https://rekor.sigstore.dev'
    })
    expect(await loadSigning({}, token)).toBeUndefined()
  })
  it('refused: both, an encrypted cosign key', async () => {
    await expect(loadSigning({ signKey: 'k', signKeyless: true }, token)).rejects.toThrow(
      'sign-key and sign-keyless: give one of them'
    )
    await expect(loadSigning({ signKey: join(dir, 'enc.key') }, token)).rejects.toThrow(
      `sign-key ${join(dir, 'enc.key')}: an encrypted cosign key; give the PEM private key`
    )
  })
})

it('signingSecrets: the key PEM whole and line by line; none keyless', async () => {
  const k = await loadSigning({ signKey: join(dir, 'cosign.key') }, async () => 't')
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
  const lines = pem.split('\n').filter(l => l && !l.startsWith('-----'))
  expect(signingSecrets(k)).toEqual([pem.trim(), ...lines])
  expect(signingSecrets(await loadSigning({ signKeyless: true }, async () => 't'))).toEqual([])
})

describe('key values: a file, env://NAME, or the PEM itself', () => {
  const pem = privateKey.export({ type: 'sec1', format: 'pem' }).toString()
  const pub = publicKey.export({ type: 'spki', format: 'pem' }).toString()
  it('sign-key and verify-key as PEM text and from the environment', async () => {
    process.env.PI_TEST_SIGN_KEY = pem
    try {
      const inline = await loadProof({ signKey: pem, verifyKey: [pub] }, { token: async () => 't' })
      expect(inline.record?.signing.kind).toBe('key')
      expect(inline.verify?.keys.map(k => k.name)).toEqual(['(PEM given inline)'])
      const fromEnv = await loadProof({ signKey: 'env://PI_TEST_SIGN_KEY' }, { token: async () => 't' })
      expect(fromEnv.record?.signing.kind).toBe('key')
    } finally {
      delete process.env.PI_TEST_SIGN_KEY
    }
    await expect(loadProof({ signKey: 'env://PI_TEST_UNSET' }, { token: async () => 't' })).rejects.toThrow(
      'sign-key env://PI_TEST_UNSET: the environment variable is not set'
    )
  })
  it('a bad inline key is named without its content', async () => {
    const bad = '-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWJ1dC1ub3Qta2V5\n-----END PRIVATE KEY-----\n'
    const e = await loadProof({ signKey: bad }, { token: async () => 't' }).then(
      () => undefined,
      (x: Error) => x
    )
    expect(e?.message).toBe(
      'sign-key (PEM given inline): not a PEM private key (its -----BEGIN PRIVATE KEY----- block does not decode as a private key)'
    )
    expect(e?.message).not.toContain('c2VjcmV0LWJ1dC1ub3Qta2V5')
  })
  it('secrets: the key as given (SEC1) and as exported (PKCS#8), whole and line by line', async () => {
    const { secrets } = await loadProof({ signKey: pem }, { token: async () => 't' })
    const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
    const lines = (t: string): string[] => t.split('\n').filter(l => l && !l.startsWith('-----'))
    expect(secrets).toEqual([pem.trim(), ...lines(pem), pkcs8.trim(), ...lines(pkcs8)])
    expect((await loadProof({ signKeyless: true }, { token: async () => 't' })).secrets).toEqual([])
  })
})
