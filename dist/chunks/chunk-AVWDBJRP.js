#!/usr/bin/env node
import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  inline
} from "./chunk-WZK7EEJJ.js";
import {
  chainCredentials,
  staticCredentials
} from "./chunk-BJAN7FEI.js";
import {
  silentLogger
} from "./chunk-N2RL2OJD.js";
import {
  DEFAULT_TIMEOUT_MS,
  LIMITS,
  bytesText
} from "./chunk-A3CPNU7I.js";
import {
  DOCKER_HUB_CONFIG_KEY,
  credentialKeys,
  isDockerHub,
  registryKey,
  sameRegistry
} from "./chunk-VIETK5Q5.js";

// src/auth/docker-config.ts
import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";

// src/auth/json-position.ts
function stringEnd(text, i) {
  for (let j = i + 1; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 34) return j + 1;
    if (c < 32) return -1 - j;
    if (c !== 92) continue;
    const e = text[j + 1];
    if (e === "u") {
      if (!/^[0-9a-fA-F]{4}$/.test(text.slice(j + 2, j + 6))) return -1 - (j + 1);
      j += 5;
    } else if (e !== void 0 && '"\\/bfnrt'.includes(e)) j++;
    else return -1 - (j + 1);
  }
  return -1 - text.length;
}
var SCALAR = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;
function scalarEnd(text, i) {
  SCALAR.lastIndex = i;
  return SCALAR.test(text) ? SCALAR.lastIndex : -1 - i;
}
function jsonFaultOffset(text) {
  const closers = [];
  let want = "value";
  let i = 0;
  for (; ; ) {
    while (i < text.length && " 	\n\r".includes(text[i])) i++;
    if (i >= text.length) return want === "after" && closers.length === 0 ? -1 : i;
    const c = text[i];
    let end = i + 1;
    if (want === "after") {
      if (c === "," && closers.length) want = closers.at(-1) === "}" ? "key" : "value";
      else if (c === closers.at(-1)) closers.pop();
      else return i;
    } else if (want === "colon") {
      if (c !== ":") return i;
      want = "value";
    } else if (want === "value-or-end" && c === "]" || want === "key-or-end" && c === "}") {
      closers.pop();
      want = "after";
    } else if (want === "key" || want === "key-or-end") {
      end = c === '"' ? stringEnd(text, i) : -1 - i;
      want = "colon";
    } else if (c === "{" || c === "[") {
      closers.push(c === "{" ? "}" : "]");
      want = c === "{" ? "key-or-end" : "value-or-end";
    } else {
      end = c === '"' ? stringEnd(text, i) : scalarEnd(text, i);
      want = "after";
    }
    if (end < 0) return -1 - end;
    i = end;
  }
}
function jsonFault(text) {
  const at = jsonFaultOffset(text);
  if (at < 0) return "not accepted by the JSON parser";
  const before = text.slice(0, at);
  const line = before.split("\n").length;
  const column = at - (before.lastIndexOf("\n") + 1) + 1;
  return `unexpected ${at >= text.length ? "end" : "character"} at line ${line}, column ${column}`;
}

