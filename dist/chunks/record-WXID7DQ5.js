import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
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
} from "./chunk-G2IINM3B.js";
import {
  PROMOTION_PREDICATE_TYPE
} from "./chunk-SH3W3NEQ.js";
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
