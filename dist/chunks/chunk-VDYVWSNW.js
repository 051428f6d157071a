#!/usr/bin/env node
import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  UsageError,
  parseCredsFlag
} from "./chunk-FS6AVXTN.js";
import {
  targetKey
} from "./chunk-3DEEXRNS.js";
import {
  COMMANDS,
  commandSpec,
  knownFlags
} from "./chunk-2NLWOLMW.js";
import {
  CLI_COMMANDS,
  ENGINE_OPTIONS,
  OPTIONS,
  OPTION_FLAGS,
  OptionError,
  parseOptions,
  parsePlatforms
} from "./chunk-BLPB5NN7.js";
import {
  isDigest
} from "./chunk-A46IPO6H.js";
import {
  ReferenceError,
  manifestReference,
  parseReference,
  validateForRegistry
} from "./chunk-G7S46Y2P.js";

// src/cli/args.ts
import { parseArgs } from "node:util";

// src/cli/suggest.ts
function editDistance(a, b) {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => [i]);
  for (let j = 1; j <= b.length; j++) rows[0][j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, rows[i - 2][j - 2] + 1);
      rows[i][j] = d;
    }
  return rows[a.length][b.length];
}
function suggestions(word, known, max = 3) {
  const limit = Math.min(3, Math.max(1, Math.floor(bare(word).length / 3)));
  const scored = known.map((name, order) => {
    const d = editDistance(word.toLowerCase(), name.toLowerCase());
    const prefix = bare(word).length >= 2 && (name.startsWith(word) || word.startsWith(name));
    return { name, order, d: prefix ? Math.min(d, limit) : d };
  }).filter((s) => s.d <= limit && s.name !== word);
  scored.sort((x, y) => x.d - y.d || x.order - y.order);
  return scored.slice(0, max).map((s) => s.name);
}
function bare(word) {
  return word.replace(/^-+/, "");
}
function didYouMean(word, known) {
  const s = suggestions(word, known);
  if (!s.length) return "";
  const list2 = s.length === 1 ? s[0] : `${s.slice(0, -1).join(", ")} or ${s[s.length - 1]}`;
  return ` (did you mean ${list2}?)`;
}
var FLAG_COMMANDS = { version: "--version" };
function didYouMeanCommand(word, known) {
  const flag = Object.hasOwn(FLAG_COMMANDS, word) ? FLAG_COMMANDS[word] : void 0;
  return flag ? ` (did you mean ${flag}?)` : didYouMean(word, known);
}

// src/cli/transport.ts
var OTHER_TRANSPORTS = {
  oci: "an OCI image layout directory",
  "oci-archive": "an OCI image layout tar archive",
  dir: "a directory of manifest and blob files",
  "docker-archive": "a docker save tar archive",
  "docker-daemon": "the docker daemon's image store",
  "containers-storage": "containers/storage (podman, buildah, CRI-O)",
  ostree: "an ostree repository",
  sif: "a Singularity image file",
  tarball: "a tarball of layers"
};
var TransportError = class extends Error {
  constructor(message) {
    super(message);
    this.name = "TransportError";
  }
};
function registryReference(input, what) {
  if (input.startsWith("docker://")) return input.slice("docker://".length);
  const url = /^(https?):\/\/(([^/]*).*)$/.exec(input);
  if (url)
    throw new TransportError(
      `${what} "${input}": a reference has no URL scheme; write ${url[2]} (` + (url[1] === "https" ? "registries are reached over https)" : `plain http is used for a loopback registry, and for another with --insecure ${url[3]})`)
    );
  const m = /^([a-z-]+):(?!\d+(?:\/|$))/.exec(input);
  const names = m && OTHER_TRANSPORTS[m[1]];
  if (!m || !names) return input;
  throw new TransportError(
    `${what} "${input}": the ${m[1]}: transport (${names}) is not read; promote-image reads and writes registries only (REF or docker://REF). Push the image to a registry first, e.g. skopeo copy ${m[1]}:\u2026 docker://REGISTRY/REPOSITORY:TAG`
  );
}
function namesRegistryOnly(input) {
  const m = /^([^/@:]+)(?::(\d+))?$/.exec(input);
  return !!m && (m[1].includes(".") || m[1] === "localhost");
}

