#!/usr/bin/env node
import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  clientOptions,
  createRegistryClient,
  requestLogLine
} from "./chunk-ZNQNZAYL.js";
import {
  defaultCredentials
} from "./chunk-AVWDBJRP.js";
import {
  cliCredentials,
  readProcessStdin
} from "./chunk-FS6AVXTN.js";
import {
  insecureWarning
} from "./chunk-SPGJ64DM.js";
import {
  OPTION_FLAGS
} from "./chunk-BLPB5NN7.js";

// src/cli/client.ts
function cliClient(options, log, credentials = defaultCredentials([], { logger: log }), sharedBy) {
  return createRegistryClient(
    clientOptions(options, {
      credentials,
      logger: log,
      sharedBy,
      optionNames: OPTION_FLAGS,
      onInsecureHost: (event) => log.warning(insecureWarning(OPTION_FLAGS, event)),
      onRequest: (entry) => log.debug(requestLogLine(entry))
    })
  );
}

// src/cli/registry-read.ts
async function readClient(cmd, io) {
  return commandClient(cmd, { source: cmd.reference.registry, flags: { source: "--creds" } }, io);
}
async function commandClient(cmd, registries, io) {
  const { credentials, secrets } = await cliCredentials(
    cmd.credentials ?? { creds: [], passwordStdin: false },
    registries,
    {
      env: io.env ?? process.env,
      readStdin: io.readStdin ?? readProcessStdin,
      logger: io.log,
      helperTimeoutMs: cmd.options.timeoutMs
    }
  );
  io.secrets?.(secrets);
  return cliClient(cmd.options, io.log, credentials, cmd.shard?.n);
}
function repositoryName(r) {
  return `${r.registry}/${r.repository}`;
}

export {
  readClient,
  commandClient,
  repositoryName
};
