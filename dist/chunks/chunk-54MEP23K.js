#!/usr/bin/env node
import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  cliFileProof,
  cliProof
} from "./chunk-VJOKANLN.js";
import {
  commandClient
} from "./chunk-TFIBQPMM.js";
import {
  PromotionFileError,
  batchInterruption,
  batchJson,
  batchText,
  failureLines,
  loadPromotionFile,
  runBatch,
  shardImages
} from "./chunk-L4D5GXWY.js";
import {
  promoteSettings
} from "./chunk-ZNQNZAYL.js";
import {
  UsageError
} from "./chunk-FS6AVXTN.js";
import {
  SIGNAL_EXIT
} from "./chunk-RL2XFKNI.js";
import {
  withTlsAdvice
} from "./chunk-SPGJ64DM.js";
import {
  OPTION_FLAGS
} from "./chunk-BLPB5NN7.js";

// src/cli/promote-file.ts
function promotionFileOf(cmd) {
  try {
    return loadPromotionFile(cmd.file, cmd.options.registryKinds);
  } catch (e) {
    if (e instanceof PromotionFileError) throw new UsageError(e.message);
    throw e;
  }
}
async function runPromoteFile(cmd, io, signal) {
  const file = promotionFileOf(cmd);
  const proof = await cliProof(cmd.options, io);
  const imageProof = await cliFileProof(file, cmd.options, io);
  const client = await commandClient(cmd, {}, io);
  try {
    const images = cmd.shard ? await shardImages(client, file.images, cmd.shard.k, cmd.shard.n, io.log) : file.images;
    if (cmd.shard)
      io.log.info(
        `shard ${cmd.shard.k}/${cmd.shard.n}: ${images.map((i) => i.name).join(", ") || "(no images)"}`
      );
    const outcomes = await runBatch(client, images, {
      ...promoteSettings(cmd.options, {
        dryRun: cmd.dryRun,
        logger: io.log,
        env: process.env,
        signal,
        requestBudget: client.transport.rateLimits,
        proof
      }),
      imageProof
    });
    for (const o of outcomes) withTlsAdvice(o.error, OPTION_FLAGS);
    io.log.info(batchText(outcomes, cmd.dryRun));
    if (cmd.json || cmd.dryRun) io.out(JSON.stringify(batchJson(outcomes), null, 2) + "\n");
    else for (const o of outcomes) if (o.result) io.out(`${o.image.name} ${o.result.digest}
`);
    const interrupted = batchInterruption(outcomes);
    if (interrupted) {
      const { signal: name, lines } = interrupted;
      io.log.info(
        `promote-image: ${lines.length} of ${outcomes.length} images interrupted:
  ${lines.join("\n  ")}`
      );
      return SIGNAL_EXIT[name] ?? 130;
    }
    const failed = failureLines(outcomes);
    if (failed.length === 0) return 0;
    io.log.info(
      `promote-image: ${failed.length} of ${outcomes.length} images failed:
  ${failed.join("\n  ")}`
    );
    return 1;
  } finally {
    await client.close();
  }
}

export {
  promotionFileOf,
  runPromoteFile
};
