import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  LIMITS,
  LimitError,
  bytesText,
  jsonDepth
} from "./chunk-MCYELEY5.js";

// src/oci/digest.ts
import { createHash } from "node:crypto";
var DIGEST_RE = /^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;
var DIGEST_GRAMMAR = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;
function digestProblem(value) {
  if (typeof value !== "string") return `digest is not a string`;
  if (DIGEST_RE.test(value)) return void 0;
  const quoted = JSON.stringify(value.length > 160 ? `${value.slice(0, 160)}\u2026` : value);
  if (!DIGEST_GRAMMAR.test(value)) return `${quoted} is not a digest (algorithm:encoded)`;
  const algorithm = value.slice(0, value.indexOf(":"));
  if (algorithm === "sha256" || algorithm === "sha512")
    return `${quoted} is not a ${algorithm} digest (${algorithm === "sha256" ? 64 : 128} lowercase hex)`;
  return `${quoted} uses the unsupported algorithm ${algorithm} (supported: sha256, sha512)`;
}
function isDigest(digest) {
  return DIGEST_RE.test(digest);
}
function digestAlgorithm(digest) {
  if (!DIGEST_RE.test(digest)) {
    throw new Error(
      `unsupported or malformed digest "${digest}": expected sha256:<64 lowercase hex> or sha512:<128 lowercase hex>`
    );
  }
  return digest.slice(0, 6);
}
function digestOf(bytes, algorithm = "sha256") {
  return `${algorithm}:${createHash(algorithm).update(bytes).digest("hex")}`;
}
var DigestVerifier = class {
  constructor(expected) {
    this.expected = expected;
    this.hash = createHash(digestAlgorithm(expected));
  }
  expected;
  hash;
  /** Bytes seen so far. */
  bytes = 0;
  update(chunk) {
    this.bytes += chunk.length;
    this.hash.update(chunk);
  }
  /** The digest of everything seen; call once, at the end. */
  digest() {
    return `${digestAlgorithm(this.expected)}:${this.hash.digest("hex")}`;
  }
};

// src/oci/mediatypes.ts
var OCI_INDEX = "application/vnd.oci.image.index.v1+json";
var OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
var DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
var DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
var OCI_EMPTY = "application/vnd.oci.empty.v1+json";
var MANIFEST_ACCEPT = [OCI_INDEX, OCI_MANIFEST, DOCKER_MANIFEST_LIST, DOCKER_MANIFEST].join(", ");
function isIndexMediaType(mediaType) {
  return mediaType === OCI_INDEX || mediaType === DOCKER_MANIFEST_LIST;
}
function isImageManifestMediaType(mediaType) {
  return mediaType === OCI_MANIFEST || mediaType === DOCKER_MANIFEST;
}
function isManifestMediaType(mediaType) {
  return isIndexMediaType(mediaType) || isImageManifestMediaType(mediaType);
}
function isNonDistributable(mediaType) {
  return mediaType.includes(".nondistributable.") || mediaType.includes(".foreign.");
}

