// node scripts/code-cache.cjs BUNDLE OUT [ARGV-JSON...]: evaluates a CommonJS bundle the way it is
// loaded at run time (bin/script-cache.cjs) and writes the V8 code cache of everything compiled
// meanwhile. With ARGV-JSON arguments (dist/bundle/cli.cjs), it first runs the CLI for each argv,
// output muted, so the cache also holds the functions those runs compiled (oclif's help, the render
// pipeline). Same node binary as at run time, so V8 accepts the cache; if it ever does not, the code
// compiles from source, only slower.
'use strict';
const {readFileSync, writeFileSync} = require('node:fs');
const {createRequire} = require('node:module');
const {dirname, resolve} = require('node:path');
const {evaluate} = require('../bin/script-cache.cjs');

async function make() {
  const [bundle, out, ...runs] = process.argv.slice(2);
  const filename = resolve(bundle);
  const {exports, script} = evaluate(readFileSync(filename, 'utf8'), {filename, dirname: dirname(filename), require: createRequire(filename)});
  if (runs.length > 0) {
    const write = {out: process.stdout.write, err: process.stderr.write};
    process.stdout.write = process.stderr.write = () => true;
    try {
      for (const argv of runs) await exports.main(JSON.parse(argv));
    } finally {
      process.stdout.write = write.out;
      process.stderr.write = write.err;
    }
    if (process.exitCode) throw new Error(`${bundle}: a run for the code cache failed (exit ${process.exitCode}): ${runs.join(' ')}`);
  }
  writeFileSync(out, script.createCachedData());
}

make().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
