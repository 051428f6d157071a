/**
 * proof/policy.ts: the verdicts over what was found, as tables with the exact words of each
 * check (what was checked, found, wanted); proof/intoto.ts and proof/cosign.ts pure helpers.
 */
import { generateKeyPairSync, sign } from 'node:crypto'
import {
  brokenRule,
  checkAttestation,
  checkSignature,
  COSIGN_SIGN_PREDICATE,
  evaluate,
  PROMOTION_PREDICATE_TYPE,
  SLSA_PROVENANCE_V1,
  type Authenticated,
  type VerifyPolicy
} from '../../src/proof/policy.js'
import {
  envelopeSignedBy,
  pae,
  parseEnvelope,
  parseStatement,
  statementIsAbout
} from '../../src/proof/intoto.js'
import { parseSimpleSigning, payloadSignedBy, publicKeyOf } from '../../src/proof/cosign.js'

const D = `sha256:${'a'.repeat(64)}`
const OTHER = `sha256:${'b'.repeat(64)}`
const WF = 'https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main'
const ISS = 'https://token.actions.githubusercontent.com'
const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })

const base: VerifyPolicy = { keys: [], identities: [], attestations: [], scope: 'root' }
const keyPolicy: VerifyPolicy = { ...base, keys: [{ name: 'cosign.pub', key: publicKey }] }
const idPolicy: VerifyPolicy = {
  ...base,
  identities: [{ subject: { exact: WF }, issuer: { exact: ISS } }]
}
const provenance = (predicate: Record<string, unknown>, digest = D): Authenticated['statement'] => ({
  _type: 'https://in-toto.io/Statement/v1',
  subject: [{ digest: { sha256: digest.slice(7) } }],
  predicateType: SLSA_PROVENANCE_V1,
  predicate
})

