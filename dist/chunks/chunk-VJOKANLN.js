#!/usr/bin/env node
import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  recordRunOf
} from "./chunk-MNWJBDZB.js";
import {
  fileProofSettings,
  proofSettings
} from "./chunk-ZNQNZAYL.js";
import {
  UsageError
} from "./chunk-FS6AVXTN.js";
import {
  VERSION
} from "./chunk-36ESSPKX.js";

// src/cli/proof.ts
async function cliProof(options, io) {
  if (!options.proof) return {};
  try {
    const { settings, secrets } = await proofSettings(options, cliEdge(io));
    io.secrets?.(secrets);
    return settings;
  } catch (e) {
    throw new UsageError(e.message);
  }
}
function cliEdge(io) {
  const env = io.env ?? process.env;
  return {
    run: recordRunOf(env),
    token: async () => {
      const token = await (await import("./sigstore-KLHTKMCZ.js")).ciToken();
      io.secrets?.([token, ...token.split(".").slice(1)]);
      return token;
    },
    version: VERSION
  };
}
async function cliFileProof(file, options, io) {
  if (!file.images.some((i) => i.proof)) return /* @__PURE__ */ new Map();
  try {
    const { byImage, secrets } = await fileProofSettings(file, options, cliEdge(io), "flags");
    io.secrets?.(secrets);
    return byImage;
  } catch (e) {
    throw new UsageError(e.message);
  }
}

export {
  cliProof,
  cliFileProof
};
