import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  findEvidence,
  inIndexFound
} from "./chunk-663A3DZZ.js";
import {
  childDescriptors,
  formatPlatform,
  isAttestationManifest,
  isIndex
} from "./chunk-ICZ4UYAN.js";
import {
  parseSimpleSigning,
  payloadSignedBy
} from "./chunk-MEFUEGPP.js";
import {
  IN_TOTO_PAYLOAD_TYPE,
  envelopeSignedBy,
  parseEnvelope,
  parseStatement,
  statementIsAbout
} from "./chunk-TGJOLOKT.js";
import "./chunk-24QWVXFN.js";

// src/proof/policy.ts
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
function checkSignature(p, digest, found) {
  if (!p.keys.length && !p.identities.length) return void 0;
  const wanted = `a signature over ${digest} by ${wantedSigners(p)}`;
  const about = found.filter((a) => !a.inIndex && (a.signs === void 0 || a.signs === digest));
  const good = about.find((a) => accepts(p, a.signer) && a.signs === digest);
  if (good) return { check: "signature", digest, passed: true, found: foundText(good), wanted };
  const text = about.length ? about.map(
    (a) => a.signer && !accepts(p, a.signer) ? `${a.via}: signed by ${signerText(a.signer)}` : foundText(a)
  ) : ["no signature"];
  return { check: "signature", digest, passed: false, found: text.join("; "), wanted };
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
function checkAttestation(p, rule, digest, found) {
  const check = `attestation ${rule.predicateType}`;
  const rules = rule.rules.map((r) => `${r.field} ${matchText(r.want)}`);
  const signers = p.keys.length || p.identities.length ? ` by ${wantedSigners(p)}` : "";
  const wanted = `${check} about ${digest}${signers || " in the index"}${rules.length ? ` with ${rules.join(", ")}` : ""}`;
  const statements = found.filter((a) => a.statement && (a.inIndex || a.signs === digest));
  const typed = statements.filter((a) => a.statement?.predicateType === rule.predicateType);
  const trusted = typed.filter((a) => a.inIndex || accepts(p, a.signer));
  for (const a of trusted)
    if (!brokenRule(a.statement, rule.rules))
      return {
        check,
        digest,
        passed: true,
        found: `${a.via}: ${a.inIndex ? "bound by the index digest" : `signed by ${signerText(a.signer)}`}`,
        wanted
      };
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

// src/proof/gate.ts
var GateError = class extends Error {
  /**
   * @param what the source (`registry/repository@sha256:\u2026`)
   * @param plan the promotion's plan, when the gate ran inside one (its `gate` set)
   */
  constructor(what, report, plan) {
    const failed = report.checks.filter((c) => !c.passed);
    const lines = failed.map((c) => `${c.check} of ${c.digest}: found ${c.found}; wanted ${c.wanted}`);
    super(`verification of ${what} failed; nothing was written at any target:
  ${lines.join("\n  ")}`);
    this.what = what;
    this.report = report;
    this.plan = plan;
    this.name = "GateError";
  }
  what;
  report;
  plan;
};
var TrustOnce = class {
  constructor(policy) {
    this.policy = policy;
  }
  policy;
  trust;
  get loaded() {
    return this.trust;
  }
  get() {
    this.trust ??= import("./sigstore-22BFIZFG.js").then((s) => s.loadTrust(this.policy.trustedRoot));
    return this.trust;
  }
};
function simpleSigning(p, f) {
  try {
    const s = parseSimpleSigning(f.payload);
    const key = p.keys.find((k) => payloadSignedBy(f.payload, f.signature, k.key));
    const ref = s.dockerReference ? { dockerReference: s.dockerReference } : {};
    if (key) return { via: f.via, signer: { key: key.name }, signs: s.digest, ...ref };
    const problem = p.keys.length ? `signed by none of the keys ${p.keys.map((k) => k.name).join(", ")}` : "a cosign key signature, and no key was given";
    return { via: f.via, problem, signs: s.digest, ...ref };
  } catch (e) {
    return { via: f.via, problem: e.message };
  }
}
async function cosignKeyless(p, f, trust) {
  let s;
  try {
    s = parseSimpleSigning(f.payload);
  } catch (e) {
    return { via: f.via, problem: e.message };
  }
  const ref = s.dockerReference ? { dockerReference: s.dockerReference } : {};
  if (!p.identities.length)
    return {
      via: f.via,
      problem: "a keyless cosign signature, and no identity was given",
      signs: s.digest,
      ...ref
    };
  const sig = await import("./sigstore-22BFIZFG.js");
  const material = {
    certificate: f.certificate,
    signature: f.signature,
    ...f.rekorBundle ? { rekorBundle: f.rekorBundle } : {}
  };
  let bundle2;
  try {
    bundle2 = sig.cosignKeylessBundle(material, f.payload);
  } catch (e) {
    return { via: f.via, problem: e.message, signs: s.digest, ...ref };
  }
  const v = sig.verifyBundle(bundle2, await trust.get(), [], f.payload);
  return {
    via: f.via,
    ...v.signer ? { signer: v.signer } : { problem: v.problem },
    signs: s.digest,
    ...ref
  };
}
function statementOf(via, payloadType, payload, digest) {
  if (payloadType !== IN_TOTO_PAYLOAD_TYPE || !payload) return {};
  try {
    const statement = parseStatement(payload, via);
    return { statement, ...statementIsAbout(statement, digest) ? { signs: digest } : { signs: "" } };
  } catch (e) {
    return { problem: e.message };
  }
}
function cosignAttestation(p, f, digest) {
  try {
    const env = parseEnvelope(f.envelope, f.via);
    const key = p.keys.find((k) => envelopeSignedBy(env, k.key));
    const about = statementOf(f.via, env.payloadType, env.payload, digest);
    if (key) return { via: f.via, signer: { key: key.name }, ...about };
    return {
      via: f.via,
      problem: `signed by none of the keys ${p.keys.map((k) => k.name).join(", ")}`,
      ...about
    };
  } catch (e) {
    return { via: f.via, problem: e.message };
  }
}
async function bundle(p, f, digest, trust) {
  const s = await import("./sigstore-22BFIZFG.js");
  const keyed = s.bundleHasPublicKey(f.bundle);
  if (!keyed && !p.identities.length)
    return { via: f.via, problem: "a keyless Sigstore bundle, and no identity was given", signs: "" };
  const v = s.verifyBundle(f.bundle, keyed ? s.NO_TRUST : await trust.get(), p.keys);
  const about = statementOf(f.via, v.payloadType, v.payload, digest);
  return { via: f.via, ...v.signer ? { signer: v.signer } : { problem: v.problem }, ...about };
}
async function authenticate(p, found, digest, trust) {
  return await Promise.all(
    found.map(async (f) => {
      switch (f.kind) {
        case "simple-signing":
          return f.certificate ? await cosignKeyless(p, f, trust) : simpleSigning(p, f);
        case "dsse":
          return cosignAttestation(p, f, digest);
        case "bundle":
          return await bundle(p, f, digest, trust);
        case "in-index":
          return {
            via: f.via,
            inIndex: true,
            ...statementOf(f.via, IN_TOTO_PAYLOAD_TYPE, f.statement, digest)
          };
      }
    })
  );
}
function platformChildren(root) {
  return childDescriptors(root).filter((c) => !isAttestationManifest(c)).map((c) => ({ digest: c.digest, platform: formatPlatform(c.platform) || c.digest }));
}
function vouchedByPlatforms(checks, root, perChild, which, label, explain = false) {
  if (!perChild.size) return checks;
  return checks.map((c) => {
    if (c.passed || !which(c.check)) return c;
    const kids = [...perChild.values()].map((k) => ({
      platform: k.platform,
      c: k.checks.find((x) => x.check === c.check)
    }));
    if (!kids.every((k) => k.c?.passed)) return explain ? platformsFound(c, kids) : c;
    const found = `${label}: ${kids.map((k) => `${k.platform}: ${k.c?.found}`).join("; ")}`;
    return { ...c, digest: root, passed: true, found };
  });
}
function platformsFound(c, kids) {
  const some = kids.some((k) => k.c && !k.c.found.startsWith(NO_ATTESTATION));
  if (!some) return c;
  return {
    ...c,
    found: kids.map((k) => `${k.platform}: ${k.c?.passed ? "attested" : k.c?.found ?? "not checked"}`).join("; ")
  };
}
async function childChecks(api, repo, root, policy, trust) {
  const out = /* @__PURE__ */ new Map();
  if (!isIndex(root) || policy.scope === "root" && !policy.attestations.length) return out;
  for (const child of platformChildren(root)) {
    if (policy.scope === "all") {
      const own = await authenticate(
        policy,
        await findEvidence(api, repo, child.digest, root),
        child.digest,
        trust
      );
      out.set(child.digest, { platform: child.platform, checks: evaluate(policy, child.digest, own) });
      continue;
    }
    const inIndex = await authenticate(
      policy,
      await inIndexFound(api, repo, root, child.digest),
      child.digest,
      trust
    );
    const checks = policy.attestations.map((r) => checkAttestation(policy, r, child.digest, inIndex));
    out.set(child.digest, { platform: child.platform, checks });
  }
  return out;
}
async function runGate(api, repo, digest, policy, manifest) {
  const trust = new TrustOnce(policy);
  const root = manifest ?? await api.getManifest(repo, digest);
  const found = await authenticate(policy, await findEvidence(api, repo, digest), digest, trust);
  let checks = evaluate(policy, digest, found);
  const perChild = await childChecks(api, repo, root, policy, trust);
  checks = vouchedByPlatforms(
    checks,
    digest,
    perChild,
    (c) => c.startsWith("attestation "),
    "every platform attested",
    true
  );
  if (policy.childrenSign && isIndex(root))
    checks = vouchedByPlatforms(
      checks,
      digest,
      policy.scope === "all" ? perChild : await childChecks(api, repo, root, { ...policy, scope: "all" }, trust),
      (c) => c === "signature",
      "index written by the merge; every platform signed"
    );
  if (policy.scope === "all") checks.push(...[...perChild.values()].flatMap((k) => k.checks));
  const loaded = trust.loaded ? (await trust.loaded).name : void 0;
  return { passed: checks.every((c) => c.passed), checks, ...loaded ? { trustedRoot: loaded } : {} };
}
function assertGate(what, report) {
  if (!report.passed) throw new GateError(what, report);
}
export {
  GateError,
  assertGate,
  runGate
};
