#!/usr/bin/env node
import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  readClient
} from "./chunk-TFIBQPMM.js";
import {
  attestationNames
} from "./chunk-4MPECD7M.js";
import {
  attestationsOf,
  resolve
} from "./chunk-GV234NFE.js";
import "./chunk-ZNQNZAYL.js";
import {
  isAttestationManifest
} from "./chunk-RC27KSUY.js";
import "./chunk-AVWDBJRP.js";
import "./chunk-FS6AVXTN.js";
import "./chunk-DXHAY4SF.js";
import "./chunk-RL2XFKNI.js";
import "./chunk-3DEEXRNS.js";
import "./chunk-SPGJ64DM.js";
import "./chunk-BLPB5NN7.js";
import {
  DigestVerifier,
  childDescriptors,
  formatPlatform
} from "./chunk-A46IPO6H.js";
import {
  inline,
  jsonText
} from "./chunk-WZK7EEJJ.js";
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

// src/cli/inspect.ts
var MAX_CONFIG_BYTES = 4 * 1024 * 1024;
async function runInspect(cmd, io) {
  const r = cmd.reference;
  const client = await readClient(cmd, io);
  try {
    const repo = { registry: r.registry, repository: r.repository };
    const d = await resolve(client, repo, manifestReference(r));
    const m = await client.getManifest(repo, d.digest);
    const shown = `${r.registry}/${r.repository}${r.digest ? "@" : ":"}${manifestReference(r)}`;
    if (!m) throw new Error(`${shown} disappeared while reading it`);
    const children = childDescriptors(m);
    const info = imageInfo(shown, d.digest, m);
    if (!children.length) {
      info.platform = formatPlatform(await configPlatform(client, repo, m)) || void 0;
      info.manifestBytes = m.bytes.length;
      info.blobBytes = imageBlobBytes(m);
    }
    const sizes = children.length ? await indexSizes(client, repo, m) : void 0;
    io.out(cmd.json ? jsonText(info, 2) + "\n" : infoText(info, sizes));
    return 0;
  } catch (e) {
    if (cmd.json) io.out(jsonText({ error: e.message }, 2) + "\n");
    throw e;
  } finally {
    await client.close();
  }
}
function imageInfo(reference, digest, m) {
  const children = childDescriptors(m);
  const size = m.bytes.length + (children.length ? children.reduce((n, c) => n + c.size, 0) : imageBlobBytes(m));
  const attestations = children.filter((c) => isAttestationManifest(c));
  const platforms = children.filter((c) => !isAttestationManifest(c)).map((c) => formatPlatform(c.platform));
  return {
    reference,
    digest,
    mediaType: m.mediaType,
    platforms: platforms.filter(Boolean),
    attestations: attestations.length,
    size
  };
}
function imageBlobBytes(m) {
  return (m.json.config?.size ?? 0) + (m.json.layers ?? []).reduce((n, l) => n + l.size, 0);
}
async function configPlatform(api, repo, m) {
  const config = m.json.config;
  if (!config || config.size > MAX_CONFIG_BYTES) return void 0;
  const verifier = new DigestVerifier(config.digest);
  const chunks = [];
  for await (const c of api.readBlob(repo, config.digest, config.size)) {
    verifier.update(c);
    chunks.push(c);
  }
  if (verifier.digest() !== config.digest)
    throw new Error(
      `config blob ${config.digest} of ${repo.registry}/${repo.repository} does not match its digest`
    );
  try {
    const json = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    if (typeof json.os !== "string" || typeof json.architecture !== "string") return void 0;
    return { os: json.os, architecture: json.architecture, variant: json.variant };
  } catch {
    return void 0;
  }
}
async function indexSizes(api, repo, index) {
  const children = childDescriptors(index);
  const manifests = await Promise.all(children.map((c) => api.getManifest(repo, c.digest)));
  return {
    manifestBytes: index.bytes.length + children.reduce((n, c) => n + c.size, 0),
    blobBytes: manifests.reduce((n, m) => n + (m ? imageBlobBytes(m) : 0), 0),
    attests: attestationNames(
      attestationsOf(
        index,
        manifests.filter((m) => !!m)
      ),
      false
    ),
    children: children.length
  };
}
function infoText(info, index) {
  const attestations = !info.attestations ? "" : index?.attests ? ` (+ ${index.attests})` : ` (+${info.attestations} attestation manifest${info.attestations === 1 ? "" : "s"})`;
  const s = (n) => n === 1 ? "" : "s";
  const lines = [`digest:     ${info.digest}`, `media type: ${inline(info.mediaType)}`];
  if (index)
    lines.push(
      `platforms:  ${inline(info.platforms.join(", ")) || "(none)"}${attestations}`,
      `manifests:  ${index.manifestBytes} bytes (index + ${index.children} child manifest${s(index.children)})`,
      `blobs:      ${index.blobBytes} bytes (config + layers of ${index.children} child manifest${s(index.children)})`
    );
  else
    lines.push(
      `platform:   ${info.platform === void 0 ? "(not named in its config)" : inline(info.platform)}`,
      `manifest:   ${info.manifestBytes} bytes`,
      `blobs:      ${info.blobBytes} bytes (config + layers)`
    );
  return lines.join("\n") + "\n";
}
export {
  configPlatform,
  imageInfo,
  runInspect
};
