import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  RECORD_IDENTITY,
  findEvidence,
  inIndexFound
} from "./chunk-DZY2RWH4.js";
import {
  NO_ATTESTATION,
  checkAttestation,
  checkSignature,
  checkSubject,
  childDescriptors,
  evaluate,
  formatPlatform,
  goodSignature,
  isAttestationManifest,
  isIndex,
  runtimeSelectable
} from "./chunk-EGMZZ4ZJ.js";
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
import "./chunk-MCYELEY5.js";
import "./chunk-24QWVXFN.js";

// src/proof/gate.ts
var GateError = class extends Error {
  /**
   * @param what the source (`registry/repository@sha256:\u2026`)
   * @param plan the promotion's plan, when the gate ran inside one (its `gate` set)
   */
  constructor(what, report, plan) {
    const failed = report.checks.filter((c) => !c.passed);
    const lines = failed.map((c) => `${checkSubject(c)}: found ${c.found}; wanted ${c.wanted}`);
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
    this.trust ??= import("./sigstore-FIU3P6UX.js").then((s) => s.loadTrust(this.policy.trustedRoot));
    return this.trust;
  }
};
async function trustOr(trust, s) {
  try {
    return await trust.get();
  } catch (e) {
    if (e instanceof s.TrustUnavailable) return { problem: `not checked: ${e.message}` };
    throw e;
  }
}
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
  const sig = await import("./sigstore-FIU3P6UX.js");
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
  const trusted = await trustOr(trust, sig);
  if ("problem" in trusted) return { via: f.via, problem: trusted.problem, signs: s.digest, ...ref };
  const v = sig.verifyBundle(bundle2, trusted, [], f.payload);
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
  const s = await import("./sigstore-FIU3P6UX.js");
  const keyed = s.bundleHasPublicKey(f.bundle);
  if (!keyed && !p.identities.length)
    return { via: f.via, problem: "a keyless Sigstore bundle, and no identity was given", signs: "" };
  const trusted = keyed ? s.NO_TRUST : await trustOr(trust, s);
  const v = s.verifyBundle(f.bundle, "problem" in trusted ? s.NO_TRUST : trusted, p.keys);
  const record = f.annotations[RECORD_IDENTITY] !== void 0;
  const about = statementOf(f.via, v.payloadType, v.payload, digest);
  if ("problem" in trusted)
    return { via: f.via, ...about, problem: trusted.problem, ...record ? { record } : {} };
  return {
    via: f.via,
    ...v.signer ? { signer: v.signer } : { problem: v.problem },
    ...about,
    ...record ? { record } : {}
  };
}
async function authenticate(p, found, digest, trust, bindings) {
  return await Promise.all(
    found.map(async (f) => {
      switch (f.kind) {
        case "simple-signing":
          return f.certificate ? await cosignKeyless(p, f, trust) : simpleSigning(p, f);
        case "dsse":
          return cosignAttestation(p, f, digest);
        case "bundle":
          return await bundle(p, f, digest, trust);
        case "in-index": {
          const about = statementOf(f.via, IN_TOTO_PAYLOAD_TYPE, f.statement, digest);
          const bound = bindings?.get(f.manifest);
          if (!bound) return { via: f.via, inIndex: true, ...about };
          if ("problem" in bound) return { via: f.via, inIndex: true, ...about, problem: bound.problem };
          if (about.statement && about.signs !== digest)
            return {
              via: f.via,
              inIndex: true,
              ...about,
              problem: `not counted: the attestation manifest is signed but its statement is not about ${digest} (only a signed index binds the annotation that says it is)`
            };
          return { via: f.via, inIndex: true, ...about, signer: bound.signer };
        }
      }
    })
  );
}
function platformChildren(root) {
  return childDescriptors(root).filter(runtimeSelectable).map((c) => ({ digest: c.digest, platform: formatPlatform(c.platform) || c.digest }));
}
function attestedByPlatforms(checks, perChild) {
  if (!perChild.size) return checks;
  return checks.map((c) => {
    if (c.passed || !c.check.startsWith("attestation ")) return c;
    const kids = [...perChild.values()].map((k) => ({
      platform: k.platform,
      c: k.checks.find((x) => x.check === c.check)
    }));
    if (!kids.every((k) => k.c?.passed)) return platformsFound(c, kids);
    const found = `every platform attested: ${kids.map((k) => `${k.platform}: ${k.c?.found}`).join("; ")}`;
    return { ...c, passed: true, found };
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
async function childChecks(api, repo, root, policy, trust, bindings) {
  const out = /* @__PURE__ */ new Map();
  const inIndex = policy.attestations.length > 0;
  if (!isIndex(root) || policy.scope === "root" && !inIndex) return out;
  for (const child of platformChildren(root)) {
    if (policy.scope === "all") {
      const own = await authenticate(
        policy,
        await findEvidence(api, repo, child.digest, inIndex ? root : void 0),
        child.digest,
        trust,
        bindings
      );
      const checks2 = evaluate(policy, child.digest, own).map((c) => ({ ...c, platform: child.platform }));
      out.set(child.digest, { platform: child.platform, checks: checks2 });
      continue;
    }
    const statements = await authenticate(
      policy,
      await inIndexFound(api, repo, root, child.digest),
      child.digest,
      trust,
      bindings
    );
    const checks = policy.attestations.map((r) => checkAttestation(policy, r, child.digest, statements));
    out.set(child.digest, { platform: child.platform, checks });
  }
  return out;
}
function indexSignature(own, children, label) {
  if (own.passed || !children.length) return own;
  const each = children.map(
    (k) => `${k.platform} (${k.digest}): ${k.check ? (k.check.passed ? "" : "found ") + k.check.found : "not checked"}`
  );
  const index = label ?? `index itself: ${own.found}`;
  const passed = children.every((k) => k.check?.passed);
  const found = `${index}; ${passed ? "every platform signed" : "not every platform signed"}: ${each.join("; ")}`;
  return { ...own, passed, found, wanted: `${own.wanted}, or over each platform's digest` };
}
function signedByPlatforms(checks, perChild, label) {
  const children = [...perChild.entries()].map(([digest, k]) => ({
    platform: k.platform,
    digest,
    check: k.checks.find((c) => c.check === "signature" && c.digest === digest)
  }));
  return checks.map((c) => c.check === "signature" ? indexSignature(c, children, label) : c);
}
async function attestationBindings(api, repo, root, policy, trust) {
  const out = /* @__PURE__ */ new Map();
  const index = policy.childrenSign ? "the merged index" : "the index";
  const advice = policy.childrenSign ? "attest each platform (cosign attest) or sign the attestation manifest" : "sign the index or the attestation manifest, or attest each platform (cosign attest)";
  for (const a of childDescriptors(root).filter(isAttestationManifest)) {
    if (out.has(a.digest)) continue;
    const found = await authenticate(policy, await findEvidence(api, repo, a.digest), a.digest, trust);
    const check = checkSignature(policy, a.digest, found);
    const signer = check?.passed ? goodSignature(policy, a.digest, found)?.signer : void 0;
    if (signer) {
      out.set(a.digest, { signer });
      continue;
    }
    const its = check?.found === "no signature" ? "neither is the attestation manifest" : `the attestation manifest is not signed by an accepted signer (found ${check?.found})`;
    out.set(a.digest, { problem: `not counted: ${index} is not signed and ${its}; ${advice}` });
  }
  return out;
}
async function runGate(api, repo, digest, policy, manifest) {
  const trust = new TrustOnce(policy);
  const root = manifest ?? await api.getManifest(repo, digest);
  const found = await authenticate(policy, await findEvidence(api, repo, digest), digest, trust);
  let checks = evaluate(policy, digest, found);
  const own = checks.find((c) => c.check === "signature");
  const bindings = own && !own.passed && isIndex(root) && policy.attestations.length ? await attestationBindings(api, repo, root, policy, trust) : void 0;
  const perChild = await childChecks(api, repo, root, policy, trust, bindings);
  checks = attestedByPlatforms(checks, perChild);
  if (own && !own.passed && isIndex(root)) {
    const signatures = policy.scope === "all" ? perChild : await childChecks(api, repo, root, { ...policy, scope: "all", attestations: [] }, trust);
    checks = signedByPlatforms(
      checks,
      signatures,
      policy.childrenSign ? "index written by the merge" : void 0
    );
  }
  if (policy.scope === "all") checks.push(...[...perChild.values()].flatMap((k) => k.checks));
  const loaded = trust.loaded ? await trust.loaded.then((t) => t.name).catch(() => void 0) : void 0;
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
