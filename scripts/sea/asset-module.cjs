// Inside the executable, packages too big to sit in the startup snapshot (the Kubernetes client,
// the interactive prompts with their character-set tables) are CommonJS bundles embedded as
// assets (NAME.cjs) with the V8 code cache made at build time (NAME.cache). loadAsset evaluates
// one, once, when a command first needs it. code-cache.cjs wraps the source the same way.
'use strict';
const {getAsset} = require('node:sea');
const {Script} = require('node:vm');

const loaded = new Map();

function loadAsset(name) {
  if (loaded.has(name)) return loaded.get(name);
  const source = getAsset(`${name}.cjs`, 'utf8');
  let cachedData;
  try {
    cachedData = new Uint8Array(getAsset(`${name}.cache`));
  } catch {
    // built without a cache: V8 compiles from source
  }
  const script = new Script(`(function (exports, require, module) {${source}\n})`, {filename: `${name}.cjs`, cachedData});
  const mod = {exports: {}};
  script.runInThisContext()(mod.exports, require, mod);
  loaded.set(name, mod.exports);
  return mod.exports;
}

module.exports = {loadAsset};
