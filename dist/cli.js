#!/usr/bin/env node

// src/cli/boot.ts
import { homedir as homedir2 } from "node:os";
import { fileURLToPath } from "node:url";

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

// src/cli/code-cache.ts
import { readdirSync, readFileSync, statSync, unlinkSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname as dirname2, join as join2 } from "node:path";
import { setFlagsFromString } from "node:v8";
import { Script } from "node:vm";

// src/copy/state-files.ts
import { randomBytes } from "node:crypto";
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  writeSync
} from "node:fs";
import { homedir } from "node:os";
import { basename, dirname, join } from "node:path";
function cacheHome(env, home = homedir()) {
  const base = env.XDG_CACHE_HOME || home && join(home, ".cache");
  return base ? join(base, "promote-image") : void 0;
}
function currentUid() {
  return typeof process.getuid === "function" ? process.getuid() : void 0;
}
function untrusted(stat, uid) {
  if (uid !== void 0 && stat.uid !== uid)
    return `it is owned by uid ${stat.uid}, not by this user (uid ${uid})`;
  if ((stat.mode & 18) !== 0)
    return `it is writable by ${stat.mode & 16 ? "its group" : "others"} (mode ${(stat.mode & 511).toString(8).padStart(4, "0")})`;
  return void 0;
}
function trustedDirectorySync(dir, uid = currentUid()) {
  try {
    mkdirSync(dir, { recursive: true, mode: 448 });
    return directoryProblem(lstatSync(dir), uid);
  } catch (e) {
    return cannot("create or read", e);
  }
}
function directoryProblem(stat, uid) {
  if (stat.isSymbolicLink()) return "it is a symbolic link";
  if (!stat.isDirectory()) return "it is not a directory";
  return untrusted(stat, uid);
}
function cannot(what, e) {
  return `cannot ${what} it (${e.code ?? e.message})`;
}
function fileProblem(stat, maxBytes, uid) {
  if (!stat.isFile()) return "it is not a regular file";
  const why = untrusted(stat, uid);
  if (why) return why;
  if (stat.size > maxBytes) return `it holds ${stat.size} bytes, more than the limit of ${maxBytes}`;
  return void 0;
}
function openFailed(e) {
  const code = e.code;
  if (code === "ENOENT") return { missing: true };
  return { problem: code === "ELOOP" ? "it is a symbolic link" : cannot("read", e) };
}
function readKeptBytesSync(file, maxBytes, uid = currentUid()) {
  let fd;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (e) {
    return openFailed(e);
  }
  try {
    const stat = fstatSync(fd);
    const problem = fileProblem(stat, maxBytes, uid);
    if (problem) return { problem };
    const buffer = Buffer.allocUnsafe(stat.size + 1);
    let length = 0;
    for (let n; length < buffer.length && (n = readSync(fd, buffer, length, buffer.length - length, length)) > 0; )
      length += n;
    if (length > stat.size) return { problem: "it grew while it was read" };
    return { bytes: buffer.subarray(0, length) };
  } finally {
    closeSync(fd);
  }
}
function writeKeptBytesSync(file, data) {
  const tmp = `${file}.${randomBytes(6).toString("hex")}.tmp`;
  const fd = openSync(tmp, "wx", 384);
  try {
    for (let at = 0; at < data.length; ) at += writeSync(fd, data, at, data.length - at);
    closeSync(fd);
    renameSync(tmp, file);
  } catch (e) {
    try {
      closeSync(fd);
    } catch {
    }
    rmSync(tmp, { force: true });
    throw e;
  }
}

