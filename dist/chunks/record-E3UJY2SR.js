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
} from "./chunk-IRHPKWTD.js";
import {
  PROMOTION_PREDICATE_TYPE
} from "./chunk-E2F2LKDY.js";
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
