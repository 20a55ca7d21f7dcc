#!/usr/bin/env node
// Writes oclif.manifest.json from the built commands (dist/), so help and command
// lookup never import every command at start-up. Run by `npm run build` (scripts/bundle.js, before
// it bundles the manifest into dist/bundle/cli.cjs);
// `--check` exits 1 when the manifest on disk is stale; `--print` writes the current one to stdout.
import {readFileSync, writeFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {dirname, join} from 'node:path';
import {Plugin} from '@oclif/core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// From the eager command index (the CLI's own, commands-lazy.js, hands oclif stand-ins until a command runs).
const pjson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
pjson.oclif.commands = {...pjson.oclif.commands, target: './dist/commands-index.js'};
const plugin = new Plugin({root, pjson, type: 'core', ignoreManifest: true, errorOnManifestCreate: true, isRoot: true});
await plugin.load();
// Commands load concurrently, so their order varies from run to run: sort them for a stable file.
const manifest = {...plugin.manifest, commands: Object.fromEntries(Object.entries(plugin.manifest.commands).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))};
const text = JSON.stringify(manifest, null, 2) + '\n';
const file = join(root, 'oclif.manifest.json');
if (process.argv.includes('--print')) {
  process.stdout.write(text);
} else if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    // missing counts as stale
  }
  if (current !== text) {
    console.error('oclif.manifest.json is stale: run `npm run build` and commit it');
    process.exit(1);
  }
} else {
  writeFileSync(file, text);
}
