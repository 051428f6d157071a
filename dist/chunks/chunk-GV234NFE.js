#!/usr/bin/env node
import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  closeSession,
  patchFrame,
  resumeUploads
} from "./chunk-ZNQNZAYL.js";
import {
  COSIGN,
  MAX_REFERRER_DEPTH,
  artifactTypeOf,
  cosignTags,
  discoveryOf,
  fallbackIndex,
  isAttestationManifest,
  listAtSource,
  referrersTag,
  travels
} from "./chunk-RC27KSUY.js";
import {
  InterruptedError,
  isAbort,
  signalName
} from "./chunk-RL2XFKNI.js";
import {
  formatRepo,
  mergeTargets
} from "./chunk-3DEEXRNS.js";
import {
  RequestBudgetError,
  checkBudget,
  planRequests
} from "./chunk-SPGJ64DM.js";
import {
  DEFAULT_RETRY,
  DigestMismatchError,
  RegistryError,
  choosePlatforms,
  isAttestation,
  isTemporary,
  platformMatches
} from "./chunk-BLPB5NN7.js";
import {
  DEFAULT_CHUNK_SIZE,
  DEFAULT_CONCURRENCY,
  DEFAULT_MOVING_TAGS,
  DEFAULT_TAG_POLICY,
  DEFAULT_UPLOAD_MODE,
  DigestVerifier,
  blobDescriptors,
  childDescriptors,
  digestProblem,
  formatPlatform,
  isDigest,
  isIndex,
  isManifestMediaType,
  isNonDistributable,
  mergeIndexes
} from "./chunk-A46IPO6H.js";
import {
  silentLogger
} from "./chunk-N2RL2OJD.js";
import {
  LIMITS,
  bytesText
} from "./chunk-A3CPNU7I.js";
import {
  registryKey,
  sameRegistry
} from "./chunk-VIETK5Q5.js";

// src/copy/attestations.ts
function predicateName(type) {
  if (type.startsWith("https://slsa.dev/provenance/")) return "SLSA provenance";
  if (type === "https://spdx.dev/Document") return "SPDX SBOM";
  if (type === "https://cyclonedx.org/bom") return "CycloneDX SBOM";
  if (type === "https://in-toto.io/attestation/vulns" || type.startsWith("https://cosign.sigstore.dev/attestation/vuln"))
    return "vulnerability scan";
  return void 0;
}
function attestsText(predicateTypes, of) {
  const what = predicateTypes.length ? predicateTypes.map((t) => predicateName(t) ?? t) : ["attestations"];
  return `${[...new Set(what)].join(" and ")} of ${of ?? "an unnamed manifest"}`;
}
var REFERENCE_DIGEST = "vnd.docker.reference.digest";
var PREDICATE_TYPE = "in-toto.io/predicate-type";
function attestationsOf(root, manifests) {
  const children = childDescriptors(root);
  const byDigest = new Map(manifests.map((m) => [m.digest, m]));
  const platforms = new Map(children.map((c) => [c.digest, formatPlatform(c.platform)]));
  return children.filter(isAttestationManifest).map((c) => {
    const subject = c.annotations?.[REFERENCE_DIGEST];
    const of = subject ? platforms.get(subject) || subject : void 0;
    const layers = byDigest.get(c.digest)?.json.layers ?? [];
    const types = layers.map((l) => l.annotations?.[PREDICATE_TYPE]).filter((t) => !!t);
    const predicateTypes = [...new Set(types)];
    return {
      digest: c.digest,
      ...of ? { of } : {},
      predicateTypes,
      attests: attestsText(predicateTypes, of)
    };
  });
}

// src/copy/foreign.ts
function isForeignLayer(d) {
  return isNonDistributable(d.mediaType);
}
function refusedForeignLayers(e, m) {
  if (!(e instanceof RegistryError) || !e.hasCode("MANIFEST_BLOB_UNKNOWN")) return [];
  const foreign = (m.json.layers ?? []).filter(isForeignLayer);
  const named = new Set(
    e.errors.filter((x) => x.code === "MANIFEST_BLOB_UNKNOWN" && typeof x.detail === "string").map((x) => x.detail)
  );
  return named.size ? foreign.filter((l) => named.has(l.digest)) : foreign;
}
function foreignLayerError(e, m, registry) {
  const layers = refusedForeignLayers(e, m);
  if (!layers.length) return void 0;
  const named = layers.map((l) => `${l.digest} (${l.mediaType}${l.urls?.length ? `, from ${l.urls[0]}` : ""})`).join(", ");
  const noun = layers.length > 1 ? "foreign layers" : "foreign layer";
  return new Error(
    `registry ${registry} refused manifest ${m.digest}: it names ${noun} ${named}, whose bytes are fetched from ${layers.length > 1 ? "their" : "its"} URL and not pushed, and the registry does not accept such URLs; on a distribution registry allow ${layers.length > 1 ? "them" : "it"} in the validation.manifests.urls.allow setting (by default no URL is allowed)`,
    { cause: e }
  );
}

// src/copy/graph.ts
var REFERRER_FETCHES = 8;
function startLookup(api, repo, d, discovery) {
  const signatures = async () => {
    if (!discovery.cosign) return [];
    const heads = await Promise.all(
      cosignTags(d).map(async (tag) => ({ tag, h: await api.headManifest(repo, tag) }))
    );
    return heads.flatMap((x) => x.h ? [{ tag: x.tag, digest: x.h.digest }] : []);
  };
  return Promise.all([listAtSource(api, repo, d, discovery), signatures()]).then(([list, s]) => ({
    list,
    signatures: s
  }));
}
async function eachBounded(items, width, task) {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await task(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, lane));
}
async function takeReferrers(w, discovery, subject, list) {
  const referrers = [];
  const once = /* @__PURE__ */ new Set();
  const wanted = list.entries.filter(
    (e) => (e.artifactType === void 0 || travels(discovery, e.artifactType)) && !once.has(e.digest) && once.add(e.digest)
  );
  const fresh = wanted.map((e) => e.digest).filter((d) => !w.seen.has(d));
  await eachBounded(fresh, REFERRER_FETCHES, w.fetch);
  for (const e of wanted) {
    const m = w.fetched.get(e.digest);
    const named = m.json.subject?.digest;
    if (named !== void 0 && named !== subject) {
      w.log.warning(`referrer ${e.digest} is listed for ${subject} but its subject is ${named}: left out`);
      continue;
    }
    const artifactType = e.artifactType ?? artifactTypeOf(m);
    if (!travels(discovery, artifactType)) continue;
    w.place(e.digest);
    referrers.push({ ...e, ...artifactType ? { artifactType } : {} });
  }
  if (!referrers.length) return void 0;
  const all = list.index?.json.manifests?.length ?? list.entries.length;
  const whole = list.index && referrers.length === all ? list.index : void 0;
  return { subject, via: list.via, referrers, ...whole ? { sourceIndex: whole } : {} };
}
async function walkReferrers(api, repo, w, discovery, image, lookups) {
  const subjects = [];
  const signatureTags = [];
  const asked = new Set(image.map((m) => m.digest));
  let level = await Promise.all(
    image.map(async (m) => ({ subject: m.digest, found: await lookups.get(m.digest) }))
  );
  for (let depth = 1; level.length; depth++) {
    const next = [];
    for (const { subject, found } of level) {
      if (found?.list) {
        const taken = await takeReferrers(w, discovery, subject, found.list);
        if (taken) subjects.push(taken);
        for (const r of taken?.referrers ?? []) if (!asked.has(r.digest)) next.push(r.digest);
      }
      for (const s of found?.signatures ?? []) {
        if (!w.seen.has(s.digest)) await w.fetch(s.digest);
        w.place(s.digest);
        signatureTags.push({ ...s, subject });
      }
    }
    if (depth >= MAX_REFERRER_DEPTH) break;
    for (const d of next) asked.add(d);
    const deeper = { ...discovery, cosign: false };
    level = await Promise.all(
      next.map(async (d) => ({
        subject: d,
        found: { list: await listAtSource(api, repo, d, deeper), signatures: [] }
      }))
    );
  }
  return { subjects, signatureTags };
}
async function addReferrers(api, repo, graph, w, discovery, lookups, blobs) {
  const { manifests } = graph;
  const image = /* @__PURE__ */ new Set([...manifests.map((m) => m.digest), ...blobs.keys()]);
  const found = await walkReferrers(api, repo, w, discovery, [...manifests], lookups);
  const subjects = found.subjects ?? [];
  const signatureTags = found.signatureTags ?? [];
  for (const s of subjects)
    if (s.sourceIndex && !manifests.some((m) => m.digest === s.sourceIndex?.digest))
      manifests.push(s.sourceIndex);
  graph.referrerTags = subjects.map((s) => ({
    tag: referrersTag(s.subject),
    index: s.sourceIndex ?? fallbackIndex(s.referrers)
  }));
  graph.blobs = [...blobs.values()];
  const detached = [...manifests.map((m) => m.digest), ...blobs.keys()].filter((d) => !image.has(d));
  if (subjects.length) graph.subjects = subjects;
  if (signatureTags.length) graph.signatureTags = signatureTags;
  if (detached.length) graph.detached = new Set(detached);
  graph.referrersApi = discovery.api;
}
function checkedChildren(d, m, platforms) {
  const children = childDescriptors(m);
  for (const [i, c] of children.entries()) {
    if (!isManifestMediaType(c.mediaType))
      throw new Error(`index ${d} lists ${c.digest} with media type ${c.mediaType}, which is not a manifest`);
    if (c.size > LIMITS.manifestBytes)
      throw new Error(
        `index ${d}: manifests[${i}] declares ${c.size} bytes, larger than the manifestBytes limit of ${bytesText(LIMITS.manifestBytes)}`
      );
    if (c.platform) platforms.set(c.digest, formatPlatform(c.platform));
  }
  return children;
}
function checkDepth(what, m, level) {
  if (isIndex(m) && level > LIMITS.indexDepth)
    throw new Error(`index ${what}: indexes nested deeper than the indexDepth limit of ${LIMITS.indexDepth}`);
}
async function walkGraph(api, repo, digest, opts = {}) {
  const manifests = [];
  const blobs = /* @__PURE__ */ new Map();
  const seen = /* @__PURE__ */ new Set();
  const platforms = /* @__PURE__ */ new Map();
  const fetched = /* @__PURE__ */ new Map();
  const lookups = /* @__PURE__ */ new Map();
  const discovery = discoveryOf(opts.referrers);
  let lookUp = discovery !== void 0;
  const fetch = async (d, level = 1) => {
    seen.add(d);
    const given = d === opts.root?.digest ? opts.root : void 0;
    const manifest = given ? Promise.resolve(given) : api.getManifest(repo, d);
    if (lookUp && discovery) {
      const lookup = manifest.then(() => startLookup(api, repo, d, discovery));
      lookup.catch(() => void 0);
      lookups.set(d, lookup);
    }
    const m = await manifest;
    if (!m) throw new Error(`manifest ${d} is missing`);
    checkDepth(`${repo.registry}/${repo.repository}@${d}`, m, level);
    fetched.set(d, m);
    const children = checkedChildren(d, m, platforms);
    const fresh = [...new Set(children.map((c) => c.digest))].filter((c) => !seen.has(c));
    await Promise.all(fresh.map((c) => fetch(c, level + 1)));
  };
  const placed = /* @__PURE__ */ new Set();
  const place = (d) => {
    const m = fetched.get(d);
    if (placed.has(d)) return m;
    placed.add(d);
    for (const c of childDescriptors(m)) place(c.digest);
    for (const b of blobDescriptors(m, opts.includeNonDistributable))
      if (!blobs.has(b.digest)) blobs.set(b.digest, b);
    manifests.push(m);
    return m;
  };
  const visit = async (d) => {
    await fetch(d);
    return place(d);
  };
  const root = await visit(digest);
  lookUp = false;
  const graph = { root, manifests, blobs: [...blobs.values()], referrerTags: [], platforms };
  if (!discovery) return graph;
  const w = { fetch, place, seen, fetched, log: opts.logger ?? silentLogger };
  await addReferrers(api, repo, graph, w, discovery, lookups, blobs);
  return graph;
}

