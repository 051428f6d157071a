#!/usr/bin/env node
import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  clientOptions,
  createRegistryClient,
  requestLogLine
} from "./chunk-V2OH7XVX.js";
import {
  defaultCredentials
} from "./chunk-L3XPCUWD.js";
import {
  cliCredentials,
  readProcessStdin
} from "./chunk-L4IVOQWF.js";
import {
  OPTION_FLAGS
} from "./chunk-XFVVO2CL.js";

// src/cli/client.ts
function cliClient(options, log, credentials = defaultCredentials([], { logger: log })) {
  return createRegistryClient(
    clientOptions(options, {
      credentials,
      logger: log,
      optionNames: OPTION_FLAGS,
      onRequest: (entry) => log.debug(requestLogLine(entry))
    })
  );
}

// src/cli/registry-read.ts
async function readClient(cmd, io) {
  return commandClient(cmd, { source: cmd.reference.registry }, io);
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
  return cliClient(cmd.options, io.log, credentials);
}
function repositoryName(r) {
  return `${r.registry}/${r.repository}`;
}

export {
  cliClient,
  readClient,
  commandClient,
  repositoryName
};
