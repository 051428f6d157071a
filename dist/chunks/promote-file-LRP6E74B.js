#!/usr/bin/env node
import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  promotionFileOf,
  runPromoteFile
} from "./chunk-6J47R6RF.js";
import "./chunk-GT7VEPGK.js";
import "./chunk-I5TGOBHD.js";
import "./chunk-O6C6ENA5.js";
import "./chunk-P34BZLKC.js";
import "./chunk-PUEYQCZN.js";
import "./chunk-E2CQKUUH.js";
import "./chunk-AYUPALDO.js";
import "./chunk-RTFV2LNS.js";
export {
  promotionFileOf,
  runPromoteFile
};
