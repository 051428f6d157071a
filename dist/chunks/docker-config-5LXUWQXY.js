#!/usr/bin/env node
import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  HELPER_TIMEOUT_MS,
  authFileCredentials,
  defaultCredentials,
  dockerConfigCredentials,
  helperServerUrl,
  spawnHelper
} from "./chunk-L3XPCUWD.js";
import "./chunk-M42EP4Q6.js";
import "./chunk-SYYY2DDP.js";
import "./chunk-N2RL2OJD.js";
import "./chunk-PGFQHIFL.js";
import "./chunk-5IQC7YFI.js";
import "./chunk-XYMN7WUU.js";
export {
  HELPER_TIMEOUT_MS,
  authFileCredentials,
  defaultCredentials,
  dockerConfigCredentials,
  helperServerUrl,
  spawnHelper
};
