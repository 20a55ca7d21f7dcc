#!/usr/bin/env node
// src/**/*.ts -> dist/**/*.js, types stripped file by file (esbuild, no bundling): the input of
// scripts/bundle.js and of the single executable. Types are checked once, by `npm run typecheck`
// (tsc over src, test and scripts together), which `npm test` and CI run first; the build itself
// stays a second or so.
import {readdirSync, rmSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {build} from 'esbuild';
import {tsFiles} from './ts-files.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');
const entryPoints = tsFiles(src);
// What an earlier build made from src goes first (a removed command must not linger in dist/commands);
// the rest of dist/ (the executable, its work folder) stays.
for (const e of readdirSync(src)) rmSync(join(root, 'dist', e.replace(/\.ts$/, '.js')), {recursive: true, force: true});
await build({entryPoints, outdir: join(root, 'dist'), outbase: src, format: 'esm', platform: 'node', target: 'node20', logLevel: 'warning'});
