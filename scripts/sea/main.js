// Entry of the single executable (scripts/build-binary.js bundles it into one CommonJS script).
// Everything bin/run.js finds on disk is inside: package.json, oclif.manifest.json and the
// command classes (oclif's explicit strategy, handed to the root plugin instead of imported
// from a path). With a startup snapshot the module graph below is evaluated at build time;
// main() runs at start and first re-reads what depends on the terminal and the environment.
import v8 from 'node:v8';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {Config, Plugin, run, flush, handle} from '@oclif/core';
import pjson from '../../package.json' with {type: 'json'};
import manifest from '../../oclif.manifest.json' with {type: 'json'};
import {COMMANDS} from '../../dist/commands-index.js';
import {refreshRuntimeState} from './runtime-state.cjs';
import example from '../../examples/mirrors.yaml';

const VERSION_FLAGS = new Set(['--version', '-v', 'version']);

/** The root plugin with the manifest and commands it would otherwise read from its package root. */
class EmbeddedPlugin extends Plugin {
  async _manifest() {
    this.commandIDs = Object.keys(manifest.commands);
    this.hasManifest = true;
    return manifest;
  }
}

async function loadConfig() {
  const root = dirname(process.execPath);
  const plugin = new EmbeddedPlugin({root, isRoot: true, pjson: structuredClone(pjson)});
  plugin.commandCache = COMMANDS;
  await plugin.load();
  return Config.load({root, pjson: plugin.pjson, plugins: new Map([[plugin.name, plugin]])});
}

async function main() {
  const argv = process.argv.slice(2);
  // As bin/run.js: the version alone is answered without oclif.
  if (argv.length === 1 && VERSION_FLAGS.has(argv[0])) {
    process.stdout.write(`oc-registries/${pjson.version} ${process.platform}-${process.arch} node-${process.version}\n`);
    return;
  }
  refreshRuntimeState();
  try {
    await run(argv, await loadConfig());
    await flush();
  } catch (error) {
    await handle(error);
  }
}

/**
 * While the snapshot is built: run help and an offline render and explain once, output discarded,
 * so V8 has compiled those paths and their bytecode is in the snapshot (otherwise every start
 * compiles them again). Colour detection stays untouched (globalThis.__ocrWarmingUp: the stand-ins
 * of scripts/build-binary.js answer "no colour" without loading), and nothing of these runs' own
 * state is used later: main() loads a fresh configuration.
 */
async function warmUp() {
  const dir = mkdtempSync(join(tmpdir(), 'ocr-snapshot-'));
  const file = join(dir, 'mirrors.yaml');
  writeFileSync(file, example);
  const writes = [process.stdout.write, process.stderr.write];
  process.stdout.write = process.stderr.write = () => true;
  globalThis.__ocrWarmingUp = true;
  try {
    const config = await loadConfig();
    for (const argv of [['--help'], ['mirror'], ['render', '--help'], ['render', '-f', file], ['render', '-f', file, '--json'], ['explain', 'registry.example.com/apps/web:1', '-f', file], ['render', '-f', join(dir, 'missing.yaml')]]) {
      await run(argv, config).catch(() => undefined);
    }
  } finally {
    globalThis.__ocrWarmingUp = false;
    [process.stdout.write, process.stderr.write] = writes;
    process.exitCode = undefined;
    rmSync(dir, {recursive: true, force: true});
  }
}

if (v8.startupSnapshot?.isBuildingSnapshot()) {
  v8.startupSnapshot.setDeserializeMainFunction(() => void main());
  // The snapshot is taken once the event loop is empty, i.e. after this.
  void warmUp();
} else {
  void main();
}
