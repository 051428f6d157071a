/**
 * What the CLI and action tests of the gate and the record share (issue 20): a staging registry
 * (distribution 2.8), a target without a referrers API (distribution: fallback tags) and one with
 * it (the stand-in in front of distribution), each behind a recording proxy (writes counted); the
 * Sigstore stand-ins; key files (cosign-format ECDSA P-256 PEM); and the staging images:
 *   unsigned  — no signature
 *   app       — cosign .sig by the signer's key (docker-reference naming staging) and an SLSA v1 .att
 *   keyless   — Sigstore bundle referrers signed keyless as WF (GitHub's issuer): cosign 3's
 *               signature (the cosign sign predicate) and an SLSA v1 provenance
 *   ix        — an index whose root is signed by the key
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { bundleFromJSON } from '@sigstore/bundle'
import { TrustedRoot } from '@sigstore/protobuf-specs'
import { Verifier, toSignedEntity, toTrustMaterial } from '@sigstore/verify'
import { request } from 'undici'
import type { TestRegistry } from '../helpers/registry.js'
import { startProxy, type Proxy } from '../helpers/proxy.js'
import { startReferrersApi, type ReferrersApi } from '../helpers/referrers-api.js'
import { OCI_MANIFEST, pushImage, pushIndex, randomBlob, rawManifest } from '../helpers/images.js'
import { cosignAttest, cosignSign, pushBundleReferrer, statement } from '../helpers/cosign.js'
import { startSigstore, type MockSigstore } from '../helpers/sigstore.js'
import { startRegistries } from '../copy/setup.js'
import { COSIGN_SIGN_PREDICATE, SLSA_PROVENANCE_V1 } from '../../src/proof/policy.js'
import { signStatement } from '../../src/proof/sigstore.js'

export const WF = 'https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main'
export const BUILDER = 'https://github.com/actions/runner/github-hosted'
export const BUNDLE = 'application/vnd.dev.sigstore.bundle.v0.3+json'
export const provenance = (builder: string): object => ({
  buildDefinition: {
    externalParameters: { workflow: { repository: 'https://github.com/acme/app', ref: 'refs/heads/main' } }
  },
  runDetails: { builder: { id: builder } }
})

/** A GitHub Actions run's environment: the record names it (github/run.ts). */
export const RUN_ENV = {
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_REPOSITORY: 'acme/app',
  GITHUB_WORKFLOW: 'release',
  GITHUB_RUN_ID: '42',
  GITHUB_RUN_ATTEMPT: '1',
  GITHUB_JOB: 'release',
  GITHUB_SHA: 'c0ffee',
  GITHUB_ACTOR: 'octocat'
}

export interface ProofWorld {
  src: TestRegistry
  dst: TestRegistry
  apiReg: TestRegistry
  api: ReferrersApi
  /** proxies: staging, the fallback-tag target, the referrers-API target */
  ps: Proxy
  pd: Proxy
  pa: Proxy
  sig: MockSigstore
  dir: string
  signer: { privateKey: KeyObject; publicKey: KeyObject }
  /** files: the signer's public and private key, another public key, the trusted root */
  files: { pub: string; key: string; otherPub: string; root: string }
  /** the signer's private key PEM (the secret the grep looks for) */
  keyPem: string
  digests: { unsigned: string; app: string; keyless: string; ix: string }
  stop(): Promise<void>
}

/** Starts the world and seeds the images under `prefix/` at staging. */
export async function startProofWorld(prefix: string): Promise<ProofWorld> {
  const [src, dst, apiReg] = await startRegistries(3)
  const api = await startReferrersApi(apiReg.url)
  const [ps, pd, pa, sig] = await Promise.all([
    startProxy(src.url),
    startProxy(dst.url),
    startProxy(api.url),
    startSigstore()
  ])
  const dir = await mkdtemp(join(tmpdir(), 'pi-proof-'))
  const signer = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const other = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const keyPem = signer.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
  const files = {
    pub: join(dir, 'cosign.pub'),
    key: join(dir, 'cosign.key'),
    otherPub: join(dir, 'release.pub'),
    root: join(dir, 'trusted_root.json')
  }
  await writeFile(files.pub, signer.publicKey.export({ type: 'spki', format: 'pem' }))
  await writeFile(files.key, keyPem)
  await writeFile(files.otherPub, other.publicKey.export({ type: 'spki', format: 'pem' }))
  await writeFile(files.root, sig.trustedRoot)

  const unsigned = await pushImage(src.url, `${prefix}/unsigned`, [randomBlob(900)], { tag: 'v1' })
  const app = await pushImage(src.url, `${prefix}/app`, [randomBlob(1500)], { tag: 'v1' })
  await cosignSign(src.url, `${prefix}/app`, app.digest, signer.privateKey, `${src.host}/${prefix}/app`)
  await cosignAttest(
    src.url,
    `${prefix}/app`,
    app.digest,
    signer.privateKey,
    SLSA_PROVENANCE_V1,
    provenance(BUILDER)
  )
  const keyless = await pushImage(src.url, `${prefix}/keyless`, [randomBlob(1200)], { tag: 'v1' })
  const token = await sig.token({ sub: WF })
  const bundle = await signStatement(
    Buffer.from(JSON.stringify(statement(keyless.digest, SLSA_PROVENANCE_V1, provenance(BUILDER)))),
    'application/vnd.in-toto+json',
    { kind: 'keyless', token: async () => token, fulcioURL: sig.url, rekorURL: sig.url }
  )
  await pushBundleReferrer(
    src.url,
    `${prefix}/keyless`,
    { digest: keyless.digest, size: keyless.bytes.length, mediaType: OCI_MANIFEST },
    bundle,
    SLSA_PROVENANCE_V1
  )
  // the signature: cosign 3's bundle (a statement of the cosign sign predicate); provenance is no signature
  const signature = await signStatement(
    Buffer.from(JSON.stringify(statement(keyless.digest, COSIGN_SIGN_PREDICATE, {}))),
    'application/vnd.in-toto+json',
    { kind: 'keyless', token: async () => token, fulcioURL: sig.url, rekorURL: sig.url }
  )
  await pushBundleReferrer(
    src.url,
    `${prefix}/keyless`,
    { digest: keyless.digest, size: keyless.bytes.length, mediaType: OCI_MANIFEST },
    signature,
    COSIGN_SIGN_PREDICATE
  )
  const ix = await pushIndex(src.url, `${prefix}/ix`, 'v1', {
    platforms: [
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'arm64' }
    ],
    shared: [],
    uniqueSize: 300
  })
  await cosignSign(src.url, `${prefix}/ix`, ix.digest, signer.privateKey, `${src.host}/${prefix}/ix`)
  return {
    src,
    dst,
    apiReg,
    api,
    ps,
    pd,
    pa,
    sig,
    dir,
    signer,
    files,
    keyPem,
    digests: { unsigned: unsigned.digest, app: app.digest, keyless: keyless.digest, ix: ix.digest },
    stop: async () => {
      await Promise.all([ps.stop(), pd.stop(), pa.stop(), sig.stop(), api.stop()])
      await Promise.all([src.stop(), dst.stop(), apiReg.stop()])
      await rm(dir, { recursive: true, force: true })
    }
  }
}

