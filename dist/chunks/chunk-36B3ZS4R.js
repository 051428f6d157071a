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
function logSafe(text) {
  return text.replace(/^(\s*):(?=:)/gm, "$1: ").replace(/##\[/g, "## [");
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

// src/report/progress.ts
var ProgressMeter = class {
  constructor(now = Date.now, windowMs = 1e4) {
    this.now = now;
    this.windowMs = windowMs;
  }
  now;
  windowMs;
  samples = [];
  /** Records `event` (at `now()`) and returns the estimate. */
  update(event) {
    const at = this.now();
    const last = this.samples.at(-1);
    if (last && event.bytes < last.bytes) this.samples = [];
    this.samples.push({ at, bytes: event.bytes });
    while (this.samples.length > 2 && at - this.samples[1].at >= this.windowMs) this.samples.shift();
    const first = this.samples[0];
    const rate = at > first.at ? (event.bytes - first.bytes) * 1e3 / (at - first.at) : event.rateBytesPerSecond;
    const left = event.totalBytes - event.bytes;
    return { rateBytesPerSecond: rate, secondsLeft: rate > 0 && left > 0 ? left / rate : void 0 };
  }
};
function percentDone(bytes, totalBytes) {
  return totalBytes > 0 ? Math.min(100, Math.floor(bytes * 100 / totalBytes)) : 100;
}
function progressLine(event, estimate) {
  const head = `copied ${formatBytes(event.bytes)} of ${formatBytes(event.totalBytes)} (${percentDone(event.bytes, event.totalBytes)}%)`;
  const blobs = `(${event.blobsDone} of ${event.blobsTotal} blob${event.blobsTotal === 1 ? "" : "s"} done)`;
  if (event.done) return `${head}, ${formatRate(event.rateBytesPerSecond)} on average ${blobs}`;
  const left = estimate.secondsLeft === void 0 ? "" : `, about ${formatDuration(estimate.secondsLeft)} left`;
  return `${head}, ${formatRate(estimate.rateBytesPerSecond)}${left} ${blobs}`;
}
function progressBar(bytes, size, width = 20) {
  const full = Math.floor(percentDone(bytes, size) * width / 100);
  return `[${"#".repeat(full)}${"-".repeat(width - full)}]`;
}
function blobLine(blob) {
  const [algorithm, hex = ""] = blob.digest.split(":");
  const short = `${algorithm}:${hex.slice(0, 12)}`;
  if (blob.size === 0) return `${short} mounting`;
  const percent = String(percentDone(blob.bytes, blob.size)).padStart(3);
  return `${short} ${progressBar(blob.bytes, blob.size)} ${percent}% ${formatBytes(blob.bytes)} of ${formatBytes(blob.size)}`;
}

export {
  formatBytes,
  logSafe,
  resultRows,
  textTable,
  planText,
  ProgressMeter,
  progressLine,
  blobLine
};
