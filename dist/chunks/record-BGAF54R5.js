import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  RECORD_IDENTITY,
  RECORD_INDEX_ATTEMPTS,
  certifyRecord,
  findRecord,
  lookForRecords,
  plannedRecord,
  recordIdentity,
  recordManifest,
  recordPromotion,
  recordStatement,
  writeRecord
} from "./chunk-DZY2RWH4.js";
import {
  PROMOTION_PREDICATE_TYPE
} from "./chunk-EGMZZ4ZJ.js";
import "./chunk-MEFUEGPP.js";
import "./chunk-TGJOLOKT.js";
import "./chunk-MCYELEY5.js";
import "./chunk-24QWVXFN.js";
export {
  PROMOTION_PREDICATE_TYPE,
  RECORD_IDENTITY,
  RECORD_INDEX_ATTEMPTS,
  certifyRecord,
  findRecord,
  lookForRecords,
  plannedRecord,
  recordIdentity,
  recordManifest,
  recordPromotion,
  recordStatement,
  writeRecord
};
