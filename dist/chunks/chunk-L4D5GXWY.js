#!/usr/bin/env node
import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  formatBytes,
  resultRows,
  textTable
} from "./chunk-MNWJBDZB.js";
import {
  code,
  escapeText,
  table
} from "./chunk-4MPECD7M.js";
import {
  Limiter,
  mapLimit,
  promote,
  resolve,
  sharedPromotion,
  walkGraph
} from "./chunk-GV234NFE.js";
import {
  InterruptedError,
  signalName
} from "./chunk-RL2XFKNI.js";
import {
  mergeTargets,
  targetKey
} from "./chunk-3DEEXRNS.js";
import {
  FILE_OWNED_OPTIONS,
  OPTIONS,
  OptionError,
  PROOF_KEYS,
  budgetShare,
  formatRequestBudgets,
  parseOptions
} from "./chunk-BLPB5NN7.js";
import {
  DEFAULT_REFERRERS
} from "./chunk-A46IPO6H.js";
import {
  inline
} from "./chunk-WZK7EEJJ.js";
import {
  silentLogger
} from "./chunk-N2RL2OJD.js";
import {
  ReferenceError,
  formatReference,
  manifestReference,
  parseReference,
  validateForRegistry
} from "./chunk-G7S46Y2P.js";
import {
  registryKey,
  sameRegistry
} from "./chunk-VIETK5Q5.js";
import {
  require_dist
} from "./chunk-SYGNQSQB.js";
import {
  __toESM
} from "./chunk-XYMN7WUU.js";

