#!/usr/bin/env node
import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  cliProof
} from "./chunk-VJOKANLN.js";
import {
  commandClient
} from "./chunk-TFIBQPMM.js";
import {
  ProgressMeter,
  blobLine,
  progressLine,
  remedyText,
  selectionText
} from "./chunk-3DI7IOHP.js";
import {
  failureRows,
  planText,
  referrerRows,
  resultRows,
  textTable
} from "./chunk-MNWJBDZB.js";
import "./chunk-4MPECD7M.js";
import {
  PromoteError,
  TagPolicyError,
  promote
} from "./chunk-GV234NFE.js";
import {
  promoteSettings
} from "./chunk-ZNQNZAYL.js";
import "./chunk-RC27KSUY.js";
import "./chunk-AVWDBJRP.js";
import "./chunk-FS6AVXTN.js";
import "./chunk-36ESSPKX.js";
import "./chunk-DXHAY4SF.js";
import {
  InterruptedError
} from "./chunk-RL2XFKNI.js";
import "./chunk-3DEEXRNS.js";
import "./chunk-SPGJ64DM.js";
import "./chunk-2NLWOLMW.js";
import {
  OPTION_FLAGS
} from "./chunk-BLPB5NN7.js";
import "./chunk-A46IPO6H.js";
import {
  jsonText
} from "./chunk-WZK7EEJJ.js";
import "./chunk-BJAN7FEI.js";
import "./chunk-N2RL2OJD.js";
import "./chunk-A3CPNU7I.js";
import "./chunk-BHHRLL7Q.js";
import "./chunk-G7S46Y2P.js";
import "./chunk-VIETK5Q5.js";
import "./chunk-EVALZA5U.js";
import "./chunk-XYMN7WUU.js";

// src/report/terminal.ts
var ESC = "\x1B[";
function fitLine(line, columns) {
  return columns && columns > 1 && line.length > columns - 1 ? line.slice(0, columns - 1) : line;
}
function redraw(previous, lines, columns) {
  const up = previous > 0 ? `${ESC}${previous}A\r` : "";
  return up + lines.map((l) => `${ESC}2K${fitLine(l, columns)}
`).join("") + `${ESC}J`;
}
function liveLines(event, meter) {
  const total = progressLine(event, meter.update(event));
  return event.done ? [total] : [total, ...event.active.map((b) => `  ${blobLine(b)}`)];
}
var LiveProgress = class {
  constructor(terminal, meter = new ProgressMeter()) {
    this.terminal = terminal;
    this.meter = meter;
  }
  terminal;
  meter;
  drawn = [];
  /** Redraws for `event`; the final event's total line stays on the screen. */
  update(event) {
    const lines = liveLines(event, this.meter);
    this.terminal.write(redraw(this.drawn.length, lines, this.terminal.columns));
    this.drawn = event.done ? [] : lines;
  }
  /** `logger` with each message written above the live lines (they are erased, then drawn again). */
  around(logger) {
    const wrap = (write) => (m) => {
      if (this.drawn.length === 0) return write(m);
      this.terminal.write(redraw(this.drawn.length, [], this.terminal.columns));
      write(m);
      this.terminal.write(redraw(0, this.drawn, this.terminal.columns));
    };
    return {
      debug: wrap((m) => logger.debug(m)),
      info: wrap((m) => logger.info(m)),
      warning: wrap((m) => logger.warning(m))
    };
  }
};

// src/cli/copy.ts
var LIVE_INTERVAL_MS = 250;
function progressDisplay(io, stderr) {
  if (stderr.isTTY && process.env.TERM !== "dumb") {
    const live = new LiveProgress(stderr);
    return { log: live.around(io.log), onProgress: (p) => live.update(p), intervalMs: LIVE_INTERVAL_MS };
  }
  const meter = new ProgressMeter();
  return { log: io.log, onProgress: (p) => io.log.info(progressLine(p, meter.update(p))) };
}
async function runCopy(cmd, io, stderr = process.stderr, signal) {
  const proof = await cliProof(cmd.options, io);
  const progress = progressDisplay(io, stderr);
  const registries = {
    source: cmd.source.registry,
    destinations: cmd.targets.map((t) => t.repo.registry),
    flags: { source: "--src-creds", destinations: "--dest-creds" }
  };
  const client = await commandClient(cmd, registries, { ...io, log: progress.log });
  try {
    const result = await promote(client, {
      ...promoteSettings(cmd.options, {
        dryRun: cmd.dryRun,
        logger: progress.log,
        env: process.env,
        signal,
        requestBudget: client.transport.rateLimits,
        proof
      }),
      source: { registry: cmd.source.registry, repository: cmd.source.repository, reference: cmd.reference },
      targets: cmd.targets,
      onProgress: progress.onProgress,
      progressIntervalMs: progress.intervalMs
    });
    report(cmd, result, io);
    return 0;
  } catch (e) {
    if (e instanceof TagPolicyError)
      e.message += `
${remedyText(e.plan, cmd.options.movingTags, OPTION_FLAGS)}`;
    const refusedPlan = e instanceof TagPolicyError ? e.plan : e.plan;
    if (cmd.dryRun && refusedPlan && (e instanceof TagPolicyError || e.name === "GateError"))
      io.out(jsonText(refusedPlan, 2) + "\n");
    else reportFailure(cmd, e, io);
    throw e;
  } finally {
    await client.close();
  }
}
function report(cmd, result, io) {
  const selected = selectionText(result.plan, `${cmd.source.registry}/${cmd.source.repository}`);
  if (selected) io.log.info(selected);
  if (cmd.dryRun) {
    io.out(jsonText(result.plan, 2) + "\n");
    io.log.info(planText(result.plan));
  } else if (cmd.json) {
    io.out(jsonText({ digest: result.digest, targets: result.targets }, 2) + "\n");
  } else {
    io.log.info(textTable(resultRows(result)));
    const referrers = referrerRows(result.plan);
    if (referrers) io.log.info(textTable(referrers));
    io.out(`${result.digest}
`);
  }
}
function failureTargets(e) {
  if (e instanceof PromoteError || e instanceof InterruptedError) return e.targets;
  if (e instanceof TagPolicyError) return planStatus(e.plan);
  return [];
}
function planStatus(plan) {
  return plan.targets.map((t) => ({
    reference: t.target,
    holdsImage: t.manifests.push.length === 0,
    tagged: t.tags.filter((x) => x.action === "keep").map((x) => x.tag),
    blobsCopied: 0,
    blobsMounted: 0,
    bytesCopied: 0
  }));
}
function reportFailure(cmd, e, io) {
  const targets = failureTargets(e);
  if (cmd.json) io.out(jsonText({ error: e.message, targets }, 2) + "\n");
  else if (e instanceof PromoteError && targets.length) io.log.info(textTable(failureRows(targets)));
}
export {
  runCopy
};
