/**
 * Reading an oc-mirror output folder as it is (fs adapter; the interpretation is
 * model/oc-mirror.ts). Accepts the folder itself (v2 `cluster-resources`, v1
 * `results-*`), or the folder above it: v2 `working-dir` (or its parent), v1
 * `oc-mirror-workspace` (the newest `results-<unix time>` is used). A single file works too.
 */
import {readdir, readFile, stat} from 'node:fs/promises';
import {join, relative} from 'node:path';
import {UserError} from '../lib/errors.js';

const WANTED = /\.(ya?ml|json)$|^mapping\.txt$/i;

async function isDir(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

async function walk(dir: string, out: string[]): Promise<void> {
  const entries = await readdir(dir, {withFileTypes: true});
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    // v1 results: Helm charts are not cluster configuration.
    if (e.isDirectory()) {
      if (e.name !== 'charts') await walk(p, out);
    } else if (e.isFile() && WANTED.test(e.name)) out.push(p);
  }
}

/** The folder that holds the cluster resources, and a note when it is not DIR itself. */
export async function locateOcMirrorOutput(dir: string): Promise<{dir: string; note?: string}> {
  for (const sub of ['cluster-resources', join('working-dir', 'cluster-resources')]) {
    if (await isDir(join(dir, sub))) return {dir: join(dir, sub), note: `reading ${join(dir, sub)} (oc-mirror v2)`};
  }
  if (await isDir(join(dir, 'oc-mirror-workspace'))) return locateOcMirrorOutput(join(dir, 'oc-mirror-workspace'));
  const results = (await readdir(dir)).filter((n) => /^results-\d+$/.test(n)).sort((a, b) => Number(a.slice(8)) - Number(b.slice(8)));
  if (results.length > 0) {
    const newest = join(dir, results[results.length - 1]!);
    return {dir: newest, note: `reading ${newest}, the newest of ${results.length} oc-mirror v1 results folder(s)`};
  }
  return {dir};
}

export interface OcMirrorFiles {
  dir: string;
  files: Array<{file: string; text: string}>;
  notes: string[];
}

export async function readOcMirrorDir(path: string): Promise<OcMirrorFiles> {
  let st;
  try {
    st = await stat(path);
  } catch {
    throw new UserError(`DIR ${path}: no such file or directory`);
  }
  const notes: string[] = [];
  let dir = path;
  const found: string[] = [];
  if (st.isDirectory()) {
    const loc = await locateOcMirrorOutput(path);
    dir = loc.dir;
    if (loc.note) notes.push(loc.note);
    await walk(dir, found);
    if (found.length === 0) throw new UserError(`DIR ${dir}: holds no .yaml, .json or mapping.txt files (expected oc-mirror output: working-dir/cluster-resources or results-*)`);
  } else found.push(path);
  const files: OcMirrorFiles['files'] = [];
  for (const f of found) {
    const rel = relative(process.cwd(), f);
    try {
      files.push({file: rel && !rel.startsWith('..') ? rel : f, text: await readFile(f, 'utf8')});
    } catch (e) {
      throw new UserError(`DIR ${f}: ${(e as Error).message}`);
    }
  }
  return {dir, files, notes};
}
