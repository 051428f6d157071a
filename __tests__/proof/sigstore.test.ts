/**
 * proof/sigstore.ts against offline Fulcio, Rekor and TSA stand-ins (@sigstore/mock behind a local
 * http server): keyless signing makes a v0.3 DSSE bundle that @sigstore/verify accepts against the
 * trusted root made from the stand-ins' keys; a key-signed bundle verifies with its key only.
 */
import { generateKeyPairSync } from 'node:crypto'
import {
  KeylessSigner,
  loadTrust,
  signStatement,
  verifyBundle,
  type SigningMethod
} from '../../src/proof/sigstore.js'
import { GITHUB_ISSUER, startSigstore, type MockSigstore } from '../helpers/sigstore.js'

const WORKFLOW = 'https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main'
const STATEMENT = Buffer.from(
  JSON.stringify({
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: 'app', digest: { sha256: 'a'.repeat(64) } }],
    predicateType: 'https://example.com/test/v1',
    predicate: { hello: 'world' }
  })
)
const TYPE = 'application/vnd.in-toto+json'

let sig: MockSigstore
beforeAll(async () => {
  sig = await startSigstore()
})
afterAll(async () => await sig.stop())

test('keyless: Fulcio certificate + Rekor entry + timestamp; verifies with identity and issuer', async () => {
  const token = await sig.token({ sub: WORKFLOW })
  const bundle = await signStatement(STATEMENT, TYPE, {
    kind: 'keyless',
    token: async () => token,
    fulcioURL: sig.url,
    rekorURL: sig.url,
    rekorEntryType: 'intoto',
    tsaURL: sig.url
  })
  const json = JSON.parse(bundle.toString()) as { mediaType: string; dsseEnvelope: { payload: string } }
  expect(json.mediaType).toBe('application/vnd.dev.sigstore.bundle.v0.3+json')
  expect(Buffer.from(json.dsseEnvelope.payload, 'base64').equals(STATEMENT)).toBe(true)
  expect(sig.requests).toEqual([
    'POST /api/v2/signingCert',
    'POST /api/v1/log/entries',
    'POST /api/v1/timestamp'
  ])
  const trust = await loadTrust({ name: 'root.json', json: sig.trustedRoot })
  const v = verifyBundle(bundle, trust, [])
  expect(v.problem).toBeUndefined()
  expect(v.signer).toEqual({ identity: WORKFLOW, issuer: GITHUB_ISSUER })
  expect(v.payload?.equals(STATEMENT)).toBe(true)
})

test('keyless: a bundle does not verify against another trust root', async () => {
  const other = await startSigstore()
  try {
    const token = await sig.token({ sub: WORKFLOW })
    const bundle = await signStatement(STATEMENT, TYPE, {
      kind: 'keyless',
      token: async () => token,
      fulcioURL: sig.url,
      rekorURL: sig.url
    })
    const v = verifyBundle(bundle, await loadTrust({ name: 'other.json', json: other.trustedRoot }), [])
    expect(v.signer).toBeUndefined()
    expect(v.problem).toMatch(/^does not verify against trusted root other.json: /)
  } finally {
    await other.stop()
  }
})

test('key: verifies with its public key, names the keys it was not signed by', async () => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey
  const bundle = await signStatement(STATEMENT, TYPE, { kind: 'key', key: privateKey })
  const trust = await loadTrust({ name: 'root.json', json: sig.trustedRoot })
  expect(
    verifyBundle(bundle, trust, [
      { name: 'other.pub', key: other },
      { name: 'cosign.pub', key: publicKey }
    ]).signer
  ).toEqual({
    key: 'cosign.pub'
  })
  expect(verifyBundle(bundle, trust, [{ name: 'other.pub', key: other }]).problem).toBe(
    'signed by none of the keys other.pub'
  )
})

test('keyless with a Rekor dsse entry (the default, as actions/attest): verifies with identity and issuer', async () => {
  const token = await sig.token({ sub: WORKFLOW })
  const bundle = await signStatement(STATEMENT, TYPE, {
    kind: 'keyless',
    token: async () => token,
    fulcioURL: sig.url,
    rekorURL: sig.url
  })
  const json = JSON.parse(bundle.toString()) as {
    verificationMaterial: { tlogEntries: Array<{ kindVersion: { kind: string; version: string } }> }
  }
  expect(json.verificationMaterial.tlogEntries.map(e => e.kindVersion)).toEqual([
    { kind: 'dsse', version: '0.0.1' }
  ])
  const v = verifyBundle(bundle, await loadTrust({ name: 'root.json', json: sig.trustedRoot }), [])
  expect(v.problem).toBeUndefined()
  expect(v.signer).toEqual({ identity: WORKFLOW, issuer: GITHUB_ISSUER })
})

describe('a run already interrupted asks no Sigstore service (end review 1)', () => {
  /**
   * A keyless method whose OIDC token (the first thing a Fulcio request needs) is asked for
   * through `calls` and fails only when `fail()` is called, after the signing has returned: the
   * rejection of a request the run left behind.
   */
  function lateFailing(): {
    method: Extract<SigningMethod, { kind: 'keyless' }>
    calls: () => number
    fail: () => void
  } {
    let n = 0
    const pending: Array<(e: Error) => void> = []
    return {
      method: {
        kind: 'keyless',
        token: async () => {
          n++
          return await new Promise<string>((_, reject) => pending.push(reject))
        },
        fulcioURL: sig.url,
        rekorURL: sig.url
      },
      calls: () => n,
      fail: () => pending.forEach(reject => reject(new Error('token endpoint gone')))
    }
  }

  /** Rejections nobody handled while `run` and the failures it left behind settle. */
  async function unhandledDuring(run: () => Promise<void>, fail: () => void): Promise<unknown[]> {
    const seen: unknown[] = []
    const note = (reason: unknown): void => void seen.push(reason)
    process.on('unhandledRejection', note)
    try {
      await run()
      fail()
      for (let i = 0; i < 5; i++) await new Promise(r => setImmediate(r))
    } finally {
      process.off('unhandledRejection', note)
    }
    return seen
  }

  test('signStatement: throws the signal reason, no token asked, no Fulcio/Rekor request, nothing unhandled', async () => {
    const before = sig.requests.length
    const late = lateFailing()
    const reason = new Error('interrupted by SIGINT')
    const signal = AbortSignal.abort(reason)
    const unhandled = await unhandledDuring(async () => {
      await expect(signStatement(STATEMENT, TYPE, late.method, undefined, signal)).rejects.toBe(reason)
    }, late.fail)
    expect(late.calls()).toBe(0)
    expect(sig.requests.slice(before)).toEqual([])
    expect(unhandled).toEqual([])
  })

  test('KeylessSigner.certify: throws the signal reason, no token asked, no Fulcio request, nothing unhandled', async () => {
    const before = sig.requests.length
    const late = lateFailing()
    const reason = new Error('interrupted by SIGTERM')
    const signal = AbortSignal.abort(reason)
    const signer = new KeylessSigner(late.method)
    const unhandled = await unhandledDuring(async () => {
      await expect(signer.certify(signal)).rejects.toBe(reason)
    }, late.fail)
    expect(late.calls()).toBe(0)
    expect(sig.requests.slice(before)).toEqual([])
    expect(unhandled).toEqual([])
  })
})
