#!/usr/bin/env node
import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  promotionFileOf,
  runPromoteFile
} from "./chunk-2CNCZNWN.js";
import "./chunk-JD2HP4XG.js";
import "./chunk-BJYHEU64.js";
import "./chunk-I5TGOBHD.js";
import "./chunk-3QVRRKUT.js";
import "./chunk-WMEUVR3P.js";
import "./chunk-E2CQKUUH.js";
import "./chunk-ODEFFFIB.js";
import "./chunk-XZ5QX5YI.js";
import "./chunk-BIUZWQOV.js";
import "./chunk-XYMN7WUU.js";
export {
  promotionFileOf,
  runPromoteFile
};
