#!/usr/bin/env node
// `npm test` runs the unit suite as JavaScript: src/ and test/ transpiled file by file (esbuild) into
// .test-build/, mirroring the tree. mocha's workers then load plain modules instead of compiling
// TypeScript through a loader hook each (which, with a cold cache, cost every worker seconds).
// import.meta.url, .dirname and .filename are replaced by the original file's, so fixtures,
// examples and the built CLI are found where they are; source maps point stack traces at the .ts.
import {readFileSync, rmSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {build} from 'esbuild';
import {tsFiles} from './ts-files.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, '.test-build');
const entryPoints = [...tsFiles(join(root, 'src')), ...tsFiles(join(root, 'test'), ['fixtures', 'node_modules'])];

const originalLocation = {
  name: 'original-location',
  setup(b) {
    b.onLoad({filter: /\.ts$/}, (a) => ({
      loader: 'ts',
      contents: readFileSync(a.path, 'utf8')
        .replaceAll('import.meta.dirname', JSON.stringify(dirname(a.path)))
        .replaceAll('import.meta.filename', JSON.stringify(a.path))
        .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(a.path).href)),
    }));
  },
};

rmSync(out, {recursive: true, force: true});
await build({entryPoints, outdir: out, outbase: root, format: 'esm', platform: 'node', target: 'node20', sourcemap: 'inline', plugins: [originalLocation], logLevel: 'warning'});
