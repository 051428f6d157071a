#!/usr/bin/env node
import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  commandClient
} from "./chunk-TFIBQPMM.js";
import "./chunk-ZNQNZAYL.js";
import "./chunk-AVWDBJRP.js";
import {
  UsageError
} from "./chunk-FS6AVXTN.js";
import "./chunk-DXHAY4SF.js";
import "./chunk-SPGJ64DM.js";
import "./chunk-BLPB5NN7.js";
import "./chunk-A46IPO6H.js";
import {
  inline,
  jsonText
} from "./chunk-WZK7EEJJ.js";
import "./chunk-BJAN7FEI.js";
import "./chunk-N2RL2OJD.js";
import "./chunk-A3CPNU7I.js";
import "./chunk-BHHRLL7Q.js";
import {
  manifestReference
} from "./chunk-G7S46Y2P.js";
import "./chunk-VIETK5Q5.js";
import "./chunk-EVALZA5U.js";
import "./chunk-XYMN7WUU.js";

// src/cli/verify.ts
function recordText(r) {
  const p = r.predicate;
  const who = p?.run ? `${p.run.actor ?? "?"} in ${p.run.repository ?? "?"} run ${p.run.runId ?? "?"} attempt ${p.run.runAttempt ?? "?"} (workflow ${p.run.workflow ?? "?"}, commit ${p.run.commit ?? "?"})` : "outside CI";
  const lines = [`  record ${r.digest} (${r.listedBy}): ${r.verification}`];
  if (!p) return lines;
  lines.push(`    promoted ${p.promotedAt} by ${who}`);
  lines.push(`    from ${p.source.reference} (${p.source.digest})`);
  for (const t of p.targets)
    lines.push(`    to ${t.repository}: ${t.tags.map((x) => `${x.tag} ${x.action}`).join(", ") || "by digest"}`);
  if (p.verification)
    lines.push(
      `    gate: ${p.verification.passed ? "passed" : "failed"} (${p.verification.checks.map((c) => `${c.check} ${c.passed ? "ok" : "failed"}`).join(", ")})`
    );
  return lines;
}
function verifyText(report) {
  const lines = [`${report.reference} is ${report.digest}`];
  for (const c of report.gate?.checks ?? [])
    lines.push(
      `${c.passed ? "verified" : "NOT verified"}: ${c.check} of ${c.digest}: found ${c.found}${c.passed ? "" : `; wanted ${c.wanted}`}`
    );
  if (report.gate?.trustedRoot) lines.push(`bundles verified against ${report.gate.trustedRoot}`);
  lines.push(
    report.records.length ? `promotion records: ${report.records.length}` : "promotion records: none"
  );
  for (const r of report.records) lines.push(...recordText(r));
  return lines.map(inline).join("\n") + "\n";
}
async function trustOnly(file) {
  if (file === void 0) return void 0;
  const { readFile } = await import("node:fs/promises");
  const json = await readFile(file, "utf8").catch((e) => {
    throw new UsageError(`--trusted-root ${file}: cannot be read (${e.code ?? e.message})`);
  });
  return { keys: [], identities: [], attestations: [], scope: "root", trustedRoot: { name: file, json } };
}
function verifyPassed(report) {
  return (report.gate?.passed ?? true) && report.records.every((r) => r.verified);
}
async function runVerify(cmd, io) {
  const r = cmd.reference;
  const client = await commandClient(cmd, { source: r.registry }, io);
  try {
    const { loadVerifyPolicy } = await import("./load-5LOIIGJD.js");
    const { verifyImage } = await import("./inspect-D3H727LZ.js");
    const policy = await loadVerifyPolicy(cmd.verify).catch((e) => {
      throw new UsageError(e.message);
    });
    const repo = { registry: r.registry, repository: r.repository };
    const shown = `${r.registry}/${r.repository}${r.digest ? "@" : ":"}${manifestReference(r)}`;
    const recordTrust = policy ?? await trustOnly(cmd.verify.trustedRoot);
    const report = await verifyImage(client, repo, manifestReference(r), shown, policy, recordTrust);
    io.out(cmd.json ? jsonText(report, 2) + "\n" : verifyText(report));
    return verifyPassed(report) ? 0 : 1;
  } catch (e) {
    if (cmd.json) io.out(jsonText({ error: e.message }, 2) + "\n");
    throw e;
  } finally {
    await client.close();
  }
}
export {
  runVerify,
  verifyPassed,
  verifyText
};
