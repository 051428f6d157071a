#!/usr/bin/env node
import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  require_dist
} from "./chunk-SYGNQSQB.js";
import "./chunk-XYMN7WUU.js";
export default require_dist();
