import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  PROMOTION_PREDICATE_TYPE,
  RECORD_IDENTITY,
  RECORD_INDEX_ATTEMPTS,
  findRecord,
  lookForRecords,
  plannedRecord,
  recordIdentity,
  recordManifest,
  recordPromotion,
  recordStatement,
  writeRecord
} from "./chunk-545MYX25.js";
import "./chunk-SS6E76EY.js";
import "./chunk-MEFUEGPP.js";
import "./chunk-TGJOLOKT.js";
import "./chunk-24QWVXFN.js";
export {
  PROMOTION_PREDICATE_TYPE,
  RECORD_IDENTITY,
  RECORD_INDEX_ATTEMPTS,
  findRecord,
  lookForRecords,
  plannedRecord,
  recordIdentity,
  recordManifest,
  recordPromotion,
  recordStatement,
  writeRecord
};