// src/batch/file.ts
var import_yaml = __toESM(require_dist(), 1);
var PromotionFileError = class extends Error {
  constructor(message) {
    super(message);
    this.name = "PromotionFileError";
  }
};
var TOP_KEYS = ["defaults", "images"];
var OWNED = FILE_OWNED_OPTIONS;
var OWNED_KEYS = Object.values(FILE_OWNED_OPTIONS);
var PROOF_FILE_KEYS = Object.fromEntries(
  PROOF_KEYS.map((k) => [k, OPTIONS.find((o) => o.name === k)?.input ?? k])
);
var DEFAULT_KEYS = ["targets", ...OWNED_KEYS, ...Object.values(PROOF_FILE_KEYS)];
var MAX_NAME_LENGTH = 255;
var IMAGE_KEYS = ["name", "source", "tags", "targets", ...OWNED_KEYS, ...Object.values(PROOF_FILE_KEYS)];
function proofRaw(entry, fail) {
  const raw = {};
  for (const k of PROOF_KEYS) {
    const key = PROOF_FILE_KEYS[k];
    const v = entry[key];
    if (v === void 0) continue;
    if (k === "verifyKey") raw.verifyKey = Array.isArray(v) ? listOf(v, key, fail) : [stringOf(v, key, fail)];
    else if (k === "signKeyless") {
      if (typeof v !== "boolean") fail(key, "must be true or false");
      raw.signKeyless = v;
    } else raw[k] = stringOf(v, key, fail);
  }
  return raw;
}
function proofOf(raw, fail) {
  try {
    return parseOptions(raw, PROOF_FILE_KEYS, () => true).proof;
  } catch (e) {
    if (e instanceof OptionError) return fail(e.option, `"${e.value}": ${e.rule}`);
    throw e;
  }
}
function checkKeys(value, known, fail, what) {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return fail(what, "must be a mapping");
  for (const key of Object.keys(value))
    if (!known.includes(key)) fail(key, `unknown key (known: ${known.join(", ")})`);
  return value;
}
function stringOf(value, field, fail) {
  if (typeof value === "number" || typeof value === "boolean")
    return fail(
      field,
      `must be a string, but YAML read the ${typeof value} ${String(value)}: quote it as written`
    );
  if (typeof value !== "string" || value.trim() === "") return fail(field, "must be a non-empty string");
  return value.trim();
}
function listOf(value, field, fail) {
  if (!Array.isArray(value)) return fail(field, "must be a list of strings");
  return value.map((v, i) => stringOf(v, `${field}[${i}]`, fail));
}
function reference(input, field, fail, kinds, dst = false, shown = input) {
  try {
    return validateForRegistry(parseReference(input), { destination: dst, kinds }).reference;
  } catch (e) {
    if (e instanceof ReferenceError) return fail(field, `${e.part}: ${e.rule} (in "${shown}")`);
    throw e;
  }
}
function referrersOf(value, fallback, fail) {
  if (value === void 0) return fallback;
  if (typeof value === "boolean") return value ? "all" : "none";
  const key = OWNED.referrers;
  const raw = Array.isArray(value) ? listOf(value, key, fail).join(",") : stringOf(value, key, fail);
  try {
    return parseOptions({ referrers: raw }, OWNED, () => true).referrers ?? fallback;
  } catch (e) {
    if (e instanceof OptionError) return fail(e.option, `"${e.value}": ${e.rule}`);
    throw e;
  }
}
function policy(entry, fallback, fail) {
  const { tagPolicy, movingTags } = OWNED;
  const raw = {
    tagPolicy: entry[tagPolicy] === void 0 ? fallback.tagPolicy : stringOf(entry[tagPolicy], tagPolicy, fail),
    movingTags: entry[movingTags] === void 0 ? fallback.movingTags : listOf(entry[movingTags], movingTags, fail)
  };
  try {
    const o = parseOptions(raw, OWNED, () => true);
    return { tagPolicy: o.tagPolicy, movingTags: o.movingTags };
  } catch (e) {
    if (e instanceof OptionError) return fail(e.option, `"${e.value}": ${e.rule}`);
    throw e;
  }
}
function readDefaults(value, failAt, kinds) {
  const fail = failAt("defaults");
  const d = value === void 0 ? {} : checkKeys(value, DEFAULT_KEYS, fail, "defaults");
  const prefixes = d.targets === void 0 ? [] : listOf(d.targets, "targets", fail);
  prefixes.forEach((p, i) => {
    if (p.includes("@") || p.includes("/") && p.slice(p.indexOf("/") + 1).includes(":") || p.endsWith("/"))
      fail(
        `targets[${i}]`,
        `"${p}" is a repository prefix (registry/namespace): no tag, digest or trailing /`
      );
    reference(`${p}/x`, `targets[${i}]`, fail, kinds, true, p);
  });
  const proof = proofRaw(d, fail);
  proofOf(proof, fail);
  return {
    prefixes,
    ...policy(d, {}, fail),
    referrers: referrersOf(d.referrers, DEFAULT_REFERRERS, fail),
    proof
  };
}
function readImage(value, index, defaults, failAt, kinds) {
  const named = value?.name;
  const shown = typeof named === "string" ? inline(named.slice(0, MAX_NAME_LENGTH)) : void 0;
  const fail = failAt(`images[${index}]${shown !== void 0 ? ` (name "${shown}")` : ""}`);
  const e = checkKeys(value, IMAGE_KEYS, fail, "entry");
  const name = stringOf(e.name, "name", fail);
  if (name.length > MAX_NAME_LENGTH)
    fail("name", `longer than ${MAX_NAME_LENGTH} characters (${name.length})`);
  if (inline(name) !== name)
    fail(
      "name",
      "holds control or bidirectional characters, which a name may not (they would act on a terminal or log)"
    );
  const source = reference(stringOf(e.source, "source", fail), "source", fail, kinds);
  const tags = e.tags === void 0 ? [] : listOf(e.tags, "tags", fail);
  const own = e.targets === void 0 ? void 0 : listOf(e.targets, "targets", fail);
  if (own?.length === 0 || !own && defaults.prefixes.length === 0)
    fail("targets", "no targets: give targets here or defaults.targets");
  const repos = own ?? defaults.prefixes.map((p) => `${p}/${name}`);
  const targets = repos.map((repo, i) => {
    const field = own ? `targets[${i}]` : `name (under defaults.targets[${i}])`;
    const r = reference(repo, field, fail, kinds, true);
    if (r.tag || r.digest) fail(field, `"${repo}" is a repository: no tag or digest (tags go in tags)`);
    tags.forEach((t, j) => reference(`${repo}:${t}`, `tags[${j}]`, fail, kinds, true));
    return { repo: { registry: r.registry, repository: r.repository }, tags };
  });
  const referrers = referrersOf(e.referrers, defaults.referrers, fail);
  const proof = proofOf({ ...defaults.proof, ...proofRaw(e, fail) }, fail);
  return {
    ...proof ? { proof } : {},
    index,
    name,
    source,
    reference: manifestReference(source),
    targets: mergeTargets(targets).map((t) => ({ repo: t.repo, tags: t.tags })),
    ...policy(e, { tagPolicy: defaults.tagPolicy, movingTags: defaults.movingTags }, fail),
    referrers
  };
}
function checkAcross(images, failAt) {
  const names = /* @__PURE__ */ new Map();
  const claims = /* @__PURE__ */ new Map();
  for (const img of images) {
    const fail = failAt(`images[${img.index}] (name "${img.name}")`);
    const first = names.get(img.name);
    if (first) fail("name", `"${img.name}" is also the name of images[${first.index}]`);
    names.set(img.name, img);
    for (const t of img.targets)
      for (const tag of t.tags) {
        const key = `${targetKey(t.repo)}:${tag}`;
        const other = claims.get(key);
        if (other && formatReference(other.source) !== formatReference(img.source))
          fail(
            "tags",
            `${t.repo.registry}/${t.repo.repository}:${tag} is also a target of images[${other.index}] (name "${other.name}") with another source`
          );
        claims.set(key, img);
      }
  }
}
function parseYaml(text, path) {
  const lineCounter = new import_yaml.LineCounter();
  const doc = (0, import_yaml.parseDocument)(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const err = doc.errors[0];
  if (err) {
    const { line, col } = lineCounter.linePos(err.pos[0]);
    throw new PromotionFileError(`${path}:${line}:${col}: YAML syntax error: ${err.message.split("\n")[0]}`);
  }
  try {
    return doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    throw new PromotionFileError(`${path}: YAML refused: ${e.message}`);
  }
}
function parsePromotionFile(text, path, kinds = {}) {
  const failAt = (where) => (field, rule) => {
    throw new PromotionFileError(`${path}: ${where}${where ? ": " : ""}${field}: ${rule}`);
  };
  const data = parseYaml(text, path);
  if (data === void 0 || data === null)
    throw new PromotionFileError(`${path}: the file is empty: it needs images`);
  const top = checkKeys(data, TOP_KEYS, failAt(""), "the file");
  const defaults = readDefaults(top.defaults, failAt, kinds);
  if (!Array.isArray(top.images) || top.images.length === 0)
    failAt("")(
      "images",
      top.images === void 0 ? "missing: the file needs images" : "must be a non-empty list of images"
    );
  const images = top.images.map((v, i) => readImage(v, i, defaults, failAt, kinds));
  checkAcross(images, failAt);
  return { path, images };
}

// src/batch/slots.ts
async function mapPerRegistry(items, perRegistry, registries, fn) {
  const limiters = /* @__PURE__ */ new Map();
  const limiter = (key) => {
    let l = limiters.get(key);
    if (!l) limiters.set(key, l = new Limiter(perRegistry));
    return l;
  };
  return await Promise.all(
    items.map(async (item, i) => {
      const keys = [...new Set(registries(item).map(registryKey))].sort();
      const releases = [];
      try {
        for (const key of keys.length ? keys : [""]) releases.push(await limiter(key).acquire());
        return await fn(item, i);
      } finally {
        releases.forEach((r) => r());
      }
    })
  );
}

// src/batch/run.ts
var IMAGES_AT_ONCE = 8;
var sourceRepo = (img) => ({
  registry: img.source.registry,
  repository: img.source.repository
});
function prefixed(log, name) {
  return {
    debug: (m) => log.debug(`[${name}] ${m}`),
    info: (m) => log.info(`[${name}] ${m}`),
    warning: (m) => log.warning(`[${name}] ${m}`)
  };
}
async function runBatch(api, images, options = {}) {
  const { imagesAtOnce = IMAGES_AT_ONCE, imageProof, ...settings } = options;
  const shared = sharedPromotion(settings.concurrency);
  const log = settings.logger ?? silentLogger;
  const { signal } = settings;
  const targetRegistries = (image) => image.targets.map((t) => t.repo.registry);
  return await mapPerRegistry(images, imagesAtOnce, targetRegistries, async (image) => {
    if (signal?.aborted) return { image, error: new InterruptedError(signalName(signal), [], [], []) };
    try {
      const result = await promote(api, {
        ...settings,
        source: { ...sourceRepo(image), reference: image.reference },
        targets: image.targets,
        tagPolicy: image.tagPolicy,
        movingTags: image.movingTags,
        referrers: image.referrers,
        ...imageProof?.get(image.index),
        logger: prefixed(log, image.name),
        shared
      });
      return { image, result };
    } catch (e) {
      if (!(e instanceof InterruptedError)) log.warning(`${image.name}: ${e.message}`);
      return { image, error: e };
    }
  });
}
function batchInterruption(outcomes) {
  const interrupted = outcomes.flatMap(
    (o) => o.error instanceof InterruptedError ? [{ ...o, error: o.error }] : []
  );
  if (interrupted.length === 0) return void 0;
  const lines = interrupted.map((o) => `${o.image.name}: ${o.error.message.replace(/\n/g, "\n  ")}`);
  return { signal: interrupted[0].error.signal, lines };
}
async function sizeImages(api, images, log = silentLogger) {
  const graphs = /* @__PURE__ */ new Map();
  const graphOf = (image) => {
    const source = sourceRepo(image);
    const key = JSON.stringify([
      registryKey(source.registry),
      source.repository,
      image.reference,
      image.referrers
    ]);
    let graph = graphs.get(key);
    if (!graph) {
      graph = resolve(api, source, image.reference).then(
        ({ digest }) => walkGraph(api, source, digest, { referrers: image.referrers })
      );
      graphs.set(key, graph);
    }
    return graph;
  };
  return await mapLimit(images, IMAGES_AT_ONCE, async (image) => {
    try {
      const source = sourceRepo(image);
      const graph = await graphOf(image);
      const registries = [...new Set(image.targets.map((t) => registryKey(t.repo.registry)))].filter(
        (r) => !sameRegistry(r, source.registry)
      );
      const needs = registries.flatMap((r) => graph.blobs.map((b) => ({ key: `${r} ${b.digest}`, size: b.size })));
      return { name: image.name, needs };
    } catch (e) {
      log.warning(`${image.name}: not sized for the shards (counted as 0 bytes): ${e.message}`);
      return { name: image.name, needs: [] };
    }
  });
}

// src/batch/load.ts
import { readFileSync } from "node:fs";

// src/batch/shards.ts
var SHARD_SLACK = 1.25;
function added(shard, image) {
  let n = 0;
  const seen = /* @__PURE__ */ new Set();
  for (const { key, size } of image.needs)
    if (!shard.keys.has(key) && !seen.has(key)) {
      seen.add(key);
      n += size;
    }
  return n;
}
function unionBytes(images) {
  const sizes = /* @__PURE__ */ new Map();
  for (const img of images) for (const { key, size } of img.needs) sizes.set(key, size);
  return [...sizes.values()].reduce((a, b) => a + b, 0);
}
function planShards(images, n) {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`shards must be a whole number \u2265 1, not ${n}`);
  const shards = Array.from({ length: n }, () => ({ keys: /* @__PURE__ */ new Set(), load: 0, images: [] }));
  const work = images.map((img, i) => ({ i, bytes: unionBytes([img]) }));
  const limit = Math.max(unionBytes(images) / n, ...work.map((w) => w.bytes)) * SHARD_SLACK;
  work.sort((a, b) => b.bytes - a.bytes || a.i - b.i);
  for (const { i } of work) {
    const options = shards.map((s, k) => ({ k, add: added(s, images[i]), load: s.load }));
    const within = options.filter((o) => o.load + o.add <= limit);
    const pick = within.length ? within.reduce((a, b) => b.add < a.add || b.add === a.add && b.load < a.load ? b : a) : options.reduce((a, b) => b.load + b.add < a.load + a.add ? b : a);
    const shard = shards[pick.k];
    shard.load += pick.add;
    for (const { key } of images[i].needs) shard.keys.add(key);
    shard.images.push(i);
  }
  return shards.map((s, k) => ({ shard: k + 1, images: [...s.images].sort((a, b) => a - b), bytes: s.load })).filter((s) => s.images.length);
}
function shardMatrix(images, n, budgets = {}) {
  const planned = planShards(images, n);
  const share = Object.keys(budgets).length ? formatRequestBudgets(budgetShare(budgets, planned.length)) : "";
  return {
    include: planned.map((s) => ({
      shard: `${s.shard}/${n}`,
      images: s.images.map((i) => images[i].name),
      ...share ? { budget: share } : {}
    }))
  };
}

