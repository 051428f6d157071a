import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);

// src/limits.ts
var DEFAULT_TIMEOUT_MS = 12e4;
var LIMITS = Object.freeze({
  manifestBytes: 4 * 1024 * 1024,
  tokenBytes: 1024 * 1024,
  errorBytes: 8 * 1024,
  jsonDepth: 32,
  indexDepth: 8,
  indexChildren: 1e4,
  blobBytesPerSecond: 16 * 1024,
  uploadStateBytes: 16 * 1024,
  credentialHelperBytes: 1024 * 1024,
  referrersPerSubject: 1e3
});
var LimitError = class extends Error {
  constructor(message, limit, value) {
    super(message);
    this.limit = limit;
    this.value = value;
    this.name = "LimitError";
  }
  limit;
  value;
};
function bytesText(n) {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}
function jsonDepth(text, max) {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > deepest && (deepest = depth) > max) return max + 1;
    } else if (c === 125 || c === 93) depth--;
  }
  return deepest;
}

export {
  DEFAULT_TIMEOUT_MS,
  LIMITS,
  LimitError,
  bytesText,
  jsonDepth
};
