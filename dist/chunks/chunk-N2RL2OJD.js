#!/usr/bin/env node
import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);

// src/logger.ts
var silentLogger = { debug() {
}, info() {
}, warning() {
} };

export {
  silentLogger
};
