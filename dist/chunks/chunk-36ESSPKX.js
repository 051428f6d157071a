#!/usr/bin/env node
import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  commandHelp,
  commandLines,
  commandSpec,
  optionLines
} from "./chunk-2NLWOLMW.js";

// src/cli/help.ts
var USAGE = `usage:
${commandLines().join("\n")}
options:
${optionLines()}
Credentials: --src-creds / --dest-creds / --creds USER[:PASS] (the password best from its variable or
--password-stdin), then --authfile FILE or $REGISTRY_AUTH_FILE (containers-auth.json), then the docker
config.json (DOCKER_CONFIG respected), as docker login writes it.
promote-image COMMAND --help (or promote-image help COMMAND) shows one command's usage and options.
HTTPS_PROXY, HTTP_PROXY and NO_PROXY (or lower-case) are honoured; loopback hosts never use the proxy.
--json on failure prints {"error": MESSAGE, "targets": [{"reference", "holdsImage", "tagged",
"blobsCopied", "blobsMounted", "bytesCopied", "error"?}]}: where each target stands.
Exit status: 0 success, 1 failure, 2 usage error (nothing sent), 130 / 143 after SIGINT / SIGTERM:
open upload sessions cancelled, no tag changed, one line per target (promote -f: per image) saying
what landed; a second signal ends the process at once. A signal during the tag step finishes the tags
(no target is left half-tagged) and the run ends as it would have. A chunked upload (--upload-mode
chunked) keeps its session in $XDG_CACHE_HOME/promote-image/uploads (else ~/.cache/promote-image/uploads):
a killed run's upload is resumed from the offset the registry confirms; an entry older than 1 hour
or not confirmed by the registry is dropped and the upload starts from byte 0.`;
var VERSION = true ? "0.1.0" : "dev";
function runHelp(out, topic) {
  const command = commandSpec(topic);
  out((command ? commandHelp(command) : USAGE) + "\n");
  return 0;
}
function runVersion(out) {
  out(`${VERSION}
`);
  return 0;
}

export {
  VERSION,
  runHelp,
  runVersion
};
