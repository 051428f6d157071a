#!/usr/bin/env node
import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  GateError,
  assertGate,
  runGate
} from "./chunk-7QPKNJMA.js";
import "./chunk-QVBDMRKG.js";
import "./chunk-WWFVROVA.js";
import "./chunk-O6W5HUEJ.js";
import "./chunk-RC27KSUY.js";
import "./chunk-A46IPO6H.js";
import "./chunk-A3CPNU7I.js";
import "./chunk-XYMN7WUU.js";
export {
  GateError,
  assertGate,
  runGate
};