// src/batch/load.ts
function loadPromotionFile(path, kinds = {}, read = (p) => readFileSync(p, "utf8")) {
  let text;
  try {
    text = read(path);
  } catch (e) {
    throw new PromotionFileError(`${path}: cannot be read: ${e.message}`);
  }
  return parsePromotionFile(text, path, kinds);
}
async function shardImages(api, images, k, n, log) {
  const shard = planShards(await sizeImages(api, images, log), n).find((s) => s.shard === k);
  return (shard?.images ?? []).map((i) => images[i]);
}
async function matrixOf(api, images, n, log, budgets) {
  return shardMatrix(await sizeImages(api, images, log), n, budgets);
}

// src/report/proof.ts
function proofLines(plan) {
  if (!plan) return [];
  const lines = [];
  const gate = plan.gate;
  if (gate) {
    const rows = gate.checks.map((c) => [
      escapeText(c.check),
      code(c.digest),
      c.passed ? "\u2705 passed" : "\u274C failed",
      escapeText(c.found),
      escapeText(c.wanted)
    ]);
    lines.push("### Verification", "");
    if (gate.trustedRoot) lines.push(`Bundles verified against ${escapeText(gate.trustedRoot)}.`, "");
    lines.push(...table(["check", "digest", "result", "found", "wanted"], rows), "");
  }
  const records = plan.targets.filter((t) => t.record);
  if (records.length) {
    const rows = records.map((t) => [
      code(t.target),
      escapeText(t.record?.action ?? ""),
      t.record?.digest ? code(t.record.digest) : "",
      escapeText(t.record?.listedBy ?? "")
    ]);
    lines.push("### Promotion records", "", ...table(["target", "record", "digest", "listed by"], rows), "");
  }
  return lines;
}

