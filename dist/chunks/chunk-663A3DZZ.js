import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  DigestVerifier,
  LIMITS,
  bytesText,
  childDescriptors,
  cosignTags,
  isAttestationManifest,
  isIndex,
  listAtSource
} from "./chunk-ICZ4UYAN.js";
import {
  DSSE_ENVELOPE,
  SIGNATURE_ANNOTATION,
  SIMPLE_SIGNING
} from "./chunk-MEFUEGPP.js";

// src/proof/evidence.ts
var SIGSTORE_BUNDLE_PREFIX = "application/vnd.dev.sigstore.bundle";
var CERTIFICATE_ANNOTATION = "dev.sigstore.cosign/certificate";
var REKOR_BUNDLE_ANNOTATION = "dev.sigstore.cosign/bundle";
var SIGSTORE_BUNDLE_V03 = "application/vnd.dev.sigstore.bundle.v0.3+json";
var IN_TOTO_LAYER = "application/vnd.in-toto+json";
var REFERENCE_DIGEST = "vnd.docker.reference.digest";
var MAX_EVIDENCE = 64;
function checkCount(n, what, digest) {
  if (n > MAX_EVIDENCE)
    throw new Error(`${what} of ${digest} lists ${n} entries, more than the ${MAX_EVIDENCE} the gate reads`);
}
async function readSmallBlob(api, repo, d) {
  if (d.size > LIMITS.manifestBytes)
    throw new Error(
      `blob ${d.digest} declares ${d.size} bytes, larger than the manifestBytes limit of ${bytesText(LIMITS.manifestBytes)}`
    );
  const v = new DigestVerifier(d.digest);
  const chunks = [];
  for await (const c of api.readBlob(repo, d.digest, d.size)) {
    v.update(c);
    chunks.push(c);
    if (v.bytes > d.size) break;
  }
  const got = v.digest();
  if (v.bytes !== d.size || got !== d.digest)
    throw new Error(`blob ${d.digest}: got ${v.bytes} bytes hashing to ${got}, wanted ${d.size} bytes`);
  return Buffer.concat(chunks);
}
var COSIGN_SIGNATURE_ARTIFACT = "application/vnd.dev.cosign.artifact.sig.v1+json";
async function signatureLayers(api, repo, m, via) {
  const out = [];
  for (const [i, l] of (m?.layers ?? []).entries()) {
    const signature = l.annotations?.[SIGNATURE_ANNOTATION];
    if (l.mediaType !== SIMPLE_SIGNING || !signature) continue;
    const payload = await readSmallBlob(api, repo, l);
    const certificate = l.annotations?.[CERTIFICATE_ANNOTATION];
    const rekorBundle = l.annotations?.[REKOR_BUNDLE_ANNOTATION];
    out.push({
      kind: "simple-signing",
      via: `${via} layer ${i}`,
      payload,
      signature,
      ...certificate ? { certificate } : {},
      ...rekorBundle ? { rekorBundle } : {}
    });
  }
  return out;
}
async function cosignFound(api, repo, digest) {
  const [sigTag, attTag] = cosignTags(digest);
  const [sig, att] = await Promise.all(
    [sigTag, attTag].map((t) => api.getManifest(repo, t, { allowMissing: true }))
  );
  checkCount(sig?.json.layers?.length ?? 0, `tag ${sigTag}`, digest);
  checkCount(att?.json.layers?.length ?? 0, `tag ${attTag}`, digest);
  const out = await signatureLayers(api, repo, sig?.json, `tag ${sigTag}`);
  for (const [i, l] of (att?.json.layers ?? []).entries()) {
    if (l.mediaType !== DSSE_ENVELOPE) continue;
    out.push({ kind: "dsse", via: `tag ${attTag} layer ${i}`, envelope: await readSmallBlob(api, repo, l) });
  }
  return out;
}
function maySign(artifactType) {
  return artifactType === void 0 || artifactType.startsWith(SIGSTORE_BUNDLE_PREFIX) || artifactType === COSIGN_SIGNATURE_ARTIFACT;
}
async function referrersFound(api, repo, digest) {
  const listed = await listAtSource(api, repo, digest, { api: true, cosign: false });
  const signing = (listed?.entries ?? []).filter((e) => maySign(e.artifactType));
  checkCount(signing.length, "the referrers list", digest);
  const out = [];
  for (const e of signing) {
    const m = await api.getManifest(repo, e.digest);
    const type = m?.json.artifactType ?? m?.json.config?.mediaType ?? "";
    if (type === COSIGN_SIGNATURE_ARTIFACT) {
      checkCount(m?.json.layers?.length ?? 0, `referrer ${e.digest}`, digest);
      out.push(...await signatureLayers(api, repo, m?.json, `referrer ${e.digest}`));
      continue;
    }
    const layer = m?.json.layers?.[0];
    if (!m || !type.startsWith(SIGSTORE_BUNDLE_PREFIX) || !layer) continue;
    const bundle = await readSmallBlob(api, repo, layer);
    const annotations = { ...e.annotations ?? {}, ...m.json.annotations ?? {} };
    out.push({ kind: "bundle", via: `referrer ${e.digest}`, bundle, referrer: e.digest, annotations });
  }
  return out;
}
async function inIndexFound(api, repo, root, digest) {
  const atts = childDescriptors(root).filter(
    (c) => isAttestationManifest(c) && c.annotations?.[REFERENCE_DIGEST] === digest
  );
  const out = [];
  for (const a of atts) {
    const m = await api.getManifest(repo, a.digest);
    for (const l of m?.json.layers ?? [])
      if (l.mediaType === IN_TOTO_LAYER)
        out.push({
          kind: "in-index",
          via: `index attestation manifest ${a.digest}`,
          statement: await readSmallBlob(api, repo, l)
        });
  }
  return out;
}
async function findEvidence(api, repo, digest, index) {
  const parts = await Promise.all([
    cosignFound(api, repo, digest),
    referrersFound(api, repo, digest),
    index && isIndex(index) ? inIndexFound(api, repo, index, digest) : Promise.resolve([])
  ]);
  return parts.flat();
}

export {
  SIGSTORE_BUNDLE_V03,
  inIndexFound,
  findEvidence
};
