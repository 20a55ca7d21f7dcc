#!/usr/bin/env node
// The only entry point. `--version` is answered here without loading oclif, so
// scripts that probe the version pay for a bare Node start and nothing more.
import {readFileSync} from 'node:fs';

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v' || argv[0] === 'version')) {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`oc-registries/${pkg.version} ${process.platform}-${process.arch} node-${process.version}\n`);
} else {
  const {execute} = await import('../dist/bundle/cli.js');
  await execute({dir: import.meta.url});
}
