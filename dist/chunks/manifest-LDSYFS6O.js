#!/usr/bin/env node
import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  readClient
} from "./chunk-AANLLILZ.js";
import {
  resolveManifest
} from "./chunk-3WCV2WCM.js";
import "./chunk-V2OH7XVX.js";
import "./chunk-FJAVF7QP.js";
import "./chunk-L3XPCUWD.js";
import "./chunk-L4IVOQWF.js";
import "./chunk-KRAQDKDA.js";
import "./chunk-EGGT2IN7.js";
import "./chunk-XFVVO2CL.js";
import "./chunk-5EGQEA2W.js";
import "./chunk-M42EP4Q6.js";
import "./chunk-SYYY2DDP.js";
import "./chunk-N2RL2OJD.js";
import "./chunk-PGFQHIFL.js";
import {
  manifestReference
} from "./chunk-SQSMRNOT.js";
import "./chunk-5IQC7YFI.js";
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
