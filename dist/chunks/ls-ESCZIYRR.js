#!/usr/bin/env node
import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  readClient,
  repositoryName
} from "./chunk-AANLLILZ.js";
import "./chunk-V2OH7XVX.js";
import "./chunk-L3XPCUWD.js";
import "./chunk-L4IVOQWF.js";
import "./chunk-EGGT2IN7.js";
import "./chunk-XFVVO2CL.js";
import "./chunk-5EGQEA2W.js";
import {
  inline,
  jsonText
} from "./chunk-M42EP4Q6.js";
import "./chunk-SYYY2DDP.js";
import "./chunk-N2RL2OJD.js";
import "./chunk-PGFQHIFL.js";
import "./chunk-SQSMRNOT.js";
import "./chunk-5IQC7YFI.js";
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