// src/oci/descriptor.ts
var isObject = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
function platformProblem(p) {
  if (!isObject(p)) return "platform is not an object";
  for (const key of ["os", "architecture", "variant", "os.version"])
    if (p[key] !== void 0 && typeof p[key] !== "string") return `platform.${key} is not a string`;
  const features = p["os.features"];
  if (features !== void 0 && !(Array.isArray(features) && features.every((f) => typeof f === "string")))
    return "platform.os.features is not a list of strings";
  return void 0;
}
function descriptorProblem(d) {
  if (!isObject(d))
    return d === null ? "it is null" : `it is ${Array.isArray(d) ? "a list" : `a ${typeof d}`}`;
  if (typeof d.mediaType !== "string") return "mediaType is not a string";
  const digest = digestProblem(d.digest);
  if (digest) return digest.startsWith("digest ") ? digest : `digest ${digest}`;
  if (typeof d.size !== "number" || !Number.isSafeInteger(d.size) || d.size < 0)
    return "size is not a non-negative integer";
  if (d.platform !== void 0) return platformProblem(d.platform);
  return void 0;
}
function checkManifestShape(json, index, what) {
  if (!isObject(json)) throw new Error(`${what}: is not a JSON object`);
  const list = (key) => {
    const v = json[key];
    if (v === void 0) return;
    if (!Array.isArray(v)) throw new Error(`${what}: ${key} is not a list`);
    if (key === "manifests" && v.length > LIMITS.indexChildren)
      throw new Error(
        `${what}: lists ${v.length} manifests, over the indexChildren limit of ${LIMITS.indexChildren}`
      );
    v.forEach((d, i) => one(`${key}[${i}]`, d));
  };
  const one = (where, d) => {
    const problem = descriptorProblem(d);
    if (problem) throw new Error(`${what}: ${where} is not a descriptor (${problem})`);
  };
  if (index) list("manifests");
  else {
    if (json.config !== void 0) one("config", json.config);
    list("layers");
  }
  if (json.subject !== void 0) one("subject", json.subject);
}

// src/oci/manifest.ts
function parseManifest(bytes, contentType, digest, what) {
  const text = bytes.toString("utf8");
  const name = what ?? digest ?? digestOf(bytes);
  if (jsonDepth(text, LIMITS.jsonDepth) > LIMITS.jsonDepth)
    throw new Error(`manifest ${name}: JSON nested deeper than the jsonDepth limit of ${LIMITS.jsonDepth}`);
  let json;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`manifest is not valid JSON: ${e.message}`);
  }
  if (!json || typeof json !== "object" || Array.isArray(json))
    throw new Error(`manifest ${name}: is not a JSON object`);
  const header = (contentType ?? "").split(";")[0].trim();
  let mediaType = isManifestMediaType(header) ? header : json.mediaType ?? "";
  if (!mediaType) mediaType = json.manifests ? OCI_INDEX : OCI_MANIFEST;
  if (!isManifestMediaType(mediaType)) throw new Error(`unsupported manifest media type "${mediaType}"`);
  if (json.mediaType && json.mediaType !== mediaType) {
    throw new Error(`manifest mediaType "${json.mediaType}" does not match Content-Type "${mediaType}"`);
  }
  const index = isIndexMediaType(mediaType);
  checkManifestShape(json, index, `${index ? "index" : "manifest"} ${name}`);
  return { bytes, mediaType, digest: digest ?? digestOf(bytes), json };
}
function isIndex(m) {
  return isIndexMediaType(m.mediaType);
}
function childDescriptors(m) {
  return isIndex(m) ? m.json.manifests ?? [] : [];
}
var ATTESTATION_SUBJECT = "vnd.docker.reference.digest";
function runtimeSelectable(d) {
  return !(d.platform?.os === "unknown" && d.platform.architecture === "unknown");
}
function blobDescriptors(m, includeNonDistributable = false) {
  if (!isImageManifestMediaType(m.mediaType)) return [];
  const out = [];
  if (m.json.config) out.push(m.json.config);
  for (const l of m.json.layers ?? []) {
    if (includeNonDistributable || !isNonDistributable(l.mediaType)) out.push(l);
  }
  return out;
}
function configPlatformOf(bytes) {
  let json;
  try {
    json = JSON.parse(bytes.toString("utf8"));
  } catch {
    return void 0;
  }
  if (!json || typeof json !== "object") return void 0;
  if (typeof json.os !== "string" || typeof json.architecture !== "string") return void 0;
  const text = (k) => typeof json[k] === "string" && json[k] ? json[k] : void 0;
  const features = json["os.features"];
  const variant = text("variant");
  const osVersion = text("os.version");
  return {
    architecture: json.architecture,
    os: json.os,
    ...osVersion ? { "os.version": osVersion } : {},
    ...Array.isArray(features) && features.length && features.every((f) => typeof f === "string") ? { "os.features": features } : {},
    ...variant ? { variant } : {}
  };
}
function formatPlatform(p) {
  if (!p) return "";
  return [p.os, p.architecture, p.variant].filter(Boolean).join("/");
}
function mergeIndexes(base, add) {
  const have = new Set((base.json.manifests ?? []).map((d) => d.digest));
  const missing = (add.json.manifests ?? []).filter((d) => !have.has(d.digest));
  if (missing.length === 0) return void 0;
  const json = { ...base.json, mediaType: OCI_INDEX, manifests: [...base.json.manifests ?? [], ...missing] };
  const bytes = Buffer.from(JSON.stringify(json));
  return { bytes, mediaType: OCI_INDEX, digest: digestOf(bytes), json };
}

