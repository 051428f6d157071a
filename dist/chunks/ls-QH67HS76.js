#!/usr/bin/env node
import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  readClient,
  repositoryName
} from "./chunk-TFIBQPMM.js";
import "./chunk-ZNQNZAYL.js";
import "./chunk-AVWDBJRP.js";
import "./chunk-FS6AVXTN.js";
import "./chunk-DXHAY4SF.js";
import "./chunk-SPGJ64DM.js";
import "./chunk-BLPB5NN7.js";
import "./chunk-A46IPO6H.js";
import {
  inline,
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

// src/cli/ls.ts
async function runLs(cmd, io) {
  const r = cmd.reference;
  const client = await readClient(cmd, io);
  try {
    const tags = await client.listTags({ registry: r.registry, repository: r.repository });
    if (cmd.json) io.out(jsonText(tags) + "\n");
    else if (tags.length) io.out(tags.map(inline).join("\n") + "\n");
    if (!tags.length) io.log.info(`${repositoryName(r)}: no tags (the repository is empty or does not exist)`);
    return 0;
  } finally {
    await client.close();
  }
}
export {
  runLs
};
