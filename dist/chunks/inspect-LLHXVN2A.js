#!/usr/bin/env node
import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  cliClient
} from "./chunk-WAQLSZ5I.js";
import {
  childDescriptors,
  formatPlatform,
  resolve
} from "./chunk-DN7L7TC7.js";
import "./chunk-IZU5JYYJ.js";
import {
  manifestReference
} from "./chunk-RTFV2LNS.js";

// src/cli/inspect.ts
async function runInspect(cmd, io) {
  const r = cmd.reference;
  const client = cliClient(cmd.options, io.log);
  try {
    const repo = { registry: r.registry, repository: r.repository };
    const d = await resolve(client, repo, manifestReference(r));
    const m = await client.getManifest(repo, d.digest);
    const shown = `${r.registry}/${r.repository}${r.digest ? "@" : ":"}${manifestReference(r)}`;
    if (!m) throw new Error(`${shown} disappeared while reading it`);
    const info = imageInfo(shown, d.digest, m);
    io.out(cmd.json ? JSON.stringify(info, null, 2) + "\n" : infoText(info, childDescriptors(m).length > 0));
    return 0;
  } finally {
    await client.close();
  }
}
function imageInfo(reference, digest, m) {
  const children = childDescriptors(m);
  const size = m.bytes.length + (children.length ? children.reduce((n, c) => n + c.size, 0) : (m.json.config?.size ?? 0) + (m.json.layers ?? []).reduce((n, l) => n + l.size, 0));
  const platforms = children.map((c) => formatPlatform(c.platform));
  return {
    reference,
    digest,
    mediaType: m.mediaType,
    platforms: platforms.filter((p) => p && p !== "unknown/unknown"),
    attestations: platforms.filter((p) => p === "unknown/unknown").length,
    size
  };
}
function infoText(info, isIndex) {
  const attestations = info.attestations ? ` (+${info.attestations} attestation manifest${info.attestations === 1 ? "" : "s"})` : "";
  return [
    `digest:     ${info.digest}`,
    `media type: ${info.mediaType}`,
    `platforms:  ${info.platforms.join(", ") || "(single image)"}${attestations}`,
    `size:       ${info.size} bytes${isIndex ? " (index + child manifests)" : " (manifest + config + layers)"}`
  ].join("\n") + "\n";
}
export {
  imageInfo,
  runInspect
};
