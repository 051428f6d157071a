#!/usr/bin/env node
import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
var __create = Object.create;
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __getProtoOf = Object.getPrototypeOf;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __require = /* @__PURE__ */ ((x) => typeof require !== "undefined" ? require : typeof Proxy !== "undefined" ? new Proxy(x, {
  get: (a, b) => (typeof require !== "undefined" ? require : a)[b]
}) : x)(function(x) {
  if (typeof require !== "undefined") return require.apply(this, arguments);
  throw Error('Dynamic require of "' + x + '" is not supported');
});
var __commonJS = (cb, mod) => function __require2() {
  try {
    return mod || (0, cb[__getOwnPropNames(cb)[0]])((mod = { exports: {} }).exports, mod), mod.exports;
  } catch (e) {
    throw mod = 0, e;
  }
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toESM = (mod, isNodeMode, target) => (target = mod != null ? __create(__getProtoOf(mod)) : {}, __copyProps(
  // If the importer is in node compatibility mode or this is not an ESM
  // file that has been converted to a CommonJS file using a Babel-
  // compatible transform (i.e. "__esModule" has not been set), then set
  // "default" to the CommonJS "module.exports" for node compatibility.
  isNodeMode || !mod || !mod.__esModule ? __defProp(target, "default", { value: mod, enumerable: true }) : target,
  mod
));

// src/reference/regexp.ts
var ALNUM = "[a-z0-9]+";
var SEP = "(?:[._]|__|[-]+)";
var DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
var DOMAIN_NAME = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*`;
var IPV6 = "\\[(?:[a-fA-F0-9:]+)\\]";
var HOST = `(?:${DOMAIN_NAME}|${IPV6})`;
var DOMAIN_AND_PORT = `${HOST}(?::[0-9]+)?`;
var TAG = "[\\w][\\w.-]{0,127}";
var DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}";
var PATH_COMPONENT = `${ALNUM}(?:${SEP}${ALNUM})*`;
var REMOTE_NAME = `${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
var NAME = `(?:${DOMAIN_AND_PORT}/)?${REMOTE_NAME}`;
var REFERENCE_REGEXP = new RegExp(`^(${NAME})(?::(${TAG}))?(?:@(${DIGEST}))?$`);
var ANCHORED_NAME_REGEXP = new RegExp(`^(?:(${DOMAIN_AND_PORT})/)?(${REMOTE_NAME})$`);
var ANCHORED_DOMAIN_REGEXP = new RegExp(`^${DOMAIN_AND_PORT}$`);
var ANCHORED_PATH_REGEXP = new RegExp(`^${REMOTE_NAME}$`);
var ANCHORED_PATH_COMPONENT_REGEXP = new RegExp(`^${PATH_COMPONENT}$`);
var ANCHORED_TAG_REGEXP = new RegExp(`^${TAG}$`);
var ANCHORED_DIGEST_REGEXP = new RegExp(`^${DIGEST}$`);
var ANCHORED_IDENTIFIER_REGEXP = /^[a-f0-9]{64}$/;
var RULES = {
  nameEmpty: "repository name must have at least one component",
  uppercase: "repository name must be lowercase",
  pathComponent: 'path components are lowercase letters and digits, separated by ".", "_", "__" or "-" runs, and neither start nor end with a separator',
  nameTooLong: "repository name must not be more than 255 characters",
  domain: 'a domain is host[:port] where host is DNS labels of letters, digits and inner "-" joined by ".", or an IPv6 address in brackets, and port is digits',
  tag: 'a tag is 1 to 128 characters from [A-Za-z0-9_.-] and must not start with "." or "-"',
  digestFormat: "a digest is algorithm:hex, e.g. sha256:<64 lowercase hex> or sha512:<128 lowercase hex>",
  digestUnsupported: "supported digest algorithms are sha256 and sha512",
  format: "a reference is [domain/]path[:tag][@digest]",
  identifier: "cannot specify 64-byte hexadecimal strings as a repository name",
  notCanonical: "repository name must be canonical (fully qualified, e.g. docker.io/library/ubuntu)",
  inputTooLong: "a reference must not be more than 4096 characters"
};

// src/reference/reference.ts
var MAX_INPUT_LENGTH = 4096;
var NAME_TOTAL_LENGTH_MAX = 255;
var DEFAULT_DOMAIN = "docker.io";
var LEGACY_DEFAULT_DOMAIN = "index.docker.io";
var DOCKER_HUB_API_HOST = "registry-1.docker.io";
var OFFICIAL_REPO_PREFIX = "library/";
var DEFAULT_TAG = "latest";
function quote(s, max = 200) {
  return s.length > max ? `"${s.slice(0, max)}\u2026" (${s.length} characters)` : `"${s}"`;
}
var ReferenceError2 = class extends Error {
  /**
   * @param input the whole input as given
   * @param part the part at fault, e.g. `repository "Bad"`, `tag ".x"`, `digest "sha1:…"`
   * @param rule the rule broken, in words
   * @param code the machine-readable kind of error
   * @param suggestion a corrected reference, when one is obvious (e.g. the lower-cased name)
   */
  constructor(input, part, rule, code = "INVALID_FORMAT", suggestion) {
    super(`invalid reference ${quote(input)}: ${part}: ${rule}`);
    this.input = input;
    this.part = part;
    this.rule = rule;
    this.code = code;
    this.suggestion = suggestion;
    this.name = "ReferenceError";
  }
  input;
  part;
  rule;
  code;
  suggestion;
};
function checkInputLength(input) {
  if (input.length > MAX_INPUT_LENGTH)
    throw new ReferenceError2(input, "reference", RULES.inputTooLong, "INPUT_TOO_LONG");
}
var DIGEST_HEX_LENGTHS = /* @__PURE__ */ new Map([
  ["sha256", 64],
  ["sha512", 128]
]);
function digestProblem(digest) {
  const i = digest.indexOf(":");
  if (i <= 0 || i + 1 === digest.length) return { code: "DIGEST_INVALID_FORMAT", rule: RULES.digestFormat };
  const algorithm = digest.slice(0, i);
  const encoded = digest.slice(i + 1);
  const size = DIGEST_HEX_LENGTHS.get(algorithm);
  if (size === void 0) {
    if (!ANCHORED_DIGEST_REGEXP.test(digest))
      return { code: "DIGEST_INVALID_FORMAT", rule: RULES.digestFormat };
    return { code: "DIGEST_UNSUPPORTED", rule: RULES.digestUnsupported };
  }
  if (encoded.length !== size)
    return { code: "DIGEST_INVALID_LENGTH", rule: `a ${algorithm} digest has ${size} hex characters` };
  if (!/^[a-f0-9]+$/.test(encoded))
    return {
      code: "DIGEST_INVALID_FORMAT",
      rule: `a ${algorithm} digest is ${size} lowercase hex characters`
    };
  return void 0;
}
function validateDigest(digest, input = digest) {
  checkInputLength(input);
  const p = digestProblem(digest);
  if (p) throw new ReferenceError2(input, `digest ${quote(digest)}`, p.rule, p.code);
}
function isValidTag(tag) {
  return tag.length <= 128 && ANCHORED_TAG_REGEXP.test(tag);
}
function validateTag(tag, input = tag) {
  if (!isValidTag(tag)) throw new ReferenceError2(input, `tag ${quote(tag)}`, RULES.tag, "TAG_INVALID_FORMAT");
}
function looksLikeDomain(component) {
  return component === "localhost" || /[.:[\]]/.test(component) || component !== component.toLowerCase();
}
function diagnose(s, input) {
  let rest = s;
  const at = rest.indexOf("@");
  if (at >= 0) {
    const digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    const p = digestProblem(digest);
    if (p || digest.includes("@"))
      return new ReferenceError2(input, `digest ${quote(digest)}`, p?.rule ?? RULES.digestFormat);
  }
  const lastSlash = rest.lastIndexOf("/");
  const bracketEnd = rest.startsWith("[") ? rest.indexOf("]") : -1;
  const colon = rest.lastIndexOf(":");
  if (colon > lastSlash && colon > bracketEnd) {
    const tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!isValidTag(tag)) return new ReferenceError2(input, `tag ${quote(tag)}`, RULES.tag);
  }
  if (rest === "") return new ReferenceError2(input, 'repository ""', RULES.nameEmpty);
  const components = rest.split("/");
  let path = rest;
  if (components.length > 1 && looksLikeDomain(components[0])) {
    if (!ANCHORED_DOMAIN_REGEXP.test(components[0]))
      return new ReferenceError2(input, `domain ${quote(components[0])}`, RULES.domain);
    path = components.slice(1).join("/");
  }
  for (const c of path.split("/")) {
    if (!ANCHORED_PATH_COMPONENT_REGEXP.test(c))
      return new ReferenceError2(
        input,
        `repository ${quote(path)}`,
        `path component ${quote(c, 60)} is invalid: ${RULES.pathComponent}`
      );
  }
  return new ReferenceError2(input, "reference", RULES.format);
}
function build(registry, repository, tag, digest) {
  const ref = { registry, repository };
  if (tag !== void 0) ref.tag = tag;
  if (digest !== void 0) ref.digest = digest;
  return ref;
}
function parseRaw(s, input) {
  checkInputLength(input);
  if (s === "") throw new ReferenceError2(input, 'repository ""', RULES.nameEmpty, "NAME_EMPTY");
  const m = REFERENCE_REGEXP.exec(s);
  if (!m) {
    const lower = s.toLowerCase();
    if (lower !== s) {
      const lm = REFERENCE_REGEXP.exec(lower);
      if (lm) {
        const domain2 = ANCHORED_NAME_REGEXP.exec(lm[1])?.[1];
        const path2 = s.slice(domain2 !== void 0 ? domain2.length + 1 : 0, lm[1].length);
        const suggestion = s.slice(0, lm[1].length).toLowerCase() + s.slice(lm[1].length);
        throw new ReferenceError2(
          input,
          `repository ${quote(path2)}`,
          RULES.uppercase,
          "NAME_CONTAINS_UPPERCASE",
          suggestion
        );
      }
    }
    throw diagnose(s, input);
  }
  const nm = ANCHORED_NAME_REGEXP.exec(m[1]);
  if (!nm) throw diagnose(s, input);
  const domain = nm[1] ?? "";
  const path = nm[2];
  if (path.length > NAME_TOTAL_LENGTH_MAX)
    throw new ReferenceError2(input, `repository ${quote(path)}`, RULES.nameTooLong, "NAME_TOO_LONG");
  const digest = m[3];
  if (digest !== void 0) {
    const p = digestProblem(digest);
    if (p) throw new ReferenceError2(input, `digest ${quote(digest)}`, p.rule, p.code);
  }
  return build(domain, path, m[2], digest);
}
function parse(input) {
  return parseRaw(input, input);
}
function splitDockerDomain(name) {
  const slash = name.indexOf("/");
  if (slash === -1) return { domain: DEFAULT_DOMAIN, remainder: OFFICIAL_REPO_PREFIX + name, written: name };
  const first = name.slice(0, slash);
  const after = name.slice(slash + 1);
  let domain;
  let remainder;
  if (first === "localhost" || /[.:]/.test(first) || first !== first.toLowerCase()) {
    domain = first === LEGACY_DEFAULT_DOMAIN ? DEFAULT_DOMAIN : first;
    remainder = after;
  } else {
    domain = DEFAULT_DOMAIN;
    remainder = name;
  }
  const written = remainder;
  if (domain === DEFAULT_DOMAIN && !remainder.includes("/")) remainder = OFFICIAL_REPO_PREFIX + remainder;
  return { domain, remainder, written };
}
function cutName(remainder) {
  const i = remainder.search(/[:@]/);
  return i === -1 ? remainder : remainder.slice(0, i);
}
function parseReference(input) {
  checkInputLength(input);
  if (ANCHORED_IDENTIFIER_REGEXP.test(input))
    throw new ReferenceError2(input, `repository ${quote(input)}`, RULES.identifier, "IDENTIFIER");
  const { domain, remainder, written } = splitDockerDomain(input);
  const remote = cutName(remainder);
  if (remote.toLowerCase() !== remote) {
    const suggestion = `${domain}/${remote.toLowerCase()}${remainder.slice(remote.length)}`;
    throw new ReferenceError2(
      input,
      `repository ${quote(cutName(written))}`,
      RULES.uppercase,
      "NAME_CONTAINS_UPPERCASE",
      suggestion
    );
  }
  return parseRaw(`${domain}/${remainder}`, input);
}
var parseNormalizedNamed = parseReference;
function parseNamed(input) {
  const ref = parseReference(input);
  if (formatReference(ref) !== input)
    throw new ReferenceError2(input, `name ${quote(input)}`, RULES.notCanonical, "NAME_NOT_CANONICAL");
  return ref;
}
function parseDockerRef(input) {
  const ref = parseReference(input);
  if (ref.digest !== void 0) return build(ref.registry, ref.repository, void 0, ref.digest);
  if (ref.tag === void 0) return build(ref.registry, ref.repository, DEFAULT_TAG);
  return ref;
}
function parseAnyReference(input) {
  checkInputLength(input);
  if (ANCHORED_IDENTIFIER_REGEXP.test(input)) return { digest: `sha256:${input}` };
  if (ANCHORED_DIGEST_REGEXP.test(input) && digestProblem(input) === void 0) return { digest: input };
  return parseReference(input);
}
function isNamedReference(r) {
  return "repository" in r;
}
function formatReference(ref) {
  const name = ref.registry ? `${ref.registry}/${ref.repository}` : ref.repository;
  return `${name}${ref.tag !== void 0 ? ":" + ref.tag : ""}${ref.digest !== void 0 ? "@" + ref.digest : ""}`;
}
function familiarName(ref) {
  if (ref.registry !== DEFAULT_DOMAIN)
    return ref.registry ? `${ref.registry}/${ref.repository}` : ref.repository;
  const rest = ref.repository.startsWith(OFFICIAL_REPO_PREFIX) ? ref.repository.slice(OFFICIAL_REPO_PREFIX.length) : void 0;
  return rest !== void 0 && !rest.includes("/") ? rest : ref.repository;
}
function familiarString(ref) {
  const r = typeof ref === "string" ? parseReference(ref) : ref;
  return `${familiarName(r)}${r.tag !== void 0 ? ":" + r.tag : ""}${r.digest !== void 0 ? "@" + r.digest : ""}`;
}
function trimNamed(ref) {
  return build(ref.registry, ref.repository);
}
function withTag(ref, tag) {
  validateTag(tag, `${formatReference(trimNamed(ref))}:${tag}`);
  return build(ref.registry, ref.repository, tag, ref.digest);
}
function withDigest(ref, digest) {
  validateDigest(digest, `${formatReference(trimNamed(ref))}@${digest}`);
  return build(ref.registry, ref.repository, ref.tag, digest);
}
function registryKey(registry) {
  const r = registry.toLowerCase();
  return r === LEGACY_DEFAULT_DOMAIN || r === DOCKER_HUB_API_HOST || r === "" ? DEFAULT_DOMAIN : r;
}
function sameRepository(a, b) {
  const x = typeof a === "string" ? parseReference(a) : a;
  const y = typeof b === "string" ? parseReference(b) : b;
  return registryKey(x.registry) === registryKey(y.registry) && x.repository === y.repository;
}
function referencesEqual(a, b) {
  const x = typeof a === "string" ? parseReference(a) : a;
  const y = typeof b === "string" ? parseReference(b) : b;
  return sameRepository(x, y) && x.tag === y.tag && x.digest === y.digest;
}
function apiHost(registry) {
  return registryKey(registry) === DEFAULT_DOMAIN ? DOCKER_HUB_API_HOST : registry;
}
function nameLengthWarning(ref) {
  const total = ref.registry.length + 1 + ref.repository.length;
  return total > NAME_TOTAL_LENGTH_MAX ? `name "${ref.registry}/${ref.repository}" is ${total} characters; many clients reject names longer than 255 (host + "/" + path)` : void 0;
}

// src/reference/registry-rules.ts
var ECR_HOST_REGEXP = /^(\d{12})\.dkr[.-]ecr\.([^.]+(?:\.[^.]+)*?)\.(?:amazonaws\.com(?:\.cn)?|amazonaws\.eu|on\.aws)$/;
var GAR_HOST_REGEXP = /^[a-z0-9]+(?:-[a-z0-9]+)*-docker\.pkg\.dev$/;
var ACR_HOST_REGEXP = /^([^.]+)\.azurecr\.(?:io|cn|us)$/i;
function registryKind(host) {
  const h = host.toLowerCase();
  if (h === "docker.io" || h === "index.docker.io" || h === "registry-1.docker.io") return "dockerhub";
  if (h === "ghcr.io") return "ghcr";
  if (ECR_HOST_REGEXP.test(h)) return "ecr";
  if (h === "public.ecr.aws" || h === "ecr-public.aws.com") return "ecr-public";
  if (GAR_HOST_REGEXP.test(h)) return "gar";
  if (h === "gcr.io" || h.endsWith(".gcr.io")) return "gcr";
  if (ACR_HOST_REGEXP.test(h)) return "acr";
  if (h === "quay.io") return "quay";
  return "generic";
}
var ECR_REPO_REGEXP = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
var HUB_NAMESPACE_REGEXP = /^[a-z0-9]{4,30}$/;
var HUB_REPO_REGEXP = /^[a-z0-9_-]{2,255}$/;
var GITHUB_OWNER_REGEXP = /^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){0,38}$/;
var QUAY_NAMESPACE_REGEXP = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
var QUAY_REPO_REGEXP = /^[a-z0-9][.a-z0-9_-]{0,254}$/;
var HARBOR_PROJECT_REGEXP = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
var ACR_NAME_REGEXP = /^[a-z0-9]{5,50}$/;
var NAMES = {
  dockerhub: "Docker Hub",
  ghcr: "GHCR",
  ecr: "Amazon ECR",
  "ecr-public": "Amazon ECR Public",
  gar: "Artifact Registry",
  gcr: "Container Registry (gcr.io)",
  acr: "Azure Container Registry",
  quay: "Quay",
  harbor: "Harbor",
  generic: "the registry"
};
function lowerName(ref) {
  return { ...ref, registry: ref.registry.toLowerCase(), repository: ref.repository.toLowerCase() };
}
function toReference(input, lowercase) {
  if (typeof input !== "string") return lowercase ? lowerName(input) : input;
  try {
    const ref = parseReference(input);
    return lowercase ? lowerName(ref) : ref;
  } catch (e) {
    if (!(e instanceof ReferenceError2) || e.code !== "NAME_CONTAINS_UPPERCASE" || !e.suggestion) throw e;
    if (lowercase) return parseReference(e.suggestion);
    const kind = registryKind(parseReference(e.suggestion).registry);
    throw new ReferenceError2(
      input,
      e.part,
      `${kind === "ghcr" ? "GHCR owner and image names" : "repository names"} must be lowercase; use "${e.suggestion}"`,
      "NAME_CONTAINS_UPPERCASE",
      e.suggestion
    );
  }
}
function validateForRegistry(input, options = {}) {
  const lowercase = options.lowercase === true;
  const ref = toReference(input, lowercase);
  const shown = typeof input === "string" ? input : formatReference(input);
  const kind = options.kind ?? options.kinds?.[ref.registry.toLowerCase()] ?? registryKind(ref.registry);
  const name = NAMES[kind];
  const fail = (part, rule, code = "REGISTRY_RULE", suggestion) => new ReferenceError2(shown, part, rule, code, suggestion);
  const repoPart = `repository ${quote(ref.repository)}`;
  if (ref.repository !== ref.repository.toLowerCase()) {
    const suggestion = formatReference(lowerName(ref));
    throw fail(
      repoPart,
      `${kind === "ghcr" ? "GHCR owner and image names" : "repository names"} must be lowercase; use "${suggestion}"`,
      "NAME_CONTAINS_UPPERCASE",
      suggestion
    );
  }
  if (!ref.registry) throw fail('registry ""', "a destination must name its registry");
  if (!ANCHORED_PATH_REGEXP.test(ref.repository)) throw fail(repoPart, RULES.pathComponent);
  if (ref.repository.length > NAME_TOTAL_LENGTH_MAX) throw fail(repoPart, RULES.nameTooLong);
  if (ref.tag !== void 0) validateTag(ref.tag, shown);
  if (ref.digest !== void 0) validateDigest(ref.digest, shown);
  const warnings = [];
  const lengthWarning = nameLengthWarning(ref);
  if (lengthWarning) warnings.push(lengthWarning);
  const components = ref.repository.split("/");
  const host = ref.registry;
  const hostPart = `registry ${quote(host)}`;
  switch (kind) {
    case "dockerhub": {
      if (components.length !== 2)
        throw fail(
          repoPart,
          `${name} repositories are NAMESPACE/REPOSITORY (exactly 2 components, no nesting)`
        );
      const [ns, repo] = components;
      if (ns === "library" && options.destination)
        throw fail(
          `namespace ${quote(ns)}`,
          `${name}'s "library" namespace holds Docker's official images and cannot be pushed to; name your own namespace (NAMESPACE/REPOSITORY)`
        );
      if (ns !== "library" && !HUB_NAMESPACE_REGEXP.test(ns))
        throw fail(
          `namespace ${quote(ns)}`,
          `a ${name} namespace (Docker ID) is 4 to 30 lowercase letters and digits`
        );
      if (!HUB_REPO_REGEXP.test(repo))
        throw fail(
          `repository ${quote(repo)}`,
          `a ${name} repository name is 2 to 255 characters of lowercase letters, digits, "_" and "-"`
        );
      break;
    }
    case "ghcr": {
      if (components.length < 2)
        throw fail(repoPart, `${name} images are OWNER/IMAGE[/\u2026] (at least 2 components)`);
      if (!GITHUB_OWNER_REGEXP.test(components[0]))
        throw fail(
          `owner ${quote(components[0])}`,
          `a ${name} owner is a lowercase GitHub user or organization: letters, digits and single inner "-", at most 39 characters`
        );
      break;
    }
    case "ecr":
    case "ecr-public": {
      let repo = ref.repository;
      const max = kind === "ecr" ? 256 : 205;
      if (kind === "ecr-public") {
        if (components.length < 2) throw fail(repoPart, `${name} repositories are ALIAS/REPOSITORY`);
        repo = components.slice(1).join("/");
      }
      if (repo.length < 2 || repo.length > max)
        throw fail(`repository ${quote(repo)}`, `an ${name} repository name is 2 to ${max} characters`);
      if (!ECR_REPO_REGEXP.test(repo))
        throw fail(
          `repository ${quote(repo)}`,
          `an ${name} repository name is lowercase letters and digits separated by single ".", "_", "-" or "/"`
        );
      if (kind === "ecr")
        warnings.push(`${name} does not create repositories on push: "${repo}" must exist in ${host}`);
      break;
    }
    case "gar": {
      const domainScoped = components[0].includes(".");
      const min = domainScoped ? 4 : 3;
      if (components.length < min)
        throw fail(
          repoPart,
          `${name} images are LOCATION-docker.pkg.dev/PROJECT/REPOSITORY/IMAGE (at least ${min} components${domainScoped ? " with a domain-scoped project" : ""})`
        );
      break;
    }
    case "gcr": {
      if (components.length < 2)
        throw fail(repoPart, `${name} images are PROJECT/IMAGE (at least 2 components)`);
      break;
    }
    case "acr": {
      if (host.includes(":") || host.includes("["))
        throw fail(hostPart, `an ${name} login server has no port`);
      if (host !== host.toLowerCase()) {
        const suggestion = formatReference(lowerName(ref));
        throw fail(
          hostPart,
          `an ${name} login server is lowercase; use "${suggestion}"`,
          "REGISTRY_RULE",
          suggestion
        );
      }
      const registryName = ACR_HOST_REGEXP.exec(host)?.[1];
      if (registryName !== void 0 && !ACR_NAME_REGEXP.test(registryName))
        throw fail(
          `registry name ${quote(registryName)}`,
          `an ${name} registry name is 5 to 50 letters and digits`
        );
      break;
    }
    case "quay": {
      if (components.length < 2) throw fail(repoPart, `${name} repositories are NAMESPACE/REPOSITORY[/\u2026]`);
      const [ns, ...rest] = components;
      if (ns.length < 2 || !QUAY_NAMESPACE_REGEXP.test(ns))
        throw fail(
          `namespace ${quote(ns)}`,
          `a ${name} namespace is 2 to 255 lowercase letters and digits separated by single ".", "_" or "-"`
        );
      for (const seg of rest)
        if (!QUAY_REPO_REGEXP.test(seg))
          throw fail(
            `repository ${quote(rest.join("/"))}`,
            `${name} repository segment ${quote(seg)} must start with a lowercase letter or digit, then ".", "_", "-", letters or digits`
          );
      break;
    }
    case "harbor": {
      if (components.length < 2) throw fail(repoPart, `${name} repositories are PROJECT/REPOSITORY[/\u2026]`);
      if (!HARBOR_PROJECT_REGEXP.test(components[0]))
        throw fail(
          `project ${quote(components[0])}`,
          `a ${name} project is 1 to 255 lowercase letters and digits separated by single ".", "_" or "-"`
        );
      warnings.push(
        `${name} does not create projects on push: project "${components[0]}" must exist in ${host}`
      );
      break;
    }
    case "generic":
      break;
  }
  return { reference: ref, kind, warnings };
}

