#!/usr/bin/env node
import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  formatBytes,
  formatDuration,
  formatRate
} from "./chunk-WKP44HB5.js";

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
  const code = show.code;
  const verb = plan.dryRun ? "would promote" : "promoted";
  const source = code(`${repository}@${from}`);
  const digest = code(plan.source.digest);
  if (plan.source.digest === from)
    return `${verb} ${platforms.join(", ")} of ${source} as it is (the source's digest)`;
  if (platforms.length === 1) return `${verb} ${platforms[0]} of ${source} as its own manifest ${digest}`;
  return `${verb} a new index of ${platforms.length} of ${of} platforms (${platforms.join(", ")}) of ${source}: ${digest}, digest differs from the source's`;
}

export {
  ProgressMeter,
  progressLine,
  blobLine,
  selectionText
};
