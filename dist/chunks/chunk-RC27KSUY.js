#!/usr/bin/env node
import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  DEFAULT_REFERRERS,
  OCI_INDEX,
  digestOf,
  isIndex
} from "./chunk-A46IPO6H.js";
import {
  LIMITS,
  LimitError
} from "./chunk-A3CPNU7I.js";

// src/copy/referrers.ts
var COSIGN = "cosign";
var COSIGN_SUFFIXES = ["sig", "att", "sbom"];
var MAX_REFERRER_DEPTH = 4;
function discoveryOf(selection) {
  const s = selection ?? DEFAULT_REFERRERS;
  if (s === false || s === "none") return void 0;
  if (s === true) return { api: false, cosign: false };
  if (s === "all") return { api: true, cosign: true };
  const types = new Set(s.filter((t) => t !== COSIGN));
  return { api: true, cosign: s.includes(COSIGN), types };
}
function referrersTag(digest) {
  const [alg, hex] = digest.split(":");
  return `${alg.slice(0, 32)}-${hex.slice(0, 64)}`.replace(/[^a-zA-Z0-9._-]/g, "-");
}
function cosignTags(digest) {
  return COSIGN_SUFFIXES.map((s) => `${referrersTag(digest)}.${s}`);
}
function artifactTypeOf(m) {
  return m.json.artifactType ?? m.json.config?.mediaType;
}
function isAttestationManifest(d) {
  return d.annotations?.["vnd.docker.reference.type"] === "attestation-manifest" || d.platform?.os === "unknown" && d.platform?.architecture === "unknown";
}
async function listAtSource(api, repo, digest, d) {
  if (d.types?.size === 0) return void 0;
  if (d.api) {
    const only = d.types?.size === 1 ? [...d.types][0] : void 0;
    const listed = await api.listReferrers(repo, digest, only);
    if (listed) return listed.manifests.length ? { via: "api", entries: listed.manifests } : void 0;
  }
  const index = await api.getManifest(repo, referrersTag(digest), { allowMissing: true });
  if (!index || !isIndex(index) || !(index.json.manifests ?? []).length) return void 0;
  const entries = distinct(index.json.manifests ?? []);
  if (entries.length > LIMITS.referrersPerSubject)
    throw new LimitError(
      `${repo.registry}/${repo.repository}:${referrersTag(digest)} lists more than ${LIMITS.referrersPerSubject} referrers (the referrersPerSubject limit)`,
      "referrersPerSubject",
      LIMITS.referrersPerSubject
    );
  return { via: "fallback-tag", entries, index };
}
function distinct(list) {
  const seen = /* @__PURE__ */ new Set();
  return list.filter((d) => !seen.has(d.digest) && seen.add(d.digest));
}
function travels(d, type) {
  return !d.types || type !== void 0 && d.types.has(type);
}
function fallbackIndex(entries) {
  const manifests = entries.map((e) => ({
    mediaType: e.mediaType,
    digest: e.digest,
    size: e.size,
    ...e.artifactType ? { artifactType: e.artifactType } : {},
    ...e.annotations ? { annotations: e.annotations } : {}
  }));
  const json = { schemaVersion: 2, mediaType: OCI_INDEX, manifests };
  const bytes = Buffer.from(JSON.stringify(json));
  return { bytes, mediaType: OCI_INDEX, digest: digestOf(bytes), json };
}

export {
  COSIGN,
  MAX_REFERRER_DEPTH,
  discoveryOf,
  referrersTag,
  cosignTags,
  artifactTypeOf,
  isAttestationManifest,
  listAtSource,
  travels,
  fallbackIndex
};
