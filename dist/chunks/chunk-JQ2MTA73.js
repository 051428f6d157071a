import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);

// src/abort.ts
var hubs = /* @__PURE__ */ new WeakMap();
function hubOf(signal) {
  const found = hubs.get(signal);
  if (found) return found;
  const callbacks = /* @__PURE__ */ new Set();
  const dispatch = () => {
    hubs.delete(signal);
    for (const callback of [...callbacks]) callback();
  };
  const hub = { callbacks, dispatch };
  hubs.set(signal, hub);
  signal.addEventListener("abort", dispatch, { once: true });
  return hub;
}
function onAbort(signal, callback) {
  if (!signal) return () => void 0;
  if (signal.aborted) {
    callback();
    return () => void 0;
  }
  const hub = hubOf(signal);
  const once = () => {
    hub.callbacks.delete(once);
    callback();
  };
  hub.callbacks.add(once);
  return () => {
    hub.callbacks.delete(once);
    if (hub.callbacks.size || hubs.get(signal) !== hub) return;
    hubs.delete(signal);
    signal.removeEventListener("abort", hub.dispatch);
  };
}
function untilAborted(work, signal) {
  if (!signal) return work;
  work.catch(() => void 0);
  return new Promise((resolve, reject) => {
    const release = onAbort(signal, () => reject(signal.reason));
    work.then(resolve, reject).finally(release);
  });
}
async function startUnlessAborted(start, signal) {
  if (!signal) return await start();
  signal.throwIfAborted();
  return await untilAborted(start(), signal);
}

export {
  onAbort,
  untilAborted,
  startUnlessAborted
};
