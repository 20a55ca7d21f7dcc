// One CommonJS bundle evaluated as a classic script with a V8 code cache: on Node 20 the only kind of
// code whose compiled form can be kept between runs (ES modules have no code cache before Node 22).
// Used by bin/run.js (dist/bundle/cli.cjs), by that bundle for the packages it loads on first use
// (dist/bundle/kube.cjs, prompts.cjs), by the single executable for its embedded assets, and at build
// time to make the caches: the wrapper must be the same everywhere, or V8 rejects the cache (then it
// compiles from source: correct, only slower).
'use strict';
const {Script} = require('node:vm');

/** Evaluate `source` as a CommonJS module; `cachedData` may be absent or stale. */
function evaluate(source, {filename, dirname, cachedData, require: req = require}) {
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {filename, cachedData});
  const mod = {exports: {}};
  script.runInThisContext()(mod.exports, req, mod, filename, dirname);
  return {exports: mod.exports, script, cacheRejected: Boolean(cachedData) && script.cachedDataRejected === true};
}

module.exports = {evaluate};
