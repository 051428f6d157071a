/**
 * What undici's HTTP/2 client (`undici/lib/dispatcher/client-h2.js`) takes from `node:http2` at
 * load time, without loading it: the header-name and error-code constants it reads, and `connect`,
 * which loads the real module on its first call. The bundle (scripts/bundle.mjs) gives this module
 * to client-h2.js in place of `node:http2`, so a process that never speaks HTTP/2 (the registry
 * stack does not ask for it) does not pay for loading it (~5–20 ms of every CLI start-up).
 */
import type * as Http2 from 'node:http2'

/** The constants client-h2.js reads (their values are node:http2's; a test checks that). */
export const constants = {
  HTTP2_HEADER_AUTHORITY: ':authority',
  HTTP2_HEADER_METHOD: ':method',
  HTTP2_HEADER_PATH: ':path',
  HTTP2_HEADER_SCHEME: ':scheme',
  HTTP2_HEADER_CONTENT_LENGTH: 'content-length',
  HTTP2_HEADER_EXPECT: 'expect',
  HTTP2_HEADER_STATUS: ':status',
  HTTP2_HEADER_PROTOCOL: ':protocol',
  NGHTTP2_REFUSED_STREAM: 7,
  NGHTTP2_CANCEL: 8
}

/** `http2.connect`, loading node:http2 when first called. */
export function connect(...args: Parameters<typeof Http2.connect>): Http2.ClientHttp2Session {
  const http2 = process.getBuiltinModule('node:http2') as typeof Http2
  return http2.connect(...args)
}
