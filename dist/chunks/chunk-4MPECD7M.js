#!/usr/bin/env node
import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  predicateName
} from "./chunk-GV234NFE.js";
import {
  inline
} from "./chunk-WZK7EEJJ.js";

// src/report/markdown.ts
var HTML = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
function escapeText(text) {
  return inline(
    text.replace(/[&<>"'\\`*_{}[\]()#|~$]/g, (c) => HTML[c] ?? `&#${c.charCodeAt(0)};`).replace(/:\/\//g, "&#58;//").replace(/\r\n|\r|\n/g, "<br>")
  );
}
function code(text) {
  return `<code>${escapeText(text)}</code>`;
}
function link(text, url) {
  if (!url || !/^https?:\/\//.test(url)) return text;
  return `<a href="${url.replace(/[&<>"']/g, (c) => HTML[c])}">${text}</a>`;
}
function table(header, rows, align = []) {
  const rule = header.map((_, i) => align[i] === "right" ? "---:" : "---");
  return [header, rule, ...rows].map((r) => `| ${r.join(" | ")} |`);
}

// src/report/names.ts
var CLIP_CHARS = 120;
function clip(text, max = CLIP_CHARS) {
  return text.length > max ? `${text.slice(0, max - 1)}\u2026` : text;
}
function shortDigest(digest) {
  const colon = digest.indexOf(":");
  return colon < 0 ? clip(digest, 19) : digest.slice(0, colon + 13);
}
function shortTag(tag) {
  const m = /^(sha256-[0-9a-f]{12})[0-9a-f]{52}(\.[a-z]+)?$/.exec(tag);
  return m ? `${m[1]}\u2026${m[2] ?? ""}` : clip(tag);
}
var ARTIFACTS = {
  "application/vnd.dev.cosign.artifact.sig.v1+json": "cosign signature",
  "application/vnd.dev.cosign.simplesigning.v1+json": "cosign signature",
  "application/vnd.dev.sigstore.bundle.v0.3+json": "Sigstore bundle",
  "application/vnd.dev.sigstore.bundle+json;version=0.3": "Sigstore bundle",
  "application/vnd.in-toto+json": "in-toto attestation",
  "application/vnd.dsse.envelope.v1+json": "DSSE attestation",
  "application/spdx+json": "SPDX SBOM",
  "text/spdx": "SPDX SBOM",
  "application/vnd.cyclonedx+json": "CycloneDX SBOM",
  "application/vnd.cyclonedx+xml": "CycloneDX SBOM",
  "application/vnd.cncf.notary.signature": "Notation signature",
  "application/sarif+json": "SARIF report"
};
var COSIGN_TAGS = {
  sig: "cosign signature",
  att: "cosign attestation",
  sbom: "cosign SBOM"
};
function artifactName(artifactType) {
  if (!artifactType) return "artifact";
  return ARTIFACTS[artifactType] ?? code(clip(artifactType));
}
function cosignTagName(tag) {
  return COSIGN_TAGS[tag.slice(tag.lastIndexOf(".") + 1)] ?? "cosign tag";
}
function attestationText(source, markup = true) {
  const entries = source.attestations ?? [];
  if (!entries.length)
    return source.platforms.includes("unknown/unknown") ? "attestation manifests" : void 0;
  return attestationNames(entries, markup);
}
function attestationNames(entries, markup = true) {
  const mark = (text) => markup ? code(clip(text)) : text;
  const groups = /* @__PURE__ */ new Map();
  for (const e of entries) {
    const what = e.predicateTypes.length ? e.predicateTypes.map((t) => predicateName(t) ?? mark(t)) : ["attestations"];
    const kind = [...new Set(what)].join(" and ");
    const of = e.of ? mark(e.of.startsWith("sha256:") && markup ? shortDigest(e.of) : e.of) : "an unnamed manifest";
    groups.set(kind, [...groups.get(kind) ?? [], of]);
  }
  return [...groups].map(([kind, of]) => `${kind} of ${[...new Set(of)].join(", ")}`).join("; ");
}
var MEDIA_TYPES = {
  "application/vnd.oci.image.index.v1+json": "OCI image index",
  "application/vnd.oci.image.manifest.v1+json": "OCI image manifest",
  "application/vnd.docker.distribution.manifest.list.v2+json": "Docker manifest list",
  "application/vnd.docker.distribution.manifest.v2+json": "Docker image manifest"
};
function mediaTypeName(mediaType) {
  return MEDIA_TYPES[mediaType] ?? code(clip(mediaType));
}
function imageName(reference) {
  const bare = reference.split("@")[0];
  const path = bare.slice(bare.indexOf("/") + 1);
  const name = path.slice(path.lastIndexOf("/") + 1);
  return name.includes(":") ? name.slice(0, name.indexOf(":")) : name;
}
var VERSION = /^v?\d+(\.\d+)*([-+][0-9A-Za-z.+-]+)?$/;
function versionOf(tags, ref) {
  const versions = tags.filter((t) => VERSION.test(t));
  const parts = (v) => v.split(/[-+]/)[0].split(".").length;
  const best = versions.reduce(
    (a, v) => a === void 0 || parts(v) > parts(a) ? v : a,
    void 0
  );
  if (best) return best;
  return ref?.startsWith("refs/tags/") ? ref.slice("refs/tags/".length) : void 0;
}
function reachText(targets) {
  const registries = new Set(targets.map((t) => t.slice(0, t.indexOf("/")))).size;
  const r = `${registries} registr${registries === 1 ? "y" : "ies"}`;
  return registries === targets.length ? r : `${targets.length} targets on ${r}`;
}
function releaseTitle(reference, tags, ref) {
  const name = reference ? imageName(reference) : "";
  const version = versionOf(tags, ref);
  return escapeText(clip([name || "the image", version].filter(Boolean).join(" ")));
}

export {
  escapeText,
  code,
  link,
  table,
  clip,
  shortDigest,
  shortTag,
  artifactName,
  cosignTagName,
  attestationText,
  attestationNames,
  mediaTypeName,
  reachText,
  releaseTitle
};
