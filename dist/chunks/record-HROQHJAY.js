import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  SIGSTORE_BUNDLE_V03
} from "./chunk-663A3DZZ.js";
import {
  OCI_EMPTY,
  OCI_MANIFEST,
  digestOf,
  fallbackIndex,
  isIndexMediaType,
  mergeIndexes,
  notAReferrersList,
  referrersTag
} from "./chunk-ICZ4UYAN.js";
import "./chunk-MEFUEGPP.js";
import {
  IN_TOTO_PAYLOAD_TYPE,
  STATEMENT_V1
} from "./chunk-TGJOLOKT.js";
import "./chunk-24QWVXFN.js";

// src/proof/record.ts
var PROMOTION_PREDICATE_TYPE = "https://promote-image.dev/promotion/v1";
var RECORD_IDENTITY = "dev.promote-image.record.identity";
function recordStatement(digest, predicate) {
  const [alg, hex] = digest.split(":");
  const subject = predicate.targets.map((t) => ({ name: t.repository, digest: { [alg]: hex } }));
  return Buffer.from(
    JSON.stringify({ _type: STATEMENT_V1, subject, predicateType: PROMOTION_PREDICATE_TYPE, predicate })
  );
}
function recordIdentity(run, digest, target) {
  if (run?.identity) return run.identity;
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
    if (index && !isIndexMediaType(index.mediaType))
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
    if (existing && !isIndexMediaType(existing.mediaType))
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
async function recordPromotion(api, subject, predicate, places, options, seen, serial) {
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
  const { signStatement } = await import("./sigstore-22BFIZFG.js");
  const statement = recordStatement(subject.digest, full);
  const bundle = await signStatement(statement, IN_TOTO_PAYLOAD_TYPE, options.signing);
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
  PROMOTION_PREDICATE_TYPE,
  RECORD_IDENTITY,
  RECORD_INDEX_ATTEMPTS,
  findRecord,
  lookForRecords,
  plannedRecord,
  recordIdentity,
  recordManifest,
  recordPromotion,
  recordStatement,
  writeRecord
};
