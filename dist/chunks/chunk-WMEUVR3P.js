#!/usr/bin/env node
import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  FILE_OWNED_OPTIONS,
  OptionError,
  parseOptions
} from "./chunk-ODEFFFIB.js";
import {
  ReferenceError,
  manifestReference,
  parseReference,
  validateForRegistry
} from "./chunk-XZ5QX5YI.js";

// src/cli/args.ts
import { parseArgs } from "node:util";
var UsageError = class extends Error {
  constructor(message) {
    super(message);
    this.name = "UsageError";
  }
};
var FLAGS = {
  "dry-run": { type: "boolean" },
  "tag-policy": { type: "string" },
  "moving-tag": { type: "string", multiple: true },
  insecure: { type: "string", multiple: true },
  "ca-file": { type: "string" },
  concurrency: { type: "string" },
  timeout: { type: "string" },
  "upload-mode": { type: "string" },
  "registry-kind": { type: "string", multiple: true },
  "client-cert": { type: "string", multiple: true },
  "client-key": { type: "string", multiple: true },
  referrers: { type: "string" },
  json: { type: "boolean" },
  image: { type: "string", multiple: true },
  tags: { type: "string", multiple: true },
  flavor: { type: "string", multiple: true },
  lowercase: { type: "boolean" },
  verbose: { type: "boolean", short: "v" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean" },
  file: { type: "string", short: "f" },
  shard: { type: "string" },
  shards: { type: "string" }
};
var OPTION_FLAGS = {
  tagPolicy: "--tag-policy",
  movingTags: "--moving-tag",
  uploadMode: "--upload-mode",
  concurrency: "--concurrency",
  timeout: "--timeout",
  caFile: "--ca-file",
  insecureRegistries: "--insecure",
  registryKinds: "--registry-kind",
  clientCerts: "--client-cert",
  clientKeys: "--client-key",
  referrers: "--referrers"
};
function parseCommandLine(argv, env) {
  try {
    checkFlagValues(argv);
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: FLAGS });
    if (values.version) return { command: "version" };
    if (values.help) return { command: "help" };
    return toCommand(values, positionals, env);
  } catch (e) {
    if (e instanceof UsageError || e.code?.startsWith("ERR_PARSE_ARGS"))
      return { command: "usage-error", message: e.message };
    throw e;
  }
}
var VALUE_NAMES = {
  "tag-policy": "POLICY",
  "moving-tag": "TAG",
  insecure: "HOST[:PORT]",
  "ca-file": "FILE",
  concurrency: "N",
  timeout: "SECONDS",
  "upload-mode": "MODE",
  "registry-kind": "HOST=KIND",
  "client-cert": "HOST=FILE",
  "client-key": "HOST=FILE",
  image: "REPO",
  tags: "RULE",
  flavor: "LINE"
};
var REFERENCE_LIKE = /^[^/:@]+(:\d+)?\/[^/]/;
function checkFlagValues(argv) {
  for (let i = 0; i < argv.length && argv[i] !== "--"; i++) {
    const name = /^--([a-z-]+)$/.exec(argv[i])?.[1];
    const wanted = name && VALUE_NAMES[name];
    if (!wanted) continue;
    const value = argv[i + 1];
    if (value === void 0) throw new UsageError(`--${name} takes a value (${wanted}) and none was given`);
    if (value.startsWith("-"))
      throw new UsageError(
        `--${name} takes a value (${wanted}), not the option "${value}"; write --${name}=${value} if that is the value`
      );
    if (name === "insecure" && REFERENCE_LIKE.test(value)) {
      const host = value.slice(0, value.indexOf("/"));
      const hint = /[.:]|^localhost$/.test(host) ? ` (for its registry: --insecure ${host})` : "";
      throw new UsageError(`--insecure takes a registry ${wanted}, not the image reference "${value}"${hint}`);
    }
    i++;
  }
}
function engineOptions(values, env) {
  try {
    return parseOptions(
      {
        tagPolicy: values["tag-policy"],
        movingTags: values["moving-tag"],
        uploadMode: values["upload-mode"],
        concurrency: values.concurrency,
        timeout: values.timeout,
        caFile: values["ca-file"],
        insecureRegistries: values.insecure,
        registryKinds: values["registry-kind"],
        clientCerts: values["client-cert"],
        clientKeys: values["client-key"],
        referrers: values.referrers
      },
      OPTION_FLAGS,
      env.fileExists,
      env.readFile
    );
  } catch (e) {
    if (e instanceof OptionError) throw new UsageError(e.message);
    throw e;
  }
}
function toCommand(values, positionals, env) {
  const options = engineOptions(values, env);
  const common = { json: values.json ?? false, verbose: values.verbose ?? false };
  const [command, ...args] = positionals;
  if (command === "copy" || command === "promote" || command === "inspect") refuseTagsOptions(command, values);
  if (command === "plan" || command === "promote" && values.file !== void 0)
    return fileCommand(command, values, args, options, common);
  refuseFileOptions(command, values);
  if (command === "copy" || command === "promote")
    return {
      command,
      ...copyArgs(command, args, options),
      dryRun: values["dry-run"] ?? false,
      options,
      ...common
    };
  if (command === "inspect") {
    if (args.length !== 1) throw new UsageError("inspect needs exactly one REF");
    return { command, reference: checked(args[0], "REF", options), options, ...common };
  }
  if (command === "tags") return tagsCommand(values, args, common);
  throw new UsageError(command ? `unknown command "${command}"` : "no command given");
}
function fileCommand(command, values, args, options, common) {
  if (args.length) throw new UsageError(`${command} -f FILE takes no SRC or DST ("${args[0]}")`);
  if (!values.file) throw new UsageError(`${command} needs -f FILE (a promotion file)`);
  for (const [option, key] of Object.entries(FILE_OWNED_OPTIONS)) {
    const flag = OPTION_FLAGS[option];
    if (values[flag.slice(2)] !== void 0)
      throw new UsageError(
        `${flag} is not taken with -f FILE: set ${key} in the promotion file (under defaults, or per image)`
      );
  }
  const file = values.file;
  if (command === "plan") {
    if (values.shard !== void 0)
      throw new UsageError("--shard is an option of promote -f; plan takes --shards N");
    const n = Number(values.shards);
    if (values.shards === void 0) throw new UsageError("plan needs --shards N");
    if (!Number.isInteger(n) || n < 1 || n > 256)
      throw new UsageError(`--shards "${values.shards}": must be a whole number from 1 to 256`);
    return { command, file, shards: n, options, ...common };
  }
  if (values.shards !== void 0)
    throw new UsageError("--shards is an option of plan; promote -f takes --shard K/N");
  const shard = values.shard === void 0 ? void 0 : shardArg(values.shard);
  return { command: "promote-file", file, dryRun: values["dry-run"] ?? false, shard, options, ...common };
}
function shardArg(value) {
  const m = /^([1-9]\d*)\/([1-9]\d*)$/.exec(value);
  const [k, n] = m ? [Number(m[1]), Number(m[2])] : [0, 0];
  if (!m || k > n || n > 256)
    throw new UsageError(`--shard "${value}": must be K/N with whole numbers 1 <= K <= N <= 256 (e.g. 2/4)`);
  return { k, n };
}
function refuseFileOptions(command, values) {
  for (const name of ["file", "shard", "shards"])
    if (values[name] !== void 0)
      throw new UsageError(
        `--${name} is an option of promote -f FILE and plan -f FILE only, not of ${command ?? "no command"}`
      );
}
var TAGS_ONLY = ["tags", "flavor", "image", "lowercase"];
function refuseTagsOptions(command, values) {
  for (const name of TAGS_ONLY)
    if (values[name] !== void 0)
      throw new UsageError(
        `--${name} is an option of the tags command only; ${command === "inspect" ? "inspect applies no tags" : `${command} tags each DST with the tag it names (DST:TAG)`}`
      );
}
function tagsCommand(values, args, common) {
  if (args.length) throw new UsageError(`tags takes options only, not "${args[0]}"`);
  const { image = [], tags = [], flavor = [], lowercase = false } = values;
  const rules = tags.flatMap((t) => /[=/]/.test(t) ? [t.trim()] : t.split(",").map((x) => x.trim())).filter(Boolean);
  if (!rules.length && flavor.some((f) => f.trim() !== ""))
    throw new UsageError("--flavor needs tag rules in --tags");
  return { command: "tags", images: image, rules, flavor, lowercase, ...common };
}
function copyArgs(command, args, options) {
  if (args.length < 2) throw new UsageError(`${command} needs SRC and at least one DST`);
  const source = checked(args[0], "SRC", options);
  const destinations = args.slice(1).map((a, i) => checked(a, `DST ${i + 1}`, options, true));
  const byRepo = /* @__PURE__ */ new Map();
  for (const d of destinations) {
    if (d.digest)
      throw new UsageError(
        `DST ${d.registry}/${d.repository}@${d.digest}: a destination takes a tag, not a digest`
      );
    const key = `${d.registry}/${d.repository}`;
    const t = byRepo.get(key) ?? { repo: { registry: d.registry, repository: d.repository }, tags: [] };
    const tag = d.tag ?? (source.digest ? void 0 : manifestReference(source));
    if (tag && !t.tags.includes(tag)) t.tags.push(tag);
    byRepo.set(key, t);
  }
  return { source, reference: manifestReference(source), targets: [...byRepo.values()] };
}
function checked(input, what, options, destination = false) {
  try {
    const parsed = parseReference(input);
    try {
      return validateForRegistry(parsed, { destination, kinds: options.registryKinds }).reference;
    } catch (e) {
      if (e instanceof ReferenceError) throw new ReferenceError(input, e.part, e.rule);
      throw e;
    }
  } catch (e) {
    if (e instanceof ReferenceError) throw new UsageError(`${what}: ${e.message}`);
    throw e;
  }
}

export {
  UsageError,
  OPTION_FLAGS,
  parseCommandLine
};
