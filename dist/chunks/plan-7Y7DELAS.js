#!/usr/bin/env node
import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  promotionFileOf
} from "./chunk-6J47R6RF.js";
import {
  matrixOf
} from "./chunk-GT7VEPGK.js";
import "./chunk-I5TGOBHD.js";
import {
  cliClient
} from "./chunk-O6C6ENA5.js";
import "./chunk-P34BZLKC.js";
import "./chunk-PUEYQCZN.js";
import "./chunk-E2CQKUUH.js";
import "./chunk-AYUPALDO.js";
import "./chunk-RTFV2LNS.js";

// src/cli/plan.ts
async function runPlan(cmd, io) {
  const file = promotionFileOf(cmd);
  const client = cliClient(cmd.options, io.log);
  try {
    io.out(JSON.stringify(await matrixOf(client, file.images, cmd.shards, io.log)) + "\n");
    return 0;
  } finally {
    await client.close();
  }
}
export {
  runPlan
};