// src/cli/code-cache.ts
var HASH_LINE = /^\/\/ promote-image program ([0-9a-f]{16,64})\n/;
var STALE_MS = 30 * 24 * 3600 * 1e3;
function codeCacheDirectory(env, home) {
  const asked = env.PROMOTE_IMAGE_COMPILE_CACHE?.trim();
  if (asked && /^(0|off|false)$/i.test(asked)) return void 0;
  if (asked) return asked;
  const dir = cacheHome(env, home);
  return dir && join2(dir, "code");
}
function commandKey(argv2) {
  if (argv2.some((a) => a === "--help" || a === "-h" || a === "--version")) return "none";
  const word = argv2.find((a) => !a.startsWith("-"));
  if (word === "promote" && argv2.some((a) => a === "-f" || a === "--file" || a.startsWith("--file=")))
    return "promote-file";
  return word && /^[a-z][a-z-]{0,19}$/.test(word) ? word : "none";
}
function codeCacheName(hash, command2, node = process.version, arch = process.arch) {
  return `program-${node}-${arch}-${hash}-${command2}.bin`;
}
function programHash(text) {
  return HASH_LINE.exec(text)?.[1];
}
function checksums() {
  try {
    setFlagsFromString("--verify-snapshot-checksum");
  } catch {
  }
}
var CODE_CACHE_MAX_BYTES = 16 * 1024 * 1024;
function readCache(file) {
  if (!file) return void 0;
  const kept = readKeptBytesSync(file, CODE_CACHE_MAX_BYTES);
  return "bytes" in kept ? kept.bytes : void 0;
}
function sweep(dir, keep, now) {
  for (const name of readdirSync(dir)) {
    if (name === keep || !/^program-.*\.bin$/.test(name)) continue;
    const path = join2(dir, name);
    try {
      if (now - statSync(path).mtimeMs > STALE_MS) unlinkSync(path);
    } catch {
    }
  }
}
function loadProgram(path, options) {
  const text = readFileSync(path, "utf8");
  const hash = programHash(text);
  checksums();
  const asked = hash ? codeCacheDirectory(options.env, options.home) : void 0;
  const dir = asked && !trustedDirectorySync(asked) ? asked : void 0;
  const name = hash && codeCacheName(hash, commandKey(options.argv));
  const file = dir && name ? join2(dir, name) : void 0;
  const cachedData = readCache(file);
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${text}
})`;
  const script = new Script(wrapped, { filename: path, cachedData });
  const outcome = !file ? "off" : !cachedData ? "none" : script.cachedDataRejected ? "rejected" : "used";
  const module = { exports: {} };
  const run = script.runInThisContext();
  run.call(module.exports, module.exports, createRequire(path), module, path, dirname2(path));
  const save = () => {
    if (!file || outcome === "used") return false;
    try {
      writeKeptBytesSync(file, script.createCachedData());
    } catch {
      return false;
    }
    try {
      sweep(dirname2(file), name, Date.now());
    } catch {
    }
    return true;
  };
  return { exports: module.exports, outcome, file, save };
}

// src/cli/v8-flags.ts
import { setFlagsFromString as setFlagsFromString2 } from "node:v8";
function tuneV8(set = setFlagsFromString2, command2 = "none") {
  const young = command2 === "promote-file" ? [] : ["--semi-space-growth-factor=1"];
  for (const flag of ["--liftoff-only", ...young]) {
    try {
      set(flag);
    } catch {
    }
  }
}
var REGISTRY_BUILTINS = [
  "node:timers/promises",
  "node:fs/promises",
  "node:assert",
  "node:diagnostics_channel",
  "node:net"
];
var EVERY_COMMAND_BUILTINS = ["node:crypto"];
var OFFLINE = /* @__PURE__ */ new Set(["none", "help", "completion", "tags"]);
function loadBuiltinsFirst(command2, load = (id) => process.getBuiltinModule(id)) {
  const ids = [...EVERY_COMMAND_BUILTINS, ...OFFLINE.has(command2) ? [] : REGISTRY_BUILTINS];
  try {
    void load("node:util").parseArgs;
    for (const id of ids) load(id);
  } catch {
  }
  return ids;
}

// src/cli/boot.ts
var argv = process.argv.slice(2);
var command = commandKey(argv);
loadBuiltinsFirst(command);
tuneV8(void 0, command);
enableCompileCache2(process.env);
var program = loadProgram(fileURLToPath(new URL("./cli/program.cjs", import.meta.url)), {
  env: process.env,
  home: homedir2(),
  argv
});
process.once("exit", (status) => void (status === 0 && program.save()));
program.exports.runProcess(argv);
