#!/usr/bin/env node
import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  readClient
} from "./chunk-TFIBQPMM.js";
import {
  resolveManifest
} from "./chunk-GV234NFE.js";
import "./chunk-ZNQNZAYL.js";
import "./chunk-RC27KSUY.js";
import "./chunk-AVWDBJRP.js";
import "./chunk-FS6AVXTN.js";
import "./chunk-RL2XFKNI.js";
import "./chunk-3DEEXRNS.js";
import "./chunk-SPGJ64DM.js";
import "./chunk-BLPB5NN7.js";
import "./chunk-A46IPO6H.js";
import "./chunk-WZK7EEJJ.js";
import "./chunk-BJAN7FEI.js";
import "./chunk-N2RL2OJD.js";
import "./chunk-A3CPNU7I.js";
import "./chunk-BHHRLL7Q.js";
import {
  manifestReference
} from "./chunk-G7S46Y2P.js";
import "./chunk-VIETK5Q5.js";
import "./chunk-EVALZA5U.js";
import "./chunk-XYMN7WUU.js";

// src/cli/manifest.ts
async function runManifest(cmd, io) {
  const r = cmd.reference;
  const client = await readClient(cmd, io);
  try {
    const m = await resolveManifest(
      client,
      { registry: r.registry, repository: r.repository },
      manifestReference(r)
    );
    if (io.bytes) io.bytes(m.bytes);
    else io.out(m.bytes.toString("utf8"));
    return 0;
  } finally {
    await client.close();
  }
}
export {
  runManifest
};
