// oclif with everything it would read from disk handed to it: package.json, oclif.manifest.json,
// the command classes (oclif's explicit strategy, given to the root plugin instead of imported from
// a path), the help class and the command_not_found hook. Shared by the two one-file builds of the
// CLI, which esbuild bundles into one CommonJS script each: the single executable (scripts/sea/main.js,
// where a script has no dynamic import) and bin/run.js's dist/bundle/cli.cjs (loaded with a V8 code
// cache, which only a classic script can have on Node 20).
import {Config, ModuleLoader, Plugin, run, flush, handle} from '@oclif/core';
import pjson from '../../package.json' with {type: 'json'};
import manifest from '../../oclif.manifest.json' with {type: 'json'};
import HelpClass from '../../dist/cli/help.js';
import notFoundHook from '../../dist/cli/not-found.js';

// oclif loads the help class and hooks that package.json names with import(): hand its module loader
// these two modules, bundled here, when it asks for their paths.
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

export const VERSION_FLAGS = new Set(['--version', '-v', 'version']);
export const versionLine = () => `oc-registries/${pjson.version} ${process.platform}-${process.arch} node-${process.version}\n`;

/** The root plugin with the manifest and commands it would otherwise read from its package root. */
class EmbeddedPlugin extends Plugin {
  async _manifest() {
    this.commandIDs = Object.keys(manifest.commands);
    this.hasManifest = true;
    return manifest;
  }
}

/**
 * `commands`: the command map (eager classes, or stand-ins that import a command when it runs);
 * `rootOf()`: the package root oclif reports (config.root), asked at each load.
 */
export function embeddedCli(commands, rootOf) {
  // The root plugin depends on nothing of the run but its root (set in loadConfig): loaded once, as the
  // module loads (with a startup snapshot: while the snapshot is built).
  const pluginLoaded = (async () => {
    const plugin = new EmbeddedPlugin({root: '/', isRoot: true, pjson: JSON.parse(JSON.stringify(pjson))});
    plugin.commandCache = commands;
    await plugin.load();
    return plugin;
  })();

  async function loadConfig() {
    const plugin = await pluginLoaded;
    plugin.root = rootOf();
    return Config.load({root: plugin.root, pjson: plugin.pjson, plugins: new Map([[plugin.name, plugin]])});
  }

  /** The whole CLI for one argv, as bin/run.js runs it: exit code in process.exitCode. */
  async function main(argv) {
    try {
      await run(argv, await loadConfig());
      await flush();
    } catch (error) {
      await handle(error);
    }
  }

  return {loadConfig, main};
}

export {run};
