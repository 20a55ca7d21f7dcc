// An esbuild plugin: the named CommonJS packages are bundled, but what their importers get is a
// stand-in that evaluates the package on first use (property access or call). oclif requires
// every dependency when it loads (templates, globbing, spinners, config-file search), while a
// light command uses few of them; unused ones then cost neither compiling nor evaluating.
// `__esModule`, which interop helpers probe at import, is answered from the real package as
// measured at build time, without loading it at run time.
import {createRequire} from 'node:module';
import {join} from 'node:path';

export function lazyPackages(names, root) {
  const filter = new RegExp(`^(${names.map((n) => n.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|')})$`);
  const req = createRequire(join(root, 'package.json'));
  return {
    name: 'lazy-packages',
    setup(b) {
      b.onResolve({filter}, (a) => (a.namespace === 'lazy' || a.kind !== 'require-call' ? undefined : {path: a.path, namespace: 'lazy', pluginData: a.resolveDir}));
      b.onLoad({filter: /.*/, namespace: 'lazy'}, (a) => {
        const esModule = Boolean(req(createRequire(join(a.pluginData, 'x.js')).resolve(a.path)).__esModule);
        return {
          resolveDir: a.pluginData,
          loader: 'js',
          contents: `let real; const load = () => (real ??= require(${JSON.stringify(a.path)}));
module.exports = new Proxy(function () {}, {
  get: (_, k) => (k === '__esModule' ? ${esModule} : k === 'prototype' ? load().prototype : load()[k]),
  has: (_, k) => k in load(),
  apply: (_, self, args) => Reflect.apply(load(), self, args),
  construct: (_, args) => Reflect.construct(load(), args),
});`,
        };
      });
    },
  };
}

/**
 * Packages only some commands need, each built into a CommonJS bundle of its own with a code cache
 * (scripts/bundle.js: dist/bundle/NAME.cjs and NAME.cache) and evaluated on first use: the Kubernetes
 * client and the interactive prompts. Package -> NAME.
 */
export const LOADED_ON_USE = {'@kubernetes/client-node': 'kube', '@inquirer/prompts': 'prompts'};

/** An esbuild plugin: an import of one of LOADED_ON_USE's packages becomes `contentsOf(NAME)` (how to load that bundle). */
export function loadedOnUse(pluginName, contentsOf, root) {
  const filter = new RegExp(`^(${Object.keys(LOADED_ON_USE).map((p) => p.replace(/[/]/g, '\\/')).join('|')})$`);
  return {
    name: pluginName,
    setup(b) {
      b.onResolve({filter}, (a) => ({path: a.path, namespace: pluginName}));
      b.onLoad({filter: /.*/, namespace: pluginName}, (a) => ({resolveDir: root, loader: 'js', contents: contentsOf(LOADED_ON_USE[a.path])}));
    },
  };
}
