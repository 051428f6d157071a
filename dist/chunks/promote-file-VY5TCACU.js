#!/usr/bin/env node
import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  promotionFileOf,
  runPromoteFile
} from "./chunk-E7VJ5QCX.js";
import "./chunk-4V5Y7JUD.js";
import "./chunk-GSSEP3HT.js";
import "./chunk-CEZRZOQ3.js";
import "./chunk-RWULX4EF.js";
import "./chunk-K7NBX3QM.js";
import "./chunk-5SQBXD2F.js";
import "./chunk-WSJ7DV4R.js";
import "./chunk-RC27KSUY.js";
import "./chunk-AVWDBJRP.js";
import "./chunk-BF6TOKAO.js";
import "./chunk-FS6AVXTN.js";
import "./chunk-PWXRJ37Z.js";
import "./chunk-DXHAY4SF.js";
import "./chunk-PXZNGKPC.js";
import "./chunk-3DEEXRNS.js";
import "./chunk-63DI4NYG.js";
import "./chunk-QIQHP34C.js";
import "./chunk-72R6PXBN.js";
import "./chunk-A46IPO6H.js";
import "./chunk-WZK7EEJJ.js";
import "./chunk-BJAN7FEI.js";
import "./chunk-N2RL2OJD.js";
import "./chunk-A3CPNU7I.js";
import "./chunk-WR4OHVTH.js";
import "./chunk-G7S46Y2P.js";
import "./chunk-VIETK5Q5.js";
import "./chunk-EVALZA5U.js";
import "./chunk-SYGNQSQB.js";
import "./chunk-XYMN7WUU.js";
export {
  promotionFileOf,
  runPromoteFile
};