// src/batch/report.ts
var planOf = ({ result, error }) => result?.plan ?? error?.plan;
function batchJson(outcomes) {
  return outcomes.map(({ image, result, error }) => ({
    name: image.name,
    source: formatReference(image.source),
    ...result ? { digest: result.digest } : {},
    targets: result?.targets ?? [],
    ...result?.plan.dryRun ? { plan: result.plan } : {},
    ...error ? { error: error.message } : {},
    ...planOf({ image, result, error })?.gate ? { gate: planOf({ image, result, error })?.gate } : {},
    ...result?.records ? { records: result.records } : {}
  }));
}
function batchTotals(outcomes) {
  const targets = outcomes.flatMap((o) => o.result?.targets ?? []);
  const sum = (f) => targets.reduce((n, t) => n + f(t), 0);
  return {
    images: outcomes.length,
    failed: outcomes.filter((o) => o.error).length,
    blobsCopied: sum((t) => t.blobsCopied),
    blobsMounted: sum((t) => t.blobsMounted),
    bytesCopied: sum((t) => t.bytesCopied)
  };
}
function totalLine(t, dryRun = false) {
  const done = `${t.images - t.failed} of ${t.images} images ${dryRun ? "planned" : "promoted"}`;
  const failed = t.failed ? `; ${t.failed} failed` : "";
  return `${done}${failed}; blobs copied ${t.blobsCopied}, mounted ${t.blobsMounted}; ${formatBytes(t.bytesCopied)} copied`;
}
function failureLines(outcomes) {
  return outcomes.filter((o) => o.error).map((o) => `${o.image.name}: ${o.error.message}`);
}
function batchText(outcomes, dryRun = false) {
  const parts = outcomes.map(({ image, result, error }) => {
    const head = `${image.name}: ${formatReference(image.source)}${result ? ` = ${result.digest}` : ""}`;
    if (error) return `${head}
  FAILED: ${error.message}`;
    if (!result || dryRun) return head;
    return `${head}
${textTable(resultRows(result))}`;
  });
  return [...parts, totalLine(batchTotals(outcomes), dryRun)].join("\n\n");
}
function batchMarkdown(outcomes) {
  const rows = outcomes.flatMap(
    ({ image, result, error }) => error ? [[escapeText(image.name), "", "failed", escapeText(error.message.split("\n")[0]), "", ""]] : (result?.targets ?? []).map((t) => [
      escapeText(image.name),
      code(t.target),
      "promoted",
      t.tags.map((x) => code(x.tag)).join(" ") || "by digest",
      String(t.blobsCopied),
      formatBytes(t.bytesCopied)
    ])
  );
  const header = ["image", "target", "outcome", "tags", "blobs copied", "bytes copied"];
  const proof = outcomes.flatMap((o) => {
    const lines = proofLines(planOf(o));
    return lines.length ? ["", `### ${escapeText(o.image.name)}`, "", ...lines.map((l) => l.replace(/^### /, "#### "))] : [];
  });
  return [
    "## Promotion file",
    "",
    ...table(header, rows),
    "",
    escapeText(totalLine(batchTotals(outcomes))),
    ...proof
  ].join("\n");
}

export {
  PromotionFileError,
  runBatch,
  batchInterruption,
  loadPromotionFile,
  shardImages,
  matrixOf,
  proofLines,
  batchJson,
  failureLines,
  batchText,
  batchMarkdown
};