// src/copy/ledger.ts
var Ledger = class {
  constructor(targets, now = Date.now) {
    this.now = now;
    this.started = now();
    for (const t of targets) {
      this.work.set(t.key, t);
      this.taggedNow.set(t.key, new Set(t.report.tags.filter((x) => x.action === "keep").map((x) => x.tag)));
      this.results.set(t.key, {
        target: t.report.target,
        blobsSkipped: t.report.blobs.skip.length,
        blobsMounted: 0,
        blobsCopied: 0,
        bytesCopied: 0,
        manifestsPushed: 0,
        tags: t.report.tags,
        seconds: 0,
        verified: false
      });
    }
  }
  now;
  results = /* @__PURE__ */ new Map();
  errors = /* @__PURE__ */ new Map();
  started;
  work = /* @__PURE__ */ new Map();
  /** per target: upload sessions the registry kept although they were cancelled */
  sessionsLeft = /* @__PURE__ */ new Map();
  /** per target: tags that point at the root now (kept by the plan, or written in this run) */
  taggedNow = /* @__PURE__ */ new Map();
  /** The result entry of a target. @throws Error for an identity that is not a target */
  get(key) {
    const r = this.results.get(key);
    if (!r) throw new Error(`internal: ${key} is not a target of this promotion`);
    return r;
  }
  /** True once the target has failed (its first error is kept). */
  failed(key) {
    return this.errors.has(key);
  }
  /** Records a failure; only the first one of a target is kept. */
  fail(key, error) {
    this.get(key);
    if (!this.errors.has(key)) this.errors.set(key, error);
  }
  /** Counts one blob outcome. */
  record(o) {
    const r = this.get(o.target);
    if (o.action === "failed") this.fail(o.target, o.error);
    else if (o.action === "mounted") r.blobsMounted++;
    else {
      r.blobsCopied++;
      r.bytesCopied += o.bytes;
    }
  }
  /** The target's work is over: its seconds since the ledger was made. */
  finish(key) {
    this.get(key).seconds = (this.now() - this.started) / 1e3;
  }
  /** Failures in target order, named as the plan names the target. */
  failures() {
    return [...this.results.entries()].filter(([key]) => this.errors.has(key)).map(([key, r]) => ({ target: r.target, error: this.errors.get(key) }));
  }
  /** Every target's result, in target order. */
  all() {
    return [...this.results.values()];
  }
  /** The registry kept an upload session of the target although it was cancelled. */
  sessionLeft(key) {
    this.sessionsLeft.set(key, (this.sessionsLeft.get(key) ?? 0) + 1);
  }
  /** The target's tag `tag` was written (it points at the root now). */
  tagged(key, tag) {
    this.taggedNow.get(key)?.add(tag);
  }
  /**
   * Where each target stands (TargetStatus), in target order: it holds the image once every
   * manifest it lacked was pushed (the root is pushed last), or when it lacked none.
   */
  status() {
    return [...this.results.entries()].map(([key, r]) => {
      const t = this.work.get(key);
      const tagged = this.taggedNow.get(key) ?? /* @__PURE__ */ new Set();
      return {
        reference: r.target,
        holdsImage: r.manifestsPushed === t.push.length,
        tagged: t.tags.filter((x) => tagged.has(x)),
        blobsCopied: r.blobsCopied,
        blobsMounted: r.blobsMounted,
        bytesCopied: r.bytesCopied,
        ...this.errors.has(key) ? { error: this.errors.get(key)?.message } : {}
      };
    });
  }
  /** What landed at each target, for an interruption: blobs copied or mounted, of those planned. */
  landings() {
    return [...this.results.entries()].map(([key, r]) => {
      const blobs = this.work.get(key).report.blobs;
      return {
        target: r.target,
        blobsLanded: r.blobsCopied + r.blobsMounted,
        blobsPlanned: blobs.copy.length + blobs.mount.length,
        bytesLanded: r.bytesCopied,
        sessionsLeft: this.sessionsLeft.get(key) ?? 0
      };
    });
  }
};