export {
  __require,
  __commonJS,
  __toESM,
  REFERENCE_REGEXP,
  ANCHORED_NAME_REGEXP,
  ANCHORED_DOMAIN_REGEXP,
  ANCHORED_PATH_REGEXP,
  ANCHORED_TAG_REGEXP,
  ANCHORED_DIGEST_REGEXP,
  ANCHORED_IDENTIFIER_REGEXP,
  RULES,
  MAX_INPUT_LENGTH,
  NAME_TOTAL_LENGTH_MAX,
  DEFAULT_DOMAIN,
  LEGACY_DEFAULT_DOMAIN,
  DOCKER_HUB_API_HOST,
  OFFICIAL_REPO_PREFIX,
  DEFAULT_TAG,
  quote,
  ReferenceError2 as ReferenceError,
  validateDigest,
  isValidTag,
  validateTag,
  parse,
  parseReference,
  parseNormalizedNamed,
  parseNamed,
  parseDockerRef,
  parseAnyReference,
  isNamedReference,
  formatReference,
  familiarName,
  familiarString,
  trimNamed,
  withTag,
  withDigest,
  sameRepository,
  referencesEqual,
  apiHost,
  nameLengthWarning,
  ECR_HOST_REGEXP,
  GAR_HOST_REGEXP,
  ACR_HOST_REGEXP,
  registryKind,
  validateForRegistry
};
