#!/usr/bin/env node
import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  UsageError,
  parseCommandLine
} from "./chunks/chunk-EQUGE7XC.js";
import "./chunks/chunk-WUD5YTFH.js";
import "./chunks/chunk-IZU5JYYJ.js";
import "./chunks/chunk-RTFV2LNS.js";

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
  promote-image inspect REF               print digest, media type, platforms and size
  promote-image tags [--image REPO] [--tags RULE]...
                                          print the tags (or REPO:tag references) for the current
                                          git context: GITHUB_* variables in Actions, else local git
options:
  --dry-run                 plan only (JSON on stdout), write nothing
  --tag-policy POLICY       immutable (default) or overwrite
  --moving-tag TAG          a tag that may move under immutable (repeatable; replaces the default latest, edge)
  --insecure HOST           allow plain http to HOST[:PORT] (loopback is always allowed; repeatable)
  --ca-file FILE            PEM CA bundle to trust
  --client-cert HOST=FILE   PEM TLS client certificate for registry HOST[:PORT] only (mTLS; repeatable)
  --client-key HOST=FILE    its PEM private key, unencrypted (one per --client-cert)
  --concurrency N           transfers at once per registry host, 1 to 64 (default 8)
  --timeout SECONDS         give up on a request with no answer after this long, per try (default 120)
  --upload-mode MODE        monolithic (default) or chunked
  --registry-kind HOST=KIND naming rules for HOST (harbor, quay, \u2026 as in the registry-kinds input; repeatable)
  --json                    print the result as JSON
  --image REPO              (tags) repository to prefix; repeatable
  --tags RULE               (tags) a tag rule in docker/metadata-action syntax; repeatable
  --flavor LINE             (tags) a flavor line (latest=auto|true|false, prefix=, suffix=)
  --lowercase               (tags) lower-case repository names instead of failing
  -v, --verbose             debug logging on stderr
Credentials come from the docker config.json (DOCKER_CONFIG respected), as docker login writes it.
HTTPS_PROXY, HTTP_PROXY and NO_PROXY (or lower-case) are honoured; loopback hosts never use the proxy.`;
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
      debug: (m) => void (verbose && process.stderr.write(`debug: ${m}
`)),
      info: (m) => void process.stderr.write(`${m}
`),
      warning: (m) => void process.stderr.write(`warning: ${m}
`)
    }
  };
}

// src/cli.ts
async function dispatch(cmd, io) {
  switch (cmd.command) {
    case "help":
      return runHelp(io.out);
    case "version":
      return runVersion(io.out);
    case "copy":
    case "promote":
      return (await import("./chunks/copy-KYAVV7Q3.js")).runCopy(cmd, io);
    case "inspect":
      return (await import("./chunks/inspect-LLHXVN2A.js")).runInspect(cmd, io);
    case "tags":
      return (await import("./chunks/tags-7EMPQA4R.js")).runTags(cmd, io);
  }
}
function usageError(message) {
  process.stderr.write(`promote-image: ${message}
(promote-image --help shows the usage)
`);
  return 2;
}
async function main(argv) {
  const cmd = parseCommandLine(argv, { fileExists: existsSync });
  if (cmd.command === "usage-error") return usageError(cmd.message);
  try {
    return await dispatch(cmd, processIo("verbose" in cmd && cmd.verbose));
  } catch (e) {
    if (e instanceof UsageError) return usageError(e.message);
    process.stderr.write(`promote-image: ${e.message}
`);
    return 1;
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
      process.stderr.write(`promote-image: ${e.message}
`);
      process.exit(1);
    }
  );
}
export {
  main,
  tuneV8
};
