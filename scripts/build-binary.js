#!/usr/bin/env node
// npm run build:binary: dist/oc-registries-linux-x64 (+ .sha256), a Node single executable application.
// 1. esbuild bundles scripts/sea/main.js with every dependency into one CommonJS script (inside a
//    single executable `require` reaches built-in modules only), except the Kubernetes client (14 MB
//    of generated models) and the interactive prompts (character-set tables): every start would
//    deserialize them. They are the bundles `npm run build` made (dist/bundle/kube.cjs, prompts.cjs),
//    embedded as assets with their V8 code cache and evaluated when a command first needs them.
// 2. `node --experimental-sea-config` turns them into a blob (a startup snapshot, or a code cache
//    with SEA_MODE=codecache), 3. postject injects the blob into a copy of this machine's node binary.
import {spawnSync} from 'node:child_process';
import {createHash} from 'node:crypto';
import {copyFileSync, chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {build} from 'esbuild';
import {loadedOnUse, LOADED_ON_USE} from './esbuild-lazy.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const work = join(dist, 'sea');
const name = `oc-registries-${process.platform}-${process.arch}`;
const target = join(dist, name);
const mode = process.env.SEA_MODE ?? 'snapshot';
if (!['snapshot', 'codecache'].includes(mode)) throw new Error(`SEA_MODE must be snapshot or codecache, not ${mode}`);
if (Number(process.versions.node.split('.')[0]) < 20) throw new Error(`Node ${process.version}: single executables need Node 20 or later`);
if (!existsSync(join(dist, 'commands-index.js')) || !existsSync(join(dist, 'bundle', 'kube.cjs'))) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(2);
}

const run = (cmd, args) => {
  const r = spawnSync(cmd, args, {cwd: root, encoding: 'utf8'});
  // postject says "Can't find string offset for section name '.note.100'" on Node's binary; harmless.
  const noise = (r.stderr ?? '').split('\n').filter((l) => l && !/string offset for section name/.test(l));
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stdout}${noise.join('\n')}`);
};

rmSync(work, {recursive: true, force: true});
mkdirSync(work, {recursive: true});
// Minified (a snapshot holds the source text too, and start-up deserializes all of it), names kept
// (error and class names appear in output: the JSON envelope's `name`).
const common = {bundle: true, format: 'cjs', platform: 'node', target: 'node20', minify: true, keepNames: true, legalComments: 'none', logLevel: 'warning'};
// Packages kept out of the snapshot: the bundles `npm run build` made of them, with their code caches
// (dist/bundle/NAME.cjs, NAME.cache), embedded as assets and loaded on first use (scripts/sea/asset-module.cjs).
const assets = {};
for (const name of Object.values(LOADED_ON_USE)) {
  for (const ext of ['cjs', 'cache']) assets[`${name}.${ext}`] = join(dist, 'bundle', `${name}.${ext}`);
}

const main = join(work, 'main.cjs');
const assetModule = join(root, 'scripts', 'sea', 'asset-module.cjs');
const embedded = loadedOnUse('embedded-packages', (name) => `module.exports = require(${JSON.stringify(assetModule)}).loadAsset(${JSON.stringify(name)});`, root);
// Modules that decide colour support when they load (from the terminal and the environment): in a
// startup snapshot that would be the build machine's answer, so they are loaded on first use instead
// (neither is an ES module, so `__esModule`, which interop helpers probe when they import, is answered
// without loading).
// Node's HTTP and TLS modules cannot load while a Node 20 snapshot is built (node:http calls toSorted,
// which the snapshot builder's context lacks; tls holds native references it cannot serialize):
// they too load on first use.
const RUN_TIME = /^(ansis|supports-color|(node:)?(https?|tls))$/;
const loadAtRunTime = {
  name: 'load-at-run-time',
  setup(b) {
    b.onResolve({filter: RUN_TIME}, (a) => {
      if (a.namespace === 'run-time') return undefined;
      // debug probes supports-color when it loads (to pick 256 colours for DEBUG output), which would
      // load it at build time: it gets none and keeps its basic colours.
      if (/[\\/]node_modules[\\/]debug[\\/]/.test(a.importer)) return {path: a.path, namespace: 'absent'};
      return {path: a.path, namespace: 'run-time', pluginData: a.resolveDir};
    });
    b.onLoad({filter: /.*/, namespace: 'absent'}, (a) => ({loader: 'js', contents: `throw new Error(${JSON.stringify(`${a.path} is not in the executable`)});`}));
    b.onLoad({filter: /.*/, namespace: 'run-time'}, (a) => ({
      resolveDir: a.pluginData,
      loader: 'js',
      contents: `let real; const load = () => (real ??= require(${JSON.stringify(a.path)}));
module.exports = new Proxy(() => {}, {
  get: (_, k) => (k === '__esModule' ? undefined : load()[k]),
  has: (_, k) => k in load(),
  apply: (_, self, args) => Reflect.apply(load(), self, args),
});`,
    }));
  },
};
await build({
  ...common,
  entryPoints: [join(root, 'scripts', 'sea', 'main.js')],
  outfile: main,
  // oclif's TypeScript lookup requires typescript in development only (absent, it skips).
  external: ['typescript'],
  // As in scripts/bundle.js: jsonc-parser's ES module build (its UMD main hides its requires from a bundler).
  alias: {'jsonc-parser': 'jsonc-parser/lib/esm/main.js'},
  plugins: [embedded, ...(mode === 'snapshot' ? [loadAtRunTime] : [])],
});

const blob = join(work, 'sea-prep.blob');
const seaConfig = {main, output: blob, disableExperimentalSEAWarning: true, assets, ...(mode === 'snapshot' ? {useSnapshot: true} : {useCodeCache: true})};
writeFileSync(join(work, 'sea-config.json'), JSON.stringify(seaConfig, null, 2));
run(process.execPath, ['--experimental-sea-config', join(work, 'sea-config.json')]);

rmSync(target, {force: true});
copyFileSync(process.execPath, target);
chmodSync(target, 0o755);
run(process.execPath, [join(root, 'node_modules', 'postject', 'dist', 'cli.js'), target, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2']);

const sha = createHash('sha256').update(readFileSync(target)).digest('hex');
writeFileSync(`${target}.sha256`, `${sha}  ${name}\n`);
const mib = (f) => (statSync(f).size / 1048576).toFixed(1);
console.log(`${target} (${mib(target)} MiB, blob ${mib(blob)} MiB, ${mode}); sha256 ${sha}`);
