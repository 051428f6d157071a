#!/usr/bin/env node
import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  repositoryKey
} from "./chunk-VIETK5Q5.js";

// src/copy/targets.ts
function formatRepo(r) {
  return `${r.registry}/${r.repository}`;
}
function targetKey(r) {
  return repositoryKey(r.registry, r.repository);
}
function mergeTargets(targets) {
  const byKey = /* @__PURE__ */ new Map();
  for (const t of targets) {
    const key = targetKey(t.repo);
    const target = byKey.get(key) ?? { key, repo: t.repo, tags: [] };
    byKey.set(key, target);
    for (const tag of t.tags) if (!target.tags.includes(tag)) target.tags.push(tag);
  }
  return [...byKey.values()];
}

export {
  formatRepo,
  targetKey,
  mergeTargets
};
