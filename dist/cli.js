#!/usr/bin/env node
import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  parseCommandLine
} from "./chunks/chunk-VDYVWSNW.js";
import {
  UsageError
} from "./chunks/chunk-FS6AVXTN.js";
import {
  runHelp,
  runVersion
} from "./chunks/chunk-36ESSPKX.js";
import "./chunks/chunk-DXHAY4SF.js";
import {
  InterruptedError,
  Interruption,
  SIGNAL_EXIT
} from "./chunks/chunk-RL2XFKNI.js";
import "./chunks/chunk-3DEEXRNS.js";
import {
  withTlsAdvice
} from "./chunks/chunk-SPGJ64DM.js";
import "./chunks/chunk-2NLWOLMW.js";
import {
  OPTION_FLAGS
} from "./chunks/chunk-BLPB5NN7.js";
import "./chunks/chunk-A46IPO6H.js";
import {
  inline,
  logText
} from "./chunks/chunk-WZK7EEJJ.js";
import "./chunks/chunk-BJAN7FEI.js";
import "./chunks/chunk-N2RL2OJD.js";
import "./chunks/chunk-A3CPNU7I.js";
import "./chunks/chunk-BHHRLL7Q.js";
import "./chunks/chunk-G7S46Y2P.js";
import "./chunks/chunk-VIETK5Q5.js";
import "./chunks/chunk-XYMN7WUU.js";

// src/cli.ts
import { existsSync } from "node:fs";
import { setFlagsFromString } from "node:v8";

// src/cli/compile-cache.ts
import * as nodeModule from "node:module";
var STATUS = {
  0: "failed",
  1: "enabled",
  2: "already-enabled",
  3: "disabled"
};
function enableCompileCache2(env, enable = nodeModule.enableCompileCache) {
  const asked = env.PROMOTE_IMAGE_COMPILE_CACHE?.trim();
  if (asked && /^(0|off|false)$/i.test(asked)) return "off";
  if (!enable) return "unsupported";
  try {
    const result = asked ? enable(asked) : enable();
    return STATUS[result?.status] ?? "failed";
  } catch {
    return "failed";
  }
}

// src/cli/io.ts
function processIo(verbose, env = process.env) {
  const masker = new Masker(
    env.GITHUB_ACTIONS === "true" ? (line) => void process.stderr.write(line) : void 0
  );
  const err = (text) => void process.stderr.write(masker.mask(logText(text)));
  return {
    out: (text) => void process.stdout.write(masker.mask(text)),
    bytes: (data) => void process.stdout.write(
      process.stdout.isTTY ? masker.mask(terminalText(Buffer.from(data).toString("utf8"))) : data
    ),
    secrets: (values) => masker.add(values),
    log: {
      debug: (m) => void (verbose && err(`debug: ${m}
`)),
      info: (m) => err(`${m}
`),
      warning: (m) => err(`warning: ${m}
`)
    }
  };
}
var TERMINAL_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;
function terminalText(text) {
  return text.replace(TERMINAL_CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}
var Masker = class {
  constructor(announce = void 0) {
    this.announce = announce;
  }
  announce;
  secrets = [];
  /** Registers secrets (empty ones and those already known are skipped). */
  add(secrets) {
    for (const s of secrets) {
      if (!s || this.secrets.includes(s)) continue;
      this.secrets.push(s);
      this.announce?.(`::add-mask::${s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A")}
`);
    }
    this.secrets.sort((a, b) => b.length - a.length);
  }
  /** `text` with each registered secret written as `***`. */
  mask(text) {
    let out = text;
    for (const s of this.secrets) out = out.split(s).join("***");
    return out;
  }
};

// src/cli.ts
async function dispatch(cmd, io, signal) {
  switch (cmd.command) {
    case "help":
      return runHelp(io.out, cmd.topic);
    case "version":
      return runVersion(io.out);
    case "copy":
    case "promote":
      return (await import("./chunks/copy-OQRAMGVK.js")).runCopy(cmd, io, process.stderr, signal);
    case "promote-file":
      return (await import("./chunks/promote-file-UE3IO7AB.js")).runPromoteFile(cmd, io, signal);
    case "plan":
      return (await import("./chunks/plan-LSSFXEUC.js")).runPlan(cmd, io);
    case "inspect":
      return (await import("./chunks/inspect-2HHR5PPY.js")).runInspect(cmd, io);
    case "tags":
      return (await import("./chunks/tags-6FDO24JH.js")).runTags(cmd, io);
    case "digest":
      return (await import("./chunks/digest-VVQ7PXGS.js")).runDigest(cmd, io);
    case "ls":
      return (await import("./chunks/ls-QH67HS76.js")).runLs(cmd, io);
    case "manifest":
      return (await import("./chunks/manifest-N4BM3VCW.js")).runManifest(cmd, io);
    case "config":
      return (await import("./chunks/config-6XN2GMPB.js")).runConfig(cmd, io);
    case "completion":
      return (await import("./chunks/completion-KQFQN5MC.js")).runCompletion(cmd, io);
    case "merge":
      return (await import("./chunks/merge-LCTYA3PQ.js")).runMerge(cmd, io, signal);
    case "verify":
      return (await import("./chunks/verify-Z34KJWUC.js")).runVerify(cmd, io);
  }
}
function usageError(message) {
  process.stderr.write(`promote-image: ${logText(inline(message))}
(promote-image --help shows the usage)
`);
  return 2;
}
function interruptOnSignals() {
  const controller = new AbortController();
  const handlers = Object.keys(SIGNAL_EXIT).map((name) => {
    const handler = () => {
      if (controller.signal.aborted) process.exit(SIGNAL_EXIT[name]);
      process.stderr.write(`promote-image: ${name}: stopping; cancelling open uploads
`);
      controller.abort(new Interruption(name));
    };
    process.on(name, handler);
    return () => void process.off(name, handler);
  });
  return { signal: controller.signal, stop: () => handlers.forEach((off) => off()) };
}
async function main(argv) {
  const cmd = parseCommandLine(argv, { fileExists: existsSync });
  if (cmd.command === "usage-error") return usageError(cmd.message);
  const interrupt = ["copy", "promote", "promote-file", "merge"].includes(cmd.command) ? interruptOnSignals() : void 0;
  try {
    return await dispatch(cmd, processIo("verbose" in cmd && cmd.verbose), interrupt?.signal);
  } catch (e) {
    if (e instanceof UsageError) return usageError(e.message);
    process.stderr.write(`promote-image: ${logText(withTlsAdvice(e, OPTION_FLAGS).message)}
`);
    return e instanceof InterruptedError ? SIGNAL_EXIT[e.signal] ?? 130 : 1;
  } finally {
    interrupt?.stop();
  }
}
function tuneV8(set = setFlagsFromString) {
  for (const flag of ["--liftoff-only", "--semi-space-growth-factor=1"]) {
    try {
      set(flag);
    } catch {
    }
  }
}
var isEntry = process.argv[1] && /(?:cli\.(?:js|ts)|promote-image)$/.test(process.argv[1]);
if (isEntry) {
  tuneV8();
  enableCompileCache2(process.env);
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      process.stderr.write(`promote-image: ${logText(e.message)}
`);
      process.exit(1);
    }
  );
}
export {
  main,
  tuneV8
};
