#!/usr/bin/env node
import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  secretsOf
} from "./chunk-BJAN7FEI.js";
import {
  registryKey
} from "./chunk-VIETK5Q5.js";

// src/cli/usage-error.ts
var UsageError = class extends Error {
  constructor(message) {
    super(message);
    this.name = "UsageError";
  }
};

// src/cli/creds.ts
var PASSWORD_VARIABLES = {
  "--src-creds": "PROMOTE_IMAGE_SRC_PASSWORD",
  "--dest-creds": "PROMOTE_IMAGE_DEST_PASSWORD",
  "--creds": "PROMOTE_IMAGE_PASSWORD"
};
function maskedCreds(value) {
  const colon = value.indexOf(":");
  return colon < 0 ? value : `${value.slice(0, colon)}:***`;
}
function parseCredsFlag(flag, value) {
  const colon = value.indexOf(":");
  const username = colon < 0 ? value : value.slice(0, colon);
  const shown = `${flag} "${maskedCreds(value)}"`;
  if (!username.trim()) throw new UsageError(`${shown}: no user name before the colon (USER[:PASS])`);
  if (colon < 0) return { flag, username };
  const password = value.slice(colon + 1);
  if (!password)
    throw new UsageError(
      `${shown}: the password after the colon is empty; leave out the colon to read it from ${PASSWORD_VARIABLES[flag]} or --password-stdin`
    );
  return { flag, username, password };
}
async function cliCredentials(flags, registries, input) {
  const needStdin = flags.creds.filter(
    (c) => c.password === void 0 && !input.env[PASSWORD_VARIABLES[c.flag]]
  );
  if (flags.passwordStdin && needStdin.length !== 1)
    throw new UsageError(
      needStdin.length ? `--password-stdin gives one password, and ${needStdin.map((c) => c.flag).join(" and ")} both lack one; set ${needStdin.map((c) => PASSWORD_VARIABLES[c.flag]).join(" / ")} instead` : `--password-stdin: no ${flags.creds.length ? "creds flag lacks a password" : "--src-creds, --dest-creds or --creds USER"} to read it for`
    );
  if (!flags.passwordStdin && needStdin.length)
    throw new UsageError(
      `${needStdin[0].flag} "${needStdin[0].username}": no password: set ${PASSWORD_VARIABLES[needStdin[0].flag]}, or pipe it in with --password-stdin`
    );
  const stdin = needStdin.length ? stdinPassword(await input.readStdin()) : void 0;
  const logins = /* @__PURE__ */ new Map();
  for (const c of flags.creds) {
    const password = c.password ?? input.env[PASSWORD_VARIABLES[c.flag]] ?? stdin ?? "";
    const hosts = c.flag === "--dest-creds" ? registries.destinations ?? [] : [registries.source ?? ""];
    for (const registry of hosts.filter(Boolean)) {
      const key = registryKey(registry);
      const had = logins.get(key);
      if (had && (had.username !== c.username || had.password !== password))
        throw new UsageError(
          `${had.flag.flag} and ${c.flag} give different credentials for the same registry ${registry}; one registry takes one credential in a run`
        );
      logins.set(key, { registry, flag: c, username: c.username, password });
    }
  }
  const list = [...logins.values()].map(({ registry, username, password }) => ({
    registry,
    username,
    password
  }));
  const { defaultCredentials, checkAuthFile } = await import("./docker-config-V7UYU6L3.js");
  const authFile = flags.authFile ?? (input.env.REGISTRY_AUTH_FILE || void 0);
  if (authFile)
    await checkAuthFile(authFile).catch((e) => {
      throw new UsageError(`${flags.authFile ? "--authfile" : "REGISTRY_AUTH_FILE"}: ${e.message}`);
    });
  const credentials = defaultCredentials(list, {
    authFile: flags.authFile,
    env: input.env,
    logger: input.logger,
    helperTimeoutMs: input.helperTimeoutMs
  });
  const explain = credentials.explain;
  credentials.explain = (registry) => explain?.(registry) ?? howToLogIn(registry, registries);
  return { credentials, secrets: [...new Set(list.flatMap((l) => secretsOf(l)))] };
}
function howToLogIn(registry, registries) {
  const key = registryKey(registry);
  const flag = registries.flags?.destinations && registries.destinations?.some((r) => registryKey(r) === key) ? registries.flags.destinations : registries.flags && registries.source && registryKey(registries.source) === key ? registries.flags.source : void 0;
  return `give ${flag ? `${flag} USER[:PASS], ` : ""}--authfile FILE, or log in with docker login ${registry}`;
}
function stdinPassword(text) {
  const password = text.replace(/\r?\n$/, "");
  if (!password) throw new UsageError("--password-stdin: stdin held no password");
  return password;
}
async function readProcessStdin() {
  if (process.stdin.isTTY)
    throw new UsageError("--password-stdin: stdin is a terminal; pipe the password in (printenv VAR | \u2026)");
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

export {
  UsageError,
  parseCredsFlag,
  cliCredentials,
  readProcessStdin
};
