#!/usr/bin/env node
"use strict";

// src/cli/boot.ts
var import_node_os2 = require("node:os");
var import_node_path3 = require("node:path");

// src/cli/compile-cache.ts
var STATUS = {
  0: "failed",
  1: "enabled",
  2: "already-enabled",
  3: "disabled"
};
function nodeEnableCompileCache(version = process.versions.node) {
  const [major = 0, minor = 0] = version.split(".").map(Number);
  if (major < 22 || major === 22 && minor < 1 || !process.getBuiltinModule) return void 0;
  return process.getBuiltinModule("node:module").enableCompileCache;
}
function enableCompileCache(env, enable = nodeEnableCompileCache()) {
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
var import_node_fs2 = require("node:fs");
var import_node_path2 = require("node:path");
var import_node_v8 = require("node:v8");
var import_node_vm = require("node:vm");

// src/copy/state-files.ts
var import_node_crypto = require("node:crypto");
var import_node_fs = require("node:fs");
var import_node_os = require("node:os");
var import_node_path = require("node:path");
function cacheHome(env, home = (0, import_node_os.homedir)()) {
  const base = env.XDG_CACHE_HOME || home && (0, import_node_path.join)(home, ".cache");
  return base ? (0, import_node_path.join)(base, "promote-image") : void 0;
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
function missingDirs(dir, exists) {
  const out = [];
  for (let d = (0, import_node_path.resolve)(dir); !exists(d); d = (0, import_node_path.dirname)(d)) {
    out.unshift(d);
    if ((0, import_node_path.dirname)(d) === d) break;
  }
  return out;
}
var existsSync = (path2) => {
  try {
    (0, import_node_fs.lstatSync)(path2);
    return true;
  } catch {
    return false;
  }
};
function createDirectorySync(dir, mode = 511) {
  for (const d of missingDirs(dir, existsSync)) {
    try {
      (0, import_node_fs.mkdirSync)(d, { mode });
    } catch (e) {
      ignoreExisting(e);
    }
  }
}
function trustedDirectorySync(dir, uid = currentUid()) {
  try {
    createDirectorySync(dir, 448);
    return directoryProblem((0, import_node_fs.lstatSync)(dir), uid);
  } catch (e) {
    return cannot("create or read", e);
  }
}
function ignoreExisting(e) {
  if (e.code !== "EEXIST") throw e;
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
    fd = (0, import_node_fs.openSync)(file, import_node_fs.constants.O_RDONLY | import_node_fs.constants.O_NOFOLLOW);
  } catch (e) {
    return openFailed(e);
  }
  try {
    const stat = (0, import_node_fs.fstatSync)(fd);
    const problem = fileProblem(stat, maxBytes, uid);
    if (problem) return { problem };
    const buffer = Buffer.allocUnsafe(stat.size + 1);
    let length = 0;
    for (let n; length < buffer.length && (n = (0, import_node_fs.readSync)(fd, buffer, length, buffer.length - length, length)) > 0; )
      length += n;
    if (length > stat.size) return { problem: "it grew while it was read" };
    return { bytes: buffer.subarray(0, length) };
  } finally {
    (0, import_node_fs.closeSync)(fd);
  }
}
function writeKeptBytesSync(file, data) {
  const tmp = `${file}.${(0, import_node_crypto.randomBytes)(6).toString("hex")}.tmp`;
  const fd = (0, import_node_fs.openSync)(tmp, "wx", 384);
  try {
    for (let at = 0; at < data.length; ) at += (0, import_node_fs.writeSync)(fd, data, at, data.length - at);
    (0, import_node_fs.closeSync)(fd);
    (0, import_node_fs.renameSync)(tmp, file);
  } catch (e) {
    try {
      (0, import_node_fs.closeSync)(fd);
    } catch {
    }
    (0, import_node_fs.rmSync)(tmp, { force: true });
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
  return dir && (0, import_node_path2.join)(dir, "code");
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
var PROGRAM_HEAD = "(function (exports, require, module, __filename, __dirname) {";
var PROGRAM_TAIL = "\n})";
function readProgramSource(path2) {
  const fd = (0, import_node_fs2.openSync)(path2, "r");
  try {
    const size = (0, import_node_fs2.fstatSync)(fd).size;
    const bytes = Buffer.allocUnsafe(PROGRAM_HEAD.length + size + PROGRAM_TAIL.length);
    const end = PROGRAM_HEAD.length + size;
    let at = bytes.write(PROGRAM_HEAD, "latin1");
    while (at < end) {
      const n = (0, import_node_fs2.readSync)(fd, bytes, at, end - at, null);
      if (n === 0) break;
      at += n;
    }
    at += bytes.write(PROGRAM_TAIL, at, "latin1");
    return bytes.toString("utf8", 0, at);
  } finally {
    (0, import_node_fs2.closeSync)(fd);
  }
}
function checksums() {
  try {
    (0, import_node_v8.setFlagsFromString)("--verify-snapshot-checksum");
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
  for (const name of (0, import_node_fs2.readdirSync)(dir)) {
    if (name === keep || !/^program-.*\.bin$/.test(name)) continue;
    const path2 = (0, import_node_path2.join)(dir, name);
    try {
      if (now - (0, import_node_fs2.statSync)(path2).mtimeMs > STALE_MS) (0, import_node_fs2.unlinkSync)(path2);
    } catch {
    }
  }
}
function programRequire(path2, load) {
  const dir = (0, import_node_path2.dirname)(path2);
  return (id) => load(id.startsWith("./") || id.startsWith("../") ? (0, import_node_path2.join)(dir, id) : id);
}
function loadProgram(path2, options) {
  const source = readProgramSource(path2);
  const hash = programHash(source.slice(PROGRAM_HEAD.length, PROGRAM_HEAD.length + 120));
  checksums();
  const asked = hash ? codeCacheDirectory(options.env, options.home) : void 0;
  const dir = asked && !trustedDirectorySync(asked) ? asked : void 0;
  const name = hash && codeCacheName(hash, commandKey(options.argv));
  const file = dir && name ? (0, import_node_path2.join)(dir, name) : void 0;
  const cachedData = readCache(file);
  const script = new import_node_vm.Script(source, { filename: path2, cachedData });
  const outcome = !file ? "off" : !cachedData ? "none" : script.cachedDataRejected ? "rejected" : "used";
  const module2 = { exports: {} };
  const run = script.runInThisContext();
  const require2 = options.require ?? process.getBuiltinModule("node:module").createRequire(path2);
  run.call(module2.exports, module2.exports, require2, module2, path2, (0, import_node_path2.dirname)(path2));
  const save = () => {
    if (!file || outcome === "used") return false;
    try {
      writeKeptBytesSync(file, script.createCachedData());
    } catch {
      return false;
    }
    try {
      sweep((0, import_node_path2.dirname)(file), name, Date.now());
    } catch {
    }
    return true;
  };
  return { exports: module2.exports, outcome, file, save };
}

// src/cli/v8-flags.ts
var import_node_v82 = require("node:v8");
function tuneV8(set = import_node_v82.setFlagsFromString, command2 = "none") {
  const young = command2 === "promote-file" ? [] : ["--semi-space-growth-factor=1"];
  for (const flag of ["--liftoff-only", ...young, "--max-inlined-bytecode-size-cumulative=200"]) {
    try {
      set(flag);
    } catch {
    }
  }
}
var REGISTRY_BUILTINS = [
  "node:timers/promises",
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
enableCompileCache(process.env);
var path = (0, import_node_path3.join)(__dirname, "cli/program.cjs");
var program = loadProgram(path, {
  env: process.env,
  home: (0, import_node_os2.homedir)(),
  argv,
  require: programRequire(path, require)
});
process.once("exit", (status) => void (status === 0 && program.save()));
program.exports.runProcess(argv);
