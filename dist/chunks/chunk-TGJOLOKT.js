import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);

// src/proof/intoto.ts
import { verify } from "node:crypto";
var IN_TOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json";
var STATEMENT_V1 = "https://in-toto.io/Statement/v1";
var STATEMENT_V01 = "https://in-toto.io/Statement/v0.1";
function pae(payloadType, payload) {
  const type = Buffer.from(payloadType, "utf8");
  return Buffer.concat([
    Buffer.from(`DSSEv1 ${type.length} `),
    type,
    Buffer.from(` ${payload.length} `),
    payload
  ]);
}
var isObject = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
function parseEnvelope(bytes, what) {
  let json;
  try {
    json = JSON.parse(bytes.toString("utf8"));
  } catch (e) {
    throw new Error(`${what} is not a DSSE envelope (not JSON: ${e.message})`);
  }
  if (!isObject(json) || typeof json.payloadType !== "string" || typeof json.payload !== "string")
    throw new Error(`${what} is not a DSSE envelope (payloadType and payload must be strings)`);
  const sigs = Array.isArray(json.signatures) ? json.signatures : [];
  const signatures = sigs.filter(isObject).flatMap(
    (s) => typeof s.sig === "string" ? [{ ...typeof s.keyid === "string" ? { keyid: s.keyid } : {}, sig: Buffer.from(s.sig, "base64") }] : []
  );
  return { payloadType: json.payloadType, payload: Buffer.from(json.payload, "base64"), signatures };
}
function envelopeSignedBy(envelope, key) {
  const data = pae(envelope.payloadType, envelope.payload);
  return envelope.signatures.some((s) => {
    try {
      return verify("sha256", data, key, s.sig);
    } catch {
      return false;
    }
  });
}
function parseStatement(bytes, what) {
  let json;
  try {
    json = JSON.parse(bytes.toString("utf8"));
  } catch (e) {
    throw new Error(`${what} is not an in-toto statement (not JSON: ${e.message})`);
  }
  if (!isObject(json)) throw new Error(`${what} is not an in-toto statement (not a JSON object)`);
  if (json._type !== STATEMENT_V1 && json._type !== STATEMENT_V01)
    throw new Error(`${what} is not an in-toto statement (_type is ${JSON.stringify(json._type)})`);
  if (typeof json.predicateType !== "string")
    throw new Error(`${what} is not an in-toto statement (predicateType is missing)`);
  const subject = (Array.isArray(json.subject) ? json.subject : []).filter(isObject).flatMap(
    (s) => isObject(s.digest) ? [
      {
        ...typeof s.name === "string" ? { name: s.name } : {},
        digest: Object.fromEntries(
          Object.entries(s.digest).filter((e) => typeof e[1] === "string")
        )
      }
    ] : []
  );
  const predicate = isObject(json.predicate) ? json.predicate : {};
  return { _type: json._type, subject, predicateType: json.predicateType, predicate };
}
function statementIsAbout(statement, digest) {
  const [alg, hex] = digest.split(":");
  return statement.subject.some((s) => s.digest[alg]?.toLowerCase() === hex);
}

export {
  IN_TOTO_PAYLOAD_TYPE,
  STATEMENT_V1,
  parseEnvelope,
  envelopeSignedBy,
  parseStatement,
  statementIsAbout
};
