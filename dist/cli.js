#!/usr/bin/env node
import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  TagPolicyError,
  childDescriptors,
  createRegistryClient,
  dockerConfigCredentials,
  formatBytes,
  formatPlatform,
  planText,
  promote,
  resolve,
  resultRows,
  textTable
} from "./chunks/chunk-POGX4QSF.js";
import {
  RULES,
  ReferenceError,
  isValidTag,
  parseReference,
  validateForRegistry
} from "./chunks/chunk-USDR5FXI.js";

// src/cli.ts
import { parseArgs } from "node:util";
import { existsSync } from "node:fs";
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
  --insecure HOST           allow plain http to HOST (loopback is always allowed)
  --ca-file FILE            PEM CA bundle to trust
  --concurrency N           transfers at once per registry host (default 8)
  --timeout SECONDS         give up on a request with no answer after this long, per try (default 120)
  --upload-mode MODE        monolithic (default) or chunked
  --json                    print the result as JSON
  --image REPO              (tags) repository to prefix; repeatable
  --tags RULE               (tags) a tag rule in docker/metadata-action syntax; repeatable
  --flavor LINE             (tags) a flavor line (latest=auto|true|false, prefix=, suffix=)
  --lowercase               (tags) lower-case repository names instead of failing
  -v, --verbose             debug logging on stderr
Credentials come from the docker config.json (DOCKER_CONFIG respected), as docker login writes it.`;
var UsageError = class extends Error {
};
var VERSION = true ? "0.1.0" : "dev";
function stderrLogger(verbose) {
  return {
    debug: (m) => verbose && process.stderr.write(`debug: ${m}
`),
    info: (m) => process.stderr.write(`${m}
`),
    warning: (m) => process.stderr.write(`warning: ${m}
`)
  };
}
function ref(input, what, destination = false) {
  try {
    const parsed = parseReference(input);
    try {
      return validateForRegistry(parsed, { destination }).reference;
    } catch (e) {
      if (e instanceof ReferenceError) throw new ReferenceError(input, e.part, e.rule);
      throw e;
    }
  } catch (e) {
    if (e instanceof ReferenceError) throw new UsageError(`${what}: ${e.message}`);
    throw e;
  }
}
async function main(argv) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        "dry-run": { type: "boolean" },
        "tag-policy": { type: "string" },
        "moving-tag": { type: "string", multiple: true },
        insecure: { type: "string", multiple: true },
        "ca-file": { type: "string" },
        concurrency: { type: "string" },
        timeout: { type: "string" },
        "upload-mode": { type: "string" },
        json: { type: "boolean" },
        image: { type: "string", multiple: true },
        tags: { type: "string", multiple: true },
        flavor: { type: "string", multiple: true },
        lowercase: { type: "boolean" },
        verbose: { type: "boolean", short: "v" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean" }
      }
    });
  } catch (e) {
    process.stderr.write(`promote-image: ${e.message}
(promote-image --help shows the usage)
`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.version) {
    process.stdout.write(`${VERSION}
`);
    return 0;
  }
  if (values.help) {
    process.stdout.write(USAGE + "\n");
    return 0;
  }
  const log = stderrLogger(values.verbose ?? false);
  const newClient = () => createRegistryClient({
    credentials: dockerConfigCredentials(),
    insecureRegistries: values.insecure,
    caFile: values["ca-file"],
    // --timeout is checked (below) before any client is made
    retry: values.timeout === void 0 ? void 0 : { timeoutMs: Number(values.timeout) * 1e3 },
    logger: log
  });
  try {
    const [command, ...args] = positionals;
    const policy = values["tag-policy"] ?? "immutable";
    if (policy !== "immutable" && policy !== "overwrite") {
      throw new UsageError(`--tag-policy "${policy}": must be immutable or overwrite`);
    }
    const concurrency = values.concurrency === void 0 ? void 0 : Number(values.concurrency);
    if (concurrency !== void 0 && (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)) {
      throw new UsageError(`--concurrency "${values.concurrency}": must be a whole number from 1 to 64`);
    }
    const timeout = values.timeout === void 0 ? void 0 : Number(values.timeout);
    if (timeout !== void 0 && !(timeout > 0 && timeout <= 3600)) {
      throw new UsageError(`--timeout "${values.timeout}": must be a number of seconds from 0 to 3600`);
    }
    if (values["ca-file"] !== void 0 && !existsSync(values["ca-file"])) {
      throw new UsageError(`--ca-file "${values["ca-file"]}": no such file`);
    }
    for (const tag of values["moving-tag"] ?? []) {
      if (!isValidTag(tag)) throw new UsageError(`--moving-tag "${tag}": not a valid tag (${RULES.tag})`);
    }
    const uploadMode = values["upload-mode"] ?? "monolithic";
    if (uploadMode !== "monolithic" && uploadMode !== "chunked") {
      throw new UsageError(`--upload-mode "${uploadMode}": must be monolithic or chunked`);
    }
    if (command === "copy" || command === "promote") {
      if (args.length < 2) throw new UsageError(`${command} needs SRC and at least one DST`);
      const src = ref(args[0], "SRC");
      const dsts = args.slice(1).map((a, i) => ref(a, `DST ${i + 1}`, true));
      for (const d of dsts) {
        if (d.digest)
          throw new UsageError(
            `DST ${d.registry}/${d.repository}@${d.digest}: a destination takes a tag, not a digest`
          );
      }
      const reference = src.digest ?? src.tag ?? "latest";
      const byRepo = /* @__PURE__ */ new Map();
      for (const d of dsts) {
        const key = `${d.registry}/${d.repository}`;
        const t = byRepo.get(key) ?? { repo: { registry: d.registry, repository: d.repository }, tags: [] };
        const tag = d.tag ?? (src.digest ? void 0 : src.tag ?? "latest");
        if (tag && !t.tags.includes(tag)) t.tags.push(tag);
        byRepo.set(key, t);
      }
      const client = newClient();
      try {
        const result = await promote(client, {
          source: { registry: src.registry, repository: src.repository, reference },
          targets: [...byRepo.values()],
          tagPolicy: policy,
          movingTags: values["moving-tag"],
          dryRun: values["dry-run"],
          concurrency,
          uploadMode,
          logger: log,
          onProgress: (p) => log.info(
            `copied ${formatBytes(p.bytes)} of ${formatBytes(p.totalBytes)} (${formatBytes(p.rateBytesPerSecond)}/s)`
          )
        });
        if (values["dry-run"]) {
          process.stdout.write(JSON.stringify(result.plan, null, 2) + "\n");
          log.info(planText(result.plan));
        } else if (values.json) {
          process.stdout.write(
            JSON.stringify({ digest: result.digest, targets: result.targets }, null, 2) + "\n"
          );
        } else {
          log.info(textTable(resultRows(result)));
          process.stdout.write(`${result.digest}
