#!/usr/bin/env node
import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  configPlatform,
  promote
} from "./chunk-GV234NFE.js";
import {
  targetKey
} from "./chunk-3DEEXRNS.js";
import {
  ATTESTATION_SUBJECT,
  isAttestation,
  parsePlatforms,
  platformKey,
  platformMatches,
  writeIndex
} from "./chunk-BLPB5NN7.js";
import {
  formatPlatform,
  isDigest,
  isIndex
} from "./chunk-A46IPO6H.js";
import {
  silentLogger
} from "./chunk-N2RL2OJD.js";
import {
  LIMITS
} from "./chunk-A3CPNU7I.js";
import {
  formatReference,
  manifestReference,
  parseReference
} from "./chunk-G7S46Y2P.js";

// src/build/identity.ts
import { createHash } from "node:crypto";
function buildInputsDigest(inputs) {
  const labels = Array.isArray(inputs.labels) ? inputs.labels.map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]) : Object.entries(inputs.labels);
  const defining = labels.filter(([k]) => k !== "org.opencontainers.image.created");
  const canonical = {
    context: inputs.context,
    file: inputs.file ?? "",
    buildArgs: inputs.buildArgs,
    labels: defining.sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0),
    platforms: inputs.platforms,
    target: inputs.target ?? "",
    secrets: (inputs.secrets ?? []).map((s) => s.id),
    ssh: (inputs.ssh ?? []).map((s) => s.split("=")[0]),
    buildContexts: inputs.buildContexts ?? [],
    annotations: inputs.annotations ?? [],
    provenance: String(inputs.provenance ?? ""),
    sbom: String(inputs.sbom ?? ""),
    network: inputs.network ?? "",
    addHosts: inputs.addHosts ?? [],
    shmSize: inputs.shmSize ?? "",
    ulimits: inputs.ulimits ?? [],
    sourceDateEpoch: inputs.sourceDateEpoch ?? null
  };
  return createHash("sha256").update(JSON.stringify(canonical)).digest("hex");
}
function stagingTag(commitSha, inputs) {
  if (!/^[0-9a-f]{12,64}$/.test(commitSha)) {
    throw new Error(`commit "${commitSha}" is not a hex commit SHA (12 to 64 characters of 0-9a-f)`);
  }
  return `sha-${commitSha.slice(0, 12)}-${buildInputsDigest(inputs).slice(0, 8)}`;
}
function platformSlug(platform) {
  return platform.trim().toLowerCase().replace(/[^a-z0-9._]+/g, "-").replace(/^-+|-+$/g, "");
}
function platformStagingTag(commitSha, inputs) {
  const tag = stagingTag(commitSha, inputs);
  return inputs.platforms.length === 1 ? `${tag}-${platformSlug(inputs.platforms[0])}` : tag;
}
function stagedPlatformTags(tags, commitSha) {
  if (!/^[0-9a-f]{12,64}$/.test(commitSha))
    throw new Error(`commit "${commitSha}" is not a hex commit SHA (12 to 64 characters of 0-9a-f)`);
  const re = new RegExp(`^sha-${commitSha.slice(0, 12)}-[0-9a-f]{8}-[a-z0-9][a-z0-9._-]*$`);
  return tags.filter((t) => re.test(t)).sort();
}

