#!/usr/bin/env node
import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  runGate,
  signerText
} from "./chunk-7QPKNJMA.js";
import {
  PROMOTION_PREDICATE_TYPE
} from "./chunk-EWLU54PW.js";
import {
  SIGSTORE_BUNDLE_V03,
  readSmallBlob
} from "./chunk-QVBDMRKG.js";
import {
  parseStatement,
  statementIsAbout
} from "./chunk-WWFVROVA.js";
import "./chunk-O6W5HUEJ.js";
import {
  listAtSource
} from "./chunk-RC27KSUY.js";
import "./chunk-A46IPO6H.js";
import "./chunk-A3CPNU7I.js";
import "./chunk-XYMN7WUU.js";

// src/proof/inspect.ts
async function viewOf(bundle, subject, digest, listedBy, policy, trust) {
  const s = await import("./sigstore-KLHTKMCZ.js");
  const keyed = s.bundleHasPublicKey(bundle);
  const keys = policy?.keys ?? [];
  const against = keyed ? s.NO_TRUST : await trust();
  const v = s.verifyBundle(bundle, against, keys);
  let predicate;
  let about = false;
  if (v.payload) {
    const st = parseStatement(v.payload, `record ${digest}`);
    about = statementIsAbout(st, subject);
    if (st.predicateType === PROMOTION_PREDICATE_TYPE)
      predicate = st.predicate;
  }
  if (v.signer && !about)
    return {
      digest,
      listedBy,
      verification: `NOT verified: its statement is not about ${subject}`,
      verified: false
    };
  const verification = v.signer ? `verified against ${keyed ? signerText(v.signer) : against.name}` : `NOT verified: ${v.problem}`;
  return {
    digest,
    listedBy,
    ...v.signer ? { signer: v.signer } : {},
    verification,
    ...predicate ? { predicate } : {},
    verified: !!v.signer
  };
}
async function readRecords(api, repo, digest, policy) {
  const listed = await listAtSource(api, repo, digest, {
    api: true,
    cosign: false,
    types: /* @__PURE__ */ new Set([SIGSTORE_BUNDLE_V03])
  });
  let trust;
  const loadTrust = () => trust ??= import("./sigstore-KLHTKMCZ.js").then((s) => s.loadTrust(policy?.trustedRoot));
  const out = [];
  for (const e of listed?.entries ?? []) {
    if (e.annotations?.["dev.sigstore.bundle.predicateType"] !== PROMOTION_PREDICATE_TYPE) continue;
    const m = await api.getManifest(repo, e.digest);
    const layer = m?.json.layers?.[0];
    if (!layer || m?.json.subject?.digest !== digest) continue;
    const bundle = await readSmallBlob(api, repo, layer);
    const view = await viewOf(
      bundle,
      digest,
      e.digest,
      listed?.via === "api" ? "referrers API" : "fallback tag",
      policy,
      loadTrust
    );
    out.push(view);
  }
  return out;
}
async function verifyImage(api, repo, reference, shown, policy, recordPolicy = policy) {
  const root = await api.getManifest(repo, reference, { allowMissing: true });
  if (!root) throw new Error(`${shown} does not exist`);
  const [gate, records] = await Promise.all([
    policy ? runGate(api, repo, root.digest, policy, root) : Promise.resolve(void 0),
    readRecords(api, repo, root.digest, recordPolicy)
  ]);
  return { reference: shown, digest: root.digest, ...gate ? { gate } : {}, records };
}
export {
  readRecords,
  verifyImage
};
