#!/usr/bin/env node
import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);

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
function textTable(rows) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => (r[c] ?? "").length)));
  return rows.map(
    (r) => r.map((cell, c) => cell.padEnd(widths[c])).join("  ").trimEnd()
  ).join("\n");
}
function planText(plan) {
  const lines = [`source ${plan.source.reference} = ${plan.source.digest} (${plan.source.mediaType})`];
  if (plan.source.platforms.length) lines.push(`platforms: ${plan.source.platforms.join(", ")}`);
  for (const t of plan.targets) {
    lines.push(
      `${t.target}: blobs skip ${t.blobs.skip.length}, mount ${t.blobs.mount.length}, copy ${t.blobs.copy.length} (${formatBytes(t.bytesToCopy)}); manifests push ${t.manifests.push.length}, present ${t.manifests.present.length}`
    );
    for (const tag of t.tags)
      lines.push(
        `  tag ${tag.tag}: ${tag.action}${tag.from && tag.action === "move" ? ` from ${tag.from}` : ""}`
      );
    for (const v of t.violations) lines.push(`  VIOLATION ${v}`);
  }
  return lines.join("\n");
}

export {
  formatBytes,
  resultRows,
  textTable,
  planText
};
