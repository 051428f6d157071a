#!/usr/bin/env node
import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  BudgetSpentError,
  TlsVerifyError
} from "./chunk-BLPB5NN7.js";
import {
  DEFAULT_CHUNK_SIZE
} from "./chunk-A46IPO6H.js";
import {
  registryKey
} from "./chunk-VIETK5Q5.js";

// src/plain-http.ts
var PlainHttpRefusal = class extends Error {
  constructor(rule, host, from, to, message) {
    super(message);
    this.rule = rule;
    this.host = host;
    this.from = from;
    this.to = to;
    this.name = "PlainHttpRefusal";
  }
  rule;
  host;
  from;
  to;
};

// src/copy/budget.ts
function planRequests(plan, source, upload = {}) {
  const out = /* @__PURE__ */ new Map();
  const add = (registry, n) => {
    if (n > 0) out.set(registryKey(registry), (out.get(registryKey(registry)) ?? 0) + n);
  };
  const chunk = upload.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const puts = (size) => upload.mode === "chunked" ? Math.ceil(size / chunk) + 1 : 1;
  for (const move of plan.moves) {
    if (move.deliveries.some((d) => !d.mountFrom)) add(source.registry, 1);
    for (const d of move.deliveries) add(d.repo.registry, d.mountFrom ? 1 : 1 + puts(move.blob.size));
  }
  for (const t of plan.targets) {
    const writes = t.push.length + t.tagWrites.length + t.referrerWrites.reduce((n, w) => n + (w.merge ? 2 : 1), 0) + (t.signatureWrites?.length ?? 0);
    add(t.repo.registry, writes);
  }
  return out;
}
function checkBudget(requests, budget) {
  const entries = [];
  const problems = [];
  for (const [registry, n] of requests) {
    const remaining = budget.remaining(registry);
    entries.push({ registry, requests: n, ...remaining !== void 0 ? { remaining } : {} });
    if (remaining !== void 0 && remaining < n)
      problems.push(`${registry}: the writes need ${n} requests, the request budget has ${remaining} left`);
  }
  return { entries, problems };
}
var RequestBudgetError = class extends Error {
  constructor(problems) {
    super(
      `request budget too small, nothing written:
  ${problems.join("\n  ")}
  raise the request budget or promote fewer images per run`
    );
    this.problems = problems;
    this.name = "RequestBudgetError";
  }
  problems;
};

// src/report/tls-words.ts
var isFlag = (name) => name.startsWith("-");
function tlsAdvice(names, host, insecure = true) {
  const ca = isFlag(names.caFile) ? `${names.caFile} FILE` : `the ${names.caFile} input`;
  const skip = isFlag(names.insecureRegistries) ? `, or skip its verification with ${names.insecureRegistries} ${host}` : `, or list the host in ${names.insecureRegistries}`;
  return `give the CA with ${ca} or NODE_EXTRA_CA_CERTS${insecure ? skip : ""}`;
}
function insecureWarning(names, event) {
  const listed = isFlag(names.insecureRegistries) ? `listed with ${names.insecureRegistries}` : `listed in ${names.insecureRegistries}`;
  const what = event.scheme === "http" ? "plain http, no TLS" : "its TLS certificate is not verified";
  return `registry ${event.registry} is ${listed}: ${what}`;
}
function plainHttpAdvice(names, refusal) {
  const option = names.insecureRegistries;
  if (isFlag(option)) {
    if (refusal.rule === "redirect") return `; allow it with ${option} ${refusal.host}`;
    if (refusal.rule === "realm") return ` (only loopback hosts and hosts given with ${option} may use http)`;
    return `, and only a realm on the own host of a loopback registry or one given with ${option} may use http`;
  }
  if (refusal.rule === "redirect") return `; list the host in ${option} to allow it`;
  if (refusal.rule === "realm") return ` (only loopback hosts and ${option} may use http)`;
  return `, and only a realm on a loopback or ${option} registry's own host may use http`;
}
function budgetWords(names, e) {
  if (e instanceof BudgetSpentError)
    return e.message.replace(
      ` ${e.total} requests is spent`,
      ` ${e.total} requests (${names.requestBudgets}) is spent`
    );
  return e.message.replace(
    /raise the request budget or promote fewer images per run$/,
    `raise ${names.requestBudgets} or promote fewer images per run`
  );
}
function tlsErrorsOf(e, out = [], depth = 0) {
  if (!e || typeof e !== "object" || depth > 8) return out;
  if (e instanceof TlsVerifyError || e instanceof PlainHttpRefusal || e instanceof BudgetSpentError || e instanceof RequestBudgetError)
    out.push(e);
  tlsErrorsOf(e.cause, out, depth + 1);
  const failures = e.failures;
  if (Array.isArray(failures))
    for (const f of failures) tlsErrorsOf(f?.error, out, depth + 1);
  return out;
}
function withTlsAdvice(e, names) {
  if (!(e instanceof Error)) return e;
  const done = /* @__PURE__ */ new Set();
  for (const tls of tlsErrorsOf(e)) {
    if (done.has(tls.message)) continue;
    done.add(tls.message);
    const advised = tls instanceof BudgetSpentError || tls instanceof RequestBudgetError ? budgetWords(names, tls) : tls instanceof PlainHttpRefusal ? `${tls.message}${plainHttpAdvice(names, tls)}` : `${tls.message}; ${tlsAdvice(names, tls.host, tls.peer === "registry")}`;
    if (e.message.includes(advised)) continue;
    e.message = e.message.split(tls.message).join(advised);
  }
  return e;
}

export {
  planRequests,
  checkBudget,
  RequestBudgetError,
  PlainHttpRefusal,
  insecureWarning,
  withTlsAdvice
};
