import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);

// src/proof/defaults.ts
var PUBLIC_GOOD = {
  fulcioURL: "https://fulcio.sigstore.dev",
  rekorURL: "https://rekor.sigstore.dev"
};

// src/proof/key-value.ts
function isInlinePem(value) {
  return value.trimStart().startsWith("-----BEGIN");
}
function notAFile(value) {
  return value.startsWith("env://") || isInlinePem(value);
}

export {
  PUBLIC_GOOD,
  isInlinePem,
  notAFile
};
