#!/usr/bin/env node
import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  formatBytes,
  planText,
  resultRows,
  textTable
} from "./chunk-YUZZURGW.js";
import {
  cliClient
} from "./chunk-ORB4JSEB.js";
import {
  TagPolicyError,
  promote
} from "./chunk-GTSUOJMM.js";
import "./chunk-RTFV2LNS.js";

// src/cli/copy.ts
async function runCopy(cmd, io) {
  const client = cliClient(cmd.options, io.log);
  try {
    const result = await promote(client, {
      source: { registry: cmd.source.registry, repository: cmd.source.repository, reference: cmd.reference },
      targets: cmd.targets,
      tagPolicy: cmd.options.tagPolicy,
      movingTags: cmd.options.movingTags,
      dryRun: cmd.dryRun,
      concurrency: cmd.options.concurrency,
      uploadMode: cmd.options.uploadMode,
      logger: io.log,
      onProgress: (p) => io.log.info(
        `copied ${formatBytes(p.bytes)} of ${formatBytes(p.totalBytes)} (${formatBytes(p.rateBytesPerSecond)}/s)`
      )
    });
    report(cmd, result, io);
    return 0;
  } catch (e) {
    if (e instanceof TagPolicyError && cmd.dryRun) io.out(JSON.stringify(e.plan, null, 2) + "\n");
    throw e;
  } finally {
    await client.close();
  }
}
function report(cmd, result, io) {
  if (cmd.dryRun) {
    io.out(JSON.stringify(result.plan, null, 2) + "\n");
    io.log.info(planText(result.plan));
  } else if (cmd.json) {
    io.out(JSON.stringify({ digest: result.digest, targets: result.targets }, null, 2) + "\n");
  } else {
    io.log.info(textTable(resultRows(result)));
    io.out(`${result.digest}
`);
  }
}
export {
  runCopy
};
