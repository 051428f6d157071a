#!/usr/bin/env node
import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);

// src/registry/errors.ts
var RETRYABLE_STATUS = /* @__PURE__ */ new Set([408, 429, 500, 502, 503, 504]);
function redactUrl(url) {
  try {
    const u = new URL(url.toString());
    u.username = "";
    u.password = "";
    for (const key of [...u.searchParams.keys()]) {
      if (/token|signature|sig|credential|password|secret|x-amz-|key/i.test(key))
        u.searchParams.set(key, "REDACTED");
    }
    return u.toString();
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
  /** True when the status says a retry may succeed. */
  get temporary() {
    return RETRYABLE_STATUS.has(this.status);
  }
  /** True when any error entry has `code`. */
  hasCode(code) {
    return this.errors.some((e) => e.code === code);
  }
};
var DownloadBrokenError = class extends Error {
  constructor(message, options) {
    super(message, options);
    this.name = "DownloadBrokenError";
  }
};
var DigestMismatchError = class extends Error {
  constructor(what, expected, actual, bytes) {
    super(
      `${what}: expected digest ${expected} but the bytes hash to ${actual}${bytes !== void 0 ? ` (${bytes} bytes)` : ""}`
    );
    this.what = what;
    this.expected = expected;
    this.actual = actual;
    this.bytes = bytes;
    this.name = "DigestMismatchError";
  }
  what;
  expected;
  actual;
  bytes;
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
var ACTION_TLS_NAMES = {
  caFile: "ca-file",
  insecureRegistries: "insecure-registries"
};
var isFlag = (name) => name.startsWith("-");
function tlsAdvice(names, host, insecure = true) {
  const ca = isFlag(names.caFile) ? `${names.caFile} FILE` : `the ${names.caFile} input`;
  const skip = isFlag(names.insecureRegistries) ? `, or skip its verification with ${names.insecureRegistries} ${host}` : `, or list the host in ${names.insecureRegistries}`;
  return `give the CA with ${ca} or NODE_EXTRA_CA_CERTS${insecure ? skip : ""}`;
}
function insecureWarning(names, registry, base) {
  const listed = isFlag(names.insecureRegistries) ? `listed with ${names.insecureRegistries}` : `listed in ${names.insecureRegistries}`;
  const what = base.protocol === "http:" ? "plain http, no TLS" : "its TLS certificate is not verified";
  return `registry ${registry} is ${listed}: ${what}`;
}

export {
  RETRYABLE_STATUS,
  redactUrl,
  parseErrorBody,
  RegistryError,
  DownloadBrokenError,
  DigestMismatchError,
  UploadRangeError,
  hasFinalCode,
  causes,
  errorCode,
  isTemporary,
  isTlsVerifyError,
  ProxyConnectError,
  proxyProblem,
  noAnswerWhat,
  noAnswerText,
  ACTION_TLS_NAMES,
  tlsAdvice,
  insecureWarning
};
