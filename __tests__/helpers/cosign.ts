/**
 * Signatures and attestations pushed exactly as cosign writes them, made from cosign's documented
 * formats (the `cosign` binary cannot be installed here: it is in none of this machine's package
 * lists): sigstore/cosign specs/SIGNATURE_SPEC.md (a `sha256-<hex>.sig` manifest whose layers are
 * simple-signing payloads, `application/vnd.dev.cosign.simplesigning.v1+json`, with the base64
 * ECDSA-P256/SHA-256 DER signature in `dev.cosignproject.cosign/signature`, and an OCI config
 * whose rootfs lists the payloads), ATTESTATION_SPEC.md (`.att`: DSSE envelope layers,
 * `application/vnd.dsse.envelope.v1+json`, annotation `predicateType`), and BUNDLE_SPEC.md (a
 * Sigstore bundle v0.3 as a referrer: artifactType bundle, empty config, one layer, `subject`;
 * listed in the fallback tag `sha256-<hex>` on a registry without a referrers API).
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- the bundle's JSON form, read field by field */
import { sign, type KeyObject } from 'node:crypto'
import { blobOf, OCI_INDEX, OCI_MANIFEST, pushBlob, pushManifest, sha256 } from './images.js'
import { rawManifest } from './images.js'
import { FulcioSigner, MessageSignatureBundleBuilder, RekorWitness } from '@sigstore/sign'
import { bundleToJSON } from '@sigstore/bundle'

const SIMPLE_SIGNING = 'application/vnd.dev.cosign.simplesigning.v1+json'
const DSSE = 'application/vnd.dsse.envelope.v1+json'
const BUNDLE = 'application/vnd.dev.sigstore.bundle.v0.3+json'
const EMPTY = blobOf(Buffer.from('{}'), 'application/vnd.oci.empty.v1+json')
const CONFIG = 'application/vnd.oci.image.config.v1+json'

/** cosign's tag for `digest` with `suffix` (`sig`, `att`). */
export const cosignTag = (digest: string, suffix: string): string => `${digest.replace(':', '-')}.${suffix}`

/** The simple-signing payload cosign signs (`optional: null` when no annotation is given). */
export function simpleSigningPayload(digest: string, dockerReference: string): Buffer {
  return Buffer.from(
    JSON.stringify({
      critical: {
        identity: { 'docker-reference': dockerReference },
        image: { 'docker-manifest-digest': digest },
        type: 'cosign container image signature'
      },
      optional: null
    })
  )
}

/** The DSSE pre-authentication encoding. */
const pae = (type: string, body: Buffer): Buffer =>
  Buffer.concat([Buffer.from(`DSSEv1 ${Buffer.byteLength(type)} ${type} ${body.length} `), body])

/** A DSSE envelope (JSON bytes) over an in-toto statement, signed with `key`. */
export function dsseEnvelope(statement: object, key: KeyObject): Buffer {
  const payload = Buffer.from(JSON.stringify(statement))
  const type = 'application/vnd.in-toto+json'
  const sig = sign('sha256', pae(type, payload), key).toString('base64')
  return Buffer.from(
    JSON.stringify({
      payloadType: type,
      payload: payload.toString('base64'),
      signatures: [{ keyid: '', sig }]
    })
  )
}

/** An in-toto Statement v1 about `digest`. */
export function statement(digest: string, predicateType: string, predicate: object): object {
  return {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: 'app', digest: { sha256: digest.slice(7) } }],
    predicateType,
    predicate
  }
}

/** A cosign-shaped manifest under `tag` whose layers are `layers` (config: rootfs over them). */
async function pushCosignManifest(
  url: string,
  repo: string,
  tag: string,
  layers: Array<{ bytes: Buffer; mediaType: string; annotations: Record<string, string> }>
): Promise<string> {
  const blobs = layers.map(l => blobOf(l.bytes, l.mediaType))
  const config = blobOf(
    Buffer.from(
      JSON.stringify({
        architecture: '',
        created: '0001-01-01T00:00:00Z',
        history: [{ created: '0001-01-01T00:00:00Z' }],
        os: '',
        rootfs: { type: 'layers', diff_ids: blobs.map(b => b.digest) },
        config: {}
      })
    ),
    CONFIG
  )
  for (const b of [config, ...blobs]) await pushBlob(url, repo, b)
  const bytes = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: CONFIG, size: config.size, digest: config.digest },
      layers: blobs.map((b, i) => ({
        mediaType: b.mediaType,
        size: b.size,
        digest: b.digest,
        annotations: layers[i].annotations
      }))
    })
  )
  return await pushManifest(url, repo, tag, bytes, OCI_MANIFEST)
}

/** `cosign sign --key`: the `.sig` tag with one simple-signing layer naming `dockerReference`. */
export async function cosignSign(
  url: string,
  repo: string,
  digest: string,
  key: KeyObject,
  dockerReference: string
): Promise<string> {
  const payload = simpleSigningPayload(digest, dockerReference)
  const signature = sign('sha256', payload, key).toString('base64')
  return await pushCosignManifest(url, repo, cosignTag(digest, 'sig'), [
    {
      bytes: payload,
      mediaType: SIMPLE_SIGNING,
      annotations: { 'dev.cosignproject.cosign/signature': signature }
    }
  ])
}

/** `cosign attest --key`: the `.att` tag with one DSSE layer. */
export async function cosignAttest(
  url: string,
  repo: string,
  digest: string,
  key: KeyObject,
  predicateType: string,
  predicate: object
): Promise<string> {
  const envelope = dsseEnvelope(statement(digest, predicateType, predicate), key)
  return await pushCosignManifest(url, repo, cosignTag(digest, 'att'), [
    {
      bytes: envelope,
      mediaType: DSSE,
      annotations: { 'dev.cosignproject.cosign/signature': '', predicateType }
    }
  ])
}

