/** Reading manifests (`-f PATH`, files or directories) and writing rendered trees. */
import {mkdir, readdir, readFile, rename, stat, writeFile, rm} from 'node:fs/promises';
import {dirname, join, relative} from 'node:path';
import {UserError} from '../lib/errors.js';
import type {ManifestInput} from '../model/manifests.js';

const MANIFEST_EXT = /\.(ya?ml|json)$/i;

async function walk(dir: string, out: string[]): Promise<void> {
  const entries = await readdir(dir, {withFileTypes: true});
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    // oc-mirror v2 writes its signature ConfigMap twice (JSON and YAML): read it once.
    if (e.name === 'signature-configmap.json' && entries.some((x) => x.name === 'signature-configmap.yaml')) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) await walk(p, out);
    else if (e.isFile() && MANIFEST_EXT.test(e.name)) out.push(p);
  }
}

/** Expand `-f` arguments into manifest texts, in a stable order. `-` reads standard input. */
export async function readManifests(paths: string[], stdin: () => Promise<string> = readStdin): Promise<ManifestInput[]> {
  const files: string[] = [];
  const out: ManifestInput[] = [];
  for (const p of paths) {
    if (p === '-') {
      out.push({file: '<stdin>', text: await stdin()});
      continue;
    }
    let st;
    try {
      st = await stat(p);
    } catch {
      throw new UserError(`-f ${p}: no such file or directory`);
    }
    if (st.isDirectory()) {
      const found: string[] = [];
      await walk(p, found);
      if (found.length === 0) throw new UserError(`-f ${p}: the directory holds no .yaml, .yml or .json files`);
      files.push(...found);
    } else files.push(p);
  }
  for (const f of files) {
    try {
      const rel = relative(process.cwd(), f);
      out.push({file: rel && !rel.startsWith('..') ? rel : f, text: await readFile(f, 'utf8')});
    } catch (e) {
      throw new UserError(`-f ${f}: ${(e as Error).message}`);
    }
  }
  return out;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Write `files` (absolute node paths) under `root`. Each file goes to a temporary
 * name in its directory first and is renamed into place, so a reader never sees
 * a partial file; the write stops at the first failure and removes its temporary file.
 */
export async function writeTree(root: string, files: Array<{path: string; content: string}>): Promise<string[]> {
  const written: string[] = [];
  for (const f of files) {
    const target = join(root, f.path);
    await mkdir(dirname(target), {recursive: true});
    const tmp = `${target}.tmp-${process.pid}`;
    try {
      await writeFile(tmp, f.content, {mode: 0o644});
      await rename(tmp, target);
    } catch (e) {
      await rm(tmp, {force: true});
      throw new UserError(`--out ${root}: cannot write ${f.path}: ${(e as Error).message}`);
    }
    written.push(target);
  }
  return written;
}
