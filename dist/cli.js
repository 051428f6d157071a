#!/usr/bin/env node
import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  parseCommandLine
} from "./chunks/chunk-OUILVDHR.js";
import {
  commandHelp,
  commandLines,
  commandSpec,
  optionLines
} from "./chunks/chunk-IX2I7Z3H.js";
import {
  UsageError
} from "./chunks/chunk-L4IVOQWF.js";
import {
  InterruptedError,
  Interruption,
  SIGNAL_EXIT
} from "./chunks/chunk-KRAQDKDA.js";
import "./chunks/chunk-EGGT2IN7.js";
import "./chunks/chunk-XFVVO2CL.js";
import "./chunks/chunk-5EGQEA2W.js";
import {
  logText
} from "./chunks/chunk-M42EP4Q6.js";
import "./chunks/chunk-SYYY2DDP.js";
import "./chunks/chunk-N2RL2OJD.js";
import "./chunks/chunk-PGFQHIFL.js";
import "./chunks/chunk-SQSMRNOT.js";
import "./chunks/chunk-5IQC7YFI.js";
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

// src/cli/help.ts
var USAGE = `usage:
${commandLines().join("\n")}
options:
${optionLines()}
Credentials: --src-creds / --dest-creds / --creds USER[:PASS] (the password best from its variable or
--password-stdin), then --authfile FILE or $REGISTRY_AUTH_FILE (containers-auth.json), then the docker
config.json (DOCKER_CONFIG respected), as docker login writes it.
promote-image COMMAND --help (or promote-image help COMMAND) shows one command's usage and options.
HTTPS_PROXY, HTTP_PROXY and NO_PROXY (or lower-case) are honoured; loopback hosts never use the proxy.
--json on failure prints {"error": MESSAGE, "targets": [{"reference", "holdsImage", "tagged",
"blobsCopied", "blobsMounted", "bytesCopied", "error"?}]}: where each target stands.
Exit status: 0 success, 1 failure, 2 usage error (nothing sent), 130 / 143 after SIGINT / SIGTERM:
open upload sessions cancelled, no tag changed, one line per target (promote -f: per image) saying
what landed; a second signal ends the process at once. A signal during the tag step finishes the tags
(no target is left half-tagged) and the run ends as it would have. A chunked upload (--upload-mode
chunked) keeps its session in $XDG_CACHE_HOME/promote-image/uploads (else ~/.cache/promote-image/uploads):
a killed run's upload is resumed from the offset the registry confirms; an entry older than 1 hour
or not confirmed by the registry is dropped and the upload starts from byte 0.`;
var VERSION = true ? "0.1.0" : "dev";
function runHelp(out, topic) {
  const command = commandSpec(topic);
  out((command ? commandHelp(command) : USAGE) + "\n");
  return 0;
}
function runVersion(out) {
  out(`${VERSION}
`);
  return 0;
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
      return (await import("./chunks/copy-H24GVQ64.js")).runCopy(cmd, io, process.stderr, signal);
    case "promote-file":
      return (await import("./chunks/promote-file-PHRJBGZB.js")).runPromoteFile(cmd, io, signal);
    case "plan":
      return (await import("./chunks/plan-JKTDGJ5D.js")).runPlan(cmd, io);
    case "inspect":
      return (await import("./chunks/inspect-QOXYGICI.js")).runInspect(cmd, io);
    case "tags":
      return (await import("./chunks/tags-26UO62NJ.js")).runTags(cmd, io);
    case "digest":
      return (await import("./chunks/digest-PVIQQ5YF.js")).runDigest(cmd, io);
    case "ls":
      return (await import("./chunks/ls-ESCZIYRR.js")).runLs(cmd, io);
    case "manifest":
      return (await import("./chunks/manifest-LDSYFS6O.js")).runManifest(cmd, io);
    case "config":
      return (await import("./chunks/config-REGBRXDJ.js")).runConfig(cmd, io);
    case "completion":
      return (await import("./chunks/completion-7IUTF75X.js")).runCompletion(cmd, io);
  }
}
function usageError(message) {
  process.stderr.write(`promote-image: ${logText(message)}
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
  const interrupt = ["copy", "promote", "promote-file"].includes(cmd.command) ? interruptOnSignals() : void 0;
  try {
    return await dispatch(cmd, processIo("verbose" in cmd && cmd.verbose), interrupt?.signal);
  } catch (e) {
    if (e instanceof UsageError) return usageError(e.message);
    process.stderr.write(`promote-image: ${logText(e.message)}
`);
    return e instanceof InterruptedError ? SIGNAL_EXIT[e.signal] ?? 130 : 1;
  } finally {
    interrupt?.stop();
  }
}
function tuneV8(set = setFlagsFromString) {
  try {
    set("--liftoff-only");
  } catch {
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
