#!/usr/bin/env node
import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  promotionFileOf
} from "./chunk-TDLS6LVS.js";
import {
  matrixOf
} from "./chunk-IABJG2EE.js";
import "./chunk-I5TGOBHD.js";
import {
  cliClient
} from "./chunk-ZN7T2XI5.js";
import "./chunk-QLHUGO4E.js";
import "./chunk-F7UJD4TX.js";
import "./chunk-E2CQKUUH.js";
import "./chunk-2OIKPUYM.js";
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
