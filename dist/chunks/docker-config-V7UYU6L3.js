#!/usr/bin/env node
import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  HELPER_TIMEOUT_MS,
  authFileCredentials,
  checkAuthFile,
  defaultCredentials,
  dockerConfigCredentials,
  helperServerUrl,
  spawnHelper
} from "./chunk-AVWDBJRP.js";
import "./chunk-WZK7EEJJ.js";
import "./chunk-BJAN7FEI.js";
import "./chunk-N2RL2OJD.js";
import "./chunk-A3CPNU7I.js";
import "./chunk-VIETK5Q5.js";
import "./chunk-XYMN7WUU.js";
export {
  HELPER_TIMEOUT_MS,
  authFileCredentials,
  checkAuthFile,
  defaultCredentials,
  dockerConfigCredentials,
  helperServerUrl,
  spawnHelper
};