// src/merge/sources.ts
var STAGED = "staged";
function parseMergeSource(text, staging, input = "merge") {
  const t = text.trim();
  if (t === STAGED) return { kind: "staged" };
  if (/^sha(256|512):/.test(t)) {
    if (!isDigest(t))
      throw new Error(`${input} "${t}": not a digest (sha256: and 64 lower-case hex characters)`);
    return { kind: "image", repo: staging, reference: t, text: formatReference({ ...staging, digest: t }) };
  }
  try {
    const ref = parseReference(t);
    const repo = { registry: ref.registry, repository: ref.repository };
    return { kind: "image", repo, reference: manifestReference(ref), text: formatReference(ref) };
  } catch (e) {
    throw new Error(`${input} "${t}": ${e.message}`);
  }
}
async function findStaged(api, staging, commit, input = "merge") {
  const tags = await api.listTags(staging, { maxPages: 100 });
  const where = `${staging.registry}/${staging.repository}`;
  if (tags === void 0)
    throw new Error(`${input} ${STAGED}: the tag list of ${where} has more than 100 pages`);
  const found = stagedPlatformTags(tags, commit);
  if (!found.length)
    throw new Error(
      `${input} ${STAGED}: ${where} lists no platform image of commit ${commit.slice(0, 12)} (tags sha-${commit.slice(0, 12)}-\u2026-OS-ARCH)`
    );
  return found.map((tag) => ({
    kind: "image",
    repo: staging,
    reference: tag,
    text: formatReference({ ...staging, tag })
  }));
}
async function imageChild(api, repo, m, source, attestations, found) {
  const platform = await configPlatform(api, repo, m);
  if (!platform) return void found.problems.push(`${source}: ${m.digest} names no platform in its config`);
  const descriptor = { mediaType: m.mediaType, digest: m.digest, size: m.bytes.length };
  found.children.push({ source, repo, descriptor, platform, attestations });
}
async function flatten(api, repo, index, source, found, level) {
  if (level > LIMITS.indexDepth)
    return void found.problems.push(
      `${source}: indexes nested deeper than the indexDepth limit of ${LIMITS.indexDepth}`
    );
  const entries = index.json.manifests ?? [];
  const attestations = entries.filter(isAttestation);
  const images = entries.filter((d) => !isAttestation(d));
  const manifests = await Promise.all(
    images.map((d) => api.getManifest(repo, d.digest, { allowMissing: true }))
  );
  for (const [i, m] of manifests.entries()) {
    if (!m) {
      found.problems.push(
        `${source}: lists ${images[i].digest}, which ${repo.registry}/${repo.repository} does not hold`
      );
      continue;
    }
    if (isIndex(m)) await flatten(api, repo, m, source, found, level + 1);
    else {
      const own = attestations.filter((a) => a.annotations?.[ATTESTATION_SUBJECT] === m.digest);
      await imageChild(api, repo, m, source, own, found);
    }
  }
}
async function readSources(api, sources) {
  const found = { children: [], problems: [] };
  for (const s of sources) {
    if (s.kind !== "image") continue;
    const m = await api.getManifest(s.repo, s.reference, { allowMissing: true });
    if (!m) found.problems.push(`${s.text}: not found`);
    else if (isIndex(m)) await flatten(api, s.repo, m, s.text, found, 1);
    else await imageChild(api, s.repo, m, s.text, [], found);
  }
  return found;
}