/**
 * A referrer of `subject` as an OCI 1.1 artifact (empty config, `artifactType`, `subject`), listed
 * in the fallback tag `sha256-<hex>` too (distribution 2.8 has no referrers API).
 * @returns the referrer manifest's digest
 */
async function pushReferrer(
  url: string,
  repo: string,
  subject: { digest: string; size: number; mediaType: string },
  artifactType: string,
  layers: Array<{ bytes: Buffer; mediaType: string; annotations?: Record<string, string> }>,
  annotations?: Record<string, string>
): Promise<string> {
  const blobs = layers.map(l => blobOf(l.bytes, l.mediaType))
  await pushBlob(url, repo, EMPTY)
  for (const b of blobs) await pushBlob(url, repo, b)
  const bytes = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      artifactType,
      config: { mediaType: EMPTY.mediaType, digest: EMPTY.digest, size: EMPTY.size },
      layers: blobs.map((b, i) => ({
        mediaType: b.mediaType,
        digest: b.digest,
        size: b.size,
        ...(layers[i].annotations ? { annotations: layers[i].annotations } : {})
      })),
      subject,
      ...(annotations ? { annotations } : {})
    })
  )
  const digest = await pushManifest(url, repo, sha256(bytes), bytes, OCI_MANIFEST)
  const tag = subject.digest.replace(':', '-')
  const existing = await rawManifest(url, repo, tag)
  const manifests = existing
    ? (JSON.parse(existing.bytes.toString()) as { manifests: object[] }).manifests
    : []
  manifests.push({
    mediaType: OCI_MANIFEST,
    digest,
    size: bytes.length,
    artifactType,
    ...(annotations ? { annotations } : {})
  })
  await pushManifest(
    url,
    repo,
    tag,
    Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests })),
    OCI_INDEX
  )
  return digest
}

/**
 * A Sigstore bundle as a referrer of `subject` (BUNDLE_SPEC.md), with `annotations` beside the
 * bundle's own. @returns the referrer's digest
 */
export async function pushBundleReferrer(
  url: string,
  repo: string,
  subject: { digest: string; size: number; mediaType: string },
  bundle: Buffer,
  predicateType: string,
  annotations: Record<string, string> = {}
): Promise<string> {
  return await pushReferrer(url, repo, subject, BUNDLE, [{ bytes: bundle, mediaType: BUNDLE }], {
    'dev.sigstore.bundle.content': 'dsse-envelope',
    'dev.sigstore.bundle.predicateType': predicateType,
    ...annotations
  })
}

/**
 * `cosign sign --key --registry-referrers-mode=oci-1-1`: the signature as a referrer of `subject`
 * (artifactType `application/vnd.dev.cosign.artifact.sig.v1+json`, one simple-signing layer).
 * @returns the referrer's digest
 */
export async function cosignSignReferrer(
  url: string,
  repo: string,
  subject: { digest: string; size: number; mediaType: string },
  key: KeyObject,
  dockerReference: string
): Promise<string> {
  const payload = simpleSigningPayload(subject.digest, dockerReference)
  const signature = sign('sha256', payload, key).toString('base64')
  return await pushReferrer(url, repo, subject, 'application/vnd.dev.cosign.artifact.sig.v1+json', [
    {
      bytes: payload,
      mediaType: SIMPLE_SIGNING,
      annotations: { 'dev.cosignproject.cosign/signature': signature }
    }
  ])
}

/**
 * `cosign sign` keyless (cosign v2's default layout): the `.sig` tag with one simple-signing layer
 * carrying the signature, the PEM signing certificate (`dev.sigstore.cosign/certificate`) and the
 * Rekor entry (`dev.sigstore.cosign/bundle`: SignedEntryTimestamp and Payload{body, integratedTime,
 * logIndex, logID}). The certificate and the log entry come from the Fulcio and Rekor stand-ins.
 */
export async function cosignSignKeyless(
  url: string,
  repo: string,
  digest: string,
  sigstoreUrl: string,
  token: string,
  dockerReference: string
): Promise<string> {
  const payload = simpleSigningPayload(digest, dockerReference)
  const signer = new FulcioSigner({
    identityProvider: { getToken: async () => token },
    fulcioBaseURL: sigstoreUrl
  })
  const witness = new RekorWitness({ rekorBaseURL: sigstoreUrl })
  const bundle = bundleToJSON(
    await new MessageSignatureBundleBuilder({ signer, witnesses: [witness] }).create({ data: payload })
  ) as any
  const vm = bundle.verificationMaterial
  const der = Buffer.from((vm.certificate ?? vm.x509CertificateChain.certificates[0]).rawBytes, 'base64')
  const certificate = `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----\n`
  const e = bundle.verificationMaterial.tlogEntries[0]
  const rekorBundle = JSON.stringify({
    SignedEntryTimestamp: e.inclusionPromise.signedEntryTimestamp,
    Payload: {
      body: e.canonicalizedBody,
      integratedTime: Number(e.integratedTime),
      logIndex: Number(e.logIndex),
      logID: Buffer.from(e.logId.keyId, 'base64').toString('hex')
    }
  })
  return await pushCosignManifest(url, repo, cosignTag(digest, 'sig'), [
    {
      bytes: payload,
      mediaType: SIMPLE_SIGNING,
      annotations: {
        'dev.cosignproject.cosign/signature': bundle.messageSignature.signature,
        'dev.sigstore.cosign/certificate': certificate,
        'dev.sigstore.cosign/bundle': rekorBundle
      }
    }
  ])
}
