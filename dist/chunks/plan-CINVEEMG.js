#!/usr/bin/env node
import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  promotionFileOf
} from "./chunk-NSQZYIFT.js";
import {
  matrixOf
} from "./chunk-2T3OC75H.js";
import "./chunk-UE2JLXSL.js";
import {
  cliClient
} from "./chunk-JP55ZCI6.js";
import "./chunk-JHLANUBC.js";
import "./chunk-IDMWRFNU.js";
import "./chunk-OZKBT4MI.js";
import "./chunk-MPYRW64Z.js";
import "./chunk-RTFV2LNS.js";

// src/cli/plan.ts
async function runPlan(cmd, io) {
  const file = promotionFileOf(cmd);
  const client = cliClient(cmd.options, io.log);
  try {
    io.out(JSON.stringify(await matrixOf(client, file.images, cmd.shards)) + "\n");
    return 0;
  } finally {
    await client.close();
  }
}
export {
  runPlan
};
