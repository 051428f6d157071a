#!/usr/bin/env node
import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  readClient,
  repositoryName
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
import {
  DigestVerifier,
  childDescriptors,
  formatPlatform
} from "./chunk-5EGQEA2W.js";
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

// src/cli/config.ts
var MAX_CONFIG_BYTES = 4 * 1024 * 1024;
async function runConfig(cmd, io) {
  const r = cmd.reference;
  const repo = { registry: r.registry, repository: r.repository };
  const shown = `${repositoryName(r)}${r.digest ? "@" : ":"}${manifestReference(r)}`;
  const client = await readClient(cmd, io);
  try {
    const m = await resolveManifest(client, repo, manifestReference(r));
    const children = childDescriptors(m);
    if (children.length || !m.json.config)
      throw new Error(
        children.length ? `${shown} is an index, which has no config; name one of its images: ${children.map(
          (c) => `${repositoryName(r)}@${c.digest}${c.platform ? ` (${formatPlatform(c.platform)})` : ""}`
        ).join(", ")}` : `${shown} (${m.mediaType}) names no config blob`
      );
    const { digest, size } = m.json.config;
    if (size > MAX_CONFIG_BYTES)
      throw new Error(`${shown}: its config blob is ${size} bytes, more than the ${MAX_CONFIG_BYTES} printed`);
    const verifier = new DigestVerifier(digest);
    const chunks = [];
    for await (const c of client.readBlob(repo, digest, size)) {
      verifier.update(c);
      chunks.push(c);
    }
    const bytes = Buffer.concat(chunks);
    if (bytes.length !== size || verifier.digest() !== digest)
      throw new Error(
        `${shown}: its config blob ${digest} does not match its digest (${bytes.length} bytes read)`
      );
    if (io.bytes) io.bytes(bytes);
    else io.out(bytes.toString("utf8"));
    return 0;
  } finally {
    await client.close();
  }
}
export {
  MAX_CONFIG_BYTES,
  runConfig
};