// src/referrers/discovery.ts
var COSIGN_SUFFIXES = ["sig", "att", "sbom"];
var MAX_REFERRER_DEPTH = 4;
function referrersTag(digest) {
  const [alg, hex] = digest.split(":");
  return `${alg.slice(0, 32)}-${hex.slice(0, 64)}`.replace(/[^a-zA-Z0-9._-]/g, "-");
}
function notAReferrersList(where, mediaType) {
  return `${where} holds a ${mediaType}, not an index: it is not a referrers list, and promote-image will not replace it`;
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
async function listAtSource(api, repo, digest, d, tags) {
  if (d.types?.size === 0) return void 0;
  if (d.api) {
    const only = d.types?.size === 1 ? [...d.types][0] : void 0;
    const listed = await api.listReferrers(repo, digest, only);
    if (listed) return listed.manifests.length ? { via: "api", entries: listed.manifests } : void 0;
  }
  if (await tags?.has(repo, referrersTag(digest)) === false) return void 0;
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

// src/proof/policy.ts
var PROMOTION_PREDICATE_TYPE = "https://promote-image.dev/promotion/v1";
var COSIGN_SIGN_PREDICATE = "https://sigstore.dev/cosign/sign/v1";
function checkSubject(c) {
  return `${c.check} of ${c.digest}${c.platform ? ` (${c.platform})` : ""}`;
}
function matchText(m) {
  return "exact" in m ? JSON.stringify(m.exact) : `/${m.regexp}/`;
}
function matches(m, value) {
  if (value === void 0) return false;
  return "exact" in m ? value === m.exact : new RegExp(m.regexp).test(value);
}
function signerText(s) {
  return "key" in s ? `key ${s.key}` : `identity ${JSON.stringify(s.identity)} issued by ${JSON.stringify(s.issuer)}`;
}
function wantedSigners(p) {
  const keys = p.keys.map((k) => `key ${k.name}`);
  const ids = p.identities.map(
    (i) => `identity ${matchText(i.subject)}${i.issuer ? ` issued by ${matchText(i.issuer)}` : ""}`
  );
  return [...keys, ...ids].join(" or ");
}
function accepts(p, s) {
  if (!s) return false;
  if ("key" in s) return p.keys.some((k) => k.name === s.key);
  return p.identities.some((i) => matches(i.subject, s.identity) && (!i.issuer || matches(i.issuer, s.issuer)));
}
function foundText(a) {
  const who = a.signer ? `signed by ${signerText(a.signer)}` : a.problem ?? "not verified";
  const ref = a.dockerReference ? ` (docker-reference ${a.dockerReference}: informational, the digest binds)` : "";
  return `${a.via}: ${who}${ref}`;
}
var isRecord = (a) => !!a.record || a.statement?.predicateType === PROMOTION_PREDICATE_TYPE;
function neverASignature(a) {
  if (a.inIndex || isRecord(a)) return true;
  return !!a.statement && a.statement.predicateType !== COSIGN_SIGN_PREDICATE;
}
function attestationText(a) {
  const what = isRecord(a) ? "a promotion record" : "an attestation";
  const type = a.statement ? ` (${a.statement.predicateType})` : "";
  const who = a.signer ? `, signed by ${signerText(a.signer)}` : a.problem ? ` (${a.problem})` : "";
  return `${a.via}: ${what}${type}${who}, which is not a signature of the image`;
}
function signatureCandidates(digest, found) {
  return found.filter((a) => !neverASignature(a) && (a.signs === void 0 || a.signs === digest));
}
function goodSignature(p, digest, found) {
  return signatureCandidates(digest, found).find((a) => accepts(p, a.signer) && a.signs === digest);
}
function checkSignature(p, digest, found) {
  if (!p.keys.length && !p.identities.length) return void 0;
  const wanted = `a signature over ${digest} by ${wantedSigners(p)}`;
  const about = signatureCandidates(digest, found);
  const good = goodSignature(p, digest, found);
  if (good) return { check: "signature", digest, passed: true, found: foundText(good), wanted };
  const text = about.map(
    (a) => a.signer && !accepts(p, a.signer) ? `${a.via}: signed by ${signerText(a.signer)}` : foundText(a)
  );
  if (!text.length)
    text.push(
      ...found.filter((a) => !a.inIndex && neverASignature(a) && a.signs === digest).map(attestationText)
    );
  return { check: "signature", digest, passed: false, found: text.join("; ") || "no signature", wanted };
}
var FIELD_PATHS = {
  "builder.id": ["runDetails.builder.id", "builder.id"],
  "source.repository": [
    "buildDefinition.externalParameters.workflow.repository",
    "buildDefinition.externalParameters.configSource.uri",
    "invocation.configSource.uri"
  ],
  "source.ref": ["buildDefinition.externalParameters.workflow.ref", "invocation.configSource.entryPoint"]
};
function fieldPaths(field) {
  return FIELD_PATHS[field] ?? [field];
}
function valueAt(obj, path) {
  let v = obj;
  for (const part of path.split(".")) {
    if (typeof v !== "object" || v === null) return void 0;
    v = v[part];
  }
  return typeof v === "string" || typeof v === "number" || typeof v === "boolean" ? String(v) : void 0;
}
function brokenRule(statement, rules) {
  for (const r of rules) {
    const paths = fieldPaths(r.field);
    const path = paths.find((p) => valueAt(statement.predicate, p) !== void 0) ?? paths[0];
    const value = valueAt(statement.predicate, path);
    if (matches(r.want, value)) continue;
    const name = path === r.field ? r.field : `${r.field} (${path})`;
    const got = value === void 0 ? "absent" : `is ${JSON.stringify(value)}`;
    return `field ${name} ${got}, wanted ${matchText(r.want)}`;
  }
  return void 0;
}
var NO_ATTESTATION = "no attestation of type";
function missingText(type, statements) {
  const types = [...new Set(statements.map((a) => a.statement?.predicateType))].filter(Boolean);
  return `${NO_ATTESTATION} ${type}${types.length ? ` (found: ${types.join(", ")})` : ""}`;
}
function boundText(a) {
  if (!a.inIndex) return `signed by ${signerText(a.signer)}`;
  return a.signer ? `attestation manifest signed by ${signerText(a.signer)}` : "bound by the index digest";
}
function checkAttestation(p, rule, digest, found) {
  const check = `attestation ${rule.predicateType}`;
  const rules = rule.rules.map((r) => `${r.field} ${matchText(r.want)}`);
  const signers = p.keys.length || p.identities.length ? ` by ${wantedSigners(p)}` : "";
  const wanted = `${check} about ${digest}${signers || " in the index"}${rules.length ? ` with ${rules.join(", ")}` : ""}`;
  const statements = found.filter((a) => a.statement && (a.inIndex || a.signs === digest));
  const typed = statements.filter((a) => a.statement?.predicateType === rule.predicateType);
  const trusted = typed.filter((a) => a.inIndex ? !a.problem : accepts(p, a.signer));
  for (const a of trusted)
    if (!brokenRule(a.statement, rule.rules))
      return { check, digest, passed: true, found: `${a.via}: ${boundText(a)}`, wanted };
  const text = typed.map(
    (a) => trusted.includes(a) ? `${a.via}: ${brokenRule(a.statement, rule.rules)}` : `${a.via}: ${a.signer ? `signed by ${signerText(a.signer)}` : a.problem ?? "not verified"}`
  );
  return {
    check,
    digest,
    passed: false,
    found: text.length ? text.join("; ") : missingText(rule.predicateType, statements),
    wanted
  };
}
function evaluate(p, digest, found) {
  const sig = checkSignature(p, digest, found);
  return [...sig ? [sig] : [], ...p.attestations.map((r) => checkAttestation(p, r, digest, found))];
}

// src/registry/errors.ts
var RETRYABLE_STATUS = /* @__PURE__ */ new Set([408, 429, 500, 502, 503, 504]);
function redactUrl(url) {
  try {
    const u = new URL(url.toString());
    const keys = [...new Set(u.searchParams.keys())];
    const query = keys.length ? `?${keys.map((k) => `${encodeURIComponent(k)}=\u2026`).join("&")}` : "";
    return `${u.protocol}//${u.host}${u.pathname}${query}`;
  } catch {
    return "(unparseable URL)";
  }
}
function parseErrorBody(body) {
  try {
    const json = JSON.parse(body);
    return Array.isArray(json.errors) ? json.errors.filter((e) => e && typeof e.code === "string") : [];
  } catch {
    return [];
  }
}
var ACCESS_WORDS = /access|denied|permission|forbidden|unauthori[sz]ed|authenticat|credential|log ?in|scope|not allowed|token/i;
function hasOwnReason(errors) {
  const messages = errors.map((e) => typeof e.message === "string" ? e.message.trim() : "").filter(Boolean);
  return messages.length > 0 && !messages.some((m) => ACCESS_WORDS.test(m));
}
var RegistryError = class extends Error {
  constructor(method, url, status, body, hint) {
    const errors = parseErrorBody(body);
    const detail = errors.length ? errors.map(
      (e) => `${e.code}${e.message ? ": " + e.message : ""}${e.detail ? " (" + JSON.stringify(e.detail) + ")" : ""}`
    ).join("; ") : body.trim().slice(0, 300);
    super(
      `${method} ${redactUrl(url)} answered ${status}${detail ? ": " + detail : ""}${hint ? " \u2014 " + hint : ""}`
    );
    this.method = method;
    this.url = url;
    this.status = status;
    this.name = "RegistryError";
    this.errors = errors;
  }
  method;
  url;
  status;
  errors;
  /**
   * true when no retry can cure it within this run, whatever the status (the registry asked,
   * with `Retry-After`, for a wait beyond the retry budget): {@link isTemporary} is then false
   */
  final = false;
  /** tries the request made, this answer the last (transport.ts; {@link requestTries}) */
  tries = 1;
  /** True when the status says a retry may succeed. */
  get temporary() {
    return RETRYABLE_STATUS.has(this.status);
  }
  /** True when any error entry has `code`. */
  hasCode(code) {
    return this.errors.some((e) => e.code === code);
  }
};
var RequestFailedError = class extends Error {
  constructor(message, tries, options) {
    super(message, options);
    this.tries = tries;
    this.name = "RequestFailedError";
  }
  tries;
};
function requestTries(e) {
  let tries = 0;
  for (const c of causes(e))
    if (c instanceof RegistryError || c instanceof RequestFailedError) tries = Math.max(tries, c.tries);
  return tries;
}
var DownloadBrokenError = class extends Error {
  constructor(message, options) {
    super(message, options);
    this.name = "DownloadBrokenError";
  }
};
function bodyBrokeText(code, received, declared, timeoutMs) {
  const of = declared !== void 0 && Number.isSafeInteger(declared) ? ` of ${declared}` : "";
  const how = /TIMEOUT/.test(code) ? `the body paused for longer than the request timeout (${Math.round(timeoutMs / 1e3)} s)` : "the connection was closed";
  return `${how} after ${received}${of} bytes of the body`;
}
var BodyBrokenError = class extends Error {
  constructor(what, received, declared, cause, timeoutMs, tries) {
    const code = errorCode(cause) || cause?.message || "closed before its end";
    const totals = tries && tries.tries > 1 ? `${triesTotalText(tries.tries, tries.elapsedMs)}; ` : "";
    super(`${what}: ${bodyBrokeText(code, received, declared, timeoutMs)} (${totals}${code})`, { cause });
    this.what = what;
    this.received = received;
    this.declared = declared;
    this.timeoutMs = timeoutMs;
    this.tries = tries;
    this.name = "BodyBrokenError";
  }
  what;
  received;
  declared;
  timeoutMs;
  tries;
  /** the words without what or code: `the connection was closed after 245 of 491 bytes of the body` */
  get broke() {
    return bodyBrokeText(errorCode(this.cause), this.received, this.declared, this.timeoutMs);
  }
  /** true once the transport gave up on the request (see `tries`) */
  get final() {
    return this.tries !== void 0;
  }
};
var BodyDeadlineError = class extends Error {
  constructor(message) {
    super(message);
    this.name = "BodyDeadlineError";
  }
};
var DigestMismatchError = class extends Error {
  constructor(what, expected, actual, bytes, said = "asked") {
    super(
      said === "header" ? `${what}: the registry's Docker-Content-Digest says ${expected}, but the ${bytes} bytes it served hash to ${actual}: the registry, or a proxy in front of it, reports a digest its bytes do not have` : `${what}: expected digest ${expected} but the bytes hash to ${actual}${bytes !== void 0 ? ` (${bytes} bytes)` : ""}`
    );
    this.what = what;
    this.expected = expected;
    this.actual = actual;
    this.bytes = bytes;
    this.said = said;
    this.name = "DigestMismatchError";
  }
  what;
  expected;
  actual;
  bytes;
  said;
};
var PutDigestMismatchError = class extends Error {
  constructor(reference, sent, reported, status) {
    super(
      `PUT manifest ${reference} was accepted (${status}), but the registry's answer reports digest ${reported}, not ${sent} (the bytes sent)`
    );
    this.reference = reference;
    this.sent = sent;
    this.reported = reported;
    this.status = status;
    this.name = "PutDigestMismatchError";
  }
  reference;
  sent;
  reported;
  status;
};
var UploadRangeError = class extends Error {
  constructor(message) {
    super(message);
    this.name = "UploadRangeError";
  }
};
var TEMPORARY_NETWORK_CODES = /* @__PURE__ */ new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "EPIPE",
  "ETIMEDOUT",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "UND_ERR_CLOSED"
]);
var TEMPORARY_OCI_CODES = /* @__PURE__ */ new Set(["TOOMANYREQUESTS", "UNAVAILABLE"]);
var FINAL_OCI_CODES = /* @__PURE__ */ new Set([
  "BLOB_UNKNOWN",
  "BLOB_UPLOAD_INVALID",
  "BLOB_UPLOAD_UNKNOWN",
  "DIGEST_INVALID",
  "MANIFEST_BLOB_UNKNOWN",
  "MANIFEST_INVALID",
  "MANIFEST_UNKNOWN",
  "MANIFEST_UNVERIFIED",
  "NAME_INVALID",
  "NAME_UNKNOWN",
  "SIZE_INVALID",
  "TAG_INVALID",
  "UNAUTHORIZED",
  "DENIED",
  "UNSUPPORTED"
]);
function hasFinalCode(body) {
  const errors = typeof body === "string" ? parseErrorBody(body) : body;
  return errors.some((e) => FINAL_OCI_CODES.has(e.code));
}
function causes(e) {
  const out = [];
  for (let cur = e, i = 0; cur && i < 8; i++, cur = cur.cause) out.push(cur);
  return out;
}
function errorCode(e) {
  for (const c of causes(e)) {
    const code = c.code;
    if (typeof code === "string" && code) return code;
  }
  return "";
}
function isTemporary(e) {
  for (const c of causes(e)) {
    if (c instanceof DigestMismatchError || c instanceof DownloadBrokenError) return false;
    if (c instanceof BodyBrokenError && c.final) return false;
    if (c instanceof UploadRangeError) return true;
    if (c instanceof Error && c.name === "AuthError") return false;
    if (c instanceof RegistryError)
      return !c.final && !hasFinalCode(c.errors) && (RETRYABLE_STATUS.has(c.status) || c.errors.some((x) => TEMPORARY_OCI_CODES.has(x.code)));
  }
  return TEMPORARY_NETWORK_CODES.has(errorCode(e));
}
var TLS_VERIFY_CODES = /^(CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|ERR_TLS_CERT_ALTNAME_INVALID|HOSTNAME_MISMATCH)/;
function isTlsVerifyError(e) {
  return TLS_VERIFY_CODES.test(errorCode(e));
}
var CLOSED_CODES = /* @__PURE__ */ new Set(["ECONNRESET", "EPIPE", "UND_ERR_SOCKET", "UND_ERR_CLOSED"]);
var CLOSED_BY_PEER_CODES = /* @__PURE__ */ new Set(["ECONNRESET", "EPIPE", "UND_ERR_SOCKET"]);
var CONNECT_CODES = /* @__PURE__ */ new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);
function isConnectionFailure(e) {
  const code = errorCode(e);
  return CLOSED_CODES.has(code) || CONNECT_CODES.has(code);
}
var ProxyConnectError = class extends Error {
  constructor(proxy, cause) {
    super(`cannot connect to the proxy ${proxy} (${cause.code ?? cause.message})`, { cause });
    this.proxy = proxy;
    this.name = "ProxyConnectError";
  }
  proxy;
};
var CONNECT_REFUSED = /^Proxy response \((\d{3})\) !== 200 when HTTP Tunneling$/;
var PROXY_407 = /^Proxy Authentication Required \(407\)$/;
function proxyProblem(e) {
  for (const c of causes(e)) {
    if (c instanceof ProxyConnectError) return `cannot connect to the proxy ${c.proxy}`;
    if (c instanceof Error && PROXY_407.test(c.message))
      return "the proxy asks for credentials (407; give them in the proxy URL, http://USER:PASSWORD@HOST:PORT)";
    const status = c instanceof Error ? CONNECT_REFUSED.exec(c.message)?.[1] : void 0;
    if (status === "407")
      return "the proxy asks for credentials (407 to CONNECT; give them in the proxy URL, http://USER:PASSWORD@HOST:PORT)";
    if (status) return `the proxy refused the tunnel (${status} to CONNECT)`;
  }
  return void 0;
}
function noAnswerWhat(e, timeoutMs, peer) {
  const proxy = proxyProblem(e);
  if (proxy) return proxy;
  const code = errorCode(e);
  if (/TIMEOUT/.test(code)) return `connected, but got no answer within ${Math.round(timeoutMs / 1e3)} s`;
  if (peer === "registry" && CLOSED_BY_PEER_CODES.has(code)) return "connection closed by the registry";
  return CLOSED_CODES.has(code) ? "the connection was closed before an answer" : "cannot connect";
}
function triesTotalText(tries, elapsedMs) {
  return `${tries} tries, ${(elapsedMs / 1e3).toFixed(1)} s in all`;
}
function noAnswerText(e, timeoutMs, context = {}) {
  const code = errorCode(e) || e?.message;
  const { tries = 1, elapsedMs } = context;
  const totals = tries > 1 && elapsedMs !== void 0 ? `${triesTotalText(tries, elapsedMs)}; ` : "";
  return `${noAnswerWhat(e, timeoutMs, context.peer)} (${totals}${code})`;
}
function bareInsecureEntries(insecure, registry) {
  const m = /^(.+):(\d+)$/.exec(registry.toLowerCase());
  if (!m) return [];
  return [...insecure].filter((h) => h === m[1]);
}
var TlsVerifyError = class extends Error {
  constructor(registry, host, peer, code, message, options, bareListed = []) {
    super(message, options);
    this.registry = registry;
    this.host = host;
    this.peer = peer;
    this.code = code;
    this.bareListed = bareListed;
    this.name = "TlsVerifyError";
  }
  registry;
  host;
  peer;
  code;
  bareListed;
};
var PLAIN_ANSWER_CODES = /* @__PURE__ */ new Set(["ERR_SSL_WRONG_VERSION_NUMBER"]);
function isPlainTextAnswer(e) {
  return PLAIN_ANSWER_CODES.has(errorCode(e));
}
var PlainHttpAnswerError = class extends Error {
  constructor(registry, bareListed, cause) {
    super(
      `registry ${registry} answered the TLS handshake in plain text, as a registry serving plain http does (${errorCode(cause)})`,
      { cause }
    );
    this.registry = registry;
    this.bareListed = bareListed;
    this.name = "PlainHttpAnswerError";
  }
  registry;
  bareListed;
};
var TlsClientCertificateError = class extends Error {
  constructor(host, sentCertificate, cause) {
    super(
      sentCertificate ? `the TLS server at ${host} refused the client certificate given for it (${cause.code})` : `the TLS server at ${host} asks for a client certificate (${cause.code})`,
      { cause }
    );
    this.host = host;
    this.sentCertificate = sentCertificate;
    this.name = "TlsClientCertificateError";
  }
  host;
  sentCertificate;
};

