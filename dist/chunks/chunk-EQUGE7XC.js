#!/usr/bin/env node
import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  OptionError,
  parseOptions
} from "./chunk-WUD5YTFH.js";
import {
  ReferenceError,
  manifestReference,
  parseReference,
  validateForRegistry
} from "./chunk-RTFV2LNS.js";

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
  json: { type: "boolean" },
  image: { type: "string", multiple: true },
  tags: { type: "string", multiple: true },
  flavor: { type: "string", multiple: true },
  lowercase: { type: "boolean" },
  verbose: { type: "boolean", short: "v" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean" }
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
  clientKeys: "--client-key"
};
function parseCommandLine(argv, env) {
  try {
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
        clientKeys: values["client-key"]
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
  parseCommandLine
};
