#!/usr/bin/env node
import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  UsageError,
  parseCommandLine
} from "./chunks/chunk-WMEUVR3P.js";
import {
  InterruptedError,
  Interruption,
  SIGNAL_EXIT,
  logText
} from "./chunks/chunk-E2CQKUUH.js";
import "./chunks/chunk-ODEFFFIB.js";
import "./chunks/chunk-XZ5QX5YI.js";
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
  promote-image copy SRC DST [DST...]     copy SRC by digest to each DST (all platforms), then tag
  promote-image promote SRC DST [DST...]  same as copy; add --dry-run for a JSON plan
  promote-image promote -f FILE [--dry-run] [--json] [--shard K/N]
                                          promote every image of a promotion file (YAML) in one
                                          run; --shard K/N: only that shard of plan --shards N
  promote-image plan -f FILE --shards N   print the shard matrix of a promotion file (one JSON line)
  promote-image inspect REF               print digest, media type, platforms and size
  promote-image tags [--image REPO] [--tags RULE]...
                                          print the tags (or REPO:tag references) for the current
                                          git context: GITHUB_* variables in Actions, else local git
options:
  --dry-run                 plan only (JSON on stdout), write nothing
  --tag-policy POLICY       immutable (default) or overwrite
  --moving-tag TAG          a tag that may move under immutable (repeatable; replaces the default latest, edge)
  --insecure HOST           HOST[:PORT] may use plain http or TLS without certificate verification,
                            as docker's insecure-registries (warned each run; repeatable)
  --ca-file FILE            PEM CA bundle to trust (NODE_EXTRA_CA_CERTS works too)
  --client-cert HOST=FILE   PEM TLS client certificate for registry HOST[:PORT] only (mTLS; repeatable)
  --client-key HOST=FILE    its PEM private key, unencrypted (one per --client-cert)
  --concurrency N           transfers at once per registry host, 1 to 64 (default 8)
  --timeout SECONDS         give up on a request with no answer after this long, per try (default 120)
  --upload-mode MODE        monolithic (default) or chunked
  --registry-kind HOST=KIND naming rules for HOST (harbor, quay, \u2026 as in the registry-kinds input; repeatable)
  --referrers WHAT          what travels with the image: all (default), none, or artifact types separated
                            by commas (application/spdx+json,application/vnd.dev.cosign.artifact.sig.v1+json;
                            cosign = cosign's sha256-<hex>.sig/.att/.sbom tags). Found through the source's
                            referrers API, else its sha256-<hex> fallback tag; referrers of referrers too.
                            At a target that lists referrers itself (OCI-Subject) no fallback tag is
                            written; elsewhere its fallback index is merged, never dropping its entries.
                            A cosign tag holding other signatures moves only with --tag-policy overwrite.
  --json                    print the result as JSON
  -f, --file FILE           (promote, plan) the promotion file
  --shard K/N               (promote -f) promote only shard K of N
  --shards N                (plan) how many shards to plan, 1 to 256
  --image REPO              (tags) repository to prefix; repeatable
  --tags RULE               (tags) a tag rule in docker/metadata-action syntax; repeatable
  --flavor LINE             (tags) a flavor line (latest=auto|true|false, prefix=, suffix=)
  --lowercase               (tags) lower-case repository names instead of failing
  -v, --verbose             debug logging on stderr, with one line per request (method, URL without
                            query values, status, ms, retries)
Credentials come from the docker config.json (DOCKER_CONFIG respected), as docker login writes it.
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
function runHelp(out) {
  out(USAGE + "\n");
  return 0;
}
function runVersion(out) {
  out(`${VERSION}
`);
  return 0;
}

// src/cli/io.ts
function processIo(verbose) {
  return {
    out: (text) => void process.stdout.write(text),
    log: {
      debug: (m) => void (verbose && process.stderr.write(`debug: ${logText(m)}
`)),
      info: (m) => void process.stderr.write(`${logText(m)}
`),
      warning: (m) => void process.stderr.write(`warning: ${logText(m)}
`)
    }
  };
}

// src/cli.ts
async function dispatch(cmd, io, signal) {
  switch (cmd.command) {
    case "help":
      return runHelp(io.out);
    case "version":
      return runVersion(io.out);
    case "copy":
    case "promote":
      return (await import("./chunks/copy-KLYYRTU7.js")).runCopy(cmd, io, process.stderr, signal);
    case "promote-file":
      return (await import("./chunks/promote-file-QKYTEGDS.js")).runPromoteFile(cmd, io, signal);
    case "plan":
      return (await import("./chunks/plan-S5ZTSBPL.js")).runPlan(cmd, io);
    case "inspect":
      return (await import("./chunks/inspect-Z2RWL6ZR.js")).runInspect(cmd, io);
    case "tags":
      return (await import("./chunks/tags-DCPJW6ZY.js")).runTags(cmd, io);
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
