#!/usr/bin/env node
import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  readClient
} from "./chunk-AANLLILZ.js";
import {
  resolve
} from "./chunk-3WCV2WCM.js";
import "./chunk-V2OH7XVX.js";
import "./chunk-FJAVF7QP.js";
import "./chunk-L3XPCUWD.js";
import "./chunk-L4IVOQWF.js";
import "./chunk-KRAQDKDA.js";
import "./chunk-EGGT2IN7.js";
import "./chunk-XFVVO2CL.js";
import "./chunk-5EGQEA2W.js";
import {
  jsonText
} from "./chunk-M42EP4Q6.js";
import "./chunk-SYYY2DDP.js";
import "./chunk-N2RL2OJD.js";
import "./chunk-PGFQHIFL.js";
import {
  manifestReference
} from "./chunk-SQSMRNOT.js";
import "./chunk-5IQC7YFI.js";
import "./chunk-EVALZA5U.js";
import "./chunk-XYMN7WUU.js";

// src/cli/digest.ts
async function runDigest(cmd, io) {
  const r = cmd.reference;
  const client = await readClient(cmd, io);
  try {
    const d = await resolve(client, { registry: r.registry, repository: r.repository }, manifestReference(r));
    const reference = `${r.registry}/${r.repository}${r.digest ? "@" : ":"}${manifestReference(r)}`;
    io.out(
      cmd.json ? jsonText({ reference, digest: d.digest, mediaType: d.mediaType, size: d.size }, 2) + "\n" : `${d.digest}
`
    );
    return 0;
  } finally {
    await client.close();
  }
}
export {
  runDigest
};