/** Writes (not GET/HEAD) a proxy saw, as `METHOD path`, optionally only those whose path holds `part`. */
export function writesAt(p: Proxy, part = ''): string[] {
  return p.log
    .filter(e => e.method !== 'GET' && e.method !== 'HEAD' && e.path.includes(part))
    .map(e => `${e.method} ${e.path}`)
}

/** The promotion records of `digest` at a target: from the fallback tag's index (`url` = the registry). */
export async function fallbackRecords(url: string, repo: string, digest: string): Promise<string[]> {
  const raw = await rawManifest(url, repo, digest.replace(':', '-'))
  if (!raw) return []
  const index = JSON.parse(raw.bytes.toString()) as {
    manifests: Array<{ digest: string; artifactType?: string }>
  }
  return index.manifests.filter(m => m.artifactType === BUNDLE).map(m => m.digest)
}

/** A record manifest's bundle (JSON bytes), and its subject. */
export async function recordBundle(
  url: string,
  repo: string,
  digest: string
): Promise<{ bundle: Buffer; subject: string }> {
  const m = JSON.parse((await rawManifest(url, repo, digest))!.bytes.toString()) as {
    layers: Array<{ digest: string }>
    subject: { digest: string }
  }
  const res = await request(`${url}/v2/${repo}/blobs/${m.layers[0].digest}`)
  return { bundle: Buffer.from(await res.body.arrayBuffer()), subject: m.subject.digest }
}

/** The in-toto statement inside a record bundle. */
export function statementOf(bundle: Buffer): {
  subject: Array<{ name: string; digest: { sha256: string } }>
  predicateType: string
  predicate: Record<string, unknown>
} {
  const payload = (JSON.parse(bundle.toString()) as { dsseEnvelope: { payload: string } }).dsseEnvelope
    .payload
  return JSON.parse(Buffer.from(payload, 'base64').toString()) as ReturnType<typeof statementOf>
}

/**
 * Verifies a record bundle with @sigstore/verify: signed with `publicKey`, or (none given)
 * keyless against `trustedRoot` as `identity` issued by `issuer`. @returns what verified it
 * @throws the library's VerificationError
 */
export function verifyRecord(
  bundle: Buffer,
  by: { publicKey: KeyObject } | { trustedRoot: string; identity: string; issuer: string }
): string {
  const entity = toSignedEntity(bundleFromJSON(JSON.parse(bundle.toString())))
  if ('publicKey' in by) {
    const material = {
      ...toTrustMaterial(
        TrustedRoot.fromJSON({ mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1' })
      ),
      publicKey: () => ({ publicKey: by.publicKey, validFor: () => true })
    }
    const signer = new Verifier(material, {
      tlogThreshold: 0,
      ctlogThreshold: 0,
      timestampThreshold: 0
    }).verify(entity)
    return signer.key.equals(by.publicKey) ? 'key' : 'another key'
  }
  const signer = new Verifier(toTrustMaterial(TrustedRoot.fromJSON(JSON.parse(by.trustedRoot)))).verify(
    entity,
    {
      subjectAlternativeName: by.identity,
      extensions: { issuer: by.issuer }
    }
  )
  return `identity ${signer.identity?.subjectAlternativeName}`
}

/**
 * Every 8-character piece of `secret` found in `text` (none when the secret stayed out), but pieces of hex only (digests
 * hold those). 4-character pieces matched plain words: a token's base64 held 'ifes', which 'manifests' holds too.
 */
export function piecesIn(text: string, secret: string): string[] {
  const out: string[] = []
  for (let i = 0; i + 8 <= secret.length; i++) {
    const piece = secret.slice(i, i + 8)
    if (!/^[0-9a-f]{8}$/.test(piece) && text.includes(piece)) out.push(piece)
  }
  return out
}

/** The secret part of a PEM: its base64 body, without the markers. */
export const pemBody = (pem: string): string =>
  pem
    .split('\n')
    .filter(l => l && !l.startsWith('-----'))
    .join('')
