import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  ATTESTATION_SUBJECT,
  OCI_EMPTY,
  OCI_MANIFEST,
  PROMOTION_PREDICATE_TYPE,
  childDescriptors,
  cosignTags,
  digestOf,
  fallbackIndex,
  isAttestationManifest,
  isIndex,
  listAtSource,
  mergeIndexes,
  notAReferrersList,
  readSmallBlob,
  referrersTag
} from "./chunk-EGMZZ4ZJ.js";
import {
  DSSE_ENVELOPE,
  SIGNATURE_ANNOTATION,
  SIMPLE_SIGNING
} from "./chunk-MEFUEGPP.js";
import {
  IN_TOTO_PAYLOAD_TYPE,
  STATEMENT_V1
} from "./chunk-TGJOLOKT.js";

// src/proof/evidence.ts
var SIGSTORE_BUNDLE_PREFIX = "application/vnd.dev.sigstore.bundle";
var CERTIFICATE_ANNOTATION = "dev.sigstore.cosign/certificate";
var REKOR_BUNDLE_ANNOTATION = "dev.sigstore.cosign/bundle";
var SIGSTORE_BUNDLE_V03 = "application/vnd.dev.sigstore.bundle.v0.3+json";
var IN_TOTO_LAYER = "application/vnd.in-toto+json";
var MAX_EVIDENCE = 64;
function checkCount(n, what, digest) {
  if (n > MAX_EVIDENCE)
    throw new Error(`${what} of ${digest} lists ${n} entries, more than the ${MAX_EVIDENCE} the gate reads`);
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
    (c) => isAttestationManifest(c) && c.annotations?.[ATTESTATION_SUBJECT] === digest
  );
  const out = [];
  for (const a of atts) {
    const m = await api.getManifest(repo, a.digest);
    for (const l of m?.json.layers ?? [])
      if (l.mediaType === IN_TOTO_LAYER)
        out.push({
          kind: "in-index",
          via: `index attestation manifest ${a.digest}`,
          statement: await readSmallBlob(api, repo, l),
          manifest: a.digest
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

// src/proof/record.ts
var RECORD_IDENTITY = "dev.promote-image.record.identity";
function recordStatement(digest, predicate) {
  const [alg, hex] = digest.split(":");
  const subject = predicate.targets.map((t) => ({ name: t.repository, digest: { [alg]: hex } }));
  return Buffer.from(
    JSON.stringify({ _type: STATEMENT_V1, subject, predicateType: PROMOTION_PREDICATE_TYPE, predicate })
  );
}
function recordIdentity(run, digest, target) {
  if (run?.identity) {
    const rerun = run.runAttempt !== void 0 && run.runAttempt !== "1";
    return rerun && target.tags.some((t) => t.action === "move") ? `${run.identity}?attempt=${run.runAttempt}` : run.identity;
  }
  const tags = target.tags.map((t) => t.tag).sort();
  return digestOf(Buffer.from(JSON.stringify([digest, target.repository, tags])));
}
var EMPTY = Buffer.from("{}");
function recordManifest(bundle, subject, identity, created) {
  const layerDigest = digestOf(bundle);
  const json = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    artifactType: SIGSTORE_BUNDLE_V03,
    config: { mediaType: OCI_EMPTY, digest: digestOf(EMPTY), size: EMPTY.length },
    layers: [
      {
        mediaType: SIGSTORE_BUNDLE_V03,
        digest: layerDigest,
        size: bundle.length,
        annotations: { "org.opencontainers.image.title": `${layerDigest.replace(":", "-")}.sigstore.json` }
      }
    ],
    subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
    annotations: {
      "dev.sigstore.bundle.content": "dsse-envelope",
      "dev.sigstore.bundle.predicateType": PROMOTION_PREDICATE_TYPE,
      "org.opencontainers.image.created": created,
      [RECORD_IDENTITY]: identity
    }
  };
  const bytes = Buffer.from(JSON.stringify(json));
  return { bytes, mediaType: OCI_MANIFEST, digest: digestOf(bytes), json };
}
async function findRecord(api, repo, digest, identity) {
  const listed = await api.listReferrers(repo, digest, SIGSTORE_BUNDLE_V03);
  let entries;
  if (listed) entries = listed.manifests;
  else {
    const tag = referrersTag(digest);
    const index = await api.getManifest(repo, tag, { allowMissing: true });
    if (index && !isIndex(index))
      throw new Error(
        `promotion record: ${notAReferrersList(`${repo.registry}/${repo.repository}:${tag}`, index.mediaType)}`
      );
    entries = index ? index.json.manifests ?? [] : [];
  }
  const same = entries.find(
    (e) => e.artifactType === SIGSTORE_BUNDLE_V03 && e.annotations?.[RECORD_IDENTITY] === identity
  );
  return { ...same ? { found: same.digest } : {}, via: listed ? "api" : "fallback-tag" };
}
async function pushSmallBlob(api, repo, bytes) {
  const digest = digestOf(bytes);
  if (await api.headBlob(repo, digest) === bytes.length) return;
  const start = await api.startUpload(repo);
  if (!start.mounted) await api.putBlob(start.session, digest, bytes.length, bytes);
}
var RECORD_BLOBS = "record blobs";
var RECORD_INDEX_ATTEMPTS = 3;
async function writeRecord(api, repo, record, bundle, listsKept, serial = (_repo, _tag, fn) => fn()) {
  await serial(repo, RECORD_BLOBS, async () => {
    await pushSmallBlob(api, repo, EMPTY);
    await pushSmallBlob(api, repo, bundle);
  });
  const answer = {};
  await api.putManifest(repo, record.digest, record, answer);
  const subject = record.json.subject;
  if (answer.ociSubject || listsKept) return "referrers API";
  const tag = referrersTag(subject.digest);
  const entry = {
    mediaType: OCI_MANIFEST,
    digest: record.digest,
    size: record.bytes.length,
    artifactType: SIGSTORE_BUNDLE_V03,
    annotations: record.json.annotations
  };
  const ours = fallbackIndex([entry]);
  const read = async () => {
    const existing = await api.getManifest(repo, tag, { allowMissing: true });
    if (existing && !isIndex(existing))
      throw new Error(
        `promotion record: ${notAReferrersList(`${repo.registry}/${repo.repository}:${tag}`, existing.mediaType)}`
      );
    return existing;
  };
  await serial(repo, tag, async () => {
    let existing = await read();
    for (let attempt = 1; ; attempt++) {
      const merged = existing ? mergeIndexes(existing, ours) : ours;
      if (!merged) return;
      await api.putManifest(repo, tag, merged);
      existing = await read();
      if (existing && !mergeIndexes(existing, ours)) return;
      if (attempt === RECORD_INDEX_ATTEMPTS)
        throw new Error(
          `${repo.registry}/${repo.repository}:${tag}: another writer replaced the referrers list ${attempt} times, and it does not list the record ${record.digest}`
        );
    }
  });
  return tag;
}
function listedByOf(seen, subject) {
  return seen.via === "api" ? "referrers API" : referrersTag(subject);
}
async function lookForRecords(api, subject, places, run) {
  return await Promise.all(
    places.map(async (p) => {
      const identity = recordIdentity(run, subject, p.entry);
      return { identity, ...await findRecord(api, p.repo, subject, identity) };
    })
  );
}
function plannedRecord(seen, subject) {
  return {
    action: seen.found ? "present" : "write",
    ...seen.found ? { digest: seen.found } : {},
    listedBy: listedByOf(seen, subject)
  };
}
async function certifyRecord(options, seen, signal) {
  if (options.signing.kind !== "keyless" || seen.every((s) => s.found)) return void 0;
  const { KeylessSigner } = await import("./sigstore-FIU3P6UX.js");
  const signer = new KeylessSigner(options.signing);
  await signer.certify(signal);
  return signer;
}
async function recordPromotion(api, subject, predicate, places, options, seen, serial, signal) {
  const looked = seen ?? await lookForRecords(api, subject.digest, places, options.run);
  const present = (i) => ({
    target: places[i].target,
    action: "present",
    digest: looked[i].found,
    listedBy: listedByOf(looked[i], subject.digest)
  });
  if (looked.every((s) => s.found)) return places.map((_, i) => present(i));
  const created = new Date((options.now ?? Date.now)()).toISOString();
  const { identity: _identity, ...run } = options.run ?? {};
  const full = {
    ...predicate,
    targets: places.map((p) => p.entry),
    ...options.run ? { run } : {},
    promotedAt: created,
    tool: { name: "promote-image", version: options.version ?? "dev" }
  };
  const { signStatement } = await import("./sigstore-FIU3P6UX.js");
  const statement = recordStatement(subject.digest, full);
  const bundle = await signStatement(
    statement,
    IN_TOTO_PAYLOAD_TYPE,
    options.signing,
    options.certified,
    signal
  );
  return await Promise.all(
    places.map(async (p, i) => {
      if (looked[i].found) return present(i);
      const record = recordManifest(bundle, subject, looked[i].identity, created);
      const by = await writeRecord(api, p.repo, record, bundle, looked[i].via === "api", serial);
      return { target: p.target, action: "written", digest: record.digest, listedBy: by };
    })
  );
}

export {
  inIndexFound,
  findEvidence,
  RECORD_IDENTITY,
  recordStatement,
  recordIdentity,
  recordManifest,
  findRecord,
  RECORD_INDEX_ATTEMPTS,
  writeRecord,
  lookForRecords,
  plannedRecord,
  certifyRecord,
  recordPromotion
};
