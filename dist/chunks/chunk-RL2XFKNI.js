#!/usr/bin/env node
import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  causes
} from "./chunk-BLPB5NN7.js";

// src/copy/interrupt.ts
var SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143 };
var Interruption = class extends Error {
  /** @param signal `SIGINT`, `SIGTERM`, … */
  constructor(signal) {
    super(`interrupted by ${signal}`);
    this.signal = signal;
    this.name = "Interruption";
  }
  signal;
};
var InterruptedError = class extends Error {
  /**
   * @param landings what landed at each target, in target order
   * @param targets where each target stands (ledger.ts TargetStatus), in target order
   * @param lines one line per target for the message
   */
  constructor(signal, landings, targets, lines) {
    super(
      lines.length ? [`interrupted by ${signal}; no tag was changed on any target:`, ...lines].join("\n  ") : `interrupted by ${signal} before anything was written`
    );
    this.signal = signal;
    this.landings = landings;
    this.targets = targets;
    this.name = "InterruptedError";
  }
  signal;
  landings;
  targets;
};
function signalName(signal) {
  const r = signal.reason;
  return r instanceof Interruption ? r.signal : "an abort";
}
function isAbort(e, signal) {
  return !!signal?.aborted && causes(e).some((c) => c === signal.reason || c instanceof Interruption);
}

export {
  SIGNAL_EXIT,
  Interruption,
  InterruptedError,
  signalName,
  isAbort
};