// src/merge/plan.ts
var MergeError = class extends Error {
  constructor(problems) {
    super(
      problems.length === 1 ? `merge refused: ${problems[0]}` : `merge refused:
  ${problems.join("\n  ")}`
    );
    this.problems = problems;
    this.name = "MergeError";
  }
  problems;
};
var byPlatform = (a, b) => {
  const ka = `${platformKey(a.platform)} ${a.descriptor.digest}`;
  const kb = `${platformKey(b.platform)} ${b.descriptor.digest}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
};
function imageEntry(c) {
  const { mediaType, digest, size } = c.descriptor;
  return { mediaType, digest, size, platform: c.platform };
}
function planMerge(found, require2 = [], requireInput = "merge-platforms") {
  const problems = [];
  const unique = /* @__PURE__ */ new Map();
  for (const c of found) {
    const had = unique.get(c.descriptor.digest);
    if (had)
      had.attestations.push(...c.attestations.filter((a) => !had.attestations.some((x) => x.digest === a.digest)));
    else unique.set(c.descriptor.digest, { ...c, attestations: [...c.attestations] });
  }
  const children = [...unique.values()].sort(byPlatform);
  if (children.length === 0) problems.push("no source to merge");
  const byKey = /* @__PURE__ */ new Map();
  for (const c of children)
    byKey.set(platformKey(c.platform), [...byKey.get(platformKey(c.platform)) ?? [], c]);
  for (const same of byKey.values())
    if (same.length > 1)
      problems.push(
        `${same.map((c) => c.source).join(" and ")} are ${same.length === 2 ? "both" : "all"} ${formatPlatform(same[0].platform)} (${same.map((c) => c.descriptor.digest).join(", ")}): one image per platform`
      );
  const listed = children.map((c) => formatPlatform(c.platform));
  for (const p of require2)
    if (!children.some((c) => platformMatches(p, c.platform)))
      problems.push(
        `${requireInput} ${formatPlatform(p)}: no source is that platform (they are ${listed.join(", ") || "none"})`
      );
  if (problems.length) throw new MergeError(problems);
  const entries = children.map((c) => ({
    descriptor: imageEntry(c),
    repo: c.repo,
    source: c.source
  }));
  for (const c of children)
    for (const a of c.attestations)
      if (a.annotations?.[ATTESTATION_SUBJECT] === c.descriptor.digest && !entries.some((e) => e.descriptor.digest === a.digest))
        entries.push({ descriptor: a, repo: c.repo, source: c.source });
  const index = writeIndex(entries.map((e) => e.descriptor));
  return { index, children, entries, platforms: listed };
}

// src/merge/merge.ts
async function expand(api, options) {
  const input = options.input ?? "merge";
  const out = [];
  for (const s of options.sources) {
    if (s.kind === "image") out.push(s);
    else if (!options.commit)
      throw new MergeError([
        `${input} staged: no commit is known (GITHUB_SHA is not set): name the sources instead`
      ]);
    else out.push(...await findStaged(api, options.to, options.commit, input));
  }
  return out;
}
async function copyIn(api, plan, options) {
  const to = { registry: options.to.registry, repository: options.to.repository };
  const copiedIn = [];
  let pushed = 0;
  for (const e of plan.entries) {
    if (targetKey(e.repo) === targetKey(to)) continue;
    const result = await promote(api, {
      source: { ...e.repo, reference: e.descriptor.digest },
      targets: [{ repo: to, tags: [] }],
      referrers: false,
      logger: options.logger,
      signal: options.signal
    });
    const t = result.targets[0];
    pushed += t?.manifestsPushed ?? 0;
    if (t && t.manifestsPushed > 0) copiedIn.push(e.descriptor.digest);
  }
  return { copiedIn, pushed };
}
async function mergeImages(api, options) {
  const log = options.logger ?? silentLogger;
  const sources = await expand(api, options);
  const found = await readSources(api, sources);
  if (found.problems.length) throw new MergeError(found.problems);
  const plan = planMerge(found.children, options.require, options.requireInput);
  const { index } = plan;
  const reference = formatReference(options.to);
  for (const c of plan.children)
    log.info(`merge: ${c.descriptor.digest} ${plan.platforms[plan.children.indexOf(c)]} from ${c.source}`);
  const result = {
    digest: index.digest,
    mediaType: index.mediaType,
    index,
    plan,
    reference,
    indexWritten: false,
    manifestsPushed: 0,
    copiedIn: []
  };
  if (options.dryRun) return result;
  const { copiedIn, pushed } = await copyIn(api, plan, options);
  result.copiedIn = copiedIn;
  result.manifestsPushed = pushed;
  const to = { registry: options.to.registry, repository: options.to.repository };
  const there = await api.headManifest(to, options.to.tag);
  if (there?.digest === index.digest) {
    log.info(`merge: ${reference} already serves ${index.digest}: nothing written`);
    return result;
  }
  await api.putManifest(to, options.to.tag, index);
  result.indexWritten = true;
  result.manifestsPushed++;
  log.info(`merge: wrote ${reference} = ${index.digest} (${plan.platforms.join(", ")})`);
  return result;
}

// src/merge/stage.ts
function mergeTag(staging, commit, input = "staging-image") {
  if (staging.tag) return staging.tag;
  if (commit && /^[0-9a-f]{12,64}$/.test(commit)) return `sha-${commit.slice(0, 12)}`;
  throw new Error(
    `${input} ${formatReference(staging)}: give the tag the merged index is written under (no commit is known to name it)`
  );
}
async function mergeStage(api, input) {
  const tag = mergeTag(input.staging, input.commit);
  const to = { registry: input.staging.registry, repository: input.staging.repository, tag };
  const sources = input.sources.map((s) => parseMergeSource(s, to, "merge"));
  const require2 = parsePlatforms(input.platforms, "merge-platforms");
  return mergeImages(api, {
    to,
    sources,
    commit: input.commit,
    require: require2,
    requireInput: "merge-platforms",
    input: "merge",
    dryRun: input.dryRun,
    logger: input.logger,
    signal: input.signal
  });
}

export {
  platformStagingTag,
  parseMergeSource,
  mergeImages,
  mergeTag,
  mergeStage
};