describe('checkSignature', () => {
  test('no signer in the policy: no signature check', () => {
    expect(checkSignature(base, D, [])).toBeUndefined()
  })
  test('nothing found: refused, naming what was wanted', () => {
    expect(checkSignature(keyPolicy, D, [])).toEqual({
      check: 'signature',
      digest: D,
      passed: false,
      found: 'no signature',
      wanted: `a signature over ${D} by key cosign.pub`
    })
  })
  test('attestations by an accepted signer never pass it: records, cosign .att, provenance bundles (newuser4 finding 2)', () => {
    const found: Authenticated[] = [
      {
        via: 'referrer r1',
        signer: { key: 'cosign.pub' },
        signs: D,
        record: true,
        statement: { ...provenance({}), predicateType: COSIGN_SIGN_PREDICATE } as Authenticated['statement']
      },
      { via: 'tag x.att layer 0', signer: { key: 'cosign.pub' }, signs: D, statement: provenance({}) },
      { via: 'index attestation manifest m', inIndex: true, signs: D, statement: provenance({}) },
      { via: 'referrer r2', signer: { key: 'cosign.pub' }, signs: OTHER, statement: provenance({}, OTHER) }
    ]
    expect(checkSignature(keyPolicy, D, found)).toEqual({
      check: 'signature',
      digest: D,
      passed: false,
      found: `referrer r1: a promotion record (${COSIGN_SIGN_PREDICATE}), signed by key cosign.pub, which is not a signature of the image; tag x.att layer 0: an attestation (${SLSA_PROVENANCE_V1}), signed by key cosign.pub, which is not a signature of the image`,
      wanted: `a signature over ${D} by key cosign.pub`
    })
  })
  test('a cosign 3 signature (a statement of the cosign sign predicate) passes', () => {
    const statement = {
      ...provenance({}),
      predicateType: COSIGN_SIGN_PREDICATE
    } as Authenticated['statement']
    const found: Authenticated[] = [
      { via: 'referrer r', signer: { identity: WF, issuer: ISS }, signs: D, statement }
    ]
    expect(checkSignature(idPolicy, D, found)).toMatchObject({
      passed: true,
      found: `referrer r: signed by identity "${WF}" issued by "${ISS}"`
    })
  })
  test('a staging docker-reference does not fail: the digest binds', () => {
    const found: Authenticated[] = [
      {
        via: 'tag x.sig layer 0',
        signer: { key: 'cosign.pub' },
        signs: D,
        dockerReference: 'staging.example/app'
      }
    ]
    expect(checkSignature(keyPolicy, D, found)).toEqual({
      check: 'signature',
      digest: D,
      passed: true,
      found:
        'tag x.sig layer 0: signed by key cosign.pub (docker-reference staging.example/app: informational, the digest binds)',
      wanted: `a signature over ${D} by key cosign.pub`
    })
  })
  test('wrong key, and a signature over another digest ignored', () => {
    const found: Authenticated[] = [
      { via: 'tag x.sig layer 0', problem: 'signed by none of the keys cosign.pub', signs: D },
      { via: 'tag x.sig layer 1', signer: { key: 'cosign.pub' }, signs: OTHER }
    ]
    expect(checkSignature(keyPolicy, D, found)?.found).toBe(
      'tag x.sig layer 0: signed by none of the keys cosign.pub'
    )
  })
  test.each([
    [{ identity: `${WF}x`, issuer: ISS }, `referrer r: signed by identity "${WF}x" issued by "${ISS}"`],
    [
      { identity: WF, issuer: 'https://accounts.google.com' },
      `referrer r: signed by identity "${WF}" issued by "https://accounts.google.com"`
    ]
  ])('keyless: wrong identity or issuer names found and wanted (%j)', (signer, text) => {
    const v = checkSignature(idPolicy, D, [{ via: 'referrer r', signer, signs: D }])
    expect(v).toEqual({
      check: 'signature',
      digest: D,
      passed: false,
      found: text,
      wanted: `a signature over ${D} by identity "${WF}" issued by "${ISS}"`
    })
  })
  const record = (digest = D): Authenticated['statement'] => ({
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ digest: { sha256: digest.slice(7) } }],
    predicateType: PROMOTION_PREDICATE_TYPE,
    predicate: {}
  })
  test('a promotion record signed by the accepted key is not a signature (newuser4 finding 7)', () => {
    const found: Authenticated[] = [
      { via: 'referrer r', signer: { key: 'cosign.pub' }, signs: D, statement: record() }
    ]
    expect(checkSignature(keyPolicy, D, found)).toEqual({
      check: 'signature',
      digest: D,
      passed: false,
      found: `referrer r: a promotion record (${PROMOTION_PREDICATE_TYPE}), signed by key cosign.pub, which is not a signature of the image`,
      wanted: `a signature over ${D} by key cosign.pub`
    })
  })
  test('a promotion record beside a signature: the signature passes; the record counts for an attestation rule of its type', () => {
    const found: Authenticated[] = [
      { via: 'referrer r', signer: { key: 'cosign.pub' }, signs: D, statement: record() },
      { via: 'tag x.sig layer 0', signer: { key: 'cosign.pub' }, signs: D }
    ]
    expect(checkSignature(keyPolicy, D, found)?.found).toBe('tag x.sig layer 0: signed by key cosign.pub')
    const rule = { predicateType: PROMOTION_PREDICATE_TYPE, rules: [] }
    expect(checkAttestation(keyPolicy, rule, D, found)).toMatchObject({
      passed: true,
      found: 'referrer r: signed by key cosign.pub'
    })
  })
  test('keyless: identity by regexp', () => {
    const p: VerifyPolicy = {
      ...base,
      identities: [{ subject: { regexp: '^https://github\\.com/acme/' }, issuer: { exact: ISS } }]
    }
    expect(
      checkSignature(p, D, [{ via: 'referrer r', signer: { identity: WF, issuer: ISS }, signs: D }])?.passed
    ).toBe(true)
  })
})

