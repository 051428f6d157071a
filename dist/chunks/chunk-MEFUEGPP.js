import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);

// src/proof/cosign.ts
import { createPublicKey, verify } from "node:crypto";
var SIMPLE_SIGNING = "application/vnd.dev.cosign.simplesigning.v1+json";
var DSSE_ENVELOPE = "application/vnd.dsse.envelope.v1+json";
var SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";
function pemTrouble(text, kind) {
  const label = /-----BEGIN ([A-Z0-9 ]{1,40})-----/.exec(text)?.[1];
  if (!label) return `no -----BEGIN ${kind.toUpperCase()} KEY----- block`;
  const shape = /-----BEGIN [A-Z0-9 ]{1,40}-----\\n/.test(text) ? ": it holds the two characters \\n where its line breaks should be; give the PEM with real line breaks" : !/-----BEGIN [A-Z0-9 ]{1,40}-----\r?\n/.test(text) ? ": it is on one line, its line breaks lost; give the PEM with its line breaks" : "";
  return `its -----BEGIN ${label}----- block does not decode as a ${kind} key${shape}`;
}
function publicKeyOf(pem, name) {
  const blocks = pem.match(/-----BEGIN PUBLIC KEY-----/g)?.length ?? 0;
  if (blocks > 1)
    throw new Error(
      `${name}: holds ${blocks} PEM public keys, and only one would be read; give each as a verify-key of its own (any one of them then suffices)`
    );
  try {
    const key = createPublicKey(pem);
    return { name, key };
  } catch {
    throw new Error(`${name}: not a PEM public key (${pemTrouble(pem, "public")})`);
  }
}
function parseSimpleSigning(bytes) {
  let json;
  try {
    json = JSON.parse(bytes.toString("utf8"));
  } catch (e) {
    throw new Error(`simple-signing payload is not JSON (${e.message})`);
  }
  const critical = json?.critical ?? {};
  const image = critical.image ?? {};
  const identity = critical.identity ?? {};
  const digest = image["docker-manifest-digest"] ?? image["Docker-manifest-digest"];
  if (typeof digest !== "string")
    throw new Error("simple-signing payload has no critical.image.docker-manifest-digest");
  const ref = identity["docker-reference"];
  return {
    digest,
    ...typeof ref === "string" ? { dockerReference: ref } : {},
    type: typeof critical.type === "string" ? critical.type : ""
  };
}
function payloadSignedBy(payload, signatureB64, key) {
  try {
    return verify("sha256", payload, key, Buffer.from(signatureB64, "base64"));
  } catch {
    return false;
  }
}

export {
  SIMPLE_SIGNING,
  DSSE_ENVELOPE,
  SIGNATURE_ANNOTATION,
  pemTrouble,
  publicKeyOf,
  parseSimpleSigning,
  payloadSignedBy
};
