#!/usr/bin/env node
import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  commandClient
} from "./chunk-TFIBQPMM.js";
import {
  mergeImages,
  mergeTag,
  parseMergeSource
} from "./chunk-NTE52F5I.js";
import "./chunk-GV234NFE.js";
import "./chunk-ZNQNZAYL.js";
import "./chunk-RC27KSUY.js";
import "./chunk-AVWDBJRP.js";
import {
  UsageError
} from "./chunk-FS6AVXTN.js";
import "./chunk-DXHAY4SF.js";
import "./chunk-RL2XFKNI.js";
import "./chunk-3DEEXRNS.js";
import "./chunk-SPGJ64DM.js";
import "./chunk-BLPB5NN7.js";
import "./chunk-A46IPO6H.js";
import {
  jsonText
} from "./chunk-WZK7EEJJ.js";
import "./chunk-BJAN7FEI.js";
import "./chunk-N2RL2OJD.js";
import "./chunk-A3CPNU7I.js";
import "./chunk-BHHRLL7Q.js";
import "./chunk-G7S46Y2P.js";
import "./chunk-VIETK5Q5.js";
import "./chunk-EVALZA5U.js";
import "./chunk-XYMN7WUU.js";

// src/cli/merge.ts
async function runMerge(cmd, io, signal) {
  const commit = (io.env ?? process.env).GITHUB_SHA || void 0;
  let tag;
  try {
    tag = mergeTag(cmd.to, commit, "--to");
  } catch (e) {
    throw new UsageError(e.message);
  }
  if (!commit && cmd.sources.includes("staged"))
    throw new UsageError(
      "SOURCE staged means the platform images of commit $GITHUB_SHA, which is not set: set it, or name the sources"
    );
  const to = { registry: cmd.to.registry, repository: cmd.to.repository, tag };
  const sources = cmd.sources.map((s) => parseMergeSource(s, to, "SOURCE"));
  const client = await commandClient(cmd, { source: to.registry, destinations: [to.registry] }, io);
  try {
    const result = await mergeImages(client, {
      to,
      sources,
      commit,
      require: cmd.platforms,
      requireInput: "--require-platform",
      input: "SOURCE",
      dryRun: cmd.dryRun,
      logger: io.log,
      signal
    });
    const what = {
      reference: result.reference,
      digest: result.digest,
      mediaType: result.mediaType,
      platforms: result.plan.platforms
    };
    if (cmd.dryRun) io.out(jsonText({ ...what, index: result.index.json }, 2) + "\n");
    else if (cmd.json)
      io.out(
        jsonText(
          {
            ...what,
            written: result.indexWritten,
            manifestsPushed: result.manifestsPushed,
            copiedIn: result.copiedIn
          },
          2
        ) + "\n"
      );
    else io.out(`${result.digest}
`);
    return 0;
  } finally {
    await client.close();
  }
}
export {
  runMerge
};
