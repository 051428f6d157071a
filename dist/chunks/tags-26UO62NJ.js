#!/usr/bin/env node
import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import "./chunk-OUILVDHR.js";
import "./chunk-IX2I7Z3H.js";
import {
  UsageError
} from "./chunk-L4IVOQWF.js";
import "./chunk-XFVVO2CL.js";
import "./chunk-5EGQEA2W.js";
import "./chunk-SYYY2DDP.js";
import "./chunk-N2RL2OJD.js";
import "./chunk-PGFQHIFL.js";
import "./chunk-SQSMRNOT.js";
import "./chunk-5IQC7YFI.js";
import "./chunk-XYMN7WUU.js";

// src/cli/tags.ts
async function runTags(cmd, io) {
  const t = await import("./tags-5L45FV5J.js");
  if (t.needsTagEngine(cmd.rules, cmd.flavor)) await t.loadTagEngine();
  const { ReferenceError } = await import("./reference-JVG5564F.js");
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
