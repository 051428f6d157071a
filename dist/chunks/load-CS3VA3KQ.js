import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  PUBLIC_GOOD,
  loadProof,
  loadSigning,
  loadVerifyPolicy,
  pemSecrets,
  signingSecrets
} from "./chunk-UAPEK3EY.js";
import "./chunk-MEFUEGPP.js";
import "./chunk-24QWVXFN.js";
export {
  PUBLIC_GOOD,
  loadProof,
  loadSigning,
  loadVerifyPolicy,
  pemSecrets,
  signingSecrets
};
