#!/usr/bin/env node
import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  __esm,
  __export
} from "./chunk-XYMN7WUU.js";

// src/registry/lazy-http2.ts
var lazy_http2_exports = {};
__export(lazy_http2_exports, {
  connect: () => connect,
  constants: () => constants
});
function connect(...args) {
  const http2 = process.getBuiltinModule("node:http2");
  return http2.connect(...args);
}
var constants;
var init_lazy_http2 = __esm({
  "src/registry/lazy-http2.ts"() {
    "use strict";
    constants = {
      HTTP2_HEADER_AUTHORITY: ":authority",
      HTTP2_HEADER_METHOD: ":method",
      HTTP2_HEADER_PATH: ":path",
      HTTP2_HEADER_SCHEME: ":scheme",
      HTTP2_HEADER_CONTENT_LENGTH: "content-length",
      HTTP2_HEADER_EXPECT: "expect",
      HTTP2_HEADER_STATUS: ":status",
      HTTP2_HEADER_PROTOCOL: ":protocol",
      NGHTTP2_REFUSED_STREAM: 7,
      NGHTTP2_CANCEL: 8
    };
  }
});

export {
  lazy_http2_exports,
  init_lazy_http2
};