// src/registry/small-blob.ts
function checkBlobBytes(repo, d, bytes) {
  const what = `blob ${repo.registry}/${repo.repository}@${d.digest}`;
  if (bytes.length < d.size) {
    const actual2 = `(the body ended after ${bytes.length} of ${d.size} bytes)`;
    throw new DigestMismatchError(what, d.digest, actual2, bytes.length);
  }
  const actual = digestOf(bytes, digestAlgorithm(d.digest));
  if (actual !== d.digest) throw new DigestMismatchError(what, d.digest, actual, bytes.length);
}
async function readSmallBlob(api, repo, d) {
  if (d.size > LIMITS.manifestBytes)
    throw new Error(
      `blob ${repo.registry}/${repo.repository}@${d.digest} declares ${d.size} bytes, larger than the manifestBytes limit of ${bytesText(LIMITS.manifestBytes)}`
    );
  const bytes = await api.readBlobBytes(repo, d.digest, d.size);
  checkBlobBytes(repo, d, bytes);
  return bytes;
}

export {
  digestProblem,
  isDigest,
  digestOf,
  DigestVerifier,
  OCI_INDEX,
  OCI_MANIFEST,
  DOCKER_MANIFEST_LIST,
  DOCKER_MANIFEST,
  OCI_EMPTY,
  MANIFEST_ACCEPT,
  isManifestMediaType,
  isNonDistributable,
  parseManifest,
  isIndex,
  childDescriptors,
  ATTESTATION_SUBJECT,
  runtimeSelectable,
  blobDescriptors,
  configPlatformOf,
  formatPlatform,
  mergeIndexes,
  RETRYABLE_STATUS,
  redactUrl,
  parseErrorBody,
  hasOwnReason,
  RegistryError,
  RequestFailedError,
  requestTries,
  DownloadBrokenError,
  BodyBrokenError,
  BodyDeadlineError,
  DigestMismatchError,
  PutDigestMismatchError,
  UploadRangeError,
  hasFinalCode,
  causes,
  errorCode,
  isTemporary,
  isTlsVerifyError,
  isConnectionFailure,
  ProxyConnectError,
  proxyProblem,
  noAnswerWhat,
  noAnswerText,
  bareInsecureEntries,
  TlsVerifyError,
  isPlainTextAnswer,
  PlainHttpAnswerError,
  TlsClientCertificateError,
  MAX_REFERRER_DEPTH,
  referrersTag,
  notAReferrersList,
  cosignTags,
  artifactTypeOf,
  isAttestationManifest,
  listAtSource,
  fallbackIndex,
  checkBlobBytes,
  readSmallBlob,
  PROMOTION_PREDICATE_TYPE,
  checkSubject,
  goodSignature,
  checkSignature,
  NO_ATTESTATION,
  checkAttestation,
  evaluate
};
