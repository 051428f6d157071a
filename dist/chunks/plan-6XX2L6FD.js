#!/usr/bin/env node
import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  promotionFileOf
} from "./chunk-JIP7SPTB.js";
import {
  matrixOf
} from "./chunk-BN4JKHDY.js";
import "./chunk-BY3BYF5T.js";
import {
  cliClient
} from "./chunk-I65ERFED.js";
import "./chunk-H5NBRZ5S.js";
import "./chunk-PUEYQCZN.js";
import "./chunk-X7ECYQ23.js";
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
