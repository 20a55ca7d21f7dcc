// node code-cache.cjs BUNDLE OUT: evaluates a CommonJS bundle the way asset-module.cjs does and writes
// the V8 code cache of everything compiled meanwhile (same node binary as the executable, so V8
// accepts it; if it ever does not, the executable compiles from source, only slower).
'use strict';
const {readFileSync, writeFileSync} = require('node:fs');
const {basename} = require('node:path');
const {Script} = require('node:vm');

const [bundle, out] = process.argv.slice(2);
const script = new Script(`(function (exports, require, module) {${readFileSync(bundle, 'utf8')}\n})`, {filename: basename(bundle)});
const mod = {exports: {}};
script.runInThisContext()(mod.exports, require, mod);
writeFileSync(out, script.createCachedData());