`);
        }
      } catch (e) {
        if (e instanceof TagPolicyError && values["dry-run"]) {
          process.stdout.write(JSON.stringify(e.plan, null, 2) + "\n");
        }
        throw e;
      } finally {
        await client.close();
      }
      return 0;
    }
    if (command === "inspect") {
      if (args.length !== 1) throw new UsageError("inspect needs exactly one REF");
      const r = ref(args[0], "REF");
      const client = newClient();
      try {
        const repo = { registry: r.registry, repository: r.repository };
        const d = await resolve(client, repo, r.digest ?? r.tag ?? "latest");
        const m = await client.getManifest(repo, d.digest);
        if (!m) throw new Error(`${args[0]} disappeared while reading it`);
        const children = childDescriptors(m);
        const size = m.bytes.length + (children.length ? children.reduce((n, c) => n + c.size, 0) : (m.json.config?.size ?? 0) + (m.json.layers ?? []).reduce((n, l) => n + l.size, 0));
        const info = {
          reference: `${r.registry}/${r.repository}${r.digest ? "@" + r.digest : ":" + (r.tag ?? "latest")}`,
          digest: d.digest,
          mediaType: m.mediaType,
          // BuildKit's attestation manifests sit in the index as unknown/unknown: counted, not listed
          platforms: children.map((c) => formatPlatform(c.platform)).filter((p) => p && p !== "unknown/unknown"),
          attestations: children.filter((c) => formatPlatform(c.platform) === "unknown/unknown").length,
          size
        };
        if (values.json) process.stdout.write(JSON.stringify(info, null, 2) + "\n");
        else {
          process.stdout.write(
            `digest:     ${info.digest}
media type: ${info.mediaType}
platforms:  ${info.platforms.join(", ") || "(single image)"}${info.attestations ? ` (+${info.attestations} attestation manifest${info.attestations === 1 ? "" : "s"})` : ""}
size:       ${info.size} bytes${children.length ? " (index + child manifests)" : " (manifest + config + layers)"}
`
          );
        }
      } finally {
        await client.close();
      }
      return 0;
    }
    if (command === "tags") {
      if (args.length) throw new UsageError(`tags takes options only, not "${args[0]}"`);
      const t = await import("./chunks/tags-RUNC2SDW.js");
      const { ReferenceError: RefError } = await import("./chunks/reference-CBN7NFFH.js");
      let out;
      try {
        const ctx = process.env.GITHUB_ACTIONS === "true" ? t.readGitHubContext() : t.contextFromGit({ cwd: process.cwd() });
        const r = t.computeTags({ tags: values.tags ?? [], flavor: values.flavor ?? [] }, ctx);
        for (const w of r.warnings) log.warning(w);
        if (values.image?.length) {
          const images = t.parseImages(values.image, { lowercase: values.lowercase });
          const { references, warnings } = t.imageReferences(images, r.tags, {
            lowercase: values.lowercase,
            destination: true
          });
          for (const w of warnings) log.warning(w);
          out = t.formatReferences(references).split("\n").filter(Boolean);
        } else out = r.tags;
      } catch (e) {
        if (e instanceof t.TagRuleError || e instanceof RefError) throw new UsageError(e.message);
        throw e;
      }
      if (values.json) process.stdout.write(JSON.stringify(out) + "\n");
      else if (out.length) process.stdout.write(out.join("\n") + "\n");
      return 0;
    }
    throw new UsageError(command ? `unknown command "${command}"` : "no command given");
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`promote-image: ${e.message}
(promote-image --help shows the usage)
`);
      return 2;
    }
    process.stderr.write(`promote-image: ${e.message}
`);
    return 1;
  }
}
var isEntry = process.argv[1] && /(?:cli\.(?:js|ts)|promote-image)$/.test(process.argv[1]);
if (isEntry) {
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
  main
};
