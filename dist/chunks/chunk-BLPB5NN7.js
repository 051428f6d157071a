#!/usr/bin/env node
import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  DEFAULT_CONCURRENCY,
  DEFAULT_MOVING_TAGS,
  DEFAULT_REFERRERS,
  DEFAULT_TAG_POLICY,
  DEFAULT_UPLOAD_MODE,
  DOCKER_MANIFEST,
  DOCKER_MANIFEST_LIST,
  OCI_INDEX,
  digestOf,
  formatPlatform
} from "./chunk-A46IPO6H.js";
import {
  silentLogger
} from "./chunk-N2RL2OJD.js";
import {
  DEFAULT_TIMEOUT_MS
} from "./chunk-A3CPNU7I.js";
import {
  PUBLIC_GOOD,
  notAFile
} from "./chunk-BHHRLL7Q.js";
import {
  ANCHORED_DOMAIN_REGEXP,
  REGISTRY_KINDS,
  RULES,
  isValidTag
} from "./chunk-G7S46Y2P.js";
import {
  apiHost,
  hostOf,
  registryKey
} from "./chunk-VIETK5Q5.js";

// src/options.ts
import { X509Certificate, createPrivateKey } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";

// src/registry/client-certificate.ts
function certificateHost(host) {
  return apiHost(new URL(`https://${hostOf(host)}`).host);
}

// src/copy/platforms.ts
var PART = /^[a-z0-9][a-z0-9._-]*$/;
var PLATFORM_RULE = "not OS/ARCH[/VARIANT] (e.g. linux/amd64, linux/arm64/v8)";
var ATTESTATION_TYPE = "vnd.docker.reference.type";
var ATTESTATION_SUBJECT = "vnd.docker.reference.digest";
function parsePlatform(text, input) {
  const parts = text.trim().split("/");
  if (parts.length < 2 || parts.length > 3 || !parts.every((p) => PART.test(p)))
    throw new Error(`${input} "${text}": ${PLATFORM_RULE}`);
  const [os, architecture, variant] = parts;
  return { os, architecture, ...variant ? { variant } : {} };
}
function parsePlatforms(texts, input) {
  const out = [];
  const seen = /* @__PURE__ */ new Set();
  for (const text of texts.flatMap((t) => t.split(",")).filter((t) => t.trim())) {
    const p = parsePlatform(text, input);
    const key = platformKey(p);
    if (seen.has(key)) throw new Error(`${input} lists ${formatPlatform(p)} twice`);
    seen.add(key);
    out.push(p);
  }
  return out;
}
function normalVariant(p) {
  const v = p.variant ?? "";
  if (p.architecture === "arm") return v || "v7";
  if (p.architecture === "arm64" && v === "v8") return "";
  if (p.architecture === "amd64" && v === "v1") return "";
  return v;
}
function platformKey(p) {
  return [p.os, p.architecture, normalVariant(p), p["os.version"] ?? ""].join("/");
}
function platformMatches(wanted, have) {
  if (wanted.os !== have.os || wanted.architecture !== have.architecture) return false;
  if (wanted["os.version"] && wanted["os.version"] !== have["os.version"]) return false;
  if (wanted.variant === void 0 && wanted.architecture !== "arm") return true;
  return normalVariant(wanted) === normalVariant(have);
}
function isAttestation(d) {
  return d.annotations?.[ATTESTATION_TYPE] === "attestation-manifest" || d.platform?.os === "unknown" && d.platform.architecture === "unknown";
}
function chooseChild(children, wanted, what, input) {
  const images = children.filter((d) => d.platform && !isAttestation(d));
  const exact = images.filter((d) => platformKey(d.platform) === platformKey(wanted));
  if (exact.length === 1) return exact[0];
  const loose = exact.length ? exact : images.filter((d) => platformMatches(wanted, d.platform));
  if (loose.length === 1) return loose[0];
  const name = formatPlatform(wanted);
  if (loose.length === 0) {
    const listed = images.map((d) => formatPlatform(d.platform)).join(", ") || "no platform";
    throw new Error(`${input} ${name}: ${what} lists no such platform (it lists ${listed})`);
  }
  const names = loose.map(
    (d) => formatPlatform(d.platform) + (d.platform["os.version"] ? ` ${d.platform["os.version"]}` : "")
  );
  throw new Error(
    `${input} ${name}: ${what} lists ${loose.length} children for it (${names.join(", ")}): name the variant`
  );
}
function canonicalDescriptor(d) {
  const sorted = (r) => Object.fromEntries(
    Object.keys(r).sort().map((k) => [k, r[k]])
  );
  const p = d.platform;
  return {
    mediaType: d.mediaType,
    digest: d.digest,
    size: d.size,
    ...d.urls?.length ? { urls: d.urls } : {},
    ...d.annotations && Object.keys(d.annotations).length ? { annotations: sorted(d.annotations) } : {},
    ...d.data !== void 0 ? { data: d.data } : {},
    ...p ? {
      platform: {
        architecture: p.architecture,
        os: p.os,
        ...p["os.version"] ? { "os.version": p["os.version"] } : {},
        ...p["os.features"]?.length ? { "os.features": p["os.features"] } : {},
        ...p.variant ? { variant: p.variant } : {}
      }
    } : {},
    ...d.artifactType ? { artifactType: d.artifactType } : {}
  };
}
function indexMediaTypeFor(children) {
  return children.length > 0 && children.every((d) => d.mediaType === DOCKER_MANIFEST) ? DOCKER_MANIFEST_LIST : OCI_INDEX;
}
function writeIndex(children, opts = {}) {
  const mediaType = opts.mediaType ?? indexMediaTypeFor(children);
  const annotations = mediaType === OCI_INDEX && opts.annotations && Object.keys(opts.annotations).length ? Object.fromEntries(
    Object.keys(opts.annotations).sort().map((k) => [k, opts.annotations[k]])
  ) : void 0;
  const json = {
    schemaVersion: 2,
    mediaType,
    manifests: children.map(canonicalDescriptor),
    ...annotations ? { annotations } : {}
  };
  const bytes = Buffer.from(JSON.stringify(json));
  return { bytes, mediaType, digest: digestOf(bytes), json };
}
function choosePlatforms(index, wanted, what, input) {
  const entries = index.json.manifests ?? [];
  const chosen = wanted.map((w) => chooseChild(entries, w, what, input));
  const platforms2 = chosen.map((d) => formatPlatform(d.platform));
  if (chosen.length === 1) return { kind: "child", descriptor: chosen[0], platforms: platforms2 };
  const digests = new Set(chosen.map((d) => d.digest));
  const kept = entries.filter(
    (d) => digests.has(d.digest) || isAttestation(d) && digests.has(d.annotations?.[ATTESTATION_SUBJECT] ?? "")
  );
  if (kept.length === entries.length) return { kind: "index", index, platforms: platforms2 };
  const built = writeIndex(kept, { mediaType: index.mediaType, annotations: index.json.annotations });
  return { kind: "index", index: built, platforms: platforms2 };
}

