#!/usr/bin/env node
import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  apiHost,
  hostOf
} from "./chunk-RTFV2LNS.js";

// src/registry/client-certificate.ts
function certificateHost(host) {
  return apiHost(new URL(`https://${hostOf(host)}`).host);
}

export {
  certificateHost
};
