#!/usr/bin/env node
import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  formatBytes,
  formatDuration,
  formatRate
} from "./chunk-MNWJBDZB.js";
import {
  clip,
  code,
  escapeText,
  shortDigest,
  shortTag,
  table
} from "./chunk-4MPECD7M.js";

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
  const failed = event.blobsFailed ? `, ${event.blobsFailed} failed` : "";
  const resumed = event.resumedBytes ? `; ${formatBytes(event.resumedBytes)} resumed from an earlier run` : "";
  const blobs = `(${event.blobsDone} of ${event.blobsTotal} blob${event.blobsTotal === 1 ? "" : "s"} done${failed}${resumed})`;
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

// src/report/selection.ts
function selectionText(plan, repository, show = { code: (t) => t, text: (t) => t }) {
  const selection = plan.source.selection;
  if (!selection) return void 0;
  const { from, of } = selection;
  const platforms = selection.platforms.map(show.text);
  const code2 = show.code;
  const verb = plan.dryRun ? "would promote" : "promoted";
  const source = code2(`${repository}@${from}`);
  const digest = code2(plan.source.digest);
  if (plan.source.digest === from)
    return `${verb} ${platforms.join(", ")} of ${source} as it is (the source's digest)`;
  if (platforms.length === 1) return `${verb} ${platforms[0]} of ${source} as its own manifest ${digest}`;
  return `${verb} a new index of ${platforms.length} of ${of} platforms (${platforms.join(", ")}) of ${source}: ${digest}, digest differs from the source's`;
}

// src/report/refusals.ts
function refusalsOf(plan) {
  const byTag = /* @__PURE__ */ new Map();
  const other = [];
  const add = (tag, cosign, at, from) => {
    const r = byTag.get(`${cosign}:${tag}`) ?? { tag, cosign, at: [], from: [] };
    if (!r.at.includes(at)) r.at.push(at);
    if (from && !r.from.includes(from)) r.from.push(from);
    byTag.set(`${cosign}:${tag}`, r);
  };
  for (const t of plan.targets)
    for (const v of t.violations) {
      const tag = t.tags.find((x) => x.action === "move" && v.startsWith(`${t.target}:${x.tag} points at `));
      const sig = (t.signatureTags ?? []).find(
        (x) => x.action === "move" && v.startsWith(`${t.target}:${x.tag} holds other signatures`)
      );
      if (tag) add(tag.tag, false, t.target, tag.from);
      else if (sig) add(sig.tag, true, t.target, sig.from);
      else other.push(v);
    }
  return { refusals: [...byTag.values()], other };
}
function refusedCount(plan) {
  const { refusals, other } = refusalsOf(plan);
  return refusals.length + other.length;
}
function refusalRows(refusals) {
  const rows = /* @__PURE__ */ new Map();
  for (const r of refusals) {
    const key = r.cosign ? `cosign ${r.tag}` : `${r.at.join("\n")} ${r.from.join("\n")}`;
    const tag = r.cosign ? `${code(shortTag(r.tag))} (cosign signatures)` : code(clip(r.tag));
    const row = rows.get(key) ?? { tags: [], at: r.at, from: r.from };
    row.tags.push(tag);
    rows.set(key, row);
  }
  return [...rows.values()].map((r) => [
    r.tags.join(", "),
    r.at.map((a) => code(a)).join("<br>"),
    r.from.map((d) => code(shortDigest(d))).join("<br>")
  ]);
}
function refusalLines(plan, movingTags, dryRun) {
  const { refusals, other } = refusalsOf(plan);
  if (!refusals.length && !other.length) return [];
  const n = refusals.length + other.length;
  const rows = refusalRows(refusals);
  const lines = [
    `The tag policy ${code("immutable")} ${dryRun ? "would refuse" : "refused"} ${n} tag${n === 1 ? "" : "s"} already pointing at another image:`,
    ""
  ];
  if (rows.length) lines.push(...table(["tags", "at", "points at"], rows), "");
  for (const v of other) lines.push(`- ${escapeText(clip(v, 1e3))}`);
  if (other.length) lines.push("");
  return [...lines, ...remedies(refusals, movingTags)];
}
function remediesOf(refusals, movingTags) {
  const plain = refusals.filter((r) => !r.cosign).map((r) => r.tag);
  return {
    newVersion: plain.length > 0,
    ...plain.length ? { movingTags: [.../* @__PURE__ */ new Set([...movingTags, ...plain])] } : {},
    cosign: refusals.some((r) => r.cosign)
  };
}
function remedies(refusals, movingTags) {
  const r = remediesOf(refusals, movingTags);
  const plain = refusals.filter((x) => !x.cosign);
  const lines = ["To promote it:", ""];
  if (r.movingTags) {
    lines.push("- release a new version: tags that no target holds yet are created, never refused;");
    const moving = r.movingTags.join(",");
    lines.push(
      `- or let ${plain.length === 1 ? "this tag" : "these tags"} move on purpose: ${code(`moving-tags: ${clip(moving, 400)}`)} (the others stay immutable);`
    );
  }
  const or = plain.length ? "or " : "";
  lines.push(
    r.cosign ? `- ${or}${code("tag-policy: overwrite")}: every tag may move, and cosign tags are replaced (the signatures the target holds there now are dropped).` : `- ${or}${code("tag-policy: overwrite")}: every tag may move.`
  );
  return [...lines, ""];
}
function remedyText(plan, movingTags, flags) {
  const { refusals, other } = refusalsOf(plan);
  if (!refusals.length && !other.length) return "";
  const r = remediesOf(refusals, movingTags);
  const parts = [];
  if (r.newVersion) parts.push("release a new version");
  if (r.movingTags)
    parts.push(
      `re-run with ${r.movingTags.map((t) => `${flags.movingTags} ${t}`).join(" ")} (the others stay immutable)`
    );
  const overwrite = r.cosign ? "every tag may move, and cosign tags are replaced, dropping the signatures held there now" : "every tag may move";
  parts.push(`${r.movingTags ? "with" : "re-run with"} ${flags.tagPolicy} overwrite (${overwrite})`);
  return `to promote it, ${parts.join(", or ")}`;
}

export {
  ProgressMeter,
  progressLine,
  blobLine,
  selectionText,
  refusalsOf,
  refusedCount,
  refusalLines,
  remedyText
};
