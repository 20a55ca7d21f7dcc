#!/usr/bin/env node
// The only entry point. `--version` is answered here without loading oclif, so scripts that probe
// the version pay for a bare Node start and nothing more. Everything else is dist/bundle/cli.cjs
// (scripts/bundle.js), evaluated with the V8 code cache the build made for it.
import {readFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {fileURLToPath} from 'node:url';

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v' || argv[0] === 'version')) {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`oc-registries/${pkg.version} ${process.platform}-${process.arch} node-${process.version}\n`);
} else {
  const require = createRequire(import.meta.url);
  const {evaluate} = require('./script-cache.cjs');
  const filename = fileURLToPath(new URL('../dist/bundle/cli.cjs', import.meta.url));
  let cachedData;
  try {
    cachedData = readFileSync(filename.replace(/\.cjs$/, '.cache'));
  } catch {
    // no cache: V8 compiles from source
  }
  const {exports} = evaluate(readFileSync(filename, 'utf8'), {filename, dirname: fileURLToPath(new URL('../dist/bundle', import.meta.url)), cachedData, require: createRequire(filename)});
  await exports.main(argv);
}