// src/copy/limiter.ts
var SLOT_BYTES = 1 << 20;
var SMALL_PER_SLOT = 8;
function transferUnits(bytes, perSlot = SMALL_PER_SLOT) {
  const units = Math.ceil(Math.max(0, bytes) * perSlot / SLOT_BYTES);
  return Math.min(perSlot, Math.max(1, units));
}
var Limiter = class {
  constructor(limit) {
    this.limit = limit;
  }
  limit;
  active = 0;
  waiting = [];
  fits(units) {
    return this.active === 0 || this.active + units <= this.limit;
  }
  /** Waits for `units` (default 1); returns the release (idempotent). */
  async acquire(units = 1) {
    if (!this.fits(units) || this.waiting.length)
      await new Promise((go) => {
        this.waiting.push({ units, go });
        this.admit();
      });
    else this.active += units;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active -= units;
      this.admit();
    };
  }
  /** Lets in every waiter that fits now, in order of arrival. */
  admit() {
    for (let i = 0; i < this.waiting.length; ) {
      const w = this.waiting[i];
      if (!this.fits(w.units)) {
        i++;
        continue;
      }
      this.waiting.splice(i, 1);
      this.active += w.units;
      w.go();
    }
  }
};
var HostLimiter = class {
  constructor(perHost, perSlot = SMALL_PER_SLOT) {
    this.perHost = perHost;
    this.perSlot = perSlot;
  }
  perHost;
  perSlot;
  limiters = /* @__PURE__ */ new Map();
  get(host) {
    let l = this.limiters.get(host);
    if (!l) {
      l = new Limiter(this.perHost * this.perSlot);
      this.limiters.set(host, l);
    }
    return l;
  }
  /**
   * Takes the units of a transfer of `bytes` (default: a whole slot) on each distinct host;
   * returns a function that releases them all.
   */
  async acquireAll(hosts, bytes = SLOT_BYTES) {
    const units = transferUnits(bytes, this.perSlot);
    const releases = [];
    for (const h of [...new Set(hosts)].sort()) releases.push(await this.get(h).acquire(units));
    return () => releases.forEach((r) => r());
  }
};
async function mapLimit(items, limit, fn) {
  const out = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

// src/copy/holders.ts
var BlobHolders = class _BlobHolders {
  entries = /* @__PURE__ */ new Map();
  static key(registry, digest) {
    return `${registryKey(registry)} ${digest}`;
  }
  /** Records `repo` as holding `digest` (a probe saw it, or a transfer landed), unless one is known. */
  hold(repo, digest) {
    const key = _BlobHolders.key(repo.registry, digest);
    if (!this.entries.has(key)) this.entries.set(key, { repo });
  }
  /** A repository on `registry` known to hold `digest`, an upload to wait for, or undefined. */
  peek(registry, digest) {
    return this.entries.get(_BlobHolders.key(registry, digest));
  }
  /**
   * Claims the upload of `digest` to `repo`'s registry (nobody holds or uploads it there).
   * @returns settle(landed): `repo` becomes the holder when it landed, else the claim is dropped
   */
  claim(repo, digest) {
    const key = _BlobHolders.key(repo.registry, digest);
    let release = () => void 0;
    this.entries.set(key, { pending: new Promise((r) => release = r) });
    return (landed) => {
      if (landed) this.entries.set(key, { repo });
      else this.entries.delete(key);
      release();
    };
  }
};
function sharedPromotion(perHost = DEFAULT_CONCURRENCY) {
  return { limiter: new HostLimiter(perHost), holders: new BlobHolders() };
}
var streams = (d) => !d.mountFrom || d.after !== void 0;
async function awaitUploads(holders, digest, live) {
  for (; ; ) {
    const pending = live.filter(streams).map((d) => holders.peek(d.repo.registry, digest)).flatMap((e) => e && "pending" in e ? [e.pending] : []);
    if (pending.length === 0) return;
    await Promise.all(pending);
  }
}
async function shareDeliveries(holders, digest, live) {
  await awaitUploads(holders, digest, live);
  const deliveries = live.map((d) => {
    const e = streams(d) ? holders.peek(d.repo.registry, digest) : void 0;
    return e && "repo" in e ? { target: d.target, repo: d.repo, mountFrom: e.repo } : d;
  });
  const claims = deliveries.filter((d) => !d.mountFrom).map((d) => ({ target: d.target, settle: holders.claim(d.repo, digest) }));
  const repos = new Map(deliveries.map((d) => [d.target, d.repo]));
  const settle = (outcomes) => {
    const landed = new Set(outcomes.filter((o) => o.action !== "failed").map((o) => o.target));
    for (const c of claims) c.settle(landed.has(c.target));
    for (const t of landed) holders.hold(repos.get(t), digest);
  };
  return { deliveries, settle };
}

// src/copy/referrer-plan.ts
function fallbackEntry(target, rt, h) {
  if (!h.fallbackIndexes) {
    const current = h.referrerTags.get(rt.tag);
    if (current === void 0) return { action: "create" };
    return { action: current === rt.index.digest ? "keep" : "move", from: current };
  }
  const existing = h.fallbackIndexes.get(rt.tag);
  if (!existing) return { action: "create" };
  if (!isIndex(existing))
    throw new Error(
      `${target}:${rt.tag} holds a ${existing.mediaType}, not an index: it is not a referrers list, and promote-image will not replace it`
    );
  return { action: mergeIndexes(existing, rt.index) ? "move" : "keep", from: existing.digest };
}
function planTargetReferrers(graph, target, h, overwrite, present) {
  const apiTarget = h.referrersListed !== void 0;
  const referrerTags = [];
  const referrerWrites = [];
  if (!apiTarget)
    for (const rt of graph.referrerTags) {
      const e = fallbackEntry(target, rt, h);
      referrerTags.push({ tag: rt.tag, ...e });
      if (e.action !== "keep")
        referrerWrites.push({ tag: rt.tag, index: rt.index, merge: e.action === "move" });
    }
  const referrers = (graph.subjects ?? []).flatMap(
    (s) => s.referrers.map((r) => ({
      subject: s.subject,
      digest: r.digest,
      ...r.artifactType ? { artifactType: r.artifactType } : {},
      listedBy: apiTarget ? "referrers API" : referrersTag(s.subject),
      action: present(r.digest) ? "present" : "push"
    }))
  );
  const signatureTags = (graph.signatureTags ?? []).map((s) => {
    const current = h.signatureTags?.get(s.tag);
    const action = current === void 0 ? "create" : current === s.digest ? "keep" : "move";
    return {
      tag: s.tag,
      action,
      ...current ? { from: current } : {},
      digest: s.digest,
      artifactType: COSIGN
    };
  });
  const violations = signatureTags.filter((s) => s.action === "move" && !overwrite).map(
    (s) => `${target}:${s.tag} holds other signatures (${s.from}); promoting would replace them with ${s.digest}`
  );
  const byDigest = new Map(graph.manifests.map((m) => [m.digest, m]));
  const signatureWrites = signatureTags.filter((s) => s.action !== "keep").map((s) => ({ tag: s.tag, manifest: byDigest.get(s.digest) }));
  return { referrerTags, referrerWrites, referrers, signatureTags, signatureWrites, violations, apiTarget };
}

// src/copy/plan.ts
function holds(h, digest) {
  return h.blobs.has(digest) ? h.blobs.get(digest) !== void 0 : h.root;
}
function delivery(source, target, holders, leads) {
  const base = { target: target.key, repo: target.repo };
  const registry = target.repo.registry;
  if (sameRegistry(source.registry, registry) && source.repository !== target.repo.repository)
    return { ...base, mountFrom: source };
  const holder = holders.find((h) => sameRegistry(h.repo.registry, registry));
  if (holder) return { ...base, mountFrom: holder.repo };
  const lead = leads.get(registryKey(registry));
  if (lead) return { ...base, mountFrom: lead.repo, after: lead.key };
  leads.set(registryKey(registry), target);
  return base;
}
function planBlobs(input) {
  const { source, graph, targets, holdings } = input;
  const lists = targets.map(() => ({ skip: [], mount: [], copy: [] }));
  const moves = [];
  for (const blob of graph.blobs) {
    const entry = { digest: blob.digest, size: blob.size };
    const holders = targets.filter((_, i) => holds(holdings[i], blob.digest));
    const leads = /* @__PURE__ */ new Map();
    const deliveries = [];
    targets.forEach((t, i) => {
      if (holds(holdings[i], blob.digest)) return void lists[i].skip.push(entry);
      const d = delivery(source, t, holders, leads);
      (d.mountFrom ? lists[i].mount : lists[i].copy).push(entry);
      deliveries.push(d);
    });
    if (deliveries.length === 0) continue;
    moves.push({ blob, bytes: deliveries.some((d) => !d.mountFrom) ? blob.size : 0, deliveries });
  }
  return { lists, moves: moves.sort((a, b) => b.blob.size - a.blob.size) };
}
function tagEntry(tag, current, digest) {
  if (current === void 0) return { tag, action: "create" };
  return { tag, action: current === digest ? "keep" : "move", from: current };
}
function planTags(input, target, h) {
  const digest = input.graph.root.digest;
  const moving = new Set(input.movingTags ?? DEFAULT_MOVING_TAGS);
  const immutable = (input.tagPolicy ?? DEFAULT_TAG_POLICY) === "immutable";
  const tags = target.tags.map((tag) => tagEntry(tag, h.tags.get(tag), digest));
  const violations = tags.filter((t) => t.action === "move" && immutable && !moving.has(t.tag)).map((t) => `${formatRepo(target.repo)}:${t.tag} points at ${t.from}; promoting ${digest} would move it`);
  return { tags, violations };
}
function referrerReport(r) {
  return {
    ...r.referrers.length ? { referrers: r.referrers } : {},
    ...r.signatureTags.length ? { signatureTags: r.signatureTags } : {}
  };
}
function planTarget(input, target, h, blobs) {
  const { graph } = input;
  const root = graph.root.digest;
  const detached = graph.detached ?? /* @__PURE__ */ new Set();
  const held = (d) => h.root && !detached.has(d) || h.manifests.get(d) === d;
  const overwrite = (input.tagPolicy ?? DEFAULT_TAG_POLICY) === "overwrite";
  const r = planTargetReferrers(graph, formatRepo(target.repo), h, overwrite, held);
  const indexes = new Set(r.apiTarget ? graph.referrerTags.map((rt) => rt.index.digest) : []);
  const manifests = graph.manifests.filter((m) => !indexes.has(m.digest));
  const present = (m) => held(m.digest) && (m.digest !== root || h.root);
  const push = manifests.filter((m) => !present(m));
  const { tags, violations } = planTags(input, target, h);
  const report = {
    target: formatRepo(target.repo),
    blobs,
    bytesToCopy: blobs.copy.reduce((n, b) => n + b.size, 0),
    manifests: { push: push.map((m) => m.digest), present: manifests.filter(present).map((m) => m.digest) },
    tags,
    referrerTags: r.referrerTags,
    violations: [...violations, ...r.violations],
    ...referrerReport(r)
  };
  const tagWrites = tags.filter((t) => t.action !== "keep").map((t) => t.tag);
  const { referrerWrites, signatureWrites } = r;
  const verify = push.length > 0 || tagWrites.length > 0 || referrerWrites.length > 0 || signatureWrites.length > 0;
  return {
    key: target.key,
    repo: target.repo,
    tags: target.tags,
    report,
    push,
    tagWrites,
    referrerWrites,
    ...signatureWrites.length ? { signatureWrites } : {},
    verify
  };
}
function rootByTag(t, root) {
  if (t.push.at(-1)?.digest !== root || t.tagWrites.length === 0) return t;
  const [rootTag, ...tagWrites] = t.tagWrites;
  return { ...t, rootTag, tagWrites };
}
function attestationReport(graph) {
  const attestations = attestationsOf(graph.root, graph.manifests);
  return attestations.length ? { attestations } : {};
}
function planPromotion(input) {
  const { graph, source, reference } = input;
  const { lists, moves } = planBlobs(input);
  const planned = input.targets.map((t, i) => planTarget(input, t, input.holdings[i], lists[i]));
  const targets = planned.length === 1 ? [rootByTag(planned[0], graph.root.digest)] : planned;
  const report = {
    source: {
      reference: `${formatRepo(source)}${isDigest(reference) ? "@" : ":"}${reference}`,
      digest: graph.root.digest,
      mediaType: graph.root.mediaType,
      platforms: [...new Set(graph.platforms.values())],
      ...attestationReport(graph)
    },
    targets: targets.map((t) => t.report),
    dryRun: input.dryRun ?? false
  };
  return { report, root: graph.root, targets, moves, violations: targets.flatMap((t) => t.report.violations) };
}

// src/copy/probe.ts
async function headAll(api, repo, heads, limit) {
  const answers = await mapLimit(
    heads,
    limit,
    async (h) => h.blob ? await api.headBlob(repo, h.ref) : (await api.headManifest(repo, h.ref))?.digest
  );
  return new Map(heads.map((h, i) => [`${h.blob}:${h.ref}`, answers[i]]));
}
var manifestHeads = (refs) => refs.map((ref) => ({ blob: false, ref }));
async function headRoot(api, repo, digest) {
  return (await api.headManifest(repo, digest))?.digest === digest;
}
function probeRoots(api, digest, targets, limit = 16) {
  return targets.map(({ repo, tags }) => {
    const p = (async () => {
      const [root, answer] = await Promise.all([
        headRoot(api, repo, digest),
        headAll(api, repo, manifestHeads(tags), limit)
      ]);
      return { root, tags: new Map(tags.map((t) => [t, answer.get(`false:${t}`)])) };
    })();
    p.catch(() => void 0);
    return p;
  });
}
async function probeReferrers(api, graph, repo, limit) {
  const subjects = (graph.subjects ?? []).map((s) => s.subject);
  const out = {};
  const signatures = (graph.signatureTags ?? []).map((s) => s.tag);
  const sigHeads = headAll(api, repo, manifestHeads(signatures), limit);
  if (graph.referrersApi && subjects.length) {
    const first = await api.listReferrers(repo, subjects[0]);
    if (first) {
      const rest = await mapLimit(subjects.slice(1), limit, (s) => api.listReferrers(repo, s));
      const lists = [first, ...rest];
      out.referrersListed = new Map(
        subjects.map((s, i) => [s, new Set(lists[i]?.manifests.map((m) => m.digest))])
      );
    }
  }
  if (!out.referrersListed && graph.referrerTags.length) {
    const tags = graph.referrerTags.map((rt) => rt.tag);
    const indexes = await mapLimit(tags, limit, (t) => api.getManifest(repo, t, { allowMissing: true }));
    out.fallbackIndexes = new Map(tags.map((t, i) => [t, indexes[i]]));
  }
  const heads = await sigHeads;
  if (signatures.length)
    out.signatureTags = new Map(signatures.map((t) => [t, heads.get(`false:${t}`)]));
  return out;
}
async function probeTarget(api, graph, target, limit = 16, early) {
  const { repo, tags } = target;
  const digest = graph.root.digest;
  const first = early ? await early : void 0;
  const root = first ? first.root : await headRoot(api, repo, digest);
  const detached = graph.detached ?? /* @__PURE__ */ new Set();
  const blobs = graph.blobs.filter((b) => !root || isNonDistributable(b.mediaType) || detached.has(b.digest)).map((b) => b.digest);
  const children = graph.manifests.filter((m) => m.digest !== digest && (!root || detached.has(m.digest))).map((m) => m.digest);
  const references = [...children, ...first ? [] : tags];
  const heads = [...blobs.map((ref) => ({ blob: true, ref })), ...manifestHeads(references)];
  const [answer, referrers] = await Promise.all([
    headAll(api, repo, heads, limit),
    probeReferrers(api, graph, repo, limit)
  ]);
  const referrerTags = graph.referrerTags.map((rt) => rt.tag);
  const indexDigest = (t) => referrers.fallbackIndexes?.get(t)?.digest;
  const manifestAnswers = (refs) => new Map(refs.map((r) => [r, answer.get(`false:${r}`)]));
  return {
    root,
    blobs: new Map(blobs.map((b) => [b, answer.get(`true:${b}`)])),
    manifests: manifestAnswers(children),
    tags: first ? first.tags : manifestAnswers(tags),
    referrerTags: new Map(referrerTags.map((t) => [t, indexDigest(t)])),
    ...referrers
  };
}
async function probeTargets(api, graph, targets, limit = 16, early) {
  return await Promise.all(targets.map((t, i) => probeTarget(api, graph, t, limit, early?.[i])));
}

// src/copy/progress.ts
var Progress = class {
  /**
   * @param blobs every blob to move, with the bytes it is planned to stream as its size
   * @param intervalMs least milliseconds between two events before the final one
   */
  constructor(blobs, intervalMs, onProgress, now = Date.now) {
    this.blobs = blobs;
    this.intervalMs = intervalMs;
    this.onProgress = onProgress;
    this.now = now;
    this.weights = new Map(blobs.map((b) => [b.digest, b.size]));
    this.totalBytes = blobs.reduce((n, b) => n + b.size, 0);
    this.started = this.last = now();
  }
  blobs;
  intervalMs;
  onProgress;
  now;
  /** every source byte read, retries included */
  bytesRead = 0;
  started;
  last;
  active = /* @__PURE__ */ new Map();
  weights;
  doneBytes = 0;
  blobsDone = 0;
  blobsFailed = 0;
  /** per blob in transfer: bytes each target acknowledged */
  acked = /* @__PURE__ */ new Map();
  totalBytes;
  resumedBytes = 0;
  /** the blob's transfer begins */
  start(digest) {
    this.active.set(digest, { digest, size: this.weights.get(digest) ?? 0, bytes: 0 });
    if (!this.acked.has(digest)) this.acked.set(digest, /* @__PURE__ */ new Map());
  }
  /** `target` holds `bytes` of the blob now (its upload's acknowledged offset; 0 after a failure) */
  landed(digest, target, bytes) {
    this.acked.get(digest)?.set(target, bytes);
  }
  /** bytes of the blob that landed: the most any target acknowledged, at most its weight */
  landedBytes(digest) {
    const weight = this.weights.get(digest) ?? 0;
    return Math.min(weight, Math.max(0, ...this.acked.get(digest)?.values() ?? []));
  }
  /**
   * every target's kept session already held `bytes` of the blob (a resumed upload): they are not
   * sent again, so they leave its weight and the total, and are reported as resumed
   */
  resumed(digest, bytes) {
    const weight = this.weights.get(digest) ?? 0;
    const cut = Math.min(weight, bytes);
    this.weights.set(digest, weight - cut);
    this.totalBytes -= cut;
    this.resumedBytes += cut;
  }
  /** the blob is read again from its first byte (retry, chunked fallback) */
  restart(digest) {
    this.start(digest);
  }
  /** `n` more bytes of the blob were read from the source */
  add(digest, n) {
    this.bytesRead += n;
    const a = this.active.get(digest);
    if (a) a.bytes = Math.min(a.size, a.bytes + n);
    const now = this.now();
    if (now - this.last >= this.intervalMs) {
      this.last = now;
      this.emit(false);
    }
  }
  /**
   * The blob's transfer is over: it counts the bytes that landed, as done, or as failed when
   * `failed` (it failed at one target or more).
   */
  finish(digest, failed = false) {
    if (!this.active.delete(digest)) return;
    this.doneBytes += this.landedBytes(digest);
    this.acked.delete(digest);
    if (failed) this.blobsFailed++;
    else this.blobsDone++;
  }
  /** the blob phase is over: the final event, when there were blobs to move */
  end() {
    if (this.blobs.length) this.emit(true);
  }
  emit(done) {
    if (!this.onProgress) return;
    const active = [...this.active.values()].map((a) => ({ ...a })).sort((a, b) => b.size - a.size);
    const bytes = this.doneBytes + active.reduce((n, a) => n + this.landedBytes(a.digest), 0);
    const seconds = Math.max(1e-3, (this.now() - this.started) / 1e3);
    this.onProgress({
      bytes,
      totalBytes: this.totalBytes,
      rateBytesPerSecond: Math.round(bytes / seconds),
      blobsDone: this.blobsDone,
      ...this.blobsFailed ? { blobsFailed: this.blobsFailed } : {},
      blobsTotal: this.blobs.length,
      ...this.resumedBytes ? { resumedBytes: this.resumedBytes } : {},
      active,
      done
    });
  }
};

// src/copy/fanout.ts
import { PassThrough, Transform, pipeline } from "node:stream";

// src/copy/abort.ts
var hubs = /* @__PURE__ */ new WeakMap();
function hubOf(signal) {
  const found = hubs.get(signal);
  if (found) return found;
  const callbacks = /* @__PURE__ */ new Set();
  const dispatch = () => {
    hubs.delete(signal);
    for (const callback of [...callbacks]) callback();
  };
  const hub = { callbacks, dispatch };
  hubs.set(signal, hub);
  signal.addEventListener("abort", dispatch, { once: true });
  return hub;
}
function onAbort(signal, callback) {
  if (!signal) return () => void 0;
  if (signal.aborted) {
    callback();
    return () => void 0;
  }
  const hub = hubOf(signal);
  const once = () => {
    hub.callbacks.delete(once);
    callback();
  };
  hub.callbacks.add(once);
  return () => {
    hub.callbacks.delete(once);
    if (hub.callbacks.size || hubs.get(signal) !== hub) return;
    hubs.delete(signal);
    signal.removeEventListener("abort", hub.dispatch);
  };
}

// src/copy/fanout.ts
var SESSION_RETRIES = DEFAULT_RETRY.retries;
async function cancel(api, upload, opts) {
  if (!await api.cancelUpload(upload.session)) opts.onSessionLeft?.(upload.target);
}
function untilAborted(request, signal) {
  if (!signal) return request;
  request.catch(() => void 0);
  return new Promise((resolve2, reject) => {
    const release = onAbort(signal, () => reject(signal.reason));
    request.then(resolve2, reject).finally(release);
  });
}
function abortOn(body, signal) {
  return onAbort(signal, () => void body.destroy(signal?.reason));
}
function drained(pipe) {
  if (pipe.destroyed) return Promise.resolve();
  return new Promise((resolve2) => {
    const done = () => {
      pipe.off("drain", done);
      pipe.off("close", done);
      resolve2();
    };
    pipe.on("drain", done);
    pipe.on("close", done);
  });
}
function monolithicSink(api, blob, { target, session }, opts) {
  const pipe = new PassThrough({ highWaterMark: 1 << 20 });
  const sink = {
    target,
    session,
    held: 0,
    write: (frame) => pipe.write(frame) ? void 0 : drained(pipe),
    end: async () => {
      if (!sink.error) pipe.end();
      await untilAborted(put, opts.signal).catch(fail);
    },
    abort: async (e) => {
      sink.error ??= e;
      pipe.destroy(e);
      await untilAborted(put, opts.signal).catch(() => void 0);
    }
  };
  const fail = (e) => void (sink.error ??= e);
  const put = api.putBlob(session, blob.digest, blob.size, pipe).then(
    () => opts.onLanded?.(target, blob.size),
    (e) => {
      sink.error ??= e;
      pipe.destroy();
    }
  );
  return sink;
}
function chunkedSink(api, blob, { upload, claim }, base, opts) {
  const { target, session, offset: held = 0 } = upload;
  const continuing = {
    tries: opts.sessionRetries ?? SESSION_RETRIES,
    log: opts.log,
    what: `blob ${blob.digest} to ${target}`
  };
  let offset = held;
  let position = 0;
  const fail = (e) => {
    if (!sink.error) opts.onLanded?.(target, 0);
    sink.error ??= e;
  };
  if (held > base) opts.onLanded?.(target, held - base);
  const sink = {
    target,
    session,
    held,
    write: async (frame) => {
      const start = position;
      position += frame.length;
      if (position <= offset) return;
      try {
        offset = await patchFrame(api, session, frame, start, offset, continuing);
      } catch (e) {
        return fail(e);
      }
      opts.onLanded?.(target, offset - base);
      await claim?.save(session, offset);
    },
    end: async () => {
      if (sink.error) return;
      try {
        await closeSession(api, session, blob, continuing);
      } catch (e) {
        return fail(e);
      }
      opts.onLanded?.(target, blob.size - base);
      await claim?.forget();
    },
    abort: async (e) => fail(e),
    forget: async () => await claim?.forget()
  };
  return sink;
}
var Framer = class {
  constructor(size) {
    this.size = size;
  }
  size;
  pending = [];
  pendingBytes = 0;
  push(chunk) {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    const frames = [];
    if (this.pendingBytes < this.size) return frames;
    let all = Buffer.concat(this.pending, this.pendingBytes);
    while (all.length >= this.size) {
      frames.push(all.subarray(0, this.size));
      all = all.subarray(this.size);
    }
    this.pending = all.length ? [all] : [];
    this.pendingBytes = all.length;
    return frames;
  }
  rest() {
    return this.pendingBytes ? [Buffer.concat(this.pending, this.pendingBytes)] : [];
  }
};
var BlobCheck = class {
  constructor(source, blob) {
    this.blob = blob;
    this.verifier = new DigestVerifier(blob.digest);
    this.what = `blob ${source.registry}/${source.repository}@${blob.digest}`;
  }
  blob;
  verifier;
  checked = false;
  what;
  /** @throws DigestMismatchError past the size, or when the bytes that complete it hash wrong */
  update(chunk) {
    const { verifier, blob } = this;
    verifier.update(chunk);
    if (verifier.bytes > blob.size)
      throw new DigestMismatchError(this.what, blob.digest, "(more bytes than its size)", verifier.bytes);
    if (verifier.bytes === blob.size && !this.checked) this.verify(verifier.bytes);
  }
  /** @throws DigestMismatchError when the stream ended short (or an empty blob hashes wrong) */
  end() {
    const { verifier, blob } = this;
    if (verifier.bytes !== blob.size) {
      const actual = `(stream ended after ${verifier.bytes} of ${blob.size} bytes)`;
      throw new DigestMismatchError(this.what, blob.digest, actual, verifier.bytes);
    }
    if (!this.checked) this.verify(0);
  }
  verify(bytes) {
    this.checked = true;
    const actual = this.verifier.digest();
    if (actual !== this.blob.digest)
      throw new DigestMismatchError(this.what, this.blob.digest, bytes ? actual : "empty content", bytes);
  }
};
async function cancelInterrupted(api, sinks, opts) {
  const open2 = sinks.filter((s) => s.error);
  await Promise.all(open2.map((s) => cancel(api, s, opts)));
  await Promise.all(open2.map((s) => s.forget?.()));
}
async function pump(api, source, blob, sinks, framer, onBytes, signal, given) {
  const check = new BlobCheck(source, blob);
  const toLive = async (frames) => {
    for (const frame of frames) {
      const waits = sinks.filter((s) => !s.error).map((s) => s.write(frame));
      if (waits.some((w) => w)) await Promise.all(waits);
    }
  };
  const body = given ?? api.readBlob(source, blob.digest, blob.size);
  if (body.errored) throw body.errored;
  const release = abortOn(body, signal);
  try {
    for await (const raw of body) {
      const chunk = raw;
      onBytes?.(chunk.length);
      check.update(chunk);
      if (sinks.every((s) => s.error)) return;
      await toLive(framer ? framer.push(chunk) : [chunk]);
    }
    check.end();
    await toLive(framer?.rest() ?? []);
  } finally {
    release();
    body.destroy();
  }
}
function checkedStage(check, onBytes, fail) {
  let held;
  return new Transform({
    transform(chunk, _encoding, done) {
      onBytes?.(chunk.length);
      try {
        check.update(chunk);
      } catch (e) {
        fail(e);
        done(e);
        return;
      }
      if (held) this.push(held);
      held = chunk;
      done();
    },
    flush(done) {
      try {
        check.end();
      } catch (e) {
        fail(e);
        done(e);
        return;
      }
      done(null, held);
    }
  });
}
async function pipeOne(api, source, blob, upload, opts) {
  const { onBytes } = opts;
  let sourceError;
  const fail = (e) => void (sourceError ??= e);
  const body = opts.body ?? api.readBlob(source, blob.digest, blob.size);
  if (body.errored) fail(body.errored);
  const stage = checkedStage(new BlobCheck(source, blob), onBytes, fail);
  body.once("error", (e) => void (stage.destroyed || fail(e)));
  pipeline(body, stage, () => void 0);
  const release = abortOn(body, opts.signal);
  let error;
  try {
    await untilAborted(api.putBlob(upload.session, blob.digest, blob.size, stage), opts.signal);
    if (!sourceError) opts.onLanded?.(upload.target, blob.size);
  } catch (e) {
    error = e;
  } finally {
    release();
    body.destroy();
    stage.destroy();
  }
  if (sourceError) {
    await cancel(api, upload, opts);
    throw sourceError;
  }
  if (error && opts.signal?.aborted) await cancel(api, upload, opts);
  return [{ target: upload.target, error }];
}
async function fanOut(api, source, blob, uploads, opts) {
  const unusable = digestProblem(blob.digest);
  if (unusable) {
    await Promise.all(uploads.map((u) => api.cancelUpload(u.session)));
    throw new Error(`blob ${source.registry}/${source.repository}: digest ${unusable}`);
  }
  if (opts.mode !== "chunked" && uploads.length === 1)
    return await pipeOne(api, source, blob, uploads[0], opts);
  const claimed = opts.mode === "chunked" && opts.state ? await resumeUploads(api, opts.state, blob, uploads, opts.log) : uploads.map((upload) => ({ upload }));
  try {
    return await fanOutClaimed(api, source, blob, claimed, opts);
  } finally {
    await Promise.all(claimed.map((c) => c.claim?.release()));
  }
}
async function fanOutClaimed(api, source, blob, claimed, opts) {
  const chunked = opts.mode === "chunked";
  const minimum = Math.max(0, ...claimed.map((c) => c.upload.session.chunkMinLength ?? 0));
  const framer = chunked ? new Framer(Math.max(opts.chunkSize ?? DEFAULT_CHUNK_SIZE, minimum)) : void 0;
  const base = Math.min(...claimed.map((c) => c.upload.offset ?? 0), blob.size);
  if (base > 0) opts.onResumed?.(base);
  if (chunked)
    await Promise.all(claimed.map((c) => c.upload.offset ? void 0 : c.claim?.save(c.upload.session, 0)));
  const sinks = claimed.map(
    (c) => chunked ? chunkedSink(api, blob, c, base, opts) : monolithicSink(api, blob, c.upload, opts)
  );
  try {
    await pump(api, source, blob, sinks, framer, opts.onBytes, opts.signal, opts.body);
  } catch (e) {
    await Promise.all(sinks.map((s) => s.abort(e)));
    await Promise.all(sinks.map((s) => cancel(api, s, opts)));
    await Promise.all(sinks.map((s) => s.forget?.()));
    throw e;
  }
  await Promise.all(sinks.map((s) => s.end()));
  if (opts.signal?.aborted) await cancelInterrupted(api, sinks, opts);
  return sinks.map((s) => ({ target: s.target, error: s.error, ...s.held ? { resumed: s.held } : {} }));
}

// src/copy/transfer.ts
async function open(api, repo, digest, from) {
  if (from) {
    try {
      const r2 = await api.startUpload(repo, { digest, from: from.repository });
      return r2.mounted ? void 0 : r2.session;
    } catch {
    }
  }
  const r = await api.startUpload(repo);
  if (r.mounted) throw new Error("unexpected mount");
  return r.session;
}
function readEarly(opts, blob, streams2) {
  if (!streams2) return void 0;
  const body = opts.api.readBlob(opts.source, blob.digest, blob.size);
  body.on("error", () => void 0);
  body.read(0);
  return body;
}
async function deliver(opts, blob, deliveries, mode) {
  const body = readEarly(
    opts,
    blob,
    deliveries.some((x) => !x.from)
  );
  try {
    return await deliverWith(opts, blob, deliveries, mode, body);
  } finally {
    body?.destroy();
  }
}
async function deliverWith(opts, blob, deliveries, mode, body) {
  const outcomes = [];
  const uploads = [];
  await Promise.all(
    deliveries.map(async ({ d, from }) => {
      try {
        const session = await open(opts.api, d.repo, blob.digest, from);
        if (session) uploads.push({ target: d.target, session });
        else outcomes.push({ target: d.target, action: "mounted", bytes: 0 });
      } catch (e) {
        outcomes.push({ target: d.target, action: "failed", error: e });
      }
    })
  );
  if (uploads.length === 0) return { outcomes };
  try {
    const landings = await fanOut(opts.api, opts.source, blob, uploads, { ...opts, mode, body });
    for (const { target, error, resumed = 0 } of landings)
      outcomes.push(
        error ? { target, action: "failed", error } : { target, action: "copied", bytes: blob.size - resumed, ...resumed ? { resumed } : {} }
      );
    return { outcomes };
  } catch (e) {
    for (const u of uploads) outcomes.push({ target: u.target, action: "failed", error: e });
    return { outcomes, sourceError: e };
  }
}
async function attempt(opts, blob, deliveries, mode, held) {
  const streamed = new Set(deliveries.filter((d) => !d.mountFrom).map((d) => d.target));
  const waits = (d) => d.after !== void 0 && streamed.has(d.after);
  const first = await deliver(
    opts,
    blob,
    deliveries.filter((d) => !waits(d)).map((d) => ({ d, from: !d.after || held.has(d.after) ? d.mountFrom : void 0 })),
    mode
  );
  const later = deliveries.filter(waits);
  if (later.length === 0) return first.outcomes;
  const { sourceError } = first;
  if (sourceError)
    return [
      ...first.outcomes,
      ...later.map((d) => ({ target: d.target, action: "failed", error: sourceError }))
    ];
  const got = new Set(first.outcomes.filter((o) => o.action !== "failed").map((o) => o.target));
  const second = await deliver(
    opts,
    blob,
    later.map((d) => ({ d, from: got.has(d.after) ? d.mountFrom : void 0 })),
    mode
  );
  return [...first.outcomes, ...second.outcomes];
}
function refusedMonolithic(e) {
  return e instanceof RegistryError && e.status === 413 && e.method === "PUT";
}
async function transferBlob(opts, move, live) {
  const { blob } = move;
  const mode = opts.uploadMode ?? DEFAULT_UPLOAD_MODE;
  const byTarget = new Map(live.map((d) => [d.target, d]));
  const done = [];
  const held = /* @__PURE__ */ new Set();
  const settle = (o) => {
    done.push(o);
    if (o.action !== "failed") held.add(o.target);
  };
  const names = (ds) => ds.map((d) => formatRepo(d.repo)).join(", ");
  let pending = live;
  for (let tries = 0; ; tries++) {
    const retry = [];
    const chunked = [];
    for (const o of await attempt(opts, blob, pending, mode, held)) {
      const d = byTarget.get(o.target);
      if (o.action === "failed" && mode !== "chunked" && refusedMonolithic(o.error)) chunked.push(d);
      else if (o.action === "failed" && tries < 2 && isTemporary(o.error)) retry.push(d);
      else settle(o);
    }
    if (chunked.length) {
      opts.log.debug(
        `blob ${blob.digest}: ${names(chunked)} refused a monolithic upload; uploading in chunks`
      );
      opts.onRestart?.();
      for (const o of await attempt(opts, blob, chunked, "chunked", held)) settle(o);
    }
    if (retry.length === 0) return done;
    opts.log.debug(`blob ${blob.digest}: retrying ${names(retry)} after a transient failure`);
    pending = retry;
    opts.onRestart?.();
  }
}

// src/copy/select.ts
async function configPlatform(api, repo, image) {
  const config = image.json.config;
  if (!config) return void 0;
  if (config.size > LIMITS.manifestBytes)
    throw new Error(
      `config blob ${config.digest} declares ${config.size} bytes, larger than the manifestBytes limit of ${bytesText(LIMITS.manifestBytes)}`
    );
  const verifier = new DigestVerifier(config.digest);
  const chunks = [];
  for await (const c of api.readBlob(repo, config.digest, config.size)) {
    verifier.update(c);
    chunks.push(c);
    if (verifier.bytes > config.size) break;
  }
  const got = verifier.digest();
  if (verifier.bytes !== config.size || got !== config.digest)
    throw new Error(
      `config blob ${config.digest} of ${repo.registry}/${repo.repository}: got ${verifier.bytes} bytes hashing to ${got}, wanted ${config.size} bytes`
    );
  let json;
  try {
    json = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    return void 0;
  }
  if (!json || typeof json.os !== "string" || typeof json.architecture !== "string") return void 0;
  const text = (k) => typeof json[k] === "string" && json[k] ? json[k] : void 0;
  const features = json["os.features"];
  const variant = text("variant");
  const osVersion = text("os.version");
  return {
    architecture: json.architecture,
    os: json.os,
    ...osVersion ? { "os.version": osVersion } : {},
    ...Array.isArray(features) && features.length && features.every((f) => typeof f === "string") ? { "os.features": features } : {},
    ...variant ? { variant } : {}
  };
}
async function selectPlatforms(api, repo, source, wanted, what, input) {
  const names = wanted.map(formatPlatform).join(", ");
  if (!isIndex(source)) {
    const own = await configPlatform(api, repo, source);
    const ownName = own ? formatPlatform(own) : "no platform in its config";
    if (wanted.length !== 1 || !own || !platformMatches(wanted[0], own))
      throw new Error(`${input} ${names}: ${what} is a single image (${ownName}), not an index of platforms`);
    return { root: source, platforms: [formatPlatform(own)] };
  }
  const choice = choosePlatforms(source, wanted, what, input);
  if (choice.kind === "index") return { root: choice.index, platforms: choice.platforms };
  const child = await api.getManifest(repo, choice.descriptor.digest);
  if (!child) throw new Error(`${what} lists ${choice.descriptor.digest}, which the registry does not hold`);
  return { root: child, platforms: choice.platforms };
}

// src/copy/promote.ts
var TagPolicyError = class extends Error {
  constructor(violations, plan) {
    super(`tag policy "immutable" refuses to move tags:
  ${violations.join("\n  ")}`);
    this.violations = violations;
    this.plan = plan;
    this.name = "TagPolicyError";
  }
  violations;
  plan;
};
var PromoteError = class extends Error {
  /**
   * @param targets where every target stands (holds the image by digest, tags that point at it,
   *   what was copied), in target order
   */
  constructor(message, failures, targets = []) {
    super(message);
    this.failures = failures;
    this.targets = targets;
    this.name = "PromoteError";
  }
  failures;
  targets;
};
var missing = (repo, reference) => new Error(`${formatRepo(repo)}${isDigest(reference) ? "@" : ":"}${reference} does not exist`);
async function resolve(api, repo, reference) {
  const d = await api.headManifest(repo, reference);
  if (!d) throw missing(repo, reference);
  return d;
}
async function resolveManifest(api, repo, reference) {
  const m = await api.getManifest(repo, reference, { allowMissing: true });
  if (!m) throw missing(repo, reference);
  return m;
}
async function moveOne(api, source, move, ledger, progress, options) {
  const { digest } = move.blob;
  let live = move.deliveries.filter((d) => !ledger.failed(d.target));
  if (live.length === 0 || options.signal?.aborted) return;
  let settle;
  if (options.shared)
    ({ deliveries: live, settle } = await shareDeliveries(options.shared.holders, digest, live));
  try {
    await transferOne(api, source, move, live, ledger, progress, options, (outcomes) => {
      settle?.(outcomes);
      settle = void 0;
    });
  } finally {
    settle?.([]);
  }
}
async function transferOne(api, source, move, live, ledger, progress, options, settled) {
  const log = options.logger ?? silentLogger;
  const { uploadMode, chunkSize, signal, uploadState: state } = options;
  const { digest, size } = move.blob;
  progress.start(digest);
  const transfer = {
    api,
    source,
    uploadMode,
    chunkSize,
    log,
    signal,
    state,
    onBytes: (n) => progress.add(digest, n),
    onRestart: () => progress.restart(digest),
    onLanded: (target, n) => progress.landed(digest, target, n),
    onResumed: (n) => progress.resumed(digest, n),
    onSessionLeft: (target) => ledger.sessionLeft(target)
  };
  const outcomes = await transferBlob(transfer, move, live);
  settled(outcomes);
  for (const o of outcomes) if (o.action !== "failed") progress.landed(digest, o.target, size);
  progress.finish(
    digest,
    outcomes.some((o) => o.action === "failed")
  );
  for (const o of outcomes) {
    ledger.record(o);
    if (o.action === "failed" && !isAbort(o.error, signal))
      log.warning(`${ledger.get(o.target).target}: blob ${digest} failed: ${o.error.message}`);
  }
  log.debug(
    `blob ${digest} (${size} bytes): ${outcomes.map((o) => `${ledger.get(o.target).target} ${o.action}`).join(", ")}`
  );
}
async function moveBlobs(api, source, plan, ledger, options) {
  const limiter = options.shared?.limiter ?? new HostLimiter(options.concurrency ?? DEFAULT_CONCURRENCY, options.smallBlobsPerSlot);
  const holders = options.shared?.holders;
  const weights = plan.moves.map((m) => ({ digest: m.blob.digest, size: m.bytes }));
  const progress = new Progress(weights, options.progressIntervalMs ?? 5e3, options.onProgress);
  await Promise.all(
    plan.moves.map(async (move) => {
      const hosts = [source, ...move.deliveries.map((d) => d.repo)].map((r) => registryKey(r.registry));
      if (holders) await awaitUploads(holders, move.blob.digest, move.deliveries);
      const release = await limiter.acquireAll(hosts, move.bytes);
      try {
        await moveOne(api, source, move, ledger, progress, options);
      } finally {
        release();
      }
    })
  );
  if (!options.signal?.aborted) progress.end();
  return progress.bytesRead;
}
async function putConfirmed(api, t, reference, m, answers) {
  const answer = {};
  try {
    await api.putManifest(t.repo, reference, m, answer);
  } catch (e) {
    throw foreignLayerError(e, m, t.repo.registry) ?? e;
  }
  if (answer.ociSubject && m.json.subject) answers.listsKept.add(t.key);
  if (answer.digest !== m.digest) return;
  const confirmed = answers.confirmed.get(t.key) ?? /* @__PURE__ */ new Set();
  answers.confirmed.set(t.key, confirmed.add(reference).add(m.digest));
}
async function pushManifests(api, plan, ledger, answers) {
  await Promise.all(
    plan.targets.map(async (t) => {
      if (ledger.failed(t.key)) return;
      try {
        for (const m of t.push) {
          if (t.rootTag && m.digest === plan.root.digest) continue;
          await putConfirmed(api, t, m.digest, m, answers);
          ledger.get(t.key).manifestsPushed++;
        }
      } catch (e) {
        ledger.fail(t.key, e);
      }
    })
  );
}
async function writeReferrers(api, repo, w) {
  let index = w.index;
  if (w.merge) {
    const existing = await api.getManifest(repo, w.tag, { allowMissing: true });
    if (existing && isIndex(existing)) {
      const merged = mergeIndexes(existing, index);
      if (!merged) return;
      index = merged;
    }
  }
  await api.putManifest(repo, w.tag, index);
}
async function writeTags(api, plan, t, ledger, answers) {
  try {
    if (t.rootTag) {
      await putConfirmed(api, t, t.rootTag, plan.root, answers);
      ledger.get(t.key).manifestsPushed++;
      ledger.tagged(t.key, t.rootTag);
    }
    for (const tag of t.tagWrites) {
      await putConfirmed(api, t, tag, plan.root, answers);
      ledger.tagged(t.key, tag);
    }
    if (!answers.listsKept.has(t.key)) for (const w of t.referrerWrites) await writeReferrers(api, t.repo, w);
    for (const w of t.signatureWrites ?? []) await api.putManifest(t.repo, w.tag, w.manifest);
  } catch (e) {
    ledger.fail(t.key, e);
  }
}
function unconfirmed(plan, t, answers) {
  const root = plan.root.digest;
  const said = answers.confirmed.get(t.key) ?? /* @__PURE__ */ new Set();
  const kept = new Set(t.report.tags.filter((x) => x.action === "keep").map((x) => x.tag));
  const rootSeen = t.report.manifests.present.includes(root);
  return [root, ...t.tags].filter((r) => !said.has(r) && !kept.has(r) && !(r === root && rootSeen));
}
async function verifyTarget(api, plan, t, ledger, answers) {
  const root = plan.root.digest;
  const result = ledger.get(t.key);
  try {
    if (ledger.failed(t.key)) return;
    const asked = t.verify ? unconfirmed(plan, t, answers) : [];
    const served = await Promise.all(asked.map((r) => api.headManifest(t.repo, r)));
    result.verified = served.every((d) => d?.digest === root);
    if (!result.verified)
      ledger.fail(
        t.key,
        new Error(`verification failed: ${result.target} does not serve ${root} under every tag`)
      );
  } catch (e) {
    ledger.fail(t.key, e);
  } finally {
    ledger.finish(t.key);
  }
}
function warnReplacedSignatures(plan, log) {
  for (const t of plan.targets)
    for (const s of t.signatureTags ?? [])
      if (s.action === "move")
        log.warning(
          `${t.target}:${s.tag} holds other signatures (${s.from}); tag policy overwrite replaces them with ${s.digest}`
        );
}
function throwIfFailed(ledger, header) {
  const list = ledger.failures();
  if (list.length === 0) return;
  const lines = list.map((f) => `${f.target}: ${f.error.message}`);
  throw new PromoteError(
    header ? `${header}
  ${lines.join("\n  ")}` : lines.join("\n"),
    list,
    ledger.status()
  );
}
function throwIfInterrupted(ledger, signal) {
  if (!signal?.aborted) return;
  const landings = ledger?.landings() ?? [];
  const lines = landings.map(
    (l) => `${l.target}: tags untouched; ${l.blobsLanded} of ${l.blobsPlanned} blobs landed (${l.bytesLanded} bytes)` + (l.sessionsLeft ? `; ${l.sessionsLeft} cancelled upload session${l.sessionsLeft === 1 ? "" : "s"} kept by the registry (it refused the DELETE; its upload purging removes ${l.sessionsLeft === 1 ? "it" : "them"})` : "")
  );
  throw new InterruptedError(signalName(signal), landings, ledger?.status() ?? [], lines);
}
function tagStepNotice(signal, log) {
  if (!signal) return () => void 0;
  const tell = () => log.info(
    `interrupted by ${signalName(signal)} during the tag step: finishing the tags so no target is left half-tagged; the result follows`
  );
  signal.addEventListener("abort", tell, { once: true });
  return () => signal.removeEventListener("abort", tell);
}
function startGate(api, source, root, options) {
  const policy = options.verify;
  if (!policy) return void 0;
  const gating = import("./gate-CEZDGLKM.js").then((g) => g.runGate(api, source, root.digest, policy, root));
  gating.catch(() => void 0);
  return gating;
}
async function passGate(gating, what, plan, log) {
  if (!gating) return;
  const report = await gating;
  plan.gate = report;
  for (const c of report.checks)
    log.info(`${c.passed ? "verified" : "NOT verified"}: ${c.check} of ${c.digest}: ${c.found}`);
  if (!report.passed) {
    const { GateError } = await import("./gate-CEZDGLKM.js");
    throw new GateError(what, report, plan);
  }
}
function recordPlaces(plan) {
  return plan.targets.map((t) => ({
    target: t.report.target,
    repo: t.repo,
    entry: {
      repository: t.report.target,
      tags: t.report.tags.map(({ tag, action, from }) => ({ tag, action, ...from ? { from } : {} }))
    }
  }));
}
async function planRecords(api, plan, digest, options) {
  if (!options.record) return void 0;
  const { lookForRecords, plannedRecord } = await import("./record-ZANRELDU.js");
  const seen = await lookForRecords(api, digest, recordPlaces(plan), options.record.run);
  plan.targets.forEach((t, i) => t.report.record = plannedRecord(seen[i], digest));
  return seen;
}
async function writeRecords(api, plan, root, ledger, seen, options) {
  const record = options.record;
  if (!record || !seen) return void 0;
  const { recordPromotion } = await import("./record-ZANRELDU.js");
  const subject = { digest: root.digest, mediaType: root.mediaType, size: root.bytes.length };
  const report = plan.report;
  const predicate = {
    source: { reference: report.source.reference, digest: subject.digest, mediaType: subject.mediaType },
    tagPolicy: {
      policy: options.tagPolicy ?? DEFAULT_TAG_POLICY,
      movingTags: options.movingTags ?? [...DEFAULT_MOVING_TAGS]
    },
    ...report.gate ? { verification: report.gate } : {}
  };
  try {
    const results = await recordPromotion(api, subject, predicate, recordPlaces(plan), record, seen);
    results.forEach(
      (r, i) => plan.targets[i].report.record = { action: r.action, digest: r.digest, listedBy: r.listedBy }
    );
    return results;
  } catch (e) {
    for (const t of plan.targets) ledger.fail(t.key, new Error(`promotion record: ${e.message}`));
    return void 0;
  }
}
function accountBudget(plan, source, budget, options) {
  const requests = planRequests(plan, source, { mode: options.uploadMode, chunkSize: options.chunkSize });
  const { entries, problems } = checkBudget(requests, budget);
  plan.report.budget = entries;
  if (problems.length) throw new RequestBudgetError(problems);
}
async function choose(api, source, manifest, options) {
  const what = `${formatRepo(source)}@${manifest.digest}`;
  const wanted = options.platforms ?? [];
  const chosen = await selectPlatforms(
    api,
    source,
    manifest,
    wanted,
    what,
    options.platformsInput ?? "platforms"
  );
  const log = options.logger ?? silentLogger;
  const list = chosen.platforms.join(", ");
  if (chosen.root.digest === manifest.digest) log.info(`platforms ${list}: ${what} is promoted as it is`);
  else if (isIndex(chosen.root))
    log.info(
      `platforms ${list}: promoting a new index of those children, ${chosen.root.digest} (not the source's digest ${manifest.digest})`
    );
  else
    log.info(
      `platforms ${list}: promoting that child's own manifest, ${chosen.root.digest} (not the source's digest ${manifest.digest})`
    );
  return chosen;
}
async function executePlan(api, source, plan, root, seen, options) {
  const ledger = new Ledger(plan.targets);
  throwIfInterrupted(ledger, options.signal);
  const bytesRead = await moveBlobs(api, source, plan, ledger, options);
  throwIfInterrupted(ledger, options.signal);
  const answers = { confirmed: /* @__PURE__ */ new Map(), listsKept: /* @__PURE__ */ new Set() };
  await pushManifests(api, plan, ledger, answers);
  throwIfInterrupted(ledger, options.signal);
  throwIfFailed(ledger, `promotion of ${root.digest} is incomplete; no tag was written on any target:`);
  const tagging = tagStepNotice(options.signal, options.logger ?? silentLogger);
  await Promise.all(
    plan.targets.map(async (t) => {
      await writeTags(api, plan, t, ledger, answers);
      await verifyTarget(api, plan, t, ledger, answers);
    })
  ).finally(tagging);
  throwIfFailed(ledger);
  const records = await writeRecords(api, plan, root, ledger, seen, options);
  throwIfFailed(ledger);
  return { bytesRead, records, targets: ledger.all() };
}
async function promote(api, options) {
  const started = Date.now();
  const logger = options.logger ?? silentLogger;
  const { registry, repository, reference } = options.source;
  const source = { registry, repository };
  const targets = mergeTargets(options.targets);
  const choosing = Boolean(options.platforms?.length);
  const byDigest = isDigest(reference) && !choosing ? probeRoots(api, reference, targets) : void 0;
  const given = options.root?.digest === reference ? options.root : void 0;
  const sourceManifest = given ?? await resolveManifest(api, source, reference);
  if (!isDigest(reference)) logger.info(`${formatRepo(source)}:${reference} is ${sourceManifest.digest}`);
  const gating = startGate(api, source, sourceManifest, options);
  const selection = choosing ? await choose(api, source, sourceManifest, options) : void 0;
  const rootManifest = selection?.root ?? sourceManifest;
  const { digest } = rootManifest;
  const { includeNonDistributable, referrers, tagPolicy, movingTags, dryRun } = options;
  const early = byDigest ?? probeRoots(api, digest, targets);
  const graph = await walkGraph(api, source, digest, {
    includeNonDistributable,
    referrers,
    root: rootManifest,
    logger: options.logger
  });
  const holdings = await probeTargets(api, graph, targets, void 0, early);
  throwIfInterrupted(void 0, options.signal);
  const plan = planPromotion({ source, reference, graph, targets, holdings, tagPolicy, movingTags, dryRun });
  if (selection)
    plan.report.source.selection = {
      from: sourceManifest.digest,
      platforms: selection.platforms,
      of: isIndex(sourceManifest) ? (sourceManifest.json.manifests ?? []).filter((d) => !isAttestation(d)).length : 1
    };
  const what = `${formatRepo(source)}@${sourceManifest.digest}`;
  const [, seen] = await Promise.all([
    passGate(gating, what, plan.report, logger),
    planRecords(api, plan, digest, options)
  ]);
  if (plan.violations.length) throw new TagPolicyError(plan.violations, plan.report);
  if (options.requestBudget) accountBudget(plan, source, options.requestBudget, options);
  warnReplacedSignatures(plan.report, logger);
  await options.onPlan?.(plan.report);
  plan.targets.forEach((t) => t.report.blobs.skip.forEach((b) => options.shared?.holders.hold(t.repo, b.digest)));
  const result = {
    digest,
    mediaType: graph.root.mediaType,
    plan: plan.report,
    targets: [],
    bytesRead: 0,
    seconds: 0
  };
  if (!dryRun) Object.assign(result, await executePlan(api, source, plan, graph.root, seen, options));
  result.seconds = (Date.now() - started) / 1e3;
  return result;
}

export {
  walkGraph,
  Limiter,
  mapLimit,
  sharedPromotion,
  predicateName,
  attestationsOf,
  configPlatform,
  TagPolicyError,
  PromoteError,
  resolve,
  resolveManifest,
  promote
};
