// Inside dist/bundle/cli.cjs: packages too big to evaluate at every start (the Kubernetes client, the
// interactive prompts) are CommonJS bundles beside it (NAME.cjs, with NAME.cache, the V8 code cache
// made at build time), evaluated once, when a command first needs them.
'use strict';
const {readFileSync} = require('node:fs');
const {join} = require('node:path');
const {evaluate} = require('../../bin/script-cache.cjs');

const loaded = new Map();

function loadBundled(dir, name) {
  if (loaded.has(name)) return loaded.get(name);
  const filename = join(dir, `${name}.cjs`);
  let cachedData;
  try {
    cachedData = readFileSync(join(dir, `${name}.cache`));
  } catch {
    // built without a cache: V8 compiles from source
  }
  const {exports} = evaluate(readFileSync(filename, 'utf8'), {filename, dirname: dir, cachedData});
  loaded.set(name, exports);
  return exports;
}

module.exports = {loadBundled};
