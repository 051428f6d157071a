#!/usr/bin/env node
import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  attestationText
} from "./chunk-4MPECD7M.js";
import {
  inline
} from "./chunk-WZK7EEJJ.js";

// src/report/format.ts
function formatBytes(n) {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${n} B` : `${v.toFixed(1)} ${units[i]}`;
}
function formatRate(bytesPerSecond) {
  return `${formatBytes(Math.round(bytesPerSecond))}/s`;
}
function formatDuration(seconds) {
  const s = Math.max(0, Math.ceil(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return s % 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s / 60} min`;
  const m = Math.floor(s % 3600 / 60);
  return m ? `${Math.floor(s / 3600)} h ${m} min` : `${Math.floor(s / 3600)} h`;
}
function resultRows(result) {
  const header = [
    "target",
    "blobs skipped",
    "mounted",
    "copied",
    "bytes copied",
    "manifests pushed",
    "tags",
    "seconds"
  ];
  const rows = result.targets.map((t) => [
    t.target,
    String(t.blobsSkipped),
    String(t.blobsMounted),
    String(t.blobsCopied),
    formatBytes(t.bytesCopied),
    String(t.manifestsPushed),
    t.tags.map((x) => `${x.tag} (${x.action})`).join(", ") || "(by digest)",
    t.seconds.toFixed(2)
  ]);
  return [header, ...rows];
}
function referrerRows(plan) {
  const rows = plan.targets.flatMap((t) => [
    ...(t.referrers ?? []).map((r) => [
      t.target,
      r.digest,
      r.artifactType ?? "",
      r.subject,
      r.listedBy,
      r.action
    ]),
    ...(t.signatureTags ?? []).map((s) => [t.target, s.tag, s.artifactType, s.digest, "tag", s.action])
  ]);
  if (!rows.length) return void 0;
  return [
    ["target", "referrer or signature tag", "artifact type", "of / digest", "listed by", "action"],
    ...rows
  ];
}
function failureRows(targets) {
  const header = [
    "target",
    "holds image by digest",
    "tags pointing at it",
    "copied",
    "mounted",
    "bytes copied"
  ];
  const rows = targets.map((t) => [
    t.reference,
    t.holdsImage ? "yes" : "no",
    t.tagged.join(", ") || "(none)",
    String(t.blobsCopied),
    String(t.blobsMounted),
    formatBytes(t.bytesCopied)
  ]);
  return [header, ...rows];
}
function textTable(cells) {
  const rows = cells.map((r) => r.map(inline));
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => (r[c] ?? "").length)));
  return rows.map(
    (r) => r.map((cell, c) => cell.padEnd(widths[c])).join("  ").trimEnd()
  ).join("\n");
}
function planText(plan) {
  const lines = [`source ${plan.source.reference} = ${plan.source.digest} (${plan.source.mediaType})`];
  const runnable = plan.source.platforms.filter((p) => p !== "unknown/unknown");
  if (runnable.length) lines.push(`platforms: ${runnable.join(", ")}`);
  const attestations = attestationText(plan.source, false);
  if (attestations) lines.push(`attestations: ${attestations}`);
  for (const t of plan.targets) {
    lines.push(
      `${t.target}: blobs skip ${t.blobs.skip.length}, mount ${t.blobs.mount.length}, copy ${t.blobs.copy.length} (${formatBytes(t.bytesToCopy)}); manifests push ${t.manifests.push.length}, present ${t.manifests.present.length}`
    );
    for (const tag of t.tags)
      lines.push(
        `  tag ${tag.tag}: ${tag.action}${tag.from && tag.action === "move" ? ` from ${tag.from}` : ""}`
      );
    for (const r of t.referrers ?? [])
      lines.push(
        `  referrer ${r.digest} (${r.artifactType ?? "no artifact type"}) of ${r.subject}: ${r.action}, listed by ${r.listedBy}`
      );
    for (const rt of t.referrerTags) lines.push(`  referrers tag ${rt.tag}: ${rt.action}`);
    for (const s of t.signatureTags ?? [])
      lines.push(
        `  signature tag ${s.tag} (${s.artifactType}): ${s.action}${s.from && s.action === "move" ? ` from ${s.from}` : ""}`
      );
    for (const v of t.violations) lines.push(`  VIOLATION ${v}`);
  }
  return lines.map(inline).join("\n");
}

// src/github/run.ts
function recordRunOf(env) {
  const runId = env.GITHUB_RUN_ID;
  const repository = env.GITHUB_REPOSITORY;
  if (!runId || !repository) return void 0;
  const serverUrl = env.GITHUB_SERVER_URL || "https://github.com";
  const job = env.GITHUB_JOB || "";
  const pick = (k, v) => v ? { [k]: v } : {};
  return {
    identity: `${serverUrl}/${repository}/actions/runs/${runId}/job/${job}`,
    repository,
    ...pick("workflow", env.GITHUB_WORKFLOW),
    runId,
    ...pick("runAttempt", env.GITHUB_RUN_ATTEMPT),
    ...pick("job", job),
    ...pick("commit", env.GITHUB_SHA),
    ...pick("actor", env.GITHUB_ACTOR),
    serverUrl
  };
}

export {
  recordRunOf,
  formatBytes,
  formatRate,
  formatDuration,
  resultRows,
  referrerRows,
  failureRows,
  textTable,
  planText
};
