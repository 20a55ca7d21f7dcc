// Inside the executable, packages too big to sit in the startup snapshot (the Kubernetes client,
// the interactive prompts with their character-set tables) are CommonJS bundles embedded as
// assets (NAME.cjs) with the V8 code cache made at build time (NAME.cache). loadAsset evaluates
// one, once, when a command first needs it (bin/script-cache.cjs, as the caches were made).
'use strict';
const {getAsset} = require('node:sea');
const {evaluate} = require('../../bin/script-cache.cjs');

const loaded = new Map();

function loadAsset(name) {
  if (loaded.has(name)) return loaded.get(name);
  let cachedData;
  try {
    cachedData = new Uint8Array(getAsset(`${name}.cache`));
  } catch {
    // built without a cache: V8 compiles from source
  }
  const {exports} = evaluate(getAsset(`${name}.cjs`, 'utf8'), {filename: `${name}.cjs`, dirname: '/', cachedData});
  loaded.set(name, exports);
  return exports;
}

module.exports = {loadAsset};
