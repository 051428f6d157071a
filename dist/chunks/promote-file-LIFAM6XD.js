#!/usr/bin/env node
import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  promotionFileOf,
  runPromoteFile
} from "./chunk-RG63ULGI.js";
import "./chunk-GVBROT32.js";
import "./chunk-XVCH6DRX.js";
import "./chunk-H64M25SD.js";
import "./chunk-MLU3KV36.js";
import "./chunk-BK3VG4TJ.js";
import "./chunk-FJAVF7QP.js";
import "./chunk-L3XPCUWD.js";
import "./chunk-DKU3SXT7.js";
import "./chunk-2GSGVPRS.js";
import "./chunk-L4IVOQWF.js";
import "./chunk-KRAQDKDA.js";
import "./chunk-EGGT2IN7.js";
import "./chunk-OLDT6ZNZ.js";
import "./chunk-5EGQEA2W.js";
import "./chunk-M42EP4Q6.js";
import "./chunk-SYYY2DDP.js";
import "./chunk-N2RL2OJD.js";
import "./chunk-PGFQHIFL.js";
import "./chunk-SQSMRNOT.js";
import "./chunk-5IQC7YFI.js";
import "./chunk-EVALZA5U.js";
import "./chunk-XYMN7WUU.js";
export {
  promotionFileOf,
  runPromoteFile
};
