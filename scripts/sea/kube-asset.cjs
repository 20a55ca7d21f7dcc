// Stands in for @kubernetes/client-node inside the executable: evaluates the embedded bundle
// (asset kube.cjs) with the V8 code cache made at build time (asset kube.cache), once, when a
// command first talks to a cluster. CommonJS, so `import()` of it yields the client's exports.
'use strict';
const {getAsset} = require('node:sea');
const {Script} = require('node:vm');

const source = getAsset('kube.cjs', 'utf8');
let cachedData;
try {
  cachedData = new Uint8Array(getAsset('kube.cache'));
} catch {
  // built without a cache: V8 compiles from source
}
const script = new Script(`(function (exports, require, module) {${source}\n})`, {filename: 'kube.cjs', cachedData});
script.runInThisContext()(module.exports, require, module);
