#!/usr/bin/env node
import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  DEFAULT_DOMAIN,
  LEGACY_DEFAULT_DOMAIN,
  isDockerHub,
  repositoryKey
} from "./chunk-VIETK5Q5.js";

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
  inputTooLong: "a reference must not be more than 4096 characters"
};

// src/reference/reference.ts
var MAX_INPUT_LENGTH = 4096;
var NAME_TOTAL_LENGTH_MAX = 255;
var OFFICIAL_REPO_PREFIX = "library/";
var DEFAULT_TAG = "latest";
function quote(s, max = 200) {
  return s.length > max ? `"${s.slice(0, max)}\u2026" (${s.length} characters)` : `"${s}"`;
}
var ReferenceError = class extends Error {
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
    throw new ReferenceError(input, "reference", RULES.inputTooLong, "INPUT_TOO_LONG");
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
  if (p) throw new ReferenceError(input, `digest ${quote(digest)}`, p.rule, p.code);
}
function isValidTag(tag) {
  return tag.length <= 128 && ANCHORED_TAG_REGEXP.test(tag);
}
function validateTag(tag, input = tag) {
  if (!isValidTag(tag)) throw new ReferenceError(input, `tag ${quote(tag)}`, RULES.tag, "TAG_INVALID_FORMAT");
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
      return new ReferenceError(input, `digest ${quote(digest)}`, p?.rule ?? RULES.digestFormat);
  }
  const lastSlash = rest.lastIndexOf("/");
  const bracketEnd = rest.startsWith("[") ? rest.indexOf("]") : -1;
  const colon = rest.lastIndexOf(":");
  if (colon > lastSlash && colon > bracketEnd) {
    const tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!isValidTag(tag)) return new ReferenceError(input, `tag ${quote(tag)}`, RULES.tag);
  }
  if (rest === "") return new ReferenceError(input, 'repository ""', RULES.nameEmpty);
  const components = rest.split("/");
  let path = rest;
  if (components.length > 1 && looksLikeDomain(components[0])) {
    if (!ANCHORED_DOMAIN_REGEXP.test(components[0]))
      return new ReferenceError(input, `domain ${quote(components[0])}`, RULES.domain);
    path = components.slice(1).join("/");
  }
  for (const c of path.split("/")) {
    if (!ANCHORED_PATH_COMPONENT_REGEXP.test(c))
      return new ReferenceError(
        input,
        `repository ${quote(path)}`,
        `path component ${quote(c, 60)} is invalid: ${RULES.pathComponent}`
      );
  }
  return new ReferenceError(input, "reference", RULES.format);
}
function build(registry, repository, tag, digest) {
  const ref = { registry, repository };
  if (tag !== void 0) ref.tag = tag;
  if (digest !== void 0) ref.digest = digest;
  return ref;
}
function parseRaw(s, input) {
  checkInputLength(input);
  if (s === "") throw new ReferenceError(input, 'repository ""', RULES.nameEmpty, "NAME_EMPTY");
  const m = REFERENCE_REGEXP.exec(s);
  if (!m) {
    const lower = s.toLowerCase();
    if (lower !== s) {
      const lm = REFERENCE_REGEXP.exec(lower);
      if (lm) {
        const domain2 = ANCHORED_NAME_REGEXP.exec(lm[1])?.[1];
        const path2 = s.slice(domain2 !== void 0 ? domain2.length + 1 : 0, lm[1].length);
        const suggestion = s.slice(0, lm[1].length).toLowerCase() + s.slice(lm[1].length);
        throw new ReferenceError(
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
    throw new ReferenceError(input, `repository ${quote(path)}`, RULES.nameTooLong, "NAME_TOO_LONG");
  const digest = m[3];
  if (digest !== void 0) {
    const p = digestProblem(digest);
    if (p) throw new ReferenceError(input, `digest ${quote(digest)}`, p.rule, p.code);
  }
  return build(domain, path, m[2], digest);
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
    throw new ReferenceError(input, `repository ${quote(input)}`, RULES.identifier, "IDENTIFIER");
  if (cutName(input) === "")
    throw new ReferenceError(
      input,
      'repository ""',
      RULES.nameEmpty,
      input === "" ? "NAME_EMPTY" : "INVALID_FORMAT"
    );
  const { domain, remainder, written } = splitDockerDomain(input);
  const remote = cutName(remainder);
  if (remote.toLowerCase() !== remote) {
    const suggestion = `${domain}/${remote.toLowerCase()}${remainder.slice(remote.length)}`;
    throw new ReferenceError(
      input,
      `repository ${quote(cutName(written))}`,
      RULES.uppercase,
      "NAME_CONTAINS_UPPERCASE",
      suggestion
    );
  }
  return parseRaw(`${domain}/${remainder}`, input);
}
function manifestReference(ref) {
  return ref.digest ?? ref.tag ?? DEFAULT_TAG;
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
function sameRepository(a, b) {
  const x = typeof a === "string" ? parseReference(a) : a;
  const y = typeof b === "string" ? parseReference(b) : b;
  return repositoryKey(x.registry, x.repository) === repositoryKey(y.registry, y.repository);
}
function referencesEqual(a, b) {
  const x = typeof a === "string" ? parseReference(a) : a;
  const y = typeof b === "string" ? parseReference(b) : b;
  return sameRepository(x, y) && x.tag === y.tag && x.digest === y.digest;
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
  if (h !== "" && isDockerHub(h)) return "dockerhub";
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
var repoPart = (f) => `repository ${quote(f.ref.repository)}`;
var firstPart = (noun) => (f) => `${noun} ${quote(f.parts[0])}`;
var lowered = (f) => formatReference(lowerName(f.ref));
var atLeast = (n, rule) => ({
  broken: (f) => f.parts.length < n,
  part: repoPart,
  rule: () => rule
});
function ecrRules(name, max, alias) {
  const repo = (f) => alias ? f.parts.slice(1).join("/") : f.ref.repository;
  const part = (f) => `repository ${quote(repo(f))}`;
  return [
    ...alias ? [atLeast(2, `${name} repositories are ALIAS/REPOSITORY`)] : [],
    {
      broken: (f) => repo(f).length < 2 || repo(f).length > max,
      part,
      rule: () => `an ${name} repository name is 2 to ${max} characters`
    },
    {
      broken: (f) => !ECR_REPO_REGEXP.test(repo(f)),
      part,
      rule: () => `an ${name} repository name is lowercase letters and digits separated by single ".", "_", "-" or "/"`
    }
  ];
}
var quaySegment = (f) => f.parts.slice(1).find((s) => !QUAY_REPO_REGEXP.test(s));
var garMinimum = (f) => f.parts[0].includes(".") ? 4 : 3;
var acrName = (f) => ACR_HOST_REGEXP.exec(f.host)?.[1];
var KIND_RULES = {
  dockerhub: {
    rules: [
      {
        broken: (f) => f.parts.length !== 2,
        part: repoPart,
        rule: () => "Docker Hub repositories are NAMESPACE/REPOSITORY (exactly 2 components, no nesting)"
      },
      {
        broken: (f) => f.parts[0] === "library" && f.destination,
        part: firstPart("namespace"),
        rule: () => `Docker Hub's "library" namespace holds Docker's official images and cannot be pushed to; name your own namespace (NAMESPACE/REPOSITORY)`
      },
      {
        broken: (f) => f.parts[0] !== "library" && !HUB_NAMESPACE_REGEXP.test(f.parts[0]),
        part: firstPart("namespace"),
        rule: () => "a Docker Hub namespace (Docker ID) is 4 to 30 lowercase letters and digits"
      },
      {
        broken: (f) => !HUB_REPO_REGEXP.test(f.parts[1]),
        part: (f) => `repository ${quote(f.parts[1])}`,
        rule: () => 'a Docker Hub repository name is 2 to 255 characters of lowercase letters, digits, "_" and "-"'
      }
    ]
  },
  ghcr: {
    caseNoun: "GHCR owner and image names",
    rules: [
      atLeast(2, "GHCR images are OWNER/IMAGE[/\u2026] (at least 2 components)"),
      {
        broken: (f) => !GITHUB_OWNER_REGEXP.test(f.parts[0]),
        part: firstPart("owner"),
        rule: () => 'a GHCR owner is a lowercase GitHub user or organization: letters, digits and single inner "-", at most 39 characters'
      }
    ]
  },
  ecr: {
    rules: ecrRules("Amazon ECR", 256, false),
    warnings: [
      (f) => `Amazon ECR does not create repositories on push: "${f.ref.repository}" must exist in ${f.host}`
    ]
  },
  "ecr-public": { rules: ecrRules("Amazon ECR Public", 205, true) },
  gar: {
    rules: [
      {
        broken: (f) => f.parts.length < garMinimum(f),
        part: repoPart,
        rule: (f) => `Artifact Registry images are LOCATION-docker.pkg.dev/PROJECT/REPOSITORY/IMAGE (at least ${garMinimum(f)} components${garMinimum(f) === 4 ? " with a domain-scoped project" : ""})`
      }
    ]
  },
  gcr: {
    rules: [atLeast(2, "Container Registry (gcr.io) images are PROJECT/IMAGE (at least 2 components)")]
  },
  acr: {
    rules: [
      {
        broken: (f) => f.host.includes(":") || f.host.includes("["),
        part: (f) => `registry ${quote(f.host)}`,
        rule: () => "an Azure Container Registry login server has no port"
      },
      {
        broken: (f) => f.host !== f.host.toLowerCase(),
        part: (f) => `registry ${quote(f.host)}`,
        rule: (f) => `an Azure Container Registry login server is lowercase; use "${lowered(f)}"`,
        suggestion: lowered
      },
      {
        broken: (f) => acrName(f) !== void 0 && !ACR_NAME_REGEXP.test(acrName(f)),
        part: (f) => `registry name ${quote(acrName(f))}`,
        rule: () => "an Azure Container Registry registry name is 5 to 50 letters and digits"
      }
    ]
  },
  quay: {
    rules: [
      atLeast(2, "Quay repositories are NAMESPACE/REPOSITORY[/\u2026]"),
      {
        broken: (f) => f.parts[0].length < 2 || !QUAY_NAMESPACE_REGEXP.test(f.parts[0]),
        part: firstPart("namespace"),
        rule: () => 'a Quay namespace is 2 to 255 lowercase letters and digits separated by single ".", "_" or "-"'
      },
      {
        broken: (f) => quaySegment(f) !== void 0,
        part: (f) => `repository ${quote(f.parts.slice(1).join("/"))}`,
        rule: (f) => `Quay repository segment ${quote(quaySegment(f))} must start with a lowercase letter or digit, then ".", "_", "-", letters or digits`
      }
    ]
  },
  harbor: {
    rules: [
      atLeast(2, "Harbor repositories are PROJECT/REPOSITORY[/\u2026]"),
      {
        broken: (f) => !HARBOR_PROJECT_REGEXP.test(f.parts[0]),
        part: firstPart("project"),
        rule: () => 'a Harbor project is 1 to 255 lowercase letters and digits separated by single ".", "_" or "-"'
      }
    ],
    warnings: [
      (f) => `Harbor does not create projects on push: project "${f.parts[0]}" must exist in ${f.host}`
    ]
  },
  generic: { rules: [] }
};
var REGISTRY_KINDS = Object.keys(KIND_RULES);
function lowercaseRule(kind, suggestion) {
  return `${KIND_RULES[kind].caseNoun ?? "repository names"} must be lowercase; use "${suggestion}"`;
}
function lowerName(ref) {
  return { ...ref, registry: ref.registry.toLowerCase(), repository: ref.repository.toLowerCase() };
}
function toReference(input, lowercase) {
  if (typeof input !== "string") return lowercase ? lowerName(input) : input;
  try {
    const ref = parseReference(input);
    return lowercase ? lowerName(ref) : ref;
  } catch (e) {
    if (!(e instanceof ReferenceError) || e.code !== "NAME_CONTAINS_UPPERCASE" || !e.suggestion) throw e;
    if (lowercase) return parseReference(e.suggestion);
    const kind = registryKind(parseReference(e.suggestion).registry);
    throw new ReferenceError(
      input,
      e.part,
      lowercaseRule(kind, e.suggestion),
      "NAME_CONTAINS_UPPERCASE",
      e.suggestion
    );
  }
}
function checkGrammar(ref, kind, shown) {
  const repo = `repository ${quote(ref.repository)}`;
  if (ref.repository !== ref.repository.toLowerCase()) {
    const suggestion = formatReference(lowerName(ref));
    throw new ReferenceError(
      shown,
      repo,
      lowercaseRule(kind, suggestion),
      "NAME_CONTAINS_UPPERCASE",
      suggestion
    );
  }
  if (!ref.registry)
    throw new ReferenceError(shown, 'registry ""', "a destination must name its registry", "REGISTRY_RULE");
  if (!ANCHORED_PATH_REGEXP.test(ref.repository))
    throw new ReferenceError(shown, repo, RULES.pathComponent, "REGISTRY_RULE");
  if (ref.repository.length > NAME_TOTAL_LENGTH_MAX)
    throw new ReferenceError(shown, repo, RULES.nameTooLong, "REGISTRY_RULE");
  if (ref.tag !== void 0) validateTag(ref.tag, shown);
  if (ref.digest !== void 0) validateDigest(ref.digest, shown);
}
function validateForRegistry(input, options = {}) {
  const ref = toReference(input, options.lowercase === true);
  const shown = typeof input === "string" ? input : formatReference(input);
  const kind = options.kind ?? options.kinds?.[ref.registry.toLowerCase()] ?? registryKind(ref.registry);
  checkGrammar(ref, kind, shown);
  const facts = {
    ref,
    host: ref.registry,
    parts: ref.repository.split("/"),
    destination: options.destination === true
  };
  const { rules, warnings = [] } = KIND_RULES[kind];
  for (const r of rules) {
    if (r.broken(facts))
      throw new ReferenceError(shown, r.part(facts), r.rule(facts), "REGISTRY_RULE", r.suggestion?.(facts));
  }
  const notes = [nameLengthWarning(ref), ...warnings.map((w) => w(facts))];
  return { reference: ref, kind, warnings: notes.filter((w) => w !== void 0) };
}

export {
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
  OFFICIAL_REPO_PREFIX,
  DEFAULT_TAG,
  quote,
  ReferenceError,
  validateDigest,
  isValidTag,
  validateTag,
  parseReference,
  manifestReference,
  formatReference,
  familiarName,
  familiarString,
  trimNamed,
  withTag,
  withDigest,
  sameRepository,
  referencesEqual,
  nameLengthWarning,
  ECR_HOST_REGEXP,
  GAR_HOST_REGEXP,
  ACR_HOST_REGEXP,
  registryKind,
  REGISTRY_KINDS,
  validateForRegistry
};
