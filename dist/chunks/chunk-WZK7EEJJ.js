#!/usr/bin/env node
import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);

// src/neutralise.ts
var CONTROL = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;
var CONTROL_BUT_LF = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;
var CONTROL_BUT_BREAKS = (
  // eslint-disable-next-line no-control-regex -- control characters are what this escapes
  /[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f\u200e\u200f\u2028-\u202e\u2066-\u2069]/g
);
var CONTROL_NOT_C0 = /[\u007f-\u009f\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;
var NAMED = { "\n": "\\n", "\r": "\\r", "	": "\\t" };
function visible(c) {
  const code = c.charCodeAt(0);
  return NAMED[c] ?? (code < 256 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`);
}
function inline(value) {
  return value.replace(CONTROL, visible);
}
function logText(message) {
  return message.replace(CONTROL_BUT_LF, visible).replace(/^(\s*):(?=:)/gm, "$1: ").replace(/##\[/g, "## [");
}
function commandText(message) {
  return message.replace(CONTROL_BUT_BREAKS, visible);
}
function jsonText(value, indent) {
  return JSON.stringify(value, null, indent).replace(
    CONTROL_NOT_C0,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`
  );
}

export {
  inline,
  logText,
  commandText,
  jsonText
};
