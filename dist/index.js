#!/usr/bin/env node
import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  mergeStage,
  mergeTag,
  platformStagingTag
} from "./chunks/chunk-NTE52F5I.js";
import {
  ProgressMeter,
  progressLine,
  refusalLines,
  refusalsOf,
  refusedCount,
  selectionText
} from "./chunks/chunk-3DI7IOHP.js";
import {
  PromotionFileError,
  batchInterruption,
  batchMarkdown,
  batchText,
  failureLines,
  loadPromotionFile,
  matrixOf,
  proofLines,
  runBatch,
  shardImages
} from "./chunks/chunk-L4D5GXWY.js";
import {
  formatBytes,
  planText,
  recordRunOf,
  resultRows,
  textTable
} from "./chunks/chunk-MNWJBDZB.js";
import {
  artifactName,
  attestationText,
  clip,
  code,
  cosignTagName,
  escapeText,
  link,
  mediaTypeName,
  reachText,
  releaseTitle,
  shortDigest,
  shortTag,
  table
} from "./chunks/chunk-4MPECD7M.js";
import {
  PromoteError,
  TagPolicyError,
  promote,
  resolve
} from "./chunks/chunk-GV234NFE.js";
import {
  clientOptions,
  createRegistryClient,
  fileProofSettings,
  promoteSettings,
  proofSettings
} from "./chunks/chunk-ZNQNZAYL.js";
import "./chunks/chunk-RC27KSUY.js";
import {
  defaultCredentials
} from "./chunks/chunk-AVWDBJRP.js";
import {
  VERSION
} from "./chunks/chunk-36ESSPKX.js";
import "./chunks/chunk-DXHAY4SF.js";
import {
  InterruptedError,
  Interruption,
  SIGNAL_EXIT
} from "./chunks/chunk-RL2XFKNI.js";
import {
  targetKey
} from "./chunks/chunk-3DEEXRNS.js";
import {
  insecureWarning,
  withTlsAdvice
} from "./chunks/chunk-SPGJ64DM.js";
import "./chunks/chunk-2NLWOLMW.js";
import {
  ENGINE_OPTIONS,
  OPTIONS,
  OPTION_INPUTS,
  OptionError,
  optionSpec,
  parseOptions
} from "./chunks/chunk-BLPB5NN7.js";
import {
  DEFAULT_MOVING_TAGS
} from "./chunks/chunk-A46IPO6H.js";
import {
  commandText,
  inline,
  logText
} from "./chunks/chunk-WZK7EEJJ.js";
import {
  secretsOf
} from "./chunks/chunk-BJAN7FEI.js";
import {
  silentLogger
} from "./chunks/chunk-N2RL2OJD.js";
import "./chunks/chunk-A3CPNU7I.js";
import "./chunks/chunk-BHHRLL7Q.js";
import {
  TagRuleError,
  computeTags,
  loadTagEngine,
  needsTagEngine,
  ociLabels,
  parseMetadataActionLabels,
  parseMetadataActionTags,
  readGitHubContext,
  sourceDateEpochOf
} from "./chunks/chunk-ITB2ZXI2.js";
import {
  ReferenceError,
  formatReference,
  manifestReference,
  parseReference,
  sameRepository,
  validateForRegistry
} from "./chunks/chunk-G7S46Y2P.js";
import {
  registryKey
} from "./chunks/chunk-VIETK5Q5.js";
import {
  debug,
  getExecOutput,
  getIDToken,
  getInput,
  group,
  info,
  setFailed,
  setOutput,
  setSecret,
  summary,
  warning
} from "./chunks/chunk-PBKLN6KS.js";
import "./chunks/chunk-EVALZA5U.js";
import "./chunks/chunk-A4EHTMTW.js";
import {
  require_dist
} from "./chunks/chunk-SYGNQSQB.js";
import {
  __toESM
} from "./chunks/chunk-XYMN7WUU.js";

// src/main.ts
import { mkdtemp as mkdtemp2, readFile as readFile5, rm as rm5 } from "node:fs/promises";
import { tmpdir as tmpdir3 } from "node:os";
import { join as join5 } from "node:path";

