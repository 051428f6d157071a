#!/usr/bin/env node
import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  createRegistryClient,
  defaultCredentials,
  requestLogLine
} from "./chunk-3QVRRKUT.js";
import {
  OPTION_FLAGS
} from "./chunk-WMEUVR3P.js";

// src/cli/client.ts
function cliClient(options, log) {
  return createRegistryClient({
    credentials: defaultCredentials([], { logger: log }),
    insecureRegistries: options.insecureRegistries,
    caFile: options.caFile,
    clientCertificates: options.clientCertificates,
    retry: options.timeoutMs === void 0 ? void 0 : { timeoutMs: options.timeoutMs },
    logger: log,
    optionNames: OPTION_FLAGS,
    onRequest: (entry) => log.debug(requestLogLine(entry))
  });
}

export {
  cliClient
};
