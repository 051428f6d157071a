#!/usr/bin/env node
import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  promotionFileOf,
  runPromoteFile
} from "./chunk-OVKLWBBT.js";
import "./chunk-AANLLILZ.js";
import "./chunk-RRTDJRY3.js";
import "./chunk-H64M25SD.js";
import "./chunk-3WCV2WCM.js";
import "./chunk-V2OH7XVX.js";
import "./chunk-FJAVF7QP.js";
import "./chunk-L3XPCUWD.js";
import "./chunk-OUILVDHR.js";
import "./chunk-IX2I7Z3H.js";
import "./chunk-L4IVOQWF.js";
import "./chunk-KRAQDKDA.js";
import "./chunk-EGGT2IN7.js";
import "./chunk-XFVVO2CL.js";
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
