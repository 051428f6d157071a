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
} from "./chunk-5VUJHH3L.js";
import {
  PROMOTION_PREDICATE_TYPE
} from "./chunk-DK4U3KZQ.js";
import "./chunk-MEFUEGPP.js";
import "./chunk-TGJOLOKT.js";
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
