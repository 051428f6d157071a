#!/usr/bin/env node
import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  promotionFileOf,
  runPromoteFile
} from "./chunk-JIP7SPTB.js";
import "./chunk-BN4JKHDY.js";
import "./chunk-BY3BYF5T.js";
import "./chunk-I65ERFED.js";
import "./chunk-H5NBRZ5S.js";
import "./chunk-PUEYQCZN.js";
import "./chunk-X7ECYQ23.js";
import "./chunk-AYUPALDO.js";
import "./chunk-RTFV2LNS.js";
export {
  promotionFileOf,
  runPromoteFile
};
