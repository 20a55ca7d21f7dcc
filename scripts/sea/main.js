// Entry of the single executable (scripts/build-binary.js bundles it into one CommonJS script).
// Everything bin/run.js finds on disk is inside: package.json, oclif.manifest.json and the
// command classes (oclif's explicit strategy, handed to the root plugin instead of imported
// from a path). With a startup snapshot the module graph below is evaluated at build time;
// main() runs at start and first re-reads what depends on the terminal and the environment.
import v8 from 'node:v8';
import {dirname} from 'node:path';
import {Config, ModuleLoader, Plugin, run, flush, handle} from '@oclif/core';
import pjson from '../../package.json' with {type: 'json'};
import manifest from '../../oclif.manifest.json' with {type: 'json'};
import {COMMANDS} from '../../dist/commands-index.js';
import {refreshRuntimeState} from './runtime-state.cjs';
import HelpClass from '../../dist/cli/help.js';
import notFoundHook from '../../dist/cli/not-found.js';

// oclif loads the help class and hooks that package.json names with import(), which an executable
// cannot do (Node 20 gives a single executable no dynamic import): hand oclif's module loader these
// two modules, bundled here, when it asks for their paths.
const EMBEDDED_MODULES = [
  [pjson.oclif.helpClass, {default: HelpClass}],
  [pjson.oclif.hooks.command_not_found, {default: notFoundHook}],
].map(([target, module]) => [target.replace(/^\.\//, ''), module]);
const embeddedModule = (path) => EMBEDDED_MODULES.find(([suffix]) => typeof path === 'string' && path.endsWith(suffix))?.[1];
const loadModule = ModuleLoader.load;
const loadModuleWithData = ModuleLoader.loadWithData;
ModuleLoader.load = async (config, path) => embeddedModule(path) ?? loadModule(config, path);
ModuleLoader.loadWithData = async (config, path) => {
  const module = embeddedModule(path);
  return module ? {filePath: path, isESM: true, module} : loadModuleWithData(config, path);
};

const VERSION_FLAGS = new Set(['--version', '-v', 'version']);

/** The root plugin with the manifest and commands it would otherwise read from its package root. */
class EmbeddedPlugin extends Plugin {
  async _manifest() {
    this.commandIDs = Object.keys(manifest.commands);
    this.hasManifest = true;
    return manifest;
  }
}

// The root plugin depends on nothing of the run but its root (set in loadConfig): with a snapshot it
// is loaded while the snapshot is built, so a start skips turning the manifest into commands.
const pluginLoaded = (async () => {
  const plugin = new EmbeddedPlugin({root: '/', isRoot: true, pjson: JSON.parse(JSON.stringify(pjson))});
  plugin.commandCache = COMMANDS;
  await plugin.load();
  return plugin;
})();

async function loadConfig() {
  const plugin = await pluginLoaded;
  plugin.root = dirname(process.execPath);
  return Config.load({root: plugin.root, pjson: plugin.pjson, plugins: new Map([[plugin.name, plugin]])});
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

if (v8.startupSnapshot?.isBuildingSnapshot()) v8.startupSnapshot.setDeserializeMainFunction(() => void main());
else void main();
