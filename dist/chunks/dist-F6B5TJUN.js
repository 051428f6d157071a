import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  require_dist
} from "./chunk-VH6DCTNJ.js";
import "./chunk-24QWVXFN.js";
export default require_dist();
