#!/usr/bin/env node
import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);

// src/reference/hosts.ts
var DEFAULT_DOMAIN = "docker.io";
var LEGACY_DEFAULT_DOMAIN = "index.docker.io";
var DOCKER_HUB_API_HOST = "registry-1.docker.io";
var DOCKER_HUB_CONFIG_KEY = "https://index.docker.io/v1/";
var HUB_HOSTS = /* @__PURE__ */ new Set([DEFAULT_DOMAIN, LEGACY_DEFAULT_DOMAIN, DOCKER_HUB_API_HOST]);
function hostOf(value) {
  const k = value.trim().toLowerCase().replace(/^[a-z][a-z0-9+.-]*:\/\//, "");
  const slash = k.indexOf("/");
  return slash < 0 ? k : k.slice(0, slash);
}
function registryKey(registry) {
  const h = hostOf(registry).replace(/:443$/, "");
  return h === "" || HUB_HOSTS.has(h) ? DEFAULT_DOMAIN : h;
}
function repositoryKey(registry, repository) {
  const key = registryKey(registry);
  const official = key === DEFAULT_DOMAIN && !repository.includes("/");
  return `${key}/${official ? `library/${repository}` : repository}`;
}
function isDockerHub(registry) {
  return registryKey(registry) === DEFAULT_DOMAIN;
}
function sameRegistry(a, b) {
  return registryKey(a) === registryKey(b);
}
function apiHost(registry) {
  return isDockerHub(registry) ? DOCKER_HUB_API_HOST : registry;
}
function credentialKeys(registry) {
  if (isDockerHub(registry)) return [...HUB_HOSTS, DOCKER_HUB_CONFIG_KEY, DOCKER_HUB_CONFIG_KEY.slice(0, -1)];
  const r = hostOf(registry);
  return [r, `https://${r}`, `http://${r}`];
}
function isLoopbackHost(host) {
  return /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d+)?$/i.test(host);
}

export {
  DEFAULT_DOMAIN,
  LEGACY_DEFAULT_DOMAIN,
  DOCKER_HUB_API_HOST,
  DOCKER_HUB_CONFIG_KEY,
  hostOf,
  registryKey,
  repositoryKey,
  isDockerHub,
  sameRegistry,
  apiHost,
  credentialKeys,
  isLoopbackHost
};
