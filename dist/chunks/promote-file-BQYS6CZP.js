#!/usr/bin/env node
import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  promotionFileOf,
  runPromoteFile
} from "./chunk-NSQZYIFT.js";
import "./chunk-2T3OC75H.js";
import "./chunk-UE2JLXSL.js";
import "./chunk-JP55ZCI6.js";
import "./chunk-JHLANUBC.js";
import "./chunk-IDMWRFNU.js";
import "./chunk-OZKBT4MI.js";
import "./chunk-MPYRW64Z.js";
import "./chunk-RTFV2LNS.js";
export {
  promotionFileOf,
  runPromoteFile
};