// src/build/args.ts
var BuildInputError = class extends Error {
  constructor(input, rule) {
    super(`invalid build input ${input}: ${rule}`);
    this.input = input;
    this.rule = rule;
    this.name = "BuildInputError";
  }
  input;
  rule;
};
function buildxArgs(inputs) {
  const args = ["buildx", "build"];
  if (inputs.builder) args.push("--builder", inputs.builder);
  args.push("--push", "--metadata-file", inputs.metadataFile);
  args.push(...commonArgs(inputs, (spec) => buildxCacheSpec("cache-from", spec, inputs.gha)));
  for (const c of inputs.buildContexts ?? []) args.push("--build-context", keyValue("build-contexts", c));
  for (const a of inputs.annotations ?? []) args.push("--annotation", keyValue("annotations", a));
  if (inputs.shmSize) args.push("--shm-size", checked("shm-size", inputs.shmSize, SIZE, "NUMBER[k|m|g]"));
  for (const u of inputs.ulimits ?? [])
    args.push("--ulimit", checked("ulimit", u, ULIMIT, "NAME=SOFT[:HARD]"));
  for (const c of inputs.cacheTo ?? []) args.push("--cache-to", buildxCacheSpec("cache-to", c, inputs.gha));
  for (const [flag, value] of [
    ["--provenance", inputs.provenance],
    ["--sbom", inputs.sbom]
  ]) {
    if (value !== void 0 && value !== "") args.push(flag, String(value));
  }
  args.push(inputs.context);
  return args;
}
function dockerBuildArgs(inputs) {
  checkClassicSupport(inputs);
  return ["build", ...commonArgs(inputs, classicCacheSource), inputs.context];
}
var BUILDX_ONLY = [
  ["builder", "builder", "the classic docker build always runs on the daemon's own BuildKit"],
  [
    "cacheTo",
    "cache-to",
    "the docker CLI's BuildKit cannot export a cache (cache: actions keeps the built image as an inline cache instead)"
  ],
  [
    "buildContexts",
    "build-contexts",
    "the classic docker build has no named build contexts (--build-context)"
  ],
  ["annotations", "annotations", "the classic docker build cannot annotate manifests or indexes"],
  ["shmSize", "shm-size", "the classic docker build ignores --shm-size under BuildKit (docker 20.10)"],
  ["ulimits", "ulimit", "the classic docker build ignores --ulimit under BuildKit (docker 20.10)"]
];
function checkClassicSupport(inputs) {
  if (inputs.platforms.length > 1) {
    throw new BuildInputError(
      "platforms",
      `the classic docker build makes one image for one platform, got ${inputs.platforms.length} (${inputs.platforms.join(",")}); use a docker CLI with buildx for multi-platform builds`
    );
  }
  for (const [name, value] of [
    ["provenance", inputs.provenance],
    ["sbom", inputs.sbom]
  ]) {
    if (value !== void 0 && value !== false && value !== "false" && value !== "") {
      throw new BuildInputError(name, `attestations need buildx; the classic docker build cannot make them`);
    }
  }
  for (const [field, input, why] of BUILDX_ONLY) {
    const value = inputs[field];
    if (Array.isArray(value) ? value.length > 0 : value !== void 0 && value !== "") {
      throw new BuildInputError(input, `needs buildx (docker/setup-buildx-action); ${why}`);
    }
  }
}
function dockerPushArgs(inputs) {
  return inputs.tags.map((tag) => ["push", tag]);
}
function ghaCacheEnv(inputs, env) {
  const gha = {};
  if (env.ACTIONS_CACHE_URL) gha.url = env.ACTIONS_CACHE_URL;
  if (env.ACTIONS_RESULTS_URL) gha.urlV2 = env.ACTIONS_RESULTS_URL;
  for (const [input, specs] of [
    ["cache-from", inputs.cacheFrom],
    ["cache-to", inputs.cacheTo]
  ]) {
    if (!(specs ?? []).some((s) => cacheAttrs(s).get("type") === "gha")) continue;
    if (!env.ACTIONS_RUNTIME_TOKEN || !gha.url && !gha.urlV2) {
      throw new BuildInputError(
        input,
        `type=gha needs the runner's ACTIONS_RUNTIME_TOKEN and ACTIONS_CACHE_URL or ACTIONS_RESULTS_URL in the environment (the runner gives them to actions, not to "run:" steps)`
      );
    }
  }
  return gha;
}
function commonArgs(inputs, cacheSource) {
  if (inputs.tags.length === 0) throw new BuildInputError("tags", "at least one reference to push is needed");
  const args = [];
  for (const tag of inputs.tags) {
    if (tag === "" || /\s/.test(tag)) throw new BuildInputError("tags", `"${tag}" is not a reference`);
    args.push("--tag", tag);
  }
  for (const label of labelList(inputs.labels)) args.push("--label", label);
  for (const arg of inputs.buildArgs) args.push("--build-arg", keyValue("build-args", arg));
  if (inputs.sourceDateEpoch !== void 0)
    args.push("--build-arg", `SOURCE_DATE_EPOCH=${epoch(inputs.sourceDateEpoch)}`);
  if (inputs.platforms.length > 0) args.push("--platform", inputs.platforms.join(","));
  if (inputs.file) args.push("--file", inputs.file);
  if (inputs.target) args.push("--target", inputs.target);
  if (inputs.noCache) args.push("--no-cache");
  if (inputs.pull) args.push("--pull");
  for (const secret of inputs.secrets ?? []) args.push("--secret", secretSpec(secret));
  for (const ssh of inputs.ssh ?? [])
    args.push("--ssh", checked("ssh", ssh, SSH, "default or ID[=SOCKET|KEY[,KEY]]"));
  for (const host of inputs.addHosts ?? [])
    args.push("--add-host", checked("add-hosts", host, ADD_HOST, "HOST:IP"));
  if (inputs.network) args.push("--network", checked("network", inputs.network, NO_SPACE, "a network mode"));
  for (const spec of inputs.cacheFrom ?? []) args.push("--cache-from", cacheSource(spec));
  return args;
}
var SIZE = /^\d+(\.\d+)?([kmgt]i?)?b?$/i;
var ULIMIT = /^[a-z]+=-?\d+(:-?\d+)?$/;
var SSH = /^[^\s,=]+(=[^\s,]+(,[^\s,]+)*)?$/;
var ADD_HOST = /^[^\s:=]+[:=]\S+$/;
var NO_SPACE = /^\S+$/;
function checked(input, value, pattern, shape) {
  if (!pattern.test(value)) throw new BuildInputError(input, `"${value}" is not ${shape}`);
  return value;
}
function epoch(seconds) {
  if (!Number.isInteger(seconds) || seconds < 0) {
    throw new BuildInputError("SOURCE_DATE_EPOCH", `${seconds} is not a whole number of seconds \u2265 0`);
  }
  return String(seconds);
}
function cacheAttrs(spec) {
  const attrs = /* @__PURE__ */ new Map();
  if (!spec.includes("=")) return attrs;
  for (const field of spec.split(",")) {
    const eq = field.indexOf("=");
    attrs.set((eq < 0 ? field : field.slice(0, eq)).trim(), eq < 0 ? "" : field.slice(eq + 1).trim());
  }
  return attrs;
}
function buildxCacheSpec(input, spec, gha) {
  checked(input, spec, NO_SPACE, "a cache spec (type=\u2026,key=value or an image reference)");
  const attrs = cacheAttrs(spec);
  if (attrs.get("type") !== "gha") return spec;
  if (attrs.has("token")) {
    throw new BuildInputError(
      input,
      "a type=gha spec must not carry token= (it would be echoed with the command line); buildx reads ACTIONS_RUNTIME_TOKEN from the environment"
    );
  }
  const extra = [];
  if (gha?.url && !attrs.has("url")) extra.push(`url=${gha.url}`);
  if (gha?.urlV2 && !attrs.has("url_v2")) extra.push(`url_v2=${gha.urlV2}`);
  return [spec, ...extra].join(",");
}
function classicCacheSource(spec) {
  checked("cache-from", spec, NO_SPACE, "an image reference");
  const attrs = cacheAttrs(spec);
  if (attrs.size === 0) return spec;
  const ref = attrs.get("ref");
  if (attrs.get("type") === "registry" && ref && attrs.size === 2) return ref;
  throw new BuildInputError(
    "cache-from",
    `"${spec}" needs buildx (docker/setup-buildx-action); the classic docker build takes cache sources as image references only (REF or type=registry,ref=REF)`
  );
}
function labelList(labels) {
  if (Array.isArray(labels)) return labels.map((label) => keyValue("labels", label));
  return Object.entries(labels).map(([key, value]) => keyValue("labels", `${key}=${value}`));
}
function keyValue(input, entry) {
  const eq = entry.indexOf("=");
  if (eq <= 0) throw new BuildInputError(input, `"${entry}" is not KEY=VALUE`);
  return entry;
}
function secretSpec(secret) {
  if ("value" in secret) {
    throw new Error(
      `secret ${JSON.stringify(secret.id)} still holds its value; write it to a file first (writeSecretFiles)`
    );
  }
  const [kind, value] = "src" in secret ? ["src", secret.src] : ["env", secret.env];
  for (const part of [secret.id, value]) {
    if (part === "" || /[,"]/.test(part)) {
      throw new BuildInputError(
        "secrets",
        `"${part}" in secret ${JSON.stringify(secret.id)} is empty or has , or "`
      );
    }
  }
  return `id=${secret.id},${kind}=${value}`;
}

// src/build/secrets.ts
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
var SECRET_ID = /^[A-Za-z0-9_.-]+$/;
function split(input, entry, index, shape) {
  const eq = entry.indexOf("=");
  const id = eq > 0 ? entry.slice(0, eq).trim() : "";
  const rest = eq > 0 ? entry.slice(eq + 1) : "";
  if (!SECRET_ID.test(id) || rest === "") {
    throw new BuildInputError(
      input,
      `entry ${index + 1} is not ${shape} (an id of letters, digits, "_", "." or "-", then "=" and a non-empty ${shape.split("=")[1]})`
    );
  }
  return [id, rest];
}
function parseSecrets(entries) {
  return entries.map((entry, i) => {
    const [id, value] = split("secrets", entry, i, "id=value");
    return { id, value };
  });
}
function parseSecretFiles(entries) {
  return entries.map((entry, i) => {
    const [id, src] = split("secret-files", entry, i, "id=path");
    return { id, src: src.trim() };
  });
}
function parseSecretEnvs(entries) {
  return entries.map((entry, i) => {
    const [id, env] = split("secret-envs", entry, i, "id=name");
    return { id, env: env.trim() };
  });
}
async function writeSecretFiles(inputs, tempDir = tmpdir()) {
  const secrets = inputs.secrets ?? [];
  const values = secrets.flatMap((s) => "value" in s ? [s.value] : []);
  if (values.length === 0) return { inputs, values, remove: async () => {
  } };
  const dir = await mkdtemp(join(tempDir, "promote-image-secrets-"));
  const remove = () => rm(dir, { recursive: true, force: true });
  try {
    await chmod(dir, 448);
    const resolved = [];
    for (const [i, secret] of secrets.entries()) {
      if (!("value" in secret)) {
        resolved.push(secret);
        continue;
      }
      const src = join(dir, `${i}-${secret.id}`);
      await writeFile(src, secret.value, { mode: 384 });
      resolved.push({ id: secret.id, src });
    }
    return { inputs: { ...inputs, secrets: resolved }, values, remove };
  } catch (err) {
    await remove();
    throw err;
  }
}
function redact(text, values) {
  const parts = values.flatMap((v) => [v, ...v.split(/\r?\n/)]).filter((p) => p.trim().length >= 4);
  parts.sort((a, b) => b.length - a.length);
  let out = text;
  for (const part of parts) out = out.split(part).join("***");
  return out;
}

// src/build/cache.ts
import { createHash as createHash2 } from "node:crypto";
import { mkdir as mkdir2, readFile as readFile4, rm as rm4 } from "node:fs/promises";
import { tmpdir as tmpdir2 } from "node:os";
import { join as join4 } from "node:path";

// src/cache/actions.ts
var toolkit;
function actionsToolkit() {
  return toolkit ??= import("./chunks/cache-Y75NNMQ5.js");
}
var CacheUnavailableError = class extends Error {
  constructor() {
    super(
      "the GitHub Actions cache service is not available here (no ACTIONS_CACHE_URL or ACTIONS_RESULTS_URL)"
    );
    this.name = "CacheUnavailableError";
  }
};
function actionsCache() {
  return {
    async restore(paths, key, restoreKeys) {
      const { isFeatureAvailable, restoreCache } = await actionsToolkit();
      if (!isFeatureAvailable()) throw new CacheUnavailableError();
      return await restoreCache(paths, key, restoreKeys);
    },
    async save(paths, key) {
      const { isFeatureAvailable, saveCache } = await actionsToolkit();
      if (!isFeatureAvailable()) throw new CacheUnavailableError();
      const id = await saveCache(paths, key);
      if (id === -1) throw new Error(`@actions/cache did not save ${key} (its reason is in the log above)`);
    }
  };
}

// src/cache/directory.ts
import { access, cp, mkdir, readdir, readFile, rename, rm as rm2, writeFile as writeFile2 } from "node:fs/promises";
async function exists(path) {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

// src/cache/keys.ts
import { createHash } from "node:crypto";
import { lstat, readdir as readdir2, readFile as readFile2, readlink } from "node:fs/promises";
import { join as join2, relative } from "node:path";
var SKIPPED = /* @__PURE__ */ new Set([".git"]);
async function hashDirectory(dir) {
  const files = [];
  await walk(dir, files);
  const hash = createHash("sha256");
  for (const file of files.map((f) => relative(dir, f)).sort((a, b) => a < b ? -1 : a > b ? 1 : 0)) {
    const full = join2(dir, file);
    const info2 = await lstat(full);
    let kind;
    let content;
    if (info2.isSymbolicLink()) {
      kind = "l";
      content = await readlink(full);
    } else {
      kind = info2.mode & 73 ? "x" : "f";
      content = createHash("sha256").update(await readFile2(full)).digest("hex");
    }
    hash.update(`${JSON.stringify(file)} ${kind} ${content}
`);
  }
  return hash.digest("hex");
}
async function walk(dir, into) {
  for (const entry of await readdir2(dir, { withFileTypes: true })) {
    const full = join2(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED.has(entry.name)) await walk(full, into);
    } else into.push(full);
  }
}
function cacheKeys(prefix, scope, contextDigest2) {
  const s = createHash("sha256").update(JSON.stringify(scope)).digest("hex").slice(0, 16);
  return {
    key: `${prefix}-${s}-${contextDigest2.slice(0, 16)}`,
    restoreKeys: [`${prefix}-${s}-`, `${prefix}-`]
  };
}

// src/build/driver.ts
import { constants } from "node:fs";
import { access as access2, readFile as readFile3, rm as rm3 } from "node:fs/promises";
import { delimiter, isAbsolute, join as join3 } from "node:path";

// src/build/failure.ts
function failedStep(log, maxLines = 10) {
  const lines = log.split(/\r?\n/);
  let error;
  let vertex = "";
  for (const line of lines) {
    const m = /^#(\d+) ERROR: /.exec(line);
    if (m) {
      error = line;
      vertex = m[1];
    }
  }
  if (error === void 0) return void 0;
  const own = lines.filter((line) => line.startsWith(`#${vertex} `));
  const step = own[0] ?? `#${vertex}`;
  const output = own.filter((line) => /^#\d+ \d+\.\d+ /.test(line));
  return { step, lines: output.slice(-maxLines), error };
}
function formatFailedStep(failed) {
  return [failed.step, ...failed.lines, failed.error].join("\n");
}

// src/build/driver.ts
var actionsExec = async (cmd, args, opts) => {
  if (cmd.includes("/")) {
    try {
      await access2(cmd, constants.X_OK);
    } catch {
      throw new Error(`no executable file at ${cmd}`);
    }
  }
  return await getExecOutput(cmd, args, {
    env: opts.env,
    silent: opts.silent ?? false,
    listeners: opts.listeners,
    ignoreReturnCode: true
  });
};
var BuildError = class extends Error {
  constructor(message, detail = "") {
    super(detail ? `${message}
${detail}` : message);
    this.detail = detail;
    this.name = "BuildError";
  }
  detail;
};
var DIGEST = /^sha256:[a-f0-9]{64}$/;
var CLASSIC_MIN = [18, 9];
var CLASSIC_BELOW_MAJOR = 23;
async function detectDriver(options = {}) {
  const exec = options.exec ?? actionsExec;
  const env = cleanEnv(options.env ?? process.env);
  const candidates = options.dockerCli ? [await resolveCli(options.dockerCli, env)] : unique([await lookPath("docker", env) ?? "docker", "/usr/bin/docker"]);
  const reasons = [];
  for (const cli of candidates) {
    const why = await probe(cli, exec, env);
    if (typeof why !== "string") {
      options.logger?.info(
        `BuildKit driver: ${why.driver} via ${cli}${why.clientVersion ? ` (${why.clientVersion})` : ""}`
      );
      return why;
    }
    reasons.push(`  ${cli}: ${why}`);
  }
  const which = options.dockerCli ? `the docker CLI given (docker-cli: ${options.dockerCli})` : "no docker CLI found";
  throw new BuildError(
    `cannot build with BuildKit: ${which} has neither a working buildx plugin nor a classic docker build with BuildKit (client 18.09\u201322.x); tried:`,
    reasons.join("\n")
  );
}
async function probe(cli, exec, env) {
  let buildx2;
  try {
    buildx2 = await exec(cli, ["buildx", "version"], { env, silent: true });
  } catch (err) {
    return `cannot run it (${errorMessage(err)})`;
  }
  if (buildx2.exitCode === 0) return { driver: "buildx", cli, clientVersion: "" };
  let version;
  try {
    version = await exec(cli, ["version", "--format", "{{.Client.Version}}"], { env, silent: true });
  } catch (err) {
    return `cannot run it (${errorMessage(err)})`;
  }
  const clientVersion = version.stdout.trim().split("\n")[0] ?? "";
  if (version.exitCode !== 0) {
    return `no buildx, and "version" exited ${version.exitCode}: ${lastLine(version.stderr || version.stdout)}`;
  }
  const m = /^(\d+)\.(\d+)/.exec(clientVersion);
  if (!m) return `no buildx, and client version "${clientVersion}" is not a version`;
  const major = Number(m[1]);
  const minor = Number(m[2]);
  if (major >= CLASSIC_BELOW_MAJOR) {
    return `no buildx, and client ${clientVersion} (\u2265 ${CLASSIC_BELOW_MAJOR}) builds with BuildKit only through buildx`;
  }
  if (major < CLASSIC_MIN[0] || major === CLASSIC_MIN[0] && minor < CLASSIC_MIN[1]) {
    return `no buildx, and client ${clientVersion} is older than 18.09 (no BuildKit)`;
  }
  return { driver: "classic", cli, clientVersion };
}
async function runBuild(found, inputs, options = {}) {
  const exec = options.exec ?? actionsExec;
  const env = cleanEnv(options.env ?? process.env);
  if (found.driver === "classic") checkClassicSupport(inputs);
  const written = await writeSecretFiles(inputs, options.tempDir ?? (env.RUNNER_TEMP || void 0));
  const run2 = async (what, args, runEnv) => {
    options.logger?.debug(`${found.cli} ${args.join(" ")}`);
    const res = await exec(found.cli, args, { env: runEnv, silent: options.silent });
    if (res.exitCode !== 0)
      throw commandError(`${found.cli} ${what} exited ${res.exitCode}`, res, written.values);
    return res;
  };
  try {
    if (found.driver === "buildx") return await buildx(found.cli, written.inputs, env, run2);
    return await classic(found.cli, written.inputs, env, run2, exec);
  } finally {
    await written.remove();
  }
}
async function buildx(cli, inputs, env, run2) {
  const args = buildxArgs({ ...inputs, gha: inputs.gha ?? ghaCacheEnv(inputs, env) });
  await rm3(inputs.metadataFile, { force: true });
  await run2("buildx build", args, env);
  const { digest, metadata } = await readMetadata(inputs.metadataFile);
  const config = metadata["containerimage.config.digest"];
  return {
    driver: "buildx",
    cli,
    digest,
    pushedRefs: [...inputs.tags],
    imageId: typeof config === "string" && DIGEST.test(config) ? config : "",
    metadata
  };
}
async function classic(cli, inputs, env, run2, exec) {
  await run2("build", dockerBuildArgs(inputs), { ...env, DOCKER_BUILDKIT: "1" });
  let digest = "";
  for (const pushArgs of dockerPushArgs(inputs)) {
    const res = await run2(`push ${pushArgs[1]}`, pushArgs, env);
    const pushed = pushDigest(res.stdout);
    if (!pushed)
      throw new BuildError(
        `${cli} push ${pushArgs[1]}: no "digest: sha256:\u2026" line in its output`,
        tail(res.stdout)
      );
    if (digest && pushed !== digest) {
      throw new BuildError(
        `pushes of one build reported different digests: ${digest} and ${pushed} (${pushArgs[1]})`
      );
    }
    digest = pushed;
  }
  const tag = inputs.tags[0];
  const inspect = await exec(cli, ["image", "inspect", "--format", "{{.Id}}", tag], { env, silent: true });
  const imageId = inspect.stdout.trim();
  if (inspect.exitCode !== 0 || !DIGEST.test(imageId)) {
    throw new BuildError(
      `${cli} image inspect ${tag} gave no image ID (exit ${inspect.exitCode})`,
      tail(inspect.stderr, inspect.stdout)
    );
  }
  const metadata = {
    "containerimage.config.digest": imageId,
    "containerimage.digest": digest,
    "image.name": inputs.tags.join(",")
  };
  return { driver: "classic", cli, digest, pushedRefs: [...inputs.tags], imageId, metadata };
}
function commandError(message, res, secrets) {
  const failed = failedStep(`${res.stderr}
${res.stdout}`);
  if (failed) {
    const step = failed.step.replace(/^#\d+ /, "");
    return new BuildError(
      redact(`${message} at step ${step}`, secrets),
      redact(formatFailedStep(failed), secrets)
    );
  }
  return new BuildError(redact(message, secrets), redact(tail(res.stderr, res.stdout), secrets));
}
function pushDigest(output) {
  const matches = [...output.matchAll(/: digest: (sha256:[a-f0-9]{64}) size: \d+\s*$/gm)];
  return matches.at(-1)?.[1];
}
async function readMetadata(file) {
  let text;
  try {
    text = await readFile3(file, "utf8");
  } catch (err) {
    throw new BuildError(`buildx metadata file ${file} cannot be read: ${errorMessage(err)}`);
  }
  let metadata;
  try {
    metadata = JSON.parse(text);
  } catch (err) {
    throw new BuildError(`buildx metadata file ${file} is not JSON: ${errorMessage(err)}`);
  }
  const digest = metadata?.["containerimage.digest"];
  if (typeof digest !== "string" || !DIGEST.test(digest)) {
    throw new BuildError(
      `buildx metadata file ${file} has no containerimage.digest (sha256:<64 hex>)`,
      text.slice(0, 2e3)
    );
  }
  return { digest, metadata };
}
async function resolveCli(cli, env) {
  if (cli.includes("/")) return cli;
  return await lookPath(cli, env) ?? cli;
}
async function lookPath(name, env) {
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (!dir || !isAbsolute(dir)) continue;
    const file = join3(dir, name);
    try {
      await access2(file, constants.X_OK);
      return file;
    } catch {
    }
  }
  return void 0;
}
function cleanEnv(env) {
  const out = {};
  for (const [key, value] of Object.entries(env)) if (value !== void 0) out[key] = value;
  return out;
}
function unique(items) {
  return [...new Set(items)];
}
function errorMessage(err) {
  if (typeof err === "object" && err !== null && "message" in err) return String(err.message);
  return String(err);
}
function lastLine(text) {
  return text.trim().split("\n").at(-1) ?? "";
}
function tail(...outputs) {
  const text = outputs.find((o) => o.trim() !== "") ?? "";
  return text.trimEnd().split("\n").slice(-20).join("\n");
}

// src/build/cache.ts
var CLASSIC_PREFIX = "promote-image-classic";
function parseCacheMode(value) {
  const v = value.trim().toLowerCase();
  if (v === "" || v === "none") return "none";
  if (v === "actions") return "actions";
  throw new BuildInputError("cache", `"${value}" is not actions or none`);
}
function defaultCacheDir(env) {
  return join4(env.RUNNER_TEMP || tmpdir2(), "promote-image-cache");
}
var BUILDX_PREFIX = "promote-image-buildx";
async function restoreBuildCache(driver, inputs, options) {
  const prefix = driver === "classic" ? CLASSIC_PREFIX : BUILDX_PREFIX;
  const keys = cacheKeys(prefix, await cacheScope(driver, inputs), await contextDigest(inputs.context));
  const local = driver === "buildx" ? localDirs(inputs, join4(options.dir, "buildx")) : void 0;
  const paths = local ? local.dirs : [join4(options.dir, "classic")];
  const plan = { driver, keys, paths };
  if (paths.length === 0) {
    options.logger.info("cache: cache-from/cache-to name no type=local directory; buildx keeps its own cache");
    return { inputs, plan };
  }
  let restoredKey;
  try {
    for (const path of paths) await mkdir2(path, { recursive: true });
    restoredKey = await options.store.restore(paths, keys.key, keys.restoreKeys);
    options.logger.info(
      restoredKey ? `cache: restored ${restoredKey}` : `cache: no entry for ${keys.key} or its restore keys`
    );
  } catch (err) {
    options.logger.warning(`cache: restore of ${keys.key} failed, building without it: ${errorMessage(err)}`);
  }
  if (restoredKey) plan.restoredKey = restoredKey;
  if (local) return { inputs: local.inputs, plan };
  plan.image = `promote-image-cache:${keys.key.split("-").at(-2)}`;
  const built = { ...inputs, buildArgs: [...inputs.buildArgs, "BUILDKIT_INLINE_CACHE=1"] };
  if (!restoredKey) return { inputs: built, plan };
  const loaded = await loadImage(join4(paths[0], "image.tar"), options);
  return { inputs: loaded ? { ...built, cacheFrom: [...inputs.cacheFrom ?? [], loaded] } : built, plan };
}
async function saveBuildCache(plan, builtRef, options) {
  const { key } = plan.keys;
  if (plan.paths.length === 0) return;
  if (plan.restoredKey === key) {
    options.logger.info(`cache: ${key} was restored exactly; not saved again`);
    return;
  }
  try {
    if (plan.driver === "classic") await saveImage(plan, builtRef, options);
    const present = [];
    for (const path of plan.paths) if (await exists(path)) present.push(path);
    if (present.length !== plan.paths.length)
      throw new Error(`the build wrote no cache to ${plan.paths.join(", ")}`);
    await options.store.save(plan.paths, key);
    options.logger.info(`cache: saved ${key}`);
  } catch (err) {
    options.logger.warning(`cache: save of ${key} failed (the build itself succeeded): ${errorMessage(err)}`);
  }
}
async function cacheScope(driver, inputs) {
  const file = inputs.file ?? join4(inputs.context, "Dockerfile");
  let dockerfile = "";
  try {
    dockerfile = createHash2("sha256").update(await readFile4(file)).digest("hex");
  } catch {
  }
  return {
    driver,
    dockerfile,
    file: inputs.file ?? "",
    target: inputs.target ?? "",
    platforms: inputs.platforms,
    buildArgs: inputs.buildArgs
  };
}
async function contextDigest(context) {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(context) || context.startsWith("git@")) {
    return createHash2("sha256").update(context).digest("hex");
  }
  return await hashDirectory(context);
}
function localDirs(inputs, own) {
  const from = inputs.cacheFrom ?? [];
  const to = inputs.cacheTo ?? [];
  if (from.length === 0 && to.length === 0) {
    return {
      dirs: [own],
      inputs: {
        ...inputs,
        cacheFrom: [`type=local,src=${own}`],
        cacheTo: [`type=local,dest=${own},mode=max`]
      }
    };
  }
  const dirs = [...from.map((s) => localDir(s, "src")), ...to.map((s) => localDir(s, "dest"))];
  return { dirs: [...new Set(dirs.filter((d) => d !== void 0))].sort(), inputs };
}
function localDir(spec, attr) {
  const fields = spec.split(",");
  if (!fields.includes("type=local")) return void 0;
  return fields.find((f) => f.startsWith(`${attr}=`))?.slice(attr.length + 1);
}
async function loadImage(tar, options) {
  const exec = options.exec ?? actionsExec;
  try {
    const res = await exec(options.cli, ["load", "-i", tar], {
      env: options.env ?? cleanEnv(process.env),
      silent: true
    });
    const name = /^Loaded image: (\S+)$/m.exec(res.stdout)?.[1];
    if (res.exitCode !== 0 || !name)
      throw new Error(`docker load exited ${res.exitCode}: ${(res.stderr || res.stdout).trim()}`);
    options.logger.info(`cache: loaded ${name} as --cache-from`);
    return name;
  } catch (err) {
    options.logger.warning(
      `cache: the restored image cannot be loaded, building without it: ${errorMessage(err)}`
    );
    return void 0;
  }
}
async function saveImage(plan, builtRef, options) {
  const exec = options.exec ?? actionsExec;
  const env = options.env ?? cleanEnv(process.env);
  const tar = join4(plan.paths[0], "image.tar");
  await rm4(tar, { force: true });
  for (const args of [
    ["tag", builtRef, plan.image],
    ["save", "-o", tar, plan.image],
    ["image", "rm", plan.image]
  ]) {
    const res = await exec(options.cli, args, { env, silent: true });
    if (res.exitCode !== 0)
      throw new Error(`docker ${args[0]} exited ${res.exitCode}: ${(res.stderr || res.stdout).trim()}`);
  }
}

// src/constants.ts
var OPTION_INPUTS2 = Object.fromEntries(OPTIONS.filter((o) => o.input).map((o) => [o.name, o.input]));
var ACTION_INPUTS = {
  context: "context",
  file: "file",
  buildArgs: "build-args",
  labels: "labels",
  platforms: "platforms",
  target: "target",
  noCache: "no-cache",
  dockerCli: "docker-cli",
  pull: "pull",
  secrets: "secrets",
  secretFiles: "secret-files",
  secretEnvs: "secret-envs",
  ssh: "ssh",
  buildContexts: "build-contexts",
  annotations: "annotations",
  provenance: "provenance",
  sbom: "sbom",
  network: "network",
  addHosts: "add-hosts",
  shmSize: "shm-size",
  ulimit: "ulimit",
  builder: "builder",
  cacheFrom: "cache-from",
  cacheTo: "cache-to",
  cache: "cache",
  rebuild: "rebuild",
  source: "source",
  stagingImage: "staging-image",
  tags: "tags",
  flavor: "flavor",
  targets: "targets",
  registryAuth: "registry-auth",
  lowercase: "lowercase",
  githubToken: "github-token",
  deploymentEnvironment: "deployment-environment",
  deploymentUrl: "deployment-url",
  promotionFile: "promotion-file",
  shard: "shard",
  planShards: "plan-shards"
};
var Inputs = { ...ACTION_INPUTS, ...OPTION_INPUTS2 };
var Outputs = {
  digest: "digest",
  stagingRef: "staging-ref",
  promoted: "promoted",
  plan: "plan",
  tags: "tags",
  deploymentId: "deployment-id",
  imageid: "imageid",
  metadata: "metadata",
  matrix: "matrix"
};

// src/yaml-input.ts
var import_yaml = __toESM(require_dist(), 1);
var YamlInputError = class extends Error {
  constructor(message) {
    super(message);
    this.name = "YamlInputError";
  }
};
function words(code2) {
  return code2.toLowerCase().replace(/_/g, " ");
}
function placeOf(path, key, at, known) {
  const seqAt = path.findIndex(import_yaml.isSeq);
  const seq = path[seqAt];
  const entry = (0, import_yaml.isSeq)(seq) ? seq.items.indexOf(path[seqAt + 1]) : -1;
  const pair = path.at(-1);
  const field = (0, import_yaml.isPair)(pair) && (0, import_yaml.isScalar)(pair.key) ? String(pair.key.value) : void 0;
  const named = field !== void 0 && known.includes(field) ? `field ${field}` : "a field";
  const where = (0, import_yaml.isPair)(pair) ? key === "key" ? `the key of ${named}` : named : void 0;
  if (entry >= 0) return `entry ${entry + 1}${where ? `, ${where}` : ""}`;
  return `line ${at.line}, column ${at.col}`;
}
function refuseTags(doc, lines, known) {
  (0, import_yaml.visit)(doc, {
    Node(key, node, path) {
      if (node.tag === void 0) return;
      const at = lines.linePos(node.range?.[0] ?? 0);
      throw new YamlInputError(
        `${placeOf(path, key, at, known)}: YAML tags (! or !!) are not allowed; quote a value that starts with !`
      );
    }
  });
}
function readYamlInput(text, known = []) {
  const lines = new import_yaml.LineCounter();
  const doc = (0, import_yaml.parseDocument)(text, {
    schema: "failsafe",
    prettyErrors: false,
    logLevel: "error",
    uniqueKeys: true,
    lineCounter: lines
  });
  const at = (problem) => {
    const { line, col } = lines.linePos(problem.pos[0]);
    return new YamlInputError(`not valid YAML at line ${line}, column ${col} (${words(problem.code)})`);
  };
  if (doc.errors.length) throw at(doc.errors[0]);
  refuseTags(doc, lines, known);
  if (doc.warnings.length) throw at(doc.warnings[0]);
  try {
    return doc.toJS({ maxAliasCount: 20 });
  } catch {
    throw new YamlInputError(
      "not valid YAML: an alias (*name) has no anchor before it, or aliases expand too far"
    );
  }
}

// src/inputs.ts
var InputError = class extends Error {
  constructor(input, message) {
    super(`input "${input}": ${message}`);
    this.input = input;
    this.name = "InputError";
  }
  input;
};
function listInput(value, commas = false) {
  return value.split(commas ? /[\n,]/ : /\n/).map((s) => s.trim()).filter((s) => s && !s.startsWith("#"));
}
function bool(name, value, fallback) {
  const v = value.trim().toLowerCase();
  if (v === "") return fallback;
  if (v === "true") return true;
  if (v === "false") return false;
  throw new InputError(name, `"${value}" is not true or false`);
}
function reference(name, value, lowercase, kinds, destination = false) {
  try {
    return validateForRegistry(value, { lowercase, destination, kinds }).reference;
  } catch (e) {
    if (e instanceof ReferenceError) throw new InputError(name, e.message);
    throw e;
  }
}
var DOCKER_HUB = "docker.io";
var REGISTRY_AUTH_FIELDS = ["registry", "username", "password", "identitytoken"];
function authField(entry, name, i) {
  const value = entry[name];
  if (value === void 0 || typeof value === "string") return value;
  throw new InputError(
    Inputs.registryAuth,
    `entry ${i + 1}, field ${name}: must be a single value (text), not a list or mapping`
  );
}
function parseRegistryAuth(text) {
  if (!text.trim()) return {};
  let doc;
  try {
    doc = readYamlInput(text, REGISTRY_AUTH_FIELDS);
  } catch (e) {
    if (e instanceof YamlInputError) throw new InputError(Inputs.registryAuth, e.message);
    throw e;
  }
  if (!Array.isArray(doc))
    throw new InputError(Inputs.registryAuth, "must be a YAML list of {registry, username, password}");
  const out = {};
  const entryOf = /* @__PURE__ */ new Map();
  doc.forEach((entry, i) => {
    const given = typeof entry?.registry === "string" ? entry.registry.trim() : "";
    const registry = given || `${DOCKER_HUB}, no registry given`;
    const key = registryKey(given || DOCKER_HUB);
    const earlier = entryOf.get(key);
    if (earlier)
      throw new InputError(
        Inputs.registryAuth,
        `entry ${i + 1} (${registry}) names the same registry as ${earlier}`
      );
    entryOf.set(key, `entry ${i + 1} (${registry})`);
    const username = authField(entry, "username", i);
    const password = authField(entry, "password", i);
    const identityToken = authField(entry, "identitytoken", i);
    if (!identityToken && (!username || password === void 0)) {
      throw new InputError(
        Inputs.registryAuth,
        `entry ${i + 1} (${registry}) needs username and password, or identitytoken`
      );
    }
    out[key] = { username, password, identityToken };
  });
  return out;
}
function classifyTagLines(tagsText) {
  const rules = [];
  const references = [];
  for (const line of listInput(tagsText)) {
    if (line.includes("=")) rules.push(line);
    else if (line.includes("/")) {
      for (const entry of listInput(line, true)) {
        try {
          const [reference2] = parseMetadataActionTags(entry);
          references.push({ entry, reference: reference2 });
        } catch (e) {
          if (e instanceof ReferenceError) throw new InputError(Inputs.tags, e.message);
          throw e;
        }
      }
    } else rules.push(...listInput(line, true));
  }
  for (const { entry, reference: reference2 } of references)
    if (!reference2.tag || reference2.digest)
      throw new InputError(
        Inputs.tags,
        `"${entry}" is a full reference without a tag${reference2.digest ? " (or with a digest)" : ""}: a full reference in "tags" is REGISTRY/REPOSITORY:TAG`
      );
  return { rules, references };
}
function tagsPerTarget(common, references, targets) {
  const targetTags = {};
  for (const t of targets) targetTags[targetKey(t)] = [...common];
  for (const { entry, reference: reference2 } of references) {
    const target = targets.find((t) => sameRepository(t, reference2));
    if (!target) {
      const named = targets.map((t) => `${t.registry}/${t.repository}`).join(", ");
      throw new InputError(
        Inputs.tags,
        `"${entry}" names ${reference2.registry}/${reference2.repository}, which is not one of the targets (${named || "none"}): a full reference applies to its own target only; add its repository to "targets" or give the tag alone to apply it to every target`
      );
    }
    const list = targetTags[targetKey(target)];
    if (!list.includes(reference2.tag)) list.push(reference2.tag);
  }
  const warnings = [];
  if (references.length && !common.length) {
    for (const t of targets)
      if (!targetTags[targetKey(t)].length)
        warnings.push(
          `target ${t.registry}/${t.repository} gets no tags: the full references in "tags" name other targets only, so it is promoted by digest only`
        );
  }
  return { targetTags, warnings };
}
function tagsAndLabels(tagsText, flavorText, labelsText, ctx, now = /* @__PURE__ */ new Date(), targets) {
  const { rules, references } = classifyTagLines(tagsText);
  const fromReferences = references.map((r) => r.reference.tag);
  let labels;
  let common = [];
  let warnings = [];
  try {
    const userLabels = parseMetadataActionLabels(listInput(labelsText).join("\n"));
    if (rules.length) {
      const r = computeTags({ tags: rules, flavor: flavorText }, ctx, { now });
      common = r.tags;
      warnings = r.warnings;
      labels = { ...r.labels, ...userLabels };
    } else {
      if (flavorText.trim()) throw new InputError(Inputs.flavor, 'needs tag rules in "tags"');
      labels = { ...ociLabels(ctx, fromReferences[0] ?? "", now), ...userLabels };
    }
  } catch (e) {
    if (e instanceof TagRuleError)
      throw new InputError(e.part.startsWith("label") ? Inputs.labels : Inputs.tags, e.message);
    if (e instanceof ReferenceError) throw new InputError(Inputs.tags, e.message);
    throw e;
  }
  const tags = [...common];
  for (const t of fromReferences) if (!tags.includes(t)) tags.push(t);
  for (const [k, v] of Object.entries(labels)) if (v === "") delete labels[k];
  const perTarget = targets ? tagsPerTarget(common, references, targets) : { targetTags: {}, warnings: [] };
  return {
    tags,
    common,
    targetTags: perTarget.targetTags,
    labels,
    warnings: [...warnings, ...perTarget.warnings]
  };
}
function rawInput(get, spec) {
  const text = get(spec.input);
  if (!spec.split) return text.trim() || void 0;
  const entries = listInput(text, spec.split === "commas");
  return entries.length ? entries : void 0;
}
function readOptions(get) {
  const raw = Object.fromEntries(ENGINE_OPTIONS.map((o) => [o.name, rawInput(get, o)]));
  try {
    return parseOptions(raw, OPTION_INPUTS);
  } catch (e) {
    if (e instanceof OptionError) throw new InputError(e.option, `"${e.value}" ${e.rule}`);
    throw e;
  }
}
function readBuildExtras(get) {
  const text = (name) => get(name).trim() || void 0;
  try {
    return {
      pull: bool(Inputs.pull, get(Inputs.pull), false),
      secrets: [
        ...parseSecrets(listInput(get(Inputs.secrets))),
        ...parseSecretFiles(listInput(get(Inputs.secretFiles))),
        ...parseSecretEnvs(listInput(get(Inputs.secretEnvs)))
      ],
      ssh: listInput(get(Inputs.ssh)),
      buildContexts: listInput(get(Inputs.buildContexts)),
      annotations: listInput(get(Inputs.annotations)),
      provenance: text(Inputs.provenance),
      sbom: text(Inputs.sbom),
      network: text(Inputs.network),
      addHosts: listInput(get(Inputs.addHosts), true),
      shmSize: text(Inputs.shmSize),
      ulimits: listInput(get(Inputs.ulimit)),
      builder: text(Inputs.builder),
      cacheFrom: listInput(get(Inputs.cacheFrom)),
      cacheTo: listInput(get(Inputs.cacheTo))
    };
  } catch (e) {
    if (e instanceof BuildInputError) throw new InputError(e.input, e.rule);
    throw e;
  }
}
function readCacheMode(get) {
  try {
    return parseCacheMode(get(Inputs.cache));
  } catch (e) {
    if (e instanceof BuildInputError) throw new InputError(e.input, e.rule);
    throw e;
  }
}
function readImages(get, lowercase, kinds) {
  const source = get(Inputs.source).trim();
  const staging = get(Inputs.stagingImage).trim();
  if (!source && !staging && !get(Inputs.promotionFile).trim())
    throw new InputError(Inputs.stagingImage, 'required unless "source" names an image to promote');
  const targets = listInput(get(Inputs.targets)).map(
    (t) => reference(Inputs.targets, t, lowercase, kinds, true)
  );
  for (const t of targets) {
    if (t.tag || t.digest)
      throw new InputError(
        Inputs.targets,
        `"${t.registry}/${t.repository}" takes repositories only; put tags in "tags"`
      );
  }
  if (source && staging) {
    throw new InputError(
      Inputs.source,
      'give "source" (promote an existing image) or "staging-image" (build one), not both'
    );
  }
  return {
    source: source ? reference(Inputs.source, source, lowercase, kinds) : void 0,
    "staging-image": staging ? reference(Inputs.stagingImage, staging, lowercase, kinds, true) : void 0,
    targets
  };
}
var FILE_INPUTS = [
  [Inputs.tags, [""]],
  ...OPTIONS.filter((o) => o.fileKey).map((o) => [o.input, ["", o.default ?? ""]])
];
function readPromotionFile(get, kinds) {
  const file = get(Inputs.promotionFile).trim();
  const shard = get(Inputs.shard).trim();
  const plan = get(Inputs.planShards).trim();
  if (!file) {
    if (shard || plan)
      throw new InputError(shard ? Inputs.shard : Inputs.planShards, 'needs "promotion-file"');
    return {};
  }
  for (const other of [Inputs.source, Inputs.stagingImage, Inputs.targets])
    if (get(other).trim())
      throw new InputError(other, `not with "promotion-file" (the file names every source and target)`);
  for (const [input, unset] of FILE_INPUTS)
    if (!unset.includes(get(input).trim()))
      throw new InputError(
        input,
        `not with "promotion-file": set ${input} in the file (under defaults, or per image)`
      );
  if (shard && plan)
    throw new InputError(
      Inputs.shard,
      'give "shard" (promote one shard) or "plan-shards" (plan them), not both'
    );
  const m = /^([1-9]\d*)\/([1-9]\d*)$/.exec(shard);
  if (shard && (!m || Number(m[1]) > Number(m[2]) || Number(m[2]) > 256))
    throw new InputError(
      Inputs.shard,
      `"${shard}" must be K/N with whole numbers 1 <= K <= N <= 256 (e.g. 2/4)`
    );
  const n = Number(plan);
  if (plan && !(Number.isInteger(n) && n >= 1 && n <= 256))
    throw new InputError(Inputs.planShards, `"${plan}" must be a whole number from 1 to 256`);
  let promotion;
  try {
    promotion = loadPromotionFile(file, kinds);
  } catch (e) {
    if (e instanceof PromotionFileError) throw new InputError(Inputs.promotionFile, e.message);
    throw e;
  }
  return {
    "promotion-file": promotion,
    shard: m ? { k: Number(m[1]), n: Number(m[2]) } : void 0,
    "plan-shards": plan ? n : void 0
  };
}
var BUILD_INPUTS = [
  [Inputs.platforms, [""]],
  [Inputs.context, ["", "."]],
  [Inputs.file, [""]],
  [Inputs.buildArgs, [""]],
  [Inputs.labels, [""]],
  [Inputs.target, [""]],
  [Inputs.noCache, ["", "false"]],
  [Inputs.dockerCli, [""]],
  [Inputs.pull, ["", "false"]],
  [Inputs.secrets, [""]],
  [Inputs.secretFiles, [""]],
  [Inputs.secretEnvs, [""]],
  [Inputs.ssh, [""]],
  [Inputs.buildContexts, [""]],
  [Inputs.annotations, [""]],
  [Inputs.provenance, [""]],
  [Inputs.sbom, [""]],
  [Inputs.network, [""]],
  [Inputs.addHosts, [""]],
  [Inputs.shmSize, [""]],
  [Inputs.ulimit, [""]],
  [Inputs.builder, [""]],
  [Inputs.cacheFrom, [""]],
  [Inputs.cacheTo, [""]],
  [Inputs.cache, [""]],
  [Inputs.rebuild, ["", "false"]]
];
function readMerge(get) {
  const entries = (name) => {
    const raw = rawInput(get, optionSpec(name));
    return raw === void 0 ? [] : typeof raw === "string" ? [raw] : raw;
  };
  const merge2 = entries("mergeSources");
  const platforms = entries("mergePlatforms");
  if (!merge2.length) {
    if (platforms.length) throw new InputError(Inputs.mergePlatforms, 'needs "merge"');
    return { merge: merge2, "merge-platforms": platforms };
  }
  for (const other of [Inputs.source, Inputs.promotionFile])
    if (get(other).trim())
      throw new InputError(
        other,
        `not with "merge" (the merge's index at "staging-image" is what is promoted)`
      );
  if (!get(Inputs.stagingImage).trim())
    throw new InputError(Inputs.stagingImage, 'required with "merge": where the index is written');
  for (const [input, unset] of BUILD_INPUTS)
    if (!unset.includes(get(input).trim()))
      throw new InputError(
        input,
        'not with "merge": the merge builds nothing (build each platform in a job of its own, then merge them)'
      );
  return { merge: merge2, "merge-platforms": platforms };
}
function readInputs(get, context = () => readGitHubContext()) {
  const lowercase = bool(Inputs.lowercase, get(Inputs.lowercase), false);
  const options = readOptions(get);
  const merge2 = readMerge(get);
  const images = readImages(get, lowercase, options.registryKinds);
  const { common, targetTags, labels, warnings } = tagsAndLabels(
    get(Inputs.tags),
    get(Inputs.flavor),
    get(Inputs.labels),
    context(),
    /* @__PURE__ */ new Date(),
    images.targets
  );
  const optional = (name) => get(name).trim() || void 0;
  return {
    context: optional(Inputs.context) ?? ".",
    file: optional(Inputs.file),
    "build-args": listInput(get(Inputs.buildArgs)),
    labels,
    platforms: listInput(get(Inputs.platforms), true),
    target: optional(Inputs.target),
    "no-cache": bool(Inputs.noCache, get(Inputs.noCache), false),
    "docker-cli": optional(Inputs.dockerCli),
    build: readBuildExtras(get),
    cache: readCacheMode(get),
    rebuild: bool(Inputs.rebuild, get(Inputs.rebuild), false),
    ...images,
    ...readPromotionFile(get, options.registryKinds),
    tags: common,
    "target-tags": targetTags,
    "tag-warnings": warnings,
    "registry-auth": parseRegistryAuth(get(Inputs.registryAuth)),
    options,
    "dry-run": bool(Inputs.dryRun, get(Inputs.dryRun), false),
    lowercase,
    "github-token": get(Inputs.githubToken).trim(),
    "deployment-environment": optional(Inputs.deploymentEnvironment),
    "deployment-url": optional(Inputs.deploymentUrl),
    ...merge2
  };
}

// src/build/pipeline.ts
async function buildWithCache(inputs, options = {}) {
  const found = await detectDriver(options);
  if (!options.cache) return await runBuild(found, inputs, options);
  if (found.driver === "classic") checkClassicSupport(inputs);
  const cacheOptions = {
    ...options.cache,
    cli: found.cli,
    env: cleanEnv(options.env ?? process.env)
  };
  if (options.exec) cacheOptions.exec = options.exec;
  const { inputs: cached, plan } = await restoreBuildCache(found.driver, inputs, cacheOptions);
  const result = await runBuild(found, cached, options);
  await saveBuildCache(plan, inputs.tags[0], cacheOptions);
  return result;
}

// src/report/summary.ts
import { appendFile } from "node:fs/promises";

// src/report/limit.ts
var SUMMARY_LIMIT = 1024 * 1024;
var OUTPUT_LIMIT = 1e3 * 1e3;
var bytes = (text) => Buffer.byteLength(text, "utf8");
function capMarkdown(text, limit = SUMMARY_LIMIT) {
  const total = bytes(text);
  if (total <= limit) return text;
  const lines = text.split("\n");
  const note = (kept2, cut) => `

\u2702\uFE0F **Cut**: GitHub keeps ${limit} bytes of a job summary; this one had ${total}, so its last ${cut} lines are left out. The job log and the \`plan\` output hold every detail.
`;
  const budget = limit - bytes(note(total, lines.length)) - 64;
  const kept = [];
  let size = 0;
  let fence;
  let details = 0;
  for (const line of lines) {
    const n = bytes(line) + 1;
    if (size + n > budget) break;
    kept.push(line);
    size += n;
    const f = /^(`{3,}|~{3,})/.exec(line);
    if (f) fence = fence === void 0 ? f[1] : line.startsWith(fence) ? void 0 : fence;
    if (fence === void 0)
      details += (line.match(/<details>/g) ?? []).length - (line.match(/<\/details>/g) ?? []).length;
  }
  const closing = [...fence ? [fence] : [], ...Array(Math.max(0, details)).fill("</details>")];
  return [...kept, ...closing].join("\n").trimEnd() + note(kept.length, lines.length - kept.length);
}
function capJson(value, limit = OUTPUT_LIMIT) {
  const text = JSON.stringify(value);
  if (bytes(text) <= limit) return { text };
  let strings = 0;
  let lists = 0;
  const shorter = JSON.stringify(value, (_key, v) => {
    if (typeof v === "string" && v.length > 1024) {
      strings++;
      return `${v.slice(0, 1023)}\u2026`;
    }
    if (Array.isArray(v) && v.length > 100) {
      lists++;
      return v.slice(0, 100);
    }
    return v;
  });
  const what = `${bytes(text)} bytes, over the ${limit}-byte limit`;
  if (bytes(shorter) <= limit)
    return {
      text: shorter,
      cut: `${what}: ${strings} strings clipped to 1024 characters, ${lists} lists to their first 100 entries`
    };
  return { text: JSON.stringify({ cut: `${what}: see the job log` }), cut: `${what}: left out` };
}

// src/report/summary.ts
function promotedOutput(result) {
  return result.plan.targets.map((t) => ({
    target: t.target,
    digest: result.digest,
    tags: t.tags.map((x) => x.tag),
    references: [`${t.target}@${result.digest}`, ...t.tags.map((x) => `${t.target}:${x.tag}`)]
  }));
}
function setJsonOutput(name, value) {
  const { text, cut } = capJson(value);
  if (cut) warning(`output "${name}" cut: ${cut}`);
  setOutput(name, text);
}
function setOutputs(result, stagingRef, tags) {
  setOutput(Outputs.digest, result.digest);
  setOutput(Outputs.stagingRef, stagingRef);
  setJsonOutput(Outputs.promoted, result.plan.dryRun ? [] : promotedOutput(result));
  setJsonOutput(Outputs.plan, result.plan);
  setOutput(Outputs.tags, result.plan.dryRun ? "" : tags.join("\n"));
}
function releaseOf(env) {
  const ref = env.GITHUB_REF || void 0;
  const sha = env.GITHUB_SHA || void 0;
  const server = env.GITHUB_SERVER_URL || "https://github.com";
  const commitUrl = sha && env.GITHUB_REPOSITORY ? `${server}/${env.GITHUB_REPOSITORY}/commit/${sha}` : void 0;
  return { ref, sha, commitUrl };
}
function deploymentsUrl(env, environment) {
  if (!env.GITHUB_REPOSITORY) return void 0;
  const server = env.GITHUB_SERVER_URL || "https://github.com";
  return `${server}/${env.GITHUB_REPOSITORY}/deployments/${encodeURIComponent(environment)}`;
}
function outcomeOf(r) {
  if (r.result && !r.error) return r.result.plan.dryRun ? "plan" : "promoted";
  if (r.dryRun && r.plan && (!r.error || r.error instanceof TagPolicyError)) return "plan";
  return "failed";
}
function failedBeforeTags(e) {
  return e.message.includes("is incomplete; no tag was written on any target");
}
var isGateError = (e) => e?.name === "GateError";
var plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;
function titleOf(r, plan) {
  const tags = [...new Set((plan?.targets ?? []).flatMap((t) => t.tags.map((x) => x.tag)))];
  return releaseTitle(plan?.targets[0]?.target ?? r.source?.display, tags, r.release.ref);
}
function headline(r, outcome, plan) {
  const name = titleOf(r, plan);
  const targets = plan?.targets.map((t) => t.target) ?? [];
  const reach = reachText(targets);
  const refused = plan ? refusedCount(plan) : 0;
  const e = r.error;
  if (outcome === "promoted")
    return targets.length ? [`## \u2705 ${name} promoted to ${reach}`] : [`## \u2705 ${name} staged`, "", "No targets: nothing was promoted."];
  if (outcome === "plan")
    return refused ? [`## \u{1F4CB} ${name} would not be promoted: the tag policy would refuse ${plural(refused, "tag")}`] : [`## \u{1F4CB} ${name} would be promoted to ${reach}`];
  if (e instanceof TagPolicyError)
    return [`## \u274C ${name} not promoted: the tag policy refused ${plural(refused, "tag")}`];
  if (isGateError(e)) return [`## \u274C ${name} not promoted: the verification gate refused it`];
  if (e instanceof PromoteError) {
    const failed = `${e.failures.length} of ${plural(targets.length, "target")} failed`;
    return [failedBeforeTags(e) ? `## \u274C ${name} not promoted: ${failed}` : `## \u274C ${name}: ${failed}`];
  }
  return [r.source ? `## \u274C ${name} not promoted` : "## \u274C Promotion failed"];
}
function outcomeLines(r, outcome, plan) {
  const e = r.error;
  const moving = r.movingTags ?? [...DEFAULT_MOVING_TAGS];
  if (outcome === "promoted") return [];
  if (outcome === "plan")
    return [
      ...plan ? refusalLines(plan, moving, true) : [],
      "**Dry run**: nothing was written; this is what the promotion would do."
    ];
  if (e instanceof TagPolicyError)
    return [...refusalLines(plan ?? e.plan, moving, false), "Nothing was written to any target."];
  if (isGateError(e))
    return [
      "The source did not pass the verification checks below.",
      "",
      "Nothing was written to any target."
    ];
  if (e instanceof PromoteError) {
    const lines = e.failures.flatMap((f) => [
      `**Failed at ${code(f.target)}**: ${escapeText(clip(f.error.message, 2e3))}`,
      ""
    ]);
    if (failedBeforeTags(e))
      lines.push(
        "No tag was created or moved on any target: a re-run copies what is missing, then writes the tags."
      );
    return lines;
  }
  return [escapeText(clip(e?.message ?? "unknown error", 4e3))];
}
function repositoryOf(display) {
  try {
    const ref = parseReference(display);
    return `${ref.registry}/${ref.repository}`;
  } catch {
    return display;
  }
}
function imageLines(r, plan) {
  const lines = [];
  if (r.source?.digest) {
    const what = plan ? `, ${mediaTypeName(plan.source.mediaType)}` : "";
    lines.push(`**Digest**: ${code(r.source.digest)}${what}`);
  }
  if (r.source) lines.push(`**From**: ${code(clip(r.source.display, 400))}`);
  const { ref, sha, commitUrl } = r.release;
  if (ref || sha) {
    const commit = sha ? `commit ${commitUrl ? link(code(sha.slice(0, 7)), commitUrl) : code(clip(sha))}` : "";
    lines.push(`**Release**: ${[ref ? code(clip(ref)) : "", commit].filter(Boolean).join(" at ")}`);
  }
  const runnable = (plan?.source.platforms ?? []).filter((p) => p !== "unknown/unknown");
  if (runnable.length) lines.push(`**Platforms**: ${runnable.map((p) => code(clip(p))).join(", ")}`);
  const selected = plan && r.source && selectionText(plan, repositoryOf(r.source.display), { code, text: escapeText });
  if (selected) lines.push(`**Platforms chosen**: ${selected}`);
  const attested = plan && attestationText(plan.source);
  if (attested) lines.push(`**Attestations**: ${attested}`);
  return lines.flatMap((l) => [l, ""]);
}
function targetStatus(r, outcome, t) {
  const notWritten = { result: "\u2796 not written", holds: false, applied: false };
  if (outcome === "plan")
    return {
      result: t.violations.length ? "\u26D4 would be refused" : "\u{1F4CB} planned",
      holds: false,
      applied: false
    };
  if (outcome === "promoted") {
    const ok = r.result?.targets.find((x) => x.target === t.target)?.verified;
    return { result: ok ? "\u2705 verified" : "\u26A0\uFE0F not verified", holds: true, applied: true };
  }
  const e = r.error;
  if (e instanceof TagPolicyError)
    return t.violations.length ? { ...notWritten, result: "\u26D4 refused" } : notWritten;
  if (isGateError(e)) return notWritten;
  if (!(e instanceof PromoteError)) return { result: "\u2754 unknown: see the log", holds: false, applied: false };
  if (e.failures.some((f) => f.target === t.target))
    return { result: "\u274C failed", holds: false, applied: false };
  return failedBeforeTags(e) ? { result: "\u2611\uFE0F holds the image, no tag", holds: true, applied: false } : { result: "\u2705 complete", holds: true, applied: true };
}
function tagAction(action, from, applied) {
  const fromText = from ? ` from ${code(shortDigest(from))}` : "";
  if (action === "keep") return "already there";
  if (action === "create") return applied ? "created" : "to create";
  return `${applied ? "moved" : "to move"}${fromText}`;
}
function targetTable(r, outcome, plan) {
  const rows = plan.targets.map((t) => {
    const s = targetStatus(r, outcome, t);
    const refused = new Set(refusalsOf({ ...plan, targets: [t] }).refusals.map((x) => x.tag));
    const tags = t.tags.map(
      (x) => `${code(clip(x.tag))} ${tagAction(x.action, x.from, s.applied)}${refused.has(x.tag) ? " \u26D4" : ""}`
    );
    return [code(t.target), s.result, tags.join("<br>") || "by digest only"];
  });
  return [...table(["target", "result", "tags"], rows), ""];
}
var CODE_BLOCK_CHARS = 110;
function pullLines(r, outcome, plan) {
  const digest = r.source?.digest;
  if (!digest || !plan.targets.length) return [];
  const holding = plan.targets.filter((t) => targetStatus(r, outcome, t).holds);
  const refs = (holding.length ? holding : plan.targets).map((t) => ({
    target: inline(t.target),
    digest: inline(digest)
  }));
  const title = holding.length ? "**Pull by digest**:" : "**By digest, once promoted**:";
  const text = (x) => `${x.target}@${x.digest}`;
  if (refs.some((x) => text(x).length > CODE_BLOCK_CHARS || text(x).includes("`")))
    return [
      title,
      "",
      ...refs.map((x) => `- <code>${escapeText(x.target)}<wbr>@${escapeText(x.digest)}</code>`),
      ""
    ];
  return [title, "", "```text", ...refs.map(text), "```", ""];
}
function artifactRows(plan) {
  const rows = /* @__PURE__ */ new Map();
  const add = (key, row, written) => {
    const r = rows.get(key) ?? { ...row, copied: 0, there: 0 };
    if (written) r.copied++;
    else r.there++;
    rows.set(key, r);
  };
  for (const t of plan.targets) {
    const listed = new Set((t.referrers ?? []).map((x) => x.listedBy));
    for (const x of t.referrers ?? []) {
      const of = x.subject === plan.source.digest ? "" : ` of ${code(shortDigest(x.subject))}`;
      const listedBy = x.listedBy === "referrers API" ? "referrers API" : `tag ${code(shortTag(x.listedBy))}`;
      add(
        `referrer ${x.digest} ${x.subject}`,
        { artifact: `${artifactName(x.artifactType)}${of}`, digest: code(shortDigest(x.digest)), listedBy },
        x.action === "push"
      );
    }
    for (const x of t.signatureTags ?? [])
      add(
        `cosign ${x.tag} ${x.digest}`,
        {
          artifact: cosignTagName(x.tag),
          digest: code(shortDigest(x.digest)),
          listedBy: `tag ${code(shortTag(x.tag))}`
        },
        x.action !== "keep"
      );
    for (const x of t.referrerTags.filter((x2) => !listed.has(x2.tag)))
      add(
        `index ${x.tag}`,
        { artifact: "referrers index", digest: "", listedBy: `tag ${code(shortTag(x.tag))}` },
        x.action !== "keep"
      );
  }
  return [...rows.values()];
}
function referrerLines(outcome, plan) {
  const rows = artifactRows(plan);
  if (!rows.length) return [];
  const copies = rows.reduce((n2, r) => n2 + r.copied, 0);
  const there = rows.reduce((n2, r) => n2 + r.there, 0);
  const copied = outcome === "promoted" ? "copied" : "to copy";
  const n = plan.targets.length;
  return [
    "### Referrers and signatures",
    "",
    `${rows.length} artifact${rows.length === 1 ? "" : "s"} at ${plural(n, "target")}: ${copies} ${copied}, ${there} already there.`,
    "",
    ...table(
      ["artifact", "digest", "listed by", copied, "already there"],
      rows.map((r) => [r.artifact, r.digest, r.listedBy, String(r.copied), String(r.there)]),
      ["left", "left", "left", "right", "right"]
    ),
    ""
  ];
}
function statistics(r, plan) {
  const done = r.result && !plan.dryRun ? r.result : void 0;
  const lines = plan.targets.map((t) => {
    const there = `${t.manifests.present.length} already there`;
    const x = done?.targets.find((y) => y.target === t.target);
    if (done && x)
      return `- ${code(t.target)}: ${plural(x.blobsCopied, "blob")} copied (${formatBytes(x.bytesCopied)}), ${x.blobsMounted} mounted, ${x.blobsSkipped} skipped; ${plural(x.manifestsPushed, "manifest")} pushed, ${there}; ${x.seconds.toFixed(2)} s`;
    return `- ${code(t.target)}: ${plural(t.blobs.copy.length, "blob")} to copy (${formatBytes(t.bytesToCopy)}), ${t.blobs.mount.length} to mount, ${t.blobs.skip.length} to skip; ${plural(t.manifests.push.length, "manifest")} to push, ${there}`;
  });
  if (!done) return lines;
  return [
    ...lines,
    "",
    `Read ${formatBytes(done.bytesRead)} from the source; ${done.seconds.toFixed(2)} s in all.`
  ];
}
function footer(r, plan) {
  const lines = [];
  if (plan?.targets.length)
    lines.push(
      "<details><summary>Transfer statistics</summary>",
      "",
      ...statistics(r, plan),
      "",
      "</details>",
      ""
    );
  const d = r.deployment;
  if (d)
    lines.push(`**Deployment**: ${link(code(d.environment), d.url)} (id ${d.id}, ${escapeText(d.state)})`, "");
  return lines;
}
function summaryMarkdown(r) {
  if (r.mergePlan && !r.error && !r.result) return mergePlanMarkdown(r, r.mergePlan);
  const outcome = outcomeOf(r);
  const plan = r.plan ?? r.result?.plan;
  const lines = [
    ...headline(r, outcome, plan),
    "",
    ...outcomeLines(r, outcome, plan),
    "",
    ...imageLines(r, plan),
    ...proofLines(plan),
    ...plan?.targets.length ? targetTable(r, outcome, plan) : [],
    ...plan ? pullLines(r, outcome, plan) : [],
    ...plan ? referrerLines(outcome, plan) : [],
    ...footer(r, plan)
  ];
  const text = lines.join("\n").replace(/\n{3,}/g, "\n\n").trimEnd() + "\n";
  return capMarkdown(text, SUMMARY_LIMIT);
}
function mergePlanMarkdown(r, m) {
  return [
    `## \u{1F4CB} ${titleOf(r, void 0)} would be merged`,
    "",
    `**Dry run**: nothing was written; the index of ${escapeText(m.platforms.join(", "))} would be written at ${code(m.reference)}; its promotion is planned once it is written.`,
    "",
    `**Digest**: ${code(m.digest)}`,
    ""
  ].join("\n");
}
async function writeSummary(r, warn) {
  const file = process.env.GITHUB_STEP_SUMMARY;
  if (!file) return;
  try {
    await appendFile(file, summaryMarkdown(r), "utf8");
  } catch (e) {
    warn(`job summary not written: ${e.message}`);
  }
}

// src/report/log.ts
function maskOnce(setSecret2) {
  const masked = /* @__PURE__ */ new Set();
  return (secret) => {
    if (!secret || masked.has(secret)) return;
    masked.add(secret);
    setSecret2(secret);
  };
}
function copiedArtifactLines(plan) {
  if (plan.dryRun) return [];
  const done = { create: "created", move: "moved", keep: "kept" };
  return plan.targets.flatMap((t) => [
    ...(t.referrers ?? []).filter((r) => r.action === "push").map(
      (r) => `referrer ${r.digest} (${r.artifactType ?? "no artifact type"}) of ${r.subject} pushed to ${t.target}, listed by ${r.listedBy === "referrers API" ? "its referrers API" : `tag ${r.listedBy}`}`
    ),
    ...t.referrerTags.filter((x) => x.action !== "keep").map((x) => `referrers tag ${x.tag} ${done[x.action]} at ${t.target}`),
    ...(t.signatureTags ?? []).filter((s) => s.action !== "keep").map(
      (s) => `cosign tag ${s.tag} \u2192 ${s.digest} ${done[s.action]} at ${t.target}${s.from && s.action === "move" ? ` (was ${s.from})` : ""}`
    )
  ]);
}
function promotedLine(source, result) {
  const n = result.plan.targets.length;
  const tags = [...new Set(result.plan.targets.flatMap((t) => t.tags.map((x) => x.tag)))];
  const what = `${source}@${result.digest} to ${n} target${n === 1 ? "" : "s"} (${tags.length ? `tags ${tags.join(", ")}` : "by digest only"})`;
  return result.plan.dryRun ? `would promote ${what} (dry run: nothing written)` : `promoted ${what}`;
}

// node_modules/universal-user-agent/index.js
function getUserAgent() {
  if (typeof navigator === "object" && "userAgent" in navigator) {
    return navigator.userAgent;
  }
  if (typeof process === "object" && process.version !== void 0) {
    return `Node.js/${process.version.substr(1)} (${process.platform}; ${process.arch})`;
  }
  return "<environment undetectable>";
}

// node_modules/before-after-hook/lib/register.js
function register(state, name, method, options) {
  if (typeof method !== "function") {
    throw new Error("method for before hook must be a function");
  }
  if (!options) {
    options = {};
  }
  if (Array.isArray(name)) {
    return name.reverse().reduce((callback, name2) => {
      return register.bind(null, state, name2, callback, options);
    }, method)();
  }
  return Promise.resolve().then(() => {
    if (!state.registry[name]) {
      return method(options);
    }
    return state.registry[name].reduce((method2, registered) => {
      return registered.hook.bind(null, method2, options);
    }, method)();
  });
}

// node_modules/before-after-hook/lib/add.js
function addHook(state, kind, name, hook2) {
  const orig = hook2;
  if (!state.registry[name]) {
    state.registry[name] = [];
  }
  if (kind === "before") {
    hook2 = (method, options) => {
      return Promise.resolve().then(orig.bind(null, options)).then(method.bind(null, options));
    };
  }
  if (kind === "after") {
    hook2 = (method, options) => {
      let result;
      return Promise.resolve().then(method.bind(null, options)).then((result_) => {
        result = result_;
        return orig(result, options);
      }).then(() => {
        return result;
      });
    };
  }
  if (kind === "error") {
    hook2 = (method, options) => {
      return Promise.resolve().then(method.bind(null, options)).catch((error) => {
        return orig(error, options);
      });
    };
  }
  state.registry[name].push({
    hook: hook2,
    orig
  });
}

// node_modules/before-after-hook/lib/remove.js
function removeHook(state, name, method) {
  if (!state.registry[name]) {
    return;
  }
  const index = state.registry[name].map((registered) => {
    return registered.orig;
  }).indexOf(method);
  if (index === -1) {
    return;
  }
  state.registry[name].splice(index, 1);
}

// node_modules/before-after-hook/index.js
var bind = Function.bind;
var bindable = bind.bind(bind);
function bindApi(hook2, state, name) {
  const removeHookRef = bindable(removeHook, null).apply(
    null,
    name ? [state, name] : [state]
  );
  hook2.api = { remove: removeHookRef };
  hook2.remove = removeHookRef;
  ["before", "error", "after", "wrap"].forEach((kind) => {
    const args = name ? [state, kind, name] : [state, kind];
    hook2[kind] = hook2.api[kind] = bindable(addHook, null).apply(null, args);
  });
}
function Singular() {
  const singularHookName = /* @__PURE__ */ Symbol("Singular");
  const singularHookState = {
    registry: {}
  };
  const singularHook = register.bind(null, singularHookState, singularHookName);
  bindApi(singularHook, singularHookState, singularHookName);
  return singularHook;
}
function Collection() {
  const state = {
    registry: {}
  };
  const hook2 = register.bind(null, state);
  bindApi(hook2, state);
  return hook2;
}
var before_after_hook_default = { Singular, Collection };

// node_modules/@octokit/endpoint/dist-bundle/index.js
var VERSION2 = "0.0.0-development";
var userAgent = `octokit-endpoint.js/${VERSION2} ${getUserAgent()}`;
var DEFAULTS = {
  method: "GET",
  baseUrl: "https://api.github.com",
  headers: {
    accept: "application/vnd.github.v3+json",
    "user-agent": userAgent
  },
  mediaType: {
    format: ""
  }
};
function lowercaseKeys(object) {
  if (!object) {
    return {};
  }
  return Object.keys(object).reduce((newObj, key) => {
    newObj[key.toLowerCase()] = object[key];
    return newObj;
  }, {});
}
function isPlainObject(value) {
  if (typeof value !== "object" || value === null) return false;
  if (Object.prototype.toString.call(value) !== "[object Object]") return false;
  const proto = Object.getPrototypeOf(value);
  if (proto === null) return true;
  const Ctor = Object.prototype.hasOwnProperty.call(proto, "constructor") && proto.constructor;
  return typeof Ctor === "function" && Ctor instanceof Ctor && Function.prototype.call(Ctor) === Function.prototype.call(value);
}
function mergeDeep(defaults, options) {
  const result = Object.assign({}, defaults);
  Object.keys(options).forEach((key) => {
    if (isPlainObject(options[key])) {
      if (!(key in defaults)) Object.assign(result, { [key]: options[key] });
      else result[key] = mergeDeep(defaults[key], options[key]);
    } else {
      Object.assign(result, { [key]: options[key] });
    }
  });
  return result;
}
function removeUndefinedProperties(obj) {
  for (const key in obj) {
    if (obj[key] === void 0) {
      delete obj[key];
    }
  }
  return obj;
}
function merge(defaults, route, options) {
  if (typeof route === "string") {
    let [method, url] = route.split(" ");
    options = Object.assign(url ? { method, url } : { url: method }, options);
  } else {
    options = Object.assign({}, route);
  }
  options.headers = lowercaseKeys(options.headers);
  removeUndefinedProperties(options);
  removeUndefinedProperties(options.headers);
  const mergedOptions = mergeDeep(defaults || {}, options);
  if (options.url === "/graphql") {
    if (defaults && defaults.mediaType.previews?.length) {
      mergedOptions.mediaType.previews = defaults.mediaType.previews.filter(
        (preview) => !mergedOptions.mediaType.previews.includes(preview)
      ).concat(mergedOptions.mediaType.previews);
    }
    mergedOptions.mediaType.previews = (mergedOptions.mediaType.previews || []).map((preview) => preview.replace(/-preview/, ""));
  }
  return mergedOptions;
}
function addQueryParameters(url, parameters) {
  const separator = /\?/.test(url) ? "&" : "?";
  const names = Object.keys(parameters);
  if (names.length === 0) {
    return url;
  }
  return url + separator + names.map((name) => {
    if (name === "q") {
      return "q=" + parameters.q.split("+").map(encodeURIComponent).join("+");
    }
    return `${name}=${encodeURIComponent(parameters[name])}`;
  }).join("&");
}
var urlVariableRegex = /\{[^{}}]+\}/g;
function removeNonChars(variableName) {
  return variableName.replace(/(?:^\W+)|(?:(?<!\W)\W+$)/g, "").split(/,/);
}
function extractUrlVariableNames(url) {
  const matches = url.match(urlVariableRegex);
  if (!matches) {
    return [];
  }
  return matches.map(removeNonChars).reduce((a, b) => a.concat(b), []);
}
function omit(object, keysToOmit) {
  const result = { __proto__: null };
  for (const key of Object.keys(object)) {
    if (keysToOmit.indexOf(key) === -1) {
      result[key] = object[key];
    }
  }
  return result;
}
function encodeReserved(str) {
  return str.split(/(%[0-9A-Fa-f]{2})/g).map(function(part) {
    if (!/%[0-9A-Fa-f]/.test(part)) {
      part = encodeURI(part).replace(/%5B/g, "[").replace(/%5D/g, "]");
    }
    return part;
  }).join("");
}
function encodeUnreserved(str) {
  return encodeURIComponent(str).replace(/[!'()*]/g, function(c) {
    return "%" + c.charCodeAt(0).toString(16).toUpperCase();
  });
}
function encodeValue(operator, value, key) {
  value = operator === "+" || operator === "#" ? encodeReserved(value) : encodeUnreserved(value);
  if (key) {
    return encodeUnreserved(key) + "=" + value;
  } else {
    return value;
  }
}
function isDefined(value) {
  return value !== void 0 && value !== null;
}
function isKeyOperator(operator) {
  return operator === ";" || operator === "&" || operator === "?";
}
function getValues(context, operator, key, modifier) {
  var value = context[key], result = [];
  if (isDefined(value) && value !== "") {
    if (typeof value === "string" || typeof value === "number" || typeof value === "bigint" || typeof value === "boolean") {
      value = value.toString();
      if (modifier && modifier !== "*") {
        value = value.substring(0, parseInt(modifier, 10));
      }
      result.push(
        encodeValue(operator, value, isKeyOperator(operator) ? key : "")
      );
    } else {
      if (modifier === "*") {
        if (Array.isArray(value)) {
          value.filter(isDefined).forEach(function(value2) {
            result.push(
              encodeValue(operator, value2, isKeyOperator(operator) ? key : "")
            );
          });
        } else {
          Object.keys(value).forEach(function(k) {
            if (isDefined(value[k])) {
              result.push(encodeValue(operator, value[k], k));
            }
          });
        }
      } else {
        const tmp = [];
        if (Array.isArray(value)) {
          value.filter(isDefined).forEach(function(value2) {
            tmp.push(encodeValue(operator, value2));
          });
        } else {
          Object.keys(value).forEach(function(k) {
            if (isDefined(value[k])) {
              tmp.push(encodeUnreserved(k));
              tmp.push(encodeValue(operator, value[k].toString()));
            }
          });
        }
        if (isKeyOperator(operator)) {
          result.push(encodeUnreserved(key) + "=" + tmp.join(","));
        } else if (tmp.length !== 0) {
          result.push(tmp.join(","));
        }
      }
    }
  } else {
    if (operator === ";") {
      if (isDefined(value)) {
        result.push(encodeUnreserved(key));
      }
    } else if (value === "" && (operator === "&" || operator === "?")) {
      result.push(encodeUnreserved(key) + "=");
    } else if (value === "") {
      result.push("");
    }
  }
  return result;
}
function parseUrl(template) {
  return {
    expand: expand.bind(null, template)
  };
}
function expand(template, context) {
  var operators = ["+", "#", ".", "/", ";", "?", "&"];
  template = template.replace(
    /\{([^\{\}]+)\}|([^\{\}]+)/g,
    function(_, expression, literal) {
      if (expression) {
        let operator = "";
        const values = [];
        if (operators.indexOf(expression.charAt(0)) !== -1) {
          operator = expression.charAt(0);
          expression = expression.substr(1);
        }
        expression.split(/,/g).forEach(function(variable) {
          var tmp = /([^:\*]*)(?::(\d+)|(\*))?/.exec(variable);
          values.push(getValues(context, operator, tmp[1], tmp[2] || tmp[3]));
        });
        if (operator && operator !== "+") {
          var separator = ",";
          if (operator === "?") {
            separator = "&";
          } else if (operator !== "#") {
            separator = operator;
          }
          return (values.length !== 0 ? operator : "") + values.join(separator);
        } else {
          return values.join(",");
        }
      } else {
        return encodeReserved(literal);
      }
    }
  );
  if (template === "/") {
    return template;
  } else {
    return template.replace(/\/$/, "");
  }
}
function parse(options) {
  let method = options.method.toUpperCase();
  let url = (options.url || "/").replace(/:([a-z]\w+)/g, "{$1}");
  let headers = Object.assign({}, options.headers);
  let body;
  let parameters = omit(options, [
    "method",
    "baseUrl",
    "url",
    "headers",
    "request",
    "mediaType"
  ]);
  const urlVariableNames = extractUrlVariableNames(url);
  url = parseUrl(url).expand(parameters);
  if (!/^http/.test(url)) {
    url = options.baseUrl + url;
  }
  const omittedParameters = Object.keys(options).filter((option) => urlVariableNames.includes(option)).concat("baseUrl");
  const remainingParameters = omit(parameters, omittedParameters);
  const isBinaryRequest = /application\/octet-stream/i.test(headers.accept);
  if (!isBinaryRequest) {
    if (options.mediaType.format) {
      headers.accept = headers.accept.split(/,/).map(
        (format) => format.replace(
          /application\/vnd(\.\w+)(\.v3)?(\.\w+)?(\+json)?$/,
          `application/vnd$1$2.${options.mediaType.format}`
        )
      ).join(",");
    }
    if (url.endsWith("/graphql")) {
      if (options.mediaType.previews?.length) {
        const previewsFromAcceptHeader = headers.accept.match(/(?<![\w-])[\w-]+(?=-preview)/g) || [];
        headers.accept = previewsFromAcceptHeader.concat(options.mediaType.previews).map((preview) => {
          const format = options.mediaType.format ? `.${options.mediaType.format}` : "+json";
          return `application/vnd.github.${preview}-preview${format}`;
        }).join(",");
      }
    }
  }
  if (["GET", "HEAD"].includes(method)) {
    url = addQueryParameters(url, remainingParameters);
  } else {
    if ("data" in remainingParameters) {
      body = remainingParameters.data;
    } else {
      if (Object.keys(remainingParameters).length) {
        body = remainingParameters;
      }
    }
  }
  if (!headers["content-type"] && typeof body !== "undefined") {
    headers["content-type"] = "application/json; charset=utf-8";
  }
  if (["PATCH", "PUT"].includes(method) && typeof body === "undefined") {
    body = "";
  }
  return Object.assign(
    { method, url, headers },
    typeof body !== "undefined" ? { body } : null,
    options.request ? { request: options.request } : null
  );
}
function endpointWithDefaults(defaults, route, options) {
  return parse(merge(defaults, route, options));
}
function withDefaults(oldDefaults, newDefaults) {
  const DEFAULTS2 = merge(oldDefaults, newDefaults);
  const endpoint2 = endpointWithDefaults.bind(null, DEFAULTS2);
  return Object.assign(endpoint2, {
    DEFAULTS: DEFAULTS2,
    defaults: withDefaults.bind(null, DEFAULTS2),
    merge: merge.bind(null, DEFAULTS2),
    parse
  });
}
var endpoint = withDefaults(null, DEFAULTS);

// node_modules/content-type/dist/index.js
var SP = 32;
var HTAB = 9;
var SEMI = 59;
var EQ = 61;
var DQUOTE = 34;
var BSLASH = 92;
var COMMA = 44;
var LOWER_CASE = 1;
var OWS = 2;
var SEMI_FLAG = 4;
var COMMA_FLAG = 8;
var TOKEN_FLAG = 16;
var NON_ASCII = 65280;
var CASE_FLAGS = LOWER_CASE | NON_ASCII;
var CHAR_MAP = new Uint8Array(256);
CHAR_MAP[HTAB] |= OWS;
CHAR_MAP[SP] |= OWS;
CHAR_MAP[SEMI] |= SEMI_FLAG;
CHAR_MAP[COMMA] |= COMMA_FLAG;
for (let code2 = 128; code2 <= 255; code2++) {
  CHAR_MAP[code2] |= LOWER_CASE;
}
for (const char of "!#$%&'*+-.^_`|~") {
  CHAR_MAP[char.charCodeAt(0)] |= TOKEN_FLAG;
}
for (let code2 = 48; code2 <= 57; code2++) {
  CHAR_MAP[code2] |= TOKEN_FLAG;
}
for (let code2 = 65; code2 <= 90; code2++) {
  CHAR_MAP[code2] |= LOWER_CASE | TOKEN_FLAG;
}
for (let code2 = 97; code2 <= 122; code2++) {
  CHAR_MAP[code2] |= TOKEN_FLAG;
}
var NullObject = /* @__PURE__ */ (() => {
  const C = function() {
  };
  C.prototype = /* @__PURE__ */ Object.create(null);
  return C;
})();
function parse2(header, options) {
  const stopFlags = SEMI_FLAG | (options?.comma === true ? COMMA_FLAG : 0);
  const len = header.length;
  let valueStart = options?.start ?? 0;
  while ((CHAR_MAP[header.charCodeAt(valueStart)] & OWS) !== 0) {
    valueStart++;
  }
  let index = valueStart;
  let typeFlags = 0;
  let whitespace = -1;
  let stop = options?.parameters === false ? COMMA_FLAG : 0;
  while (index < len) {
    const code2 = header.charCodeAt(index);
    const flags = CHAR_MAP[code2];
    if ((flags & stopFlags) !== 0) {
      stop |= flags & COMMA_FLAG;
      break;
    }
    if ((flags & OWS) !== 0) {
      if (whitespace === -1)
        whitespace = index;
    } else {
      whitespace = -1;
    }
    typeFlags |= code2 & NON_ASCII | flags;
    index++;
  }
  const valueEnd = whitespace === -1 ? index : whitespace;
  const value = header.slice(valueStart, valueEnd);
  const type = (typeFlags & CASE_FLAGS) === 0 ? value : value.toLowerCase();
  if (index === len || stop !== 0) {
    return { type, index, parameters: new NullObject() };
  }
  return parseParameters(header, type, index, len, stopFlags);
}
function parseParameters(header, type, index, len, stopFlags) {
  const parameters = new NullObject();
  parameter: while (index < len) {
    index++;
    while ((CHAR_MAP[header.charCodeAt(index)] & OWS) !== 0) {
      index++;
    }
    const keyStart = index;
    let keyFlags = 0;
    let keyWhitespace = -1;
    while (index < len) {
      const code2 = header.charCodeAt(index);
      const flags = CHAR_MAP[code2];
      if ((flags & stopFlags) !== 0) {
        if ((flags & COMMA_FLAG) !== 0)
          break parameter;
        continue parameter;
      }
      if (code2 === EQ) {
        const keyEnd = keyWhitespace === -1 ? index : keyWhitespace;
        const value = header.slice(keyStart, keyEnd);
        const key = (keyFlags & CASE_FLAGS) === 0 ? value : value.toLowerCase();
        index++;
        while ((CHAR_MAP[header.charCodeAt(index)] & OWS) !== 0) {
          index++;
        }
        if (index < len && header.charCodeAt(index) === DQUOTE) {
          const quotedStart = ++index;
          let escaped = false;
          while (index < len) {
            const code3 = header.charCodeAt(index);
            if (code3 === DQUOTE) {
              if (parameters[key] === void 0) {
                parameters[key] = escaped ? unescapeQuotedPairs(header, quotedStart, index) : header.slice(quotedStart, index);
              }
              index++;
              let stop2 = 0;
              while (index < len) {
                const code4 = header.charCodeAt(index);
                const flags2 = CHAR_MAP[code4];
                if ((flags2 & stopFlags) !== 0) {
                  stop2 = flags2 & COMMA_FLAG;
                  break;
                }
                index++;
              }
              if (stop2 !== 0)
                break parameter;
              continue parameter;
            }
            if (code3 === BSLASH && index + 1 < len) {
              escaped = true;
              index += 2;
              continue;
            }
            index++;
          }
          continue parameter;
        }
        const valueStart = index;
        let stop = 0;
        let valueWhitespace = -1;
        while (index < len) {
          const code3 = header.charCodeAt(index);
          const flags2 = CHAR_MAP[code3];
          if ((flags2 & stopFlags) !== 0) {
            stop = flags2 & COMMA_FLAG;
            break;
          }
          if ((flags2 & OWS) !== 0) {
            if (valueWhitespace === -1)
              valueWhitespace = index;
          } else {
            valueWhitespace = -1;
          }
          index++;
        }
        if (parameters[key] === void 0) {
          const valueEnd = valueWhitespace === -1 ? index : valueWhitespace;
          parameters[key] = header.slice(valueStart, valueEnd);
        }
        if (stop !== 0)
          break parameter;
        continue parameter;
      }
      if ((flags & OWS) !== 0) {
        if (keyWhitespace === -1)
          keyWhitespace = index;
      } else {
        keyWhitespace = -1;
      }
      keyFlags |= code2 & NON_ASCII | flags;
      index++;
    }
  }
  return { type, index, parameters };
}
function unescapeQuotedPairs(str, start, end) {
  let result = "";
  for (let index = start; index < end; index++) {
    if (str.charCodeAt(index) === BSLASH) {
      result += str.slice(start, index);
      start = ++index;
    }
  }
  return result + str.slice(start, end);
}

// node_modules/json-with-bigint/json-with-bigint.js
var intRegex = /^-?\d+$/;
var noiseValue = /^-?\d+n+$/;
var originalStringify = JSON.stringify;
var originalParse = JSON.parse;
var customFormat = /^-?\d+n$/;
var bigIntsStringify = /([\[:])?"(-?\d+)n"($|\s*[,\}\]])/g;
var noiseStringify = /([\[:])?("-?\d+n+)n("$|"\s*[,\}\]])/g;
var isUnstringifiable = (val) => val === void 0 || typeof val === "function" || typeof val === "symbol";
var isRawJSON = (val) => val !== null && typeof val === "object" && val.constructor && val.constructor.name === "RawJSON";
var stringifyIteratively = (rootValue, replacer, spaceParam) => {
  let space = "";
  if (typeof spaceParam === "number") {
    space = " ".repeat(Math.min(10, Math.max(0, Math.floor(spaceParam))));
  } else if (typeof spaceParam === "string") {
    space = spaceParam.slice(0, 10);
  }
  const isFunctionReplacer = typeof replacer === "function";
  const propertyList = Array.isArray(replacer) ? new Set(replacer.map(String)) : null;
  const prepareVal = (parent, key, val) => {
    const isObject = val !== null && typeof val === "object";
    const hasToJSON = isObject && typeof val.toJSON === "function";
    if (hasToJSON) {
      val = val.toJSON(key);
    }
    const isNoise = typeof val === "string" && noiseValue.test(val);
    if (isNoise) return val + "n";
    const isBigInt = typeof val === "bigint";
    if (isBigInt) {
      const supportsRawJSON = "rawJSON" in JSON;
      if (supportsRawJSON) return JSON.rawJSON(val.toString());
      return val.toString() + "n";
    }
    if (isFunctionReplacer) {
      val = replacer.call(parent, key, val);
    }
    const isPostReplacerObject = val !== null && typeof val === "object";
    if (isPostReplacerObject) {
      const isPrimitiveWrapper = val instanceof Number || val instanceof String || val instanceof Boolean;
      if (isPrimitiveWrapper) {
        val = val.valueOf();
      }
    }
    return val;
  };
  const rootProcessed = prepareVal({ "": rootValue }, "", rootValue);
  if (isUnstringifiable(rootProcessed)) {
    return void 0;
  }
  const isRootPrimitive = rootProcessed === null || typeof rootProcessed !== "object";
  const isRootNativeRawJSON = isRawJSON(rootProcessed);
  if (isRootPrimitive || isRootNativeRawJSON) {
    return originalStringify(rootProcessed);
  }
  const chunks = [];
  let level = 0;
  const stack = [
    {
      parent: { "": rootProcessed },
      key: "",
      val: rootProcessed,
      isArray: Array.isArray(rootProcessed),
      keys: Array.isArray(rootProcessed) ? null : Object.keys(rootProcessed),
      index: 0,
      first: true
    }
  ];
  const visited = new WeakSet([rootProcessed]);
  while (stack.length > 0) {
    const node = stack[stack.length - 1];
    if (node.index === 0) {
      chunks.push(node.isArray ? "[" : "{");
      level++;
    }
    let isDone = false;
    if (node.isArray) {
      if (node.index < node.val.length) {
        if (!node.first) chunks.push(",");
        if (space) chunks.push("\n" + space.repeat(level));
        const childRaw = node.val[node.index];
        const childVal = prepareVal(node.val, String(node.index), childRaw);
        if (isUnstringifiable(childVal)) {
          chunks.push("null");
          node.first = false;
          node.index++;
        } else {
          const isComplexObject = childVal !== null && typeof childVal === "object";
          const isNativeRaw = isRawJSON(childVal);
          if (isComplexObject && !isNativeRaw) {
            if (visited.has(childVal)) {
              throw new TypeError("Converting circular structure to JSON");
            }
            visited.add(childVal);
            stack.push({
              parent: node.val,
              key: String(node.index),
              val: childVal,
              isArray: Array.isArray(childVal),
              keys: Array.isArray(childVal) ? null : Object.keys(childVal),
              index: 0,
              first: true
            });
            node.first = false;
            node.index++;
          } else {
            chunks.push(originalStringify(childVal));
            node.first = false;
            node.index++;
          }
        }
      } else {
        isDone = true;
      }
    } else {
      while (node.index < node.keys.length) {
        const k = node.keys[node.index++];
        const isFilteredOutByArray = propertyList && !propertyList.has(k);
        if (isFilteredOutByArray) continue;
        const childRaw = node.val[k];
        const childVal = prepareVal(node.val, k, childRaw);
        if (isUnstringifiable(childVal)) continue;
        if (!node.first) chunks.push(",");
        if (space) {
          chunks.push("\n" + space.repeat(level) + originalStringify(k) + ": ");
        } else {
          chunks.push(originalStringify(k) + ":");
        }
        const isComplexObject = childVal !== null && typeof childVal === "object";
        const isNativeRaw = isRawJSON(childVal);
        if (isComplexObject && !isNativeRaw) {
          if (visited.has(childVal)) {
            throw new TypeError("Converting circular structure to JSON");
          }
          visited.add(childVal);
          stack.push({
            parent: node.val,
            key: k,
            val: childVal,
            isArray: Array.isArray(childVal),
            keys: Array.isArray(childVal) ? null : Object.keys(childVal),
            index: 0,
            first: true
          });
          node.first = false;
          break;
        } else {
          chunks.push(originalStringify(childVal));
          node.first = false;
        }
      }
      const isNodeFullyProcessed = node.index >= node.keys.length && stack[stack.length - 1] === node;
      if (isNodeFullyProcessed) {
        isDone = true;
      }
    }
    if (isDone) {
      level--;
      if (!node.first && space) chunks.push("\n" + space.repeat(level));
      chunks.push(node.isArray ? "]" : "}");
      visited.delete(node.val);
      stack.pop();
    }
  }
  return chunks.join("");
};
var JSONStringify = (value, replacer, space) => {
  try {
    const supportsRawJSON = "rawJSON" in JSON;
    if (supportsRawJSON) {
      return originalStringify(
        value,
        (key, val) => {
          if (typeof val === "bigint") return JSON.rawJSON(val.toString());
          const hasFunctionReplacer = typeof replacer === "function";
          if (hasFunctionReplacer) return replacer(key, val);
          const isKeyInArrayReplacer = Array.isArray(replacer) && replacer.includes(key);
          if (isKeyInArrayReplacer) return val;
          return val;
        },
        space
      );
    }
    if (!value) return originalStringify(value, replacer, space);
    const convertedToCustomJSON = originalStringify(
      value,
      (key, val) => {
        const isNoise = typeof val === "string" && noiseValue.test(val);
        if (isNoise) return val.toString() + "n";
        if (typeof val === "bigint") return val.toString() + "n";
        const hasFunctionReplacer = typeof replacer === "function";
        if (hasFunctionReplacer) return replacer(key, val);
        const isKeyInArrayReplacer = Array.isArray(replacer) && replacer.includes(key);
        if (isKeyInArrayReplacer) return val;
        return val;
      },
      space
    );
    const processedJSON = convertedToCustomJSON.replace(
      bigIntsStringify,
      "$1$2$3"
    );
    const denoisedJSON = processedJSON.replace(noiseStringify, "$1$2$3");
    return denoisedJSON;
  } catch (error) {
    if (error instanceof RangeError) {
      const convertedJSON = stringifyIteratively(value, replacer, space);
      if (convertedJSON === void 0) return void 0;
      const supportsRawJSON = "rawJSON" in JSON;
      if (supportsRawJSON) return convertedJSON;
      const processedJSON = convertedJSON.replace(bigIntsStringify, "$1$2$3");
      return processedJSON.replace(noiseStringify, "$1$2$3");
    }
    throw error;
  }
};
var featureCache = /* @__PURE__ */ new Map();
var isContextSourceSupported = () => {
  const parseFingerprint = JSON.parse.toString();
  if (featureCache.has(parseFingerprint)) {
    return featureCache.get(parseFingerprint);
  }
  try {
    const result = JSON.parse(
      "1",
      (_, __, context) => !!context?.source && context.source === "1"
    );
    featureCache.set(parseFingerprint, result);
    return result;
  } catch {
    featureCache.set(parseFingerprint, false);
    return false;
  }
};
var convertMarkedBigIntsReviver = (key, value, context, userReviver) => {
  const isCustomFormatBigInt = typeof value === "string" && customFormat.test(value);
  if (isCustomFormatBigInt) return BigInt(value.slice(0, -1));
  const isNoiseValue = typeof value === "string" && noiseValue.test(value);
  if (isNoiseValue) return value.slice(0, -1);
  const hasUserReviver = typeof userReviver === "function";
  if (!hasUserReviver) return value;
  return userReviver(key, value, context);
};
var JSONParseV2 = (text, reviver) => {
  return JSON.parse(text, (key, value, context) => {
    const isNumber = typeof value === "number";
    const isOutOfBounds = value > Number.MAX_SAFE_INTEGER || value < Number.MIN_SAFE_INTEGER;
    const isBigNumber = isNumber && isOutOfBounds;
    const isInt = context && intRegex.test(context.source);
    const isBigInt = isBigNumber && isInt;
    if (isBigInt) return BigInt(context.source);
    const hasCustomReviver = typeof reviver === "function";
    if (!hasCustomReviver) return value;
    return reviver(key, value, context);
  });
};
var MAX_INT = Number.MAX_SAFE_INTEGER.toString();
var MAX_DIGITS = MAX_INT.length;
var stringsOrLargeNumbers = /"(?:[^"\\]|\\.)*"|-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/g;
var noiseValueWithQuotes = /^"-?\d+n+"$/;
var applyReviverIteratively = (parsed, userReviver) => {
  const rootHolder = { "": parsed };
  const stack = [{ parent: rootHolder, key: "", visited: false }];
  while (stack.length > 0) {
    const node = stack[stack.length - 1];
    if (!node.visited) {
      node.visited = true;
      const value = node.parent[node.key];
      const isComplexObject = value !== null && typeof value === "object";
      if (isComplexObject) {
        const keys = Object.keys(value);
        for (let i = keys.length - 1; i >= 0; i--) {
          stack.push({ parent: value, key: keys[i], visited: false });
        }
      }
    } else {
      const { parent, key } = node;
      let value = parent[key];
      if (typeof value === "string") {
        const isCustomFormatBigInt = customFormat.test(value);
        if (isCustomFormatBigInt) {
          value = BigInt(value.slice(0, -1));
        } else {
          const isNoise = noiseValue.test(value);
          if (isNoise) value = value.slice(0, -1);
        }
      }
      const hasUserReviver = typeof userReviver === "function";
      if (hasUserReviver) {
        value = userReviver.call(parent, key, value);
      }
      const isDeleted = value === void 0;
      if (isDeleted) {
        delete parent[key];
      } else {
        parent[key] = value;
      }
      stack.pop();
    }
  }
  return rootHolder[""];
};
var serializeBigInts = (text) => {
  return text.replace(
    stringsOrLargeNumbers,
    (match, digits, fractional, exponential) => {
      const isString = match[0] === '"';
      const isNoise = isString && noiseValueWithQuotes.test(match);
      if (isNoise) return match.substring(0, match.length - 1) + 'n"';
      const hasFractionalOrExponential = fractional || exponential;
      const isLessThanMaxSafeInt = digits && (digits.length < MAX_DIGITS || digits.length === MAX_DIGITS && digits <= MAX_INT);
      const isStandardValue = isString || hasFractionalOrExponential || isLessThanMaxSafeInt;
      if (isStandardValue) return match;
      return '"' + match + 'n"';
    }
  );
};
var JSONParse = (text, reviver) => {
  if (!text) return originalParse(text, reviver);
  try {
    if (isContextSourceSupported()) return JSONParseV2(text, reviver);
    const serializedData = serializeBigInts(text);
    return originalParse(
      serializedData,
      (key, value, context) => convertMarkedBigIntsReviver(key, value, context, reviver)
    );
  } catch (error) {
    if (error instanceof RangeError) {
      const serializedData = serializeBigInts(text);
      const parsed = originalParse(serializedData);
      return applyReviverIteratively(parsed, reviver);
    }
    throw error;
  }
};

// node_modules/@octokit/request-error/dist-src/index.js
var RequestError = class extends Error {
  name;
  /**
   * http status code
   */
  status;
  /**
   * Request options that lead to the error.
   */
  request;
  /**
   * Response object if a response was received
   */
  response;
  constructor(message, statusCode, options) {
    super(message, { cause: options.cause });
    this.name = "HttpError";
    this.status = Number.parseInt(statusCode);
    if (Number.isNaN(this.status)) {
      this.status = 0;
    }
    if ("response" in options) {
      this.response = options.response;
    }
    const requestCopy = Object.assign({}, options.request);
    if (options.request.headers.authorization) {
      requestCopy.headers = Object.assign({}, options.request.headers, {
        authorization: options.request.headers.authorization.replace(
          /(?<! ) .*$/,
          " [REDACTED]"
        )
      });
    }
    requestCopy.url = requestCopy.url.replace(/\bclient_secret=\w+/g, "client_secret=[REDACTED]").replace(/\baccess_token=\w+/g, "access_token=[REDACTED]");
    this.request = requestCopy;
  }
};

// node_modules/@octokit/request/dist-bundle/index.js
var VERSION3 = "10.0.16";
var defaults_default = {
  headers: {
    "user-agent": `octokit-request.js/${VERSION3} ${getUserAgent()}`
  }
};
function isPlainObject2(value) {
  if (typeof value !== "object" || value === null) return false;
  if (Object.prototype.toString.call(value) !== "[object Object]") return false;
  const proto = Object.getPrototypeOf(value);
  if (proto === null) return true;
  const Ctor = Object.prototype.hasOwnProperty.call(proto, "constructor") && proto.constructor;
  return typeof Ctor === "function" && Ctor instanceof Ctor && Function.prototype.call(Ctor) === Function.prototype.call(value);
}
var noop = () => "";
async function fetchWrapper(requestOptions) {
  const fetch = requestOptions.request?.fetch || globalThis.fetch;
  if (!fetch) {
    throw new Error(
      "fetch is not set. Please pass a fetch implementation as new Octokit({ request: { fetch }}). Learn more at https://github.com/octokit/octokit.js/#fetch-missing"
    );
  }
  const log = requestOptions.request?.log || console;
  const parseSuccessResponseBody = requestOptions.request?.parseSuccessResponseBody !== false;
  const body = isPlainObject2(requestOptions.body) || Array.isArray(requestOptions.body) ? JSONStringify(requestOptions.body) : requestOptions.body;
  const requestHeaders = Object.fromEntries(
    Object.entries(requestOptions.headers).map(([name, value]) => [
      name,
      String(value)
    ])
  );
  let fetchResponse;
  try {
    fetchResponse = await fetch(requestOptions.url, {
      method: requestOptions.method,
      body,
      redirect: requestOptions.request?.redirect,
      headers: requestHeaders,
      signal: requestOptions.request?.signal,
      // duplex must be set if request.body is ReadableStream or Async Iterables.
      // See https://fetch.spec.whatwg.org/#dom-requestinit-duplex.
      ...requestOptions.body && { duplex: "half" }
    });
  } catch (error) {
    let message = "Unknown Error";
    if (error instanceof Error) {
      if (error.name === "AbortError") {
        error.status = 500;
        throw error;
      }
      message = error.message;
      if (error.name === "TypeError" && "cause" in error) {
        if (error.cause instanceof Error) {
          message = error.cause.message;
        } else if (typeof error.cause === "string") {
          message = error.cause;
        }
      }
    }
    const requestError = new RequestError(message, 500, {
      request: requestOptions
    });
    requestError.cause = error;
    throw requestError;
  }
  const status = fetchResponse.status;
  const url = fetchResponse.url;
  const responseHeaders = {};
  for (const [key, value] of fetchResponse.headers) {
    responseHeaders[key] = value;
  }
  const octokitResponse = {
    url,
    status,
    headers: responseHeaders,
    data: ""
  };
  if ("deprecation" in responseHeaders) {
    const matches = responseHeaders.link && responseHeaders.link.match(/<([^<>]+)>; rel="deprecation"/);
    const deprecationLink = matches && matches.pop();
    log.warn(
      `[@octokit/request] "${requestOptions.method} ${requestOptions.url}" is deprecated. It is scheduled to be removed on ${responseHeaders.sunset}${deprecationLink ? `. See ${deprecationLink}` : ""}`
    );
  }
  if (status === 204 || status === 205) {
    return octokitResponse;
  }
  if (requestOptions.method === "HEAD") {
    if (status < 400) {
      return octokitResponse;
    }
    throw new RequestError(fetchResponse.statusText, status, {
      response: octokitResponse,
      request: requestOptions
    });
  }
  if (status === 304) {
    octokitResponse.data = await getResponseData(fetchResponse);
    throw new RequestError("Not modified", status, {
      response: octokitResponse,
      request: requestOptions
    });
  }
  if (status >= 400) {
    octokitResponse.data = await getResponseData(fetchResponse);
    throw new RequestError(toErrorMessage(octokitResponse.data), status, {
      response: octokitResponse,
      request: requestOptions
    });
  }
  octokitResponse.data = parseSuccessResponseBody ? await getResponseData(fetchResponse) : fetchResponse.body;
  return octokitResponse;
}
async function getResponseData(response) {
  const contentType = response.headers.get("content-type");
  if (!contentType) {
    return response.text().catch(noop);
  }
  const mimetype = parse2(contentType);
  if (isJSONResponse(mimetype)) {
    let text = "";
    try {
      text = await response.text();
      return JSONParse(text);
    } catch (err) {
      return text;
    }
  } else if (mimetype.type.startsWith("text/") || // `application/octet-stream` is the canonical "arbitrary binary" type
  // (RFC 2046) and must never be decoded as text, even when the response
  // carries a (misleading) `charset=utf-8` parameter — see #751.
  mimetype.parameters.charset?.toLowerCase() === "utf-8" && mimetype.type !== "application/octet-stream") {
    return response.text().catch(noop);
  } else {
    return response.arrayBuffer().catch(
      /* v8 ignore next -- @preserve */
      () => new ArrayBuffer(0)
    );
  }
}
function isJSONResponse(mimetype) {
  return mimetype.type === "application/json" || mimetype.type === "application/scim+json";
}
function toErrorMessage(data) {
  if (typeof data === "string") {
    return data;
  }
  if (data instanceof ArrayBuffer) {
    return "Unknown error";
  }
  if (typeof data === "object" && data !== null && "message" in data) {
    const objectData = data;
    const suffix = "documentation_url" in objectData ? ` - ${objectData.documentation_url}` : "";
    return Array.isArray(objectData.errors) ? `${objectData.message}: ${objectData.errors.map((v) => JSON.stringify(v)).join(", ")}${suffix}` : `${objectData.message}${suffix}`;
  }
  return `Unknown error: ${JSON.stringify(data)}`;
}
function withDefaults2(oldEndpoint, newDefaults) {
  const endpoint2 = oldEndpoint.defaults(newDefaults);
  const newApi = function(route, parameters) {
    const endpointOptions = endpoint2.merge(route, parameters);
    if (!endpointOptions.request || !endpointOptions.request.hook) {
      return fetchWrapper(endpoint2.parse(endpointOptions));
    }
    const request2 = (route2, parameters2) => {
      return fetchWrapper(
        endpoint2.parse(endpoint2.merge(route2, parameters2))
      );
    };
    Object.assign(request2, {
      endpoint: endpoint2,
      defaults: withDefaults2.bind(null, endpoint2)
    });
    return endpointOptions.request.hook(request2, endpointOptions);
  };
  return Object.assign(newApi, {
    endpoint: endpoint2,
    defaults: withDefaults2.bind(null, endpoint2)
  });
}
var request = withDefaults2(endpoint, defaults_default);

// node_modules/@octokit/graphql/dist-bundle/index.js
var VERSION4 = "0.0.0-development";
function _buildMessageForResponseErrors(data) {
  return `Request failed due to following response errors:
` + data.errors.map((e) => ` - ${e.message}`).join("\n");
}
var GraphqlResponseError = class extends Error {
  constructor(request2, headers, response) {
    super(_buildMessageForResponseErrors(response));
    this.request = request2;
    this.headers = headers;
    this.response = response;
    this.errors = response.errors;
    this.data = response.data;
    if (Error.captureStackTrace) {
      Error.captureStackTrace(this, this.constructor);
    }
  }
  request;
  headers;
  response;
  name = "GraphqlResponseError";
  errors;
  data;
};
var NON_VARIABLE_OPTIONS = [
  "method",
  "baseUrl",
  "url",
  "headers",
  "request",
  "query",
  "mediaType",
  "operationName"
];
var FORBIDDEN_VARIABLE_OPTIONS = ["query", "method", "url"];
var GHES_V3_SUFFIX_REGEX = /\/api\/v3\/?$/;
function graphql(request2, query, options) {
  if (options) {
    if (typeof query === "string" && "query" in options) {
      return Promise.reject(
        new Error(`[@octokit/graphql] "query" cannot be used as variable name`)
      );
    }
    for (const key in options) {
      if (!FORBIDDEN_VARIABLE_OPTIONS.includes(key)) continue;
      return Promise.reject(
        new Error(
          `[@octokit/graphql] "${key}" cannot be used as variable name`
        )
      );
    }
  }
  const parsedOptions = typeof query === "string" ? Object.assign({ query }, options) : query;
  const requestOptions = Object.keys(
    parsedOptions
  ).reduce((result, key) => {
    if (NON_VARIABLE_OPTIONS.includes(key)) {
      result[key] = parsedOptions[key];
      return result;
    }
    if (!result.variables) {
      result.variables = {};
    }
    result.variables[key] = parsedOptions[key];
    return result;
  }, {});
  const baseUrl = parsedOptions.baseUrl || request2.endpoint.DEFAULTS.baseUrl;
  if (GHES_V3_SUFFIX_REGEX.test(baseUrl)) {
    requestOptions.url = baseUrl.replace(GHES_V3_SUFFIX_REGEX, "/api/graphql");
  }
  return request2(requestOptions).then((response) => {
    if (response.data.errors) {
      const headers = {};
      for (const key of Object.keys(response.headers)) {
        headers[key] = response.headers[key];
      }
      throw new GraphqlResponseError(
        requestOptions,
        headers,
        response.data
      );
    }
    return response.data.data;
  });
}
function withDefaults3(request2, newDefaults) {
  const newRequest = request2.defaults(newDefaults);
  const newApi = (query, options) => {
    return graphql(newRequest, query, options);
  };
  return Object.assign(newApi, {
    defaults: withDefaults3.bind(null, newRequest),
    endpoint: newRequest.endpoint
  });
}
var graphql2 = withDefaults3(request, {
  headers: {
    "user-agent": `octokit-graphql.js/${VERSION4} ${getUserAgent()}`
  },
  method: "POST",
  url: "/graphql"
});
function withCustomRequest(customRequest) {
  return withDefaults3(customRequest, {
    method: "POST",
    url: "/graphql"
  });
}

// node_modules/@octokit/auth-token/dist-bundle/index.js
var b64url = "(?:[a-zA-Z0-9_-]+)";
var sep = "\\.";
var jwtRE = new RegExp(`^${b64url}${sep}${b64url}${sep}${b64url}$`);
var isJWT = jwtRE.test.bind(jwtRE);
async function auth(token) {
  const isApp = isJWT(token);
  const isInstallation = token.startsWith("v1.") || token.startsWith("ghs_");
  const isUserToServer = token.startsWith("ghu_");
  const tokenType = isApp ? "app" : isInstallation ? "installation" : isUserToServer ? "user-to-server" : "oauth";
  return {
    type: "token",
    token,
    tokenType
  };
}
function withAuthorizationPrefix(token) {
  if (token.split(/\./).length === 3) {
    return `bearer ${token}`;
  }
  return `token ${token}`;
}
async function hook(token, request2, route, parameters) {
  const endpoint2 = request2.endpoint.merge(
    route,
    parameters
  );
  endpoint2.headers.authorization = withAuthorizationPrefix(token);
  return request2(endpoint2);
}
var createTokenAuth = function createTokenAuth2(token) {
  if (!token) {
    throw new Error("[@octokit/auth-token] No token passed to createTokenAuth");
  }
  if (typeof token !== "string") {
    throw new Error(
      "[@octokit/auth-token] Token passed to createTokenAuth is not a string"
    );
  }
  token = token.replace(/^(token|bearer) +/i, "");
  return Object.assign(auth.bind(null, token), {
    hook: hook.bind(null, token)
  });
};

// node_modules/@octokit/core/dist-src/version.js
var VERSION5 = "7.0.8";

// node_modules/@octokit/core/dist-src/index.js
var noop2 = () => {
};
var consoleWarn = console.warn.bind(console);
var consoleError = console.error.bind(console);
function createLogger(logger = {}) {
  if (typeof logger.debug !== "function") {
    logger.debug = noop2;
  }
  if (typeof logger.info !== "function") {
    logger.info = noop2;
  }
  if (typeof logger.warn !== "function") {
    logger.warn = consoleWarn;
  }
  if (typeof logger.error !== "function") {
    logger.error = consoleError;
  }
  return logger;
}
var userAgentTrail = `octokit-core.js/${VERSION5} ${getUserAgent()}`;
var Octokit = class {
  static VERSION = VERSION5;
  static defaults(defaults) {
    const OctokitWithDefaults = class extends this {
      constructor(...args) {
        const options = args[0] || {};
        if (typeof defaults === "function") {
          super(defaults(options));
          return;
        }
        super(
          Object.assign(
            {},
            defaults,
            options,
            options.userAgent && defaults.userAgent ? {
              userAgent: `${options.userAgent} ${defaults.userAgent}`
            } : null
          )
        );
      }
    };
    return OctokitWithDefaults;
  }
  static plugins = [];
  /**
   * Attach a plugin (or many) to your Octokit instance.
   *
   * @example
   * const API = Octokit.plugin(plugin1, plugin2, plugin3, ...)
   */
  static plugin(...newPlugins) {
    const currentPlugins = this.plugins;
    const NewOctokit = class extends this {
      static plugins = currentPlugins.concat(
        newPlugins.filter((plugin) => !currentPlugins.includes(plugin))
      );
    };
    return NewOctokit;
  }
  constructor(options = {}) {
    const hook2 = new before_after_hook_default.Collection();
    const requestDefaults = {
      baseUrl: request.endpoint.DEFAULTS.baseUrl,
      headers: {},
      request: Object.assign({}, options.request, {
        // @ts-ignore internal usage only, no need to type
        hook: hook2.bind(null, "request")
      }),
      mediaType: {
        previews: [],
        format: ""
      }
    };
    requestDefaults.headers["user-agent"] = options.userAgent ? `${options.userAgent} ${userAgentTrail}` : userAgentTrail;
    if (options.baseUrl) {
      requestDefaults.baseUrl = options.baseUrl;
    }
    if (options.previews) {
      requestDefaults.mediaType.previews = options.previews;
    }
    if (options.timeZone) {
      requestDefaults.headers["time-zone"] = options.timeZone;
    }
    this.request = request.defaults(requestDefaults);
    this.graphql = withCustomRequest(this.request).defaults(requestDefaults);
    this.log = createLogger(options.log);
    this.hook = hook2;
    if (!options.authStrategy) {
      if (!options.auth) {
        this.auth = async () => ({
          type: "unauthenticated"
        });
      } else {
        const auth2 = createTokenAuth(options.auth);
        hook2.wrap("request", auth2.hook);
        this.auth = auth2;
      }
    } else {
      const { authStrategy, ...otherOptions } = options;
      const auth2 = authStrategy(
        Object.assign(
          {
            request: this.request,
            log: this.log,
            // we pass the current octokit instance as well as its constructor options
            // to allow for authentication strategies that return a new octokit instance
            // that shares the same internal state as the current one. The original
            // requirement for this was the "event-octokit" authentication strategy
            // of https://github.com/probot/octokit-auth-probot.
            octokit: this,
            octokitOptions: otherOptions
          },
          options.auth
        )
      );
      hook2.wrap("request", auth2.hook);
      this.auth = auth2;
    }
    const classConstructor = this.constructor;
    for (let i = 0; i < classConstructor.plugins.length; ++i) {
      Object.assign(this, classConstructor.plugins[i](this, options));
    }
  }
  // assigned during constructor
  request;
  graphql;
  log;
  hook;
  // TODO: type `octokit.auth` based on passed options.authStrategy
  auth;
};

// node_modules/@octokit/plugin-request-log/dist-src/version.js
var VERSION6 = "6.0.0";

// node_modules/@octokit/plugin-request-log/dist-src/index.js
function requestLog(octokit) {
  octokit.hook.wrap("request", (request2, options) => {
    octokit.log.debug("request", options);
    const start = Date.now();
    const requestOptions = octokit.request.endpoint.parse(options);
    const path = requestOptions.url.replace(options.baseUrl, "");
    return request2(options).then((response) => {
      const requestId = response.headers["x-github-request-id"];
      octokit.log.info(
        `${requestOptions.method} ${path} - ${response.status} with id ${requestId} in ${Date.now() - start}ms`
      );
      return response;
    }).catch((error) => {
      const requestId = error.response?.headers["x-github-request-id"] || "UNKNOWN";
      octokit.log.error(
        `${requestOptions.method} ${path} - ${error.status} with id ${requestId} in ${Date.now() - start}ms`
      );
      throw error;
    });
  });
}
requestLog.VERSION = VERSION6;

// node_modules/@octokit/plugin-paginate-rest/dist-bundle/index.js
var VERSION7 = "0.0.0-development";
function normalizePaginatedListResponse(response) {
  if (!response.data) {
    return {
      ...response,
      data: []
    };
  }
  const responseNeedsNormalization = ("total_count" in response.data || "total_commits" in response.data) && !("url" in response.data);
  if (!responseNeedsNormalization) return response;
  const incompleteResults = response.data.incomplete_results;
  const repositorySelection = response.data.repository_selection;
  const totalCount = response.data.total_count;
  const totalCommits = response.data.total_commits;
  delete response.data.incomplete_results;
  delete response.data.repository_selection;
  delete response.data.total_count;
  delete response.data.total_commits;
  const namespaceKey = Object.keys(response.data)[0];
  const data = response.data[namespaceKey];
  response.data = data;
  if (typeof incompleteResults !== "undefined") {
    response.data.incomplete_results = incompleteResults;
  }
  if (typeof repositorySelection !== "undefined") {
    response.data.repository_selection = repositorySelection;
  }
  response.data.total_count = totalCount;
  response.data.total_commits = totalCommits;
  return response;
}
function iterator(octokit, route, parameters) {
  const options = typeof route === "function" ? route.endpoint(parameters) : octokit.request.endpoint(route, parameters);
  const requestMethod = typeof route === "function" ? route : octokit.request;
  const method = options.method;
  const headers = options.headers;
  let url = options.url;
  return {
    [Symbol.asyncIterator]: () => ({
      async next() {
        if (!url) return { done: true };
        try {
          const response = await requestMethod({ method, url, headers });
          const normalizedResponse = normalizePaginatedListResponse(response);
          url = ((normalizedResponse.headers.link || "").match(
            /<([^<>]+)>;\s*rel="next"/
          ) || [])[1];
          if (!url && "total_commits" in normalizedResponse.data) {
            const parsedUrl = new URL(normalizedResponse.url);
            const params = parsedUrl.searchParams;
            const page = parseInt(params.get("page") || "1", 10);
            const per_page = parseInt(params.get("per_page") || "250", 10);
            if (page * per_page < normalizedResponse.data.total_commits) {
              params.set("page", String(page + 1));
              url = parsedUrl.toString();
            }
          }
          return { value: normalizedResponse };
        } catch (error) {
          if (error.status !== 409) throw error;
          url = "";
          return {
            value: {
              status: 200,
              headers: {},
              data: []
            }
          };
        }
      }
    })
  };
}
function paginate(octokit, route, parameters, mapFn) {
  if (typeof parameters === "function") {
    mapFn = parameters;
    parameters = void 0;
  }
  return gather(
    octokit,
    [],
    iterator(octokit, route, parameters)[Symbol.asyncIterator](),
    mapFn
  );
}
function gather(octokit, results, iterator2, mapFn) {
  return iterator2.next().then((result) => {
    if (result.done) {
      return results;
    }
    let earlyExit = false;
    function done() {
      earlyExit = true;
    }
    results = results.concat(
      mapFn ? mapFn(result.value, done) : result.value.data
    );
    if (earlyExit) {
      return results;
    }
    return gather(octokit, results, iterator2, mapFn);
  });
}
var composePaginateRest = Object.assign(paginate, {
  iterator
});
function paginateRest(octokit) {
  return {
    paginate: Object.assign(paginate.bind(null, octokit), {
      iterator: iterator.bind(null, octokit)
    })
  };
}
paginateRest.VERSION = VERSION7;

// node_modules/@octokit/plugin-rest-endpoint-methods/dist-src/version.js
var VERSION8 = "17.0.0";

// node_modules/@octokit/plugin-rest-endpoint-methods/dist-src/generated/endpoints.js
var Endpoints = {
  actions: {
    addCustomLabelsToSelfHostedRunnerForOrg: [
      "POST /orgs/{org}/actions/runners/{runner_id}/labels"
    ],
    addCustomLabelsToSelfHostedRunnerForRepo: [
      "POST /repos/{owner}/{repo}/actions/runners/{runner_id}/labels"
    ],
    addRepoAccessToSelfHostedRunnerGroupInOrg: [
      "PUT /orgs/{org}/actions/runner-groups/{runner_group_id}/repositories/{repository_id}"
    ],
    addSelectedRepoToOrgSecret: [
      "PUT /orgs/{org}/actions/secrets/{secret_name}/repositories/{repository_id}"
    ],
    addSelectedRepoToOrgVariable: [
      "PUT /orgs/{org}/actions/variables/{name}/repositories/{repository_id}"
    ],
    approveWorkflowRun: [
      "POST /repos/{owner}/{repo}/actions/runs/{run_id}/approve"
    ],
    cancelWorkflowRun: [
      "POST /repos/{owner}/{repo}/actions/runs/{run_id}/cancel"
    ],
    createEnvironmentVariable: [
      "POST /repos/{owner}/{repo}/environments/{environment_name}/variables"
    ],
    createHostedRunnerForOrg: ["POST /orgs/{org}/actions/hosted-runners"],
    createOrUpdateEnvironmentSecret: [
      "PUT /repos/{owner}/{repo}/environments/{environment_name}/secrets/{secret_name}"
    ],
    createOrUpdateOrgSecret: ["PUT /orgs/{org}/actions/secrets/{secret_name}"],
    createOrUpdateRepoSecret: [
      "PUT /repos/{owner}/{repo}/actions/secrets/{secret_name}"
    ],
    createOrgVariable: ["POST /orgs/{org}/actions/variables"],
    createRegistrationTokenForOrg: [
      "POST /orgs/{org}/actions/runners/registration-token"
    ],
    createRegistrationTokenForRepo: [
      "POST /repos/{owner}/{repo}/actions/runners/registration-token"
    ],
    createRemoveTokenForOrg: ["POST /orgs/{org}/actions/runners/remove-token"],
    createRemoveTokenForRepo: [
      "POST /repos/{owner}/{repo}/actions/runners/remove-token"
    ],
    createRepoVariable: ["POST /repos/{owner}/{repo}/actions/variables"],
    createWorkflowDispatch: [
      "POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches"
    ],
    deleteActionsCacheById: [
      "DELETE /repos/{owner}/{repo}/actions/caches/{cache_id}"
    ],
    deleteActionsCacheByKey: [
      "DELETE /repos/{owner}/{repo}/actions/caches{?key,ref}"
    ],
    deleteArtifact: [
      "DELETE /repos/{owner}/{repo}/actions/artifacts/{artifact_id}"
    ],
    deleteCustomImageFromOrg: [
      "DELETE /orgs/{org}/actions/hosted-runners/images/custom/{image_definition_id}"
    ],
    deleteCustomImageVersionFromOrg: [
      "DELETE /orgs/{org}/actions/hosted-runners/images/custom/{image_definition_id}/versions/{version}"
    ],
    deleteEnvironmentSecret: [
      "DELETE /repos/{owner}/{repo}/environments/{environment_name}/secrets/{secret_name}"
    ],
    deleteEnvironmentVariable: [
      "DELETE /repos/{owner}/{repo}/environments/{environment_name}/variables/{name}"
    ],
    deleteHostedRunnerForOrg: [
      "DELETE /orgs/{org}/actions/hosted-runners/{hosted_runner_id}"
    ],
    deleteOrgSecret: ["DELETE /orgs/{org}/actions/secrets/{secret_name}"],
    deleteOrgVariable: ["DELETE /orgs/{org}/actions/variables/{name}"],
    deleteRepoSecret: [
      "DELETE /repos/{owner}/{repo}/actions/secrets/{secret_name}"
    ],
    deleteRepoVariable: [
      "DELETE /repos/{owner}/{repo}/actions/variables/{name}"
    ],
    deleteSelfHostedRunnerFromOrg: [
      "DELETE /orgs/{org}/actions/runners/{runner_id}"
    ],
    deleteSelfHostedRunnerFromRepo: [
      "DELETE /repos/{owner}/{repo}/actions/runners/{runner_id}"
    ],
    deleteWorkflowRun: ["DELETE /repos/{owner}/{repo}/actions/runs/{run_id}"],
    deleteWorkflowRunLogs: [
      "DELETE /repos/{owner}/{repo}/actions/runs/{run_id}/logs"
    ],
    disableSelectedRepositoryGithubActionsOrganization: [
      "DELETE /orgs/{org}/actions/permissions/repositories/{repository_id}"
    ],
    disableWorkflow: [
      "PUT /repos/{owner}/{repo}/actions/workflows/{workflow_id}/disable"
    ],
    downloadArtifact: [
      "GET /repos/{owner}/{repo}/actions/artifacts/{artifact_id}/{archive_format}"
    ],
    downloadJobLogsForWorkflowRun: [
      "GET /repos/{owner}/{repo}/actions/jobs/{job_id}/logs"
    ],
    downloadWorkflowRunAttemptLogs: [
      "GET /repos/{owner}/{repo}/actions/runs/{run_id}/attempts/{attempt_number}/logs"
    ],
    downloadWorkflowRunLogs: [
      "GET /repos/{owner}/{repo}/actions/runs/{run_id}/logs"
    ],
    enableSelectedRepositoryGithubActionsOrganization: [
      "PUT /orgs/{org}/actions/permissions/repositories/{repository_id}"
    ],
    enableWorkflow: [
      "PUT /repos/{owner}/{repo}/actions/workflows/{workflow_id}/enable"
    ],
    forceCancelWorkflowRun: [
      "POST /repos/{owner}/{repo}/actions/runs/{run_id}/force-cancel"
    ],
    generateRunnerJitconfigForOrg: [
      "POST /orgs/{org}/actions/runners/generate-jitconfig"
    ],
    generateRunnerJitconfigForRepo: [
      "POST /repos/{owner}/{repo}/actions/runners/generate-jitconfig"
    ],
    getActionsCacheList: ["GET /repos/{owner}/{repo}/actions/caches"],
    getActionsCacheUsage: ["GET /repos/{owner}/{repo}/actions/cache/usage"],
    getActionsCacheUsageByRepoForOrg: [
      "GET /orgs/{org}/actions/cache/usage-by-repository"
    ],
    getActionsCacheUsageForOrg: ["GET /orgs/{org}/actions/cache/usage"],
    getAllowedActionsOrganization: [
      "GET /orgs/{org}/actions/permissions/selected-actions"
    ],
    getAllowedActionsRepository: [
      "GET /repos/{owner}/{repo}/actions/permissions/selected-actions"
    ],
    getArtifact: ["GET /repos/{owner}/{repo}/actions/artifacts/{artifact_id}"],
    getCustomImageForOrg: [
      "GET /orgs/{org}/actions/hosted-runners/images/custom/{image_definition_id}"
    ],
    getCustomImageVersionForOrg: [
      "GET /orgs/{org}/actions/hosted-runners/images/custom/{image_definition_id}/versions/{version}"
    ],
    getCustomOidcSubClaimForRepo: [
      "GET /repos/{owner}/{repo}/actions/oidc/customization/sub"
    ],
    getEnvironmentPublicKey: [
      "GET /repos/{owner}/{repo}/environments/{environment_name}/secrets/public-key"
    ],
    getEnvironmentSecret: [
      "GET /repos/{owner}/{repo}/environments/{environment_name}/secrets/{secret_name}"
    ],
    getEnvironmentVariable: [
      "GET /repos/{owner}/{repo}/environments/{environment_name}/variables/{name}"
    ],
    getGithubActionsDefaultWorkflowPermissionsOrganization: [
      "GET /orgs/{org}/actions/permissions/workflow"
    ],
    getGithubActionsDefaultWorkflowPermissionsRepository: [
      "GET /repos/{owner}/{repo}/actions/permissions/workflow"
    ],
    getGithubActionsPermissionsOrganization: [
      "GET /orgs/{org}/actions/permissions"
    ],
    getGithubActionsPermissionsRepository: [
      "GET /repos/{owner}/{repo}/actions/permissions"
    ],
    getHostedRunnerForOrg: [
      "GET /orgs/{org}/actions/hosted-runners/{hosted_runner_id}"
    ],
    getHostedRunnersGithubOwnedImagesForOrg: [
      "GET /orgs/{org}/actions/hosted-runners/images/github-owned"
    ],
    getHostedRunnersLimitsForOrg: [
      "GET /orgs/{org}/actions/hosted-runners/limits"
    ],
    getHostedRunnersMachineSpecsForOrg: [
      "GET /orgs/{org}/actions/hosted-runners/machine-sizes"
    ],
    getHostedRunnersPartnerImagesForOrg: [
      "GET /orgs/{org}/actions/hosted-runners/images/partner"
    ],
    getHostedRunnersPlatformsForOrg: [
      "GET /orgs/{org}/actions/hosted-runners/platforms"
    ],
    getJobForWorkflowRun: ["GET /repos/{owner}/{repo}/actions/jobs/{job_id}"],
    getOrgPublicKey: ["GET /orgs/{org}/actions/secrets/public-key"],
    getOrgSecret: ["GET /orgs/{org}/actions/secrets/{secret_name}"],
    getOrgVariable: ["GET /orgs/{org}/actions/variables/{name}"],
    getPendingDeploymentsForRun: [
      "GET /repos/{owner}/{repo}/actions/runs/{run_id}/pending_deployments"
    ],
    getRepoPermissions: [
      "GET /repos/{owner}/{repo}/actions/permissions",
      {},
      { renamed: ["actions", "getGithubActionsPermissionsRepository"] }
    ],
    getRepoPublicKey: ["GET /repos/{owner}/{repo}/actions/secrets/public-key"],
    getRepoSecret: ["GET /repos/{owner}/{repo}/actions/secrets/{secret_name}"],
    getRepoVariable: ["GET /repos/{owner}/{repo}/actions/variables/{name}"],
    getReviewsForRun: [
      "GET /repos/{owner}/{repo}/actions/runs/{run_id}/approvals"
    ],
    getSelfHostedRunnerForOrg: ["GET /orgs/{org}/actions/runners/{runner_id}"],
    getSelfHostedRunnerForRepo: [
      "GET /repos/{owner}/{repo}/actions/runners/{runner_id}"
    ],
    getWorkflow: ["GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}"],
    getWorkflowAccessToRepository: [
      "GET /repos/{owner}/{repo}/actions/permissions/access"
    ],
    getWorkflowRun: ["GET /repos/{owner}/{repo}/actions/runs/{run_id}"],
    getWorkflowRunAttempt: [
      "GET /repos/{owner}/{repo}/actions/runs/{run_id}/attempts/{attempt_number}"
    ],
    getWorkflowRunUsage: [
      "GET /repos/{owner}/{repo}/actions/runs/{run_id}/timing"
    ],
    getWorkflowUsage: [
      "GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/timing"
    ],
    listArtifactsForRepo: ["GET /repos/{owner}/{repo}/actions/artifacts"],
    listCustomImageVersionsForOrg: [
      "GET /orgs/{org}/actions/hosted-runners/images/custom/{image_definition_id}/versions"
    ],
    listCustomImagesForOrg: [
      "GET /orgs/{org}/actions/hosted-runners/images/custom"
    ],
    listEnvironmentSecrets: [
      "GET /repos/{owner}/{repo}/environments/{environment_name}/secrets"
    ],
    listEnvironmentVariables: [
      "GET /repos/{owner}/{repo}/environments/{environment_name}/variables"
    ],
    listGithubHostedRunnersInGroupForOrg: [
      "GET /orgs/{org}/actions/runner-groups/{runner_group_id}/hosted-runners"
    ],
    listHostedRunnersForOrg: ["GET /orgs/{org}/actions/hosted-runners"],
    listJobsForWorkflowRun: [
      "GET /repos/{owner}/{repo}/actions/runs/{run_id}/jobs"
    ],
    listJobsForWorkflowRunAttempt: [
      "GET /repos/{owner}/{repo}/actions/runs/{run_id}/attempts/{attempt_number}/jobs"
    ],
    listLabelsForSelfHostedRunnerForOrg: [
      "GET /orgs/{org}/actions/runners/{runner_id}/labels"
    ],
    listLabelsForSelfHostedRunnerForRepo: [
      "GET /repos/{owner}/{repo}/actions/runners/{runner_id}/labels"
    ],
    listOrgSecrets: ["GET /orgs/{org}/actions/secrets"],
    listOrgVariables: ["GET /orgs/{org}/actions/variables"],
    listRepoOrganizationSecrets: [
      "GET /repos/{owner}/{repo}/actions/organization-secrets"
    ],
    listRepoOrganizationVariables: [
      "GET /repos/{owner}/{repo}/actions/organization-variables"
    ],
    listRepoSecrets: ["GET /repos/{owner}/{repo}/actions/secrets"],
    listRepoVariables: ["GET /repos/{owner}/{repo}/actions/variables"],
    listRepoWorkflows: ["GET /repos/{owner}/{repo}/actions/workflows"],
    listRunnerApplicationsForOrg: ["GET /orgs/{org}/actions/runners/downloads"],
    listRunnerApplicationsForRepo: [
      "GET /repos/{owner}/{repo}/actions/runners/downloads"
    ],
    listSelectedReposForOrgSecret: [
      "GET /orgs/{org}/actions/secrets/{secret_name}/repositories"
    ],
    listSelectedReposForOrgVariable: [
      "GET /orgs/{org}/actions/variables/{name}/repositories"
    ],
    listSelectedRepositoriesEnabledGithubActionsOrganization: [
      "GET /orgs/{org}/actions/permissions/repositories"
    ],
    listSelfHostedRunnersForOrg: ["GET /orgs/{org}/actions/runners"],
    listSelfHostedRunnersForRepo: ["GET /repos/{owner}/{repo}/actions/runners"],
    listWorkflowRunArtifacts: [
      "GET /repos/{owner}/{repo}/actions/runs/{run_id}/artifacts"
    ],
    listWorkflowRuns: [
      "GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs"
    ],
    listWorkflowRunsForRepo: ["GET /repos/{owner}/{repo}/actions/runs"],
    reRunJobForWorkflowRun: [
      "POST /repos/{owner}/{repo}/actions/jobs/{job_id}/rerun"
    ],
    reRunWorkflow: ["POST /repos/{owner}/{repo}/actions/runs/{run_id}/rerun"],
    reRunWorkflowFailedJobs: [
      "POST /repos/{owner}/{repo}/actions/runs/{run_id}/rerun-failed-jobs"
    ],
    removeAllCustomLabelsFromSelfHostedRunnerForOrg: [
      "DELETE /orgs/{org}/actions/runners/{runner_id}/labels"
    ],
    removeAllCustomLabelsFromSelfHostedRunnerForRepo: [
      "DELETE /repos/{owner}/{repo}/actions/runners/{runner_id}/labels"
    ],
    removeCustomLabelFromSelfHostedRunnerForOrg: [
      "DELETE /orgs/{org}/actions/runners/{runner_id}/labels/{name}"
    ],
    removeCustomLabelFromSelfHostedRunnerForRepo: [
      "DELETE /repos/{owner}/{repo}/actions/runners/{runner_id}/labels/{name}"
    ],
    removeSelectedRepoFromOrgSecret: [
      "DELETE /orgs/{org}/actions/secrets/{secret_name}/repositories/{repository_id}"
    ],
    removeSelectedRepoFromOrgVariable: [
      "DELETE /orgs/{org}/actions/variables/{name}/repositories/{repository_id}"
    ],
    reviewCustomGatesForRun: [
      "POST /repos/{owner}/{repo}/actions/runs/{run_id}/deployment_protection_rule"
    ],
    reviewPendingDeploymentsForRun: [
      "POST /repos/{owner}/{repo}/actions/runs/{run_id}/pending_deployments"
    ],
    setAllowedActionsOrganization: [
      "PUT /orgs/{org}/actions/permissions/selected-actions"
    ],
    setAllowedActionsRepository: [
      "PUT /repos/{owner}/{repo}/actions/permissions/selected-actions"
    ],
    setCustomLabelsForSelfHostedRunnerForOrg: [
      "PUT /orgs/{org}/actions/runners/{runner_id}/labels"
    ],
    setCustomLabelsForSelfHostedRunnerForRepo: [
      "PUT /repos/{owner}/{repo}/actions/runners/{runner_id}/labels"
    ],
    setCustomOidcSubClaimForRepo: [
      "PUT /repos/{owner}/{repo}/actions/oidc/customization/sub"
    ],
    setGithubActionsDefaultWorkflowPermissionsOrganization: [
      "PUT /orgs/{org}/actions/permissions/workflow"
    ],
    setGithubActionsDefaultWorkflowPermissionsRepository: [
      "PUT /repos/{owner}/{repo}/actions/permissions/workflow"
    ],
    setGithubActionsPermissionsOrganization: [
      "PUT /orgs/{org}/actions/permissions"
    ],
    setGithubActionsPermissionsRepository: [
      "PUT /repos/{owner}/{repo}/actions/permissions"
    ],
    setSelectedReposForOrgSecret: [
      "PUT /orgs/{org}/actions/secrets/{secret_name}/repositories"
    ],
    setSelectedReposForOrgVariable: [
      "PUT /orgs/{org}/actions/variables/{name}/repositories"
    ],
    setSelectedRepositoriesEnabledGithubActionsOrganization: [
      "PUT /orgs/{org}/actions/permissions/repositories"
    ],
    setWorkflowAccessToRepository: [
      "PUT /repos/{owner}/{repo}/actions/permissions/access"
    ],
    updateEnvironmentVariable: [
      "PATCH /repos/{owner}/{repo}/environments/{environment_name}/variables/{name}"
    ],
    updateHostedRunnerForOrg: [
      "PATCH /orgs/{org}/actions/hosted-runners/{hosted_runner_id}"
    ],
    updateOrgVariable: ["PATCH /orgs/{org}/actions/variables/{name}"],
    updateRepoVariable: [
      "PATCH /repos/{owner}/{repo}/actions/variables/{name}"
    ]
  },
  activity: {
    checkRepoIsStarredByAuthenticatedUser: ["GET /user/starred/{owner}/{repo}"],
    deleteRepoSubscription: ["DELETE /repos/{owner}/{repo}/subscription"],
    deleteThreadSubscription: [
      "DELETE /notifications/threads/{thread_id}/subscription"
    ],
    getFeeds: ["GET /feeds"],
    getRepoSubscription: ["GET /repos/{owner}/{repo}/subscription"],
    getThread: ["GET /notifications/threads/{thread_id}"],
    getThreadSubscriptionForAuthenticatedUser: [
      "GET /notifications/threads/{thread_id}/subscription"
    ],
    listEventsForAuthenticatedUser: ["GET /users/{username}/events"],
    listNotificationsForAuthenticatedUser: ["GET /notifications"],
    listOrgEventsForAuthenticatedUser: [
      "GET /users/{username}/events/orgs/{org}"
    ],
    listPublicEvents: ["GET /events"],
    listPublicEventsForRepoNetwork: ["GET /networks/{owner}/{repo}/events"],
    listPublicEventsForUser: ["GET /users/{username}/events/public"],
    listPublicOrgEvents: ["GET /orgs/{org}/events"],
    listReceivedEventsForUser: ["GET /users/{username}/received_events"],
    listReceivedPublicEventsForUser: [
      "GET /users/{username}/received_events/public"
    ],
    listRepoEvents: ["GET /repos/{owner}/{repo}/events"],
    listRepoNotificationsForAuthenticatedUser: [
      "GET /repos/{owner}/{repo}/notifications"
    ],
    listReposStarredByAuthenticatedUser: ["GET /user/starred"],
    listReposStarredByUser: ["GET /users/{username}/starred"],
    listReposWatchedByUser: ["GET /users/{username}/subscriptions"],
    listStargazersForRepo: ["GET /repos/{owner}/{repo}/stargazers"],
    listWatchedReposForAuthenticatedUser: ["GET /user/subscriptions"],
    listWatchersForRepo: ["GET /repos/{owner}/{repo}/subscribers"],
    markNotificationsAsRead: ["PUT /notifications"],
    markRepoNotificationsAsRead: ["PUT /repos/{owner}/{repo}/notifications"],
    markThreadAsDone: ["DELETE /notifications/threads/{thread_id}"],
    markThreadAsRead: ["PATCH /notifications/threads/{thread_id}"],
    setRepoSubscription: ["PUT /repos/{owner}/{repo}/subscription"],
    setThreadSubscription: [
      "PUT /notifications/threads/{thread_id}/subscription"
    ],
    starRepoForAuthenticatedUser: ["PUT /user/starred/{owner}/{repo}"],
    unstarRepoForAuthenticatedUser: ["DELETE /user/starred/{owner}/{repo}"]
  },
  apps: {
    addRepoToInstallation: [
      "PUT /user/installations/{installation_id}/repositories/{repository_id}",
      {},
      { renamed: ["apps", "addRepoToInstallationForAuthenticatedUser"] }
    ],
    addRepoToInstallationForAuthenticatedUser: [
      "PUT /user/installations/{installation_id}/repositories/{repository_id}"
    ],
    checkToken: ["POST /applications/{client_id}/token"],
    createFromManifest: ["POST /app-manifests/{code}/conversions"],
    createInstallationAccessToken: [
      "POST /app/installations/{installation_id}/access_tokens"
    ],
    deleteAuthorization: ["DELETE /applications/{client_id}/grant"],
    deleteInstallation: ["DELETE /app/installations/{installation_id}"],
    deleteToken: ["DELETE /applications/{client_id}/token"],
    getAuthenticated: ["GET /app"],
    getBySlug: ["GET /apps/{app_slug}"],
    getInstallation: ["GET /app/installations/{installation_id}"],
    getOrgInstallation: ["GET /orgs/{org}/installation"],
    getRepoInstallation: ["GET /repos/{owner}/{repo}/installation"],
    getSubscriptionPlanForAccount: [
      "GET /marketplace_listing/accounts/{account_id}"
    ],
    getSubscriptionPlanForAccountStubbed: [
      "GET /marketplace_listing/stubbed/accounts/{account_id}"
    ],
    getUserInstallation: ["GET /users/{username}/installation"],
    getWebhookConfigForApp: ["GET /app/hook/config"],
    getWebhookDelivery: ["GET /app/hook/deliveries/{delivery_id}"],
    listAccountsForPlan: ["GET /marketplace_listing/plans/{plan_id}/accounts"],
    listAccountsForPlanStubbed: [
      "GET /marketplace_listing/stubbed/plans/{plan_id}/accounts"
    ],
    listInstallationReposForAuthenticatedUser: [
      "GET /user/installations/{installation_id}/repositories"
    ],
    listInstallationRequestsForAuthenticatedApp: [
      "GET /app/installation-requests"
    ],
    listInstallations: ["GET /app/installations"],
    listInstallationsForAuthenticatedUser: ["GET /user/installations"],
    listPlans: ["GET /marketplace_listing/plans"],
    listPlansStubbed: ["GET /marketplace_listing/stubbed/plans"],
    listReposAccessibleToInstallation: ["GET /installation/repositories"],
    listSubscriptionsForAuthenticatedUser: ["GET /user/marketplace_purchases"],
    listSubscriptionsForAuthenticatedUserStubbed: [
      "GET /user/marketplace_purchases/stubbed"
    ],
    listWebhookDeliveries: ["GET /app/hook/deliveries"],
    redeliverWebhookDelivery: [
      "POST /app/hook/deliveries/{delivery_id}/attempts"
    ],
    removeRepoFromInstallation: [
      "DELETE /user/installations/{installation_id}/repositories/{repository_id}",
      {},
      { renamed: ["apps", "removeRepoFromInstallationForAuthenticatedUser"] }
    ],
    removeRepoFromInstallationForAuthenticatedUser: [
      "DELETE /user/installations/{installation_id}/repositories/{repository_id}"
    ],
    resetToken: ["PATCH /applications/{client_id}/token"],
    revokeInstallationAccessToken: ["DELETE /installation/token"],
    scopeToken: ["POST /applications/{client_id}/token/scoped"],
    suspendInstallation: ["PUT /app/installations/{installation_id}/suspended"],
    unsuspendInstallation: [
      "DELETE /app/installations/{installation_id}/suspended"
    ],
    updateWebhookConfigForApp: ["PATCH /app/hook/config"]
  },
  billing: {
    getGithubActionsBillingOrg: ["GET /orgs/{org}/settings/billing/actions"],
    getGithubActionsBillingUser: [
      "GET /users/{username}/settings/billing/actions"
    ],
    getGithubBillingPremiumRequestUsageReportOrg: [
      "GET /organizations/{org}/settings/billing/premium_request/usage"
    ],
    getGithubBillingPremiumRequestUsageReportUser: [
      "GET /users/{username}/settings/billing/premium_request/usage"
    ],
    getGithubBillingUsageReportOrg: [
      "GET /organizations/{org}/settings/billing/usage"
    ],
    getGithubBillingUsageReportUser: [
      "GET /users/{username}/settings/billing/usage"
    ],
    getGithubPackagesBillingOrg: ["GET /orgs/{org}/settings/billing/packages"],
    getGithubPackagesBillingUser: [
      "GET /users/{username}/settings/billing/packages"
    ],
    getSharedStorageBillingOrg: [
      "GET /orgs/{org}/settings/billing/shared-storage"
    ],
    getSharedStorageBillingUser: [
      "GET /users/{username}/settings/billing/shared-storage"
    ]
  },
  campaigns: {
    createCampaign: ["POST /orgs/{org}/campaigns"],
    deleteCampaign: ["DELETE /orgs/{org}/campaigns/{campaign_number}"],
    getCampaignSummary: ["GET /orgs/{org}/campaigns/{campaign_number}"],
    listOrgCampaigns: ["GET /orgs/{org}/campaigns"],
    updateCampaign: ["PATCH /orgs/{org}/campaigns/{campaign_number}"]
  },
  checks: {
    create: ["POST /repos/{owner}/{repo}/check-runs"],
    createSuite: ["POST /repos/{owner}/{repo}/check-suites"],
    get: ["GET /repos/{owner}/{repo}/check-runs/{check_run_id}"],
    getSuite: ["GET /repos/{owner}/{repo}/check-suites/{check_suite_id}"],
    listAnnotations: [
      "GET /repos/{owner}/{repo}/check-runs/{check_run_id}/annotations"
    ],
    listForRef: ["GET /repos/{owner}/{repo}/commits/{ref}/check-runs"],
    listForSuite: [
      "GET /repos/{owner}/{repo}/check-suites/{check_suite_id}/check-runs"
    ],
    listSuitesForRef: ["GET /repos/{owner}/{repo}/commits/{ref}/check-suites"],
    rerequestRun: [
      "POST /repos/{owner}/{repo}/check-runs/{check_run_id}/rerequest"
    ],
    rerequestSuite: [
      "POST /repos/{owner}/{repo}/check-suites/{check_suite_id}/rerequest"
    ],
    setSuitesPreferences: [
      "PATCH /repos/{owner}/{repo}/check-suites/preferences"
    ],
    update: ["PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}"]
  },
  codeScanning: {
    commitAutofix: [
      "POST /repos/{owner}/{repo}/code-scanning/alerts/{alert_number}/autofix/commits"
    ],
    createAutofix: [
      "POST /repos/{owner}/{repo}/code-scanning/alerts/{alert_number}/autofix"
    ],
    createVariantAnalysis: [
      "POST /repos/{owner}/{repo}/code-scanning/codeql/variant-analyses"
    ],
    deleteAnalysis: [
      "DELETE /repos/{owner}/{repo}/code-scanning/analyses/{analysis_id}{?confirm_delete}"
    ],
    deleteCodeqlDatabase: [
      "DELETE /repos/{owner}/{repo}/code-scanning/codeql/databases/{language}"
    ],
    getAlert: [
      "GET /repos/{owner}/{repo}/code-scanning/alerts/{alert_number}",
      {},
      { renamedParameters: { alert_id: "alert_number" } }
    ],
    getAnalysis: [
      "GET /repos/{owner}/{repo}/code-scanning/analyses/{analysis_id}"
    ],
    getAutofix: [
      "GET /repos/{owner}/{repo}/code-scanning/alerts/{alert_number}/autofix"
    ],
    getCodeqlDatabase: [
      "GET /repos/{owner}/{repo}/code-scanning/codeql/databases/{language}"
    ],
    getDefaultSetup: ["GET /repos/{owner}/{repo}/code-scanning/default-setup"],
    getSarif: ["GET /repos/{owner}/{repo}/code-scanning/sarifs/{sarif_id}"],
    getVariantAnalysis: [
      "GET /repos/{owner}/{repo}/code-scanning/codeql/variant-analyses/{codeql_variant_analysis_id}"
    ],
    getVariantAnalysisRepoTask: [
      "GET /repos/{owner}/{repo}/code-scanning/codeql/variant-analyses/{codeql_variant_analysis_id}/repos/{repo_owner}/{repo_name}"
    ],
    listAlertInstances: [
      "GET /repos/{owner}/{repo}/code-scanning/alerts/{alert_number}/instances"
    ],
    listAlertsForOrg: ["GET /orgs/{org}/code-scanning/alerts"],
    listAlertsForRepo: ["GET /repos/{owner}/{repo}/code-scanning/alerts"],
    listAlertsInstances: [
      "GET /repos/{owner}/{repo}/code-scanning/alerts/{alert_number}/instances",
      {},
      { renamed: ["codeScanning", "listAlertInstances"] }
    ],
    listCodeqlDatabases: [
      "GET /repos/{owner}/{repo}/code-scanning/codeql/databases"
    ],
    listRecentAnalyses: ["GET /repos/{owner}/{repo}/code-scanning/analyses"],
    updateAlert: [
      "PATCH /repos/{owner}/{repo}/code-scanning/alerts/{alert_number}"
    ],
    updateDefaultSetup: [
      "PATCH /repos/{owner}/{repo}/code-scanning/default-setup"
    ],
    uploadSarif: ["POST /repos/{owner}/{repo}/code-scanning/sarifs"]
  },
  codeSecurity: {
    attachConfiguration: [
      "POST /orgs/{org}/code-security/configurations/{configuration_id}/attach"
    ],
    attachEnterpriseConfiguration: [
      "POST /enterprises/{enterprise}/code-security/configurations/{configuration_id}/attach"
    ],
    createConfiguration: ["POST /orgs/{org}/code-security/configurations"],
    createConfigurationForEnterprise: [
      "POST /enterprises/{enterprise}/code-security/configurations"
    ],
    deleteConfiguration: [
      "DELETE /orgs/{org}/code-security/configurations/{configuration_id}"
    ],
    deleteConfigurationForEnterprise: [
      "DELETE /enterprises/{enterprise}/code-security/configurations/{configuration_id}"
    ],
    detachConfiguration: [
      "DELETE /orgs/{org}/code-security/configurations/detach"
    ],
    getConfiguration: [
      "GET /orgs/{org}/code-security/configurations/{configuration_id}"
    ],
    getConfigurationForRepository: [
      "GET /repos/{owner}/{repo}/code-security-configuration"
    ],
    getConfigurationsForEnterprise: [
      "GET /enterprises/{enterprise}/code-security/configurations"
    ],
    getConfigurationsForOrg: ["GET /orgs/{org}/code-security/configurations"],
    getDefaultConfigurations: [
      "GET /orgs/{org}/code-security/configurations/defaults"
    ],
    getDefaultConfigurationsForEnterprise: [
      "GET /enterprises/{enterprise}/code-security/configurations/defaults"
    ],
    getRepositoriesForConfiguration: [
      "GET /orgs/{org}/code-security/configurations/{configuration_id}/repositories"
    ],
    getRepositoriesForEnterpriseConfiguration: [
      "GET /enterprises/{enterprise}/code-security/configurations/{configuration_id}/repositories"
    ],
    getSingleConfigurationForEnterprise: [
      "GET /enterprises/{enterprise}/code-security/configurations/{configuration_id}"
    ],
    setConfigurationAsDefault: [
      "PUT /orgs/{org}/code-security/configurations/{configuration_id}/defaults"
    ],
    setConfigurationAsDefaultForEnterprise: [
      "PUT /enterprises/{enterprise}/code-security/configurations/{configuration_id}/defaults"
    ],
    updateConfiguration: [
      "PATCH /orgs/{org}/code-security/configurations/{configuration_id}"
    ],
    updateEnterpriseConfiguration: [
      "PATCH /enterprises/{enterprise}/code-security/configurations/{configuration_id}"
    ]
  },
  codesOfConduct: {
    getAllCodesOfConduct: ["GET /codes_of_conduct"],
    getConductCode: ["GET /codes_of_conduct/{key}"]
  },
  codespaces: {
    addRepositoryForSecretForAuthenticatedUser: [
      "PUT /user/codespaces/secrets/{secret_name}/repositories/{repository_id}"
    ],
    addSelectedRepoToOrgSecret: [
      "PUT /orgs/{org}/codespaces/secrets/{secret_name}/repositories/{repository_id}"
    ],
    checkPermissionsForDevcontainer: [
      "GET /repos/{owner}/{repo}/codespaces/permissions_check"
    ],
    codespaceMachinesForAuthenticatedUser: [
      "GET /user/codespaces/{codespace_name}/machines"
    ],
    createForAuthenticatedUser: ["POST /user/codespaces"],
    createOrUpdateOrgSecret: [
      "PUT /orgs/{org}/codespaces/secrets/{secret_name}"
    ],
    createOrUpdateRepoSecret: [
      "PUT /repos/{owner}/{repo}/codespaces/secrets/{secret_name}"
    ],
    createOrUpdateSecretForAuthenticatedUser: [
      "PUT /user/codespaces/secrets/{secret_name}"
    ],
    createWithPrForAuthenticatedUser: [
      "POST /repos/{owner}/{repo}/pulls/{pull_number}/codespaces"
    ],
    createWithRepoForAuthenticatedUser: [
      "POST /repos/{owner}/{repo}/codespaces"
    ],
    deleteForAuthenticatedUser: ["DELETE /user/codespaces/{codespace_name}"],
    deleteFromOrganization: [
      "DELETE /orgs/{org}/members/{username}/codespaces/{codespace_name}"
    ],
    deleteOrgSecret: ["DELETE /orgs/{org}/codespaces/secrets/{secret_name}"],
    deleteRepoSecret: [
      "DELETE /repos/{owner}/{repo}/codespaces/secrets/{secret_name}"
    ],
    deleteSecretForAuthenticatedUser: [
      "DELETE /user/codespaces/secrets/{secret_name}"
    ],
    exportForAuthenticatedUser: [
      "POST /user/codespaces/{codespace_name}/exports"
    ],
    getCodespacesForUserInOrg: [
      "GET /orgs/{org}/members/{username}/codespaces"
    ],
    getExportDetailsForAuthenticatedUser: [
      "GET /user/codespaces/{codespace_name}/exports/{export_id}"
    ],
    getForAuthenticatedUser: ["GET /user/codespaces/{codespace_name}"],
    getOrgPublicKey: ["GET /orgs/{org}/codespaces/secrets/public-key"],
    getOrgSecret: ["GET /orgs/{org}/codespaces/secrets/{secret_name}"],
    getPublicKeyForAuthenticatedUser: [
      "GET /user/codespaces/secrets/public-key"
    ],
    getRepoPublicKey: [
      "GET /repos/{owner}/{repo}/codespaces/secrets/public-key"
    ],
    getRepoSecret: [
      "GET /repos/{owner}/{repo}/codespaces/secrets/{secret_name}"
    ],
    getSecretForAuthenticatedUser: [
      "GET /user/codespaces/secrets/{secret_name}"
    ],
    listDevcontainersInRepositoryForAuthenticatedUser: [
      "GET /repos/{owner}/{repo}/codespaces/devcontainers"
    ],
    listForAuthenticatedUser: ["GET /user/codespaces"],
    listInOrganization: [
      "GET /orgs/{org}/codespaces",
      {},
      { renamedParameters: { org_id: "org" } }
    ],
    listInRepositoryForAuthenticatedUser: [
      "GET /repos/{owner}/{repo}/codespaces"
    ],
    listOrgSecrets: ["GET /orgs/{org}/codespaces/secrets"],
    listRepoSecrets: ["GET /repos/{owner}/{repo}/codespaces/secrets"],
    listRepositoriesForSecretForAuthenticatedUser: [
      "GET /user/codespaces/secrets/{secret_name}/repositories"
    ],
    listSecretsForAuthenticatedUser: ["GET /user/codespaces/secrets"],
    listSelectedReposForOrgSecret: [
      "GET /orgs/{org}/codespaces/secrets/{secret_name}/repositories"
    ],
    preFlightWithRepoForAuthenticatedUser: [
      "GET /repos/{owner}/{repo}/codespaces/new"
    ],
    publishForAuthenticatedUser: [
      "POST /user/codespaces/{codespace_name}/publish"
    ],
    removeRepositoryForSecretForAuthenticatedUser: [
      "DELETE /user/codespaces/secrets/{secret_name}/repositories/{repository_id}"
    ],
    removeSelectedRepoFromOrgSecret: [
      "DELETE /orgs/{org}/codespaces/secrets/{secret_name}/repositories/{repository_id}"
    ],
    repoMachinesForAuthenticatedUser: [
      "GET /repos/{owner}/{repo}/codespaces/machines"
    ],
    setRepositoriesForSecretForAuthenticatedUser: [
      "PUT /user/codespaces/secrets/{secret_name}/repositories"
    ],
    setSelectedReposForOrgSecret: [
      "PUT /orgs/{org}/codespaces/secrets/{secret_name}/repositories"
    ],
    startForAuthenticatedUser: ["POST /user/codespaces/{codespace_name}/start"],
    stopForAuthenticatedUser: ["POST /user/codespaces/{codespace_name}/stop"],
    stopInOrganization: [
      "POST /orgs/{org}/members/{username}/codespaces/{codespace_name}/stop"
    ],
    updateForAuthenticatedUser: ["PATCH /user/codespaces/{codespace_name}"]
  },
  copilot: {
    addCopilotSeatsForTeams: [
      "POST /orgs/{org}/copilot/billing/selected_teams"
    ],
    addCopilotSeatsForUsers: [
      "POST /orgs/{org}/copilot/billing/selected_users"
    ],
    cancelCopilotSeatAssignmentForTeams: [
      "DELETE /orgs/{org}/copilot/billing/selected_teams"
    ],
    cancelCopilotSeatAssignmentForUsers: [
      "DELETE /orgs/{org}/copilot/billing/selected_users"
    ],
    copilotMetricsForOrganization: ["GET /orgs/{org}/copilot/metrics"],
    copilotMetricsForTeam: ["GET /orgs/{org}/team/{team_slug}/copilot/metrics"],
    getCopilotOrganizationDetails: ["GET /orgs/{org}/copilot/billing"],
    getCopilotSeatDetailsForUser: [
      "GET /orgs/{org}/members/{username}/copilot"
    ],
    listCopilotSeats: ["GET /orgs/{org}/copilot/billing/seats"]
  },
  credentials: { revoke: ["POST /credentials/revoke"] },
  dependabot: {
    addSelectedRepoToOrgSecret: [
      "PUT /orgs/{org}/dependabot/secrets/{secret_name}/repositories/{repository_id}"
    ],
    createOrUpdateOrgSecret: [
      "PUT /orgs/{org}/dependabot/secrets/{secret_name}"
    ],
    createOrUpdateRepoSecret: [
      "PUT /repos/{owner}/{repo}/dependabot/secrets/{secret_name}"
    ],
    deleteOrgSecret: ["DELETE /orgs/{org}/dependabot/secrets/{secret_name}"],
    deleteRepoSecret: [
      "DELETE /repos/{owner}/{repo}/dependabot/secrets/{secret_name}"
    ],
    getAlert: ["GET /repos/{owner}/{repo}/dependabot/alerts/{alert_number}"],
    getOrgPublicKey: ["GET /orgs/{org}/dependabot/secrets/public-key"],
    getOrgSecret: ["GET /orgs/{org}/dependabot/secrets/{secret_name}"],
    getRepoPublicKey: [
      "GET /repos/{owner}/{repo}/dependabot/secrets/public-key"
    ],
    getRepoSecret: [
      "GET /repos/{owner}/{repo}/dependabot/secrets/{secret_name}"
    ],
    listAlertsForEnterprise: [
      "GET /enterprises/{enterprise}/dependabot/alerts"
    ],
    listAlertsForOrg: ["GET /orgs/{org}/dependabot/alerts"],
    listAlertsForRepo: ["GET /repos/{owner}/{repo}/dependabot/alerts"],
    listOrgSecrets: ["GET /orgs/{org}/dependabot/secrets"],
    listRepoSecrets: ["GET /repos/{owner}/{repo}/dependabot/secrets"],
    listSelectedReposForOrgSecret: [
      "GET /orgs/{org}/dependabot/secrets/{secret_name}/repositories"
    ],
    removeSelectedRepoFromOrgSecret: [
      "DELETE /orgs/{org}/dependabot/secrets/{secret_name}/repositories/{repository_id}"
    ],
    repositoryAccessForOrg: [
      "GET /organizations/{org}/dependabot/repository-access"
    ],
    setRepositoryAccessDefaultLevel: [
      "PUT /organizations/{org}/dependabot/repository-access/default-level"
    ],
    setSelectedReposForOrgSecret: [
      "PUT /orgs/{org}/dependabot/secrets/{secret_name}/repositories"
    ],
    updateAlert: [
      "PATCH /repos/{owner}/{repo}/dependabot/alerts/{alert_number}"
    ],
    updateRepositoryAccessForOrg: [
      "PATCH /organizations/{org}/dependabot/repository-access"
    ]
  },
  dependencyGraph: {
    createRepositorySnapshot: [
      "POST /repos/{owner}/{repo}/dependency-graph/snapshots"
    ],
    diffRange: [
      "GET /repos/{owner}/{repo}/dependency-graph/compare/{basehead}"
    ],
    exportSbom: ["GET /repos/{owner}/{repo}/dependency-graph/sbom"]
  },
  emojis: { get: ["GET /emojis"] },
  enterpriseTeamMemberships: {
    add: [
      "PUT /enterprises/{enterprise}/teams/{enterprise-team}/memberships/{username}"
    ],
    bulkAdd: [
      "POST /enterprises/{enterprise}/teams/{enterprise-team}/memberships/add"
    ],
    bulkRemove: [
      "POST /enterprises/{enterprise}/teams/{enterprise-team}/memberships/remove"
    ],
    get: [
      "GET /enterprises/{enterprise}/teams/{enterprise-team}/memberships/{username}"
    ],
    list: ["GET /enterprises/{enterprise}/teams/{enterprise-team}/memberships"],
    remove: [
      "DELETE /enterprises/{enterprise}/teams/{enterprise-team}/memberships/{username}"
    ]
  },
  enterpriseTeamOrganizations: {
    add: [
      "PUT /enterprises/{enterprise}/teams/{enterprise-team}/organizations/{org}"
    ],
    bulkAdd: [
      "POST /enterprises/{enterprise}/teams/{enterprise-team}/organizations/add"
    ],
    bulkRemove: [
      "POST /enterprises/{enterprise}/teams/{enterprise-team}/organizations/remove"
    ],
    delete: [
      "DELETE /enterprises/{enterprise}/teams/{enterprise-team}/organizations/{org}"
    ],
    getAssignment: [
      "GET /enterprises/{enterprise}/teams/{enterprise-team}/organizations/{org}"
    ],
    getAssignments: [
      "GET /enterprises/{enterprise}/teams/{enterprise-team}/organizations"
    ]
  },
  enterpriseTeams: {
    create: ["POST /enterprises/{enterprise}/teams"],
    delete: ["DELETE /enterprises/{enterprise}/teams/{team_slug}"],
    get: ["GET /enterprises/{enterprise}/teams/{team_slug}"],
    list: ["GET /enterprises/{enterprise}/teams"],
    update: ["PATCH /enterprises/{enterprise}/teams/{team_slug}"]
  },
  gists: {
    checkIsStarred: ["GET /gists/{gist_id}/star"],
    create: ["POST /gists"],
    createComment: ["POST /gists/{gist_id}/comments"],
    delete: ["DELETE /gists/{gist_id}"],
    deleteComment: ["DELETE /gists/{gist_id}/comments/{comment_id}"],
    fork: ["POST /gists/{gist_id}/forks"],
    get: ["GET /gists/{gist_id}"],
    getComment: ["GET /gists/{gist_id}/comments/{comment_id}"],
    getRevision: ["GET /gists/{gist_id}/{sha}"],
    list: ["GET /gists"],
    listComments: ["GET /gists/{gist_id}/comments"],
    listCommits: ["GET /gists/{gist_id}/commits"],
    listForUser: ["GET /users/{username}/gists"],
    listForks: ["GET /gists/{gist_id}/forks"],
    listPublic: ["GET /gists/public"],
    listStarred: ["GET /gists/starred"],
    star: ["PUT /gists/{gist_id}/star"],
    unstar: ["DELETE /gists/{gist_id}/star"],
    update: ["PATCH /gists/{gist_id}"],
    updateComment: ["PATCH /gists/{gist_id}/comments/{comment_id}"]
  },
  git: {
    createBlob: ["POST /repos/{owner}/{repo}/git/blobs"],
    createCommit: ["POST /repos/{owner}/{repo}/git/commits"],
    createRef: ["POST /repos/{owner}/{repo}/git/refs"],
    createTag: ["POST /repos/{owner}/{repo}/git/tags"],
    createTree: ["POST /repos/{owner}/{repo}/git/trees"],
    deleteRef: ["DELETE /repos/{owner}/{repo}/git/refs/{ref}"],
    getBlob: ["GET /repos/{owner}/{repo}/git/blobs/{file_sha}"],
    getCommit: ["GET /repos/{owner}/{repo}/git/commits/{commit_sha}"],
    getRef: ["GET /repos/{owner}/{repo}/git/ref/{ref}"],
    getTag: ["GET /repos/{owner}/{repo}/git/tags/{tag_sha}"],
    getTree: ["GET /repos/{owner}/{repo}/git/trees/{tree_sha}"],
    listMatchingRefs: ["GET /repos/{owner}/{repo}/git/matching-refs/{ref}"],
    updateRef: ["PATCH /repos/{owner}/{repo}/git/refs/{ref}"]
  },
  gitignore: {
    getAllTemplates: ["GET /gitignore/templates"],
    getTemplate: ["GET /gitignore/templates/{name}"]
  },
  hostedCompute: {
    createNetworkConfigurationForOrg: [
      "POST /orgs/{org}/settings/network-configurations"
    ],
    deleteNetworkConfigurationFromOrg: [
      "DELETE /orgs/{org}/settings/network-configurations/{network_configuration_id}"
    ],
    getNetworkConfigurationForOrg: [
      "GET /orgs/{org}/settings/network-configurations/{network_configuration_id}"
    ],
    getNetworkSettingsForOrg: [
      "GET /orgs/{org}/settings/network-settings/{network_settings_id}"
    ],
    listNetworkConfigurationsForOrg: [
      "GET /orgs/{org}/settings/network-configurations"
    ],
    updateNetworkConfigurationForOrg: [
      "PATCH /orgs/{org}/settings/network-configurations/{network_configuration_id}"
    ]
  },
  interactions: {
    getRestrictionsForAuthenticatedUser: ["GET /user/interaction-limits"],
    getRestrictionsForOrg: ["GET /orgs/{org}/interaction-limits"],
    getRestrictionsForRepo: ["GET /repos/{owner}/{repo}/interaction-limits"],
    getRestrictionsForYourPublicRepos: [
      "GET /user/interaction-limits",
      {},
      { renamed: ["interactions", "getRestrictionsForAuthenticatedUser"] }
    ],
    removeRestrictionsForAuthenticatedUser: ["DELETE /user/interaction-limits"],
    removeRestrictionsForOrg: ["DELETE /orgs/{org}/interaction-limits"],
    removeRestrictionsForRepo: [
      "DELETE /repos/{owner}/{repo}/interaction-limits"
    ],
    removeRestrictionsForYourPublicRepos: [
      "DELETE /user/interaction-limits",
      {},
      { renamed: ["interactions", "removeRestrictionsForAuthenticatedUser"] }
    ],
    setRestrictionsForAuthenticatedUser: ["PUT /user/interaction-limits"],
    setRestrictionsForOrg: ["PUT /orgs/{org}/interaction-limits"],
    setRestrictionsForRepo: ["PUT /repos/{owner}/{repo}/interaction-limits"],
    setRestrictionsForYourPublicRepos: [
      "PUT /user/interaction-limits",
      {},
      { renamed: ["interactions", "setRestrictionsForAuthenticatedUser"] }
    ]
  },
  issues: {
    addAssignees: [
      "POST /repos/{owner}/{repo}/issues/{issue_number}/assignees"
    ],
    addBlockedByDependency: [
      "POST /repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocked_by"
    ],
    addLabels: ["POST /repos/{owner}/{repo}/issues/{issue_number}/labels"],
    addSubIssue: [
      "POST /repos/{owner}/{repo}/issues/{issue_number}/sub_issues"
    ],
    checkUserCanBeAssigned: ["GET /repos/{owner}/{repo}/assignees/{assignee}"],
    checkUserCanBeAssignedToIssue: [
      "GET /repos/{owner}/{repo}/issues/{issue_number}/assignees/{assignee}"
    ],
    create: ["POST /repos/{owner}/{repo}/issues"],
    createComment: [
      "POST /repos/{owner}/{repo}/issues/{issue_number}/comments"
    ],
    createLabel: ["POST /repos/{owner}/{repo}/labels"],
    createMilestone: ["POST /repos/{owner}/{repo}/milestones"],
    deleteComment: [
      "DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}"
    ],
    deleteLabel: ["DELETE /repos/{owner}/{repo}/labels/{name}"],
    deleteMilestone: [
      "DELETE /repos/{owner}/{repo}/milestones/{milestone_number}"
    ],
    get: ["GET /repos/{owner}/{repo}/issues/{issue_number}"],
    getComment: ["GET /repos/{owner}/{repo}/issues/comments/{comment_id}"],
    getEvent: ["GET /repos/{owner}/{repo}/issues/events/{event_id}"],
    getLabel: ["GET /repos/{owner}/{repo}/labels/{name}"],
    getMilestone: ["GET /repos/{owner}/{repo}/milestones/{milestone_number}"],
    getParent: ["GET /repos/{owner}/{repo}/issues/{issue_number}/parent"],
    list: ["GET /issues"],
    listAssignees: ["GET /repos/{owner}/{repo}/assignees"],
    listComments: ["GET /repos/{owner}/{repo}/issues/{issue_number}/comments"],
    listCommentsForRepo: ["GET /repos/{owner}/{repo}/issues/comments"],
    listDependenciesBlockedBy: [
      "GET /repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocked_by"
    ],
    listDependenciesBlocking: [
      "GET /repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocking"
    ],
    listEvents: ["GET /repos/{owner}/{repo}/issues/{issue_number}/events"],
    listEventsForRepo: ["GET /repos/{owner}/{repo}/issues/events"],
    listEventsForTimeline: [
      "GET /repos/{owner}/{repo}/issues/{issue_number}/timeline"
    ],
    listForAuthenticatedUser: ["GET /user/issues"],
    listForOrg: ["GET /orgs/{org}/issues"],
    listForRepo: ["GET /repos/{owner}/{repo}/issues"],
    listLabelsForMilestone: [
      "GET /repos/{owner}/{repo}/milestones/{milestone_number}/labels"
    ],
    listLabelsForRepo: ["GET /repos/{owner}/{repo}/labels"],
    listLabelsOnIssue: [
      "GET /repos/{owner}/{repo}/issues/{issue_number}/labels"
    ],
    listMilestones: ["GET /repos/{owner}/{repo}/milestones"],
    listSubIssues: [
      "GET /repos/{owner}/{repo}/issues/{issue_number}/sub_issues"
    ],
    lock: ["PUT /repos/{owner}/{repo}/issues/{issue_number}/lock"],
    removeAllLabels: [
      "DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels"
    ],
    removeAssignees: [
      "DELETE /repos/{owner}/{repo}/issues/{issue_number}/assignees"
    ],
    removeDependencyBlockedBy: [
      "DELETE /repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocked_by/{issue_id}"
    ],
    removeLabel: [
      "DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels/{name}"
    ],
    removeSubIssue: [
      "DELETE /repos/{owner}/{repo}/issues/{issue_number}/sub_issue"
    ],
    reprioritizeSubIssue: [
      "PATCH /repos/{owner}/{repo}/issues/{issue_number}/sub_issues/priority"
    ],
    setLabels: ["PUT /repos/{owner}/{repo}/issues/{issue_number}/labels"],
    unlock: ["DELETE /repos/{owner}/{repo}/issues/{issue_number}/lock"],
    update: ["PATCH /repos/{owner}/{repo}/issues/{issue_number}"],
    updateComment: ["PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}"],
    updateLabel: ["PATCH /repos/{owner}/{repo}/labels/{name}"],
    updateMilestone: [
      "PATCH /repos/{owner}/{repo}/milestones/{milestone_number}"
    ]
  },
  licenses: {
    get: ["GET /licenses/{license}"],
    getAllCommonlyUsed: ["GET /licenses"],
    getForRepo: ["GET /repos/{owner}/{repo}/license"]
  },
  markdown: {
    render: ["POST /markdown"],
    renderRaw: [
      "POST /markdown/raw",
      { headers: { "content-type": "text/plain; charset=utf-8" } }
    ]
  },
  meta: {
    get: ["GET /meta"],
    getAllVersions: ["GET /versions"],
    getOctocat: ["GET /octocat"],
    getZen: ["GET /zen"],
    root: ["GET /"]
  },
  migrations: {
    deleteArchiveForAuthenticatedUser: [
      "DELETE /user/migrations/{migration_id}/archive"
    ],
    deleteArchiveForOrg: [
      "DELETE /orgs/{org}/migrations/{migration_id}/archive"
    ],
    downloadArchiveForOrg: [
      "GET /orgs/{org}/migrations/{migration_id}/archive"
    ],
    getArchiveForAuthenticatedUser: [
      "GET /user/migrations/{migration_id}/archive"
    ],
    getStatusForAuthenticatedUser: ["GET /user/migrations/{migration_id}"],
    getStatusForOrg: ["GET /orgs/{org}/migrations/{migration_id}"],
    listForAuthenticatedUser: ["GET /user/migrations"],
    listForOrg: ["GET /orgs/{org}/migrations"],
    listReposForAuthenticatedUser: [
      "GET /user/migrations/{migration_id}/repositories"
    ],
    listReposForOrg: ["GET /orgs/{org}/migrations/{migration_id}/repositories"],
    listReposForUser: [
      "GET /user/migrations/{migration_id}/repositories",
      {},
      { renamed: ["migrations", "listReposForAuthenticatedUser"] }
    ],
    startForAuthenticatedUser: ["POST /user/migrations"],
    startForOrg: ["POST /orgs/{org}/migrations"],
    unlockRepoForAuthenticatedUser: [
      "DELETE /user/migrations/{migration_id}/repos/{repo_name}/lock"
    ],
    unlockRepoForOrg: [
      "DELETE /orgs/{org}/migrations/{migration_id}/repos/{repo_name}/lock"
    ]
  },
  oidc: {
    getOidcCustomSubTemplateForOrg: [
      "GET /orgs/{org}/actions/oidc/customization/sub"
    ],
    updateOidcCustomSubTemplateForOrg: [
      "PUT /orgs/{org}/actions/oidc/customization/sub"
    ]
  },
  orgs: {
    addSecurityManagerTeam: [
      "PUT /orgs/{org}/security-managers/teams/{team_slug}",
      {},
      {
        deprecated: "octokit.rest.orgs.addSecurityManagerTeam() is deprecated, see https://docs.github.com/rest/orgs/security-managers#add-a-security-manager-team"
      }
    ],
    assignTeamToOrgRole: [
      "PUT /orgs/{org}/organization-roles/teams/{team_slug}/{role_id}"
    ],
    assignUserToOrgRole: [
      "PUT /orgs/{org}/organization-roles/users/{username}/{role_id}"
    ],
    blockUser: ["PUT /orgs/{org}/blocks/{username}"],
    cancelInvitation: ["DELETE /orgs/{org}/invitations/{invitation_id}"],
    checkBlockedUser: ["GET /orgs/{org}/blocks/{username}"],
    checkMembershipForUser: ["GET /orgs/{org}/members/{username}"],
    checkPublicMembershipForUser: ["GET /orgs/{org}/public_members/{username}"],
    convertMemberToOutsideCollaborator: [
      "PUT /orgs/{org}/outside_collaborators/{username}"
    ],
    createArtifactStorageRecord: [
      "POST /orgs/{org}/artifacts/metadata/storage-record"
    ],
    createInvitation: ["POST /orgs/{org}/invitations"],
    createIssueType: ["POST /orgs/{org}/issue-types"],
    createWebhook: ["POST /orgs/{org}/hooks"],
    customPropertiesForOrgsCreateOrUpdateOrganizationValues: [
      "PATCH /organizations/{org}/org-properties/values"
    ],
    customPropertiesForOrgsGetOrganizationValues: [
      "GET /organizations/{org}/org-properties/values"
    ],
    customPropertiesForReposCreateOrUpdateOrganizationDefinition: [
      "PUT /orgs/{org}/properties/schema/{custom_property_name}"
    ],
    customPropertiesForReposCreateOrUpdateOrganizationDefinitions: [
      "PATCH /orgs/{org}/properties/schema"
    ],
    customPropertiesForReposCreateOrUpdateOrganizationValues: [
      "PATCH /orgs/{org}/properties/values"
    ],
    customPropertiesForReposDeleteOrganizationDefinition: [
      "DELETE /orgs/{org}/properties/schema/{custom_property_name}"
    ],
    customPropertiesForReposGetOrganizationDefinition: [
      "GET /orgs/{org}/properties/schema/{custom_property_name}"
    ],
    customPropertiesForReposGetOrganizationDefinitions: [
      "GET /orgs/{org}/properties/schema"
    ],
    customPropertiesForReposGetOrganizationValues: [
      "GET /orgs/{org}/properties/values"
    ],
    delete: ["DELETE /orgs/{org}"],
    deleteAttestationsBulk: ["POST /orgs/{org}/attestations/delete-request"],
    deleteAttestationsById: [
      "DELETE /orgs/{org}/attestations/{attestation_id}"
    ],
    deleteAttestationsBySubjectDigest: [
      "DELETE /orgs/{org}/attestations/digest/{subject_digest}"
    ],
    deleteIssueType: ["DELETE /orgs/{org}/issue-types/{issue_type_id}"],
    deleteWebhook: ["DELETE /orgs/{org}/hooks/{hook_id}"],
    disableSelectedRepositoryImmutableReleasesOrganization: [
      "DELETE /orgs/{org}/settings/immutable-releases/repositories/{repository_id}"
    ],
    enableSelectedRepositoryImmutableReleasesOrganization: [
      "PUT /orgs/{org}/settings/immutable-releases/repositories/{repository_id}"
    ],
    get: ["GET /orgs/{org}"],
    getImmutableReleasesSettings: [
      "GET /orgs/{org}/settings/immutable-releases"
    ],
    getImmutableReleasesSettingsRepositories: [
      "GET /orgs/{org}/settings/immutable-releases/repositories"
    ],
    getMembershipForAuthenticatedUser: ["GET /user/memberships/orgs/{org}"],
    getMembershipForUser: ["GET /orgs/{org}/memberships/{username}"],
    getOrgRole: ["GET /orgs/{org}/organization-roles/{role_id}"],
    getOrgRulesetHistory: ["GET /orgs/{org}/rulesets/{ruleset_id}/history"],
    getOrgRulesetVersion: [
      "GET /orgs/{org}/rulesets/{ruleset_id}/history/{version_id}"
    ],
    getWebhook: ["GET /orgs/{org}/hooks/{hook_id}"],
    getWebhookConfigForOrg: ["GET /orgs/{org}/hooks/{hook_id}/config"],
    getWebhookDelivery: [
      "GET /orgs/{org}/hooks/{hook_id}/deliveries/{delivery_id}"
    ],
    list: ["GET /organizations"],
    listAppInstallations: ["GET /orgs/{org}/installations"],
    listArtifactStorageRecords: [
      "GET /orgs/{org}/artifacts/{subject_digest}/metadata/storage-records"
    ],
    listAttestationRepositories: ["GET /orgs/{org}/attestations/repositories"],
    listAttestations: ["GET /orgs/{org}/attestations/{subject_digest}"],
    listAttestationsBulk: [
      "POST /orgs/{org}/attestations/bulk-list{?per_page,before,after}"
    ],
    listBlockedUsers: ["GET /orgs/{org}/blocks"],
    listFailedInvitations: ["GET /orgs/{org}/failed_invitations"],
    listForAuthenticatedUser: ["GET /user/orgs"],
    listForUser: ["GET /users/{username}/orgs"],
    listInvitationTeams: ["GET /orgs/{org}/invitations/{invitation_id}/teams"],
    listIssueTypes: ["GET /orgs/{org}/issue-types"],
    listMembers: ["GET /orgs/{org}/members"],
    listMembershipsForAuthenticatedUser: ["GET /user/memberships/orgs"],
    listOrgRoleTeams: ["GET /orgs/{org}/organization-roles/{role_id}/teams"],
    listOrgRoleUsers: ["GET /orgs/{org}/organization-roles/{role_id}/users"],
    listOrgRoles: ["GET /orgs/{org}/organization-roles"],
    listOrganizationFineGrainedPermissions: [
      "GET /orgs/{org}/organization-fine-grained-permissions"
    ],
    listOutsideCollaborators: ["GET /orgs/{org}/outside_collaborators"],
    listPatGrantRepositories: [
      "GET /orgs/{org}/personal-access-tokens/{pat_id}/repositories"
    ],
    listPatGrantRequestRepositories: [
      "GET /orgs/{org}/personal-access-token-requests/{pat_request_id}/repositories"
    ],
    listPatGrantRequests: ["GET /orgs/{org}/personal-access-token-requests"],
    listPatGrants: ["GET /orgs/{org}/personal-access-tokens"],
    listPendingInvitations: ["GET /orgs/{org}/invitations"],
    listPublicMembers: ["GET /orgs/{org}/public_members"],
    listSecurityManagerTeams: [
      "GET /orgs/{org}/security-managers",
      {},
      {
        deprecated: "octokit.rest.orgs.listSecurityManagerTeams() is deprecated, see https://docs.github.com/rest/orgs/security-managers#list-security-manager-teams"
      }
    ],
    listWebhookDeliveries: ["GET /orgs/{org}/hooks/{hook_id}/deliveries"],
    listWebhooks: ["GET /orgs/{org}/hooks"],
    pingWebhook: ["POST /orgs/{org}/hooks/{hook_id}/pings"],
    redeliverWebhookDelivery: [
      "POST /orgs/{org}/hooks/{hook_id}/deliveries/{delivery_id}/attempts"
    ],
    removeMember: ["DELETE /orgs/{org}/members/{username}"],
    removeMembershipForUser: ["DELETE /orgs/{org}/memberships/{username}"],
    removeOutsideCollaborator: [
      "DELETE /orgs/{org}/outside_collaborators/{username}"
    ],
    removePublicMembershipForAuthenticatedUser: [
      "DELETE /orgs/{org}/public_members/{username}"
    ],
    removeSecurityManagerTeam: [
      "DELETE /orgs/{org}/security-managers/teams/{team_slug}",
      {},
      {
        deprecated: "octokit.rest.orgs.removeSecurityManagerTeam() is deprecated, see https://docs.github.com/rest/orgs/security-managers#remove-a-security-manager-team"
      }
    ],
    reviewPatGrantRequest: [
      "POST /orgs/{org}/personal-access-token-requests/{pat_request_id}"
    ],
    reviewPatGrantRequestsInBulk: [
      "POST /orgs/{org}/personal-access-token-requests"
    ],
    revokeAllOrgRolesTeam: [
      "DELETE /orgs/{org}/organization-roles/teams/{team_slug}"
    ],
    revokeAllOrgRolesUser: [
      "DELETE /orgs/{org}/organization-roles/users/{username}"
    ],
    revokeOrgRoleTeam: [
      "DELETE /orgs/{org}/organization-roles/teams/{team_slug}/{role_id}"
    ],
    revokeOrgRoleUser: [
      "DELETE /orgs/{org}/organization-roles/users/{username}/{role_id}"
    ],
    setImmutableReleasesSettings: [
      "PUT /orgs/{org}/settings/immutable-releases"
    ],
    setImmutableReleasesSettingsRepositories: [
      "PUT /orgs/{org}/settings/immutable-releases/repositories"
    ],
    setMembershipForUser: ["PUT /orgs/{org}/memberships/{username}"],
    setPublicMembershipForAuthenticatedUser: [
      "PUT /orgs/{org}/public_members/{username}"
    ],
    unblockUser: ["DELETE /orgs/{org}/blocks/{username}"],
    update: ["PATCH /orgs/{org}"],
    updateIssueType: ["PUT /orgs/{org}/issue-types/{issue_type_id}"],
    updateMembershipForAuthenticatedUser: [
      "PATCH /user/memberships/orgs/{org}"
    ],
    updatePatAccess: ["POST /orgs/{org}/personal-access-tokens/{pat_id}"],
    updatePatAccesses: ["POST /orgs/{org}/personal-access-tokens"],
    updateWebhook: ["PATCH /orgs/{org}/hooks/{hook_id}"],
    updateWebhookConfigForOrg: ["PATCH /orgs/{org}/hooks/{hook_id}/config"]
  },
  packages: {
    deletePackageForAuthenticatedUser: [
      "DELETE /user/packages/{package_type}/{package_name}"
    ],
    deletePackageForOrg: [
      "DELETE /orgs/{org}/packages/{package_type}/{package_name}"
    ],
    deletePackageForUser: [
      "DELETE /users/{username}/packages/{package_type}/{package_name}"
    ],
    deletePackageVersionForAuthenticatedUser: [
      "DELETE /user/packages/{package_type}/{package_name}/versions/{package_version_id}"
    ],
    deletePackageVersionForOrg: [
      "DELETE /orgs/{org}/packages/{package_type}/{package_name}/versions/{package_version_id}"
    ],
    deletePackageVersionForUser: [
      "DELETE /users/{username}/packages/{package_type}/{package_name}/versions/{package_version_id}"
    ],
    getAllPackageVersionsForAPackageOwnedByAnOrg: [
      "GET /orgs/{org}/packages/{package_type}/{package_name}/versions",
      {},
      { renamed: ["packages", "getAllPackageVersionsForPackageOwnedByOrg"] }
    ],
    getAllPackageVersionsForAPackageOwnedByTheAuthenticatedUser: [
      "GET /user/packages/{package_type}/{package_name}/versions",
      {},
      {
        renamed: [
          "packages",
          "getAllPackageVersionsForPackageOwnedByAuthenticatedUser"
        ]
      }
    ],
    getAllPackageVersionsForPackageOwnedByAuthenticatedUser: [
      "GET /user/packages/{package_type}/{package_name}/versions"
    ],
    getAllPackageVersionsForPackageOwnedByOrg: [
      "GET /orgs/{org}/packages/{package_type}/{package_name}/versions"
    ],
    getAllPackageVersionsForPackageOwnedByUser: [
      "GET /users/{username}/packages/{package_type}/{package_name}/versions"
    ],
    getPackageForAuthenticatedUser: [
      "GET /user/packages/{package_type}/{package_name}"
    ],
    getPackageForOrganization: [
      "GET /orgs/{org}/packages/{package_type}/{package_name}"
    ],
    getPackageForUser: [
      "GET /users/{username}/packages/{package_type}/{package_name}"
    ],
    getPackageVersionForAuthenticatedUser: [
      "GET /user/packages/{package_type}/{package_name}/versions/{package_version_id}"
    ],
    getPackageVersionForOrganization: [
      "GET /orgs/{org}/packages/{package_type}/{package_name}/versions/{package_version_id}"
    ],
    getPackageVersionForUser: [
      "GET /users/{username}/packages/{package_type}/{package_name}/versions/{package_version_id}"
    ],
    listDockerMigrationConflictingPackagesForAuthenticatedUser: [
      "GET /user/docker/conflicts"
    ],
    listDockerMigrationConflictingPackagesForOrganization: [
      "GET /orgs/{org}/docker/conflicts"
    ],
    listDockerMigrationConflictingPackagesForUser: [
      "GET /users/{username}/docker/conflicts"
    ],
    listPackagesForAuthenticatedUser: ["GET /user/packages"],
    listPackagesForOrganization: ["GET /orgs/{org}/packages"],
    listPackagesForUser: ["GET /users/{username}/packages"],
    restorePackageForAuthenticatedUser: [
      "POST /user/packages/{package_type}/{package_name}/restore{?token}"
    ],
    restorePackageForOrg: [
      "POST /orgs/{org}/packages/{package_type}/{package_name}/restore{?token}"
    ],
    restorePackageForUser: [
      "POST /users/{username}/packages/{package_type}/{package_name}/restore{?token}"
    ],
    restorePackageVersionForAuthenticatedUser: [
      "POST /user/packages/{package_type}/{package_name}/versions/{package_version_id}/restore"
    ],
    restorePackageVersionForOrg: [
      "POST /orgs/{org}/packages/{package_type}/{package_name}/versions/{package_version_id}/restore"
    ],
    restorePackageVersionForUser: [
      "POST /users/{username}/packages/{package_type}/{package_name}/versions/{package_version_id}/restore"
    ]
  },
  privateRegistries: {
    createOrgPrivateRegistry: ["POST /orgs/{org}/private-registries"],
    deleteOrgPrivateRegistry: [
      "DELETE /orgs/{org}/private-registries/{secret_name}"
    ],
    getOrgPrivateRegistry: ["GET /orgs/{org}/private-registries/{secret_name}"],
    getOrgPublicKey: ["GET /orgs/{org}/private-registries/public-key"],
    listOrgPrivateRegistries: ["GET /orgs/{org}/private-registries"],
    updateOrgPrivateRegistry: [
      "PATCH /orgs/{org}/private-registries/{secret_name}"
    ]
  },
  projects: {
    addItemForOrg: ["POST /orgs/{org}/projectsV2/{project_number}/items"],
    addItemForUser: [
      "POST /users/{username}/projectsV2/{project_number}/items"
    ],
    deleteItemForOrg: [
      "DELETE /orgs/{org}/projectsV2/{project_number}/items/{item_id}"
    ],
    deleteItemForUser: [
      "DELETE /users/{username}/projectsV2/{project_number}/items/{item_id}"
    ],
    getFieldForOrg: [
      "GET /orgs/{org}/projectsV2/{project_number}/fields/{field_id}"
    ],
    getFieldForUser: [
      "GET /users/{username}/projectsV2/{project_number}/fields/{field_id}"
    ],
    getForOrg: ["GET /orgs/{org}/projectsV2/{project_number}"],
    getForUser: ["GET /users/{username}/projectsV2/{project_number}"],
    getOrgItem: ["GET /orgs/{org}/projectsV2/{project_number}/items/{item_id}"],
    getUserItem: [
      "GET /users/{username}/projectsV2/{project_number}/items/{item_id}"
    ],
    listFieldsForOrg: ["GET /orgs/{org}/projectsV2/{project_number}/fields"],
    listFieldsForUser: [
      "GET /users/{username}/projectsV2/{project_number}/fields"
    ],
    listForOrg: ["GET /orgs/{org}/projectsV2"],
    listForUser: ["GET /users/{username}/projectsV2"],
    listItemsForOrg: ["GET /orgs/{org}/projectsV2/{project_number}/items"],
    listItemsForUser: [
      "GET /users/{username}/projectsV2/{project_number}/items"
    ],
    updateItemForOrg: [
      "PATCH /orgs/{org}/projectsV2/{project_number}/items/{item_id}"
    ],
    updateItemForUser: [
      "PATCH /users/{username}/projectsV2/{project_number}/items/{item_id}"
    ]
  },
  pulls: {
    checkIfMerged: ["GET /repos/{owner}/{repo}/pulls/{pull_number}/merge"],
    create: ["POST /repos/{owner}/{repo}/pulls"],
    createReplyForReviewComment: [
      "POST /repos/{owner}/{repo}/pulls/{pull_number}/comments/{comment_id}/replies"
    ],
    createReview: ["POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews"],
    createReviewComment: [
      "POST /repos/{owner}/{repo}/pulls/{pull_number}/comments"
    ],
    deletePendingReview: [
      "DELETE /repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}"
    ],
    deleteReviewComment: [
      "DELETE /repos/{owner}/{repo}/pulls/comments/{comment_id}"
    ],
    dismissReview: [
      "PUT /repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}/dismissals"
    ],
    get: ["GET /repos/{owner}/{repo}/pulls/{pull_number}"],
    getReview: [
      "GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}"
    ],
    getReviewComment: ["GET /repos/{owner}/{repo}/pulls/comments/{comment_id}"],
    list: ["GET /repos/{owner}/{repo}/pulls"],
    listCommentsForReview: [
      "GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}/comments"
    ],
    listCommits: ["GET /repos/{owner}/{repo}/pulls/{pull_number}/commits"],
    listFiles: ["GET /repos/{owner}/{repo}/pulls/{pull_number}/files"],
    listRequestedReviewers: [
      "GET /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers"
    ],
    listReviewComments: [
      "GET /repos/{owner}/{repo}/pulls/{pull_number}/comments"
    ],
    listReviewCommentsForRepo: ["GET /repos/{owner}/{repo}/pulls/comments"],
    listReviews: ["GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews"],
    merge: ["PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge"],
    removeRequestedReviewers: [
      "DELETE /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers"
    ],
    requestReviewers: [
      "POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers"
    ],
    submitReview: [
      "POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}/events"
    ],
    update: ["PATCH /repos/{owner}/{repo}/pulls/{pull_number}"],
    updateBranch: [
      "PUT /repos/{owner}/{repo}/pulls/{pull_number}/update-branch"
    ],
    updateReview: [
      "PUT /repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}"
    ],
    updateReviewComment: [
      "PATCH /repos/{owner}/{repo}/pulls/comments/{comment_id}"
    ]
  },
  rateLimit: { get: ["GET /rate_limit"] },
  reactions: {
    createForCommitComment: [
      "POST /repos/{owner}/{repo}/comments/{comment_id}/reactions"
    ],
    createForIssue: [
      "POST /repos/{owner}/{repo}/issues/{issue_number}/reactions"
    ],
    createForIssueComment: [
      "POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions"
    ],
    createForPullRequestReviewComment: [
      "POST /repos/{owner}/{repo}/pulls/comments/{comment_id}/reactions"
    ],
    createForRelease: [
      "POST /repos/{owner}/{repo}/releases/{release_id}/reactions"
    ],
    createForTeamDiscussionCommentInOrg: [
      "POST /orgs/{org}/teams/{team_slug}/discussions/{discussion_number}/comments/{comment_number}/reactions"
    ],
    createForTeamDiscussionInOrg: [
      "POST /orgs/{org}/teams/{team_slug}/discussions/{discussion_number}/reactions"
    ],
    deleteForCommitComment: [
      "DELETE /repos/{owner}/{repo}/comments/{comment_id}/reactions/{reaction_id}"
    ],
    deleteForIssue: [
      "DELETE /repos/{owner}/{repo}/issues/{issue_number}/reactions/{reaction_id}"
    ],
    deleteForIssueComment: [
      "DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions/{reaction_id}"
    ],
    deleteForPullRequestComment: [
      "DELETE /repos/{owner}/{repo}/pulls/comments/{comment_id}/reactions/{reaction_id}"
    ],
    deleteForRelease: [
      "DELETE /repos/{owner}/{repo}/releases/{release_id}/reactions/{reaction_id}"
    ],
    deleteForTeamDiscussion: [
      "DELETE /orgs/{org}/teams/{team_slug}/discussions/{discussion_number}/reactions/{reaction_id}"
    ],
    deleteForTeamDiscussionComment: [
      "DELETE /orgs/{org}/teams/{team_slug}/discussions/{discussion_number}/comments/{comment_number}/reactions/{reaction_id}"
    ],
    listForCommitComment: [
      "GET /repos/{owner}/{repo}/comments/{comment_id}/reactions"
    ],
    listForIssue: ["GET /repos/{owner}/{repo}/issues/{issue_number}/reactions"],
    listForIssueComment: [
      "GET /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions"
    ],
    listForPullRequestReviewComment: [
      "GET /repos/{owner}/{repo}/pulls/comments/{comment_id}/reactions"
    ],
    listForRelease: [
      "GET /repos/{owner}/{repo}/releases/{release_id}/reactions"
    ],
    listForTeamDiscussionCommentInOrg: [
      "GET /orgs/{org}/teams/{team_slug}/discussions/{discussion_number}/comments/{comment_number}/reactions"
    ],
    listForTeamDiscussionInOrg: [
      "GET /orgs/{org}/teams/{team_slug}/discussions/{discussion_number}/reactions"
    ]
  },
  repos: {
    acceptInvitation: [
      "PATCH /user/repository_invitations/{invitation_id}",
      {},
      { renamed: ["repos", "acceptInvitationForAuthenticatedUser"] }
    ],
    acceptInvitationForAuthenticatedUser: [
      "PATCH /user/repository_invitations/{invitation_id}"
    ],
    addAppAccessRestrictions: [
      "POST /repos/{owner}/{repo}/branches/{branch}/protection/restrictions/apps",
      {},
      { mapToData: "apps" }
    ],
    addCollaborator: ["PUT /repos/{owner}/{repo}/collaborators/{username}"],
    addStatusCheckContexts: [
      "POST /repos/{owner}/{repo}/branches/{branch}/protection/required_status_checks/contexts",
      {},
      { mapToData: "contexts" }
    ],
    addTeamAccessRestrictions: [
      "POST /repos/{owner}/{repo}/branches/{branch}/protection/restrictions/teams",
      {},
      { mapToData: "teams" }
    ],
    addUserAccessRestrictions: [
      "POST /repos/{owner}/{repo}/branches/{branch}/protection/restrictions/users",
      {},
      { mapToData: "users" }
    ],
    cancelPagesDeployment: [
      "POST /repos/{owner}/{repo}/pages/deployments/{pages_deployment_id}/cancel"
    ],
    checkAutomatedSecurityFixes: [
      "GET /repos/{owner}/{repo}/automated-security-fixes"
    ],
    checkCollaborator: ["GET /repos/{owner}/{repo}/collaborators/{username}"],
    checkImmutableReleases: ["GET /repos/{owner}/{repo}/immutable-releases"],
    checkPrivateVulnerabilityReporting: [
      "GET /repos/{owner}/{repo}/private-vulnerability-reporting"
    ],
    checkVulnerabilityAlerts: [
      "GET /repos/{owner}/{repo}/vulnerability-alerts"
    ],
    codeownersErrors: ["GET /repos/{owner}/{repo}/codeowners/errors"],
    compareCommits: ["GET /repos/{owner}/{repo}/compare/{base}...{head}"],
    compareCommitsWithBasehead: [
      "GET /repos/{owner}/{repo}/compare/{basehead}"
    ],
    createAttestation: ["POST /repos/{owner}/{repo}/attestations"],
    createAutolink: ["POST /repos/{owner}/{repo}/autolinks"],
    createCommitComment: [
      "POST /repos/{owner}/{repo}/commits/{commit_sha}/comments"
    ],
    createCommitSignatureProtection: [
      "POST /repos/{owner}/{repo}/branches/{branch}/protection/required_signatures"
    ],
    createCommitStatus: ["POST /repos/{owner}/{repo}/statuses/{sha}"],
    createDeployKey: ["POST /repos/{owner}/{repo}/keys"],
    createDeployment: ["POST /repos/{owner}/{repo}/deployments"],
    createDeploymentBranchPolicy: [
      "POST /repos/{owner}/{repo}/environments/{environment_name}/deployment-branch-policies"
    ],
    createDeploymentProtectionRule: [
      "POST /repos/{owner}/{repo}/environments/{environment_name}/deployment_protection_rules"
    ],
    createDeploymentStatus: [
      "POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses"
    ],
    createDispatchEvent: ["POST /repos/{owner}/{repo}/dispatches"],
    createForAuthenticatedUser: ["POST /user/repos"],
    createFork: ["POST /repos/{owner}/{repo}/forks"],
    createInOrg: ["POST /orgs/{org}/repos"],
    createOrUpdateEnvironment: [
      "PUT /repos/{owner}/{repo}/environments/{environment_name}"
    ],
    createOrUpdateFileContents: ["PUT /repos/{owner}/{repo}/contents/{path}"],
    createOrgRuleset: ["POST /orgs/{org}/rulesets"],
    createPagesDeployment: ["POST /repos/{owner}/{repo}/pages/deployments"],
    createPagesSite: ["POST /repos/{owner}/{repo}/pages"],
    createRelease: ["POST /repos/{owner}/{repo}/releases"],
    createRepoRuleset: ["POST /repos/{owner}/{repo}/rulesets"],
    createUsingTemplate: [
      "POST /repos/{template_owner}/{template_repo}/generate"
    ],
    createWebhook: ["POST /repos/{owner}/{repo}/hooks"],
    customPropertiesForReposCreateOrUpdateRepositoryValues: [
      "PATCH /repos/{owner}/{repo}/properties/values"
    ],
    customPropertiesForReposGetRepositoryValues: [
      "GET /repos/{owner}/{repo}/properties/values"
    ],
    declineInvitation: [
      "DELETE /user/repository_invitations/{invitation_id}",
      {},
      { renamed: ["repos", "declineInvitationForAuthenticatedUser"] }
    ],
    declineInvitationForAuthenticatedUser: [
      "DELETE /user/repository_invitations/{invitation_id}"
    ],
    delete: ["DELETE /repos/{owner}/{repo}"],
    deleteAccessRestrictions: [
      "DELETE /repos/{owner}/{repo}/branches/{branch}/protection/restrictions"
    ],
    deleteAdminBranchProtection: [
      "DELETE /repos/{owner}/{repo}/branches/{branch}/protection/enforce_admins"
    ],
    deleteAnEnvironment: [
      "DELETE /repos/{owner}/{repo}/environments/{environment_name}"
    ],
    deleteAutolink: ["DELETE /repos/{owner}/{repo}/autolinks/{autolink_id}"],
    deleteBranchProtection: [
      "DELETE /repos/{owner}/{repo}/branches/{branch}/protection"
    ],
    deleteCommitComment: ["DELETE /repos/{owner}/{repo}/comments/{comment_id}"],
    deleteCommitSignatureProtection: [
      "DELETE /repos/{owner}/{repo}/branches/{branch}/protection/required_signatures"
    ],
    deleteDeployKey: ["DELETE /repos/{owner}/{repo}/keys/{key_id}"],
    deleteDeployment: [
      "DELETE /repos/{owner}/{repo}/deployments/{deployment_id}"
    ],
    deleteDeploymentBranchPolicy: [
      "DELETE /repos/{owner}/{repo}/environments/{environment_name}/deployment-branch-policies/{branch_policy_id}"
    ],
    deleteFile: ["DELETE /repos/{owner}/{repo}/contents/{path}"],
    deleteInvitation: [
      "DELETE /repos/{owner}/{repo}/invitations/{invitation_id}"
    ],
    deleteOrgRuleset: ["DELETE /orgs/{org}/rulesets/{ruleset_id}"],
    deletePagesSite: ["DELETE /repos/{owner}/{repo}/pages"],
    deletePullRequestReviewProtection: [
      "DELETE /repos/{owner}/{repo}/branches/{branch}/protection/required_pull_request_reviews"
    ],
    deleteRelease: ["DELETE /repos/{owner}/{repo}/releases/{release_id}"],
    deleteReleaseAsset: [
      "DELETE /repos/{owner}/{repo}/releases/assets/{asset_id}"
    ],
    deleteRepoRuleset: ["DELETE /repos/{owner}/{repo}/rulesets/{ruleset_id}"],
    deleteWebhook: ["DELETE /repos/{owner}/{repo}/hooks/{hook_id}"],
    disableAutomatedSecurityFixes: [
      "DELETE /repos/{owner}/{repo}/automated-security-fixes"
    ],
    disableDeploymentProtectionRule: [
      "DELETE /repos/{owner}/{repo}/environments/{environment_name}/deployment_protection_rules/{protection_rule_id}"
    ],
    disableImmutableReleases: [
      "DELETE /repos/{owner}/{repo}/immutable-releases"
    ],
    disablePrivateVulnerabilityReporting: [
      "DELETE /repos/{owner}/{repo}/private-vulnerability-reporting"
    ],
    disableVulnerabilityAlerts: [
      "DELETE /repos/{owner}/{repo}/vulnerability-alerts"
    ],
    downloadArchive: [
      "GET /repos/{owner}/{repo}/zipball/{ref}",
      {},
      { renamed: ["repos", "downloadZipballArchive"] }
    ],
    downloadTarballArchive: ["GET /repos/{owner}/{repo}/tarball/{ref}"],
    downloadZipballArchive: ["GET /repos/{owner}/{repo}/zipball/{ref}"],
    enableAutomatedSecurityFixes: [
      "PUT /repos/{owner}/{repo}/automated-security-fixes"
    ],
    enableImmutableReleases: ["PUT /repos/{owner}/{repo}/immutable-releases"],
    enablePrivateVulnerabilityReporting: [
      "PUT /repos/{owner}/{repo}/private-vulnerability-reporting"
    ],
    enableVulnerabilityAlerts: [
      "PUT /repos/{owner}/{repo}/vulnerability-alerts"
    ],
    generateReleaseNotes: [
      "POST /repos/{owner}/{repo}/releases/generate-notes"
    ],
    get: ["GET /repos/{owner}/{repo}"],
    getAccessRestrictions: [
      "GET /repos/{owner}/{repo}/branches/{branch}/protection/restrictions"
    ],
    getAdminBranchProtection: [
      "GET /repos/{owner}/{repo}/branches/{branch}/protection/enforce_admins"
    ],
    getAllDeploymentProtectionRules: [
      "GET /repos/{owner}/{repo}/environments/{environment_name}/deployment_protection_rules"
    ],
    getAllEnvironments: ["GET /repos/{owner}/{repo}/environments"],
    getAllStatusCheckContexts: [
      "GET /repos/{owner}/{repo}/branches/{branch}/protection/required_status_checks/contexts"
    ],
    getAllTopics: ["GET /repos/{owner}/{repo}/topics"],
    getAppsWithAccessToProtectedBranch: [
      "GET /repos/{owner}/{repo}/branches/{branch}/protection/restrictions/apps"
    ],
    getAutolink: ["GET /repos/{owner}/{repo}/autolinks/{autolink_id}"],
    getBranch: ["GET /repos/{owner}/{repo}/branches/{branch}"],
    getBranchProtection: [
      "GET /repos/{owner}/{repo}/branches/{branch}/protection"
    ],
    getBranchRules: ["GET /repos/{owner}/{repo}/rules/branches/{branch}"],
    getClones: ["GET /repos/{owner}/{repo}/traffic/clones"],
    getCodeFrequencyStats: ["GET /repos/{owner}/{repo}/stats/code_frequency"],
    getCollaboratorPermissionLevel: [
      "GET /repos/{owner}/{repo}/collaborators/{username}/permission"
    ],
    getCombinedStatusForRef: ["GET /repos/{owner}/{repo}/commits/{ref}/status"],
    getCommit: ["GET /repos/{owner}/{repo}/commits/{ref}"],
    getCommitActivityStats: ["GET /repos/{owner}/{repo}/stats/commit_activity"],
    getCommitComment: ["GET /repos/{owner}/{repo}/comments/{comment_id}"],
    getCommitSignatureProtection: [
      "GET /repos/{owner}/{repo}/branches/{branch}/protection/required_signatures"
    ],
    getCommunityProfileMetrics: ["GET /repos/{owner}/{repo}/community/profile"],
    getContent: ["GET /repos/{owner}/{repo}/contents/{path}"],
    getContributorsStats: ["GET /repos/{owner}/{repo}/stats/contributors"],
    getCustomDeploymentProtectionRule: [
      "GET /repos/{owner}/{repo}/environments/{environment_name}/deployment_protection_rules/{protection_rule_id}"
    ],
    getDeployKey: ["GET /repos/{owner}/{repo}/keys/{key_id}"],
    getDeployment: ["GET /repos/{owner}/{repo}/deployments/{deployment_id}"],
    getDeploymentBranchPolicy: [
      "GET /repos/{owner}/{repo}/environments/{environment_name}/deployment-branch-policies/{branch_policy_id}"
    ],
    getDeploymentStatus: [
      "GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses/{status_id}"
    ],
    getEnvironment: [
      "GET /repos/{owner}/{repo}/environments/{environment_name}"
    ],
    getLatestPagesBuild: ["GET /repos/{owner}/{repo}/pages/builds/latest"],
    getLatestRelease: ["GET /repos/{owner}/{repo}/releases/latest"],
    getOrgRuleSuite: ["GET /orgs/{org}/rulesets/rule-suites/{rule_suite_id}"],
    getOrgRuleSuites: ["GET /orgs/{org}/rulesets/rule-suites"],
    getOrgRuleset: ["GET /orgs/{org}/rulesets/{ruleset_id}"],
    getOrgRulesets: ["GET /orgs/{org}/rulesets"],
    getPages: ["GET /repos/{owner}/{repo}/pages"],
    getPagesBuild: ["GET /repos/{owner}/{repo}/pages/builds/{build_id}"],
    getPagesDeployment: [
      "GET /repos/{owner}/{repo}/pages/deployments/{pages_deployment_id}"
    ],
    getPagesHealthCheck: ["GET /repos/{owner}/{repo}/pages/health"],
    getParticipationStats: ["GET /repos/{owner}/{repo}/stats/participation"],
    getPullRequestReviewProtection: [
      "GET /repos/{owner}/{repo}/branches/{branch}/protection/required_pull_request_reviews"
    ],
    getPunchCardStats: ["GET /repos/{owner}/{repo}/stats/punch_card"],
    getReadme: ["GET /repos/{owner}/{repo}/readme"],
    getReadmeInDirectory: ["GET /repos/{owner}/{repo}/readme/{dir}"],
    getRelease: ["GET /repos/{owner}/{repo}/releases/{release_id}"],
    getReleaseAsset: ["GET /repos/{owner}/{repo}/releases/assets/{asset_id}"],
    getReleaseByTag: ["GET /repos/{owner}/{repo}/releases/tags/{tag}"],
    getRepoRuleSuite: [
      "GET /repos/{owner}/{repo}/rulesets/rule-suites/{rule_suite_id}"
    ],
    getRepoRuleSuites: ["GET /repos/{owner}/{repo}/rulesets/rule-suites"],
    getRepoRuleset: ["GET /repos/{owner}/{repo}/rulesets/{ruleset_id}"],
    getRepoRulesetHistory: [
      "GET /repos/{owner}/{repo}/rulesets/{ruleset_id}/history"
    ],
    getRepoRulesetVersion: [
      "GET /repos/{owner}/{repo}/rulesets/{ruleset_id}/history/{version_id}"
    ],
    getRepoRulesets: ["GET /repos/{owner}/{repo}/rulesets"],
    getStatusChecksProtection: [
      "GET /repos/{owner}/{repo}/branches/{branch}/protection/required_status_checks"
    ],
    getTeamsWithAccessToProtectedBranch: [
      "GET /repos/{owner}/{repo}/branches/{branch}/protection/restrictions/teams"
    ],
    getTopPaths: ["GET /repos/{owner}/{repo}/traffic/popular/paths"],
    getTopReferrers: ["GET /repos/{owner}/{repo}/traffic/popular/referrers"],
    getUsersWithAccessToProtectedBranch: [
      "GET /repos/{owner}/{repo}/branches/{branch}/protection/restrictions/users"
    ],
    getViews: ["GET /repos/{owner}/{repo}/traffic/views"],
    getWebhook: ["GET /repos/{owner}/{repo}/hooks/{hook_id}"],
    getWebhookConfigForRepo: [
      "GET /repos/{owner}/{repo}/hooks/{hook_id}/config"
    ],
    getWebhookDelivery: [
      "GET /repos/{owner}/{repo}/hooks/{hook_id}/deliveries/{delivery_id}"
    ],
    listActivities: ["GET /repos/{owner}/{repo}/activity"],
    listAttestations: [
      "GET /repos/{owner}/{repo}/attestations/{subject_digest}"
    ],
    listAutolinks: ["GET /repos/{owner}/{repo}/autolinks"],
    listBranches: ["GET /repos/{owner}/{repo}/branches"],
    listBranchesForHeadCommit: [
      "GET /repos/{owner}/{repo}/commits/{commit_sha}/branches-where-head"
    ],
    listCollaborators: ["GET /repos/{owner}/{repo}/collaborators"],
    listCommentsForCommit: [
      "GET /repos/{owner}/{repo}/commits/{commit_sha}/comments"
    ],
    listCommitCommentsForRepo: ["GET /repos/{owner}/{repo}/comments"],
    listCommitStatusesForRef: [
      "GET /repos/{owner}/{repo}/commits/{ref}/statuses"
    ],
    listCommits: ["GET /repos/{owner}/{repo}/commits"],
    listContributors: ["GET /repos/{owner}/{repo}/contributors"],
    listCustomDeploymentRuleIntegrations: [
      "GET /repos/{owner}/{repo}/environments/{environment_name}/deployment_protection_rules/apps"
    ],
    listDeployKeys: ["GET /repos/{owner}/{repo}/keys"],
    listDeploymentBranchPolicies: [
      "GET /repos/{owner}/{repo}/environments/{environment_name}/deployment-branch-policies"
    ],
    listDeploymentStatuses: [
      "GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses"
    ],
    listDeployments: ["GET /repos/{owner}/{repo}/deployments"],
    listForAuthenticatedUser: ["GET /user/repos"],
    listForOrg: ["GET /orgs/{org}/repos"],
    listForUser: ["GET /users/{username}/repos"],
    listForks: ["GET /repos/{owner}/{repo}/forks"],
    listInvitations: ["GET /repos/{owner}/{repo}/invitations"],
    listInvitationsForAuthenticatedUser: ["GET /user/repository_invitations"],
    listLanguages: ["GET /repos/{owner}/{repo}/languages"],
    listPagesBuilds: ["GET /repos/{owner}/{repo}/pages/builds"],
    listPublic: ["GET /repositories"],
    listPullRequestsAssociatedWithCommit: [
      "GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls"
    ],
    listReleaseAssets: [
      "GET /repos/{owner}/{repo}/releases/{release_id}/assets"
    ],
    listReleases: ["GET /repos/{owner}/{repo}/releases"],
    listTags: ["GET /repos/{owner}/{repo}/tags"],
    listTeams: ["GET /repos/{owner}/{repo}/teams"],
    listWebhookDeliveries: [
      "GET /repos/{owner}/{repo}/hooks/{hook_id}/deliveries"
    ],
    listWebhooks: ["GET /repos/{owner}/{repo}/hooks"],
    merge: ["POST /repos/{owner}/{repo}/merges"],
    mergeUpstream: ["POST /repos/{owner}/{repo}/merge-upstream"],
    pingWebhook: ["POST /repos/{owner}/{repo}/hooks/{hook_id}/pings"],
    redeliverWebhookDelivery: [
      "POST /repos/{owner}/{repo}/hooks/{hook_id}/deliveries/{delivery_id}/attempts"
    ],
    removeAppAccessRestrictions: [
      "DELETE /repos/{owner}/{repo}/branches/{branch}/protection/restrictions/apps",
      {},
      { mapToData: "apps" }
    ],
    removeCollaborator: [
      "DELETE /repos/{owner}/{repo}/collaborators/{username}"
    ],
    removeStatusCheckContexts: [
      "DELETE /repos/{owner}/{repo}/branches/{branch}/protection/required_status_checks/contexts",
      {},
      { mapToData: "contexts" }
    ],
    removeStatusCheckProtection: [
      "DELETE /repos/{owner}/{repo}/branches/{branch}/protection/required_status_checks"
    ],
    removeTeamAccessRestrictions: [
      "DELETE /repos/{owner}/{repo}/branches/{branch}/protection/restrictions/teams",
      {},
      { mapToData: "teams" }
    ],
    removeUserAccessRestrictions: [
      "DELETE /repos/{owner}/{repo}/branches/{branch}/protection/restrictions/users",
      {},
      { mapToData: "users" }
    ],
    renameBranch: ["POST /repos/{owner}/{repo}/branches/{branch}/rename"],
    replaceAllTopics: ["PUT /repos/{owner}/{repo}/topics"],
    requestPagesBuild: ["POST /repos/{owner}/{repo}/pages/builds"],
    setAdminBranchProtection: [
      "POST /repos/{owner}/{repo}/branches/{branch}/protection/enforce_admins"
    ],
    setAppAccessRestrictions: [
      "PUT /repos/{owner}/{repo}/branches/{branch}/protection/restrictions/apps",
      {},
      { mapToData: "apps" }
    ],
    setStatusCheckContexts: [
      "PUT /repos/{owner}/{repo}/branches/{branch}/protection/required_status_checks/contexts",
      {},
      { mapToData: "contexts" }
    ],
    setTeamAccessRestrictions: [
      "PUT /repos/{owner}/{repo}/branches/{branch}/protection/restrictions/teams",
      {},
      { mapToData: "teams" }
    ],
    setUserAccessRestrictions: [
      "PUT /repos/{owner}/{repo}/branches/{branch}/protection/restrictions/users",
      {},
      { mapToData: "users" }
    ],
    testPushWebhook: ["POST /repos/{owner}/{repo}/hooks/{hook_id}/tests"],
    transfer: ["POST /repos/{owner}/{repo}/transfer"],
    update: ["PATCH /repos/{owner}/{repo}"],
    updateBranchProtection: [
      "PUT /repos/{owner}/{repo}/branches/{branch}/protection"
    ],
    updateCommitComment: ["PATCH /repos/{owner}/{repo}/comments/{comment_id}"],
    updateDeploymentBranchPolicy: [
      "PUT /repos/{owner}/{repo}/environments/{environment_name}/deployment-branch-policies/{branch_policy_id}"
    ],
    updateInformationAboutPagesSite: ["PUT /repos/{owner}/{repo}/pages"],
    updateInvitation: [
      "PATCH /repos/{owner}/{repo}/invitations/{invitation_id}"
    ],
    updateOrgRuleset: ["PUT /orgs/{org}/rulesets/{ruleset_id}"],
    updatePullRequestReviewProtection: [
      "PATCH /repos/{owner}/{repo}/branches/{branch}/protection/required_pull_request_reviews"
    ],
    updateRelease: ["PATCH /repos/{owner}/{repo}/releases/{release_id}"],
    updateReleaseAsset: [
      "PATCH /repos/{owner}/{repo}/releases/assets/{asset_id}"
    ],
    updateRepoRuleset: ["PUT /repos/{owner}/{repo}/rulesets/{ruleset_id}"],
    updateStatusCheckPotection: [
      "PATCH /repos/{owner}/{repo}/branches/{branch}/protection/required_status_checks",
      {},
      { renamed: ["repos", "updateStatusCheckProtection"] }
    ],
    updateStatusCheckProtection: [
      "PATCH /repos/{owner}/{repo}/branches/{branch}/protection/required_status_checks"
    ],
    updateWebhook: ["PATCH /repos/{owner}/{repo}/hooks/{hook_id}"],
    updateWebhookConfigForRepo: [
      "PATCH /repos/{owner}/{repo}/hooks/{hook_id}/config"
    ],
    uploadReleaseAsset: [
      "POST /repos/{owner}/{repo}/releases/{release_id}/assets{?name,label}",
      { baseUrl: "https://uploads.github.com" }
    ]
  },
  search: {
    code: ["GET /search/code"],
    commits: ["GET /search/commits"],
    issuesAndPullRequests: ["GET /search/issues"],
    labels: ["GET /search/labels"],
    repos: ["GET /search/repositories"],
    topics: ["GET /search/topics"],
    users: ["GET /search/users"]
  },
  secretScanning: {
    createPushProtectionBypass: [
      "POST /repos/{owner}/{repo}/secret-scanning/push-protection-bypasses"
    ],
    getAlert: [
      "GET /repos/{owner}/{repo}/secret-scanning/alerts/{alert_number}"
    ],
    getScanHistory: ["GET /repos/{owner}/{repo}/secret-scanning/scan-history"],
    listAlertsForOrg: ["GET /orgs/{org}/secret-scanning/alerts"],
    listAlertsForRepo: ["GET /repos/{owner}/{repo}/secret-scanning/alerts"],
    listLocationsForAlert: [
      "GET /repos/{owner}/{repo}/secret-scanning/alerts/{alert_number}/locations"
    ],
    listOrgPatternConfigs: [
      "GET /orgs/{org}/secret-scanning/pattern-configurations"
    ],
    updateAlert: [
      "PATCH /repos/{owner}/{repo}/secret-scanning/alerts/{alert_number}"
    ],
    updateOrgPatternConfigs: [
      "PATCH /orgs/{org}/secret-scanning/pattern-configurations"
    ]
  },
  securityAdvisories: {
    createFork: [
      "POST /repos/{owner}/{repo}/security-advisories/{ghsa_id}/forks"
    ],
    createPrivateVulnerabilityReport: [
      "POST /repos/{owner}/{repo}/security-advisories/reports"
    ],
    createRepositoryAdvisory: [
      "POST /repos/{owner}/{repo}/security-advisories"
    ],
    createRepositoryAdvisoryCveRequest: [
      "POST /repos/{owner}/{repo}/security-advisories/{ghsa_id}/cve"
    ],
    getGlobalAdvisory: ["GET /advisories/{ghsa_id}"],
    getRepositoryAdvisory: [
      "GET /repos/{owner}/{repo}/security-advisories/{ghsa_id}"
    ],
    listGlobalAdvisories: ["GET /advisories"],
    listOrgRepositoryAdvisories: ["GET /orgs/{org}/security-advisories"],
    listRepositoryAdvisories: ["GET /repos/{owner}/{repo}/security-advisories"],
    updateRepositoryAdvisory: [
      "PATCH /repos/{owner}/{repo}/security-advisories/{ghsa_id}"
    ]
  },
  teams: {
    addOrUpdateMembershipForUserInOrg: [
      "PUT /orgs/{org}/teams/{team_slug}/memberships/{username}"
    ],
    addOrUpdateRepoPermissionsInOrg: [
      "PUT /orgs/{org}/teams/{team_slug}/repos/{owner}/{repo}"
    ],
    checkPermissionsForRepoInOrg: [
      "GET /orgs/{org}/teams/{team_slug}/repos/{owner}/{repo}"
    ],
    create: ["POST /orgs/{org}/teams"],
    createDiscussionCommentInOrg: [
      "POST /orgs/{org}/teams/{team_slug}/discussions/{discussion_number}/comments"
    ],
    createDiscussionInOrg: ["POST /orgs/{org}/teams/{team_slug}/discussions"],
    deleteDiscussionCommentInOrg: [
      "DELETE /orgs/{org}/teams/{team_slug}/discussions/{discussion_number}/comments/{comment_number}"
    ],
    deleteDiscussionInOrg: [
      "DELETE /orgs/{org}/teams/{team_slug}/discussions/{discussion_number}"
    ],
    deleteInOrg: ["DELETE /orgs/{org}/teams/{team_slug}"],
    getByName: ["GET /orgs/{org}/teams/{team_slug}"],
    getDiscussionCommentInOrg: [
      "GET /orgs/{org}/teams/{team_slug}/discussions/{discussion_number}/comments/{comment_number}"
    ],
    getDiscussionInOrg: [
      "GET /orgs/{org}/teams/{team_slug}/discussions/{discussion_number}"
    ],
    getMembershipForUserInOrg: [
      "GET /orgs/{org}/teams/{team_slug}/memberships/{username}"
    ],
    list: ["GET /orgs/{org}/teams"],
    listChildInOrg: ["GET /orgs/{org}/teams/{team_slug}/teams"],
    listDiscussionCommentsInOrg: [
      "GET /orgs/{org}/teams/{team_slug}/discussions/{discussion_number}/comments"
    ],
    listDiscussionsInOrg: ["GET /orgs/{org}/teams/{team_slug}/discussions"],
    listForAuthenticatedUser: ["GET /user/teams"],
    listMembersInOrg: ["GET /orgs/{org}/teams/{team_slug}/members"],
    listPendingInvitationsInOrg: [
      "GET /orgs/{org}/teams/{team_slug}/invitations"
    ],
    listReposInOrg: ["GET /orgs/{org}/teams/{team_slug}/repos"],
    removeMembershipForUserInOrg: [
      "DELETE /orgs/{org}/teams/{team_slug}/memberships/{username}"
    ],
    removeRepoInOrg: [
      "DELETE /orgs/{org}/teams/{team_slug}/repos/{owner}/{repo}"
    ],
    updateDiscussionCommentInOrg: [
      "PATCH /orgs/{org}/teams/{team_slug}/discussions/{discussion_number}/comments/{comment_number}"
    ],
    updateDiscussionInOrg: [
      "PATCH /orgs/{org}/teams/{team_slug}/discussions/{discussion_number}"
    ],
    updateInOrg: ["PATCH /orgs/{org}/teams/{team_slug}"]
  },
  users: {
    addEmailForAuthenticated: [
      "POST /user/emails",
      {},
      { renamed: ["users", "addEmailForAuthenticatedUser"] }
    ],
    addEmailForAuthenticatedUser: ["POST /user/emails"],
    addSocialAccountForAuthenticatedUser: ["POST /user/social_accounts"],
    block: ["PUT /user/blocks/{username}"],
    checkBlocked: ["GET /user/blocks/{username}"],
    checkFollowingForUser: ["GET /users/{username}/following/{target_user}"],
    checkPersonIsFollowedByAuthenticated: ["GET /user/following/{username}"],
    createGpgKeyForAuthenticated: [
      "POST /user/gpg_keys",
      {},
      { renamed: ["users", "createGpgKeyForAuthenticatedUser"] }
    ],
    createGpgKeyForAuthenticatedUser: ["POST /user/gpg_keys"],
    createPublicSshKeyForAuthenticated: [
      "POST /user/keys",
      {},
      { renamed: ["users", "createPublicSshKeyForAuthenticatedUser"] }
    ],
    createPublicSshKeyForAuthenticatedUser: ["POST /user/keys"],
    createSshSigningKeyForAuthenticatedUser: ["POST /user/ssh_signing_keys"],
    deleteAttestationsBulk: [
      "POST /users/{username}/attestations/delete-request"
    ],
    deleteAttestationsById: [
      "DELETE /users/{username}/attestations/{attestation_id}"
    ],
    deleteAttestationsBySubjectDigest: [
      "DELETE /users/{username}/attestations/digest/{subject_digest}"
    ],
    deleteEmailForAuthenticated: [
      "DELETE /user/emails",
      {},
      { renamed: ["users", "deleteEmailForAuthenticatedUser"] }
    ],
    deleteEmailForAuthenticatedUser: ["DELETE /user/emails"],
    deleteGpgKeyForAuthenticated: [
      "DELETE /user/gpg_keys/{gpg_key_id}",
      {},
      { renamed: ["users", "deleteGpgKeyForAuthenticatedUser"] }
    ],
    deleteGpgKeyForAuthenticatedUser: ["DELETE /user/gpg_keys/{gpg_key_id}"],
    deletePublicSshKeyForAuthenticated: [
      "DELETE /user/keys/{key_id}",
      {},
      { renamed: ["users", "deletePublicSshKeyForAuthenticatedUser"] }
    ],
    deletePublicSshKeyForAuthenticatedUser: ["DELETE /user/keys/{key_id}"],
    deleteSocialAccountForAuthenticatedUser: ["DELETE /user/social_accounts"],
    deleteSshSigningKeyForAuthenticatedUser: [
      "DELETE /user/ssh_signing_keys/{ssh_signing_key_id}"
    ],
    follow: ["PUT /user/following/{username}"],
    getAuthenticated: ["GET /user"],
    getById: ["GET /user/{account_id}"],
    getByUsername: ["GET /users/{username}"],
    getContextForUser: ["GET /users/{username}/hovercard"],
    getGpgKeyForAuthenticated: [
      "GET /user/gpg_keys/{gpg_key_id}",
      {},
      { renamed: ["users", "getGpgKeyForAuthenticatedUser"] }
    ],
    getGpgKeyForAuthenticatedUser: ["GET /user/gpg_keys/{gpg_key_id}"],
    getPublicSshKeyForAuthenticated: [
      "GET /user/keys/{key_id}",
      {},
      { renamed: ["users", "getPublicSshKeyForAuthenticatedUser"] }
    ],
    getPublicSshKeyForAuthenticatedUser: ["GET /user/keys/{key_id}"],
    getSshSigningKeyForAuthenticatedUser: [
      "GET /user/ssh_signing_keys/{ssh_signing_key_id}"
    ],
    list: ["GET /users"],
    listAttestations: ["GET /users/{username}/attestations/{subject_digest}"],
    listAttestationsBulk: [
      "POST /users/{username}/attestations/bulk-list{?per_page,before,after}"
    ],
    listBlockedByAuthenticated: [
      "GET /user/blocks",
      {},
      { renamed: ["users", "listBlockedByAuthenticatedUser"] }
    ],
    listBlockedByAuthenticatedUser: ["GET /user/blocks"],
    listEmailsForAuthenticated: [
      "GET /user/emails",
      {},
      { renamed: ["users", "listEmailsForAuthenticatedUser"] }
    ],
    listEmailsForAuthenticatedUser: ["GET /user/emails"],
    listFollowedByAuthenticated: [
      "GET /user/following",
      {},
      { renamed: ["users", "listFollowedByAuthenticatedUser"] }
    ],
    listFollowedByAuthenticatedUser: ["GET /user/following"],
    listFollowersForAuthenticatedUser: ["GET /user/followers"],
    listFollowersForUser: ["GET /users/{username}/followers"],
    listFollowingForUser: ["GET /users/{username}/following"],
    listGpgKeysForAuthenticated: [
      "GET /user/gpg_keys",
      {},
      { renamed: ["users", "listGpgKeysForAuthenticatedUser"] }
    ],
    listGpgKeysForAuthenticatedUser: ["GET /user/gpg_keys"],
    listGpgKeysForUser: ["GET /users/{username}/gpg_keys"],
    listPublicEmailsForAuthenticated: [
      "GET /user/public_emails",
      {},
      { renamed: ["users", "listPublicEmailsForAuthenticatedUser"] }
    ],
    listPublicEmailsForAuthenticatedUser: ["GET /user/public_emails"],
    listPublicKeysForUser: ["GET /users/{username}/keys"],
    listPublicSshKeysForAuthenticated: [
      "GET /user/keys",
      {},
      { renamed: ["users", "listPublicSshKeysForAuthenticatedUser"] }
    ],
    listPublicSshKeysForAuthenticatedUser: ["GET /user/keys"],
    listSocialAccountsForAuthenticatedUser: ["GET /user/social_accounts"],
    listSocialAccountsForUser: ["GET /users/{username}/social_accounts"],
    listSshSigningKeysForAuthenticatedUser: ["GET /user/ssh_signing_keys"],
    listSshSigningKeysForUser: ["GET /users/{username}/ssh_signing_keys"],
    setPrimaryEmailVisibilityForAuthenticated: [
      "PATCH /user/email/visibility",
      {},
      { renamed: ["users", "setPrimaryEmailVisibilityForAuthenticatedUser"] }
    ],
    setPrimaryEmailVisibilityForAuthenticatedUser: [
      "PATCH /user/email/visibility"
    ],
    unblock: ["DELETE /user/blocks/{username}"],
    unfollow: ["DELETE /user/following/{username}"],
    updateAuthenticated: ["PATCH /user"]
  }
};
var endpoints_default = Endpoints;

// node_modules/@octokit/plugin-rest-endpoint-methods/dist-src/endpoints-to-methods.js
var endpointMethodsMap = /* @__PURE__ */ new Map();
for (const [scope, endpoints] of Object.entries(endpoints_default)) {
  for (const [methodName, endpoint2] of Object.entries(endpoints)) {
    const [route, defaults, decorations] = endpoint2;
    const [method, url] = route.split(/ /);
    const endpointDefaults = Object.assign(
      {
        method,
        url
      },
      defaults
    );
    if (!endpointMethodsMap.has(scope)) {
      endpointMethodsMap.set(scope, /* @__PURE__ */ new Map());
    }
    endpointMethodsMap.get(scope).set(methodName, {
      scope,
      methodName,
      endpointDefaults,
      decorations
    });
  }
}
var handler = {
  has({ scope }, methodName) {
    return endpointMethodsMap.get(scope).has(methodName);
  },
  getOwnPropertyDescriptor(target, methodName) {
    return {
      value: this.get(target, methodName),
      // ensures method is in the cache
      configurable: true,
      writable: true,
      enumerable: true
    };
  },
  defineProperty(target, methodName, descriptor) {
    Object.defineProperty(target.cache, methodName, descriptor);
    return true;
  },
  deleteProperty(target, methodName) {
    delete target.cache[methodName];
    return true;
  },
  ownKeys({ scope }) {
    return [...endpointMethodsMap.get(scope).keys()];
  },
  set(target, methodName, value) {
    return target.cache[methodName] = value;
  },
  get({ octokit, scope, cache }, methodName) {
    if (cache[methodName]) {
      return cache[methodName];
    }
    const method = endpointMethodsMap.get(scope).get(methodName);
    if (!method) {
      return void 0;
    }
    const { endpointDefaults, decorations } = method;
    if (decorations) {
      cache[methodName] = decorate(
        octokit,
        scope,
        methodName,
        endpointDefaults,
        decorations
      );
    } else {
      cache[methodName] = octokit.request.defaults(endpointDefaults);
    }
    return cache[methodName];
  }
};
function endpointsToMethods(octokit) {
  const newMethods = {};
  for (const scope of endpointMethodsMap.keys()) {
    newMethods[scope] = new Proxy({ octokit, scope, cache: {} }, handler);
  }
  return newMethods;
}
function decorate(octokit, scope, methodName, defaults, decorations) {
  const requestWithDefaults = octokit.request.defaults(defaults);
  function withDecorations(...args) {
    let options = requestWithDefaults.endpoint.merge(...args);
    if (decorations.mapToData) {
      options = Object.assign({}, options, {
        data: options[decorations.mapToData],
        [decorations.mapToData]: void 0
      });
      return requestWithDefaults(options);
    }
    if (decorations.renamed) {
      const [newScope, newMethodName] = decorations.renamed;
      octokit.log.warn(
        `octokit.${scope}.${methodName}() has been renamed to octokit.${newScope}.${newMethodName}()`
      );
    }
    if (decorations.deprecated) {
      octokit.log.warn(decorations.deprecated);
    }
    if (decorations.renamedParameters) {
      const options2 = requestWithDefaults.endpoint.merge(...args);
      for (const [name, alias] of Object.entries(
        decorations.renamedParameters
      )) {
        if (name in options2) {
          octokit.log.warn(
            `"${name}" parameter is deprecated for "octokit.${scope}.${methodName}()". Use "${alias}" instead`
          );
          if (!(alias in options2)) {
            options2[alias] = options2[name];
          }
          delete options2[name];
        }
      }
      return requestWithDefaults(options2);
    }
    return requestWithDefaults(...args);
  }
  return Object.assign(withDecorations, requestWithDefaults);
}

// node_modules/@octokit/plugin-rest-endpoint-methods/dist-src/index.js
function restEndpointMethods(octokit) {
  const api = endpointsToMethods(octokit);
  return {
    rest: api
  };
}
restEndpointMethods.VERSION = VERSION8;
function legacyRestEndpointMethods(octokit) {
  const api = endpointsToMethods(octokit);
  return {
    ...api,
    rest: api
  };
}
legacyRestEndpointMethods.VERSION = VERSION8;

// node_modules/@octokit/rest/dist-src/version.js
var VERSION9 = "22.0.1";

// node_modules/@octokit/rest/dist-src/index.js
var Octokit2 = Octokit.plugin(requestLog, legacyRestEndpointMethods, paginateRest).defaults(
  {
    userAgent: `octokit-rest.js/${VERSION9}`
  }
);

// src/github/deployments.ts
var DEFAULT_API_URL = "https://api.github.com";
var DEFAULT_TIMEOUT_MS = 3e4;
var DESCRIPTION_MAX = 140;
async function recordDeployment(options) {
  return guarded(() => record(options), options);
}
async function record(options) {
  const setup = prepare(options);
  if (!setup.ok) return setup;
  const { octokit, owner, repo, log, redact: redact2 } = setup;
  const environment = options.environment;
  let deployment;
  try {
    const response = await octokit.rest.repos.createDeployment({
      owner,
      repo,
      ref: options.ref,
      task: options.task ?? "deploy:image",
      auto_merge: false,
      required_contexts: [],
      environment,
      description: truncate(options.description ?? `${options.payload.digest}`),
      payload: { ...options.payload },
      transient_environment: options.transient ?? false,
      production_environment: options.production ?? /^prod(uction)?$/i.test(environment)
    });
    const data = response.data;
    if (response.status !== 201 || typeof data.id !== "number") {
      const message = typeof data.message === "string" ? data.message : JSON.stringify(data);
      return {
        ok: false,
        error: redact2(
          `GitHub created no deployment of ${options.ref} to ${environment} (HTTP ${response.status}: ${message})`
        )
      };
    }
    deployment = { id: data.id, url: String(data.url ?? "") };
  } catch (e) {
    return {
      ok: false,
      error: redact2(
        `creating a GitHub deployment of ${options.ref} to ${environment} in ${owner}/${repo} failed: ${describe(e, options)}`
      )
    };
  }
  log.debug(`GitHub deployment ${deployment.id}: ${options.ref} to ${environment}`);
  const status = await postStatus(octokit, owner, repo, deployment.id, environment, options, redact2);
  if (!status.ok) return { ok: false, error: status.error, deployment };
  log.debug(`GitHub deployment ${deployment.id} (${environment}): ${status.status.state}`);
  return { ok: true, deployment, status: status.status };
}
async function guarded(f, options) {
  try {
    return await f();
  } catch (e) {
    const token = options.token?.trim();
    const message = e instanceof Error ? e.message : String(e);
    return { ok: false, error: `GitHub deployment: ${token ? message.split(token).join("***") : message}` };
  }
}
function deploymentContext(env, event) {
  const apiUrl = env.GITHUB_API_URL || DEFAULT_API_URL;
  const repository = env.GITHUB_REPOSITORY || void 0;
  let ref = env.GITHUB_SHA || void 0;
  if (env.GITHUB_EVENT_NAME?.startsWith("pull_request")) {
    const head = event?.pull_request?.head?.sha;
    if (typeof head === "string" && head) ref = head;
  }
  const server = env.GITHUB_SERVER_URL || "https://github.com";
  const logUrl = repository && env.GITHUB_RUN_ID ? `${server}/${repository}/actions/runs/${env.GITHUB_RUN_ID}/attempts/${env.GITHUB_RUN_ATTEMPT || "1"}` : void 0;
  return { apiUrl, repository, ref, logUrl };
}
function prepare(options) {
  const token = options.token?.trim() ?? "";
  if (token) options.onSecret?.(token);
  const redact2 = (s) => token ? s.split(token).join("***") : s;
  if (!token) return { ok: false, error: "no GitHub token: no deployment recorded" };
  const match = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(options.repository ?? "");
  if (!match)
    return {
      ok: false,
      error: `repository must be owner/repo, got ${JSON.stringify(options.repository ?? "")}`
    };
  const given = options.logger ?? silentLogger;
  const quiet = (f) => (m) => {
    try {
      f.call(given, m);
    } catch {
    }
  };
  const log = { debug: quiet(given.debug), info: quiet(given.info), warning: quiet(given.warning) };
  const baseUrl = (options.apiUrl || DEFAULT_API_URL).replace(/\/+$/, "");
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const debug2 = (message) => {
    if (typeof message === "string") log.debug(redact2(message));
  };
  const octokit = new Octokit2({
    auth: token,
    baseUrl,
    userAgent: "promote-image",
    log: { debug: () => {
    }, info: debug2, warn: debug2, error: debug2 },
    request: options.fetch ? { fetch: options.fetch } : {}
  });
  octokit.hook.before("request", (endpoint2) => {
    endpoint2.request = { ...endpoint2.request, signal: AbortSignal.timeout(timeoutMs) };
  });
  return { ok: true, octokit, owner: match[1], repo: match[2], log, redact: redact2 };
}
async function postStatus(octokit, owner, repo, deploymentId, environment, options, redact2) {
  try {
    const response = await octokit.rest.repos.createDeploymentStatus({
      owner,
      repo,
      deployment_id: deploymentId,
      state: options.state,
      ...options.description !== void 0 ? { description: truncate(options.description) } : {},
      ...options.logUrl ? { log_url: options.logUrl } : {},
      ...options.environmentUrl ? { environment_url: options.environmentUrl } : {},
      ...environment ? { environment } : {}
    });
    return { ok: true, status: { id: response.data.id, state: options.state } };
  } catch (e) {
    return {
      ok: false,
      error: redact2(
        `setting GitHub deployment ${deploymentId} to ${options.state} in ${owner}/${repo} failed: ${describe(e, options)}`
      )
    };
  }
}
function describe(e, options) {
  const err = e;
  const timedOut = (name) => name === "TimeoutError" || name === "AbortError";
  if (timedOut(err?.name) || timedOut(err?.cause?.name))
    return `no answer within ${options.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms`;
  if (typeof err?.status !== "number" || !err.response) return networkError(e);
  const data = err.response.data;
  let text = `HTTP ${err.status}`;
  const body = data && typeof data === "object" ? data : void 0;
  if (typeof body?.message === "string") text += ` ${body.message}`;
  else if (typeof data === "string" && data) text += ` ${data.slice(0, 200)}`;
  if (body && Array.isArray(body.errors) && body.errors.length)
    text += ` (${body.errors.map(
      (x) => typeof x === "string" ? x : [x?.field, x?.code, x?.message].filter((v) => typeof v === "string" && v).join(" ")
    ).join("; ")})`;
  if (err.status === 401) text += " \u2014 the token is not valid";
  else if (err.status === 403)
    text += " \u2014 the token needs the deployments: write permission (`permissions: deployments: write`)";
  else if (err.status === 404) text += " \u2014 the repository does not exist or the token cannot see it";
  return text;
}
function networkError(e) {
  let said = "";
  let cur = e;
  for (let depth = 0; cur && typeof cur === "object" && depth < 5; depth++) {
    const m = typeof cur.message === "string" && cur.message ? cur.message : cur.code;
    if (typeof m === "string" && m && m !== "Unknown Error" && m !== "fetch failed") said = m;
    cur = cur.cause;
  }
  return said || (e instanceof Object && "message" in e ? String(e.message) : String(e));
}
function truncate(s) {
  return s.length <= DESCRIPTION_MAX ? s : `${s.slice(0, DESCRIPTION_MAX - 1)}\u2026`;
}

// src/main.ts
var mask = maskOnce((s) => setSecret(s));
var coreLogger = {
  debug: (m) => debug(commandText(m)),
  info: (m) => info(logText(m)),
  warning: (m) => warning(commandText(m))
};
function tagsOf(inputs, target) {
  return inputs["target-tags"][targetKey(target)] ?? inputs.tags;
}
function allTags(inputs) {
  return [...new Set(inputs.targets.flatMap((t) => tagsOf(inputs, t)))];
}
function defaultStagingTag(env) {
  if (env.GITHUB_RUN_ID) return `build-${env.GITHUB_RUN_ID}-${env.GITHUB_RUN_ATTEMPT ?? "1"}`;
  if (env.GITHUB_SHA) return `sha-${env.GITHUB_SHA.slice(0, 12)}`;
  return `build-${(/* @__PURE__ */ new Date()).toISOString().replace(/[^0-9]/g, "").slice(0, 14)}`;
}
function buildInputsOf(inputs, metadataFile) {
  return {
    context: inputs.context,
    file: inputs.file,
    buildArgs: inputs["build-args"],
    labels: inputs.labels,
    tags: [],
    platforms: inputs.platforms,
    target: inputs.target,
    noCache: inputs["no-cache"],
    metadataFile,
    sourceDateEpoch: process.env.GITHUB_SHA ? sourceDateEpochOf(readGitHubContext()) : void 0,
    ...inputs.build
  };
}
function stagingTagFor(inputs, build) {
  const given = inputs["staging-image"].tag;
  if (given) return { tag: given, reusable: false };
  const sha = process.env.GITHUB_SHA;
  if (sha && /^[0-9a-f]{12,64}$/.test(sha)) return { tag: platformStagingTag(sha, build), reusable: true };
  return { tag: defaultStagingTag(process.env), reusable: false };
}
async function buildStaged(inputs, build, ref) {
  const options = { dockerCli: inputs["docker-cli"], logger: coreLogger };
  if (inputs.cache === "actions")
    options.cache = { store: actionsCache(), dir: defaultCacheDir(process.env), logger: coreLogger };
  const result = await group(`Build and push ${ref}`, async () => buildWithCache(build, options));
  coreLogger.info(`built with ${result.driver} (${result.cli}); pushed ${ref} = ${result.digest}`);
  setOutput(Outputs.imageid, result.imageId);
  setOutput(Outputs.metadata, JSON.stringify(result.metadata));
  return result.digest;
}
async function stage(client, inputs) {
  if (inputs.source) {
    const s = inputs.source;
    return {
      registry: s.registry,
      repository: s.repository,
      reference: manifestReference(s),
      display: formatReference(s)
    };
  }
  const staging = inputs["staging-image"];
  const repo = { registry: staging.registry, repository: staging.repository };
  const dir = await mkdtemp2(join5(tmpdir3(), "promote-image-"));
  try {
    const build = buildInputsOf(inputs, join5(dir, "metadata.json"));
    const { tag, reusable } = stagingTagFor(inputs, build);
    const ref = formatReference({ ...repo, tag });
    const staged = { ...repo, reference: tag, display: ref };
    if (reusable && !inputs.rebuild) {
      const found = await client.headManifest(repo, tag);
      if (found) {
        coreLogger.info(
          `${ref} = ${found.digest} was staged by an earlier run of this commit and build inputs: reusing it (rebuild: true builds anew)`
        );
        return staged;
      }
    }
    return { ...staged, built: await buildStaged(inputs, { ...build, tags: [ref] }, ref) };
  } finally {
    await rm5(dir, { recursive: true, force: true });
  }
}
async function mergeStaged(client, inputs, report, signal) {
  const staging = inputs["staging-image"];
  const commit = process.env.GITHUB_SHA;
  const tag = mergeTag(staging, commit);
  const result = await group(
    `Merge ${inputs.merge.join(", ")} into one index`,
    async () => mergeStage(client, {
      staging,
      sources: inputs.merge,
      platforms: inputs["merge-platforms"],
      commit,
      dryRun: inputs["dry-run"],
      logger: coreLogger,
      signal
    })
  );
  const repo = { registry: staging.registry, repository: staging.repository };
  coreLogger.info(
    `merged ${result.plan.platforms.join(", ")} into ${result.reference} = ${result.digest} (${result.mediaType}; ${result.manifestsPushed} manifest(s) written)`
  );
  if (inputs["dry-run"] && (await client.headManifest(repo, tag))?.digest !== result.digest) {
    coreLogger.info(
      `dry run: the index is not written, so its promotion cannot be planned yet; it would be ${result.digest}`
    );
    setOutput(Outputs.digest, result.digest);
    report.source = { display: result.reference, digest: result.digest };
    report.mergePlan = {
      reference: result.reference,
      digest: result.digest,
      platforms: result.plan.platforms
    };
    return void 0;
  }
  return {
    ...repo,
    reference: tag,
    display: result.reference,
    built: result.digest,
    madeBy: "the merge wrote"
  };
}
async function reportDeployment(inputs, stagingRef, digest, state, description, result) {
  const environment = inputs["deployment-environment"];
  if (!environment) return void 0;
  const event = process.env.GITHUB_EVENT_PATH ? JSON.parse(await readFile5(process.env.GITHUB_EVENT_PATH, "utf8")) : void 0;
  const ctx = deploymentContext(process.env, event);
  if (!ctx.repository || !ctx.ref) {
    warning("GitHub deployment not recorded: GITHUB_REPOSITORY or GITHUB_SHA is not set");
    return void 0;
  }
  const targets = result ? promotedOutput(result) : inputs.targets.map((t) => {
    const target = `${t.registry}/${t.repository}`;
    return {
      target,
      tags: tagsOf(inputs, t),
      references: [`${target}@${digest}`, ...tagsOf(inputs, t).map((x) => `${target}:${x}`)]
    };
  });
  const r = await recordDeployment({
    token: inputs["github-token"],
    apiUrl: ctx.apiUrl,
    repository: ctx.repository,
    ref: ctx.ref,
    environment,
    state,
    description,
    logUrl: ctx.logUrl,
    environmentUrl: inputs["deployment-url"],
    payload: { digest, staging: stagingRef, targets },
    logger: coreLogger,
    onSecret: (s) => mask(s)
  });
  if (!r.ok) {
    warning(`GitHub deployment not recorded: ${r.error}`);
    return void 0;
  }
  setOutput(Outputs.deploymentId, String(r.deployment.id));
  return { id: r.deployment.id, environment, url: deploymentsUrl(process.env, environment), state };
}
function actionCredentials(inputs, dockerConfig = {}) {
  const logins = Object.entries(inputs["registry-auth"]).map(([registry, c]) => ({ registry, ...c }));
  return defaultCredentials(logins, { logger: coreLogger, ...dockerConfig });
}
function announce(inputs) {
  for (const c of Object.values(inputs["registry-auth"])) for (const s of secretsOf(c)) mask(s);
  if (inputs["github-token"]) mask(inputs["github-token"]);
  for (const secret of inputs.build.secrets ?? []) {
    if (!("value" in secret)) continue;
    mask(secret.value);
    const lines = secret.value.split("\n").filter((l) => l.trim());
    if (lines.length > 1) for (const line of lines) mask(line);
  }
  for (const w of inputs["tag-warnings"]) warning(w);
  if (inputs["promotion-file"]) return;
  if (inputs.targets.length && allTags(inputs).length === 0)
    info("no tags given: the image is promoted by digest only");
  if (inputs.targets.length === 0 && !inputs["dry-run"])
    warning(
      inputs.source ? "no targets: nothing is promoted" : inputs.merge.length ? "no targets: the index is merged at staging only" : "no targets: the image is built and staged only"
    );
}
async function actionProof(inputs) {
  const words2 = inputs.options.proof;
  if (!words2) return {};
  for (const given of [words2.signKey, ...words2.verifyKey ?? []])
    if (given?.includes("-----BEGIN") && given.includes("PRIVATE KEY")) {
      mask(given.trim());
      for (const line of given.split(/\r?\n/).map((l) => l.trim()))
        if (line && !line.startsWith("-----")) mask(line);
    }
  const { settings, secrets } = await proofSettings(inputs.options, actionEdge());
  for (const s of secrets) mask(s);
  return settings;
}
function actionEdge() {
  return {
    run: recordRunOf(process.env),
    token: async () => {
      const token = await getIDToken("sigstore");
      for (const part of [token, ...token.split(".").slice(1)]) mask(part);
      return token;
    },
    version: VERSION
  };
}
async function resolveStaged(client, staged) {
  const repo = { registry: staged.registry, repository: staged.repository };
  const resolved = await resolve(client, repo, staged.reference);
  if (staged.built && resolved.digest !== staged.built) {
    throw new Error(
      `${staged.display} is ${resolved.digest} at the staging registry, but ${staged.madeBy ?? "the build pushed"} ${staged.built}: the tag moved during the run`
    );
  }
  coreLogger.info(`staging: ${staged.display} = ${resolved.digest}`);
  return { digest: resolved.digest, ref: `${staged.registry}/${staged.repository}@${resolved.digest}` };
}
async function promoteStaged(client, inputs, staged, pinned, report, proof, signal) {
  const meter = new ProgressMeter();
  try {
    return await group(
      `Promote ${pinned.digest}`,
      async () => promote(client, {
        ...promoteSettings(inputs.options, {
          dryRun: inputs["dry-run"],
          logger: coreLogger,
          env: process.env,
          signal,
          requestBudget: client.transport.rateLimits,
          proof
        }),
        source: { registry: staged.registry, repository: staged.repository, reference: pinned.digest },
        targets: inputs.targets.map((t) => ({
          repo: { registry: t.registry, repository: t.repository },
          tags: tagsOf(inputs, t)
        })),
        onPlan: (plan) => void (report.plan = plan),
        onProgress: (p) => info(progressLine(p, meter.update(p)))
      })
    );
  } catch (e) {
    const refused = e instanceof TagPolicyError ? e.plan : e.plan;
    if (refused && (e instanceof TagPolicyError || e.name === "GateError")) {
      report.plan = refused;
      setJsonOutput(Outputs.plan, refused);
    }
    if (!inputs["dry-run"])
      report.deployment = await reportDeployment(
        inputs,
        pinned.ref,
        pinned.digest,
        "failure",
        e.message
      );
    throw e;
  }
}
async function promoteFile(client, inputs, proof, signal) {
  const file = inputs["promotion-file"];
  const path = file.path;
  const shards = inputs["plan-shards"];
  if (shards) {
    const matrix = JSON.stringify(
      await matrixOf(client, file.images, shards, coreLogger, inputs.options.requestBudgets)
    );
    info(`shards of ${path}: ${matrix}`);
    return void setOutput(Outputs.matrix, matrix);
  }
  const { shard } = inputs;
  const images = shard ? await shardImages(client, file.images, shard.k, shard.n, coreLogger) : file.images;
  const dryRun = inputs["dry-run"];
  const own = file.images.some((i) => i.proof) ? await fileProofSettings(file, inputs.options, actionEdge(), "inputs") : void 0;
  for (const s of own?.secrets ?? []) mask(s);
  const outcomes = await group(
    `Promote ${images.length} image(s) from ${path}`,
    async () => runBatch(client, images, {
      ...promoteSettings(inputs.options, {
        dryRun,
        logger: coreLogger,
        env: process.env,
        signal,
        requestBudget: client.transport.rateLimits,
        proof
      }),
      imageProof: own?.byImage
    })
  );
  for (const o of outcomes) withTlsAdvice(o.error, OPTION_INPUTS);
  info(logText(batchText(outcomes, dryRun)));
  const promoted = outcomes.flatMap((o) => o.result && !dryRun ? promotedOutput(o.result) : []);
  setOutput(Outputs.promoted, JSON.stringify(promoted));
  if (process.env.GITHUB_STEP_SUMMARY)
    await summary.addRaw(batchMarkdown(outcomes) + "\n").write().catch((e) => warning(`job summary not written: ${e.message}`));
  const interrupted = batchInterruption(outcomes);
  if (interrupted) {
    const { signal: name, lines } = interrupted;
    setFailed(
      commandText(`${lines.length} of ${outcomes.length} images interrupted:
  ${lines.join("\n  ")}`)
    );
    return void (process.exitCode = SIGNAL_EXIT[name] ?? 130);
  }
  const failed = failureLines(outcomes);
  if (failed.length)
    setFailed(`${failed.length} of ${outcomes.length} images failed:
  ${failed.join("\n  ")}`);
}
async function promoteAndReport(client, inputs, staged, report, proof, signal) {
  report.source = { display: staged.display };
  const pinned = await resolveStaged(client, staged);
  report.source.digest = pinned.digest;
  const result = await promoteStaged(client, inputs, staged, pinned, report, proof, signal);
  if (!result.plan.dryRun) {
    const description = `promoted to ${inputs.targets.length} target(s)`;
    report.deployment = await reportDeployment(
      inputs,
      pinned.ref,
      result.digest,
      "success",
      description,
      result
    );
  }
  info(logText(result.plan.dryRun ? planText(result.plan) : textTable(resultRows(result))));
  for (const line of copiedArtifactLines(result.plan)) coreLogger.info(line);
  setOutputs(result, pinned.ref, allTags(inputs));
  coreLogger.info(promotedLine(`${staged.registry}/${staged.repository}`, result));
  report.result = result;
}
async function run(dockerConfig = {}) {
  const report = { dryRun: false, release: releaseOf(process.env) };
  mask = maskOnce((s) => setSecret(s));
  const controller = new AbortController();
  const onSignal = (name) => void controller.abort(new Interruption(name));
  for (const name of Object.keys(SIGNAL_EXIT)) process.on(name, onSignal);
  try {
    if (needsTagEngine(...[Inputs.tags, Inputs.flavor, Inputs.labels].map((n) => getInput(n))))
      await loadTagEngine();
    const inputs = readInputs((name) => getInput(name));
    report.dryRun = inputs["dry-run"];
    report.movingTags = inputs.options.movingTags;
    const proof = await actionProof(inputs);
    announce(inputs);
    const client = createRegistryClient(
      clientOptions(inputs.options, {
        credentials: actionCredentials(inputs, dockerConfig),
        logger: coreLogger,
        optionNames: OPTION_INPUTS,
        onInsecureHost: (event) => coreLogger.warning(insecureWarning(OPTION_INPUTS, event)),
        onSecret: (s) => mask(s),
        sharedBy: inputs.shard?.n
      })
    );
    try {
      if (inputs["promotion-file"]) return await promoteFile(client, inputs, proof, controller.signal);
      const staged = inputs.merge.length ? await mergeStaged(client, inputs, report, controller.signal) : await stage(client, inputs);
      const gate = inputs.merge.length && proof.verify ? { ...proof, verify: { ...proof.verify, childrenSign: true } } : proof;
      if (staged) await promoteAndReport(client, inputs, staged, report, gate, controller.signal);
    } finally {
      await client.close();
    }
  } catch (e) {
    report.error = withTlsAdvice(e, OPTION_INPUTS);
    setFailed(commandText(e.message));
    if (e instanceof InterruptedError) process.exitCode = SIGNAL_EXIT[e.signal] ?? 130;
  } finally {
    for (const name of Object.keys(SIGNAL_EXIT)) process.off(name, onSignal);
  }
  await writeSummary(report, (m) => warning(m));
}

// src/index.ts
await run();