// src/registry/ratelimit.ts
var DEFAULT_RATE_LIMIT = { lowWater: 5, lowWaterFraction: 0.1, maxPaceMs: 5e3 };
var WINDOW_GUARD_MS = 50;
var BudgetSpentError = class extends Error {
  constructor(registry, total) {
    super(
      `${registry}: the request budget of ${total} requests is spent; raise it or promote fewer images per run`
    );
    this.registry = registry;
    this.total = total;
    this.name = "BudgetSpentError";
  }
  registry;
  total;
};
var BudgetSyntaxError = class extends Error {
  constructor(optionName, entry, rule) {
    super(`${optionName} "${entry}": ${rule}`);
    this.entry = entry;
    this.rule = rule;
    this.name = "BudgetSyntaxError";
  }
  entry;
  rule;
};
function parseRequestBudgets(texts, optionName) {
  const out = {};
  const rule = "must be REGISTRY=N/s, REGISTRY=TOTAL or REGISTRY=N/s,TOTAL (N > 0, TOTAL a whole number > 0)";
  for (const entry of texts.flatMap((t) => t.split(/\s+/)).filter(Boolean)) {
    const m = /^([^=\s]+)=(?:(\d+(?:\.\d+)?)\/s(?:,(\d+))?|(\d+))$/.exec(entry);
    const perSecond = m?.[2] !== void 0 ? Number(m[2]) : void 0;
    const totalText = m?.[3] ?? m?.[4];
    const total = totalText !== void 0 ? Number(totalText) : void 0;
    if (!m || perSecond === 0 || total === 0) throw new BudgetSyntaxError(optionName, entry, rule);
    const registry = registryKey(m[1]);
    if (out[registry]) throw new BudgetSyntaxError(optionName, entry, `${registry} is given a budget twice`);
    out[registry] = {
      ...perSecond !== void 0 ? { perSecond } : {},
      ...total !== void 0 ? { total } : {}
    };
  }
  return out;
}
function formatRequestBudgets(budgets) {
  return Object.keys(budgets).sort().map((r) => {
    const { perSecond, total } = budgets[r];
    const rate = perSecond !== void 0 ? `${Number(perSecond.toFixed(3))}/s` : "";
    return `${r}=${[rate, total !== void 0 ? String(total) : ""].filter(Boolean).join(",")}`;
  }).join(" ");
}
function budgetShare(budgets, shares) {
  if (!Number.isInteger(shares) || shares < 1)
    throw new RangeError(`shares must be a whole number \u2265 1, not ${shares}`);
  const out = {};
  for (const [r, { perSecond, total }] of Object.entries(budgets))
    out[r] = {
      ...perSecond !== void 0 ? { perSecond: Math.floor(perSecond / shares * 1e3) / 1e3 } : {},
      ...total !== void 0 ? { total: Math.max(1, Math.floor(total / shares)) } : {}
    };
  return out;
}
function spacingOf(perSecond) {
  return { intervalMs: (1e3 + WINDOW_GUARD_MS) / perSecond, next: 0 };
}
function parseRateLimit(value) {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return void 0;
  const m = /^\s*(\d+)\s*(?:;\s*w\s*=\s*(\d+))?/i.exec(v.split(",")[0]);
  if (!m) return void 0;
  return { count: Number(m[1]), windowSeconds: m[2] !== void 0 ? Number(m[2]) : void 0 };
}
function requestKind(method, url) {
  const p = url.pathname;
  const kind = /\/manifests\//.test(p) ? "manifests" : /\/blobs\/uploads\//.test(p) ? "uploads" : /\/blobs\//.test(p) ? "blobs" : "other";
  return `${method} ${kind}`;
}
var RateLimiter = class {
  hosts = /* @__PURE__ */ new Map();
  /** total ms requests were held back (pacing, budgets and Retry-After), for reports and tests */
  waitedMs = 0;
  /** requests started per registry (registryKey), counted for the budgets */
  spent = /* @__PURE__ */ new Map();
  spacings = /* @__PURE__ */ new Map();
  opts;
  log;
  now;
  sleep;
  constructor(options = {}, deps = {}) {
    this.opts = { ...DEFAULT_RATE_LIMIT, ...options };
    this.log = deps.logger ?? silentLogger;
    this.now = deps.now ?? Date.now;
    this.sleep = deps.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }
  /**
   * Requests `registry` may still take under its total budget (what this run has not started);
   * undefined when it has no total.
   */
  remaining(registry) {
    const key = registryKey(registry);
    const total = this.opts.budgets?.[key]?.total;
    return total === void 0 ? void 0 : Math.max(0, total - (this.spent.get(key) ?? 0));
  }
  /**
   * Counts a request against `registry`'s total budget.
   * @returns the registry's spacing when it has a rate budget
   * @throws BudgetSpentError when the total is spent
   */
  spend(host) {
    const key = registryKey(host);
    const budget = this.opts.budgets?.[key];
    if (!budget) return void 0;
    const spent = this.spent.get(key) ?? 0;
    if (budget.total !== void 0 && spent >= budget.total) throw new BudgetSpentError(key, budget.total);
    this.spent.set(key, spent + 1);
    if (budget.perSecond === void 0) return void 0;
    let w = this.spacings.get(key);
    if (!w) this.spacings.set(key, w = spacingOf(budget.perSecond));
    return w;
  }
  /**
   * Waits until the spacing lets one more request start, and records its start: the time it is
   * actually let go (not a time planned ahead, which a busy event loop would overrun), so an
   * overslept wait is never made up for with a burst.
   * @returns ms waited
   */
  async pass(w) {
    let waited = 0;
    for (; ; ) {
      const now = this.now();
      if (w.next <= now) {
        w.next = now + w.intervalMs;
        return waited;
      }
      const wait = Math.ceil(w.next - now);
      waited += wait;
      await this.sleep(wait);
    }
  }
  budget(host) {
    let b = this.hosts.get(host);
    if (!b) {
      b = { limit: -1, remaining: -1, kinds: /* @__PURE__ */ new Set(), blockedUntil: 0, nextAt: 0 };
      this.hosts.set(host, b);
    }
    return b;
  }
  /**
   * Waits until a request of `kind` (see requestKind) may start on `host`: after any Retry-After
   * block, paced when the host's remaining budget is low, and within the registry's request budget
   * (options.budgets). Spends one unit of the local estimate and of the budget.
   * @returns ms waited
   * @throws BudgetSpentError when the registry's total budget is spent (before any wait)
   */
  async acquire(host, kind) {
    const b = this.hosts.get(host);
    const now = this.now();
    let start = Math.max(now, b?.blockedUntil ?? 0);
    if (b && b.kinds.has(kind) && b.limit > 0) {
      const low = Math.max(this.opts.lowWater, Math.floor(this.opts.lowWaterFraction * b.limit));
      if (b.remaining <= low) {
        const windowMs = (b.windowSeconds ?? 3600) * 1e3;
        const pace = Math.min(
          this.opts.maxPaceMs,
          Math.ceil(windowMs * (this.opts.sharedBy ?? 1) / b.limit)
        );
        start = Math.max(start, b.nextAt);
        b.nextAt = start + pace;
      }
      b.remaining = Math.max(0, b.remaining - 1);
    }
    const spacing = this.spend(host);
    let wait = Math.max(0, start - now);
    if (wait > 0) await this.sleep(wait);
    if (spacing) wait += await this.pass(spacing);
    this.waitedMs += wait;
    return wait;
  }
  /**
   * Reads the `ratelimit-*` headers of a response to a request of `kind` on `host` and logs them.
   * Logs a warning once the remaining count reaches the low-water mark.
   */
  observe(host, kind, headers) {
    const limit = parseRateLimit(headers["ratelimit-limit"]);
    const remaining = parseRateLimit(headers["ratelimit-remaining"]);
    if (!limit || !remaining) return;
    const b = this.budget(host);
    b.kinds.add(kind);
    const wasLow = b.limit > 0 && b.remaining <= this.low(b.limit);
    b.limit = limit.count;
    b.remaining = remaining.count;
    b.windowSeconds = limit.windowSeconds ?? remaining.windowSeconds;
    const window = b.windowSeconds !== void 0 ? ` per ${b.windowSeconds} s` : "";
    const source = headers["docker-ratelimit-source"];
    const msg = `${host}: rate limit ${b.remaining} of ${b.limit}${window} left${source ? ` (source ${String(source)})` : ""}`;
    if (b.remaining <= this.low(b.limit) && !wasLow) {
      this.log.warning(`${msg}; slowing down (authenticate to get a larger limit)`);
    } else this.log.debug(msg);
  }
  low(limit) {
    return Math.max(this.opts.lowWater, Math.floor(this.opts.lowWaterFraction * limit));
  }
  /** Holds every new request to `host` for `ms` (a 429 / 503 with Retry-After). */
  block(host, ms) {
    const b = this.budget(host);
    b.blockedUntil = Math.max(b.blockedUntil, this.now() + ms);
  }
};

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
function noAnswerWhat(e, timeoutMs2, peer) {
  const proxy = proxyProblem(e);
  if (proxy) return proxy;
  const code = errorCode(e);
  if (/TIMEOUT/.test(code)) return `connected, but got no answer within ${Math.round(timeoutMs2 / 1e3)} s`;
  if (peer === "registry" && CLOSED_BY_PEER_CODES.has(code)) return "connection closed by the registry";
  return CLOSED_CODES.has(code) ? "the connection was closed before an answer" : "cannot connect";
}
function triesTotalText(tries, elapsedMs) {
  return `${tries} tries, ${(elapsedMs / 1e3).toFixed(1)} s in all`;
}
function noAnswerText(e, timeoutMs2, context = {}) {
  const code = errorCode(e) || e?.message;
  const { tries = 1, elapsedMs } = context;
  const totals = tries > 1 && elapsedMs !== void 0 ? `${triesTotalText(tries, elapsedMs)}; ` : "";
  return `${noAnswerWhat(e, timeoutMs2, context.peer)} (${totals}${code})`;
}
var TlsVerifyError = class extends Error {
  constructor(registry, host, peer, code, message, options) {
    super(message, options);
    this.registry = registry;
    this.host = host;
    this.peer = peer;
    this.code = code;
    this.name = "TlsVerifyError";
  }
  registry;
  host;
  peer;
  code;
};

