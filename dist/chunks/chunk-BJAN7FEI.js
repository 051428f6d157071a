#!/usr/bin/env node
import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  registryKey
} from "./chunk-VIETK5Q5.js";

// src/auth/credentials.ts
function staticCredentials(map) {
  const byKey = /* @__PURE__ */ new Map();
  for (const [registry, c] of Object.entries(map)) {
    const key = registryKey(registry);
    if (!byKey.has(key)) byKey.set(key, c);
  }
  return async (registry) => byKey.get(registryKey(registry));
}
function chainCredentials(...sources) {
  const chain = async (registry) => {
    for (const s of sources) {
      const c = await s(registry);
      if (c) return c;
    }
    return void 0;
  };
  chain.explain = (registry) => sources.map((s) => s.explain?.(registry)).filter(Boolean).join("; ") || void 0;
  return chain;
}
function whyNoCredential(source, registry) {
  const why = source.explain?.(registry);
  return why ? ` (${why})` : "";
}
function secretsOf(c) {
  if (!c) return [];
  const out = [];
  if (c.password) out.push(c.password);
  if (c.identityToken) out.push(c.identityToken);
  if (c.username && c.password) out.push(Buffer.from(`${c.username}:${c.password}`).toString("base64"));
  if (c.username && c.identityToken)
    out.push(Buffer.from(`${c.username}:${c.identityToken}`).toString("base64"));
  return out;
}

export {
  staticCredentials,
  chainCredentials,
  whyNoCredential,
  secretsOf
};