// src/auth/docker-config.ts
var HELPER_TIMEOUT_MS = DEFAULT_TIMEOUT_MS;
function helperServerUrl(registry) {
  return isDockerHub(registry) ? DOCKER_HUB_CONFIG_KEY : registry.toLowerCase();
}
function spawnHelper(env = process.env, bounds = {}) {
  const timeoutMs = bounds.timeoutMs ?? HELPER_TIMEOUT_MS;
  const maxBytes = bounds.maxBytes ?? LIMITS.credentialHelperBytes;
  return (program, args, input) => new Promise((resolve) => {
    const { spawn } = process.getBuiltinModule("node:child_process");
    const child = spawn(program, args, {
      env,
      stdio: ["pipe", "pipe", "pipe"],
      detached: true
    });
    const out = [];
    let outBytes = 0;
    let stderr = "";
    let stopped;
    const stop = (why) => {
      stopped ??= why;
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
      child.stdout.destroy();
      child.stderr.destroy();
    };
    const timer = setTimeout(() => stop("timeout"), timeoutMs);
    child.stdout.on("data", (d) => {
      if (stopped) return;
      outBytes += d.length;
      if (outBytes > maxBytes) return stop("output");
      out.push(d);
    });
    child.stderr.on("data", (d) => {
      if (stderr.length < 4096) stderr += d.toString("utf8");
    });
    const stdout = () => stopped ? "" : Buffer.concat(out).toString("utf8");
    child.on("error", (e) => {
      clearTimeout(timer);
      resolve({ code: -1, stdout: stdout(), stderr, error: e.code ?? e.message });
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout: stdout(), stderr, ...stopped ? { stopped } : {} });
    });
    child.stdin.on("error", () => {
    });
    child.stdin.end(input);
  });
}
function isBase64(text) {
  return /^[A-Za-z0-9+/]*={0,2}$/.test(text) && text.replace(/=+$/, "").length % 4 !== 1;
}
function fromAuthEntry(entry, problem = () => {
}) {
  let username = entry.username || void 0;
  let password = entry.password || void 0;
  let fault;
  if (typeof entry.auth === "string" && entry.auth) {
    const decoded = isBase64(entry.auth) ? Buffer.from(entry.auth, "base64").toString("utf8") : void 0;
    const colon = decoded?.indexOf(":") ?? -1;
    if (colon > 0) {
      username = decoded.slice(0, colon);
      password = decoded.slice(colon + 1) || void 0;
    } else
      fault = decoded === void 0 ? "auth is not base64" : "auth is not base64 of user:password (no colon)";
  }
  const c = credentialOf(entry, username, password);
  if (!c && fault) problem(fault);
  return c;
}
function credentialOf(entry, username, password) {
  if (entry.identitytoken) {
    return {
      username: username && username !== "<token>" ? username : void 0,
      identityToken: entry.identitytoken
    };
  }
  if (username && password !== void 0) return { username, password };
  return void 0;
}
function dockerConfigCredentials(options = {}) {
  const env = options.env ?? process.env;
  const dir = options.configDir ?? env.DOCKER_CONFIG ?? join(env.HOME || homedir(), ".docker");
  return configFileCredentials(join(dir, "config.json"), "docker config", options);
}
function authFileCredentials(file, options = {}) {
  return configFileCredentials(file, "auth file", options);
}
function configFileCredentials(file, label, options) {
  const env = options.env ?? process.env;
  const timeoutMs = options.helperTimeoutMs ?? HELPER_TIMEOUT_MS;
  const run = options.runHelper ?? spawnHelper(env, { timeoutMs });
  const log = options.logger ?? silentLogger;
  const reasons = /* @__PURE__ */ new Map();
  let loaded;
  const source = async (registry) => {
    const config = await (loaded ??= loadConfig(file, label));
    const why = [];
    const problem = (words) => void why.push(`${label} ${file}: ${words}`);
    const named = Object.entries(config.credHelpers ?? {}).find(([k]) => sameRegistry(k, registry));
    const helper = named?.[1] ?? config.credsStore;
    const kind = named ? `credHelpers "${named[0]}"` : "credsStore";
    const viaStore = helper ? await viaHelper(
      run,
      log,
      helper,
      registry,
      timeoutMs,
      (words) => problem(`${kind} "${helper}": ${words}`)
    ) : void 0;
    const c = viaStore ?? fromAuths(config.auths ?? {}, registry, (key, words) => {
      log.warning(`${label} ${file}: auths "${key}": ${words}; that entry is not used`);
      problem(`auths "${key}": ${words}`);
    });
    if (!c && why.length) reasons.set(registryKey(registry), why.join("; "));
    else reasons.delete(registryKey(registry));
    return c;
  };
  source.explain = (registry) => reasons.get(registryKey(registry));
  return source;
}
async function checkAuthFile(file) {
  await loadConfig(file, "auth file");
}
function loadConfig(file, label) {
  return readFile(file, "utf8").then(
    (text) => {
      try {
        return JSON.parse(text);
      } catch {
        throw new Error(`${label} ${file} is not valid JSON (${jsonFault(text)})`);
      }
    },
    (e) => {
      if (e.code === "ENOENT") return {};
      throw new Error(`cannot read ${label} ${file}: ${e.code ?? e.message}`);
    }
  );
}
function fromAuths(auths, registry, problem) {
  const entries = Object.entries(auths);
  const seen = /* @__PURE__ */ new Set();
  const decode = ([k, entry]) => {
    if (!entry || seen.has(k)) return void 0;
    seen.add(k);
    return fromAuthEntry(entry, (words) => problem(k, words));
  };
  for (const key of credentialKeys(registry)) {
    const found = entries.find(([k]) => k.toLowerCase() === key);
    const c = found ? decode(found) : void 0;
    if (c) return c;
  }
  for (const found of entries) {
    const c = sameRegistry(found[0], registry) ? decode(found) : void 0;
    if (c) return c;
  }
  return void 0;
}
async function viaHelper(run, log, helper, registry, timeoutMs, problem = () => {
}) {
  const program = `docker-credential-${helper}`;
  const r = await run(program, ["get"], helperServerUrl(registry));
  if (r.stopped === "timeout")
    throw new Error(
      `credential helper ${program} gave no answer for ${registry} within ${Math.round(timeoutMs / 1e3)} s (the request timeout) and was stopped`
    );
  if (r.stopped === "output")
    throw new Error(
      `credential helper ${program} wrote more than the credentialHelperBytes limit of ${bytesText(LIMITS.credentialHelperBytes)} for ${registry} and was stopped`
    );
  if (r.code === -1) {
    log.warning(
      `credential helper ${program} could not be run (${r.error ?? "unknown error"}); trying config.json auths`
    );
    problem(
      r.error === "ENOENT" ? `${program} not found on PATH` : `${program} could not be run (${r.error ?? "unknown error"})`
    );
    return void 0;
  }
  if (r.code !== 0) {
    if (/credentials not found/i.test(r.stdout + r.stderr)) return void 0;
    throw new Error(
      `credential helper ${program} failed for ${registry} with exit code ${r.code}${r.stderr.trim() ? `: ${inline(r.stderr.trim().slice(0, 300))}` : ""}`
    );
  }
  let answer;
  try {
    answer = JSON.parse(r.stdout);
  } catch {
    throw new Error(
      `credential helper ${program} answered ${registry} with something that is not JSON (${jsonFault(r.stdout)})`
    );
  }
  if (!answer?.Secret) return void 0;
  if (answer.Username === "<token>" || !answer.Username) return { identityToken: answer.Secret };
  return { username: answer.Username, password: answer.Secret };
}
function defaultCredentials(logins = [], options = {}) {
  const map = {};
  for (const { registry, ...c } of logins) {
    if (c.password === void 0 && c.identityToken === void 0) continue;
    map[registry] ??= c;
  }
  const authFile = options.authFile ?? ((options.env ?? process.env).REGISTRY_AUTH_FILE || void 0);
  return chainCredentials(
    staticCredentials(map),
    ...authFile ? [authFileCredentials(authFile, options)] : [],
    dockerConfigCredentials(options)
  );
}

export {
  HELPER_TIMEOUT_MS,
  helperServerUrl,
  spawnHelper,
  dockerConfigCredentials,
  authFileCredentials,
  checkAuthFile,
  defaultCredentials
};
