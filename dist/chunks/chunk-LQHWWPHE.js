import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  pemTrouble,
  publicKeyOf
} from "./chunk-MEFUEGPP.js";

// src/proof/load.ts
import { readFile } from "node:fs/promises";
import { createPrivateKey } from "node:crypto";
import { dirname, resolve } from "node:path";

// src/proof/defaults.ts
var PUBLIC_GOOD = {
  fulcioURL: "https://fulcio.sigstore.dev",
  rekorURL: "https://rekor.sigstore.dev"
};

// src/proof/key-value.ts
function isInlinePem(value) {
  return value.trimStart().startsWith("-----BEGIN");
}
function notAFile(value) {
  return value.startsWith("env://") || isInlinePem(value);
}

// src/proof/load.ts
var readText = async (path) => await readFile(path, "utf8");
async function readOption(read, name, path) {
  try {
    return await read(path);
  } catch (e) {
    throw new Error(
      `${name} ${path}: cannot be read (${e.code ?? e.message})`
    );
  }
}
async function readKey(read, name, value, env = process.env) {
  if (isInlinePem(value)) return { text: value, name: "(PEM given inline)" };
  if (value.startsWith("env://")) {
    const text = env[value.slice("env://".length)];
    if (!text) throw new Error(`${name} ${value}: the environment variable is not set`);
    return { text, name: value };
  }
  return { text: await readOption(read, name, value), name: value };
}
function regexpOf(name, source) {
  try {
    new RegExp(source);
  } catch (e) {
    throw new Error(
      `${name}: ${JSON.stringify(source)} is not a valid regular expression (${e.message})`
    );
  }
  return { regexp: source };
}
function identityOf(o, where) {
  const exact = o["certificate-identity"];
  const re = o["certificate-identity-regexp"];
  const issuer = o["certificate-oidc-issuer"];
  if (exact === void 0 && re === void 0 && issuer === void 0) return void 0;
  if (exact !== void 0 && re !== void 0)
    throw new Error(`${where}certificate-identity and certificate-identity-regexp: give one of them`);
  if (exact === void 0 && re === void 0)
    throw new Error(
      `${where}certificate-oidc-issuer needs certificate-identity or certificate-identity-regexp`
    );
  if (issuer === void 0)
    throw new Error(`${where}certificate-identity needs certificate-oidc-issuer (as cosign requires)`);
  const subject = exact !== void 0 ? { exact } : regexpOf(`${where}certificate-identity-regexp`, re);
  return { subject, issuer: { exact: issuer } };
}
function fieldsOf(fields, where) {
  if (fields === void 0) return [];
  if (typeof fields !== "object" || fields === null || Array.isArray(fields))
    throw new Error(`${where}fields must be a mapping of field to value`);
  return Object.entries(fields).map(([field, v]) => {
    if (typeof v === "string") return { field, want: { exact: v } };
    const re = v?.regexp;
    if (typeof re === "string") return { field, want: regexpOf(`${where}fields.${field}.regexp`, re) };
    throw new Error(`${where}fields.${field} must be a string or { regexp: \u2026 }`);
  });
}
function attestationsOf(list, file) {
  if (list === void 0) return [];
  return list.map((a, i) => ({
    predicateType: a["predicate-type"],
    rules: fieldsOf(a.fields, `policy ${file}: attestations[${i}].`)
  }));
}
function described(v) {
  if (v === null || v === void 0) return "nothing";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  return JSON.stringify(v);
}
var isString = (v) => typeof v === "string";
var STRING = { rule: "must be a string", ok: isString };
var IDENTITY = {
  "certificate-identity": STRING,
  "certificate-identity-regexp": STRING,
  "certificate-oidc-issuer": STRING
};
var ATTESTATION = {
  "predicate-type": STRING,
  fields: {
    rule: "must be a mapping of field to value",
    ok: (v) => typeof v === "object" && v !== null && !Array.isArray(v)
  }
};
var POLICY = {
  "verify-key": {
    rule: "must be a path or a list of paths",
    ok: (v) => isString(v) || Array.isArray(v) && v.every(isString)
  },
  ...IDENTITY,
  "trusted-root": { rule: "must be a path", ok: isString },
  identities: { list: IDENTITY },
  attestations: { list: ATTESTATION, required: "predicate-type" },
  children: { rule: "must be true or false", ok: (v) => typeof v === "boolean" }
};
function checkKeys(words, schema, file, where) {
  const known = Object.keys(schema);
  for (const [key, v] of Object.entries(words)) {
    const rule = schema[key];
    if (rule === void 0)
      throw new Error(`policy ${file}: unknown key ${where}${key} (known: ${known.join(", ")})`);
    if ("ok" in rule) {
      if (!rule.ok(v)) throw new Error(`policy ${file}: ${where}${key} ${rule.rule} (got ${described(v)})`);
      continue;
    }
    if (!Array.isArray(v))
      throw new Error(`policy ${file}: ${where}${key} must be a list of mappings (got ${described(v)})`);
    v.forEach((entry, i) => {
      const at = `${where}${key}[${i}]`;
      if (typeof entry !== "object" || entry === null || Array.isArray(entry))
        throw new Error(`policy ${file}: ${at} must be a mapping (got ${described(entry)})`);
      if (rule.required !== void 0 && !(rule.required in entry))
        throw new Error(`policy ${file}: ${at}.${rule.required} is missing`);
      checkKeys(entry, rule.list, file, `${at}.`);
    });
  }
}
async function policyWords(read, file) {
  const { parse } = await import("./dist-F6B5TJUN.js");
  let doc;
  try {
    doc = parse(await readOption(read, "policy", file));
  } catch (e) {
    throw new Error(`policy ${file}: ${e.message}`);
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc))
    throw new Error(`policy ${file}: must be a mapping`);
  checkKeys(doc, POLICY, file, "");
  return doc;
}
function trustedRootText(file, text) {
  let doc;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new Error(
      `trusted-root ${file}: not JSON, so not a Sigstore trusted root (give its trusted_root.json: from the instance's TUF repository, or cosign trusted-root create)`
    );
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc))
    throw new Error(`trusted-root ${file}: not a Sigstore trusted root (JSON, but not an object)`);
  return text;
}
async function loadVerifyPolicy(o, read = readText) {
  const file = o.policy ? await policyWords(read, o.policy) : {};
  const base = o.policy ? dirname(o.policy) : ".";
  const rel = (p) => resolve(base, p);
  const fileKeys = [].concat(file["verify-key"] ?? []).map((k) => notAFile(k) ? k : rel(k));
  const keyFiles = [...fileKeys, ...o.verifyKey ?? []];
  const keys = await Promise.all(
    keyFiles.map(async (k) => {
      const given = await readKey(read, "verify-key", k);
      if (given.text.includes("PRIVATE KEY-----"))
        throw new Error(`verify-key ${given.name}: a private key; give its public key (cosign public-key)`);
      try {
        return publicKeyOf(given.text, given.name);
      } catch (e) {
        throw new Error(`verify-key ${e.message}`);
      }
    })
  );
  const flags = identityOf(
    {
      "certificate-identity": o.certificateIdentity,
      "certificate-identity-regexp": o.certificateIdentityRegexp,
      "certificate-oidc-issuer": o.certificateOidcIssuer
    },
    ""
  );
  const listed = file.identities ?? [];
  const identities = [
    identityOf(file, `policy ${o.policy}: `),
    ...listed.map((i, n) => identityOf(i, `policy ${o.policy}: identities[${n}].`)),
    flags
  ];
  const idRules = identities.filter((i) => i !== void 0);
  const attestations = attestationsOf(file.attestations, o.policy ?? "");
  const rootFile = o.trustedRoot ?? (typeof file["trusted-root"] === "string" ? rel(file["trusted-root"]) : void 0);
  if (!keys.length && !idRules.length && !attestations.length) {
    if (o.policy !== void 0)
      throw new Error(
        `policy ${o.policy}: asks for nothing to check (no verify-key, identity or attestations), so every image would pass; give one of them`
      );
    return void 0;
  }
  const trustedRoot = rootFile ? { name: rootFile, json: trustedRootText(rootFile, await readOption(read, "trusted-root", rootFile)) } : void 0;
  return {
    keys,
    identities: idRules,
    attestations,
    scope: file.children === true ? "all" : "root",
    ...trustedRoot ? { trustedRoot } : {}
  };
}
function privateKeyOf(pem, file) {
  if (pem.includes("ENCRYPTED SIGSTORE PRIVATE KEY") || pem.includes("ENCRYPTED COSIGN PRIVATE KEY"))
    throw new Error(
      `sign-key ${file}: an encrypted cosign key; give the PEM private key (cosign generate-key-pair's key decrypted, or an ECDSA P-256 PKCS#8 PEM from openssl)`
    );
  if (pem.includes("PUBLIC KEY-----") && !pem.includes("PRIVATE KEY-----"))
    throw new Error(`sign-key ${file}: a public key; give its private key (the public key is for verify-key)`);
  try {
    return createPrivateKey(pem);
  } catch {
    throw new Error(`sign-key ${file}: not a PEM private key (${pemTrouble(pem, "private")})`);
  }
}
async function signingOf(o, token, urls, read) {
  if (o.signKey && o.signKeyless) throw new Error("sign-key and sign-keyless: give one of them");
  if (o.signKey) {
    const given = await readKey(read, "sign-key", o.signKey);
    return { method: { kind: "key", key: privateKeyOf(given.text, given.name) }, given: given.text };
  }
  if (o.signKeyless) return { method: { kind: "keyless", token, ...urls } };
  return {};
}
async function loadSigning(o, token, urls = PUBLIC_GOOD, read = readText) {
  return (await signingOf(o, token, urls, read)).method;
}
async function loadProof(o, edge, read = readText) {
  const { method: signing, given } = await signingOf(o, edge.token, edge.urls ?? PUBLIC_GOOD, read);
  const noToken = signing?.kind === "keyless" ? edge.noToken?.() : void 0;
  if (noToken) throw new Error(`sign-keyless: ${noToken}`);
  const verify = await loadVerifyPolicy(o, read);
  if (!verify && o.trustedRoot !== void 0)
    throw new Error(
      `trusted-root ${o.trustedRoot}: nothing is verified against it, so every image would pass; give verify-key, certificate-identity or certificate-identity-regexp (with certificate-oidc-issuer), or policy`
    );
  const record = signing ? { signing, ...edge.run ? { run: edge.run } : {}, ...edge.version ? { version: edge.version } : {} } : void 0;
  const secrets = [.../* @__PURE__ */ new Set([...given ? pemSecrets(given) : [], ...signingSecrets(signing)])];
  return { ...verify ? { verify } : {}, ...record ? { record } : {}, secrets };
}
function pemSecrets(pem) {
  const lines = pem.split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith("-----"));
  return [pem.trim(), ...lines];
}
function signingSecrets(method) {
  if (method?.kind !== "key") return [];
  return pemSecrets(method.key.export({ type: "pkcs8", format: "pem" }).toString());
}

export {
  PUBLIC_GOOD,
  notAFile,
  loadVerifyPolicy,
  loadSigning,
  loadProof,
  pemSecrets,
  signingSecrets
};
