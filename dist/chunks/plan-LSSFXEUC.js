#!/usr/bin/env node
import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  promotionFileOf
} from "./chunk-54MEP23K.js";
import "./chunk-VJOKANLN.js";
import {
  commandClient
} from "./chunk-TFIBQPMM.js";
import {
  matrixOf
} from "./chunk-L4D5GXWY.js";
import "./chunk-MNWJBDZB.js";
import "./chunk-4MPECD7M.js";
import "./chunk-GV234NFE.js";
import "./chunk-ZNQNZAYL.js";
import "./chunk-RC27KSUY.js";
import "./chunk-AVWDBJRP.js";
import "./chunk-VDYVWSNW.js";
import "./chunk-FS6AVXTN.js";
import "./chunk-36ESSPKX.js";
import "./chunk-DXHAY4SF.js";
import "./chunk-RL2XFKNI.js";
import "./chunk-3DEEXRNS.js";
import "./chunk-SPGJ64DM.js";
import "./chunk-2NLWOLMW.js";
import "./chunk-BLPB5NN7.js";
import "./chunk-A46IPO6H.js";
import "./chunk-WZK7EEJJ.js";
import "./chunk-BJAN7FEI.js";
import "./chunk-N2RL2OJD.js";
import "./chunk-A3CPNU7I.js";
import "./chunk-BHHRLL7Q.js";
import "./chunk-G7S46Y2P.js";
import "./chunk-VIETK5Q5.js";
import "./chunk-EVALZA5U.js";
import "./chunk-SYGNQSQB.js";
import "./chunk-XYMN7WUU.js";

// src/cli/plan.ts
async function runPlan(cmd, io) {
  const file = promotionFileOf(cmd);
  const client = await commandClient(cmd, {}, io);
  try {
    io.out(
      JSON.stringify(await matrixOf(client, file.images, cmd.shards, io.log, cmd.options.requestBudgets)) + "\n"
    );
    return 0;
  } finally {
    await client.close();
  }
}
export {
  runPlan
};