// src/registry/retry.ts
function retryBudgetMs(timeoutMs2, maxDelayMs) {
  return Math.max(12e4, 2 * timeoutMs2 + 2 * maxDelayMs);
}
function retryOptions(options = {}) {
  const given = Object.fromEntries(
    Object.entries(options).filter(([, v]) => v !== void 0)
  );
  const merged = { retries: 4, baseDelayMs: 250, maxDelayMs: 1e4, timeoutMs: DEFAULT_TIMEOUT_MS, ...given };
  return { ...merged, budgetMs: given.budgetMs ?? retryBudgetMs(merged.timeoutMs, merged.maxDelayMs) };
}
var DEFAULT_RETRY = retryOptions();
var TIMEOUT_CODES = /* @__PURE__ */ new Set(["UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "UND_ERR_CONNECT_TIMEOUT"]);
function isTimeout(e) {
  const code = errorCode(e);
  return TIMEOUT_CODES.has(code) || code === "ETIMEDOUT";
}
function retryAfterMs(value, now = Date.now()) {
  if (!value) return void 0;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1e3;
  const at = /[a-z]/i.test(v) ? Date.parse(v) : NaN;
  return Number.isNaN(at) ? void 0 : Math.max(0, at - now);
}
function backoffMs(attempt, options, random = Math.random) {
  const raw = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** attempt);
  return Math.round(raw / 2 + random() * (raw / 2));
}
function defaultRetryPolicy(options, random = Math.random) {
  return {
    decide: (a) => {
      if (a.scope === "download")
        return a.attempt < options.retries ? { retry: true, delayMs: backoffMs(a.attempt, options, random), retryAfter: false } : { retry: false, reason: `gave up after ${a.attempt} resumes` };
      return nextRetry(a.failure, a, { ...options, errors: a.errors }, random);
    }
  };
}
function triesText(attempt) {
  return `${attempt + 1} ${attempt ? "tries" : "try"}`;
}
function nextRetry(failure, state, policy, random = Math.random) {
  if (!retryable(failure, policy)) return { retry: false, reason: "" };
  const gaveUp = { retry: false, reason: `gave up after ${triesText(state.attempt)}` };
  if (state.attempt >= policy.retries) return gaveUp;
  const asked = "status" in failure ? retryAfterMs(failure.retryAfter, state.now) : void 0;
  const delayMs = asked ?? backoffMs(state.attempt, policy, random);
  if (state.elapsedMs + delayMs > policy.budgetMs) {
    if (asked === void 0) return gaveUp;
    return {
      retry: false,
      reason: `Retry-After asks for ${asked} ms, beyond the retry budget of ${policy.budgetMs} ms`
    };
  }
  return { retry: true, delayMs, retryAfter: asked !== void 0 };
}
function retryable(failure, policy) {
  if ("status" in failure) return RETRYABLE_STATUS.has(failure.status);
  if (policy.errors === "none") return false;
  if (policy.errors === "not-timeouts" && isTimeout(failure.error)) return false;
  return isTemporary(failure.error);
}
function blocksHost(status) {
  return status === 429 || status === 503;
}

// src/options.ts
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
var PROOF_KEYS = [
  "verifyKey",
  "certificateIdentity",
  "certificateIdentityRegexp",
  "certificateOidcIssuer",
  "trustedRoot",
  "policy",
  "signKey",
  "signKeyless",
  "fulcioUrl",
  "rekorUrl",
  "timestampServerUrl"
];
function requestBudgets(values, option) {
  if (!values?.length) return void 0;
  try {
    const budgets = parseRequestBudgets(values, option);
    return Object.keys(budgets).length ? budgets : void 0;
  } catch (e) {
    if (e instanceof BudgetSyntaxError) throw new OptionError(option, e.entry, e.rule);
    throw e;
  }
}
function oneOf(allowed, fallback) {
  const rule = `must be ${allowed.slice(0, -1).join(", ")} or ${allowed[allowed.length - 1]}`;
  return (value, option) => {
    if (value === void 0) return fallback;
    if (!allowed.includes(value)) throw new OptionError(option, value, rule);
    return value;
  };
}
var TAG_POLICIES = ["immutable", "overwrite"];
var UPLOAD_MODES = ["monolithic", "chunked"];
var tagPolicy = oneOf(TAG_POLICIES, DEFAULT_TAG_POLICY);
var uploadMode = oneOf(UPLOAD_MODES, DEFAULT_UPLOAD_MODE);
function choicesHelp(allowed, fallback, last = " or ") {
  const shown = allowed.map((v) => v === fallback ? `${v} (default)` : v);
  return `${shown.slice(0, -1).join(", ")}${last}${shown[shown.length - 1]}`;
}
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
function platforms(values, option) {
  const texts = (values ?? []).flatMap((v) => v.split(",")).map((v) => v.trim()).filter(Boolean);
  if (!texts.length) return {};
  const out = [];
  for (const text of texts) {
    let p;
    if (text === "all")
      throw new OptionError(
        option,
        text,
        `${PLATFORM_RULE}; every platform is promoted when ${option} is left out`
      );
    try {
      p = parsePlatform(text, option);
    } catch {
      throw new OptionError(option, text, PLATFORM_RULE);
    }
    if (out.some((o) => platformKey(o) === platformKey(p)))
      throw new OptionError(option, text, "names a platform already given");
    out.push(p);
  }
  return { platforms: out, platformsInput: option };
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
function keyEntries(values) {
  const out = [];
  let open;
  for (const v of values ?? []) {
    if (open) {
      open.push(v);
      if (/^-----END /.test(v.trim())) {
        out.push(open.join("\n") + "\n");
        open = void 0;
      }
    } else if (/^-----BEGIN /.test(v.trim()) && !/-----END /.test(v)) open = [v.trim()];
    else out.push(v);
  }
  if (open) out.push(open.join("\n"));
  return out;
}
function urlOf(value, option) {
  if (value === void 0) return void 0;
  let url;
  try {
    url = new URL(value);
  } catch {
    url = void 0;
  }
  if (!url || url.protocol !== "https:" && url.protocol !== "http:")
    throw new OptionError(option, value, "must be an http(s) URL (e.g. https://fulcio.sigstore.dev)");
  return value.replace(/\/+$/, "");
}
function switchOf(value, option) {
  if (value === void 0 || value === false) return false;
  if (value === true) return true;
  const v = value.trim().toLowerCase();
  if (v === "" || v === "false") return false;
  if (v === "true") return true;
  throw new OptionError(option, value, "must be true or false");
}
function proofWords(raw, given, files) {
  const names = Object.fromEntries(
    PROOF_KEYS.map((k) => [k, given[k] ?? OPTIONS.find((o) => o.name === k)?.input ?? k])
  );
  const verifyKey = keyEntries(raw.verifyKey);
  checkProofFiles(raw, verifyKey, names, files);
  const words = {
    ...verifyKey.length ? { verifyKey } : {},
    ...identityWords(raw, names),
    ...raw.trustedRoot !== void 0 ? { trustedRoot: raw.trustedRoot } : {},
    ...raw.policy !== void 0 ? { policy: raw.policy } : {},
    ...signingWords(raw, names)
  };
  return Object.keys(words).length ? { proof: words } : {};
}
function checkProofFiles(raw, verifyKey, names, files) {
  const shown = (v) => notAFile(v) && !v.startsWith("env://") ? "(PEM given inline)" : v;
  const file = (value, option) => {
    if (value !== void 0 && !notAFile(value) && !files.fileExists(value))
      throw new OptionError(option, shown(value), "no such file");
  };
  for (const k of verifyKey) file(k, names.verifyKey);
  file(raw.trustedRoot, names.trustedRoot);
  file(raw.policy, names.policy);
  file(raw.signKey, names.signKey);
}
function identityWords(raw, names) {
  const [identity, pattern, issuer] = [
    raw.certificateIdentity,
    raw.certificateIdentityRegexp,
    raw.certificateOidcIssuer
  ];
  if (identity !== void 0 && pattern !== void 0)
    throw new OptionError(
      names.certificateIdentityRegexp,
      pattern,
      `give ${names.certificateIdentity} or ${names.certificateIdentityRegexp}, not both`
    );
  if (pattern !== void 0)
    try {
      new RegExp(pattern);
    } catch (e) {
      throw new OptionError(
        names.certificateIdentityRegexp,
        pattern,
        `not a valid regular expression (${e.message})`
      );
    }
  if ((identity ?? pattern) !== void 0 && issuer === void 0)
    throw new OptionError(
      identity !== void 0 ? names.certificateIdentity : names.certificateIdentityRegexp,
      identity ?? pattern,
      `needs ${names.certificateOidcIssuer} (as cosign requires)`
    );
  if (issuer !== void 0 && identity === void 0 && pattern === void 0)
    throw new OptionError(
      names.certificateOidcIssuer,
      issuer,
      `needs ${names.certificateIdentity} or ${names.certificateIdentityRegexp}`
    );
  return {
    ...identity !== void 0 ? { certificateIdentity: identity } : {},
    ...pattern !== void 0 ? { certificateIdentityRegexp: pattern } : {},
    ...issuer !== void 0 ? { certificateOidcIssuer: issuer } : {}
  };
}
function signingWords(raw, names) {
  const keyless = switchOf(raw.signKeyless, names.signKeyless);
  if (keyless && raw.signKey !== void 0)
    throw new OptionError(
      names.signKeyless,
      "true",
      `give ${names.signKey} or ${names.signKeyless}, not both`
    );
  const urls = {
    fulcioURL: urlOf(raw.fulcioUrl, names.fulcioUrl),
    rekorURL: urlOf(raw.rekorUrl, names.rekorUrl),
    tsaURL: urlOf(raw.timestampServerUrl, names.timestampServerUrl)
  };
  const urlGiven = ["fulcioUrl", "rekorUrl", "timestampServerUrl"].find((k) => raw[k] !== void 0);
  if (urlGiven && !keyless)
    throw new OptionError(
      names[urlGiven],
      raw[urlGiven],
      `is used by keyless signing only: give ${names.signKeyless} too`
    );
  return {
    ...raw.signKey !== void 0 ? { signKey: raw.signKey } : {},
    ...keyless ? { signKeyless: true } : {},
    ...urlGiven ? { urls: Object.fromEntries(Object.entries(urls).filter(([, v]) => v)) } : {}
  };
}
var CLI_COMMANDS = [
  "copy",
  "promote",
  "promote-file",
  "plan",
  "inspect",
  "tags",
  "verify",
  "digest",
  "ls",
  "manifest",
  "config",
  "merge",
  "help",
  "completion"
];
var REGISTRY_COMMANDS = [
  "copy",
  "promote",
  "promote-file",
  "plan",
  "inspect",
  "verify",
  "digest",
  "ls",
  "manifest",
  "config",
  "merge"
];
var READ_COMMANDS = ["inspect", "digest", "ls", "manifest", "config"];
var TRANSFER_COMMANDS = ["copy", "promote", "promote-file"];
var SINGLE_IMAGE = ["copy", "promote"];
var OPTIONS = [
  {
    name: "dryRun",
    flag: "dry-run",
    input: "dry-run",
    default: "false",
    commands: [...TRANSFER_COMMANDS, "merge"],
    help: ["plan only (JSON on stdout), write nothing"]
  },
  {
    name: "tagPolicy",
    flag: "tag-policy",
    value: "POLICY",
    input: "tag-policy",
    default: DEFAULT_TAG_POLICY,
    fileKey: "tag-policy",
    commands: SINGLE_IMAGE,
    help: [choicesHelp(TAG_POLICIES, DEFAULT_TAG_POLICY)],
    parse: (raw, names) => ({ tagPolicy: tagPolicy(raw.tagPolicy, names.tagPolicy) })
  },
  {
    name: "movingTags",
    flag: "moving-tag",
    value: "TAG",
    repeatable: true,
    input: "moving-tags",
    split: "commas",
    default: DEFAULT_MOVING_TAGS.join(","),
    fileKey: "moving-tags",
    commands: SINGLE_IMAGE,
    help: [
      `tags that may move under immutable (one per flag, repeatable; replaces the default ${DEFAULT_MOVING_TAGS.join(", ")})`
    ],
    parse: (raw, names) => ({ movingTags: movingTags(raw.movingTags, names.movingTags) })
  },
  {
    name: "insecureRegistries",
    flag: "insecure",
    value: "HOST[:PORT]",
    repeatable: true,
    input: "insecure-registries",
    split: "commas",
    commands: REGISTRY_COMMANDS,
    help: [
      "HOST[:PORT] may use plain http or TLS without certificate verification,",
      "as docker's insecure-registries (warned each run; repeatable)"
    ],
    parse: (raw, names) => ({
      insecureRegistries: insecureRegistries(raw.insecureRegistries, names.insecureRegistries)
    })
  },
  {
    name: "caFile",
    flag: "ca-file",
    value: "FILE",
    input: "ca-file",
    commands: REGISTRY_COMMANDS,
    help: ["PEM CA bundle to trust (NODE_EXTRA_CA_CERTS works too)"],
    parse: (raw, names, files) => ({
      caFile: caFile(raw.caFile, names.caFile, files.fileExists, files.readFile)
    })
  },
  {
    name: "clientCerts",
    flag: "client-cert",
    value: "HOST=FILE",
    repeatable: true,
    input: "client-cert",
    split: "lines",
    // one HOST=PATH per line (a path may hold a comma)
    commands: REGISTRY_COMMANDS,
    help: ["PEM TLS client certificate for registry HOST[:PORT] only (mTLS; repeatable)"],
    parse: (raw, names, files) => ({
      clientCertificates: clientCertificates(raw, names, files.fileExists, files.readFile)
    })
  },
  {
    name: "clientKeys",
    flag: "client-key",
    value: "HOST=FILE",
    repeatable: true,
    input: "client-key",
    split: "lines",
    commands: REGISTRY_COMMANDS,
    help: ["its PEM private key, unencrypted (one per --client-cert)"],
    parse: () => ({})
    // checked with client-cert, as its pair
  },
  {
    name: "concurrency",
    flag: "concurrency",
    value: "N",
    input: "concurrency",
    default: String(DEFAULT_CONCURRENCY),
    commands: TRANSFER_COMMANDS,
    help: [`transfers at once per registry host, 1 to 64 (default ${DEFAULT_CONCURRENCY})`],
    parse: (raw, names) => ({ concurrency: concurrency(raw.concurrency, names.concurrency) })
  },
  {
    name: "timeout",
    flag: "timeout",
    value: "SECONDS",
    input: "request-timeout",
    default: String(DEFAULT_TIMEOUT_MS / 1e3),
    unit: "seconds",
    commands: REGISTRY_COMMANDS,
    help: [
      `give up on a request with no answer after this long, per try (default ${DEFAULT_TIMEOUT_MS / 1e3})`
    ],
    parse: (raw, names) => ({ timeoutMs: timeoutMs(raw.timeout, names.timeout) })
  },
  {
    name: "uploadMode",
    flag: "upload-mode",
    value: "MODE",
    input: "upload-mode",
    default: DEFAULT_UPLOAD_MODE,
    commands: TRANSFER_COMMANDS,
    help: [choicesHelp(UPLOAD_MODES, DEFAULT_UPLOAD_MODE)],
    parse: (raw, names) => ({ uploadMode: uploadMode(raw.uploadMode, names.uploadMode) })
  },
  {
    name: "requestBudgets",
    flag: "request-budget",
    value: "R=RATE",
    repeatable: true,
    input: "request-budget",
    split: "lines",
    // 'ghcr.io=20/s,5000' holds a comma
    commands: [...TRANSFER_COMMANDS, "plan"],
    help: [
      "keep requests to registry R within a budget: N/s (evenly spaced), a TOTAL",
      "for the run, or N/s,TOTAL (ghcr.io=20/s,5000; repeatable). A plan that needs",
      "more than the total left is refused before any write; plan --shards gives each",
      "shard its share (the matrix's budget, for that shard's --request-budget)"
    ],
    parse: (raw, names) => ({ requestBudgets: requestBudgets(raw.requestBudgets, names.requestBudgets) })
  },
  {
    name: "registryKinds",
    flag: "registry-kind",
    value: "HOST=KIND",
    repeatable: true,
    input: "registry-kinds",
    split: "commas",
    commands: REGISTRY_COMMANDS,
    help: ["naming rules for HOST (harbor, quay, \u2026 as in the registry-kinds input; repeatable)"],
    parse: (raw, names) => ({ registryKinds: registryKinds(raw.registryKinds, names.registryKinds) })
  },
  {
    name: "referrers",
    flag: "referrers",
    value: "WHAT",
    input: "referrers",
    default: DEFAULT_REFERRERS,
    fileKey: "referrers",
    commands: SINGLE_IMAGE,
    help: [
      `what travels with the image: ${choicesHelp(["all", "none", "artifact types separated"], DEFAULT_REFERRERS, ", or ")}`,
      "by commas (application/spdx+json,application/vnd.dev.cosign.artifact.sig.v1+json;",
      "cosign = cosign's sha256-<hex>.sig/.att/.sbom tags). Found through the source's",
      "referrers API, else its sha256-<hex> fallback tag; referrers of referrers too.",
      "At a target that lists referrers itself (OCI-Subject) no fallback tag is",
      "written; elsewhere its fallback index is merged, never dropping its entries.",
      "A cosign tag holding other signatures moves only with --tag-policy overwrite."
    ],
    parse: (raw, names) => raw.referrers !== void 0 ? { referrers: referrers(raw.referrers, names.referrers ?? "referrers") } : {}
  },
  {
    name: "promotePlatforms",
    flag: "platform",
    value: "OS/ARCH[/VARIANT]",
    repeatable: true,
    input: "promote-platforms",
    split: "commas",
    commands: SINGLE_IMAGE,
    help: [
      "promote only these platforms of the source (one per flag, repeatable; as crane's copy --platform):",
      "one gives that child's own manifest (its digest), several a new index of those",
      "children and their attestations (a new digest; the plan and log say so)"
    ],
    parse: (raw, names) => platforms(raw.promotePlatforms, names.promotePlatforms ?? "promote-platforms")
  },
  // issue 21, the merge (merge/stage.ts, cli/merge.ts): its sources, where it writes, what it must hold
  {
    name: "mergeSources",
    input: "merge",
    split: "lines",
    commands: [],
    help: [
      "merge these platform images into one index at staging-image instead of building, then",
      "promote it like any source (same step). One per line: a reference, a digest at staging-image's",
      "repository, or staged (the platform images this commit's jobs staged)"
    ]
  },
  {
    name: "to",
    flag: "to",
    value: "STAGING-REF",
    commands: ["merge"],
    help: [
      "(merge) where the index is written: REGISTRY/REPOSITORY[:TAG]; without a tag,",
      "sha-<first 12 hex of $GITHUB_SHA>"
    ]
  },
  {
    name: "mergePlatforms",
    flag: "require-platform",
    value: "PLATFORM",
    repeatable: true,
    input: "merge-platforms",
    split: "commas",
    commands: ["merge"],
    help: [
      "(merge) platforms the index must hold (OS/ARCH[/VARIANT]; repeatable). When no SOURCE",
      "is one of them, the merge is refused before any write"
    ]
  },
  // issue 20: the verification gate (before any write) and the signed promotion record; names as
  // cosign's. One parser (proofWords) checks them together; engine-options.ts proofSettings reads them.
  {
    name: "verifyKey",
    flag: "verify-key",
    value: "FILE",
    repeatable: true,
    input: "verify-key",
    split: "lines",
    commands: [...TRANSFER_COMMANDS, "verify"],
    help: [
      "verify before any write: the source must be signed by this cosign public key (PEM;",
      "a file, env://NAME or the PEM; repeatable: any one of them)"
    ],
    parse: proofWords
  },
  {
    name: "certificateIdentity",
    flag: "certificate-identity",
    value: "ID",
    input: "certificate-identity",
    commands: [...TRANSFER_COMMANDS, "verify"],
    help: ["verify: keyless signatures by this certificate identity (a workflow URI, an email)"],
    parse: () => ({})
    // checked with verify-key (proofWords)
  },
  {
    name: "certificateIdentityRegexp",
    flag: "certificate-identity-regexp",
    value: "RE",
    input: "certificate-identity-regexp",
    commands: [...TRANSFER_COMMANDS, "verify"],
    help: ["verify: keyless signatures by an identity matching this regular expression"],
    parse: () => ({})
  },
  {
    name: "certificateOidcIssuer",
    flag: "certificate-oidc-issuer",
    value: "URL",
    input: "certificate-oidc-issuer",
    commands: [...TRANSFER_COMMANDS, "verify"],
    help: ["the identity's OIDC issuer (https://token.actions.githubusercontent.com)"],
    parse: () => ({})
  },
  {
    name: "trustedRoot",
    flag: "trusted-root",
    value: "FILE",
    input: "trusted-root",
    commands: [...TRANSFER_COMMANDS, "verify"],
    help: ["Sigstore trusted root JSON for keyless bundles (default: the public-good instance's)"],
    parse: () => ({})
  },
  {
    name: "policy",
    flag: "policy",
    value: "FILE",
    input: "policy",
    commands: [...TRANSFER_COMMANDS, "verify"],
    help: [
      "the verification policy, rich form (YAML: keys, identities, required attestations and",
      "their fields, every child of an index; docs/verification.md)"
    ],
    parse: () => ({})
  },
  {
    name: "signKey",
    flag: "sign-key",
    value: "FILE",
    input: "sign-key",
    commands: TRANSFER_COMMANDS,
    help: [
      "sign a promotion record with this PEM private key (file, env://NAME or the PEM) and",
      "store it at every target as a Sigstore bundle referrer"
    ],
    parse: () => ({})
  },
  {
    name: "signKeyless",
    flag: "sign-keyless",
    input: "sign-keyless",
    default: "false",
    commands: TRANSFER_COMMANDS,
    help: ["sign the record keyless: Fulcio + Rekor with the CI's OIDC token (id-token: write)"],
    parse: () => ({})
  },
  {
    name: "fulcioUrl",
    flag: "fulcio-url",
    value: "URL",
    input: "fulcio-url",
    commands: TRANSFER_COMMANDS,
    help: [`the Fulcio of a private instance (with --sign-keyless; default ${PUBLIC_GOOD.fulcioURL})`],
    parse: () => ({})
  },
  {
    name: "rekorUrl",
    flag: "rekor-url",
    value: "URL",
    input: "rekor-url",
    commands: TRANSFER_COMMANDS,
    help: [`the Rekor of a private instance (with --sign-keyless; default ${PUBLIC_GOOD.rekorURL})`],
    parse: () => ({})
  },
  {
    name: "timestampServerUrl",
    flag: "timestamp-server-url",
    value: "URL",
    input: "timestamp-server-url",
    commands: TRANSFER_COMMANDS,
    help: ["an RFC 3161 timestamp authority as well (with --sign-keyless; default none)"],
    parse: () => ({})
  },
  {
    name: "all",
    flag: "all",
    commands: SINGLE_IMAGE,
    help: [
      "(copy, promote) accepted, as crane and skopeo take it: every platform is copied unless --platform picks some"
    ]
  },
  {
    name: "preserveDigests",
    flag: "preserve-digests",
    commands: SINGLE_IMAGE,
    help: [
      "(copy, promote) accepted, as skopeo takes it: manifests always travel as their bytes,",
      "so digests never change"
    ]
  },
  {
    name: "srcCreds",
    flag: "src-creds",
    value: "USER[:PASS]",
    commands: SINGLE_IMAGE,
    help: [
      "(copy, promote) credentials for SRC's registry; without :PASS the password comes from",
      "PROMOTE_IMAGE_SRC_PASSWORD or --password-stdin (keep it off argv)"
    ]
  },
  {
    name: "destCreds",
    flag: "dest-creds",
    value: "USER[:PASS]",
    commands: SINGLE_IMAGE,
    help: [
      "(copy, promote) credentials for every DST's registry; without :PASS the password comes",
      "from PROMOTE_IMAGE_DEST_PASSWORD or --password-stdin"
    ]
  },
  {
    name: "creds",
    flag: "creds",
    value: "USER[:PASS]",
    commands: READ_COMMANDS,
    help: [
      "(inspect, digest, ls, manifest, config) credentials for REF's registry; without :PASS the",
      "password comes from PROMOTE_IMAGE_PASSWORD or --password-stdin"
    ]
  },
  {
    name: "passwordStdin",
    flag: "password-stdin",
    commands: [...SINGLE_IMAGE, ...READ_COMMANDS],
    help: ["read the password of the one creds flag given without :PASS from stdin (as docker login)"]
  },
  {
    name: "authFile",
    flag: "authfile",
    value: "FILE",
    commands: ["copy", "promote", "promote-file", "plan", "merge", "verify", ...READ_COMMANDS],
    help: [
      "containers-auth.json or docker config.json to read credentials from first (podman login",
      "writes one); default $REGISTRY_AUTH_FILE; then the docker config.json"
    ]
  },
  {
    name: "json",
    flag: "json",
    commands: [
      "copy",
      "promote",
      "promote-file",
      "plan",
      "inspect",
      "tags",
      "verify",
      "digest",
      "ls",
      "merge"
    ],
    help: ["print the result as JSON"]
  },
  {
    name: "file",
    flag: "file",
    short: "f",
    value: "FILE",
    commands: ["promote-file", "plan"],
    help: ["(promote, plan) the promotion file"]
  },
  {
    name: "shard",
    flag: "shard",
    value: "K/N",
    commands: ["promote-file"],
    help: ["(promote -f) promote only shard K of N"]
  },
  {
    name: "shards",
    flag: "shards",
    value: "N",
    commands: ["plan"],
    help: ["(plan) how many shards to plan, 1 to 256"]
  },
  {
    name: "image",
    flag: "image",
    value: "REPO",
    repeatable: true,
    commands: ["tags"],
    help: ["(tags) repository to prefix; repeatable"]
  },
  {
    name: "tags",
    flag: "tags",
    value: "RULE",
    repeatable: true,
    commands: ["tags"],
    help: ["(tags) a tag rule in docker/metadata-action syntax; repeatable"]
  },
  {
    name: "flavor",
    flag: "flavor",
    value: "LINE",
    repeatable: true,
    commands: ["tags"],
    help: ["(tags) a flavor line (latest=auto|true|false, prefix=, suffix=)"]
  },
  {
    name: "lowercase",
    flag: "lowercase",
    commands: ["tags"],
    help: ["(tags) lower-case repository names instead of failing"]
  },
  {
    name: "verbose",
    flag: "verbose",
    short: "v",
    commands: CLI_COMMANDS,
    help: [
      "debug logging on stderr, with one line per request (method, URL without",
      "query values, status, ms, retries)"
    ]
  },
  {
    name: "help",
    flag: "help",
    short: "h",
    commands: CLI_COMMANDS,
    help: ["this help"]
  },
  {
    name: "version",
    flag: "version",
    commands: CLI_COMMANDS,
    help: ["print the version"]
  }
];
var ENGINE_OPTIONS = OPTIONS.filter((o) => o.parse);
function optionSpec(name) {
  const spec = OPTIONS.find((o) => o.name === name);
  if (!spec) throw new Error(`no option named ${name} in the schema`);
  return spec;
}
var OPTION_INPUTS = Object.fromEntries(ENGINE_OPTIONS.map((o) => [o.name, o.input]));
var OPTION_FLAGS = Object.fromEntries(
  ENGINE_OPTIONS.map((o) => [o.name, `--${o.flag}`])
);
var FILE_OWNED_OPTIONS = Object.fromEntries(
  OPTIONS.filter((o) => o.fileKey).map((o) => [o.name, o.fileKey])
);
function parseOptions(raw, names, fileExists = existsSync, readFile = (path) => readFileSync(path, "utf8")) {
  const files = { fileExists, readFile };
  return Object.assign({}, ...ENGINE_OPTIONS.map((o) => o.parse(raw, names, files)));
}

export {
  certificateHost,
  ATTESTATION_SUBJECT,
  parsePlatforms,
  platformKey,
  platformMatches,
  isAttestation,
  writeIndex,
  choosePlatforms,
  BudgetSpentError,
  formatRequestBudgets,
  budgetShare,
  requestKind,
  RateLimiter,
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
  TlsVerifyError,
  retryOptions,
  DEFAULT_RETRY,
  isTimeout,
  retryAfterMs,
  defaultRetryPolicy,
  triesText,
  blocksHost,
  OptionError,
  PROOF_KEYS,
  CLI_COMMANDS,
  OPTIONS,
  ENGINE_OPTIONS,
  optionSpec,
  OPTION_INPUTS,
  OPTION_FLAGS,
  FILE_OWNED_OPTIONS,
  parseOptions
};
