#!/usr/bin/env node
import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import "./chunk-VDYVWSNW.js";
import {
  UsageError
} from "./chunk-FS6AVXTN.js";
import "./chunk-3DEEXRNS.js";
import "./chunk-2NLWOLMW.js";
import "./chunk-BLPB5NN7.js";
import "./chunk-A46IPO6H.js";
import "./chunk-BJAN7FEI.js";
import "./chunk-N2RL2OJD.js";
import "./chunk-A3CPNU7I.js";
import "./chunk-BHHRLL7Q.js";
import "./chunk-G7S46Y2P.js";
import "./chunk-VIETK5Q5.js";
import "./chunk-XYMN7WUU.js";

// src/cli/tags.ts
async function runTags(cmd, io) {
  const t = await import("./tags-2GZCAYLL.js");
  if (t.needsTagEngine(cmd.rules, cmd.flavor)) await t.loadTagEngine();
  const { ReferenceError } = await import("./reference-EWYVFPQ4.js");
  let out;
  try {
    const ctx = () => process.env.GITHUB_ACTIONS === "true" ? t.readGitHubContext() : t.contextFromGit({ cwd: process.cwd() });
    const r = cmd.rules.length ? t.computeTags({ tags: cmd.rules, flavor: cmd.flavor }, ctx()) : { tags: [], warnings: [] };
    for (const w of r.warnings) io.log.warning(w);
    out = r.tags;
    if (cmd.images.length) {
      const images = t.parseImages(cmd.images, { lowercase: cmd.lowercase });
      const { references, warnings } = t.imageReferences(images, r.tags, {
        lowercase: cmd.lowercase,
        destination: true
      });
      for (const w of warnings) io.log.warning(w);
      out = t.formatReferences(references).split("\n").filter(Boolean);
    }
  } catch (e) {
    if (e instanceof t.TagRuleError || e instanceof ReferenceError) throw new UsageError(e.message);
    throw e;
  }
  if (!cmd.rules.length) io.log.info("no --tags: no tags (the image is promoted by digest only)");
  if (cmd.json) io.out(JSON.stringify(out) + "\n");
  else if (out.length) io.out(out.join("\n") + "\n");
  return 0;
}
export {
  runTags
};