// src/cli/args.ts
var FLAGS = Object.fromEntries(
  OPTIONS.filter((o) => o.flag).map((o) => [
    o.flag,
    {
      type: o.value ? "string" : "boolean",
      ...o.repeatable ? { multiple: true } : {},
      ...o.short ? { short: o.short } : {}
    }
  ])
);
var text = (values, flag) => values[flag];
var list = (values, flag) => values[flag];
var on = (values, flag) => values[flag] === true;
function parseCommandLine(argv, env) {
  try {
    const { values, positionals } = parseFlags(checkFlagValues(argv));
    if (values.version) return { command: "version" };
    if (values.help) return helpCommand(positionals.slice(0, 1));
    return toCommand(values, positionals, env);
  } catch (e) {
    if (e instanceof UsageError || e.code?.startsWith("ERR_PARSE_ARGS"))
      return { command: "usage-error", message: e.message };
    throw e;
  }
}
var TLS_VERIFY = " (skopeo's; here --insecure HOST[:PORT] for each registry that may use plain http or unverified TLS)";
var EVERY_PLATFORM = " (skopeo's; here every platform is copied unless --platform picks some)";
var AUTH_FILE = " (skopeo's; here --authfile FILE for every registry)";
var FOREIGN_FLAGS = {
  "--dest-tls-verify": TLS_VERIFY,
  "--src-tls-verify": TLS_VERIFY,
  "--tls-verify": TLS_VERIFY,
  "--multi-arch": EVERY_PLATFORM,
  "-a": EVERY_PLATFORM,
  "--src-authfile": AUTH_FILE,
  "--dest-authfile": AUTH_FILE
};
function parseFlags(argv) {
  try {
    return parseArgs({ args: argv, allowPositionals: true, options: FLAGS });
  } catch (e) {
    if (e.code !== "ERR_PARSE_ARGS_UNKNOWN_OPTION") throw e;
    const flag = /^Unknown option '([^']*)'/.exec(e.message)?.[1] ?? "";
    const end = argv.indexOf("--");
    const command = commandSpec(
      (end < 0 ? argv : argv.slice(0, end)).find((a) => !a.startsWith("-") && commandSpec(a))
    );
    const suggestion = FOREIGN_FLAGS[flag] ?? (didYouMean(flag, knownFlags(command)) || (command ? didYouMean(flag, knownFlags()) : ""));
    throw new UsageError(
      `unknown option ${flag}${command ? ` for ${command.name}` : ""}${suggestion}` + (command ? `; promote-image ${command.name} --help lists its options` : "")
    );
  }
}
function helpCommand(args) {
  if (args.length > 1) throw new UsageError(`help takes one COMMAND, not "${args[1]}"`);
  const [topic] = args;
  if (topic !== void 0 && !commandSpec(topic)) throw unknownCommand(topic);
  return { command: "help", topic };
}
function unknownCommand(name) {
  return new UsageError(
    `unknown command "${name}"${didYouMeanCommand(
      name,
      COMMANDS.map((c) => c.name)
    )}`
  );
}
var VALUE_NAMES = Object.fromEntries(
  OPTIONS.filter((o) => o.flag && o.value).map((o) => [o.flag, o.value])
);
var REFERENCE_LIKE = /^[^/:@]+(:\d+)?\/[^/]/;
var INLINE_PEM = /^\s*-----BEGIN /;
function checkFlagValues(argv) {
  const out = [];
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i] === "--" ? void 0 : /^--([a-z-]+)$/.exec(argv[i])?.[1];
    const wanted = name && VALUE_NAMES[name];
    if (!wanted) {
      if (argv[i] === "--") return [...out, ...argv.slice(i)];
      out.push(argv[i]);
      continue;
    }
    const value = argv[i + 1];
    if (value === void 0) throw new UsageError(`--${name} takes a value (${wanted}) and none was given`);
    if (INLINE_PEM.test(value)) {
      out.push(`--${name}=${value}`);
      i++;
      continue;
    }
    if (value.startsWith("-"))
      throw new UsageError(
        `--${name} takes a value (${wanted}), not the option "${value}"; write --${name}=${value} if that is the value`
      );
    if (name === "insecure" && REFERENCE_LIKE.test(value)) {
      const host = value.slice(0, value.indexOf("/"));
      const hint = /[.:]|^localhost$/.test(host) ? ` (for its registry: --insecure ${host})` : "";
      throw new UsageError(`--insecure takes a registry ${wanted}, not the image reference "${value}"${hint}`);
    }
    out.push(argv[i], value);
    i++;
  }
  return out;
}
function engineOptions(values, env) {
  const raw = Object.fromEntries(ENGINE_OPTIONS.map((o) => [o.name, values[o.flag]]));
  try {
    return parseOptions(raw, OPTION_FLAGS, env.fileExists, env.readFile);
  } catch (e) {
    if (e instanceof OptionError) throw new UsageError(e.message);
    throw e;
  }
}
var isCommand = (name) => CLI_COMMANDS.includes(name ?? "");
function refuseOthers(command, values) {
  for (const o of OPTIONS)
    if (o.flag && values[o.flag] !== void 0 && !o.commands.includes(command))
      throw new UsageError(
        `--${o.flag} is not an option of ${command === "promote-file" ? "promote -f FILE" : command}${credsHint(o.flag, command)}`
      );
}
var CREDS_INSTEAD = {
  creds: { flags: ["src-creds", "dest-creds"], say: "--src-creds for SRC and --dest-creds for every DST" },
  "src-creds": { flags: ["creds"], say: "--creds for REF's registry" },
  "dest-creds": { flags: ["creds"], say: "--creds for REF's registry" }
};
function credsHint(flag, command) {
  const instead = CREDS_INSTEAD[flag];
  const takes = instead?.flags.every((f) => OPTIONS.find((o) => o.flag === f)?.commands.includes(command));
  return takes ? `; it takes ${instead.say}` : "";
}
function toCommand(values, positionals, env) {
  const options = engineOptions(values, env);
  const common = { json: on(values, "json"), verbose: on(values, "verbose") };
  const [command, ...args] = positionals;
  if (command === "copy" || command === "promote" || command === "inspect") refuseTagsOptions(command, values);
  if (command === "plan" || command === "promote" && values.file !== void 0)
    return fileCommand(command, values, args, options, common, env);
  refuseFileOptions(command, values);
  if (isCommand(command)) refuseOthers(command, values);
  if (command === "copy" || command === "promote")
    return {
      command,
      ...copyArgs(command, args, options),
      dryRun: on(values, "dry-run"),
      options,
      credentials: credentialFlags(values, env),
      ...common
    };
  if (command === "inspect" || command === "digest" || command === "manifest" || command === "config") {
    if (args.length !== 1) throw new UsageError(`${command} needs exactly one REF`);
    const reference = checked(args[0], "REF", options);
    return { command, reference, options, credentials: credentialFlags(values, env), ...common };
  }
  if (command === "verify") {
    if (args.length !== 1) throw new UsageError("verify needs exactly one REF");
    const reference = checked(args[0], "REF", options);
    const credentials = credentialFlags(values, env);
    return { command, reference, options, verify: options.proof ?? {}, credentials, ...common };
  }
  if (command === "ls")
    return { command, ...lsArgs(args, options), credentials: credentialFlags(values, env), ...common };
  if (command === "tags") return tagsCommand(values, args, common);
  if (command === "merge")
    return {
      command,
      ...mergeArgs(values, args, options),
      dryRun: on(values, "dry-run"),
      options,
      credentials: credentialFlags(values, env),
      ...common
    };
  if (command === "help") return helpCommand(args);
  if (command === "completion") return completionCommand(args);
  throw command ? unknownCommand(command) : new UsageError("no command given");
}
function mergeArgs(values, args, options) {
  const toText = text(values, "to");
  if (toText === void 0) throw new UsageError("merge needs --to STAGING-REF (where the index is written)");
  const to = checked(toText, "--to", options, true);
  if (to.digest)
    throw new UsageError(
      `--to ${to.registry}/${to.repository}@${to.digest}: give a tag (or none), not a digest: the index's digest is what the merge makes`
    );
  if (!args.length)
    throw new UsageError("merge needs at least one SOURCE (a reference, a digest at --to, or staged)");
  args.forEach((a, i) => {
    if (a === "staged") return;
    if (/^sha(256|512):/.test(a)) {
      if (!isDigest(a))
        throw new UsageError(
          `SOURCE ${i + 1} "${a}": not a digest (sha256: and 64 lower-case hex characters)`
        );
    } else checked(a, `SOURCE ${i + 1}`, options);
  });
  let platforms;
  try {
    platforms = parsePlatforms(list(values, "require-platform") ?? [], "--require-platform");
  } catch (e) {
    throw new UsageError(e.message);
  }
  return { to, sources: args, platforms };
}
function lsArgs(args, options) {
  if (args.length !== 1) throw new UsageError("ls needs exactly one REPOSITORY");
  const reference = checked(args[0], "REPOSITORY", options);
  if (reference.tag !== void 0 || reference.digest !== void 0)
    throw new UsageError(
      `REPOSITORY "${args[0]}": ls lists a repository's tags; name the repository without :TAG or @DIGEST (${reference.registry}/${reference.repository})`
    );
  return { reference, options };
}
function completionCommand(args) {
  const [shell, extra] = args;
  if (extra !== void 0) throw new UsageError(`completion takes one SHELL, not "${extra}"`);
  if (shell !== "bash" && shell !== "zsh")
    throw new UsageError(
      shell === void 0 ? "completion needs a SHELL: bash or zsh" : `completion "${shell}": the shells are bash and zsh`
    );
  return { command: "completion", shell };
}
function credentialFlags(values, env) {
  const creds = ["src-creds", "dest-creds", "creds"].filter((flag) => text(values, flag) !== void 0).map((flag) => parseCredsFlag(`--${flag}`, text(values, flag)));
  const authFile = text(values, "authfile");
  if (authFile !== void 0 && !env.fileExists(authFile))
    throw new UsageError(`--authfile "${authFile}": no such file`);
  const passwordStdin = on(values, "password-stdin");
  return creds.length || passwordStdin || authFile !== void 0 ? { creds, passwordStdin, authFile } : void 0;
}
function fileCommand(command, values, args, options, common, env) {
  if (args.length) throw new UsageError(`${command} -f FILE takes no SRC or DST ("${args[0]}")`);
  if (!values.file) throw new UsageError(`${command} needs -f FILE (a promotion file)`);
  for (const o of OPTIONS.filter((x) => x.fileKey))
    if (values[o.flag] !== void 0)
      throw new UsageError(
        `--${o.flag} is not taken with -f FILE: set ${o.fileKey} in the promotion file (under defaults, or per image)`
      );
  const file = text(values, "file");
  const shards = text(values, "shards");
  if (command === "plan") {
    if (values.shard !== void 0)
      throw new UsageError("--shard is an option of promote -f; plan takes --shards N");
    const n = Number(shards);
    if (shards === void 0) throw new UsageError("plan needs --shards N");
    if (!Number.isInteger(n) || n < 1 || n > 256)
      throw new UsageError(`--shards "${shards}": must be a whole number from 1 to 256`);
    refuseOthers("plan", values);
    return { command, file, shards: n, options, credentials: credentialFlags(values, env), ...common };
  }
  if (shards !== void 0)
    throw new UsageError("--shards is an option of plan; promote -f takes --shard K/N");
  refuseOthers("promote-file", values);
  const shardText = text(values, "shard");
  const shard = shardText === void 0 ? void 0 : shardArg(shardText);
  return {
    command: "promote-file",
    file,
    dryRun: on(values, "dry-run"),
    shard,
    options,
    credentials: credentialFlags(values, env),
    ...common
  };
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
  const [image, tags, flavor] = [
    list(values, "image") ?? [],
    list(values, "tags") ?? [],
    list(values, "flavor") ?? []
  ];
  const lowercase = on(values, "lowercase");
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
    const key = targetKey(d);
    const t = byRepo.get(key) ?? { repo: { registry: d.registry, repository: d.repository }, tags: [] };
    const tag = d.tag ?? (source.digest ? void 0 : manifestReference(source));
    if (tag && !t.tags.includes(tag)) t.tags.push(tag);
    byRepo.set(key, t);
  }
  return { source, reference: manifestReference(source), targets: [...byRepo.values()] };
}
function checked(input, what, options, destination = false) {
  try {
    const parsed = parseReference(registryReference(input, what));
    try {
      return validateForRegistry(parsed, { destination, kinds: options.registryKinds }).reference;
    } catch (e) {
      if (e instanceof ReferenceError) throw new ReferenceError(input, e.part, e.rule);
      throw e;
    }
  } catch (e) {
    if (e instanceof ReferenceError && namesRegistryOnly(input.replace(/^docker:\/\//, "")))
      throw new UsageError(`${what} "${input}" names a registry only; add /REPOSITORY[:TAG]`);
    if (e instanceof ReferenceError) throw new UsageError(`${what}: ${e.message}`);
    if (e instanceof TransportError) throw new UsageError(e.message);
    throw e;
  }
}

export {
  parseCommandLine
};
