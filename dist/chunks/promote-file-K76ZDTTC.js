#!/usr/bin/env node
import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  promotionFileOf,
  runPromoteFile
} from "./chunk-TDLS6LVS.js";
import "./chunk-IABJG2EE.js";
import "./chunk-I5TGOBHD.js";
import "./chunk-ZN7T2XI5.js";
import "./chunk-QLHUGO4E.js";
import "./chunk-F7UJD4TX.js";
import "./chunk-E2CQKUUH.js";
import "./chunk-2OIKPUYM.js";
import "./chunk-RTFV2LNS.js";
export {
  promotionFileOf,
  runPromoteFile
};
