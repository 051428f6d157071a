#!/usr/bin/env node
import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  promotionFileOf
} from "./chunk-2CNCZNWN.js";
import {
  cliClient
} from "./chunk-JD2HP4XG.js";
import {
  matrixOf
} from "./chunk-BJYHEU64.js";
import "./chunk-I5TGOBHD.js";
import "./chunk-3QVRRKUT.js";
import "./chunk-WMEUVR3P.js";
import "./chunk-E2CQKUUH.js";
import "./chunk-ODEFFFIB.js";
import "./chunk-XZ5QX5YI.js";
import "./chunk-BIUZWQOV.js";
import "./chunk-XYMN7WUU.js";

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
