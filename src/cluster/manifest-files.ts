/** Reading manifests (`-f PATH`, files or directories). Writing goes through atomic-write.ts. */
import {readdir, readFile, realpath, stat} from 'node:fs/promises';
import {join, relative} from 'node:path';
import {UserError} from '../lib/errors.js';
import type {ManifestInput} from '../model/manifests.js';

const MANIFEST_EXT = /\.(ya?ml|json)$/i;

/** Manifest files under `dir`, symlinks followed (a symlinked directory once: loops end). */
async function walk(dir: string, out: string[], seen = new Set<string>()): Promise<void> {
  const real = await realpath(dir);
  if (seen.has(real)) return;
  seen.add(real);
  const entries = await readdir(dir, {withFileTypes: true});
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    // oc-mirror v2 writes its signature ConfigMap twice (JSON and YAML): read it once.
    if (e.name === 'signature-configmap.json' && entries.some((x) => x.name === 'signature-configmap.yaml')) continue;
    const p = join(dir, e.name);
    let isDir = e.isDirectory();
    let isFile = e.isFile();
    if (e.isSymbolicLink()) {
      try {
        const st = await stat(p);
        isDir = st.isDirectory();
        isFile = st.isFile();
      } catch {
        continue; // a dangling link holds no manifest
      }
    }
    if (isDir) await walk(p, out, seen);
    else if (isFile && MANIFEST_EXT.test(e.name)) out.push(p);
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
