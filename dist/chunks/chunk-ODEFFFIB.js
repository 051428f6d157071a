#!/usr/bin/env node
import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  ANCHORED_DOMAIN_REGEXP,
  REGISTRY_KINDS,
  RULES,
  apiHost,
  hostOf,
  isValidTag
} from "./chunk-XZ5QX5YI.js";

// src/options.ts
import { X509Certificate, createPrivateKey } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";

// src/registry/client-certificate.ts
function certificateHost(host) {
  return apiHost(new URL(`https://${hostOf(host)}`).host);
}

// src/options.ts
var DEFAULT_MOVING_TAGS = ["latest", "edge"];
var FILE_OWNED_OPTIONS = {
  tagPolicy: "tag-policy",
  movingTags: "moving-tags",
  referrers: "referrers"
};
var OptionError = class extends Error {
  /**
   * @param option the option as the user wrote it in this interface (`--tag-policy`, `tag-policy`)
   * @param value the offending value (one entry of a list)
   * @param rule the rule broken, in words (`must be immutable or overwrite`)
   */
  constructor(option, value, rule) {
    super(`${option} "${value}": ${rule}`);
    this.option = option;
    this.value = value;
    this.rule = rule;
    this.name = "OptionError";
  }
  option;
  value;
  rule;
};
function oneOf(allowed, fallback) {
  const rule = `must be ${allowed.slice(0, -1).join(", ")} or ${allowed[allowed.length - 1]}`;
  return (value, option) => {
    if (value === void 0) return fallback;
    if (!allowed.includes(value)) throw new OptionError(option, value, rule);
    return value;
  };
}
var tagPolicy = oneOf(["immutable", "overwrite"], "immutable");
var uploadMode = oneOf(["monolithic", "chunked"], "monolithic");
function concurrency(value, option) {
  if (value === void 0) return void 0;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64)
    throw new OptionError(option, value, "must be a whole number from 1 to 64");
  return n;
}
function timeoutMs(value, option) {
  if (value === void 0) return void 0;
  const seconds = Number(value);
  if (!(seconds > 0 && seconds <= 3600))
    throw new OptionError(option, value, "must be a number of seconds above 0 and at most 3600");
  return seconds * 1e3;
}
var PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;
function caFile(value, option, fileExists, readFile) {
  if (value === void 0) return void 0;
  if (!fileExists(value)) throw new OptionError(option, value, "no such file");
  let text;
  try {
    text = readFile(value);
  } catch (e) {
    throw new OptionError(
      option,
      value,
      `cannot be read (${e.code ?? e.message})`
    );
  }
  const blocks = text.match(PEM_CERTIFICATE) ?? [];
  if (!blocks.length)
    throw new OptionError(option, value, "holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
  blocks.forEach((block, i) => {
    try {
      new X509Certificate(block);
    } catch {
      throw new OptionError(
        option,
        value,
        `certificate ${i + 1} of ${blocks.length} is not a valid PEM certificate`
      );
    }
  });
  return value;
}
function movingTags(values, option) {
  for (const tag of values ?? [])
    if (!isValidTag(tag)) throw new OptionError(option, tag, `not a valid tag (${RULES.tag})`);
  return values?.length ? values : [...DEFAULT_MOVING_TAGS];
}
function insecureRegistries(values, option) {
  for (const host of values ?? [])
    if (!ANCHORED_DOMAIN_REGEXP.test(host)) throw new OptionError(option, host, HOST_RULE);
  return values ?? [];
}
function registryKinds(values, option) {
  const out = {};
  for (const entry of values ?? []) {
    const eq = entry.indexOf("=");
    const host = entry.slice(0, eq).trim().toLowerCase();
    const kind = entry.slice(eq + 1).trim().toLowerCase();
    if (eq <= 0 || !REGISTRY_KINDS.includes(kind))
      throw new OptionError(option, entry, `must be HOST=KIND with KIND one of ${REGISTRY_KINDS.join(", ")}`);
    out[host] = kind;
  }
  return out;
}
var ARTIFACT_TYPE = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$/;
function referrers(value, option) {
  if (value === void 0) return void 0;
  const v = value.trim();
  if (v === "all" || v === "none") return v;
  const types = [...new Set(v.split(",").map((t) => t.trim()))];
  const word = types.find((t) => t === "all" || t === "none");
  if (word)
    throw new OptionError(
      option,
      value,
      `"${word}" stands alone: give ${word}, or a comma list of artifact types`
    );
  for (const t of types)
    if (t !== "cosign" && !ARTIFACT_TYPE.test(t))
      throw new OptionError(
        option,
        t || value,
        "must be all, none, or a comma list of artifact types (media types such as application/spdx+json, or cosign)"
      );
  return types;
}
var HOST_RULE = "must be a host or host:port, without scheme or path (e.g. registry.internal:5000)";
function hostFiles(values, option, what) {
  const out = /* @__PURE__ */ new Map();
  for (const entry of values ?? []) {
    const eq = entry.indexOf("=");
    const host = entry.slice(0, eq).trim();
    const path = entry.slice(eq + 1).trim();
    if (eq <= 0 || !path) throw new OptionError(option, entry, `must be HOST=${what}`);
    if (!ANCHORED_DOMAIN_REGEXP.test(host)) throw new OptionError(option, entry, `HOST ${HOST_RULE}`);
    const key = certificateHost(host);
    if (out.has(key))
      throw new OptionError(option, entry, `names the same registry as "${out.get(key)?.[0]}"`);
    out.set(key, [entry, path]);
  }
  return out;
}
function clientCertificates(raw, names, fileExists, readFile) {
  const certs = hostFiles(raw.clientCerts, names.clientCerts, "CERT_FILE");
  const keys = hostFiles(raw.clientKeys, names.clientKeys, "KEY_FILE");
  for (const [host, [entry]] of keys)
    if (!certs.has(host))
      throw new OptionError(names.clientKeys, entry, `needs a ${names.clientCerts} for ${host}`);
  const out = [];
  for (const [host, [entry, certFile]] of certs) {
    const key = keys.get(host);
    if (!key) throw new OptionError(names.clientCerts, entry, `needs a ${names.clientKeys} for ${host}`);
    const [keyEntry, keyFile] = key;
    if (!fileExists(certFile)) throw new OptionError(names.clientCerts, entry, "no such file");
    if (!fileExists(keyFile)) throw new OptionError(names.clientKeys, keyEntry, "no such file");
    let certificate;
    try {
      certificate = new X509Certificate(readFile(certFile));
    } catch {
      throw new OptionError(names.clientCerts, entry, "not a PEM certificate");
    }
    let privateKey;
    try {
      privateKey = createPrivateKey(readFile(keyFile));
    } catch {
      const encrypted = /-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: 4,ENCRYPTED/.test(readFile(keyFile));
      throw new OptionError(
        names.clientKeys,
        keyEntry,
        encrypted ? "an encrypted private key: give it unencrypted (no passphrase is asked for)" : "not a PEM private key"
      );
    }
    if (!certificate.checkPrivateKey(privateKey))
      throw new OptionError(
        names.clientKeys,
        keyEntry,
        `does not match the certificate of ${names.clientCerts} for ${host}`
      );
    out.push({ host, certFile, keyFile });
  }
  return out.length ? out : void 0;
}
function parseOptions(raw, names, fileExists = existsSync, readFile = (path) => readFileSync(path, "utf8")) {
  return {
    registryKinds: registryKinds(raw.registryKinds, names.registryKinds),
    tagPolicy: tagPolicy(raw.tagPolicy, names.tagPolicy),
    movingTags: movingTags(raw.movingTags, names.movingTags),
    uploadMode: uploadMode(raw.uploadMode, names.uploadMode),
    concurrency: concurrency(raw.concurrency, names.concurrency),
    timeoutMs: timeoutMs(raw.timeout, names.timeout),
    caFile: caFile(raw.caFile, names.caFile, fileExists, readFile),
    insecureRegistries: insecureRegistries(raw.insecureRegistries, names.insecureRegistries),
    clientCertificates: clientCertificates(raw, names, fileExists, readFile),
    ...raw.referrers !== void 0 ? { referrers: referrers(raw.referrers, names.referrers ?? "referrers") } : {}
  };
}

export {
  certificateHost,
  DEFAULT_MOVING_TAGS,
  FILE_OWNED_OPTIONS,
  OptionError,
  parseOptions
};
