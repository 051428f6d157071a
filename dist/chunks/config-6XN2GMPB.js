#!/usr/bin/env node
import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  readClient,
  repositoryName
} from "./chunk-TFIBQPMM.js";
import {
  attestationsOf,
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
import {
  DigestVerifier,
  childDescriptors,
  formatPlatform
} from "./chunk-A46IPO6H.js";
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
    const attests = new Map(attestationsOf(m, []).map((a) => [a.digest, a.attests]));
    const named = (c) => attests.get(c.digest) ?? (c.platform ? formatPlatform(c.platform) : "");
    if (children.length || !m.json.config)
      throw new Error(
        children.length ? `${shown} is an index, which has no config; name one of its images: ${children.map((c) => `${repositoryName(r)}@${c.digest}${named(c) ? ` (${named(c)})` : ""}`).join(", ")}` : `${shown} (${m.mediaType}) names no config blob`
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