describe('checkAttestation', () => {
  const rule = {
    predicateType: SLSA_PROVENANCE_V1,
    rules: [{ field: 'builder.id', want: { exact: 'https://builder/a' } }]
  }
  test('field rule broken: refused naming the field, its path, value and wanted value', () => {
    const found: Authenticated[] = [
      {
        via: 'referrer r',
        signer: { key: 'cosign.pub' },
        signs: D,
        statement: provenance({ runDetails: { builder: { id: 'https://builder/b' } } })
      }
    ]
    expect(checkAttestation(keyPolicy, rule, D, found)).toEqual({
      check: `attestation ${SLSA_PROVENANCE_V1}`,
      digest: D,
      passed: false,
      found:
        'referrer r: field builder.id (runDetails.builder.id) is "https://builder/b", wanted "https://builder/a"',
      wanted: `attestation ${SLSA_PROVENANCE_V1} about ${D} by key cosign.pub with builder.id "https://builder/a"`
    })
  })
  test('in the index: bound by the index digest, no signer needed', () => {
    const found: Authenticated[] = [
      {
        via: 'index attestation manifest m',
        inIndex: true,
        signs: D,
        statement: provenance({ runDetails: { builder: { id: 'https://builder/a' } } })
      }
    ]
    expect(checkAttestation(base, rule, D, found)).toMatchObject({
      passed: true,
      found: 'index attestation manifest m: bound by the index digest',
      wanted: `attestation ${SLSA_PROVENANCE_V1} about ${D} in the index with builder.id "https://builder/a"`
    })
  })
  test('missing: names the types that were found', () => {
    const other = {
      ...provenance({}),
      predicateType: 'https://spdx.dev/Document'
    } as Authenticated['statement']
    expect(
      checkAttestation(keyPolicy, rule, D, [
        { via: 'v', signer: { key: 'cosign.pub' }, signs: D, statement: other }
      ]).found
    ).toBe(`no attestation of type ${SLSA_PROVENANCE_V1} (found: https://spdx.dev/Document)`)
  })
  test('signed by a signer the policy does not accept: not trusted', () => {
    const found: Authenticated[] = [
      {
        via: 'referrer r',
        signer: { identity: 'x', issuer: 'y' },
        signs: D,
        statement: provenance({ runDetails: { builder: { id: 'https://builder/a' } } })
      }
    ]
    expect(checkAttestation(keyPolicy, rule, D, found)).toMatchObject({
      passed: false,
      found: 'referrer r: signed by identity "x" issued by "y"'
    })
  })
  test.each([
    [
      'source.repository',
      {
        buildDefinition: { externalParameters: { workflow: { repository: 'https://github.com/acme/app' } } }
      },
      undefined
    ],
    [
      'source.ref',
      { buildDefinition: { externalParameters: { workflow: { ref: 'refs/heads/dev' } } } },
      'field source.ref (buildDefinition.externalParameters.workflow.ref) is "refs/heads/dev", wanted /^refs\\/tags\\//'
    ],
    ['buildDefinition.buildType', {}, 'field buildDefinition.buildType absent, wanted "x"']
  ])('brokenRule %s', (field, predicate, text) => {
    const want =
      field === 'source.ref'
        ? { regexp: '^refs\\/tags\\/' }
        : field === 'source.repository'
          ? { exact: 'https://github.com/acme/app' }
          : { exact: 'x' }
    expect(
      brokenRule(provenance(predicate) as NonNullable<Authenticated['statement']>, [{ field, want }])
    ).toBe(text)
  })
  test('evaluate: signature first, then each attestation', () => {
    expect(evaluate({ ...keyPolicy, attestations: [rule] }, D, []).map(c => c.check)).toEqual([
      'signature',
      `attestation ${SLSA_PROVENANCE_V1}`
    ])
  })
})

describe('in-toto and cosign formats', () => {
  test('PAE as the DSSE protocol defines it', () => {
    expect(pae('http://example.com/HelloWorld', Buffer.from('hello world')).toString()).toBe(
      'DSSEv1 29 http://example.com/HelloWorld 11 hello world'
    )
  })
  test('envelope signed by a key; statement about a digest', () => {
    const { privateKey, publicKey: pub } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    const statement = Buffer.from(JSON.stringify(provenance({})))
    const sig = sign('sha256', pae('application/vnd.in-toto+json', statement), privateKey).toString('base64')
    const env = parseEnvelope(
      Buffer.from(
        JSON.stringify({
          payloadType: 'application/vnd.in-toto+json',
          payload: statement.toString('base64'),
          signatures: [{ keyid: '', sig }]
        })
      ),
      'e'
    )
    expect(envelopeSignedBy(env, pub)).toBe(true)
    expect(envelopeSignedBy(env, publicKey)).toBe(false)
    const s = parseStatement(env.payload, 's')
    expect([statementIsAbout(s, D), statementIsAbout(s, OTHER)]).toEqual([true, false])
  })
  test('simple-signing payload as cosign writes it', () => {
    const { privateKey, publicKey: pub } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    const payload = Buffer.from(
      JSON.stringify({
        critical: {
          identity: { 'docker-reference': 'staging.example/app' },
          image: { 'docker-manifest-digest': D },
          type: 'cosign container image signature'
        },
        optional: null
      })
    )
    expect(parseSimpleSigning(payload)).toEqual({
      digest: D,
      dockerReference: 'staging.example/app',
      type: 'cosign container image signature'
    })
    const b64 = sign('sha256', payload, privateKey).toString('base64')
    expect(payloadSignedBy(payload, b64, pub)).toBe(true)
    expect(payloadSignedBy(payload, b64, publicKey)).toBe(false)
    expect(() => publicKeyOf('nope', 'k.pub')).toThrow(
      new Error('k.pub: not a PEM public key (no -----BEGIN PUBLIC KEY----- block)')
    )
    expect(() => parseSimpleSigning(Buffer.from('{}'))).toThrow(
      'simple-signing payload has no critical.image.docker-manifest-digest'
    )
  })
})
